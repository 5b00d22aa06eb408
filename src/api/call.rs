//! Data-plane answers, controller health and optimizer advice.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::CallPath;

/// `POST /services/{name}/call/{method}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallResponse {
    /// What the service answered.
    pub result: Value,
    /// The path that served the call.
    pub path: CallPath,
    /// Time spent on the serving path, in milliseconds.
    pub latency_ms: f64,
    /// Whether the first path failed and the other one served the call.
    pub failover: bool,
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `healthy` while the controller answers.
    pub status: String,
    /// `switchboard` (RssBot controllers say something else).
    #[serde(default)]
    pub platform: Option<String>,
    /// The controller's version.
    #[serde(default)]
    pub version: Option<String>,
    /// Seconds since the controller started.
    #[serde(default)]
    pub uptime_s: Option<f64>,
    /// How many services it manages.
    #[serde(default)]
    pub services_count: Option<usize>,
}

/// One piece of optimizer advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The service concerned.
    pub service: String,
    /// `switch_to_router` or `switch_to_rest`.
    pub suggestion: String,
    /// Why, in the seed's words.
    pub reason: String,
    /// What it would bring.
    pub potential_improvement: String,
}

/// `GET /suggestions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionsResponse {
    /// Current advice, one per service at most.
    pub suggestions: Vec<Suggestion>,
}
