//! Every route of API.md against a real controller over HTTP, and every
//! path of a mode change.

mod support;

use serde_json::{Value, json};
use support::*;

const CONFIG: &str = "\
defaults:
  health_interval_s: 0.2
services:
  db_svc:
    connection_method: router
    reason: \"Core service, needs maximum performance\"
  ai_svc:
    connection_method: rest
    reason: \"Resource intensive, needs isolation\"
  bot_svc:
    connection_method: hybrid
    reason: \"Variable load, needs flexibility\"
  payment_svc:
    connection_method: disabled
    reason: \"Under maintenance\"
";

async fn platform(
    admin_token: Option<&str>,
) -> (tempfile::TempDir, switchboard::controller::RunningController) {
    let dir = tempfile::tempdir().unwrap();
    let services: Vec<std::sync::Arc<dyn switchboard::platform::Service>> = vec![
        Probe::new("db_svc", "router"),
        Probe::new("bot_svc", "router"),
        Probe::new("payment_svc", "router"),
    ];
    let running = start_controller(CONFIG, services, dir.path(), admin_token).await;
    (dir, running)
}

#[tokio::test]
async fn health_and_services_carry_the_rssbot_fields() {
    let (_dir, c) = platform(None).await;
    let base = c.url();
    let (status, health) = get(&format!("{base}/health")).await;
    assert_eq!(status, 200);
    assert_eq!(health["status"], "healthy");
    assert_eq!(health["platform"], "switchboard");
    assert_eq!(health["services_count"], 4);
    assert!(health["uptime_s"].as_f64().unwrap() >= 0.0);
    assert!(health["version"].is_string());

    let (status, list) = get(&format!("{base}/services")).await;
    assert_eq!(status, 200);
    assert_eq!(list["total_services"], 4);
    assert_eq!(list["mounted_count"], 3);
    let services = list["services"].as_array().unwrap();
    let names: Vec<&str> = services.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["db_svc", "ai_svc", "bot_svc", "payment_svc"], "configuration order");
    for s in services {
        for field in
            ["name", "display_name", "connection_method", "health_status", "is_mounted", "has_router"]
        {
            assert!(s.get(field).is_some_and(|v| !v.is_null()), "{field} missing in {s}");
        }
        assert!(s.get("last_health_check").is_some());
        for field in [
            "effective_path",
            "health_score",
            "mode_source",
            "reason",
            "updated_at",
            "updated_by",
            "rest_url",
            "decision",
            "traffic",
            "suggestion",
        ] {
            assert!(s.get(field).is_some(), "{field} missing in {s}");
        }
        let factors: Vec<&str> = s["decision"]["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            factors,
            vec![
                "service_health",
                "service_load",
                "request_size",
                "is_local",
                "method_frequency",
                "requires_isolation",
                "network_latency",
                "recent_error_rate"
            ]
        );
        for key in ["rps", "error_rate", "router", "rest"] {
            assert!(s["traffic"].get(key).is_some(), "traffic.{key} in {s}");
        }
    }
    let payment = &services[3];
    assert_eq!(payment["connection_method"], "disabled");
    assert_eq!(payment["effective_path"], "none");
    assert_eq!(payment["reason"], "Under maintenance");
    assert_eq!(payment["mode_source"], "file");
    let ai = &services[1];
    assert_eq!(ai["is_mounted"], false);
    assert_eq!(ai["has_router"], false);

    // The monitor checks the in-process side soon after start.
    let ok = eventually(std::time::Duration::from_secs(3), || async {
        let v = service_view(&base, "db_svc").await;
        v["health_status"] == "healthy" && v["health_score"] == 1.0 && v["last_health_check"].is_string()
    })
    .await;
    assert!(ok, "db_svc never became healthy");
    c.stop().await.unwrap();
}

