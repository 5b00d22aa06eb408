//! REST sides as child processes: spawned, watched, restarted with backoff
//! when they die, held down when an operator kills them, and reaped. A child
//! never outlives the controller: it gets SIGKILL when its parent dies
//! (`PR_SET_PDEATHSIG`), and exits when its stdin (held by us) closes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{mpsc, oneshot, watch};

use crate::api::EventKind;
use crate::controller::Controller;
use crate::controller::events::EventSink;

/// How long a child may take to say where it listens.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);
/// First restart delay; doubles up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest restart delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// A child that ran this long resets the backoff.
pub const STABLE_AFTER: Duration = Duration::from_secs(30);

/// Why a child could not be started.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// The process could not be started.
    #[error("cannot start {exe} service {service}: {source}")]
    Exec {
        /// The executable.
        exe: String,
        /// The service.
        service: String,
        /// The cause.
        source: std::io::Error,
    },
    /// It started but did not say where it listens.
    #[error("service {service} did not report its address within {timeout:?}: {detail}")]
    NoAddress {
        /// The service.
        service: String,
        /// How long we waited.
        timeout: Duration,
        /// What happened instead.
        detail: String,
    },
}

/// How to start one service's REST side.
#[derive(Debug, Clone)]
pub struct ChildSpec {
    /// The service.
    pub service: String,
    /// The `switchboard` executable.
    pub exe: PathBuf,
    /// The service token the child requires.
    pub token: String,
}

/// A running child.
pub struct Spawned {
    child: Child,
    _stdin: Option<ChildStdin>,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its process id.
    pub pid: Option<u32>,
    started: Instant,
}

