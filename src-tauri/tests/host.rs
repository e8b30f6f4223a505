//! The desktop app's commands, without a window, against a real server: what a commune's PC
//! does from first run to a countersigned convention, with the network coming and going.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use centrale_desktop::actions::Action;
use centrale_desktop::desktop::{Desktop, DesktopOptions, Events};
use centrale_desktop::notifications::DesktopNotification;
use centrale_desktop::vault::{KeyringStatus, MemorySecrets, SecretStore};
use centrale_domain::adhesion::{AdhesionStatus, CollegeDecision};
use centrale_domain::role::Role;
use centrale_protocol::mutations::{
    ActivateAdhesion, LaunchCompetition, Mutation, RecordCollegeDecision, SignAdhesion,
    StartAdhesion,
};
use centrale_server::second_factor;
use centrale_server::seed::DEMO_PASSWORD;
use centrale_store::read::{OrderFilter, ServiceFilter, WaitingKind};
use centrale_store::OutboxState;
use centrale_sync::{Backoff, EngineTiming, SyncPhase, SyncStatus};
use centrale_tests::server::{applied_after, convention_sha, sign_adhesion_as_commune};
use centrale_tests::{mutations as m, today0, Proxy, TestServer, BERTRIX, CENTRALE, DG, MAYOR};
use uuid::Uuid;

#[derive(Default)]
struct CountingEvents {
    statuses: AtomicUsize,
    data_changes: AtomicUsize,
    notified: std::sync::Mutex<Vec<DesktopNotification>>,
}

impl CountingEvents {
    /// The notifications shown since the last call.
    fn take_notified(&self) -> Vec<DesktopNotification> {
        std::mem::take(&mut *self.notified.lock().unwrap())
    }
}

impl Events for CountingEvents {
    fn sync_status(&self, _: &SyncStatus) {
        self.statuses.fetch_add(1, Ordering::SeqCst);
    }

    fn data_changed(&self) {
        self.data_changes.fetch_add(1, Ordering::SeqCst);
    }

    fn notify(&self, notification: &DesktopNotification) {
        self.notified.lock().unwrap().push(notification.clone());
    }
}

struct Pc {
    desktop: Desktop,
    secrets: Arc<MemorySecrets>,
    events: Arc<CountingEvents>,
    _dir: tempfile::TempDir,
}

/// Syncs only when asked (the tests say when), never on a timer.
fn manual_timing() -> EngineTiming {
    EngineTiming {
        interval: Duration::from_secs(3600),
        after_change: Duration::from_secs(3600),
        backoff: Backoff::default(),
    }
}

async fn pc(default_server_url: Option<String>) -> Pc {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let events = Arc::new(CountingEvents::default());
    let desktop = Desktop::open(
        DesktopOptions {
            data_dir: dir.path().to_path_buf(),
            secrets: secrets.clone(),
            keyring: KeyringStatus::available(),
            default_server_url,
            device: "PC de test".into(),
            timing: manual_timing(),
        },
        events.clone(),
    )
    .await;
    Pc {
        desktop,
        secrets,
        events,
        _dir: dir,
    }
}

/// A server address where nothing listens: the town hall's line is down.
async fn unplug(proxy: &Proxy) {
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = dead.local_addr().unwrap();
    drop(dead);
    proxy.set_upstream(addr);
}

