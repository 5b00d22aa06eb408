//! Routes that only read.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

use super::error::ApiError;
use super::extract::QueryMap;
use crate::api::{
    ErrorCode, EventsResponse, HealthResponse, LatencyResponse, ServiceDetail, ServicesResponse,
    SuggestionsResponse,
};
use crate::controller::Controller;

/// Longest long poll.
pub const MAX_WAIT_S: f64 = 30.0;

pub(super) async fn health(State(c): State<Controller>) -> Json<HealthResponse> {
    Json(c.health_view())
}

pub(super) async fn services(State(c): State<Controller>) -> Json<ServicesResponse> {
    Json(c.services_view())
}

pub(super) async fn service(
    State(c): State<Controller>,
    Path(name): Path<String>,
) -> Result<Json<ServiceDetail>, ApiError> {
    c.service_detail(&name).map(Json).ok_or_else(|| ApiError::service_not_found(&name, c.registry().names()))
}

pub(super) async fn latency(
    State(c): State<Controller>,
    Path(name): Path<String>,
    query: QueryMap,
) -> Result<Json<LatencyResponse>, ApiError> {
    if c.registry().get(&name).is_none() {
        return Err(ApiError::service_not_found(&name, c.registry().names()));
    }
    let window = query.int("window", 300, 60, 3600)?;
    c.latency_view(&name, window)
        .map(Json)
        .ok_or_else(|| ApiError::service_not_found(&name, c.registry().names()))
}

pub(super) async fn events(
    State(c): State<Controller>,
    query: QueryMap,
) -> Result<Json<EventsResponse>, ApiError> {
    let after = query.int("after", 0, 0, u64::MAX)?;
    let limit = query.int("limit", 200, 1, crate::controller::events::MAX_LIMIT as u64)? as usize;
    let wait = query.seconds("wait", MAX_WAIT_S)?;
    let shutdown = c.inner.shutdown.clone();
    let (events, next) = c.events().wait_since(after, limit, Duration::from_secs_f64(wait), shutdown).await;
    Ok(Json(EventsResponse { events, next }))
}

pub(super) async fn suggestions(State(c): State<Controller>) -> Json<SuggestionsResponse> {
    Json(SuggestionsResponse { suggestions: c.suggestions() })
}

pub(super) async fn metrics(State(c): State<Controller>) -> Result<Response, ApiError> {
    let text = crate::controller::prometheus::render(c.inner.registry.clone())
        .map_err(|_| ApiError::new(ErrorCode::InternalError, "could not encode metrics"))?;
    Ok(([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response())
}
