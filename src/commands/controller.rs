//! `switchboard controller`: the headless control plane.

use crate::cli::ControllerArgs;
use crate::controller::config::{Config, ConfigError};
use crate::controller::{Controller, ControllerOptions, StartError};
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
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Loads the config, starts the controller and serves until SIGINT/SIGTERM.
pub async fn run(args: ControllerArgs) -> Result<(), RunError> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::builtin()?,
    };
    let state_dir = args.state_dir();
    if !args.listen.ip().is_loopback() && args.admin_token.is_none() {
        tracing::warn!(listen = %args.listen, "listening beyond loopback without an admin token: anyone who can reach it can change modes");
    }
    let controller = Controller::start(ControllerOptions {
        config,
        state_dir: state_dir.clone(),
        admin_token: args.admin_token.clone(),
        service_token: args.service_token.clone(),
        implementations: services::builtin(),
    })?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|source| RunError::Bind { addr: args.listen, source })?;
    let addr = listener.local_addr().map_err(RunError::Serve)?;
    tracing::info!(%addr, state_dir = %state_dir.display(), "controller listening");
    eprintln!("switchboard controller listening on http://{addr} (state in {})", state_dir.display());
    controller.serve(listener, shutdown_signal()).await.map_err(RunError::Serve)
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
