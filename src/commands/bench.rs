//! `switchboard bench`: the seed's ConnectionMethodBenchmarks, measured.
//! Small (100 B), medium (10 KB) and large (1 MB) payloads × router, REST and
//! hybrid, through the same proxy the controller serves, with the REST side
//! a child process on loopback. Calls are made one at a time, after a warm-up.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::api::{CallPath, ConnectionMethod, ModeChangeRequest};
use crate::cli::BenchArgs;
use crate::controller::config::Config;
use crate::controller::metrics::latency_histogram;
use crate::controller::{Controller, ControllerOptions, ModeChangeError, StartError};
use crate::demo::payloads::{SizeClass, build};
use crate::demo::supervisor::{self, ChildSpec, SpawnError};
use crate::platform::services;

/// A mode with the seed's typical avg and p99, ms.
pub type SeedFigure = (&'static str, f64, f64);

/// The seed's typical figures (avg ms, p99 ms) per case and mode.
pub const SEED: [(&str, [SeedFigure; 3]); 3] = [
    ("small_request", [("router", 0.2, 1.0), ("rest", 15.0, 50.0), ("hybrid", 0.3, 2.0)]),
    ("medium_request", [("router", 2.0, 8.0), ("rest", 25.0, 80.0), ("hybrid", 3.0, 12.0)]),
    ("large_request", [("router", 50.0, 200.0), ("rest", 45.0, 150.0), ("hybrid", 47.0, 160.0)]),
];

const SERVICE: &str = "db_svc";
const METHOD: &str = "get_feeds";

/// Why the benchmark could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The REST side could not start.
    #[error(transparent)]
    Spawn(#[from] SpawnError),
    /// The controller could not start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// A mode could not be set.
    #[error(transparent)]
    Mode(#[from] ModeChangeError),
    /// The executable's path is needed to start the REST side.
    #[error("cannot find this executable: {0}")]
    Exe(std::io::Error),
    /// A call failed.
    #[error("call failed during the benchmark: {0}")]
    Call(String),
    /// The built-in config is broken.
    #[error(transparent)]
    Config(#[from] crate::controller::config::ConfigError),
}

/// One cell of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Mean latency, ms.
    pub avg_ms: f64,
    /// Median, ms.
    pub p50_ms: f64,
    /// 99th percentile, ms.
    pub p99_ms: f64,
    /// Calls per second, one at a time.
    pub calls_per_s: f64,
    /// The path the calls took (`router`, `rest`, or a mix).
    pub path: String,
    /// Calls measured.
    pub calls: u64,
}

/// The whole run, in the seed's shape plus a baseline.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Case → mode → cell.
    pub results: BTreeMap<String, BTreeMap<String, Cell>>,
    /// A bare reqwest→axum round trip to the same REST side, small payload, measured in the same run.
    pub loopback_floor: Cell,
}

/// How long each cell is measured (less for large payloads, which are slow).
fn budget(class: SizeClass, per_cell: Duration) -> (Duration, u64) {
    match class {
        SizeClass::Large => (per_cell.mul_f64(1.5), 400),
        _ => (per_cell, 200_000),
    }
}

fn cell(histogram: &Histogram<u64>, elapsed: Duration, paths: &HashMap<CallPath, u64>) -> Cell {
    let calls = histogram.len();
    let ms = |ns: u64| ns as f64 / 1e6;
    let mut taken: Vec<(CallPath, u64)> = paths.iter().map(|(p, n)| (*p, *n)).collect();
    taken.sort_by_key(|t| std::cmp::Reverse(t.1));
    let path = match taken.as_slice() {
        [] => "none".to_string(),
        [(only, _)] => only.to_string(),
        many => many
            .iter()
            .map(|(p, n)| format!("{p} {:.0}%", *n as f64 * 100.0 / calls.max(1) as f64))
            .collect::<Vec<_>>()
            .join(" / "),
    };
    Cell {
        avg_ms: histogram.mean() / 1e6,
        p50_ms: ms(histogram.value_at_quantile(0.5)),
        p99_ms: ms(histogram.value_at_quantile(0.99)),
        calls_per_s: calls as f64 / elapsed.as_secs_f64().max(1e-9),
        path,
        calls,
    }
}

async fn measure(
    controller: &Controller,
    mode: ConnectionMethod,
    class: SizeClass,
    per_cell: Duration,
) -> Result<Cell, BenchError> {
    let payloads: Vec<_> = (0..8).map(|seed| build(SERVICE, METHOD, class, seed)).collect();
    let (duration, max_calls) = budget(class, per_cell);
    // Warm-up: connections and caches; for hybrid also past the first cached
    // decision, so that the method's frequency is what the decision sees.
    let mut warm_up = duration.mul_f64(0.5).min(Duration::from_secs(2));
    if mode == ConnectionMethod::Hybrid {
        warm_up = warm_up.max(Duration::from_millis(1100));
    }
    let warm_until = Instant::now() + warm_up;
    let mut i = 0usize;
    while Instant::now() < warm_until {
        controller
            .proxy()
            .call(SERVICE, METHOD, &payloads[i % payloads.len()])
            .await
            .map_err(|e| BenchError::Call(e.to_string()))?;
        i += 1;
    }
    let mut histogram: Histogram<u64> = latency_histogram(3);
    let mut paths: HashMap<CallPath, u64> = HashMap::new();
    let start = Instant::now();
    while start.elapsed() < duration && histogram.len() < max_calls {
        let payload = &payloads[i % payloads.len()];
        i += 1;
        let t = Instant::now();
        let out = controller
            .proxy()
            .call(SERVICE, METHOD, payload)
            .await
            .map_err(|e| BenchError::Call(e.to_string()))?;
        histogram.saturating_record(t.elapsed().as_nanos() as u64);
        *paths.entry(out.path).or_default() += 1;
    }
    Ok(cell(&histogram, start.elapsed(), &paths))
}

async fn floor(url: &str, token: &str, per_cell: Duration) -> Cell {
    let http = reqwest::Client::new();
    let payload = build(SERVICE, METHOD, SizeClass::Small, 0);
    let target = format!("{url}/api/{METHOD}");
    let send = || http.post(&target).bearer_auth(token).body(payload.bytes().clone()).send();
    let warm_until = Instant::now() + Duration::from_millis(500);
    while Instant::now() < warm_until {
        if let Ok(r) = send().await {
            let _ = r.bytes().await;
        }
    }
    let mut histogram: Histogram<u64> = latency_histogram(3);
    let start = Instant::now();
    while start.elapsed() < per_cell {
        let t = Instant::now();
        if let Ok(r) = send().await {
            let _ = r.bytes().await;
        }
        histogram.saturating_record(t.elapsed().as_nanos() as u64);
    }
    let mut paths = HashMap::new();
    paths.insert(CallPath::Rest, histogram.len());
    cell(&histogram, start.elapsed(), &paths)
}

/// Runs every cell.
pub async fn run_bench(per_cell: Duration, exe: PathBuf) -> Result<Report, BenchError> {
    let token = super::controller::random_token();
    let spec = ChildSpec { service: SERVICE.to_string(), exe, token: token.clone() };
    let spawned = supervisor::spawn(&spec, ([127, 0, 0, 1], 0).into()).await?;
    let url = spawned.url();
    let yaml = format!("services:\n  {SERVICE}:\n    connection_method: router\n    rest_url: {url}\n");
    let config = Config::parse(&yaml, "bench", &|_| None)?;
    let state_dir = std::env::temp_dir().join(format!("switchboard-bench-{}", std::process::id()));
    let mut implementations = HashMap::new();
    if let Some(db) = services::by_name(SERVICE) {
        implementations.insert(SERVICE.to_string(), db);
    }
    let controller = Controller::start(ControllerOptions {
        config,
        state_dir: state_dir.clone(),
        admin_token: None,
        service_token: Some(token.clone()),
        implementations,
    })?;
    let mut results: BTreeMap<String, BTreeMap<String, Cell>> = BTreeMap::new();
    for class in SizeClass::ALL {
        for method in [ConnectionMethod::Router, ConnectionMethod::Rest, ConnectionMethod::Hybrid] {
            controller
                .change_mode(
                    SERVICE,
                    ModeChangeRequest {
                        connection_method: method,
                        reason: Some("bench".into()),
                        operator: Some("bench".into()),
                    },
                )
                .await?;
            let measured = measure(&controller, method, class, per_cell).await?;
            results.entry(class.case_name().to_string()).or_default().insert(method.to_string(), measured);
        }
    }
    let loopback_floor = floor(&url, &token, per_cell).await;
    controller.stop();
    drop(spawned);
    let _ = std::fs::remove_dir_all(&state_dir);
    Ok(Report { results, loopback_floor })
}

/// The table for people, with the seed's figures and the ratio beside ours.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<15} {:<7} {:>10} {:>10} {:>10} {:>10}  {:<20} {:>14} {:>9} {:>9}\n",
        "case", "mode", "avg ms", "p50 ms", "p99 ms", "calls/s", "path", "seed avg/p99", "×avg", "×p99"
    ));
    for (case, seed_modes) in SEED {
        for (mode, seed_avg, seed_p99) in seed_modes {
            let Some(c) = report.results.get(case).and_then(|m| m.get(mode)) else { continue };
            out.push_str(&format!(
                "{:<15} {:<7} {:>10.4} {:>10.4} {:>10.4} {:>10.0}  {:<20} {:>14} {:>8.0}× {:>8.0}×\n",
                case,
                mode,
                c.avg_ms,
                c.p50_ms,
                c.p99_ms,
                c.calls_per_s,
                c.path,
                format!("{seed_avg}/{seed_p99}"),
                seed_avg / c.avg_ms.max(1e-9),
                seed_p99 / c.p99_ms.max(1e-9),
            ));
        }
    }
    let f = &report.loopback_floor;
    out.push_str(&format!(
        "\nloopback floor (bare reqwest→axum, same REST side, small): avg {:.4} ms, p50 {:.4} ms, p99 {:.4} ms\n",
        f.avg_ms, f.p50_ms, f.p99_ms
    ));
    out.push_str("×avg and ×p99: how many times faster than the seed's typical figure.\n");
    out
}

/// `switchboard bench`.
pub async fn run(args: BenchArgs) -> Result<(), BenchError> {
    let exe = std::env::current_exe().map_err(BenchError::Exe)?;
    let report = run_bench(Duration::from_secs_f64(args.seconds_per_cell), exe).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}
