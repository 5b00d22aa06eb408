//! The `:` command line: parsing and service-name completion.

use crate::api::ConnectionMethod;

/// What a command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `:mode SVC MODE [reason…]`
    Mode {
        /// The service.
        service: String,
        /// The mode.
        mode: ConnectionMethod,
        /// Why.
        reason: Option<String>,
    },
    /// `:disable SVC reason…`
    Disable {
        /// The service.
        service: String,
        /// Why (required).
        reason: String,
    },
    /// `:enable SVC`
    Enable {
        /// The service.
        service: String,
    },
    /// `:window 15m`
    Window(u64),
    /// `:filter TEXT`
    Filter(String),
    /// `:q`
    Quit,
}

/// The commands, for completion and errors.
pub const COMMANDS: [&str; 7] = ["mode", "disable", "enable", "window", "filter", "q", "quit"];

/// Chart windows the console offers, seconds.
pub const WINDOWS: [u64; 4] = [60, 300, 900, 3600];

/// Parses `1m`, `5m`, `15m`, `1h` (or seconds).
pub fn parse_window(text: &str) -> Option<u64> {
    let secs = humantime::parse_duration(text).ok().map(|d| d.as_secs()).or_else(|| text.parse().ok())?;
    WINDOWS.contains(&secs).then_some(secs)
}

/// A window as people write it.
pub fn window_label(secs: u64) -> String {
    match secs {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// Parses a command line (without the `:`), checking service names.
pub fn parse(line: &str, services: &[String]) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let Some(verb) = words.next() else { return Err("empty command".into()) };
    let rest: Vec<&str> = words.collect();
    let service = |i: usize| -> Result<String, String> {
        let name = rest.get(i).ok_or("which service?")?;
        if services.iter().any(|s| s == name) {
            Ok(name.to_string())
        } else {
            Err(format!("no service {name:?}"))
        }
    };
    let tail = |from: usize| -> Option<String> {
        let text = rest.get(from..).map(|r| r.join(" ")).unwrap_or_default();
        (!text.trim().is_empty()).then_some(text)
    };
    match verb {
        "mode" => {
            let service = service(0)?;
            let mode_text = rest.get(1).ok_or("which mode? router, rest, hybrid or disabled")?;
            let mode = ConnectionMethod::parse(mode_text).ok_or_else(ConnectionMethod::invalid_message)?;
            let reason = tail(2);
            if mode == ConnectionMethod::Disabled && reason.is_none() {
                return Err("disabled needs a reason: :mode SVC disabled REASON…".into());
            }
            Ok(Command::Mode { service, mode, reason })
        }
        "disable" => {
            let service = service(0)?;
            let reason = tail(1).ok_or("a reason is required: :disable SVC REASON…")?;
            Ok(Command::Disable { service, reason })
        }
        "enable" => Ok(Command::Enable { service: service(0)? }),
        "window" => {
            let text = rest.first().ok_or("which window? 1m, 5m, 15m or 1h")?;
            parse_window(text)
                .map(Command::Window)
                .ok_or_else(|| format!("window {text:?}: use 1m, 5m, 15m or 1h"))
        }
        "filter" => Ok(Command::Filter(tail(0).unwrap_or_default())),
        "q" | "quit" => Ok(Command::Quit),
        other => {
            Err(format!("unknown command {other:?}; commands: mode, disable, enable, window, filter, q"))
        }
    }
}

/// Completes the word being typed: a command first, then a service name.
pub fn complete(line: &str, services: &[String]) -> Option<String> {
    let ends_with_space = line.ends_with(' ');
    let words: Vec<&str> = line.split_whitespace().collect();
    let (done, partial) = match (words.len(), ends_with_space) {
        (0, _) => (Vec::new(), ""),
        (_, true) => (words.clone(), ""),
        (n, false) => (words[..n - 1].to_vec(), words[n - 1]),
    };
    let candidates: Vec<&str> = match done.len() {
        0 => COMMANDS.to_vec(),
        1 if matches!(done[0], "mode" | "disable" | "enable") => {
            services.iter().map(String::as_str).collect()
        }
        2 if done[0] == "mode" => ConnectionMethod::ALL.iter().map(|m| m.as_str()).collect(),
        1 if done[0] == "window" => vec!["1m", "5m", "15m", "1h"],
        _ => return None,
    };
    let matching: Vec<&str> = candidates.into_iter().filter(|c| c.starts_with(partial)).collect();
    let completion = match matching.as_slice() {
        [] => return None,
        [one] => format!("{one} "),
        many => common_prefix(many),
    };
    let mut out = done.join(" ");
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&completion);
    Some(out)
}

fn common_prefix(words: &[&str]) -> String {
    let first = words[0];
    let mut len = first.len();
    for w in &words[1..] {
        len = len.min(first.chars().zip(w.chars()).take_while(|(a, b)| a == b).count());
    }
    first.chars().take(len).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["db_svc".into(), "bot_svc".into(), "payment_svc".into()]
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(
            parse("mode bot_svc rest isolate while debugging", &names()).unwrap(),
            Command::Mode {
                service: "bot_svc".into(),
                mode: ConnectionMethod::Rest,
                reason: Some("isolate while debugging".into())
            }
        );
        assert_eq!(
            parse("disable db_svc maintenance window", &names()).unwrap(),
            Command::Disable { service: "db_svc".into(), reason: "maintenance window".into() }
        );
        assert!(parse("disable db_svc", &names()).is_err());
        assert!(parse("mode db_svc disabled", &names()).is_err());
        assert!(parse("mode nosuch rest", &names()).unwrap_err().contains("no service"));
        assert!(parse("mode db_svc turbo", &names()).unwrap_err().contains("router, rest, hybrid, disabled"));
        assert_eq!(parse("enable db_svc", &names()).unwrap(), Command::Enable { service: "db_svc".into() });
        assert_eq!(parse("window 15m", &names()).unwrap(), Command::Window(900));
        assert!(parse("window 7m", &names()).is_err());
        assert_eq!(parse("filter bot", &names()).unwrap(), Command::Filter("bot".into()));
        assert_eq!(parse("q", &names()).unwrap(), Command::Quit);
        assert!(parse("explode", &names()).is_err());
    }

    #[test]
    fn completes_commands_services_and_modes() {
        assert_eq!(complete("di", &names()).unwrap(), "disable ");
        assert_eq!(complete("mode b", &names()).unwrap(), "mode bot_svc ");
        assert_eq!(complete("mode bot_svc r", &names()).unwrap(), "mode bot_svc r");
        assert_eq!(complete("mode bot_svc re", &names()).unwrap(), "mode bot_svc rest ");
        assert_eq!(complete("enable ", &names()).unwrap(), "enable ");
        assert_eq!(complete("mode p", &names()).unwrap(), "mode payment_svc ");
        assert_eq!(complete("filter x", &names()), None);
        assert_eq!(window_label(900), "15m");
        assert_eq!(window_label(3600), "1h");
    }
}
