//! Issue 11 rule 7, abnormally low prices, on SQLite and PostgreSQL: after the opening the
//! commune asks a tenderer to justify its prices (law of 17 June 2016 art. 84; AR 18 April 2017
//! art. 36 §2); only that provider sees the request and answers it on the portal; the
//! evaluation waits; the commune accepts the justification or sets the offer aside as
//! abnormally low; and (rule 13) the award notification reaches the tenderer set aside too.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use centrale_server::Clock;
use chrono::Duration;
use common::portal::Browser;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

const PRICES: &str = "Mise en service à 1 000 € : pourquoi si bas face au plafond ?";
const ANSWER: &str = "Paramétrage déjà réalisé pour 30 communes : seul le déploiement est facturé.";
const MOTIVATION: &str =
    "Prix anormalement bas : la justification ne couvre pas la reprise des données.";

/// Opened offers: Nuagix far below the ceilings, Civitech ordinary. Returns the competition
/// and the two offer ids.
async fn opened(app: &TestApp) -> (Competition, Uuid, Uuid) {
    activate_adhesion(app, "84009").await;
    let c = open_competition(app).await;
    let (low, other) = (Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(low, &c.invitation_id("nuagix"), 100_000, 5_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(other, &c.invitation_id("civitech"), 400_000, 15_000),
    )
    .await;
    app.clock.set(c.deadline);
    let _ = app.state_of(DG).await;
    (c, low, other)
}

fn ask(c: &Competition, request: Uuid, offer: Uuid, days: i64, app: &TestApp) -> Value {
    json!({"order_id": c.order_id, "request_id": request, "offer_id": offer,
           "prices": PRICES, "deadline": app.clock.now() + Duration::days(days)})
}

/// Quality points for `offers` (full marks) on every quality criterion of the framework.
async fn scores(app: &TestApp, offers: &[Uuid]) -> Vec<Value> {
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let criteria = framework["versions"].as_array().unwrap().last().unwrap()["award_criteria"]
        .as_array()
        .unwrap()
        .clone();
    let mut out = Vec::new();
    for c in criteria.iter().filter(|c| c["kind"] == "quality") {
        for offer in offers {
            out.push(json!({"offer_id": offer, "criterion_code": c["code"],
                "points": c["weight"].as_u64().unwrap().to_string(),
                "justification": "Solution complète et bien documentée."}));
        }
    }
    out
}

fn invitation(view: &View, c: &Competition, short: &str) -> Value {
    view.get(RecordKind::Invitation, c.invitation_id(short))
        .unwrap()
}

#[tokio::test]
async fn art_84_an_abnormally_low_offer_is_set_aside_after_its_justification_and_told_the_award() {
    let app = spawn_app().await;
    let (c, low, other) = opened(&app).await;
    let request = Uuid::now_v7();
    // Refused: a provider asks; a deadline under twelve days.
    app.reject(
        NUAGIX,
        "order.ask_price_justification",
        ask(&c, request, low, 12, &app),
        "forbidden",
    )
    .await;
    app.reject(
        DG,
        "order.ask_price_justification",
        ask(&c, request, low, 11, &app),
        "deadline_too_soon",
    )
    .await;
    // The twelfth day at the hour of the request is still too soon: the twelve days run from
    // the next day to the end of the twelfth (AR 18 April 2017 art. 36 §2).
    app.reject(
        DG,
        "order.ask_price_justification",
        ask(&c, request, low, 12, &app),
        "deadline_too_soon",
    )
    .await;
    // Refused: abnormally low without having asked.
    let aside = json!({"order_id": c.order_id, "offer_id": low, "motivation": MOTIVATION,
                       "ground": "abnormally_low"});
    app.reject(
        DG,
        "order.set_offer_aside",
        aside.clone(),
        "price_justification_not_asked",
    )
    .await;
    app.apply(
        DG,
        "order.ask_price_justification",
        ask(&c, request, low, 13, &app),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["price_requests"][0]["prices"], PRICES);
    assert_eq!(
        order["price_requests"][0]["asked_by"]
            .as_str()
            .map(str::is_empty),
        Some(false)
    );
    // Only the provider asked sees the request.
    let nuagix = invitation(&app.state_of(NUAGIX).await, &c, "nuagix");
    assert_eq!(nuagix["price_requests"][0]["id"], request.to_string());
    let civitech = invitation(&app.state_of(CIVITECH).await, &c, "civitech");
    assert_eq!(civitech["price_requests"], json!([]));
    assert!(!civitech.to_string().contains(PRICES));
    // The evaluation waits; setting aside too.
    app.reject(
        DG,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores(&app, &[low, other]).await}),
        "price_justification_awaited",
    )
    .await;
    app.reject(
        DG,
        "order.set_offer_aside",
        aside.clone(),
        "price_justification_awaited",
    )
    .await;
    // Another provider cannot answer it, even through its own invitation.
    app.reject(
        CIVITECH,
        "order.answer_price_justification",
        json!({"invitation_id": c.invitation_id("civitech"), "request_id": request, "answer": ANSWER}),
        "not_found",
    )
    .await;
    // The provider answers on the portal.
    let browser = Browser::new(&app);
    let list = browser.login(NUAGIX).await;
    assert!(
        list.has("Justification des prix demandée par la commune"),
        "{}",
        list.html
    );
    let path = format!("/portail/invitations/{}", c.invitation_id("nuagix"));
    let page = browser.get(&path).await;
    assert!(page.has("Justification des prix demandée"), "{}", page.html);
    assert!(
        page.has("data-testid=\"justification-form\""),
        "{}",
        page.html
    );
    // Too short an answer: refused in French, nothing recorded.
    let refused = browser
        .post(
            &format!("{path}/justification/{request}"),
            &[("csrf", page.csrf().as_str()), ("answer", "Oui.")],
        )
        .await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.has("Le texte doit compter entre 10 et"),
        "{}",
        refused.html
    );
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["price_requests"][0]["answer"], Value::Null);
    let sent = browser
        .post(
            &format!("{path}/justification/{request}"),
            &[("csrf", page.csrf().as_str()), ("answer", ANSWER)],
        )
        .await;
    assert!(
        sent.has("Votre justification a été transmise"),
        "{}",
        sent.html
    );
    assert!(
        sent.has("Paramétrage déjà réalisé pour 30 communes"),
        "{}",
        sent.html
    );
    // The other provider's portal shows nothing of it.
    let other_browser = Browser::new(&app);
    other_browser.login(CIVITECH).await;
    let other_page = other_browser
        .get(&format!(
            "/portail/invitations/{}",
            c.invitation_id("civitech")
        ))
        .await;
    assert!(
        !other_page.has("Justification des prix"),
        "{}",
        other_page.html
    );
    // The commune reads the answer at its next pull, then sets the offer aside.
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["price_requests"][0]["answer"], ANSWER);
    assert!(order["price_requests"][0]["answered_at"].is_string());
    app.reject(
        MAYOR,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores(&app, &[low, other]).await}),
        "price_justification_undecided",
    )
    .await;
    app.apply(DG, "order.set_offer_aside", aside).await;
    let nuagix = invitation(&app.state_of(NUAGIX).await, &c, "nuagix");
    assert_eq!(nuagix["set_aside"]["ground"], "abnormally_low");
    assert_eq!(nuagix["set_aside"]["motivation"], MOTIVATION);
    let page = browser.get(&path).await;
    assert!(page.has("comme anormalement basse"), "{}", page.html);
    // The ranking leaves it out.
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores(&app, &[other]).await}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    let ranked = order["evaluation"]["ranking"]["offers"].as_array().unwrap();
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0]["offer_id"], other.to_string());
    // Rule 13: the award notification reaches the tenderer set aside too.
    app.apply(
        MAYOR,
        "order.award",
        json!({"order_id": c.order_id, "offer_id": other,
               "justification": "Seule offre régulière, classée première selon les critères de l'accord-cadre.",
               "college_decision": app.college("COL/2026/245")}),
    )
    .await;
    let view = app.state_of(NUAGIX).await;
    let outcome = invitation(&view, &c, "nuagix")["outcome"].clone();
    let winner = view
        .get(RecordKind::Provider, demo_provider_id("civitech"))
        .unwrap()["name"]
        .clone();
    assert_eq!(outcome["won"], false);
    assert_eq!(outcome["rank"], 0);
    assert_eq!(outcome["winner_name"], winner);
    assert_eq!(outcome["set_aside"]["ground"], "abnormally_low");
    assert_eq!(outcome["set_aside"]["motivation"], MOTIVATION);
    assert_eq!(outcome["remedies"].as_array().unwrap().len(), 2);
    assert!(outcome["winner_total"].is_string());
    assert!(outcome["notified_at"].is_string());
    let page = browser.get(&path).await;
    assert!(page.has("data-testid=\"outcome-winner\""), "{}", page.html);
    assert!(
        page.has("data-testid=\"outcome-set-aside\""),
        "{}",
        page.html
    );
    assert!(!page.has("data-testid=\"own-scores\""), "{}", page.html);
}

