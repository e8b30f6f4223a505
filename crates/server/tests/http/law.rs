//! The law of a call-off through the real API, with the test clock: each rule allowed and
//! refused, its source named. Runs on SQLite, and on PostgreSQL with
//! `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

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
    app.apply(DG, "order.submit", submit(order_id)).await;
    for user in [DG, MAYOR, AGENT] {
        app.declare_no_conflict(user, order_id).await;
    }
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

/// Registers a provider that is not party to CA-2025-01.
async fn newcomer(app: &TestApp) -> Uuid {
    let id = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "provider.register",
        json!({"provider_id": id, "short_name": "nouveau", "name": "Nouveau SA",
               "enterprise_number": "0876.543.270",
               "address": "Rue Neuve 1, 6700 Arlon", "contact_email": "offres@nouveau.be"}),
    )
    .await;
    id
}

/// The versions of CA-2025-01 as the centrale sees them.
async fn eguichet_versions(app: &TestApp) -> Vec<serde_json::Value> {
    app.state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap()["versions"]
        .as_array()
        .unwrap()
        .clone()
}

/// CA-2025-01's price schedule in force with the licence's ceiling set to `cents`.
async fn schedule_with_licence(app: &TestApp, cents: i64) -> serde_json::Value {
    let versions = eguichet_versions(app).await;
    let mut schedule = versions.last().unwrap()["price_schedule"].clone();
    for line in schedule.as_array_mut().unwrap() {
        if line["code"] == "licence" {
            line["ceiling_cents"] = json!(cents);
        }
    }
    schedule
}

/// Dir. 2014/24 art. 33(2), law of 17 June 2016 art. 43: only the operators party to the
/// framework as concluded. A new version that adds a provider is refused, whatever its basis.
#[tokio::test]
async fn art_33_2_a_new_version_adds_no_provider() {
    let app = spawn_app().await;
    let newcomer = newcomer(&app).await;
    let versions = eguichet_versions(&app).await;
    let mut providers = versions.last().unwrap()["providers"]
        .as_array()
        .unwrap()
        .clone();
    providers.push(json!({"provider_id": newcomer, "status": "active"}));
    for basis in [
        serde_json::Value::Null,
        json!({"kind": "review_clause", "clause": "CSC art. 12"}),
    ] {
        let r = app
            .reject(
                CENTRALE,
                "framework.publish_version",
                json!({"framework_id": demo_framework_id("CA-2025-01"),
                       "change_note": "Ajout d'un prestataire.", "providers": providers,
                       "legal_basis": basis}),
                "provider_not_party",
            )
            .await;
        assert_eq!(r.details["provider"], json!(newcomer));
        assert_eq!(r.details["field"], "providers");
    }
    assert_eq!(eguichet_versions(&app).await.len(), 1);
}

/// Dir. 2014/24 art. 72(1)(d)(ii), CJEU C-461/20 Advania: a party's successor by
/// restructuring takes its place, with the act recorded; it is invited on an order pinned
/// before the succession, the predecessor no longer.
#[tokio::test]
async fn art_72_1_d_ii_a_successor_takes_the_place_of_a_party_on_running_orders() {
    let app = spawn_app().await;
    let order_id = submitted_order_at(&app, t0()).await;
    let newcomer = newcomer(&app).await;
    let civitech = demo_provider_id("civitech");
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": demo_framework_id("CA-2025-01"),
               "change_note": "Civitech absorbée par Nouveau SA.",
               "legal_basis": {"kind": "succession", "predecessor": civitech,
                               "successor": newcomer,
                               "act": "Fusion par absorption, Moniteur belge du 03/02/2026"}}),
    )
    .await;
    let versions = eguichet_versions(&app).await;
    let v2 = &versions[1];
    assert_eq!(v2["legal_basis"]["kind"], "succession");
    let status = |id: Uuid| {
        v2["providers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["provider_id"] == json!(id))
            .map(|p| p["status"].clone())
    };
    assert_eq!(status(civitech), Some(json!("replaced")));
    assert_eq!(status(newcomer), Some(json!("active")));
    assert!(versions[0]["legal_basis"].is_null());
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
    let expected: std::collections::BTreeSet<String> = [demo_provider_id("nuagix"), newcomer]
        .iter()
        .map(Uuid::to_string)
        .collect();
    assert_eq!(invited, expected);
    // A successor that is not registered is refused before anything is written.
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": demo_framework_id("CA-2025-01"),
                   "change_note": "Nuagix reprise.",
                   "legal_basis": {"kind": "succession", "predecessor": demo_provider_id("nuagix"),
                                   "successor": Uuid::now_v7(), "act": "Reprise"}}),
            "successor_not_registered",
        )
        .await;
    assert_eq!(r.details["field"], "legal_basis.successor");
}

