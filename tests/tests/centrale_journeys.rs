//! The centrale's staff in the same desktop app, and a whole call-off across the three sides:
//! the commune's app, the centrale's app (two PCs, each with its own cache and keyring entry)
//! and the providers' portal in Chromium, against one real server.
//!
//! Run by `cargo xtask test` (feature `desktop-e2e`, one journey at a time). The apps of two
//! PCs are opened one after the other (one window on the display at a time, so each
//! screenshot shows the app it names); reopening a PC keeps its cache and its signed-in
//! account, as on a real office PC. With `CENTRALE_SCREENSHOTS=<folder>`, every step is saved.

use centrale_protocol::MutationStatus;
use centrale_server::seed::{demo_framework_id, demo_provider_id, demo_service_id, DEMO_PASSWORD};
use centrale_tests::calloff::awarded_order;
use centrale_tests::desktop::{app_binary, DesktopApp, Launch};
use centrale_tests::journey::{self, brussels};
use centrale_tests::portal::PortalBrowser;
use centrale_tests::server::{activate_adhesion, sign_adhesion_as_commune};
use centrale_tests::{
    eventually, mutations as m, TestServer, BERTRIX, CENTRALE, CIVITECH, DG, DG_OTHER, LIBRAMONT,
    NUAGIX,
};
use chrono::{Datelike, Duration, Utc};
use chrono_tz::Europe::Brussels;
use serde_json::Value;
use uuid::Uuid;

/// The question and answer, the substitute signer, the offer set aside, the relaunch.
#[path = "centrale_journeys/competition_edges.rs"]
mod competition_edges;

#[path = "centrale_journeys/pool.rs"]
mod pool;
/// Issue 16 §3: the needs survey, from a commune's answers to a new service.
#[path = "centrale_journeys/survey.rs"]
mod survey;

/// One office PC: its folder survives closing the app.
struct Pc {
    home: tempfile::TempDir,
    server_url: String,
}

impl Pc {
    fn new(server: &TestServer) -> Pc {
        Pc {
            home: tempfile::tempdir().expect("the PC's folder"),
            server_url: server.base.clone(),
        }
    }

    /// Opens Centrale on this PC.
    async fn open(&self) -> DesktopApp {
        DesktopApp::launch_with(Launch {
            binary: app_binary(),
            home: self.home.path().to_path_buf(),
            server_url: self.server_url.clone(),
        })
        .await
    }

    /// Opens Centrale on this PC, already signed in there: it opens on the home screen and
    /// brings what changed.
    async fn reopen(&self) -> DesktopApp {
        let app = self.open().await;
        app.find("nav-accueil").await;
        app.sync_now().await;
        app.wait_text("sync-state", "Synchronisé").await;
        app
    }
}

/// The server at today's real time (the seed is dated earlier the same day), so that what the
/// apps show reads as on a real day.
async fn server_now() -> TestServer {
    let server = TestServer::spawn().await;
    server.clock.set(Utc::now());
    server
}

/// The record `kind`/`id` as `user` sees it on the server, once `ready` holds.
async fn on_server(
    server: &TestServer,
    user: &str,
    kind: &str,
    id: &str,
    what: &str,
    ready: impl Fn(&Value) -> bool,
) -> Value {
    eventually(std::time::Duration::from_secs(30), what, || async {
        let view = server.view(user).await;
        let record = view.get(kind, id)?.clone();
        ready(&record).then_some(record)
    })
    .await
}

/// The day the centrale chooses as the offers' deadline: 15 days ahead (Brussels) or the first
/// day after that reads differently month first (`02/01/2027` is 1 February on an English PC),
/// so that the journey shows the app reads it day first.
fn deadline_day(server: &TestServer) -> chrono::NaiveDate {
    let mut day = server.now().with_timezone(&Brussels).date_naive() + Duration::days(15);
    while day.day() > 12 || day.day() == day.month() {
        day += Duration::days(1);
    }
    day
}

/// The code the centrale's authenticator application shows now (issue 17 point 9: the demo's
/// staff account signs with a fixed demo secret). The PC dates an act by the server's clock as
/// of its last sync, and the test server's clock stands still: a sync first, so that the moment
/// the code is typed falls in the step of the server's time (one step either side is allowed).
async fn centrale_code(app: &DesktopApp, server: &TestServer) -> String {
    app.sync_now().await;
    let secret = centrale_server::second_factor::demo_secret(CENTRALE);
    centrale_server::second_factor::code_at(&secret, server.now())
}

