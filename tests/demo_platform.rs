//! The demo platform through the real binary: a living platform on first
//! run, failover under load when a REST process dies, errors counted in pure
//! REST mode, and no child outliving a SIGKILLed controller.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::process::{ControllerProcess, alive, children_of, wait_until};
use support::*;

#[tokio::test]
async fn the_demo_shows_a_living_platform_within_five_seconds() {
    let state = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let demo = ControllerProcess::start(&["--demo", "--state-dir", state.path().to_str().unwrap()]);
    let base = demo.url.clone();
    let last = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
    let living = eventually(Duration::from_secs(5).saturating_sub(started.elapsed()), || {
        let base = base.clone();
        let last = last.clone();
        async move {
            let Ok(response) = client().get(format!("{base}/services")).send().await else { return false };
            let Ok(list) = response.json::<Value>().await else { return false };
            *last.lock().unwrap() = list.clone();
            let services = list["services"].as_array().cloned().unwrap_or_default();
            services.len() == 8
                && services.iter().all(|s| {
                    s["traffic"]["rps"].as_f64().unwrap_or(0.0) > 0.0 && s["health_score"].is_number()
                })
        }
    })
    .await;
    let last = last.lock().unwrap().clone();
    assert!(living, "not every service had traffic and a health score within 5 s: {last}");
    let services = last["services"].as_array().unwrap();
    assert!(
        services.iter().all(|s| s["rest_url"].as_str().is_some_and(|u| u.starts_with("http://127.0.0.1:")))
    );

    let (status, body) = call(&base, "db_svc", "get_feeds", json!({"user_id": 123, "limit": 10})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["path"], "router");
    assert_eq!(body["result"]["count"], 5);
    let (_, events) = get(&format!("{base}/events")).await;
    let started: Vec<&Value> =
        events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "service_started").collect();
    assert_eq!(started.len(), 8, "{events}");
    // /demo answers too.
    let (status, t) = post(&format!("{base}/demo/traffic"), json!({"multiplier": 2.0})).await;
    assert_eq!((status, t["multiplier"].as_f64()), (200, Some(2.0)));
    let (status, _) = post(&format!("{base}/demo/traffic"), json!({"multiplier": -1})).await;
    assert_eq!(status, 400);
}

const HYBRID_CONFIG: &str = "\
defaults:
  health_interval_s: 0.5
services:
  bot_svc:
    connection_method: hybrid
    requires_isolation: true
    reason: isolation keeps hybrid on REST, so failover is exercised
";

