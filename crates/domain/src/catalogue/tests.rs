//! The catalogue's rules: framework terms, versions and their modifications, estimates.

use super::*;
use crate::fixtures::{date, sample_terms};
use rust_decimal_macros::dec;

#[test]
fn at_most_four_years() {
    let ids = [Uuid::nil(), Uuid::max()];
    let mut t = sample_terms(&ids);
    assert!(t.validate().is_ok());
    t.end_date = date(2029, 3, 1);
    let err = t.validate().unwrap_err();
    assert!(err.to_string().contains("quatre ans"), "{err}");
    t.end_date = date(2025, 2, 1);
    assert!(t.validate().is_err());
}

#[test]
fn weights_must_sum_to_100() {
    let mut t = sample_terms(&[Uuid::nil()]);
    t.award_criteria[1].weight = 30;
    let err = t.validate().unwrap_err();
    assert!(err.to_string().contains("100 (actuellement 90)"));
}

#[test]
fn needs_a_provider_and_distinct_ones() {
    let mut t = sample_terms(&[]);
    assert!(t.validate().is_err());
    t = sample_terms(&[Uuid::nil(), Uuid::nil()]);
    assert!(t.validate().is_err());
}

#[test]
fn refuses_non_positive_ceiling_and_wrong_vat() {
    let mut t = sample_terms(&[Uuid::nil()]);
    t.price_schedule[0].ceiling_cents = Cents(0);
    assert!(t.validate().is_err());
    let mut t = sample_terms(&[Uuid::nil()]);
    t.price_schedule[0].vat_rate = VatRate(dec!(19.6));
    assert!(t.validate().is_err());
}

#[test]
fn versions_append_and_keep_history() {
    let mut f = FrameworkAgreement {
        id: Uuid::now_v7(),
        service_id: Uuid::now_v7(),
        reference: "CA-1".into(),
        title_fr: "Test".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    assert!(f.current().is_err());
    assert_eq!(f.publish(sample_terms(&[Uuid::nil()])).unwrap(), 1);
    let mut v2 = sample_terms(&[Uuid::nil()]);
    v2.price_schedule[0].ceiling_cents = Cents(500_000);
    v2.legal_basis = Some(clause());
    assert_eq!(f.publish(v2).unwrap(), 2);
    assert_eq!(
        f.version(1).unwrap().price_schedule[0].ceiling_cents,
        Cents(450_000)
    );
    assert_eq!(
        f.current().unwrap().price_schedule[0].ceiling_cents,
        Cents(500_000)
    );
    let mut moved = sample_terms(&[Uuid::nil()]);
    moved.start_date = date(2025, 4, 1);
    assert!(f.publish(moved).is_err());
    assert_eq!(f.versions.len(), 2);
}

#[test]
fn in_force_period_is_inclusive() {
    let mut f = FrameworkAgreement {
        id: Uuid::now_v7(),
        service_id: Uuid::now_v7(),
        reference: "CA-1".into(),
        title_fr: "Test".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    f.publish(sample_terms(&[Uuid::nil()])).unwrap();
    assert!(f.check_in_force(date(2029, 2, 28)).is_ok());
    let err = f.check_in_force(date(2029, 3, 1)).unwrap_err();
    assert_eq!(err.code(), "framework_not_in_force");
    assert!(err.to_string().contains("28/02/2029"));
    assert!(f.check_in_force(date(2025, 2, 28)).is_err());
}

#[test]
fn estimate_uses_population() {
    let t = sample_terms(&[Uuid::nil()]);
    let (lines, total) = estimate_cost(&t, 8_844);
    assert_eq!(lines[1].quantity, dec!(9));
    assert_eq!(total.excl_vat, Cents(450_000 + 9 * 18_000));
    // 6 120,00 € HTVA × 1,21 = 7 405,20 € TVAC
    assert_eq!(total.incl_vat, Cents(740_520));
}

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);
const P3: Uuid = Uuid::from_u128(3);

fn clause() -> LegalBasis {
    LegalBasis::ReviewClause {
        clause: "CSC art. 12 — révision des prix".into(),
    }
}

fn concluded() -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::now_v7(),
        service_id: Uuid::now_v7(),
        reference: "CA-1".into(),
        title_fr: "Test".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    f.publish(sample_terms(&[P1, P2])).unwrap();
    f
}

fn next(f: &FrameworkAgreement, basis: Option<LegalBasis>) -> FrameworkTerms {
    let mut t = f.current().unwrap().clone();
    t.legal_basis = basis;
    t
}

