//! Router mode: a direct in-process call. The payload is borrowed, never
//! copied or serialized.

use serde_json::Value;

use super::{PathError, PathErrorKind, Payload};
use crate::api::CallPath;
use crate::controller::registry::ServiceEntry;
use crate::platform::ServiceError;

/// Calls the in-process implementation.
pub(super) async fn call(entry: &ServiceEntry, method: &str, payload: &Payload) -> Result<Value, PathError> {
    let Some(local) = &entry.local else {
        return Err(PathError::missing(CallPath::Router, "no in-process implementation"));
    };
    local.call(method, payload.value()).await.map_err(|e| {
        let kind = match e {
            ServiceError::UnknownMethod(_) | ServiceError::InvalidRequest(_) => PathErrorKind::Caller,
            ServiceError::Failed(_) => PathErrorKind::Failed,
        };
        PathError::new(CallPath::Router, kind, e.to_string())
    })
}