#[tokio::test]
async fn art_84_an_accepted_justification_keeps_the_offer_in_the_ranking() {
    let app = spawn_app().await;
    let (c, low, other) = opened(&app).await;
    let request = Uuid::now_v7();
    // The centrale may ask for the commune.
    app.apply(
        CENTRALE,
        "order.ask_price_justification",
        ask(&c, request, low, 14, &app),
    )
    .await;
    app.reject(
        DG,
        "order.accept_price_justification",
        json!({"order_id": c.order_id, "request_id": request}),
        "price_justification_awaited",
    )
    .await;
    // The provider answers through the API (as its desktop app would).
    app.apply(
        NUAGIX,
        "order.answer_price_justification",
        json!({"invitation_id": c.invitation_id("nuagix"), "request_id": request, "answer": ANSWER}),
    )
    .await;
    app.reject(
        NUAGIX,
        "order.answer_price_justification",
        json!({"invitation_id": c.invitation_id("nuagix"), "request_id": request, "answer": ANSWER}),
        "price_justification_already_answered",
    )
    .await;
    // Accepting is the commune's signatories' act.
    let accept = json!({"order_id": c.order_id, "request_id": request});
    app.reject(
        AGENT,
        "order.accept_price_justification",
        accept.clone(),
        "forbidden",
    )
    .await;
    app.reject(
        CENTRALE,
        "order.accept_price_justification",
        accept.clone(),
        "forbidden",
    )
    .await;
    app.apply(DG, "order.accept_price_justification", accept)
        .await;
    let nuagix = invitation(&app.state_of(NUAGIX).await, &c, "nuagix");
    assert!(nuagix["price_requests"][0]["accepted_at"].is_string());
    // Both offers are ranked.
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores(&app, &[low, other]).await}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(
        order["evaluation"]["ranking"]["offers"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // After the evaluation, no new request.
    app.reject(
        DG,
        "order.ask_price_justification",
        ask(&c, Uuid::now_v7(), other, 12, &app),
        "invalid_state",
    )
    .await;
}
