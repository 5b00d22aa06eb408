//! What can happen to the console: an operator's action (bound to keys) or
//! a message from the outside (a key press, a poll result, a tick).

use std::time::Instant;

use crossterm::event::KeyEvent;
use serde_json::Value;

use crate::api::{ConnectionMethod, LatencyResponse};
use crate::client::{ClientError, EventsPage, ServiceRow};

/// An operator's action; the keymap binds keys to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserAction {
    /// Leave the console.
    Quit,
    /// Move the selection down.
    SelectNext,
    /// Move the selection up.
    SelectPrevious,
    /// Select the first service.
    SelectFirst,
    /// Select the last service.
    SelectLast,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Switch the selected service to router.
    SetRouter,
    /// Switch the selected service to REST.
    SetRest,
    /// Switch the selected service to hybrid.
    SetHybrid,
    /// Disable the selected service (asks for a reason).
    DisableService,
    /// Return a disabled service to its previous mode.
    EnableService,
    /// Sort by the next column.
    CycleSort,
    /// Reverse the sort.
    ReverseSort,
    /// Filter the services table.
    StartFilter,
    /// Open the `:` command line.
    OpenCommandLine,
    /// Show a shorter chart window.
    ZoomIn,
    /// Show a longer chart window.
    ZoomOut,
    /// Show only the selected service's events, or all.
    ToggleEventsFilter,
    /// Freeze the display (polling goes on).
    TogglePause,
    /// Show or hide the help.
    ToggleHelp,
    /// Demo: kill the selected service's REST process.
    KillRestSide,
    /// Demo: restart the selected service's REST process.
    RestartRestSide,
    /// Demo: add 200 ms to the selected service's calls.
    InjectLatency,
    /// Demo: make half of the selected service's calls fail.
    InjectErrors,
    /// Demo: clear the selected service's faults.
    ClearFaults,
}

impl UserAction {
    /// Every action, in the order the help lists them.
    pub const ALL: [UserAction; 26] = [
        Self::SelectNext,
        Self::SelectPrevious,
        Self::SelectFirst,
        Self::SelectLast,
        Self::PageDown,
        Self::PageUp,
        Self::SetRouter,
        Self::SetRest,
        Self::SetHybrid,
        Self::DisableService,
        Self::EnableService,
        Self::CycleSort,
        Self::ReverseSort,
        Self::StartFilter,
        Self::OpenCommandLine,
        Self::ZoomIn,
        Self::ZoomOut,
        Self::ToggleEventsFilter,
        Self::TogglePause,
        Self::ToggleHelp,
        Self::KillRestSide,
        Self::RestartRestSide,
        Self::InjectLatency,
        Self::InjectErrors,
        Self::ClearFaults,
        Self::Quit,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::SelectNext => "select_next",
            Self::SelectPrevious => "select_previous",
            Self::SelectFirst => "select_first",
            Self::SelectLast => "select_last",
            Self::PageDown => "page_down",
            Self::PageUp => "page_up",
            Self::SetRouter => "set_router",
            Self::SetRest => "set_rest",
            Self::SetHybrid => "set_hybrid",
            Self::DisableService => "disable_service",
            Self::EnableService => "enable_service",
            Self::CycleSort => "cycle_sort",
            Self::ReverseSort => "reverse_sort",
            Self::StartFilter => "start_filter",
            Self::OpenCommandLine => "open_command_line",
            Self::ZoomIn => "zoom_in",
            Self::ZoomOut => "zoom_out",
            Self::ToggleEventsFilter => "toggle_events_filter",
            Self::TogglePause => "toggle_pause",
            Self::ToggleHelp => "toggle_help",
            Self::KillRestSide => "kill_rest_side",
            Self::RestartRestSide => "restart_rest_side",
            Self::InjectLatency => "inject_latency",
            Self::InjectErrors => "inject_errors",
            Self::ClearFaults => "clear_faults",
        }
    }

    /// What it does, for the help.
    pub fn description(self) -> &'static str {
        match self {
            Self::Quit => "quit",
            Self::SelectNext => "next service",
            Self::SelectPrevious => "previous service",
            Self::SelectFirst => "first service",
            Self::SelectLast => "last service",
            Self::PageDown => "page down",
            Self::PageUp => "page up",
            Self::SetRouter => "switch to router (confirm)",
            Self::SetRest => "switch to REST (confirm)",
            Self::SetHybrid => "switch to hybrid (confirm)",
            Self::DisableService => "disable with a reason",
            Self::EnableService => "enable (previous mode)",
            Self::CycleSort => "sort by next column",
            Self::ReverseSort => "reverse sort",
            Self::StartFilter => "filter services",
            Self::OpenCommandLine => "command line",
            Self::ZoomIn => "chart: shorter window",
            Self::ZoomOut => "chart: longer window",
            Self::ToggleEventsFilter => "events: selected only / all",
            Self::TogglePause => "pause display",
            Self::ToggleHelp => "help",
            Self::KillRestSide => "demo: kill REST process",
            Self::RestartRestSide => "demo: restart REST process",
            Self::InjectLatency => "demo: +200 ms latency",
            Self::InjectErrors => "demo: 50% errors",
            Self::ClearFaults => "demo: clear faults",
        }
    }

    /// Parses a config-file name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Demo-only actions.
    pub fn is_demo(self) -> bool {
        matches!(
            self,
            Self::KillRestSide
                | Self::RestartRestSide
                | Self::InjectLatency
                | Self::InjectErrors
                | Self::ClearFaults
        )
    }

    /// The mode a mode-switch action asks for.
    pub fn target_mode(self) -> Option<ConnectionMethod> {
        match self {
            Self::SetRouter => Some(ConnectionMethod::Router),
            Self::SetRest => Some(ConnectionMethod::Rest),
            Self::SetHybrid => Some(ConnectionMethod::Hybrid),
            _ => None,
        }
    }
}

/// A message into the console's state.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The terminal was resized.
    Resize,
    /// Time passed.
    Tick(Instant),
    /// `GET /services` answered.
    Services(Result<Vec<ServiceRow>, ClientError>),
    /// `GET /events` answered.
    Events(Result<EventsPage, ClientError>),
    /// `GET /services/{name}/latency` answered.
    Latency {
        /// For which service.
        service: String,
        /// For which window.
        window_s: u64,
        /// The answer.
        result: Result<LatencyResponse, ClientError>,
    },
    /// Whether the controller offers the demo routes.
    DemoOffered(bool),
    /// A change finished: the controller's message, or its error verbatim.
    Done(Result<String, String>),
}

/// Work the console's state asks the event loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Change a service's mode.
    SetMode {
        /// The service (fixed when the dialog opened).
        service: String,
        /// The mode.
        mode: ConnectionMethod,
        /// Why.
        reason: Option<String>,
    },
    /// Return a disabled service to its previous mode.
    Enable {
        /// The service.
        service: String,
    },
    /// Inject a fault (demo).
    Fault {
        /// The service.
        service: String,
        /// The fault body.
        body: Value,
    },
    /// Poll `/services`.
    FetchServices,
    /// Poll `/events`.
    FetchEvents {
        /// The cursor.
        after: u64,
    },
    /// Fetch the selected service's latency.
    FetchLatency {
        /// The service.
        service: String,
        /// The window.
        window_s: u64,
    },
}
