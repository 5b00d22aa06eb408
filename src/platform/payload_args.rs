//! Reading method arguments out of a JSON payload, with errors that name
//! the argument.

use serde_json::{Map, Value};

use super::ServiceError;
use crate::api::kind_of;

/// The payload as an object (`null` counts as empty).
pub fn object(payload: &Value) -> Result<&Map<String, Value>, ServiceError> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    match payload {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(EMPTY.get_or_init(Map::new)),
        other => Err(ServiceError::InvalidRequest(format!(
            "payload must be a JSON object, got {}",
            kind_of(other)
        ))),
    }
}

/// A required string argument.
pub fn string<'a>(args: &'a Map<String, Value>, name: &str) -> Result<&'a str, ServiceError> {
    match args.get(name) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(ServiceError::InvalidRequest(format!("{name}: required"))),
        Some(other) => {
            Err(ServiceError::InvalidRequest(format!("{name}: must be a string, got {}", kind_of(other))))
        }
    }
}

/// An optional string argument.
pub fn opt_string<'a>(args: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ServiceError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => {
            Err(ServiceError::InvalidRequest(format!("{name}: must be a string, got {}", kind_of(other))))
        }
    }
}

/// An unsigned integer argument, `default` when absent.
pub fn uint(args: &Map<String, Value>, name: &str, default: Option<u64>) -> Result<u64, ServiceError> {
    match args.get(name) {
        None | Some(Value::Null) => {
            default.ok_or_else(|| ServiceError::InvalidRequest(format!("{name}: required")))
        }
        Some(v) => v.as_u64().ok_or_else(|| {
            ServiceError::InvalidRequest(format!("{name}: must be a non-negative whole number, got {v}"))
        }),
    }
}
