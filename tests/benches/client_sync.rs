//! How fast a commune PC syncs, on the backend chosen by the environment
//! (`CENTRALE_TEST_BACKEND`, see `centrale_server_db::testing`).
//!
//! - initial sync: a fresh cache pulls 10,000 and then 100,000 orders of its commune over
//!   loopback, through the real server, sync client and store; the baseline, measured in the
//!   same run, is a raw rusqlite bulk insert of the same rows (one transaction, one prepared
//!   statement) into a fresh file with the cache's own schema;
//! - incremental sync when nothing changed (one round trip to pull an empty page): the
//!   baseline is a plain `GET /health` round trip on the same server.
//!
//! The records are put into the server straight through `centrale-server-db` (a template
//! order written once through the API, copied under new ids), not through 100,000 mutations.
//! Every figure is printed on stdout as `BENCH <name> <value> <unit>`; progress goes to
//! stderr. No thresholds: the bench measures, it never fails on speed.
//!
//! Run: `cargo bench -p centrale-tests --bench client_sync`.

use std::time::{Duration, Instant};

use centrale_protocol::{PROTOCOL_HEADER, PROTOCOL_VERSION};
use centrale_server_db::testing::{backend_from_env, fresh_database_on};
use centrale_server_db::{Backend, Database, RecordRow, RecordWrite};
use centrale_sync::SyncConfig;
use centrale_tests::mutations as m;
use centrale_tests::{t0, TestClient, TestServer, DG};
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use uuid::Uuid;

/// Sizes of the initial syncs.
const SIZES: [usize; 2] = [10_000, 100_000];
/// Records per raw server write transaction.
const PUT_BATCH: usize = 1_000;
/// Timed incremental syncs and health round trips; the medians are reported.
const ROUND_TRIPS: usize = 200;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("building the Tokio runtime");
    runtime.block_on(run(backend_from_env()));
}

async fn run(backend: Backend) {
    let name = backend.name();
    eprintln!("client_sync on {name}");
    let (db, _guard) = fresh_database_on(backend).await;
    centrale_server::seed::seed_demo(&db, t0())
        .await
        .expect("seeding the demo data");
    let server = TestServer::serve(db.clone(), None).await;
    let login = server.login(DG).await;

    // One order through the API: the template of every other.
    let template_id = Uuid::now_v7();
    server
        .apply(
            DG,
            m::create_draft(template_id, "E-guichet état civil 2027"),
        )
        .await;
    let template = db
        .get_record("order", &template_id.to_string())
        .await
        .expect("reading the template order")
        .expect("the template order exists");

    let mut ids: Vec<Uuid> = Vec::new();
    let mut last_client = None;
    for size in SIZES {
        let started = Instant::now();
        let new_ids: Vec<Uuid> = (ids.len()..size).map(|_| Uuid::now_v7()).collect();
        put_orders(&db, &template, &new_ids).await;
        ids.extend(new_ids);
        eprintln!(
            "server: {size} orders written in {:.1} s",
            started.elapsed().as_secs_f64()
        );

        let client = TestClient::new(SyncConfig::new(&server.base), &login);
        let started = Instant::now();
        let report = client.sync().await;
        let sync_time = started.elapsed();
        assert!(
            report.changes > size,
            "every order pulled ({} changes)",
            report.changes
        );
        let rows = cache_rows(&client);
        assert_eq!(rows.len(), report.changes, "every change stored");
        let raw_time = raw_insert(&rows);
        eprintln!(
            "{size}: initial sync {} changes in {:.2} s ({} pages), raw insert {:.2} s",
            report.changes,
            sync_time.as_secs_f64(),
            report.pages,
            raw_time.as_secs_f64()
        );
        let k = size / 1000;
        println!(
            "BENCH initial_sync_{k}k_{name}_records_per_s {} records/s",
            rate(report.changes, sync_time)
        );
        println!(
            "BENCH raw_insert_{k}k_records_per_s {} records/s",
            rate(rows.len(), raw_time)
        );
        println!(
            "BENCH initial_sync_{k}k_vs_raw_insert_ratio {} ratio",
            ratio(sync_time, raw_time)
        );
        last_client = Some(client);
    }

    // Nothing changed: one pull of an empty page, against a health check.
    let client = last_client.expect("a synced client");
    let http = reqwest::Client::new();
    let health = server.url("/health");
    let mut syncs = Vec::with_capacity(ROUND_TRIPS);
    let mut checks = Vec::with_capacity(ROUND_TRIPS);
    for _ in 0..ROUND_TRIPS {
        let started = Instant::now();
        let report = client.sync().await;
        syncs.push(started.elapsed());
        assert_eq!((report.pages, report.changes, report.applied), (1, 0, 0));
        let started = Instant::now();
        let response = http
            .get(&health)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .send()
            .await
            .expect("health request");
        assert!(response.status().is_success());
        let _: Value = response.json().await.expect("health body");
        checks.push(started.elapsed());
    }
    let sync = median(syncs);
    let check = median(checks);
    println!(
        "BENCH incremental_sync_noop_{name}_median_us {} us",
        sync.as_micros()
    );
    println!("BENCH health_roundtrip_median_us {} us", check.as_micros());
    println!(
        "BENCH incremental_sync_noop_vs_health_roundtrip_ratio {} ratio",
        ratio(sync, check)
    );
}

