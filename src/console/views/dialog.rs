//! Mode-change confirmation, the disable reason prompt, and enable.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::console::app::{App, Dialog};

/// A centred box of at most `width`×`height`.
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] =
        Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] =
        Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, dialog: &Dialog) {
    let theme = &app.settings.theme;
    let (title, lines): (String, Vec<Line>) = match dialog {
        Dialog::Confirm { service, from, to, reason } => (
            format!(" switch {service} "),
            vec![
                Line::from(format!("{service}: {from} → {to}")),
                Line::from(""),
                Line::from(vec![
                    Span::raw("reason (optional): "),
                    Span::styled(format!("{reason}▏"), theme.title),
                ]),
                Line::from(""),
                Line::from(Span::styled(
                    format!("as {} · Enter confirm · Esc cancel", app.settings.operator),
                    theme.dim,
                )),
            ],
        ),
        Dialog::Disable { service, reason, error } => {
            let mut lines = vec![
                Line::from(format!("Disable {service}: calls will be refused with this reason.")),
                Line::from(""),
                Line::from(vec![
                    Span::raw("reason (required): "),
                    Span::styled(format!("{reason}▏"), theme.title),
                ]),
            ];
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(e.clone(), theme.bad)));
            } else {
                lines.push(Line::from(""));
            }
            lines.push(Line::from(Span::styled(
                format!("as {} · Enter disable · Esc cancel", app.settings.operator),
                theme.dim,
            )));
            (format!(" disable {service} "), lines)
        }
        Dialog::Enable { service } => (
            format!(" enable {service} "),
            vec![
                Line::from(format!("Enable {service}: return to the mode it had before disabled?")),
                Line::from(""),
                Line::from(Span::styled(
                    format!("as {} · Enter/y enable · Esc cancel", app.settings.operator),
                    theme.dim,
                )),
            ],
        ),
        _ => return,
    };
    let height = lines.len() as u16 + 2;
    let rect = centered(area, 64, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.title)
        .title(Span::styled(title, theme.title));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
}