#[tokio::test]
async fn first_run_asks_the_server_address_then_a_sign_in_fills_the_catalogue() {
    let server = TestServer::spawn().await;
    let pc = pc(None).await;

    let state = pc.desktop.app_state().unwrap();
    assert_eq!(state.server_url, None);
    assert!(state.session.is_none());
    let refused = pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap_err();
    assert_eq!(refused.code, "no_server_url");

    let bad = pc.desktop.set_server_url("centrale").await.unwrap_err();
    assert_eq!(bad.code, "invalid_server_url");
    assert!(
        bad.message.contains("centrale.exemple.be"),
        "{}",
        bad.message
    );
    // What people type is completed (`https://`), then tried before it is kept: a name that
    // does not resolve (`.invalid` never does) is said so, naming it, and nothing is kept.
    let unknown = pc
        .desktop
        .set_server_url("centrale.exemple.invalid/")
        .await
        .unwrap_err();
    assert_eq!(unknown.code, "server_unknown_host");
    assert_eq!(unknown.params["host"], "centrale.exemple.invalid");
    assert_eq!(pc.desktop.app_state().unwrap().server_url, None);
    let state = pc
        .desktop
        .set_server_url(&format!("{}/", server.base))
        .await
        .unwrap();
    assert_eq!(state.server_url.as_deref(), Some(server.base.as_str()));

    let wrong = pc.desktop.log_in(DG, "pas le bon").await.unwrap_err();
    assert_eq!(wrong.code, "invalid_credentials");
    let empty = pc.desktop.log_in("  ", "").await.unwrap_err();
    assert_eq!(empty.code, "login_fields_required");

    let state = pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    let me = state.session.expect("signed in");
    assert_eq!(me.role, Role::DirectorGeneral);
    assert_eq!(
        state.commune.expect("the commune is known").name_fr,
        "Bertrix"
    );
    // Today comes from the server's clock (the seed's day), not from this PC's.
    assert_eq!(state.today, today0());

    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(status.phase, SyncPhase::Idle);
    assert!(status.online && status.last_success.is_some());
    let services = pc.desktop.services(&ServiceFilter::default()).unwrap();
    assert_eq!(services.len(), 10);
    let found = pc
        .desktop
        .services(&ServiceFilter {
            text: Some("guichet".into()),
            category: None,
        })
        .unwrap();
    assert!(!found.is_empty() && found.len() < 10, "{found:?}");
    let detail = pc
        .desktop
        .service_detail(found[0].id)
        .unwrap()
        .expect("the service page");
    assert!(detail.estimate.is_some(), "the cost estimate for Bertrix");
    assert!(pc.events.statuses.load(Ordering::SeqCst) > 0);
    assert!(pc.events.data_changes.load(Ordering::SeqCst) > 0);
}

