//! The branches of a call-off on the server: no order before the adhesion or after the
//! framework's end, no offer by the deadline, direct award, withdrawal, evaluation too early.

use crate::common;

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
        .reject(DG, "order.submit", submit(order_id), "adhesion_not_active")
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
    app.reject(DG, "order.submit", submit(order_id), "adhesion_not_active")
        .await;
    // Signing with a text that is not the convention's is refused.
    app.apply(
        DG,
        "adhesion.record_college_decision",
        json!({"adhesion_id": adhesion, "college_decision": conseil("COL/2026/7")}),
    )
    .await;
    app.reject(
        DG,
        "adhesion.sign",
        json!({"adhesion_id": adhesion, "text_sha256": "0".repeat(64)}),
        "signed_text_mismatch",
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
    app.apply(DG, "order.submit", submit(salles)).await;
    app.declare_no_conflict(DG, salles).await;
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
        "provider_not_active",
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
    app.apply(DG, "order.submit", submit(other)).await;
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
    app.apply(DG, "order.submit", submit(eguichet)).await;
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
            submit(order_id),
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
        .push_one_as(DG, "order.submit", submit(order2), None)
        .await;
    assert_eq!(r.status, MutationStatus::Applied, "{:?}", r.message);
}

/// Law of 29 July 1991 art. 2–3 and law of 17 June 2016 art. 85: a running competition is
/// withdrawn only by a motivated decision of the commune, and every invited provider is told
/// why (API and portal).
#[tokio::test]
async fn a_commune_can_withdraw_a_competition_and_providers_are_told() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let motivation = "Le conseil communal n'a pas voté le crédit budgétaire.";
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
        json!({"order_id": competition.order_id, "reason": motivation,
               "college_decision": college("COL/2026/50")}),
        "forbidden",
    )
    .await;
    // Refused: a motivation of a few words; a decision dated before the launch.
    let r = app
        .reject(
            DG,
            "order.withdraw",
            json!({"order_id": competition.order_id, "reason": "Plus nécessaire.",
                   "college_decision": college("COL/2026/50")}),
            "motivation_too_short",
        )
        .await;
    assert_eq!(r.details["min_chars"], 20);
    let r = app
        .reject(
            DG,
            "order.withdraw",
            json!({"order_id": competition.order_id, "reason": motivation,
                   "college_decision": {"reference": "COL/2026/50",
                                        "date": today0() - Duration::days(1)}}),
            "withdrawal_before_launch",
        )
        .await;
    assert_eq!(r.details["earliest"], today0().to_string());
    assert_eq!(
        order_of(&app.state_of(DG).await, competition.order_id)["status"],
        "competition_open"
    );
    app.apply(
        DG,
        "order.withdraw",
        json!({"order_id": competition.order_id, "reason": motivation,
               "college_decision": college("COL/2026/50")}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, competition.order_id);
    assert_eq!(order["closure"]["decision"]["reference"], "COL/2026/50");
    // Every invited provider is told, with the motivation and the decision.
    for (user, short) in [(NUAGIX, "nuagix"), (CIVITECH, "civitech")] {
        let view = app.state_of(user).await;
        let inv = view
            .get(RecordKind::Invitation, competition.invitation_id(short))
            .unwrap();
        assert_eq!(inv["status"], "withdrawn");
        assert_eq!(inv["withdrawal"]["motivation"], motivation);
        assert_eq!(inv["withdrawal"]["decision"]["reference"], "COL/2026/50");
        assert_eq!(
            inv["withdrawal"]["notified_at"],
            json!(app.clock.now()),
            "the notification's date is recorded"
        );
    }
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

/// Dir. 2014/24 art. 33(5)(b) and art. 18(1): the centrale extends the deadline for every
/// invited provider at once, before it passes, only later; offers stay sealed until the new
/// deadline.
#[tokio::test]
async fn art_33_5_b_the_deadline_is_extended_for_every_invited_provider() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let reason = "Question d'un prestataire : cinq jours de plus pour tous.";
    let later = c.deadline + Duration::days(5);
    app.reject(
        DG,
        "order.extend_deadline",
        json!({"order_id": c.order_id, "deadline": later, "reason": reason}),
        "forbidden",
    )
    .await;
    let r = app
        .reject(
            CENTRALE,
            "order.extend_deadline",
            json!({"order_id": c.order_id, "deadline": c.deadline - Duration::days(1),
                   "reason": reason}),
            "deadline_not_later",
        )
        .await;
    assert_eq!(r.details["current"], json!(c.deadline));
    app.apply(
        CENTRALE,
        "order.extend_deadline",
        json!({"order_id": c.order_id, "deadline": later, "reason": reason}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["competition"]["deadline"], json!(later));
    assert_eq!(
        order["competition"]["extensions"][0]["previous"],
        json!(c.deadline)
    );
    for (user, short) in [(NUAGIX, "nuagix"), (CIVITECH, "civitech")] {
        let inv = app
            .state_of(user)
            .await
            .get(RecordKind::Invitation, c.invitation_id(short))
            .unwrap();
        assert_eq!(inv["deadline"], json!(later), "{short}");
        assert_eq!(inv["extensions"][0]["reason"], reason, "{short}");
    }
    // The old deadline passes: nothing opens, an offer is still accepted.
    app.clock.set(c.deadline + Duration::minutes(1));
    assert_eq!(
        order_of(&app.state_of(DG).await, c.order_id)["status"],
        "competition_open"
    );
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &c.invitation_id("nuagix"), 400_000, 15_000),
    )
    .await;
    // The new deadline passes: the offers open.
    app.clock.set(later);
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["status"], "offers_opened");
    assert_eq!(order["offers_received"], 1);
}

