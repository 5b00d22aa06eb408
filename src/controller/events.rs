//! The event log: a bounded ring with increasing ids and long poll.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use crate::api::{Event, EventKind, Timestamp};

/// Events kept; older ones are dropped.
pub const EVENT_CAPACITY: usize = 10_000;
/// The most events one answer carries.
pub const MAX_LIMIT: usize = 1000;

/// Where events are kept. Behind a trait so that replicas can later share
/// one log (e.g. in Redis) without touching the proxy or the console.
pub trait EventSink: Send + Sync {
    /// Appends an event and returns its id.
    fn emit(&self, kind: EventKind, service: Option<&str>, message: String, data: Value) -> u64;
}

/// The in-memory event log.
pub struct EventLog {
    ring: Mutex<Ring>,
    latest: watch::Sender<u64>,
}

struct Ring {
    events: VecDeque<Event>,
    next_id: u64,
    capacity: usize,
}

impl Default for EventLog {
    fn default() -> Self {
        Self::with_capacity(EVENT_CAPACITY)
    }
}

impl EventLog {
    /// A log keeping at most `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        let (latest, _) = watch::channel(0);
        Self {
            ring: Mutex::new(Ring { events: VecDeque::new(), next_id: 1, capacity: capacity.max(1) }),
            latest,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The id of the newest event (0 when none).
    pub fn latest_id(&self) -> u64 {
        *self.latest.borrow()
    }

    /// Events with id > `after`, oldest first, at most `limit`, and the next cursor.
    /// A cursor from the future (a restarted controller) reads from the start.
    pub fn since(&self, after: u64, limit: usize) -> (Vec<Event>, u64) {
        let ring = self.lock();
        let newest = ring.next_id - 1;
        let after = if after > newest { 0 } else { after };
        let events: Vec<Event> =
            ring.events.iter().filter(|e| e.id > after).take(limit.clamp(1, MAX_LIMIT)).cloned().collect();
        let next = events.last().map(|e| e.id).unwrap_or(after);
        (events, next)
    }

    /// Like `since`, but when nothing is there yet waits up to `wait` for an
    /// event, or until `shutdown` fires.
    pub async fn wait_since(
        &self,
        after: u64,
        limit: usize,
        wait: Duration,
        mut shutdown: watch::Receiver<bool>,
    ) -> (Vec<Event>, u64) {
        let mut latest = self.latest.subscribe();
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let (events, next) = self.since(after, limit);
            if !events.is_empty() || wait.is_zero() {
                return (events, next);
            }
            tokio::select! {
                changed = latest.changed() => if changed.is_err() { return (events, next) },
                _ = tokio::time::sleep_until(deadline) => return (events, next),
                _ = shutdown.wait_for(|stop| *stop) => return (events, next),
            }
        }
    }

    /// The last `n` events about `service`, oldest first.
    pub fn recent_for(&self, service: &str, n: usize) -> Vec<Event> {
        let ring = self.lock();
        let mut found: Vec<Event> = ring
            .events
            .iter()
            .rev()
            .filter(|e| e.service.as_deref() == Some(service))
            .take(n)
            .cloned()
            .collect();
        found.reverse();
        found
    }
}

impl EventSink for EventLog {
    fn emit(&self, kind: EventKind, service: Option<&str>, message: String, data: Value) -> u64 {
        let id = {
            let mut ring = self.lock();
            let id = ring.next_id;
            ring.next_id += 1;
            if ring.events.len() >= ring.capacity {
                ring.events.pop_front();
            }
            ring.events.push_back(Event {
                id,
                at: Timestamp::now(),
                kind,
                service: service.map(str::to_string),
                message,
                data,
            });
            id
        };
        self.latest.send_replace(id);
        tracing::debug!(id, kind = kind.as_str(), service, "event");
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_is_bounded_and_ids_increase() {
        let log = EventLog::with_capacity(3);
        for i in 0..5 {
            log.emit(EventKind::Failover, Some("a"), format!("e{i}"), Value::Null);
        }
        let (events, next) = log.since(0, 100);
        assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert_eq!(next, 5);
        let (events, next) = log.since(5, 100);
        assert!(events.is_empty());
        assert_eq!(next, 5);
        let (events, _) = log.since(99, 100);
        assert_eq!(events.len(), 3, "a cursor from the future reads from the start");
        assert_eq!(log.since(0, 2).0.len(), 2);
    }

    #[tokio::test]
    async fn long_poll_wakes_on_an_event() {
        let log = std::sync::Arc::new(EventLog::default());
        let (_stop, shutdown) = watch::channel(false);
        let waiter = {
            let log = log.clone();
            tokio::spawn(async move { log.wait_since(0, 10, Duration::from_secs(10), shutdown).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        log.emit(EventKind::ModeChanged, Some("db_svc"), "changed".into(), Value::Null);
        let (events, next) = tokio::time::timeout(Duration::from_secs(2), waiter).await.unwrap().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(next, 1);
    }

    #[tokio::test]
    async fn long_poll_ends_on_timeout() {
        let log = EventLog::default();
        let (_stop, shutdown) = watch::channel(false);
        let (events, next) = log.wait_since(0, 10, Duration::from_millis(50), shutdown).await;
        assert!(events.is_empty());
        assert_eq!(next, 0);
    }
}
