//! Operator mode changes: validated, persisted before they take effect,
//! audited, and announced as events.

use serde_json::json;

use super::Controller;
use super::events::EventSink;
use super::registry::{ModeState, ServiceEntry};
use super::store::{AuditEntry, Override, StoreError};
use crate::api::{
    ConnectionMethod, EventKind, ModeChangeRequest, ModeChangeResponse, ModeChangeStatus, ModeSource,
    Timestamp,
};

/// Why a mode change was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModeChangeError {
    /// No such service.
    #[error("Service '{service}' not found")]
    NotFound {
        /// The name asked for.
        service: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// Router asked for a service without an in-process implementation.
    #[error(
        "Service '{0}' has no in-process implementation, so it cannot use router; use rest, hybrid or disabled"
    )]
    NoRouter(String),
    /// Disabling needs a reason.
    #[error("reason: required (non-blank) when connection_method is disabled")]
    ReasonRequired,
    /// The change could not be persisted; nothing changed.
    #[error("could not persist the change, nothing was changed: {0}")]
    Store(#[from] StoreError),
}

const UNKNOWN_OPERATOR: &str = "unknown";

impl Controller {
    fn entry(&self, service: &str) -> Result<&ServiceEntry, ModeChangeError> {
        self.inner.registry.get(service).map(|e| e.as_ref()).ok_or_else(|| ModeChangeError::NotFound {
            service: service.to_string(),
            available: self.inner.registry.names(),
        })
    }

    /// Changes a service's connection method. Persisted and audited before
    /// it takes effect; the next call sees it.
    pub async fn change_mode(
        &self,
        service: &str,
        request: ModeChangeRequest,
    ) -> Result<ModeChangeResponse, ModeChangeError> {
        let entry = self.entry(service)?;
        let method = request.connection_method;
        if method == ConnectionMethod::Router && entry.local.is_none() {
            return Err(ModeChangeError::NoRouter(service.to_string()));
        }
        let reason = request.reason.filter(|r| !r.trim().is_empty());
        if method == ConnectionMethod::Disabled && reason.is_none() {
            return Err(ModeChangeError::ReasonRequired);
        }
        let operator = request.operator.unwrap_or_else(|| UNKNOWN_OPERATOR.to_string());
        self.apply(entry, method, reason, operator).await
    }

    /// Returns a disabled service to the mode it had before `disabled`.
    pub async fn enable(
        &self,
        service: &str,
        operator: Option<String>,
    ) -> Result<ModeChangeResponse, ModeChangeError> {
        let entry = self.entry(service)?;
        let current = entry.mode();
        let operator =
            operator.filter(|o| !o.trim().is_empty()).unwrap_or_else(|| UNKNOWN_OPERATOR.to_string());
        if current.method != ConnectionMethod::Disabled {
            return self.apply(entry, current.method, None, operator).await;
        }
        let target = [
            current.before_disabled,
            Some(entry.config.connection_method),
            Some(self.inner.config.defaults.connection_method),
        ]
        .into_iter()
        .flatten()
        .find(|m| *m != ConnectionMethod::Disabled)
        .unwrap_or(ConnectionMethod::Hybrid);
        let target = if target == ConnectionMethod::Router && entry.local.is_none() {
            ConnectionMethod::Hybrid
        } else {
            target
        };
        self.apply(entry, target, Some("re-enabled".to_string()), operator).await
    }

    async fn apply(
        &self,
        entry: &ServiceEntry,
        method: ConnectionMethod,
        reason: Option<String>,
        operator: String,
    ) -> Result<ModeChangeResponse, ModeChangeError> {
        let name = entry.name().to_string();
        // One change at a time, so that the persisted order is the applied order.
        let mut overrides = self.inner.overrides.lock().await;
        let current = entry.mode();
        let now = Timestamp::now();
        if current.method == method {
            return Ok(ModeChangeResponse {
                success: true,
                status: ModeChangeStatus::NoChange,
                service: name.clone(),
                old_method: method,
                new_method: method,
                updated_at: current.updated_at.unwrap_or(now),
                message: format!("{name} is already {method}"),
            });
        }
        let before_disabled = match method {
            ConnectionMethod::Disabled => Some(current.method),
            _ => None,
        };
        let record = Override {
            connection_method: method,
            reason: reason.clone(),
            updated_at: now,
            updated_by: operator.clone(),
            before_disabled,
        };
        let mut next = overrides.clone();
        next.insert(name.clone(), record);
        let audit = AuditEntry {
            at: now,
            operator: operator.clone(),
            service: name.clone(),
            old: current.method,
            new: method,
            reason: reason.clone(),
        };
        let store = self.inner.store.clone();
        let previous = overrides.clone();
        let to_save = next.clone();
        // Blocking file I/O off the runtime; admin path only, never the call path.
        let persisted = tokio::task::spawn_blocking(move || {
            store.save(&to_save)?;
            if let Err(e) = store.append_audit(&audit) {
                // Keep the override file and the audit log in step.
                let _ = store.save(&previous);
                return Err(e);
            }
            Ok::<(), StoreError>(())
        })
        .await
        .map_err(|e| StoreError::Io { path: "state directory".into(), source: std::io::Error::other(e) })?;
        persisted?;
        *overrides = next;
        entry.set_mode(ModeState {
            method,
            source: ModeSource::Operator,
            reason: reason.clone(),
            updated_at: Some(now),
            updated_by: Some(operator.clone()),
            before_disabled,
        });
        drop(overrides);
        let message = format!("{name}: {} -> {method}", current.method);
        self.inner.events.emit(
            EventKind::ModeChanged,
            Some(&name),
            match &reason {
                Some(r) => format!("{message} by {operator} ({r})"),
                None => format!("{message} by {operator}"),
            },
            json!({"old": current.method, "new": method, "reason": reason, "operator": operator}),
        );
        tracing::info!(service = %name, old = %current.method, new = %method, operator = %operator, "connection method changed");
        Ok(ModeChangeResponse {
            success: true,
            status: ModeChangeStatus::Updated,
            service: name,
            old_method: current.method,
            new_method: method,
            updated_at: now,
            message,
        })
    }
}
