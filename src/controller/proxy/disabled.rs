//! Disabled mode: calls are refused with the operator's reason.

use super::CallError;
use crate::controller::registry::{ModeState, ServiceEntry};

/// What the caller is told to do.
pub const SUGGESTED_ACTION: &str = "Check service status or try again later";

/// The refusal.
pub(super) fn refuse(entry: &ServiceEntry, mode: &ModeState) -> CallError {
    CallError::Disabled { service: entry.name().to_string(), reason: mode.reason.clone() }
}
