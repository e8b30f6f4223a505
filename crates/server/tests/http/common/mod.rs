//! Shared support of the server's HTTP integration tests: a real server on a free port over a
//! fresh, seeded database (SQLite, or PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`), a
//! manual clock, and helpers that speak the wire protocol like a client would.
#![allow(dead_code)]

pub mod portal;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use centrale_protocol::records::RecordKind;
use centrale_protocol::{
    Change, LoginResponse, MutationEnvelope, MutationResult, MutationStatus, PullResponse,
    PushRequest, PushResponse, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use centrale_server::seed::{
    demo_convention_template_id, demo_provider_id, demo_service_id, DEMO_PASSWORD,
};
use centrale_server::{AppState, Clock, ManualClock, Settings};
use centrale_server_db::testing::{fresh_database, Guard};
use centrale_server_db::Database;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// Server time at the start of every test: the seed's time.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

/// The Belgian date of `t0()`.
pub fn today0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

/// The five roles every permission test tries.
pub const DG: &str = "dg.84009";
pub const MAYOR: &str = "bourgmestre.84009";
pub const AGENT: &str = "agent.84009";
/// An échevin of Bertrix (a member of the collège).
pub const ALDERMAN: &str = "echevin.84009";
pub const CENTRALE: &str = "centrale.achats";
pub const NUAGIX: &str = "prestataire.nuagix";
pub const CIVITECH: &str = "prestataire.civitech";
pub const DG_OTHER: &str = "dg.84077";
pub const MAYOR_OTHER: &str = "bourgmestre.84077";

/// A running server and what a test needs to drive it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// HTTP client.
    pub http: reqwest::Client,
    /// Server time.
    pub clock: Arc<ManualClock>,
    /// The server's database (for admin acts a test needs, e.g. disabling an account).
    pub db: Database,
    /// The default client id of `push`.
    pub client_id: Uuid,
    /// The server's shared state (its login guard, for tests that watch the password checks).
    pub state: AppState,
    seq: AtomicI64,
    tokens: Mutex<HashMap<String, String>>,
    server: tokio::task::JoinHandle<()>,
    _guard: Guard,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Fresh database, migrated, demo seed at `t0()`, server on `127.0.0.1:0`.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(Settings::default()).await
}

/// The same with chosen settings (e.g. a public https address).
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a free port");
    let addr = listener.local_addr().unwrap();
    let mut app = seeded_app(settings, format!("http://{addr}"), reqwest::Client::new()).await;
    // The real serving path (accept loop, header timeout, peer addresses), without the
    // scheduler's loop: under the manual clock, `pull_page` gives the scheduler its turn.
    app.served_by(tokio::spawn(centrale_server::http::serve_until(
        listener,
        app.state.clone(),
        std::future::pending(),
    )));
    app
}

/// A fresh database with the demo seed at `t0()`, a manual clock and the server's state over
/// them, reached at `base` with `http` once served ([`TestApp::served_by`]).
pub async fn seeded_app(settings: Settings, base: String, http: reqwest::Client) -> TestApp {
    let (db, guard) = fresh_database().await;
    centrale_server::seed::seed_demo(&db, t0())
        .await
        .expect("seeding the demo data");
    let clock = Arc::new(ManualClock::new(t0()));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let state = AppState::new(db.clone(), dyn_clock, settings);
    TestApp {
        base,
        http,
        clock,
        db,
        client_id: Uuid::now_v7(),
        state,
        seq: AtomicI64::new(0),
        tokens: Mutex::new(HashMap::new()),
        server: tokio::spawn(async {}),
        _guard: guard,
    }
}

