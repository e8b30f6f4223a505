//! The deployment's plan, statuses, updates and re-plans, against the rules they cite.

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn milestones() -> Vec<Milestone> {
    plan_milestones(
        &MilestonePlan::standard(),
        None,
        date(2026, 1, 10),
        Uuid::nil(),
        "84009",
        Uuid::max(),
        Uuid::now_v7,
    )
}

#[test]
fn plan_follows_the_template() {
    let m = milestones();
    assert_eq!(m.len(), 7);
    assert_eq!(m[0].kind, MilestoneKind::Kickoff);
    assert_eq!(m[0].planned_date, date(2026, 1, 24));
    assert_eq!(m[6].kind, MilestoneKind::FinalAcceptance);
    assert!(m.windows(2).all(|w| w[0].planned_date <= w[1].planned_date));
}

#[test]
fn status_planned_done_late() {
    let mut m = milestones().remove(0);
    assert_eq!(m.status_on(date(2026, 1, 24)), MilestoneStatus::Planned);
    assert_eq!(m.status_on(date(2026, 1, 25)), MilestoneStatus::Late);
    m.update(
        None,
        Some(date(2026, 1, 25)),
        None,
        OrderStatus::Deploying,
        None,
        date(2026, 1, 26),
    )
    .unwrap();
    assert_eq!(m.status_on(date(2026, 3, 1)), MilestoneStatus::Done);
}

#[test]
fn actual_date_not_in_future_and_frozen_after_acknowledgement() {
    let mut m = milestones().remove(0);
    assert!(m
        .update(
            None,
            Some(date(2026, 2, 1)),
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30)
        )
        .is_err());
    assert!(m.acknowledge("dg", Utc::now()).is_err());
    m.update(
        None,
        Some(date(2026, 1, 30)),
        None,
        OrderStatus::Deploying,
        None,
        date(2026, 1, 30),
    )
    .unwrap();
    m.acknowledge("dg", Utc::now()).unwrap();
    assert!(m.acknowledge("dg", Utc::now()).is_err());
    assert!(m
        .update(
            None,
            Some(date(2026, 1, 29)),
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30)
        )
        .is_err());
    m.update(
        None,
        None,
        Some("ok".into()),
        OrderStatus::Deploying,
        None,
        date(2026, 1, 30),
    )
    .unwrap();
}

/// Typed dates keep within bounds: actual not before the award nor in the future (year
/// 9999 and year −1 are typing slips); a re-plan's date not in the past and within ten
/// years.
#[test]
fn milestone_dates_keep_within_bounds() {
    let mut m = milestones().remove(1);
    let (today, award) = (date(2026, 1, 30), Some(date(2026, 1, 10)));
    for planned in [date(9999, 12, 31), date(-1, 1, 1), date(2026, 1, 29)] {
        let err = m
            .request_replan(
                Uuid::nil(),
                planned,
                "Retard de livraison du matériel",
                "p",
                Utc::now(),
                OrderStatus::Deploying,
                today,
            )
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert_eq!(err.params()["field"], "requested_date");
    }
    for actual in [date(2026, 1, 9), date(2026, 1, 31)] {
        let err = m
            .update(
                None,
                Some(actual),
                None,
                OrderStatus::Deploying,
                award,
                today,
            )
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert_eq!(err.params()["earliest"], "2026-01-10");
        assert_eq!(err.params()["latest"], "2026-01-30");
    }
    m.update(
        None,
        Some(date(2026, 1, 10)),
        None,
        OrderStatus::Deploying,
        award,
        today,
    )
    .unwrap();
}

/// Issue 11 rule 16: the go-live falls on the offered lead time (the offer binds its
/// author; AR 14 January 2013 [verify: execution time limit article not read]); the
/// steps before it keep their share, the acceptances their distance after it.
#[test]
fn rule_16_go_live_on_the_offered_lead_time() {
    let plan = MilestonePlan::standard();
    // Offered 60 days where the template plans the go-live at 105.
    let fitted = plan.fitted_to_lead_time(60);
    assert_eq!(fitted.go_live, 60);
    assert_eq!(fitted.kickoff, 8); // 14 × 60 / 105
    assert_eq!(fitted.training, 51); // 90 × 60 / 105
    assert_eq!(fitted.provisional_acceptance, 75); // 60 + (120 − 105)
    assert_eq!(fitted.final_acceptance, 440); // 60 + (485 − 105)
    assert!(fitted.validate().is_ok());
    // A longer lead time stretches the plan the same way.
    let longer = plan.fitted_to_lead_time(210);
    assert_eq!(longer.go_live, 210);
    assert_eq!(longer.kickoff, 28);
    assert!(longer.validate().is_ok());
    // The same lead time as the template changes nothing.
    assert_eq!(plan.fitted_to_lead_time(105), plan);
    let m = plan_milestones(
        &plan,
        Some(60),
        date(2026, 1, 10),
        Uuid::nil(),
        "84009",
        Uuid::max(),
        Uuid::now_v7,
    );
    let go_live = m.iter().find(|m| m.kind == MilestoneKind::GoLive).unwrap();
    assert_eq!(go_live.planned_date, date(2026, 3, 11));
    assert_eq!(go_live.baseline(), go_live.planned_date);
    assert_eq!(go_live.lead_time_days, Some(60));
    // Without an offer (a direct award), the framework's plan alone.
    assert_eq!(milestones()[4].planned_date, date(2026, 4, 25));
    assert_eq!(milestones()[4].lead_time_days, None);
}

