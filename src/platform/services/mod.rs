//! The RssBot services, each a real (small) implementation of [`Service`].

mod ai;
mod bot;
mod channel_mgr;
mod db;
pub mod formatting;
mod miniapp;
mod payment;
mod user;

use std::collections::HashMap;
use std::sync::Arc;

pub use ai::{AiService, summarize};
pub use bot::BotService;
pub use channel_mgr::ChannelManagerService;
pub use db::DbService;
pub use formatting::FormattingService;
pub use miniapp::MiniAppService;
pub use payment::{PaymentService, checkout_id};
pub use user::UserService;

use super::Service;

/// The names of the RssBot services, in the platform's order.
pub const NAMES: [&str; 8] = [
    "db_svc",
    "ai_svc",
    "bot_svc",
    "payment_svc",
    "formatting_svc",
    "user_svc",
    "channel_mgr_svc",
    "miniapp_svc",
];

/// A fresh implementation of one service, if there is one.
pub fn by_name(name: &str) -> Option<Arc<dyn Service>> {
    let service: Arc<dyn Service> = match name {
        "db_svc" => Arc::new(DbService::seeded()),
        "ai_svc" => Arc::new(AiService),
        "bot_svc" => Arc::new(BotService::default()),
        "payment_svc" => Arc::new(PaymentService::default()),
        "formatting_svc" => Arc::new(FormattingService),
        "user_svc" => Arc::new(UserService::default()),
        "channel_mgr_svc" => Arc::new(ChannelManagerService::default()),
        "miniapp_svc" => Arc::new(MiniAppService),
        _ => return None,
    };
    Some(service)
}

/// Every service with an in-process implementation, by name.
pub fn builtin() -> HashMap<String, Arc<dyn Service>> {
    NAMES.iter().filter_map(|n| by_name(n).map(|s| (n.to_string(), s))).collect()
}
