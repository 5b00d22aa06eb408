//! The top line: whether connected, how fresh, how many of what, badges,
//! and where. Parts are dropped from the least important when narrow.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::fmt_age;
use crate::console::app::{App, Connection};

/// A part of the bar: its text, style, and importance (lower is kept longer).
struct Part {
    text: String,
    style: Style,
    rank: u8,
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let mut parts = vec![Part { text: " switchboard".into(), style: theme.title, rank: 2 }];
    let connection = match &app.connection {
        Connection::Connecting => Part { text: "◌ connecting".into(), style: theme.warn, rank: 0 },
        Connection::Connected => Part { text: "● connected".into(), style: theme.good, rank: 0 },
        Connection::Reconnecting { error, retry_at } => {
            let secs = retry_at.saturating_duration_since(app.now).as_secs() + 1;
            Part { text: format!("✗ reconnecting in {secs} s — {error}"), style: theme.bad, rank: 0 }
        }
    };
    parts.push(connection);
    if let Some(at) = app.last_update {
        let age = fmt_age(app.now.saturating_duration_since(at).as_secs());
        parts.push(Part { text: format!("{age} ago"), style: Style::new(), rank: 1 });
    }
    if app.settings.read_only {
        parts.push(Part { text: "[READ-ONLY]".into(), style: theme.warn, rank: 0 });
    }
    if app.paused {
        parts.push(Part { text: "[PAUSED]".into(), style: theme.warn, rank: 0 });
    }
    let c = app.counts;
    let unhealthy = if c.unhealthy > 0 { theme.bad } else { theme.dim };
    parts.push(Part { text: format!("unhealthy {}", c.unhealthy), style: unhealthy, rank: 1 });
    parts.push(Part {
        text: format!("router {} rest {} hybrid {} disabled {}", c.router, c.rest, c.hybrid, c.disabled),
        style: Style::new(),
        rank: 1,
    });
    if let Some(column) = app.sort {
        let arrow = if app.sort_desc { "↓" } else { "↑" };
        parts.push(Part { text: format!("sort {}{arrow}", column.title()), style: theme.dim, rank: 3 });
    }
    if app.demo {
        parts.push(Part { text: "[DEMO]".into(), style: theme.dim, rank: 3 });
    }
    parts.push(Part { text: app.settings.controller.clone(), style: theme.dim, rank: 3 });

    // Drop the least important parts until the rest fits.
    let width = area.width as usize;
    let mut max_rank = 3;
    let fits = |rank: u8| {
        parts.iter().filter(|p| p.rank <= rank).map(|p| p.text.chars().count() + 2).sum::<usize>() <= width
    };
    while max_rank > 0 && !fits(max_rank) {
        max_rank -= 1;
    }
    let spans: Vec<Span> = parts
        .iter()
        .filter(|p| p.rank <= max_rank)
        .flat_map(|p| [Span::styled(p.text.clone(), p.style), Span::raw("  ")])
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
