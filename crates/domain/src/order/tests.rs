//! The order life cycle, transition by transition, and a property test over any sequence.

use super::*;
use crate::adhesion::{Adhesion, ConventionTemplate, FinancialOpinion, OpinionKind, Organ};
use crate::evaluation::{evaluate, OfferForScoring};
use crate::fixtures::{date, sample_terms};
use crate::money::Cents;
use crate::offer::tests::needs;
use crate::role::Role;
use crate::time::brussels_today;
use chrono::TimeZone;
use proptest::prelude::*;
use rust_decimal_macros::dec;

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);

/// A framework of P1 and P2; where the method allows direct call-offs, its conditions: the
/// cascade P1 then P2 (and, with `Both`, the threshold `DIRECT_UP_TO`).
fn framework(method: CallOffMethod) -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: method,
        versions: vec![],
    };
    let mut terms = sample_terms(&[P1, P2]);
    if method.allows_direct() {
        terms.direct_call_off = Some(DirectCallOff {
            rule: crate::catalogue::DesignationRule::Cascade,
            ranking: vec![P1, P2],
            up_to: (method == CallOffMethod::Both).then_some(Cents(DIRECT_UP_TO)),
        });
    }
    f.publish(terms).unwrap();
    f
}

fn active_adhesion() -> Adhesion {
    crate::fixtures::active_adhesion("84009", now())
}

fn decision() -> Decision {
    decision_on(today())
}

/// A collège decision of `day`, after the directeur financier's opinion of the same day
/// (so that the amount never matters unless a test says so).
fn decision_on(day: NaiveDate) -> Decision {
    Decision {
        organ: Organ::College,
        reference: "COL/2026/99".into(),
        date: day,
        financial_opinion: Some(FinancialOpinion {
            reference: "DF/2026/7".into(),
            date: day,
            kind: OpinionKind::Favourable,
        }),
    }
}

/// The conseil's decision launching the order, with the opinion.
fn launch() -> Decision {
    Decision {
        organ: Organ::Conseil,
        reference: "CC/2026/40".into(),
        ..decision_on(date(2026, 11, 2))
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 11, 29)
}

fn draft(f: &FrameworkAgreement) -> Order {
    Order::new_draft(
        Uuid::now_v7(),
        "84009",
        f,
        "E-guichet 2027".into(),
        needs(),
        "agent",
        now(),
    )
    .unwrap()
}

fn evaluation(offers: &[OfferForScoring]) -> EvaluationRecord {
    let criteria = sample_terms(&[P1]).award_criteria;
    let scores: Vec<_> = offers
        .iter()
        .map(|o| QualityScore {
            offer_id: o.offer_id,
            criterion_code: "quality".into(),
            points: dec!(30),
            justification: "Bonne couverture fonctionnelle".into(),
        })
        .collect();
    EvaluationRecord {
        ranking: evaluate(&criteria, offers, &scores).unwrap(),
        quality_scores: scores,
        evaluated_at: now(),
        evaluated_by: "dg".into(),
    }
}

fn scoring(id: u128, provider: Uuid, cents: i64) -> OfferForScoring {
    OfferForScoring {
        offer_id: Uuid::from_u128(id),
        provider_id: provider,
        total_excl_vat: Cents(cents),
        submitted_at: now(),
    }
}

#[test]
fn the_whole_life_of_a_call_off() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let deadline = now() + Duration::days(15);
    let invited = o
        .launch_competition(&f, deadline, 10, now(), today(), "centrale")
        .unwrap();
    assert_eq!(invited, vec![P1, P2]);
    let err = o
        .open_offers(deadline - Duration::seconds(1), 2)
        .unwrap_err();
    assert_eq!(err.code(), "offers_sealed");
    o.open_offers(deadline, 2).unwrap();
    assert_eq!(o.status, OrderStatus::OffersOpened);
    let offers = [scoring(100, P1, 500_000), scoring(200, P2, 400_000)];
    o.record_evaluation(evaluation(&offers)).unwrap();
    let name = |id: Uuid| format!("prestataire {id}");
    let (later, later_day) = (
        deadline + Duration::days(1),
        brussels_today(deadline + Duration::days(1)),
    );
    let err = o
        .award(
            &f,
            Uuid::from_u128(100),
            Amount::default(),
            "Meilleure offre selon les critères".into(),
            decision_on(later_day),
            "dg",
            later,
            later_day,
            name,
        )
        .unwrap_err();
    assert_eq!(err.code(), "award_not_following_ranking");
    // A decision dated before the opening of the offers cannot have decided on them.
    let err = o
        .award(
            &f,
            Uuid::from_u128(200),
            Amount::default(),
            "Meilleure offre selon les critères".into(),
            decision_on(today()),
            "dg",
            later,
            later_day,
            name,
        )
        .unwrap_err();
    assert_eq!(err.code(), "decision_before_offers");
    o.award(
        &f,
        Uuid::from_u128(200),
        Amount::default(),
        "Meilleure offre selon les critères".into(),
        decision_on(later_day),
        "dg",
        later,
        later_day,
        name,
    )
    .unwrap();
    assert_eq!(o.award.as_ref().unwrap().provider_id, P2);
    o.issue_purchase_order("BC-2027-0001".into(), Some(manager()), "centrale", now())
        .unwrap();
    o.start_deployment().unwrap();
    let acc = |d| Acceptance {
        date: d,
        remarks: String::new(),
        by: "dg".into(),
        recorded_at: now(),
    };
    assert!(o
        .accept_provisionally(acc(later_day), false, later_day)
        .is_err());
    // Acceptance dates: not before the award decision, not in the future.
    assert_eq!(o.awarded_on(), Some(later_day));
    for bad in [later_day.pred_opt().unwrap(), later_day.succ_opt().unwrap()] {
        let err = o
            .accept_provisionally(acc(bad), true, later_day)
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert_eq!(err.params()["field"], "date");
        assert_eq!(err.params()["earliest"], serde_json::json!(later_day));
    }
    o.accept_provisionally(acc(later_day), true, later_day)
        .unwrap();
    let err = o
        .accept_finally(
            acc(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
            later_day,
        )
        .unwrap_err();
    assert_eq!(err.code(), "date_out_of_range");
    assert!(o.accept_finally(acc(today()), later_day).is_err());
    o.accept_finally(acc(later_day), later_day).unwrap();
    assert_eq!(o.status, OrderStatus::FinallyAccepted);
    assert!(o.status.is_final());
    o.check_invariants().unwrap();
}

#[test]
fn no_order_before_adhesion_is_active() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    assert_eq!(
        o.submit(None, &f, Some(launch()), "104/123-13", "dg", now(), today())
            .unwrap_err()
            .code(),
        "adhesion_not_active"
    );
    let t = ConventionTemplate::new(Uuid::nil(), 1, "C".into(), "texte".into());
    let draft_adhesion = Adhesion::draft(Uuid::now_v7(), "84009", &t);
    assert_eq!(
        o.submit(
            Some(&draft_adhesion),
            &f,
            Some(launch()),
            "104/123-13",
            "dg",
            now(),
            today()
        )
        .unwrap_err()
        .code(),
        "adhesion_not_active"
    );
    assert_eq!(o.status, OrderStatus::Draft);
}

#[test]
fn no_order_after_framework_end() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    let err = o
        .submit(
            Some(&active_adhesion()),
            &f,
            Some(launch()),
            "104/123-13",
            "dg",
            now(),
            date(2029, 3, 1),
        )
        .unwrap_err();
    assert_eq!(err.code(), "framework_not_in_force");
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let err = o
        .launch_competition(
            &f,
            now() + Duration::days(20),
            10,
            now(),
            date(2029, 3, 1),
            "c",
        )
        .unwrap_err();
    assert_eq!(err.code(), "framework_not_in_force");
}

#[test]
fn deadline_respects_minimum_days() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let err = o
        .launch_competition(&f, now() + Duration::days(9), 10, now(), today(), "c")
        .unwrap_err();
    assert_eq!(err.code(), "deadline_too_soon");
    assert_eq!(o.status, OrderStatus::Submitted);
}

