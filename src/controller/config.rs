//! `services.yml` and the environment: which services exist, how each is
//! reached by default, and the controller's timing defaults.
//!
//! Precedence of a service's mode, highest first: a persisted operator
//! change (applied later, by the registry), `<SERVICE>_CONNECTION_METHOD`,
//! the service's `connection_method` in the file, `DEFAULT_CONNECTION_METHOD`,
//! the file's `defaults.connection_method`, and finally `hybrid`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::api::{ConnectionMethod, ModeSource};

/// The RssBot platform's configuration, built into the binary so that it
/// runs from any working directory.
pub const BUILTIN_CONFIG: &str = include_str!("../../assets/services.yml");

/// How the built-in configuration is named in messages.
pub const BUILTIN_CONFIG_NAME: &str = "assets/services.yml (built in)";

/// The mode a service gets when nothing else says.
pub const BUILTIN_DEFAULT_METHOD: ConnectionMethod = ConnectionMethod::Hybrid;

/// Why a configuration could not be loaded. Every variant names where to look.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid, at a known place.
    #[error("{file}:{line}: {}{message}", context.as_ref().map(|s| format!("{s}: ")).unwrap_or_default())]
    Invalid {
        /// The file.
        file: String,
        /// Where in the file: `service 'db_svc'`, `defaults` or `traffic`.
        context: Option<String>,
        /// 1-based line, 0 when unknown.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An environment variable holds something that is not a method.
    #[error("environment variable {var}={value:?}: {message}")]
    Env {
        /// The variable.
        var: String,
        /// Its value.
        value: String,
        /// What is wrong.
        message: String,
    },
}

/// Controller-wide defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    /// How often the health monitor checks every service.
    pub health_interval: Duration,
    /// The timeout of one REST call.
    pub rest_timeout: Duration,
    /// The mode for services that name none, and where it came from.
    pub connection_method: ConnectionMethod,
    /// Where `connection_method` came from.
    pub connection_method_source: ModeSource,
}

/// One service as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConfig {
    /// e.g. `db_svc`.
    pub name: String,
    /// e.g. `Database Service`.
    pub display_name: String,
    /// The configured mode.
    pub connection_method: ConnectionMethod,
    /// Where the mode came from.
    pub mode_source: ModeSource,
    /// Why, as the file says.
    pub reason: Option<String>,
    /// Base URL of the REST side.
    pub rest_url: Option<String>,
    /// Calls must stay isolated: hybrid never picks router.
    pub requires_isolation: bool,
    /// Ordering hint for people; higher first.
    pub priority: i64,
    /// In-flight calls that count as full load.
    pub max_concurrency: u32,
    /// The line the service starts on (0 when not from a file).
    pub line: u64,
}

/// A loaded configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it came from, for messages.
    pub source: String,
    /// Controller-wide defaults.
    pub defaults: Defaults,
    /// Services in file order.
    pub services: Vec<ServiceConfig>,
    /// Demo traffic, when the file has a `traffic:` section.
    pub traffic: Option<TrafficConfig>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    services: IndexMap<String, Option<RawService>>,
    #[serde(default)]
    traffic: Option<RawTraffic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTraffic {
    period_s: Option<f64>,
    payload_mix: Option<PayloadMix>,
    #[serde(default)]
    services: IndexMap<String, RawServiceTraffic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServiceTraffic {
    rate: f64,
    #[serde(default)]
    methods: IndexMap<String, u32>,
}

/// Relative weights of the payload size classes (100 B, 10 KB, 1 MB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadMix {
    /// About 100 bytes.
    #[serde(default)]
    pub small: u32,
    /// About 10 KB.
    #[serde(default)]
    pub medium: u32,
    /// About 1 MB.
    #[serde(default)]
    pub large: u32,
}

impl Default for PayloadMix {
    fn default() -> Self {
        Self { small: 90, medium: 9, large: 1 }
    }
}

/// Demo traffic for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceTraffic {
    /// The service.
    pub service: String,
    /// Mean calls per second.
    pub rate: f64,
    /// Methods and their relative weights.
    pub methods: Vec<(String, u32)>,
}

