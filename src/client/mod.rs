//! The controller client: typed calls over HTTP with short timeouts, bounded
//! answers, and tolerant parsing, shared by the console and the one-shot CLI.

mod error;
mod tolerant;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

pub use error::ClientError;
pub use tolerant::{ServiceRow, error_message, service_row};

use crate::api::{ConnectionMethod, EventsResponse, LatencyResponse, ModeChangeResponse};

/// The default timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest answer read; a larger one is an error, not a crash.
pub const MAX_ANSWER_BYTES: usize = 8 * 1024 * 1024;

/// How to reach a controller.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Base URL, e.g. `http://127.0.0.1:8004`.
    pub base: String,
    /// Admin token for mutations.
    pub token: Option<String>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Refuse every mutation locally.
    pub read_only: bool,
}

/// A controller client.
#[derive(Clone)]
pub struct ControllerClient {
    http: reqwest::Client,
    options: ClientOptions,
}

/// A page of events.
pub type EventsPage = EventsResponse;

impl ControllerClient {
    /// A client for `options.base`.
    pub fn new(mut options: ClientOptions) -> Result<Self, ClientError> {
        options.base = options.base.trim_end_matches('/').to_string();
        if !(options.base.starts_with("http://") || options.base.starts_with("https://")) {
            return Err(ClientError::BadAnswer(format!(
                "controller URL {:?} must start with http:// or https://",
                options.base
            )));
        }
        let http = reqwest::Client::builder()
            .user_agent(format!("switchboard-console/{}", crate::api::VERSION))
            .connect_timeout(options.timeout)
            .build()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        Ok(Self { http, options })
    }

    /// The controller's base URL.
    pub fn base(&self) -> &str {
        &self.options.base
    }

