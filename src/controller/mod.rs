//! The control plane: services and their modes, the proxy that routes calls
//! by mode, health, metrics, events, the persisted store and the HTTP API.

pub mod auth;
pub mod config;
pub mod decision;
pub mod events;
pub mod health;
pub mod http;
pub mod metrics;
mod modes;
mod monitor;
pub mod optimizer;
mod prometheus;
pub mod proxy;
pub mod registry;
pub mod store;
mod view;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use modes::ModeChangeError;

use crate::api::ConnectionMethod;
use crate::platform::Service;

use config::Config;
use events::EventLog;
use proxy::{Proxy, RestClient};
use registry::{ModeState, Registry, ServiceEntry};
use store::{FileStore, Override, OverrideStore, StoreError};

/// Why the controller could not start. Each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The state directory could not be used or holds a corrupt file.
    #[error("state: {0}")]
    Store(#[from] StoreError),
    /// A service is set to router but has no in-process implementation.
    #[error(
        "{source_name}: service '{service}' is set to router ({origin}) but has no in-process implementation; use rest, hybrid or disabled"
    )]
    RouterWithoutImplementation {
        /// The config file.
        source_name: String,
        /// The service.
        service: String,
        /// Where the mode came from.
        origin: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the REST client: {0}")]
    Client(#[from] reqwest::Error),
}

/// What the controller is started with.
pub struct ControllerOptions {
    /// Services and defaults.
    pub config: Config,
    /// Where overrides and the audit log live.
    pub state_dir: PathBuf,
    /// Mutations need this token when set.
    pub admin_token: Option<String>,
    /// Sent to REST sides as `Authorization: Bearer`.
    pub service_token: Option<String>,
    /// In-process implementations by service name.
    pub implementations: HashMap<String, Arc<dyn Service>>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) registry: Arc<Registry>,
    pub(crate) proxy: Proxy,
    pub(crate) events: Arc<EventLog>,
    pub(crate) store: Arc<dyn OverrideStore>,
    pub(crate) overrides: tokio::sync::Mutex<BTreeMap<String, Override>>,
    pub(crate) admin_token: Option<String>,
    pub(crate) started: Instant,
    pub(crate) shutdown: watch::Receiver<bool>,
    stop: watch::Sender<bool>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

/// A started controller: background tasks run; serve it with [`Controller::serve`].
#[derive(Clone)]
pub struct Controller {
    pub(crate) inner: Arc<Inner>,
}

impl Controller {
    /// Builds the registry, restores persisted operator changes and starts
    /// the health monitor and optimizer. Needs a tokio runtime.
    pub fn start(options: ControllerOptions) -> Result<Self, StartError> {
        let ControllerOptions { config, state_dir, admin_token, service_token, mut implementations } =
            options;
        let store = FileStore::open(&state_dir)?;
        let overrides = store.load()?;

        let mut entries = Vec::with_capacity(config.services.len());
        for service in &config.services {
            let local = implementations.remove(&service.name);
            if service.connection_method == ConnectionMethod::Router && local.is_none() {
                return Err(StartError::RouterWithoutImplementation {
                    source_name: config.source.clone(),
                    service: service.name.clone(),
                    origin: format!("{:?}", service.mode_source).to_lowercase(),
                });
            }
            let entry = ServiceEntry::new(service.clone(), local);
            if let Some(o) = overrides.get(&service.name) {
                if o.connection_method == ConnectionMethod::Router && entry.local.is_none() {
                    tracing::warn!(service = %service.name, "ignoring persisted router override: no in-process implementation");
                } else {
                    entry.set_mode(ModeState {
                        method: o.connection_method,
                        source: crate::api::ModeSource::Operator,
                        reason: o.reason.clone(),
                        updated_at: Some(o.updated_at),
                        updated_by: Some(o.updated_by.clone()),
                        before_disabled: o.before_disabled,
                    });
                }
            }
            entries.push(entry);
        }
        for name in overrides.keys().filter(|n| config.service(n).is_none()) {
            tracing::warn!(service = %name, "persisted override for a service not in the config is kept but not applied");
        }

        let registry = Arc::new(Registry::new(entries));
        let events = Arc::new(EventLog::default());
        let rest = RestClient::new(service_token.as_deref(), config.defaults.rest_timeout)?;
        let proxy = Proxy::new(registry.clone(), rest, events.clone());
        let (stop, shutdown) = watch::channel(false);
        let inner = Arc::new(Inner {
            config,
            registry,
            proxy,
            events,
            store: Arc::new(store),
            overrides: tokio::sync::Mutex::new(overrides),
            admin_token: admin_token.filter(|t| !t.is_empty()),
            started: Instant::now(),
            shutdown,
            stop,
            tasks: Mutex::new(Vec::new()),
        });
        let controller = Self { inner };
        let monitor = tokio::spawn(monitor::run(controller.clone()));
        let optimizer = tokio::spawn(optimizer::run(controller.clone()));
        controller.lock_tasks().extend([monitor, optimizer]);
        Ok(controller)
    }

    fn lock_tasks(&self) -> std::sync::MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.inner.tasks.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The proxy serving data-plane calls.
    pub fn proxy(&self) -> &Proxy {
        &self.inner.proxy
    }

    /// The services.
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// The event log.
    pub fn events(&self) -> &EventLog {
        &self.inner.events
    }

    /// The axum router of the HTTP API, with `extra` routes merged in.
    pub fn router(&self, extra: Option<axum::Router>) -> axum::Router {
        http::router(self.clone(), extra)
    }

    /// Fires (turns true) when the controller stops.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.inner.shutdown.clone()
    }

    /// Serves the API on `listener` until `shutdown` resolves or [`Controller::stop`]
    /// is called, then finishes in-flight requests and stops the background tasks.
    pub async fn serve(
        self,
        listener: TcpListener,
        extra: Option<axum::Router>,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut stopped = self.inner.shutdown.clone();
        let stop = self.inner.stop.clone();
        let app = self.router(extra);
        let signal = async move {
            tokio::select! {
                _ = shutdown => {}
                _ = stopped.wait_for(|s| *s) => {}
            }
            let _ = stop.send(true);
        };
        let result = http::server::serve(listener, app, signal).await;
        self.stop();
        result
    }

    /// Serves on `listener` in a background task.
    pub fn spawn(
        self,
        listener: TcpListener,
        extra: Option<axum::Router>,
    ) -> std::io::Result<RunningController> {
        let addr = listener.local_addr()?;
        let controller = self.clone();
        let task = tokio::spawn(self.serve(listener, extra, std::future::pending()));
        Ok(RunningController { addr, controller, task })
    }

    /// Asks the server and background tasks to stop.
    pub fn stop(&self) {
        let _ = self.inner.stop.send(true);
        for task in self.lock_tasks().drain(..) {
            task.abort();
        }
    }

    /// Seconds since start.
    pub fn uptime_s(&self) -> f64 {
        self.inner.started.elapsed().as_secs_f64()
    }
}

/// A controller serving in a background task.
pub struct RunningController {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The controller.
    pub controller: Controller,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningController {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the server to finish.
    pub async fn stop(self) -> std::io::Result<()> {
        self.controller.stop();
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}
