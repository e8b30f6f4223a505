//! The competition's edges across the three sides (issue 11 §3): a provider's question and
//! the centrale's answer every invited provider reads without the asker's name; a directrice
//! générale f.f. designated in the app who sets an offer aside, scores and awards, named as
//! such on the award; the provider set aside reading why on the portal; and a competition
//! without any offer that the centrale relaunches.
//!
//! Screenshots `e01`–`e11` (with `CENTRALE_SCREENSHOTS=<folder>`).

use centrale_server::seed::{demo_provider_id, DEMO_PASSWORD};
use centrale_tests::calloff::{apply_ok, offers_come_in};
use centrale_tests::journey::{self, brussels};
use centrale_tests::portal::PortalBrowser;
use centrale_tests::server::activate_adhesion;
use centrale_tests::{mutations as m, AGENT, BERTRIX, CENTRALE, CIVITECH, DG, NUAGIX};
use chrono::{Duration, NaiveDate};
use chrono_tz::Europe::Brussels;
use uuid::Uuid;

use super::{deadline_day, on_server, open_order, open_order_as_centrale, server_now, Pc};

/// An order of Bertrix sent and its competition launched through the API (the other sides'
/// own apps), the deadline 15 days ahead. Returns the order's id and the deadline.
async fn competition_launched(
    server: &centrale_tests::TestServer,
    title: &str,
) -> (Uuid, chrono::DateTime<chrono::Utc>) {
    let order_id = Uuid::now_v7();
    apply_ok(server, DG, m::create_draft(order_id, title)).await;
    apply_ok(server, DG, m::submit(order_id)).await;
    let deadline = server.now() + Duration::days(15);
    apply_ok(server, CENTRALE, m::launch_competition(order_id, deadline)).await;
    (order_id, deadline)
}

/// The server's today in Brussels.
fn today(server: &centrale_tests::TestServer) -> NaiveDate {
    server.now().with_timezone(&Brussels).date_naive()
}

