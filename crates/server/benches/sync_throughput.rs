//! Sync throughput of one commune with 10,000 records, on the backend chosen by the
//! environment (`CENTRALE_TEST_BACKEND`, see `centrale_server_db::testing`).
//!
//! - push: `dg.84009` pushes 10,000 `order.create_draft` mutations over HTTP, 200 per request;
//! - pull: `dg.84009` pulls everything it sees from cursor 0, 1,000 changes per page.
//!
//! Absolute figures depend on the machine, so each is also given as a ratio against a baseline
//! measured in the same run on the same backend: the same number of raw
//! `WriteTx::put_record` calls (transactions of 200, no HTTP, no rules, no audit) for the push,
//! and raw `Database::pull_page` reads of the same rows for the pull. Every figure is printed
//! on stdout as `BENCH <name> <value> <unit>`; progress goes to stderr. No thresholds: the
//! bench measures, it never fails on speed (it does fail if a mutation is refused, since the
//! figures would then mean nothing).
//!
//! Run: `cargo bench -p centrale-server --bench sync_throughput` (SQLite), or with
//! `CENTRALE_TEST_BACKEND=postgres CENTRALE_TEST_PG_URL=postgres://…` (PostgreSQL), or both
//! through `cargo xtask bench`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use centrale_domain::order::{NeedLine, OrderNeeds};
use centrale_protocol::mutations::CreateOrderDraft;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{MutationEnvelope, PullResponse, PROTOCOL_HEADER, PROTOCOL_VERSION};
use centrale_server::{AppState, ManualClock, Settings};
use centrale_server_db::testing::{backend_from_env, fresh_database_on};
use centrale_server_db::{Backend, Database, RecordWrite, Viewer, Visibility};
use chrono::{DateTime, Utc};
use common::bench_time;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

/// Records written and then pulled.
const RECORDS: usize = 10_000;
/// Mutations per push request, and records per raw write transaction.
const BATCH: usize = 200;
/// Changes per pull page, HTTP and raw.
const PAGE: u32 = 1_000;
/// Timed pulls (HTTP and raw each); the median is reported.
const PULL_RUNS: usize = 5;
/// Timed raw writes, each on a fresh database; the median is reported.
const RAW_PUT_RUNS: usize = 3;
/// The commune whose director general pushes and pulls.
const COMMUNE_NIS: &str = "84009";
const USERNAME: &str = "dg.84009";
/// The catalogue service ordered (its price lines are in `seed/catalogue.json`).
const SERVICE_CODE: &str = "e-guichet";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("building the Tokio runtime");
    runtime.block_on(run(backend_from_env()));
}