/// In the centrale's app, on a submitted order's page: the deadline typed, the confirmation
/// screenshot as `confirm_shot`, launched, synced until both invitations show.
async fn launch_competition_in_the_app(
    app: &DesktopApp,
    day: chrono::NaiveDate,
    confirm_shot: &str,
) {
    app.find("launch-competition").await;
    app.wait_count("competition-invitee", 2).await;
    // Typed as a Belgian types it, on a PC set to English.
    app.type_into(
        "competition-deadline-date",
        &day.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.type_into("competition-deadline-time", "12:00").await;
    app.click("launch-submit").await;
    app.find("confirm-dialog").await;
    app.screenshot(confirm_shot).await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    app.wait_count("invitation-row", 2).await;
}

/// Opens `order_id` from the centrale's orders list, among all orders (the queue shows only
/// those waiting for the centrale).
async fn open_order_as_centrale(app: &DesktopApp, order_id: Uuid) {
    app.click("nav-commandes").await;
    app.click("orders-queue-all").await;
    app.click(&format!(
        "[data-testid=\"order-row\"] a[href$=\"{order_id}\"]"
    ))
    .await;
    app.find("order-status").await;
}

/// Opens `order_id` from the commune's orders list.
async fn open_order(app: &DesktopApp, order_id: Uuid) {
    app.click("nav-commandes").await;
    app.click(&format!(
        "[data-testid=\"order-row\"] a[href$=\"{order_id}\"]"
    ))
    .await;
    app.find("order-status").await;
}

/// Issue 14: the e-mails the intercommunale could not deliver (here, its SMTP server is
/// unreachable and one attempt is all it makes) are announced on the centrale's home page and
/// listed in its app, where « Renvoyer » sends one again to a corrected address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centrale_sees_the_emails_that_did_not_go_and_sends_one_again() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let server = TestServer::spawn_with(centrale_server::Settings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: closed,
        smtp_security: "none".into(),
        mail_from: "Centrale d'achat <centrale@demo.centrale.example>".into(),
        mail_max_attempts: 1,
        ..centrale_server::Settings::default()
    })
    .await;
    server.clock.set(Utc::now());
    sign_adhesion_as_commune(&server, BERTRIX).await;
    let pass = centrale_server::mail::deliver_due(&server.state)
        .await
        .expect("a pass of the sender");
    assert!(pass.failed >= 1 && pass.sent == 0, "{pass:?}");
    let failed = server.db.failed_messages().await.unwrap();
    assert_eq!(failed.len(), pass.failed);

    let centrale_pc = Pc::new(&server);
    let app = centrale_pc.open().await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    let count = failed.len().to_string();
    app.wait_text("failed-mail-alert", &count).await;
    app.screenshot("c10-centrale-emails-non-remis-annonce")
        .await;
    app.click("failed-mail-alert-link").await;
    let rows = app.wait_count("failed-mail-row", failed.len()).await;
    assert_eq!(rows.len(), failed.len());
    let newest = &failed[0];
    app.wait_text("failed-mail-table", &newest.subject).await;
    let first = "[data-testid=\"failed-mail-row\"]:first-child";
    app.click(&format!(
        "{first} [data-testid=\"failed-mail-other-address\"]"
    ))
    .await;
    let fixed = "secretariat@bertrix.example";
    app.type_into(&format!("{first} [data-testid=\"failed-mail-to\"]"), fixed)
        .await;
    app.screenshot("c11-centrale-emails-non-remis").await;
    app.click(&format!("{first} [data-testid=\"failed-mail-retry\"]"))
        .await;
    app.wait_text("failed-mail-sent", fixed).await;
    app.wait_count("failed-mail-row", failed.len() - 1).await;
    app.screenshot("c12-centrale-email-renvoye").await;

    // Back in the server's queue, to the corrected address, for the sender's next pass.
    let again = server
        .db
        .all_messages()
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.id == newest.id)
        .expect("the message");
    assert_eq!(again.recipient_email, fixed);
    assert!(again.failed_at.is_none() && again.sent_at.is_none());
    assert_eq!(
        server.db.failed_messages().await.unwrap().len(),
        failed.len() - 1
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centrale_countersigns_an_adhesion_and_launches_a_competition_the_commune_sees_both() {
    let server = server_now().await;
    let adhesion_id = sign_adhesion_as_commune(&server, BERTRIX).await;

    // The centrale's PC: Bertrix waits for the countersignature.
    let centrale_pc = Pc::new(&server);
    let app = centrale_pc.open().await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.find("centrale-home").await;
    app.wait_text("todo-countersign", "Bertrix").await;
    app.screenshot("c01-centrale-accueil").await;
    app.click("nav-communes").await;
    app.type_into("communes-search", "bertr").await;
    app.wait_count("commune-row", 1).await;
    app.screenshot("c02-centrale-communes").await;
    app.click(&format!("commune-link-{BERTRIX}")).await;

    // The checks before countersigning, then the two acts.
    app.wait_text("commune-college-decision", "COL/2026/101")
        .await;
    app.find("commune-signature-director_general").await;
    app.find("commune-signature-mayor").await;
    let code = centrale_code(&app, &server).await;
    app.click("countersign-adhesion").await;
    app.find("confirm-dialog").await;
    // The centrale's staff countersign with their application's code (issue 17 point 9).
    app.type_into("second-factor-code", &code).await;
    app.screenshot("c03-centrale-contresignature").await;
    app.click("confirm-accept").await;
    app.find("commune-countersignature").await;
    app.click("activate-adhesion").await;
    app.find("confirm-dialog").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    app.wait_text("sync-state", "Synchronisé").await;
    let adhesion = on_server(
        &server,
        CENTRALE,
        "adhesion",
        &adhesion_id.to_string(),
        "the adhesion active on the server",
        |a| a["status"] == "active",
    )
    .await;
    assert_eq!(adhesion["countersignature"]["role"], "centrale_staff");
    app.find("commune-activated").await;
    app.screenshot("c04-centrale-adhesion-active").await;

    // Bertrix sends an order (through its own app: the API here); it reaches the queue.
    let order_id = Uuid::now_v7();
    for mutation in [
        m::create_draft(order_id, "E-guichet population 2027"),
        m::submit(order_id),
    ] {
        let result = server.apply(DG, mutation).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.message
        );
    }
    app.sync_now().await;
    app.click("nav-commandes").await;
    app.find(&format!(
        "[data-testid=\"order-row\"] a[href$=\"{order_id}\"]"
    ))
    .await;
    app.screenshot("c05-centrale-commandes-a-traiter").await;
    open_order_as_centrale(&app, order_id).await;
    let day = deadline_day(&server);
    launch_competition_in_the_app(&app, day, "c06-centrale-lancement").await;
    app.show("order-invitations").await;
    app.screenshot("c07-centrale-invitations").await;
    let order = on_server(
        &server,
        DG,
        "order",
        &order_id.to_string(),
        "the competition on the server",
        |o| o["status"] == "competition_open",
    )
    .await;
    let deadline: chrono::DateTime<Utc> =
        serde_json::from_value(order["competition"]["deadline"].clone()).expect("a deadline");
    assert_eq!(deadline, brussels(day, 12, 0), "noon in Brussels, as typed");
    app.quit().await;

    // The commune's PC, after its sync: the adhesion active, the invitations sent.
    let commune = DesktopApp::launch(&server.base).await;
    commune.log_in(DG, DEMO_PASSWORD).await;
    commune.click("nav-adhesion").await;
    commune.wait_text("adhesion-status", "ctive").await;
    commune.find("countersignature").await;
    commune.show("adhesion-status").await;
    commune.screenshot("c08-commune-adhesion-active").await;
    open_order(&commune, order_id).await;
    commune.wait_count("invitation-row", 2).await;
    commune
        .wait_text("order-deadline", &day.format("%d/%m/%Y").to_string())
        .await;
    commune.show("order-invitations").await;
    commune.screenshot("c09-commune-invitations").await;
    commune.quit().await;
}

