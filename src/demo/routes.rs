//! `/demo` routes: fault injection and the traffic multiplier.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::Demo;
use super::supervisor::Order;
use crate::api::{ErrorCode, EventKind, kind_of};
use crate::controller::Controller;
use crate::controller::events::EventSink;
use crate::controller::http::error::ApiError;
use crate::controller::http::extract::JsonBody;
use crate::platform::faults::FaultSettings;

#[derive(Clone)]
struct DemoState {
    demo: Arc<Demo>,
    controller: Controller,
}

pub(super) fn router(demo: Arc<Demo>, controller: Controller) -> Router {
    Router::new()
        .route("/demo/services/{name}/fault", post(fault))
        .route("/demo/traffic", post(set_traffic).get(get_traffic))
        .with_state(DemoState { demo, controller })
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Router,
    Rest,
    Both,
}

fn side(body: &Value) -> Result<Side, ApiError> {
    match body.get("side") {
        None | Some(Value::Null) => Ok(Side::Both),
        Some(Value::String(s)) if s == "router" => Ok(Side::Router),
        Some(Value::String(s)) if s == "rest" => Ok(Side::Rest),
        Some(Value::String(s)) if s == "both" => Ok(Side::Both),
        Some(other) => Err(ApiError::invalid(format!("side: router, rest or both, got {other}"))),
    }
}

fn number(body: &Value, field: &str) -> Result<f64, ApiError> {
    match body.get(field) {
        Some(Value::Number(n)) => {
            n.as_f64().ok_or_else(|| ApiError::invalid(format!("{field}: not a number")))
        }
        None | Some(Value::Null) => Err(ApiError::invalid(format!("{field}: field required"))),
        Some(other) => Err(ApiError::invalid(format!("{field}: must be a number, got {}", kind_of(other)))),
    }
}

async fn fault(
    State(state): State<DemoState>,
    Path(name): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let Some(service) = state.demo.services.get(&name) else {
        let mut names: Vec<String> = state.demo.services.keys().cloned().collect();
        names.sort();
        return Err(ApiError::service_not_found(&name, names));
    };
    let kind = match body.get("kind") {
        Some(Value::String(k)) => k.as_str(),
        None | Some(Value::Null) => {
            return Err(ApiError::invalid("kind: field required (kill, restart, latency, errors, clear)"));
        }
        Some(other) => {
            return Err(ApiError::invalid(format!("kind: must be a string, got {}", kind_of(other))));
        }
    };
    let side = side(&body)?;
    let settings = match kind {
        "latency" => {
            let ms = number(&body, "ms")?;
            if !(0.0..=60_000.0).contains(&ms) {
                return Err(ApiError::invalid("ms: 0 to 60000"));
            }
            Some(FaultSettings { latency_ms: ms as u64, error_rate: 0.0 })
        }
        "errors" => {
            let rate = number(&body, "rate")?;
            let s = FaultSettings { latency_ms: 0, error_rate: rate };
            s.validate().map_err(ApiError::invalid)?;
            Some(s)
        }
        "clear" => Some(FaultSettings::default()),
        "kill" | "restart" => None,
        other => {
            return Err(ApiError::invalid(format!(
                "kind: kill, restart, latency, errors or clear, got {other:?}"
            )));
        }
    };
    let supervisor = service.supervisor.as_ref();
    let mut said = Vec::new();
    if let Some(settings) = settings {
        if side != Side::Rest {
            let merged = merge(service.local_faults.get(), settings, kind);
            service.local_faults.set(merged);
            said.push(format!("in-process: {}", describe(merged)));
        }
        if side != Side::Router {
            let url = format!("{}/_faults", service.rest_url);
            let current = state
                .demo
                .http
                .post(&url)
                .bearer_auth(&state.demo.token)
                .json(&merge(FaultSettings::default(), settings, kind))
                .send()
                .await;
            match current {
                Ok(r) if r.status().is_success() => said.push(format!("REST side: {}", describe(settings))),
                Ok(r) => said.push(format!("REST side refused ({})", r.status())),
                Err(_) => said.push("REST side unreachable (is it killed?)".to_string()),
            }
        }
        if kind == "clear"
            && let Some(s) = supervisor
        {
            // A killed REST side comes back with the rest of the faults cleared.
            if let Some(outcome) = s.order(Order::Restart).await {
                said.push(outcome);
            }
        }
    } else {
        let Some(s) = supervisor else {
            return Err(ApiError::new(ErrorCode::Conflict, format!("{name} has no supervised REST side")));
        };
        let outcome = match kind {
            "kill" => s.order(Order::Kill).await,
            _ => s.order(Order::Restart).await,
        };
        said.push(outcome.unwrap_or_else(|| "the supervisor is gone".to_string()));
    }
    let message = format!("{name}: {kind} — {}", said.join("; "));
    state.controller.events().emit(
        EventKind::FaultInjected,
        Some(&name),
        message.clone(),
        json!({"kind": kind, "request": body}),
    );
    Ok(Json(json!({"service": name, "kind": kind, "message": message})))
}

/// Latency and errors add up; clear resets both.
fn merge(current: FaultSettings, new: FaultSettings, kind: &str) -> FaultSettings {
    match kind {
        "latency" => FaultSettings { latency_ms: new.latency_ms, ..current },
        "errors" => FaultSettings { error_rate: new.error_rate, ..current },
        _ => FaultSettings::default(),
    }
}

fn describe(s: FaultSettings) -> String {
    if s == FaultSettings::default() {
        "no faults".to_string()
    } else {
        format!("+{} ms, {:.0}% errors", s.latency_ms, s.error_rate * 100.0)
    }
}

async fn set_traffic(
    State(state): State<DemoState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let Some(traffic) = &state.demo.traffic else {
        return Err(ApiError::new(ErrorCode::Conflict, "this demo runs no traffic (no traffic: section)"));
    };
    let m = number(&body, "multiplier")?;
    traffic.set_multiplier(m).map_err(ApiError::invalid)?;
    Ok(Json(json!({"multiplier": traffic.multiplier()})))
}

async fn get_traffic(State(state): State<DemoState>) -> Json<Value> {
    let (multiplier, shed) = state
        .demo
        .traffic
        .as_ref()
        .map(|t| (t.multiplier(), t.shed.load(std::sync::atomic::Ordering::Relaxed)))
        .unwrap_or((0.0, 0));
    Json(json!({"multiplier": multiplier, "shed_calls": shed}))
}
