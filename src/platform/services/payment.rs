//! `payment_svc`: checkouts with deterministic ids (the same user, plan and
//! sequence always give the same id), kept in a bounded store.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;
use serde_json::{Value, json};

use crate::platform::payload_args::{object, string, uint};
use crate::platform::{Service, ServiceError};

/// Checkouts kept; the oldest are forgotten beyond this.
pub const MAX_CHECKOUTS: usize = 100_000;

const PLANS: &[(&str, u64)] = &[("basic", 299), ("pro", 999), ("team", 2999)];

/// FNV-1a, 64 bit: stable across runs and platforms.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The deterministic checkout id.
pub fn checkout_id(user: u64, plan: &str, sequence: u64) -> String {
    format!("chk_{:016x}", fnv1a(&[&user.to_le_bytes(), plan.as_bytes(), &sequence.to_le_bytes()]))
}

#[derive(Default)]
struct Ledger {
    sequence: HashMap<u64, u64>,
    checkouts: HashMap<String, Value>,
    order: VecDeque<String>,
}

/// The payment service.
#[derive(Default)]
pub struct PaymentService {
    ledger: Mutex<Ledger>,
}

#[async_trait]
impl Service for PaymentService {
    fn name(&self) -> &str {
        "payment_svc"
    }

    async fn call(&self, method: &str, payload: &Value) -> Result<Value, ServiceError> {
        let args = object(payload)?;
        match method {
            "create_checkout" => {
                let user = uint(args, "user_id", None)?;
                let plan = string(args, "plan")?;
                let Some(&(_, cents)) = PLANS.iter().find(|(p, _)| *p == plan) else {
                    return Err(ServiceError::InvalidRequest("plan: one of basic, pro, team".into()));
                };
                let mut ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
                let seq = ledger.sequence.entry(user).or_default();
                *seq += 1;
                let id = checkout_id(user, plan, *seq);
                let checkout = json!({
                    "checkout_id": id,
                    "user_id": user,
                    "plan": plan,
                    "amount_cents": cents,
                    "currency": "USD",
                    "url": format!("https://pay.example/checkout/{id}"),
                });
                if ledger.order.len() >= MAX_CHECKOUTS
                    && let Some(old) = ledger.order.pop_front()
                {
                    ledger.checkouts.remove(&old);
                }
                ledger.order.push_back(id.clone());
                ledger.checkouts.insert(id, checkout.clone());
                Ok(checkout)
            }
            "get_checkout" => {
                let id = string(args, "checkout_id")?;
                let ledger = self.ledger.lock().unwrap_or_else(|p| p.into_inner());
                ledger
                    .checkouts
                    .get(id)
                    .cloned()
                    .ok_or_else(|| ServiceError::InvalidRequest(format!("checkout_id: no checkout {id}")))
            }
            other => Err(ServiceError::UnknownMethod(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ids_are_deterministic_and_checkouts_found() {
        let a = PaymentService::default();
        let b = PaymentService::default();
        let x = a.call("create_checkout", &json!({"user_id": 9, "plan": "pro"})).await.unwrap();
        let y = b.call("create_checkout", &json!({"user_id": 9, "plan": "pro"})).await.unwrap();
        assert_eq!(x["checkout_id"], y["checkout_id"]);
        assert_eq!(x["amount_cents"], 999);
        let z = a.call("create_checkout", &json!({"user_id": 9, "plan": "pro"})).await.unwrap();
        assert_ne!(x["checkout_id"], z["checkout_id"]);
        let found = a.call("get_checkout", &json!({"checkout_id": x["checkout_id"]})).await.unwrap();
        assert_eq!(found, x);
        assert!(
            a.call("create_checkout", &json!({"user_id": 9, "plan": "gold"}))
                .await
                .unwrap_err()
                .is_caller_error()
        );
    }
}
