//! The services the controller manages: their configuration, in-process
//! implementation, current mode, measurements, health and decisions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::api::{CallPath, ConnectionMethod, ModeSource, Suggestion, Timestamp};
use crate::platform::Service;

use super::config::ServiceConfig;
use super::decision::DecisionCache;
use super::health::SideHealth;
use super::metrics::ServiceMetrics;

/// The mode in force for a service and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeState {
    /// The configured method.
    pub method: ConnectionMethod,
    /// Where it came from.
    pub source: ModeSource,
    /// Why.
    pub reason: Option<String>,
    /// When an operator set it.
    pub updated_at: Option<Timestamp>,
    /// Which operator set it.
    pub updated_by: Option<String>,
    /// The method before `disabled`, for `enable`.
    pub before_disabled: Option<ConnectionMethod>,
}

/// Lets at most one event of a kind through per interval, counting the rest.
#[derive(Debug, Default)]
pub struct EventGate {
    last: Option<Instant>,
    suppressed: u64,
}

impl EventGate {
    /// `Some(suppressed since last)` when an event may be emitted now.
    pub fn admit(&mut self, now: Instant, interval: Duration) -> Option<u64> {
        match self.last {
            Some(last) if now.duration_since(last) < interval => {
                self.suppressed += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.suppressed))
            }
        }
    }
}

/// The health of both sides of a service.
#[derive(Debug, Default)]
pub struct Health {
    /// The in-process implementation.
    pub router: SideHealth,
    /// The REST side.
    pub rest: SideHealth,
}

impl Health {
    /// The side of one path.
    pub fn side(&self, path: CallPath) -> &SideHealth {
        match path {
            CallPath::Router => &self.router,
            CallPath::Rest => &self.rest,
        }
    }
}

/// Everything the controller knows about one service.
pub struct ServiceEntry {
    /// As configured.
    pub config: ServiceConfig,
    /// The in-process implementation, when the service has one.
    pub local: Option<Arc<dyn Service>>,
    mode: RwLock<Arc<ModeState>>,
    /// Measured traffic.
    pub metrics: ServiceMetrics,
    /// Health of each side.
    pub health: Mutex<Health>,
    /// Recent hybrid decisions.
    pub decisions: DecisionCache,
    /// Calls in progress.
    pub in_flight: AtomicU32,
    /// Current optimizer advice.
    pub suggestion: Mutex<Option<Suggestion>>,
    /// Rate limit for failover events.
    pub failover_gate: Mutex<EventGate>,
    /// Rate limit for call_failed events.
    pub failure_gate: Mutex<EventGate>,
}

impl ServiceEntry {
    /// A service with its configured mode.
    pub fn new(config: ServiceConfig, local: Option<Arc<dyn Service>>) -> Self {
        let mode = ModeState {
            method: config.connection_method,
            source: config.mode_source,
            reason: config.reason.clone(),
            updated_at: None,
            updated_by: None,
            before_disabled: None,
        };
        Self {
            config,
            local,
            mode: RwLock::new(Arc::new(mode)),
            metrics: ServiceMetrics::new(),
            health: Mutex::new(Health::default()),
            decisions: DecisionCache::new(),
            in_flight: AtomicU32::new(0),
            suggestion: Mutex::new(None),
            failover_gate: Mutex::new(EventGate::default()),
            failure_gate: Mutex::new(EventGate::default()),
        }
    }

    /// The service's name.
    pub fn name(&self) -> &str {
        &self.config.name
    }

    /// The mode in force now.
    pub fn mode(&self) -> Arc<ModeState> {
        self.mode.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the mode; the next call sees it. Drops cached decisions.
    pub fn set_mode(&self, mode: ModeState) {
        *self.mode.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(mode);
        self.decisions.invalidate();
    }

    /// Whether a path exists at all for this service.
    pub fn has_path(&self, path: CallPath) -> bool {
        match path {
            CallPath::Router => self.local.is_some(),
            CallPath::Rest => self.config.rest_url.is_some(),
        }
    }

    /// Locks the health record.
    pub fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Current in-flight calls over `max_concurrency`.
    pub fn concurrency_load(&self) -> f64 {
        f64::from(self.in_flight.load(Ordering::Relaxed)) / f64::from(self.config.max_concurrency)
    }

    /// Counts a call in flight until the guard drops.
    pub fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(&self.in_flight)
    }
}

/// Decrements the in-flight count when dropped, also on cancellation.
pub struct InFlight<'a>(&'a AtomicU32);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// All services, in configuration order, found by name.
pub struct Registry {
    entries: Vec<Arc<ServiceEntry>>,
    index: HashMap<String, usize>,
}

impl Registry {
    /// A registry of the given services.
    pub fn new(entries: Vec<ServiceEntry>) -> Self {
        let entries: Vec<Arc<ServiceEntry>> = entries.into_iter().map(Arc::new).collect();
        let index = entries.iter().enumerate().map(|(i, e)| (e.config.name.clone(), i)).collect();
        Self { entries, index }
    }

    /// The service called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<ServiceEntry>> {
        self.index.get(name).map(|&i| &self.entries[i])
    }

    /// Every service in configuration order.
    pub fn all(&self) -> &[Arc<ServiceEntry>] {
        &self.entries
    }

    /// Every service name, in configuration order.
    pub fn names(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.config.name.clone()).collect()
    }
}
