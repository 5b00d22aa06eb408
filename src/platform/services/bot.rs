//! `bot_svc`: queues Telegram messages into a bounded outbox, with a
//! per-chat token-bucket rate limit (Telegram allows about one message a
//! second per chat).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, string};
use crate::platform::{Service, ServiceError};

/// Messages kept in the outbox; the oldest are dropped beyond this.
pub const OUTBOX_CAPACITY: usize = 10_000;
/// Sustained messages per second per chat.
pub const PER_CHAT_RATE: f64 = 1.0;
/// Burst per chat.
pub const PER_CHAT_BURST: f64 = 5.0;
/// Chats tracked by the rate limiter before idle ones are forgotten.
pub const MAX_TRACKED_CHATS: usize = 50_000;
/// The longest message Telegram takes.
pub const MAX_TEXT_CHARS: usize = 4096;
/// The most chats one broadcast reaches.
pub const MAX_BROADCAST: usize = 1000;

struct Bucket {
    tokens: f64,
    refilled: Instant,
}

#[derive(Default)]
struct Outbox {
    messages: VecDeque<(i64, String)>,
    buckets: HashMap<i64, Bucket>,
    queued: u64,
    limited: u64,
    dropped: u64,
}

impl Outbox {
    fn admit(&mut self, chat: i64, now: Instant) -> Result<(), f64> {
        if self.buckets.len() >= MAX_TRACKED_CHATS && !self.buckets.contains_key(&chat) {
            self.buckets
                .retain(|_, b| now.duration_since(b.refilled).as_secs_f64() < PER_CHAT_BURST / PER_CHAT_RATE);
        }
        let bucket = self.buckets.entry(chat).or_insert(Bucket { tokens: PER_CHAT_BURST, refilled: now });
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * PER_CHAT_RATE).min(PER_CHAT_BURST);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - bucket.tokens) / PER_CHAT_RATE)
        }
    }

    fn push(&mut self, chat: i64, text: &str) {
        if self.messages.len() >= OUTBOX_CAPACITY {
            self.messages.pop_front();
            self.dropped += 1;
        }
        self.messages.push_back((chat, text.to_string()));
        self.queued += 1;
    }
}

/// The bot service.
#[derive(Default)]
pub struct BotService {
    outbox: Mutex<Outbox>,
}

fn chat_id(value: Option<&Value>, name: &str) -> Result<i64, ServiceError> {
    value
        .and_then(Value::as_i64)
        .ok_or_else(|| ServiceError::InvalidRequest(format!("{name}: must be an integer chat id")))
}

fn text(args: &serde_json::Map<String, Value>) -> Result<&str, ServiceError> {
    let text = string(args, "text")?;
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceError::InvalidRequest(format!("text: 1 to {MAX_TEXT_CHARS} characters")));
    }
    Ok(text)
}

impl BotService {
    fn lock(&self) -> std::sync::MutexGuard<'_, Outbox> {
        self.outbox.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Service for BotService {
    fn name(&self) -> &str {
        "bot_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        let now = Instant::now();
        match method {
            "send_message" => {
                let chat = chat_id(args.get("chat_id"), "chat_id")?;
                let text = text(args)?;
                let mut outbox = self.lock();
                match outbox.admit(chat, now) {
                    Ok(()) => {
                        outbox.push(chat, text);
                        Ok(json!({"queued": true, "chat_id": chat, "outbox": outbox.messages.len()}))
                    }
                    Err(retry_after) => {
                        outbox.limited += 1;
                        Ok(
                            json!({"queued": false, "chat_id": chat, "retry_after_s": (retry_after * 1000.0).round() / 1000.0}),
                        )
                    }
                }
            }
            "broadcast" => {
                let chats = args.get("chat_ids").and_then(Value::as_array).ok_or_else(|| {
                    ServiceError::InvalidRequest("chat_ids: must be an array of chat ids".into())
                })?;
                if chats.len() > MAX_BROADCAST {
                    return Err(ServiceError::InvalidRequest(format!("chat_ids: at most {MAX_BROADCAST}")));
                }
                let ids =
                    chats.iter().map(|c| chat_id(Some(c), "chat_ids")).collect::<Result<Vec<_>, _>>()?;
                let text = text(args)?;
                let mut outbox = self.lock();
                let (mut queued, mut limited) = (0, 0);
                for chat in ids {
                    if outbox.admit(chat, now).is_ok() {
                        outbox.push(chat, text);
                        queued += 1;
                    } else {
                        outbox.limited += 1;
                        limited += 1;
                    }
                }
                Ok(json!({"queued": queued, "rate_limited": limited}))
            }
            "outbox_stats" => {
                let outbox = self.lock();
                Ok(json!({
                    "outbox": outbox.messages.len(),
                    "queued_total": outbox.queued,
                    "rate_limited_total": outbox.limited,
                    "dropped_total": outbox.dropped,
                }))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn rate_limits_per_chat() {
        let bot = BotService::default();
        let mut queued = 0;
        for _ in 0..10 {
            let r = bot.call("send_message", &json!({"chat_id": 42, "text": "hi"})).await.unwrap();
            queued += usize::from(r["queued"] == true);
        }
        assert_eq!(queued, PER_CHAT_BURST as usize);
        let other = bot.call("send_message", &json!({"chat_id": 43, "text": "hi"})).await.unwrap();
        assert_eq!(other["queued"], true);
        let stats = bot.call("outbox_stats", &Value::Null).await.unwrap();
        assert_eq!(stats["rate_limited_total"], 5);
    }

    #[tokio::test]
    async fn outbox_is_bounded() {
        let bot = BotService::default();
        for chat in 0..(OUTBOX_CAPACITY as i64 + 10) {
            bot.call("send_message", &json!({"chat_id": chat, "text": "x"})).await.unwrap();
        }
        let stats = bot.call("outbox_stats", &Value::Null).await.unwrap();
        assert_eq!(stats["outbox"], OUTBOX_CAPACITY);
        assert_eq!(stats["dropped_total"], 10);
    }

    #[tokio::test]
    async fn broadcast_and_validation() {
        let bot = BotService::default();
        let r = bot.call("broadcast", &json!({"chat_ids": [1, 2, 3], "text": "news"})).await.unwrap();
        assert_eq!(r["queued"], 3);
        for bad in
            [json!({"chat_id": "x", "text": "a"}), json!({"chat_id": 1, "text": ""}), json!({"chat_id": 1})]
        {
            assert!(bot.call("send_message", &bad).await.unwrap_err().is_caller_error(), "{bad}");
        }
    }
}
