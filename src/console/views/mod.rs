//! Drawing: the whole frame each time, from state only.

mod chart;
mod detail;
mod dialog;
mod events;
mod footer;
mod format;
mod help;
mod status_bar;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout};

use super::app::{App, Dialog};

pub use format::{fmt_ms, fmt_rate};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [status, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
    status_bar::render(frame, status, app);
    footer::render(frame, footer, app);
    let [table_area, middle, events_area] =
        Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(36), Constraint::Fill(1)])
            .areas(body);
    table::render(frame, table_area, app);
    let [detail_area, chart_area] = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(44), Constraint::Fill(1)])
        .areas(middle);
    detail::render(frame, detail_area, app);
    chart::render(frame, chart_area, app);
    events::render(frame, events_area, app);
    match &app.dialog {
        Some(Dialog::Help) => help::render(frame, area, app),
        Some(d @ (Dialog::Confirm { .. } | Dialog::Disable { .. } | Dialog::Enable { .. })) => {
            dialog::render(frame, area, app, d)
        }
        _ => {}
    }
}
