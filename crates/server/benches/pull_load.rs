//! Load held (issue 19 §2): many commune PCs pulling, each with its own account and token, over
//! a change log of 1,000,000 rows, while 20 mutations per second are pushed — measured by a
//! real load generator, `wrk` (Debian package `wrk`; `cargo xtask bench` installs it), against
//! the server on loopback built in the bench's (release) profile.
//!
//! What runs:
//! - the demo data, then 1,000,000 changes of Libramont (84077) in the log in one bulk
//!   transaction (as in `pull_no_change`);
//! - every commune account of the demo but Libramont's (directors general, mayors, agents and
//!   aldermen of every commune of the province) signs in
//!   and pulls up to the log's high-water mark: each has its own token and cursor;
//! - `wrk` cycles over those accounts, each request a no-change pull with its account's token
//!   and cursor (a Lua script written here), with [`CONNECTIONS`] connections for
//!   [`DURATION_S`] seconds, one thread (the server keeps the other core);
//! - meanwhile a task pushes [`MUTATIONS_PER_S`] mutations per second (drafts of Libramont's
//!   Bertrix's director general, through `/api/v1/sync/push`), a commune none of
//!   the pulling accounts belongs to, so that their pulls stay no-change pulls;
//! - the baseline, in the same run and with the same `wrk` settings: `GET /health`.
//!
//! Printed as `BENCH` lines: pulls per second, p50 and p99 latency, the mutations actually
//! applied per second, the core count, and the ratio to `/health`'s throughput. No threshold
//! here: the bench measures (the goal: ≥ 3,000 pulls/s with p99 < 50 ms).
//!
//! Run: `cargo bench -p centrale-server --bench pull_load` (SQLite), or with
//! `CENTRALE_TEST_BACKEND=postgres CENTRALE_TEST_PG_URL=postgres://…`, or both through
//! `cargo xtask bench`.

use std::fmt::Write as _;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use centrale_protocol::{PushResponse, PROTOCOL_HEADER, PROTOCOL_VERSION};
mod common;

use centrale_server::{AppState, ManualClock, Settings};
use centrale_server_db::testing::{backend_from_env, bulk_fill_change_log, fresh_database_on};
use common::{bench_time, login, pull};
use serde_json::json;
use uuid::Uuid;

