//! The commune's journeys on the real desktop app (Tauri, WebKitGTK under Xvfb, driven by
//! tauri-driver), against a real server this test starts and seeds; the centrale's and the
//! providers' acts are done through the server's API, as their own apps would.
//!
//! Run by `cargo xtask test` (feature `desktop-e2e`, one journey at a time). With
//! `CENTRALE_SCREENSHOTS=docs/screenshots`, each screen a journey passes is saved there.

use centrale_server::seed::DEMO_PASSWORD;
use centrale_tests::calloff::{apply_ok, awarded_order, mutation, offers_come_in};
use centrale_tests::desktop::DesktopApp;
use centrale_tests::journey;
use centrale_tests::server::{activate_adhesion, convention_sha};
use centrale_tests::{
    eventually, mutations as m, Proxy, TestServer, AGENT, BERTRIX, CENTRALE, DG, MAYOR, NUAGIX,
};
use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

/// Points the proxy at a port where nothing listens: the town hall's line is down.
async fn unplug(proxy: &Proxy) {
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = dead.local_addr().unwrap();
    drop(dead);
    proxy.set_upstream(addr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_signs_in_browses_the_catalogue_and_opens_a_services_cost_estimate() {
    let server = server_now().await;
    let app = DesktopApp::launch(&server.base).await;

    // First run: the server address (given by the intercommunale), then the sign-in.
    app.find("login-username").await;
    app.click("change-server").await;
    app.find("server-url-input").await;
    app.type_into("server-url-input", "centrale.exemple.be")
        .await;
    app.click("server-url-submit").await;
    app.find("error-summary").await;
    app.screenshot("00-installation").await;
    app.type_into("server-url-input", &server.base).await;
    app.click("server-url-submit").await;
    app.find("login-username").await;
    app.screenshot("01-connexion").await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.wait_text("header-commune", "Bertrix").await;
    app.find("home-adhesion").await;
    app.screenshot("02-accueil").await;

    app.click("nav-catalogue").await;
    app.wait_count("service-card", 10).await;
    app.screenshot("03-catalogue").await;
    app.type_into("catalogue-search", "guichet").await;
    // The list narrows as one types (a re-read of the cache at each change).
    let started = std::time::Instant::now();
    loop {
        let found = app.all("service-card").await.len();
        if (1..10).contains(&found) {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the search never narrowed the list ({found} services)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    app.click("[data-testid=\"service-link\"]").await;
    app.find("price-schedule").await;
    app.find("award-criteria").await;
    let estimate = app.wait_text("cost-estimate", "Bertrix").await;
    assert!(estimate.contains("habitants"), "{estimate}");
    let total = app.text("estimate-total-htva").await;
    assert!(total.contains("€") && total.contains("HTVA"), "{total}");
    app.screenshot("04-service").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_signatories_sign_the_convention_offline_and_see_the_countersignature_after_sync() {
    let server = server_now().await;
    let proxy = Proxy::start(server.addr).await;
    let sha = convention_sha(&server).await;
    let app = DesktopApp::launch(&proxy.url).await;

    // Each signatory has signed in once on this PC, with the network.
    app.log_in(MAYOR, DEMO_PASSWORD).await;
    app.click("switch-account").await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    let audit_start = server.audit_head().await;

    // Then the line goes down.
    unplug(&proxy).await;
    app.click("nav-adhesion").await;
    app.find("convention-text").await;
    app.click("adhesion-start").await;
    app.type_into("college-reference", "COL/2026/211").await;
    // 05/11/2026 on a PC set to English: the app must read 5 November, not 11 May.
    assert_eq!(app.language().await, "en-US", "the WebView runs in English");
    app.type_into("college-date", "05/11/2026").await;
    app.click("college-submit").await;
    app.click("sign-convention").await;
    app.find("confirm-dialog").await;
    app.screenshot("05-adhesion-signature").await;
    app.click("confirm-accept").await;
    app.find("signature-dg").await;
    app.sync_now().await;
    app.wait_text("sync-state", "Hors ligne").await;

    // The mayor signs in on the same PC, still without the network.
    app.click("switch-account").await;
    app.log_in(MAYOR, DEMO_PASSWORD).await;
    app.click("nav-adhesion").await;
    app.click("sign-convention").await;
    app.click("confirm-accept").await;
    app.find("signature-mayor").await;
    app.find("adhesion-pending").await;
    let pending = app.text("sync-pending-count").await;
    assert!(pending.contains('4'), "four changes wait: {pending}");
    app.screenshot("06-adhesion-hors-ligne").await;
    // The bourgmestre's delegation of his signature lists the documents it covers (CDLD
    // L1132-4): the form asks which, offline too. Looked at, then left.
    app.click("substitution-add").await;
    app.set_value("substitution-capacity", "delegated_alderman")
        .await;
    app.find("substitution-documents-award").await;
    app.show("substitution-documents").await;
    app.screenshot("06b-delegation-de-signature").await;
    app.click("substitution-cancel").await;

    // The line comes back: both signatures leave, each under its signatory's account.
    proxy.set_upstream(server.addr);
    app.sync_now().await;
    app.wait_text("sync-state", "Synchronisé").await;
    let applied: Vec<(String, String)> =
        centrale_tests::server::applied_after(&server.db, audit_start)
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

    // The centrale countersigns and activates on its side.
    let view = server.view(CENTRALE).await;
    let (id, adhesion) = *view
        .of_kind("adhesion")
        .first()
        .expect("the adhesion on the server");
    assert_eq!(
        adhesion["college_decision"]["date"], "2026-11-05",
        "the collège's date as typed, day first"
    );
    let adhesion_id: Uuid = id.parse().unwrap();
    server
        .apply(CENTRALE, m::countersign_adhesion(adhesion_id, &sha))
        .await;
    server
        .apply(CENTRALE, m::activate_adhesion(adhesion_id))
        .await;
    app.sync_now().await;
    app.find("countersignature").await;
    app.wait_text("adhesion-status", "ctive").await;
    app.show("adhesion-status").await;
    app.screenshot("07-adhesion-active").await;
    app.quit().await;
}

/// « Mon compte › Double authentification » (issue 17 point 9): the directrice générale turns
/// the second factor on (the QR code, the key to type, the application's code), notes her
/// recovery codes, then signs the convention with the code of her application; the server
/// accepts the signature.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_director_general_turns_on_the_second_factor_then_signs_with_a_code() {
    let server = server_now().await;
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;

    app.click("my-account").await;
    app.wait_text("page-title", "Mon compte").await;
    app.wait_text("second-factor-status", "Désactivée").await;
    app.screenshot("30-mon-compte").await;
    app.click("second-factor-start").await;
    app.find("second-factor-qr").await;
    // Her application holds the key she typed (or scanned): its code of the moment.
    let secret: String = app
        .text("second-factor-secret")
        .await
        .split_whitespace()
        .collect();
    assert_eq!(secret.len(), 32, "a 160-bit key in base32: {secret}");
    app.show("second-factor-section").await;
    app.screenshot("31-double-authentification-qr").await;
    let code = centrale_server::second_factor::code_at(&secret, server.now());
    app.type_into("second-factor-confirm-code", &code).await;
    app.click("second-factor-confirm").await;
    app.find("recovery-codes").await;
    app.wait_count("[data-testid=\"recovery-codes\"] li", 10)
        .await;
    app.show("second-factor-recovery").await;
    app.screenshot("32-codes-de-secours").await;
    app.click("recovery-finish").await;
    app.find("#recovery-noted-error").await;
    app.click("recovery-noted").await;
    app.click("recovery-finish").await;
    app.wait_text("second-factor-status", "Activée").await;
    app.find("second-factor-off").await;

    // Half a minute later, her application shows the next code (a code serves once): the PC
    // dates the act by the server's clock as of its last sync.
    server.clock.advance(Duration::seconds(60));
    app.sync_now().await;
    let audit_start = server.audit_head().await;
    app.click("nav-adhesion").await;
    app.find("convention-text").await;
    app.click("adhesion-start").await;
    app.type_into("college-reference", "COL/2026/212").await;
    app.type_into("college-date", "05/11/2026").await;
    app.click("college-submit").await;
    app.click("sign-convention").await;
    app.find("confirm-dialog").await;
    app.find("second-factor-code").await;
    let code = centrale_server::second_factor::code_at(&secret, server.now());
    app.type_into("second-factor-code", &code).await;
    app.screenshot("33-signature-avec-code").await;
    app.click("confirm-accept").await;
    app.find("signature-dg").await;
    app.sync_now().await;
    app.wait_text("sync-state", "Synchronisé").await;
    let applied: Vec<(String, String)> =
        centrale_tests::server::applied_after(&server.db, audit_start)
            .await
            .into_iter()
            .map(|a| (a.name, a.username))
            .collect();
    assert!(
        applied.contains(&("adhesion.sign".to_string(), DG.to_string())),
        "the signature with its code reached the server: {applied:?}"
    );
    app.quit().await;
}

/// The server at today's real time (the seed is dated earlier the same day), so that what the
/// app shows (« il y a 1 minute », deadlines) reads as on a real day.
async fn server_now() -> TestServer {
    let server = TestServer::spawn().await;
    server.clock.set(Utc::now());
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_made_offline_is_submitted_online_and_awarded_after_comparing_the_offers() {
    let server = server_now().await;
    let proxy = Proxy::start(server.addr).await;
    activate_adhesion(&server, BERTRIX).await;
    let app = DesktopApp::launch(&proxy.url).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;

    // Offline: the draft is written on this PC.
    unplug(&proxy).await;
    let order_id =
        journey::draft_eguichet_order(&app, "E-guichet état civil 2027", "08-commande-brouillon")
            .await;

    // Online again: the draft leaves, then the request is sent.
    proxy.set_upstream(server.addr);
    app.sync_now().await;
    app.wait_text("sync-state", "Synchronisé").await;
    journey::send_request(&app, centrale_server::Clock::today(&*server.clock)).await;
    app.sync_now().await;
    app.wait_text("order-status", "envoy").await;

    // The centrale reopens competition; the invitations show.
    let deadline = server.now() + Duration::days(15);
    apply_ok(&server, CENTRALE, m::launch_competition(order_id, deadline)).await;
    app.sync_now().await;
    app.wait_count("invitation-row", 2).await;
    app.show("order-invitations").await;
    app.screenshot("09-commande-invitations").await;

    // Both offers, then the deadline: the comparison opens.
    offers_come_in(&server, order_id, deadline).await;
    app.sync_now().await;
    journey::declare_no_conflict(&app).await;
    let mut offer_ids = Vec::new();
    for column in app.wait_count("offer-column", 2).await {
        offer_ids.push(app.attr(&column, "data-offer-id").await);
    }
    journey::score_offers(&app).await;
    // On a 1280×720 screen (issue 15 point 8): the comparison is a table that fits the width,
    // and a field the keyboard reaches above the window is not left under the sticky sync bar.
    app.resize(1280, 720).await;
    let overflow = app
        .script(
            "const r = document.querySelector('.comparison-region'); \
             return r.scrollWidth - r.clientWidth;",
        )
        .await;
    assert!(
        overflow.as_f64().is_some_and(|o| o <= 1.0),
        "the comparison scrolls sideways at 1280 px: {overflow}"
    );
    let focused = app
        .script(
            "window.scrollTo(0, document.documentElement.scrollHeight); \
             const field = [...document.querySelectorAll('main a[href], main button, main input')] \
               .find((e) => e.getBoundingClientRect().bottom < 0); \
             if (!field) return null; \
             field.focus(); \
             const bar = document.querySelector('[data-testid=\"sync-bar\"]').getBoundingClientRect(); \
             return [field.getBoundingClientRect().top, bar.bottom, field.outerHTML.slice(0, 80)];",
        )
        .await;
    let (top, bar) = (focused[0].as_f64(), focused[1].as_f64());
    assert!(
        matches!((top, bar), (Some(top), Some(bar)) if top >= bar - 0.5),
        "a focused field is hidden under the sync bar: {focused}"
    );
    app.resize(1280, 1000).await;
    app.show("offer-comparison").await;
    app.screenshot("10-comparaison-des-offres").await;
    // « Imprimer la comparaison »: the offers alone on paper, under the commune and the date.
    app.print_preview("print-comparison").await;
    app.wait_text("print-header", "imprimé le").await;
    app.screenshot("19-impression-de-la-comparaison").await;
    app.end_print_preview().await;
    app.click("presentation-open").await;
    app.find("presentation-exit").await;
    app.screenshot("11-presentation-college").await;
    // On a 1280×720 projector, the totals and the ranking stay in sight on every page while a
    // clicker pages through the comparison (issue 15 point 6).
    let (width, height) = app.resize(1280, 720).await;
    assert!(
        width <= 1280 && height <= 720,
        "the window is a projector's: {width}×{height}"
    );
    let pages = app.text("presentation-page").await;
    let count: usize = pages
        .split(" sur ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("« Page 1 sur N »: {pages}"));
    for page in 1..=count {
        app.wait_text("presentation-page", &format!("Page {page} sur {count}"))
            .await;
        let (top, bottom) = app.vertical_extent("presentation-summary").await;
        assert!(
            top >= 0.0 && bottom <= height as f64 + 0.5,
            "page {page}: the totals and the ranking at {top}..{bottom} in a {height} px window"
        );
        app.wait_text("presentation-summary", "1re").await;
        // What a clicker's « next » sends (the keys themselves are the UI tests').
        app.script(
            "document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageDown', bubbles: true }));",
        )
        .await;
    }
    app.resize(1280, 1000).await;
    app.click("presentation-exit").await;

    // The collège decided: award to the offer ranked first.
    let first = journey::award_first_ranked(
        &app,
        "COL/2026/245",
        centrale_server::Clock::today(&*server.clock),
        "12-attribution-confirmation",
    )
    .await;
    assert!(offer_ids.contains(&first));
    app.sync_now().await;
    let order = eventually(
        std::time::Duration::from_secs(30),
        "the award on the server",
        || async {
            let view = server.view(DG).await;
            let order = view.get("order", order_id)?.clone();
            (order["status"] == "awarded").then_some(order)
        },
    )
    .await;
    assert_eq!(order["award"]["offer_id"], first.as_str());
    app.wait_text("sync-state", "Synchronisé").await;
    app.show("order-status").await;
    app.screenshot("13-commande-attribuee").await;

    // The line is down again: the whole file of the call-off, for the collège's file, is
    // typeset on this PC from what it holds, saved, and opened with the PC's viewer.
    let opened = app.install_recording_pdf_viewer();
    unplug(&proxy).await;
    app.sync_now().await;
    app.wait_text("sync-state", "Hors ligne").await;
    app.click("document-save-whole_file").await;
    let saved = app
        .wait_text("document-saved-whole_file", "Document enregistré")
        .await;
    app.click("document-open-whole_file").await;
    app.show("documents").await;
    app.screenshot("20-dossier-complet-hors-ligne").await;
    let opened = eventually(
        std::time::Duration::from_secs(20),
        "the viewer opens the whole file",
        || async {
            std::fs::read_to_string(&opened)
                .ok()
                .filter(|s| !s.trim().is_empty())
        },
    )
    .await;
    let file = std::path::PathBuf::from(opened.trim());
    assert_eq!(file.parent(), Some(app.documents_folder().as_path()));
    assert!(saved.contains(&file.display().to_string()), "{saved}");
    let text = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout)
        .replace('\u{200b}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for part in [
        "Dossier complet de la commande",
        "Projet de décision d'attribution",
        "Rapport d'analyse des offres",
        "COL/2026/245",
        "Bertrix",
    ] {
        assert!(
            text.contains(part),
            "« {part} » is missing from the whole file:\n{text}"
        );
    }
    app.click("nav-commandes").await;
    app.find("order-row").await;
    app.screenshot("16-commandes").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_milestone_updated_by_the_provider_appears_after_sync_and_is_acknowledged() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    let order_id = awarded_order(&server).await;
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.find("home-deployment").await;
    app.screenshot("17-accueil-avec-deploiement").await;
    app.click("nav-deploiement").await;
    app.find(&format!(
        "[data-testid=\"deployment\"][data-order-id=\"{order_id}\"]"
    ))
    .await;

    // The provider reports the kick-off meeting held, on its side.
    let kickoff = server
        .view(NUAGIX)
        .await
        .of_kind("milestone")
        .into_iter()
        .find(|(_, m)| m["order_id"] == order_id.to_string().as_str() && m["kind"] == "kickoff")
        .map(|(id, _)| id.to_string())
        .expect("the kick-off milestone");
    apply_ok(
        &server,
        NUAGIX,
        mutation(
            "milestone.update",
            json!({"milestone_id": kickoff, "actual_date": centrale_domain::time::brussels_today(server.now()),
                "notes": "Réunion de lancement tenue à Bertrix."}),
        ),
    )
    .await;
    app.sync_now().await;
    let selector = format!("[data-testid=\"milestone\"][data-milestone-id=\"{kickoff}\"]");
    app.click(&format!(
        "{selector} [data-testid=\"milestone-acknowledge\"]"
    ))
    .await;
    app.screenshot("14-deploiement").await;
    app.sync_now().await;
    app.wait_text("sync-state", "Synchronisé").await;
    let milestone = server.view(DG).await;
    let milestone = milestone.get("milestone", &kickoff).expect("the milestone");
    assert!(
        !milestone["acknowledged_at"].is_null() || milestone["status"] == "acknowledged",
        "{milestone}"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_refused_by_the_server_waits_in_the_needs_attention_list_with_what_was_typed() {
    let server = server_now().await;
    let proxy = Proxy::start(server.addr).await;
    let order_id = Uuid::now_v7();
    apply_ok(
        &server,
        DG,
        m::create_draft(order_id, "E-guichet état civil 2027"),
    )
    .await;
    let app = DesktopApp::launch(&proxy.url).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.go(&format!("#/commandes/{order_id}/modifier")).await;
    app.find("order-title").await;

    // Offline, the secretary renames the draft; meanwhile a colleague deletes it on another PC.
    unplug(&proxy).await;
    app.type_into("order-title", "E-guichet et paiement en ligne 2027")
        .await;
    app.click("order-save").await;
    app.sync_now().await;
    app.wait_text("sync-state", "Hors ligne").await;
    apply_ok(&server, AGENT, m::delete_draft(order_id)).await;
    proxy.set_upstream(server.addr);
    app.sync_now().await;

    app.click("sync-attention-link").await;
    let item = app
        .wait_text("attention-item", "E-guichet et paiement en ligne 2027")
        .await;
    assert!(!item.is_empty());
    app.find("attention-discard").await;
    app.screenshot("15-a-regler").await;
    app.quit().await;
}

/// Issue 14 §2: when a sync brings what waits for the signed-in person, the system shows a
/// notification (dunst, the notification service of the headless desktop, keeps it in its
/// history), « Accueil » in the menu carries the count, and « Ce qui vous attend » says what and
/// where.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_convention_to_sign_is_notified_after_a_sync_and_counted_in_the_menu() {
    let server = server_now().await;
    let sha = convention_sha(&server).await;
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(MAYOR, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;

    // The directrice générale prepares and signs the convention on her own PC.
    let adhesion_id = Uuid::now_v7();
    for act in [
        m::start_adhesion(adhesion_id),
        m::record_college_decision(adhesion_id, "CC/2026/12"),
        m::sign_adhesion(adhesion_id, &sha),
    ] {
        server.apply(DG, act).await;
    }
    app.sync_now().await;
    app.wait_text("nav-waiting-count", "1").await;
    // The popup is on screen (dunst shows it for a few seconds): the screenshot shows it with
    // the count, then dunst's history keeps what it said.
    let dunstctl = |args: &[&str]| {
        let out = std::process::Command::new("dunstctl")
            .args(args)
            .output()
            .expect("dunstctl (Debian package dunst)");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    eventually(
        std::time::Duration::from_secs(20),
        "the notification on screen",
        || async {
            // On screen, or already gone from it into the history (a slow machine): never
            // does the journey depend on how long the popup stays.
            let shown = dunstctl(&["count", "displayed"])
                .parse::<u32>()
                .unwrap_or(0)
                > 0;
            if shown || dunstctl(&["count", "history"]).parse::<u32>().unwrap_or(0) > 0 {
                return Some(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            None
        },
    )
    .await;
    let item = app.find("waiting-item").await;
    assert_eq!(app.attr(&item, "data-kind").await, "sign_adhesion");
    app.screenshot_with_notifications("18-notification-signature")
        .await;
    dunstctl(&["close-all"]);
    let notified = eventually(
        std::time::Duration::from_secs(20),
        "the system notification in dunst's history",
        || async {
            let history = dunstctl(&["history"]);
            if history.contains("Convention d'adhésion à signer") {
                return Some(history);
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            None
        },
    )
    .await;
    assert!(notified.contains("Bertrix"), "{notified}");

    // Signed: nothing waits any more.
    app.click("nav-adhesion").await;
    app.click("sign-convention").await;
    app.click("confirm-accept").await;
    app.find("signature-mayor").await;
    app.sync_now().await;
    app.click("nav-accueil").await;
    app.wait_text("waiting", "Rien ne vous attend").await;
    app.quit().await;
}

/// Issue 13 §3: a second launch on the same PC (a double click on the shortcut while Centrale
/// is open behind another window) brings the open window forward and ends, instead of opening
/// a second app on the same cache. The app is started here as the shortcut starts it, without
/// the tests' `CENTRALE_DATA_DIR` (which gives each test PC a cache of its own and so turns the
/// single instance off), its data under a throw-away HOME.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_brings_the_open_window_forward_instead_of_a_second_app() {
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration as Wait, Instant};

    /// The app's process, ended whatever the test's outcome.
    struct Running(Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    let pc = tempfile::tempdir().expect("the PC's folder");
    let home = pc.path();
    let launch = |log: &str| {
        let mut command = Command::new(centrale_tests::desktop::app_binary());
        command
            .env_remove("CENTRALE_DATA_DIR")
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("CENTRALE_SERVER_URL", "http://127.0.0.1:9")
            .env("CENTRALE_LOG_FILE", home.join(log))
            .env("RUST_LOG", "warn,centrale_desktop=info")
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Running(command.spawn().expect("launching the app"))
    };
    let log = |name: &str| std::fs::read_to_string(home.join(name)).unwrap_or_default();

    let mut first = launch("first.log");
    eventually(Wait::from_secs(60), "the first app to start", || async {
        log("first.log").contains("app started").then_some(())
    })
    .await;

    let mut second = launch("second.log");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = second.0.try_wait().expect("the second launch's state") {
            break status;
        }
        assert!(
            started.elapsed() < Wait::from_secs(30),
            "a second app stayed open on the same PC: {}",
            log("second.log")
        );
        tokio::time::sleep(Wait::from_millis(100)).await;
    };
    assert!(
        status.success(),
        "the second launch ends quietly: {status:?}"
    );
    assert!(
        first.0.try_wait().expect("the first app's state").is_none(),
        "the open app stays open"
    );
    eventually(
        Wait::from_secs(10),
        "the open window brought forward",
        || async {
            log("first.log")
                .contains("second launch: the open window brought forward")
                .then_some(())
        },
    )
    .await;
    assert!(
        !log("second.log").contains("app started"),
        "no second app opened the cache: {}",
        log("second.log")
    );
}

/// Issue 13 §2, as a person sees it: the intercommunale published a newer version; the app
/// offers it with what changes; the file served is not signed by the key the app trusts (a
/// genuine signature of Tauri's signer, by another key), so « Télécharger » ends in a refusal
/// said in French and nothing is installed. (The installed update itself, end to end, is
/// `cargo xtask release --only linux`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_offers_a_published_update_and_refuses_a_file_not_signed_by_the_intercommunale() {
    let server = server_now().await;
    let content = b"pas le paquet de l'intercommunale".to_vec();
    let release = centrale_server_db::AppReleaseRow {
        version: "9.9.9".into(),
        target: "linux-x86_64".into(),
        file_name: "Centrale_9.9.9_amd64.deb".into(),
        sha256: "0".repeat(64),
        size_bytes: content.len() as i64,
        // Written by `cargo tauri signer sign` with a key that is not the app's.
        signature: "dW50cnVzdGVkIGNvbW1lbnQ6IHNpZ25hdHVyZSBmcm9tIHRhdXJpIHNlY3JldCBrZXkKUlVRdnBINWJCZkhJdFE3anE2c3JJV1dWWkxjcWFMdjJaZ1RtQXFxa2JvdDZDZmp3RW53RUVoY1FPR081MDMzdTlOK0tjbzhPdnY2dXdsQnlhOUFxbUhzVkZycU84WWRzb2d3PQp0cnVzdGVkIGNvbW1lbnQ6IHRpbWVzdGFtcDoxNzk2NDEzMjE5CWZpbGU6Q2VudHJhbGVfMC4xLjFfYW1kNjQuZGViCkNFendoTFZzeWplY2trVnJ3NzRueHNyQ3BQLzJSOXJnbTRTMXB1cEJNeERwQkVrS3VEMmtMUk1XZjZUYUVZbEJXMFVCT1JOZmxZaDFOQVI0N3doT0RRPT0K".into(),
        notes: "Les dates de réception s'affichent dans le calendrier de la commune.".into(),
        published_at: Utc::now(),
        published_by: "test".into(),
    };
    assert!(server.db.put_app_release(&release, &content).await.unwrap());

    let app = DesktopApp::launch(&server.base).await;
    app.log_in(DG, DEMO_PASSWORD).await;
    let notice = app
        .wait_text(
            "update-notice",
            "Une nouvelle version de Centrale est disponible : 9.9.9",
        )
        .await;
    assert!(
        notice.contains("Ce qui change : Les dates de réception"),
        "{notice}"
    );
    app.screenshot("34-mise-a-jour-disponible").await;
    app.click("update-download").await;
    let refusal = app
        .wait_text("error-panel", "n'est pas signée par l'intercommunale")
        .await;
    assert!(refusal.contains("rien n'a été installé"), "{refusal}");
    assert!(app.all("update-install").await.is_empty());
    app.screenshot("35-mise-a-jour-refusee").await;
    app.quit().await;
}
