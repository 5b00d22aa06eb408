//! Why a call failed: per path, and for the call as a whole.

use crate::api::{CallPath, ErrorCode};

/// What kind of failure one path had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathErrorKind {
    /// The caller sent something the service rejects; another path would too.
    Caller,
    /// The service failed or answered an error.
    Failed,
    /// No answer within the timeout.
    Timeout,
    /// Could not connect.
    Unreachable,
    /// The path does not exist for this service.
    Missing,
}

/// A failure on one path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PathError {
    /// The path that failed.
    pub path: CallPath,
    /// What kind of failure.
    pub kind: PathErrorKind,
    /// What happened, for people.
    pub message: String,
}

impl PathError {
    /// A failure of `kind` on `path`.
    pub fn new(path: CallPath, kind: PathErrorKind, message: impl Into<String>) -> Self {
        Self { path, kind, message: message.into() }
    }

    /// The path does not exist.
    pub fn missing(path: CallPath, message: impl Into<String>) -> Self {
        Self::new(path, PathErrorKind::Missing, message)
    }

    /// Whether trying the other path makes sense.
    pub fn worth_failover(&self) -> bool {
        self.kind != PathErrorKind::Caller
    }
}

/// Why a call as a whole failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// No such service.
    #[error("Service '{service}' not found")]
    UnknownService {
        /// The name asked for.
        service: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// The method name cannot be a method.
    #[error("invalid method name {method:?}: use letters, digits, '_', '-' and '.' (at most 128)")]
    InvalidMethod {
        /// The name asked for.
        method: String,
    },
    /// The operator disabled the service.
    #[error("Service '{service}' is disabled: {}", reason.as_deref().unwrap_or("Service temporarily disabled"))]
    Disabled {
        /// The service.
        service: String,
        /// The operator's reason.
        reason: Option<String>,
    },
    /// The one path tried failed.
    #[error("{error}")]
    Path {
        /// The service.
        service: String,
        /// What failed.
        error: PathError,
    },
    /// Hybrid tried both paths and both failed.
    #[error("Both router and REST failed for {service}: primary {primary}; fallback {fallback}")]
    BothFailed {
        /// The service.
        service: String,
        /// The first failure.
        primary: PathError,
        /// The failover's failure.
        fallback: PathError,
    },
}

impl CallError {
    /// The API error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::UnknownService { .. } => ErrorCode::ServiceNotFound,
            Self::InvalidMethod { .. } => ErrorCode::InvalidRequest,
            Self::Disabled { .. } => ErrorCode::ServiceDisabled,
            Self::BothFailed { .. } => ErrorCode::ServiceUnavailable,
            Self::Path { error, .. } => match error.kind {
                PathErrorKind::Caller => ErrorCode::InvalidRequest,
                PathErrorKind::Failed | PathErrorKind::Unreachable => ErrorCode::UpstreamError,
                PathErrorKind::Timeout => ErrorCode::UpstreamTimeout,
                PathErrorKind::Missing => ErrorCode::ServiceUnavailable,
            },
        }
    }

    /// Whether the caller caused it (no event, no failover).
    pub fn is_caller_error(&self) -> bool {
        matches!(self.code(), ErrorCode::InvalidRequest | ErrorCode::ServiceNotFound)
    }
}