/// A mutation to push: name, payload, base version.
pub type Mut = (&'static str, Value, Option<i64>);

impl TestApp {
    /// The task serving this app (stopped when the app is dropped).
    pub fn served_by(&mut self, server: tokio::task::JoinHandle<()>) {
        self.server = server;
    }

    /// The URL of the server's database (for the administration commands of the binary).
    pub fn database_url(&self) -> &str {
        self._guard.url()
    }

    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `POST /api/v1/auth/login` as is.
    pub async fn login_raw(&self, username: &str, password: &str) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password, "device": "PC de test"}))
            .send()
            .await
            .expect("login request")
    }

    /// Logs in with the demo password (a new device token each call).
    pub async fn login(&self, username: &str) -> String {
        let response = self.login_raw(username, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK, "login of {username}");
        let body: LoginResponse = response.json().await.expect("login response");
        body.token
    }

    /// The token of `username`, logging in once per test app (Argon2 is slow).
    pub async fn token(&self, username: &str) -> String {
        if let Some(t) = self.tokens.lock().unwrap().get(username) {
            return t.clone();
        }
        let token = self.login(username).await;
        self.tokens
            .lock()
            .unwrap()
            .insert(username.to_string(), token.clone());
        token
    }

    /// GET with an optional bearer token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(self.url(path));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request.send().await.expect("GET request")
    }

    /// One step of the server's scheduler (opening the competitions due at the manual
    /// clock's time), as its loop would have run it by now.
    pub async fn scheduler_turn(&self) {
        centrale_server::scheduler::open_due(&self.state)
            .await
            .expect("the scheduler's step");
    }

    /// One page of a pull, after the scheduler's turn: the tests have no real time, so the
    /// loop that opens due competitions on the server runs here, before each pull (the
    /// pull itself never opens anything).
    pub async fn pull_page(&self, token: &str, cursor: i64, limit: Option<u32>) -> PullResponse {
        self.scheduler_turn().await;
        let path = match limit {
            Some(l) => format!("/api/v1/sync/pull?cursor={cursor}&limit={l}"),
            None => format!("/api/v1/sync/pull?cursor={cursor}"),
        };
        let response = self.get(&path, Some(token)).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "pull failed: {text}");
        serde_json::from_str(&text).expect("pull response")
    }

    /// Every change after `cursor`, following pages; returns them and the last cursor.
    pub async fn pull_since(&self, token: &str, cursor: i64) -> (Vec<Change>, i64) {
        let mut cursor = cursor;
        let mut out = Vec::new();
        loop {
            let page = self.pull_page(token, cursor, None).await;
            out.extend(page.changes);
            cursor = page.next_cursor;
            if !page.has_more {
                return (out, cursor);
            }
        }
    }

    /// Every change visible to the token's user, from cursor 0.
    pub async fn pull_all(&self, token: &str) -> Vec<Change> {
        self.pull_since(token, 0).await.0
    }

    /// The current state (latest change of each record) visible to `username`.
    pub async fn state_of(&self, username: &str) -> View {
        let token = self.token(username).await;
        View::of(&self.pull_all(&token).await)
    }

    /// A fresh envelope with the next client sequence number.
    pub fn envelope(
        &self,
        name: &str,
        payload: Value,
        base_version: Option<i64>,
    ) -> MutationEnvelope {
        MutationEnvelope {
            mutation_id: Uuid::now_v7(),
            client_seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
            name: name.to_string(),
            base_version,
            payload,
            second_factor: None,
        }
    }

    /// Pushes envelopes as is from `client_id`; returns the raw response.
    pub async fn push_raw(&self, token: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/sync/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("push request")
    }

    /// Pushes envelopes from `client_id`; the push must answer 200.
    pub async fn push_envelopes(
        &self,
        token: &str,
        client_id: Uuid,
        mutations: Vec<MutationEnvelope>,
    ) -> PushResponse {
        let request = PushRequest {
            protocol_version: PROTOCOL_VERSION,
            client_id,
            mutations,
        };
        let response = self
            .push_raw(token, &serde_json::to_value(&request).unwrap())
            .await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "push failed: {text}");
        serde_json::from_str(&text).expect("push response")
    }

    /// Pushes mutations (fresh ids, increasing client_seq) from this app's client.
    pub async fn push(&self, token: &str, mutations: Vec<Mut>) -> PushResponse {
        let username = self
            .tokens
            .lock()
            .unwrap()
            .iter()
            .find(|(_, t)| t.as_str() == token)
            .map(|(u, _)| u.clone());
        let envelopes = mutations
            .into_iter()
            .map(|(name, payload, base)| {
                let mut envelope = self.envelope(name, payload, base);
                // A demo account signs with its demo second factor, as its PC would (the
                // tests of the second factor itself push their envelopes as they want them).
                if let (Some(user), Ok(mutation)) = (
                    &username,
                    centrale_protocol::mutations::Mutation::parse(name, envelope.payload.clone()),
                ) {
                    envelope.second_factor = centrale_server::second_factor::demo_proof(
                        user,
                        &mutation,
                        self.clock.now(),
                    );
                }
                envelope
            })
            .collect();
        self.push_envelopes(token, self.client_id, envelopes).await
    }

    /// Pushes one mutation as `username` and returns its result.
    pub async fn push_one_as(
        &self,
        username: &str,
        name: &'static str,
        payload: Value,
        base: Option<i64>,
    ) -> MutationResult {
        let token = self.token(username).await;
        let mut response = self.push(&token, vec![(name, payload, base)]).await;
        assert_eq!(response.results.len(), 1);
        response.results.remove(0)
    }

    /// Pushes one mutation as `username`; it must be applied.
    pub async fn apply(
        &self,
        username: &str,
        name: &'static str,
        payload: Value,
    ) -> MutationResult {
        let result = self.push_one_as(username, name, payload, None).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{name} by {username} should apply: {:?} {:?}",
            result.code,
            result.message
        );
        result
    }

    /// Pushes one mutation as `username`; it must be rejected with `code` and a French message.
    pub async fn reject(
        &self,
        username: &str,
        name: &'static str,
        payload: Value,
        code: &str,
    ) -> MutationResult {
        let result = self.push_one_as(username, name, payload, None).await;
        assert_eq!(
            (result.status, result.code.as_deref()),
            (MutationStatus::Rejected, Some(code)),
            "{name} by {username} should be rejected with {code}: {:?}",
            result.message
        );
        assert_french(result.message.as_deref().unwrap_or(""));
        result
    }
}

