//! The `switchboard` binary: parse, install error reporting, dispatch.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::WrapErr;
use switchboard::cli::{Cli, Command, ConsoleArgs};
use switchboard::commands;

#[tokio::main]
async fn main() -> color_eyre::Result<ExitCode> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let console = matches!(cli.command, None | Some(Command::Console(_)));
    commands::logging::init(&cli.command, console);
    let outcome = match cli.command {
        None => commands::console::run(ConsoleArgs::default()).await.wrap_err("switchboard"),
        Some(Command::Console(args)) => commands::console::run(args).await.wrap_err("switchboard console"),
        Some(Command::Controller(args)) => {
            commands::controller::run(args).await.wrap_err("switchboard controller")
        }
        Some(Command::Status(args)) => return Ok(commands::oneshot::status(args).await),
        Some(Command::SetMode(args)) => return Ok(commands::oneshot::set_mode(args).await),
        Some(Command::Bench(args)) => commands::bench::run(args).await.wrap_err("switchboard bench"),
        Some(Command::Soak(args)) => commands::soak::run(args).await.wrap_err("switchboard soak"),
        Some(Command::Service(args)) => {
            let name = args.name.clone();
            commands::service::run(args).await.wrap_err_with(|| format!("switchboard service {name}"))
        }
    };
    outcome.map(|()| ExitCode::SUCCESS)
}
