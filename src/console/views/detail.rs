//! The selected service: mode and where it came from, and every decision
//! factor with its value, threshold and ✓/✗, and the sentence that explains
//! hybrid's choice.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::format::fmt_ms;
use crate::api::{FactorValue, ModeSource, explain};
use crate::console::app::App;

fn value(v: &FactorValue) -> String {
    match v {
        FactorValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e12 => format!("{}", *n as i64),
        FactorValue::Number(n) => format!("{n:.3}").trim_end_matches('0').trim_end_matches('.').to_string(),
        FactorValue::Bool(b) => b.to_string(),
        FactorValue::Null => "–".to_string(),
    }
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let block = Block::default().borders(Borders::ALL).border_style(theme.border);
    let Some(s) = app.selected() else {
        frame.render_widget(
            Paragraph::new(Span::styled("no service selected", theme.dim)).block(block.title(" detail ")),
            area,
        );
        return;
    };
    let block = block.title(Span::styled(format!(" {} — {} ", s.name, s.display_name), theme.title));
    let source = match s.mode_source {
        Some(ModeSource::Operator) => " (operator)",
        Some(ModeSource::Env) => " (env)",
        Some(ModeSource::File) => " (file)",
        Some(ModeSource::Default) => " (default)",
        None => "",
    };
    let mut lines = vec![Line::from(vec![
        Span::raw("mode "),
        Span::styled(s.mode_text.clone(), theme.mode(s.mode)),
        Span::styled(source, theme.dim),
        Span::raw(format!(
            "  path {}",
            match s.effective_path {
                Some(p) => format!("{p:?}").to_lowercase(),
                None => "-".into(),
            }
        )),
    ])];
    if let Some(reason) = &s.reason {
        let by = match (&s.updated_by, &s.updated_at) {
            (Some(who), Some(at)) => format!(" — {who}, {}", at.0.format("%H:%M:%S")),
            (Some(who), None) => format!(" — {who}"),
            _ => String::new(),
        };
        lines.push(Line::from(Span::styled(format!("reason: {reason}{by}"), theme.dim)));
    }
    match &s.decision {
        Some(decision) => {
            let path_style =
                if decision.path == crate::api::CallPath::Router { theme.router } else { theme.rest };
            lines.push(Line::from(Span::styled(explain(decision.path, &decision.factors), path_style)));
            for (i, f) in decision.factors.iter().enumerate() {
                let informative = i >= crate::api::DECIDING_FACTORS;
                let (mark, style) = match (informative, f.pass) {
                    (true, _) => ("·", theme.dim),
                    (false, true) => ("✓", theme.good),
                    (false, false) => ("✗", theme.bad),
                };
                let rule = if f.op == "info" {
                    "info".to_string()
                } else {
                    format!("{} {}", f.op, value(&f.threshold))
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{mark} "), style),
                    Span::raw(format!("{:<19}", f.name)),
                    Span::styled(format!("{:>9}", value(&f.value)), style),
                    Span::styled(format!("  {rule}"), theme.dim),
                ]));
            }
        }
        None => lines
            .push(Line::from(Span::styled("decision factors: not offered by this controller", theme.dim))),
    }
    if let Some(t) = &s.traffic {
        lines.push(Line::from(Span::styled(
            format!(
                "router {} calls p50 {} p99 {} · rest {} calls p50 {} p99 {}",
                t.router.count,
                fmt_ms(t.router.p50_ms),
                fmt_ms(t.router.p99_ms),
                t.rest.count,
                fmt_ms(t.rest.p50_ms),
                fmt_ms(t.rest.p99_ms)
            ),
            theme.dim,
        )));
    }
    if let Some(advice) = &s.suggestion {
        lines.push(Line::from(Span::styled(
            format!("advice: {} — {}", advice.suggestion, advice.reason),
            theme.warn,
        )));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