/// The demo traffic generator's plan (`traffic:`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrafficConfig {
    /// Period of the rise and fall of each service's rate, seconds.
    pub period_s: f64,
    /// Payload size mix.
    pub payload_mix: PayloadMix,
    /// Per service.
    pub services: Vec<ServiceTraffic>,
}

/// The highest rate one service's traffic may ask for.
pub const MAX_TRAFFIC_RATE: f64 = 10_000.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    connection_method: Option<ConnectionMethod>,
    health_interval_s: Option<f64>,
    rest_timeout_s: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    connection_method: Option<ConnectionMethod>,
    reason: Option<String>,
    display_name: Option<String>,
    rest_url: Option<String>,
    requires_isolation: Option<bool>,
    priority: Option<i64>,
    max_concurrency: Option<u32>,
}

/// First pass: where each service and section starts, so that errors can name it.
#[derive(Deserialize)]
struct Outline {
    #[serde(default)]
    services: IndexMap<String, serde_saphyr::Spanned<IgnoredAny>>,
    #[serde(default)]
    defaults: Option<serde_saphyr::Spanned<IgnoredAny>>,
    #[serde(default)]
    traffic: Option<serde_saphyr::Spanned<IgnoredAny>>,
}

/// The default number of in-flight calls that counts as full load.
pub const DEFAULT_MAX_CONCURRENCY: u32 = 64;

impl Config {
    /// Loads a file, then applies the process environment.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text, &path.display().to_string(), &|var| std::env::var(var).ok())
    }

    /// The built-in RssBot configuration, with the process environment applied.
    pub fn builtin() -> Result<Self, ConfigError> {
        Self::parse(BUILTIN_CONFIG, BUILTIN_CONFIG_NAME, &|var| std::env::var(var).ok())
    }

    /// Parses `text` (named `source` in errors), reading the environment through `env`.
    pub fn parse(
        text: &str,
        source: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let invalid = |context: Option<String>, line: u64, message: String| ConfigError::Invalid {
            file: source.to_string(),
            context,
            line,
            message,
        };
        let in_service = |name: &str| Some(format!("service '{name}'"));
        let outline: Outline = serde_saphyr::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            invalid(None, line, yaml_message(&e))
        })?;
        let starts: Vec<(&str, u64)> =
            outline.services.iter().map(|(name, s)| (name.as_str(), s.referenced.line())).collect();
        // Where each part of the file starts, to say where an error is.
        let mut places: Vec<(String, u64)> =
            starts.iter().map(|(name, line)| (format!("service '{name}'"), *line)).collect();
        for (section, span) in [("defaults", &outline.defaults), ("traffic", &outline.traffic)] {
            if let Some(span) = span {
                places.push((section.to_string(), span.referenced.line()));
            }
        }
        let service_at = |line: u64| {
            places
                .iter()
                .filter(|(_, start)| *start > 0 && *start <= line)
                .max_by_key(|(_, start)| *start)
                .map(|(place, _)| place.clone())
        };
        let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
            let line = e.location().map(|l| l.line()).unwrap_or(0);
            invalid(service_at(line), line, yaml_message(&e))
        })?;

        let raw_defaults = raw.defaults.unwrap_or(RawDefaults {
            connection_method: None,
            health_interval_s: None,
            rest_timeout_s: None,
        });
        let seconds = |value: Option<f64>, key: &str, default: f64| {
            let s = value.unwrap_or(default);
            if s.is_finite() && s > 0.0 && s <= 3600.0 {
                Ok(Duration::from_secs_f64(s))
            } else {
                Err(invalid(None, 0, format!("defaults.{key} must be between 0 and 3600 seconds, got {s}")))
            }
        };
        let (connection_method, connection_method_source) =
            match env_method(env, "DEFAULT_CONNECTION_METHOD")? {
                Some(m) => (m, ModeSource::Env),
                None => match raw_defaults.connection_method {
                    Some(m) => (m, ModeSource::File),
                    None => (BUILTIN_DEFAULT_METHOD, ModeSource::Default),
                },
            };
        let defaults = Defaults {
            health_interval: seconds(raw_defaults.health_interval_s, "health_interval_s", 2.0)?,
            rest_timeout: seconds(raw_defaults.rest_timeout_s, "rest_timeout_s", 30.0)?,
            connection_method,
            connection_method_source,
        };

        let mut services = Vec::with_capacity(raw.services.len());
        for (name, entry) in raw.services {
            let line = starts.iter().find(|(n, _)| *n == name).map(|(_, l)| *l).unwrap_or(0);
            if !valid_service_name(&name) {
                return Err(invalid(
                    in_service(&name),
                    line,
                    "service names use letters, digits, '_' and '-' only (at most 64)".into(),
                ));
            }
            let entry = entry.unwrap_or(RawService {
                connection_method: None,
                reason: None,
                display_name: None,
                rest_url: None,
                requires_isolation: None,
                priority: None,
                max_concurrency: None,
            });
            let env_var = format!("{}_CONNECTION_METHOD", name.to_ascii_uppercase().replace('-', "_"));
            let (method, mode_source) = match env_method(env, &env_var)? {
                Some(m) => (m, ModeSource::Env),
                None => match entry.connection_method {
                    Some(m) => (m, ModeSource::File),
                    None => (defaults.connection_method, defaults.connection_method_source),
                },
            };
            if let Some(url) = &entry.rest_url {
                check_rest_url(url).map_err(|m| invalid(in_service(&name), line, m))?;
            }
            let max_concurrency = entry.max_concurrency.unwrap_or(DEFAULT_MAX_CONCURRENCY);
            if max_concurrency == 0 {
                return Err(invalid(in_service(&name), line, "max_concurrency must be at least 1".into()));
            }
            services.push(ServiceConfig {
                display_name: entry.display_name.unwrap_or_else(|| display_name_for(&name)),
                connection_method: method,
                mode_source,
                reason: entry.reason,
                rest_url: entry.rest_url.map(|u| u.trim_end_matches('/').to_string()),
                requires_isolation: entry.requires_isolation.unwrap_or(false),
                priority: entry.priority.unwrap_or(0),
                max_concurrency,
                line,
                name,
            });
        }
        let traffic = match raw.traffic {
            None => None,
            Some(t) => Some(parse_traffic(t, &services).map_err(|m| {
                let line = outline.traffic.as_ref().map(|s| s.referenced.line()).unwrap_or(0);
                invalid(Some("traffic".into()), line, m)
            })?),
        };
        Ok(Self { source: source.to_string(), defaults, services, traffic })
    }

    /// The service called `name`.
    pub fn service(&self, name: &str) -> Option<&ServiceConfig> {
        self.services.iter().find(|s| s.name == name)
    }
}