#[tokio::test]
async fn service_detail_latency_events_suggestions_metrics() {
    let (_dir, c) = platform(None).await;
    let base = c.url();
    for i in 0..5 {
        let (status, body) = call(&base, "db_svc", "echo", json!({"i": i})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["path"], "router");
        assert_eq!(body["failover"], false);
        assert_eq!(body["result"]["served_by"], "router");
        assert!(body["latency_ms"].as_f64().unwrap() > 0.0);
    }
    let detail = service_view(&base, "db_svc").await;
    assert_eq!(detail["methods"][0]["method"], "echo");
    assert!(detail["methods"][0]["calls_per_s"].as_f64().unwrap() > 0.0);
    assert!(detail["recent_events"].is_array());
    assert_eq!(detail["traffic"]["router"]["count"], 5);
    assert!(detail["traffic"]["router"]["p50_ms"].as_f64().unwrap() > 0.0);
    assert!(detail["traffic"]["rps"].as_f64().unwrap() > 0.0);

    let (status, lat) = get(&format!("{base}/services/db_svc/latency")).await;
    assert_eq!(status, 200);
    assert_eq!(lat["window_s"], 300);
    assert_eq!(lat["bucket_s"], 1);
    let router = lat["router"].as_array().unwrap();
    assert_eq!(router.len(), 300);
    assert_eq!(lat["rest"].as_array().unwrap().len(), 300);
    let total: u64 = router.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 5);
    let empty = router.iter().find(|b| b["count"] == 0).unwrap();
    assert!(empty["p50_ms"].is_null() && empty["p99_ms"].is_null());
    let (status, lat) = get(&format!("{base}/services/db_svc/latency?window=60")).await;
    assert_eq!(status, 200);
    assert_eq!(lat["router"].as_array().unwrap().len(), 60);
    for bad in ["59", "3601", "abc", "-5", ""] {
        let (status, body) = get(&format!("{base}/services/db_svc/latency?window={bad}")).await;
        assert_eq!(status, 400, "window={bad}: {body}");
        assert_eq!(error_code(&body), "INVALID_REQUEST");
        assert!(body["detail"].as_str().unwrap().contains("window"));
    }
    let (status, body) = get(&format!("{base}/services/nosuch_svc/latency")).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "SERVICE_NOT_FOUND"));

    // Events: a mode change is visible, cursors work, long poll wakes.
    let (status, _) =
        post(&format!("{base}/services/bot_svc/connection-method"), json!({"connection_method": "rest"}))
            .await;
    assert_eq!(status, 200);
    let (status, events) = get(&format!("{base}/events")).await;
    assert_eq!(status, 200);
    let changed: Vec<&Value> =
        events["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "mode_changed").collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["service"], "bot_svc");
    assert!(changed[0]["at"].as_str().unwrap().ends_with('Z'));
    let next = events["next"].as_u64().unwrap();
    let (_, empty) = get(&format!("{base}/events?after={next}")).await;
    assert_eq!(empty["events"].as_array().unwrap().len(), 0);
    assert_eq!(empty["next"], next);
    let waiter = {
        let base = base.clone();
        tokio::spawn(async move { get(&format!("{base}/events?after={next}&wait=10")).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    post(&format!("{base}/services/bot_svc/connection-method"), json!({"connection_method": "hybrid"})).await;
    let (status, woke) =
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter).await.unwrap().unwrap();
    assert_eq!(status, 200);
    assert_eq!(woke["events"][0]["kind"], "mode_changed");
    let (_, limited) = get(&format!("{base}/events?limit=1")).await;
    assert_eq!(limited["events"].as_array().unwrap().len(), 1);
    for bad in ["limit=0", "limit=1001", "after=-1", "after=x", "wait=31", "wait=nan"] {
        let (status, body) = get(&format!("{base}/events?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(error_code(&body), "INVALID_REQUEST");
    }

    let (status, s) = get(&format!("{base}/suggestions")).await;
    assert_eq!(status, 200);
    assert!(s["suggestions"].is_array());

    let response = client().get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    assert!(text.contains("switchboard_calls_total{service=\"db_svc\",path=\"router\"} 5"), "{text}");
    assert!(text.contains("switchboard_call_duration_seconds_bucket{"), "{text}");
    assert!(
        text.contains("switchboard_connection_method{service=\"payment_svc\",method=\"disabled\"} 1"),
        "{text}"
    );
    assert!(text.contains("switchboard_health_score"), "{text}");
    assert!(text.contains("switchboard_failovers_total"), "{text}");
    c.stop().await.unwrap();
}

#[tokio::test]
async fn errors_are_json_everywhere() {
    let (_dir, c) = platform(None).await;
    let base = c.url();
    let (status, body) = get(&format!("{base}/nowhere")).await;
    assert_eq!(status, 404);
    error_code(&body);
    let response = client().delete(format!("{base}/services")).send().await.unwrap();
    assert_eq!(response.status(), 405);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "METHOD_NOT_ALLOWED");
    let (status, body) = get(&format!("{base}/services/nosuch_svc")).await;
    assert_eq!(status, 404);
    assert_eq!(error_code(&body), "SERVICE_NOT_FOUND");
    assert_eq!(body["detail"], "Service 'nosuch_svc' not found");
    assert_eq!(body["error"]["details"]["service_name"], "nosuch_svc");
    assert!(body["error"]["details"]["available_services"].as_array().unwrap().contains(&json!("db_svc")));

    let url = format!("{base}/services/db_svc/connection-method");
    let (status, body) = post_raw(&url, b"{\"connection_method\": ".to_vec(), None).await;
    assert_eq!((status, error_code(&body).as_str()), (400, "INVALID_REQUEST"));
    assert!(body["detail"].as_str().unwrap().contains("malformed JSON"), "{body}");
    let (status, body) = post(&url, json!({"reason": "no mode"})).await;
    assert_eq!(status, 400);
    assert!(body["detail"].as_str().unwrap().contains("connection_method"), "{body}");
    let (status, body) = post(&url, json!({"connection_method": 7})).await;
    assert_eq!(status, 400);
    assert!(body["detail"].as_str().unwrap().contains("connection_method"), "{body}");
    let big = json!({"connection_method": "rest", "reason": "x".repeat(70 * 1024)});
    let (status, body) = post(&url, big).await;
    assert_eq!((status, error_code(&body).as_str()), (413, "PAYLOAD_TOO_LARGE"));

    let (status, body) =
        post_raw(&format!("{base}/services/db_svc/call/echo"), b"{not json".to_vec(), None).await;
    assert_eq!((status, error_code(&body).as_str()), (400, "INVALID_REQUEST"));
    let (status, body) = call(&base, "nosuch_svc", "echo", json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "SERVICE_NOT_FOUND"));
    let (status, body) = call(&base, "db_svc", "reject", json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (400, "INVALID_REQUEST"));
    let (status, body) = call(&base, "db_svc", "no.such..method", json!({})).await;
    assert_eq!(status, 400, "{body}");

    // Disabled: 503 with the reason and a suggested action.
    let (status, body) = call(&base, "payment_svc", "echo", json!({})).await;
    assert_eq!((status, error_code(&body).as_str()), (503, "SERVICE_DISABLED"));
    assert_eq!(body["error"]["details"]["reason"], "Under maintenance");
    assert!(body["error"]["details"]["suggested_action"].is_string());
    assert!(body["detail"].as_str().unwrap().contains("Under maintenance"));
    c.stop().await.unwrap();
}

#[tokio::test]
async fn every_mode_change_path() {
    let (dir, c) = platform(None).await;
    let base = c.url();
    let url = |svc: &str| format!("{base}/services/{svc}/connection-method");

    // updated
    let (status, body) = post(
        &url("bot_svc"),
        json!({"connection_method": "rest", "reason": "isolate while debugging", "operator": "alice"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "updated");
    assert_eq!(body["service"], "bot_svc");
    assert_eq!(body["old_method"], "hybrid");
    assert_eq!(body["new_method"], "rest");
    assert_eq!(body["message"], "bot_svc: hybrid -> rest");
    assert!(body["updated_at"].as_str().unwrap().ends_with('Z'));
    let view = service_view(&base, "bot_svc").await;
    assert_eq!(view["connection_method"], "rest");
    assert_eq!(view["mode_source"], "operator");
    assert_eq!(view["reason"], "isolate while debugging");
    assert_eq!(view["updated_by"], "alice");
    assert_eq!(view["updated_at"], body["updated_at"]);

    // no_change
    let (status, body) = post(&url("bot_svc"), json!({"connection_method": "rest"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "no_change");

    // disabled needs a reason
    for body in
        [json!({"connection_method": "disabled"}), json!({"connection_method": "disabled", "reason": "   "})]
    {
        let (status, answer) = post(&url("db_svc"), body).await;
        assert_eq!(status, 400, "{answer}");
        assert!(answer["detail"].as_str().unwrap().contains("reason"), "{answer}");
    }
    assert_eq!(service_view(&base, "db_svc").await["connection_method"], "router");

    // disable, then enable restores the mode held before
    let (status, body) = post(
        &url("db_svc"),
        json!({"connection_method": "disabled", "reason": "maintenance window", "operator": "bob"}),
    )
    .await;
    assert_eq!((status, body["old_method"].as_str()), (200, Some("router")));
    let (status, refused) = call(&base, "db_svc", "echo", json!({})).await;
    assert_eq!(status, 503);
    assert_eq!(refused["error"]["details"]["reason"], "maintenance window");
    let (status, body) = post_raw(&format!("{base}/services/db_svc/enable"), Vec::new(), None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["old_method"], "disabled");
    assert_eq!(body["new_method"], "router");
    let (status, _) = call(&base, "db_svc", "echo", json!({})).await;
    assert_eq!(status, 200);
    // Leaving disabled through connection-method goes to the requested mode.
    post(&url("db_svc"), json!({"connection_method": "disabled", "reason": "again"})).await;
    let (_, body) = post(&url("db_svc"), json!({"connection_method": "hybrid"})).await;
    assert_eq!(
        (body["old_method"].as_str(), body["new_method"].as_str()),
        (Some("disabled"), Some("hybrid"))
    );

    // 409: router without an in-process implementation
    let (status, body) = post(&url("ai_svc"), json!({"connection_method": "router"})).await;
    assert_eq!((status, error_code(&body).as_str()), (409, "CONFLICT"));
    assert_eq!(service_view(&base, "ai_svc").await["connection_method"], "rest");

    // 400 listing the valid modes
    for bad in ["turbo", "REST", " rest", "rest\u{0}", ""] {
        let (status, body) = post(&url("bot_svc"), json!({"connection_method": bad})).await;
        assert_eq!(status, 400, "{bad:?}: {body}");
        assert_eq!(
            body["detail"],
            "Invalid connection_method. Must be one of: router, rest, hybrid, disabled"
        );
    }

    // 404
    let (status, body) = post(&url("nosuch_svc"), json!({"connection_method": "rest"})).await;
    assert_eq!((status, error_code(&body).as_str()), (404, "SERVICE_NOT_FOUND"));

    // The seed's curl form: no content type, form-encoded by curl.
    let response = client()
        .post(url("bot_svc"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(r#"{"connection_method": "hybrid"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Every change so far is in the audit log, one line each.
    let (entries, broken) = switchboard::controller::store::FileStore::read_audit(dir.path()).unwrap();
    assert_eq!(broken, 0);
    let summary: Vec<(String, String, String)> =
        entries.iter().map(|e| (e.service.clone(), e.old.to_string(), e.new.to_string())).collect();
    assert_eq!(
        summary,
        vec![
            ("bot_svc".into(), "hybrid".into(), "rest".into()),
            ("db_svc".into(), "router".into(), "disabled".into()),
            ("db_svc".into(), "disabled".into(), "router".into()),
            ("db_svc".into(), "router".into(), "disabled".into()),
            ("db_svc".into(), "disabled".into(), "hybrid".into()),
            ("bot_svc".into(), "rest".into(), "hybrid".into()),
        ]
    );
    assert_eq!(entries[0].operator, "alice");
    assert_eq!(entries[5].operator, "unknown");
    c.stop().await.unwrap();
}

#[tokio::test]
async fn admin_token_guards_every_mutation_and_state_is_unchanged() {
    let (_dir, c) = platform(Some("s3cret-token")).await;
    let base = c.url();
    let url = format!("{base}/services/bot_svc/connection-method");
    let body = json!({"connection_method": "rest", "reason": "x"}).to_string().into_bytes();
    for token in [None, Some("wrong"), Some("s3cret-tokeN"), Some("")] {
        let (status, answer) = post_raw(&url, body.clone(), token).await;
        assert_eq!(status, 401, "{token:?}: {answer}");
        assert_eq!(error_code(&answer), "UNAUTHORIZED");
    }
    let (status, _) = post_raw(&format!("{base}/services/payment_svc/enable"), Vec::new(), None).await;
    assert_eq!(status, 401);
    let view = service_view(&base, "bot_svc").await;
    assert_eq!(view["connection_method"], "hybrid");
    assert_eq!(view["mode_source"], "file");
    assert_eq!(service_view(&base, "payment_svc").await["connection_method"], "disabled");
    // Reads stay open.
    assert_eq!(get(&format!("{base}/services")).await.0, 200);
    // The right token, as Bearer or X-API-Key.
    let (status, _) = post_raw(&url, body.clone(), Some("s3cret-token")).await;
    assert_eq!(status, 200);
    let response = client()
        .post(&url)
        .header("x-api-key", "s3cret-token")
        .header("content-type", "application/json")
        .body(r#"{"connection_method": "hybrid"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    c.stop().await.unwrap();
}