#[tokio::test]
async fn both_signatories_sign_offline_on_one_pc_and_the_countersignature_arrives_after_sync() {
    let server = TestServer::spawn().await;
    let proxy = Proxy::start(server.addr).await;
    let pc = pc(Some(proxy.url.clone())).await;
    let sha = convention_sha(&server).await;

    // Each signatory signs in once with the network, on this PC.
    pc.desktop.log_in(MAYOR, DEMO_PASSWORD).await.unwrap();
    pc.desktop.switch_account().await.unwrap();
    pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    pc.desktop.sync_now().await.unwrap();
    let screen = pc.desktop.adhesion().unwrap();
    assert!(screen.adhesion.is_none());
    let convention = screen.convention.expect("the convention in force");
    assert_eq!(convention.sha256, sha);
    let audit_start = server.audit_head().await;

    // Then the line goes down for the rest of the day.
    unplug(&proxy).await;
    let adhesion_id = Uuid::now_v7();
    for action in [
        Action::StartAdhesion(StartAdhesion {
            adhesion_id,
            template_id: convention.id,
        }),
        Action::RecordCollegeDecision(RecordCollegeDecision {
            adhesion_id,
            college_decision: CollegeDecision {
                reference: "COL/2026/211".into(),
                date: today0(),
                organ: centrale_domain::adhesion::Organ::Conseil,
                financial_opinion: None,
            },
        }),
        Action::SignAdhesion(SignAdhesion {
            adhesion_id,
            text_sha256: sha.clone(),
        }),
    ] {
        pc.desktop.perform(action).await.unwrap();
    }
    pc.desktop.switch_account().await.unwrap();
    let wrong = pc.desktop.log_in(MAYOR, "pas le bon").await.unwrap_err();
    assert_eq!(wrong.code, "invalid_credentials");
    let never_here = pc
        .desktop
        .log_in("agent.84009", DEMO_PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(never_here.code, "offline_first_login");
    let state = pc.desktop.log_in(MAYOR, DEMO_PASSWORD).await.unwrap();
    assert_eq!(state.session.unwrap().role, Role::Mayor);
    pc.desktop
        .perform(Action::SignAdhesion(SignAdhesion {
            adhesion_id,
            text_sha256: sha.clone(),
        }))
        .await
        .unwrap();
    let view = pc.desktop.adhesion().unwrap().adhesion.unwrap();
    assert_eq!(view.status, AdhesionStatus::SignedByCommune);
    assert!(view.pending);
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(status.phase, SyncPhase::Offline);
    assert_eq!(status.pending, 4);
    assert!(status
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("injoignable"));

    // The line comes back: each signature leaves under its signatory's own account.
    proxy.set_upstream(server.addr);
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(
        (status.phase, status.pending),
        (SyncPhase::Idle, 0),
        "{status:?}"
    );
    let applied: Vec<(String, String)> = applied_after(&server.db, audit_start)
        .await
        .into_iter()
        .map(|a| (a.name, a.username))
        .collect();
    let expected = [
        ("adhesion.start", DG),
        ("adhesion.record_college_decision", DG),
        ("adhesion.sign", DG),
        ("adhesion.sign", MAYOR),
    ]
    .map(|(name, user)| (name.to_string(), user.to_string()));
    assert_eq!(applied, expected);

    server
        .apply(CENTRALE, m::countersign_adhesion(adhesion_id, &sha))
        .await;
    server
        .apply(CENTRALE, m::activate_adhesion(adhesion_id))
        .await;
    pc.desktop.sync_now().await.unwrap();
    let view = pc.desktop.adhesion().unwrap().adhesion.unwrap();
    assert!(view.countersignature.is_some());
    assert_eq!(view.status, AdhesionStatus::Active);
    assert!(view.allows_orders && !view.pending);
}

#[tokio::test]
async fn signing_out_forgets_the_account_on_this_pc_but_keeps_its_data() {
    let server = TestServer::spawn().await;
    let pc = pc(Some(server.base.clone())).await;
    pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    let key = format!("{}|{DG}", server.base);
    let entry = pc
        .secrets
        .get(&key)
        .unwrap()
        .expect("the account's keyring entry");
    assert!(entry.contains("token"), "the token is in the keyring entry");
    assert!(
        !std::fs::read_dir(pc._dir.path())
            .unwrap()
            .flatten()
            .any(|f| std::fs::read(f.path())
                .map(|bytes| String::from_utf8_lossy(&bytes).contains(&entry))
                .unwrap_or(false)),
        "the entry is written to no file"
    );

    let state = pc.desktop.log_out().await.unwrap();
    assert!(state.session.is_none());
    assert_eq!(pc.secrets.get(&key).unwrap(), None);
    // The cache stays: the catalogue is still there for the next account.
    assert_eq!(
        pc.desktop
            .services(&ServiceFilter::default())
            .unwrap()
            .len(),
        10
    );
    // And the account can no longer sign in without the network.
    drop(server);
    let refused = pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap_err();
    assert_eq!(refused.code, "offline_first_login");
}

#[tokio::test]
async fn a_refused_change_waits_with_what_was_typed_then_goes_once_corrected() {
    let server = TestServer::spawn().await;
    let proxy = Proxy::start(server.addr).await;
    let pc = pc(Some(proxy.url.clone())).await;
    pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    let order_id = Uuid::now_v7();
    server
        .apply(DG, m::create_draft(order_id, "E-guichet 2027"))
        .await;
    pc.desktop.sync_now().await.unwrap();

    // Offline, the draft is renamed here while another PC deletes it.
    unplug(&proxy).await;
    let rename = |title: &str| {
        let Mutation::UpdateOrderDraft(input) = m::update_draft(order_id, title, 9) else {
            unreachable!("update_draft makes an order.update_draft")
        };
        Action::UpdateOrderDraft(input)
    };
    pc.desktop
        .perform(rename("E-guichet et paiement 2027"))
        .await
        .unwrap();
    // « Synchroniser maintenant » while the line is down: nothing leaves, and the status says so.
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!((status.phase, status.pending), (SyncPhase::Offline, 1));
    server.apply(DG, m::delete_draft(order_id)).await;
    proxy.set_upstream(server.addr);
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(status.needs_attention, 1, "{status:?}");

    let outbox = pc.desktop.outbox().unwrap();
    let refused = outbox
        .iter()
        .find(|e| e.state == OutboxState::NeedsAttention)
        .expect("the refused change");
    assert_eq!(refused.payload["title"], "E-guichet et paiement 2027");
    assert!(refused.error_message.is_some());

    // Corrected into a new draft of the same needs, it goes through.
    let recreated = Uuid::now_v7();
    let Mutation::CreateOrderDraft(create) =
        m::create_draft(recreated, "E-guichet et paiement 2027")
    else {
        unreachable!("create_draft makes an order.create_draft")
    };
    let performed = pc
        .desktop
        .resend_change(refused.mutation_id, Action::CreateOrderDraft(create))
        .await
        .unwrap();
    assert_ne!(performed.mutation_id, refused.mutation_id.to_string());
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(
        (status.pending, status.needs_attention),
        (0, 0),
        "{status:?}"
    );
    let orders = pc.desktop.orders(&OrderFilter::default()).unwrap();
    assert!(orders.iter().any(|o| o.id == recreated), "{orders:?}");
}

#[tokio::test]
async fn the_centrales_pc_countersigns_activates_and_launches_with_the_servers_settings() {
    let server = TestServer::spawn().await;
    let adhesion_id = sign_adhesion_as_commune(&server, BERTRIX).await;
    let pc = pc(Some(server.base.clone())).await;
    let state = pc.desktop.log_in(CENTRALE, DEMO_PASSWORD).await.unwrap();
    assert_eq!(state.session.unwrap().role, Role::CentraleStaff);
    assert!(state.commune.is_none());
    // The server's minimum for a competition came with the first sync.
    assert_eq!(
        state.settings.map(|s| s.min_competition_days),
        Some(10),
        "the server's default setting"
    );

    // Every commune, Bertrix waiting for the countersignature with its two signatures.
    let communes = pc.desktop.communes().unwrap();
    assert!(communes.len() > 40, "the province's communes");
    // Counted as the overview counts them: the 43 communes in force, not the merged codes
    // (Bastogne 82003 and Bertogne 82005 became Bastogne 82039 on 1 January 2025).
    let current: Vec<&str> = communes
        .iter()
        .filter(|c| c.current)
        .map(|c| c.nis_code.as_str())
        .collect();
    assert_eq!(current.len(), 43);
    assert!(!current.contains(&"82003") && !current.contains(&"82005"));
    assert!(current.contains(&"82039"));
    let bertrix = communes.iter().find(|c| c.nis_code == BERTRIX).unwrap();
    assert_eq!(
        bertrix.adhesion_status,
        Some(AdhesionStatus::SignedByCommune)
    );
    let screen = pc.desktop.adhesion_of(BERTRIX).unwrap();
    let adhesion = screen.adhesion.expect("Bertrix's adhesion");
    assert!(adhesion.director_general_signature.is_some() && adhesion.mayor_signature.is_some());

    // The centrale's staff must sign with a one-time code (issue 17 point 9): without one, the
    // PC refuses at once, under the code's field; with the code of its application, it goes.
    let countersign = Action::CountersignAdhesion(SignAdhesion {
        adhesion_id,
        text_sha256: adhesion.text_sha256.clone(),
    });
    let refused = pc.desktop.perform(countersign.clone()).await.unwrap_err();
    assert_eq!(refused.code, "second_factor_required");
    assert_eq!(refused.params["field"], "second_factor");
    // A wrong code leaves the PC (only the server can tell) and comes back refused, in
    // « À corriger »; it goes again with the application's code.
    let wrong = pc
        .desktop
        .perform_signed(countersign.clone(), Some("ZZZZ-ZZZZ"))
        .await
        .unwrap();
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(status.needs_attention, 1, "{status:?}");
    let refused = pc.desktop.outbox().unwrap();
    assert_eq!(
        refused[0].error_code.as_deref(),
        Some("second_factor_wrong")
    );
    let code = second_factor::code_at(&second_factor::demo_secret(CENTRALE), pc.desktop.now());
    pc.desktop
        .resend_signed_change(wrong.mutation_id.parse().unwrap(), countersign, Some(&code))
        .await
        .unwrap();
    pc.desktop
        .perform(Action::ActivateAdhesion(ActivateAdhesion { adhesion_id }))
        .await
        .unwrap();
    pc.desktop.sync_now().await.unwrap();
    let active = pc.desktop.adhesion_of(BERTRIX).unwrap().adhesion.unwrap();
    assert_eq!(active.status, AdhesionStatus::Active);

    // Bertrix may order now; its request reaches the centrale's PC, which launches.
    let order_id = Uuid::now_v7();
    for mutation in [
        m::create_draft(order_id, "E-guichet 2027"),
        m::submit(order_id),
    ] {
        server.apply(DG, mutation).await;
    }
    pc.desktop.sync_now().await.unwrap();
    let deadline = server.now() + chrono::Duration::days(15);
    pc.desktop
        .perform(Action::LaunchCompetition(LaunchCompetition {
            order_id,
            deadline,
        }))
        .await
        .unwrap();
    pc.desktop.sync_now().await.unwrap();
    assert!(
        pc.desktop.outbox().unwrap().is_empty(),
        "all three accepted"
    );
    let active = pc.desktop.adhesion_of(BERTRIX).unwrap().adhesion.unwrap();
    assert_eq!(active.status, AdhesionStatus::Active);
    let order = pc.desktop.order_detail(order_id).unwrap().unwrap();
    assert_eq!(order.invitations.len(), 2, "both providers invited");
    assert!(order.invitations.iter().all(|i| !i.offer_submitted));

    // The overview counts the order and the active commune; catalogue management reads.
    let overview = pc.desktop.overview().unwrap();
    assert_eq!(overview.totals.orders, 1);
    assert_eq!(overview.totals.awarded, 0);
    assert_eq!(overview.totals.communes_active, 1);
    let providers = pc.desktop.providers().unwrap();
    assert!(providers.iter().any(|p| p.provider.short_name == "nuagix"));
    let terms = pc
        .desktop
        .framework_terms(order.order.framework_id)
        .unwrap()
        .expect("the e-guichet framework's terms");
    assert_eq!(terms.version_count, 1);
}

/// Issue 14 §2: a sync that brings what waits for the signed-in person notifies it once; the
/// menu counts it; turned off, nothing is notified, and turning it on again does not tell what
/// came while it was off.
#[tokio::test]
async fn a_signature_that_waits_is_notified_once_after_a_sync_and_never_when_turned_off() {
    let server = TestServer::spawn().await;
    let pc = pc(Some(server.base.clone())).await;
    let sha = convention_sha(&server).await;
    pc.desktop.log_in(MAYOR, DEMO_PASSWORD).await.unwrap();
    pc.desktop.sync_now().await.unwrap();
    assert!(pc.desktop.waiting().unwrap().items.is_empty());
    assert!(pc.events.take_notified().is_empty());

    // The directeur général prepares and signs the convention on another PC.
    let adhesion_id = Uuid::now_v7();
    for act in [
        m::start_adhesion(adhesion_id),
        m::record_college_decision(adhesion_id, "CC/2026/12"),
        m::sign_adhesion(adhesion_id, &sha),
    ] {
        server.apply(DG, act).await;
    }
    pc.desktop.sync_now().await.unwrap();
    let told = pc.events.take_notified();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].title, "Convention d'adhésion à signer");
    assert!(told[0].body.contains("Bertrix"), "{}", told[0].body);
    let waiting = pc.desktop.waiting().unwrap();
    assert!(waiting.notifications_enabled);
    assert_eq!(
        waiting.items.iter().map(|w| w.kind).collect::<Vec<_>>(),
        [WaitingKind::SignAdhesion]
    );

    // Another sync, a restart of the app: nothing is told twice.
    pc.desktop.sync_now().await.unwrap();
    assert!(pc.events.take_notified().is_empty());

    // The mayor signs: nothing waits for the mayor any more.
    pc.desktop
        .perform(Action::SignAdhesion(SignAdhesion {
            adhesion_id,
            text_sha256: sha.clone(),
        }))
        .await
        .unwrap();
    pc.desktop.sync_now().await.unwrap();
    assert!(pc.desktop.waiting().unwrap().items.is_empty());

    // Turned off: the notice of termination the DG gives later is counted, not notified…
    let off = pc.desktop.set_notifications(false).unwrap();
    assert!(!off.notifications_enabled);
    server
        .apply(CENTRALE, m::countersign_adhesion(adhesion_id, &sha))
        .await;
    server
        .apply(CENTRALE, m::activate_adhesion(adhesion_id))
        .await;
    server
        .apply(
            DG,
            centrale_protocol::mutations::Mutation::TerminateAdhesion(
                centrale_protocol::mutations::TerminateAdhesion {
                    adhesion_id,
                    reason: "Regroupement des achats dans la nouvelle commune fusionnée.".into(),
                },
            ),
        )
        .await;
    pc.desktop.sync_now().await.unwrap();
    assert!(pc.events.take_notified().is_empty());
    let waiting = pc.desktop.waiting().unwrap();
    assert_eq!(
        waiting.items.iter().map(|w| w.kind).collect::<Vec<_>>(),
        [WaitingKind::SignTermination]
    );
    // …and turning them on again tells only what comes next.
    assert!(
        pc.desktop
            .set_notifications(true)
            .unwrap()
            .notifications_enabled
    );
    pc.desktop.sync_now().await.unwrap();
    assert!(pc.events.take_notified().is_empty());
}

