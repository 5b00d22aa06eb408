//! `formatting_svc`: renders feed entries as Telegram HTML.

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, opt_string, string};
use crate::platform::{Service, ServiceError};

/// The formatting service.
pub struct FormattingService;

/// Escapes text for Telegram's HTML parse mode (`&`, `<`, `>`, and `"` for attributes).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn format_entry(payload: &Value) -> Result<Value, ServiceError> {
    let args = object(payload)?;
    let title = string(args, "title")?;
    let link = opt_string(args, "link")?;
    let summary = opt_string(args, "summary")?.unwrap_or_default();
    let source = opt_string(args, "source")?;
    let mut html = format!("<b>{}</b>", escape_html(title));
    if !summary.is_empty() {
        html.push('\n');
        html.push_str(&escape_html(summary));
    }
    if let Some(link) = link {
        if !(link.starts_with("http://") || link.starts_with("https://")) {
            return Err(ServiceError::InvalidRequest("link: must be an http(s) URL".into()));
        }
        html.push_str(&format!(
            "\n<a href=\"{}\">{}</a>",
            escape_html(link),
            escape_html(source.unwrap_or("Read more"))
        ));
    }
    Ok(json!({"html": html, "parse_mode": "HTML", "length": html.chars().count()}))
}

#[async_trait]
impl Service for FormattingService {
    fn name(&self) -> &str {
        "formatting_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        match method {
            "format_entry" => format_entry(payload),
            "escape" => {
                let args = object(payload)?;
                Ok(json!({"text": escape_html(string(args, "text")?)}))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn renders_and_escapes() {
        let r = FormattingService
            .call(
                "format_entry",
                &json!({"title": "A <b> & \"c\"", "summary": "1 < 2", "link": "https://x.example/?a=1&b=\"2\"", "source": "X"}),
            )
            .await
            .unwrap();
        assert_eq!(
            r["html"],
            "<b>A &lt;b&gt; &amp; &quot;c&quot;</b>\n1 &lt; 2\n<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">X</a>"
        );
        let err = FormattingService
            .call("format_entry", &json!({"title": "t", "link": "javascript:alert(1)"}))
            .await;
        assert!(err.unwrap_err().is_caller_error());
    }
}