    /// Whether mutations are refused locally.
    pub fn read_only(&self) -> bool {
        self.options.read_only
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.options.base)
    }

    /// Sends a request and reads a bounded JSON answer; non-2xx become `Refused` or `NotOffered`.
    async fn send(&self, request: reqwest::RequestBuilder, timeout: Duration) -> Result<Value, ClientError> {
        let mut response = request.timeout(timeout).send().await.map_err(|e| classify(&e, timeout))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e, timeout))? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(ClientError::BadAnswer(format!(
                    "answer larger than {} MiB",
                    MAX_ANSWER_BYTES >> 20
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let parsed: Result<Value, _> = serde_json::from_slice(&body);
        if status.is_success() {
            return parsed.map_err(|e| ClientError::BadAnswer(format!("not JSON ({e}): {}", snippet(&body))));
        }
        let parsed = parsed.ok();
        let message = parsed.as_ref().and_then(error_message);
        let our_code = parsed.as_ref().and_then(|b| b.pointer("/error/code")).and_then(Value::as_str);
        if status == StatusCode::NOT_FOUND
            && our_code.is_none()
            && message.as_deref().is_none_or(|m| m == "Not Found")
        {
            return Err(ClientError::NotOffered);
        }
        Err(ClientError::Refused {
            status: status.as_u16(),
            message: message.unwrap_or_else(|| format!("HTTP {}: {}", status.as_u16(), snippet(&body))),
        })
    }

    fn mutation(&self, what: &str, path: &str) -> Result<reqwest::RequestBuilder, ClientError> {
        if self.options.read_only {
            return Err(ClientError::ReadOnly(what.to_string()));
        }
        let mut request = self.http.post(self.url(path));
        if let Some(token) = &self.options.token {
            request = request.bearer_auth(token);
        }
        Ok(request)
    }

    /// `GET /health`.
    pub async fn health(&self) -> Result<Value, ClientError> {
        self.send(self.http.get(self.url("/health")), self.options.timeout).await
    }

    /// `GET /services`, in any known form.
    pub async fn services(&self) -> Result<Vec<ServiceRow>, ClientError> {
        let body = self.send(self.http.get(self.url("/services")), self.options.timeout).await?;
        tolerant::services(&body).map_err(ClientError::BadAnswer)
    }

    /// `GET /events?after=ID&limit=N`.
    pub async fn events(&self, after: u64, limit: usize) -> Result<EventsPage, ClientError> {
        let body = self
            .send(
                self.http.get(self.url(&format!("/events?after={after}&limit={limit}"))),
                self.options.timeout,
            )
            .await?;
        serde_json::from_value(body).map_err(|e| ClientError::BadAnswer(format!("events: {e}")))
    }

    /// `GET /services/{name}/latency?window=S`.
    pub async fn latency(&self, service: &str, window_s: u64) -> Result<LatencyResponse, ClientError> {
        let path = format!("/services/{service}/latency?window={window_s}");
        let body = self.send(self.http.get(self.url(&path)), self.options.timeout).await?;
        serde_json::from_value(body).map_err(|e| ClientError::BadAnswer(format!("latency: {e}")))
    }

    /// `POST /services/{name}/connection-method`.
    pub async fn set_mode(
        &self,
        service: &str,
        method: ConnectionMethod,
        reason: Option<&str>,
        operator: &str,
    ) -> Result<ModeChangeResponse, ClientError> {
        let request = self.mutation(
            &format!("set {service} to {method}"),
            &format!("/services/{service}/connection-method"),
        )?;
        let mut body = json!({"connection_method": method, "operator": operator});
        if let Some(reason) = reason.filter(|r| !r.trim().is_empty()) {
            body["reason"] = json!(reason);
        }
        let answer = self.send(request.json(&body), self.options.timeout).await?;
        mode_answer(answer, service, method)
    }

    /// `POST /services/{name}/enable`.
    pub async fn enable(&self, service: &str, operator: &str) -> Result<ModeChangeResponse, ClientError> {
        let request = self.mutation(&format!("enable {service}"), &format!("/services/{service}/enable"))?;
        let answer = self.send(request.json(&json!({"operator": operator})), self.options.timeout).await?;
        serde_json::from_value(answer).map_err(|e| ClientError::BadAnswer(format!("enable: {e}")))
    }

    /// `POST /demo/services/{name}/fault` (demo controllers only).
    pub async fn fault(&self, service: &str, fault: Value) -> Result<String, ClientError> {
        let request = self
            .mutation(&format!("fault injection on {service}"), &format!("/demo/services/{service}/fault"))?;
        let answer = self.send(request.json(&fault), self.options.timeout).await?;
        Ok(answer.get("message").and_then(Value::as_str).unwrap_or("done").to_string())
    }

    /// Whether the controller runs the demo platform (`GET /demo/traffic` answers).
    pub async fn demo_offered(&self) -> bool {
        self.send(self.http.get(self.url("/demo/traffic")), self.options.timeout).await.is_ok()
    }
}

/// RssBot's mode answer has fewer fields; fill them from the request.
fn mode_answer(
    answer: Value,
    service: &str,
    method: ConnectionMethod,
) -> Result<ModeChangeResponse, ClientError> {
    if let Ok(full) = serde_json::from_value::<ModeChangeResponse>(answer.clone()) {
        return Ok(full);
    }
    let status = answer.get("status").and_then(Value::as_str).unwrap_or("updated");
    let old =
        answer.get("old_method").and_then(Value::as_str).and_then(ConnectionMethod::parse).unwrap_or(method);
    Ok(ModeChangeResponse {
        success: true,
        status: if status == "no_change" {
            crate::api::ModeChangeStatus::NoChange
        } else {
            crate::api::ModeChangeStatus::Updated
        },
        service: service.to_string(),
        old_method: old,
        new_method: method,
        updated_at: crate::api::Timestamp::now(),
        message: answer
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{service}: {old} -> {method}")),
    })
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(120)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn classify(error: &reqwest::Error, timeout: Duration) -> ClientError {
    if error.is_timeout() {
        return ClientError::Timeout(timeout.as_secs_f64());
    }
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if error.is_connect() {
        ClientError::Unreachable(cause.to_string())
    } else {
        ClientError::BadAnswer(cause.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn read_only_never_sends_a_mutation() {
        // Port 9 (discard) on loopback: nothing should even be attempted.
        let client = ControllerClient::new(ClientOptions {
            base: "http://127.0.0.1:9".into(),
            token: None,
            timeout: DEFAULT_TIMEOUT,
            read_only: true,
        })
        .unwrap();
        let err = client.set_mode("db_svc", ConnectionMethod::Rest, Some("x"), "me").await.unwrap_err();
        assert!(matches!(err, ClientError::ReadOnly(_)), "{err}");
        assert!(matches!(client.enable("db_svc", "me").await.unwrap_err(), ClientError::ReadOnly(_)));
        assert!(matches!(
            client.fault("db_svc", json!({"kind": "kill"})).await.unwrap_err(),
            ClientError::ReadOnly(_)
        ));
    }

    #[test]
    fn bad_urls_are_refused() {
        let options = |base: &str| ClientOptions {
            base: base.into(),
            token: None,
            timeout: DEFAULT_TIMEOUT,
            read_only: false,
        };
        assert!(ControllerClient::new(options("localhost:8004")).is_err());
        assert!(ControllerClient::new(options("http://localhost:8004/")).is_ok());
    }
}
