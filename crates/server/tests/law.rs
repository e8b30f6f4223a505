//! The law of a call-off through the real API, with the test clock: each rule allowed and
//! refused, its source named. Runs on SQLite, and on PostgreSQL with
//! `CENTRALE_TEST_BACKEND=postgres`.

mod common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::*;
use serde_json::json;
use uuid::Uuid;

/// A submitted e-guichet order of Bertrix (framework CA-2025-01, 01/03/2025 – 28/02/2029)
/// at server time `at`.
async fn submitted_order_at(app: &TestApp, at: DateTime<Utc>) -> Uuid {
    activate_adhesion(app, "84009").await;
    app.clock.set(at);
    let order_id = draft_order(app, "e-guichet", "E-guichet 2029", eguichet_needs()).await;
    app.apply(DG, "order.submit", json!({"order_id": order_id}))
        .await;
    order_id
}

/// Full marks on every quality criterion of CA-2025-01 for one offer.
async fn full_marks(app: &TestApp, offer: Uuid) -> serde_json::Value {
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let criteria = framework["versions"].as_array().unwrap().last().unwrap()["award_criteria"]
        .as_array()
        .unwrap()
        .clone();
    criteria
        .iter()
        .filter(|c| c["kind"] == "quality")
        .map(|c| {
            json!({"offer_id": offer, "criterion_code": c["code"], "points": c["weight"].to_string(),
                   "justification": "Solution complète et éprouvée dans des communes voisines."})
        })
        .collect()
}

/// Dir. 2014/24 recital 62; law of 17 June 2016 art. 43: call-offs are awarded during the
/// framework's term. A deadline after its last day is refused; the last day itself is not.
#[tokio::test]
async fn framework_term_a_deadline_after_the_framework_end_is_refused() {
    let app = spawn_app().await;
    let at = Utc.with_ymd_and_hms(2029, 2, 15, 9, 0, 0).unwrap();
    let order_id = submitted_order_at(&app, at).await;
    let r = app
        .reject(
            CENTRALE,
            "order.launch_competition",
            json!({"order_id": order_id, "deadline": Utc.with_ymd_and_hms(2029, 3, 5, 11, 0, 0).unwrap()}),
            "deadline_after_framework_end",
        )
        .await;
    assert_eq!(r.details["end"], "2029-02-28");
    assert_eq!(r.details["field"], "deadline");
    assert!(r.message.unwrap().contains("28/02/2029"));
    // 28/02/2029 at 12:00 in Brussels: the last day, and ten days after the launch.
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": Utc.with_ymd_and_hms(2029, 2, 28, 11, 0, 0).unwrap()}),
    )
    .await;
}

/// Dir. 2014/24 recital 62: a competition launched before the framework's end cannot be
/// awarded after it.
#[tokio::test]
async fn framework_term_no_award_after_the_framework_end() {
    let app = spawn_app().await;
    let at = Utc.with_ymd_and_hms(2029, 2, 10, 9, 0, 0).unwrap();
    let order_id = submitted_order_at(&app, at).await;
    let deadline = Utc.with_ymd_and_hms(2029, 2, 25, 11, 0, 0).unwrap();
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
    .await;
    let invitation =
        app.state_of(NUAGIX)
            .await
            .find(RecordKind::Invitation, "order_id", order_id.to_string())[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
    let offer = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(offer, &invitation, 400_000, 15_000),
    )
    .await;
    app.clock.set(deadline + Duration::hours(1));
    // The commune's first pull after the deadline opens the offers.
    app.state_of(DG).await;
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": order_id, "scores": full_marks(&app, offer).await}),
    )
    .await;
    // 15/03/2029: the framework ended on 28/02/2029.
    app.clock
        .set(Utc.with_ymd_and_hms(2029, 3, 15, 9, 0, 0).unwrap());
    let award = json!({
        "order_id": order_id,
        "offer_id": offer,
        "justification": "Seule offre reçue, régulière, classée première.",
        "college_decision": app.college("COL/2029/31"),
    });
    app.reject(MAYOR, "order.award", award, "framework_not_in_force")
        .await;
    let order = order_of(&app.state_of(DG).await, order_id);
    assert_eq!(order["status"], "evaluated");
}