/// Rule 16: the offer counts its lead time from the purchase order (« à compter du bon de
/// commande »): the plan moves by the days between the award and the order; a milestone
/// done or re-planned does not.
#[test]
fn rule_16_the_lead_time_counts_from_the_purchase_order() {
    let mut all = plan_milestones(
        &MilestonePlan::standard(),
        Some(60),
        date(2026, 1, 10),
        Uuid::nil(),
        "84009",
        Uuid::max(),
        Uuid::now_v7,
    );
    all[0].actual_date = Some(date(2026, 1, 12));
    let kickoff_planned = all[0].planned_date;
    for m in &mut all {
        m.start_from_purchase_order(date(2026, 1, 20));
    }
    assert_eq!(all[0].planned_date, kickoff_planned);
    assert_eq!(all[4].planned_date, date(2026, 3, 21));
    assert_eq!(all[4].baseline(), date(2026, 3, 21));
    assert_eq!(all[4].planned_from, Some(date(2026, 1, 20)));
    // Applied again (a retry), or dated before (a slip): nothing moves.
    let before = all.clone();
    for m in &mut all {
        m.start_from_purchase_order(date(2026, 1, 20));
        m.start_from_purchase_order(date(2026, 1, 1));
    }
    assert_eq!(all, before);
}

/// Issue 17 point 5: the provider cannot move a planned date (it would erase its
/// lateness); an old client sending the date in force is not refused.
#[test]
fn rule_issue_17_5_planned_date_does_not_move_by_an_update() {
    let mut m = milestones().remove(1);
    let in_force = m.planned_date;
    let err = m
        .update(
            Some(date(2026, 6, 1)),
            None,
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30),
        )
        .unwrap_err();
    assert_eq!(err.code(), "milestone_planned_date_by_request");
    assert_eq!(err.params()["field"], "planned_date");
    assert_eq!(err.params()["milestone"], "configuration");
    assert_eq!(m.planned_date, in_force);
    m.update(
        Some(in_force),
        None,
        Some("ok".into()),
        OrderStatus::Deploying,
        None,
        date(2026, 1, 30),
    )
    .unwrap();
    assert_eq!(m.notes, "ok");
}

/// Issue 17 point 5: a request moves nothing; the milestone stays late while it waits;
/// the commune's acceptance moves the planned date and keeps the baseline; a refusal
/// states its reason; both stay on the record.
#[test]
fn rule_issue_17_5_replan_request_accepted_or_refused() {
    let mut m = milestones().remove(1); // configuration, planned 24/02/2026
    let baseline = m.planned_date;
    let today = date(2026, 3, 1);
    assert_eq!(m.status_on(today), MilestoneStatus::Late);
    let (first, second) = (Uuid::from_u128(1), Uuid::from_u128(2));
    m.request_replan(
        first,
        date(2026, 3, 20),
        "  Migration des données retardée par l'ancien fournisseur ",
        "Prestataire",
        Utc::now(),
        OrderStatus::Deploying,
        today,
    )
    .unwrap();
    assert_eq!(m.planned_date, baseline);
    assert_eq!(m.status_on(today), MilestoneStatus::Late);
    assert_eq!(m.pending_replan().unwrap().from_date, baseline);
    assert_eq!(
        m.pending_replan().unwrap().reason,
        "Migration des données retardée par l'ancien fournisseur"
    );
    // One request at a time.
    let err = m
        .request_replan(
            second,
            date(2026, 3, 25),
            "Autre raison",
            "Prestataire",
            Utc::now(),
            OrderStatus::Deploying,
            today,
        )
        .unwrap_err();
    assert_eq!(err.code(), "replan_already_pending");
    assert_eq!(err.params()["requested_date"], "2026-03-20");
    // A refusal needs its reason.
    let err = m
        .decide_replan(first, false, " ", "DG", Utc::now(), OrderStatus::Deploying)
        .unwrap_err();
    assert_eq!(err.code(), "replan_reason_missing");
    assert_eq!(err.params()["field"], "reason");
    m.decide_replan(
        first,
        false,
        "Le délai offert engage le prestataire",
        "DG",
        Utc::now(),
        OrderStatus::Deploying,
    )
    .unwrap();
    assert_eq!(m.planned_date, baseline);
    assert_eq!(m.replans.len(), 1);
    assert!(!m.replans[0].decision.as_ref().unwrap().accepted);
    // Deciding twice: nothing waits.
    let err = m
        .decide_replan(first, true, "", "DG", Utc::now(), OrderStatus::Deploying)
        .unwrap_err();
    assert_eq!(err.code(), "no_pending_replan");
    // A second request, accepted: the date moves, the baseline stays, not late anymore.
    m.request_replan(
        second,
        date(2026, 3, 25),
        "Formation reportée à la demande de la commune",
        "Prestataire",
        Utc::now(),
        OrderStatus::Deploying,
        today,
    )
    .unwrap();
    m.decide_replan(second, true, "", "DG", Utc::now(), OrderStatus::Deploying)
        .unwrap();
    assert_eq!(m.planned_date, date(2026, 3, 25));
    assert_eq!(m.baseline(), baseline);
    assert_eq!(m.status_on(today), MilestoneStatus::Planned);
    assert_eq!(m.replans.len(), 2);
    assert!(m.pending_replan().is_none());
}

