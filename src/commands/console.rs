//! `switchboard console` (and bare `switchboard`): the dashboard, attached to
//! a controller, or to an embedded one running the demo platform that it
//! reaches over HTTP exactly as it would a remote one.

use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{ConsoleArgs, ControllerArgs};
use crate::client::{ClientOptions, ControllerClient};
use crate::console::app::Settings;
use crate::console::config::{self, ConsoleConfigError};
use crate::console::event_loop::{self, ConsoleError};
use crate::console::keymap::Keymap;
use crate::console::theme::Theme;

use super::controller::{RunError, launch};
use super::oneshot::operator_name;

/// Why the console could not run.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleRunError {
    /// The config file is unusable.
    #[error(transparent)]
    Config(#[from] ConsoleConfigError),
    /// A setting is invalid.
    #[error("{0}")]
    Setting(String),
    /// The embedded controller could not start.
    #[error("embedded controller: {0}")]
    Embedded(#[from] RunError),
    /// The terminal failed.
    #[error(transparent)]
    Console(#[from] ConsoleError),
}

/// A temporary state directory, removed when dropped.
struct TempState(PathBuf);

impl Drop for TempState {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Opens the console; returns when the operator quits, after stopping
/// everything the console started.
pub async fn run(args: ConsoleArgs) -> Result<(), ConsoleRunError> {
    let file = config::load(args.config.as_deref())?;
    let interval = match args.interval.as_ref().or(file.interval.as_ref()) {
        Some(text) => config::parse_interval(text).map_err(ConsoleRunError::Setting)?,
        None => Duration::from_secs(1),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme_name = args.theme.clone().or(file.theme.clone()).unwrap_or_else(|| "default".into());
    let theme = Theme::named(&theme_name, no_color).map_err(ConsoleRunError::Setting)?;
    let keymap = Keymap::with_overrides(&file.keys).map_err(ConsoleRunError::Setting)?;
    let operator = operator_name(args.operator.clone().or(file.operator.clone()));

    let mut embedded = None;
    let mut _temp_state = None;
    let controller_url = match args.controller.clone().or(file.controller.clone()) {
        Some(url) => url,
        None => {
            let state_dir = match &args.state_dir {
                Some(dir) => dir.clone(),
                None => {
                    let dir =
                        std::env::temp_dir().join(format!("switchboard-console-{}", std::process::id()));
                    _temp_state = Some(TempState(dir.clone()));
                    dir
                }
            };
            let platform = launch(&ControllerArgs {
                config: args.services.clone(),
                listen: ([127, 0, 0, 1], 0).into(),
                state_dir: Some(state_dir),
                admin_token: None,
                service_token: None,
                demo: true,
            })
            .await?;
            let url = platform.url();
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let task = tokio::spawn(platform.serve(async move {
                let _ = stopped.await;
            }));
            embedded = Some((stop, task));
            url
        }
    };
    let client = ControllerClient::new(ClientOptions {
        base: controller_url.clone(),
        token: args.token.clone(),
        timeout: crate::client::DEFAULT_TIMEOUT,
        read_only: args.read_only,
    })
    .map_err(|e| ConsoleRunError::Setting(e.to_string()))?;
    let settings = Settings {
        controller: controller_url,
        interval,
        read_only: args.read_only,
        operator,
        confirm: file.confirm.unwrap_or(true),
        keymap,
        theme,
    };
    let result = event_loop::run(settings, client).await;
    if let Some((stop, task)) = embedded {
        let _ = stop.send(());
        let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
    }
    result.map_err(Into::into)
}