/// Dir. 2014/24 art. 33(2), law of 17 June 2016 art. 43: only the operators party to the
/// framework as concluded; whatever the basis, a new version adds no provider.
#[test]
fn rule_art_33_2_a_new_version_adds_no_provider() {
    for basis in [
        None,
        Some(clause()),
        Some(LegalBasis::Correction {
            note: "Coquille".into(),
        }),
    ] {
        let mut f = concluded();
        let mut v2 = next(&f, basis);
        v2.providers.push(FrameworkProvider {
            provider_id: P3,
            status: ProviderStatus::Active,
        });
        let err = f.publish(v2).unwrap_err();
        assert_eq!(err.code(), "provider_not_party");
        assert_eq!(err.params()["provider"], serde_json::json!(P3));
        assert_eq!(f.versions.len(), 1);
    }
    // A party is not struck out either: it is suspended.
    let mut f = concluded();
    let mut v2 = next(&f, None);
    v2.providers.remove(0);
    let err = f.publish(v2).unwrap_err();
    assert_eq!(err.code(), "party_provider_removed");
    assert_eq!(err.params()["provider"], serde_json::json!(P1));
}

/// Dir. 2014/24 art. 72(1)(d)(ii), CJEU C-461/20 Advania: a successor by restructuring takes
/// a party's place; it is invited on orders pinned before the succession too, the
/// predecessor never again.
#[test]
fn rule_art_72_1_d_ii_a_successor_takes_the_place_of_a_party() {
    let mut f = concluded();
    let v2 = next(
        &f,
        Some(LegalBasis::Succession {
            predecessor: P1,
            successor: P3,
            act: "Fusion par absorption, Moniteur belge du 03/02/2026".into(),
        }),
    );
    assert_eq!(f.publish(v2).unwrap(), 2);
    let v2 = f.current().unwrap();
    assert_eq!(v2.active_providers(), vec![P2, P3]);
    assert_eq!(v2.providers[0].status, ProviderStatus::Replaced);
    assert_eq!(f.callable_providers(1).unwrap(), vec![P3, P2]);
    assert_eq!(f.callable_providers(2).unwrap(), vec![P2, P3]);
    // The predecessor does not come back, and the successor is not a party twice over.
    let mut back = next(&f, None);
    back.providers[0].status = ProviderStatus::Active;
    assert_eq!(
        f.publish(back).unwrap_err().code(),
        "replaced_provider_returns"
    );
    let again = next(
        &f,
        Some(LegalBasis::Succession {
            predecessor: P1,
            successor: Uuid::from_u128(4),
            act: "Reprise".into(),
        }),
    );
    assert_eq!(
        f.publish(again).unwrap_err().code(),
        "predecessor_not_party"
    );
    let not_party = next(
        &f,
        Some(LegalBasis::Succession {
            predecessor: Uuid::from_u128(9),
            successor: Uuid::from_u128(4),
            act: "Reprise".into(),
        }),
    );
    assert_eq!(
        f.publish(not_party).unwrap_err().code(),
        "predecessor_not_party"
    );
}

/// Dir. 2014/24 art. 72(1)(a), AR 14 January 2013 (modifications): a ceiling is raised only
/// under a review clause of the framework; a correction or no basis is refused.
#[test]
fn rule_art_72_1_a_a_ceiling_is_raised_only_under_a_review_clause() {
    for basis in [
        None,
        Some(LegalBasis::Correction {
            note: "Coquille".into(),
        }),
    ] {
        let mut f = concluded();
        let mut v2 = next(&f, basis);
        v2.price_schedule[1].ceiling_cents = Cents(19_000);
        let err = f.publish(v2).unwrap_err();
        assert_eq!(err.code(), "modification_without_review_clause");
        let params = err.params();
        assert_eq!(params["kind"], "ceiling_raised");
        assert_eq!(params["code"], "licence");
        assert_eq!(params["before_cents"], 18_000);
        assert_eq!(params["after_cents"], 19_000);
        assert!(err.to_string().contains("clause de révision"), "{err}");
    }
    let mut f = concluded();
    let mut v2 = next(&f, Some(clause()));
    v2.price_schedule[1].ceiling_cents = Cents(19_000);
    assert_eq!(f.publish(v2).unwrap(), 2);
    let mut empty = next(&f, Some(LegalBasis::ReviewClause { clause: " ".into() }));
    empty.price_schedule[1].ceiling_cents = Cents(20_000);
    assert_eq!(
        f.publish(empty).unwrap_err().code(),
        "review_clause_missing"
    );
}

