//! Operator changes survive a restart; the audit log has one line per change;
//! a corrupt state file stops the start instead of being reset.

mod support;

use std::sync::Arc;

use serde_json::json;
use support::*;
use switchboard::controller::config::Config;
use switchboard::controller::store::FileStore;
use switchboard::controller::{Controller, ControllerOptions, StartError};
use switchboard::platform::Service;

const CONFIG: &str = "\
services:
  db_svc:
    connection_method: router
  bot_svc:
    connection_method: hybrid
  user_svc:
    connection_method: hybrid
  payment_svc:
    connection_method: disabled
    reason: Under maintenance
";

fn services() -> Vec<Arc<dyn Service>> {
    vec![Probe::new("db_svc", "router"), Probe::new("bot_svc", "router"), Probe::new("user_svc", "router")]
}

#[tokio::test]
async fn a_restart_restores_every_operator_change() {
    let dir = tempfile::tempdir().unwrap();
    let c = start_controller(CONFIG, services(), dir.path(), None).await;
    let base = c.url();
    let changes = [
        ("db_svc", json!({"connection_method": "hybrid", "reason": "try hybrid", "operator": "alice"})),
        ("bot_svc", json!({"connection_method": "router", "operator": "bob"})),
        (
            "user_svc",
            json!({"connection_method": "disabled", "reason": "GDPR export running", "operator": "carol"}),
        ),
        ("db_svc", json!({"connection_method": "rest", "reason": "isolate", "operator": "alice"})),
        (
            "payment_svc",
            json!({"connection_method": "hybrid", "reason": "maintenance over", "operator": "dave"}),
        ),
    ];
    for (svc, body) in &changes {
        let (status, answer) = post(&format!("{base}/services/{svc}/connection-method"), body.clone()).await;
        assert_eq!(status, 200, "{answer}");
    }
    let before: Vec<serde_json::Value> = service_views(&base).await;
    c.stop().await.unwrap();

    let again = start_controller(CONFIG, services(), dir.path(), None).await;
    let after = service_views(&again.url()).await;
    for (b, a) in before.iter().zip(after.iter()) {
        for field in ["name", "connection_method", "mode_source", "reason", "updated_at", "updated_by"] {
            assert_eq!(b[field], a[field], "{field} of {}", b["name"]);
        }
    }
    let db = &after[0];
    assert_eq!(db["connection_method"], "rest");
    assert_eq!(db["mode_source"], "operator");
    assert_eq!(db["updated_by"], "alice");
    assert_eq!(after[2]["connection_method"], "disabled");
    assert_eq!(after[2]["reason"], "GDPR export running");
    // Enable after the restart still knows the mode before disabled.
    let (status, body) =
        post_raw(&format!("{}/services/user_svc/enable", again.url()), Vec::new(), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["new_method"], "hybrid");
    again.stop().await.unwrap();

    let (entries, broken) = FileStore::read_audit(dir.path()).unwrap();
    assert_eq!(broken, 0);
    assert_eq!(entries.len(), changes.len() + 1, "one audit line per change");
    assert_eq!(entries[2].service, "user_svc");
    assert_eq!(entries[2].reason.as_deref(), Some("GDPR export running"));
    assert_eq!(entries[2].operator, "carol");
}

async fn service_views(base: &str) -> Vec<serde_json::Value> {
    let (_, list) = get(&format!("{base}/services")).await;
    list["services"].as_array().unwrap().clone()
}

/// Starts a controller on `CONFIG` (named `source`) without implementations.
fn start_bare(source: &str, state: &std::path::Path) -> Result<Controller, StartError> {
    Controller::start(ControllerOptions {
        config: Config::parse(CONFIG, source, &|_| None).unwrap(),
        state_dir: state.to_path_buf(),
        admin_token: None,
        service_token: None,
        implementations: Default::default(),
    })
}

#[tokio::test]
async fn a_corrupt_state_file_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("overrides.json"), b"{\"version\": 1, \"overrides\": {\"db_svc\": ")
        .unwrap();
    let Err(err) = start_bare("test.yml", dir.path()) else { panic!("started on a corrupt state file") };
    assert!(matches!(err, StartError::Store(_)));
    let text = err.to_string();
    assert!(text.contains("overrides.json"), "{text}");
    // The file is left as it was.
    let kept = std::fs::read(dir.path().join("overrides.json")).unwrap();
    assert!(kept.ends_with(b"\"db_svc\": "));
}

#[tokio::test]
async fn router_in_the_file_without_an_implementation_is_a_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let Err(err) = start_bare("conf.yml", dir.path()) else { panic!("started") };
    let text = err.to_string();
    assert!(text.contains("conf.yml") && text.contains("db_svc") && text.contains("router"), "{text}");
}
