//! Health of each side of a service (in-process and REST), as a score.
//!
//! The score of a side, from its last five checks:
//!
//! - latest check succeeded: `responsiveness × (0.8 + 0.2 × ok_fraction)`,
//!   where `responsiveness` is 1 for a check answered within 100 ms, falling
//!   linearly to 0 at 2 s, and `ok_fraction` is the share of the last five
//!   checks that succeeded;
//! - latest check failed, the one before succeeded: `0.5 × ok_fraction`
//!   (one blip is `degraded`);
//! - the last two checks failed: `0` (`down`).
//!
//! Status: `healthy` at 0.8 or more, `degraded` at 0.3 or more, `down` below,
//! `unknown` before the first check. So a side that comes back is healthy on
//! its first good check, and a side that dies is down on its second failure.

use std::collections::VecDeque;

use crate::api::{HealthStatus, Timestamp};

/// Checks remembered per side.
pub const SAMPLES: usize = 5;
/// Score at or above which a side is healthy.
pub const HEALTHY_AT: f64 = 0.8;
/// Score at or above which a side is degraded rather than down.
pub const DEGRADED_AT: f64 = 0.3;
const FAST_MS: f64 = 100.0;
const SLOW_MS: f64 = 2000.0;

/// One health check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Whether the side answered healthy.
    pub ok: bool,
    /// How long the check took, ms.
    pub latency_ms: f64,
    /// Load the side reported, 0–1.
    pub load: Option<f64>,
    /// Resident memory the side reported, MiB.
    pub rss_mb: Option<f64>,
    /// Why it failed.
    pub error: Option<String>,
}

/// The health of one side of a service.
#[derive(Debug, Clone, Default)]
pub struct SideHealth {
    samples: VecDeque<(bool, f64)>,
    /// When it was last checked.
    pub last_check: Option<Timestamp>,
    /// The latest check.
    pub last: Option<Check>,
}

/// Maps a score to a status.
pub fn status_for(score: Option<f64>) -> HealthStatus {
    match score {
        None => HealthStatus::Unknown,
        Some(s) if s >= HEALTHY_AT => HealthStatus::Healthy,
        Some(s) if s >= DEGRADED_AT => HealthStatus::Degraded,
        Some(_) => HealthStatus::Down,
    }
}

fn responsiveness(latency_ms: f64) -> f64 {
    if latency_ms <= FAST_MS {
        1.0
    } else {
        (1.0 - (latency_ms - FAST_MS) / (SLOW_MS - FAST_MS)).clamp(0.0, 1.0)
    }
}

impl SideHealth {
    /// Records a check; returns `(before, after)` when the status changed.
    pub fn record(&mut self, check: Check) -> Option<(HealthStatus, HealthStatus)> {
        let before = self.status();
        if self.samples.len() == SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back((check.ok, check.latency_ms));
        self.last_check = Some(Timestamp::now());
        self.last = Some(check);
        let after = self.status();
        (before != after).then_some((before, after))
    }

    /// The score, or `None` before the first check.
    pub fn score(&self) -> Option<f64> {
        let &(last_ok, last_latency) = self.samples.back()?;
        let ok_fraction =
            self.samples.iter().filter(|(ok, _)| *ok).count() as f64 / self.samples.len() as f64;
        let previous_ok = self.samples.iter().rev().nth(1).is_none_or(|(ok, _)| *ok);
        let score = if last_ok {
            responsiveness(last_latency) * (0.8 + 0.2 * ok_fraction)
        } else if previous_ok {
            0.5 * ok_fraction
        } else {
            0.0
        };
        Some((score * 1000.0).round() / 1000.0)
    }

    /// The status the score maps to.
    pub fn status(&self) -> HealthStatus {
        status_for(self.score())
    }

    /// The load the side last reported.
    pub fn load(&self) -> Option<f64> {
        self.last.as_ref().filter(|c| c.ok).and_then(|c| c.load)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ok: bool, latency_ms: f64) -> Check {
        Check { ok, latency_ms, load: None, rss_mb: None, error: None }
    }

    #[test]
    fn fresh_side_is_unknown_then_healthy() {
        let mut side = SideHealth::default();
        assert_eq!(side.status(), HealthStatus::Unknown);
        let change = side.record(check(true, 1.0));
        assert_eq!(change, Some((HealthStatus::Unknown, HealthStatus::Healthy)));
        assert_eq!(side.score(), Some(1.0));
    }

    #[test]
    fn one_blip_degrades_two_failures_are_down_one_success_recovers() {
        let mut side = SideHealth::default();
        for _ in 0..5 {
            side.record(check(true, 1.0));
        }
        assert_eq!(side.record(check(false, 1.0)), Some((HealthStatus::Healthy, HealthStatus::Degraded)));
        assert_eq!(side.score(), Some(0.4));
        assert_eq!(side.record(check(false, 1.0)), Some((HealthStatus::Degraded, HealthStatus::Down)));
        assert_eq!(side.score(), Some(0.0));
        side.record(check(false, 1.0));
        assert_eq!(side.record(check(true, 1.0)), Some((HealthStatus::Down, HealthStatus::Healthy)));
        assert!(side.score().unwrap() >= HEALTHY_AT);
    }

    #[test]
    fn slow_answers_lower_the_score() {
        let mut side = SideHealth::default();
        side.record(check(true, 1050.0));
        assert_eq!(side.score(), Some(0.5));
        assert_eq!(side.status(), HealthStatus::Degraded);
        side.record(check(true, 5000.0));
        assert_eq!(side.status(), HealthStatus::Down);
    }
}
