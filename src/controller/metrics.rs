//! Measured latency and traffic: per service and path, HDR histograms for
//! each of the last few seconds, per-second summaries for an hour, and
//! cumulative histograms for Prometheus. Memory is bounded: nothing grows
//! with uptime or with the number of calls.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hdrhistogram::Histogram;

use crate::api::{Bucket, CallPath, MethodRate, PathStats, Timestamp};

/// Seconds of traffic the live figures (rps, percentiles, factors) cover.
pub const LIVE_WINDOW_S: i64 = 10;
/// Seconds of per-second history kept.
pub const HISTORY_S: i64 = 3600;
/// Methods tracked per service; beyond this, the least recently used is dropped.
pub const MAX_METHODS: usize = 256;
const SLOTS: usize = LIVE_WINDOW_S as usize + 1;
const MAX_NS: u64 = 3_600_000_000_000;

/// The current Unix second.
pub fn now_sec() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn new_histogram() -> Histogram<u32> {
    // 1 ns .. 1 h at 2 significant digits: about 18 KiB.
    latency_histogram(2)
}

/// A histogram of nanoseconds from 1 ns to 1 h at `sigfig` (1–5) significant digits.
pub fn latency_histogram<T: hdrhistogram::Counter>(sigfig: u8) -> Histogram<T> {
    match Histogram::new_with_bounds(1, MAX_NS, sigfig.clamp(1, 5)) {
        Ok(h) => h,
        Err(e) => unreachable_bounds(e),
    }
}

#[allow(clippy::panic)]
fn unreachable_bounds(e: hdrhistogram::CreationError) -> ! {
    // Only reachable with invalid constant bounds, which the clamp above rules out.
    panic!("hdrhistogram rejected constant bounds: {e:?}")
}

fn ns_to_ms(ns: u64) -> f64 {
    ns as f64 / 1_000_000.0
}

/// One second of one path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SecondSummary {
    /// The Unix second.
    pub sec: i64,
    /// Calls.
    pub count: u64,
    /// Failed calls.
    pub errors: u64,
    /// Median, ms.
    pub p50_ms: f64,
    /// 99th percentile, ms.
    pub p99_ms: f64,
}

struct Slot {
    sec: i64,
    histogram: Histogram<u32>,
    count: u64,
    errors: u64,
}

impl Slot {
    fn summary(&self) -> SecondSummary {
        SecondSummary {
            sec: self.sec,
            count: self.count,
            errors: self.errors,
            p50_ms: ns_to_ms(self.histogram.value_at_quantile(0.5)),
            p99_ms: ns_to_ms(self.histogram.value_at_quantile(0.99)),
        }
    }
}

struct PathWindow {
    slots: Vec<Slot>,
    history: VecDeque<SecondSummary>,
    latest_sec: i64,
    cumulative: Histogram<u32>,
    total: u64,
    total_errors: u64,
    total_seconds: f64,
}

impl PathWindow {
    /// Moves slots that fell out of the live window into the history, in order.
    fn advance(&mut self, now: i64) {
        if now <= self.latest_sec {
            return;
        }
        self.latest_sec = now;
        let oldest_live = now - LIVE_WINDOW_S;
        let mut expired: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.slots[i].count > 0 && self.slots[i].sec < oldest_live)
            .collect();
        expired.sort_by_key(|&i| self.slots[i].sec);
        for i in expired {
            let summary = self.slots[i].summary();
            self.history.push_back(summary);
            let slot = &mut self.slots[i];
            slot.histogram.reset();
            slot.count = 0;
            slot.errors = 0;
        }
        while self.history.front().is_some_and(|s| s.sec <= now - HISTORY_S) {
            self.history.pop_front();
        }
    }
}

/// Latency and outcome of every call on one path of one service.
pub struct PathMetrics {
    window: Mutex<PathWindow>,
}

