//! The branches of a call-off on the server: no order before the adhesion or after the
//! framework's end, no offer by the deadline, direct award, withdrawal, evaluation too early.

mod common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::MutationStatus;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use centrale_server::Clock;
use chrono::{Duration, NaiveDate};
use common::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn an_order_cannot_be_submitted_before_the_adhesion_is_active() {
    let app = spawn_app().await;
    let order_id = draft_order(&app, "e-guichet", "E-guichet trop tôt", eguichet_needs()).await;
    let r = app
        .reject(
            DG,
            "order.submit",
            json!({"order_id": order_id}),
            "adhesion_not_active",
        )
        .await;
    assert!(r.message.unwrap().contains("convention d'adhésion"));
    // Half-way through the adhesion is not enough either.
    let template = centrale_server::seed::demo_convention_template_id();
    let adhesion = Uuid::now_v7();
    app.apply(
        DG,
        "adhesion.start",
        json!({"adhesion_id": adhesion, "template_id": template}),
    )
    .await;
    app.reject(
        DG,
        "order.submit",
        json!({"order_id": order_id}),
        "adhesion_not_active",
    )
    .await;
    // Signing with a text that is not the convention's is refused.
    app.apply(
        DG,
        "adhesion.record_college_decision",
        json!({"adhesion_id": adhesion, "college_decision": college("COL/2026/7")}),
    )
    .await;
    app.reject(
        DG,
        "adhesion.sign",
        json!({"adhesion_id": adhesion, "text_sha256": "0".repeat(64)}),
        "not_allowed",
    )
    .await;
    let view = app.state_of(DG).await;
    assert_eq!(order_of(&view, order_id)["status"], "draft");
}

#[tokio::test]
async fn no_offer_by_the_deadline_ends_in_the_no_offer_branch() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    app.clock.set(competition.deadline + Duration::minutes(1));
    let view = app.state_of(DG).await;
    let order = order_of(&view, competition.order_id);
    assert_eq!(order["status"], "no_offer");
    assert_eq!(order["offers_received"], 0);
    // Nothing to evaluate or award; a late offer is refused.
    app.reject(
        DG,
        "order.evaluate",
        json!({"order_id": competition.order_id, "scores": []}),
        "invalid_state",
    )
    .await;
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &competition.invitation_id("nuagix"),
            100_000,
            10_000,
        ),
        "deadline_passed",
    )
    .await;
    let nuagix = app.state_of(NUAGIX).await;
    assert_eq!(
        nuagix
            .get(RecordKind::Invitation, competition.invitation_id("nuagix"))
            .unwrap()["status"],
        "closed"
    );
}

#[tokio::test]
async fn direct_award_only_on_a_direct_framework() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let decision = college("COL/2026/300");
    let justification =
        "Attribution directe aux conditions de l'accord-cadre, prestataire retenu pour son offre.";

    // « salles-directes » is « direct »: no mini-competition, a direct award works.
    let rooms = add_direct_rooms(&app, None).await;
    let salles = draft_order(&app, rooms, "Réservation des salles", salles_needs()).await;
    app.apply(DG, "order.submit", json!({"order_id": salles}))
        .await;
    app.reject(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": salles, "deadline": app.clock.now() + Duration::days(15)}),
        "call_off_method_not_allowed",
    )
    .await;
    // A provider outside the framework cannot be chosen.
    app.reject(
        DG,
        "order.direct_award",
        json!({"order_id": salles, "provider_id": demo_provider_id("nuagix"), "justification": justification,
               "college_decision": decision}),
        "invalid_input",
    )
    .await;
    app.apply(
        DG,
        "order.direct_award",
        json!({"order_id": salles, "provider_id": demo_provider_id("reservix"), "justification": justification,
               "college_decision": decision}),
    )
    .await;
    let view = app.state_of(DG).await;
    let order = order_of(&view, salles);
    assert_eq!(order["status"], "awarded");
    assert_eq!(order["award"]["direct"], true);
    assert_eq!(
        order["award"]["provider_id"],
        demo_provider_id("reservix").to_string()
    );
    // Amount at the framework's ceiling: set-up 1 500,00 € HTVA.
    assert_eq!(order["award"]["amount"]["excl_vat"], 150_000);
    assert_eq!(
        view.find(RecordKind::Milestone, "order_id", salles.to_string())
            .len(),
        7
    );
    let reservix = app.state_of("prestataire.reservix").await;
    assert_eq!(
        reservix
            .find(RecordKind::Milestone, "order_id", salles.to_string())
            .len(),
        7
    );

    // The cascade designates Réservix, the first of the framework's ranking: the commune
    // cannot choose Payvallée (Dir. 2014/24 art. 33(4)(a)).
    let other = draft_order(&app, rooms, "Réservation, bis", salles_needs()).await;
    app.apply(DG, "order.submit", json!({"order_id": other}))
        .await;
    let r = app
        .reject(
            DG,
            "order.direct_award",
            json!({"order_id": other, "provider_id": demo_provider_id("payvallee"), "justification": justification,
                   "college_decision": decision}),
            "not_designated_provider",
        )
        .await;
    assert_eq!(
        r.details["expected"],
        demo_provider_id("reservix").to_string()
    );

    // e-guichet is « mini_competition »: a direct award is refused.
    let eguichet = draft_order(&app, "e-guichet", "E-guichet direct ?", eguichet_needs()).await;
    app.apply(DG, "order.submit", json!({"order_id": eguichet}))
        .await;
    app.reject(
        DG,
        "order.direct_award",
        json!({"order_id": eguichet, "provider_id": demo_provider_id("nuagix"), "justification": justification,
               "college_decision": decision}),
        "call_off_method_not_allowed",
    )
    .await;
    assert_eq!(
        order_of(&app.state_of(DG).await, eguichet)["status"],
        "submitted"
    );
}

