//! The console's state and everything that changes it. Headless: driven by
//! messages, it returns the work it wants done; tests drive it directly.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::widgets::TableState;
use serde_json::json;

use super::action::{Effect, Msg, UserAction};
use super::columns::Column;
use super::command_line::{self, Command, WINDOWS};
use super::keymap::Keymap;
use super::sort::{next_sort, sort_order};
use super::theme::Theme;
use crate::api::{ConnectionMethod, Event, EventKind, LatencyResponse};
use crate::client::{ClientError, ServiceRow};

/// Events kept on screen; older ones are dropped.
pub const EVENT_HISTORY: usize = 500;
/// Events asked for per poll.
pub const EVENTS_PAGE: usize = 200;
/// First retry delay after a failed poll.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest retry delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// How long an action's answer stays in the status line.
pub const MESSAGE_TTL: Duration = Duration::from_secs(8);

/// How the console is set up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The controller's URL, shown in the status bar.
    pub controller: String,
    /// Poll interval.
    pub interval: Duration,
    /// Refuse every change.
    pub read_only: bool,
    /// Who changes are attributed to.
    pub operator: String,
    /// Ask before switching modes.
    pub confirm: bool,
    /// Keys.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
}

/// The connection to the controller.
#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    /// No answer yet.
    Connecting,
    /// The last poll succeeded.
    Connected,
    /// The last poll failed; the next try is at `retry_at`.
    Reconnecting {
        /// What went wrong.
        error: String,
        /// When the next try goes out.
        retry_at: Instant,
    },
}

/// Whether the controller has a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offered {
    /// Not known yet.
    Unknown,
    /// It answered.
    Yes,
    /// It said 404: the pane says so, once.
    No,
}

/// A modal input.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Confirm a mode switch, with an optional reason.
    Confirm {
        /// The service, fixed when the dialog opened.
        service: String,
        /// From.
        from: String,
        /// To.
        to: ConnectionMethod,
        /// Reason being typed.
        reason: String,
    },
    /// Disable: the reason is required.
    Disable {
        /// The service, fixed when the dialog opened.
        service: String,
        /// Reason being typed.
        reason: String,
        /// Shown after Enter on an empty reason.
        error: Option<String>,
    },
    /// Confirm enabling.
    Enable {
        /// The service.
        service: String,
    },
    /// Typing a filter.
    Filter,
    /// The `:` command line.
    CommandLine {
        /// Text after the colon.
        text: String,
        /// Why the last Enter was refused.
        error: Option<String>,
    },
    /// The help overlay.
    Help,
}

/// How serious a status message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Good news.
    Info,
    /// A refusal or failure.
    Error,
}

/// The latency chart's series, kept in state because `Dataset` borrows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartData {
    /// The service charted.
    pub service: String,
    /// Seconds shown.
    pub window_s: u64,
    /// (seconds ago as a negative number, ms)
    pub router_p50: Vec<(f64, f64)>,
    /// Router p99.
    pub router_p99: Vec<(f64, f64)>,
    /// REST p50.
    pub rest_p50: Vec<(f64, f64)>,
    /// REST p99.
    pub rest_p99: Vec<(f64, f64)>,
    /// Failovers, at the top of the chart.
    pub failovers: Vec<(f64, f64)>,
    /// Largest value, in `unit`.
    pub max: f64,
    /// The unit of the values: `µs` when everything is under 1 ms, else `ms`.
    pub unit: &'static str,
    /// The newest bucket's time, Unix seconds.
    pub newest: i64,
}

/// Requests in flight, one of a kind at most.
#[derive(Debug, Clone, Copy, Default)]
pub struct InFlight {
    /// `/services`.
    pub services: bool,
    /// `/events`.
    pub events: bool,
    /// `/latency`.
    pub latency: bool,
}

