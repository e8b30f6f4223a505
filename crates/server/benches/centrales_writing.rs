//! Several centrales on one server writing at once (issue 19 §3), on the backend chosen by the
//! environment (`CENTRALE_TEST_BACKEND`, see `centrale_server_db::testing`).
//!
//! One server process hosts 1, 2, then 4 centrales, each over its own fresh database with the
//! demo seed, reached by its host name. The same four commune PCs push `order.create_draft`
//! mutations at once in every run — all four to the one centrale, two to each of two, one to
//! each of four — so the load is the same and only the number of writers' locks changes. The
//! figure is the mutations applied per second, all centrales together; the baseline is the
//! run with one centrale, measured in the same process. Printed as `BENCH <name> <value>
//! <unit>`; no thresholds (a refused mutation does fail: the figure would mean nothing).
//!
//! Run: `cargo bench -p centrale-server --bench centrales_writing`, or through
//! `cargo xtask bench` (SQLite, then PostgreSQL).

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use centrale_domain::order::{NeedLine, OrderNeeds};
use centrale_protocol::mutations::CreateOrderDraft;
use centrale_protocol::records::RecordKind;
use centrale_protocol::MutationEnvelope;
use centrale_server::http::{serve_centrales_until, Centrales};
use centrale_server::{AppState, ManualClock, Settings};
use centrale_server_db::testing::{backend_from_env, fresh_database_on, Guard};
use centrale_server_db::{Backend, Database};
use common::{bench_time, login, pull, push_applied};
use rust_decimal::Decimal;
use uuid::Uuid;

/// The commune PCs pushing at once, in every run.
const PUSHERS: [&str; 4] = ["dg.84009", "dg.84077", "dg.81001", "dg.83034"];
/// Mutations each PC pushes.
const PER_PUSHER: usize = 600;
/// Mutations per push request.
const BATCH: usize = 20;
/// The numbers of centrales compared.
const CENTRALES: [usize; 3] = [1, 2, 4];

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
    eprintln!("centrales_writing on {name}, {cores} cores");
    println!("BENCH machine_cores {cores} cores");
    let mut baseline = None;
    for count in CENTRALES {
        let rate = mutations_per_second(backend, count).await;
        println!("BENCH centrales_writing_{name}_{count}_mutations_per_s {rate:.0} mutations/s");
        let base = *baseline.get_or_insert(rate);
        if count > 1 {
            println!(
                "BENCH centrales_writing_{name}_{count}_vs_1_ratio {:.2} ratio",
                rate / base
            );
        }
    }
}

/// Serves `count` centrales, lets the four PCs push at once, and answers the mutations applied
/// per second.
async fn mutations_per_second(backend: Backend, count: usize) -> f64 {
    let now = bench_time();
    let mut states = Vec::new();
    let mut guards: Vec<Guard> = Vec::new();
    let mut databases: Vec<Database> = Vec::new();
    for _ in 0..count {
        let (db, guard) = fresh_database_on(backend).await;
        centrale_server::seed::seed_demo(&db, now)
            .await
            .expect("seeding the demo data");
        states.push(AppState::new(
            db.clone(),
            Arc::new(ManualClock::new(now)),
            Settings::default(),
        ));
        databases.push(db);
        guards.push(guard);
    }
    let hosts: Vec<String> = (1..=count)
        .map(|i| format!("c{i}.centrale.bench"))
        .collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a loopback port");
    let addr: SocketAddr = listener.local_addr().expect("local address");
    let own = states[0].clone();
    let hosted = hosts
        .iter()
        .cloned()
        .zip(states.iter().cloned())
        .skip(1)
        .collect();
    let server = tokio::spawn(serve_centrales_until(
        listener,
        Centrales::new(own, hosted),
        std::future::pending(),
    ));

    // Each PC to its centrale, signed in and with its mutations built before timing.
    let mut pcs = Vec::new();
    for (i, username) in PUSHERS.iter().enumerate() {
        let host = &hosts[i % count];
        let client = reqwest::Client::builder()
            .resolve(host, addr)
            .timeout(Duration::from_secs(600))
            .build()
            .expect("an HTTP client");
        let base = format!("http://{host}:{}", addr.port());
        let token = login(&client, &base, username).await;
        let service_id = service_of(&client, &base, &token).await;
        pcs.push((client, base, token, batches(service_id)));
    }

    let started = Instant::now();
    let pushes: Vec<_> = pcs
        .into_iter()
        .map(|(client, base, token, batches)| {
            tokio::spawn(async move {
                let client_id = Uuid::now_v7();
                for batch in batches {
                    push_applied(&client, &base, &token, client_id, batch).await;
                }
            })
        })
        .collect();
    for push in pushes {
        push.await.expect("a PC's pushes");
    }
    let elapsed = started.elapsed();
    let total = PUSHERS.len() * PER_PUSHER;
    eprintln!(
        "{count} centrale(s): {total} mutations in {:.2} s",
        elapsed.as_secs_f64()
    );
    server.abort();
    for db in databases {
        db.close().await;
    }
    drop(guards);
    total as f64 / elapsed.as_secs_f64().max(1e-9)
}

/// The id of the e-guichet service, as the PC pulls it.
async fn service_of(client: &reqwest::Client, base: &str, token: &str) -> Uuid {
    let mut cursor = 0;
    loop {
        let page = pull(client, base, token, cursor).await;
        if let Some(change) = page
            .changes
            .iter()
            .find(|c| c.kind == RecordKind::Service && c.record["code"] == "e-guichet")
        {
            return Uuid::parse_str(&change.id).expect("a service id");
        }
        assert!(page.has_more, "the e-guichet service is in the demo data");
        cursor = page.next_cursor;
    }
}

/// One PC's drafts, in push requests of [`BATCH`].
fn batches(service_id: Uuid) -> Vec<Vec<MutationEnvelope>> {
    let need = |code: &str, quantity: i64| NeedLine {
        price_line_code: code.to_string(),
        quantity: Decimal::from(quantity),
        note: String::new(),
    };
    let mutations: Vec<MutationEnvelope> = (0..PER_PUSHER)
        .map(|i| MutationEnvelope {
            mutation_id: Uuid::now_v7(),
            client_seq: i as i64 + 1,
            name: "order.create_draft".to_string(),
            base_version: None,
            payload: serde_json::to_value(CreateOrderDraft {
                order_id: Uuid::now_v7(),
                service_id,
                title: format!("E-guichet état civil 2027 ({})", i + 1),
                needs: OrderNeeds {
                    description: "E-guichet pour les actes d'état civil et de population."
                        .to_string(),
                    lines: vec![need("setup", 1), need("licence", 9)],
                    sites: vec!["Maison communale".to_string()],
                    desired_start: None,
                    desired_go_live: None,
                    budget: None,
                },
                pool_id: None,
            })
            .expect("serialising a draft"),
            second_factor: None,
        })
        .collect();
    mutations.chunks(BATCH).map(<[_]>::to_vec).collect()
}