#[test]
fn suspended_providers_are_not_invited() {
    let mut f = framework(CallOffMethod::MiniCompetition);
    let mut terms = f.current().unwrap().clone();
    terms.providers[0].status = crate::catalogue::ProviderStatus::Suspended;
    f.publish(terms).unwrap();
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    assert_eq!(o.framework_version, 2);
    let invited = o
        .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap();
    assert_eq!(invited, vec![P2]);
}

#[test]
fn no_offer_branch() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let deadline = now() + Duration::days(15);
    o.launch_competition(&f, deadline, 10, now(), today(), "c")
        .unwrap();
    o.open_offers(deadline + Duration::hours(1), 0).unwrap();
    assert_eq!(o.status, OrderStatus::NoOffer);
    assert!(o
        .withdraw(MOTIVE.into(), decision(), "dg", now(), today())
        .is_err());
    o.check_invariants().unwrap();
}

#[test]
fn direct_award_only_where_allowed() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let input = || DirectAward {
        provider_id: P1,
        justification: "Seul prestataire disposant du connecteur".into(),
        college_decision: decision(),
    };
    assert_eq!(
        o.direct_award(&f, &[], input(), "dg", now(), today())
            .unwrap_err()
            .code(),
        "call_off_method_not_allowed"
    );
    let direct = framework(CallOffMethod::Direct);
    let mut o = draft(&direct);
    o.submit(
        Some(&active_adhesion()),
        &direct,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    assert!(o
        .launch_competition(&direct, now() + Duration::days(20), 10, now(), today(), "c")
        .is_err());
    o.direct_award(&direct, &[], input(), "dg", now(), today())
        .unwrap();
    let award = o.award.as_ref().unwrap();
    assert!(award.direct);
    assert_eq!(award.amount.excl_vat, Cents(450_000 + 9 * 18_000));
}

#[test]
fn cancel_and_withdraw_in_their_windows() {
    let f = framework(CallOffMethod::Both);
    let mut o = draft(&f);
    assert!(
        o.cancel("x".into(), "dg", now()).is_err(),
        "reason too short"
    );
    assert!(o
        .withdraw(MOTIVE.into(), decision(), "dg", now(), today())
        .is_err());
    o.cancel("Budget non voté".into(), "dg", now()).unwrap();
    assert_eq!(o.status, OrderStatus::Cancelled);
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    o.launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap();
    assert!(o.cancel("Budget non voté".into(), "dg", now()).is_err());
    o.withdraw(MOTIVE.into(), decision(), "dg", now(), today())
        .unwrap();
    assert_eq!(o.status, OrderStatus::Withdrawn);
}

#[test]
fn drafts_validate_needs() {
    let f = framework(CallOffMethod::Both);
    let mut bad = needs();
    bad.lines[0].quantity = dec!(0);
    let err =
        Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), bad, "a", now()).unwrap_err();
    assert!(err.to_string().contains("supérieure à 0"));
    let mut unknown = needs();
    unknown.lines[0].price_line_code = "nope".into();
    assert!(
        Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), unknown, "a", now()).is_err()
    );
    let mut dup = needs();
    dup.lines[1].price_line_code = "setup".into();
    assert!(Order::new_draft(Uuid::now_v7(), "84009", &f, "T".into(), dup, "a", now()).is_err());
    assert!(
        Order::new_draft(Uuid::now_v7(), "84009", &f, " ".into(), needs(), "a", now()).is_err()
    );
    let mut o = draft(&f);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    assert!(o.update_draft(&f, "T".into(), needs()).is_err());
}

#[derive(Debug, Clone)]
enum Action {
    Submit,
    Launch(i64),
    Open(i64, u32),
    Evaluate,
    Award(bool),
    Direct,
    PurchaseOrder,
    Start,
    Provisional(bool),
    Final,
    Cancel,
    Withdraw,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::Submit),
        (5i64..30).prop_map(Action::Launch),
        (-3i64..40, 0u32..3).prop_map(|(d, n)| Action::Open(d, n)),
        Just(Action::Evaluate),
        any::<bool>().prop_map(Action::Award),
        Just(Action::Direct),
        Just(Action::PurchaseOrder),
        Just(Action::Start),
        any::<bool>().prop_map(Action::Provisional),
        Just(Action::Final),
        Just(Action::Cancel),
        Just(Action::Withdraw),
    ]
}

proptest! {
    #[test]
    fn any_sequence_keeps_a_reachable_state(actions in proptest::collection::vec(action(), 0..25), method in 0u8..3) {
        let method = [CallOffMethod::MiniCompetition, CallOffMethod::Direct, CallOffMethod::Both][method as usize];
        let f = framework(method);
        let adhesion = active_adhesion();
        let mut o = draft(&f);
        for a in actions {
            let before = o.clone();
            let result = match a {
                Action::Submit => o.submit(Some(&adhesion), &f, Some(launch()), "104/123-13", "dg", now(), today()),
                Action::Launch(d) => o.launch_competition(&f, now() + Duration::days(d), 10, now(), today(), "c").map(|_| ()),
                Action::Open(d, n) => o.open_offers(now() + Duration::days(d), n),
                Action::Evaluate => {
                    let offers: Vec<_> = (0..o.offers_received.unwrap_or(0)).map(|i| scoring(u128::from(i) + 100, if i == 0 { P1 } else { P2 }, 100_000 + i64::from(i))).collect();
                    if offers.is_empty() { Err(DomainError::NotAllowed("none".into())) } else { o.record_evaluation(evaluation(&offers)) }
                }
                Action::Award(first) => {
                    let id = o.evaluation.as_ref().and_then(|e| e.ranking.offers.get(if first { 0 } else { 1 })).map(|s| s.offer_id).unwrap_or(Uuid::nil());
                    {
                        let at = o.opened_at.unwrap_or_else(now);
                        let day = brussels_today(at);
                        o.award(&f, id, Amount::default(), "Conforme au classement des offres".into(), decision_on(day), "dg", at, day, |_| "x".into())
                    }
                }
                Action::Direct => o.direct_award(&f, &[], DirectAward { provider_id: P1, justification: "Conditions de l'accord-cadre".into(), college_decision: decision() }, "dg", now(), today()),
                Action::PurchaseOrder => o.issue_purchase_order("BC-1".into(), Some(manager()), "c", now()),
                Action::Start => o.start_deployment(),
                Action::Provisional(live) => o.accept_provisionally(Acceptance { date: today(), remarks: String::new(), by: "dg".into(), recorded_at: now() }, live, today()),
                Action::Final => o.accept_finally(Acceptance { date: today(), remarks: String::new(), by: "dg".into(), recorded_at: now() }, today()),
                Action::Cancel => o.cancel("Motif valable".into(), "dg", now()),
                Action::Withdraw => o.withdraw(MOTIVE.into(), decision(), "dg", now(), today()),
            };
            if result.is_err() {
                // A refused action changes nothing.
                prop_assert_eq!(&o, &before);
            }
            if before.status.is_final() {
                prop_assert_eq!(o.status, before.status);
            }
            prop_assert!(o.check_invariants().is_ok(), "{:?}", o.check_invariants());
        }
    }
}

/// A submitted order at `at` (Brussels day of `at`) on `f`.
fn submitted_at(f: &FrameworkAgreement, at: DateTime<Utc>) -> Order {
    let mut o = draft(f);
    o.submit(
        Some(&active_adhesion()),
        f,
        Some(launch()),
        "104/123-13",
        "dg",
        at,
        brussels_today(at),
    )
    .unwrap();
    o
}

