//! Colours and emphasis. Colour never carries meaning alone: every status is
//! also a word or a symbol. `mono` uses no colour; `NO_COLOR` selects it.

use ratatui::style::{Color, Modifier, Style};

use crate::api::ConnectionMethod;

/// The styles the views use.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// `default` or `mono`.
    pub name: &'static str,
    /// Bars and titles.
    pub title: Style,
    /// Table header.
    pub header: Style,
    /// The selected row.
    pub selected: Style,
    /// Healthy things.
    pub good: Style,
    /// Degraded things.
    pub warn: Style,
    /// Down, errors.
    pub bad: Style,
    /// Secondary text.
    pub dim: Style,
    /// Borders.
    pub border: Style,
    /// Router series and mode.
    pub router: Style,
    /// REST series and mode.
    pub rest: Style,
    /// Hybrid mode.
    pub hybrid: Style,
    /// Failover markers.
    pub marker: Style,
}

impl Theme {
    /// Colours.
    pub fn colored() -> Self {
        Self {
            name: "default",
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            selected: Style::new().bg(Color::DarkGray).add_modifier(Modifier::BOLD),
            good: Style::new().fg(Color::Green),
            warn: Style::new().fg(Color::Yellow),
            bad: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::Gray),
            border: Style::new().fg(Color::DarkGray),
            router: Style::new().fg(Color::Cyan),
            rest: Style::new().fg(Color::Magenta),
            hybrid: Style::new().fg(Color::Blue),
            marker: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// No colour: emphasis only.
    pub fn mono() -> Self {
        let plain = Style::new();
        Self {
            name: "mono",
            title: plain.add_modifier(Modifier::BOLD),
            header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: plain.add_modifier(Modifier::REVERSED),
            good: plain,
            warn: plain.add_modifier(Modifier::BOLD),
            bad: plain.add_modifier(Modifier::BOLD),
            dim: plain,
            border: plain,
            router: plain,
            rest: plain.add_modifier(Modifier::BOLD),
            hybrid: plain,
            marker: plain.add_modifier(Modifier::BOLD),
        }
    }

    /// The named theme; `mono` whenever `no_color` is set.
    pub fn named(name: &str, no_color: bool) -> Result<Self, String> {
        match name {
            _ if no_color => Ok(Self::mono()),
            "default" => Ok(Self::colored()),
            "mono" => Ok(Self::mono()),
            other => Err(format!("unknown theme {other:?}; use default or mono")),
        }
    }

    /// The style of a mode.
    pub fn mode(&self, mode: Option<ConnectionMethod>) -> Style {
        match mode {
            Some(ConnectionMethod::Router) => self.router,
            Some(ConnectionMethod::Rest) => self.rest,
            Some(ConnectionMethod::Hybrid) => self.hybrid,
            Some(ConnectionMethod::Disabled) => self.bad,
            None => self.dim,
        }
    }

    /// The style and symbol of a health status.
    pub fn health(&self, status: &str) -> (Style, &'static str) {
        match status {
            "healthy" => (self.good, "✓"),
            "degraded" => (self.warn, "▲"),
            "down" | "unhealthy" => (self.bad, "✗"),
            _ => (self.dim, "?"),
        }
    }
}
