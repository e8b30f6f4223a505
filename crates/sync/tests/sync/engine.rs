//! The engine's behaviour against a scripted server: error classes, backoff, the status
//! stream, one sync at a time, a sync soon after a local change.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use centrale_protocol::mutations::{Mutation, OrderRef};
use centrale_protocol::{
    ErrorBody, Me, MutationResult, MutationStatus, PullResponse, PushRequest, PushResponse, Role,
    PROTOCOL_VERSION,
};
use centrale_store::Store;
use centrale_sync::{
    Backoff, Credentials, EngineTiming, MemoryCredentials, SyncClient, SyncConfig, SyncEngine,
    SyncError, SyncPhase, SyncStatus,
};
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

/// What the scripted server answers next.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Ok,
    Unavailable,
    Unauthorized,
    UpdateNeeded,
    RejectAll,
}

#[derive(Default)]
struct Script {
    mode: Mutex<Vec<Mode>>,
    pulls: AtomicUsize,
    pushes: AtomicUsize,
    pushed: Mutex<Vec<Uuid>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Script {
    /// The next scripted answer (the last one repeats).
    fn next(&self) -> Mode {
        let mut modes = self.mode.lock().unwrap();
        if modes.len() > 1 {
            modes.remove(0)
        } else {
            modes.first().copied().unwrap_or(Mode::Ok)
        }
    }

    fn set(&self, modes: &[Mode]) {
        *self.mode.lock().unwrap() = modes.to_vec();
    }
}

fn error(status: StatusCode, code: &str) -> Response {
    (
        status,
        Json(ErrorBody {
            protocol_version: PROTOCOL_VERSION,
            code: code.into(),
            message: format!("réponse scriptée {code}"),
            details: json!({}),
        }),
    )
        .into_response()
}

fn failure(mode: Mode) -> Option<Response> {
    match mode {
        Mode::Unavailable => Some(StatusCode::SERVICE_UNAVAILABLE.into_response()),
        Mode::Unauthorized => Some(error(StatusCode::UNAUTHORIZED, "unauthorized")),
        Mode::UpdateNeeded => Some(error(StatusCode::UPGRADE_REQUIRED, "update_needed")),
        Mode::Ok | Mode::RejectAll => None,
    }
}

async fn pull(State(script): State<Arc<Script>>) -> Response {
    let mode = script.next();
    if let Some(r) = failure(mode) {
        return r;
    }
    let now = script.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    script.max_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(30)).await;
    script.in_flight.fetch_sub(1, Ordering::SeqCst);
    script.pulls.fetch_add(1, Ordering::SeqCst);
    Json(PullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes: vec![],
        next_cursor: 0,
        has_more: false,
        server_time: Utc::now(),
        settings: None,
    })
    .into_response()
}

async fn push(State(script): State<Arc<Script>>, Json(req): Json<PushRequest>) -> Response {
    let mode = script.next();
    if let Some(r) = failure(mode) {
        return r;
    }
    script.pushes.fetch_add(1, Ordering::SeqCst);
    let results = req
        .mutations
        .iter()
        .map(|m| {
            script.pushed.lock().unwrap().push(m.mutation_id);
            let rejected = mode == Mode::RejectAll;
            MutationResult {
                mutation_id: m.mutation_id,
                status: if rejected {
                    MutationStatus::Rejected
                } else {
                    MutationStatus::Applied
                },
                code: rejected.then(|| "invalid_state".into()),
                message: rejected.then(|| "Refusé par le serveur.".into()),
                details: json!({}),
                records: vec![],
                current: None,
            }
        })
        .collect();
    Json(PushResponse {
        protocol_version: PROTOCOL_VERSION,
        results,
        server_time: Utc::now(),
    })
    .into_response()
}

struct Fixture {
    script: Arc<Script>,
    store: Store,
    client: SyncClient,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let script = Arc::new(Script::default());
    let app = Router::new()
        .route("/api/v1/sync/pull", get(pull))
        .route("/api/v1/sync/push", post(push))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("centrale.db")).unwrap();
    store
        .set_session(&Me {
            user_id: "u1".into(),
            username: "agent.84009".into(),
            display_name: "Agent".into(),
            role: Role::CommuneStaff,
            commune_nis: Some("84009".into()),
            provider_id: None,
            gender: Default::default(),
            second_factor: false,
        })
        .unwrap();
    let credentials = Arc::new(MemoryCredentials::new());
    credentials.store("jeton").unwrap();
    let client = SyncClient::new(
        SyncConfig::new(format!("http://{addr}")),
        store.clone(),
        credentials,
    )
    .unwrap();
    Fixture {
        script,
        store,
        client,
        _dir: dir,
    }
}

/// A mutation that has no local effect, so it can be queued on an empty cache.
fn queue_one(store: &Store) -> Uuid {
    store
        .enqueue(&Mutation::OpenOffers(OrderRef {
            order_id: Uuid::now_v7(),
        }))
        .unwrap()
        .mutation_id
}

fn fast() -> EngineTiming {
    EngineTiming {
        interval: Duration::from_secs(3600),
        after_change: Duration::from_millis(50),
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(80),
        },
    }
}