/// Dir. 2014/24 recital 62, law of 17 June 2016 art. 43: a call-off is awarded during the
/// framework's term, so the competition's deadline cannot fall after its last day.
#[test]
fn rule_framework_term_deadline_not_after_the_framework_end() {
    let f = framework(CallOffMethod::MiniCompetition);
    // Ten days before the end (28/02/2029).
    let launch = Utc.with_ymd_and_hms(2029, 2, 18, 9, 0, 0).unwrap();
    let mut o = submitted_at(&f, launch);
    let err = o
        .launch_competition(
            &f,
            Utc.with_ymd_and_hms(2029, 3, 1, 11, 0, 0).unwrap(),
            10,
            launch,
            brussels_today(launch),
            "c",
        )
        .unwrap_err();
    assert_eq!(err.code(), "deadline_after_framework_end");
    assert!(err.to_string().contains("28/02/2029"), "{err}");
    assert_eq!(o.status, OrderStatus::Submitted);
    // 28/02/2029 at 23:00 in Brussels is still the last day.
    o.launch_competition(
        &f,
        Utc.with_ymd_and_hms(2029, 2, 28, 22, 0, 0).unwrap(),
        10,
        launch,
        brussels_today(launch),
        "c",
    )
    .unwrap();
}

/// Dir. 2014/24 recital 62: no award after the framework's end, even for a competition
/// launched before it.
#[test]
fn rule_framework_term_no_award_after_the_framework_end() {
    let f = framework(CallOffMethod::MiniCompetition);
    let launch = Utc.with_ymd_and_hms(2029, 2, 10, 9, 0, 0).unwrap();
    let mut o = submitted_at(&f, launch);
    let deadline = Utc.with_ymd_and_hms(2029, 2, 25, 11, 0, 0).unwrap();
    o.launch_competition(&f, deadline, 10, launch, brussels_today(launch), "c")
        .unwrap();
    o.open_offers(deadline, 1).unwrap();
    let offers = [scoring(100, P1, 500_000)];
    o.record_evaluation(evaluation(&offers)).unwrap();
    let after_end = Utc.with_ymd_and_hms(2029, 3, 15, 10, 0, 0).unwrap();
    let day = brussels_today(after_end);
    let err = o
        .award(
            &f,
            Uuid::from_u128(100),
            Amount::default(),
            "Seule offre, régulière et conforme".into(),
            decision_on(day),
            "dg",
            after_end,
            day,
            |_| "x".into(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "framework_not_in_force");
    assert_eq!(o.status, OrderStatus::Evaluated);
    let in_time = Utc.with_ymd_and_hms(2029, 2, 27, 10, 0, 0).unwrap();
    let day = brussels_today(in_time);
    o.award(
        &f,
        Uuid::from_u128(100),
        Amount::default(),
        "Seule offre, régulière et conforme".into(),
        decision_on(day),
        "dg",
        in_time,
        day,
        |_| "x".into(),
    )
    .unwrap();
}

/// Law of 17 June 2016 art. 43 / Dir. 2014/24 art. 33(5)(b): the minimum time limit is
/// counted in calendar days in Brussels; ten days across the March clock change are ten days.
#[test]
fn rule_minimum_days_are_calendar_days_in_brussels() {
    let f = framework(CallOffMethod::MiniCompetition);
    // 20/03/2027 12:00 Brussels (CET) → 30/03/2027 12:00 Brussels (CEST): 239 hours.
    let launch = Utc.with_ymd_and_hms(2027, 3, 20, 11, 0, 0).unwrap();
    let mut o = submitted_at(&f, launch);
    let ten_days = Utc.with_ymd_and_hms(2027, 3, 30, 10, 0, 0).unwrap();
    let err = o
        .launch_competition(
            &f,
            ten_days - Duration::minutes(1),
            10,
            launch,
            brussels_today(launch),
            "c",
        )
        .unwrap_err();
    assert_eq!(err.code(), "deadline_too_soon");
    assert!(err.to_string().contains("30/03/2027 à 12:00"), "{err}");
    o.launch_competition(&f, ten_days, 10, launch, brussels_today(launch), "c")
        .unwrap();
}

/// Dir. 2014/24 art. 33(2) (only the operators party to the framework as concluded): a
/// provider foreign to the framework gets no call-off, the pinned version decides who is
/// invited, and a direct award is priced at the pinned version's ceilings.
#[test]
fn rule_pinned_version_decides_who_is_invited_and_the_prices() {
    let p3 = Uuid::from_u128(3);
    let mut f = framework(CallOffMethod::MiniCompetition);
    let mut fd = framework(CallOffMethod::Direct);
    let mut o = submitted_at(&f, now());
    let mut direct = submitted_at(&fd, now());
    assert_eq!(o.framework_version, 1);
    for f in [&mut f, &mut fd] {
        let mut v2 = f.current().unwrap().clone();
        v2.price_schedule[0].ceiling_cents = Cents(900_000);
        v2.legal_basis = Some(crate::catalogue::LegalBasis::ReviewClause {
            clause: "CSC art. 12".into(),
        });
        f.publish(v2).unwrap();
    }
    let invited = o
        .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap();
    assert_eq!(invited, vec![P1, P2]);
    let err = direct
        .direct_award(
            &fd,
            &[],
            DirectAward {
                provider_id: p3,
                justification: "Prestataire étranger à l'accord-cadre".into(),
                college_decision: decision(),
            },
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "provider_not_active");
    assert_eq!(err.params()["provider"], serde_json::json!(p3));
    direct
        .direct_award(
            &fd,
            &[],
            DirectAward {
                provider_id: P1,
                justification: "Conditions de l'accord-cadre, version 1".into(),
                college_decision: decision(),
            },
            "dg",
            now(),
            today(),
        )
        .unwrap();
    // Version 1's ceiling (4 500,00 €), not version 2's (9 000,00 €).
    assert_eq!(
        direct.award.unwrap().amount.excl_vat,
        Cents(450_000 + 9 * 18_000)
    );
}

/// A provider suspended by the version in force is not invited, even on an order pinned to
/// the version that made it active.
#[test]
fn rule_a_provider_suspended_since_the_pinned_version_is_not_invited() {
    let mut f = framework(CallOffMethod::MiniCompetition);
    let mut o = submitted_at(&f, now());
    let mut v2 = f.current().unwrap().clone();
    v2.providers[0].status = crate::catalogue::ProviderStatus::Suspended;
    f.publish(v2).unwrap();
    let invited = o
        .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap();
    assert_eq!(invited, vec![P2]);
}

/// Law of 29 July 1991 / law of 17 June 2013 (formal motivation): a direct award decision
/// cannot be dated before the request it decides on.
#[test]
fn rule_direct_award_decision_not_before_the_request() {
    let f = framework(CallOffMethod::Direct);
    let mut o = submitted_at(&f, now());
    let err = o
        .direct_award(
            &f,
            &[],
            DirectAward {
                provider_id: P1,
                justification: "Conditions de l'accord-cadre".into(),
                college_decision: decision_on(date(2026, 6, 1)),
            },
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "decision_before_offers");
    assert_eq!(o.status, OrderStatus::Submitted);
}

/// A perfect tie (same total, same price) ranks both offers first; the commune, having drawn
/// lots in its collège's meeting, may award either (Dir. 2014/24 art. 33(5)(d): the method is
/// the one stated in advance; never the time of submission).
#[test]
fn rule_a_perfect_tie_may_be_awarded_to_either_offer_ranked_first() {
    let f = framework(CallOffMethod::MiniCompetition);
    for chosen in [100u128, 200] {
        let mut o = submitted_at(&f, now());
        let deadline = now() + Duration::days(15);
        o.launch_competition(&f, deadline, 10, now(), today(), "c")
            .unwrap();
        o.open_offers(deadline, 2).unwrap();
        let offers = [scoring(100, P1, 450_000), scoring(200, P2, 450_000)];
        o.record_evaluation(evaluation(&offers)).unwrap();
        assert_eq!(
            o.evaluation.as_ref().unwrap().ranking.outcome,
            RankingOutcome::Tie
        );
        let day = brussels_today(deadline);
        o.award(
            &f,
            Uuid::from_u128(chosen),
            Amount::default(),
            "Égalité parfaite : tirage au sort en séance du collège.".into(),
            decision_on(day),
            "dg",
            deadline,
            day,
            |_| "x".into(),
        )
        .unwrap();
        let expected = if chosen == 100 { P1 } else { P2 };
        assert_eq!(o.award.as_ref().unwrap().provider_id, expected);
    }
}

/// CDLD L1222-3: an order is sent with the decision that launches it (the conseil's, or the
/// collège's by delegation) and its budget article; an agent's draft is not a decision.
#[test]
fn rule_cdld_l1222_3_submission_records_the_launch_decision_and_budget_article() {
    let f = framework(CallOffMethod::MiniCompetition);
    let adhesion = active_adhesion();
    let mut o = draft(&f);
    let err = o
        .submit(
            Some(&adhesion),
            &f,
            None,
            "104/123-13",
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "launch_decision_missing");
    assert_eq!(err.params()["field"], "decision");
    let err = o
        .submit(
            Some(&adhesion),
            &f,
            Some(launch()),
            "  ",
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "budget_article_missing");
    let college = Decision {
        organ: Organ::College,
        ..launch()
    };
    let err = o
        .submit(
            Some(&adhesion),
            &f,
            Some(college),
            "104/123-13",
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "decision_organ_not_competent");
    assert_eq!(err.params()["field"], "decision.organ");
    assert_eq!(err.params()["kind"], "launch_order");
    assert_eq!(o.status, OrderStatus::Draft);
    let delegated = Decision {
        organ: Organ::CollegeByDelegation {
            delegation_date: date(2025, 1, 20),
        },
        financial_opinion: None,
        ..launch()
    };
    o.submit(
        Some(&adhesion),
        &f,
        Some(delegated.clone()),
        " 104/123-13 ",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    let recorded = o.launch_decision.as_ref().unwrap();
    assert_eq!(recorded.decision, delegated);
    assert_eq!(recorded.budget_article, "104/123-13");
    assert_eq!(recorded.estimate.excl_vat, Cents(450_000 + 9 * 18_000));
    assert_eq!(recorded.recorded_by, "dg");
}

/// CDLD L1124-40 §1 3°: an order whose estimate (the needs at the ceilings) exceeds
/// 22 000 € TVAC is launched after the directeur financier's opinion.
#[test]
fn rule_cdld_l1124_40_launch_above_22000_tvac_needs_the_financial_opinion() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut big = needs();
    big.lines[1].quantity = dec!(100); // 4 500 + 100 × 180 = 22 500 € HTVA
    let mut o = Order::new_draft(
        Uuid::now_v7(),
        "84009",
        &f,
        "E-guichet".into(),
        big,
        "agent",
        now(),
    )
    .unwrap();
    let without = Decision {
        financial_opinion: None,
        ..launch()
    };
    let err = o
        .submit(
            Some(&active_adhesion()),
            &f,
            Some(without),
            "104/123-13",
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "financial_opinion_missing");
    assert_eq!(err.params()["field"], "decision.financial_opinion");
    assert_eq!(err.params()["amount_incl_vat_cents"], 2_722_500);
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
}

fn opened_with_offers(f: &FrameworkAgreement) -> (Order, DateTime<Utc>) {
    let mut o = submitted_at(f, now());
    let deadline = now() + Duration::days(15);
    o.launch_competition(f, deadline, 10, now(), today(), "c")
        .unwrap();
    o.open_offers(deadline, 2).unwrap();
    let offers = [scoring(100, P1, 450_000), scoring(200, P2, 500_000)];
    o.record_evaluation(evaluation(&offers)).unwrap();
    (o, deadline)
}

/// CDLD L1222-4: the award is the collège's decision; above 22 000 € TVAC (the amount
/// awarded) after the directeur financier's opinion (CDLD L1124-40 §1 3°).
#[test]
fn rule_cdld_l1222_4_award_by_the_college_with_the_opinion_above_22000() {
    let f = framework(CallOffMethod::MiniCompetition);
    let (mut o, deadline) = opened_with_offers(&f);
    let day = brussels_today(deadline);
    let amount = Amount::at_rate(Cents(2_000_000), crate::money::VatRate::standard());
    let award = |o: &mut Order, d: Decision| {
        o.award(
            &f,
            Uuid::from_u128(100),
            amount,
            "Meilleur rapport qualité-prix selon les critères.".into(),
            d,
            "dg",
            deadline,
            day,
            |_| "x".into(),
        )
    };
    let conseil = Decision {
        organ: Organ::Conseil,
        ..decision_on(day)
    };
    assert_eq!(
        award(&mut o, conseil).unwrap_err().code(),
        "decision_organ_not_competent"
    );
    let without = Decision {
        financial_opinion: None,
        ..decision_on(day)
    };
    let err = award(&mut o, without).unwrap_err();
    assert_eq!(err.code(), "financial_opinion_missing");
    assert_eq!(err.params()["amount_incl_vat_cents"], 2_420_000);
    assert_eq!(o.status, OrderStatus::Evaluated);
    award(&mut o, decision_on(day)).unwrap();
    assert_eq!(o.status, OrderStatus::Awarded);
}

/// Law of 17 June 2016 art. 6, Dir. 2014/24 art. 24: whoever evaluates or decides declares
/// first that they have no conflict of interest; the declaration (who, when, the statement's
/// hash) is in the order's record.
#[test]
fn rule_law_2016_art_6_no_conflict_declaration_before_evaluating_or_deciding() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = draft(&f);
    let declaration = |user: &str, hash: String| ConflictDeclaration {
        user_id: user.into(),
        name: user.into(),
        role: Role::DirectorGeneral,
        declared_at: now(),
        statement_sha256: hash,
    };
    // Not on a draft: nothing to decide yet.
    assert_eq!(
        o.declare_no_conflict(declaration("dg", no_conflict_statement_sha256()))
            .unwrap_err()
            .code(),
        "invalid_state"
    );
    o.submit(
        Some(&active_adhesion()),
        &f,
        Some(launch()),
        "104/123-13",
        "dg",
        now(),
        today(),
    )
    .unwrap();
    assert_eq!(
        o.check_no_conflict_declared("dg").unwrap_err().code(),
        "conflict_declaration_missing"
    );
    assert_eq!(
        o.declare_no_conflict(declaration("dg", "beef".into()))
            .unwrap_err()
            .code(),
        "conflict_statement_changed"
    );
    o.declare_no_conflict(declaration("dg", no_conflict_statement_sha256()))
        .unwrap();
    o.declare_no_conflict(declaration("dg", no_conflict_statement_sha256()))
        .unwrap();
    assert_eq!(
        o.conflict_declarations.len(),
        1,
        "declaring twice changes nothing"
    );
    o.check_no_conflict_declared("dg").unwrap();
    assert!(o.check_no_conflict_declared("agent").is_err());
    // An order stored before declarations existed still reads.
    let mut json = serde_json::to_value(&o).unwrap();
    json.as_object_mut()
        .unwrap()
        .remove("conflict_declarations");
    json.as_object_mut().unwrap().remove("launch_decision");
    let read: Order = serde_json::from_value(json).unwrap();
    assert!(read.conflict_declarations.is_empty());
    assert!(read.launch_decision.is_none());
}