/// Copies of the template order under `ids`, written straight into the server's storage.
async fn put_orders(db: &Database, template: &RecordRow, ids: &[Uuid]) {
    for batch in ids.chunks(PUT_BATCH) {
        let mut tx = db.write().await.expect("opening a write");
        for id in batch {
            tx.put_record(&RecordWrite {
                kind: template.kind.clone(),
                id: id.to_string(),
                version: 1,
                deleted: false,
                parent_id: template.parent_id.clone(),
                body: order_body(&template.body, *id),
                format_version: template.format_version,
                visibility: template.visibility.clone(),
                updated_at: template.updated_at,
            })
            .await
            .expect("writing an order");
        }
        tx.commit().await.expect("committing the orders");
    }
}

fn order_body(template: &Value, id: Uuid) -> Value {
    let mut body = template.clone();
    body["id"] = json!(id);
    body["title"] = json!(format!("E-guichet état civil 2027 ({id})"));
    body
}

type Row = (String, String, i64, String, Option<String>, Option<String>);

/// The rows the sync stored, exactly as stored.
fn cache_rows(client: &TestClient) -> Vec<Row> {
    client
        .store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT kind, id, version, body, commune_nis, parent_id FROM record")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<Row>>>()?;
            Ok(rows)
        })
        .expect("reading the cache")
}

/// The same rows into a fresh file with the cache's whole schema and pragmas: one transaction, one
/// prepared statement.
fn raw_insert(rows: &[Row]) -> Duration {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("raw.db");
    // Every migration of the cache (its summary tables and their triggers too: issue 19 §4),
    // then a plain connection.
    drop(centrale_store::Store::open(&path).expect("the cache's schema"));
    let conn = Connection::open(&path).expect("raw database");
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
        .expect("pragmas");
    let started = Instant::now();
    let tx = conn.unchecked_transaction().expect("transaction");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO record (kind, id, version, deleted, body, commune_nis, parent_id)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)",
            )
            .expect("prepared insert");
        for (kind, id, version, body, commune, parent) in rows {
            insert
                .execute(params![kind, id, version, body, commune, parent])
                .expect("raw insert");
        }
    }
    tx.commit().expect("commit");
    started.elapsed()
}

fn rate(count: usize, time: Duration) -> String {
    format!("{:.0}", count as f64 / time.as_secs_f64().max(1e-9))
}

fn ratio(time: Duration, baseline: Duration) -> String {
    format!(
        "{:.2}",
        time.as_secs_f64() / baseline.as_secs_f64().max(1e-9)
    )
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