/// Rows of the other commune put in the log.
const LOG_ROWS: i64 = 1_000_000;
/// The commune whose rows fill the log.
const BUSY_COMMUNE: &str = "84077";
/// The commune whose director general pushes drafts during the load (not among the pullers,
/// so that every pull stays a no-change pull).
const PUSHING_COMMUNE: &str = "84009";
/// Accounts added in every commune of the province (beside the demo's own).
const AGENTS_PER_COMMUNE: u32 = 3;
/// Open connections of `wrk`.
const CONNECTIONS: u32 = 32;
/// Seconds of each `wrk` run.
const DURATION_S: u32 = 20;
/// Mutations pushed per second during the pull load.
const MUTATIONS_PER_S: u64 = 20;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("building the Tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    if Command::new("wrk").arg("--version").output().is_err() {
        panic!(
            "pull_load needs the load generator wrk: `apt-get install wrk` (cargo xtask bench installs it)"
        );
    }
    let backend = backend_from_env();
    let name = backend.name();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    eprintln!("pull_load: {LOG_ROWS} rows on {name}, {cores} cores");
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

    let body = json!({
        "id": "bulk", "commune_nis": BUSY_COMMUNE, "status": "draft",
        "title": "Commande d'une autre commune", "service_id": "e-guichet",
        "needs": {"description": "Lignes de besoin d'une commande typique.", "lines": []}
    });
    let started = Instant::now();
    // `CENTRALE_LOAD_ROWS` sets a smaller log, to compare (e.g. how a write's cost grows).
    let rows = std::env::var("CENTRALE_LOAD_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(LOG_ROWS);
    bulk_fill_change_log(&db, rows, BUSY_COMMUNE, &body, now)
        .await
        .expect("filling the change log");
    eprintln!(
        "filled {LOG_ROWS} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // Every commune account but the busy commune's, each up to date with its own token.
    let catalogue = centrale_server::seed::demo_catalogue(now).expect("the demo catalogue");
    let mut usernames: Vec<String> = centrale_server::seed::demo_accounts(&catalogue.providers)
        .into_iter()
        .filter(|a| {
            a.commune_nis
                .as_deref()
                .is_some_and(|n| n != BUSY_COMMUNE && n != PUSHING_COMMUNE)
        })
        .map(|a| a.username)
        .collect();
    // The demo has accounts in a few communes only: [`AGENTS_PER_COMMUNE`] more in every
    // commune of the province, as its secretaries' PCs would be.
    let hash = centrale_server::auth::hash_password("demo").expect("hashing");
    let communes = db
        .list_records(centrale_protocol::records::RecordKind::Commune.as_str())
        .await
        .expect("the communes");
    for row in communes
        .iter()
        .filter(|r| r.id != BUSY_COMMUNE && !r.deleted)
    {
        for i in 1..=AGENTS_PER_COMMUNE {
            let username = format!("charge{i}.{}", row.id);
            db.insert_user(&centrale_server_db::NewUser {
                id: Uuid::now_v7().to_string(),
                username: username.clone(),
                display_name: format!("Agent {i} de {}", row.id),
                role: "commune_staff".into(),
                commune_nis: Some(row.id.clone()),
                provider_id: None,
                password_hash: hash.clone(),
                is_demo: true,
                created_at: now,
                gender: "unspecified".into(),
                email: None,
                alderman: false,
                alderman_rank: None,
            })
            .await
            .expect("an account");
            usernames.push(username);
        }
    }
    let mut accounts: Vec<(String, i64)> = Vec::new();
    for username in &usernames {
        {
            let token = login(&client, &base, username).await;
            let mut cursor = 0;
            loop {
                let page = pull(&client, &base, &token, cursor).await;
                cursor = page.next_cursor;
                if !page.has_more {
                    break;
                }
            }
            accounts.push((token, cursor));
        }
    }
    eprintln!("{} accounts signed in and up to date", accounts.len());
    let dir = tempfile::tempdir().expect("a folder for the wrk script");
    let script = dir.path().join("pulls.lua");
    std::fs::write(&script, lua_script(&accounts)).expect("writing the wrk script");

    // Baseline: the floor of a request, with the same load generator and settings.
    let health = wrk(&format!("{base}/health"), None);

    // The pull load, while a task pushes mutations of the busy commune.
    let pushed = Arc::new(AtomicU64::new(0));
    let pusher = {
        let client = client.clone();
        let base = base.clone();
        let pushed = pushed.clone();
        let token = login(&client, &base, &format!("dg.{PUSHING_COMMUNE}")).await;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(1000 / MUTATIONS_PER_S));
            let mut seq = 0;
            loop {
                tick.tick().await;
                seq += 1;
                if push_draft(&client, &base, &token, seq).await {
                    pushed.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let load_started = Instant::now();
    let pulls = tokio::task::spawn_blocking({
        let base = base.clone();
        let script = script.clone();
        move || wrk(&format!("{base}/api/v1/sync/pull"), Some(&script))
    })
    .await
    .expect("the wrk run");
    let load_time = load_started.elapsed();
    pusher.abort();
    server.abort();
    let mutations_per_s = pushed.load(Ordering::Relaxed) as f64 / load_time.as_secs_f64();

    println!("BENCH machine_cores {cores} cores");
    println!("BENCH pull_load_{name}_log_rows {rows} rows");
    println!(
        "BENCH pull_load_{name}_accounts {} accounts",
        accounts.len()
    );
    println!("BENCH pull_load_{name}_connections {CONNECTIONS} connections");
    println!(
        "BENCH pull_load_{name}_pulls_per_s {:.0} requests/s",
        pulls.requests_per_s
    );
    println!("BENCH pull_load_{name}_p50_ms {:.2} ms", pulls.p50_ms);
    println!("BENCH pull_load_{name}_p99_ms {:.2} ms", pulls.p99_ms);
    println!("BENCH pull_load_{name}_errors {} responses", pulls.errors);
    println!("BENCH pull_load_{name}_mutations_per_s {mutations_per_s:.1} mutations/s");
    println!(
        "BENCH pull_load_{name}_health_per_s {:.0} requests/s",
        health.requests_per_s
    );
    println!(
        "BENCH pull_load_{name}_vs_health_throughput_ratio {:.2} ratio",
        pulls.requests_per_s / health.requests_per_s.max(1e-9)
    );
}

/// What `wrk` measured.
struct Load {
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Non-2xx answers and socket errors.
    errors: u64,
}

/// Runs `wrk` against `url` (with `script` choosing each request), one thread.
fn wrk(url: &str, script: Option<&std::path::Path>) -> Load {
    let mut command = Command::new("wrk");
    command.args([
        "-t1",
        &format!("-c{CONNECTIONS}"),
        &format!("-d{DURATION_S}s"),
        "--latency",
        "--timeout",
        "5s",
    ]);
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.arg(url);
    let output = command.output().expect("running wrk");
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "wrk failed: {text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{text}");
    parse_wrk(&text)
}

/// Reads `wrk --latency`'s report.
fn parse_wrk(text: &str) -> Load {
    let mut load = Load {
        requests_per_s: 0.0,
        p50_ms: f64::NAN,
        p99_ms: f64::NAN,
        errors: 0,
    };
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => load.requests_per_s = value.parse().unwrap_or(0.0),
            ["50%", value] => load.p50_ms = millis(value),
            ["99%", value] => load.p99_ms = millis(value),
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                load.errors += n.parse::<u64>().unwrap_or(0);
            }
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    load
}

/// `wrk`'s durations: `812.00us`, `1.23ms`, `2.10s`.
fn millis(value: &str) -> f64 {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (value, 1.0)
    };
    number.parse::<f64>().map_or(f64::NAN, |n| n * factor)
}

