//! The real console binary in a pseudo-terminal: an operator disables a
//! service with a typed reason, the controller dies and comes back, and the
//! console stays up and recovers; a bare first run shows live data and
//! leaves nothing behind.

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use support::process::{alive, children_of};
use support::pty::PtyProgram;
use support::*;
use switchboard::platform::Service;

const CONFIG: &str = "\
defaults:
  health_interval_s: 0.5
services:
  db_svc:
    connection_method: router
    reason: Core service
  bot_svc:
    connection_method: hybrid
    reason: Variable load
  ai_svc:
    connection_method: rest
";

fn services() -> Vec<Arc<dyn Service>> {
    vec![Probe::new("db_svc", "router"), Probe::new("bot_svc", "router")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disable_by_keystroke_then_survive_a_controller_restart() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let state = dir.path().join("state");
    let running = start_controller(CONFIG, services(), &state, None).await;
    let url = running.url();
    let addr = running.addr;
    let env = [
        ("HOME", home.as_str()),
        ("XDG_CONFIG_HOME", home.as_str()),
        ("XDG_STATE_HOME", home.as_str()),
        ("NO_COLOR", "1"),
    ];
    let mut console = tokio::task::block_in_place(|| {
        PtyProgram::start(
            &["console", "--controller", &url, "--operator", "tester", "--interval", "200ms"],
            &env,
            120,
            36,
        )
    });
    tokio::task::block_in_place(|| {
        console.wait_for("the services table", Duration::from_secs(10), |s| {
            s.contains("bot_svc") && s.contains("connected")
        });
        // Select bot_svc by filtering, then disable it with a typed reason.
        console.send("/bot\r");
        console.wait_for("the filter", Duration::from_secs(3), |s| s.contains("services 1/3"));
        console.send("d");
        console.wait_for("the reason prompt", Duration::from_secs(3), |s| s.contains("reason (required)"));
        console.send("pty drill");
        console.send("\r");
        console.wait_for("the controller's answer", Duration::from_secs(5), |s| {
            s.contains("bot_svc: hybrid -> disabled")
        });
    });
    let view = service_view(&url, "bot_svc").await;
    assert_eq!(view["connection_method"], "disabled");
    assert_eq!(view["reason"], "pty drill");
    assert_eq!(view["updated_by"], "tester");
    tokio::task::block_in_place(|| {
        console.wait_for("the disabled row", Duration::from_secs(5), |s| {
            s.lines().any(|l| l.contains("bot_svc") && l.contains("disabled") && l.contains("pty drill"))
        });
    });

    // The controller goes away: the console stays up and says it is reconnecting.
    running.stop().await.unwrap();
    tokio::task::block_in_place(|| {
        console.wait_for("reconnecting", Duration::from_secs(10), |s| s.contains("reconnecting in"));
        assert!(console.child.try_wait().unwrap().is_none(), "the console exited");
        assert!(console.contents().contains("stale"), "stale data is not marked:\n{}", console.contents());
    });

    // It comes back on the same port (with its state): the console recovers.
    let again = start_controller_on(addr, CONFIG, services(), &state, None).await;
    tokio::task::block_in_place(|| {
        console.wait_for("recovery", Duration::from_secs(15), |s| {
            s.contains("● connected") && !s.contains("reconnecting")
        });
        console.wait_for("the restored row", Duration::from_secs(5), |s| {
            s.lines().any(|l| l.contains("bot_svc") && l.contains("disabled"))
        });
        console.send("q");
        let status = console.wait_exit(Duration::from_secs(5)).expect("the console did not exit on q");
        assert!(status.success(), "{status:?}");
        assert!(!console.alternate_screen(), "the terminal was left on the alternate screen");
        assert!(!console.cursor_hidden(), "the cursor was left hidden");
    });
    // A change through the API shows the console did not send anything else.
    let (status, _) =
        post(&format!("{}/services/bot_svc/enable", again.url()), json!({"operator": "api"})).await;
    assert_eq!(status, 200);
    again.stop().await.unwrap();
}

#[test]
fn a_bare_first_run_shows_live_data_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let env =
        [("HOME", home.as_str()), ("XDG_CONFIG_HOME", home.as_str()), ("XDG_STATE_HOME", home.as_str())];
    let mut console = PtyProgram::start(&[], &env, 160, 45);
    // Live data within 5 s: db_svc has a measured rate above zero.
    console.wait_for("live data", Duration::from_secs(5), |s| {
        s.lines().any(|l| {
            l.contains("db_svc")
                && l.split_whitespace().filter_map(|w| w.parse::<f64>().ok()).any(|v| v > 1.0 && v < 10_000.0)
        }) && s.contains("connected")
    });
    let pid = console.pid();
    let children = children_of(pid);
    assert_eq!(children.len(), 8, "expected 8 REST sides, found {children:?}");
    console.send("q");
    let status = console.wait_exit(Duration::from_secs(15)).expect("the console did not exit on q");
    assert!(status.success(), "{status:?}");
    assert!(!console.alternate_screen(), "the terminal was left on the alternate screen");
    assert!(!console.cursor_hidden(), "the cursor was left hidden");
    std::thread::sleep(Duration::from_millis(500));
    let left: Vec<u32> = children.into_iter().filter(|c| alive(*c)).collect();
    assert!(left.is_empty(), "child processes left behind: {left:?}");
    assert!(dir.path().join("switchboard").join("console.log").exists(), "no log file");
}