/// Prices (set-up and licence, as typed on the portal) and lead time of each provider's offer.
const NUAGIX_PRICES: (&str, &str, &str) = ("3 900,00", "140,00", "60");
const CIVITECH_PRICES: (&str, &str, &str) = ("4 200,00", "170,00", "45");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_call_off_from_the_communes_order_to_the_first_milestone() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    let commune_pc = Pc::new(&server);
    let centrale_pc = Pc::new(&server);

    // 1. The commune orders.
    let app = commune_pc.open().await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    let order_id =
        journey::draft_eguichet_order(&app, "E-guichet état civil 2027", "g01-commune-commande")
            .await;
    journey::send_request(&app, centrale_server::Clock::today(&*server.clock)).await;
    app.sync_now().await;
    app.wait_text("order-status", "envoy").await;
    app.screenshot("g02-commune-demande-envoyee").await;
    app.quit().await;

    // 2. The centrale launches the mini-competition.
    let app = centrale_pc.open().await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-commandes").await;
    app.find(&format!(
        "[data-testid=\"order-row\"] a[href$=\"{order_id}\"]"
    ))
    .await;
    app.screenshot("g03-centrale-a-traiter").await;
    open_order_as_centrale(&app, order_id).await;
    let day = deadline_day(&server);
    let deadline = brussels(day, 12, 0);
    launch_competition_in_the_app(&app, day, "g04-centrale-lancement").await;
    app.show("order-invitations").await;
    app.screenshot("g05-centrale-invitations").await;
    app.quit().await;

    // 3. Both providers answer on the portal, in a browser.
    let portal = PortalBrowser::open(&server.base).await;
    let mut receipts = Vec::new();
    for (user, (setup, licence, lead), shot) in [
        (NUAGIX, NUAGIX_PRICES, "g06-portail-offre-nuagix"),
        (CIVITECH, CIVITECH_PRICES, "g07-portail-offre-civitech"),
    ] {
        portal.log_in(user, DEMO_PASSWORD).await;
        portal.click("invitation-link").await;
        let countdown = portal.text("countdown").await;
        assert!(countdown.starts_with("Il reste"), "{countdown}");
        portal.click("offer-link").await;
        portal.type_into("#prix-0", setup).await;
        portal.type_into("#prix-1", licence).await;
        portal.type_into("#delai", lead).await;
        portal.click("submit-offer").await;
        portal.find("offer-summary").await;
        portal.click("confirm-offer").await;
        portal.find("confirmation").await;
        receipts.push(portal.text("receipt-hash").await);
        portal.screenshot(shot, 1300).await;
    }
    let centrale_view = server.view(CENTRALE).await;
    let offers = centrale_view.of_kind("offer");
    assert!(
        offers.is_empty(),
        "offers stay sealed from the centrale: {offers:?}"
    );

    // Sealed means sealed: the centrale sees neither what was offered nor who has answered.
    let app = centrale_pc.reopen().await;
    open_order_as_centrale(&app, order_id).await;
    let rows = app.wait_count("invitation-row", 2).await;
    for row in &rows {
        let text = row.text().await.expect("an invitation's text");
        assert!(!text.contains("3 900") && !text.contains("4 200"), "{text}");
        assert!(!text.contains("Offre remise"), "{text}");
    }
    assert!(app.all("offer-column").await.is_empty());
    app.show("order-invitations").await;
    app.screenshot("g08-centrale-offres-deposees").await;
    app.quit().await;

    // 4. The deadline passes: the offers open; the commune compares and awards.
    server.clock.set(deadline + Duration::minutes(1));
    let app = commune_pc.reopen().await;
    open_order(&app, order_id).await;
    journey::declare_no_conflict(&app).await;
    journey::score_offers(&app).await;
    app.show("offer-comparison").await;
    app.screenshot("g09-commune-comparaison").await;
    // Issue 16 §1: each solution's interoperability, beside the offers and under the table.
    app.wait_text(
        "[data-testid=\"offer-interoperability\"]",
        "Données hébergées",
    )
    .await;
    app.wait_text("interop-sheet-0", "Guichet Nuagix 4").await;
    app.wait_text("interop-sheet-1", "CiviDesk Guichet").await;
    app.show("interoperability").await;
    app.screenshot("g09b-commune-interoperabilite-des-offres")
        .await;
    let winner = journey::award_first_ranked(
        &app,
        "COL/2026/245",
        centrale_server::Clock::today(&*server.clock),
        "g10-commune-attribution",
    )
    .await;
    app.sync_now().await;
    let order = on_server(
        &server,
        DG,
        "order",
        &order_id.to_string(),
        "the award on the server",
        |o| o["status"] == "awarded",
    )
    .await;
    assert_eq!(order["award"]["offer_id"], winner.as_str());
    let winning = server.view(DG).await;
    let winning = winning.get("offer", &winner).expect("the winning offer");
    assert_eq!(
        winning["provider_id"],
        demo_provider_id("nuagix").to_string()
    );
    app.quit().await;

    // 5. The centrale records the purchase order.
    let app = centrale_pc.reopen().await;
    open_order_as_centrale(&app, order_id).await;
    app.find("purchase-order-section").await;
    app.type_into("purchase-order-reference", "BC-2026-0042")
        .await;
    // The commune's fonctionnaire dirigeant (issue 11 rule 16; the convention's art. 7).
    app.type_into("purchase-order-manager-name", "Julie Collard")
        .await;
    app.type_into("purchase-order-manager-quality", "Responsable informatique")
        .await;
    let code = centrale_code(&app, &server).await;
    app.click("issue-purchase-order").await;
    app.find("confirm-dialog").await;
    app.type_into("second-factor-code", &code).await;
    app.screenshot("g11-centrale-bon-de-commande").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    app.wait_text("purchase-order-issued", "BC-2026-0042").await;
    on_server(
        &server,
        CENTRALE,
        "order",
        &order_id.to_string(),
        "the purchase order on the server",
        |o| {
            o["purchase_order"]["reference"] == "BC-2026-0042"
                && o["purchase_order"]["contract_manager"]["name"] == "Julie Collard"
        },
    )
    .await;
    app.show("order-deployment").await;
    app.screenshot("g12-centrale-bon-de-commande-enregistre")
        .await;
    app.quit().await;

    // 6. The winner reads the outcome and records the kick-off meeting on the portal.
    portal.log_in(NUAGIX, DEMO_PASSWORD).await;
    // Issue 16 §1: its own solution's interoperability sheet, as the centrale keeps it.
    portal.click("interoperability-sheet-summary").await;
    portal.find("interoperability-links").await;
    portal.show("interoperability-sheet").await;
    portal
        .screenshot("g13a-portail-fiche-interoperabilite", 1300)
        .await;
    portal.click("invitation-link").await;
    let verdict = portal.text("outcome-verdict").await;
    assert!(verdict.contains("Votre offre a été retenue"), "{verdict}");
    portal.screenshot("g13-portail-resultat", 1300).await;
    portal.click("milestones-link").await;
    portal.find("milestones").await;
    let kickoff = server
        .view(NUAGIX)
        .await
        .of_kind("milestone")
        .into_iter()
        .find(|(_, ms)| ms["order_id"] == order_id.to_string().as_str() && ms["kind"] == "kickoff")
        .map(|(id, _)| id.to_string())
        .expect("the kick-off milestone");
    let held = server.now().with_timezone(&Brussels).date_naive();
    portal
        .type_into(
            &format!("#realise-{kickoff}"),
            &held.format("%d/%m/%Y").to_string(),
        )
        .await;
    portal
        .type_into(
            &format!("#notes-{kickoff}"),
            "Réunion de lancement tenue à Bertrix.",
        )
        .await;
    portal.click("save-milestones").await;
    portal.find("milestone-saved").await;
    portal.screenshot("g14-portail-jalon", 1400).await;
    // Issue 16 §2: the commune ordered the intercommunale's training for this call-off and the
    // centrale planned it: the winner reads its date beside its milestones (never its price).
    let accompaniment = Uuid::now_v7();
    let ordered = server
        .apply(
            DG,
            centrale_tests::calloff::mutation(
                "accompaniment.order",
                serde_json::json!({"accompaniment_id": accompaniment,
                    "title": "Formation des agents à l'e-guichet", "call_off_id": order_id,
                    "lines": [{"code": "formation", "quantity": "1"}],
                    "decision": {"reference": "COL/2026/250", "date": held}}),
            ),
        )
        .await;
    assert_eq!(
        ordered.status,
        MutationStatus::Applied,
        "{:?}",
        ordered.message
    );
    let planned = server
        .apply(
            CENTRALE,
            centrale_tests::calloff::mutation(
                "accompaniment.plan",
                serde_json::json!({"accompaniment_id": accompaniment,
                    "dates": [{"code": "formation", "planned_on": held + Duration::days(21)}]}),
            ),
        )
        .await;
    assert_eq!(
        planned.status,
        MutationStatus::Applied,
        "{:?}",
        planned.message
    );
    portal.goto("/portail/invitations").await;
    portal.click("invitation-link").await;
    portal.click("milestones-link").await;
    portal.find("accompaniment-dates").await;
    portal.show("accompaniment-dates").await;
    portal.screenshot("g14b-portail-accompagnement", 900).await;
    portal.close().await;

    // 7. The commune sees the first milestone done.
    let app = commune_pc.reopen().await;
    app.click("nav-deploiement").await;
    let milestone = format!("[data-testid=\"milestone\"][data-milestone-id=\"{kickoff}\"]");
    app.wait_text(
        &format!("{milestone} [data-testid=\"milestone-actual\"]"),
        &held.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.show(&milestone).await;
    app.screenshot("g15-commune-premier-jalon").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_framework_version_reaches_the_communes_and_running_orders_keep_theirs() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    activate_adhesion(&server, LIBRAMONT).await;
    awarded_order(&server).await;
    // Libramont's request, made under version 1 of the e-guichet framework.
    let running = Uuid::now_v7();
    for mutation in [
        m::create_draft(running, "E-guichet Libramont-Chevigny"),
        m::submit(running),
    ] {
        let result = server.apply(DG_OTHER, mutation).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.message
        );
    }

    // The centrale's overview, then a new version of the framework: the licence's ceiling
    // goes from 180,00 € to 195,50 €, under the framework's price-revision clause (a raised
    // ceiling needs one: Dir. 2014/24 art. 72(1)(a)).
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-vueEnsemble").await;
    app.find("overview-chart-communes").await;
    app.wait_text("overview-chart-communes", "Bertrix").await;
    app.screenshot("h01-centrale-vue-ensemble").await;
    app.show("overview-chart-award-time").await;
    app.screenshot("h02-centrale-vue-ensemble-delais").await;
    let eguichet = demo_service_id("e-guichet");
    app.click("nav-catalogue").await;
    app.click(&format!(
        "[data-testid=\"service-link\"][href$=\"{eguichet}\"]"
    ))
    .await;
    app.click("framework-new-version").await;
    app.find("framework-version-form").await;
    app.type_into("price-line-licence-ceiling", "195,50").await;
    app.type_into(
        "framework-change-note",
        "Indexation annuelle des prix selon l'indice santé.",
    )
    .await;
    app.click("legal-basis-review_clause").await;
    app.type_into("legal-basis-clause", "CSC art. 12, révision des prix")
        .await;
    app.click("framework-publish").await;
    app.wait_text("framework-diff", "195,50").await;
    app.wait_text("framework-diff-basis", "CSC art. 12").await;
    app.screenshot("h03-centrale-nouvelle-version").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    let framework = on_server(
        &server,
        DG,
        "framework",
        &demo_framework_id("CA-2025-01").to_string(),
        "version 2 of the framework on the server",
        |f| f["versions"].as_array().is_some_and(|v| v.len() == 2),
    )
    .await;
    let licence = framework["versions"][1]["price_schedule"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["code"] == "licence"))
        .cloned()
        .expect("the licence line of version 2");
    assert_eq!(licence["ceiling_cents"], 19_550);
    assert_eq!(
        framework["versions"][1]["legal_basis"],
        serde_json::json!({"kind": "review_clause", "clause": "CSC art. 12, révision des prix"})
    );
    assert_eq!(
        framework["versions"][0]["price_schedule"]
            .as_array()
            .and_then(|lines| lines.iter().find(|l| l["code"] == "licence"))
            .map(|l| l["ceiling_cents"].clone()),
        Some(serde_json::json!(18_000)),
        "version 1 is never rewritten"
    );

    // Issue 16 §1: the intercommunale has checked Nuagix's open data; version 3 records it on
    // the solution's interoperability sheet — no legal basis, the sheet is not a term.
    let nuagix = demo_provider_id("nuagix");
    // The PC's own day: the form refuses a check dated after it (the server, whose clock this
    // test has moved on, refuses one after its own).
    let today = centrale_domain::time::brussels_today(Utc::now());
    app.click("nav-catalogue").await;
    app.click(&format!(
        "[data-testid=\"service-link\"][href$=\"{eguichet}\"]"
    ))
    .await;
    app.click("framework-new-version").await;
    app.find("framework-version-form").await;
    app.find(&format!("interop-{nuagix}-name")).await;
    app.click(&format!("interop-{nuagix}-check-open_data-confirmed"))
        .await;
    app.type_into(
        &format!("interop-{nuagix}-check-open_data-date"),
        &today.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.type_into(
        &format!("interop-{nuagix}-check-open_data-note"),
        "Jeu de données publié sur le portail de données ouvertes de la Wallonie.",
    )
    .await;
    app.show(&format!("interop-{nuagix}-check-open_data")).await;
    app.screenshot("h03b-centrale-fiche-interoperabilite").await;
    app.type_into(
        "framework-change-note",
        "Données ouvertes du guichet de Nuagix vérifiées par l'intercommunale.",
    )
    .await;
    app.click("framework-publish").await;
    app.wait_text(
        "framework-diff",
        "Fiche d'interopérabilité de Nuagix Services SA",
    )
    .await;
    app.screenshot("h03c-centrale-fiche-interoperabilite-confirmation")
        .await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    let framework = on_server(
        &server,
        DG,
        "framework",
        &demo_framework_id("CA-2025-01").to_string(),
        "version 3 of the framework on the server",
        |f| f["versions"].as_array().is_some_and(|v| v.len() == 3),
    )
    .await;
    assert_eq!(
        framework["versions"][2]["legal_basis"],
        serde_json::Value::Null
    );
    let checks = framework["versions"][2]["interoperability"][0]["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        checks.iter().any(|c| c["aspect"] == "open_data"
            && c["outcome"] == "confirmed"
            && c["checked_on"] == today.to_string()),
        "{checks:?}"
    );
    app.quit().await;

    // Libramont, at its next sync: the catalogue shows version 2; its running request keeps 1.
    let commune = DesktopApp::launch(&server.base).await;
    commune.log_in(DG_OTHER, DEMO_PASSWORD).await;
    commune.click("nav-catalogue").await;
    commune
        .click(&format!(
            "[data-testid=\"service-link\"][href$=\"{eguichet}\"]"
        ))
        .await;
    commune
        .wait_text(
            "[data-testid=\"price-line\"][data-code=\"licence\"]",
            "195,50",
        )
        .await;
    commune.show("price-schedule").await;
    commune.screenshot("h04-commune-nouveau-plafond").await;
    open_order(&commune, running).await;
    commune.wait_text("order-framework", "version 1").await;
    commune.show("order-framework").await;
    commune.screenshot("h05-commune-commande-version-1").await;
    commune.quit().await;

    // Issue 16 §1: Bertrix runs Nuagix's e-guichet (the call-off awarded above); the school
    // payments' page says which of its solutions works with it, as the sheets declare.
    let bertrix = DesktopApp::launch(&server.base).await;
    bertrix.log_in(DG, DEMO_PASSWORD).await;
    bertrix.wait_text("sync-state", "Synchronisé").await;
    bertrix.click("nav-catalogue").await;
    let card = "[data-testid=\"service-card\"][data-service-code=\"paiement-scolaire\"]";
    bertrix
        .wait_text(
            &format!("{card} [data-testid=\"service-fits\"]"),
            "Guichet Nuagix 4",
        )
        .await;
    bertrix.show(card).await;
    bertrix
        .screenshot("h06a-commune-catalogue-compatible")
        .await;
    bertrix
        .click(&format!(
            "[data-testid=\"service-link\"][href$=\"{}\"]",
            demo_service_id("paiement-scolaire")
        ))
        .await;
    bertrix
        .wait_text("interop-sheet-1", "Payvallée Écoles")
        .await;
    bertrix
        .wait_text("interop-fits-1", "Guichet Nuagix 4")
        .await;
    assert!(
        bertrix
            .all("[data-testid=\"interop-fits-0\"]")
            .await
            .is_empty(),
        "Civitech's school payments declare no link to what Bertrix runs"
    );
    bertrix.show("interop-sheet-1").await;
    bertrix.screenshot("h06-commune-interoperabilite").await;
    bertrix.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centrales_staff_find_what_waits_for_them_among_a_year_of_activity() {
    let server = server_now().await;
    centrale_server::seed_history::seed_demo_history(&server.db, server.now())
        .await
        .expect("the demo history");
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;

    // What waits for the centrale, each where the history left it.
    for (group, commune) in [
        ("todo-countersign", "Habay"),
        ("todo-activate", "Florenville"),
        ("todo-launch", "Aubange"),
        ("todo-purchase-order", "Durbuy"),
        ("todo-late-deployments", "Virton"),
    ] {
        app.wait_text(group, commune).await;
    }
    app.screenshot("i01-centrale-a-traiter").await;
    app.click("nav-communes").await;
    app.wait_text(&format!("commune-status-{}", "85046"), "contresigner")
        .await;
    app.screenshot("i02-centrale-communes").await;
    app.click("nav-commandes").await;
    // Aubange's request to launch; Durbuy's e-guichet and Neufchâteau's share of the pooled
    // call-off awaiting their purchase orders.
    app.wait_count("order-row", 3).await;
    app.screenshot("i03-centrale-file-des-commandes").await;

    // Deployments of every commune, the late one first.
    app.click("nav-deploiement").await;
    app.find("deployment").await;
    let first = app.all("deployment-commune").await;
    let first = first.first().expect("a deployment").text().await.unwrap();
    assert!(
        first.contains("Virton"),
        "the late deployment first: {first}"
    );
    app.screenshot("i04-centrale-deploiements").await;

    // The overview: 19 orders sent (the draft is not counted; three are the pooled call-off's),
    // charts drawn.
    app.click("nav-vueEnsemble").await;
    app.wait_text("overview-figure-orders", "19").await;
    app.find("overview-chart-communes").await;
    app.screenshot("i05-centrale-vue-ensemble").await;
    app.show("overview-chart-communes").await;
    app.screenshot("i06-centrale-vue-ensemble-communes").await;
    app.show("overview-chart-award-time").await;
    app.screenshot("i07-centrale-vue-ensemble-delais").await;
    app.show("overview-chart-adhesions").await;
    app.screenshot("i08-centrale-vue-ensemble-adhesions").await;
    // Issue 15.9: the map of the province, by adhesion then by orders.
    app.show("province-map-section").await;
    app.screenshot("i09-centrale-carte-adhesions").await;
    app.click("province-map-by-orders").await;
    app.screenshot("i10-centrale-carte-commandes").await;
    // Issue 16.5: what the centrale tracks of its frameworks.
    app.click("nav-suivi").await;
    app.find("tracking-ends").await;
    app.screenshot("i11-centrale-suivi-accords-cadres").await;
    app.show("tracking-solutions").await;
    app.screenshot("i12-centrale-qui-utilise-quoi").await;
    app.quit().await;

    // Issue 15.9: a commune sees where the others stand, its own outlined.
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.show("standings-map-section").await;
    app.screenshot("i13-commune-carte-de-la-province").await;
    app.quit().await;
}

