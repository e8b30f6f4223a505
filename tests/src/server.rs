//! The real server, in this process, on a free loopback port, over a fresh seeded database
//! and a manual clock; and the server-side acts a test needs (another account's actions, the
//! visible records, the audit log as the proof of "exactly once").

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use centrale_protocol::mutations::Mutation;
use centrale_protocol::{
    Change, LoginResponse, MutationEnvelope, MutationResult, MutationStatus, PullResponse,
    PushRequest, PushResponse, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use centrale_server::seed::DEMO_PASSWORD;
use centrale_server::{AppState, Clock, ManualClock, Settings};
use centrale_server_db::testing::{fresh_database, Guard};
use centrale_server_db::{AuditEntry, Database};
use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use crate::cache::Live;
use crate::t0;

/// A running server.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its address.
    pub addr: std::net::SocketAddr,
    /// Server time.
    pub clock: Arc<ManualClock>,
    /// Its database (for reading what was applied).
    pub db: Database,
    /// Its shared state (for a pass of the e-mail sender a journey needs).
    pub state: AppState,
    http: reqwest::Client,
    client_id: Uuid,
    seq: AtomicI64,
    logins: Mutex<HashMap<String, LoginResponse>>,
    task: tokio::task::JoinHandle<()>,
    _guard: Option<Guard>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Who pushed what: the applied mutations of the audit log, in server order.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedMutation {
    /// The mutation's id.
    pub mutation_id: Uuid,
    /// Its name.
    pub name: String,
    /// The account that pushed it (its username, as the audit log names it).
    pub username: String,
    /// The client it came from.
    pub client_id: Uuid,
    /// Its payload as received.
    pub payload: Value,
}

impl TestServer {
    /// A fresh database (the backend chosen by the environment), the demo seed at [`t0`], the
    /// router on `127.0.0.1:0`.
    pub async fn spawn() -> TestServer {
        let (db, guard) = fresh_database().await;
        centrale_server::seed::seed_demo(&db, t0())
            .await
            .expect("seeding the demo data");
        TestServer::serve(db, Some(guard)).await
    }

    /// As [`TestServer::spawn`], with these settings (the centrale's name, …).
    pub async fn spawn_with(settings: Settings) -> TestServer {
        let (db, guard) = fresh_database().await;
        centrale_server::seed::seed_demo(&db, t0())
            .await
            .expect("seeding the demo data");
        TestServer::serve_with(db, Some(guard), settings).await
    }

    /// Serves an existing database with a manual clock at [`t0`].
    pub async fn serve(db: Database, guard: Option<Guard>) -> TestServer {
        TestServer::serve_with(db, guard, Settings::default()).await
    }

    /// Serves an existing database with these settings and a manual clock at [`t0`].
    pub async fn serve_with(db: Database, guard: Option<Guard>, settings: Settings) -> TestServer {
        let clock = Arc::new(ManualClock::new(t0()));
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let state = AppState::new(db.clone(), dyn_clock, settings);
        let kept = state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a free port");
        let addr = listener.local_addr().expect("local address");
        // The tests have no real time: the scheduler's loop (which opens due competitions)
        // takes its turn before each pull instead, as it would have by then.
        let router = centrale_server::http::router(state.clone()).layer(
            axum::middleware::from_fn_with_state(state, scheduler_turn_before_pulls),
        );
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("server stopped");
        });
        TestServer {
            base: format!("http://{addr}"),
            addr,
            clock,
            db,
            state: kept,
            http: reqwest::Client::new(),
            client_id: Uuid::now_v7(),
            seq: AtomicI64::new(0),
            logins: Mutex::new(HashMap::new()),
            task,
            _guard: guard,
        }
    }

    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The server's time.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Logs `username` in once per server (Argon2 is slow) and keeps the answer.
    pub async fn login(&self, username: &str) -> LoginResponse {
        if let Some(known) = self.logins.lock().unwrap().get(username) {
            return known.clone();
        }
        let response = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .json(&serde_json::json!({
                "username": username,
                "password": DEMO_PASSWORD,
                "device": "Banc de test",
            }))
            .send()
            .await
            .expect("login request");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "login of {username}: {status} {text}");
        let login: LoginResponse = serde_json::from_str(&text).expect("login response");
        self.logins
            .lock()
            .unwrap()
            .insert(username.to_string(), login.clone());
        login
    }

    /// The token of `username`.
    pub async fn token(&self, username: &str) -> String {
        self.login(username).await.token
    }

    /// Pushes mutations as `username` from the server-side test client (one request).
    pub async fn push(&self, username: &str, mutations: &[Mutation]) -> Vec<MutationResult> {
        let envelopes = mutations
            .iter()
            .map(|m| MutationEnvelope {
                mutation_id: Uuid::now_v7(),
                client_seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
                name: m.name().to_string(),
                base_version: None,
                payload: m.payload(),
                // The demo staff's PC signs with its second factor (issue 17 point 9).
                second_factor: centrale_server::second_factor::demo_proof(
                    username,
                    m,
                    self.clock.now(),
                ),
            })
            .collect();
        self.push_envelopes(username, self.client_id, envelopes)
            .await
    }

    /// Pushes envelopes as they are.
    pub async fn push_envelopes(
        &self,
        username: &str,
        client_id: Uuid,
        mutations: Vec<MutationEnvelope>,
    ) -> Vec<MutationResult> {
        let token = self.token(username).await;
        let response = self
            .http
            .post(self.url("/api/v1/sync/push"))
            .bearer_auth(token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .json(&PushRequest {
                protocol_version: PROTOCOL_VERSION,
                client_id,
                mutations,
            })
            .send()
            .await
            .expect("push request");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "push as {username}: {status} {text}");
        let answer: PushResponse = serde_json::from_str(&text).expect("push response");
        answer.results
    }

    /// Pushes one mutation as `username`; it must be applied.
    pub async fn apply(&self, username: &str, mutation: Mutation) -> MutationResult {
        let name = mutation.name();
        let result = self.push(username, &[mutation]).await.remove(0);
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{name} by {username} should apply: {:?} {:?}",
            result.code,
            result.message
        );
        result
    }

    /// One page of changes visible to `username` after `cursor`.
    pub async fn pull_page(&self, username: &str, cursor: i64, limit: Option<u32>) -> PullResponse {
        let token = self.token(username).await;
        let mut path = format!("/api/v1/sync/pull?cursor={cursor}");
        if let Some(limit) = limit {
            path.push_str(&format!("&limit={limit}"));
        }
        let response = self
            .http
            .get(self.url(&path))
            .bearer_auth(token)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .send()
            .await
            .expect("pull request");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "pull as {username}: {status} {text}");
        serde_json::from_str(&text).expect("pull response")
    }

    /// Every change visible to `username` from cursor 0, page by page, and the last cursor.
    pub async fn changes(&self, username: &str) -> (Vec<Change>, i64) {
        let mut cursor = 0;
        let mut out = Vec::new();
        loop {
            let page = self.pull_page(username, cursor, Some(5000)).await;
            out.extend(page.changes);
            cursor = page.next_cursor;
            if !page.has_more {
                return (out, cursor);
            }
        }
    }

    /// The live records `username` may see, as its cache should hold them after a full sync.
    pub async fn view(&self, username: &str) -> Live {
        let (changes, _) = self.changes(username).await;
        Live::of_changes(&changes)
    }

    /// The last audit entry's seq (to read only what a test did afterwards).
    pub async fn audit_head(&self) -> i64 {
        audit_after(&self.db, 0).await.last().map_or(0, |e| e.seq)
    }

    /// The applied mutations after audit entry `after_seq`, in server order.
    pub async fn applied_after(&self, after_seq: i64) -> Vec<AppliedMutation> {
        applied_after(&self.db, after_seq).await
    }

    /// How many times each mutation was applied.
    pub async fn applied_counts(&self) -> BTreeMap<Uuid, usize> {
        applied_counts(&self.db).await
    }
}