/// A motivation long enough for a withdrawal.
const MOTIVE: &str = "Le conseil communal n'a pas voté le crédit budgétaire.";

/// A competition launched on `f` at `now()`, deadline in 15 days.
fn running(f: &FrameworkAgreement) -> Order {
    let mut o = submitted_at(f, now());
    o.launch_competition(f, now() + Duration::days(15), 10, now(), today(), "c")
        .unwrap();
    o
}

/// Law of 29 July 1991 art. 2–3 (formal motivation) and law of 17 June 2016 art. 85
/// (renouncing the award): a running competition is withdrawn only by a motivated decision,
/// dated on or after the launch and not in the future.
#[test]
fn rule_law_1991_withdrawal_needs_a_motivated_decision() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = running(&f);
    let before = o.clone();
    // Refused: a motivation of a few words.
    let err = o
        .withdraw("Plus nécessaire".into(), decision(), "dg", now(), today())
        .unwrap_err();
    assert_eq!(err.code(), "motivation_too_short");
    assert_eq!(err.params()["min_chars"], 20);
    assert_eq!(err.params()["field"], "reason");
    // Refused: a decision without reference, or dated before the launch, or in the future.
    let mut no_ref = decision();
    no_ref.reference = " ".into();
    assert_eq!(
        o.withdraw(MOTIVE.into(), no_ref, "dg", now(), today())
            .unwrap_err()
            .code(),
        "college_decision_reference_missing"
    );
    let err = o
        .withdraw(
            MOTIVE.into(),
            decision_on(date(2026, 11, 28)),
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "withdrawal_before_launch");
    assert_eq!(err.params()["earliest"], "2026-11-29");
    assert_eq!(err.params()["date"], "2026-11-28");
    assert_eq!(
        o.withdraw(
            MOTIVE.into(),
            decision_on(date(2026, 11, 30)),
            "dg",
            now(),
            today()
        )
        .unwrap_err()
        .code(),
        "date_out_of_range"
    );
    assert_eq!(o, before, "a refusal changes nothing");
    // Allowed: the motivation and the decision are kept with the closure.
    o.withdraw(MOTIVE.into(), decision(), "dg", now(), today())
        .unwrap();
    let closure = o.closure.as_ref().unwrap();
    assert_eq!(closure.reason, MOTIVE);
    assert_eq!(closure.decision, Some(decision()));
    o.check_invariants().unwrap();
}