/// Dir. 2014/24 art. 67(5), art. 33(5)(d), art. 72(1)(a): the price formula is part of the
/// award method stated in the framework's documents; another formula in a later version is
/// refused without a review clause (a correction or no basis), allowed under one.
#[test]
fn rule_art_67_5_the_price_formula_changes_only_under_a_review_clause() {
    use crate::evaluation::PriceFormula;
    for basis in [
        None,
        Some(LegalBasis::Correction {
            note: "Formule".into(),
        }),
    ] {
        let mut f = concluded();
        let mut v2 = next(&f, basis);
        v2.price_formula = PriceFormula::AgainstCeiling;
        let err = f.publish(v2).unwrap_err();
        assert_eq!(err.code(), "modification_without_review_clause");
        assert_eq!(err.params()["kind"], "price_formula_changed");
        assert_eq!(err.params()["before"], "relative");
        assert_eq!(err.params()["after"], "against_ceiling");
    }
    let mut f = concluded();
    let mut v2 = next(&f, Some(clause()));
    v2.price_formula = PriceFormula::AgainstCeiling;
    assert_eq!(f.publish(v2).unwrap(), 2);
    assert_eq!(
        f.current().unwrap().price_formula,
        PriceFormula::AgainstCeiling
    );
}

/// Dir. 2014/24 art. 72(1)(a): a price line (more scope) is added only under a review clause.
#[test]
fn rule_art_72_1_a_a_price_line_is_added_only_under_a_review_clause() {
    let mut f = concluded();
    let mut v2 = next(
        &f,
        Some(LegalBasis::Correction {
            note: "Oubli".into(),
        }),
    );
    let mut line = v2.price_schedule[0].clone();
    line.code = "training".into();
    v2.price_schedule.push(line);
    let err = f.publish(v2.clone()).unwrap_err();
    assert_eq!(err.code(), "modification_without_review_clause");
    assert_eq!(err.params()["kind"], "line_added");
    v2.legal_basis = Some(clause());
    assert_eq!(f.publish(v2).unwrap(), 2);
}

/// Dir. 2014/24 art. 72(1)(a) and art. 33(1): the end date moves later only under a review
/// clause, and never beyond four years from the start.
#[test]
fn rule_art_72_1_a_the_end_is_extended_only_under_a_review_clause_within_four_years() {
    let mut f = concluded();
    let mut v2 = next(&f, None);
    v2.end_date = date(2028, 2, 28);
    v2.legal_basis = Some(LegalBasis::Correction {
        note: "Date erronée".into(),
    });
    assert_eq!(f.publish(v2).unwrap(), 2, "shortening is a correction");
    let mut v3 = next(&f, None);
    v3.end_date = date(2029, 2, 28);
    let err = f.publish(v3.clone()).unwrap_err();
    assert_eq!(err.code(), "modification_without_review_clause");
    assert_eq!(err.params()["kind"], "end_extended");
    assert_eq!(err.params()["after"], "2029-02-28");
    v3.legal_basis = Some(clause());
    assert_eq!(f.publish(v3).unwrap(), 3);
    let mut v4 = next(&f, Some(clause()));
    v4.end_date = date(2029, 3, 1);
    assert!(f
        .publish(v4)
        .unwrap_err()
        .to_string()
        .contains("quatre ans"));
}

/// Dir. 2014/24 art. 72: every modification states its basis; a correction may lower a
/// ceiling. Suspending or reinstating a party changes no term and needs none (it only
/// excludes from new call-offs).
#[test]
fn rule_art_72_a_modification_states_its_basis_except_a_suspension() {
    let mut f = concluded();
    let mut lower = next(&f, None);
    lower.price_schedule[0].ceiling_cents = Cents(400_000);
    let err = f.publish(lower.clone()).unwrap_err();
    assert_eq!(err.code(), "legal_basis_missing");
    assert_eq!(err.params()["field"], "legal_basis");
    lower.legal_basis = Some(LegalBasis::Correction {
        note: "Erreur de frappe".into(),
    });
    assert_eq!(f.publish(lower).unwrap(), 2);
    let mut suspend = next(&f, None);
    suspend.providers[1].status = ProviderStatus::Suspended;
    suspend.change_note = "Suspension".into();
    assert_eq!(f.publish(suspend).unwrap(), 3);
    assert_eq!(f.callable_providers(1).unwrap(), vec![P1]);
    let mut reinstate = next(&f, None);
    reinstate.providers[1].status = ProviderStatus::Active;
    assert_eq!(f.publish(reinstate).unwrap(), 4);
}

/// A fixed quantity is read exactly: a JSON float would pass through a binary float.
#[test]
fn a_fixed_quantity_is_read_exactly() {
    let exact: QuantityEstimate =
        serde_json::from_value(serde_json::json!({"basis": "fixed", "quantity": "1.5"})).unwrap();
    assert_eq!(
        exact,
        QuantityEstimate::Fixed {
            quantity: dec!(1.5)
        }
    );
    assert!(serde_json::from_value::<QuantityEstimate>(
        serde_json::json!({"basis": "fixed", "quantity": 1.5})
    )
    .is_err());
}

#[test]
fn call_off_methods() {
    assert!(CallOffMethod::Both.allows_direct() && CallOffMethod::Both.allows_mini_competition());
    assert!(!CallOffMethod::Direct.allows_mini_competition());
    assert!(!CallOffMethod::MiniCompetition.allows_direct());
}
