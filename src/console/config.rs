//! The console's config file (`$XDG_CONFIG_HOME/switchboard/config.toml`, or
//! `--config`): controller, interval, theme, operator, confirmations, keys.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// What the file may say; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleFile {
    /// Controller URL.
    pub controller: Option<String>,
    /// Poll interval, e.g. `1s`, `500ms`.
    pub interval: Option<String>,
    /// `default` or `mono`.
    pub theme: Option<String>,
    /// Who changes are attributed to.
    pub operator: Option<String>,
    /// Ask before switching modes (default true).
    pub confirm: Option<bool>,
    /// Action name → keys, e.g. `quit = ["q", "ctrl-c"]`.
    #[serde(default)]
    pub keys: HashMap<String, Vec<String>>,
}

/// Why the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleConfigError {
    /// It could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// It is not valid.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// `$XDG_CONFIG_HOME/switchboard/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("switchboard").join("config.toml"))
}

/// Loads `explicit` (which must exist), or the default file if it exists.
pub fn load(explicit: Option<&Path>) -> Result<ConsoleFile, ConsoleConfigError> {
    let (path, required) = match explicit {
        Some(p) => (p.to_path_buf(), true),
        None => match default_path() {
            Some(p) => (p, false),
            None => return Ok(ConsoleFile::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => return Ok(ConsoleFile::default()),
        Err(source) => return Err(ConsoleConfigError::Read { path, source }),
    };
    parse(&text).map_err(|message| ConsoleConfigError::Invalid { path, message })
}

/// Parses the file's text.
pub fn parse(text: &str) -> Result<ConsoleFile, String> {
    let file: ConsoleFile = toml::from_str(text).map_err(|e| e.to_string())?;
    if let Some(interval) = &file.interval {
        parse_interval(interval)?;
    }
    Ok(file)
}

/// Parses a poll interval (`1s`, `500ms`), 100 ms to 1 min.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text.trim()).map_err(|e| format!("interval {text:?}: {e}"))?;
    if d < Duration::from_millis(100) || d > Duration::from_secs(60) {
        return Err(format!("interval {text:?}: between 100ms and 60s"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let f = parse("controller = \"http://x:8004\"\ninterval = \"500ms\"\ntheme = \"mono\"\n[keys]\nquit = [\"x\"]\n").unwrap();
        assert_eq!(f.controller.as_deref(), Some("http://x:8004"));
        assert_eq!(f.keys["quit"], vec!["x"]);
        assert!(parse("interval = \"1ms\"").is_err());
        assert!(parse("colour = \"red\"").is_err());
        assert_eq!(parse_interval("1s").unwrap(), Duration::from_secs(1));
    }
}
