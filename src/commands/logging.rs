//! Where logs go: a file while the console owns the screen, stderr otherwise.

use std::path::PathBuf;

use crate::cli::{Command, default_state_dir};

/// The console's log file.
pub fn console_log_path() -> PathBuf {
    default_state_dir().join("console.log")
}

/// Installs the tracing subscriber. `SWITCHBOARD_LOG` sets the filter.
pub fn init(command: &Option<Command>, console: bool) {
    let quiet = matches!(
        command,
        Some(Command::Bench(_))
            | Some(Command::Service(_))
            | Some(Command::Status(_))
            | Some(Command::SetMode(_))
    );
    let default = if quiet { "warn" } else { "info" };
    let filter =
        tracing_subscriber::EnvFilter::try_from_env("SWITCHBOARD_LOG").unwrap_or_else(|_| default.into());
    if console {
        let path = console_log_path();
        let file = path
            .parent()
            .and_then(|dir| std::fs::create_dir_all(dir).ok())
            .and_then(|()| std::fs::OpenOptions::new().create(true).append(true).open(&path).ok());
        // Without a log file, stay silent rather than write over the screen.
        if let Some(file) = file {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file))
                .try_init();
        }
        return;
    }
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
