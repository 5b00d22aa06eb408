//! One sentence that explains a hybrid decision from its factors.

use super::{CallPath, Factor, FactorValue};

/// How many of the factors decide (the first ones); the rest inform.
pub const DECIDING_FACTORS: usize = 6;

/// One sentence explaining a decision, e.g. `→ REST: method_frequency 3.2/s ≤ 10`.
pub fn explain(path: CallPath, factors: &[Factor]) -> String {
    let deciding = &factors[..factors.len().min(DECIDING_FACTORS)];
    if path == CallPath::Router {
        return "→ router: all six factors pass".to_string();
    }
    let failing: Vec<String> = deciding.iter().filter(|f| !f.pass).map(describe_failure).collect();
    if failing.is_empty() { "→ REST".to_string() } else { format!("→ REST: {}", failing.join(", ")) }
}

fn describe_failure(f: &Factor) -> String {
    let number = |v: &FactorValue| match v {
        FactorValue::Number(n) => format_number(*n),
        FactorValue::Bool(b) => b.to_string(),
        FactorValue::Null => "unknown".to_string(),
    };
    match f.name.as_str() {
        "service_health" => format!("service_health {} ≤ {}", number(&f.value), number(&f.threshold)),
        "service_load" => format!("service_load {} ≥ {}", number(&f.value), number(&f.threshold)),
        "request_size" => format!("request_size {} B ≥ 1 MiB", number(&f.value)),
        "is_local" => "no in-process implementation".to_string(),
        "method_frequency" => {
            format!("method_frequency {}/s ≤ {}", number(&f.value), number(&f.threshold))
        }
        "requires_isolation" => "requires isolation".to_string(),
        other => format!("{other} {}", number(&f.value)),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n:.2}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
