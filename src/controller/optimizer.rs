//! The optimizer: the seed's two rules over measured traffic, served at
//! `GET /suggestions` and announced as events when advice appears or changes.
//!
//! - over 50 calls/s with an average over 10 ms and not router → `switch_to_router`;
//! - under 5 calls/s with over 500 MB of memory and not rest → `switch_to_rest`.

use std::time::Duration;

use serde_json::json;

use super::Controller;
use super::events::EventSink;
use super::metrics::now_sec;
use super::registry::ServiceEntry;
use crate::api::{ConnectionMethod, EventKind, Suggestion};

/// How often the optimizer looks.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// What the rules look at, for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// The configured method.
    pub current_method: ConnectionMethod,
    /// Calls per second over the last 10 s.
    pub calls_per_second: f64,
    /// Mean latency over the last 10 s, ms.
    pub avg_response_time_ms: Option<f64>,
    /// Resident memory of the service's process (REST side), MiB.
    pub memory_usage_mb: Option<f64>,
    /// An in-process implementation exists.
    pub has_router: bool,
    /// A REST side exists.
    pub has_rest: bool,
}

/// The seed's rules.
pub fn advise(service: &str, p: &Pattern) -> Option<Suggestion> {
    let make = |suggestion: &str, reason: &str, improvement: &str| Suggestion {
        service: service.to_string(),
        suggestion: suggestion.to_string(),
        reason: reason.to_string(),
        potential_improvement: improvement.to_string(),
    };
    if p.current_method == ConnectionMethod::Disabled {
        return None;
    }
    if p.calls_per_second > 50.0
        && p.avg_response_time_ms.is_some_and(|ms| ms > 10.0)
        && p.current_method != ConnectionMethod::Router
        && p.has_router
    {
        return Some(make(
            "switch_to_router",
            "High frequency calls need router performance",
            "80% latency reduction",
        ));
    }
    if p.calls_per_second < 5.0
        && p.memory_usage_mb.is_some_and(|mb| mb > 500.0)
        && p.current_method != ConnectionMethod::Rest
        && p.has_rest
    {
        return Some(make(
            "switch_to_rest",
            "Resource isolation would improve overall stability",
            "Better resource management",
        ));
    }
    None
}

/// The pattern of one service now.
pub fn pattern(entry: &ServiceEntry) -> Pattern {
    let now = now_sec();
    let (router, router_mean) = entry.metrics.router.live(now);
    let (rest, rest_mean) = entry.metrics.rest.live(now);
    let calls = router.count + rest.count;
    let avg = match (router_mean, rest_mean) {
        (None, None) => None,
        _ if calls == 0 => None,
        (a, b) => Some(
            (a.unwrap_or(0.0) * router.count as f64 + b.unwrap_or(0.0) * rest.count as f64) / calls as f64,
        ),
    };
    let memory = entry.health().rest.last.as_ref().and_then(|c| c.rss_mb);
    Pattern {
        current_method: entry.mode().method,
        calls_per_second: calls as f64 / entry.metrics.window_seconds(now),
        avg_response_time_ms: avg,
        memory_usage_mb: memory,
        has_router: entry.local.is_some(),
        has_rest: entry.config.rest_url.is_some(),
    }
}

pub(super) async fn run(controller: Controller) {
    let mut ticker = tokio::time::interval(INTERVAL);
    let mut shutdown = controller.inner.shutdown.clone();
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = shutdown.wait_for(|s| *s) => return,
        }
        for entry in controller.inner.registry.all() {
            let advice = advise(entry.name(), &pattern(entry));
            let changed = {
                let mut current = entry.suggestion.lock().unwrap_or_else(|p| p.into_inner());
                let changed = *current != advice;
                *current = advice.clone();
                changed
            };
            if let (true, Some(s)) = (changed, advice) {
                controller.inner.events.emit(
                    EventKind::Suggestion,
                    Some(entry.name()),
                    format!("{}: {} ({})", s.service, s.suggestion, s.reason),
                    json!({"suggestion": s.suggestion, "reason": s.reason, "potential_improvement": s.potential_improvement}),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(method: ConnectionMethod, cps: f64, avg: f64, mem: f64) -> Pattern {
        Pattern {
            current_method: method,
            calls_per_second: cps,
            avg_response_time_ms: Some(avg),
            memory_usage_mb: Some(mem),
            has_router: true,
            has_rest: true,
        }
    }

    #[test]
    fn the_seed_rules() {
        let busy_slow = pattern(ConnectionMethod::Rest, 80.0, 15.0, 10.0);
        assert_eq!(advise("a", &busy_slow).unwrap().suggestion, "switch_to_router");
        let on_router = pattern(ConnectionMethod::Router, 80.0, 15.0, 10.0);
        assert_eq!(advise("a", &on_router), None);
        let idle_heavy = pattern(ConnectionMethod::Hybrid, 1.0, 1.0, 900.0);
        assert_eq!(advise("a", &idle_heavy).unwrap().suggestion, "switch_to_rest");
        let idle_light = pattern(ConnectionMethod::Hybrid, 1.0, 1.0, 100.0);
        assert_eq!(advise("a", &idle_light), None);
        let busy_fast = pattern(ConnectionMethod::Rest, 80.0, 2.0, 10.0);
        assert_eq!(advise("a", &busy_fast), None);
    }
}
