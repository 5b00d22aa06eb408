//! The proxy per mode, against real REST sides over loopback: router never
//! touches the network, REST always does, hybrid decides from the six
//! factors and fails over without losing calls.

mod support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{Value, json};
use support::*;
use switchboard::controller::RunningController;
use switchboard::platform::Service;

/// One service `svc` with an in-process probe and a REST-side probe.
struct Rig {
    _dir: tempfile::TempDir,
    local: Arc<Probe>,
    remote: Arc<Probe>,
    rest: RestServer,
    controller: RunningController,
}

impl Rig {
    async fn new(mode: &str, extra: &str, with_local: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let local = Probe::new("svc", "router");
        let remote = Probe::new("svc", "rest");
        let rest = RestServer::start(remote.clone());
        let yaml = format!(
            "defaults:\n  health_interval_s: 0.1\n  rest_timeout_s: 1\nservices:\n  svc:\n    connection_method: {mode}\n    rest_url: {}\n{extra}",
            rest.url
        );
        let implementations: Vec<Arc<dyn Service>> = if with_local { vec![local.clone()] } else { vec![] };
        let controller = start_controller(&yaml, implementations, dir.path(), None).await;
        Self { _dir: dir, local, remote, rest, controller }
    }

    fn base(&self) -> String {
        self.controller.url()
    }

    async fn call(&self, payload: Value) -> (u16, Value) {
        call(&self.base(), "svc", "echo", payload).await
    }

    /// Waits until both sides have been health-checked.
    async fn wait_checked(&self) {
        let base = self.base();
        let ok = eventually(Duration::from_secs(5), || async {
            let v = service_view(&base, "svc").await;
            v["health_score"].is_number()
        })
        .await;
        assert!(ok, "never health-checked");
    }

    /// Calls at about 40/s for `seconds`, returning the last answer.
    async fn drive(&self, seconds: f64, payload: Value) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs_f64(seconds);
        let mut last = Value::Null;
        while tokio::time::Instant::now() < deadline {
            let (status, body) = self.call(payload.clone()).await;
            assert_eq!(status, 200, "{body}");
            last = body;
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        last
    }

    async fn failing_factors(&self) -> Vec<String> {
        let v = service_view(&self.base(), "svc").await;
        v["decision"]["factors"].as_array().unwrap()[..6]
            .iter()
            .filter(|f| f["pass"] == false)
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    }
}