async fn wait_for(
    status: &mut tokio::sync::watch::Receiver<SyncStatus>,
    what: &str,
    ok: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if ok(&status.borrow()) {
            return status.borrow().clone();
        }
        match tokio::time::timeout_at(deadline, status.changed()).await {
            Ok(Ok(())) => {}
            _ => panic!("status never reached: {what}; last: {:?}", status.borrow()),
        }
    }
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_until_the_server_is_back() {
    let f = fixture().await;
    let id = queue_one(&f.store);
    f.script
        .set(&[Mode::Unavailable, Mode::Unavailable, Mode::Ok]);
    let engine = SyncEngine::start(f.client.clone(), fast());
    let mut status = engine.status();
    let offline = wait_for(&mut status, "offline", |s| s.phase == SyncPhase::Offline).await;
    assert_eq!(offline.last_error_code.as_deref(), Some("server_error"));
    assert!(offline.next_retry_at.is_some());
    assert_eq!(offline.pending, 1);
    let back = wait_for(&mut status, "synced", |s| s.last_success.is_some()).await;
    assert_eq!(back.phase, SyncPhase::Idle);
    assert!(back.online);
    assert_eq!(back.pending, 0);
    assert_eq!(back.last_error, None);
    assert_eq!(*f.script.pushed.lock().unwrap(), vec![id]);
    engine.stop().await;
}

#[tokio::test]
async fn an_unreachable_server_keeps_the_changes_and_says_so() {
    let f = fixture().await;
    // A port nobody listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let credentials = Arc::new(MemoryCredentials::new());
    credentials.store("jeton").unwrap();
    let client = SyncClient::new(
        SyncConfig::new(format!("http://{addr}")),
        f.store.clone(),
        credentials,
    )
    .unwrap();
    queue_one(&f.store);
    let err = client.sync_once().await.unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.code(), "offline");
    assert!(err.to_string().contains("injoignable"), "{err}");
    assert_eq!(f.store.pending().unwrap().len(), 1);
    assert_eq!(f.store.pending().unwrap()[0].attempts, 1);
}

#[tokio::test]
async fn a_refused_token_asks_for_credentials_and_stops_retrying() {
    let f = fixture().await;
    f.script.set(&[Mode::Unauthorized]);
    let engine = SyncEngine::start(f.client.clone(), fast());
    let mut status = engine.status();
    let s = wait_for(&mut status, "credentials needed", |s| {
        s.phase == SyncPhase::CredentialsNeeded
    })
    .await;
    assert_eq!(s.last_error_code.as_deref(), Some("credentials_needed"));
    assert_eq!(s.next_retry_at, None);
    // No hammering: with an hour between syncs, nothing more is asked.
    let pulls = f.script.pulls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(f.script.pulls.load(Ordering::SeqCst), pulls);
    engine.stop().await;
}

#[tokio::test]
async fn no_token_at_all_asks_for_credentials() {
    let f = fixture().await;
    let client = SyncClient::new(
        f.client.config().clone(),
        f.store.clone(),
        Arc::new(MemoryCredentials::new()),
    )
    .unwrap();
    let err = client.sync_once().await.unwrap_err();
    assert!(matches!(err, SyncError::CredentialsNeeded), "{err:?}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_unsupported_protocol_says_update_needed() {
    let f = fixture().await;
    f.script.set(&[Mode::UpdateNeeded]);
    let engine = SyncEngine::start(f.client.clone(), fast());
    let mut status = engine.status();
    let s = wait_for(&mut status, "update needed", |s| {
        s.phase == SyncPhase::UpdateNeeded
    })
    .await;
    assert!(s.last_error.unwrap().contains("mise à jour"));
    engine.stop().await;
}

#[tokio::test]
async fn a_local_change_is_sent_soon_after_without_asking() {
    let f = fixture().await;
    let engine = SyncEngine::start(f.client.clone(), fast());
    let mut status = engine.status();
    wait_for(&mut status, "first sync", |s| s.last_success.is_some()).await;
    let id = queue_one(&f.store);
    engine.local_change();
    wait_for(&mut status, "change sent", |s| {
        s.pending == 0 && s.phase == SyncPhase::Idle
    })
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !f.script.pushed.lock().unwrap().contains(&id) {
        assert!(tokio::time::Instant::now() < deadline, "never pushed");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    engine.stop().await;
}

#[tokio::test]
async fn syncs_never_overlap() {
    let f = fixture().await;
    let engine = SyncEngine::start(f.client.clone(), fast());
    // The engine, "Synchroniser maintenant" and direct calls, all at once.
    let mut calls = Vec::new();
    for _ in 0..5 {
        let client = f.client.clone();
        calls.push(tokio::spawn(async move { client.sync_once().await }));
    }
    let now = engine.sync_now();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    now.await.unwrap();
    assert_eq!(f.script.max_in_flight.load(Ordering::SeqCst), 1);
    assert!(f.script.pulls.load(Ordering::SeqCst) >= 6);
    engine.stop().await;
}

#[tokio::test]
async fn a_refusal_is_counted_in_the_status_as_needing_attention() {
    let f = fixture().await;
    queue_one(&f.store);
    f.script.set(&[Mode::RejectAll, Mode::Ok]);
    let engine = SyncEngine::start(f.client.clone(), fast());
    // The engine's own first sync or this one meets the refusal; either way it is counted.
    engine.sync_now().await.unwrap();
    let mut status = engine.status();
    let s = wait_for(&mut status, "attention", |s| s.needs_attention == 1).await;
    assert_eq!(s.pending, 0);
    let entries = f.store.needs_attention().unwrap();
    assert_eq!(
        entries[0].error_message.as_deref(),
        Some("Refusé par le serveur.")
    );
    engine.stop().await;
}