impl Default for PathMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl PathMetrics {
    /// Empty metrics.
    pub fn new() -> Self {
        let slots = (0..SLOTS)
            .map(|_| Slot { sec: i64::MIN, histogram: new_histogram(), count: 0, errors: 0 })
            .collect();
        Self {
            window: Mutex::new(PathWindow {
                slots,
                history: VecDeque::new(),
                latest_sec: i64::MIN,
                cumulative: new_histogram(),
                total: 0,
                total_errors: 0,
                total_seconds: 0.0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PathWindow> {
        self.window.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records one call now.
    pub fn record(&self, latency: Duration, ok: bool) {
        self.record_at(now_sec(), latency, ok);
    }

    /// Records one call in a given second (tests and replays).
    pub fn record_at(&self, sec: i64, latency: Duration, ok: bool) {
        let ns = (latency.as_nanos() as u64).clamp(1, MAX_NS);
        let mut w = self.lock();
        w.advance(sec);
        if sec < w.latest_sec - LIVE_WINDOW_S {
            return; // Too late to count in any live slot.
        }
        let index = sec.rem_euclid(SLOTS as i64) as usize;
        let slot = &mut w.slots[index];
        if slot.sec != sec {
            slot.sec = sec;
            slot.histogram.reset();
            slot.count = 0;
            slot.errors = 0;
        }
        slot.histogram.saturating_record(ns);
        slot.count += 1;
        slot.errors += u64::from(!ok);
        w.cumulative.saturating_record(ns);
        w.total += 1;
        w.total_errors += u64::from(!ok);
        w.total_seconds += latency.as_secs_f64();
    }

    /// Counts and percentiles over the live window ending at `now`, and the mean in ms.
    pub fn live(&self, now: i64) -> (PathStats, Option<f64>) {
        let mut w = self.lock();
        w.advance(now);
        let mut merged: Option<Histogram<u32>> = None;
        let (mut count, mut errors) = (0, 0);
        for slot in w.slots.iter().filter(|s| s.count > 0 && s.sec > now - LIVE_WINDOW_S && s.sec <= now) {
            count += slot.count;
            errors += slot.errors;
            match merged.as_mut() {
                Some(m) => {
                    let _ = m.add(&slot.histogram);
                }
                None => merged = Some(slot.histogram.clone()),
            }
        }
        let Some(h) = merged else {
            return (PathStats::default(), None);
        };
        let stats = PathStats {
            count,
            errors,
            p50_ms: Some(ns_to_ms(h.value_at_quantile(0.5))),
            p90_ms: Some(ns_to_ms(h.value_at_quantile(0.9))),
            p99_ms: Some(ns_to_ms(h.value_at_quantile(0.99))),
            max_ms: Some(ns_to_ms(h.max())),
        };
        (stats, Some(h.mean() / 1_000_000.0))
    }

    /// Calls and failed calls over the live window ending at `now`; cheap.
    pub fn live_counts(&self, now: i64) -> (u64, u64) {
        let w = self.lock();
        w.slots
            .iter()
            .filter(|s| s.count > 0 && s.sec > now - LIVE_WINDOW_S && s.sec <= now)
            .fold((0, 0), |(c, e), s| (c + s.count, e + s.errors))
    }

    /// One bucket per second for the `window` seconds ending at `now`, oldest first.
    pub fn buckets(&self, now: i64, window: i64) -> Vec<Bucket> {
        let mut w = self.lock();
        w.advance(now);
        let first = now - window + 1;
        let mut by_sec: HashMap<i64, SecondSummary> =
            w.history.iter().filter(|s| s.sec >= first).map(|s| (s.sec, *s)).collect();
        for slot in w.slots.iter().filter(|s| s.count > 0 && s.sec >= first && s.sec <= now) {
            by_sec.insert(slot.sec, slot.summary());
        }
        drop(w);
        (first..=now)
            .map(|sec| match by_sec.get(&sec) {
                Some(s) => Bucket {
                    t: Timestamp::from_unix_seconds(sec),
                    count: s.count,
                    errors: s.errors,
                    p50_ms: Some(s.p50_ms),
                    p99_ms: Some(s.p99_ms),
                },
                None => Bucket {
                    t: Timestamp::from_unix_seconds(sec),
                    count: 0,
                    errors: 0,
                    p50_ms: None,
                    p99_ms: None,
                },
            })
            .collect()
    }

    /// Totals since start: calls, errors, summed seconds, and cumulative
    /// counts at each upper bound (seconds) for a Prometheus histogram.
    pub fn cumulative(&self, bounds_s: &[f64]) -> (u64, u64, f64, Vec<(f64, u64)>) {
        let w = self.lock();
        let buckets = bounds_s
            .iter()
            .map(|&b| {
                let ns = (b * 1e9) as u64;
                let n = if ns >= MAX_NS { w.total } else { w.cumulative.count_between(0, ns) };
                (b, n)
            })
            .collect();
        (w.total, w.total_errors, w.total_seconds, buckets)
    }
}

#[derive(Clone, Copy, Default)]
struct CountedSecond {
    sec: i64,
    count: u32,
}

/// Counts events per second over the live window.
#[derive(Clone, Copy, Default)]
struct SecondCounter {
    seconds: [CountedSecond; LIVE_WINDOW_S as usize],
    last_sec: i64,
}

impl SecondCounter {
    fn add(&mut self, now: i64) {
        let slot = &mut self.seconds[now.rem_euclid(LIVE_WINDOW_S) as usize];
        if slot.sec != now {
            *slot = CountedSecond { sec: now, count: 0 };
        }
        slot.count = slot.count.saturating_add(1);
        self.last_sec = now;
    }

    /// Events in the live window ending at `now`.
    fn live(&self, now: i64) -> u64 {
        let first = now - LIVE_WINDOW_S + 1;
        self.seconds.iter().filter(|s| s.sec >= first && s.sec <= now).map(|s| u64::from(s.count)).sum()
    }
}

/// Everything measured about one service.
pub struct ServiceMetrics {
    /// The in-process path.
    pub router: PathMetrics,
    /// The HTTP path.
    pub rest: PathMetrics,
    methods: Mutex<HashMap<Box<str>, SecondCounter>>,
    /// Calls served by the other path after the first failed.
    pub failovers: AtomicU64,
    /// Calls refused because the service is disabled, since start.
    pub refused: AtomicU64,
    refused_recent: Mutex<SecondCounter>,
    /// Size in bytes of the last request.
    pub last_request_size: AtomicU64,
    started_sec: i64,
}

impl Default for ServiceMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl ServiceMetrics {
    /// Empty metrics starting now.
    pub fn new() -> Self {
        Self {
            router: PathMetrics::new(),
            rest: PathMetrics::new(),
            methods: Mutex::new(HashMap::new()),
            failovers: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            refused_recent: Mutex::new(SecondCounter::default()),
            last_request_size: AtomicU64::new(0),
            started_sec: now_sec(),
        }
    }

    /// The metrics of one path.
    pub fn path(&self, path: CallPath) -> &PathMetrics {
        match path {
            CallPath::Router => &self.router,
            CallPath::Rest => &self.rest,
        }
    }

    /// The seconds the live window really covers (less than 10 just after start).
    pub fn window_seconds(&self, now: i64) -> f64 {
        (now - self.started_sec + 1).clamp(1, LIVE_WINDOW_S) as f64
    }

    fn lock_methods(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, SecondCounter>> {
        self.methods.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a call refused because the service is disabled.
    pub fn note_refused(&self, now: i64) {
        self.refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.refused_recent.lock().unwrap_or_else(|p| p.into_inner()).add(now);
    }

    /// Calls refused in the live window.
    pub fn refused_live(&self, now: i64) -> u64 {
        self.refused_recent.lock().unwrap_or_else(|p| p.into_inner()).live(now)
    }

    /// Counts a call of `method` now and returns its rate (calls/s) including this call.
    pub fn count_method(&self, method: &str, now: i64) -> f64 {
        let window = self.window_seconds(now);
        let mut methods = self.lock_methods();
        if !methods.contains_key(method) && methods.len() >= MAX_METHODS {
            let stalest = methods.iter().min_by_key(|(_, c)| c.last_sec).map(|(k, _)| k.clone());
            if let Some(key) = stalest {
                methods.remove(&key);
            }
        }
        let counter = match methods.get_mut(method) {
            Some(c) => c,
            None => methods.entry(Box::from(method)).or_default(),
        };
        counter.add(now);
        counter.live(now) as f64 / window
    }

    /// The rate of `method` now, without counting a call.
    pub fn method_rate(&self, method: &str, now: i64) -> f64 {
        let window = self.window_seconds(now);
        self.lock_methods().get(method).map(|c| c.live(now) as f64 / window).unwrap_or(0.0)
    }

    /// Methods called in the live window, busiest first.
    pub fn method_rates(&self, now: i64) -> Vec<MethodRate> {
        let window = self.window_seconds(now);
        let mut rates: Vec<MethodRate> = self
            .lock_methods()
            .iter()
            .map(|(name, c)| MethodRate {
                method: name.to_string(),
                calls_per_s: c.live(now) as f64 / window,
            })
            .filter(|r| r.calls_per_s > 0.0)
            .collect();
        rates.sort_by(|a, b| b.calls_per_s.total_cmp(&a.calls_per_s).then(a.method.cmp(&b.method)));
        rates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: f64) -> Duration {
        Duration::from_secs_f64(v / 1000.0)
    }

    #[test]
    fn live_window_covers_ten_seconds() {
        let m = PathMetrics::new();
        for i in 0..100 {
            m.record_at(1000, ms(1.0 + f64::from(i) / 100.0), i % 10 != 0);
        }
        m.record_at(995, ms(50.0), true);
        let (stats, mean) = m.live(1000);
        assert_eq!(stats.count, 101);
        assert_eq!(stats.errors, 10);
        let p50 = stats.p50_ms.unwrap();
        assert!((1.4..1.6).contains(&p50), "{p50}");
        assert!(stats.max_ms.unwrap() >= 49.0);
        assert!(mean.unwrap() > 1.0);
        // Eleven seconds later the window is empty.
        let (stats, mean) = m.live(1011);
        assert_eq!(stats.count, 0);
        assert_eq!(mean, None);
    }

    #[test]
    fn buckets_fill_empty_seconds_and_keep_history() {
        let m = PathMetrics::new();
        m.record_at(100, ms(2.0), true);
        m.record_at(100, ms(4.0), false);
        m.record_at(150, ms(1.0), true); // pushes second 100 into history
        let buckets = m.buckets(160, 61);
        assert_eq!(buckets.len(), 61);
        assert_eq!(buckets[0].t.unix_seconds(), 100);
        assert_eq!((buckets[0].count, buckets[0].errors), (2, 1));
        assert!(buckets[0].p99_ms.unwrap() >= 3.9);
        assert_eq!(buckets[1].count, 0);
        assert_eq!(buckets[1].p50_ms, None);
        assert_eq!(buckets[50].count, 1);
        assert_eq!(buckets[60].t.unix_seconds(), 160);
    }

    #[test]
    fn history_is_bounded_to_an_hour() {
        let m = PathMetrics::new();
        for sec in 0..(HISTORY_S * 2) {
            m.record_at(sec, ms(1.0), true);
        }
        let w = m.lock();
        assert!(w.history.len() <= HISTORY_S as usize);
    }

    #[test]
    fn cumulative_buckets_are_monotonic() {
        let m = PathMetrics::new();
        m.record_at(1, ms(0.01), true);
        m.record_at(1, ms(5.0), true);
        m.record_at(1, ms(500.0), false);
        let (total, errors, sum, buckets) = m.cumulative(&[0.001, 0.01, 1.0, f64::INFINITY]);
        assert_eq!((total, errors), (3, 1));
        assert!(sum > 0.5);
        let counts: Vec<u64> = buckets.iter().map(|b| b.1).collect();
        assert_eq!(counts, vec![1, 2, 3, 3]);
    }

    #[test]
    fn method_rates_slide() {
        let m = ServiceMetrics::new();
        let start = m.started_sec;
        for _ in 0..50 {
            m.count_method("get_feeds", start + 20);
        }
        m.count_method("add_feed", start + 20);
        assert_eq!(m.method_rate("get_feeds", start + 20), 5.0);
        assert_eq!(m.method_rate("get_feeds", start + 30), 0.0);
        let rates = m.method_rates(start + 20);
        assert_eq!(rates[0].method, "get_feeds");
        assert_eq!(rates.len(), 2);
    }

    #[test]
    fn methods_are_bounded() {
        let m = ServiceMetrics::new();
        for i in 0..(MAX_METHODS + 50) {
            m.count_method(&format!("m{i}"), m.started_sec + i as i64);
        }
        assert_eq!(m.lock_methods().len(), MAX_METHODS);
    }
}