/// Latest state of every record seen in a list of changes.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// (kind, id) → latest change.
    pub latest: BTreeMap<(RecordKind, String), Change>,
}

impl View {
    /// Folds changes in order.
    pub fn of(changes: &[Change]) -> View {
        let mut latest = BTreeMap::new();
        for c in changes {
            latest.insert((c.kind, c.id.clone()), c.clone());
        }
        View { latest }
    }

    /// Live records of a kind.
    pub fn all(&self, kind: RecordKind) -> Vec<Value> {
        self.latest
            .values()
            .filter(|c| c.kind == kind && !c.deleted)
            .map(|c| c.record.clone())
            .collect()
    }

    /// The live record of a kind and id.
    pub fn get(&self, kind: RecordKind, id: impl ToString) -> Option<Value> {
        self.latest
            .get(&(kind, id.to_string()))
            .filter(|c| !c.deleted)
            .map(|c| c.record.clone())
    }

    /// The version of a record.
    pub fn version(&self, kind: RecordKind, id: impl ToString) -> Option<i64> {
        self.latest.get(&(kind, id.to_string())).map(|c| c.version)
    }

    /// Live records of a kind whose `field` equals `value`.
    pub fn find(&self, kind: RecordKind, field: &str, value: impl Into<Value>) -> Vec<Value> {
        let value = value.into();
        self.all(kind)
            .into_iter()
            .filter(|r| r.get(field) == Some(&value))
            .collect()
    }
}

/// Live records of `kind` in `changes` whose `field` equals `value` (latest state).
pub fn find_records(
    changes: &[Change],
    kind: RecordKind,
    field: &str,
    value: impl Into<Value>,
) -> Vec<Value> {
    View::of(changes).find(kind, field, value)
}

/// True when a text reads as French (a cheap check that messages are not English).
pub fn is_french(message: &str) -> bool {
    let m = format!(" {} ", message.to_lowercase());
    !message.trim().is_empty()
        && [
            " le ", " la ", " les ", " de ", " des ", " du ", " un ", " une ", " à ", " est ",
            " vous ", " votre ", " l'", " d'", "é", "è", "ê", "à", "ç", "indiquez", " n'", " pas",
            "cette ", " ou ", " et ",
        ]
        .iter()
        .any(|w| m.contains(w))
}

