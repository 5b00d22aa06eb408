//! The proxy's cost per mode: router through the proxy, hybrid with a cached
//! decision, and a small REST call over loopback beside a bare reqwest→axum
//! round trip measured in the same run (the loopback floor of this machine).
//!
//! Run: `cargo bench --bench proxy`; medians land in
//! `target/criterion/<group>/<bench>/new/estimates.json`.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use switchboard::api::{CallPath, ConnectionMethod, ModeChangeRequest};
use switchboard::controller::config::Config;
use switchboard::controller::proxy::Payload;
use switchboard::controller::{Controller, ControllerOptions};
use switchboard::platform::{RestSide, RestSideConfig, Service, ServiceError};

/// The smallest real service: answers a small object.
struct Echo;

#[async_trait]
impl Service for Echo {
    fn name(&self) -> &str {
        "svc"
    }

    async fn call(&self, _method: &str, payload: &Value) -> Result<Value, ServiceError> {
        Ok(json!({"ok": payload.is_object()}))
    }
}

/// Serves the REST side on its own runtime and thread, like another process would.
fn rest_side() -> (String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = RestSide::router(Arc::new(Echo), RestSideConfig::default());
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, app).await.unwrap();
    });
    (url, runtime)
}

fn controller(rest_url: &str, state: &std::path::Path) -> Controller {
    let yaml = format!("services:\n  svc:\n    connection_method: router\n    rest_url: {rest_url}\n");
    let config = Config::parse(&yaml, "bench.yml", &|_| None).unwrap();
    let mut implementations: HashMap<String, Arc<dyn Service>> = HashMap::new();
    implementations.insert("svc".into(), Arc::new(Echo));
    Controller::start(ControllerOptions {
        config,
        state_dir: state.to_path_buf(),
        admin_token: None,
        service_token: None,
        implementations,
    })
    .unwrap()
}

fn proxy(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (rest_url, _rest_runtime) = rest_side();
    let state = tempfile::tempdir().unwrap();
    let controller = runtime.block_on(async { controller(&rest_url, state.path()) });
    let payload = Payload::from_value(json!({"user_id": 123, "limit": 10}));
    let set = |mode: ConnectionMethod| {
        runtime.block_on(async {
            controller
                .change_mode(
                    "svc",
                    ModeChangeRequest { connection_method: mode, reason: None, operator: None },
                )
                .await
                .unwrap();
        })
    };

    let mut group = c.benchmark_group("proxy");
    group.warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(4));

    set(ConnectionMethod::Router);
    group.bench_function("router_call", |b| {
        b.to_async(&runtime).iter(|| async {
            let out = controller.proxy().call("svc", "get_feeds", black_box(&payload)).await.unwrap();
            black_box(out.path)
        })
    });

    set(ConnectionMethod::Hybrid);
    // Make the method frequent so that hybrid decides router, and cache the decision.
    runtime.block_on(async {
        for _ in 0..5000 {
            controller.proxy().call("svc", "get_feeds", &payload).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
        for _ in 0..5000 {
            controller.proxy().call("svc", "get_feeds", &payload).await.unwrap();
        }
        let out = controller.proxy().call("svc", "get_feeds", &payload).await.unwrap();
        assert_eq!(out.path, CallPath::Router, "hybrid should decide router for a frequent small call");
    });
    group.bench_function("hybrid_cached_router", |b| {
        b.to_async(&runtime).iter(|| async {
            let out = controller.proxy().call("svc", "get_feeds", black_box(&payload)).await.unwrap();
            black_box(out.path)
        })
    });

    set(ConnectionMethod::Rest);
    group.bench_function("rest_call_small", |b| {
        b.to_async(&runtime).iter(|| async {
            let out = controller.proxy().call("svc", "get_feeds", black_box(&payload)).await.unwrap();
            black_box(out.path)
        })
    });

    // The floor: the same request with a bare reqwest client, no proxy.
    let bare = reqwest::Client::new();
    let url = format!("{rest_url}/api/get_feeds");
    let body = payload.bytes().clone();
    group.bench_function("loopback_floor_reqwest_axum", |b| {
        b.to_async(&runtime).iter(|| async {
            let r = bare.post(&url).body(body.clone()).send().await.unwrap();
            black_box(r.bytes().await.unwrap())
        })
    });
    group.finish();
    controller.stop();
}

criterion_group!(benches, proxy);
criterion_main!(benches);