/// Dir. 2014/24 art. 33(5)(b) and art. 18(1): the deadline is extended for every invited
/// provider, before it passes, only later, and never beyond the framework's last day.
#[test]
fn rule_art_33_5_b_deadline_extended_for_all_later_before_it_passes() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = running(&f);
    let deadline = o.deadline().unwrap();
    let reason = "Question d'un prestataire : délai supplémentaire pour tous.";
    let before = o.clone();
    // Refused: not later, after the framework's end, after the deadline, without a reason.
    let err = o
        .extend_deadline(&f, deadline, reason.into(), "c", now(), today())
        .unwrap_err();
    assert_eq!(err.code(), "deadline_not_later");
    assert_eq!(err.params()["current"], serde_json::json!(deadline));
    let end = f.current().unwrap().end_date;
    assert_eq!(
        o.extend_deadline(
            &f,
            end_of_brussels_day(end) + Duration::hours(1),
            reason.into(),
            "c",
            now(),
            today()
        )
        .unwrap_err()
        .code(),
        "deadline_after_framework_end"
    );
    let late = deadline + Duration::minutes(1);
    assert_eq!(
        o.extend_deadline(
            &f,
            deadline + Duration::days(5),
            reason.into(),
            "c",
            late,
            brussels_today(late)
        )
        .unwrap_err()
        .code(),
        "deadline_passed"
    );
    assert_eq!(
        o.extend_deadline(
            &f,
            deadline + Duration::days(5),
            "x".into(),
            "c",
            now(),
            today()
        )
        .unwrap_err()
        .code(),
        "reason_length_invalid"
    );
    assert_eq!(o, before);
    // Allowed: the new deadline, with the previous one kept.
    let new = deadline + Duration::days(5);
    o.extend_deadline(&f, new, reason.into(), "c", now(), today())
        .unwrap();
    assert_eq!(o.deadline(), Some(new));
    let c = o.competition.as_ref().unwrap();
    assert_eq!(c.extensions.len(), 1);
    assert_eq!(c.extensions[0].previous, deadline);
    // The offers stay sealed until the new deadline.
    assert_eq!(
        o.open_offers(deadline + Duration::hours(1), 1)
            .unwrap_err()
            .code(),
        "offers_sealed"
    );
    o.check_invariants().unwrap();
}

/// Law of 17 June 2016 art. 42 §1 1° a (after an unsuccessful procedure another may follow on
/// the same terms): no offer → the same needs are relaunched in one act; a relaunch that again
/// receives no offer records that the commune may buy elsewhere.
#[test]
fn rule_no_offer_relaunch_then_the_commune_may_buy_elsewhere() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = running(&f);
    // Refused: relaunching a competition that is running.
    assert_eq!(
        o.relaunch_competition(&f, now() + Duration::days(30), 10, now(), today(), "c")
            .unwrap_err()
            .code(),
        "invalid_state"
    );
    let first = o.deadline().unwrap();
    let opened = first + Duration::hours(1);
    o.open_offers(opened, 0).unwrap();
    assert_eq!(o.status, OrderStatus::NoOffer);
    assert!(!o.may_buy_elsewhere, "one empty round frees nothing yet");
    // Refused: a deadline too soon (the launch's rules apply), and nothing changes.
    let before = o.clone();
    assert_eq!(
        o.relaunch_competition(
            &f,
            opened + Duration::days(2),
            10,
            opened,
            brussels_today(opened),
            "c"
        )
        .unwrap_err()
        .code(),
        "deadline_too_soon"
    );
    assert_eq!(o, before);
    // Allowed: the same needs, a new competition; the empty one is kept.
    let second = opened + Duration::days(12);
    let invited = o
        .relaunch_competition(&f, second, 10, opened, brussels_today(opened), "c")
        .unwrap();
    assert_eq!(invited, vec![P1, P2]);
    assert_eq!(o.status, OrderStatus::CompetitionOpen);
    assert_eq!(o.deadline(), Some(second));
    assert_eq!(o.earlier_competitions.len(), 1);
    assert_eq!(o.earlier_competitions[0].deadline, first);
    assert_eq!(o.opened_at, None);
    o.check_invariants().unwrap();
    o.open_offers(second + Duration::hours(1), 0).unwrap();
    assert_eq!(o.status, OrderStatus::NoOffer);
    assert!(o.may_buy_elsewhere);
    o.check_invariants().unwrap();
}

/// Dir. 2014/24 art. 18(1) and art. 33(5)(a): a question is answered to every invited provider
/// without naming who asked; questions and answers close at the deadline.
#[test]
fn rule_art_18_a_question_is_answered_to_all_and_closes_at_the_deadline() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = running(&f);
    let q = Uuid::from_u128(77);
    // Refused: too short a question; answering an unknown question.
    assert_eq!(
        o.ask_question(q, "?".into(), now()).unwrap_err().code(),
        "question_text_length"
    );
    assert_eq!(
        o.answer_question(q, "Réponse complète.".into(), now())
            .unwrap_err()
            .code(),
        "not_found"
    );
    o.ask_question(q, "Le connecteur BCED est-il exigé ?".into(), now())
        .unwrap();
    let json = serde_json::to_string(&o.questions).unwrap();
    assert!(
        !json.contains("provider"),
        "nobody learns who asked: {json}"
    );
    let c = o
        .answer_question(q, "Oui, dès la mise en production.".into(), now())
        .unwrap();
    assert_eq!(c.question, "Le connecteur BCED est-il exigé ?");
    assert_eq!(c.answer, "Oui, dès la mise en production.");
    assert_eq!(
        o.answer_question(q, "Une autre réponse.".into(), now())
            .unwrap_err()
            .code(),
        "question_already_answered"
    );
    // Closed at the deadline.
    let late = o.deadline().unwrap();
    assert_eq!(
        o.ask_question(Uuid::from_u128(78), "Encore une question ?".into(), late)
            .unwrap_err()
            .code(),
        "deadline_passed"
    );
    o.check_invariants().unwrap();
}