/// Asserts a message is French.
pub fn assert_french(message: &str) {
    assert!(is_french(message), "message not in French: {message:?}");
}

/// Checks an error response: status, protocol header, `{protocol_version, code, message,
/// details}` with a French message. Returns the body.
pub async fn assert_error(response: reqwest::Response, status: StatusCode, code: &str) -> Value {
    let got = response.status();
    assert!(
        response.headers().contains_key(PROTOCOL_HEADER),
        "error response without {PROTOCOL_HEADER}"
    );
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "unexpected status, body: {text}");
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("error body is not JSON ({e}): {text}"));
    assert_eq!(body["code"], code, "unexpected code: {body}");
    assert!(
        body["details"].is_object(),
        "details must be an object: {body}"
    );
    assert_eq!(body["protocol_version"], PROTOCOL_VERSION);
    assert_french(body["message"].as_str().expect("message is a string"));
    body
}

// ---- payloads ---------------------------------------------------------------------------

/// A collège decision dated today (server time at the start of tests).
pub fn college(reference: &str) -> Value {
    json!({"reference": reference, "date": today0()})
}

/// The conseil communal's decision dated today (server time at the start of tests): joining
/// the centrale is the conseil's (CDLD L1222-7).
pub fn conseil(reference: &str) -> Value {
    json!({"organ": {"kind": "conseil"}, "reference": reference, "date": today0()})
}

/// The directeur financier's favourable opinion of `date`.
pub fn df_opinion(date: NaiveDate) -> Value {
    json!({"reference": "DF/2026/12", "date": date, "kind": "favourable"})
}

/// The payload of `order.submit`: the conseil's decision launching the order (with the
/// directeur financier's opinion, so that the amount never matters unless a test says so)
/// and its budget article.
pub fn submit(order_id: Uuid) -> Value {
    let mut decision = conseil("CC/2026/40");
    decision["financial_opinion"] = df_opinion(today0());
    json!({"order_id": order_id, "decision": decision, "budget_article": "104/123-13"})
}

impl TestApp {
    /// A collège decision dated today by the server's clock (an award is decided on or after
    /// the opening of the offers), after the directeur financier's opinion of the same day.
    pub fn college(&self, reference: &str) -> Value {
        use centrale_server::Clock;
        let today = self.clock.today();
        json!({"organ": {"kind": "college"}, "reference": reference, "date": today,
               "financial_opinion": df_opinion(today)})
    }

    /// `user` declares no conflict of interest on the order (law of 17 June 2016 art. 6).
    pub async fn declare_no_conflict(&self, user: &str, order_id: Uuid) {
        self.apply(
            user,
            "order.declare_no_conflict",
            json!({"order_id": order_id,
                   "statement_sha256": centrale_domain::order::no_conflict_statement_sha256()}),
        )
        .await;
    }
}

/// Needs for the e-guichet of Bertrix: set-up and 9 licence units.
pub fn eguichet_needs() -> Value {
    json!({
        "description": "E-guichet pour les actes d'état civil et de population, pour 2 agents.",
        "lines": [
            {"price_line_code": "setup", "quantity": "1"},
            {"price_line_code": "licence", "quantity": "9", "note": "9 000 habitants"}
        ],
        "sites": ["Administration communale, Place des Trois Fers 1"],
    })
}

/// Needs for the room booking service.
pub fn salles_needs() -> Value {
    json!({
        "description": "Réservation en ligne des salles communales.",
        "lines": [{"price_line_code": "setup", "quantity": "1"}],
    })
}

/// `order.create_draft` payload.
pub fn create_draft(order_id: Uuid, service_code: &str, title: &str, needs: Value) -> Value {
    json!({"order_id": order_id, "service_id": demo_service_id(service_code), "title": title, "needs": needs})
}

