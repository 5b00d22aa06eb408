//! `switchboard status` and `switchboard set-mode` against a real controller:
//! exit 0 on success, 1 when the controller refuses or cannot be reached
//! (its message on stderr), 2 on usage errors.

mod support;

use std::process::{Command, Output};
use std::sync::Arc;

use support::*;
use switchboard::platform::Service;

const CONFIG: &str = "services:\n  db_svc:\n    connection_method: router\n  ai_svc:\n    connection_method: rest\n    reason: Resource intensive\n";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(args)
        .env_remove("SWITCHBOARD_CONTROLLER")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_and_set_mode_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let services: Vec<Arc<dyn Service>> = vec![Probe::new("db_svc", "router")];
    let c = start_controller(CONFIG, services, dir.path(), None).await;
    let url = c.url();
    let out = tokio::task::block_in_place(|| {
        (
            run(&["status", "--controller", &url]),
            run(&["status", "--controller", &url, "--json"]),
            run(&[
                "set-mode",
                "db_svc",
                "hybrid",
                "--reason",
                "from the CLI",
                "--operator",
                "cli",
                "--controller",
                &url,
            ]),
            run(&["set-mode", "ai_svc", "router", "--controller", &url]),
            run(&["set-mode", "db_svc", "disabled", "--controller", &url]),
            run(&["set-mode", "db_svc", "turbo", "--controller", &url]),
            run(&["status", "--controller", "http://127.0.0.1:9"]),
        )
    });
    let (status, json, set, conflict, no_reason, usage, unreachable) = out;
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("db_svc") && text.contains("ai_svc") && text.contains("Resource intensive"),
        "{text}"
    );
    assert_eq!(json.status.code(), Some(0));
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["services"][1]["connection_method"], "rest");

    assert_eq!(set.status.code(), Some(0), "{}", String::from_utf8_lossy(&set.stderr));
    assert_eq!(String::from_utf8_lossy(&set.stdout).trim(), "db_svc: router -> hybrid");
    let view = service_view(&url, "db_svc").await;
    assert_eq!(
        (view["connection_method"].as_str(), view["updated_by"].as_str()),
        (Some("hybrid"), Some("cli"))
    );

    assert_eq!(conflict.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&conflict.stderr).contains("no in-process implementation"),
        "{:?}",
        conflict
    );
    assert_eq!(no_reason.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_reason.stderr).contains("reason"), "{:?}", no_reason);
    assert_eq!(usage.status.code(), Some(2));
    assert_eq!(unreachable.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unreachable.stderr).contains("cannot reach"), "{:?}", unreachable);
    c.stop().await.unwrap();
}