/// Dir. 2014/24 art. 56(1) and art. 33(5)(d): the award goes to the best regular tender. An
/// offer set aside as irregular (with a motivation) leaves the ranking; a recorded evaluation
/// is dropped and made again without it.
#[test]
fn rule_art_56_an_irregular_offer_is_set_aside_with_a_motivation() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut o = running(&f);
    let motive =
        "Offre irrégulière : le délai de mise en œuvre dépasse le maximum du cahier des charges.";
    // Refused while the offers are sealed.
    assert_eq!(
        o.set_offer_aside(
            Uuid::from_u128(100),
            P1,
            SetAsideGround::Irregular,
            motive.into(),
            "dg",
            now()
        )
        .unwrap_err()
        .code(),
        "invalid_state"
    );
    let opened = o.deadline().unwrap() + Duration::hours(1);
    o.open_offers(opened, 2).unwrap();
    let offers = [scoring(100, P1, 100_000), scoring(101, P2, 120_000)];
    o.record_evaluation(evaluation(&offers)).unwrap();
    // Refused: without a motivation.
    assert_eq!(
        o.set_offer_aside(
            Uuid::from_u128(100),
            P1,
            SetAsideGround::Irregular,
            "Irrégulière".into(),
            "dg",
            opened
        )
        .unwrap_err()
        .code(),
        "motivation_too_short"
    );
    let record = o
        .set_offer_aside(
            Uuid::from_u128(100),
            P1,
            SetAsideGround::Irregular,
            motive.into(),
            "dg",
            opened,
        )
        .unwrap();
    assert_eq!(record.motivation, motive);
    assert!(o.is_set_aside(Uuid::from_u128(100)));
    assert_eq!(o.status, OrderStatus::OffersOpened, "to be ranked again");
    assert!(o.evaluation.is_none());
    assert_eq!(
        o.set_offer_aside(
            Uuid::from_u128(100),
            P1,
            SetAsideGround::Irregular,
            motive.into(),
            "dg",
            opened
        )
        .unwrap_err()
        .code(),
        "offer_already_set_aside"
    );
    o.check_invariants().unwrap();
}

/// An order whose two offers (100 of P1, 101 of P2) were opened an hour after the deadline;
/// returns it with the opening time.
fn opened_two(f: &FrameworkAgreement) -> (Order, DateTime<Utc>) {
    let mut o = running(f);
    let opened = o.deadline().unwrap() + Duration::hours(1);
    o.open_offers(opened, 2).unwrap();
    (o, opened)
}

const PRICES: &str = "Le prix de la licence annuelle (ligne LIC) : 12 € par an.";
const ANSWER: &str = "Licence mutualisée sur 40 communes : le coût marginal est faible.";

/// Law of 17 June 2016 art. 84 and AR 18 April 2017 art. 36 §2: the commune asks in
/// writing, after the opening and before the evaluation, with at least twelve calendar days to
/// answer; one request per offer at a time; not for an offer already set aside.
#[test]
fn rule_art_84_a_price_justification_is_asked_in_writing_with_twelve_days() {
    let f = framework(CallOffMethod::MiniCompetition);
    let mut sealed = running(&f);
    let offer = Uuid::from_u128(100);
    let ask = |o: &mut Order, id: u128, deadline: DateTime<Utc>, at: DateTime<Utc>| {
        o.ask_price_justification(
            Uuid::from_u128(id),
            offer,
            P1,
            PRICES.into(),
            deadline,
            "dg",
            at,
        )
    };
    // Refused before the opening.
    let at = now();
    assert_eq!(
        ask(&mut sealed, 1, at + Duration::days(20), at)
            .unwrap_err()
            .code(),
        "invalid_state"
    );
    let (mut o, opened) = opened_two(&f);
    // Refused: less than twelve calendar days (Brussels).
    let err = ask(&mut o, 1, opened + Duration::days(11), opened).unwrap_err();
    assert_eq!(err.code(), "deadline_too_soon");
    assert_eq!(err.params()["min_days"], 12);
    // Refused: the twelfth day at the hour of the request — the days run from the next day
    // and the twelfth ends at midnight (AR 18 April 2017 art. 36 §2).
    let twelfth_day_end = crate::time::full_days_from_next_day(opened, 12);
    let err = ask(&mut o, 1, opened + Duration::days(12), opened).unwrap_err();
    assert_eq!(err.code(), "deadline_too_soon");
    assert_eq!(
        err.params()["earliest"],
        serde_json::to_value(twelfth_day_end).unwrap()
    );
    // Refused: which prices not said.
    assert_eq!(
        o.ask_price_justification(
            Uuid::from_u128(1),
            offer,
            P1,
            "Prix ?".into(),
            twelfth_day_end,
            "dg",
            opened
        )
        .unwrap_err()
        .code(),
        "price_justification_text_length"
    );
    // Allowed: to the end of the twelfth day.
    let request = ask(&mut o, 1, twelfth_day_end, opened).unwrap();
    assert_eq!(request.provider_id, P1);
    assert_eq!(request.asked_at, opened);
    assert!(request.is_awaited(opened));
    // Refused: a second request while the first awaits its answer.
    assert_eq!(
        ask(&mut o, 2, opened + Duration::days(20), opened)
            .unwrap_err()
            .code(),
        "price_justification_awaited"
    );
    o.check_invariants().unwrap();
    // Refused after the evaluation.
    let (mut evaluated, opened) = opened_two(&f);
    evaluated
        .record_evaluation(evaluation(&[
            scoring(100, P1, 100_000),
            scoring(101, P2, 120_000),
        ]))
        .unwrap();
    assert_eq!(
        ask(&mut evaluated, 1, opened + Duration::days(12), opened)
            .unwrap_err()
            .code(),
        "invalid_state"
    );
}

/// AR 18 April 2017 art. 36 §2: the provider asked answers in writing before the
/// deadline, once; nobody else answers for it.
#[test]
fn rule_art_84_the_provider_answers_before_the_deadline() {
    let f = framework(CallOffMethod::MiniCompetition);
    let (mut o, opened) = opened_two(&f);
    let deadline = opened + Duration::days(13);
    let id = Uuid::from_u128(1);
    o.ask_price_justification(
        id,
        Uuid::from_u128(100),
        P1,
        PRICES.into(),
        deadline,
        "dg",
        opened,
    )
    .unwrap();
    // Refused: another provider.
    assert_eq!(
        o.answer_price_justification(id, P2, ANSWER.into(), opened)
            .unwrap_err()
            .code(),
        "not_found"
    );
    // Refused: at the deadline.
    let mut late = o.clone();
    let err = late
        .answer_price_justification(id, P1, ANSWER.into(), deadline)
        .unwrap_err();
    assert_eq!(err.code(), "price_justification_deadline_passed");
    // Allowed before it, once.
    let at = opened + Duration::days(3);
    let answered = o
        .answer_price_justification(id, P1, ANSWER.into(), at)
        .unwrap();
    assert_eq!(answered.answer.as_deref(), Some(ANSWER));
    assert_eq!(answered.answered_at, Some(at));
    assert_eq!(
        o.answer_price_justification(id, P1, ANSWER.into(), at)
            .unwrap_err()
            .code(),
        "price_justification_already_answered"
    );
}

