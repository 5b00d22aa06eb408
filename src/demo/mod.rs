//! The demo platform (`--demo`): every service's REST side as a child
//! process, live traffic through the proxy, and fault injection under
//! `/demo`, so that a first run shows a living platform.

pub mod payloads;
mod routes;
pub mod supervisor;
pub mod traffic;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::controller::Controller;
use crate::controller::config::Config;
use crate::platform::Service;
use crate::platform::faults::{FaultState, Faulty};
use crate::platform::services;
use supervisor::{ChildSpec, SpawnError, Spawned, SupervisorHandle};
use traffic::TrafficControl;

/// One service on the demo platform.
struct DemoService {
    local_faults: Arc<FaultState>,
    spec: ChildSpec,
    rest_url: String,
    first: Option<Spawned>,
    supervisor: Option<SupervisorHandle>,
}

/// The running demo platform.
pub struct Demo {
    services: HashMap<String, DemoService>,
    token: String,
    http: reqwest::Client,
    traffic: Option<Arc<TrafficControl>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Demo {
    /// Starts a REST side for every configured service that the platform
    /// implements, fills in their `rest_url`s, and returns the in-process
    /// implementations (with fault injection) for the controller.
    pub async fn prepare(
        config: &mut Config,
        exe: PathBuf,
        token: String,
    ) -> Result<(Self, HashMap<String, Arc<dyn Service>>), SpawnError> {
        let mut starting = tokio::task::JoinSet::new();
        for service in config.services.iter().filter(|s| s.rest_url.is_none()) {
            if !services::NAMES.contains(&service.name.as_str()) {
                continue;
            }
            let spec = ChildSpec { service: service.name.clone(), exe: exe.clone(), token: token.clone() };
            starting.spawn(async move {
                let listen = SocketAddr::from(([127, 0, 0, 1], 0));
                let spawned = supervisor::spawn(&spec, listen).await;
                (spec, spawned)
            });
        }
        let mut demo_services = HashMap::new();
        let mut implementations = HashMap::new();
        while let Some(joined) = starting.join_next().await {
            let Ok((spec, spawned)) = joined else { continue };
            let spawned = spawned?;
            let (local, local_faults) = match services::by_name(&spec.service) {
                Some(inner) => Faulty::wrap(inner),
                None => continue,
            };
            implementations.insert(spec.service.clone(), local);
            demo_services.insert(
                spec.service.clone(),
                DemoService {
                    local_faults,
                    rest_url: spawned.url(),
                    spec,
                    first: Some(spawned),
                    supervisor: None,
                },
            );
        }
        for service in &mut config.services {
            if let Some(d) = demo_services.get(&service.name) {
                service.rest_url = Some(d.rest_url.clone());
            }
        }
        let demo = Self {
            services: demo_services,
            token,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()
                .unwrap_or_else(|_| reqwest::Client::new()),
            traffic: None,
            tasks: Vec::new(),
        };
        Ok((demo, implementations))
    }

    /// Supervises the children and starts the traffic, once the controller runs.
    pub fn attach(
        &mut self,
        controller: &Controller,
        traffic: Option<&crate::controller::config::TrafficConfig>,
    ) {
        for service in self.services.values_mut() {
            if let Some(first) = service.first.take() {
                let (handle, task) = supervisor::supervise(service.spec.clone(), first, controller.clone());
                service.supervisor = Some(handle);
                self.tasks.push(task);
            }
        }
        if let Some(plan) = traffic {
            self.traffic = Some(traffic::start(plan, controller));
        }
    }

    /// The `/demo` routes.
    pub fn router(self: &Arc<Self>, controller: Controller) -> axum::Router {
        routes::router(self.clone(), controller)
    }

    /// Waits for the supervisors to reap their children (after the controller stopped).
    pub async fn finish(self) {
        for task in self.tasks {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), task).await;
        }
    }
}