/// `offer.submit` payload for the e-guichet needs.
pub fn offer_payload(offer_id: Uuid, invitation_id: &str, setup: i64, licence: i64) -> Value {
    json!({
        "offer_id": offer_id,
        "invitation_id": invitation_id,
        "lines": [
            {"price_line_code": "setup", "unit_price_cents": setup},
            {"price_line_code": "licence", "unit_price_cents": licence}
        ],
        "lead_time_days": 60,
        "notes": "Hébergement en Belgique, support en français.",
    })
}

// ---- scenarios ----------------------------------------------------------------------------

/// Runs the whole adhesion of commune `nis` (its `dg.<nis>` and `bourgmestre.<nis>` sign,
/// the centrale countersigns and activates). Returns the adhesion id.
pub async fn activate_adhesion(app: &TestApp, nis: &str) -> Uuid {
    let dg = format!("dg.{nis}");
    let mayor = format!("bourgmestre.{nis}");
    let template = app
        .state_of(&dg)
        .await
        .get(
            RecordKind::ConventionTemplate,
            demo_convention_template_id(),
        )
        .expect("the convention template is pulled");
    let sha = template["sha256"].as_str().unwrap().to_string();
    let id = Uuid::now_v7();
    let dg_token = app.token(&dg).await;
    let r = app
        .push(
            &dg_token,
            vec![
                (
                    "adhesion.start",
                    json!({"adhesion_id": id, "template_id": demo_convention_template_id()}),
                    None,
                ),
                (
                    "adhesion.record_college_decision",
                    json!({"adhesion_id": id, "college_decision": conseil("COL/2026/101")}),
                    None,
                ),
                (
                    "adhesion.sign",
                    json!({"adhesion_id": id, "text_sha256": sha}),
                    None,
                ),
            ],
        )
        .await;
    for result in &r.results {
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.message
        );
    }
    app.apply(
        &mayor,
        "adhesion.sign",
        json!({"adhesion_id": id, "text_sha256": sha}),
    )
    .await;
    app.apply(
        CENTRALE,
        "adhesion.countersign",
        json!({"adhesion_id": id, "text_sha256": sha}),
    )
    .await;
    app.apply(CENTRALE, "adhesion.activate", json!({"adhesion_id": id}))
        .await;
    let adhesion = app
        .state_of(&dg)
        .await
        .get(RecordKind::Adhesion, id)
        .unwrap();
    assert_eq!(adhesion["status"], "active");
    id
}

/// Adds the service « salles-directes » (the demo's room booking terms, framework
/// CA-2026-20) whose orders go directly to the provider the framework's cascade designates —
/// Réservix, then Payvallée (issue 11 rule 5; Dir. 2014/24 art. 33(4)). With `up_to` (cents
/// HTVA) the method is « both »: directly up to that amount, competition above it. Returns the
/// service code (its id is `demo_service_id` of it).
pub async fn add_direct_rooms(app: &TestApp, up_to: Option<i64>) -> &'static str {
    let code = "salles-directes";
    let view = app.state_of(CENTRALE).await;
    let source = view
        .get(
            RecordKind::Framework,
            centrale_server::seed::demo_framework_id("CA-2026-02"),
        )
        .expect("the demo's room booking framework");
    let mut terms = source["versions"][0].clone();
    terms["change_note"] = json!("");
    terms["direct_call_off"] = json!({
        "ranking": [demo_provider_id("reservix"), demo_provider_id("payvallee")],
        "up_to": up_to,
    });
    app.apply(
        CENTRALE,
        "service.add",
        json!({
            "service_id": demo_service_id(code),
            "framework_id": Uuid::now_v7(),
            "code": code,
            "name_fr": "Réservation des salles (commande directe)",
            "summary_fr": "Réservation en ligne des salles, commandée directement.",
            "description_fr": "Les citoyens réservent et paient en ligne les salles communales.",
            "category_fr": "Services aux citoyens",
            "reference": "CA-2026-20",
            "title_fr": "Réservation des salles — commandes directes en cascade",
            "call_off_method": if up_to.is_some() { "both" } else { "direct" },
            "terms": terms,
        }),
    )
    .await;
    code
}