/// Issue 17 point 5: what a request is refused for (done, same date, no reason, closed).
#[test]
fn rule_issue_17_5_replan_request_refusals() {
    let mut m = milestones().remove(1);
    let today = date(2026, 1, 30);
    let ask = |m: &mut Milestone, d: NaiveDate, reason: &str, status: OrderStatus| {
        m.request_replan(Uuid::nil(), d, reason, "p", Utc::now(), status, today)
            .unwrap_err()
            .code()
    };
    let planned = m.planned_date;
    assert_eq!(
        ask(&mut m, planned, "Une raison", OrderStatus::Deploying),
        "replan_same_date"
    );
    assert_eq!(
        ask(&mut m, date(2026, 5, 1), "abc", OrderStatus::Deploying),
        "replan_reason_missing"
    );
    assert_eq!(
        ask(
            &mut m,
            date(2026, 5, 1),
            "Une raison",
            OrderStatus::FinallyAccepted
        ),
        "invalid_state"
    );
    m.actual_date = Some(date(2026, 1, 20));
    assert_eq!(
        ask(
            &mut m,
            date(2026, 5, 1),
            "Une raison",
            OrderStatus::Deploying
        ),
        "milestone_already_done"
    );
    assert!(m.replans.is_empty());
}

/// Milestones stored before baselines and re-plans read with none (baseline = planned).
#[test]
fn stored_milestones_without_baseline_still_read() {
    let mut json = serde_json::to_value(&milestones()[0]).unwrap();
    let obj = json.as_object_mut().unwrap();
    obj.remove("baseline_date");
    obj.remove("lead_time_days");
    obj.remove("planned_from");
    obj.remove("formerly");
    obj.remove("replans");
    let m: Milestone = serde_json::from_value(json).unwrap();
    assert_eq!(m.baseline(), m.planned_date);
    assert!(m.replans.is_empty());
}

/// AR 14 January 2013 (réception): acceptances are the commune's acts; a closed
/// deployment's planning no longer moves.
#[test]
fn acceptances_are_not_marked_done_by_an_update_and_closed_deployments_stay_closed() {
    let mut all = milestones();
    let mut acceptance = all.remove(5);
    assert_eq!(acceptance.kind, MilestoneKind::ProvisionalAcceptance);
    let err = acceptance
        .update(
            None,
            Some(date(2026, 1, 30)),
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30),
        )
        .unwrap_err();
    assert_eq!(err.code(), "acceptance_is_commune_act");
    assert_eq!(err.params()["milestone"], "provisional_acceptance");
    // Its planned date may still move, by a request the commune decides on.
    acceptance
        .request_replan(
            Uuid::nil(),
            date(2026, 6, 1),
            "Mise en production reportée",
            "p",
            Utc::now(),
            OrderStatus::Deploying,
            date(2026, 1, 30),
        )
        .unwrap();
    let mut kickoff = all.remove(0);
    let err = kickoff
        .update(
            None,
            None,
            Some("x".into()),
            OrderStatus::FinallyAccepted,
            None,
            date(2026, 1, 30),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_state");
}

#[test]
fn plan_must_be_ordered() {
    let mut p = MilestonePlan::standard();
    assert!(p.validate().is_ok());
    p.training = 10;
    assert!(p.validate().is_err());
}
