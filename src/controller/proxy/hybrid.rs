//! Hybrid mode: the decision engine picks router or REST per call from live
//! factors, caches the decision briefly, and fails over to the other path.

use std::sync::atomic::Ordering;
use std::time::Instant;

use serde_json::json;

use super::{CallError, CallOutcome, Payload, Proxy};
use crate::api::{CallPath, Decision, EventKind};
use crate::controller::decision::{self, FactorInputs, Lookup};
use crate::controller::events::EventSink;
use crate::controller::metrics::now_sec;
use crate::controller::registry::ServiceEntry;

/// The live factor inputs for a call of a method at `rate` calls/s with a payload of `size` bytes.
pub fn factor_inputs(entry: &ServiceEntry, rate: f64, size: u64) -> FactorInputs {
    let now = now_sec();
    let (router_calls, router_errors) = entry.metrics.router.live_counts(now);
    let (rest_calls, rest_errors) = entry.metrics.rest.live_counts(now);
    let calls = router_calls + rest_calls;
    let errors = router_errors + rest_errors;
    let health = entry.health();
    let rest_load = health.rest.load().unwrap_or(0.0);
    FactorInputs {
        health: health.router.score(),
        load: entry.concurrency_load().max(rest_load),
        request_size: size,
        is_local: entry.local.is_some(),
        method_frequency: rate,
        requires_isolation: entry.config.requires_isolation,
        network_latency_ms: health.rest.last.as_ref().filter(|c| c.ok).map(|c| c.latency_ms),
        recent_error_rate: if calls == 0 { 0.0 } else { errors as f64 / calls as f64 },
    }
}

/// Decides the path for one call, using the cache when it can.
fn choose(proxy: &Proxy, entry: &ServiceEntry, method: &str, size: u64, rate: f64) -> CallPath {
    let now = Instant::now();
    let previous = match entry.decisions.lookup(method, size, now) {
        Lookup::Hit(path) => return path,
        Lookup::Miss(previous) => previous,
    };
    let (path, factors) = decision::decide(&factor_inputs(entry, rate, size));
    if previous.is_some_and(|p| p != path) {
        proxy.events.emit(
            EventKind::PathChanged,
            Some(entry.name()),
            format!("{}.{method} {}", entry.name(), decision::explain(path, &factors)),
            json!({"method": method, "from": previous, "to": path, "factors": factors}),
        );
    }
    entry.decisions.insert(method, size, path, factors, now);
    path
}

/// A hybrid call: decide, call, fail over on error.
pub(super) async fn call(
    proxy: &Proxy,
    entry: &ServiceEntry,
    method: &str,
    payload: &Payload,
    rate: f64,
) -> Result<CallOutcome, CallError> {
    let mut primary = choose(proxy, entry, method, payload.size(), rate);
    if !entry.has_path(primary) && entry.has_path(primary.other()) {
        primary = primary.other();
    }
    let first = match proxy.call_path(entry, primary, method, payload).await {
        Ok((result, latency)) => return Ok(CallOutcome { result, path: primary, latency, failover: false }),
        Err(e) => e,
    };
    let fallback = primary.other();
    if !first.worth_failover() || !entry.has_path(fallback) {
        return Err(CallError::Path { service: entry.name().to_string(), error: first });
    }
    tracing::warn!(service = entry.name(), method, error = %first, "failover to {fallback}");
    match proxy.call_path(entry, fallback, method, payload).await {
        Ok((result, latency)) => {
            proxy.note_failover(entry, method, &first, fallback);
            Ok(CallOutcome { result, path: fallback, latency, failover: true })
        }
        Err(second) => {
            Err(CallError::BothFailed { service: entry.name().to_string(), primary: first, fallback: second })
        }
    }
}

/// What hybrid would choose now for the service's busiest method and last
/// payload size: the cached decision when there is one, else a fresh one.
pub fn view_decision(entry: &ServiceEntry) -> Decision {
    let now = now_sec();
    let busiest = entry.metrics.method_rates(now).into_iter().next();
    let (method, rate) = busiest.map(|m| (m.method, m.calls_per_s)).unwrap_or_default();
    let size = entry.metrics.last_request_size.load(Ordering::Relaxed);
    if let Some(cached) = entry.decisions.peek(&method, size, Instant::now()) {
        return cached.to_view(true);
    }
    let (path, factors) = decision::decide(&factor_inputs(entry, rate, size));
    Decision { path, cached: false, decided_at: crate::api::Timestamp::now(), factors }
}
