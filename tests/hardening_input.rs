//! Bad input against a running controller: every answer is a 4xx JSON error
//! of the API (never a 500, never HTML, never a hang), and no service's mode
//! or reason changes. Limits: oversized bodies and slow clients.

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::raw_http::{read_response, send};
use support::*;
use switchboard::platform::Service;

const CONFIG: &str = "\
services:
  db_svc:
    connection_method: router
    reason: Core service
  ai_svc:
    connection_method: rest
    reason: Isolation
  bot_svc:
    connection_method: hybrid
";

fn modes(list: &Value) -> Vec<(String, String, String, String)> {
    list["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].to_string(),
                s["connection_method"].to_string(),
                s["reason"].to_string(),
                s["updated_at"].to_string(),
            )
        })
        .collect()
}

fn long(n: usize) -> String {
    "x".repeat(n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_battery() {
    let dir = tempfile::tempdir().unwrap();
    let services: Vec<Arc<dyn Service>> =
        vec![Probe::new("db_svc", "router"), Probe::new("bot_svc", "router")];
    let c = start_controller(CONFIG, services, dir.path(), None).await;
    let addr = c.addr;
    let before = modes(&get(&format!("{}/services", c.url())).await.1);

    let mode = "POST /services/db_svc/connection-method HTTP/1.1\nHost: t\nContent-Type: application/json";
    let name3000 = format!("POST /services/{}/connection-method HTTP/1.1\nHost: t", long(3000));
    let big_reason = format!(r#"{{"connection_method": "disabled", "reason": "{}"}}"#, long(5000));
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, String, Vec<u8>)> = vec![
        // Bodies that are not a mode change.
        ("empty body", mode.into(), b"".to_vec()),
        ("whitespace body", mode.into(), b"   \n".to_vec()),
        ("truncated JSON", mode.into(), br#"{"connection_method": "re"#.to_vec()),
        ("non-UTF-8", mode.into(), b"{\"connection_method\": \"\xff\xfe\"}".to_vec()),
        ("binary garbage", mode.into(), vec![0, 159, 146, 150, 255]),
        ("null", mode.into(), b"null".to_vec()),
        ("array", mode.into(), b"[\"rest\"]".to_vec()),
        ("number", mode.into(), b"42".to_vec()),
        ("string", mode.into(), b"\"rest\"".to_vec()),
        ("bool", mode.into(), b"true".to_vec()),
        ("deep nesting", mode.into(), nested.into_bytes()),
        ("mode is null", mode.into(), br#"{"connection_method": null}"#.to_vec()),
        ("mode is a number", mode.into(), br#"{"connection_method": 1}"#.to_vec()),
        ("mode is an object", mode.into(), br#"{"connection_method": {"m": "rest"}}"#.to_vec()),
        ("mode is a list", mode.into(), br#"{"connection_method": ["rest"]}"#.to_vec()),
        ("unknown mode", mode.into(), br#"{"connection_method": "grpc"}"#.to_vec()),
        ("padded mode", mode.into(), br#"{"connection_method": " rest "}"#.to_vec()),
        ("mixed case", mode.into(), br#"{"connection_method": "Router"}"#.to_vec()),
        ("upper case", mode.into(), br#"{"connection_method": "REST"}"#.to_vec()),
        ("NUL in mode", mode.into(), b"{\"connection_method\": \"rest\\u0000\"}".to_vec()),
        ("empty mode", mode.into(), br#"{"connection_method": ""}"#.to_vec()),
        ("blank reason to disable", mode.into(), br#"{"connection_method": "disabled", "reason": "  "}"#.to_vec()),
        ("no reason to disable", mode.into(), br#"{"connection_method": "disabled"}"#.to_vec()),
        ("numeric reason", mode.into(), br#"{"connection_method": "disabled", "reason": 7}"#.to_vec()),
        ("list reason", mode.into(), br#"{"connection_method": "rest", "reason": ["a"]}"#.to_vec()),
        ("NUL in reason", mode.into(), b"{\"connection_method\": \"rest\", \"reason\": \"a\\u0000b\"}".to_vec()),
        ("oversize reason", mode.into(), big_reason.into_bytes()),
        ("numeric operator", mode.into(), br#"{"connection_method": "rest", "operator": 5}"#.to_vec()),
        ("multipart", "POST /services/db_svc/connection-method HTTP/1.1\nHost: t\nContent-Type: multipart/form-data; boundary=x".into(), b"--x--".to_vec()),
        // Paths.
        ("dot-dot", "POST /services/../connection-method HTTP/1.1\nHost: t".into(), br#"{"connection_method": "rest"}"#.to_vec()),
        ("encoded slash", "POST /services/db_svc%2F..%2Fai_svc/connection-method HTTP/1.1\nHost: t".into(), br#"{"connection_method": "rest"}"#.to_vec()),
        ("encoded NUL", "POST /services/db_svc%00/connection-method HTTP/1.1\nHost: t".into(), br#"{"connection_method": "rest"}"#.to_vec()),
        ("invalid percent-UTF-8", "GET /services/%FF%FE HTTP/1.1\nHost: t".into(), Vec::new()),
        ("3000-character name", name3000, br#"{"connection_method": "rest"}"#.to_vec()),
        ("unknown route", "GET /admin HTTP/1.1\nHost: t".into(), Vec::new()),
        ("demo route without --demo", "POST /demo/services/db_svc/fault HTTP/1.1\nHost: t".into(), br#"{"kind": "kill"}"#.to_vec()),
        ("demo traffic without --demo", "POST /demo/traffic HTTP/1.1\nHost: t".into(), br#"{"multiplier": 2}"#.to_vec()),
        // Methods.
        ("DELETE a service", "DELETE /services/db_svc HTTP/1.1\nHost: t".into(), Vec::new()),
        ("PUT a mode", "PUT /services/db_svc/connection-method HTTP/1.1\nHost: t".into(), br#"{"connection_method": "rest"}"#.to_vec()),
        ("GET a mode change", "GET /services/db_svc/connection-method HTTP/1.1\nHost: t".into(), Vec::new()),
        ("POST the list", "POST /services HTTP/1.1\nHost: t".into(), b"{}".to_vec()),
        ("PATCH health", "PATCH /health HTTP/1.1\nHost: t".into(), Vec::new()),
        // Queries.
        ("window too small", "GET /services/db_svc/latency?window=10 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("window too big", "GET /services/db_svc/latency?window=99999 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("window not a number", "GET /services/db_svc/latency?window=five HTTP/1.1\nHost: t".into(), Vec::new()),
        ("window twice", "GET /services/db_svc/latency?window=60&window=120 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("after negative", "GET /events?after=-3 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("after huge", "GET /events?after=999999999999999999999999 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("limit zero", "GET /events?limit=0 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("limit too big", "GET /events?limit=100000 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("wait too long", "GET /events?wait=3600 HTTP/1.1\nHost: t".into(), Vec::new()),
        ("wait not a number", "GET /events?wait=soon HTTP/1.1\nHost: t".into(), Vec::new()),
        ("wait infinite", "GET /events?wait=inf HTTP/1.1\nHost: t".into(), Vec::new()),
        // The data plane.
        ("call with truncated JSON", "POST /services/db_svc/call/echo HTTP/1.1\nHost: t".into(), br#"{"a": "#.to_vec()),
        ("call with non-UTF-8", "POST /services/db_svc/call/echo HTTP/1.1\nHost: t".into(), b"\xff\xff".to_vec()),
        ("call an unknown service", "POST /services/nope/call/echo HTTP/1.1\nHost: t".into(), b"{}".to_vec()),
        ("call a bad method name", "POST /services/db_svc/call/..%2Fadmin HTTP/1.1\nHost: t".into(), b"{}".to_vec()),
        ("call an unknown method", "POST /services/db_svc/call/explode HTTP/1.1\nHost: t".into(), b"{}".to_vec()),
        ("call a rejected payload", "POST /services/db_svc/call/reject HTTP/1.1\nHost: t".into(), b"[1,2]".to_vec()),
        ("enable with a bad body", "POST /services/db_svc/enable HTTP/1.1\nHost: t".into(), b"[1]".to_vec()),
        ("enable an unknown service", "POST /services/nope/enable HTTP/1.1\nHost: t".into(), Vec::new()),
    ];
    assert!(cases.len() >= 40);
    let answers: Vec<_> = tokio::task::block_in_place(|| {
        cases
            .iter()
            .map(|(name, head, body)| {
                let start = Instant::now();
                let r = send(addr, head, body);
                (name, r, start.elapsed())
            })
            .collect()
    });
    for (name, r, took) in &answers {
        assert!(
            (400..500).contains(&r.status),
            "{name}: HTTP {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        assert!(r.content_type.starts_with("application/json"), "{name}: content type {:?}", r.content_type);
        let body: Value =
            serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{name}: not JSON ({e})"));
        let code = error_code(&body);
        assert_ne!(code, "INTERNAL_ERROR", "{name}");
        assert!(took < &Duration::from_secs(5), "{name}: took {took:?}");
    }
    let after = modes(&get(&format!("{}/services", c.url())).await.1);
    assert_eq!(before, after, "a mode or reason changed");
    println!("{} bad-input cases, all 4xx JSON", answers.len());
    c.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ten_mib_admin_body_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let c = start_controller(CONFIG, vec![Probe::new("db_svc", "router")], dir.path(), None).await;
    let addr = c.addr;
    let response = tokio::task::block_in_place(|| {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let head = format!(
            "POST /services/db_svc/connection-method HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            10 * 1024 * 1024
        );
        stream.write_all(head.as_bytes()).unwrap();
        // Only a sliver of the promised 10 MiB is sent; the answer must not wait for the rest.
        let _ = stream.write_all(&vec![b' '; 100 * 1024]);
        read_response(&mut stream)
    });
    assert_eq!(response.status, 413);
    let body: Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(error_code(&body), "PAYLOAD_TOO_LARGE");
    c.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_delays_nobody_and_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let c = start_controller(CONFIG, vec![Probe::new("db_svc", "router")], dir.path(), None).await;
    let addr = c.addr;
    // Half a request line and headers, then silence.
    let mut slow = std::net::TcpStream::connect(addr).unwrap();
    slow.write_all(b"POST /services/db_svc/connection-method HTTP/1.1\r\nHost: t\r\nContent-Le").unwrap();
    let mut slow_body = std::net::TcpStream::connect(addr).unwrap();
    slow_body
        .write_all(b"POST /services/db_svc/connection-method HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"conn")
        .unwrap();
    // Everyone else is served at once.
    for _ in 0..20 {
        let start = Instant::now();
        let (status, _) = get(&format!("{}/services", c.url())).await;
        assert_eq!(status, 200);
        assert!(start.elapsed() < Duration::from_secs(1));
    }
    // The slow header sender is cut off by the header read timeout.
    let cut = tokio::task::block_in_place(|| {
        slow.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let start = Instant::now();
        let mut buf = [0u8; 512];
        let n = std::io::Read::read(&mut slow, &mut buf).unwrap_or(0);
        (start.elapsed(), n)
    });
    assert!(cut.0 < Duration::from_secs(14), "slow client held its connection for {:?}", cut.0);
    drop(slow_body);
    c.stop().await.unwrap();
}
