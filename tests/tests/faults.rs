//! Faults in the middle of a sync: the server process killed during a push, the connection
//! dropped during a pull page, the app killed between a user action and its push.

use std::process::Stdio;
use std::time::Duration;

use centrale_server_db::Database;
use centrale_sync::SyncConfig;
use centrale_tests::cache::Live;
use centrale_tests::mutations as m;
use centrale_tests::server::applied_counts;
use centrale_tests::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

/// Starts a process and waits for the line starting with `tag`; returns the rest of it.
async fn start(command: &mut Command, tag: &str) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("starting a test process");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines
            .next_line()
            .await
            .expect("reading the process's output")
        {
            if let Some(rest) = line.strip_prefix(tag) {
                return rest.trim().to_string();
            }
        }
        panic!("the process ended before printing {tag}");
    })
    .await
    .unwrap_or_else(|_| panic!("no {tag} line within a minute"));
    (child, line)
}

/// Orders on the server (each draft of the push makes one), read through a connection of the
/// test's own while the server process works.
async fn orders_stored(db: &Database) -> i64 {
    db.list_records("order")
        .await
        .expect("counting the server's orders")
        .len() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_in_the_middle_of_a_push_applies_every_mutation_exactly_once_after_restart()
{
    const DRAFTS: usize = 400;
    let (db, guard) = centrale_server_db::testing::fresh_database().await;
    centrale_server::seed::seed_demo(&db, t0()).await.unwrap();
    let url = guard.url().to_string();
    let server_bin = env!("CARGO_BIN_EXE_centrale-e2e-server");
    let (mut first, addr) = start(Command::new(server_bin).arg(&url), "LISTENING").await;
    let proxy = Proxy::start(addr.parse().unwrap()).await;
    let mut config = SyncConfig::new(&proxy.url);
    config.push_batch = 50;
    let pc = TestClient::sign_in(config, DG).await;
    pc.sync().await;
    let mut queued = Vec::new();
    for i in 0..DRAFTS {
        let draft = m::create_draft(Uuid::now_v7(), &format!("Brouillon n° {}", i + 1));
        queued.push(pc.act(&draft).mutation_id);
    }
    let before_push = orders_stored(&db).await;

    // The push runs; the server is killed once part of it is applied.
    let pushing = {
        let sync = pc.sync.clone();
        tokio::spawn(async move { sync.sync_once().await })
    };
    eventually(
        Duration::from_secs(60),
        "part of the push applied",
        || async { (orders_stored(&db).await - before_push >= 75).then_some(()) },
    )
    .await;
    first.start_kill().expect("killing the server");
    first.wait().await.expect("waiting for the server's end");
    let applied_at_kill = orders_stored(&db).await - before_push;
    let error = pushing
        .await
        .unwrap()
        .expect_err("the push cannot complete");
    assert!(error.is_retryable(), "{error:?}");
    assert!(
        applied_at_kill > 0 && applied_at_kill < DRAFTS as i64,
        "killed in the middle: {applied_at_kill} of {DRAFTS} applied"
    );
    assert!(
        !pc.store.pending().unwrap().is_empty(),
        "the rest waits in the outbox"
    );

    // Restarted on the same database, the retry completes.
    let (_second, addr) = start(Command::new(server_bin).arg(&url), "LISTENING").await;
    proxy.set_upstream(addr.parse().unwrap());
    pc.sync().await;
    assert_eq!(
        pc.store.outbox_counts().unwrap(),
        (0, 0),
        "nothing pending, nothing refused"
    );

    let counts = applied_counts(&db).await;
    for id in &queued {
        assert_eq!(counts.get(id), Some(&1), "{id} applied exactly once");
    }
    assert!(
        counts.values().all(|&n| n == 1),
        "no mutation applied twice"
    );
    assert_eq!(
        orders_stored(&db).await - before_push,
        DRAFTS as i64,
        "one order per draft"
    );
    let orders = db.list_records("order").await.unwrap();
    assert_eq!(orders.len(), DRAFTS);
    assert!(orders.iter().all(|o| o.version == 1 && !o.deleted));
    let live = pc.live();
    assert_eq!(live.of_kind("order").len(), DRAFTS);
    db.close().await;
}

#[tokio::test]
async fn a_connection_dropped_in_the_middle_of_a_pull_page_never_moves_the_cursor_past_what_was_stored(
) {
    let server = TestServer::spawn().await;
    server
        .apply(DG, m::create_draft(Uuid::now_v7(), "Une commande"))
        .await;
    let proxy = Proxy::start(server.addr).await;
    let login = server.login(DG).await;
    const LIMIT: u32 = 10;
    // What the first two pages hold, and the size of the third.
    let one = server.pull_page(DG, 0, Some(LIMIT)).await;
    let two = server.pull_page(DG, one.next_cursor, Some(LIMIT)).await;
    let three = server.pull_page(DG, two.next_cursor, Some(LIMIT)).await;
    assert!(three.has_more, "the third page is not the last");
    let stored: Vec<_> = one.changes.iter().chain(&two.changes).cloned().collect();
    let third_size = serde_json::to_string(&three).unwrap().len();
    let (_, last) = server.changes(DG).await;

    // Cut in the status line, in the headers, and half-way through the body.
    for cut in [10, 150, third_size / 2] {
        let mut config = SyncConfig::new(&proxy.url);
        config.pull_limit = Some(LIMIT);
        let pc = TestClient::new(config, &login);
        let fired = proxy.fired();
        proxy.arm("GET /api/v1/sync/pull", 2, Fault::CutResponse(cut));
        let error = pc
            .try_sync()
            .await
            .expect_err("the third page never arrives whole");
        assert_eq!(proxy.fired(), fired + 1, "cut after {cut} bytes");
        assert_eq!(error.code(), "offline", "cut after {cut} bytes: {error}");
        assert!(error.is_retryable());
        assert_eq!(
            pc.store.cursor().unwrap(),
            two.next_cursor,
            "cut after {cut} bytes: the cursor of the last page stored"
        );
        let expected = Live::of_changes(&stored);
        assert!(
            pc.live() == expected,
            "cut after {cut} bytes: {:?}",
            pc.live().diff(&expected)
        );

        let report = pc.sync().await;
        assert_eq!(report.cursor, last);
        let view = server.view(DG).await;
        assert!(
            pc.live() == view,
            "cut after {cut} bytes: {:?}",
            pc.live().diff(&view)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_killed_between_the_users_action_and_its_push_sends_it_once_after_restart() {
    let server = TestServer::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let path = centrale_store::default_path(dir.path());
    let order = Uuid::now_v7();
    let client_bin = env!("CARGO_BIN_EXE_centrale-e2e-client");
    let (mut app, mutation_id) = start(
        Command::new(client_bin)
            .arg(&path)
            .arg(&server.base)
            .arg(DG)
            .arg(order.to_string()),
        "ENQUEUED",
    )
    .await;
    app.start_kill().expect("killing the app");
    app.wait().await.expect("waiting for the app's end");
    let mutation_id = Uuid::parse_str(&mutation_id).unwrap();
    assert!(
        server
            .db
            .get_record("order", &order.to_string())
            .await
            .unwrap()
            .is_none(),
        "never pushed"
    );

    let pc = TestClient::at(
        SyncConfig::new(&server.base),
        &path,
        &server.login(DG).await,
    );
    let pending = pc.store.pending().unwrap();
    assert_eq!(pending.len(), 1, "the action survived the kill");
    assert_eq!(pending[0].mutation_id, mutation_id);
    assert_eq!(pending[0].name, "order.create_draft");
    assert_eq!(pending[0].payload["order_id"], order.to_string());
    assert_eq!(
        pc.live().version("order", order),
        Some(0),
        "still shown, as a local change"
    );

    assert_eq!(pc.sync().await.applied, 1);
    assert_eq!(pc.sync().await.applied, 0);
    assert_eq!(server.applied_counts().await.get(&mutation_id), Some(&1));
    assert_eq!(pc.store.outbox_counts().unwrap(), (0, 0));
    assert_eq!(pc.live().version("order", order), Some(1));
    let view = server.view(DG).await;
    assert!(pc.live() == view, "{:?}", pc.live().diff(&view));
}
