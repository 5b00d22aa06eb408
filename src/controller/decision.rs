//! The hybrid decision: the seed's six factors from live measurements, and a
//! small cache of recent decisions.
//!
//! Router is chosen only when all six deciding factors pass:
//! `service_health > 0.8`, `service_load < 0.7`, `request_size < 1 MiB`,
//! `is_local`, `method_frequency > 10` calls/s and `!requires_isolation`.
//! `network_latency` and `recent_error_rate` are shown, never deciding.

use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lru::LruCache;

use crate::api::{CallPath, Decision, Factor, FactorValue, Timestamp};
pub use crate::api::{DECIDING_FACTORS, explain};

/// Router needs a health score above this.
pub const MIN_HEALTH: f64 = 0.8;
/// Router needs a load below this.
pub const MAX_LOAD: f64 = 0.7;
/// Router needs a request smaller than this many bytes.
pub const MAX_REQUEST_BYTES: u64 = 1024 * 1024;
/// Router needs the method called more often than this, per second.
pub const MIN_FREQUENCY: f64 = 10.0;
/// The error rate above which the informative factor fails.
pub const MAX_ERROR_RATE: f64 = 0.05;
/// Decisions remembered per service.
pub const CACHE_ENTRIES: usize = 100;
/// How long a decision is reused.
pub const CACHE_TTL: Duration = Duration::from_secs(1);

/// The live measurements a decision is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorInputs {
    /// Health score of the in-process side, `None` before the first check.
    pub health: Option<f64>,
    /// In-flight calls over capacity, or the REST side's reported load, whichever is higher.
    pub load: f64,
    /// This call's payload size in bytes.
    pub request_size: u64,
    /// An in-process implementation is loaded.
    pub is_local: bool,
    /// Calls per second of this method over the last 10 s.
    pub method_frequency: f64,
    /// The service must stay isolated.
    pub requires_isolation: bool,
    /// Round trip of the last REST health check, ms.
    pub network_latency_ms: Option<f64>,
    /// Failed calls over calls in the last 10 s.
    pub recent_error_rate: f64,
}

fn round(v: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (v * scale).round() / scale
}

fn factor(name: &str, value: FactorValue, threshold: FactorValue, op: &str, pass: bool) -> Factor {
    Factor { name: name.to_string(), value, threshold, op: op.to_string(), pass }
}

/// Evaluates the factors; the path is router only when all six deciding ones pass.
pub fn decide(inputs: &FactorInputs) -> (CallPath, Vec<Factor>) {
    use FactorValue::{Bool, Null, Number};
    let health_pass = inputs.health.is_some_and(|h| h > MIN_HEALTH);
    let factors = vec![
        factor(
            "service_health",
            inputs.health.map(Number).unwrap_or(Null),
            Number(MIN_HEALTH),
            ">",
            health_pass,
        ),
        factor("service_load", Number(round(inputs.load, 3)), Number(MAX_LOAD), "<", inputs.load < MAX_LOAD),
        factor(
            "request_size",
            Number(inputs.request_size as f64),
            Number(MAX_REQUEST_BYTES as f64),
            "<",
            inputs.request_size < MAX_REQUEST_BYTES,
        ),
        factor("is_local", Bool(inputs.is_local), Bool(true), "==", inputs.is_local),
        factor(
            "method_frequency",
            Number(round(inputs.method_frequency, 2)),
            Number(MIN_FREQUENCY),
            ">",
            inputs.method_frequency > MIN_FREQUENCY,
        ),
        factor(
            "requires_isolation",
            Bool(inputs.requires_isolation),
            Bool(false),
            "==",
            !inputs.requires_isolation,
        ),
        factor(
            "network_latency",
            inputs.network_latency_ms.map(|v| Number(round(v, 3))).unwrap_or(Null),
            Null,
            "info",
            true,
        ),
        factor(
            "recent_error_rate",
            Number(round(inputs.recent_error_rate, 4)),
            Number(MAX_ERROR_RATE),
            "<",
            inputs.recent_error_rate < MAX_ERROR_RATE,
        ),
    ];
    let router = factors.iter().take(DECIDING_FACTORS).all(|f| f.pass);
    (if router { CallPath::Router } else { CallPath::Rest }, factors)
}

/// A decision kept in the cache.
#[derive(Debug, Clone)]
pub struct CachedDecision {
    method: Box<str>,
    large: bool,
    generation: u64,
    decided: Instant,
    /// The chosen path.
    pub path: CallPath,
    /// When it was decided.
    pub decided_at: Timestamp,
    /// The factors it was made from.
    pub factors: Arc<Vec<Factor>>,
}

impl CachedDecision {
    /// The API view.
    pub fn to_view(&self, cached: bool) -> Decision {
        Decision {
            path: self.path,
            cached,
            decided_at: self.decided_at,
            factors: self.factors.as_ref().clone(),
        }
    }
}

/// Recent decisions of one service, by method and request size class.
pub struct DecisionCache {
    inner: Mutex<CacheInner>,
}

struct CacheInner {
    entries: LruCache<u64, CachedDecision>,
    generation: u64,
}

fn key(method: &str, large: bool) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    method.hash(&mut h);
    large.hash(&mut h);
    h.finish()
}

/// What a cache lookup found.
pub enum Lookup {
    /// A valid decision.
    Hit(CallPath),
    /// Nothing valid; the path of the last decision for this key, if remembered.
    Miss(Option<CallPath>),
}

