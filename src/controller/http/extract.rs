//! Request bodies and query strings, with errors that name the field.

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use bytes::Bytes;
use serde_json::Value;

use super::error::ApiError;
use crate::api::ErrorCode;

/// The largest body an admin route reads.
pub const ADMIN_BODY_LIMIT: usize = 64 * 1024;
/// The largest payload a data-plane call reads.
pub const CALL_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A body read within the route's limit, refusing types that cannot be JSON.
/// A missing or form content type is accepted: the seed's `curl -d` sends one.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            let ct = ct.to_ascii_lowercase();
            if ct.starts_with("multipart/")
                || ct.starts_with("image/")
                || ct.starts_with("audio/")
                || ct.starts_with("video/")
            {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    format!("content type {ct:?} is not accepted; send JSON (application/json)"),
                ));
            }
        }
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Self(bytes)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(ErrorCode::PayloadTooLarge, "request body is too large for this route"))
            }
            Err(rejection) => Err(ApiError::invalid(format!("could not read the request body: {rejection}"))),
        }
    }
}

/// A JSON body; empty means `null`.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse_json(&bytes).map(Self)
    }
}

/// Parses JSON, saying where it is broken.
pub fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::invalid(format!("malformed JSON body: {e}")))
}

/// The query string as a map; a repeated key is an error.
pub struct QueryMap(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let mut map = HashMap::new();
        if let Some(query) = parts.uri.query() {
            for (k, v) in form_urlencoded::parse(query.as_bytes()) {
                if map.insert(k.to_string(), v.to_string()).is_some() {
                    return Err(ApiError::invalid(format!("{k}: given more than once")));
                }
            }
        }
        Ok(Self(map))
    }
}

impl QueryMap {
    /// An integer parameter within `min..=max`, or `default` when absent.
    pub fn int(&self, name: &str, default: u64, min: u64, max: u64) -> Result<u64, ApiError> {
        match self.0.get(name) {
            None => Ok(default),
            Some(text) => match text.trim().parse::<u64>() {
                Ok(v) if (min..=max).contains(&v) => Ok(v),
                _ => Err(ApiError::invalid(format!(
                    "{name}: must be a whole number from {min} to {max}, got {text:?}"
                ))),
            },
        }
    }

    /// A number of seconds within `0..=max`, or 0 when absent.
    pub fn seconds(&self, name: &str, max: f64) -> Result<f64, ApiError> {
        match self.0.get(name) {
            None => Ok(0.0),
            Some(text) => match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Ok(v),
                _ => Err(ApiError::invalid(format!(
                    "{name}: must be a number of seconds from 0 to {max}, got {text:?}"
                ))),
            },
        }
    }
}