/// Issue 16 §2: Bertrix orders the intercommunale's accompaniment for its e-guichet from the
/// call-off's page; the centrale plans it, records it delivered and invoices it; the commune
/// reads the invoice's number and saves the invoice as a PDF.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intercommunale_accompanies_a_call_off_from_the_order_to_the_invoice() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    // A call-off sent to the centrale (the server's clock stays the PC's: the forms and the
    // server then agree on « today »).
    let call_off = Uuid::now_v7();
    for mutation in [
        m::create_draft(call_off, "E-guichet état civil 2027"),
        m::submit(call_off),
    ] {
        let result = server.apply(DG, mutation).await;
        assert_eq!(
            result.status,
            MutationStatus::Applied,
            "{:?}",
            result.message
        );
    }
    let commune_pc = Pc::new(&server);
    // The PC's own day: the forms refuse a date after it.
    let today = centrale_domain::time::brussels_today(Utc::now());
    let typed = today.format("%d/%m/%Y").to_string();

    // 1. The commune, from its call-off's page.
    let app = commune_pc.open().await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    open_order(&app, call_off).await;
    app.click("order-accompaniment-link").await;
    app.find("accompaniment-order-form").await;
    app.type_into(
        "accompaniment-title",
        "Accompagnement de la mise en place de l'e-guichet",
    )
    .await;
    app.type_into("accompaniment-quantity-lancement", "1").await;
    app.type_into("accompaniment-quantity-formation", "1,5")
        .await;
    app.type_into("accompaniment-decision-reference", "COL/2026/310")
        .await;
    app.type_into("accompaniment-decision-date", &typed).await;
    app.wait_text("accompaniment-form-total", "400,00").await;
    app.show("accompaniment-order-form").await;
    app.screenshot("c21-commune-accompagnement-commande").await;
    app.click("accompaniment-submit").await;
    app.find("confirm-dialog").await;
    app.screenshot("c22-commune-accompagnement-confirmation")
        .await;
    app.click("confirm-accept").await;
    app.find("accompaniment-receipt").await;
    app.sync_now().await;
    let accompaniment = loop_until_accompaniment(&server, "requested").await;
    assert_eq!(accompaniment["call_off_id"], call_off.to_string().as_str());
    app.quit().await;

    // 2. The centrale plans it for today, records it delivered and invoices it.
    let id = accompaniment["id"].as_str().expect("an id").to_string();
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-accompagnement").await;
    app.click(&format!("accompaniment-plan-{id}")).await;
    app.type_into("accompaniment-plan-date-lancement", &typed)
        .await;
    app.type_into("accompaniment-plan-date-formation", &typed)
        .await;
    app.click("accompaniment-plan-submit").await;
    app.find("confirm-dialog").await;
    app.screenshot("c23-centrale-accompagnement-planification")
        .await;
    app.click("confirm-accept").await;
    for code in ["lancement", "formation"] {
        app.click(&format!("accompaniment-deliver-{code}")).await;
        app.type_into(&format!("accompaniment-delivered-date-{code}"), &typed)
            .await;
        app.click("accompaniment-deliver-submit").await;
        app.find("confirm-dialog").await;
        app.click("confirm-accept").await;
    }
    app.sync_now().await;
    loop_until_accompaniment(&server, "delivered").await;
    app.click(&format!("accompaniment-invoice-{id}")).await;
    app.find("confirm-dialog").await;
    app.screenshot("c24-centrale-accompagnement-facture").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    let invoiced = loop_until_accompaniment(&server, "invoiced").await;
    let number = invoiced["invoice"]["number"]
        .as_str()
        .expect("an invoice number")
        .to_string();
    assert!(
        number.starts_with("ACC-") && number.ends_with("-0001"),
        "{number}"
    );
    app.sync_now().await;
    app.wait_text("accompaniment-invoice-number", &number).await;
    app.show(&format!(
        "[data-testid=\"accompaniment-row\"][data-accompaniment-id=\"{id}\"]"
    ))
    .await;
    app.screenshot("c25-centrale-accompagnement-facture-emise")
        .await;
    app.quit().await;

    // 3. The commune reads the invoice and saves it; its call-off shows the dates.
    let app = commune_pc.reopen().await;
    app.click("nav-accompagnement").await;
    app.wait_text("accompaniment-invoice-number", &number).await;
    app.click("accompaniment-invoice-download").await;
    app.find("[data-testid^=\"document-saved-\"]").await;
    let saved: Vec<_> = std::fs::read_dir(app.documents_folder())
        .expect("the documents folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(&format!("Facture {number}")))
        .collect();
    assert_eq!(saved.len(), 1, "the invoice saved as a PDF: {saved:?}");
    app.screenshot("c26-commune-accompagnement-facture").await;
    if let Some(dir) = std::env::var_os("CENTRALE_SCREENSHOTS") {
        let from = app.documents_folder().join(&saved[0]);
        std::fs::copy(
            from,
            std::path::Path::new(&dir).join("facture-accompagnement.pdf"),
        )
        .expect("copying the invoice");
    }
    open_order(&app, call_off).await;
    app.wait_text("order-accompaniments", &typed).await;
    app.show("order-accompaniments").await;
    app.screenshot("c27-commune-commande-accompagnement").await;
    app.quit().await;
}

/// Bertrix's accompaniment on the server, once it reached `status`.
async fn loop_until_accompaniment(server: &TestServer, status: &str) -> Value {
    let started = std::time::Instant::now();
    loop {
        let view = server.view(DG).await;
        if let Some((_, a)) = view
            .of_kind("accompaniment_order")
            .into_iter()
            .find(|(_, a)| a["status"] == status)
        {
            return a.clone();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "no accompaniment {status} on the server"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
