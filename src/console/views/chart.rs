//! Router vs REST latency, p50 and p99, over the chosen window, with
//! failovers marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::console::app::{App, Offered};
use crate::console::command_line::window_label;

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let service = app.selected().map(|s| s.name.clone()).unwrap_or_default();
    let title = format!(" latency {service} — {} (+/-) ", window_label(app.window_s));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let chart = &app.chart;
    let waiting = match app.latency_offered {
        Offered::No => Some("latency: not offered by this controller"),
        _ if chart.service != service || chart.window_s != app.window_s => Some("waiting for latency data…"),
        _ if chart.max <= 0.0 => Some("no calls in this window"),
        _ => None,
    };
    if let Some(text) = waiting {
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)).block(block), area);
        return;
    }
    let series = [
        ("router p50", &chart.router_p50, theme.router, GraphType::Line),
        ("router p99", &chart.router_p99, theme.router, GraphType::Scatter),
        ("REST p50", &chart.rest_p50, theme.rest, GraphType::Line),
        ("REST p99", &chart.rest_p99, theme.rest, GraphType::Scatter),
    ];
    let mut datasets: Vec<Dataset> = series
        .iter()
        .filter(|(_, points, _, _)| !points.is_empty())
        .map(|(name, points, style, kind)| {
            let marker = if *kind == GraphType::Line { Marker::Braille } else { Marker::Dot };
            Dataset::default().name(*name).marker(marker).graph_type(*kind).style(*style).data(points)
        })
        .collect();
    if !chart.failovers.is_empty() {
        datasets.push(
            Dataset::default()
                .name("failover ✗")
                .marker(Marker::Block)
                .graph_type(GraphType::Scatter)
                .style(theme.marker)
                .data(&chart.failovers),
        );
    }
    let top = chart.max * 1.1;
    let window = app.window_s as f64;
    let fmt = |v: f64| if v >= 10.0 { format!("{v:.0}") } else { format!("{v:.1}") };
    let x_axis = Axis::default().bounds([-window, 0.0]).style(theme.dim).labels([
        format!("-{}", window_label(app.window_s)),
        format!("-{}", half(app.window_s)),
        "now".to_string(),
    ]);
    let y_axis = Axis::default().bounds([0.0, top]).style(theme.dim).title(chart.unit).labels([
        "0".to_string(),
        fmt(top / 2.0),
        fmt(top),
    ]);
    let widget = Chart::new(datasets).block(block).x_axis(x_axis).y_axis(y_axis);
    frame.render_widget(widget, area);
}

fn half(window: u64) -> String {
    match window / 2 {
        s if s % 60 == 0 => format!("{}m", s / 60),
        s if s >= 60 => format!("{}m{}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}
