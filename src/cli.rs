//! The command line: `switchboard [COMMAND]`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Operations console and control plane for per-service connection autonomy.
#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about, long_about = None)]
pub struct Cli {
    /// What to run; the controller on the built-in RssBot platform when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the headless control plane (HTTP API on --listen).
    Controller(ControllerArgs),
    /// Serve one platform service over HTTP (its REST side); prints the address it bound.
    Service(ServiceArgs),
    /// Measure router, REST and hybrid for 100 B, 10 KB and 1 MB payloads beside the seed's figures.
    Bench(BenchArgs),
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
