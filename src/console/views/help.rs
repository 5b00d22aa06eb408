//! The `?` overlay, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::dialog::centered;
use crate::console::app::App;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let mut lines = Vec::new();
    for (action, keys) in app.settings.keymap.entries() {
        if action.is_demo() && !app.demo {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:>14}  ", keys.join(" ")), theme.header),
            Span::raw(action.description()),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        ":mode SVC MODE [reason]  :disable SVC reason  :enable SVC",
        theme.dim,
    )));
    lines.push(Line::from(Span::styled(":window 1m|5m|15m|1h  :filter TEXT  :q", theme.dim)));
    let rect = centered(area, 64, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Span::styled(" keys (? or Esc to close) ", theme.title));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}
