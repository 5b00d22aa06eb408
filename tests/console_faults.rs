//! The console under faults, in a pseudo-terminal: a controller that answers
//! garbage (HTML, truncated JSON, a 10 MB body, a 30 s stall), a controller
//! killed and restarted ten times, terminal sizes from 1×1 to 300×100. The
//! console never exits, says what is wrong, and recovers. A panic restores
//! the terminal.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use support::process::ControllerProcess;
use support::pty::PtyProgram;

const GOOD: u8 = 0;
const HTML: u8 = 1;
const TRUNCATED: u8 = 2;
const HUGE: u8 = 3;
const STALL: u8 = 4;

async fn services(mode: Arc<AtomicU8>) -> Response {
    match mode.load(Ordering::SeqCst) {
        HTML => ([("content-type", "text/html")], "<html><body><h1>502 Bad Gateway</h1></body></html>").into_response(),
        TRUNCATED => ([("content-type", "application/json")], r#"{"services": [{"name": "db_svc", "connection_m"#).into_response(),
        HUGE => ([("content-type", "application/json")], format!(r#"{{"services": [], "pad": "{}"}}"#, "x".repeat(10 * 1024 * 1024))).into_response(),
        STALL => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late".into_response()
        }
        _ => axum::Json(serde_json::json!({"services": [
            {"name": "db_svc", "display_name": "Database Service", "connection_method": "router", "health_status": "healthy", "is_mounted": true, "has_router": true, "last_health_check": null},
            {"name": "ai_svc", "display_name": "AI Service", "connection_method": "rest", "health_status": "healthy", "is_mounted": false, "has_router": false, "last_health_check": null}
        ]}))
        .into_response(),
    }
}

fn env(home: &str) -> Vec<(&'static str, String)> {
    vec![
        ("HOME", home.to_string()),
        ("XDG_CONFIG_HOME", home.to_string()),
        ("XDG_STATE_HOME", home.to_string()),
    ]
}

fn start_console(url: &str, home: &str) -> PtyProgram {
    let env = env(home);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    PtyProgram::start(&["console", "--controller", url, "--interval", "200ms"], &env, 140, 40)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_answers_and_odd_sizes_never_take_the_console_down() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let mode = Arc::new(AtomicU8::new(GOOD));
    let app = {
        let mode = mode.clone();
        Router::new().route("/services", get(move || services(mode.clone())))
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mut console = tokio::task::block_in_place(|| start_console(&url, &home));
    let faults = [
        (HTML, "not JSON"),
        (TRUNCATED, "unexpected answer"),
        (HUGE, "larger than 8 MiB"),
        (STALL, "no answer within 2.0 s"),
    ];
    tokio::task::block_in_place(|| {
        console.wait_for("first data", Duration::from_secs(10), |s| {
            s.contains("db_svc") && s.contains("● connected")
        });
    });
    for (fault, says) in faults {
        mode.store(fault, Ordering::SeqCst);
        tokio::task::block_in_place(|| {
            console
                .wait_for(says, Duration::from_secs(15), |s| s.contains("reconnecting") && s.contains(says));
            assert!(console.contents().contains("db_svc"), "stale data vanished");
        });
        mode.store(GOOD, Ordering::SeqCst);
        tokio::task::block_in_place(|| {
            console.wait_for("recovery", Duration::from_secs(40), |s| s.contains("● connected"));
            assert!(console.child.try_wait().unwrap().is_none(), "the console exited");
        });
    }
    tokio::task::block_in_place(|| {
        for (cols, rows) in [(1, 1), (2, 1), (20, 5), (80, 24), (300, 100), (5, 40), (300, 2), (140, 40)] {
            console.resize(cols, rows);
            std::thread::sleep(Duration::from_millis(150));
            assert!(console.child.try_wait().unwrap().is_none(), "the console exited at {cols}x{rows}");
        }
        console.wait_for("a full screen again", Duration::from_secs(5), |s| {
            s.contains("db_svc") && s.contains("● connected")
        });
        console.send("q");
        let status = console.wait_exit(Duration::from_secs(5)).expect("no exit on q");
        assert!(status.success());
        assert!(!console.alternate_screen());
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_controller_killed_and_restarted_ten_times() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let state = dir.path().join("state");
    let state = state.to_str().unwrap().to_string();
    let mut controller = ControllerProcess::start(&["--state-dir", &state]);
    let url = controller.url.clone();
    let listen = url.trim_start_matches("http://").to_string();
    let mut console = tokio::task::block_in_place(|| start_console(&url, &home));
    tokio::task::block_in_place(|| {
        console.wait_for("first data", Duration::from_secs(10), |s| {
            s.contains("db_svc") && s.contains("● connected")
        });
        for round in 0..10 {
            controller.child.kill().unwrap();
            controller.child.wait().unwrap();
            console.wait_for("reconnecting", Duration::from_secs(10), |s| s.contains("reconnecting"));
            assert!(console.child.try_wait().unwrap().is_none(), "the console exited in round {round}");
            controller =
                ControllerProcess::start_with(&["--state-dir", &state, "--listen", &listen], false, "warn");
            console.wait_for("recovery", Duration::from_secs(15), |s| {
                s.contains("● connected") && s.contains("db_svc")
            });
        }
        console.send("q");
        assert!(console.wait_exit(Duration::from_secs(5)).expect("no exit on q").success());
    });
}

#[test]
fn a_panic_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_str().unwrap().to_string();
    let env = env(&home);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.push(("SWITCHBOARD_CONSOLE_PANIC_CHECK", "1"));
    env.push(("RUST_BACKTRACE", "0"));
    let mut console = PtyProgram::start(&["console", "--controller", "http://127.0.0.1:9"], &env, 100, 30);
    let status = console.wait_exit(Duration::from_secs(10)).expect("the panic did not end the console");
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(200));
    assert!(!console.alternate_screen(), "a panic left the alternate screen on");
    assert!(!console.cursor_hidden(), "a panic left the cursor hidden");
    assert!(console.contents().contains("deliberate panic"), "{}", console.contents());
}
