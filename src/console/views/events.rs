//! Recent events, newest at the bottom, optionally only the selected service's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::api::EventKind;
use crate::console::app::{App, Offered};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let scope = match (app.events_only_selected, app.selected()) {
        (true, Some(s)) => format!("{} only", s.name),
        _ => "all".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" events — {scope} (f) "), theme.title));
    if app.events_offered == Offered::No {
        frame.render_widget(
            Paragraph::new(Span::styled("events: not offered by this controller", theme.dim)).block(block),
            area,
        );
        return;
    }
    let rows = area.height.saturating_sub(2) as usize;
    let visible: Vec<_> = app.visible_events().collect();
    let skip = visible.len().saturating_sub(rows);
    let lines: Vec<Line> = visible[skip..]
        .iter()
        .map(|e| {
            let style = match e.kind {
                EventKind::Failover | EventKind::CallFailed | EventKind::ServiceStopped => theme.bad,
                EventKind::HealthChanged | EventKind::FaultInjected => theme.warn,
                EventKind::ModeChanged | EventKind::PathChanged => theme.router,
                _ => theme.dim,
            };
            Line::from(vec![
                Span::styled(format!("{} ", e.at.0.format("%H:%M:%S")), theme.dim),
                Span::styled(format!("{:<15}", e.kind.as_str()), style),
                Span::raw(format!("{:<16}", e.service.as_deref().unwrap_or("-"))),
                Span::raw(e.message.clone()),
            ])
        })
        .collect();
    let body =
        if lines.is_empty() { vec![Line::from(Span::styled("no events yet", theme.dim))] } else { lines };
    frame.render_widget(Paragraph::new(body).block(block), area);
}
