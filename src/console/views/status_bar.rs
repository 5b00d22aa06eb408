//! The top line: where, whether connected, how fresh, how many of what.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::fmt_age;
use crate::console::app::{App, Connection};
use crate::console::sort::SortColumn;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let mut spans = vec![
        Span::styled(" switchboard ", theme.title),
        Span::raw(app.settings.controller.clone()),
        Span::raw("  "),
    ];
    match &app.connection {
        Connection::Connecting => spans.push(Span::styled("◌ connecting", theme.warn)),
        Connection::Connected => spans.push(Span::styled("● connected", theme.good)),
        Connection::Reconnecting { error, retry_at } => {
            let secs = retry_at.saturating_duration_since(app.now).as_secs() + 1;
            spans.push(Span::styled(format!("✗ reconnecting in {secs} s — {error}"), theme.bad));
        }
    }
    if let Some(at) = app.last_update {
        spans.push(Span::raw(format!(
            "  updated {} ago",
            fmt_age(app.now.saturating_duration_since(at).as_secs())
        )));
    }
    let c = app.counts;
    spans.push(Span::raw(format!(
        "  router {} · rest {} · hybrid {} · disabled {}",
        c.router, c.rest, c.hybrid, c.disabled
    )));
    let unhealthy = if c.unhealthy > 0 { theme.bad } else { theme.dim };
    spans.push(Span::styled(format!("  unhealthy {}", c.unhealthy), unhealthy));
    if app.sort != SortColumn::Config {
        spans.push(Span::styled(
            format!("  sort {}{}", app.sort.label(), if app.sort_desc { "↓" } else { "↑" }),
            theme.dim,
        ));
    }
    if app.paused {
        spans.push(Span::styled("  [PAUSED]", theme.warn));
    }
    if app.settings.read_only {
        spans.push(Span::styled("  [READ-ONLY]", theme.warn));
    }
    if app.demo {
        spans.push(Span::styled("  [DEMO]", theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
