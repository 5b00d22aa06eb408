//! `switchboard status` and `switchboard set-mode`: one request each, on the
//! console's client. Exit 0 on success, 1 when the controller refuses or
//! cannot be reached (its message on stderr); clap exits 2 on usage errors.

use std::process::ExitCode;

use serde_json::json;

use crate::api::ConnectionMethod;
use crate::cli::{ControllerTarget, SetModeArgs, StatusArgs};
use crate::client::{ClientOptions, ControllerClient, DEFAULT_TIMEOUT, ServiceRow};
use crate::console::views::{fmt_ms, fmt_rate};

/// The client for `target`, or exit code 2 (a usage error) with the reason on stderr.
fn client(command: &str, target: &ControllerTarget) -> Result<ControllerClient, ExitCode> {
    ControllerClient::new(ClientOptions {
        base: target.controller.clone(),
        token: target.token.clone(),
        timeout: DEFAULT_TIMEOUT,
        read_only: false,
    })
    .map_err(|e| {
        eprintln!("switchboard {command}: {e}");
        ExitCode::from(2)
    })
}

/// The operator name: given, else `$USER`, else `unknown`.
pub fn operator_name(given: Option<String>) -> String {
    given
        .filter(|o| !o.trim().is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

fn row_json(s: &ServiceRow) -> serde_json::Value {
    json!({
        "name": s.name,
        "display_name": s.display_name,
        "connection_method": s.mode_text,
        "health_status": s.health_status,
        "health_score": s.health_score,
        "effective_path": s.effective_path,
        "reason": s.reason,
        "updated_by": s.updated_by,
        "rps": s.traffic.as_ref().map(|t| t.rps),
        "error_rate": s.traffic.as_ref().map(|t| t.error_rate),
    })
}

/// The status table.
pub fn render_status(rows: &[ServiceRow]) -> String {
    let mut out = format!(
        "{:<18} {:<9} {:<7} {:<9} {:>5} {:>8} {:>9} {:>9}  {}\n",
        "NAME", "MODE", "PATH", "HEALTH", "SCORE", "RPS", "R-P99", "REST-P99", "REASON"
    );
    for s in rows {
        let t = s.traffic.as_ref();
        out.push_str(&format!(
            "{:<18} {:<9} {:<7} {:<9} {:>5} {:>8} {:>9} {:>9}  {}\n",
            s.name,
            s.mode_text,
            s.effective_path.map(|p| format!("{p:?}").to_lowercase()).unwrap_or_else(|| "-".into()),
            s.health_status,
            s.health_score.map(|v| format!("{v:.2}")).unwrap_or_else(|| "-".into()),
            t.map(|t| fmt_rate(t.rps)).unwrap_or_else(|| "-".into()),
            fmt_ms(t.and_then(|t| t.router.p99_ms)),
            fmt_ms(t.and_then(|t| t.rest.p99_ms)),
            s.reason.as_deref().unwrap_or(""),
        ));
    }
    out
}

/// `switchboard status`.
pub async fn status(args: StatusArgs) -> ExitCode {
    let client = match client("status", &args.target) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match client.services().await {
        Ok(rows) => {
            if args.json {
                let list: Vec<_> = rows.iter().map(row_json).collect();
                println!("{}", serde_json::to_string_pretty(&json!({"services": list})).unwrap_or_default());
            } else {
                print!("{}", render_status(&rows));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("switchboard status: {} : {e}", args.target.controller);
            ExitCode::from(1)
        }
    }
}

/// `switchboard set-mode`.
pub async fn set_mode(args: SetModeArgs) -> ExitCode {
    let client = match client("set-mode", &args.target) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(mode) = ConnectionMethod::parse(&args.mode) else {
        eprintln!("switchboard set-mode: {}", ConnectionMethod::invalid_message());
        return ExitCode::from(2);
    };
    let operator = operator_name(args.operator);
    match client.set_mode(&args.service, mode, args.reason.as_deref(), &operator).await {
        Ok(answer) => {
            println!("{}", answer.message);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("switchboard set-mode: {e}");
            ExitCode::from(1)
        }
    }
}
