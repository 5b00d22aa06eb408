//! `switchboard service NAME`: one platform service served over HTTP (its
//! REST side), as its own process.

use std::io::Write;
use std::sync::Arc;

use tokio::io::AsyncReadExt;

use crate::cli::ServiceArgs;
use crate::platform::faults::Faulty;
use crate::platform::{RestSide, RestSideConfig, services};

/// Why the service command failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceRunError {
    /// No such service.
    #[error("no service called '{0}'; the platform has: {list}", list = services::NAMES.join(", "))]
    Unknown(String),
    /// Binding or serving failed.
    #[error(transparent)]
    Listen(#[from] super::listen::ListenError),
}

/// Serves one service until SIGINT/SIGTERM (or, with `--exit-on-stdin-eof`,
/// until its parent goes away). Prints `listening on http://ADDR` once bound.
pub async fn run(args: ServiceArgs) -> Result<(), ServiceRunError> {
    let inner = services::by_name(&args.name).ok_or_else(|| ServiceRunError::Unknown(args.name.clone()))?;
    let (service, faults) = Faulty::wrap(inner);
    let app = RestSide::router(service, RestSideConfig { token: args.token.clone(), faults: Some(faults) });
    let (listener, addr) = super::listen::bind(args.listen).await?;
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    let parent_gone = Arc::new(tokio::sync::Notify::new());
    if args.exit_on_stdin_eof {
        let notify = parent_gone.clone();
        tokio::spawn(async move {
            let mut stdin = tokio::io::stdin();
            let mut buf = [0u8; 64];
            while let Ok(n) = stdin.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            notify.notify_one();
        });
    }
    let shutdown = async move {
        tokio::select! {
            _ = super::controller::shutdown_signal() => {}
            _ = parent_gone.notified() => {}
        }
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| ServiceRunError::Listen(e.into()))
}