/// Law of 17 June 2016 art. 42 §1 1° a: after no offer, the centrale relaunches the same needs
/// in one act (new invitations on the same order); a relaunch that again receives no offer
/// records that the commune may buy elsewhere.
#[tokio::test]
async fn no_offer_the_same_needs_are_relaunched_then_the_commune_may_buy_elsewhere() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let relaunch = |deadline| json!({"order_id": c.order_id, "deadline": deadline});
    app.reject(
        CENTRALE,
        "order.relaunch_competition",
        relaunch(c.deadline + Duration::days(20)),
        "invalid_state",
    )
    .await;
    app.clock.set(c.deadline + Duration::minutes(1));
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["status"], "no_offer");
    assert_eq!(order["may_buy_elsewhere"], false);
    app.reject(
        DG,
        "order.relaunch_competition",
        relaunch(app.clock.now() + Duration::days(15)),
        "forbidden",
    )
    .await;
    app.reject(
        CENTRALE,
        "order.relaunch_competition",
        relaunch(app.clock.now() + Duration::days(2)),
        "deadline_too_soon",
    )
    .await;
    let second = app.clock.now() + Duration::days(15);
    app.apply(CENTRALE, "order.relaunch_competition", relaunch(second))
        .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["status"], "competition_open");
    assert_eq!(
        order["earlier_competitions"][0]["deadline"],
        json!(c.deadline)
    );
    // New invitations, same needs; the first ones stay closed.
    let nuagix = app.state_of(NUAGIX).await;
    let invitations = nuagix.find(RecordKind::Invitation, "order_id", c.order_id.to_string());
    assert_eq!(invitations.len(), 2);
    let new = invitations.iter().find(|i| i["status"] == "sent").unwrap();
    let old = invitations
        .iter()
        .find(|i| i["status"] == "closed")
        .unwrap();
    assert_eq!(new["deadline"], json!(second));
    assert_eq!(new["needs"], old["needs"]);
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), old["id"].as_str().unwrap(), 400_000, 15_000),
        "deadline_passed",
    )
    .await;
    // Again no offer: the commune may now buy elsewhere.
    app.clock.set(second + Duration::minutes(1));
    let order = order_of(&app.state_of(DG).await, c.order_id);
    assert_eq!(order["status"], "no_offer");
    assert_eq!(order["may_buy_elsewhere"], true);
}

/// Dir. 2014/24 art. 33(2): a provider the framework suspends after its invitation can no
/// longer submit an offer; the others can.
#[tokio::test]
async fn art_33_2_a_provider_suspended_after_its_invitation_can_no_longer_submit() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let framework = demo_framework_id("CA-2025-01");
    let mut providers = app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, framework)
        .unwrap()["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["providers"]
        .clone();
    let nuagix = demo_provider_id("nuagix").to_string();
    for p in providers.as_array_mut().unwrap() {
        if p["provider_id"] == nuagix.as_str() {
            p["status"] = json!("suspended");
        }
    }
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": framework, "change_note": "Suspension de Nuagix.",
               "providers": providers}),
    )
    .await;
    let r = app
        .reject(
            NUAGIX,
            "offer.submit",
            offer_payload(Uuid::now_v7(), &c.invitation_id("nuagix"), 400_000, 15_000),
            "provider_suspended",
        )
        .await;
    assert_eq!(r.details["provider"], nuagix.as_str());
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &c.invitation_id("civitech"),
            400_000,
            15_000,
        ),
    )
    .await;
}

