//! The `switchboard` binary: parse, install error reporting, dispatch.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use color_eyre::eyre::WrapErr;
use switchboard::cli::{Cli, Command, ControllerArgs};
use switchboard::commands;

#[tokio::main]
async fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("SWITCHBOARD_LOG").unwrap_or_else(
            |_| {
                // One-shot commands print results; only warnings belong beside them.
                let quiet = matches!(cli.command, Some(Command::Bench(_)) | Some(Command::Service(_)));
                if quiet { "warn" } else { "info" }.into()
            },
        ))
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Some(Command::Controller(args)) => {
            commands::controller::run(args).await.wrap_err("switchboard controller")
        }
        Some(Command::Bench(args)) => commands::bench::run(args).await.wrap_err("switchboard bench"),
        Some(Command::Service(args)) => {
            let name = args.name.clone();
            commands::service::run(args).await.wrap_err_with(|| format!("switchboard service {name}"))
        }
        None => commands::controller::run(ControllerArgs::default()).await.wrap_err("switchboard controller"),
    }
}
