//! The data plane: one call to one service, through the path its mode says.
//! One module per mode; this one holds what they share.

mod disabled;
pub use disabled::SUGGESTED_ACTION;
mod error;
mod hybrid;
mod payload;
mod rest;
mod router;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

pub use error::{CallError, PathError, PathErrorKind};
pub use hybrid::{factor_inputs, view_decision};
pub use payload::{CallResult, Payload};
pub use rest::{RestClient, RestHealth};

use crate::api::{CallPath, ConnectionMethod, EventKind};

use super::events::{EventLog, EventSink};
use super::metrics::now_sec;
use super::registry::{Registry, ServiceEntry};

/// How often at most a failover or call_failed event is emitted per service;
/// the events in between are counted in the next one's `suppressed`.
pub const EVENT_INTERVAL: Duration = Duration::from_secs(1);
/// Refusals of a disabled service are expected; one event per this interval is enough.
pub const REFUSAL_EVENT_INTERVAL: Duration = Duration::from_secs(30);

/// A served call.
#[derive(Debug)]
pub struct CallOutcome {
    /// What the service answered.
    pub result: CallResult,
    /// The path that served it.
    pub path: CallPath,
    /// Time on the serving path.
    pub latency: Duration,
    /// Whether the first path failed and the other one served it.
    pub failover: bool,
}

/// Routes calls to services by their connection method.
#[derive(Clone)]
pub struct Proxy {
    registry: Arc<Registry>,
    rest: RestClient,
    events: Arc<EventLog>,
}

/// Method names travel in URLs: letters, digits, `_`, `-` and `.`, at most 128.
pub fn valid_method_name(method: &str) -> bool {
    !method.is_empty()
        && method.len() <= 128
        && !method.starts_with('.')
        && method.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Proxy {
    /// A proxy over the registry's services.
    pub fn new(registry: Arc<Registry>, rest: RestClient, events: Arc<EventLog>) -> Self {
        Self { registry, rest, events }
    }

    /// The REST client (shared with the health monitor).
    pub fn rest_client(&self) -> &RestClient {
        &self.rest
    }

    /// Calls `method` on `service` through the path its mode says.
    pub async fn call(
        &self,
        service: &str,
        method: &str,
        payload: &Payload,
    ) -> Result<CallOutcome, CallError> {
        let Some(entry) = self.registry.get(service) else {
            return Err(CallError::UnknownService {
                service: service.to_string(),
                available: self.registry.names(),
            });
        };
        if !valid_method_name(method) {
            return Err(CallError::InvalidMethod { method: method.to_string() });
        }
        let rate = entry.metrics.count_method(method, now_sec());
        entry.metrics.last_request_size.store(payload.size(), std::sync::atomic::Ordering::Relaxed);
        let mode = entry.mode();
        let result = match mode.method {
            ConnectionMethod::Router => self.single(entry, CallPath::Router, method, payload).await,
            ConnectionMethod::Rest => self.single(entry, CallPath::Rest, method, payload).await,
            ConnectionMethod::Hybrid => hybrid::call(self, entry, method, payload, rate).await,
            ConnectionMethod::Disabled => Err(disabled::refuse(entry, &mode)),
        };
        if let Err(error) = &result {
            self.note_failure(entry, method, error);
        }
        result
    }

    /// A call on one fixed path: router and rest modes.
    async fn single(
        &self,
        entry: &ServiceEntry,
        path: CallPath,
        method: &str,
        payload: &Payload,
    ) -> Result<CallOutcome, CallError> {
        let (result, latency) = self
            .call_path(entry, path, method, payload)
            .await
            .map_err(|error| CallError::Path { service: entry.name().to_string(), error })?;
        Ok(CallOutcome { result, path, latency, failover: false })
    }

    /// One attempt on one path, measured and recorded.
    pub(crate) async fn call_path(
        &self,
        entry: &ServiceEntry,
        path: CallPath,
        method: &str,
        payload: &Payload,
    ) -> Result<(CallResult, Duration), PathError> {
        let _in_flight = entry.enter();
        let start = Instant::now();
        let result = match path {
            CallPath::Router => router::call(entry, method, payload).await.map(CallResult::Value),
            CallPath::Rest => match &entry.config.rest_url {
                Some(base) => self.rest.call(base, method, payload).await.map(CallResult::Raw),
                None => Err(PathError::missing(CallPath::Rest, "no rest_url is configured")),
            },
        };
        let latency = start.elapsed();
        if !matches!(&result, Err(e) if e.kind == PathErrorKind::Missing) {
            entry.metrics.path(path).record(latency, result.is_ok());
        }
        result.map(|r| (r, latency))
    }

    /// Emits a (rate-limited) `call_failed` event for failures that are not the caller's.
    fn note_failure(&self, entry: &ServiceEntry, method: &str, error: &CallError) {
        if error.is_caller_error() {
            return;
        }
        if matches!(error, CallError::Disabled { .. }) {
            entry.metrics.note_refused(now_sec());
        }
        let admitted = entry
            .failure_gate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .admit(Instant::now(), EVENT_INTERVAL);
        if let Some(suppressed) = admitted {
            self.events.emit(
                EventKind::CallFailed,
                Some(entry.name()),
                format!("{}.{method}: {error}", entry.name()),
                json!({"method": method, "code": error.code(), "suppressed": suppressed}),
            );
        }
    }

    /// Records a failover: counted always, an event at most once per interval.
    fn note_failover(&self, entry: &ServiceEntry, method: &str, failed: &PathError, served_by: CallPath) {
        entry.metrics.failovers.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let admitted = entry
            .failover_gate
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .admit(Instant::now(), EVENT_INTERVAL);
        if let Some(suppressed) = admitted {
            self.events.emit(
                EventKind::Failover,
                Some(entry.name()),
                format!("{} failed ({}), served by {served_by}", failed.path, failed.message),
                json!({"method": method, "from": failed.path, "to": served_by, "cause": failed.message, "suppressed": suppressed}),
            );
        }
    }
}