/// Creates a draft order of `service_code` for 84009 (by its DG) and returns its id.
pub async fn draft_order(app: &TestApp, service_code: &str, title: &str, needs: Value) -> Uuid {
    let id = Uuid::now_v7();
    app.apply(
        DG,
        "order.create_draft",
        create_draft(id, service_code, title, needs),
    )
    .await;
    id
}

/// A mini-competition under way.
#[derive(Debug, Clone)]
pub struct Competition {
    /// The order.
    pub order_id: Uuid,
    /// Its deadline.
    pub deadline: DateTime<Utc>,
    /// The invitations (as the centrale pulls them).
    pub invitations: Vec<Value>,
}

impl Competition {
    /// The invitation of a provider (by short name).
    pub fn invitation_of(&self, short_name: &str) -> Value {
        let provider = demo_provider_id(short_name).to_string();
        self.invitations
            .iter()
            .find(|i| i["provider_id"] == provider.as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no invitation for {short_name}"))
    }

    /// The invitation id of a provider (by short name).
    pub fn invitation_id(&self, short_name: &str) -> String {
        self.invitation_of(short_name)["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// An e-guichet order of 84009 (adhesion must be active), submitted, and a mini-competition
/// launched by the centrale with a deadline 15 days ahead of server time; its DG, mayor and
/// agent have declared no conflict of interest.
pub async fn open_competition(app: &TestApp) -> Competition {
    open_competition_declared(app, &[DG, MAYOR, AGENT]).await
}

/// As [`open_competition`], with the declarations of no conflict of interest of `declared`
/// only.
pub async fn open_competition_declared(app: &TestApp, declared: &[&str]) -> Competition {
    let order_id = draft_order(
        app,
        "e-guichet",
        "E-guichet état civil 2027",
        eguichet_needs(),
    )
    .await;
    app.apply(DG, "order.submit", submit(order_id)).await;
    // Those who evaluate and decide declare no conflict of interest first (law of 17 June
    // 2016 art. 6; its own tests in organs.rs).
    for user in declared {
        app.declare_no_conflict(user, order_id).await;
    }
    let deadline = app.clock.now() + Duration::days(15);
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
    .await;
    let invitations =
        app.state_of(CENTRALE)
            .await
            .find(RecordKind::Invitation, "order_id", order_id.to_string());
    assert_eq!(
        invitations.len(),
        2,
        "both providers of the framework are invited"
    );
    Competition {
        order_id,
        deadline,
        invitations,
    }
}

/// Checks a status code of a response and returns the text.
pub async fn expect_status(response: reqwest::Response, status: StatusCode) -> String {
    let got = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    text
}

/// The offers of an order in a view.
pub fn offers_of(view: &View, order_id: Uuid) -> Vec<Value> {
    view.find(RecordKind::Offer, "order_id", order_id.to_string())
}

/// An order in a view (it must be visible).
pub fn order_of(view: &View, order_id: Uuid) -> Value {
    view.get(RecordKind::Order, order_id)
        .expect("the order is visible")
}

/// A draft adhesion of the commune `nis` with its conseil decision, signed by its directeur
/// général; returns its id and the hash of the convention (the bourgmestre's signature is
/// what the test is about).
pub async fn signed_by_the_dg(app: &TestApp, nis: &str) -> (Uuid, String) {
    let dg = format!("dg.{nis}");
    let id = Uuid::now_v7();
    app.apply(
        &dg,
        "adhesion.start",
        json!({"adhesion_id": id, "template_id": demo_convention_template_id()}),
    )
    .await;
    app.apply(
        &dg,
        "adhesion.record_college_decision",
        json!({"adhesion_id": id, "college_decision": conseil("CC/2026/101")}),
    )
    .await;
    let sha = app
        .state_of(&dg)
        .await
        .get(
            RecordKind::ConventionTemplate,
            demo_convention_template_id(),
        )
        .unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    app.apply(
        &dg,
        "adhesion.sign",
        json!({"adhesion_id": id, "text_sha256": sha}),
    )
    .await;
    (id, sha)
}