fn parse_traffic(raw: RawTraffic, services: &[ServiceConfig]) -> Result<TrafficConfig, String> {
    let period_s = raw.period_s.unwrap_or(120.0);
    if !(period_s.is_finite() && (1.0..=86_400.0).contains(&period_s)) {
        return Err(format!("period_s must be between 1 and 86400, got {period_s}"));
    }
    let payload_mix = raw.payload_mix.unwrap_or_default();
    if payload_mix.small + payload_mix.medium + payload_mix.large == 0 {
        return Err("payload_mix: at least one weight must be above 0".into());
    }
    let mut out = Vec::new();
    for (name, t) in raw.services {
        if !services.iter().any(|s| s.name == name) {
            return Err(format!("service '{name}' is not under services:"));
        }
        if !(t.rate.is_finite() && (0.0..=MAX_TRAFFIC_RATE).contains(&t.rate)) {
            return Err(format!("service '{name}': rate must be between 0 and {MAX_TRAFFIC_RATE}"));
        }
        if t.methods.is_empty() || t.methods.values().all(|w| *w == 0) {
            return Err(format!("service '{name}': methods needs at least one method with a weight above 0"));
        }
        if let Some(bad) = t.methods.keys().find(|m| !crate::controller::proxy::valid_method_name(m)) {
            return Err(format!("service '{name}': {bad:?} is not a method name"));
        }
        out.push(ServiceTraffic { service: name, rate: t.rate, methods: t.methods.into_iter().collect() });
    }
    Ok(TrafficConfig { period_s, payload_mix, services: out })
}

