//! The randomized fault run: several PCs of two communes and the centrale act offline, sync
//! through a proxy that drops connections, and are killed and restarted, in an order drawn
//! from a seed. At the end, after a clean sync of everyone, nothing may be lost or doubled:
//! every action is applied exactly once on the server or waits in its PC's needs-attention
//! list, every cache equals what the server shows its account, and replaying the accepted
//! mutations in server order on a fresh server gives the same records.
//!
//! Reproducible: `CENTRALE_FAULT_SEED` replays a run (the seed is printed at the start and in
//! every failure), `CENTRALE_FAULT_STEPS` sets its length.

use centrale_server::Clock;
use std::collections::BTreeSet;

use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{LoginResponse, MutationEnvelope, MutationStatus, Role};
use centrale_store::{OutboxState, StoreError};
use centrale_sync::SyncConfig;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::cache::pending_records;
use crate::mutations as m;
use crate::{Fault, Proxy, TestClient, TestServer};

/// Every account of the run: two communes (several accounts for the first) and the centrale.
pub const ACCOUNTS: [&str; 6] = [
    crate::DG,
    crate::MAYOR,
    crate::AGENT,
    crate::DG_OTHER,
    crate::MAYOR_OTHER,
    crate::CENTRALE,
];

/// Variable holding the seed of a run to replay.
pub const SEED_VAR: &str = "CENTRALE_FAULT_SEED";
/// Variable holding the number of steps.
pub const STEPS_VAR: &str = "CENTRALE_FAULT_STEPS";

/// A run's seed and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultRunConfig {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of random steps before the final clean sync.
    pub steps: usize,
}

impl FaultRunConfig {
    /// From `CENTRALE_FAULT_SEED` (a new random seed when unset) and `CENTRALE_FAULT_STEPS`
    /// (`default_steps` when unset).
    pub fn from_env(default_steps: usize) -> FaultRunConfig {
        let seed = match std::env::var(SEED_VAR) {
            Ok(s) if !s.trim().is_empty() => s
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{SEED_VAR}={s:?} is not a number")),
            _ => rand::random(),
        };
        let steps = match std::env::var(STEPS_VAR) {
            Ok(s) if !s.trim().is_empty() => s
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{STEPS_VAR}={s:?} is not a number")),
            _ => default_steps,
        };
        FaultRunConfig { seed, steps }
    }

