//! One minute of `switchboard soak`: the demo controller with traffic and a
//! console model polling it; memory must stay flat (bounded rings everywhere).

use std::process::Command;

use serde_json::Value;

fn rss_growth(samples: &[Value]) -> (f64, f64) {
    // Skip the first samples: start-up allocations are not growth.
    let settled = samples.iter().find(|s| s["at_s"].as_f64().unwrap() >= 15.0).unwrap_or(&samples[0]);
    let last = samples.last().unwrap();
    (settled["rss_mb"].as_f64().unwrap(), last["rss_mb"].as_f64().unwrap())
}

#[test]
fn a_one_minute_soak_keeps_memory_flat() {
    let output = Command::new(env!("CARGO_BIN_EXE_switchboard"))
        .args(["soak", "--minutes", "1", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["seconds"].as_f64().unwrap() >= 59.0);
    assert!(report["polls"].as_u64().unwrap() >= 50, "{report}");
    assert!(report["frames"].as_u64().unwrap() >= 50, "{report}");
    for who in ["controller", "console"] {
        let samples = report[who].as_array().unwrap();
        assert!(samples.len() >= 10, "{who}: {} samples", samples.len());
        let (settled, end) = rss_growth(samples);
        println!("{who}: RSS {settled:.1} MiB at 15 s -> {end:.1} MiB at 60 s");
        assert!(end <= settled * 1.25 + 4.0, "{who}: RSS grew from {settled:.1} to {end:.1} MiB in a minute");
    }
}