const QUESTION: &str = "Le module d'état civil doit-il reprendre les actes numérisés depuis 2015 ?";
const ANSWER: &str = "Oui : la reprise des actes numérisés depuis 2015 fait partie de la mise en service, sans supplément.";
const MOTIVATION: &str = "L'offre ne joint pas l'attestation de sécurité exigée par le cahier des charges de l'accord-cadre.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_answered_for_all_then_a_dg_ff_sets_an_offer_aside_and_awards() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    let (order_id, deadline) = competition_launched(&server, "E-guichet population 2027").await;

    // 1. Nuagix asks a question on the portal.
    let portal = PortalBrowser::open(&server.base).await;
    portal.log_in(NUAGIX, DEMO_PASSWORD).await;
    portal.click("invitation-link").await;
    portal.type_into("#question", QUESTION).await;
    portal.click("question-submit").await;
    portal.find("question-sent").await;
    portal.screenshot("e01-portail-question", 1300).await;
    let order = on_server(
        &server,
        CENTRALE,
        "order",
        &order_id.to_string(),
        "the question on the server",
        |o| o["questions"].as_array().is_some_and(|q| q.len() == 1),
    )
    .await;
    assert_eq!(order["questions"][0]["text"], QUESTION);

    // 2. The centrale answers in its app; the question reads without its author.
    let centrale_pc = Pc::new(&server);
    let app = centrale_pc.open().await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    open_order_as_centrale(&app, order_id).await;
    app.wait_text("order-question", QUESTION).await;
    let question = app.text("order-questions").await;
    assert!(
        !question.contains("Nuagix") && !question.contains(NUAGIX),
        "the asker is named nowhere: {question}"
    );
    app.type_into("answer-text", ANSWER).await;
    app.show("answer-form").await;
    app.screenshot("e02-centrale-reponse").await;
    app.click("answer-submit").await;
    // Recorded on this PC (its receipt) before the sync is asked for; then sent: the bar says
    // « Synchronisé » only once nothing waits (or shows why, if it failed).
    app.find("order-receipt").await;
    app.sync_now().await;
    app.wait_text("order-question-answer", ANSWER).await;
    app.wait_text("sync-state", "Synchronisé").await;
    on_server(
        &server,
        CENTRALE,
        "order",
        &order_id.to_string(),
        "the answer on the server",
        |o| o["questions"][0]["answer"] == ANSWER,
    )
    .await;
    app.quit().await;

    // 3. Civitech, the other invited provider, reads the question and its answer, without
    // who asked it.
    portal.log_in(CIVITECH, DEMO_PASSWORD).await;
    portal.click("invitation-link").await;
    let questions = portal.text("questions").await;
    assert!(
        questions.contains(QUESTION) && questions.contains(ANSWER),
        "{questions}"
    );
    let page = portal.text("#contenu").await;
    assert!(
        !page.contains("Nuagix") && !page.contains(NUAGIX),
        "the asker is named nowhere on the other provider's page: {page}"
    );
    portal
        .screenshot("e03-portail-reponse-autre-prestataire", 1300)
        .await;

    // 4. The directrice générale designates Sophie Renard (an agent of the commune) as
    // directrice générale f.f. for the coming month, on the collège's decision.
    let day = today(&server);
    let until = day + Duration::days(30);
    let commune_pc = Pc::new(&server);
    let app = commune_pc.open().await;
    app.log_in(DG, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-adhesion").await;
    app.click("substitution-add").await;
    app.find("substitution-form").await;
    app.set_value("substitution-capacity", "director_general_acting")
        .await;
    app.type_into("substitution-username", AGENT).await;
    app.type_into("substitution-from", &day.format("%d/%m/%Y").to_string())
        .await;
    app.type_into("substitution-to", &until.format("%d/%m/%Y").to_string())
        .await;
    app.type_into("substitution-reference", "COL/2026/230")
        .await;
    app.type_into("substitution-date", &day.format("%d/%m/%Y").to_string())
        .await;
    // For thirty days at most she may designate him herself, if the collège authorised her
    // (CDLD L1124-19): her own act asks for the authorisation's date.
    app.set_value("substitution-organ", "director_general")
        .await;
    app.find("substitution-authorisation-date").await;
    app.show("substitution-organ").await;
    app.screenshot("e04b-commune-suppleance-acte-du-dg").await;
    app.set_value("substitution-organ", "college").await;
    app.show("substitution-form").await;
    app.screenshot("e04-commune-suppleance").await;
    app.click("substitution-submit").await;
    app.sync_now().await;
    app.wait_text("substitution-who", "Sophie Renard").await;
    app.show("adhesion-substitutions").await;
    app.screenshot("e05-commune-suppleance-enregistree").await;
    let view = server.view(DG).await;
    let substitution = view
        .of_kind("substitution")
        .into_iter()
        .map(|(_, s)| s.clone())
        .find(|s| s["substitute_username"] == AGENT)
        .expect("the substitution on the server");
    assert_eq!(substitution["capacity"], "director_general_acting");
    assert_eq!(substitution["from"], day.to_string());
    assert_eq!(substitution["to"], until.to_string());
    app.quit().await;

    // 5. Both providers answer; the deadline passes.
    offers_come_in(&server, order_id, deadline).await;
    let offers = server.view(DG).await;
    let civitech = demo_provider_id("civitech").to_string();
    let civitech_offer = offers
        .of_kind("offer")
        .into_iter()
        .find(|(_, o)| o["provider_id"] == civitech.as_str())
        .map(|(id, _)| id.to_string())
        .expect("Civitech's offer opened");

    // 6. Sophie Renard, directrice générale f.f., sets Civitech's offer aside with a
    // motivation, scores the other and awards it.
    let agent_pc = Pc::new(&server);
    let app = agent_pc.open().await;
    app.log_in(AGENT, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    app.click("nav-adhesion").await;
    app.wait_text("substitution-you", "f.f.").await;
    open_order(&app, order_id).await;
    journey::declare_no_conflict(&app).await;
    app.wait_count("offer-column", 2).await;
    app.click(&format!(
        "[data-testid=\"set-aside-open\"][data-offer-id=\"{civitech_offer}\"]"
    ))
    .await;
    app.find("confirm-dialog").await;
    app.type_into("set-aside-motivation", MOTIVATION).await;
    app.screenshot("e06-suppleante-ecarter-offre").await;
    app.click("confirm-accept").await;
    app.wait_count("offer-column", 1).await;
    app.sync_now().await;
    let order = on_server(
        &server,
        DG,
        "order",
        &order_id.to_string(),
        "the offer set aside on the server",
        |o| o["set_aside"].as_array().is_some_and(|s| s.len() == 1),
    )
    .await;
    assert_eq!(order["set_aside"][0]["offer_id"], civitech_offer.as_str());
    assert_eq!(order["set_aside"][0]["motivation"], MOTIVATION);
    for score in app.all("quality-score").await {
        score.clear().await.expect("clear a score");
        score.send_keys("8,5").await.expect("type a score");
    }
    for justification in app.all("quality-justification").await {
        justification
            .send_keys("Démonstration convaincante, support en français.")
            .await
            .expect("type a justification");
    }
    app.click("evaluation-save").await;
    app.sync_now().await;
    app.wait_text("offer-rank", "1").await;
    let winner = journey::award_first_ranked(
        &app,
        "COL/2026/251",
        today(&server),
        "e07-suppleante-attribution",
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
    let awarded_by = order["award"]["awarded_by"].as_str().unwrap_or_default();
    assert_eq!(
        awarded_by, "Sophie Renard, directrice générale f.f.",
        "the award names the substitute in her capacity"
    );
    app.wait_text("order-award", "directrice générale f.f.")
        .await;
    app.show("order-award").await;
    app.screenshot("e08-suppleante-attribuee").await;
    app.quit().await;

    // 7. Civitech reads on the portal that its offer was set aside, and why.
    portal.log_in(CIVITECH, DEMO_PASSWORD).await;
    portal.click("invitation-link").await;
    let motivation = portal.text("set-aside-motivation").await;
    assert_eq!(motivation, MOTIVATION);
    portal.screenshot("e09-portail-offre-ecartee", 1500).await;
    portal.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_competition_without_any_offer_is_relaunched_by_the_centrale() {
    let server = server_now().await;
    activate_adhesion(&server, BERTRIX).await;
    let (order_id, deadline) = competition_launched(&server, "E-guichet population 2027").await;
    // Nobody answers; the deadline passes.
    server.clock.set(deadline + Duration::minutes(1));

    let centrale_pc = Pc::new(&server);
    let app = centrale_pc.open().await;
    app.log_in(CENTRALE, DEMO_PASSWORD).await;
    app.wait_text("sync-state", "Synchronisé").await;
    open_order_as_centrale(&app, order_id).await;
    on_server(
        &server,
        CENTRALE,
        "order",
        &order_id.to_string(),
        "no offer on the server",
        |o| o["status"] == "no_offer",
    )
    .await;
    app.find("relaunch-explain").await;
    let day = deadline_day(&server);
    // The same form as the launch, with the relaunch's confirmation as e10; both providers
    // invited again.
    app.find("launch-competition").await;
    app.wait_count("competition-invitee", 2).await;
    app.type_into(
        "competition-deadline-date",
        &day.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.type_into("competition-deadline-time", "12:00").await;
    app.click("launch-submit").await;
    app.find("confirm-dialog").await;
    app.screenshot("e10-centrale-relance").await;
    app.click("confirm-accept").await;
    app.sync_now().await;
    let order = on_server(
        &server,
        CENTRALE,
        "order",
        &order_id.to_string(),
        "the relaunch on the server",
        |o| o["status"] == "competition_open",
    )
    .await;
    let new_deadline: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(order["competition"]["deadline"].clone()).expect("a deadline");
    assert_eq!(
        new_deadline,
        brussels(day, 12, 0),
        "noon in Brussels, as typed"
    );
    assert_eq!(
        order["earlier_competitions"].as_array().map(Vec::len),
        Some(1),
        "the empty round stays on the record"
    );
    // Two new invitations with the new deadline; the first two stay closed.
    let view = server.view(CENTRALE).await;
    let invitations: Vec<_> = view
        .of_kind("invitation")
        .into_iter()
        .filter(|(_, i)| i["order_id"] == order_id.to_string().as_str())
        .map(|(_, i)| i.clone())
        .collect();
    let new: Vec<_> = invitations
        .iter()
        .filter(|i| i["status"] == "sent")
        .collect();
    assert_eq!(new.len(), 2, "{invitations:?}");
    assert!(new
        .iter()
        .all(|i| i["deadline"] == serde_json::json!(new_deadline)));
    assert_eq!(
        invitations
            .iter()
            .filter(|i| i["status"] == "closed")
            .count(),
        2
    );
    app.wait_count("[data-testid=\"invitation-row\"][data-status=\"sent\"]", 2)
        .await;
    app.wait_text("order-deadline", &day.format("%d/%m/%Y").to_string())
        .await;
    app.show("order-invitations").await;
    app.screenshot("e11-centrale-nouvelles-invitations").await;
    app.quit().await;
}