/// Everything on screen, and what it takes to get it.
pub struct App {
    /// Setup.
    pub settings: Settings,
    /// Services in the controller's order.
    pub services: Vec<ServiceRow>,
    /// Indices into `services` after filter and sort.
    pub view: Vec<usize>,
    /// Table selection (index into `view`).
    pub table: TableState,
    selected_name: Option<String>,
    /// Sort column; `None` is the controller's order.
    pub sort: Option<Column>,
    /// Descending.
    pub sort_desc: bool,
    /// Table filter.
    pub filter: String,
    /// Connection state.
    pub connection: Connection,
    /// When data last arrived.
    pub last_update: Option<Instant>,
    backoff: Duration,
    next_services_at: Instant,
    next_latency_at: Instant,
    next_events_at: Instant,
    /// In flight.
    pub in_flight: InFlight,
    /// Recent events, oldest first.
    pub events: VecDeque<Event>,
    events_cursor: u64,
    /// Events pane shows only the selected service.
    pub events_only_selected: bool,
    /// `/events` offered.
    pub events_offered: Offered,
    /// `/latency` offered.
    pub latency_offered: Offered,
    /// Chart window, seconds.
    pub window_s: u64,
    /// Chart series.
    pub chart: ChartData,
    latency: Option<LatencyResponse>,
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// The last action's outcome.
    pub message: Option<(String, Severity, Instant)>,
    /// Display frozen.
    pub paused: bool,
    pending_services: Option<Vec<ServiceRow>>,
    /// The controller offers `/demo`.
    pub demo: bool,
    /// Counts per mode, and unhealthy, for the status bar.
    pub counts: ModeCounts,
    /// The screen must be redrawn.
    pub dirty: bool,
    /// The time the state was last advanced to.
    pub now: Instant,
    /// Leave.
    pub should_quit: bool,
    /// Rows visible in the table at the last draw (for paging).
    pub page_rows: usize,
}

/// Counts shown in the status bar.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ModeCounts {
    /// Router services.
    pub router: usize,
    /// REST services.
    pub rest: usize,
    /// Hybrid services.
    pub hybrid: usize,
    /// Disabled services.
    pub disabled: usize,
    /// Services that are degraded or down.
    pub unhealthy: usize,
}

impl App {
    /// A console with no data yet.
    pub fn new(settings: Settings, now: Instant) -> Self {
        Self {
            settings,
            services: Vec::new(),
            view: Vec::new(),
            table: TableState::default(),
            selected_name: None,
            sort: None,
            sort_desc: false,
            filter: String::new(),
            connection: Connection::Connecting,
            last_update: None,
            backoff: FIRST_BACKOFF,
            next_services_at: now,
            next_latency_at: now,
            next_events_at: now,
            in_flight: InFlight::default(),
            events: VecDeque::new(),
            events_cursor: 0,
            events_only_selected: false,
            events_offered: Offered::Unknown,
            latency_offered: Offered::Unknown,
            window_s: 300,
            chart: ChartData::default(),
            latency: None,
            dialog: None,
            message: None,
            paused: false,
            pending_services: None,
            demo: false,
            counts: ModeCounts::default(),
            dirty: true,
            now,
            should_quit: false,
            page_rows: 10,
        }
    }

    /// The selected service.
    pub fn selected(&self) -> Option<&ServiceRow> {
        self.table.selected().and_then(|i| self.view.get(i)).and_then(|&i| self.services.get(i))
    }

    /// Names of every service, for completion.
    pub fn service_names(&self) -> Vec<String> {
        self.services.iter().map(|s| s.name.clone()).collect()
    }

    fn say(&mut self, text: impl Into<String>, severity: Severity) {
        self.message = Some((text.into(), severity, self.now));
        self.dirty = true;
    }