async fn run(backend: Backend) {
    let name = backend.name();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("sync_throughput: {RECORDS} records on {name}, {cores} cores");

    // The served database: migrated, seeded with the demo, behind the real router.
    let (db, _guard) = fresh_database_on(backend).await;
    let now = bench_time();
    centrale_server::seed::seed_demo(&db, now)
        .await
        .expect("seeding the demo data");
    let server = Server::start(db.clone(), now).await;
    let token = server.login(USERNAME).await;

    // What the commune sees before the bench: the catalogue, its own commune, …
    let (before, _) = server.pull_all(&token).await;
    let service_id = before
        .iter()
        .find(|c| c.0 == RecordKind::Service && c.2["code"] == SERVICE_CODE)
        .map(|c| Uuid::parse_str(&c.1).expect("service id is a UUID"))
        .unwrap_or_else(|| panic!("service {SERVICE_CODE} not found in the demo data"));
    eprintln!(
        "seeded: {} changes visible to {USERNAME}, service {SERVICE_CODE} = {service_id}",
        before.len()
    );

    // Push: 10,000 drafts through HTTP, the engine, the rules, the audit log.
    let batches = draft_batches(service_id);
    let client_id = Uuid::now_v7();
    let started = Instant::now();
    for batch in batches {
        server.push(&token, client_id, batch).await;
    }
    let push_time = started.elapsed();
    eprintln!("push: {RECORDS} mutations in {}", secs(push_time));

    // Pull: warm the caches once with a raw read (untimed), then time HTTP and raw reads in
    // turn, [`PULL_RUNS`] times each, and keep the median of each (one pull is short: a
    // single run would be mostly noise).
    let viewer = Viewer {
        centrale: false,
        commune: Some(COMMUNE_NIS.to_string()),
        provider: None,
    };
    let _ = raw_read_all(&db, &viewer).await;
    let mut pull_times = Vec::with_capacity(PULL_RUNS);
    let mut raw_read_times = Vec::with_capacity(PULL_RUNS);
    let mut last_pull = None;
    let mut raw_rows = 0;
    for _ in 0..PULL_RUNS {
        let started = Instant::now();
        let pulled = server.pull_all(&token).await;
        pull_times.push(started.elapsed());
        last_pull = Some(pulled);
        let started = Instant::now();
        raw_rows = raw_read_all(&db, &viewer).await;
        raw_read_times.push(started.elapsed());
    }
    let (changes, pages) = last_pull.expect("at least one pull");
    let pulled = changes.len();
    let pull_time = median(pull_times);
    let raw_read_time = median(raw_read_times);
    eprintln!(
        "pull: {pulled} changes in {pages} pages, median of {PULL_RUNS} runs {}",
        secs(pull_time)
    );
    eprintln!(
        "raw read: {raw_rows} rows, median of {PULL_RUNS} runs {}",
        secs(raw_read_time)
    );

    let orders: Vec<(String, Value)> = changes
        .into_iter()
        .filter(|c| c.0 == RecordKind::Order)
        .map(|c| (c.1, c.2))
        .collect();
    if orders.len() != RECORDS {
        panic!(
            "expected {RECORDS} orders in the pull, got {}: the push or the pull lost records",
            orders.len()
        );
    }
    server.stop();
    db.close().await;

    // Raw writes: the same documents, straight into a fresh database of the same backend,
    // [`RAW_PUT_RUNS`] times (a new database each time), median kept: with only 50 commits a
    // run, one slow disk flush would otherwise move the baseline.
    let mut raw_put_times = Vec::with_capacity(RAW_PUT_RUNS);
    for _ in 0..RAW_PUT_RUNS {
        let (raw_db, raw_guard) = fresh_database_on(backend).await;
        let started = Instant::now();
        raw_put_all(&raw_db, &orders, now).await;
        raw_put_times.push(started.elapsed());
        raw_db.close().await;
        drop(raw_guard);
    }
    let raw_put_time = median(raw_put_times);
    eprintln!(
        "raw put: {RECORDS} records, median of {RAW_PUT_RUNS} runs {}",
        secs(raw_put_time)
    );

    println!("BENCH machine_cores {cores} cores");
    println!("BENCH {name}_records {RECORDS} records");
    println!(
        "BENCH push_{name}_mutations_per_s {} mutations/s",
        rate(RECORDS, push_time)
    );
    println!(
        "BENCH raw_put_{name}_records_per_s {} records/s",
        rate(RECORDS, raw_put_time)
    );
    println!(
        "BENCH push_{name}_vs_raw_put_ratio {} ratio",
        ratio(push_time, raw_put_time)
    );
    println!(
        "BENCH pull_{name}_changes_per_s {} changes/s",
        rate(pulled, pull_time)
    );
    println!(
        "BENCH raw_read_{name}_rows_per_s {} rows/s",
        rate(raw_rows, raw_read_time)
    );
    println!(
        "BENCH pull_{name}_vs_raw_read_ratio {} ratio",
        ratio(pull_time, raw_read_time)
    );
}

/// `count / time`, two decimals.
fn rate(count: usize, time: Duration) -> String {
    format!("{:.2}", count as f64 / time.as_secs_f64().max(1e-9))
}

/// `time / baseline`, two decimals.
fn ratio(time: Duration, baseline: Duration) -> String {
    format!(
        "{:.2}",
        time.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    )
}

/// The middle value of a few timings.
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}

