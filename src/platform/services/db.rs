//! `db_svc`: feeds and users, in memory.

use std::collections::HashMap;
use std::sync::RwLock;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, opt_string, string, uint};
use crate::platform::{Service, ServiceError, ServiceHealth};

/// Users the seeded database holds.
pub const SEEDED_USERS: u64 = 1000;
/// Feeds per seeded user.
pub const SEEDED_FEEDS_PER_USER: u64 = 5;
/// The most feeds one user may have.
pub const MAX_FEEDS_PER_USER: usize = 500;
/// The most feeds one `get_feeds` answers.
pub const MAX_LIMIT: u64 = 100;

#[derive(Debug, Clone)]
struct Feed {
    id: u64,
    url: String,
    title: String,
}

#[derive(Default)]
struct Tables {
    feeds: HashMap<u64, Vec<Feed>>,
    next_feed_id: u64,
}

/// The database service.
pub struct DbService {
    tables: RwLock<Tables>,
}

impl DbService {
    /// An empty database.
    pub fn empty() -> Self {
        Self { tables: RwLock::new(Tables { feeds: HashMap::new(), next_feed_id: 1 }) }
    }

    /// A database with deterministic users and feeds.
    pub fn seeded() -> Self {
        let db = Self::empty();
        {
            let mut t = db.tables.write().unwrap_or_else(|p| p.into_inner());
            for user in 1..=SEEDED_USERS {
                for n in 0..SEEDED_FEEDS_PER_USER {
                    let id = t.next_feed_id;
                    t.next_feed_id += 1;
                    t.feeds.entry(user).or_default().push(Feed {
                        id,
                        url: format!("https://news.example/{user}/feed{n}.xml"),
                        title: format!("Feed {n} of user {user}"),
                    });
                }
            }
        }
        db
    }

    fn get_feeds(&self, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        let user = uint(args, "user_id", None)?;
        let limit = uint(args, "limit", Some(10))?.min(MAX_LIMIT) as usize;
        let t = self.tables.read().unwrap_or_else(|p| p.into_inner());
        let feeds: Vec<Value> = t
            .feeds
            .get(&user)
            .map(|f| {
                f.iter().take(limit).map(|f| json!({"id": f.id, "url": f.url, "title": f.title})).collect()
            })
            .unwrap_or_default();
        Ok(json!({"user_id": user, "count": feeds.len(), "feeds": feeds}))
    }

    fn add_feed(&self, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        let user = uint(args, "user_id", None)?;
        let url = string(args, "url")?;
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 2048 {
            return Err(ServiceError::InvalidRequest(
                "url: must be an http(s) URL of at most 2048 bytes".into(),
            ));
        }
        let title = opt_string(args, "title")?.unwrap_or(url).chars().take(256).collect::<String>();
        let mut t = self.tables.write().unwrap_or_else(|p| p.into_inner());
        let id = t.next_feed_id;
        let feeds = t.feeds.entry(user).or_default();
        if let Some(existing) = feeds.iter().find(|f| f.url == url) {
            return Ok(json!({"id": existing.id, "created": false}));
        }
        if feeds.len() >= MAX_FEEDS_PER_USER {
            return Err(ServiceError::InvalidRequest(format!(
                "user {user} already has {MAX_FEEDS_PER_USER} feeds"
            )));
        }
        feeds.push(Feed { id, url: url.to_string(), title });
        t.next_feed_id += 1;
        Ok(json!({"id": id, "created": true}))
    }

    fn get_user(&self, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        let user = uint(args, "user_id", None)?;
        let t = self.tables.read().unwrap_or_else(|p| p.into_inner());
        match t.feeds.get(&user) {
            Some(feeds) => Ok(json!({"user_id": user, "feed_count": feeds.len()})),
            None => Err(ServiceError::InvalidRequest(format!("user_id: no user {user}"))),
        }
    }
}

#[async_trait]
impl Service for DbService {
    fn name(&self) -> &str {
        "db_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        match method {
            "get_feeds" => self.get_feeds(payload),
            "add_feed" => self.add_feed(payload),
            "get_user" => self.get_user(payload),
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }

    fn health(&self) -> ServiceHealth {
        ServiceHealth::ok(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn feeds_are_read_and_added() {
        let db = DbService::seeded();
        let r = db.call("get_feeds", &json!({"user_id": 7, "limit": 2})).await.unwrap();
        assert_eq!(r["count"], 2);
        assert_eq!(r["feeds"][0]["title"], "Feed 0 of user 7");
        let added =
            db.call("add_feed", &json!({"user_id": 7, "url": "https://x.example/rss"})).await.unwrap();
        assert_eq!(added["created"], true);
        let again =
            db.call("add_feed", &json!({"user_id": 7, "url": "https://x.example/rss"})).await.unwrap();
        assert_eq!(again["created"], false);
        let user = db.call("get_user", &json!({"user_id": 7})).await.unwrap();
        assert_eq!(user["feed_count"], 6);
    }

    #[tokio::test]
    async fn bad_arguments_are_caller_errors() {
        let db = DbService::seeded();
        for (method, payload) in [
            ("get_feeds", json!({})),
            ("get_feeds", json!({"user_id": "7"})),
            ("get_feeds", json!([1])),
            ("add_feed", json!({"user_id": 1, "url": "ftp://x"})),
            ("get_user", json!({"user_id": 999_999})),
        ] {
            let err = db.call(method, &payload).await.unwrap_err();
            assert!(err.is_caller_error(), "{method} {payload}: {err}");
        }
        assert_eq!(
            db.call("drop_tables", &Value::Null).await.unwrap_err(),
            ServiceError::UnknownMethod("drop_tables".into())
        );
    }
}
