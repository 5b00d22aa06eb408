//! Fixed console states for screen tests and benchmarks.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard::api::{Bucket, LatencyResponse, Timestamp};
use switchboard::client::{ServiceRow, service_row};
use switchboard::console::action::Msg;
use switchboard::console::app::{App, Settings};
use switchboard::console::keymap::Keymap;
use switchboard::console::theme::Theme;

pub fn settings(theme: Theme) -> Settings {
    Settings {
        controller: "http://127.0.0.1:8004".into(),
        interval: Duration::from_secs(1),
        read_only: false,
        operator: "alice".into(),
        confirm: true,
        keymap: Keymap::default(),
        theme,
    }
}

fn factors(freq: f64) -> Value {
    json!([
        {"name": "service_health", "value": 1.0, "threshold": 0.8, "op": ">", "pass": true},
        {"name": "service_load", "value": 0.02, "threshold": 0.7, "op": "<", "pass": true},
        {"name": "request_size", "value": 113.0, "threshold": 1048576.0, "op": "<", "pass": true},
        {"name": "is_local", "value": true, "threshold": true, "op": "==", "pass": true},
        {"name": "method_frequency", "value": freq, "threshold": 10.0, "op": ">", "pass": freq > 10.0},
        {"name": "requires_isolation", "value": false, "threshold": false, "op": "==", "pass": true},
        {"name": "network_latency", "value": 0.41, "threshold": null, "op": "info", "pass": true},
        {"name": "recent_error_rate", "value": 0.0, "threshold": 0.05, "op": "<", "pass": true}
    ])
}

/// name, display name, mode, effective path, health score, status, rps, reason.
type Spec<'a> = (&'a str, &'a str, &'a str, &'a str, f64, &'a str, f64, &'a str);

fn service(spec: Spec, i: usize) -> Value {
    let (name, display, mode, path, score, status, rps, reason) = spec;
    let freq = if mode == "hybrid" && i.is_multiple_of(2) { 3.2 } else { 42.0 };
    json!({
        "name": name, "display_name": display, "connection_method": mode, "health_status": status,
        "is_mounted": true, "has_router": true, "last_health_check": "2026-12-04T15:30:00.000Z",
        "effective_path": path, "health_score": score, "mode_source": "file", "reason": reason,
        "updated_at": null, "updated_by": null, "rest_url": "http://127.0.0.1:9001",
        "decision": {"path": if freq > 10.0 { "router" } else { "rest" }, "cached": true, "decided_at": "2026-12-04T15:30:00.000Z", "factors": factors(freq)},
        "traffic": {"rps": rps, "error_rate": if status == "down" { 0.25 } else { 0.0 },
            "router": {"count": (rps * 10.0) as u64, "errors": 0, "p50_ms": 0.021, "p90_ms": 0.04, "p99_ms": 0.09, "max_ms": 0.3},
            "rest": {"count": 12, "errors": 0, "p50_ms": 1.2, "p90_ms": 2.0, "p99_ms": 3.4, "max_ms": 9.0}},
        "suggestion": null
    })
}

/// The eight RssBot services as switchboard reports them.
pub fn rssbot_rows() -> Vec<ServiceRow> {
    let list = [
        (
            "db_svc",
            "Database Service",
            "router",
            "router",
            1.0,
            "healthy",
            52.7,
            "Core service, needs maximum performance",
        ),
        ("ai_svc", "AI Service", "rest", "rest", 0.96, "healthy", 5.2, "Resource intensive, needs isolation"),
        (
            "bot_svc",
            "Telegram Bot Service",
            "hybrid",
            "router",
            1.0,
            "healthy",
            20.0,
            "Variable load, needs flexibility",
        ),
        ("payment_svc", "Payment Service", "disabled", "none", 1.0, "healthy", 2.2, "Under maintenance"),
        (
            "formatting_svc",
            "Formatting Service",
            "router",
            "router",
            1.0,
            "healthy",
            26.2,
            "Pure function on hot paths",
        ),
        (
            "user_svc",
            "User Service",
            "hybrid",
            "rest",
            0.4,
            "degraded",
            2.3,
            "Frequent reads, occasional heavy writes",
        ),
        (
            "channel_mgr_svc",
            "Channel Manager Service",
            "hybrid",
            "rest",
            0.0,
            "down",
            0.3,
            "Bursty feed refreshes",
        ),
        (
            "miniapp_svc",
            "Mini App Service",
            "rest",
            "rest",
            1.0,
            "healthy",
            2.5,
            "Web-facing, scaled on its own",
        ),
    ];
    list.iter().enumerate().map(|(i, spec)| service_row(&service(*spec, i)).unwrap()).collect()
}

