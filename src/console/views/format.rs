//! Numbers as people read them.

/// Milliseconds with a fitting unit: `42µs`, `1.23ms`, `1.2s`.
pub fn fmt_ms(ms: Option<f64>) -> String {
    match ms {
        None => "-".to_string(),
        Some(v) if v < 1.0 => format!("{:.0}µs", v * 1000.0),
        Some(v) if v < 10.0 => format!("{v:.2}ms"),
        Some(v) if v < 1000.0 => format!("{v:.0}ms"),
        Some(v) => format!("{:.1}s", v / 1000.0),
    }
}

/// A rate: `0.4`, `12.5`, `1.2k`.
pub fn fmt_rate(rate: f64) -> String {
    if rate >= 1000.0 { format!("{:.1}k", rate / 1000.0) } else { format!("{rate:.1}") }
}

/// A health bar of `width` cells for a score in 0–1.
pub fn bar(score: Option<f64>, width: usize) -> String {
    let Some(score) = score else { return "·".repeat(width) };
    let full = ((score.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(full), "░".repeat(width - full))
}

/// An age in whole seconds or minutes.
pub fn fmt_age(secs: u64) -> String {
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 7200 => format!("{}m", s / 60),
        s => format!("{}h", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_fit_the_value() {
        assert_eq!(fmt_ms(Some(0.004)), "4µs");
        assert_eq!(fmt_ms(Some(1.234)), "1.23ms");
        assert_eq!(fmt_ms(Some(250.0)), "250ms");
        assert_eq!(fmt_ms(Some(1500.0)), "1.5s");
        assert_eq!(fmt_ms(None), "-");
        assert_eq!(bar(Some(0.5), 4), "██░░");
        assert_eq!(fmt_rate(1500.0), "1.5k");
        assert_eq!(fmt_age(5), "5s");
    }
}
