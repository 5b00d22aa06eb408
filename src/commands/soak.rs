//! `switchboard soak`: the demo controller (a child process, with traffic)
//! and a console model (the console's state machine, polling over HTTP and
//! drawing to an off-screen buffer) run together for a while; RSS and CPU of
//! both are sampled, so that a leak shows as growth.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde::Serialize;
use tokio::sync::mpsc;

use crate::cli::SoakArgs;
use crate::client::{ClientOptions, ControllerClient, DEFAULT_TIMEOUT};
use crate::console::action::Msg;
use crate::console::app::{App, Settings};
use crate::console::event_loop::dispatch;
use crate::console::keymap::Keymap;
use crate::console::theme::Theme;
use crate::console::views;

/// Why the soak could not run.
#[derive(Debug, thiserror::Error)]
pub enum SoakError {
    /// The controller could not be started.
    #[error("cannot start the demo controller: {0}")]
    Start(String),
}

/// One process at one moment.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sample {
    /// Seconds since the soak started.
    pub at_s: f64,
    /// Resident memory, MiB.
    pub rss_mb: f64,
    /// CPU seconds used so far (user + system).
    pub cpu_s: f64,
}

/// The outcome.
#[derive(Debug, Clone, Serialize)]
pub struct SoakReport {
    /// Seconds run.
    pub seconds: f64,
    /// The controller process (without its REST children).
    pub controller: Vec<Sample>,
    /// This process: the console model.
    pub console: Vec<Sample>,
    /// `/services` answers the console model applied.
    pub polls: u64,
    /// Frames it drew.
    pub frames: u64,
}

fn sample(pid: &str, start: Instant) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb: f64 =
        status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    Some(Sample { at_s: start.elapsed().as_secs_f64(), rss_mb: rss_kb / 1024.0, cpu_s: ticks / hz })
}

struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        // SIGTERM first, so that it reaps its own children.
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_controller(state: &std::path::Path) -> Result<(Reaped, String), SoakError> {
    let exe = std::env::current_exe().map_err(|e| SoakError::Start(e.to_string()))?;
    let mut child = Command::new(exe)
        .args(["controller", "--demo", "--listen", "127.0.0.1:0", "--state-dir"])
        .arg(state)
        .env("SWITCHBOARD_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SoakError::Start(e.to_string()))?;
    let stderr = child.stderr.take().ok_or_else(|| SoakError::Start("no stderr".into()))?;
    let guard = Reaped(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on ").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap_or_default().to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| SoakError::Start("it did not say where it listens".into()))?;
    Ok((guard, url))
}

/// Runs the soak.
pub async fn run_soak(duration: Duration, every: Duration, progress: bool) -> Result<SoakReport, SoakError> {
    let state = std::env::temp_dir().join(format!("switchboard-soak-{}", std::process::id()));
    let (controller, url) = start_controller(&state)?;
    let controller_pid = controller.0.id().to_string();
    let client = ControllerClient::new(ClientOptions {
        base: url.clone(),
        token: None,
        timeout: DEFAULT_TIMEOUT,
        read_only: false,
    })
    .map_err(|e| SoakError::Start(e.to_string()))?;
    let settings = Settings {
        controller: url,
        interval: Duration::from_secs(1),
        read_only: false,
        operator: "soak".into(),
        confirm: true,
        keymap: Keymap::default(),
        theme: Theme::colored(),
    };
    let start = Instant::now();
    let mut app = App::new(settings, start);
    let mut terminal =
        Terminal::new(TestBackend::new(200, 50)).map_err(|e| SoakError::Start(e.to_string()))?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let mut report =
        SoakReport { seconds: 0.0, controller: Vec::new(), console: Vec::new(), polls: 0, frames: 0 };
    let mut next_sample = start;
    let mut selection_moves = 0u64;
    while start.elapsed() < duration {
        let effects = tokio::select! {
            _ = ticker.tick() => app.update(Msg::Tick(Instant::now())),
            Some(msg) = rx.recv() => {
                if matches!(msg, Msg::Services(Ok(_))) {
                    report.polls += 1;
                    // Walk the table like an operator would, so latency polls change service.
                    if report.polls.is_multiple_of(5) {
                        selection_moves += 1;
                        let action = if selection_moves % 16 < 8 {
                            crate::console::action::UserAction::SelectNext
                        } else {
                            crate::console::action::UserAction::SelectPrevious
                        };
                        app.perform(action);
                    }
                }
                app.update(msg)
            }
        };
        for effect in effects {
            dispatch(effect, &client, "soak", &tx);
        }
        if app.dirty {
            let _ = terminal.draw(|f| views::draw(f, &mut app));
            app.dirty = false;
            report.frames += 1;
        }
        if Instant::now() >= next_sample {
            next_sample += every;
            if let (Some(c), Some(s)) = (sample(&controller_pid, start), sample("self", start)) {
                if progress {
                    eprintln!(
                        "{:>6.0} s  controller {:>6.1} MiB {:>7.2} cpu-s   console {:>6.1} MiB {:>7.2} cpu-s",
                        c.at_s, c.rss_mb, c.cpu_s, s.rss_mb, s.cpu_s
                    );
                }
                report.controller.push(c);
                report.console.push(s);
            }
        }
    }
    if let (Some(c), Some(s)) = (sample(&controller_pid, start), sample("self", start)) {
        report.controller.push(c);
        report.console.push(s);
    }
    report.seconds = start.elapsed().as_secs_f64();
    drop(controller);
    let _ = std::fs::remove_dir_all(&state);
    Ok(report)
}

fn cpu_percent(samples: &[Sample]) -> f64 {
    match (samples.first(), samples.last()) {
        (Some(a), Some(b)) if b.at_s > a.at_s => (b.cpu_s - a.cpu_s) / (b.at_s - a.at_s) * 100.0,
        _ => 0.0,
    }
}

/// A summary for people.
pub fn render(report: &SoakReport) -> String {
    let line = |name: &str, s: &[Sample]| match (s.get(1).or(s.first()), s.last()) {
        (Some(a), Some(b)) => format!(
            "{name:<11} RSS {:>7.1} MiB at {:>5.0} s -> {:>7.1} MiB at {:>5.0} s   CPU {:>5.2} % of a core\n",
            a.rss_mb,
            a.at_s,
            b.rss_mb,
            b.at_s,
            cpu_percent(s)
        ),
        _ => format!("{name}: no samples\n"),
    };
    format!(
        "soak {:.0} s: {} polls, {} frames\n{}{}",
        report.seconds,
        report.polls,
        report.frames,
        line("controller", &report.controller),
        line("console", &report.console)
    )
}

/// `switchboard soak`.
pub async fn run(args: SoakArgs) -> Result<(), SoakError> {
    let duration = Duration::from_secs_f64(args.minutes * 60.0);
    let every = Duration::from_secs_f64((duration.as_secs_f64() / 30.0).clamp(2.0, 60.0));
    let report = run_soak(duration, every, !args.json).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!("{}", render(&report));
    }
    Ok(())
}
