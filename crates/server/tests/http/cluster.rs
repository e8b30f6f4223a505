//! Issue 19 §3: two server processes over one database (PostgreSQL in production; the same
//! test runs on SQLite), commune PCs pushing to both at once while a centrale PC pulls from
//! both; one process is killed with SIGKILL in the middle. Nothing is lost (every mutation is
//! applied), nothing is duplicated (each once, in the records and in the audit chain), and no
//! cursor skips anything (the pull that followed the whole run, page by page across both
//! processes, saw every change, in order, once).

use std::collections::{BTreeMap, HashSet};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use centrale_protocol::records::RecordKind;
use centrale_protocol::{
    MutationEnvelope, MutationStatus, PullResponse, PushRequest, PushResponse, PROTOCOL_HEADER,
    PROTOCOL_VERSION,
};
use uuid::Uuid;

use crate::cli::{command, serving};
use crate::common::*;

/// The commune PCs pushing at once.
const PUSHERS: [&str; 3] = ["dg.84009", "dg.84077", "dg.81001"];
/// Push requests per PC, and mutations per request.
const BATCHES: usize = 24;
const BATCH: usize = 5;

/// A server process over `database_url`, and its address once it listens (its log is not
/// kept: nobody would read it, and a full pipe would stop the server).
fn serve_process(database_url: &str) -> (Child, String) {
    let (child, _stdout, addr) = serving(
        command(database_url)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stderr(Stdio::null()),
    );
    (child, addr)
}

/// A push request to `base`; `None` when the process does not answer (killed).
async fn try_push(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    request: &PushRequest,
) -> Option<PushResponse> {
    let response = http
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .json(request)
        .send()
        .await
        .ok()?;
    let status = response.status();
    let text = response.text().await.ok()?;
    assert!(status.is_success(), "push refused ({status}): {text}");
    Some(serde_json::from_str(&text).expect("a push answer"))
}

