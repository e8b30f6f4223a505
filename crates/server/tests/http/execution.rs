//! Execution of a call-off, on SQLite and PostgreSQL: the milestones start from the winner's
//! offered lead time, counted from the purchase order (issue 11 rule 16), and a planned date
//! moves only by a re-plan request the commune accepts (issue 17 point 5).

use crate::common;

use centrale_domain::deployment::{Milestone, MilestoneKind, MilestoneStatus};
use centrale_protocol::records::RecordKind;
use centrale_server::seed::demo_provider_id;
use centrale_server::Clock;
use chrono::{Days, NaiveDate};
use common::portal::{evaluate_and_award, stored_offers};
use common::*;
use serde_json::json;
use uuid::Uuid;

/// An order of 84009 awarded to Nuagix (its offer: 60 days); returns the order and the award's
/// day. No purchase order yet.
pub(crate) async fn awarded(app: &TestApp) -> (Uuid, NaiveDate) {
    activate_adhesion(app, "84009").await;
    let competition = open_competition(app).await;
    let (nuagix_inv, civitech_inv) = (
        competition.invitation_id("nuagix"),
        competition.invitation_id("civitech"),
    );
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &nuagix_inv, 390_000, 14_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &civitech_inv, 410_000, 17_000),
    )
    .await;
    let offers = stored_offers(app).await;
    let offer_of = |short: &str| {
        offers
            .iter()
            .find(|o| o.provider_id == demo_provider_id(short))
            .unwrap()
            .id
    };
    app.clock.set(competition.deadline);
    let _ = app.state_of(DG).await;
    let award_day = app.clock.today();
    evaluate_and_award(
        app,
        competition.order_id,
        offer_of("nuagix"),
        offer_of("civitech"),
    )
    .await;
    (competition.order_id, award_day)
}

async fn milestones_as(app: &TestApp, user: &str, order_id: Uuid) -> Vec<Milestone> {
    let mut list: Vec<Milestone> = app
        .state_of(user)
        .await
        .find(RecordKind::Milestone, "order_id", order_id.to_string())
        .into_iter()
        .map(|m| serde_json::from_value(m).unwrap())
        .collect();
    list.sort_by_key(|m| m.kind);
    list
}

fn of(list: &[Milestone], kind: MilestoneKind) -> Milestone {
    list.iter().find(|m| m.kind == kind).unwrap().clone()
}

async fn issue_purchase_order(app: &TestApp, order_id: Uuid) {
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
}

/// Issue 11 rule 16: the go-live falls on the winner's offered 60 days (the offer binds; AR 14
/// January 2013 [verify: execution time limit article not read]), counted from the purchase
/// order (the offer's « à compter du bon de commande »): planned from the award, moved to the
/// order's day.
#[tokio::test]
async fn rule_16_milestones_start_from_the_offered_lead_time_and_the_purchase_order() {
    let app = spawn_app().await;
    let (order_id, award_day) = awarded(&app).await;
    let list = milestones_as(&app, DG, order_id).await;
    let go_live = of(&list, MilestoneKind::GoLive);
    assert_eq!(go_live.lead_time_days, Some(60));
    assert_eq!(go_live.planned_date, award_day + Days::new(60));
    assert_eq!(go_live.baseline(), go_live.planned_date);
    // The steps before keep their share of the standard plan, the acceptances their distance.
    assert_eq!(
        of(&list, MilestoneKind::Kickoff).planned_date,
        award_day + Days::new(8)
    );
    assert_eq!(
        of(&list, MilestoneKind::ProvisionalAcceptance).planned_date,
        award_day + Days::new(75)
    );
    // The purchase order four days later: the plan starts on its day.
    app.clock.set(app.clock.now() + chrono::Duration::days(4));
    let po_day = app.clock.today();
    issue_purchase_order(&app, order_id).await;
    for user in [DG, NUAGIX, CENTRALE] {
        let list = milestones_as(&app, user, order_id).await;
        let go_live = of(&list, MilestoneKind::GoLive);
        assert_eq!(go_live.planned_date, po_day + Days::new(60), "{user}");
        assert_eq!(go_live.baseline(), po_day + Days::new(60), "{user}");
        assert_eq!(go_live.planned_from, Some(po_day), "{user}");
    }
}