/// Dir. 2014/24 art. 18(1) and art. 33(5)(a): a provider's question is answered by the
/// centrale to every invited provider, the asker named nowhere; questions close at the
/// deadline.
#[tokio::test]
async fn art_18_a_question_is_answered_to_every_invited_provider_without_the_asker() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let question = Uuid::now_v7();
    let ask = |inv: String, id: Uuid| {
        json!({"invitation_id": inv, "question_id": id,
               "text": "Le connecteur BCED est-il exigé dès la mise en production ?"})
    };
    // Only an invited provider asks, on its own invitation.
    app.reject(
        CENTRALE,
        "order.ask_question",
        ask(c.invitation_id("nuagix"), question),
        "forbidden",
    )
    .await;
    app.reject(
        CIVITECH,
        "order.ask_question",
        ask(c.invitation_id("nuagix"), question),
        "not_found",
    )
    .await;
    app.apply(
        NUAGIX,
        "order.ask_question",
        ask(c.invitation_id("nuagix"), question),
    )
    .await;
    // The commune and the centrale read the question; nothing says who asked.
    let nuagix = demo_provider_id("nuagix").to_string();
    for user in [DG, CENTRALE] {
        let order = order_of(&app.state_of(user).await, c.order_id);
        assert_eq!(order["questions"][0]["id"], question.to_string());
        assert!(!order["questions"].to_string().contains(&nuagix), "{user}");
    }
    let answer = json!({"order_id": c.order_id, "question_id": question,
                        "answer": "Oui : le connecteur BCED fait partie de la mise en production."});
    app.reject(DG, "order.answer_question", answer.clone(), "forbidden")
        .await;
    app.apply(CENTRALE, "order.answer_question", answer.clone())
        .await;
    app.reject(
        CENTRALE,
        "order.answer_question",
        answer,
        "question_already_answered",
    )
    .await;
    // Every invited provider receives the question and the answer, without the asker.
    for (user, short) in [(NUAGIX, "nuagix"), (CIVITECH, "civitech")] {
        let inv = app
            .state_of(user)
            .await
            .get(RecordKind::Invitation, c.invitation_id(short))
            .unwrap();
        let clarification = &inv["clarifications"][0];
        assert_eq!(
            clarification["question"],
            "Le connecteur BCED est-il exigé dès la mise en production ?"
        );
        assert_eq!(
            clarification["answer"],
            "Oui : le connecteur BCED fait partie de la mise en production."
        );
        if short == "civitech" {
            assert!(!inv.to_string().contains(&nuagix), "the asker is not named");
        }
    }
    // Closed at the deadline.
    app.clock.set(c.deadline);
    app.reject(
        NUAGIX,
        "order.ask_question",
        ask(c.invitation_id("nuagix"), Uuid::now_v7()),
        "deadline_passed",
    )
    .await;
}

/// Dir. 2014/24 art. 56(1) and art. 33(5)(d): the commune sets an irregular offer aside with a
/// motivation; the ranking leaves it out and its provider is told why, with the remedies.
#[tokio::test]
async fn art_56_an_irregular_offer_is_set_aside_and_its_provider_told_why() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let (nuagix_offer, civitech_offer) = (Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &c.invitation_id("nuagix"), 300_000, 10_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            civitech_offer,
            &c.invitation_id("civitech"),
            400_000,
            15_000,
        ),
    )
    .await;
    app.clock.set(c.deadline);
    let _ = app.state_of(DG).await;
    let motivation =
        "Offre irrégulière : les remarques techniques réservent la reprise des données.";
    let payload =
        |m: &str| json!({"order_id": c.order_id, "offer_id": nuagix_offer, "motivation": m});
    app.reject(
        AGENT,
        "order.set_offer_aside",
        payload(motivation),
        "forbidden",
    )
    .await;
    app.reject(
        DG,
        "order.set_offer_aside",
        payload("Irrégulière."),
        "motivation_too_short",
    )
    .await;
    app.apply(DG, "order.set_offer_aside", payload(motivation))
        .await;
    // Its provider is told why, with the remedies; the other learns nothing of it.
    let inv = app
        .state_of(NUAGIX)
        .await
        .get(RecordKind::Invitation, c.invitation_id("nuagix"))
        .unwrap();
    assert_eq!(inv["set_aside"]["motivation"], motivation);
    assert_eq!(inv["set_aside"]["remedies"].as_array().unwrap().len(), 2);
    let other = app
        .state_of(CIVITECH)
        .await
        .get(RecordKind::Invitation, c.invitation_id("civitech"))
        .unwrap();
    assert_eq!(other["set_aside"], serde_json::Value::Null);
    // The ranking leaves it out: scoring only the other offer is enough.
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let scores: Vec<_> = framework["versions"].as_array().unwrap().last().unwrap()
        ["award_criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "quality")
        .map(|k| {
            json!({"offer_id": civitech_offer, "criterion_code": k["code"], "points": "1",
                         "justification": "Solution correcte, sans plus."})
        })
        .collect();
    app.apply(
        DG,
        "order.evaluate",
        json!({"order_id": c.order_id, "scores": scores}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, c.order_id);
    let ranked = order["evaluation"]["ranking"]["offers"].as_array().unwrap();
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0]["offer_id"], civitech_offer.to_string());
    assert_eq!(order["set_aside"][0]["offer_id"], nuagix_offer.to_string());
}
