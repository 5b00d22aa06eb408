//! `GET /metrics`: Prometheus text exposition, encoded at scrape time from
//! the same measurements the API shows.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Registry as PromRegistry;

use super::registry::Registry;
use crate::api::{CallPath, ConnectionMethod};

/// Latency bucket bounds in seconds: 10 µs to 10 s.
const BOUNDS_S: [f64; 13] = [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 0.1, 0.5, 1.0, 5.0, 10.0];

#[derive(Debug)]
struct Exporter {
    registry: Arc<Registry>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Collector for Exporter {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let services = self.registry.all();
        let paths = [CallPath::Router, CallPath::Rest];
        {
            let mut calls = encoder.encode_descriptor(
                "switchboard_calls",
                "Calls by service and path",
                None,
                MetricType::Counter,
            )?;
            for s in services {
                for p in paths {
                    let (total, _, _, _) = s.metrics.path(p).cumulative(&[]);
                    let labels = [("service", s.name()), ("path", p.as_str())];
                    ConstCounter::new(total).encode(calls.encode_family(&labels)?)?;
                }
            }
        }
        {
            let mut errors = encoder.encode_descriptor(
                "switchboard_call_errors",
                "Failed calls by service and path",
                None,
                MetricType::Counter,
            )?;
            for s in services {
                for p in paths {
                    let (_, failed, _, _) = s.metrics.path(p).cumulative(&[]);
                    let labels = [("service", s.name()), ("path", p.as_str())];
                    ConstCounter::new(failed).encode(errors.encode_family(&labels)?)?;
                }
            }
        }
        {
            let mut latency = encoder.encode_descriptor(
                "switchboard_call_duration_seconds",
                "Call latency on the serving path",
                None,
                MetricType::Histogram,
            )?;
            for s in services {
                for p in paths {
                    let (count, _, sum, mut buckets) = s.metrics.path(p).cumulative(&BOUNDS_S);
                    buckets.push((f64::INFINITY, count));
                    let labels = [("service", s.name()), ("path", p.as_str())];
                    latency
                        .encode_family(&labels)?
                        .encode_histogram::<prometheus_client::encoding::NoLabelSet>(
                            sum, count, &buckets, None,
                        )?;
                }
            }
        }
        {
            let mut failovers = encoder.encode_descriptor(
                "switchboard_failovers",
                "Calls served by the other path after a failure",
                None,
                MetricType::Counter,
            )?;
            for s in services {
                let labels = [("service", s.name())];
                ConstCounter::new(s.metrics.failovers.load(Ordering::Relaxed))
                    .encode(failovers.encode_family(&labels)?)?;
            }
        }
        {
            let mut refused = encoder.encode_descriptor(
                "switchboard_refused",
                "Calls refused because the service is disabled",
                None,
                MetricType::Counter,
            )?;
            for s in services {
                let labels = [("service", s.name())];
                ConstCounter::new(s.metrics.refused.load(Ordering::Relaxed))
                    .encode(refused.encode_family(&labels)?)?;
            }
        }
        {
            let mut mode = encoder.encode_descriptor(
                "switchboard_connection_method",
                "1 for the service's configured connection method",
                None,
                MetricType::Gauge,
            )?;
            for s in services {
                let current = s.mode().method;
                for m in ConnectionMethod::ALL {
                    let labels = [("service", s.name()), ("method", m.as_str())];
                    ConstGauge::new(i64::from(m == current)).encode(mode.encode_family(&labels)?)?;
                }
            }
        }
        {
            let mut score = encoder.encode_descriptor(
                "switchboard_health_score",
                "Health score of each side of a service, 0 to 1",
                None,
                MetricType::Gauge,
            )?;
            for s in services {
                let health = s.health();
                for p in paths {
                    if let Some(v) = health.side(p).score() {
                        let labels = [("service", s.name()), ("side", p.as_str())];
                        ConstGauge::new(v).encode(score.encode_family(&labels)?)?;
                    }
                }
            }
        }
        {
            let mut in_flight = encoder.encode_descriptor(
                "switchboard_in_flight",
                "Calls in progress",
                None,
                MetricType::Gauge,
            )?;
            for s in services {
                let labels = [("service", s.name())];
                ConstGauge::new(i64::from(s.in_flight.load(Ordering::Relaxed)))
                    .encode(in_flight.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}

/// The exposition text of every metric.
pub fn render(registry: Arc<Registry>) -> Result<String, std::fmt::Error> {
    let mut prom = PromRegistry::default();
    prom.register_collector(Box::new(Exporter { registry }));
    let mut text = String::new();
    prometheus_client::encoding::prometheus_text::encode(&mut text, &prom)?;
    Ok(text)
}