/// Drives `bot_svc.send_message` from `workers` tasks for `seconds`; returns (answers, calls/s).
async fn drive(base: &str, workers: usize, seconds: f64) -> (Vec<(u16, Value)>, f64) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..workers {
        let base = base.to_string();
        tasks.push(tokio::spawn(async move {
            let http = client();
            let url = format!("{base}/services/bot_svc/call/send_message");
            let mut answers = Vec::new();
            let mut i: u64 = 0;
            while start.elapsed().as_secs_f64() < seconds {
                let body = json!({"chat_id": (w as u64) * 1_000_000 + i, "text": "hello"});
                let r = http.post(&url).json(&body).send().await.unwrap();
                let status = r.status().as_u16();
                answers.push((status, r.json::<Value>().await.unwrap()));
                i += 1;
            }
            answers
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let rate = all.len() as f64 / start.elapsed().as_secs_f64();
    (all, rate)
}

#[tokio::test]
async fn killing_a_rest_process_under_load_loses_no_hybrid_call() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("services.yml");
    std::fs::write(&config, HYBRID_CONFIG).unwrap();
    let state = dir.path().join("state");
    let demo = ControllerProcess::start(&[
        "--demo",
        "--config",
        config.to_str().unwrap(),
        "--state-dir",
        state.to_str().unwrap(),
    ]);
    let base = demo.url.clone();
    assert!(
        eventually(Duration::from_secs(5), || async {
            service_view(&base, "bot_svc").await["health_status"] == "healthy"
        })
        .await
    );

    let fault = format!("{base}/demo/services/bot_svc/fault");
    let killer = {
        let fault = fault.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            post(&fault, json!({"kind": "kill"})).await
        })
    };
    let (answers, rate) = drive(&base, 16, 4.0).await;
    let (status, killed) = killer.await.unwrap();
    assert_eq!(status, 200, "{killed}");
    assert!(rate >= 500.0, "drove only {rate:.0} calls/s");
    let failed: Vec<&(u16, Value)> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(
        failed.is_empty(),
        "{} of {} calls failed, e.g. {:?}",
        failed.len(),
        answers.len(),
        failed.first()
    );
    assert!(answers.iter().any(|(_, b)| b["path"] == "rest"), "no call went REST before the kill");
    assert!(
        answers.iter().any(|(_, b)| b["failover"] == true || b["path"] == "router"),
        "no call was served after the kill"
    );
    let (_, events) = get(&format!("{base}/events?limit=1000")).await;
    let kinds: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["service"] == "bot_svc")
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"failover") || kinds.contains(&"health_changed"), "{kinds:?}");
    assert!(kinds.contains(&"service_stopped"), "{kinds:?}");
    assert!(kinds.contains(&"fault_injected"), "{kinds:?}");

    // A restart brings the REST side back to healthy within 3 health intervals.
    let (status, restarted) = post(&fault, json!({"kind": "restart"})).await;
    assert_eq!(status, 200, "{restarted}");
    let back = Instant::now();
    let healthy = eventually(Duration::from_secs(5), || async {
        let (_, events) = get(&format!("{base}/events?limit=1000")).await;
        events["events"].as_array().unwrap().iter().rev().take_while(|e| e["kind"] != "fault_injected").any(
            |e| e["kind"] == "health_changed" && e["data"]["side"] == "rest" && e["data"]["to"] == "healthy",
        )
    })
    .await;
    let took = back.elapsed();
    assert!(healthy, "the REST side never became healthy again");
    assert!(took <= Duration::from_millis(1500), "healthy after {took:?}, more than 3 intervals of 0.5 s");

    // In pure REST mode the same kill is seen by callers as 502/503 JSON errors, and counted.
    let (status, _) =
        post(&format!("{base}/services/bot_svc/connection-method"), json!({"connection_method": "rest"}))
            .await;
    assert_eq!(status, 200);
    let metrics_before = rest_errors(&base).await;
    post(&fault, json!({"kind": "kill"})).await;
    let (answers, _) = drive(&base, 4, 1.0).await;
    let failed: Vec<&(u16, Value)> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(!failed.is_empty(), "no call failed with the REST side down in rest mode");
    for (status, body) in &failed {
        assert!(matches!(status, 502 | 503), "{status}: {body}");
        let code = error_code(body);
        assert!(code == "UPSTREAM_ERROR" || code == "SERVICE_UNAVAILABLE", "{code}");
    }
    let counted = rest_errors(&base).await - metrics_before;
    assert!(counted >= failed.len() as u64, "{} failures seen, {counted} counted", failed.len());
    let v = service_view(&base, "bot_svc").await;
    assert!(v["traffic"]["error_rate"].as_f64().unwrap() > 0.0, "{v}");
}

async fn rest_errors(base: &str) -> u64 {
    let text = client().get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find(|l| l.starts_with("switchboard_call_errors_total{service=\"bot_svc\",path=\"rest\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn no_service_process_outlives_a_sigkilled_controller() {
    let state = tempfile::tempdir().unwrap();
    let mut demo = ControllerProcess::start(&["--demo", "--state-dir", state.path().to_str().unwrap()]);
    let pid = demo.pid();
    assert!(
        wait_until(Duration::from_secs(10), || children_of(pid).len() == 8),
        "children: {:?}",
        children_of(pid)
    );
    let children = children_of(pid);
    demo.child.kill().unwrap(); // SIGKILL
    demo.child.wait().unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let left: Vec<u32> = children.iter().copied().filter(|c| alive(*c)).collect();
    assert!(left.is_empty(), "service processes left after 2 s: {left:?}");
}

#[tokio::test]
async fn a_crashed_rest_process_is_restarted_with_backoff() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("services.yml");
    std::fs::write(&config, HYBRID_CONFIG).unwrap();
    let demo = ControllerProcess::start(&[
        "--demo",
        "--config",
        config.to_str().unwrap(),
        "--state-dir",
        dir.path().join("s").to_str().unwrap(),
    ]);
    let base = demo.url.clone();
    let (_, events) = get(&format!("{base}/events")).await;
    let started = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "service_started")
        .cloned()
        .unwrap();
    let pid = started["data"]["pid"].as_u64().unwrap() as i32;
    // SAFETY: sending a signal to a process id we were just told about.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    let crashed_at = Instant::now();
    let restarted = eventually(Duration::from_secs(5), || async {
        let (_, events) = get(&format!("{base}/events")).await;
        let list = events["events"].as_array().unwrap().clone();
        let stopped = list.iter().any(|e| e["kind"] == "service_stopped");
        let again = list.iter().filter(|e| e["kind"] == "service_started").count() == 2;
        stopped && again
    })
    .await;
    assert!(restarted, "the crashed REST side was not restarted");
    assert!(crashed_at.elapsed() >= Duration::from_millis(400), "restarted without backoff");
    let (status, body) = call(&base, "bot_svc", "send_message", json!({"chat_id": 1, "text": "back"})).await;
    assert_eq!(status, 200, "{body}");
}