impl Spawned {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Starts the REST side of `spec.service` listening on `listen`.
pub async fn spawn(spec: &ChildSpec, listen: SocketAddr) -> Result<Spawned, SpawnError> {
    let mut command = Command::new(&spec.exe);
    command
        .arg("service")
        .arg(&spec.service)
        .arg("--listen")
        .arg(listen.to_string())
        .arg("--exit-on-stdin-eof")
        .env("SWITCHBOARD_SERVICE_TOKEN", &spec.token)
        .env("SWITCHBOARD_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id();
        // SAFETY: prctl and getppid are async-signal-safe; nothing else runs between fork and exec.
        unsafe {
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The parent may have died before prctl took effect.
                if libc::getppid() as u32 != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    let mut child = command.spawn().map_err(|source| SpawnError::Exec {
        exe: spec.exe.display().to_string(),
        service: spec.service.clone(),
        source,
    })?;
    let no_address = |detail: String| SpawnError::NoAddress {
        service: spec.service.clone(),
        timeout: START_TIMEOUT,
        detail,
    };
    let Some(stdout) = child.stdout.take() else {
        return Err(no_address("no stdout".into()));
    };
    let mut lines = BufReader::new(stdout).lines();
    let line = match tokio::time::timeout(START_TIMEOUT, lines.next_line()).await {
        Ok(Ok(Some(line))) => line,
        Ok(Ok(None)) => {
            let status = child.wait().await.map(|s| s.to_string()).unwrap_or_default();
            return Err(no_address(format!("it exited ({status})")));
        }
        Ok(Err(e)) => return Err(no_address(e.to_string())),
        Err(_) => {
            let _ = child.kill().await;
            return Err(no_address("timed out".into()));
        }
    };
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|a| a.parse().ok())
        .ok_or_else(|| no_address(format!("it said {line:?}")))?;
    Ok(Spawned { pid: child.id(), _stdin: child.stdin.take(), child, addr, started: Instant::now() })
}

/// What an operator can ask of a supervised child.
#[derive(Debug)]
pub enum Order {
    /// Kill it and keep it down.
    Kill(oneshot::Sender<String>),
    /// (Re)start it now.
    Restart(oneshot::Sender<String>),
}

/// Talks to one supervisor.
#[derive(Clone)]
pub struct SupervisorHandle {
    orders: mpsc::Sender<Order>,
}

impl SupervisorHandle {
    /// Sends an order and waits for its outcome.
    pub async fn order(&self, make: impl FnOnce(oneshot::Sender<String>) -> Order) -> Option<String> {
        let (tx, rx) = oneshot::channel();
        self.orders.send(make(tx)).await.ok()?;
        rx.await.ok()
    }
}

/// Watches one child until the controller stops.
pub fn supervise(
    spec: ChildSpec,
    first: Spawned,
    controller: Controller,
) -> (SupervisorHandle, tokio::task::JoinHandle<()>) {
    let (orders, rx) = mpsc::channel(8);
    let task = tokio::spawn(run(spec, first, controller.clone(), rx, controller.stopping()));
    (SupervisorHandle { orders }, task)
}

/// Resolves once the controller is stopping (the guard is dropped inside).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await;
}

fn emit(controller: &Controller, kind: EventKind, service: &str, message: String, data: serde_json::Value) {
    controller.events().emit(kind, Some(service), message, data);
}

async fn run(
    spec: ChildSpec,
    first: Spawned,
    controller: Controller,
    mut orders: mpsc::Receiver<Order>,
    mut stopping: watch::Receiver<bool>,
) {
    let addr = first.addr;
    let name = spec.service.clone();
    emit(
        &controller,
        EventKind::ServiceStarted,
        &name,
        format!("{name} REST side started on {addr}"),
        json!({"pid": first.pid, "addr": addr.to_string()}),
    );
    let mut current = Some(first);
    let mut held = false;
    let mut backoff = FIRST_BACKOFF;
    loop {
        if let Some(running) = current.as_mut() {
            tokio::select! {
                status = running.child.wait() => {
                    let ran = running.started.elapsed();
                    let status = status.map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
                    emit(&controller, EventKind::ServiceStopped, &name, format!("{name} REST side exited ({status})"), json!({"pid": running.pid, "status": status}));
                    current = None;
                    if ran >= STABLE_AFTER {
                        backoff = FIRST_BACKOFF;
                    }
                }
                order = orders.recv() => match order {
                    Some(Order::Kill(reply)) => {
                        held = true;
                        let pid = running.pid;
                        let _ = running.child.kill().await;
                        current = None;
                        emit(&controller, EventKind::ServiceStopped, &name, format!("{name} REST side killed by operator"), json!({"pid": pid, "status": "killed"}));
                        let _ = reply.send(format!("{name} REST side killed (pid {})", pid.unwrap_or_default()));
                    }
                    Some(Order::Restart(reply)) => {
                        let _ = running.child.kill().await;
                        current = None;
                        held = false;
                        let outcome = restart(&spec, addr, &controller, &mut current).await;
                        let _ = reply.send(outcome);
                    }
                    None => return,
                },
                _ = stopped(&mut stopping) => {
                    let _ = running.child.kill().await;
                    return;
                }
            }
        } else if held {
            tokio::select! {
                order = orders.recv() => match order {
                    Some(Order::Kill(reply)) => { let _ = reply.send(format!("{name} REST side is already down")); }
                    Some(Order::Restart(reply)) => {
                        held = false;
                        let outcome = restart(&spec, addr, &controller, &mut current).await;
                        let _ = reply.send(outcome);
                    }
                    None => return,
                },
                _ = stopped(&mut stopping) => return,
            }
        } else {
            tokio::select! {
                _ = tokio::time::sleep(backoff) => {
                    restart(&spec, addr, &controller, &mut current).await;
                    if current.is_none() {
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
                order = orders.recv() => match order {
                    Some(Order::Kill(reply)) => { held = true; let _ = reply.send(format!("{name} REST side is down and held down")); }
                    Some(Order::Restart(reply)) => {
                        let outcome = restart(&spec, addr, &controller, &mut current).await;
                        let _ = reply.send(outcome);
                    }
                    None => return,
                },
                _ = stopped(&mut stopping) => return,
            }
        }
    }
}

async fn restart(
    spec: &ChildSpec,
    addr: SocketAddr,
    controller: &Controller,
    current: &mut Option<Spawned>,
) -> String {
    let name = &spec.service;
    match spawn(spec, addr).await {
        Ok(spawned) => {
            let message =
                format!("{name} REST side started on {addr} (pid {})", spawned.pid.unwrap_or_default());
            emit(
                controller,
                EventKind::ServiceStarted,
                name,
                message.clone(),
                json!({"pid": spawned.pid, "addr": addr.to_string()}),
            );
            *current = Some(spawned);
            message
        }
        Err(e) => {
            tracing::warn!(service = %name, error = %e, "REST side restart failed");
            format!("{name} REST side did not start: {e}")
        }
    }
}