/// The Lua script: each request the next account's no-change pull, with its token and cursor.
fn lua_script(accounts: &[(String, i64)]) -> String {
    let mut s = String::from("local accounts = {\n");
    for (token, cursor) in accounts {
        let _ = writeln!(s, "  {{\"{token}\", {cursor}}},");
    }
    let _ = write!(
        s,
        "}}\nlocal i = 0\nrequest = function()\n  i = i % #accounts + 1\n  local a = accounts[i]\n  return wrk.format(\"GET\", \"/api/v1/sync/pull?cursor=\" .. a[2] .. \"&limit=500\", {{[\"Authorization\"] = \"Bearer \" .. a[1], [\"{PROTOCOL_HEADER}\"] = \"{PROTOCOL_VERSION}\"}})\nend\n"
    );
    s
}

/// One draft order of the busy commune's agent; true when applied.
async fn push_draft(client: &reqwest::Client, base: &str, token: &str, seq: i64) -> bool {
    let order_id = Uuid::now_v7();
    let body = json!({
        "protocol_version": PROTOCOL_VERSION,
        "client_id": Uuid::from_u128(0xbe7c),
        "mutations": [{
            "mutation_id": Uuid::now_v7(),
            "client_seq": seq,
            "name": "order.create_draft",
            "base_version": null,
            "payload": {
                "order_id": order_id,
                "service_id": centrale_server::seed::demo_service_id("e-guichet"),
                "title": format!("Brouillon de charge {seq}"),
                "needs": {"description": "Besoin pendant la charge.", "lines": [{"price_line_code": "setup", "quantity": "1"}]},
            },
        }],
    });
    let Ok(response) = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .json(&body)
        .send()
        .await
    else {
        return false;
    };
    match response.json::<PushResponse>().await {
        Ok(r) => {
            let applied = r
                .results
                .first()
                .is_some_and(|m| m.status == centrale_protocol::MutationStatus::Applied);
            if !applied && seq <= 3 {
                eprintln!(
                    "push refused: {:?}",
                    r.results.first().map(|m| (&m.code, &m.message))
                );
            }
            applied
        }
        Err(e) => {
            if seq <= 3 {
                eprintln!("push answer unreadable: {e}");
            }
            false
        }
    }
}
