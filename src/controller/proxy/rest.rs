//! REST mode: `POST {rest_url}/api/{method}` with one pooled client, the
//! service token and a timeout; and the REST side's health check.

use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{PathError, PathErrorKind, Payload};
use crate::api::{CallPath, ErrorBody, VERSION};

/// The REST client all calls and health checks share.
#[derive(Clone)]
pub struct RestClient {
    http: reqwest::Client,
    auth: Option<HeaderValue>,
    timeout: Duration,
}

/// What a REST side's `/health` said.
#[derive(Debug, Clone, PartialEq)]
pub struct RestHealth {
    /// Whether it said healthy.
    pub ok: bool,
    /// Its load, 0–1.
    pub load: Option<f64>,
    /// Its resident memory, MiB.
    pub rss_mb: Option<f64>,
    /// The round trip, ms.
    pub latency_ms: f64,
    /// Why it is not ok.
    pub detail: Option<String>,
}

#[derive(Deserialize)]
struct HealthBody {
    status: Option<String>,
    load: Option<f64>,
    rss_mb: Option<f64>,
}

impl RestClient {
    /// A client sending `token` as the bearer service token, with a per-call timeout.
    pub fn new(token: Option<&str>, timeout: Duration) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .user_agent(format!("switchboard/{VERSION}"))
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()?;
        let auth = token.and_then(|t| {
            let mut v = HeaderValue::from_str(&format!("Bearer {t}")).ok()?;
            v.set_sensitive(true);
            Some(v)
        });
        Ok(Self { http, auth, timeout })
    }

    /// Calls `method` on the REST side at `base`.
    pub async fn call(
        &self,
        base: &str,
        method: &str,
        payload: &Payload,
    ) -> Result<Box<RawValue>, PathError> {
        let fail = |kind, message: String| PathError::new(CallPath::Rest, kind, message);
        let mut request = self
            .http
            .post(format!("{base}/api/{method}"))
            .timeout(self.timeout)
            .header(CONTENT_TYPE, "application/json")
            .body(payload.bytes().clone());
        if let Some(auth) = &self.auth {
            request = request.header(AUTHORIZATION, auth.clone());
        }
        let response = request.send().await.map_err(|e| classify(&e, self.timeout))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| classify(&e, self.timeout))?;
        if !status.is_success() {
            let detail = serde_json::from_slice::<ErrorBody>(&body)
                .map(|b| b.detail)
                .unwrap_or_else(|_| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned());
            let kind = if matches!(status.as_u16(), 400 | 404 | 422) {
                PathErrorKind::Caller
            } else {
                PathErrorKind::Failed
            };
            return Err(fail(kind, format!("HTTP {}: {detail}", status.as_u16())));
        }
        serde_json::from_slice::<Box<RawValue>>(&body)
            .map_err(|e| fail(PathErrorKind::Failed, format!("answer is not JSON: {e}")))
    }

    /// Checks the REST side at `base` (`GET /health`).
    pub async fn health(&self, base: &str, timeout: Duration) -> Result<RestHealth, String> {
        let start = Instant::now();
        let response = self
            .http
            .get(format!("{base}/health"))
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| classify(&e, timeout).message)?;
        let status = response.status();
        let body: Option<HealthBody> = response.json().await.ok();
        let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
        let said_healthy =
            body.as_ref().and_then(|b| b.status.as_deref()).is_none_or(|s| s == "healthy" || s == "ok");
        let ok = status.is_success() && said_healthy;
        Ok(RestHealth {
            ok,
            load: body.as_ref().and_then(|b| b.load).map(|l| l.clamp(0.0, 1.0)),
            rss_mb: body.as_ref().and_then(|b| b.rss_mb),
            latency_ms,
            detail: (!ok).then(|| format!("health answered HTTP {}", status.as_u16())),
        })
    }
}

fn classify(error: &reqwest::Error, timeout: Duration) -> PathError {
    let (kind, message) = if error.is_timeout() {
        (PathErrorKind::Timeout, format!("no answer within {:.1} s", timeout.as_secs_f64()))
    } else if error.is_connect() {
        (PathErrorKind::Unreachable, format!("connection failed: {}", root_cause(error)))
    } else {
        (PathErrorKind::Failed, root_cause(error))
    };
    PathError::new(CallPath::Rest, kind, message)
}

/// The innermost cause, which says what really happened ("connection refused").
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}