/// Issue 11 rule 7 (law of 17 June 2016 art. 84; Dir. 2014/24 art. 69): regularity before
/// ranking. No evaluation while the answer is awaited, nor while an answer is not decided;
/// once accepted, the offer is ranked.
#[test]
fn rule_art_84_no_evaluation_while_a_price_justification_is_pending() {
    let f = framework(CallOffMethod::MiniCompetition);
    let (mut o, opened) = opened_two(&f);
    let deadline = opened + Duration::days(13);
    let id = Uuid::from_u128(1);
    o.check_evaluable(opened).unwrap();
    o.ask_price_justification(
        id,
        Uuid::from_u128(100),
        P1,
        PRICES.into(),
        deadline,
        "dg",
        opened,
    )
    .unwrap();
    let err = o.check_evaluable(opened).unwrap_err();
    assert_eq!(err.code(), "price_justification_awaited");
    let mut record = evaluation(&[scoring(100, P1, 100_000), scoring(101, P2, 120_000)]);
    record.evaluated_at = opened;
    assert_eq!(
        o.clone().record_evaluation(record).unwrap_err().code(),
        "price_justification_awaited"
    );
    // Refused: accepting before the answer or the deadline.
    assert_eq!(
        o.accept_price_justification(id, "dg", opened)
            .unwrap_err()
            .code(),
        "price_justification_awaited"
    );
    let at = opened + Duration::days(2);
    o.answer_price_justification(id, P1, ANSWER.into(), at)
        .unwrap();
    assert_eq!(
        o.check_evaluable(at).unwrap_err().code(),
        "price_justification_undecided"
    );
    let accepted = o.accept_price_justification(id, "dg", at).unwrap();
    assert_eq!(accepted.accepted_by.as_deref(), Some("dg"));
    o.check_evaluable(at).unwrap();
    // Refused: deciding twice, or setting aside as abnormally low after accepting.
    assert_eq!(
        o.accept_price_justification(id, "dg", at)
            .unwrap_err()
            .code(),
        "price_justification_decided"
    );
    let motive = "Prix anormalement bas : la justification ne couvre pas le coût.";
    assert_eq!(
        o.set_offer_aside(
            Uuid::from_u128(100),
            P1,
            SetAsideGround::AbnormallyLow,
            motive.into(),
            "dg",
            at
        )
        .unwrap_err()
        .code(),
        "price_justification_decided"
    );
    o.record_evaluation(evaluation(&[
        scoring(100, P1, 100_000),
        scoring(101, P2, 120_000),
    ]))
    .unwrap();
    o.check_invariants().unwrap();
}

/// Law of 17 June 2016 art. 84, AR 18 April 2017 art. 36, Dir. 2014/24 art. 69(3):
/// an offer is set aside as abnormally low only after its provider was asked to justify its
/// prices and answered, or let the deadline pass; the ranking then leaves it out.
#[test]
fn rule_art_84_abnormally_low_only_after_the_answer_or_the_deadline() {
    let f = framework(CallOffMethod::MiniCompetition);
    let (mut o, opened) = opened_two(&f);
    let offer = Uuid::from_u128(100);
    let motive = "Prix anormalement bas : la justification ne couvre pas le coût.";
    let low = |o: &mut Order, at| {
        o.set_offer_aside(
            offer,
            P1,
            SetAsideGround::AbnormallyLow,
            motive.into(),
            "dg",
            at,
        )
    };
    // Refused: never asked.
    assert_eq!(
        low(&mut o, opened).unwrap_err().code(),
        "price_justification_not_asked"
    );
    let deadline = opened + Duration::days(13);
    o.ask_price_justification(
        Uuid::from_u128(1),
        offer,
        P1,
        PRICES.into(),
        deadline,
        "dg",
        opened,
    )
    .unwrap();
    // Refused: the answer is awaited.
    let err = low(&mut o, opened).unwrap_err();
    assert_eq!(err.code(), "price_justification_awaited");
    assert_eq!(err.params()["offer"], offer.to_string());
    // Allowed once the deadline passed without an answer.
    let record = low(&mut o, deadline).unwrap();
    assert_eq!(record.ground, SetAsideGround::AbnormallyLow);
    assert!(o.is_set_aside(offer));
    // Settled: the other offer is evaluated.
    o.check_evaluable(deadline).unwrap();
    o.record_evaluation(evaluation(&[scoring(101, P2, 120_000)]))
        .unwrap();
    o.check_invariants().unwrap();
    // Refused: asking again for an offer set aside.
    let (mut other, opened) = opened_two(&f);
    other
        .set_offer_aside(
            offer,
            P1,
            SetAsideGround::Irregular,
            motive.into(),
            "dg",
            opened,
        )
        .unwrap();
    assert_eq!(
        other
            .ask_price_justification(
                Uuid::from_u128(2),
                offer,
                P1,
                PRICES.into(),
                opened + Duration::days(13),
                "dg",
                opened
            )
            .unwrap_err()
            .code(),
        "offer_already_set_aside"
    );
}

/// Old records: an order and a set-aside stored before the price verification read as before
/// (no request, ground irregular).
#[test]
fn records_before_the_price_verification_still_read() {
    let f = framework(CallOffMethod::MiniCompetition);
    let (mut o, opened) = opened_two(&f);
    o.set_offer_aside(
        Uuid::from_u128(100),
        P1,
        SetAsideGround::Irregular,
        "Offre irrégulière : réserve sur la reprise des données.".into(),
        "dg",
        opened,
    )
    .unwrap();
    let mut json = serde_json::to_value(&o).unwrap();
    json.as_object_mut().unwrap().remove("price_requests");
    json["set_aside"][0]
        .as_object_mut()
        .unwrap()
        .remove("ground");
    let back: Order = serde_json::from_value(json).unwrap();
    assert!(back.price_requests.is_empty());
    assert_eq!(back.set_aside[0].ground, SetAsideGround::Irregular);
}

use crate::catalogue::{CallOffMethod, DirectCallOff};

/// With `Both`, orders up to this (HTVA over the contract) are placed directly; `needs()` at
/// the ceilings (6 120,00 €) is above it, so they are re-competed.
const DIRECT_UP_TO: i64 = 500_000;

/// Issue 11 rule 5 (Dir. 2014/24 art. 33(4)(a)): a direct call-off goes to the provider the
/// framework's cascade designates — the first of its ranking still able to perform — never to
/// one the commune chooses; a suspended first-ranked provider passes the order to the next.
#[test]
fn rule_art_33_4_a_the_cascade_designates_the_provider_of_a_direct_call_off() {
    let mut f = framework(CallOffMethod::Direct);
    let award_to = |f: &FrameworkAgreement, provider: Uuid| {
        let mut o = submitted_at(f, now());
        o.direct_award(
            f,
            &[],
            DirectAward {
                provider_id: provider,
                justification: "Prestataire désigné par la cascade de l'accord-cadre".into(),
                college_decision: decision(),
            },
            "dg",
            now(),
            today(),
        )
        .map(|()| o)
    };
    let err = award_to(&f, P2).unwrap_err();
    assert_eq!(err.code(), "not_designated_provider");
    assert_eq!(err.params()["expected"], P1.to_string());
    assert_eq!(award_to(&f, P1).unwrap().status, OrderStatus::Awarded);
    // P1 suspended: the cascade goes down to P2.
    let mut v2 = f.current().unwrap().clone();
    v2.providers[0].status = crate::catalogue::ProviderStatus::Suspended;
    f.publish(v2).unwrap();
    assert_eq!(f.designated_provider(2).unwrap(), P2);
    assert_eq!(award_to(&f, P2).unwrap().award.unwrap().provider_id, P2);
}

/// Issue 11 rule 5 (Dir. 2014/24 art. 33(4)(a); law of 17 June 2016 art. 43 §4 1°): with a
/// rotation written in the framework, the commune's successive direct call-offs go to the
/// parties in turn; the award to anyone else — the first-ranked included — is refused.
#[test]
fn rule_art_33_4_a_the_rotation_designates_the_next_party_in_turn() {
    let mut f = framework(CallOffMethod::Direct);
    f.versions[0].direct_call_off.as_mut().unwrap().rule =
        crate::catalogue::DesignationRule::Rotation;
    let mut done: Vec<Order> = vec![];
    let award_to = |done: &[Order], provider: Uuid| {
        let mut o = submitted_at(&f, now());
        o.direct_award(
            &f,
            done,
            DirectAward {
                provider_id: provider,
                justification: "Prestataire désigné par la rotation de l'accord-cadre".into(),
                college_decision: decision(),
            },
            "dg",
            // Awarded one after the other.
            now() + Duration::minutes(i64::try_from(done.len()).unwrap()),
            today(),
        )
        .map(|()| o)
    };
    done.push(award_to(&done, P1).unwrap());
    let err = award_to(&done, P1).unwrap_err();
    assert_eq!(err.code(), "not_designated_provider");
    assert_eq!(err.params()["expected"], P2.to_string());
    done.push(award_to(&done, P2).unwrap());
    assert_eq!(award_to(&done, P1).unwrap().award.unwrap().provider_id, P1);
}

