//! Security: tokens never leak into logs, events, errors or process lists;
//! binding beyond loopback without a token is warned about; the default is
//! loopback.

mod support;

use std::time::Duration;

use serde_json::json;
use support::process::{ControllerProcess, children_of};
use support::*;

const ADMIN: &str = "admin-SECRET-7c1f";
const SERVICE: &str = "service-SECRET-93ab";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_appear_in_logs_events_errors_or_process_lists() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap();
    let c = ControllerProcess::start_with(
        &["--demo", "--state-dir", state, "--admin-token", ADMIN, "--service-token", SERVICE],
        true,
        "debug",
    );
    let base = c.url.clone();
    let url = format!("{base}/services/bot_svc/connection-method");
    let body = json!({"connection_method": "rest", "reason": "security drill"}).to_string().into_bytes();
    let mut seen = Vec::new();
    for token in [None, Some("wrong"), Some(&ADMIN[..ADMIN.len() - 1]), Some(ADMIN)] {
        let (status, answer) = post_raw(&url, body.clone(), token).await;
        seen.push(answer.to_string());
        assert_eq!(status, if token == Some(ADMIN) { 200 } else { 401 }, "{answer}");
    }
    let (status, answer) = call(&base, "bot_svc", "send_message", json!({"chat_id": 1, "text": "hi"})).await;
    assert_eq!(status, 401, "data-plane POSTs need the token too: {answer}");
    let response = client()
        .post(format!("{base}/services/bot_svc/call/send_message"))
        .bearer_auth(ADMIN)
        .json(&json!({"chat_id": 1, "text": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = client()
        .post(format!("{base}/demo/services/bot_svc/fault"))
        .bearer_auth(ADMIN)
        .json(&json!({"kind": "kill"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, refused) = call(&base, "bot_svc", "send_message", json!({})).await;
    seen.push(refused.to_string());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for path in ["/events?limit=1000", "/services", "/metrics", "/services/bot_svc", "/suggestions"] {
        seen.push(client().get(format!("{base}{path}")).send().await.unwrap().text().await.unwrap());
    }
    // The service token goes to children through the environment, not their command lines.
    for child in children_of(c.child.id()) {
        if let Ok(cmdline) = std::fs::read(format!("/proc/{child}/cmdline")) {
            seen.push(String::from_utf8_lossy(&cmdline).to_string());
        }
    }
    seen.extend(c.stderr.lock().unwrap().iter().cloned());
    assert!(seen.len() > 10);
    for text in &seen {
        assert!(!text.contains(ADMIN), "admin token leaked: {text}");
        assert!(!text.contains(SERVICE), "service token leaked: {text}");
    }
}

#[test]
fn binding_beyond_loopback_without_a_token_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap();
    let open = ControllerProcess::start_with(&["--state-dir", state, "--listen", "0.0.0.0:0"], false, "warn");
    std::thread::sleep(Duration::from_millis(200));
    let log = open.stderr.lock().unwrap().join("\n");
    assert!(log.contains("without an admin token"), "{log}");
    drop(open);
    let guarded = ControllerProcess::start_with(
        &["--state-dir", state, "--listen", "0.0.0.0:0", "--admin-token", ADMIN],
        false,
        "warn",
    );
    std::thread::sleep(Duration::from_millis(200));
    let log = guarded.stderr.lock().unwrap().join("\n");
    assert!(!log.contains("without an admin token"), "{log}");
    drop(guarded);
    let default =
        ControllerProcess::start_with(&["--state-dir", state, "--listen", "127.0.0.1:0"], false, "warn");
    assert!(default.url.starts_with("http://127.0.0.1:"), "{}", default.url);
}
