//! Issue 16 §3: the needs survey across the two sides of the desktop app. Among a year of
//! activity (the demo history, where six communes have answered), Bertrix's directrice générale
//! finds the survey waiting for her, answers it, keeps a draft and sends it signed; the
//! centrale reads the answers per need and per commune, exports them, and turns the need most
//! expressed into a new service; Bertrix's catalogue then shows it as new, naming the need.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_need_from_the_communes_survey_becomes_a_new_service_of_the_catalogue() {
    let server = server_now().await;
    centrale_server::seed_history::seed_demo_history(&server.db, server.now())
        .await
        .expect("the demo history");
    let survey = centrale_server::seed_history::history_survey_id();
    let commune_pc = Pc::new(&server);

    // 1. Bertrix: the survey waits for the directrice générale on her home screen.
    let app = commune_pc.open().await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.wait_text(
        "[data-testid=\"waiting-item\"][data-kind=\"answer_survey\"]",
        "Besoins smart city",
    )
    .await;
    app.screenshot("j01-commune-enquete-a-completer").await;
    app.click("nav-enquetes").await;
    app.wait_text("surveys-status", "Pas encore").await;
    app.screenshot("j02-commune-enquetes").await;
    app.click("surveys-open").await;
    app.find("survey-form").await;
    for choice in [
        "survey-choice-mobilite-stationnement",
        "survey-choice-mobilite-comptage",
        "survey-choice-environnement-inondations",
        "survey-choice-priorite-mobilite",
    ] {
        app.click(choice).await;
    }
    app.type_into("survey-number-parkings", "11").await;
    app.type_into("survey-number-budget", "90000").await;
    app.type_into(
        "survey-text-autre",
        "Un outil de réservation des salles communales pour les associations.",
    )
    .await;
    // A draft first: kept on this PC at once, sent to the intercommunale at the next sync.
    app.click("survey-save").await;
    app.find("flash").await;
    // The message sits above the form: the top of the page, under the sync bar.
    app.script("window.scrollTo(0, 0); return null;").await;
    app.screenshot("j03-commune-enquete-brouillon").await;
    app.click("survey-send").await;
    app.find("confirm-dialog").await;
    app.wait_text("confirm-dialog", "directrice générale").await;
    app.show("survey-confirm-sign").await;
    app.screenshot("j04-commune-enquete-signature").await;
    app.click("confirm-accept").await;
    app.find("survey-sent").await;
    app.sync_now().await;
    let key = centrale_domain::survey::response_key(survey, BERTRIX);
    let sent = on_server(
        &server,
        CENTRALE,
        "survey_response",
        &key,
        "Bertrix's answers sent",
        |r| r["status"] == "sent",
    )
    .await;
    assert_eq!(sent["sent"]["name"], "Marie Lambert");
    app.wait_text("survey-signature", "Marie Lambert").await;
    app.show("survey-sent").await;
    app.screenshot("j05-commune-enquete-envoyee").await;
    app.quit().await;

    // 2. The centrale reads the answers: smart parking, now expressed by five communes.
    let app = DesktopApp::launch(&server.base).await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-enquetes").await;
    app.wait_text("surveys-progress", "7 communes").await;
    app.screenshot("j06-centrale-enquetes").await;
    app.click("surveys-results").await;
    app.wait_text("results-need-mobilite-stationnement-count", "5")
        .await;
    app.screenshot("j07-centrale-resultats-par-besoin").await;
    app.show("results-by-commune").await;
    app.screenshot("j08-centrale-resultats-par-commune").await;
    app.click("export-csv-survey_answers").await;
    app.find("export-saved-survey_answers").await;
    let csv: Vec<_> = std::fs::read_dir(app.documents_folder())
        .expect("the documents folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("Réponses aux enquêtes"))
        .collect();
    assert_eq!(csv.len(), 1, "the answers exported: {csv:?}");
    let text = std::fs::read_to_string(&csv[0]).expect("the CSV");
    assert!(text.contains("Bertrix") && text.contains("Stationnement intelligent"));

    // 3. The need becomes a service with its framework, in one go from its bar.
    app.click("results-create-service-mobilite-stationnement")
        .await;
    app.wait_text("service-need-origin", "5 communes").await;
    let today = centrale_domain::time::brussels_today(Utc::now());
    let typed = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    for (field, value) in [
        (
            "service-summary",
            "Des capteurs signalent les places libres aux automobilistes.".to_string(),
        ),
        (
            "service-description",
            "Des capteurs au sol détectent les véhicules ; une application et des panneaux guident vers les places libres.".to_string(),
        ),
        ("framework-reference", "CA-2027-01".to_string()),
        (
            "framework-title",
            "Accord-cadre relatif au stationnement intelligent".to_string(),
        ),
        ("framework-start-date", typed(today)),
        (
            "framework-end-date",
            typed(today + Duration::days(3 * 365)),
        ),
        ("framework-max-value", "700 000,00".to_string()),
        ("price-line-new-0-label", "Capteur posé".to_string()),
        ("price-line-new-0-unit", "par capteur".to_string()),
        ("price-line-new-0-ceiling", "250,00".to_string()),
    ] {
        app.type_into(field, &value).await;
    }
    app.set_value("price-line-new-0-basis", "per_site").await;
    app.type_into("price-line-new-0-amount", "40").await;
    for provider in ["nuagix", "civitech"] {
        app.click(&format!(
            "framework-provider-{}",
            demo_provider_id(provider)
        ))
        .await;
    }
    app.show("service-need-origin").await;
    app.screenshot("j09-centrale-service-pour-un-besoin").await;
    app.click("new-service-submit").await;
    app.find("confirm-dialog").await;
    app.wait_text("new-service-summary-need", "Stationnement intelligent")
        .await;
    app.screenshot("j10-centrale-service-pour-un-besoin-confirmation")
        .await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    let services = eventually(
        std::time::Duration::from_secs(30),
        "the new service on the server",
        || async {
            let view = server.view(DG).await;
            view.of_kind("service")
                .into_iter()
                .find(|(_, s)| s["from_need"]["need"]["choice"] == "stationnement")
                .map(|(_, s)| s.clone())
        },
    )
    .await;
    assert_eq!(services["from_need"]["communes"], 5);
    app.go(&format!("#/enquetes/{survey}/resultats")).await;
    app.wait_text(
        "results-served-mobilite-stationnement",
        "Stationnement intelligent",
    )
    .await;
    app.show("results-need-mobilite-stationnement").await;
    app.screenshot("j11-centrale-besoin-devenu-service").await;
    app.quit().await;

    // 4. Bertrix's catalogue: the new service, new, and the need it answers.
    let app = commune_pc.reopen().await;
    app.click("nav-catalogue").await;
    app.wait_text("catalogue-new-need", "exprimé par 5 communes")
        .await;
    app.find("service-new-badge").await;
    app.screenshot("j12-commune-catalogue-nouveau").await;
    app.quit().await;
}
