//! Routes that change things: mode changes and data-plane calls.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::error::ApiError;
use super::extract::{JsonBody, RawBody};
use serde::Serialize;

use crate::api::{CallPath, ErrorCode, ModeChangeRequest, ModeChangeResponse, kind_of};
use crate::controller::Controller;
use crate::controller::proxy::{CallResult, Payload};

/// `POST /services/{name}/connection-method`.
pub(super) async fn set_mode(
    State(controller): State<Controller>,
    Path(name): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<ModeChangeResponse>, ApiError> {
    if controller.registry().get(&name).is_none() {
        return Err(ApiError::service_not_found(&name, controller.registry().names()));
    }
    let request = ModeChangeRequest::from_json(&body).map_err(|message| {
        let mut error = ApiError::invalid(message);
        if matches!(body.get("connection_method"), Some(Value::String(_))) {
            error = error
                .with_details(serde_json::json!({"valid_methods": ["router", "rest", "hybrid", "disabled"]}));
        }
        error
    })?;
    // Run to completion even if the client goes away: no half-applied change.
    let task = tokio::spawn(async move { controller.change_mode(&name, request).await });
    let answer = task
        .await
        .map_err(|e| ApiError::new(ErrorCode::InternalError, format!("mode change task failed: {e}")))?;
    Ok(Json(answer?))
}

/// `POST /services/{name}/enable` (body optional: `{"operator": "..."}`).
pub(super) async fn enable(
    State(controller): State<Controller>,
    Path(name): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<ModeChangeResponse>, ApiError> {
    let operator = match body.get("operator") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(ApiError::invalid(format!("operator: must be a string, got {}", kind_of(other))));
        }
    };
    if !(body.is_null() || body.is_object()) {
        return Err(ApiError::invalid(format!(
            "request body must be empty or a JSON object, got {}",
            kind_of(&body)
        )));
    }
    let task = tokio::spawn(async move { controller.enable(&name, operator).await });
    let answer = task
        .await
        .map_err(|e| ApiError::new(ErrorCode::InternalError, format!("enable task failed: {e}")))?;
    Ok(Json(answer?))
}

/// `POST /services/{name}/call/{method}`: the data plane.
pub(super) async fn call(
    State(controller): State<Controller>,
    Path((name, method)): Path<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    let payload =
        Payload::from_bytes(body).map_err(|e| ApiError::invalid(format!("payload is not JSON: {e}")))?;
    let outcome = controller.proxy().call(&name, &method, &payload).await?;
    // The shape of `CallResponse`, with a REST answer passed through unparsed.
    Ok(Json(CallAnswer {
        result: &outcome.result,
        path: outcome.path,
        latency_ms: outcome.latency.as_secs_f64() * 1000.0,
        failover: outcome.failover,
    })
    .into_response())
}

#[derive(Serialize)]
struct CallAnswer<'a> {
    result: &'a CallResult,
    path: CallPath,
    latency_ms: f64,
    failover: bool,
}