    /// Handles one message; returns the work to do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Resize => {
                self.dirty = true;
                Vec::new()
            }
            Msg::Tick(now) => self.on_tick(now),
            Msg::Services(result) => {
                self.in_flight.services = false;
                self.on_services(result);
                self.due_now()
            }
            Msg::Events(result) => {
                self.in_flight.events = false;
                self.on_events(result);
                Vec::new()
            }
            Msg::Latency { service, window_s, result } => {
                self.in_flight.latency = false;
                self.on_latency(service, window_s, result);
                Vec::new()
            }
            Msg::DemoOffered(offered) => {
                self.demo = offered;
                self.dirty = true;
                Vec::new()
            }
            Msg::Done(result) => {
                match result {
                    Ok(message) => self.say(message, Severity::Info),
                    Err(error) => self.say(error, Severity::Error),
                }
                // Show the change at once.
                self.next_services_at = self.now;
                self.next_events_at = self.now;
                self.due_now()
            }
        }
    }

    fn on_tick(&mut self, now: Instant) -> Vec<Effect> {
        let before = self.visible_clock();
        self.now = now;
        if self.message.as_ref().is_some_and(|(_, _, at)| now.duration_since(*at) > MESSAGE_TTL) {
            self.message = None;
            self.dirty = true;
        }
        if self.visible_clock() != before {
            self.dirty = true;
        }
        self.due_now()
    }

    /// What changes on screen with time alone (ages and countdowns, in whole seconds).
    fn visible_clock(&self) -> (u64, u64) {
        let age = self.last_update.map(|t| self.now.saturating_duration_since(t).as_secs()).unwrap_or(0);
        let retry = match &self.connection {
            Connection::Reconnecting { retry_at, .. } => {
                retry_at.saturating_duration_since(self.now).as_secs() + 1
            }
            _ => 0,
        };
        (age, retry)
    }

    /// Polls that are due and not in flight.
    pub fn due_now(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        let now = self.now;
        if !self.in_flight.services && now >= self.next_services_at {
            self.in_flight.services = true;
            effects.push(Effect::FetchServices);
        }
        let connected = self.connection == Connection::Connected;
        if connected
            && self.events_offered != Offered::No
            && !self.in_flight.events
            && now >= self.next_events_at
        {
            self.in_flight.events = true;
            self.next_events_at = now + self.settings.interval;
            effects.push(Effect::FetchEvents { after: self.events_cursor });
        }
        if connected
            && self.latency_offered != Offered::No
            && !self.in_flight.latency
            && now >= self.next_latency_at
            && let Some(service) = self.selected().map(|s| s.name.clone())
        {
            self.in_flight.latency = true;
            self.next_latency_at = now + self.settings.interval;
            effects.push(Effect::FetchLatency { service, window_s: self.window_s });
        }
        effects
    }

    fn on_services(&mut self, result: Result<Vec<ServiceRow>, ClientError>) {
        match result {
            Ok(rows) => {
                self.connection = Connection::Connected;
                self.backoff = FIRST_BACKOFF;
                self.next_services_at = self.now + self.settings.interval;
                self.last_update = Some(self.now);
                if self.paused {
                    self.pending_services = Some(rows);
                } else {
                    self.apply_services(rows);
                }
            }
            Err(error) => {
                let retry_at = self.now + self.backoff;
                self.next_services_at = retry_at;
                self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                self.connection = Connection::Reconnecting { error: error.to_string(), retry_at };
            }
        }
        self.dirty = true;
    }

    /// Replaces the service list, keeping the selection on the same service.
    pub fn apply_services(&mut self, rows: Vec<ServiceRow>) {
        self.services = rows;
        let mut counts = ModeCounts::default();
        for s in &self.services {
            match s.mode {
                Some(ConnectionMethod::Router) => counts.router += 1,
                Some(ConnectionMethod::Rest) => counts.rest += 1,
                Some(ConnectionMethod::Hybrid) => counts.hybrid += 1,
                Some(ConnectionMethod::Disabled) => counts.disabled += 1,
                None => {}
            }
            if matches!(s.health_status.as_str(), "degraded" | "down" | "unhealthy") {
                counts.unhealthy += 1;
            }
        }
        self.counts = counts;
        self.rebuild_view();
        self.dirty = true;
    }

    fn rebuild_view(&mut self) {
        let needle = self.filter.to_lowercase();
        let mut view: Vec<usize> = (0..self.services.len())
            .filter(|&i| {
                needle.is_empty() || {
                    let s = &self.services[i];
                    s.name.to_lowercase().contains(&needle)
                        || s.display_name.to_lowercase().contains(&needle)
                        || s.mode_text.to_lowercase().contains(&needle)
                }
            })
            .collect();
        sort_order(&mut view, &self.services, self.sort, self.sort_desc);
        self.view = view;
        let index = self
            .selected_name
            .as_ref()
            .and_then(|name| self.view.iter().position(|&i| &self.services[i].name == name))
            .or(if self.view.is_empty() { None } else { Some(0) });
        self.select_index(index);
    }

    fn select_index(&mut self, index: Option<usize>) {
        let before = self.selected_name.clone();
        self.table.select(index);
        self.selected_name = self.selected().map(|s| s.name.clone());
        if self.selected_name != before {
            // New service: its chart is fetched now, the old one dropped.
            self.next_latency_at = self.now;
            if self.chart.service.as_str() != self.selected_name.as_deref().unwrap_or_default() {
                self.chart = ChartData::default();
                self.latency = None;
            }
        }
        self.dirty = true;
    }

    fn on_events(&mut self, result: Result<crate::client::EventsPage, ClientError>) {
        match result {
            Ok(page) => {
                self.events_offered = Offered::Yes;
                let full = page.events.len() >= EVENTS_PAGE;
                if page.next < self.events_cursor {
                    // The controller restarted: its ids start again.
                    self.events.clear();
                }
                for e in page.events {
                    if self.events.len() >= EVENT_HISTORY {
                        self.events.pop_front();
                    }
                    self.events.push_back(e);
                }
                self.events_cursor = page.next;
                if full {
                    self.next_events_at = self.now;
                }
                self.refresh_failover_marks();
                self.dirty = true;
            }
            Err(ClientError::NotOffered) => {
                self.events_offered = Offered::No;
                self.dirty = true;
            }
            Err(_) => {}
        }
    }

    fn on_latency(&mut self, service: String, window_s: u64, result: Result<LatencyResponse, ClientError>) {
        let current =
            self.selected().map(|s| s.name.as_str()) == Some(service.as_str()) && window_s == self.window_s;
        match result {
            Err(ClientError::NotOffered) => {
                self.latency_offered = Offered::No;
                self.dirty = true;
            }
            Ok(latency) if current && !self.paused => {
                self.latency_offered = Offered::Yes;
                self.latency = Some(latency);
                self.refresh_chart();
                self.dirty = true;
            }
            // A stale answer (other service or window), a paused display, or an error: keep what is shown.
            _ => {}
        }
    }

    /// Recomputes the chart series from the last latency answer.
    pub fn refresh_chart(&mut self) {
        let Some(latency) = &self.latency else { return };
        let newest = latency.router.last().or(latency.rest.last()).map(|b| b.t.unix_seconds()).unwrap_or(0);
        let max_ms = latency
            .router
            .iter()
            .chain(&latency.rest)
            .flat_map(|b| [b.p50_ms, b.p99_ms])
            .flatten()
            .fold(0.0, f64::max);
        // Values are kept in the unit the axis shows, so that drawing only borrows them.
        let (scale, unit) = if max_ms < 1.0 { (1000.0, "µs") } else { (1.0, "ms") };
        let series = |buckets: &[crate::api::Bucket], p99: bool| -> Vec<(f64, f64)> {
            buckets
                .iter()
                .filter_map(|b| {
                    let v = if p99 { b.p99_ms } else { b.p50_ms }?;
                    Some(((b.t.unix_seconds() - newest) as f64, v * scale))
                })
                .collect()
        };
        self.chart = ChartData {
            service: latency.service.clone(),
            window_s: latency.window_s,
            router_p50: series(&latency.router, false),
            router_p99: series(&latency.router, true),
            rest_p50: series(&latency.rest, false),
            rest_p99: series(&latency.rest, true),
            failovers: Vec::new(),
            max: max_ms * scale,
            unit,
            newest,
        };
        self.refresh_failover_marks();
    }

    fn refresh_failover_marks(&mut self) {
        let service = self.chart.service.clone();
        let newest = self.chart.newest;
        let window = self.chart.window_s as f64;
        let top = if self.chart.max > 0.0 { self.chart.max } else { 1.0 };
        self.chart.failovers = self
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Failover && e.service.as_deref() == Some(service.as_str()))
            .map(|e| ((e.at.unix_seconds() - newest) as f64, top))
            .filter(|(x, _)| *x >= -window && *x <= 0.0)
            .collect();
    }

    /// The events the pane shows, oldest first.
    pub fn visible_events(&self) -> impl Iterator<Item = &Event> {
        let only = if self.events_only_selected { self.selected_name.clone() } else { None };
        self.events
            .iter()
            .filter(move |e| only.as_ref().is_none_or(|n| e.service.as_deref() == Some(n.as_str())))
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(dialog) = self.dialog.take() {
            return self.on_dialog_key(dialog, key);
        }
        let Some(action) = self.settings.keymap.action(&key) else { return Vec::new() };
        self.perform(action)
    }

    /// Performs an operator action.
    pub fn perform(&mut self, action: UserAction) -> Vec<Effect> {
        self.dirty = true;
        let count = self.view.len();
        let selected = self.table.selected().unwrap_or(0);
        match action {
            UserAction::Quit => self.should_quit = true,
            UserAction::SelectNext if count > 0 => self.select_index(Some((selected + 1).min(count - 1))),
            UserAction::SelectPrevious if count > 0 => self.select_index(Some(selected.saturating_sub(1))),
            UserAction::SelectFirst if count > 0 => self.select_index(Some(0)),
            UserAction::SelectLast if count > 0 => self.select_index(Some(count - 1)),
            UserAction::PageDown if count > 0 => {
                self.select_index(Some((selected + self.page_rows.max(1)).min(count - 1)))
            }
            UserAction::PageUp if count > 0 => {
                self.select_index(Some(selected.saturating_sub(self.page_rows.max(1))))
            }
            UserAction::SetRouter | UserAction::SetRest | UserAction::SetHybrid => {
                let Some(to) = action.target_mode() else { return Vec::new() };
                return self.begin_mode_change(to);
            }
            UserAction::DisableService => {
                if let Some(service) = self.writable_selection("disable") {
                    self.dialog = Some(Dialog::Disable { service, reason: String::new(), error: None });
                }
            }
            UserAction::EnableService => {
                if let Some(service) = self.writable_selection("enable") {
                    if self.settings.confirm {
                        self.dialog = Some(Dialog::Enable { service });
                    } else {
                        return vec![Effect::Enable { service }];
                    }
                }
            }
            UserAction::CycleSort => {
                self.sort = next_sort(self.sort);
                self.rebuild_view();
            }
            UserAction::ReverseSort => {
                self.sort_desc = !self.sort_desc;
                self.rebuild_view();
            }
            UserAction::StartFilter => self.dialog = Some(Dialog::Filter),
            UserAction::OpenCommandLine => {
                self.dialog = Some(Dialog::CommandLine { text: String::new(), error: None })
            }
            UserAction::ZoomIn | UserAction::ZoomOut => {
                let i = WINDOWS.iter().position(|w| *w == self.window_s).unwrap_or(1);
                let j = if action == UserAction::ZoomIn {
                    i.saturating_sub(1)
                } else {
                    (i + 1).min(WINDOWS.len() - 1)
                };
                self.set_window(WINDOWS[j]);
            }
            UserAction::ToggleEventsFilter => self.events_only_selected = !self.events_only_selected,
            UserAction::TogglePause => {
                self.paused = !self.paused;
                if !self.paused
                    && let Some(rows) = self.pending_services.take()
                {
                    self.apply_services(rows);
                }
            }
            UserAction::ToggleHelp => self.dialog = Some(Dialog::Help),
            UserAction::KillRestSide
            | UserAction::RestartRestSide
            | UserAction::InjectLatency
            | UserAction::InjectErrors
            | UserAction::ClearFaults => return self.fault(action),
            _ => {}
        }
        Vec::new()
    }

    fn set_window(&mut self, window_s: u64) {
        if window_s != self.window_s {
            self.window_s = window_s;
            self.latency = None;
            self.chart = ChartData::default();
            self.next_latency_at = self.now;
        }
        self.dirty = true;
    }

    /// The selected service's name, unless read-only (then says why).
    fn writable_selection(&mut self, what: &str) -> Option<String> {
        if self.settings.read_only {
            self.say(format!("read-only: {what} refused (started with --read-only)"), Severity::Error);
            return None;
        }
        let name = self.selected().map(|s| s.name.clone());
        if name.is_none() {
            self.say("no service selected", Severity::Error);
        }
        name
    }

    fn begin_mode_change(&mut self, to: ConnectionMethod) -> Vec<Effect> {
        let Some(service) = self.writable_selection(&format!("switch to {to}")) else { return Vec::new() };
        let from = self.selected().map(|s| s.mode_text.clone()).unwrap_or_default();
        if self.settings.confirm {
            self.dialog = Some(Dialog::Confirm { service, from, to, reason: String::new() });
            Vec::new()
        } else {
            vec![Effect::SetMode { service, mode: to, reason: None }]
        }
    }

    fn fault(&mut self, action: UserAction) -> Vec<Effect> {
        if !self.demo {
            self.say(
                "fault injection needs a demo controller (switchboard controller --demo)",
                Severity::Error,
            );
            return Vec::new();
        }
        let Some(service) = self.writable_selection("fault injection") else { return Vec::new() };
        let body = match action {
            UserAction::KillRestSide => json!({"kind": "kill"}),
            UserAction::RestartRestSide => json!({"kind": "restart"}),
            UserAction::InjectLatency => json!({"kind": "latency", "ms": 200}),
            UserAction::InjectErrors => json!({"kind": "errors", "rate": 0.5}),
            _ => json!({"kind": "clear"}),
        };
        vec![Effect::Fault { service, body }]
    }

    fn on_dialog_key(&mut self, dialog: Dialog, key: KeyEvent) -> Vec<Effect> {
        self.dirty = true;
        let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if key.code == KeyCode::Esc || ctrl_c {
            if dialog == Dialog::Filter {
                self.filter.clear();
                self.rebuild_view();
            }
            return Vec::new();
        }
        match dialog {
            Dialog::Help => {
                if !matches!(key.code, KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter) {
                    self.dialog = Some(Dialog::Help);
                }
                Vec::new()
            }
            Dialog::Filter => {
                match key.code {
                    KeyCode::Enter => return Vec::new(),
                    KeyCode::Backspace => {
                        self.filter.pop();
                    }
                    KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => self.filter.push(c),
                    _ => {}
                }
                self.rebuild_view();
                self.dialog = Some(Dialog::Filter);
                Vec::new()
            }
            Dialog::Confirm { service, from, to, mut reason } => match key.code {
                KeyCode::Enter => {
                    let reason = (!reason.trim().is_empty()).then_some(reason);
                    vec![Effect::SetMode { service, mode: to, reason }]
                }
                _ => {
                    edit(&mut reason, key);
                    self.dialog = Some(Dialog::Confirm { service, from, to, reason });
                    Vec::new()
                }
            },
            Dialog::Disable { service, mut reason, .. } => match key.code {
                KeyCode::Enter if reason.trim().is_empty() => {
                    self.dialog =
                        Some(Dialog::Disable { service, reason, error: Some("a reason is required".into()) });
                    Vec::new()
                }
                KeyCode::Enter => {
                    vec![Effect::SetMode { service, mode: ConnectionMethod::Disabled, reason: Some(reason) }]
                }
                _ => {
                    edit(&mut reason, key);
                    self.dialog = Some(Dialog::Disable { service, reason, error: None });
                    Vec::new()
                }
            },
            Dialog::Enable { service } => match key.code {
                KeyCode::Enter | KeyCode::Char('y') => vec![Effect::Enable { service }],
                _ => Vec::new(),
            },
            Dialog::CommandLine { mut text, .. } => match key.code {
                KeyCode::Enter => self.run_command(text),
                KeyCode::Tab => {
                    if let Some(done) = command_line::complete(&text, &self.service_names()) {
                        text = done;
                    }
                    self.dialog = Some(Dialog::CommandLine { text, error: None });
                    Vec::new()
                }
                _ => {
                    edit(&mut text, key);
                    self.dialog = Some(Dialog::CommandLine { text, error: None });
                    Vec::new()
                }
            },
        }
    }

    fn run_command(&mut self, text: String) -> Vec<Effect> {
        let command = match command_line::parse(&text, &self.service_names()) {
            Ok(c) => c,
            Err(error) => {
                self.dialog = Some(Dialog::CommandLine { text, error: Some(error) });
                return Vec::new();
            }
        };
        let mutation =
            matches!(command, Command::Mode { .. } | Command::Disable { .. } | Command::Enable { .. });
        if mutation && self.settings.read_only {
            self.say("read-only: changes are refused (started with --read-only)", Severity::Error);
            return Vec::new();
        }
        match command {
            Command::Mode { service, mode, reason } => vec![Effect::SetMode { service, mode, reason }],
            Command::Disable { service, reason } => {
                vec![Effect::SetMode { service, mode: ConnectionMethod::Disabled, reason: Some(reason) }]
            }
            Command::Enable { service } => vec![Effect::Enable { service }],
            Command::Window(w) => {
                self.set_window(w);
                Vec::new()
            }
            Command::Filter(f) => {
                self.filter = f;
                self.rebuild_view();
                Vec::new()
            }
            Command::Quit => {
                self.should_quit = true;
                Vec::new()
            }
        }
    }
}

/// Typing into a one-line field.
fn edit(text: &mut String, key: KeyEvent) {
    match key.code {
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => text.clear(),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) && text.chars().count() < 500 => {
            text.push(c)
        }
        _ => {}
    }
}
