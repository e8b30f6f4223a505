//! Issue 11 rule 5: the designation of a direct call-off's provider, cascade and rotation
//! (Dir. 2014/24 art. 33(4)(a); law of 17 June 2016 art. 43 §4 1°).

use super::*;
use crate::adhesion::{Decision, Organ};
use crate::catalogue::{
    CallOffMethod, DesignationRule, DirectCallOff, FrameworkTerms, LegalBasis, ProviderStatus,
};
use crate::decide::catalogue::{publish_framework_version, FrameworkChange};
use crate::fixtures::{date, sample_terms};
use crate::money::Amount;
use crate::order::Award;
use crate::permission::Actor;
use crate::role::Role;
use chrono::{DateTime, Duration, TimeZone, Utc};

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);
const P3: Uuid = Uuid::from_u128(3);
const P9: Uuid = Uuid::from_u128(9);
const ANS: &str = "57001";
const HUY: &str = "61031";

fn framework(rule: DesignationRule) -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2026-21".into(),
        title_fr: "Salles".into(),
        call_off_method: CallOffMethod::Direct,
        versions: vec![],
    };
    let mut terms = sample_terms(&[P1, P2, P3]);
    terms.direct_call_off = Some(DirectCallOff {
        ranking: vec![P1, P2, P3],
        rule,
        up_to: None,
    });
    f.publish(terms).unwrap();
    f
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap()
}

/// An order of `commune` under `f`, awarded to `provider` on `day` (directly or not).
fn awarded(f: &FrameworkAgreement, commune: &str, provider: Uuid, day: u32, direct: bool) -> Order {
    let mut o = Order::new_draft(
        Uuid::now_v7(),
        commune,
        f,
        format!("Commande du {day}"),
        crate::offer::tests::needs(),
        "agent",
        at(day),
    )
    .unwrap();
    o.award = Some(Award {
        offer_id: None,
        provider_id: provider,
        justification: "Prestataire désigné par l'accord-cadre".into(),
        college_decision: Decision {
            organ: Organ::College,
            reference: "COL/1".into(),
            date: date(2026, 11, day),
            financial_opinion: None,
        },
        amount: Amount::default(),
        direct,
        awarded_at: at(day) + Duration::hours(1),
        awarded_by: "dg".into(),
    });
    o
}

fn next(f: &FrameworkAgreement, commune: &str, orders: &[Order]) -> Uuid {
    designate(f, f.current().unwrap().version, commune, orders)
        .unwrap()
        .provider_id
}

/// Art. 33(4)(a), rotation: each commune's direct call-offs go to the parties in turn, in the
/// order of the ranking, then round again; counted per commune (see the module's comment):
/// Huy's first call-off goes to the first-ranked whatever Ans ordered.
#[test]
fn rule_art_33_4_a_rotation_designates_the_parties_in_turn_per_commune() {
    let f = framework(DesignationRule::Rotation);
    let mut orders = vec![];
    let first = designate(&f, 1, ANS, &orders).unwrap();
    assert_eq!(
        (first.provider_id, first.rank, first.previous),
        (P1, 1, None)
    );
    orders.push(awarded(&f, ANS, P1, 2, true));
    let second = designate(&f, 1, ANS, &orders).unwrap();
    assert_eq!((second.provider_id, second.rank), (P2, 2));
    assert_eq!(second.previous.as_ref().unwrap().provider_id, P1);
    assert_eq!(second.previous.unwrap().order_id, orders[0].id);
    // Another commune starts its own turn.
    assert_eq!(next(&f, HUY, &orders), P1);
    orders.push(awarded(&f, HUY, P1, 3, true));
    orders.push(awarded(&f, ANS, P2, 4, true));
    assert_eq!(next(&f, ANS, &orders), P3);
    assert_eq!(next(&f, HUY, &orders), P2);
    orders.push(awarded(&f, ANS, P3, 5, true));
    // After the last of the ranking, the first again.
    assert_eq!(next(&f, ANS, &orders), P1);
}

/// Only the commune's direct call-offs under this framework count: an award after a
/// competition, or under another framework, does not move the turn.
#[test]
fn rule_art_33_4_a_rotation_counts_only_direct_call_offs_under_the_framework() {
    let f = framework(DesignationRule::Rotation);
    let mut other = framework(DesignationRule::Rotation);
    other.id = Uuid::from_u128(20);
    let orders = vec![
        awarded(&f, ANS, P1, 2, true),
        awarded(&f, ANS, P3, 3, false),
        awarded(&other, ANS, P2, 4, true),
    ];
    assert_eq!(next(&f, ANS, &orders), P2);
}

/// Art. 33(4)(a), rotation: a party that cannot take a call-off now (suspended) is passed
/// over, and the turn goes on after the one designated.
#[test]
fn rule_art_33_4_a_rotation_passes_over_a_suspended_party() {
    let mut f = framework(DesignationRule::Rotation);
    let mut v2 = f.current().unwrap().clone();
    v2.providers[1].status = ProviderStatus::Suspended;
    f.publish(v2).unwrap();
    let orders = vec![awarded(&f, ANS, P1, 2, true)];
    let d = designate(&f, 2, ANS, &orders).unwrap();
    assert_eq!((d.provider_id, d.rank, d.passed_over), (P3, 3, vec![P2]));
}