/// Issue 12 §1: the documents a commune prints carry the intercommunale's own name, as its
/// server is configured (`centrale_name`), generated offline from what the last pull brought.
#[tokio::test]
async fn documents_carry_the_intercommunales_name_the_server_sent() {
    let name = "IDELUX Projets publics — centrale d'achat";
    let server = TestServer::spawn_with(centrale_server::config::Settings {
        centrale_name: name.into(),
        ..Default::default()
    })
    .await;
    let adhesion_id = sign_adhesion_as_commune(&server, BERTRIX).await;
    let pc = pc(Some(server.base.clone())).await;
    pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    pc.desktop.sync_now().await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let saved = pc
        .desktop
        .document(
            centrale_desktop::documents::DocumentKind::AdhesionDeliberation,
            adhesion_id,
            folder.path(),
        )
        .unwrap();
    let text = std::process::Command::new("pdftotext")
        .args([&saved.path, "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("IDELUX Projets publics"), "{text}");
}

#[tokio::test]
async fn the_centrales_lists_are_exported_as_csv_offline_and_a_commune_gets_only_its_own() {
    use centrale_desktop::exports::ExportKind;
    let server = TestServer::spawn().await;
    let centrale = pc(Some(server.base.clone())).await;
    centrale
        .desktop
        .log_in(CENTRALE, DEMO_PASSWORD)
        .await
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let documents = folder.path().join("Centrale");

    // From the cache: the server is not asked (it is stopped first).
    drop(server);
    let saved = centrale
        .desktop
        .export_csv(ExportKind::Communes, None, &documents)
        .unwrap();
    assert!(
        saved.file_name.ends_with(" Centrale - Communes.csv"),
        "{saved:?}"
    );
    assert!(saved.rows > 40, "the province's communes: {}", saved.rows);
    let bytes = std::fs::read(&saved.path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFCode INS;Commune;Gemeente;"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(text.matches("\r\n").count(), saved.rows as usize + 1);
    assert!(text.contains(&format!("\r\n{BERTRIX};Bertrix;")), "{text}");
    for kind in [
        ExportKind::Orders,
        ExportKind::Deployments,
        ExportKind::Consumption,
        ExportKind::Solutions,
    ] {
        let saved = centrale.desktop.export_csv(kind, None, &documents).unwrap();
        assert!(std::path::Path::new(&saved.path).exists(), "{kind:?}");
    }
    // « Suivi des accords-cadres » (issue 16.5), offline too: the demo's frameworks in force.
    let tracking = centrale.desktop.tracking().unwrap();
    assert!(!tracking.ends.is_empty());
    assert_eq!(tracking.lead_months, 6);

    // A commune's account: its own orders and deployments, not the centrale's lists.
    let server = TestServer::spawn().await;
    let commune = pc(Some(server.base.clone())).await;
    commune.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    let saved = commune
        .desktop
        .export_csv(ExportKind::Orders, None, folder.path())
        .unwrap();
    assert_eq!(saved.rows, 0, "a new commune has no order yet");
    for kind in [
        ExportKind::Communes,
        ExportKind::Consumption,
        ExportKind::Solutions,
    ] {
        let refused = commune
            .desktop
            .export_csv(kind, None, folder.path())
            .unwrap_err();
        assert_eq!(refused.code, "export_centrale_only", "{kind:?}");
        assert!(refused.message.contains("centrale d'achat"));
    }
    // The follow-up gathers every commune's call-offs: the domain's permission refuses it.
    let refused = commune.desktop.tracking().unwrap_err();
    assert_eq!(refused.code, "forbidden");
}

/// « Mon compte › Double authentification » (issue 17 point 9): the DG sets it up from the
/// PC with the secret the server shows, gets the recovery codes, and from then on the PC asks
/// for a code to sign; a recovery code serves as one. Turning it off needs a good code.
#[tokio::test]
async fn a_signatory_turns_the_second_factor_on_and_signs_with_a_code() {
    let server = TestServer::spawn().await;
    let pc = pc(Some(server.base.clone())).await;
    let state = pc.desktop.log_in(DG, DEMO_PASSWORD).await.unwrap();
    assert!(!state.session.unwrap().second_factor);

    let setup = pc.desktop.second_factor_start().await.unwrap();
    assert!(setup.qr_svg.contains("<svg"), "{}", setup.qr_svg);
    assert!(setup.otpauth_uri.starts_with("otpauth://totp/"));
    let secret: String = setup.secret.split_whitespace().collect();
    let wrong = pc.desktop.second_factor_confirm("000000").await;
    let wrong = match wrong {
        // One chance in a million that 000000 is the code of the moment.
        Ok(_) => panic!("000000 happened to be the code"),
        Err(e) => e,
    };
    assert_eq!(wrong.code, "second_factor_wrong", "{wrong:?}");
    let malformed = pc.desktop.second_factor_confirm("12").await.unwrap_err();
    assert_eq!(malformed.code, "second_factor_code_malformed");
    assert_eq!(malformed.params["digits"], 6, "{malformed:?}");

    let code = second_factor::code_at(&secret, server.now());
    let enabled = pc.desktop.second_factor_confirm(&code).await.unwrap();
    assert_eq!(enabled.recovery_codes.len(), 10);
    let state = pc.desktop.app_state().unwrap();
    assert!(
        state.session.unwrap().second_factor,
        "the PC knows it is on"
    );

    // The DG starts Bertrix's adhesion and signs it: the PC asks for the code now.
    pc.desktop.sync_now().await.unwrap();
    let screen = pc.desktop.adhesion().unwrap();
    let convention = screen.convention.expect("the convention in force");
    let adhesion_id = Uuid::now_v7();
    for action in [
        Action::StartAdhesion(StartAdhesion {
            adhesion_id,
            template_id: convention.id,
        }),
        Action::RecordCollegeDecision(RecordCollegeDecision {
            adhesion_id,
            college_decision: CollegeDecision {
                reference: "COL/2026/212".into(),
                date: today0(),
                organ: centrale_domain::adhesion::Organ::Conseil,
                financial_opinion: None,
            },
        }),
    ] {
        pc.desktop.perform(action).await.unwrap();
    }
    let sign = Action::SignAdhesion(SignAdhesion {
        adhesion_id,
        text_sha256: convention.sha256.clone(),
    });
    let refused = pc.desktop.perform(sign.clone()).await.unwrap_err();
    assert_eq!(refused.code, "second_factor_required");
    // The application's code of the moment served to confirm: a recovery code signs (each
    // serves once).
    pc.desktop
        .perform_signed(sign, Some(&enabled.recovery_codes[0].to_lowercase()))
        .await
        .unwrap();
    let status = pc.desktop.sync_now().await.unwrap();
    assert_eq!(
        (status.pending, status.needs_attention),
        (0, 0),
        "{status:?}"
    );
    let view = pc.desktop.adhesion().unwrap().adhesion.unwrap();
    assert!(view.director_general_signature.is_some() && !view.pending);

    // Off with a wrong code: refused by the server, still on; with a recovery code: off.
    let wrong = pc.desktop.second_factor_off("ZZZZ-ZZZZ").await.unwrap_err();
    assert_eq!(wrong.code, "second_factor_wrong", "{wrong:?}");
    assert!(
        pc.desktop
            .app_state()
            .unwrap()
            .session
            .unwrap()
            .second_factor
    );
    pc.desktop
        .second_factor_off(&enabled.recovery_codes[1])
        .await
        .unwrap();
    assert!(
        !pc.desktop
            .app_state()
            .unwrap()
            .session
            .unwrap()
            .second_factor
    );
}