#[tokio::test]
async fn no_order_under_a_framework_past_its_end_date() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let order_id = draft_order(
        &app,
        "e-guichet",
        "E-guichet après l'échéance",
        eguichet_needs(),
    )
    .await;
    let view = app.state_of(DG).await;
    let framework = view
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let end: NaiveDate = serde_json::from_value(
        framework["versions"].as_array().unwrap().last().unwrap()["end_date"].clone(),
    )
    .unwrap();
    // The day after the end date, at noon in Brussels.
    let after = (end + chrono::Days::new(1))
        .and_hms_opt(11, 0, 0)
        .unwrap()
        .and_utc();
    app.clock.set(after);
    let r = app
        .reject(
            DG,
            "order.submit",
            json!({"order_id": order_id}),
            "framework_not_in_force",
        )
        .await;
    assert_eq!(r.details["reference"], "CA-2025-01");
    // On the last day it is still in force.
    let order2 = draft_order(
        &app,
        "e-guichet",
        "E-guichet le dernier jour",
        eguichet_needs(),
    )
    .await;
    app.clock.set(end.and_hms_opt(11, 0, 0).unwrap().and_utc());
    let r = app
        .push_one_as(DG, "order.submit", json!({"order_id": order2}), None)
        .await;
    assert_eq!(r.status, MutationStatus::Applied, "{:?}", r.message);
}

#[tokio::test]
async fn a_commune_can_withdraw_a_competition_and_providers_are_told() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    // Cancel is for before the competition; withdraw after (signatories only).
    app.reject(
        DG,
        "order.cancel",
        json!({"order_id": competition.order_id, "reason": "Plus nécessaire."}),
        "invalid_state",
    )
    .await;
    app.reject(
        AGENT,
        "order.withdraw",
        json!({"order_id": competition.order_id, "reason": "Plus nécessaire."}),
        "forbidden",
    )
    .await;
    app.apply(
        DG,
        "order.withdraw",
        json!({"order_id": competition.order_id, "reason": "Budget non voté par le conseil."}),
    )
    .await;
    let nuagix = app.state_of(NUAGIX).await;
    let inv = nuagix
        .get(RecordKind::Invitation, competition.invitation_id("nuagix"))
        .unwrap();
    assert_eq!(inv["status"], "withdrawn");
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &competition.invitation_id("nuagix"),
            100_000,
            10_000,
        ),
        "competition_closed",
    )
    .await;
    // The deadline passing later does not reopen anything.
    app.clock.set(competition.deadline + Duration::days(1));
    assert_eq!(
        order_of(&app.state_of(DG).await, competition.order_id)["status"],
        "withdrawn"
    );
}

/// BUG (crates/server/src/engine/order.rs, `evaluate`): the ranking is computed on the
/// (sealed) offers before the order's state is checked, so evaluating during the competition
/// answers `invalid_input` « Notez le critère … pour chaque offre » instead of `invalid_state`
/// (the offers are not opened yet).

#[tokio::test]
async fn evaluating_before_the_opening_is_refused_as_invalid_state() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &competition.invitation_id("nuagix"),
            400_000,
            15_000,
        ),
    )
    .await;
    app.reject(
        DG,
        "order.evaluate",
        json!({"order_id": competition.order_id, "scores": []}),
        "invalid_state",
    )
    .await;
}
