//! The JSON error body every non-2xx answer carries.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The machine-readable error codes of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// 400.
    InvalidRequest,
    /// 401.
    Unauthorized,
    /// 404.
    ServiceNotFound,
    /// 405.
    MethodNotAllowed,
    /// 409.
    Conflict,
    /// 413.
    PayloadTooLarge,
    /// 415.
    UnsupportedMediaType,
    /// 503, the operator disabled the service.
    ServiceDisabled,
    /// 503, no path could serve the call.
    ServiceUnavailable,
    /// 502.
    UpstreamError,
    /// 504.
    UpstreamTimeout,
    /// 500.
    InternalError,
    /// A code this client does not know.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            Self::InvalidRequest => 400,
            Self::Unauthorized => 401,
            Self::ServiceNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ServiceDisabled | Self::ServiceUnavailable => 503,
            Self::UpstreamError => 502,
            Self::UpstreamTimeout => 504,
            Self::InternalError | Self::Unknown => 500,
        }
    }
}

/// The structured part of an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
    /// Facts that help act on it.
    #[serde(default)]
    pub details: Value,
}

/// `{"detail": ..., "error": {...}}`: `detail` keeps FastAPI clients working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The message again, where FastAPI puts it.
    pub detail: String,
    /// The structured error.
    pub error: ErrorInfo,
}

impl ErrorBody {
    /// An error with details.
    pub fn new(code: ErrorCode, message: impl Into<String>, details: Value) -> Self {
        let message = message.into();
        Self { detail: message.clone(), error: ErrorInfo { code, message, details } }
    }
}