/// Dir. 2014/24 art. 72(1)(d)(ii): a successor takes its predecessor's place in the turn — the
/// call-off after the predecessor's goes to the next party, and the successor's turn comes
/// where the predecessor's would have.
#[test]
fn rule_art_72_1_d_rotation_follows_a_succession() {
    let mut f = framework(DesignationRule::Rotation);
    let mut v2 = f.current().unwrap().clone();
    v2.legal_basis = Some(LegalBasis::Succession {
        predecessor: P1,
        successor: P9,
        act: "Fusion publiée au Moniteur du 03/02/2026".into(),
    });
    v2.change_note = "Reprise de P1 par P9.".into();
    f.publish(v2).unwrap();
    // The new version's ranking names the successor.
    assert_eq!(
        f.current()
            .unwrap()
            .direct_call_off
            .as_ref()
            .unwrap()
            .ranking,
        vec![P9, P2, P3]
    );
    let mut orders = vec![awarded(&f, ANS, P1, 2, true)];
    // Pinned to version 1 or 2: the same turn.
    assert_eq!(designate(&f, 1, ANS, &orders).unwrap().provider_id, P2);
    assert_eq!(next(&f, ANS, &orders), P2);
    orders.push(awarded(&f, ANS, P2, 3, true));
    orders.push(awarded(&f, ANS, P3, 4, true));
    assert_eq!(next(&f, ANS, &orders), P9);
    assert_eq!(designate(&f, 1, ANS, &orders).unwrap().provider_id, P9);
}

/// Art. 33(4)(a), cascade: always the first-ranked still able to perform, whatever the
/// commune's previous call-offs.
#[test]
fn rule_art_33_4_a_the_cascade_ignores_previous_call_offs() {
    let f = framework(DesignationRule::Cascade);
    let orders = vec![awarded(&f, ANS, P1, 2, true)];
    let d = designate(&f, 1, ANS, &orders).unwrap();
    assert_eq!(
        (d.rule, d.provider_id, d.previous),
        (DesignationRule::Cascade, P1, None)
    );
}

/// No party able to perform: refused; no conditions: refused.
#[test]
fn nobody_designatable_and_no_conditions_are_refused() {
    let mut f = framework(DesignationRule::Rotation);
    let mut v2 = f.current().unwrap().clone();
    for p in &mut v2.providers {
        p.status = ProviderStatus::Suspended;
    }
    f.publish(v2).unwrap();
    assert_eq!(
        designate(&f, 2, ANS, &[]).unwrap_err().code(),
        "no_designatable_provider"
    );
    let mut bare = framework(DesignationRule::Cascade);
    bare.versions[0].direct_call_off = None;
    assert_eq!(
        designate(&bare, 1, ANS, &[]).unwrap_err().code(),
        "direct_call_off_conditions_missing"
    );
}

/// Records written before the choice: cascade.
#[test]
fn old_conditions_without_a_rule_read_as_a_cascade() {
    let old: DirectCallOff =
        serde_json::from_value(serde_json::json!({ "ranking": [P1, P2], "up_to": null })).unwrap();
    assert_eq!(old.rule, DesignationRule::Cascade);
    let new: DirectCallOff = serde_json::from_value(
        serde_json::json!({ "ranking": [P1], "up_to": null, "rule": "rotation" }),
    )
    .unwrap();
    assert_eq!(new.rule, DesignationRule::Rotation);
}

fn centrale() -> Actor {
    Actor {
        user_id: "centrale".into(),
        display_name: "Centrale".into(),
        role: Role::CentraleStaff,
        commune_nis: None,
        provider_id: None,
        gender: Default::default(),
    }
}

fn change<'a>(basis: Option<&'a LegalBasis>) -> FrameworkChange<'a> {
    FrameworkChange {
        change_note: "Les commandes directes se font désormais par rotation.",
        legal_basis: basis,
        designation_rule: Some(DesignationRule::Rotation),
        ..Default::default()
    }
}

/// Dir. 2014/24 art. 72(1)(a) with art. 33(4)(a): how the provider of a direct call-off is
/// designated is a condition of the concluded framework; a new version changes it only under
/// a review clause written in the framework — not without a basis, not as a correction.
#[test]
fn rule_art_72_1_a_changing_the_designation_rule_needs_a_review_clause() {
    let f = framework(DesignationRule::Cascade);
    let providers = [];
    let refused = |basis: Option<&LegalBasis>| {
        let err =
            publish_framework_version(&centrale(), Some(&f), &providers, &change(basis), at(20))
                .unwrap_err();
        (
            err.code().as_str(),
            err.params()["before"].clone(),
            err.params()["after"].clone(),
        )
    };
    let expected = (
        "designation_rule_changed",
        "cascade".into(),
        "rotation".into(),
    );
    assert_eq!(refused(None), expected);
    let correction = LegalBasis::Correction {
        note: "Erreur dans le cahier des charges.".into(),
    };
    assert_eq!(refused(Some(&correction)), expected);
    let clause = LegalBasis::ReviewClause {
        clause: "CSC art. 14 — modalités des commandes directes".into(),
    };
    let out = publish_framework_version(
        &centrale(),
        Some(&f),
        &providers,
        &change(Some(&clause)),
        at(20),
    )
    .unwrap();
    let terms: &FrameworkTerms = out.current().unwrap();
    assert_eq!(
        terms.direct_call_off.as_ref().unwrap().rule,
        DesignationRule::Rotation
    );
    // The same rule again is no change.
    let same = FrameworkChange {
        designation_rule: Some(DesignationRule::Cascade),
        ..change(Some(&correction))
    };
    assert!(publish_framework_version(&centrale(), Some(&f), &providers, &same, at(20)).is_ok());
    // A framework without direct call-offs has no rule to choose.
    let mut bare = framework(DesignationRule::Cascade);
    bare.call_off_method = CallOffMethod::MiniCompetition;
    bare.versions[0].direct_call_off = None;
    let err = publish_framework_version(
        &centrale(),
        Some(&bare),
        &providers,
        &change(Some(&clause)),
        at(20),
    )
    .unwrap_err();
    assert_eq!(err.code(), "direct_call_off_conditions_missing");
}
