//! The command line: `switchboard [COMMAND]`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Operations console and control plane for per-service connection autonomy.
///
/// With no command, opens the console on an embedded controller running the
/// demo platform. The console logs to $XDG_STATE_HOME/switchboard/console.log
/// (never to the screen); other commands log to stderr (SWITCHBOARD_LOG=debug for more).
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about, long_about)]
pub struct Cli {
    /// What to run; the console on the embedded demo platform when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console (on an embedded demo controller unless --controller is given).
    Console(ConsoleArgs),
    /// Print every service's mode and health (exit 1 if the controller cannot be read).
    Status(StatusArgs),
    /// Change a service's connection method (exit 1 if the controller refuses).
    SetMode(SetModeArgs),
    /// Run the headless control plane (HTTP API on --listen).
    Controller(ControllerArgs),
    /// Serve one platform service over HTTP (its REST side); prints the address it bound.
    Service(ServiceArgs),
    /// Measure router, REST and hybrid for 100 B, 10 KB and 1 MB payloads beside the seed's figures.
    Bench(BenchArgs),
    /// Run the demo controller and a console model for a while; report RSS and CPU of both.
    Soak(SoakArgs),
}

/// `switchboard soak`.
#[derive(Debug, Clone, Args)]
pub struct SoakArgs {
    /// How long, in minutes (fractions allowed).
    #[arg(long, default_value_t = 30.0, value_parser = parse_minutes)]
    pub minutes: f64,
    /// Print JSON samples instead of a summary.
    #[arg(long)]
    pub json: bool,
}

fn parse_minutes(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(m) if m.is_finite() && (0.05..=1440.0).contains(&m) => Ok(m),
        _ => Err(format!("{text:?}: minutes from 0.05 to 1440")),
    }
}

/// `switchboard bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Print the seed's JSON shape instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Seconds each cell is measured (large payloads get 1.5×).
    #[arg(long, default_value_t = 3.0, value_parser = parse_seconds)]
    pub seconds_per_cell: f64,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.1..=60.0).contains(&s) => Ok(s),
        _ => Err(format!("{text:?}: seconds from 0.1 to 60")),
    }
}

/// Where a one-shot command finds the controller.
#[derive(Debug, Clone, Args)]
pub struct ControllerTarget {
    /// Controller URL.
    #[arg(long, env = "SWITCHBOARD_CONTROLLER", default_value = "http://127.0.0.1:8004")]
    pub controller: String,
    /// Admin token for changes.
    #[arg(long, env = "SWITCHBOARD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// `switchboard status`.
#[derive(Debug, Clone, Args)]
pub struct StatusArgs {
    /// Where the controller is.
    #[command(flatten)]
    pub target: ControllerTarget,
    /// Print JSON (the services as the console reads them).
    #[arg(long)]
    pub json: bool,
}

/// `switchboard set-mode SERVICE MODE`.
#[derive(Debug, Clone, Args)]
pub struct SetModeArgs {
    /// The service, e.g. bot_svc.
    pub service: String,
    /// router, rest, hybrid or disabled.
    #[arg(value_parser = ["router", "rest", "hybrid", "disabled"])]
    pub mode: String,
    /// Why (required for disabled).
    #[arg(long)]
    pub reason: Option<String>,
    /// Who [default: $USER].
    #[arg(long)]
    pub operator: Option<String>,
    /// Where the controller is.
    #[command(flatten)]
    pub target: ControllerTarget,
}

/// `switchboard console`.
#[derive(Debug, Clone, Args, Default)]
pub struct ConsoleArgs {
    /// Controller URL; without it, an embedded controller runs the demo platform.
    #[arg(long, env = "SWITCHBOARD_CONTROLLER")]
    pub controller: Option<String>,
    /// Admin token for changes.
    #[arg(long, env = "SWITCHBOARD_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Poll interval, e.g. 1s or 500ms [default: 1s].
    #[arg(long)]
    pub interval: Option<String>,
    /// Refuse every change (shown in the status bar).
    #[arg(long)]
    pub read_only: bool,
    /// Who changes are attributed to [default: $USER].
    #[arg(long)]
    pub operator: Option<String>,
    /// default or mono (NO_COLOR selects mono).
    #[arg(long)]
    pub theme: Option<String>,
    /// Console config file [default: $XDG_CONFIG_HOME/switchboard/config.toml].
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// State directory of the embedded controller [default: a temporary directory].
    #[arg(long)]
    pub state_dir: Option<PathBuf>,
    /// services.yml for the embedded controller [default: the built-in RssBot platform].
    #[arg(long)]
    pub services: Option<PathBuf>,
}

/// `switchboard service NAME`.
#[derive(Debug, Clone, Args)]
pub struct ServiceArgs {
    /// The service: db_svc, ai_svc, bot_svc, payment_svc, formatting_svc,
    /// user_svc, channel_mgr_svc or miniapp_svc.
    pub name: String,
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Calls must carry Authorization: Bearer with this token.
    #[arg(long, env = "SWITCHBOARD_SERVICE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Exit when standard input closes (the parent went away).
    #[arg(long)]
    pub exit_on_stdin_eof: bool,
}

/// `switchboard controller`.
#[derive(Debug, Clone, Args)]
pub struct ControllerArgs {
    /// services.yml to load; the built-in RssBot platform when omitted.
    #[arg(long, env = "SWITCHBOARD_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "SWITCHBOARD_LISTEN", default_value = "127.0.0.1:8004")]
    pub listen: SocketAddr,
    /// Where operator changes and the audit log are kept
    /// [default: $XDG_STATE_HOME/switchboard].
    #[arg(long, env = "SWITCHBOARD_STATE_DIR")]
    pub state_dir: Option<PathBuf>,
    /// Token that POST routes require (Authorization: Bearer or X-API-Key).
    #[arg(long, env = "SWITCHBOARD_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Token sent to REST sides as Authorization: Bearer.
    #[arg(long, env = "SWITCHBOARD_SERVICE_TOKEN", hide_env_values = true)]
    pub service_token: Option<String>,
    /// Run the demo platform: each service's REST side as a child process,
    /// live traffic, and fault injection under /demo.
    #[arg(long)]
    pub demo: bool,
}

impl ControllerArgs {
    /// The state directory to use.
    pub fn state_dir(&self) -> PathBuf {
        self.state_dir.clone().unwrap_or_else(default_state_dir)
    }
}

impl Default for ControllerArgs {
    fn default() -> Self {
        Self {
            config: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8004)),
            state_dir: None,
            admin_token: None,
            service_token: None,
            demo: false,
        }
    }
}

/// `$XDG_STATE_HOME/switchboard`, or `~/.local/state/switchboard`, or `./.switchboard`.
pub fn default_state_dir() -> PathBuf {
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("state")))
        .map(|d| d.join("switchboard"))
        .unwrap_or_else(|| PathBuf::from(".switchboard"))
}