/// A pull page from `base`; `None` when the process does not answer (killed).
async fn try_pull(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    cursor: i64,
) -> Option<PullResponse> {
    let response = http
        .get(format!("{base}/api/v1/sync/pull?cursor={cursor}&limit=7"))
        .bearer_auth(token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .send()
        .await
        .ok()?;
    let status = response.status();
    let text = response.text().await.ok()?;
    assert!(status.is_success(), "pull refused ({status}): {text}");
    Some(serde_json::from_str(&text).expect("a pull answer"))
}

/// Sign-in through a server process (the tokens live in the shared database).
async fn token_at(http: &reqwest::Client, base: &str, username: &str) -> String {
    let response = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(
            &serde_json::json!({"username": username, "password": "demo", "device": "PC de test"}),
        )
        .send()
        .await
        .expect("login request");
    assert!(response.status().is_success(), "login of {username}");
    let body: serde_json::Value = response.json().await.expect("login answer");
    body["token"].as_str().expect("a token").to_string()
}

/// The pages a follower pulled: every change's seq, kind and id, in the order received.
type Followed = Vec<(i64, RecordKind, String)>;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_19_two_server_processes_one_killed_nothing_lost_duplicated_or_skipped() {
    let app = spawn_app().await;
    let (first, first_addr) = serve_process(app.database_url());
    let (mut second, second_addr) = serve_process(app.database_url());
    let bases = Arc::new([
        format!("http://{first_addr}"),
        format!("http://{second_addr}"),
    ]);
    let first_killed = Arc::new(AtomicBool::new(false));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let orders_before = app.db.count_records("order").await.unwrap();

    // The centrale's PC follows the change log from the start, a page at a time, from either
    // process in turn (the other when one does not answer).
    let centrale = token_at(&http, &bases[0], CENTRALE).await;
    let done = Arc::new(AtomicBool::new(false));
    let follower = {
        let (http, bases, done, killed) = (
            http.clone(),
            bases.clone(),
            done.clone(),
            first_killed.clone(),
        );
        tokio::spawn(async move {
            let mut followed: Followed = Vec::new();
            let mut cursor = 0;
            let mut turn = 0usize;
            loop {
                let finishing = done.load(Ordering::SeqCst);
                turn += 1;
                let at = if killed.load(Ordering::SeqCst) {
                    1
                } else {
                    turn % 2
                };
                let Some(page) = try_pull(&http, &bases[at], &centrale, cursor).await else {
                    continue;
                };
                assert!(page.next_cursor >= cursor, "the cursor never goes back");
                for change in &page.changes {
                    assert!(change.seq > cursor, "a change at or below the cursor");
                    followed.push((change.seq, change.kind, change.id.clone()));
                }
                cursor = page.next_cursor;
                if finishing && !page.has_more {
                    return followed;
                }
                if !page.has_more {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        })
    };

    // The communes' PCs push their drafts, each batch to either process in turn; a batch the
    // killed process did not answer goes again, as is, to the other.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut pushers = Vec::new();
    let mut pushed_ids = Vec::new();
    for (p, username) in PUSHERS.iter().enumerate() {
        let token = token_at(&http, &bases[p % 2], username).await;
        let client_id = Uuid::now_v7();
        let batches: Vec<Vec<MutationEnvelope>> = (0..BATCHES)
            .map(|b| {
                (0..BATCH)
                    .map(|i| {
                        let order_id = Uuid::now_v7();
                        pushed_ids.push(order_id.to_string());
                        MutationEnvelope {
                            mutation_id: Uuid::now_v7(),
                            client_seq: (b * BATCH + i + 1) as i64,
                            name: "order.create_draft".into(),
                            base_version: None,
                            payload: create_draft(
                                order_id,
                                "e-guichet",
                                &format!("E-guichet {username} {b}-{i}"),
                                eguichet_needs(),
                            ),
                            second_factor: None,
                        }
                    })
                    .collect()
            })
            .collect();
        let (http, bases, acknowledged, killed) = (
            http.clone(),
            bases.clone(),
            acknowledged.clone(),
            first_killed.clone(),
        );
        pushers.push(tokio::spawn(async move {
            let mut retried = 0;
            for (b, mutations) in batches.into_iter().enumerate() {
                let request = PushRequest {
                    protocol_version: PROTOCOL_VERSION,
                    client_id,
                    mutations,
                };
                let mut at = if killed.load(Ordering::SeqCst) {
                    1
                } else {
                    (b + p) % 2
                };
                let answer = loop {
                    match try_push(&http, &bases[at], &token, &request).await {
                        Some(answer) => break answer,
                        None => {
                            retried += 1;
                            at = 1;
                        }
                    }
                };
                assert_eq!(answer.results.len(), BATCH);
                for result in &answer.results {
                    assert_eq!(
                        result.status,
                        MutationStatus::Applied,
                        "{:?} {:?}",
                        result.code,
                        result.message
                    );
                }
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            retried
        }));
    }

    // A third of the way, the first process dies without a word.
    while acknowledged.load(Ordering::SeqCst) < PUSHERS.len() * BATCHES / 3 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut first = first;
    first.kill().expect("SIGKILL to the first process");
    let at_kill = acknowledged.load(Ordering::SeqCst);
    assert!(
        at_kill < PUSHERS.len() * BATCHES,
        "killed while the PCs were still pushing"
    );
    first.wait().expect("its end");
    first_killed.store(true, Ordering::SeqCst);
    let mut retried = 0;
    for pusher in pushers {
        retried += pusher.await.expect("a PC's pushes");
    }
    eprintln!("killed after {at_kill} batches; {retried} batches sent again to the other process");
    done.store(true, Ordering::SeqCst);
    let followed = follower.await.expect("the centrale's follow-up");
    second.kill().expect("stopping the second process");
    second.wait().expect("its end");

    // Nothing lost, nothing twice: every draft is one order.
    let pushed: HashSet<String> = pushed_ids.iter().cloned().collect();
    assert_eq!(pushed.len(), PUSHERS.len() * BATCHES * BATCH);
    assert_eq!(
        app.db.count_records("order").await.unwrap() - orders_before,
        pushed.len() as i64
    );
    // The audit chain whole, with each act once.
    let audit = app.db.verify_audit().await.unwrap();
    assert!(audit.first_problem.is_none(), "{:?}", audit.first_problem);
    let entries = app.db.list_audit(0, 100_000).await.unwrap();
    let mut acts: Vec<String> = entries
        .iter()
        .filter(|e| e.action == "order.create_draft")
        .filter_map(|e| e.record_id.clone())
        .collect();
    acts.sort();
    let before_dedup = acts.len();
    acts.dedup();
    assert_eq!(before_dedup, acts.len(), "an act audited twice");
    assert_eq!(acts.into_iter().collect::<HashSet<_>>(), pushed);

    // The follower's cursor skipped nothing: in order, each change once, every order seen.
    let seqs: Vec<i64> = followed.iter().map(|(s, _, _)| *s).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "changes out of order or twice"
    );
    let followed_orders: HashSet<String> = followed
        .iter()
        .filter(|(_, kind, _)| *kind == RecordKind::Order)
        .map(|(_, _, id)| id.clone())
        .collect();
    assert!(
        pushed.is_subset(&followed_orders),
        "the follower missed orders"
    );
    // And it saw what a fresh pull of the whole log sees now.
    let fresh: BTreeMap<i64, String> = app
        .pull_all(&app.token(CENTRALE).await)
        .await
        .into_iter()
        .map(|c| (c.seq, c.id))
        .collect();
    let followed_by_seq: BTreeMap<i64, String> =
        followed.into_iter().map(|(s, _, id)| (s, id)).collect();
    for (seq, id) in &fresh {
        assert_eq!(followed_by_seq.get(seq), Some(id), "seq {seq} skipped");
    }
}
