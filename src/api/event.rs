//! Events: what happened on the platform, with increasing ids.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Timestamp;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// An operator changed a service's connection method.
    ModeChanged,
    /// A call failed on one path and was served by the other.
    Failover,
    /// A call failed on every path it could take, or was refused.
    CallFailed,
    /// A service side's health status changed.
    HealthChanged,
    /// A hybrid decision flipped between router and REST.
    PathChanged,
    /// The optimizer has new advice.
    Suggestion,
    /// A demo service process started.
    ServiceStarted,
    /// A demo service process stopped.
    ServiceStopped,
    /// An operator injected or cleared a fault on the demo platform.
    FaultInjected,
    /// A kind this client does not know.
    #[serde(other)]
    Other,
}

impl EventKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ModeChanged => "mode_changed",
            Self::Failover => "failover",
            Self::CallFailed => "call_failed",
            Self::HealthChanged => "health_changed",
            Self::PathChanged => "path_changed",
            Self::Suggestion => "suggestion",
            Self::ServiceStarted => "service_started",
            Self::ServiceStopped => "service_stopped",
            Self::FaultInjected => "fault_injected",
            Self::Other => "other",
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Increasing, never reused within one controller run.
    pub id: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What kind of thing happened.
    pub kind: EventKind,
    /// The service concerned, if any.
    pub service: Option<String>,
    /// One line for people.
    pub message: String,
    /// Facts for programs.
    #[serde(default)]
    pub data: Value,
}

/// `GET /events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsResponse {
    /// Oldest first.
    pub events: Vec<Event>,
    /// The cursor to pass as `after` next time.
    pub next: u64,
}
