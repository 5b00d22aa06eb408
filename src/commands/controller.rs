//! `switchboard controller`: the headless control plane.

use crate::cli::ControllerArgs;
use crate::controller::config::{Config, ConfigError};
use crate::controller::{Controller, ControllerOptions, StartError};
use std::sync::Arc;

use crate::demo::Demo;
use crate::platform::services;

/// Why the controller command failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The controller could not start.
    #[error(transparent)]
    Start(#[from] StartError),
    /// Binding or serving failed.
    #[error(transparent)]
    Listen(#[from] super::listen::ListenError),
    /// The demo platform could not start.
    #[error("demo platform: {0}")]
    Demo(#[from] crate::demo::supervisor::SpawnError),
    /// The executable's own path is needed to start the demo's REST sides.
    #[error("cannot find this executable to start the demo's REST sides: {0}")]
    Exe(std::io::Error),
}

/// A started controller (and demo platform), bound but not yet serving.
pub struct Platform {
    /// The controller.
    pub controller: Controller,
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    /// The state directory in use.
    pub state_dir: std::path::PathBuf,
    listener: tokio::net::TcpListener,
    demo: Option<Arc<Demo>>,
}

/// Loads the config, binds, and starts the controller (with the demo
/// platform when asked).
pub async fn launch(args: &ControllerArgs) -> Result<Platform, RunError> {
    let mut config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::builtin()?,
    };
    let state_dir = args.state_dir();
    if !args.listen.ip().is_loopback() && args.admin_token.is_none() {
        tracing::warn!(listen = %args.listen, "listening beyond loopback without an admin token: anyone who can reach it can change modes");
    }
    let (listener, addr) = super::listen::bind(args.listen).await?;

    let mut service_token = args.service_token.clone();
    let (demo, implementations) = if args.demo {
        let token = service_token.get_or_insert_with(random_token).clone();
        let exe = std::env::current_exe().map_err(RunError::Exe)?;
        let (demo, implementations) = Demo::prepare(&mut config, exe, token).await?;
        (Some(demo), implementations)
    } else {
        (None, services::builtin())
    };
    let traffic = config.traffic.clone();
    let controller = Controller::start(ControllerOptions {
        config,
        state_dir: state_dir.clone(),
        admin_token: args.admin_token.clone(),
        service_token,
        implementations,
    })?;
    let demo = demo.map(|mut d| {
        d.attach(&controller, traffic.as_ref());
        Arc::new(d)
    });
    tracing::info!(%addr, state_dir = %state_dir.display(), demo = args.demo, "controller listening");
    Ok(Platform { controller, addr, state_dir, listener, demo })
}

impl Platform {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves until `shutdown` resolves, then stops the controller and reaps the demo's children.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), RunError> {
        let extra = self.demo.as_ref().map(|d| d.router(self.controller.clone()));
        let served = self
            .controller
            .serve(self.listener, extra, shutdown)
            .await
            .map_err(|e| RunError::Listen(e.into()));
        if let Some(demo) = self.demo.and_then(|d| Arc::try_unwrap(d).ok()) {
            demo.finish().await;
        }
        served
    }
}

/// `switchboard controller`: serves until SIGINT/SIGTERM.
pub async fn run(args: ControllerArgs) -> Result<(), RunError> {
    let platform = launch(&args).await?;
    eprintln!(
        "switchboard controller listening on {} (state in {})",
        platform.url(),
        platform.state_dir.display()
    );
    platform.serve(shutdown_signal()).await
}

/// A fresh random token (128 bits, hex).
pub fn random_token() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
