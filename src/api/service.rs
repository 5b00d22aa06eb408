//! The view of one service: mode, health, decision factors, traffic.

use serde::{Deserialize, Serialize};

use super::{
    CallPath, ConnectionMethod, EffectivePath, Event, HealthStatus, ModeSource, Suggestion, Timestamp,
};

/// One row of `GET /services`. The first seven fields are RssBot's; the rest
/// are optional on input so that RssBot controllers parse too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceView {
    /// Identity.
    pub name: String,
    /// A name for people.
    pub display_name: String,
    /// The configured mode.
    pub connection_method: ConnectionMethod,
    /// Health status.
    pub health_status: HealthStatus,
    /// The in-process implementation is loaded.
    pub is_mounted: bool,
    /// The service has an in-process implementation at all.
    pub has_router: bool,
    /// When health was last checked.
    pub last_health_check: Option<Timestamp>,
    /// Where the next call goes now.
    #[serde(default)]
    pub effective_path: Option<EffectivePath>,
    /// 0.0–1.0, or null before the first check.
    #[serde(default)]
    pub health_score: Option<f64>,
    /// Where the configured mode came from.
    #[serde(default)]
    pub mode_source: Option<ModeSource>,
    /// Why the mode is what it is.
    #[serde(default)]
    pub reason: Option<String>,
    /// When an operator last changed it.
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Who last changed it.
    #[serde(default)]
    pub updated_by: Option<String>,
    /// Base URL of the REST side.
    #[serde(default)]
    pub rest_url: Option<String>,
    /// What hybrid would choose now, and why.
    #[serde(default)]
    pub decision: Option<Decision>,
    /// Measured traffic over the last 10 s.
    #[serde(default)]
    pub traffic: Option<Traffic>,
    /// Optimizer advice.
    #[serde(default)]
    pub suggestion: Option<Suggestion>,
}

/// A hybrid decision and the factors behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The chosen path.
    pub path: CallPath,
    /// Whether it came from the decision cache.
    pub cached: bool,
    /// When it was decided.
    pub decided_at: Timestamp,
    /// The six deciding factors, then the informative ones.
    pub factors: Vec<Factor>,
}

/// One decision factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// `service_health`, `service_load`, ...
    pub name: String,
    /// The measured value.
    pub value: FactorValue,
    /// The threshold it is compared with.
    pub threshold: FactorValue,
    /// `>`, `<` or `==`.
    pub op: String,
    /// Whether the value is on the router side of the threshold.
    pub pass: bool,
}

/// A factor's value or threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactorValue {
    /// A number.
    Number(f64),
    /// A flag.
    Bool(bool),
    /// Not measured yet.
    Null,
}

/// Traffic over the last 10 s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    /// Calls per second, both paths.
    pub rps: f64,
    /// Failed calls over all calls, both paths.
    pub error_rate: f64,
    /// The in-process path.
    pub router: PathStats,
    /// The HTTP path.
    pub rest: PathStats,
}

/// Counts and latency percentiles of one path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PathStats {
    /// Calls.
    pub count: u64,
    /// Failed calls.
    pub errors: u64,
    /// Median latency, ms.
    pub p50_ms: Option<f64>,
    /// 90th percentile, ms.
    pub p90_ms: Option<f64>,
    /// 99th percentile, ms.
    pub p99_ms: Option<f64>,
    /// Slowest call, ms.
    pub max_ms: Option<f64>,
}

/// `GET /services`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServicesResponse {
    /// Every service, in configuration order.
    pub services: Vec<ServiceView>,
    /// How many.
    pub total_services: usize,
    /// How many have their in-process implementation loaded.
    pub mounted_count: usize,
}

/// A method's call rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodRate {
    /// The method name.
    pub method: String,
    /// Calls per second over the last 10 s.
    pub calls_per_s: f64,
}

/// `GET /services/{name}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDetail {
    /// The same view as in the list.
    #[serde(flatten)]
    pub service: ServiceView,
    /// Methods seen in the last 10 s, busiest first.
    #[serde(default)]
    pub methods: Vec<MethodRate>,
    /// The last 20 events for this service, oldest first.
    #[serde(default)]
    pub recent_events: Vec<Event>,
}

/// One second of one path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// The start of the second.
    pub t: Timestamp,
    /// Calls.
    pub count: u64,
    /// Failed calls.
    pub errors: u64,
    /// Median latency, ms; null without calls.
    pub p50_ms: Option<f64>,
    /// 99th percentile, ms; null without calls.
    pub p99_ms: Option<f64>,
}

/// `GET /services/{name}/latency`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyResponse {
    /// The service.
    pub service: String,
    /// Seconds covered.
    pub window_s: u64,
    /// Seconds per bucket.
    pub bucket_s: u64,
    /// In-process path, oldest first.
    pub router: Vec<Bucket>,
    /// HTTP path, oldest first.
    pub rest: Vec<Bucket>,
}