/// `count` generated services.
pub fn many_rows(count: usize) -> Vec<ServiceRow> {
    let modes = ["router", "rest", "hybrid", "disabled"];
    (0..count)
        .map(|i| {
            let mode = modes[i % 4];
            let (name, display) = (format!("svc_{i:05}"), format!("Service {i}"));
            let v =
                service((&name, &display, mode, "router", 0.9, "healthy", i as f64 % 97.0, "generated"), i);
            service_row(&v).unwrap()
        })
        .collect()
}

fn event(id: u64, secs: i64, kind: &str, service: &str, message: &str) -> Value {
    json!({"id": id, "at": Timestamp::from_unix_seconds(1_796_398_200 + secs).to_string(), "kind": kind, "service": service, "message": message, "data": {}})
}

/// A few events of every kind the pane colours.
pub fn events_page() -> switchboard::client::EventsPage {
    serde_json::from_value(json!({"events": [
        event(1, 0, "health_changed", "bot_svc", "bot_svc REST side: unknown -> healthy"),
        event(2, 5, "path_changed", "bot_svc", "bot_svc.send_message → router: all six factors pass"),
        event(3, 40, "mode_changed", "user_svc", "user_svc: router -> hybrid by alice (isolate while debugging)"),
        event(4, 70, "failover", "bot_svc", "rest failed (connection refused), served by router"),
        event(5, 71, "health_changed", "channel_mgr_svc", "channel_mgr_svc REST side: healthy -> down (connection refused)"),
    ], "next": 5}))
    .unwrap()
}

/// Latency buckets for `service`, newest at the fixture's time.
pub fn latency(service: &str, window: u64) -> LatencyResponse {
    let newest = 1_796_398_200 + 90;
    let bucket = |i: u64, base: f64| {
        let t = newest - (window - 1 - i) as i64;
        let active = !i.is_multiple_of(7);
        Bucket {
            t: Timestamp::from_unix_seconds(t),
            count: if active { 10 } else { 0 },
            errors: 0,
            p50_ms: active.then_some(base + (i % 5) as f64 * base * 0.1),
            p99_ms: active.then_some(base * 3.0 + (i % 11) as f64 * base * 0.2),
        }
    };
    LatencyResponse {
        service: service.into(),
        window_s: window,
        bucket_s: 1,
        router: (0..window).map(|i| bucket(i, 0.02)).collect(),
        rest: (0..window).map(|i| bucket(i, 1.1)).collect(),
    }
}

/// A console with data: services, events, latency for the selected service.
pub fn app_with_data(theme: Theme) -> App {
    let t0 = Instant::now();
    let mut app = App::new(settings(theme), t0);
    app.update(Msg::Services(Ok(rssbot_rows())));
    app.update(Msg::DemoOffered(true));
    app.update(Msg::Key(key('j')));
    app.update(Msg::Key(key('j')));
    app.update(Msg::Events(Ok(events_page())));
    app.update(Msg::Latency {
        service: "bot_svc".into(),
        window_s: 300,
        result: Ok(latency("bot_svc", 300)),
    });
    app.update(Msg::Tick(t0 + Duration::from_millis(1400)));
    app
}

pub fn key(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(crossterm::event::KeyCode::Char(c), crossterm::event::KeyModifiers::NONE)
}
