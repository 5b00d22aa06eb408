//! The HTTP API of `API.md` on axum.

mod admin;
pub mod error;
pub mod extract;
mod read;

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
