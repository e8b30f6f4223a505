//! What a no-change pull costs as the change log grows (issue 19 §1), on the backend chosen by
//! the environment (`CENTRALE_TEST_BACKEND`, see `centrale_server_db::testing`).
//!
//! `dg.84009` (Bertrix) is up to date; another commune (Libramont) then has 1,000,000 changes
//! in the log, none visible to Bertrix, written in one bulk transaction (not through the API:
//! the API would take hours). Timed over HTTP on loopback, each the median of many requests:
//!
//! - a no-change pull on the seeded log only (the "empty" log: a few hundred rows);
//! - the first pull of Bertrix after the million rows (its cursor still before them), which
//!   moves its cursor to the high-water mark;
//! - a no-change pull on the 1,000,000-row log, from that mark;
//! - `GET /health` (no database, no authentication): the floor of a request.
//!
//! Printed as `BENCH <name> <value> <unit>` lines, with the ratios the issue sets goals for
//! (1M vs empty ≤ 1.5, vs health ≤ 3). No thresholds here: the bench measures.
//!
//! Run: `cargo bench -p centrale-server --bench pull_no_change` (SQLite), or with
//! `CENTRALE_TEST_BACKEND=postgres CENTRALE_TEST_PG_URL=postgres://…`, or both through
//! `cargo xtask bench`.

use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use centrale_server::{AppState, ManualClock, Settings};
use centrale_server_db::testing::{backend_from_env, bulk_fill_change_log, fresh_database_on};
use common::{bench_time, login, pull};
use serde_json::json;

/// Rows of the other commune put in the log.
const LOG_ROWS: i64 = 1_000_000;
/// Timed requests of each kind; the median (and the 99th percentile) are reported.
const REQUESTS: usize = 2_000;
/// Untimed requests before each series (connections, caches, prepared statements).
const WARM_UP: usize = 200;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("building the Tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let backend = backend_from_env();
    let name = backend.name();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("pull_no_change: {LOG_ROWS} rows on {name}, {cores} cores");
    let (db, _guard) = fresh_database_on(backend).await;
    let now = bench_time();
    centrale_server::seed::seed_demo(&db, now)
        .await
        .expect("seeding the demo data");
    let state = AppState::new(
        db.clone(),
        Arc::new(ManualClock::new(now)),
        Settings::default(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let app = centrale_server::http::router(state);
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serving");
    });
    let client = reqwest::Client::new();
    let token = login(&client, &base, "dg.84009").await;

    // Up to date on the seeded log.
    let mut cursor = 0;
    loop {
        let page = pull(&client, &base, &token, cursor).await;
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    let seeded = cursor;
    let health = series(|| health(&client, &base)).await;
    let empty = series(|| async {
        let page = pull(&client, &base, &token, seeded).await;
        assert!(page.changes.is_empty() && page.next_cursor == seeded);
    })
    .await;

    // A million changes of Libramont, in one transaction.
    let body = json!({
        "id": "bulk", "commune_nis": "84077", "status": "draft",
        "title": "Commande d'une autre commune", "service_id": "e-guichet",
        "needs": {"description": "Lignes de besoin d'une commande typique.", "lines": []}
    });
    let started = Instant::now();
    let mark = bulk_fill_change_log(&db, LOG_ROWS, "84077", &body, now)
        .await
        .expect("filling the change log");
    let fill = started.elapsed();
    eprintln!("filled {LOG_ROWS} rows in {:.1} s", fill.as_secs_f64());

    // Bertrix's cursor is still before them: its next pull is empty and moves it to the mark.
    let behind = series(|| async {
        let page = pull(&client, &base, &token, seeded).await;
        assert!(page.changes.is_empty() && page.next_cursor == mark);
    })
    .await;
    let full = series(|| async {
        let page = pull(&client, &base, &token, mark).await;
        assert!(page.changes.is_empty() && page.next_cursor == mark);
    })
    .await;
    server.abort();

    println!("BENCH machine_cores {cores} cores");
    println!("BENCH pull_nochange_{name}_log_rows {LOG_ROWS} rows");
    println!(
        "BENCH pull_nochange_{name}_fill_rows_per_s {:.0} rows/s",
        LOG_ROWS as f64 / fill.as_secs_f64().max(1e-9)
    );
    for (what, t) in [
        ("health", &health),
        ("pull_nochange_empty_log", &empty),
        ("pull_nochange_1m_log_cursor_behind", &behind),
        ("pull_nochange_1m_log", &full),
    ] {
        println!("BENCH {what}_{name}_median_us {} us", t.median.as_micros());
        println!("BENCH {what}_{name}_p99_us {} us", t.p99.as_micros());
    }
    println!(
        "BENCH pull_nochange_{name}_1m_vs_empty_ratio {} ratio",
        ratio(full.median, empty.median)
    );
    println!(
        "BENCH pull_nochange_{name}_1m_cursor_behind_vs_empty_ratio {} ratio",
        ratio(behind.median, empty.median)
    );
    println!(
        "BENCH pull_nochange_{name}_1m_vs_health_ratio {} ratio",
        ratio(full.median, health.median)
    );
}

struct Timings {
    median: Duration,
    p99: Duration,
}

/// [`WARM_UP`] untimed runs of `request`, then [`REQUESTS`] timed ones, one at a time.
async fn series<F, Fut>(request: F) -> Timings
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..WARM_UP {
        request().await;
    }
    let mut times = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        request().await;
        times.push(started.elapsed());
    }
    times.sort();
    Timings {
        median: times[times.len() / 2],
        p99: times[times.len() * 99 / 100],
    }
}

fn ratio(time: Duration, baseline: Duration) -> String {
    format!(
        "{:.2}",
        time.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    )
}

async fn health(client: &reqwest::Client, base: &str) {
    let response = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("health request");
    assert!(
        response.status().is_success(),
        "health: {}",
        response.status()
    );
    let _ = response.bytes().await;
}
