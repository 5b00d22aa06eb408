//! A service's REST side: the same implementation served over HTTP at
//! `POST /api/{method}` and `GET /health`.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use serde_json::{Value, json};

use super::faults::{FaultSettings, FaultState};
use super::{Service, ServiceError};
use crate::api::{ErrorBody, ErrorCode};

/// The largest payload a REST side accepts.
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024 * 1024;

/// How a REST side is set up.
#[derive(Debug, Clone, Default)]
pub struct RestSideConfig {
    /// When set, calls must carry `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// When set, `POST /_faults` (token-guarded) sets the injected faults.
    pub faults: Option<Arc<FaultState>>,
}

/// Builds the HTTP face of one service.
pub struct RestSide;

#[derive(Clone)]
struct SideState {
    service: Arc<dyn Service>,
    token: Option<Arc<str>>,
    faults: Option<Arc<FaultState>>,
}

impl RestSide {
    /// The axum router serving `service`.
    pub fn router(service: Arc<dyn Service>, config: RestSideConfig) -> Router {
        let state = SideState { service, token: config.token.map(Arc::from), faults: config.faults };
        Router::new()
            .route("/api/{method}", post(call))
            .route("/health", get(health))
            .route("/_faults", post(set_faults))
            .layer(DefaultBodyLimit::max(MAX_PAYLOAD_BYTES))
            .with_state(state)
    }
}

/// The service token check; `None` when the request may go on.
fn refuse_without_token(state: &SideState, headers: &HeaderMap) -> Option<Response> {
    let token = state.token.as_ref()?;
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if presented.is_some_and(|p| crate::controller::auth::tokens_match(p, token)) {
        None
    } else {
        Some(error(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, "missing or wrong service token"))
    }
}

async fn set_faults(State(state): State<SideState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(refusal) = refuse_without_token(&state, &headers) {
        return refusal;
    }
    let Some(faults) = &state.faults else {
        return error(
            StatusCode::NOT_FOUND,
            ErrorCode::InvalidRequest,
            "fault injection is not enabled here",
        );
    };
    let settings: FaultSettings = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, &format!("faults: {e}")),
    };
    if let Err(message) = settings.validate() {
        return error(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, &message);
    }
    faults.set(settings);
    Json(faults.get()).into_response()
}

async fn call(
    State(state): State<SideState>,
    Path(method): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refusal) = refuse_without_token(&state, &headers) {
        return refusal;
    }
    let payload: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidRequest,
                &format!("payload is not JSON: {e}"),
            );
        }
    };
    match state.service.call(&method, &payload).await {
        Ok(result) => Json(result).into_response(),
        Err(e @ ServiceError::UnknownMethod(_)) => {
            error(StatusCode::NOT_FOUND, ErrorCode::InvalidRequest, &e.to_string())
        }
        Err(e @ ServiceError::InvalidRequest(_)) => {
            error(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, &e.to_string())
        }
        Err(e @ ServiceError::Failed(_)) => {
            error(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalError, &e.to_string())
        }
    }
}

async fn health(State(state): State<SideState>) -> Response {
    let health = state.service.health();
    let status = if health.ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if health.ok { "healthy" } else { "unhealthy" },
        "load": health.load,
        "rss_mb": rss_mb(),
        "detail": health.detail,
    });
    (status, Json(body)).into_response()
}

fn error(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (status, Json(ErrorBody::new(code, message, Value::Null))).into_response()
}

/// This process's resident memory in MiB, from `/proc/self/statm`.
pub fn rss_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions and only reads a constant.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    (page_size > 0).then(|| pages * page_size as f64 / (1024.0 * 1024.0))
}
