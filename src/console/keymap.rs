//! One table maps keys to actions; the help overlay and the footer hints are
//! generated from the same table, so they cannot drift.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::UserAction;

/// A key with modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

impl KeyBinding {
    /// Parses `q`, `K`, `ctrl-c`, `alt-x`, `up`, `down`, `pgup`, `pgdn`, `home`, `end`,
    /// `enter`, `esc`, `tab`, `space`, `f1`…
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            other => return Err(format!("unknown key {other:?} in {text:?}")),
        };
        Ok(Self { code, ctrl, alt })
    }

    fn from_event(key: &KeyEvent) -> Self {
        Self {
            code: key.code,
            ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
            alt: key.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// How the key is shown.
    pub fn label(&self) -> String {
        let key = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("^{key}"),
            (_, true) => format!("M-{key}"),
            _ => key,
        }
    }
}

/// The default keys of every action.
pub const DEFAULT_KEYS: [(UserAction, &[&str]); 26] = [
    (UserAction::SelectNext, &["j", "down"]),
    (UserAction::SelectPrevious, &["k", "up"]),
    (UserAction::SelectFirst, &["g", "home"]),
    (UserAction::SelectLast, &["G", "end"]),
    (UserAction::PageDown, &["pgdn", "ctrl-d"]),
    (UserAction::PageUp, &["pgup", "ctrl-u"]),
    (UserAction::SetRouter, &["1"]),
    (UserAction::SetRest, &["2"]),
    (UserAction::SetHybrid, &["3"]),
    (UserAction::DisableService, &["d"]),
    (UserAction::EnableService, &["e"]),
    (UserAction::CycleSort, &["s"]),
    (UserAction::ReverseSort, &["S"]),
    (UserAction::StartFilter, &["/"]),
    (UserAction::OpenCommandLine, &[":"]),
    (UserAction::ZoomIn, &["+", "="]),
    (UserAction::ZoomOut, &["-"]),
    (UserAction::ToggleEventsFilter, &["f"]),
    (UserAction::TogglePause, &["space"]),
    (UserAction::ToggleHelp, &["?"]),
    (UserAction::KillRestSide, &["K"]),
    (UserAction::RestartRestSide, &["R"]),
    (UserAction::InjectLatency, &["L"]),
    (UserAction::InjectErrors, &["X"]),
    (UserAction::ClearFaults, &["C"]),
    (UserAction::Quit, &["q", "ctrl-c"]),
];

/// Keys to actions, and back.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: HashMap<KeyBinding, UserAction>,
    by_action: Vec<(UserAction, Vec<KeyBinding>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Self::with_overrides(&HashMap::new())
            .unwrap_or_else(|_| Self { by_key: HashMap::new(), by_action: Vec::new() })
    }
}

impl Keymap {
    /// The defaults with some actions rebound (`action name → keys`).
    pub fn with_overrides(overrides: &HashMap<String, Vec<String>>) -> Result<Self, String> {
        for name in overrides.keys() {
            if UserAction::from_name(name).is_none() {
                let known: Vec<&str> = UserAction::ALL.iter().map(|a| a.name()).collect();
                return Err(format!("[keys] {name:?} is not an action; known: {}", known.join(", ")));
            }
        }
        let mut by_action = Vec::new();
        for (action, defaults) in DEFAULT_KEYS {
            let keys: Vec<KeyBinding> = match overrides.get(action.name()) {
                Some(custom) => custom.iter().map(|k| KeyBinding::parse(k)).collect::<Result<_, _>>()?,
                None => defaults.iter().map(|k| KeyBinding::parse(k)).collect::<Result<_, _>>()?,
            };
            by_action.push((action, keys));
        }
        let mut by_key = HashMap::new();
        for (action, keys) in &by_action {
            for key in keys {
                if let Some(other) = by_key.insert(*key, *action)
                    && other != *action
                {
                    return Err(format!(
                        "key {} is bound to both {} and {}",
                        key.label(),
                        other.name(),
                        action.name()
                    ));
                }
            }
        }
        Ok(Self { by_key, by_action })
    }

    /// The action of a key press, if any.
    pub fn action(&self, key: &KeyEvent) -> Option<UserAction> {
        self.by_key.get(&KeyBinding::from_event(key)).copied()
    }

    /// The keys of an action, as shown.
    pub fn labels(&self, action: UserAction) -> Vec<String> {
        self.by_action
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, k)| k.iter().map(KeyBinding::label).collect())
            .unwrap_or_default()
    }

    /// Every action with its keys, in help order.
    pub fn entries(&self) -> impl Iterator<Item = (UserAction, Vec<String>)> + '_ {
        self.by_action.iter().map(|(a, k)| (*a, k.iter().map(KeyBinding::label).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn defaults_map_both_ways() {
        let map = Keymap::default();
        assert_eq!(map.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), Some(UserAction::Quit));
        assert_eq!(map.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(UserAction::Quit));
        assert_eq!(
            map.action(&press(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Some(UserAction::KillRestSide)
        );
        assert_eq!(map.action(&press(KeyCode::Down, KeyModifiers::NONE)), Some(UserAction::SelectNext));
        assert_eq!(map.labels(UserAction::TogglePause), vec!["Space"]);
        assert_eq!(map.entries().count(), UserAction::ALL.len());
    }

    #[test]
    fn overrides_rebind_and_conflicts_are_errors() {
        let mut o = HashMap::new();
        o.insert("quit".to_string(), vec!["x".to_string()]);
        let map = Keymap::with_overrides(&o).unwrap();
        assert_eq!(map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), Some(UserAction::Quit));
        assert_eq!(map.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        o.insert("quit".to_string(), vec!["j".to_string()]);
        assert!(Keymap::with_overrides(&o).unwrap_err().contains("bound to both"));
        let mut bad = HashMap::new();
        bad.insert("explode".to_string(), vec!["x".to_string()]);
        assert!(Keymap::with_overrides(&bad).is_err());
    }
}
