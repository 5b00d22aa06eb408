//! Injected faults: added latency and an error rate, around any service, so
//! that an operator can watch failover happen. Also counts calls in flight,
//! which the service reports as its load.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Service, ServiceError, ServiceHealth};

/// In-flight calls that count as full load.
pub const CAPACITY: u32 = 64;
/// The longest latency that can be injected, ms.
pub const MAX_LATENCY_MS: u64 = 60_000;

/// The faults in force on one side of a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultSettings {
    /// Added to every call, ms.
    #[serde(default)]
    pub latency_ms: u64,
    /// Share of calls that fail, 0–1.
    #[serde(default)]
    pub error_rate: f64,
}

impl FaultSettings {
    /// Checks ranges.
    pub fn validate(&self) -> Result<(), String> {
        if self.latency_ms > MAX_LATENCY_MS {
            return Err(format!("ms: at most {MAX_LATENCY_MS}"));
        }
        if !(0.0..=1.0).contains(&self.error_rate) || !self.error_rate.is_finite() {
            return Err("rate: a number from 0 to 1".into());
        }
        Ok(())
    }
}

/// Shared, lock-free fault state.
#[derive(Debug, Default)]
pub struct FaultState {
    latency_ms: AtomicU64,
    error_ppm: AtomicU32,
    in_flight: AtomicU32,
}

impl FaultState {
    /// Replaces the settings.
    pub fn set(&self, settings: FaultSettings) {
        self.latency_ms.store(settings.latency_ms.min(MAX_LATENCY_MS), Ordering::Relaxed);
        self.error_ppm.store((settings.error_rate.clamp(0.0, 1.0) * 1e6) as u32, Ordering::Relaxed);
    }

    /// The settings in force.
    pub fn get(&self) -> FaultSettings {
        FaultSettings {
            latency_ms: self.latency_ms.load(Ordering::Relaxed),
            error_rate: f64::from(self.error_ppm.load(Ordering::Relaxed)) / 1e6,
        }
    }

    /// Calls in flight over capacity, 0–1.
    pub fn load(&self) -> f64 {
        (f64::from(self.in_flight.load(Ordering::Relaxed)) / f64::from(CAPACITY)).min(1.0)
    }
}

/// A service with faults injected around it.
pub struct Faulty {
    inner: Arc<dyn Service>,
    state: Arc<FaultState>,
}

impl Faulty {
    /// Wraps `inner`; the faults are set through the returned state.
    pub fn wrap(inner: Arc<dyn Service>) -> (Arc<dyn Service>, Arc<FaultState>) {
        let state = Arc::new(FaultState::default());
        (Arc::new(Self { inner, state: state.clone() }), state)
    }
}

struct InFlight<'a>(&'a AtomicU32);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[async_trait]
impl Service for Faulty {
    fn name(&self) -> &str {
        self.inner.name()
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        self.state.in_flight.fetch_add(1, Ordering::Relaxed);
        let _guard = InFlight(&self.state.in_flight);
        let latency = self.state.latency_ms.load(Ordering::Relaxed);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        let ppm = self.state.error_ppm.load(Ordering::Relaxed);
        if ppm > 0 && rand::random_range(0..1_000_000) < ppm {
            return Err(ServiceError::Failed(format!(
                "injected error ({:.0}% of calls)",
                f64::from(ppm) / 1e4
            )));
        }
        self.inner.call(method, payload).await
    }

    fn health(&self) -> ServiceHealth {
        let mut health = self.inner.health();
        health.load = health.load.max(self.state.load());
        health
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::services::FormattingService;
    use serde_json::json;

    #[tokio::test]
    async fn injects_errors_and_latency_and_clears() {
        let (svc, state) = Faulty::wrap(Arc::new(FormattingService));
        let args = json!({"text": "a"});
        assert!(svc.call("escape", &args).await.is_ok());
        state.set(FaultSettings { latency_ms: 0, error_rate: 1.0 });
        assert!(matches!(svc.call("escape", &args).await, Err(ServiceError::Failed(_))));
        state.set(FaultSettings { latency_ms: 30, error_rate: 0.0 });
        let start = std::time::Instant::now();
        assert!(svc.call("escape", &args).await.is_ok());
        assert!(start.elapsed() >= Duration::from_millis(30));
        state.set(FaultSettings::default());
        assert_eq!(state.get(), FaultSettings::default());
        assert!(FaultSettings { latency_ms: 0, error_rate: 1.5 }.validate().is_err());
    }
}
