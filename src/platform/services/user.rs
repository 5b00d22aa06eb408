//! `user_svc`: per-user preferences, validated.

use std::collections::HashMap;
use std::sync::RwLock;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, uint};
use crate::platform::{Service, ServiceError};

/// Users whose preferences are kept.
pub const MAX_USERS: usize = 100_000;
const LANGUAGES: &[&str] = &["en", "de", "es", "fa", "fr", "it", "pt", "ru", "tr", "zh"];

#[derive(Debug, Clone, PartialEq)]
struct Preferences {
    language: String,
    digest_hour: u8,
    summaries: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { language: "en".into(), digest_hour: 8, summaries: true }
    }
}

impl Preferences {
    fn to_json(&self, user: u64) -> Value {
        json!({"user_id": user, "language": self.language, "digest_hour": self.digest_hour, "summaries": self.summaries})
    }
}

/// The user service.
#[derive(Default)]
pub struct UserService {
    prefs: RwLock<HashMap<u64, Preferences>>,
}

#[async_trait]
impl Service for UserService {
    fn name(&self) -> &str {
        "user_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        match method {
            "get_preferences" => {
                let user = uint(args, "user_id", None)?;
                let prefs = self.prefs.read().unwrap_or_else(|p| p.into_inner());
                Ok(prefs.get(&user).cloned().unwrap_or_default().to_json(user))
            }
            "set_preferences" => {
                let user = uint(args, "user_id", None)?;
                let mut next = {
                    let prefs = self.prefs.read().unwrap_or_else(|p| p.into_inner());
                    prefs.get(&user).cloned().unwrap_or_default()
                };
                if let Some(v) = args.get("language") {
                    let lang = v.as_str().filter(|l| LANGUAGES.contains(l)).ok_or_else(|| {
                        ServiceError::InvalidRequest(format!("language: one of {}", LANGUAGES.join(", ")))
                    })?;
                    next.language = lang.to_string();
                }
                if args.contains_key("digest_hour") {
                    let hour = uint(args, "digest_hour", None)?;
                    if hour > 23 {
                        return Err(ServiceError::InvalidRequest("digest_hour: 0 to 23".into()));
                    }
                    next.digest_hour = hour as u8;
                }
                if let Some(v) = args.get("summaries") {
                    next.summaries = v
                        .as_bool()
                        .ok_or_else(|| ServiceError::InvalidRequest("summaries: must be a boolean".into()))?;
                }
                let mut prefs = self.prefs.write().unwrap_or_else(|p| p.into_inner());
                if prefs.len() >= MAX_USERS && !prefs.contains_key(&user) {
                    return Err(ServiceError::Failed(format!(
                        "preference store is full ({MAX_USERS} users)"
                    )));
                }
                prefs.insert(user, next.clone());
                Ok(next.to_json(user))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn preferences_default_update_and_validate() {
        let svc = UserService::default();
        let p = svc.call("get_preferences", &json!({"user_id": 5})).await.unwrap();
        assert_eq!(p["language"], "en");
        let p = svc
            .call("set_preferences", &json!({"user_id": 5, "language": "fa", "digest_hour": 21}))
            .await
            .unwrap();
        assert_eq!((p["language"].as_str(), p["digest_hour"].as_u64()), (Some("fa"), Some(21)));
        let p = svc.call("get_preferences", &json!({"user_id": 5})).await.unwrap();
        assert_eq!(p["language"], "fa");
        for bad in [
            json!({"user_id": 5, "language": "xx"}),
            json!({"user_id": 5, "digest_hour": 24}),
            json!({"user_id": 5, "summaries": "yes"}),
        ] {
            assert!(svc.call("set_preferences", &bad).await.unwrap_err().is_caller_error(), "{bad}");
        }
        let p = svc.call("get_preferences", &json!({"user_id": 5})).await.unwrap();
        assert_eq!(p["digest_hour"], 21, "a rejected change changes nothing");
    }
}
