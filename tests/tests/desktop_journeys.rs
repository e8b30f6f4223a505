//! The commune's journeys on the real desktop app (Tauri, WebKitGTK under Xvfb, driven by
//! tauri-driver), against a real server this test starts and seeds; the centrale's and the
//! providers' acts are done through the server's API, as their own apps would.
//!
//! Run by `cargo xtask test` (feature `desktop-e2e`, one journey at a time). With
//! `CENTRALE_SCREENSHOTS=docs/screenshots`, each screen a journey passes is saved there.

use centrale_server::seed::DEMO_PASSWORD;
use centrale_tests::desktop::DesktopApp;
use centrale_tests::server::convention_sha;
use centrale_tests::{mutations as m, Proxy, TestServer, CENTRALE, DG, MAYOR};
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
    let server = TestServer::spawn().await;
    let app = DesktopApp::launch(&server.base).await;

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
    let found = app.all("service-card").await;
    let found = if found.len() == 10 {
        // The list filters as one types; give it the time of a re-read.
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        app.all("service-card").await
    } else {
        found
    };
    assert!(
        !found.is_empty() && found.len() < 10,
        "the search narrows the list: {}",
        found.len()
    );

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
    let server = TestServer::spawn().await;
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
    app.set_value("college-date", "2026-11-27").await;
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
    let adhesion_id: Uuid = server
        .view(CENTRALE)
        .await
        .of_kind("adhesion")
        .first()
        .map(|(id, _)| id.parse().unwrap())
        .expect("the adhesion on the server");
    server
        .apply(CENTRALE, m::countersign_adhesion(adhesion_id, &sha))
        .await;
    server
        .apply(CENTRALE, m::activate_adhesion(adhesion_id))
        .await;
    app.sync_now().await;
    app.find("countersignature").await;
    app.wait_text("adhesion-status", "ctive").await;
    app.screenshot("07-adhesion-active").await;
    app.quit().await;
}
