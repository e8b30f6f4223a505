//! Issue 16 §4: a pooled call-off across the two sides of the desktop app. Among a year of
//! activity (the demo history, where three communes bought air-quality sensors together), the
//! centrale reads its pooled call-off analysed once for all, then opens a new one; Bertrix's
//! directrice générale finds it, joins it with her own quantities and sends her request; the
//! pool shows her commune in it; Durbuy's bourgmestre reads, on his own order, that the offers
//! were analysed once for the three communes and that the award is his collège's.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn communes_join_a_pooled_call_off_and_each_decides_on_the_common_analysis() {
    let server = server_now().await;
    centrale_server::seed_history::seed_demo_history(&server.db, server.now())
        .await
        .expect("the demo history");
    let history_pool = centrale_server::seed_history::history_pool_id();

    // 1. The centrale: the history's pool, analysed; then a new pool on the e-guichet.
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-marchesGroupes").await;
    app.wait_text("pools-list", "Capteurs de qualité de l'air")
        .await;
    app.screenshot("k01-centrale-marches-groupes").await;
    app.go(&format!("#/marches-groupes/{history_pool}")).await;
    app.find("pool-ranking").await;
    app.wait_text("pool-members", "Durbuy").await;
    app.screenshot("k02-centrale-marche-groupe-analyse").await;
    app.show("pool-ranking").await;
    app.screenshot("k03-centrale-marche-groupe-classement")
        .await;

    app.click("nav-marchesGroupes").await;
    app.click("pools-new").await;
    app.set_value("pool-service", &demo_service_id("e-guichet").to_string())
        .await;
    app.type_into("pool-title", "E-guichet 2027 — achat groupé")
        .await;
    app.type_into(
        "pool-description",
        "Un e-guichet pour l'état civil et la population, acheté ensemble par les communes qui le souhaitent.",
    )
    .await;
    let join_until = centrale_domain::time::brussels_today(Utc::now()) + Duration::days(20);
    app.type_into(
        "pool-join-until",
        &join_until.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.screenshot("k04-centrale-nouveau-marche-groupe").await;
    app.click("pool-create").await;
    app.find("confirm-dialog").await;
    app.click("confirm-accept").await;
    app.find("pool-launch-no-member").await;
    app.sync_now().await;
    let pool = eventually(
        std::time::Duration::from_secs(30),
        "the new pool on the server",
        || async {
            let view = server.view(DG).await;
            view.of_kind("pooled_call_off")
                .into_iter()
                .find(|(_, p)| p["title"] == "E-guichet 2027 — achat groupé")
                .map(|(id, _)| id.to_string())
        },
    )
    .await;
    app.screenshot("k05-centrale-marche-groupe-ouvert").await;
    app.quit().await;

    // 2. Bertrix joins with its own quantities and its own decision to take part.
    let commune_pc = Pc::new(&server);
    let app = commune_pc.open().await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-marchesGroupes").await;
    app.find("pools-join").await;
    app.screenshot("k06-commune-marches-groupes").await;
    app.go(&format!("#/marches-groupes/{pool}")).await;
    app.find("pool-join-explain").await;
    app.screenshot("k07-commune-rejoindre-explication").await;
    app.click("pool-join-button").await;
    for (line, quantity) in [("setup", "1"), ("licence", "9")] {
        app.type_into(
            &format!("[data-testid=\"need-quantity\"][data-line-code=\"{line}\"]"),
            quantity,
        )
        .await;
    }
    app.type_into(
        "order-sites",
        "Administration communale, Place des Trois Fers 1",
    )
    .await;
    app.show("[data-testid=\"need-quantity\"][data-line-code=\"setup\"]")
        .await;
    app.screenshot("k08-commune-rejoindre-quantites").await;
    app.click("order-save").await;
    app.find("order-pool-banner").await;
    journey::send_request(&app, centrale_domain::time::brussels_today(Utc::now())).await;
    app.sync_now().await;
    let joined = on_server(
        &server,
        CENTRALE,
        "pooled_call_off",
        &pool,
        "Bertrix in the pool",
        |p| p["members"][0]["commune_nis"] == BERTRIX,
    )
    .await;
    assert!(joined["members"][0]["left_at"].is_null());
    app.wait_text("order-pool-banner", "E-guichet 2027").await;
    app.show("order-pool-banner").await;
    app.screenshot("k09-commune-commande-du-marche-groupe")
        .await;
    app.click("order-pool-banner-link").await;
    app.find("pool-mine").await;
    app.wait_text("pool-members", "Bertrix").await;
    app.screenshot("k10-commune-dans-le-marche-groupe").await;
    app.quit().await;

    // 3. The centrale launches the one competition; a provider answers once, on the portal.
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.go(&format!("#/marches-groupes/{pool}")).await;
    app.wait_text("pool-members", "Bertrix").await;
    app.find("pool-launch").await;
    let day = centrale_domain::time::brussels_today(Utc::now()) + Duration::days(14);
    app.type_into("pool-deadline-date", &day.format("%d/%m/%Y").to_string())
        .await;
    app.type_into("pool-deadline-time", "12:00").await;
    app.click("pool-launch-submit").await;
    app.find("confirm-dialog").await;
    app.screenshot("k11-centrale-lancement-marche-groupe").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    on_server(
        &server,
        CENTRALE,
        "pooled_call_off",
        &pool,
        "the pool launched",
        |p| p["competition"].is_object(),
    )
    .await;
    app.quit().await;

    let portal = PortalBrowser::open(&server.base).await;
    portal.log_in(NUAGIX, DEMO_PASSWORD).await;
    // The open invitations come first, the pool's among them.
    portal.find("[data-testid=\"pooled-notice\"]").await;
    portal
        .screenshot("k12-portail-invitation-marche-groupe", 1000)
        .await;
    portal.click("pooled-offer-link").await;
    portal.type_into("#prix-0", "3 900,00").await;
    portal.type_into("#prix-1", "140,00").await;
    portal.type_into("#delai", "60").await;
    portal
        .screenshot("k13-portail-offre-marche-groupe", 1400)
        .await;
    portal.click("submit-offer").await;
    portal.find("[data-testid=\"offer-summary\"]").await;
    portal
        .screenshot("k14-portail-offre-marche-groupe-recapitulatif", 1400)
        .await;
    portal.click("confirm-offer").await;
    portal.find("[data-testid=\"confirmation\"]").await;
    let bertrix_order = joined["members"][0]["order_id"].clone();
    let shares = server
        .view(NUAGIX)
        .await
        .of_kind("offer")
        .into_iter()
        .filter(|(_, o)| o["order_id"] == bertrix_order)
        .count();
    assert_eq!(shares, 1, "one share, Bertrix's");

    // 4. Durbuy's bourgmestre: his order, analysed with the two others, his collège decides.
    let durbuy = centrale_server::seed_history::history_order_id("pool-air-durbuy");
    let app = DesktopApp::launch(&server.base).await;
    app.log_in("bourgmestre.83012", DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.go(&format!("#/commandes/{durbuy}")).await;
    app.wait_text("order-pool-banner", "Capteurs de qualité de l'air")
        .await;
    app.find("offer-comparison").await;
    app.screenshot("k11-commune-decision-sur-analyse-commune")
        .await;
    app.quit().await;
}