/// The 10,000 `order.create_draft` mutations, in batches of [`BATCH`], built before timing.
fn draft_batches(service_id: Uuid) -> Vec<Vec<MutationEnvelope>> {
    let mutations: Vec<MutationEnvelope> = (0..RECORDS)
        .map(|i| {
            let payload = CreateOrderDraft {
                order_id: Uuid::now_v7(),
                service_id,
                title: format!("E-guichet état civil 2027 ({})", i + 1),
                needs: OrderNeeds {
                    description: "E-guichet pour les actes d'état civil et de population, \
                                  pour 2 agents, avec paiement en ligne des redevances."
                        .to_string(),
                    lines: vec![
                        need("setup", 1),
                        need("licence", 9),
                        need("baec", 1),
                        need("training", 2),
                    ],
                    sites: vec!["Maison communale".to_string()],
                    desired_start: None,
                    desired_go_live: None,
                    budget: None,
                },
                pool_id: None,
            };
            MutationEnvelope {
                mutation_id: Uuid::now_v7(),
                client_seq: i as i64 + 1,
                name: "order.create_draft".to_string(),
                base_version: None,
                payload: serde_json::to_value(&payload).expect("serialising a draft"),
                second_factor: None,
            }
        })
        .collect();
    mutations.chunks(BATCH).map(<[_]>::to_vec).collect()
}

fn need(code: &str, quantity: i64) -> NeedLine {
    NeedLine {
        price_line_code: code.to_string(),
        quantity: Decimal::from(quantity),
        note: String::new(),
    }
}

/// Every change visible to `viewer`, read straight from storage a page at a time.
async fn raw_read_all(db: &Database, viewer: &Viewer) -> usize {
    let mut cursor = 0;
    let mut rows = 0;
    loop {
        let page = db
            .pull_page(viewer, cursor, i64::from(PAGE))
            .await
            .expect("raw pull_page")
            .changes;
        rows += page.len();
        match page.last() {
            Some(last) if page.len() == PAGE as usize => cursor = last.seq,
            _ => return rows,
        }
    }
}

/// The orders written straight into storage, [`BATCH`] per transaction.
async fn raw_put_all(db: &Database, orders: &[(String, Value)], now: DateTime<Utc>) {
    for batch in orders.chunks(BATCH) {
        let mut tx = db.write().await.expect("opening a raw write");
        for (id, body) in batch {
            let record = RecordWrite {
                kind: RecordKind::Order.as_str().to_string(),
                id: id.clone(),
                version: 1,
                deleted: false,
                parent_id: Some(COMMUNE_NIS.to_string()),
                body: body.clone(),
                format_version: RecordKind::Order.format_version(),
                visibility: Visibility {
                    public: false,
                    centrale: true,
                    commune: Some(COMMUNE_NIS.to_string()),
                    provider: None,
                },
                updated_at: now,
            };
            tx.put_record(&record).await.expect("raw put_record");
        }
        tx.commit().await.expect("committing a raw write");
    }
}

/// The router served on a loopback port, and an HTTP client speaking to it.
struct Server {
    base: String,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(db: Database, now: DateTime<Utc>) -> Server {
        let clock = Arc::new(ManualClock::new(now));
        let state = AppState::new(db, clock, Settings::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a loopback port");
        let addr = listener.local_addr().expect("local address");
        let app = centrale_server::http::router(state);
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serving");
        });
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()
            .expect("building the HTTP client");
        Server {
            base: format!("http://{addr}"),
            client,
            task,
        }
    }

    fn stop(self) {
        self.task.abort();
    }

    async fn login(&self, username: &str) -> String {
        common::login(&self.client, &self.base, username).await
    }

    /// Pushes one batch; panics unless every mutation is applied.
    async fn push(&self, token: &str, client_id: Uuid, mutations: Vec<MutationEnvelope>) {
        common::push_applied(&self.client, &self.base, token, client_id, mutations).await;
    }

    /// Every change visible to the caller from cursor 0, as (kind, id, record), and the
    /// number of pages.
    async fn pull_all(&self, token: &str) -> (Vec<(RecordKind, String, Value)>, usize) {
        let mut cursor = 0;
        let mut changes = Vec::new();
        let mut pages = 0;
        loop {
            let response = self
                .client
                .get(format!("{}/api/v1/sync/pull", self.base))
                .bearer_auth(token)
                .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
                .query(&[("cursor", cursor.to_string()), ("limit", PAGE.to_string())])
                .send()
                .await
                .expect("pull request");
            let status = response.status();
            if !status.is_success() {
                let body = response.text().await.unwrap_or_default();
                panic!("pull from cursor {cursor} failed ({status}): {body}");
            }
            let page: PullResponse = response.json().await.expect("pull response");
            pages += 1;
            cursor = page.next_cursor;
            changes.extend(page.changes.into_iter().map(|c| (c.kind, c.id, c.record)));
            if !page.has_more {
                return (changes, pages);
            }
        }
    }
}
