//! What the API shows of a service: built from live state on each request.

use crate::api::{
    CallPath, ConnectionMethod, EffectivePath, HealthResponse, HealthStatus, LatencyResponse, ServiceDetail,
    ServiceView, ServicesResponse, Timestamp, Traffic, VERSION,
};

use super::Controller;
use super::health::status_for;
use super::metrics::now_sec;
use super::proxy::view_decision;
use super::registry::ServiceEntry;

/// Events shown with one service.
pub const RECENT_EVENTS: usize = 20;

/// The health score the API shows for a service: the side its mode uses;
/// for hybrid and disabled, the lower of the sides it has.
fn service_health(entry: &ServiceEntry, method: ConnectionMethod) -> (Option<f64>, Option<Timestamp>) {
    let health = entry.health();
    let sides: Vec<CallPath> = match method {
        ConnectionMethod::Router => vec![CallPath::Router],
        ConnectionMethod::Rest => vec![CallPath::Rest],
        ConnectionMethod::Hybrid | ConnectionMethod::Disabled => {
            [CallPath::Router, CallPath::Rest].into_iter().filter(|p| entry.has_path(*p)).collect()
        }
    };
    let sides: Vec<_> = sides.into_iter().filter(|p| entry.has_path(*p)).map(|p| health.side(p)).collect();
    if sides.is_empty() || sides.iter().any(|s| s.score().is_none()) {
        let last = sides.iter().filter_map(|s| s.last_check).max();
        return (None, last);
    }
    let score = sides.iter().filter_map(|s| s.score()).fold(f64::INFINITY, f64::min);
    let last = sides.iter().filter_map(|s| s.last_check).max();
    (Some(score), last)
}

/// The view of one service.
pub fn service_view(entry: &ServiceEntry) -> ServiceView {
    let mode = entry.mode();
    let now = now_sec();
    let decision = view_decision(entry);
    let effective = match mode.method {
        ConnectionMethod::Router if entry.has_path(CallPath::Router) => EffectivePath::Router,
        ConnectionMethod::Rest if entry.has_path(CallPath::Rest) => EffectivePath::Rest,
        ConnectionMethod::Hybrid => {
            if entry.has_path(decision.path) {
                decision.path.into()
            } else if entry.has_path(decision.path.other()) {
                decision.path.other().into()
            } else {
                EffectivePath::None
            }
        }
        _ => EffectivePath::None,
    };
    let (score, last_check) = service_health(entry, mode.method);
    let status = if entry.has_path(CallPath::Router) || entry.has_path(CallPath::Rest) {
        status_for(score)
    } else {
        HealthStatus::Unknown
    };
    let (router, _) = entry.metrics.router.live(now);
    let (rest, _) = entry.metrics.rest.live(now);
    // Refused calls (disabled) are calls too, and failed ones.
    let refused = entry.metrics.refused_live(now);
    let calls = router.count + rest.count + refused;
    let errors = router.errors + rest.errors + refused;
    let window = entry.metrics.window_seconds(now);
    ServiceView {
        name: entry.config.name.clone(),
        display_name: entry.config.display_name.clone(),
        connection_method: mode.method,
        health_status: status,
        is_mounted: entry.local.is_some(),
        has_router: entry.local.is_some(),
        last_health_check: last_check,
        effective_path: Some(effective),
        health_score: score,
        mode_source: Some(mode.source),
        reason: mode.reason.clone(),
        updated_at: mode.updated_at,
        updated_by: mode.updated_by.clone(),
        rest_url: entry.config.rest_url.clone(),
        decision: Some(decision),
        traffic: Some(Traffic {
            rps: ((calls as f64 / window) * 100.0).round() / 100.0,
            error_rate: if calls == 0 {
                0.0
            } else {
                ((errors as f64 / calls as f64) * 10000.0).round() / 10000.0
            },
            router,
            rest,
        }),
        suggestion: entry.suggestion.lock().unwrap_or_else(|p| p.into_inner()).clone(),
    }
}

impl Controller {
    /// `GET /health`.
    pub fn health_view(&self) -> HealthResponse {
        HealthResponse {
            status: "healthy".to_string(),
            platform: Some("switchboard".to_string()),
            version: Some(VERSION.to_string()),
            uptime_s: Some((self.uptime_s() * 10.0).round() / 10.0),
            services_count: Some(self.inner.registry.all().len()),
        }
    }

    /// `GET /services`.
    pub fn services_view(&self) -> ServicesResponse {
        let services: Vec<ServiceView> = self.inner.registry.all().iter().map(|e| service_view(e)).collect();
        ServicesResponse {
            total_services: services.len(),
            mounted_count: services.iter().filter(|s| s.is_mounted).count(),
            services,
        }
    }

    /// `GET /services/{name}`.
    pub fn service_detail(&self, name: &str) -> Option<ServiceDetail> {
        let entry = self.inner.registry.get(name)?;
        Some(ServiceDetail {
            service: service_view(entry),
            methods: entry.metrics.method_rates(now_sec()),
            recent_events: self.inner.events.recent_for(name, RECENT_EVENTS),
        })
    }

    /// `GET /services/{name}/latency`.
    pub fn latency_view(&self, name: &str, window_s: u64) -> Option<LatencyResponse> {
        let entry = self.inner.registry.get(name)?;
        let now = now_sec();
        Some(LatencyResponse {
            service: name.to_string(),
            window_s,
            bucket_s: 1,
            router: entry.metrics.router.buckets(now, window_s as i64),
            rest: entry.metrics.rest.buckets(now, window_s as i64),
        })
    }

    /// `GET /suggestions`.
    pub fn suggestions(&self) -> Vec<crate::api::Suggestion> {
        self.inner
            .registry
            .all()
            .iter()
            .filter_map(|e| e.suggestion.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .collect()
    }
}
