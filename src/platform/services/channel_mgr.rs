//! `channel_mgr_svc`: the Telegram channels each user publishes to.

use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, string, uint};
use crate::platform::{Service, ServiceError};

/// Channels per user.
pub const MAX_CHANNELS_PER_USER: usize = 50;
/// Users tracked.
pub const MAX_USERS: usize = 100_000;

/// `@name`, 5 to 32 letters, digits or underscores, as Telegram requires.
pub fn valid_channel(name: &str) -> bool {
    name.strip_prefix('@').is_some_and(|n| {
        (5..=32).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The channel manager.
#[derive(Default)]
pub struct ChannelManagerService {
    channels: RwLock<HashMap<u64, BTreeSet<String>>>,
}

#[async_trait]
impl Service for ChannelManagerService {
    fn name(&self) -> &str {
        "channel_mgr_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        let user = uint(args, "user_id", None)?;
        match method {
            "list_channels" => {
                let all = self.channels.read().unwrap_or_else(|p| p.into_inner());
                let list: Vec<&String> = all.get(&user).map(|s| s.iter().collect()).unwrap_or_default();
                Ok(json!({"user_id": user, "channels": list}))
            }
            "add_channel" | "remove_channel" => {
                let channel = string(args, "channel")?;
                if !valid_channel(channel) {
                    return Err(ServiceError::InvalidRequest(
                        "channel: @ followed by 5 to 32 letters, digits or underscores".into(),
                    ));
                }
                let mut all = self.channels.write().unwrap_or_else(|p| p.into_inner());
                if method == "remove_channel" {
                    let removed = all.get_mut(&user).is_some_and(|s| s.remove(channel));
                    return Ok(json!({"removed": removed}));
                }
                if all.len() >= MAX_USERS && !all.contains_key(&user) {
                    return Err(ServiceError::Failed(format!("channel store is full ({MAX_USERS} users)")));
                }
                let set = all.entry(user).or_default();
                if set.len() >= MAX_CHANNELS_PER_USER && !set.contains(channel) {
                    return Err(ServiceError::InvalidRequest(format!(
                        "at most {MAX_CHANNELS_PER_USER} channels per user"
                    )));
                }
                let added = set.insert(channel.to_string());
                Ok(json!({"added": added, "count": set.len()}))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn add_list_remove() {
        let svc = ChannelManagerService::default();
        let r = svc.call("add_channel", &json!({"user_id": 1, "channel": "@rust_news"})).await.unwrap();
        assert_eq!(r["added"], true);
        let r = svc.call("add_channel", &json!({"user_id": 1, "channel": "@rust_news"})).await.unwrap();
        assert_eq!(r["added"], false);
        let r = svc.call("list_channels", &json!({"user_id": 1})).await.unwrap();
        assert_eq!(r["channels"], json!(["@rust_news"]));
        let r = svc.call("remove_channel", &json!({"user_id": 1, "channel": "@rust_news"})).await.unwrap();
        assert_eq!(r["removed"], true);
        for bad in ["rust_news", "@abc", "@has space", "@<script>"] {
            let err = svc.call("add_channel", &json!({"user_id": 1, "channel": bad})).await.unwrap_err();
            assert!(err.is_caller_error(), "{bad}");
        }
    }
}
