//! `switchboard bench --json` runs every cell of the seed's benchmark through
//! the real proxy and a real REST child process, in the seed's shape.

use std::process::Command;

use serde_json::Value;

#[test]
fn bench_json_has_the_seed_shape_and_the_expected_paths() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["bench", "--json", "--seconds-per-cell", "0.2"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    for case in ["small_request", "medium_request", "large_request"] {
        for mode in ["router", "rest", "hybrid"] {
            let cell = &report["results"][case][mode];
            for key in ["avg_ms", "p50_ms", "p99_ms", "calls_per_s"] {
                assert!(cell[key].as_f64().is_some_and(|v| v > 0.0), "{case}.{mode}.{key}: {cell}");
            }
            assert!(cell["p99_ms"].as_f64() >= cell["p50_ms"].as_f64(), "{case}.{mode}: {cell}");
            assert!(cell["calls"].as_u64().unwrap() > 0);
        }
        assert_eq!(report["results"][case]["router"]["path"], "router");
        assert_eq!(report["results"][case]["rest"]["path"], "rest");
    }
    // Small and medium calls are frequent and small: router. 1 MiB is past the size threshold: REST.
    assert_eq!(report["results"]["small_request"]["hybrid"]["path"], "router");
    assert_eq!(report["results"]["medium_request"]["hybrid"]["path"], "router");
    assert_eq!(report["results"]["large_request"]["hybrid"]["path"], "rest");
    assert!(report["loopback_floor"]["p50_ms"].as_f64().unwrap() > 0.0);
}
