//! The one interface a platform service implements.

use async_trait::async_trait;
use serde_json::Value;

/// A service's own view of its health.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceHealth {
    /// Whether it can serve calls.
    pub ok: bool,
    /// How busy it is, 0.0–1.0.
    pub load: f64,
    /// Why it is not ok, when it is not.
    pub detail: Option<String>,
}

impl ServiceHealth {
    /// Healthy at the given load.
    pub fn ok(load: f64) -> Self {
        Self { ok: true, load, detail: None }
    }

    /// Unhealthy, with the reason.
    pub fn failing(detail: impl Into<String>) -> Self {
        Self { ok: false, load: 0.0, detail: Some(detail.into()) }
    }
}

/// Why a service refused or failed a call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServiceError {
    /// The service has no such method. The caller's mistake: no failover.
    #[error("unknown method '{0}'")]
    UnknownMethod(String),
    /// The payload does not fit the method. The caller's mistake: no failover.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The service failed. Hybrid fails over on this.
    #[error("{0}")]
    Failed(String),
}

impl ServiceError {
    /// True when the caller sent something wrong, so another path would fail too.
    pub fn is_caller_error(&self) -> bool {
        matches!(self, Self::UnknownMethod(_) | Self::InvalidRequest(_))
    }
}

/// A platform service: one implementation, served in-process and over HTTP.
#[async_trait]
pub trait Service: Send + Sync + 'static {
    /// The service's name, e.g. `db_svc`.
    fn name(&self) -> &str;

    /// Calls a method with a JSON payload. The payload is borrowed: the
    /// router path never copies or serializes it.
    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError>;

    /// Reports health. Cheap; called by the health monitor every interval.
    fn health(&self) -> ServiceHealth {
        ServiceHealth::ok(0.0)
    }
}
