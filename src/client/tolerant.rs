//! Reading controllers as they are: switchboard's full answers, RssBot 2.0's
//! seven fields with naive timestamps, the wiki's bare list, and FastAPI
//! error bodies.

use serde_json::Value;

use crate::api::{ConnectionMethod, Decision, EffectivePath, ModeSource, Suggestion, Timestamp, Traffic};

/// One service as the console shows it; everything beyond name and mode is optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceRow {
    /// Identity.
    pub name: String,
    /// For people.
    pub display_name: String,
    /// The configured mode, when it is one we know.
    pub mode: Option<ConnectionMethod>,
    /// The mode as the controller wrote it.
    pub mode_text: String,
    /// `healthy`, `degraded`, `down`, `unknown`, or what the controller said.
    pub health_status: String,
    /// 0–1.
    pub health_score: Option<f64>,
    /// In-process implementation loaded.
    pub is_mounted: Option<bool>,
    /// Has an in-process implementation.
    pub has_router: Option<bool>,
    /// Last health check.
    pub last_health_check: Option<Timestamp>,
    /// Where the next call goes.
    pub effective_path: Option<EffectivePath>,
    /// Where the mode came from.
    pub mode_source: Option<ModeSource>,
    /// Why.
    pub reason: Option<String>,
    /// When an operator changed it.
    pub updated_at: Option<Timestamp>,
    /// Who changed it.
    pub updated_by: Option<String>,
    /// REST side.
    pub rest_url: Option<String>,
    /// Hybrid's decision and factors.
    pub decision: Option<Decision>,
    /// Measured traffic.
    pub traffic: Option<Traffic>,
    /// Optimizer advice.
    pub suggestion: Option<Suggestion>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn typed<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Option<T> {
    v.get(key).filter(|x| !x.is_null()).and_then(|x| serde_json::from_value(x.clone()).ok())
}

/// Reads one service object in any of the known forms.
pub fn service_row(v: &Value) -> Option<ServiceRow> {
    let name = text(v, "name")?;
    let mode_text = text(v, "connection_method").or_else(|| text(v, "mode")).unwrap_or_default();
    let health_status = text(v, "health_status")
        .or_else(|| text(v, "status"))
        .map(|s| s.to_lowercase())
        .unwrap_or_else(|| "unknown".to_string());
    Some(ServiceRow {
        display_name: text(v, "display_name").unwrap_or_else(|| name.clone()),
        mode: ConnectionMethod::parse(&mode_text.to_lowercase()),
        mode_text,
        health_status,
        health_score: v.get("health_score").and_then(Value::as_f64),
        is_mounted: v.get("is_mounted").and_then(Value::as_bool),
        has_router: v.get("has_router").and_then(Value::as_bool),
        last_health_check: text(v, "last_health_check")
            .or_else(|| text(v, "last_seen"))
            .and_then(|t| Timestamp::parse(&t)),
        effective_path: typed(v, "effective_path"),
        mode_source: typed(v, "mode_source"),
        reason: text(v, "reason"),
        updated_at: text(v, "updated_at").and_then(|t| Timestamp::parse(&t)),
        updated_by: text(v, "updated_by"),
        rest_url: text(v, "rest_url"),
        decision: typed(v, "decision"),
        traffic: typed(v, "traffic"),
        suggestion: typed(v, "suggestion"),
        name,
    })
}

/// Reads `GET /services`: `{"services": [...]}` or a bare list.
pub fn services(body: &Value) -> Result<Vec<ServiceRow>, String> {
    let list = match body {
        Value::Array(list) => list,
        Value::Object(map) => match map.get("services") {
            Some(Value::Array(list)) => list,
            _ => return Err("no \"services\" list in the answer".into()),
        },
        other => return Err(format!("expected a JSON object or list, got {}", crate::api::kind_of(other))),
    };
    Ok(list.iter().filter_map(service_row).collect())
}

/// The readable message of an error body: our `detail`, FastAPI's string,
/// or FastAPI's list of `{loc, msg, type}`.
pub fn error_message(body: &Value) -> Option<String> {
    match body.get("detail")? {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|item| {
                    let loc = item
                        .get("loc")
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .filter(|p| p.as_str() != Some("body"))
                                .map(|p| p.as_str().map(str::to_string).unwrap_or_else(|| p.to_string()))
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .unwrap_or_default();
                    let msg = item.get("msg").and_then(Value::as_str).unwrap_or("invalid");
                    if loc.is_empty() { msg.to_string() } else { format!("{loc}: {msg}") }
                })
                .collect();
            Some(parts.join("; "))
        }
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_rssbot_seven_fields_with_naive_times() {
        let body = json!({"services": [{
            "name": "db_svc", "display_name": "Database Service", "connection_method": "router",
            "health_status": "healthy", "is_mounted": true, "has_router": true,
            "last_health_check": "2026-12-04T15:11:08.397123"
        }]});
        let rows = services(&body).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].mode, Some(ConnectionMethod::Router));
        assert_eq!(rows[0].last_health_check.unwrap().to_string(), "2026-12-04T15:11:08.397Z");
        assert_eq!(rows[0].traffic, None);
    }

    #[test]
    fn reads_the_wiki_bare_list() {
        let body = json!([{"name": "ai_svc", "status": "Healthy", "health_score": 0.93, "last_seen": "2026-12-04 15:00:00", "connection_method": "rest"}]);
        let rows = services(&body).unwrap();
        assert_eq!(rows[0].health_status, "healthy");
        assert_eq!(rows[0].health_score, Some(0.93));
        assert!(rows[0].last_health_check.is_some());
        assert!(services(&json!("nope")).is_err());
        assert!(services(&json!({"items": []})).is_err());
    }

    #[test]
    fn unknown_modes_are_kept_as_text() {
        let rows = services(&json!([{"name": "x", "connection_method": "grpc"}])).unwrap();
        assert_eq!(rows[0].mode, None);
        assert_eq!(rows[0].mode_text, "grpc");
    }

    #[test]
    fn fastapi_errors_read_well() {
        assert_eq!(
            error_message(&json!({"detail": "Service 'x' not found"})).unwrap(),
            "Service 'x' not found"
        );
        let list = json!({"detail": [{"loc": ["body", "connection_method"], "msg": "value is not a valid enumeration member", "type": "type_error.enum"}]});
        assert_eq!(
            error_message(&list).unwrap(),
            "connection_method: value is not a valid enumeration member"
        );
    }
}
