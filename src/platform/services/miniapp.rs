//! `miniapp_svc`: the Telegram mini app's dashboard model for a user.

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, uint};
use crate::platform::services::formatting::escape_html;
use crate::platform::{Service, ServiceError};

/// The most cards one dashboard shows.
pub const MAX_CARDS: u64 = 50;

/// The mini app service.
pub struct MiniAppService;

fn dashboard(user: u64, cards: u64, theme: &str) -> Value {
    let items: Vec<Value> = (0..cards)
        .map(|i| {
            let title = format!("Feed {i} of user {user}");
            json!({
                "id": user * 1000 + i,
                "title": title,
                "html": format!("<div class=\"card {theme}\"><h3>{}</h3></div>", escape_html(&title)),
                "unread": (user + i) % 7,
            })
        })
        .collect();
    let unread: u64 = (0..cards).map(|i| (user + i) % 7).sum();
    json!({"user_id": user, "theme": theme, "cards": items, "unread_total": unread})
}

#[async_trait]
impl Service for MiniAppService {
    fn name(&self) -> &str {
        "miniapp_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        match method {
            "render_dashboard" => {
                let user = uint(args, "user_id", None)?;
                let cards = uint(args, "cards", Some(10))?.min(MAX_CARDS);
                let theme = match args.get("theme").and_then(Value::as_str) {
                    None => "light",
                    Some(t @ ("light" | "dark")) => t,
                    Some(_) => return Err(ServiceError::InvalidRequest("theme: light or dark".into())),
                };
                Ok(dashboard(user, cards, theme))
            }
            "get_config" => Ok(
                json!({"version": crate::api::VERSION, "themes": ["light", "dark"], "max_cards": MAX_CARDS}),
            ),
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn renders_a_bounded_dashboard() {
        let r = MiniAppService
            .call("render_dashboard", &json!({"user_id": 3, "cards": 500, "theme": "dark"}))
            .await
            .unwrap();
        assert_eq!(r["cards"].as_array().unwrap().len(), MAX_CARDS as usize);
        assert!(r["cards"][0]["html"].as_str().unwrap().contains("card dark"));
        let err = MiniAppService
            .call("render_dashboard", &json!({"user_id": 3, "theme": "neon"}))
            .await
            .unwrap_err();
        assert!(err.is_caller_error());
    }
}