fn env_method(
    env: &dyn Fn(&str) -> Option<String>,
    var: &str,
) -> Result<Option<ConnectionMethod>, ConfigError> {
    match env(var) {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Ok(None),
        Some(value) => ConnectionMethod::parse(value.trim()).map(Some).ok_or_else(|| ConfigError::Env {
            var: var.to_string(),
            value,
            message: ConnectionMethod::invalid_message(),
        }),
    }
}

/// The text of a YAML error without its location (we print our own).
fn yaml_message(error: &serde_saphyr::Error) -> String {
    let text = error.to_string();
    let first = text.lines().next().unwrap_or_default().trim();
    // "... at line 3, column 5" is said by us, in front.
    match first.find(" at line ") {
        Some(cut) => first[..cut].to_string(),
        None => first.to_string(),
    }
}

/// Service names end up in URLs, environment variables and file names.
pub fn valid_service_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_rest_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("rest_url {url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(format!("rest_url {url:?} must be an http:// or https:// URL with a host"));
    }
    Ok(())
}

/// `db_svc` → `Db Service`; the RssBot names where we know them.
pub fn display_name_for(name: &str) -> String {
    let known = match name {
        "db_svc" => Some("Database Service"),
        "ai_svc" => Some("AI Service"),
        "bot_svc" => Some("Telegram Bot Service"),
        "payment_svc" => Some("Payment Service"),
        "formatting_svc" => Some("Formatting Service"),
        "user_svc" => Some("User Service"),
        "channel_mgr_svc" => Some("Channel Manager Service"),
        "miniapp_svc" => Some("Mini App Service"),
        _ => None,
    };
    if let Some(known) = known {
        return known.to_string();
    }
    name.split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| if w == "svc" { "Service".to_string() } else { capitalize(w) })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    const SEED: &str = "services:\n  db_svc:\n    connection_method: router\n    reason: \"Core service, needs maximum performance\"\n  ai_svc:\n    connection_method: rest\n    reason: \"Resource intensive, needs isolation\"\n  bot_svc:\n    connection_method: hybrid\n    reason: \"Variable load, needs flexibility\"\n  payment_svc:\n    connection_method: disabled\n    reason: \"Under maintenance\"\n";

    #[test]
    fn the_seed_form_parses_as_it_stands() {
        let config = Config::parse(SEED, "seed.yml", &no_env).unwrap();
        let modes: Vec<_> = config.services.iter().map(|s| (s.name.as_str(), s.connection_method)).collect();
        assert_eq!(
            modes,
            vec![
                ("db_svc", ConnectionMethod::Router),
                ("ai_svc", ConnectionMethod::Rest),
                ("bot_svc", ConnectionMethod::Hybrid),
                ("payment_svc", ConnectionMethod::Disabled),
            ]
        );
        assert_eq!(config.services[3].reason.as_deref(), Some("Under maintenance"));
        assert_eq!(config.services[0].mode_source, ModeSource::File);
        assert_eq!(config.services[0].line, 3);
        assert_eq!(config.defaults.health_interval, Duration::from_secs(2));
        assert_eq!(config.defaults.rest_timeout, Duration::from_secs(30));
    }

    #[test]
    fn the_builtin_config_describes_the_rssbot_platform() {
        let config = Config::parse(BUILTIN_CONFIG, BUILTIN_CONFIG_NAME, &no_env).unwrap();
        assert_eq!(config.services.len(), 8);
        let payment = config.service("payment_svc").unwrap();
        assert_eq!(payment.connection_method, ConnectionMethod::Disabled);
        assert_eq!(payment.reason.as_deref(), Some("Under maintenance"));
    }

    #[test]
    fn environment_beats_file_and_file_beats_defaults() {
        let text = "defaults:\n  connection_method: rest\nservices:\n  db_svc:\n    connection_method: router\n  user_svc: {}\n  bot_svc:\n";
        let env = |var: &str| match var {
            "DB_SVC_CONNECTION_METHOD" => Some("hybrid".to_string()),
            _ => None,
        };
        let config = Config::parse(text, "x.yml", &env).unwrap();
        let db = config.service("db_svc").unwrap();
        assert_eq!((db.connection_method, db.mode_source), (ConnectionMethod::Hybrid, ModeSource::Env));
        let user = config.service("user_svc").unwrap();
        assert_eq!((user.connection_method, user.mode_source), (ConnectionMethod::Rest, ModeSource::File));
        let env = |var: &str| (var == "DEFAULT_CONNECTION_METHOD").then(|| "disabled".to_string());
        let config = Config::parse(text, "x.yml", &env).unwrap();
        let bot = config.service("bot_svc").unwrap();
        assert_eq!((bot.connection_method, bot.mode_source), (ConnectionMethod::Disabled, ModeSource::Env));
        let db = config.service("db_svc").unwrap();
        assert_eq!(db.connection_method, ConnectionMethod::Router);
        let config = Config::parse("services:\n  x_svc: {}\n", "x.yml", &no_env).unwrap();
        let x = config.service("x_svc").unwrap();
        assert_eq!((x.connection_method, x.mode_source), (ConnectionMethod::Hybrid, ModeSource::Default));
        assert_eq!(x.display_name, "X Service");
    }

    #[test]
    fn an_unknown_mode_names_file_service_and_line() {
        let text = "services:\n  db_svc:\n    connection_method: router\n  ai_svc:\n    reason: fast\n    connection_method: turbo\n";
        let err = Config::parse(text, "conf/services.yml", &no_env).unwrap_err().to_string();
        assert!(err.starts_with("conf/services.yml:6: service 'ai_svc': "), "{err}");
        assert!(err.contains("turbo"), "{err}");
    }

    #[test]
    fn an_unknown_key_names_file_service_and_line() {
        let text = "services:\n  db_svc:\n    connection_method: router\n    conection_method: rest\n";
        let err = Config::parse(text, "s.yml", &no_env).unwrap_err().to_string();
        assert!(err.starts_with("s.yml:4: service 'db_svc': "), "{err}");
        assert!(err.contains("conection_method"), "{err}");
        let err = Config::parse("servces: {}\n", "s.yml", &no_env).unwrap_err().to_string();
        assert!(err.starts_with("s.yml:1: "), "{err}");
    }

    #[test]
    fn a_bad_environment_value_is_named() {
        let env = |var: &str| (var == "AI_SVC_CONNECTION_METHOD").then(|| "fastest".to_string());
        let err = Config::parse(SEED, "seed.yml", &env).unwrap_err().to_string();
        assert!(err.contains("AI_SVC_CONNECTION_METHOD"), "{err}");
        assert!(err.contains("router, rest, hybrid, disabled"), "{err}");
    }

    #[test]
    fn broken_yaml_and_bad_values_are_errors() {
        let err = Config::parse("services:\n  db_svc: [\n", "b.yml", &no_env).unwrap_err();
        assert!(err.to_string().starts_with("b.yml:"), "{err}");
        let text = "services:\n  db_svc:\n    rest_url: not a url\n";
        let err = Config::parse(text, "b.yml", &no_env).unwrap_err().to_string();
        assert!(err.starts_with("b.yml:3: service 'db_svc': rest_url"), "{err}");
        let text = "defaults:\n  health_interval_s: -1\nservices: {}\n";
        assert!(Config::parse(text, "b.yml", &no_env).is_err());
    }

    #[test]
    fn traffic_is_parsed_and_checked() {
        let config = Config::parse(BUILTIN_CONFIG, BUILTIN_CONFIG_NAME, &no_env).unwrap();
        let traffic = config.traffic.unwrap();
        assert_eq!(traffic.services.len(), 8);
        let text = "services:\n  db_svc: {}\ntraffic:\n  services:\n    db_svc:\n      rate: 5\n      methods: {get_feeds: 1}\n      burst: 3\n";
        let err = Config::parse(text, "t.yml", &no_env).unwrap_err().to_string();
        assert!(err.starts_with("t.yml:8: traffic: "), "{err}");
        let text = "services:\n  db_svc: {}\ntraffic:\n  services:\n    nosuch:\n      rate: 5\n      methods: {m: 1}\n";
        let err = Config::parse(text, "t.yml", &no_env).unwrap_err().to_string();
        assert!(err.contains("traffic: service 'nosuch' is not under services:"), "{err}");
    }
}
