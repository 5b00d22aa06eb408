//! The health monitor: checks every side of every service each interval and
//! announces every status transition.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::task::JoinSet;

use super::Controller;
use super::events::EventSink;
use super::health::Check;
use super::registry::ServiceEntry;
use crate::api::{CallPath, EventKind};

/// The longest a single health check may take.
pub const MAX_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

pub(super) async fn run(controller: Controller) {
    let interval = controller.inner.config.defaults.health_interval;
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutdown = controller.inner.shutdown.clone();
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        check_all(&controller, interval.min(MAX_CHECK_TIMEOUT)).await;
    }
}

/// Checks every service once, concurrently.
pub(super) async fn check_all(controller: &Controller, timeout: Duration) {
    let mut checks = JoinSet::new();
    for entry in controller.inner.registry.all() {
        let entry: Arc<ServiceEntry> = entry.clone();
        let controller = controller.clone();
        checks.spawn(async move { check_service(&controller, &entry, timeout).await });
    }
    while checks.join_next().await.is_some() {}
}

async fn check_service(controller: &Controller, entry: &ServiceEntry, timeout: Duration) {
    if let Some(local) = &entry.local {
        let start = Instant::now();
        let h = local.health();
        let check = Check {
            ok: h.ok,
            latency_ms: start.elapsed().as_secs_f64() * 1000.0,
            load: Some(h.load),
            rss_mb: None,
            error: h.detail,
        };
        record(controller, entry, CallPath::Router, check);
    }
    if let Some(url) = &entry.config.rest_url {
        let check = match controller.inner.proxy.rest_client().health(url, timeout).await {
            Ok(h) => {
                Check { ok: h.ok, latency_ms: h.latency_ms, load: h.load, rss_mb: h.rss_mb, error: h.detail }
            }
            Err(e) => Check {
                ok: false,
                latency_ms: timeout.as_secs_f64() * 1000.0,
                load: None,
                rss_mb: None,
                error: Some(e),
            },
        };
        record(controller, entry, CallPath::Rest, check);
    }
}

fn record(controller: &Controller, entry: &ServiceEntry, side: CallPath, check: Check) {
    let error = check.error.clone();
    let (change, score) = {
        let mut health = entry.health();
        let side_health = match side {
            CallPath::Router => &mut health.router,
            CallPath::Rest => &mut health.rest,
        };
        let change = side_health.record(check);
        (change, side_health.score())
    };
    let Some((before, after)) = change else { return };
    entry.decisions.invalidate();
    let side_name = match side {
        CallPath::Router => "in-process",
        CallPath::Rest => "REST",
    };
    let mut message = format!("{} {side_name} side: {} -> {}", entry.name(), before.as_str(), after.as_str());
    if let Some(e) = &error {
        message.push_str(&format!(" ({e})"));
    }
    controller.inner.events.emit(
        EventKind::HealthChanged,
        Some(entry.name()),
        message,
        json!({"side": side, "from": before, "to": after, "score": score, "error": error}),
    );
}
