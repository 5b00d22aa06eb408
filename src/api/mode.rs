//! Connection methods, paths, health states and the mode-change exchange.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Timestamp;

/// How a service is reached: the operator's choice per service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionMethod {
    /// A direct in-process call.
    Router,
    /// An HTTP call to the service's own process.
    Rest,
    /// Router or REST per call, chosen from live factors, with failover.
    Hybrid,
    /// Calls are refused with the operator's reason.
    Disabled,
}

impl ConnectionMethod {
    /// Every method, in the order the API lists them.
    pub const ALL: [ConnectionMethod; 4] = [Self::Router, Self::Rest, Self::Hybrid, Self::Disabled];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Router => "router",
            Self::Rest => "rest",
            Self::Hybrid => "hybrid",
            Self::Disabled => "disabled",
        }
    }

    /// Parses a wire name exactly (no trimming, no case folding).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The sentence the API answers for a name that is not a method.
    pub fn invalid_message() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|m| m.as_str()).collect();
        format!("Invalid connection_method. Must be one of: {}", names.join(", "))
    }
}

impl std::fmt::Display for ConnectionMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The path one call took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CallPath {
    /// In-process.
    Router,
    /// Over HTTP.
    Rest,
}

impl CallPath {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Router => "router",
            Self::Rest => "rest",
        }
    }

    /// The path a failover goes to.
    pub fn other(self) -> Self {
        match self {
            Self::Router => Self::Rest,
            Self::Rest => Self::Router,
        }
    }
}

impl std::fmt::Display for CallPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the next call goes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EffectivePath {
    /// In-process.
    Router,
    /// Over HTTP.
    Rest,
    /// Nowhere: disabled, or no path available.
    None,
}

impl From<CallPath> for EffectivePath {
    fn from(path: CallPath) -> Self {
        match path {
            CallPath::Router => Self::Router,
            CallPath::Rest => Self::Rest,
        }
    }
}

/// A health state, derived from the health score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// Score at least 0.8.
    Healthy,
    /// Score at least 0.3.
    Degraded,
    /// Score below 0.3.
    Down,
    /// Not checked yet, or nothing to check.
    #[serde(other)]
    Unknown,
}

impl HealthStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Down => "down",
            Self::Unknown => "unknown",
        }
    }
}

/// Where the configured mode came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeSource {
    /// The built-in default.
    Default,
    /// The config file.
    File,
    /// An environment variable.
    Env,
    /// A persisted operator change.
    Operator,
}

/// A validated `POST /services/{name}/connection-method` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModeChangeRequest {
    /// The requested method.
    pub connection_method: ConnectionMethod,
    /// Why; required (non-blank) for `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Who; `"unknown"` when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// The longest reason or operator name accepted.
pub const MAX_TEXT_FIELD: usize = 1024;

impl ModeChangeRequest {
    /// Validates a JSON body, naming the offending field in the error.
    pub fn from_json(body: &Value) -> Result<Self, String> {
        let Some(object) = body.as_object() else {
            return Err(format!("request body must be a JSON object, got {}", kind_of(body)));
        };
        let method = match object.get("connection_method") {
            None | Some(Value::Null) => return Err("connection_method: field required".into()),
            Some(Value::String(s)) => {
                ConnectionMethod::parse(s).ok_or_else(ConnectionMethod::invalid_message)?
            }
            Some(other) => {
                return Err(format!("connection_method: must be a string, got {}", kind_of(other)));
            }
        };
        let reason = optional_text(object.get("reason"), "reason")?;
        let operator = optional_text(object.get("operator"), "operator")?.filter(|s| !s.trim().is_empty());
        Ok(Self { connection_method: method, reason, operator })
    }
}

fn optional_text(value: Option<&Value>, field: &str) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.chars().count() > MAX_TEXT_FIELD => {
            Err(format!("{field}: at most {MAX_TEXT_FIELD} characters"))
        }
        Some(Value::String(s)) if s.contains('\0') => Err(format!("{field}: must not contain NUL")),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{field}: must be a string, got {}", kind_of(other))),
    }
}

/// A JSON type's name for error messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether a mode change changed anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeChangeStatus {
    /// The mode changed.
    Updated,
    /// The mode already was the requested one.
    NoChange,
}

/// The answer to a mode change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeChangeResponse {
    /// Always true on a 2xx answer.
    pub success: bool,
    /// `updated` or `no_change`.
    pub status: ModeChangeStatus,
    /// The service changed.
    pub service: String,
    /// The method before.
    pub old_method: ConnectionMethod,
    /// The method now.
    pub new_method: ConnectionMethod,
    /// When the change took effect.
    pub updated_at: Timestamp,
    /// A one-line summary for people.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_exact_names_only() {
        assert_eq!(ConnectionMethod::parse("rest"), Some(ConnectionMethod::Rest));
        assert_eq!(ConnectionMethod::parse("REST"), None);
        assert_eq!(ConnectionMethod::parse(" rest"), None);
    }

    #[test]
    fn request_errors_name_the_field() {
        let err = ModeChangeRequest::from_json(&json!({"reason": "x"})).unwrap_err();
        assert!(err.starts_with("connection_method"), "{err}");
        let err = ModeChangeRequest::from_json(&json!({"connection_method": 3})).unwrap_err();
        assert!(err.contains("must be a string"), "{err}");
        let err = ModeChangeRequest::from_json(&json!({"connection_method": "fast"})).unwrap_err();
        assert_eq!(err, "Invalid connection_method. Must be one of: router, rest, hybrid, disabled");
        let err =
            ModeChangeRequest::from_json(&json!({"connection_method": "rest", "reason": [1]})).unwrap_err();
        assert!(err.starts_with("reason:"), "{err}");
        let err = ModeChangeRequest::from_json(&json!([])).unwrap_err();
        assert!(err.contains("an array"), "{err}");
    }

    #[test]
    fn blank_operator_is_unknown() {
        let req =
            ModeChangeRequest::from_json(&json!({"connection_method": "rest", "operator": " "})).unwrap();
        assert_eq!(req.operator, None);
    }
}
