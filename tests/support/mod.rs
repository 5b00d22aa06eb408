//! Shared test harness: real controllers and REST sides on ephemeral
//! loopback ports, spoken to over real HTTP.
#![allow(dead_code)]

pub mod process;
pub mod pty;
pub mod raw_http;
pub mod screens;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Value, json};
use switchboard::controller::config::Config;
use switchboard::controller::{Controller, ControllerOptions, RunningController};
use switchboard::platform::{RestSide, RestSideConfig, Service, ServiceError, ServiceHealth};

/// The service token the test REST sides require.
pub const SERVICE_TOKEN: &str = "test-service-token";

/// A service that counts its calls and can be told to fail or look unhealthy.
pub struct Probe {
    pub name: String,
    pub label: &'static str,
    pub calls: AtomicU64,
    pub failing: AtomicBool,
    pub unhealthy: AtomicBool,
    /// Load reported by health(), in thousandths.
    pub load_milli: AtomicU64,
    /// Extra latency per call, ms.
    pub delay_ms: AtomicU64,
}

impl Probe {
    pub fn new(name: &str, label: &'static str) -> Arc<Self> {
        Arc::new(Self {
            name: name.to_string(),
            label,
            calls: AtomicU64::new(0),
            failing: AtomicBool::new(false),
            unhealthy: AtomicBool::new(false),
            load_milli: AtomicU64::new(0),
            delay_ms: AtomicU64::new(0),
        })
    }

    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Service for Probe {
    fn name(&self) -> &str {
        &self.name
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let delay = self.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if self.failing.load(Ordering::SeqCst) {
            return Err(ServiceError::Failed(format!("{} handler failed on purpose", self.label)));
        }
        match method {
            "echo" => Ok(json!({"served_by": self.label, "size": payload.to_string().len()})),
            "reject" => Err(ServiceError::InvalidRequest("rejected on purpose".into())),
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }

    fn health(&self) -> ServiceHealth {
        if self.unhealthy.load(Ordering::SeqCst) {
            ServiceHealth::failing("unhealthy on purpose")
        } else {
            ServiceHealth::ok(self.load_milli.load(Ordering::SeqCst) as f64 / 1000.0)
        }
    }
}

/// A REST side on its own runtime, so that stopping it really closes every socket.
pub struct RestServer {
    pub url: String,
    pub addr: std::net::SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
    service: Arc<dyn Service>,
}

impl RestServer {
    pub fn start(service: Arc<dyn Service>) -> Self {
        Self::start_on(service, "127.0.0.1:0".parse().unwrap())
    }

    pub fn start_on(service: Arc<dyn Service>, addr: std::net::SocketAddr) -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let std_listener = std::net::TcpListener::bind(addr).unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let app = RestSide::router(
            service.clone(),
            RestSideConfig { token: Some(SERVICE_TOKEN.to_string()), faults: None },
        );
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
        Self { url: format!("http://{addr}"), addr, runtime: Some(runtime), service }
    }

    /// Kills the server: every connection is dropped at once.
    pub fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Starts again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        let again = Self::start_on(self.service.clone(), self.addr);
        *self = again;
    }
}

impl Drop for RestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts a controller on an ephemeral port.
pub async fn start_controller(
    yaml: &str,
    implementations: Vec<Arc<dyn Service>>,
    state_dir: &Path,
    admin_token: Option<&str>,
) -> RunningController {
    start_controller_on("127.0.0.1:0".parse().unwrap(), yaml, implementations, state_dir, admin_token).await
}

/// Starts a controller on a given address (to come back on the same port).
pub async fn start_controller_on(
    addr: std::net::SocketAddr,
    yaml: &str,
    implementations: Vec<Arc<dyn Service>>,
    state_dir: &Path,
    admin_token: Option<&str>,
) -> RunningController {
    let config = Config::parse(yaml, "test.yml", &|_| None).unwrap();
    let implementations: HashMap<String, Arc<dyn Service>> =
        implementations.into_iter().map(|s| (s.name().to_string(), s)).collect();
    let controller = Controller::start(ControllerOptions {
        config,
        state_dir: state_dir.to_path_buf(),
        admin_token: admin_token.map(str::to_string),
        service_token: Some(SERVICE_TOKEN.to_string()),
        implementations,
    })
    .unwrap();
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    controller.spawn(listener, None).unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(40)).build().unwrap()
}

/// GET and parse JSON, returning status and body.
pub async fn get(url: &str) -> (u16, Value) {
    let response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")))
}

/// POST JSON, returning status and body.
pub async fn post(url: &str, body: Value) -> (u16, Value) {
    post_raw(url, body.to_string().into_bytes(), None).await
}

/// POST bytes with an optional bearer token, returning status and parsed body.
pub async fn post_raw(url: &str, body: Vec<u8>, token: Option<&str>) -> (u16, Value) {
    let mut request = client().post(url).header("content-type", "application/json").body(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: not JSON ({e}): {text}")))
}

/// Asserts the API's error shape and returns the code.
pub fn error_code(body: &Value) -> String {
    assert!(body["detail"].is_string(), "no detail: {body}");
    assert_eq!(body["detail"], body["error"]["message"], "{body}");
    body["error"]["code"].as_str().unwrap_or_else(|| panic!("no error.code: {body}")).to_string()
}

/// Polls `check` until it holds or `timeout` passes.
pub async fn eventually<F, Fut>(timeout: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The view of one service from `GET /services/{name}`.
pub async fn service_view(base: &str, name: &str) -> Value {
    let (status, body) = get(&format!("{base}/services/{name}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Calls a method through the controller.
pub async fn call(base: &str, service: &str, method: &str, payload: Value) -> (u16, Value) {
    post(&format!("{base}/services/{service}/call/{method}"), payload).await
}
