//! The bottom line: the last action's outcome, an input line, or key hints
//! generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::console::action::UserAction;
use crate::console::app::{App, Dialog, Severity};

const HINTS: [UserAction; 11] = [
    UserAction::SelectNext,
    UserAction::SetRouter,
    UserAction::SetRest,
    UserAction::SetHybrid,
    UserAction::DisableService,
    UserAction::EnableService,
    UserAction::StartFilter,
    UserAction::OpenCommandLine,
    UserAction::TogglePause,
    UserAction::ToggleHelp,
    UserAction::Quit,
];

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.settings.theme;
    let line = match &app.dialog {
        Some(Dialog::Filter) => Line::from(vec![
            Span::styled("/", theme.title),
            Span::raw(app.filter.clone()),
            Span::styled("▏", theme.title),
            Span::styled("  Enter keep · Esc clear", theme.dim),
        ]),
        Some(Dialog::CommandLine { text, error }) => {
            let mut spans =
                vec![Span::styled(":", theme.title), Span::raw(text.clone()), Span::styled("▏", theme.title)];
            match error {
                Some(e) => spans.push(Span::styled(format!("  {e}"), theme.bad)),
                None => spans.push(Span::styled("  Tab complete · Enter run · Esc cancel", theme.dim)),
            }
            Line::from(spans)
        }
        _ => match &app.message {
            Some((text, severity, _)) => {
                let style = if *severity == Severity::Error { theme.bad } else { theme.good };
                Line::from(Span::styled(format!(" {text}"), style))
            }
            None => hints(app),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn hints(app: &App) -> Line<'static> {
    let theme = &app.settings.theme;
    let mut spans = Vec::new();
    let mut actions: Vec<UserAction> = HINTS.to_vec();
    if app.demo {
        actions.insert(actions.len() - 2, UserAction::KillRestSide);
    }
    for action in actions {
        let Some(key) = app.settings.keymap.labels(action).into_iter().next() else { continue };
        let word = match action {
            UserAction::SelectNext => "next",
            UserAction::SetRouter => "router",
            UserAction::SetRest => "rest",
            UserAction::SetHybrid => "hybrid",
            UserAction::DisableService => "disable",
            UserAction::EnableService => "enable",
            UserAction::StartFilter => "filter",
            UserAction::OpenCommandLine => "cmd",
            UserAction::TogglePause => "pause",
            UserAction::ToggleHelp => "help",
            UserAction::KillRestSide => "kill REST",
            _ => "quit",
        };
        spans.push(Span::styled(format!(" {key}"), theme.header));
        spans.push(Span::raw(format!(" {word} ")));
    }
    Line::from(spans)
}