/// Issue 17 point 5: the provider cannot move a planned date (it would erase its lateness);
/// it asks, the commune accepts or refuses; the baseline, the requests and the decisions stay
/// on the record; lateness counts from the date in force, so a late milestone stays late while
/// its request waits.
#[tokio::test]
async fn rule_issue_17_5_a_replan_is_a_request_the_commune_decides() {
    let app = spawn_app().await;
    let (order_id, _) = awarded(&app).await;
    issue_purchase_order(&app, order_id).await;
    let kickoff = of(
        &milestones_as(&app, NUAGIX, order_id).await,
        MilestoneKind::Kickoff,
    );
    let baseline = kickoff.planned_date;
    // The kick-off's date passes: late.
    app.clock.set(app.clock.now() + chrono::Duration::days(12));
    let today = app.clock.today();
    assert!(baseline < today);

    // The direct move is refused, whoever sends it.
    for user in [NUAGIX, CENTRALE] {
        let r = app
            .reject(
                user,
                "milestone.update",
                json!({"milestone_id": kickoff.id, "planned_date": today + Days::new(10)}),
                "milestone_planned_date_by_request",
            )
            .await;
        assert_eq!(r.details["field"], "planned_date");
    }
    // The commune does not ask, the loser cannot.
    app.reject(
        DG,
        "milestone.request_replan",
        json!({"milestone_id": kickoff.id, "request_id": Uuid::now_v7(),
               "requested_date": today + Days::new(10), "reason": "Réunion reportée"}),
        "forbidden",
    )
    .await;
    app.reject(
        CIVITECH,
        "milestone.request_replan",
        json!({"milestone_id": kickoff.id, "request_id": Uuid::now_v7(),
               "requested_date": today + Days::new(10), "reason": "Réunion reportée"}),
        "not_found",
    )
    .await;
    let r = app
        .reject(
            NUAGIX,
            "milestone.request_replan",
            json!({"milestone_id": kickoff.id, "request_id": Uuid::now_v7(),
                   "requested_date": today + Days::new(10), "reason": " "}),
            "replan_reason_missing",
        )
        .await;
    assert_eq!(r.details["min_chars"], 5);

    // Asked: nothing moves, still late, the request waits (the commune and the centrale see it).
    let first = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "milestone.request_replan",
        json!({"milestone_id": kickoff.id, "request_id": first,
               "requested_date": today + Days::new(10),
               "reason": "Le responsable informatique de la commune est absent"}),
    )
    .await;
    for user in [DG, CENTRALE] {
        let m = of(
            &milestones_as(&app, user, order_id).await,
            MilestoneKind::Kickoff,
        );
        assert_eq!(m.planned_date, baseline, "{user}");
        assert_eq!(m.status_on(today), MilestoneStatus::Late, "{user}");
        assert_eq!(m.pending_replan().unwrap().id, first, "{user}");
        assert_eq!(m.pending_replan().unwrap().from_date, baseline, "{user}");
    }
    app.reject(
        NUAGIX,
        "milestone.request_replan",
        json!({"milestone_id": kickoff.id, "request_id": Uuid::now_v7(),
               "requested_date": today + Days::new(20), "reason": "Une autre raison"}),
        "replan_already_pending",
    )
    .await;

    // Only the commune decides; a refusal states its reason.
    for user in [NUAGIX, CENTRALE] {
        app.reject(
            user,
            "milestone.decide_replan",
            json!({"milestone_id": kickoff.id, "request_id": first, "accepted": true}),
            "forbidden",
        )
        .await;
    }
    app.reject(
        DG,
        "milestone.decide_replan",
        json!({"milestone_id": kickoff.id, "request_id": first, "accepted": false}),
        "replan_reason_missing",
    )
    .await;
    app.apply(
        DG,
        "milestone.decide_replan",
        json!({"milestone_id": kickoff.id, "request_id": first, "accepted": false,
               "reason": "Le directeur général vous recevra comme prévu"}),
    )
    .await;
    let m = of(
        &milestones_as(&app, NUAGIX, order_id).await,
        MilestoneKind::Kickoff,
    );
    assert_eq!(m.planned_date, baseline);
    assert_eq!(m.status_on(today), MilestoneStatus::Late);
    let decision = m.replans[0].decision.as_ref().unwrap();
    assert!(!decision.accepted);
    assert_eq!(
        decision.reason,
        "Le directeur général vous recevra comme prévu"
    );
    app.reject(
        DG,
        "milestone.decide_replan",
        json!({"milestone_id": kickoff.id, "request_id": first, "accepted": true}),
        "no_pending_replan",
    )
    .await;

    // Asked again (by the centrale, for the provider), accepted by an agent: the date moves,
    // the baseline stays, not late anymore; both requests stay on the record.
    let second = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "milestone.request_replan",
        json!({"milestone_id": kickoff.id, "request_id": second,
               "requested_date": today + Days::new(3),
               "reason": "Date convenue par téléphone avec la commune"}),
    )
    .await;
    app.apply(
        AGENT,
        "milestone.decide_replan",
        json!({"milestone_id": kickoff.id, "request_id": second, "accepted": true}),
    )
    .await;
    for user in [DG, NUAGIX, CENTRALE] {
        let m = of(
            &milestones_as(&app, user, order_id).await,
            MilestoneKind::Kickoff,
        );
        assert_eq!(m.planned_date, today + Days::new(3), "{user}");
        assert_eq!(m.baseline(), baseline, "{user}");
        assert_eq!(m.status_on(today), MilestoneStatus::Planned, "{user}");
        assert_eq!(m.replans.len(), 2, "{user}");
        assert!(m.replans[1].decision.as_ref().unwrap().accepted, "{user}");
    }
}
