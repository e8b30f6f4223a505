//! What the intercommunale's IT watches (issue 13 §4): `/metrics` in Prometheus' text format —
//! requests by route and status, pull and push latency, the wait for the write lock, mutations by
//! outcome, the scheduler's pending work and the e-mail queue — and `/ready`, distinct from
//! `/health`: `/health` says the process answers (liveness), `/ready` that it can serve (the
//! database answers at the schema this server expects).
//!
//! Both answer on the server's own address and are meant for the monitoring on the inside:
//! the reverse-proxy examples (`docs/deploy/`) do not pass `/metrics` to the Internet.
//!
//! Durations are counted in integer microseconds and written as decimal seconds (no floating
//! point on the way). Routes are the matched templates (`/api/v1/orders/{id}/documents`), never
//! the raw path, so a scan of random addresses adds one series (`unmatched`), not thousands.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::state::AppState;

/// Upper bounds of the latency buckets, in microseconds (5 ms to 10 s).
const BUCKETS_MICROS: [u64; 11] = [
    5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
    10_000_000,
];

/// A latency histogram with fixed buckets.
#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS_MICROS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    /// Counts one duration.
    pub fn observe(&self, took: Duration) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        if let Some(i) = BUCKETS_MICROS.iter().position(|b| micros <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, bound) in BUCKETS_MICROS.iter().enumerate() {
            cumulative += self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "{name}_bucket{{le=\"{}\"}} {cumulative}",
                seconds(*bound)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "{name}_sum {}",
            seconds(self.sum_micros.load(Ordering::Relaxed))
        );
        let _ = writeln!(out, "{name}_count {count}");
    }
}

/// Microseconds as decimal seconds (`0.025`, `1.5`, `12.000301`).
fn seconds(micros: u64) -> String {
    let whole = micros / 1_000_000;
    let frac = micros % 1_000_000;
    if frac == 0 {
        return whole.to_string();
    }
    format!("{whole}.{frac:06}")
        .trim_end_matches('0')
        .to_string()
}

/// A label value as Prometheus reads it.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The server's counters, one per process (a scrape of several servers adds them up).
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    mutations: Mutex<BTreeMap<(String, &'static str), u64>>,
    /// `GET /api/v1/sync/pull`, whole request.
    pub pull: Histogram,
    /// `POST /api/v1/sync/push`, whole request.
    pub push: Histogram,
    /// The wait for the write transaction (one writer at a time, `Database::write`).
    pub write_lock_wait: Histogram,
}

impl Metrics {
    fn count_request(&self, route: &str, method: &str, status: u16) {
        let mut map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry((route.to_string(), method.to_string(), status))
            .or_insert(0) += 1;
    }

    /// Counts a mutation's outcome (`applied`, `rejected`, `conflict`).
    pub fn count_mutation(&self, name: &str, outcome: &'static str) {
        let mut map = self.mutations.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry((name.to_string(), outcome)).or_insert(0) += 1;
    }

    /// The text of `/metrics`, with the gauges read now.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP centrale_http_requests_total Requêtes HTTP par route, méthode et statut.\n",
        );
        out.push_str("# TYPE centrale_http_requests_total counter\n");
        for ((route, method, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "centrale_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
        self.pull.render(
            &mut out,
            "centrale_pull_duration_seconds",
            "Durée des pull (GET /api/v1/sync/pull).",
        );
        self.push.render(
            &mut out,
            "centrale_push_duration_seconds",
            "Durée des push (POST /api/v1/sync/push).",
        );
        self.write_lock_wait.render(
            &mut out,
            "centrale_write_lock_wait_seconds",
            "Attente du verrou d'écriture avant chaque opération.",
        );
        out.push_str("# HELP centrale_mutations_total Opérations par nom et par issue.\n");
        out.push_str("# TYPE centrale_mutations_total counter\n");
        for ((name, outcome), n) in self
            .mutations
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "centrale_mutations_total{{name=\"{}\",outcome=\"{outcome}\"}} {n}",
                label(name)
            );
        }
        let _ = writeln!(
            out,
            "# HELP centrale_scheduler_overdue 1 quand une échéance (ouverture des offres) est passée sans avoir été traitée.\n# TYPE centrale_scheduler_overdue gauge\ncentrale_scheduler_overdue {}",
            u8::from(gauges.scheduler_overdue)
        );
        let _ = writeln!(
            out,
            "# HELP centrale_mail_waiting Messages en attente d'envoi.\n# TYPE centrale_mail_waiting gauge\ncentrale_mail_waiting {}",
            gauges.mail_waiting
        );
        let _ = writeln!(
            out,
            "# HELP centrale_mail_failed Messages abandonnés après leurs tentatives.\n# TYPE centrale_mail_failed gauge\ncentrale_mail_failed {}",
            gauges.mail_failed
        );
        out
    }
}

/// What `/metrics` reads at the moment it is asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    /// A deadline the scheduler knows is past and not yet processed.
    pub scheduler_overdue: bool,
    /// Messages waiting to be sent.
    pub mail_waiting: i64,
    /// Messages given up.
    pub mail_failed: i64,
}

/// Counts every request by its matched route, and times the pull and the push.
pub async fn count_requests(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let took = started.elapsed();
    match (method.as_str(), route.as_str()) {
        ("GET", "/api/v1/sync/pull") => state.metrics.pull.observe(took),
        ("POST", "/api/v1/sync/push") => state.metrics.push.observe(took),
        _ => {}
    }
    state
        .metrics
        .count_request(&route, &method, response.status().as_u16());
    response
}

fn overdue(next_due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    next_due.is_some_and(|due| due <= now)
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let (mail_waiting, mail_failed) = match state.db.mail_queue_counts().await {
        Ok(counts) => counts,
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the mail queue could not be counted");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de données injoignable\n",
            )
                .into_response();
        }
    };
    let gauges = Gauges {
        scheduler_overdue: overdue(state.scheduler.next_due(), state.clock.now()),
        mail_waiting,
        mail_failed,
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(&gauges),
    )
        .into_response()
}

/// `GET /ready`: 200 when the database answers at this server's schema, 503 otherwise (the
/// load balancer then sends no traffic here, while `/health` still says the process lives).
pub async fn ready(State(state): State<AppState>) -> Response {
    match state.db.schema_version().await {
        Ok(v) if v == centrale_server_db::LATEST_SCHEMA_VERSION => {
            (StatusCode::OK, "prêt\n").into_response()
        }
        Ok(v) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "schéma {v}, ce serveur attend le schéma {} : lancez « centrale-server migrate »\n",
                centrale_server_db::LATEST_SCHEMA_VERSION
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de données injoignable\n",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_written_in_decimal_without_floats() {
        assert_eq!(seconds(5_000), "0.005");
        assert_eq!(seconds(1_000_000), "1");
        assert_eq!(seconds(12_000_301), "12.000301");
        assert_eq!(seconds(2_500_000), "2.5");
    }

    #[test]
    fn a_histogram_is_cumulative_and_sums_its_durations() {
        let h = Histogram::default();
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_millis(30));
        h.observe(Duration::from_secs(20));
        let mut out = String::new();
        h.render(&mut out, "x", "help");
        assert!(out.contains("x_bucket{le=\"0.005\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"0.05\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"10\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("x_sum 20.033\n"), "{out}");
        assert!(out.contains("x_count 3\n"), "{out}");
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