/// Issue 11 rule 5 (Dir. 2014/24 art. 33(4)(b)): with both methods, the framework's objective
/// threshold decides — directly at or below it, competition above it; the commune does not
/// choose.
#[test]
fn rule_art_33_4_b_the_framework_threshold_decides_direct_or_competition() {
    let f = framework(CallOffMethod::Both);
    // needs() at the ceilings: 6 120,00 € > 5 000,00 €: competition.
    let mut above = submitted_at(&f, now());
    let direct = DirectAward {
        provider_id: P1,
        justification: "Conditions de l'accord-cadre".into(),
        college_decision: decision(),
    };
    let err = above
        .clone()
        .direct_award(&f, &[], direct.clone(), "dg", now(), today())
        .unwrap_err();
    assert_eq!(err.code(), "competition_required");
    assert_eq!(
        err.params(),
        serde_json::json!({"amount_cents": 612_000, "up_to_cents": DIRECT_UP_TO})
    );
    above
        .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap();
    // Set-up only: 4 500,00 € ≤ 5 000,00 €: directly, to the designated provider.
    let mut small = needs();
    small.lines.truncate(1);
    let mut below = Order::new_draft(
        Uuid::now_v7(),
        "84009",
        &f,
        "Mise en service".into(),
        small,
        "a",
        now(),
    )
    .unwrap();
    below
        .submit(
            Some(&active_adhesion()),
            &f,
            Some(launch()),
            "104/123-13",
            "dg",
            now(),
            today(),
        )
        .unwrap();
    let err = below
        .clone()
        .launch_competition(&f, now() + Duration::days(20), 10, now(), today(), "c")
        .unwrap_err();
    assert_eq!(err.code(), "direct_call_off_required");
    below
        .direct_award(&f, &[], direct, "dg", now(), today())
        .unwrap();
    assert_eq!(below.award.unwrap().amount.excl_vat, Cents(450_000));
}

/// Issue 11 rule 5: a framework whose method allows direct call-offs states their conditions
/// (a ranking of its parties; with both methods, the threshold), or it is refused.
#[test]
fn rule_art_33_4_direct_call_offs_need_conditions_in_the_framework() {
    for method in [CallOffMethod::Direct, CallOffMethod::Both] {
        let mut f = FrameworkAgreement {
            id: Uuid::from_u128(10),
            service_id: Uuid::from_u128(11),
            reference: "CA-2025-01".into(),
            title_fr: "E-guichet".into(),
            call_off_method: method,
            versions: vec![],
        };
        let err = f.publish(sample_terms(&[P1, P2])).unwrap_err();
        assert_eq!(err.code(), "direct_call_off_conditions_missing");
        let mut terms = sample_terms(&[P1, P2]);
        terms.direct_call_off = Some(DirectCallOff {
            rule: crate::catalogue::DesignationRule::Cascade,
            ranking: vec![P1, Uuid::from_u128(3)],
            up_to: Some(Cents(1)),
        });
        assert_eq!(f.publish(terms).unwrap_err().code(), "provider_not_party");
    }
    let mut f = framework(CallOffMethod::MiniCompetition);
    let mut o = submitted_at(&f, now());
    // No conditions: no direct call-off, whatever the commune wants.
    f.call_off_method = CallOffMethod::Direct;
    let err = o
        .direct_award(
            &f,
            &[],
            DirectAward {
                provider_id: P1,
                justification: "Choix de la commune, sans condition".into(),
                college_decision: decision(),
            },
            "dg",
            now(),
            today(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "direct_call_off_conditions_missing");
}

/// Issue 11 rule 16 (AR 14 January 2013: the réception définitive follows the guarantee
/// period; convention art. 7): the final acceptance is refused before the provisional one plus
/// the framework's guarantee period, allowed from its last day on.
#[test]
fn rule_16_final_acceptance_only_after_the_guarantee_period() {
    let mut f = framework(CallOffMethod::MiniCompetition);
    f.versions[0].guarantee_months = 12;
    let mut o = draft(&f);
    o.status = OrderStatus::ProvisionallyAccepted;
    o.provisional_acceptance = Some(Acceptance {
        date: date(2026, 2, 28),
        remarks: String::new(),
        by: "dg".into(),
        recorded_at: now(),
    });
    let err = o.check_guarantee(&f, date(2027, 2, 27)).unwrap_err();
    assert_eq!(err.code(), "guarantee_period_running");
    assert_eq!(
        err.params(),
        serde_json::json!({"field": "date", "months": 12, "provisional": "2026-02-28",
                           "earliest": "2027-02-28"})
    );
    assert!(err.to_string().contains("28/02/2027"), "{err}");
    assert!(o.check_guarantee(&f, date(2027, 2, 28)).is_ok());
    // A framework recorded before the rule states no period: nothing to wait.
    f.versions[0].guarantee_months = 0;
    assert!(o.check_guarantee(&f, date(2026, 2, 28)).is_ok());
}

fn manager() -> ContractManager {
    ContractManager {
        name: "Marie Dupont".into(),
        quality: "Responsable informatique".into(),
    }
}

/// Issue 11 rule 16 (AR 14 January 2013 on execution, art. 11; convention d'adhésion, art. 7:
/// the commune names its fonctionnaire dirigeant): the purchase order names him — name and
/// quality required, within the limits; an old client (no field) is refused with the same code.
#[test]
fn rule_16_purchase_order_names_the_fonctionnaire_dirigeant() {
    let f = framework(CallOffMethod::MiniCompetition);
    let awarded = || {
        let mut o = draft(&f);
        o.status = OrderStatus::Awarded;
        o
    };
    // Allowed: name and quality given, recorded on the purchase order.
    let mut o = awarded();
    o.issue_purchase_order("BC-2027-0042".into(), Some(manager()), "centrale", now())
        .unwrap();
    assert_eq!(o.status, OrderStatus::PurchaseOrderIssued);
    assert_eq!(o.purchase_order.unwrap().contract_manager, Some(manager()));
    // Refused: an old client sends none.
    let mut o = awarded();
    let err = o
        .issue_purchase_order("BC-2027-0042".into(), None, "centrale", now())
        .unwrap_err();
    assert_eq!(err.code(), "contract_manager_name_missing");
    assert_eq!(
        err.params(),
        serde_json::json!({"field": "contract_manager_name", "max_chars": 200})
    );
    assert!(o.purchase_order.is_none());
    assert_eq!(o.status, OrderStatus::Awarded);
    // Refused: the quality missing, or the name too long.
    let no_quality = ContractManager {
        quality: String::new(),
        ..manager()
    };
    let err = o
        .issue_purchase_order("BC-1".into(), Some(no_quality), "c", now())
        .unwrap_err();
    assert_eq!(err.code(), "contract_manager_quality_missing");
    assert_eq!(
        err.params(),
        serde_json::json!({"field": "contract_manager_quality", "max_chars": 120})
    );
    let long = ContractManager {
        name: "é".repeat(crate::limits::CONTRACT_MANAGER_NAME_MAX_CHARS + 1),
        ..manager()
    };
    let err = o
        .issue_purchase_order("BC-1".into(), Some(long), "c", now())
        .unwrap_err();
    assert_eq!(err.code(), "contract_manager_name_missing");
    // Exactly at the limit (counted in characters): allowed.
    let at_limit = ContractManager {
        name: "é".repeat(crate::limits::CONTRACT_MANAGER_NAME_MAX_CHARS),
        ..manager()
    };
    o.issue_purchase_order("BC-1".into(), Some(at_limit), "c", now())
        .unwrap();
}

/// A purchase order stored before rule 16 (no fonctionnaire dirigeant) still reads.
#[test]
fn rule_16_stored_purchase_order_without_manager_still_reads() {
    let old = serde_json::json!({"reference": "BC-2026-0001",
        "issued_at": "2026-03-01T10:00:00Z", "issued_by": "centrale"});
    let po: PurchaseOrder = serde_json::from_value(old).unwrap();
    assert_eq!(po.contract_manager, None);
}
