//! API errors: every non-2xx answer is the JSON body of API.md.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::api::{ErrorBody, ErrorCode};
use crate::controller::ModeChangeError;
use crate::controller::proxy::CallError;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    details: Value,
}

impl ApiError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: Value::Null }
    }

    /// Adds details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// 400 naming what is wrong.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    /// 404 for a service, listing the ones there are.
    pub fn service_not_found(service: &str, available: Vec<String>) -> Self {
        Self::new(ErrorCode::ServiceNotFound, format!("Service '{service}' not found"))
            .with_details(json!({"service_name": service, "available_services": available}))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(ErrorBody::new(self.code, self.message, self.details))).into_response()
    }
}

impl From<ModeChangeError> for ApiError {
    fn from(e: ModeChangeError) -> Self {
        match e {
            ModeChangeError::NotFound { service, available } => Self::service_not_found(&service, available),
            ModeChangeError::NoRouter(ref service) => {
                let details = json!({"service_name": service, "has_router": false});
                Self::new(ErrorCode::Conflict, e.to_string()).with_details(details)
            }
            ModeChangeError::ReasonRequired => Self::invalid(ModeChangeError::ReasonRequired.to_string()),
            e @ ModeChangeError::Store(_) => {
                tracing::error!(error = %e, "mode change not persisted");
                Self::new(ErrorCode::InternalError, e.to_string())
            }
        }
    }
}

impl From<CallError> for ApiError {
    fn from(e: CallError) -> Self {
        let code = e.code();
        let message = e.to_string();
        let details = match &e {
            CallError::UnknownService { service, available } => {
                json!({"service_name": service, "available_services": available})
            }
            CallError::InvalidMethod { method } => json!({"method": method}),
            CallError::Disabled { service, reason } => json!({
                "service_name": service,
                "reason": reason.as_deref().unwrap_or("Service temporarily disabled"),
                "suggested_action": crate::controller::proxy::SUGGESTED_ACTION,
            }),
            CallError::Path { service, error } => json!({
                "service_name": service,
                "path": error.path,
                "cause": error.message,
            }),
            CallError::BothFailed { service, primary, fallback } => json!({
                "service_name": service,
                "primary": {"path": primary.path, "cause": primary.message},
                "fallback": {"path": fallback.path, "cause": fallback.message},
            }),
        };
        Self { code, message, details }
    }
}