#[tokio::test]
async fn router_calls_never_touch_the_network() {
    let rig = Rig::new("router", "", true).await;
    for i in 0..50 {
        let (status, body) = rig.call(json!({"i": i})).await;
        assert_eq!(status, 200);
        assert_eq!(body["path"], "router");
        assert_eq!(body["result"]["served_by"], "router");
    }
    assert_eq!(rig.local.calls(), 50);
    assert_eq!(rig.remote.calls(), 0, "the REST side saw a call in router mode");
    let v = service_view(&rig.base(), "svc").await;
    assert_eq!(v["effective_path"], "router");
    assert_eq!(v["traffic"]["router"]["count"], 50);
    assert_eq!(v["traffic"]["rest"]["count"], 0);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn rest_calls_always_cross_http() {
    let rig = Rig::new("rest", "", true).await;
    for i in 0..50 {
        let (status, body) = rig.call(json!({"i": i})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["path"], "rest");
        assert_eq!(body["result"]["served_by"], "rest");
    }
    assert_eq!(rig.remote.calls(), 50);
    assert_eq!(rig.local.calls(), 0, "the in-process side saw a call in rest mode");
    let v = service_view(&rig.base(), "svc").await;
    assert_eq!(v["effective_path"], "rest");
    assert_eq!(v["traffic"]["rest"]["count"], 50);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn rest_errors_are_typed() {
    let mut rig = Rig::new("rest", "", false).await;
    // Upstream failure: 502.
    rig.remote.failing.store(true, Ordering::SeqCst);
    let (status, body) = rig.call(json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (502, "UPSTREAM_ERROR"));
    assert!(body["detail"].as_str().unwrap().contains("failed on purpose"), "{body}");
    rig.remote.failing.store(false, Ordering::SeqCst);
    // Caller error relayed: 400.
    let (status, body) = call(&rig.base(), "svc", "reject", json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (400, "INVALID_REQUEST"));
    // Timeout (rest_timeout_s: 1): 504.
    rig.remote.delay_ms.store(1500, Ordering::SeqCst);
    let (status, body) = rig.call(json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (504, "UPSTREAM_TIMEOUT"));
    rig.remote.delay_ms.store(0, Ordering::SeqCst);
    // Connection refused: 502, counted as an error.
    rig.rest.stop();
    let (status, body) = rig.call(json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (502, "UPSTREAM_ERROR"));
    assert!(body["detail"].as_str().unwrap().to_lowercase().contains("connection"), "{body}");
    let v = service_view(&rig.base(), "svc").await;
    assert!(v["traffic"]["rest"]["errors"].as_u64().unwrap() >= 3, "{v}");
    let (_, events) = get(&format!("{}/events", rig.base())).await;
    assert!(events["events"].as_array().unwrap().iter().any(|e| e["kind"] == "call_failed"));
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_chooses_router_when_all_six_factors_pass() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.wait_checked().await;
    // The first calls are rare (frequency ≤ 10/s), so REST; once frequent, router.
    let (_, first) = rig.call(json!({})).await;
    assert_eq!(first["path"], "rest");
    let last = rig.drive(2.5, json!({"small": true})).await;
    assert_eq!(last["path"], "router", "{last}");
    assert!(rig.failing_factors().await.is_empty(), "{:?}", rig.failing_factors().await);
    let v = service_view(&rig.base(), "svc").await;
    assert_eq!(v["effective_path"], "router");
    assert_eq!(v["decision"]["path"], "router");
    let (_, events) = get(&format!("{}/events", rig.base())).await;
    let flips: Vec<&Value> =
        events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "path_changed").collect();
    assert!(!flips.is_empty(), "no path_changed event: {events}");
    assert_eq!(flips[0]["data"]["to"], "router");
    rig.controller.stop().await.unwrap();
}

/// Drives a hybrid service past the frequency threshold with one factor broken,
/// and asserts that calls go REST and that factor alone fails.
async fn assert_factor_sends_rest(rig: &Rig, factor: &str, payload: Value) {
    let last = rig.drive(2.5, payload).await;
    assert_eq!(last["path"], "rest", "{factor}: {last}");
    assert_eq!(last["failover"], false);
    if factor != "request_size" {
        assert_eq!(rig.failing_factors().await, vec![factor.to_string()]);
    }
    assert!(rig.remote.calls() > 0);
}

#[tokio::test]
async fn hybrid_rest_when_health_fails() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.local.unhealthy.store(true, Ordering::SeqCst);
    rig.wait_checked().await;
    assert_factor_sends_rest(&rig, "service_health", json!({})).await;
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_rest_when_load_is_high() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.remote.load_milli.store(900, Ordering::SeqCst);
    rig.wait_checked().await;
    let base = rig.base();
    assert!(
        eventually(Duration::from_secs(3), || async {
            service_view(&base, "svc").await["decision"]["factors"][1]["value"] == 0.9
        })
        .await
    );
    assert_factor_sends_rest(&rig, "service_load", json!({})).await;
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_rest_when_the_request_is_large() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.wait_checked().await;
    // Frequent small calls go router; a large one goes REST.
    let last = rig.drive(2.5, json!({})).await;
    assert_eq!(last["path"], "router");
    let big = json!({"blob": "x".repeat(1024 * 1024)});
    let (status, body) = rig.call(big).await;
    assert_eq!(status, 200);
    assert_eq!(body["path"], "rest");
    assert_eq!(body["result"]["served_by"], "rest");
    let v = service_view(&rig.base(), "svc").await;
    let size = &v["decision"]["factors"][2];
    assert_eq!(size["name"], "request_size");
    assert_eq!(size["pass"], false, "{v}");
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_rest_when_not_local() {
    let rig = Rig::new("hybrid", "", false).await;
    rig.wait_checked().await;
    // Without an in-process side, health is unknown too; is_local is the cause we assert.
    let last = rig.drive(2.5, json!({})).await;
    assert_eq!(last["path"], "rest");
    let failing = rig.failing_factors().await;
    assert!(failing.contains(&"is_local".to_string()), "{failing:?}");
    assert_eq!(rig.local.calls(), 0);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_rest_when_calls_are_rare() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.wait_checked().await;
    for _ in 0..4 {
        let (status, body) = rig.call(json!({})).await;
        assert_eq!(status, 200);
        assert_eq!(body["path"], "rest");
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    assert_eq!(rig.failing_factors().await, vec!["method_frequency".to_string()]);
    let v = service_view(&rig.base(), "svc").await;
    assert!(v["decision"]["factors"][4]["value"].as_f64().unwrap() <= 10.0);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn hybrid_rest_when_isolation_is_required() {
    let rig = Rig::new("hybrid", "    requires_isolation: true\n", true).await;
    rig.wait_checked().await;
    assert_factor_sends_rest(&rig, "requires_isolation", json!({})).await;
    assert_eq!(rig.local.calls(), 0);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn rest_to_router_failover_loses_no_call() {
    // Isolation keeps hybrid on REST, so every call starts there.
    let mut rig = Rig::new("hybrid", "    requires_isolation: true\n", true).await;
    rig.wait_checked().await;
    let base = rig.base();
    let mut handles = Vec::new();
    for worker in 0..4 {
        let base = base.clone();
        handles.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for i in 0..60 {
                answers.push(call(&base, "svc", "echo", json!({"w": worker, "i": i})).await);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            answers
        }));
    }
    tokio::time::sleep(Duration::from_millis(250)).await;
    rig.rest.stop();
    let mut answers = Vec::new();
    for h in handles {
        answers.extend(h.await.unwrap());
    }
    assert_eq!(answers.len(), 240);
    let failed: Vec<&(u16, Value)> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(failed.is_empty(), "lost calls: {failed:?}");
    let served_by_router =
        answers.iter().filter(|(_, b)| b["failover"] == true && b["path"] == "router").count();
    assert!(served_by_router > 0, "no call failed over");
    assert!(answers.iter().any(|(_, b)| b["path"] == "rest"), "no call reached REST before the stop");
    let (_, events) = get(&format!("{base}/events")).await;
    let failover = events["events"].as_array().unwrap().iter().find(|e| e["kind"] == "failover").cloned();
    let failover = failover.unwrap_or_else(|| panic!("no failover event: {events}"));
    assert_eq!(failover["service"], "svc");
    assert_eq!(failover["data"]["from"], "rest");
    assert_eq!(failover["data"]["to"], "router");
    let metrics = client().get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains(&format!("switchboard_failovers_total{{service=\"svc\"}} {served_by_router}")),
        "{metrics}"
    );
    // The REST side is seen going down.
    let down = eventually(Duration::from_secs(3), || async {
        let (_, events) = get(&format!("{base}/events")).await;
        events["events"].as_array().unwrap().iter().any(|e| {
            e["kind"] == "health_changed" && e["data"]["side"] == "rest" && e["data"]["to"] == "down"
        })
    })
    .await;
    assert!(down);
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn router_to_rest_failover_when_the_handler_errors() {
    let rig = Rig::new("hybrid", "", true).await;
    rig.wait_checked().await;
    let last = rig.drive(2.5, json!({})).await;
    assert_eq!(last["path"], "router");
    rig.local.failing.store(true, Ordering::SeqCst);
    for _ in 0..20 {
        let (status, body) = rig.call(json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["path"], "rest");
        assert_eq!(body["failover"], true);
        assert_eq!(body["result"]["served_by"], "rest");
    }
    let (_, events) = get(&format!("{}/events", rig.base())).await;
    let failover =
        events["events"].as_array().unwrap().iter().find(|e| e["kind"] == "failover").cloned().unwrap();
    assert_eq!(failover["data"]["from"], "router");
    assert!(failover["message"].as_str().unwrap().contains("failed on purpose"));
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn both_paths_failing_is_503_naming_both() {
    let mut rig = Rig::new("hybrid", "", true).await;
    rig.wait_checked().await;
    rig.local.failing.store(true, Ordering::SeqCst);
    rig.rest.stop();
    let (status, body) = rig.call(json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (503, "SERVICE_UNAVAILABLE"));
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("failed on purpose"), "{detail}");
    assert!(detail.to_lowercase().contains("connection"), "{detail}");
    assert!(body["error"]["details"]["primary"]["cause"].is_string());
    assert!(body["error"]["details"]["fallback"]["cause"].is_string());
    let (_, events) = get(&format!("{}/events", rig.base())).await;
    assert!(events["events"].as_array().unwrap().iter().any(|e| e["kind"] == "call_failed"));
    rig.controller.stop().await.unwrap();
}

#[tokio::test]
async fn a_mode_change_applies_to_the_next_call() {
    let rig = Rig::new("router", "", true).await;
    let (_, body) = rig.call(json!({})).await;
    assert_eq!(body["path"], "router");
    let url = format!("{}/services/svc/connection-method", rig.base());
    post(&url, json!({"connection_method": "rest"})).await;
    let (_, body) = rig.call(json!({})).await;
    assert_eq!(body["path"], "rest");
    post(&url, json!({"connection_method": "disabled", "reason": "drill"})).await;
    let (status, _) = rig.call(json!({})).await;
    assert_eq!(status, 503);
    post(&url, json!({"connection_method": "router"})).await;
    let (_, body) = rig.call(json!({})).await;
    assert_eq!(body["path"], "router");
    rig.controller.stop().await.unwrap();
}