    fn rerun(&self) -> String {
        format!(
            "seed {} ({SEED_VAR}={} {STEPS_VAR}={})",
            self.seed, self.seed, self.steps
        )
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultRunReport {
    /// Mutations enqueued by the PCs.
    pub enqueued: usize,
    /// Of which applied on the server.
    pub applied: usize,
    /// Of which left in a needs-attention list (refused or in conflict).
    pub needs_attention: usize,
    /// Of which settled by the user (conflict kept or discarded, refusal discarded).
    pub settled: usize,
    /// Local refusals (nothing enqueued).
    pub refused_locally: usize,
    /// Syncs tried during the random steps.
    pub syncs: usize,
    /// Of which failed (dropped connection).
    pub failed_syncs: usize,
    /// Connections cut by the proxy.
    pub cuts: usize,
    /// PCs killed and restarted.
    pub restarts: usize,
}

struct Pc {
    client: Option<TestClient>,
    login: LoginResponse,
    enqueued: Vec<Uuid>,
    settled: BTreeSet<Uuid>,
}

impl Pc {
    fn client(&self) -> &TestClient {
        self.client.as_ref().expect("the PC is running")
    }
}

fn new_id(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
}

/// A local refusal (a rule on what the PC knows) is part of the game; anything else is a
/// failure of the cache.
fn local_refusal(e: &StoreError) -> bool {
    matches!(e, StoreError::Rule(_) | StoreError::Refused { .. })
}

/// Runs the whole randomized scenario and checks its end state; panics with the seed on any
/// broken promise.
pub async fn run(config: FaultRunConfig) -> FaultRunReport {
    eprintln!(
        "fault run: {} steps, {} — rerun with that seed to replay",
        config.steps,
        config.rerun()
    );
    let mut rng = StdRng::seed_from_u64(config.seed);
    let server = TestServer::spawn().await;
    let proxy = Proxy::start(server.addr).await;
    let mut sync_config = SyncConfig::new(&proxy.url);
    sync_config.push_batch = 4;
    sync_config.pull_limit = Some(20);
    sync_config.request_timeout = std::time::Duration::from_secs(20);

    let mut pcs = Vec::new();
    for username in ACCOUNTS {
        let login = server.login(username).await;
        let client = TestClient::new(sync_config.clone(), &login);
        client.sync().await;
        pcs.push(Pc {
            client: Some(client),
            login,
            enqueued: Vec::new(),
            settled: BTreeSet::new(),
        });
    }

    let mut report = FaultRunReport::default();
    for step in 0..config.steps {
        let who = rng.gen_range(0..pcs.len());
        let pc = &mut pcs[who];
        match rng.gen_range(0..100) {
            0..=44 => act(&mut rng, pc, &mut report),
            45..=79 => {
                report.syncs += 1;
                if rng.gen_bool(0.5) {
                    let prefix = if rng.gen_bool(0.5) {
                        "POST /api/v1/sync/push"
                    } else {
                        "GET /api/v1/sync/pull"
                    };
                    let fault = if rng.gen_bool(0.5) {
                        Fault::CutRequest(rng.gen_range(0..1500))
                    } else {
                        Fault::CutResponse(rng.gen_range(0..4000))
                    };
                    proxy.arm(prefix, rng.gen_range(0..2), fault);
                }
                let outcome = pc.client().try_sync().await;
                proxy.disarm();
                if let Err(e) = outcome {
                    assert!(
                        e.is_retryable(),
                        "step {step}: sync of {} failed for good: {e} ({}) — {}",
                        pc.login.user.username,
                        e.code(),
                        config.rerun()
                    );
                    report.failed_syncs += 1;
                }
            }
            80..=89 => {
                let client = pc.client.take().expect("the PC is running");
                pc.client = Some(client.restart());
                report.restarts += 1;
            }
            _ => settle(&mut rng, pc, &mut report),
        }
    }
    report.cuts = proxy.fired();
    proxy.disarm();

    // Everyone syncs cleanly until nothing moves any more.
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(rounds <= 6, "the PCs do not converge — {}", config.rerun());
        let mut moved = false;
        for pc in &pcs {
            let r = pc.client().sync().await;
            moved |= r.applied + r.rejected + r.conflicts + r.changes > 0;
        }
        if !moved {
            break;
        }
    }

    check_end_state(&config, &server, &pcs, &mut report).await;
    check_replay(&config, &server).await;
    eprintln!("fault run done: {report:?}");
    report
}

/// One user action on what the PC shows.
fn act(rng: &mut StdRng, pc: &mut Pc, report: &mut FaultRunReport) {
    let client = pc.client();
    let live = client.live();
    let me = &pc.login.user;
    let mutation = if me.role == Role::CentraleStaff {
        let adhesions = live.of_kind(RecordKind::Adhesion.as_str());
        if adhesions.is_empty() {
            return;
        }
        let (id, body) = adhesions[rng.gen_range(0..adhesions.len())];
        let id = Uuid::parse_str(id).expect("adhesion id");
        let sha = body["text_sha256"].as_str().unwrap_or_default();
        if body["status"] == "countersigned" || rng.gen_bool(0.2) {
            m::activate_adhesion(id)
        } else {
            m::countersign_adhesion(id, sha)
        }
    } else {
        let commune = me.commune_nis.clone().unwrap_or_default();
        let drafts: Vec<Uuid> = live
            .of_kind(RecordKind::Order.as_str())
            .into_iter()
            .filter(|(_, o)| o["status"] == "draft" && o["commune_nis"] == commune.as_str())
            .filter_map(|(id, _)| Uuid::parse_str(id).ok())
            .collect();
        let adhesion = live
            .of_kind(RecordKind::Adhesion.as_str())
            .into_iter()
            .find(|(_, a)| a["commune_nis"] == commune.as_str() && a["status"] != "terminated")
            .map(|(id, a)| (Uuid::parse_str(id).expect("adhesion id"), a.clone()));
        let pick = |rng: &mut StdRng| drafts[rng.gen_range(0..drafts.len())];
        match rng.gen_range(0..12) {
            0..=2 => m::create_draft(new_id(rng), &format!("Commande {}", rng.gen::<u16>())),
            3..=5 if !drafts.is_empty() => {
                let id = pick(rng);
                m::update_draft(
                    id,
                    &format!("Révision {}", rng.gen::<u16>()),
                    rng.gen_range(1..40),
                )
            }
            6 if !drafts.is_empty() => m::delete_draft(pick(rng)),
            7..=8 if !drafts.is_empty() => m::submit(pick(rng)),
            _ => match adhesion {
                None => m::start_adhesion(new_id(rng)),
                Some((id, a)) if a["college_decision"].is_null() => {
                    m::record_college_decision(id, &format!("COL/2026/{}", rng.gen_range(1..999)))
                }
                Some((id, a)) => m::sign_adhesion(id, a["text_sha256"].as_str().unwrap_or("")),
            },
        }
    };
    match client.try_act(&mutation) {
        Ok(queued) => pc.enqueued.push(queued.mutation_id),
        Err(e) if local_refusal(&e) => report.refused_locally += 1,
        Err(e) => panic!("{} could not enqueue {}: {e}", me.username, mutation.name()),
    }
}

/// The user settles one entry of the needs-attention list.
fn settle(rng: &mut StdRng, pc: &mut Pc, report: &mut FaultRunReport) {
    let store = pc.client().store.clone();
    let entries = store
        .needs_attention()
        .expect("reading the needs-attention list");
    if entries.is_empty() {
        return;
    }
    let entry = &entries[rng.gen_range(0..entries.len())];
    if entry.state == OutboxState::Conflict && rng.gen_bool(0.6) {
        match store.keep_mine(entry.mutation_id) {
            Ok(queued) => {
                pc.settled.insert(entry.mutation_id);
                pc.enqueued.push(queued.mutation_id);
            }
            Err(e) if local_refusal(&e) => report.refused_locally += 1,
            Err(e) => panic!("keep_mine failed: {e}"),
        }
    } else if rng.gen_bool(0.5) {
        store
            .discard(entry.mutation_id)
            .expect("discarding an entry");
        pc.settled.insert(entry.mutation_id);
    }
}

async fn check_end_state(
    config: &FaultRunConfig,
    server: &TestServer,
    pcs: &[Pc],
    report: &mut FaultRunReport,
) {
    let rerun = config.rerun();
    let applied = server.applied_counts().await;
    let mut known = BTreeSet::new();
    for pc in pcs {
        let client = pc.client();
        let who = &pc.login.user.username;
        assert_eq!(
            client.store.pending().expect("pending").len(),
            0,
            "{who} still has pending changes after a clean sync — {rerun}"
        );
        assert_eq!(
            pending_records(&client.store),
            0,
            "{who}: local overlays left — {rerun}"
        );
        let attention: BTreeSet<Uuid> = client
            .store
            .needs_attention()
            .expect("needs attention")
            .iter()
            .map(|e| e.mutation_id)
            .collect();
        for id in &attention {
            assert!(
                pc.enqueued.contains(id),
                "{who}: {id} in needs-attention was never enqueued — {rerun}"
            );
        }
        for id in &pc.enqueued {
            known.insert(*id);
            let times = applied.get(id).copied().unwrap_or(0);
            if pc.settled.contains(id) {
                assert_eq!(
                    times, 0,
                    "{who}: settled {id} applied {times} times — {rerun}"
                );
                report.settled += 1;
            } else if attention.contains(id) {
                assert_eq!(
                    times, 0,
                    "{who}: {id} needs attention yet applied {times} times — {rerun}"
                );
                report.needs_attention += 1;
            } else {
                assert_eq!(times, 1, "{who}: {id} applied {times} times, not once, and not in needs-attention — {rerun}");
                report.applied += 1;
            }
        }
        report.enqueued += pc.enqueued.len();
        let cache = client.live();
        let view = server.view(who).await;
        assert!(
            cache == view,
            "{who}: the cache differs from the server: {:?} — {rerun}",
            cache.diff(&view)
        );
    }
    for id in applied.keys() {
        assert!(
            known.contains(id),
            "applied mutation {id} was enqueued by no PC — {rerun}"
        );
    }
}

/// Replays every accepted mutation, in server order, on a fresh server with the same seed
/// data and clock; every account must then see the same records.
async fn check_replay(config: &FaultRunConfig, server: &TestServer) {
    let rerun = config.rerun();
    let replay = TestServer::spawn().await;
    let applied = server.applied_after(0).await;
    for (n, mutation) in applied.iter().enumerate() {
        let username = mutation.username.as_str();
        assert!(
            ACCOUNTS.contains(&username),
            "applied by an unknown account {username} — {rerun}"
        );
        let base_version = match mutation.name.as_str() {
            "order.update_draft" | "order.delete_draft" => {
                let id = mutation.payload["order_id"].as_str().unwrap_or_default();
                replay
                    .db
                    .get_record("order", id)
                    .await
                    .expect("reading the replayed order")
                    .map(|r| r.version)
            }
            _ => None,
        };
        let envelope = MutationEnvelope {
            mutation_id: mutation.mutation_id,
            client_seq: n as i64 + 1,
            name: mutation.name.clone(),
            base_version,
            payload: mutation.payload.clone(),
            second_factor: Mutation::parse(&mutation.name, mutation.payload.clone())
                .ok()
                .and_then(|m| {
                    centrale_server::second_factor::demo_proof(username, &m, replay.clock.now())
                }),
        };
        let result = replay
            .push_envelopes(username, mutation.client_id, vec![envelope])
            .await
            .remove(0);
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "replay of #{n} {} by {username} {}: {:?} {:?} — {rerun}",
            mutation.name,
            mutation.payload,
            result.code,
            result.message
        );
    }
    for username in ACCOUNTS {
        let original = server.view(username).await;
        let replayed = replay.view(username).await;
        assert!(
            original == replayed,
            "{username}: the server's records differ from the replay: {:?} — {rerun}",
            original.diff(&replayed)
        );
    }
    let mut names = std::collections::BTreeMap::new();
    for mutation in &applied {
        *names.entry(mutation.name.as_str()).or_insert(0) += 1;
    }
    eprintln!("replayed {} mutations: {names:?}", applied.len());
}
