//! Realistic payloads for each platform method, in three size classes
//! (about 100 B, 10 KB and 1 MB), the seed's benchmark cases.

use serde_json::{Value, json};

use crate::controller::proxy::Payload;

/// A payload size class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SizeClass {
    /// About 100 bytes.
    Small,
    /// About 10 KB.
    Medium,
    /// 1 MiB, just past hybrid's size threshold (the seed's "1MB", which it expects to go REST).
    Large,
}

impl SizeClass {
    /// Every class, smallest first.
    pub const ALL: [SizeClass; 3] = [Self::Small, Self::Medium, Self::Large];

    /// The size the class aims at, bytes.
    pub fn target_bytes(self) -> usize {
        match self {
            Self::Small => 100,
            Self::Medium => 10_000,
            Self::Large => 1_048_576,
        }
    }

    /// The seed's name for the case.
    pub fn case_name(self) -> &'static str {
        match self {
            Self::Small => "small_request",
            Self::Medium => "medium_request",
            Self::Large => "large_request",
        }
    }
}

const WORDS: &[&str] = &[
    "feed", "router", "service", "latency", "telegram", "channel", "summary", "update", "release", "rust",
    "network", "health", "payment", "user", "digest", "article", "breaking", "market", "science", "weather",
];

/// Deterministic prose of about `bytes` bytes.
pub fn prose(bytes: usize, seed: u64) -> String {
    let mut out = String::with_capacity(bytes + 64);
    let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut in_sentence = 0;
    while out.len() < bytes {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let word = WORDS[(state >> 33) as usize % WORDS.len()];
        if in_sentence == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
        in_sentence += 1;
        if in_sentence > 6 + (state >> 60) as usize {
            out.push_str(". ");
            in_sentence = 0;
        } else {
            out.push(' ');
        }
    }
    out.truncate(bytes);
    out
}

fn args(service: &str, method: &str, class: SizeClass, seed: u64) -> Value {
    let user = 1 + seed % 1000;
    match (service, method) {
        ("db_svc", "get_feeds") => json!({"user_id": user, "limit": 10}),
        ("db_svc", "get_user") => json!({"user_id": user}),
        ("db_svc", "add_feed") => {
            json!({"user_id": user, "url": format!("https://feeds.example/{seed}.xml"), "title": "Example feed"})
        }
        ("ai_svc", _) => json!({"text": prose(class.target_bytes(), seed), "max_length": 200}),
        ("bot_svc", "broadcast") => {
            let chats: Vec<u64> = (0..10).map(|i| 10_000 + (seed * 10 + i) % 100_000).collect();
            json!({"chat_ids": chats, "text": "Your daily digest is ready"})
        }
        ("bot_svc", _) => json!({"chat_id": 10_000 + seed % 100_000, "text": "New article in your feed"}),
        ("payment_svc", _) => {
            let plan = ["basic", "pro", "team"][(seed % 3) as usize];
            json!({"user_id": user, "plan": plan})
        }
        ("formatting_svc", _) => json!({
            "title": "Release <v2> & notes",
            "summary": "Switchboard routes calls per service.",
            "link": format!("https://news.example/{seed}"),
            "source": "News"
        }),
        ("user_svc", "set_preferences") => {
            json!({"user_id": user, "language": "en", "digest_hour": seed % 24})
        }
        ("user_svc", _) => json!({"user_id": user}),
        ("channel_mgr_svc", "add_channel") => {
            json!({"user_id": user, "channel": format!("@channel_{:05}", seed % 1000)})
        }
        ("channel_mgr_svc", _) => json!({"user_id": user}),
        ("miniapp_svc", _) => json!({"user_id": user, "cards": 10}),
        _ => json!({}),
    }
}

/// A payload for `service.method` of about the class's size.
pub fn build(service: &str, method: &str, class: SizeClass, seed: u64) -> Payload {
    let mut value = args(service, method, class, seed);
    let size = value.to_string().len();
    let target = class.target_bytes();
    if size + 16 < target
        && let Value::Object(map) = &mut value
    {
        // At least the target: the large class must reach 1 MiB.
        map.insert("padding".into(), Value::String("x".repeat(target - size)));
    }
    Payload::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_their_class() {
        for class in SizeClass::ALL {
            for (service, method) in
                [("db_svc", "get_feeds"), ("ai_svc", "summarize"), ("bot_svc", "send_message")]
            {
                let size = build(service, method, class, 7).size() as f64;
                let target = class.target_bytes() as f64;
                assert!(size >= target * 0.9 && size <= target * 1.3, "{service}.{method} {class:?}: {size}");
            }
        }
    }

    #[test]
    fn prose_is_deterministic_text() {
        assert_eq!(prose(500, 3), prose(500, 3));
        assert_ne!(prose(500, 3), prose(500, 4));
        assert!(prose(500, 3).contains(". "));
    }
}