/// Every audit entry of `db` after `after_seq`.
pub async fn audit_after(db: &Database, after_seq: i64) -> Vec<AuditEntry> {
    let mut out: Vec<AuditEntry> = Vec::new();
    let mut after = after_seq;
    loop {
        let page = db
            .list_audit(after, 1000)
            .await
            .expect("reading the audit log");
        let Some(last) = page.last() else {
            return out;
        };
        after = last.seq;
        out.extend(page);
    }
}

/// The applied mutations of `db` after audit entry `after_seq`, in server order (refusals
/// and the server's own acts left out).
pub async fn applied_after(db: &Database, after_seq: i64) -> Vec<AppliedMutation> {
    audit_after(db, after_seq)
        .await
        .into_iter()
        .filter(|e| !e.action.ends_with(".refused"))
        .filter_map(|e| {
            let id = e.details.get("mutation_id")?.as_str()?;
            let client = e.details.get("client_id")?.as_str()?;
            Some(AppliedMutation {
                mutation_id: Uuid::parse_str(id).ok()?,
                name: e.action.clone(),
                // The audit log names the actor "<username> (<role>)".
                username: e.actor.split(' ').next().unwrap_or_default().to_string(),
                client_id: Uuid::parse_str(client).ok()?,
                payload: e.details.get("payload").cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// How many times each mutation was applied on `db`: the audit log has one entry per
/// application (refusals are recorded apart), so a mutation applied twice shows twice.
pub async fn applied_counts(db: &Database) -> BTreeMap<Uuid, usize> {
    let mut counts = BTreeMap::new();
    for m in applied_after(db, 0).await {
        *counts.entry(m.mutation_id).or_insert(0) += 1;
    }
    counts
}

/// Activates the adhesion of commune `nis` through the server (its DG and mayor sign, the
/// centrale countersigns and activates). Returns the adhesion id.
pub async fn activate_adhesion(server: &TestServer, nis: &str) -> Uuid {
    use crate::mutations as m;
    let id = sign_adhesion_as_commune(server, nis).await;
    let sha = convention_sha(server).await;
    for mutation in [m::countersign_adhesion(id, &sha), m::activate_adhesion(id)] {
        let result = server.apply(crate::CENTRALE, mutation).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.message
        );
    }
    id
}

/// The adhesion of commune `nis` as its DG and mayor leave it: collège decision recorded, both
/// signatures, waiting for the centrale's countersignature. Returns the adhesion id.
pub async fn sign_adhesion_as_commune(server: &TestServer, nis: &str) -> Uuid {
    use crate::mutations as m;
    let sha = convention_sha(server).await;
    let id = Uuid::now_v7();
    let dg = format!("dg.{nis}");
    let mayor = format!("bourgmestre.{nis}");
    let dg_acts = [
        m::start_adhesion(id),
        m::record_college_decision(id, "COL/2026/101"),
        m::sign_adhesion(id, &sha),
    ];
    let mayor_acts = [m::sign_adhesion(id, &sha)];
    for (user, acts) in [(&dg, &dg_acts[..]), (&mayor, &mayor_acts[..])] {
        for result in server.push(user, acts).await {
            assert_eq!(
                result.status,
                MutationStatus::Applied,
                "{:?}",
                result.message
            );
        }
    }
    id
}

/// The hash of the demo convention's text (what a signatory signs).
pub async fn convention_sha(server: &TestServer) -> String {
    let template = server
        .db
        .get_record(
            "convention_template",
            &centrale_server::seed::demo_convention_template_id().to_string(),
        )
        .await
        .expect("reading the convention")
        .expect("the demo convention is seeded");
    template.body["sha256"]
        .as_str()
        .expect("the convention has a hash")
        .to_string()
}

/// Runs one step of the server's scheduler before each `GET /api/v1/sync/pull` (see
/// [`TestServer::serve_with`]).
async fn scheduler_turn_before_pulls(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.uri().path() == "/api/v1/sync/pull" {
        centrale_server::scheduler::open_due(&state)
            .await
            .expect("the scheduler's step");
    }
    next.run(request).await
}