/// Dir. 2014/24 art. 72(1)(a), AR 14 January 2013 (modifications): a ceiling is raised only
/// under a review clause of the framework; without a basis or as a correction it is refused.
#[tokio::test]
async fn art_72_1_a_a_ceiling_is_raised_only_under_a_review_clause() {
    let app = spawn_app().await;
    let schedule = schedule_with_licence(&app, 19_550).await;
    for basis in [
        serde_json::Value::Null,
        json!({"kind": "correction", "note": "Erreur de frappe."}),
    ] {
        let r = app
            .reject(
                CENTRALE,
                "framework.publish_version",
                json!({"framework_id": demo_framework_id("CA-2025-01"),
                       "change_note": "Indexation des prix.", "price_schedule": schedule,
                       "legal_basis": basis}),
                "modification_without_review_clause",
            )
            .await;
        assert_eq!(r.details["kind"], "ceiling_raised");
        assert_eq!(r.details["code"], "licence");
        assert_eq!(r.details["after_cents"], 19_550);
        assert_eq!(r.details["field"], "price_schedule");
    }
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": demo_framework_id("CA-2025-01"),
               "change_note": "Indexation des prix.", "price_schedule": schedule,
               "legal_basis": {"kind": "review_clause", "clause": "CSC art. 12 — révision des prix"}}),
    )
    .await;
    let versions = eguichet_versions(&app).await;
    assert_eq!(
        versions[1]["legal_basis"]["clause"],
        "CSC art. 12 — révision des prix"
    );
}

/// Dir. 2014/24 art. 72(1)(a) and art. 33(1): a price line is added and the end date moved
/// later only under a review clause, and never beyond four years from the start.
#[tokio::test]
async fn art_72_1_a_a_line_or_a_later_end_needs_a_review_clause_within_four_years() {
    let app = spawn_app().await;
    let framework = demo_framework_id("CA-2025-03");
    let state = app.state_of(CENTRALE).await;
    let current = state.get(RecordKind::Framework, framework).unwrap()["versions"][0].clone();
    let mut schedule = current["price_schedule"].clone();
    let mut line = schedule[0].clone();
    line["code"] = json!("formation");
    line["label_fr"] = json!("Formation complémentaire");
    schedule.as_array_mut().unwrap().push(line);
    let correction = json!({"kind": "correction", "note": "Ligne oubliée."});
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": framework, "change_note": "Nouvelle ligne.",
                   "price_schedule": schedule, "legal_basis": correction}),
            "modification_without_review_clause",
        )
        .await;
    assert_eq!(r.details["kind"], "line_added");
    assert_eq!(r.details["code"], "formation");
    // Shortened as a correction, then extended back: that needs a review clause.
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Échéance corrigée.",
               "end_date": "2029-06-30", "legal_basis": correction}),
    )
    .await;
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": framework, "change_note": "Prolongation.",
                   "end_date": "2029-08-31"}),
            "modification_without_review_clause",
        )
        .await;
    assert_eq!(r.details["kind"], "end_extended");
    assert_eq!(r.details["before"], "2029-06-30");
    assert_eq!(r.details["after"], "2029-08-31");
    let clause = json!({"kind": "review_clause", "clause": "CSC art. 4 — reconduction"});
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Prolongation.",
               "end_date": "2029-08-31", "legal_basis": clause}),
    )
    .await;
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": framework, "change_note": "Prolongation.",
                   "end_date": "2029-09-01", "legal_basis": clause}),
            "framework_too_long",
        )
        .await;
    assert_eq!(r.details["field"], "end_date");
    assert!(r.message.unwrap().contains("quatre ans"));
}

/// Dir. 2014/24 art. 72: a modification states its basis (a correction may lower a ceiling);
/// suspending a party changes no term and needs none.
#[tokio::test]
async fn art_72_a_modification_states_its_basis_except_a_suspension() {
    let app = spawn_app().await;
    let framework = demo_framework_id("CA-2025-01");
    let lower = schedule_with_licence(&app, 17_000).await;
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": framework, "change_note": "Plafond corrigé.",
                   "price_schedule": lower}),
            "legal_basis_missing",
        )
        .await;
    assert_eq!(r.details["field"], "legal_basis");
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Plafond corrigé.",
               "price_schedule": lower,
               "legal_basis": {"kind": "correction", "note": "170,00 € et non 180,00 €."}}),
    )
    .await;
    let mut providers = eguichet_versions(&app).await.last().unwrap()["providers"].clone();
    providers[0]["status"] = json!("suspended");
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Suspension d'un prestataire.",
               "providers": providers}),
    )
    .await;
    let versions = eguichet_versions(&app).await;
    assert_eq!(versions.len(), 3);
    assert!(
        versions[2]["legal_basis"].is_null(),
        "not inherited from version 2"
    );
}
