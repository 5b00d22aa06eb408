//! The RssBot services, each a real (small) implementation of [`Service`].

mod db;
mod formatting;

use std::collections::HashMap;
use std::sync::Arc;

pub use db::DbService;
pub use formatting::FormattingService;

use super::Service;

/// Every service with an in-process implementation, by name.
pub fn builtin() -> HashMap<String, Arc<dyn Service>> {
    let services: Vec<Arc<dyn Service>> = vec![Arc::new(DbService::seeded()), Arc::new(FormattingService)];
    services.into_iter().map(|s| (s.name().to_string(), s)).collect()
}

/// The implementation of one service, if there is one.
pub fn by_name(name: &str) -> Option<Arc<dyn Service>> {
    builtin().remove(name)
}
