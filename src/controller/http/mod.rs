//! The HTTP API of `API.md` on axum.

mod admin;
pub mod error;
pub mod extract;
mod read;
pub mod server;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use self::error::ApiError;
use self::extract::{ADMIN_BODY_LIMIT, CALL_BODY_LIMIT};
use super::Controller;
use super::auth::{presented_token, tokens_match};
use crate::api::ErrorCode;

/// The router of every route in `API.md` except `/demo/*`; `extra` routes
/// (the demo platform's) are merged in and share the errors and the token check.
pub fn router(controller: Controller, extra: Option<Router>) -> Router {
    let admin = Router::new()
        .route("/services/{name}/connection-method", post(admin::set_mode))
        .route("/services/{name}/enable", post(admin::enable))
        .layer(DefaultBodyLimit::max(ADMIN_BODY_LIMIT));
    let data = Router::new()
        .route("/services/{name}/call/{method}", post(admin::call))
        .layer(DefaultBodyLimit::max(CALL_BODY_LIMIT));
    let reads = Router::new()
        .route("/health", get(read::health))
        .route("/services", get(read::services))
        .route("/services/{name}", get(read::service))
        .route("/services/{name}/latency", get(read::latency))
        .route("/events", get(read::events))
        .route("/suggestions", get(read::suggestions))
        .route("/metrics", get(read::metrics));
    let api = Router::new().merge(admin).merge(data).merge(reads).with_state(controller.clone());
    let app = match extra {
        Some(extra) => api.merge(extra),
        None => api,
    };
    app.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(controller, require_token))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(server::BODY_READ_TIMEOUT))
        .layer(middleware::from_fn(json_errors))
}

/// Every error answer is the API's JSON, also the ones axum or a layer make
/// (a path that is not UTF-8, a body that timed out, …).
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return response;
    }
    let text = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let code = match status.as_u16() {
        401 => ErrorCode::Unauthorized,
        404 => ErrorCode::ServiceNotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        502 => ErrorCode::UpstreamError,
        503 => ErrorCode::ServiceUnavailable,
        504 => ErrorCode::UpstreamTimeout,
        s if s < 500 => ErrorCode::InvalidRequest,
        _ => ErrorCode::InternalError,
    };
    let message =
        if text.is_empty() { status.canonical_reason().unwrap_or("error").to_string() } else { text };
    let mut answer = ApiError::new(code, message).into_response();
    *answer.status_mut() = status;
    answer
}

/// Mutating methods need the admin token when one is set; reads stay open.
async fn require_token(State(controller): State<Controller>, request: Request, next: Next) -> Response {
    let mutating = !matches!(request.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    if let (true, Some(expected)) = (mutating, controller.inner.admin_token.as_deref()) {
        let ok = presented_token(request.headers()).is_some_and(|t| tokens_match(t, expected));
        if !ok {
            return ApiError::new(
                ErrorCode::Unauthorized,
                "this controller needs an admin token: send Authorization: Bearer <token> or X-API-Key",
            )
            .into_response();
        }
    }
    next.run(request).await
}

async fn not_found(request: Request) -> ApiError {
    ApiError::new(
        ErrorCode::ServiceNotFound,
        format!("no route for {} {}", request.method(), request.uri().path()),
    )
    .with_details(serde_json::json!({"path": request.uri().path()}))
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("{} is not allowed on {}", request.method(), request.uri().path()),
    )
}