/// Law of 17 June 2016 art. 43 / Dir. 2014/24 art. 33(5)(b): the minimum time limit is
/// counted in calendar days in Brussels. Ten days across the March clock change (239 hours)
/// are ten days.
#[tokio::test]
async fn minimum_time_limit_in_calendar_days_across_summer_time() {
    let app = spawn_app().await;
    // 20/03/2027 12:00 in Brussels (CET).
    let at = Utc.with_ymd_and_hms(2027, 3, 20, 11, 0, 0).unwrap();
    let order_id = submitted_order_at(&app, at).await;
    // 30/03/2027 12:00 in Brussels (CEST) is 10:00 UTC.
    let ten_days = Utc.with_ymd_and_hms(2027, 3, 30, 10, 0, 0).unwrap();
    let r = app
        .reject(
            CENTRALE,
            "order.launch_competition",
            json!({"order_id": order_id, "deadline": ten_days - Duration::minutes(1)}),
            "deadline_too_soon",
        )
        .await;
    assert_eq!(r.details["min_days"], 10);
    assert!(r.message.unwrap().contains("30/03/2027 à 12:00"));
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": ten_days}),
    )
    .await;
}

/// Law of 29 July 1991 and law of 17 June 2013 (formal motivation): the award decision rests
/// on the offers, so it cannot be dated before their opening.
#[tokio::test]
async fn an_award_decision_dated_before_the_opening_is_refused() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let offer = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(offer, &competition.invitation_id("nuagix"), 400_000, 15_000),
    )
    .await;
    app.clock.set(competition.deadline + Duration::hours(1));
    app.state_of(DG).await;
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": competition.order_id, "scores": full_marks(&app, offer).await}),
    )
    .await;
    let award = |decision| {
        json!({
            "order_id": competition.order_id,
            "offer_id": offer,
            "justification": "Seule offre reçue, régulière, classée première.",
            "college_decision": decision,
        })
    };
    // Dated the day the order was sent, two weeks before the offers existed.
    let r = app
        .reject(
            MAYOR,
            "order.award",
            award(college("COL/2026/245")),
            "decision_before_offers",
        )
        .await;
    assert_eq!(r.details["date"], today0().to_string());
    assert_eq!(r.details["field"], "college_decision.date");
    app.apply(MAYOR, "order.award", award(app.college("COL/2026/245")))
        .await;
}

/// Dir. 2014/24 art. 33(2): only the operators party to the framework as concluded. A provider
/// added by a later version is not invited on an order pinned to the version before.
#[tokio::test]
async fn a_provider_added_later_is_not_invited_on_an_order_pinned_before() {
    let app = spawn_app().await;
    let order_id = submitted_order_at(&app, t0()).await;
    let newcomer = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "provider.register",
        json!({"provider_id": newcomer, "short_name": "nouveau", "name": "Nouveau SA",
               "enterprise_number": "0876.543.270",
               "address": "Rue Neuve 1, 6700 Arlon", "contact_email": "offres@nouveau.be"}),
    )
    .await;
    let framework = demo_framework_id("CA-2025-01");
    let current = app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, framework)
        .unwrap();
    let mut providers = current["versions"].as_array().unwrap().last().unwrap()["providers"]
        .as_array()
        .unwrap()
        .clone();
    providers.push(json!({"provider_id": newcomer, "status": "active"}));
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Ajout d'un prestataire.", "providers": providers}),
    )
    .await;
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": t0() + Duration::days(15)}),
    )
    .await;
    let invited: std::collections::BTreeSet<String> = app
        .state_of(CENTRALE)
        .await
        .find(RecordKind::Invitation, "order_id", order_id.to_string())
        .iter()
        .map(|i| i["provider_id"].as_str().unwrap().to_string())
        .collect();
    let expected: std::collections::BTreeSet<String> = ["nuagix", "civitech"]
        .iter()
        .map(|p| demo_provider_id(p).to_string())
        .collect();
    assert_eq!(invited, expected);
}