impl Default for DecisionCache {
    fn default() -> Self {
        Self::new()
    }
}

impl DecisionCache {
    /// An empty cache.
    pub fn new() -> Self {
        let cap = NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN);
        Self { inner: Mutex::new(CacheInner { entries: LruCache::new(cap), generation: 0 }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Looks up the decision for a method and size class.
    pub fn lookup(&self, method: &str, request_size: u64, now: Instant) -> Lookup {
        let large = request_size >= MAX_REQUEST_BYTES;
        let mut inner = self.lock();
        let generation = inner.generation;
        match inner.entries.get(&key(method, large)) {
            Some(d) if &*d.method == method && d.large == large => {
                if d.generation == generation && now.duration_since(d.decided) < CACHE_TTL {
                    Lookup::Hit(d.path)
                } else {
                    Lookup::Miss(Some(d.path))
                }
            }
            _ => Lookup::Miss(None),
        }
    }

    /// The valid decision for a method and size class, for display.
    pub fn peek(&self, method: &str, request_size: u64, now: Instant) -> Option<CachedDecision> {
        let large = request_size >= MAX_REQUEST_BYTES;
        let inner = self.lock();
        inner
            .entries
            .peek(&key(method, large))
            .filter(|d| &*d.method == method && d.large == large)
            .filter(|d| d.generation == inner.generation && now.duration_since(d.decided) < CACHE_TTL)
            .cloned()
    }

    /// Remembers a fresh decision.
    pub fn insert(
        &self,
        method: &str,
        request_size: u64,
        path: CallPath,
        factors: Vec<Factor>,
        now: Instant,
    ) {
        let large = request_size >= MAX_REQUEST_BYTES;
        let mut inner = self.lock();
        let generation = inner.generation;
        inner.entries.put(
            key(method, large),
            CachedDecision {
                method: Box::from(method),
                large,
                generation,
                decided: now,
                path,
                decided_at: Timestamp::now(),
                factors: Arc::new(factors),
            },
        );
    }

    /// Makes every cached decision stale (mode change, health transition),
    /// keeping their paths so that a flip can still be noticed.
    pub fn invalidate(&self) {
        self.lock().generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_pass() -> FactorInputs {
        FactorInputs {
            health: Some(1.0),
            load: 0.1,
            request_size: 100,
            is_local: true,
            method_frequency: 50.0,
            requires_isolation: false,
            network_latency_ms: Some(0.2),
            recent_error_rate: 0.0,
        }
    }

    #[test]
    fn router_only_when_all_six_pass() {
        assert_eq!(decide(&all_pass()).0, CallPath::Router);
        type Breaker = Box<dyn Fn(&mut FactorInputs)>;
        let breakers: Vec<(&str, Breaker)> = vec![
            ("service_health", Box::new(|i| i.health = Some(0.8))),
            ("service_load", Box::new(|i| i.load = 0.7)),
            ("request_size", Box::new(|i| i.request_size = MAX_REQUEST_BYTES)),
            ("is_local", Box::new(|i| i.is_local = false)),
            ("method_frequency", Box::new(|i| i.method_frequency = 10.0)),
            ("requires_isolation", Box::new(|i| i.requires_isolation = true)),
        ];
        for (name, breaker) in breakers {
            let mut inputs = all_pass();
            breaker(&mut inputs);
            let (path, factors) = decide(&inputs);
            assert_eq!(path, CallPath::Rest, "{name}");
            let failing: Vec<_> = factors.iter().filter(|f| !f.pass).map(|f| f.name.as_str()).collect();
            assert_eq!(failing, vec![name]);
        }
        let mut unknown = all_pass();
        unknown.health = None;
        assert_eq!(decide(&unknown).0, CallPath::Rest);
    }

    #[test]
    fn informative_factors_never_decide() {
        let mut inputs = all_pass();
        inputs.recent_error_rate = 0.5;
        inputs.network_latency_ms = Some(900.0);
        assert_eq!(decide(&inputs).0, CallPath::Router);
    }

    #[test]
    fn explanation_names_the_failing_factor() {
        let mut inputs = all_pass();
        inputs.method_frequency = 3.2;
        let (path, factors) = decide(&inputs);
        assert_eq!(explain(path, &factors), "→ REST: method_frequency 3.2/s ≤ 10");
    }

    #[test]
    fn cache_expires_and_invalidates() {
        let cache = DecisionCache::new();
        let t0 = Instant::now();
        assert!(matches!(cache.lookup("m", 10, t0), Lookup::Miss(None)));
        cache.insert("m", 10, CallPath::Router, vec![], t0);
        assert!(matches!(cache.lookup("m", 10, t0), Lookup::Hit(CallPath::Router)));
        assert!(matches!(cache.lookup("m", 2_000_000, t0), Lookup::Miss(None)));
        assert!(matches!(cache.lookup("m", 10, t0 + CACHE_TTL), Lookup::Miss(Some(CallPath::Router))));
        cache.insert("m", 10, CallPath::Router, vec![], t0);
        cache.invalidate();
        assert!(matches!(cache.lookup("m", 10, t0), Lookup::Miss(Some(CallPath::Router))));
        for i in 0..(CACHE_ENTRIES + 10) {
            cache.insert(&format!("m{i}"), 1, CallPath::Rest, vec![], t0);
        }
        assert_eq!(cache.lock().entries.len(), CACHE_ENTRIES);
    }
}
