//! `ai_svc`: extractive summaries. Sentences are scored by the frequency of
//! their words in the whole text (stop words left out); the best ones are
//! kept, in their original order, within `max_length` characters. Real CPU
//! work that grows with the text, so its latency differs visibly.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, string, uint};
use crate::platform::{Service, ServiceError};

/// The longest text accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its",
    "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
];

/// The AI service.
pub struct AiService;

/// Splits text into sentences at `.`, `!` or `?` followed by white space.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends =
            matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
        if ends {
            let s = text[start..=i].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = i + 1;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn words(sentence: &str) -> impl Iterator<Item = String> + '_ {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
}

/// The extractive summary of `text` within `max_length` characters.
pub fn summarize(text: &str, max_length: usize) -> (String, usize) {
    let all = sentences(text);
    let mut frequency: HashMap<String, usize> = HashMap::new();
    for s in &all {
        for w in words(s) {
            *frequency.entry(w).or_default() += 1;
        }
    }
    let mut scored: Vec<(usize, f64)> = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let ws: Vec<String> = words(s).collect();
            let total: usize = ws.iter().map(|w| frequency.get(w).copied().unwrap_or(0)).sum();
            (i, if ws.is_empty() { 0.0 } else { total as f64 / ws.len() as f64 })
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut chosen = Vec::new();
    let mut length = 0;
    for (i, _) in scored {
        let len = all[i].chars().count() + usize::from(!chosen.is_empty());
        if length + len <= max_length {
            chosen.push(i);
            length += len;
        }
    }
    chosen.sort_unstable();
    let summary = chosen.iter().map(|&i| all[i]).collect::<Vec<_>>().join(" ");
    (summary, chosen.len())
}

#[async_trait]
impl Service for AiService {
    fn name(&self) -> &str {
        "ai_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        match method {
            "summarize" | "process_content" => {
                let args = object(payload)?;
                let text = string(args, "text")?;
                if text.len() > MAX_TEXT_BYTES {
                    return Err(ServiceError::InvalidRequest(format!(
                        "text: at most {MAX_TEXT_BYTES} bytes"
                    )));
                }
                let max_length = uint(args, "max_length", Some(200))?.clamp(1, 100_000) as usize;
                let (summary, used) = summarize(text, max_length);
                Ok(json!({
                    "summary": summary,
                    "sentences_used": used,
                    "original_length": text.chars().count(),
                }))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        assert_eq!(sentences("One. Two! Three? Four"), vec!["One.", "Two!", "Three?", "Four"]);
        assert_eq!(sentences("v1.2 is out. Yes."), vec!["v1.2 is out.", "Yes."]);
        assert!(sentences("   ").is_empty());
    }

    #[test]
    fn keeps_the_most_representative_sentences_in_order() {
        let text = "Rust services route calls. The weather is nice. Rust services fail over between router and REST calls. Cats sleep.";
        let (summary, used) = summarize(text, 90);
        assert_eq!(used, 2);
        assert_eq!(
            summary,
            "Rust services route calls. Rust services fail over between router and REST calls."
        );
        let (short, _) = summarize(text, 5);
        assert!(short.is_empty());
    }

    #[tokio::test]
    async fn validates_arguments() {
        let err = AiService.call("summarize", &json!({"max_length": 3})).await.unwrap_err();
        assert!(err.is_caller_error());
        let ok = AiService.call("summarize", &json!({"text": "A b. C d."})).await.unwrap();
        assert_eq!(ok["original_length"], 9);
    }
}
