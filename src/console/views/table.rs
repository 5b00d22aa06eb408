//! The services table. Rows are built only for the visible slice, so the
//! cost of a frame does not grow with the number of services.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use super::format::{bar, fmt_age, fmt_ms, fmt_rate};
use crate::api::EffectivePath;
use crate::client::ServiceRow;
use crate::console::app::{App, Connection};
use crate::console::columns::Column;
use crate::console::theme::Theme;

/// The columns that fit in `width`, in display order.
fn fitting_columns(width: u16) -> Vec<Column> {
    let mut chosen = Vec::new();
    let mut used: u16 = 0;
    for column in Column::PRIORITY {
        let need = column.width() + 1;
        if used + need <= width || chosen.is_empty() {
            chosen.push(column);
            used += need;
        }
    }
    Column::ALL.into_iter().filter(|c| chosen.contains(c)).collect()
}

fn cell(service: &ServiceRow, column: Column, theme: &Theme) -> Cell<'static> {
    let t = service.traffic.as_ref();
    match column {
        Column::Name => Cell::from(service.name.clone()),
        Column::Mode => Cell::from(Span::styled(
            if service.mode_text.is_empty() { "?".to_string() } else { service.mode_text.clone() },
            theme.mode(service.mode),
        )),
        Column::Path => Cell::from(match service.effective_path {
            Some(EffectivePath::Router) => "router",
            Some(EffectivePath::Rest) => "rest",
            Some(EffectivePath::None) => "none",
            None => "-",
        }),
        Column::Health => {
            let (style, symbol) = theme.health(&service.health_status);
            let score = service.health_score.map(|s| format!("{s:.2}")).unwrap_or_else(|| " -  ".to_string());
            Cell::from(Line::from(vec![
                Span::styled(bar(service.health_score, 5), style),
                Span::raw(format!(" {score} ")),
                Span::styled(symbol, style),
            ]))
        }
        Column::Status => {
            let (style, _) = theme.health(&service.health_status);
            let word = match service.health_status.as_str() {
                "healthy" => "healthy".to_string(),
                other => other.to_uppercase(),
            };
            Cell::from(Span::styled(word, style))
        }
        Column::Rps => Cell::from(t.map(|t| fmt_rate(t.rps)).unwrap_or_else(|| "-".into())),
        Column::RouterP50 => Cell::from(fmt_ms(t.and_then(|t| t.router.p50_ms))),
        Column::RouterP99 => Cell::from(fmt_ms(t.and_then(|t| t.router.p99_ms))),
        Column::RestP50 => Cell::from(fmt_ms(t.and_then(|t| t.rest.p50_ms))),
        Column::RestP99 => Cell::from(fmt_ms(t.and_then(|t| t.rest.p99_ms))),
        Column::Errors => {
            let text = t.map(|t| format!("{:.1}", t.error_rate * 100.0)).unwrap_or_else(|| "-".into());
            let style = if t.is_some_and(|t| t.error_rate >= 0.05) { theme.bad } else { Style::new() };
            Cell::from(Span::styled(text, style))
        }
        Column::Reason => Cell::from(Span::styled(service.reason.clone().unwrap_or_default(), theme.dim)),
    }
}

pub(super) fn render(frame: &mut Frame, area: Rect, app: &mut App) {
    let theme = app.settings.theme.clone();
    let mut title = format!(" services {}/{} ", app.view.len(), app.services.len());
    if !app.filter.is_empty() {
        title.push_str(&format!("filter \"{}\" ", app.filter));
    }
    if let (Connection::Reconnecting { .. }, Some(at)) = (&app.connection, app.last_update) {
        title
            .push_str(&format!("— stale, {} old ", fmt_age(app.now.saturating_duration_since(at).as_secs())));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let inner_height = area.height.saturating_sub(3) as usize; // borders + header
    app.page_rows = inner_height.max(1);
    let columns = fitting_columns(area.width.saturating_sub(2));
    let header = Row::new(columns.iter().map(|c| {
        let mut text = c.title().to_string();
        if app.sort == Some(*c) {
            text.push(if app.sort_desc { '↓' } else { '↑' });
        }
        Cell::from(text)
    }))
    .style(theme.header);

    // Only the visible slice becomes rows.
    let selected = app.table.selected().unwrap_or(0);
    let mut offset = app.table.offset().min(app.view.len().saturating_sub(1));
    if selected < offset {
        offset = selected;
    } else if inner_height > 0 && selected >= offset + inner_height {
        offset = selected + 1 - inner_height;
    }
    *app.table.offset_mut() = offset;
    let end = (offset + inner_height).min(app.view.len());
    let rows: Vec<Row> = app.view[offset.min(end)..end]
        .iter()
        .map(|&i| Row::new(columns.iter().map(|c| cell(&app.services[i], *c, &theme))))
        .collect();
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|c| if *c == Column::Reason { Constraint::Fill(1) } else { Constraint::Length(c.width()) })
        .collect();
    if app.services.is_empty() {
        let waiting = match &app.connection {
            Connection::Reconnecting { error, .. } => format!("no data yet — {error}"),
            _ => "waiting for the controller…".to_string(),
        };
        let text = ratatui::widgets::Paragraph::new(Span::styled(waiting, theme.dim))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(block);
        frame.render_widget(text, area);
        return;
    }
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ");
    let mut local =
        TableState::default().with_selected(app.table.selected().map(|s| s.saturating_sub(offset)));
    frame.render_stateful_widget(table, area, &mut local);
}
