//! Live demo traffic: each service called at its configured rate and method
//! mix, with payloads across the size classes, rising and falling over time
//! (so that hybrid decisions really change), through the controller's proxy.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::Semaphore;

use super::payloads::{SizeClass, build};
use crate::controller::Controller;
use crate::controller::config::{PayloadMix, TrafficConfig};
use crate::controller::proxy::Payload;

/// Calls one service may have in flight; beyond this, calls are shed.
pub const MAX_IN_FLIGHT: usize = 64;
/// The largest multiplier an operator may set.
pub const MAX_MULTIPLIER: f64 = 50.0;
/// Payload variants pre-built per method and size class.
const VARIANTS: u64 = 8;
const TICK: Duration = Duration::from_millis(20);

/// The traffic generator's shared knobs.
#[derive(Debug)]
pub struct TrafficControl {
    multiplier_bits: AtomicU64,
    started: Instant,
    period_s: f64,
    /// Calls shed because too many were in flight.
    pub shed: AtomicU64,
}

impl TrafficControl {
    /// The operator's multiplier.
    pub fn multiplier(&self) -> f64 {
        f64::from_bits(self.multiplier_bits.load(Ordering::Relaxed))
    }

    /// Sets the operator's multiplier (0 stops the traffic).
    pub fn set_multiplier(&self, m: f64) -> Result<(), String> {
        if !(m.is_finite() && (0.0..=MAX_MULTIPLIER).contains(&m)) {
            return Err(format!("multiplier: a number from 0 to {MAX_MULTIPLIER}"));
        }
        self.multiplier_bits.store(m.to_bits(), Ordering::Relaxed);
        Ok(())
    }

    /// The rate factor of the `index`-th service now: 0.1× to 1.9× over the period, phases staggered.
    pub fn wave(&self, index: usize) -> f64 {
        let t = self.started.elapsed().as_secs_f64();
        let phase = index as f64 * 2.0 * std::f64::consts::PI / 8.0;
        1.0 + 0.9 * (2.0 * std::f64::consts::PI * t / self.period_s + phase).sin()
    }
}

struct Plan {
    service: String,
    rate: f64,
    methods: Vec<(String, u32)>,
    /// Pre-built payloads by method, then by size class.
    payloads: Vec<[Vec<Arc<Payload>>; 3]>,
}

fn pick<T>(items: &[(T, u32)], rng: &mut impl Rng) -> usize {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (i, (_, w)) in items.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    0
}

fn classes(mix: PayloadMix) -> [(SizeClass, u32); 3] {
    [(SizeClass::Small, mix.small), (SizeClass::Medium, mix.medium), (SizeClass::Large, mix.large)]
}

/// Starts one traffic task per configured service; they stop with the controller.
pub fn start(config: &TrafficConfig, controller: &Controller) -> Arc<TrafficControl> {
    let control = Arc::new(TrafficControl {
        multiplier_bits: AtomicU64::new(1.0f64.to_bits()),
        started: Instant::now(),
        period_s: config.period_s,
        shed: AtomicU64::new(0),
    });
    let classes = classes(config.payload_mix);
    for (index, t) in config.services.iter().enumerate() {
        let payloads = t
            .methods
            .iter()
            .map(|(method, _)| {
                classes.map(|(class, weight)| {
                    let variants = match (weight, class) {
                        (0, _) => 0,
                        (_, SizeClass::Large) => 1,
                        _ => VARIANTS,
                    };
                    (0..variants).map(|seed| Arc::new(build(&t.service, method, class, seed))).collect()
                })
            })
            .collect();
        let plan = Plan { service: t.service.clone(), rate: t.rate, methods: t.methods.clone(), payloads };
        tokio::spawn(drive(plan, index, classes, control.clone(), controller.clone()));
    }
    control
}

async fn drive(
    plan: Plan,
    index: usize,
    classes: [(SizeClass, u32); 3],
    control: Arc<TrafficControl>,
    controller: Controller,
) {
    let mut stopping = controller.stopping();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let mut due = 0.0;
    let mut last = Instant::now();
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopping.wait_for(|s| *s) => return,
        }
        let now = Instant::now();
        due +=
            plan.rate * control.multiplier() * control.wave(index) * now.duration_since(last).as_secs_f64();
        last = now;
        let mut rng = rand::rng();
        while due >= 1.0 {
            due -= 1.0;
            let Ok(permit) = in_flight.clone().try_acquire_owned() else {
                control.shed.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let m = pick(&plan.methods, &mut rng);
            let variants = &plan.payloads[m][pick(&classes, &mut rng)];
            let Some(payload) = variants.get(rng.random_range(0..variants.len().max(1))).cloned() else {
                continue;
            };
            let method = plan.methods[m].0.clone();
            let service = plan.service.clone();
            let controller = controller.clone();
            tokio::spawn(async move {
                let _ = controller.proxy().call(&service, &method, &payload).await;
                drop(permit);
            });
        }
    }
}
