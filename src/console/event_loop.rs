//! The console's loop: terminal input, poll results and ticks in one
//! `select!`; network work is spawned and comes back as messages, at most
//! one request of a kind in flight; the screen is drawn only when something
//! changed, at most 30 times a second.

use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::sync::mpsc;

use super::action::{Effect, Msg};
use super::app::{App, EVENTS_PAGE, Settings};
use super::terminal::TerminalGuard;
use super::views;
use crate::client::ControllerClient;

/// The shortest time between two frames.
pub const FRAME_INTERVAL: Duration = Duration::from_millis(33);
/// How often time is advanced (ages, retry countdowns, due polls).
pub const TICK: Duration = Duration::from_millis(100);

/// Why the console stopped on its own.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// The terminal could not be used.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

#[allow(clippy::panic)]
fn panic_now() -> ! {
    panic!("{PANIC_CHECK_ENV}=1: deliberate panic to check that the terminal is restored")
}

/// Spawns the work an effect asks for; its result comes back on `tx`.
pub fn dispatch(effect: Effect, client: &ControllerClient, operator: &str, tx: &mpsc::UnboundedSender<Msg>) {
    let client = client.clone();
    let tx = tx.clone();
    let operator = operator.to_string();
    tokio::spawn(async move {
        let msg = match effect {
            Effect::FetchServices => Msg::Services(client.services().await),
            Effect::FetchEvents { after } => Msg::Events(client.events(after, EVENTS_PAGE).await),
            Effect::FetchLatency { service, window_s } => {
                let result = client.latency(&service, window_s).await;
                Msg::Latency { service, window_s, result }
            }
            Effect::SetMode { service, mode, reason } => Msg::Done(
                client
                    .set_mode(&service, mode, reason.as_deref(), &operator)
                    .await
                    .map(|r| r.message)
                    .map_err(|e| e.to_string()),
            ),
            Effect::Enable { service } => Msg::Done(
                client.enable(&service, &operator).await.map(|r| r.message).map_err(|e| e.to_string()),
            ),
            Effect::Fault { service, body } => {
                Msg::Done(client.fault(&service, body).await.map_err(|e| e.to_string()))
            }
        };
        let _ = tx.send(msg);
    });
}

/// Set to `1` to make the console panic after its first frame: a check that
/// a crash restores the terminal.
pub const PANIC_CHECK_ENV: &str = "SWITCHBOARD_CONSOLE_PANIC_CHECK";

/// Runs the console until the operator quits.
pub async fn run(settings: Settings, client: ControllerClient) -> Result<(), ConsoleError> {
    let panic_check = std::env::var(PANIC_CHECK_ENV).is_ok_and(|v| v == "1");
    let mut guard = TerminalGuard::enter()?;
    let operator = settings.operator.clone();
    let mut app = App::new(settings, Instant::now());
    let (tx, mut rx) = mpsc::unbounded_channel();
    {
        let client = client.clone();
        let tx = tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(Msg::DemoOffered(client.demo_offered().await));
        });
    }
    let mut input = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last_draw: Option<Instant> = None;
    loop {
        if app.dirty && last_draw.is_none_or(|t| t.elapsed() >= FRAME_INTERVAL) {
            guard.terminal.draw(|frame| views::draw(frame, &mut app))?;
            app.dirty = false;
            last_draw = Some(Instant::now());
            if panic_check {
                panic_now();
            }
        }
        let next_frame = match (app.dirty, last_draw) {
            (true, Some(t)) => tokio::time::Instant::from_std(t + FRAME_INTERVAL),
            _ => tokio::time::Instant::now() + Duration::from_secs(3600),
        };
        let effects = tokio::select! {
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) if key.kind == KeyEventKind::Press => app.update(Msg::Key(key)),
                Some(Ok(TermEvent::Resize(_, _))) => app.update(Msg::Resize),
                Some(Ok(_)) => Vec::new(),
                Some(Err(e)) => return Err(ConsoleError::Terminal(e)),
                None => break,
            },
            Some(msg) = rx.recv() => app.update(msg),
            _ = ticker.tick() => app.update(Msg::Tick(Instant::now())),
            _ = tokio::time::sleep_until(next_frame) => Vec::new(),
        };
        for effect in effects {
            dispatch(effect, &client, &operator, &tx);
        }
        if app.should_quit {
            break;
        }
    }
    Ok(())
}
