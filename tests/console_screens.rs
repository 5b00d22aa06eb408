//! Whole-screen snapshots of the console on `TestBackend`, at 80×24 and
//! 200×50, and tiny terminals that must not panic.

mod support;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::client::{ClientError, service_row};
use switchboard::console::action::Msg;
use switchboard::console::app::App;
use switchboard::console::theme::Theme;
use switchboard::console::views;

use support::screens::*;

fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| views::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn both_sizes(name: &str, mut make: impl FnMut() -> App) {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut app = make();
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&mut app, w, h));
    }
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn main_screen_with_data() {
    both_sizes("main", || app_with_data(Theme::mono()));
}

#[test]
fn disconnected() {
    both_sizes("disconnected", || {
        let mut app = app_with_data(Theme::mono());
        let now = app.now;
        app.update(Msg::Tick(now + Duration::from_secs(3)));
        app.update(Msg::Services(Err(ClientError::Unreachable("Connection refused (os error 111)".into()))));
        app
    });
    both_sizes("never_connected", || {
        let t0 = Instant::now();
        let mut app = App::new(settings(Theme::mono()), t0);
        app.update(Msg::Services(Err(ClientError::Timeout(2.0))));
        app
    });
}

#[test]
fn disable_dialog() {
    both_sizes("disable_dialog", || {
        let mut app = app_with_data(Theme::mono());
        typed(&mut app, "d");
        typed(&mut app, "maintenance window");
        app
    });
    both_sizes("disable_dialog_needs_reason", || {
        let mut app = app_with_data(Theme::mono());
        typed(&mut app, "d");
        press(&mut app, KeyCode::Enter);
        app
    });
}

#[test]
fn help_overlay() {
    both_sizes("help", || {
        let mut app = app_with_data(Theme::mono());
        typed(&mut app, "?");
        app
    });
}

#[test]
fn command_line() {
    both_sizes("command_line", || {
        let mut app = app_with_data(Theme::mono());
        typed(&mut app, ":mode b");
        press(&mut app, KeyCode::Tab);
        typed(&mut app, "re");
        press(&mut app, KeyCode::Tab);
        app
    });
    both_sizes("command_line_error", || {
        let mut app = app_with_data(Theme::mono());
        typed(&mut app, ":disable bot_svc");
        press(&mut app, KeyCode::Enter);
        app
    });
}

#[test]
fn rssbot_shaped_controller() {
    both_sizes("rssbot", || {
        let t0 = Instant::now();
        let mut app = App::new(settings(Theme::mono()), t0);
        let rows = serde_json::json!({"services": [
            {"name": "db_svc", "display_name": "Database Service", "connection_method": "router", "health_status": "healthy",
             "is_mounted": true, "has_router": true, "last_health_check": "2026-12-04T15:11:08.397123"},
            {"name": "ai_svc", "display_name": "AI Service", "connection_method": "rest", "health_status": "unhealthy",
             "is_mounted": false, "has_router": true, "last_health_check": null}
        ]});
        let rows: Vec<_> = rows["services"].as_array().unwrap().iter().filter_map(service_row).collect();
        app.update(Msg::Services(Ok(rows)));
        app.update(Msg::Events(Err(ClientError::NotOffered)));
        app.update(Msg::Latency {
            service: "db_svc".into(),
            window_s: 300,
            result: Err(ClientError::NotOffered),
        });
        app.update(Msg::Tick(t0 + Duration::from_millis(300)));
        app
    });
}

#[test]
fn colored_theme_renders_the_same_text() {
    let mut mono = app_with_data(Theme::mono());
    let mut colored = app_with_data(Theme::colored());
    assert_eq!(render(&mut mono, 120, 40), render(&mut colored, 120, 40));
}

fn draw_only(app: &mut App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| views::draw(f, app)).unwrap();
}

#[test]
fn tiny_terminals_do_not_panic() {
    for (w, h) in [(20, 5), (1, 1), (0, 0), (5, 20), (300, 100), (81, 3)] {
        let mut app = app_with_data(Theme::colored());
        draw_only(&mut app, w, h);
        typed(&mut app, "?");
        draw_only(&mut app, w, h);
        press(&mut app, KeyCode::Esc);
        typed(&mut app, "d");
        draw_only(&mut app, w, h);
        press(&mut app, KeyCode::Esc);
        typed(&mut app, ":mode");
        draw_only(&mut app, w, h);
    }
    insta::assert_snapshot!("tiny_20x5", render(&mut app_with_data(Theme::mono()), 20, 5));
}
