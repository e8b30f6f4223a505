//! Issue 11 rules 9 (cost over the contract's life) and 4 (maximum value of a framework).

use super::*;
use crate::catalogue::{CallOffMethod, FrameworkTerms, Widening};
use crate::fixtures::sample_terms;
use crate::money::VatRate;
use crate::offer::tests::needs;
use crate::offer::{price_offer, OfferLineInput};
use chrono::{TimeZone, Utc};
use rust_decimal_macros::dec;
use serde_json::json;

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);

/// Sample terms whose licence line is paid every year, with a maximum value.
fn yearly_terms(max: i64) -> FrameworkTerms {
    let mut t = sample_terms(&[P1, P2]);
    t.price_schedule[1].recurrence = Recurrence::Yearly;
    t.max_value = Some(Cents(max));
    t
}

fn framework(terms: FrameworkTerms) -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    f.publish(terms).unwrap();
    f
}

fn order(f: &FrameworkAgreement, commune: &str) -> Order {
    Order::new_draft(
        Uuid::now_v7(),
        commune,
        f,
        "E-guichet 2027".into(),
        needs(),
        "agent",
        Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap(),
    )
    .unwrap()
}

/// An order of `commune` awarded `cents` excluding VAT (the award read as stored, so the test
/// does not depend on how a decision is recorded).
fn awarded(f: &FrameworkAgreement, commune: &str, cents: i64) -> Order {
    let mut o = order(f, commune);
    o.award = Some(
        serde_json::from_value(json!({
            "offer_id": null,
            "provider_id": P1,
            "justification": "Conforme au classement des offres.",
            "college_decision": { "reference": "COL/2026/1", "date": "2026-11-29" },
            "amount": Amount::at_rate(Cents(cents), VatRate::standard()),
            "direct": false,
            "awarded_at": "2026-11-29T09:00:00Z",
            "awarded_by": "dg",
        }))
        .unwrap(),
    );
    o
}

/// Rule 9 (issue 11; Dir. 2014/24 art. 68 life-cycle cost): a yearly line is priced once per
/// year of the 48-month contract, a monthly line once per month, a one-off line once.
#[test]
fn rule_9_recurring_lines_are_priced_over_the_contract() {
    assert_eq!(Recurrence::OneOff.periods(48), dec!(1));
    assert_eq!(Recurrence::Yearly.periods(48), dec!(4));
    assert_eq!(Recurrence::Monthly.periods(48), dec!(48));
    assert_eq!(Recurrence::Yearly.periods(30), dec!(2.5));
    let terms = yearly_terms(1_000_000_000);
    let inputs = [
        OfferLineInput {
            price_line_code: "setup".into(),
            unit_price_cents: Cents(400_000),
        },
        OfferLineInput {
            price_line_code: "licence".into(),
            unit_price_cents: Cents(15_000),
        },
    ];
    let (lines, total) = price_offer(&terms, &needs().for_tenderers(), &inputs).unwrap();
    assert_eq!(lines[0].periods, dec!(1));
    assert_eq!(lines[0].amount.excl_vat, Cents(400_000));
    // 9 units × 150,00 € × 4 years.
    assert_eq!(lines[1].periods, dec!(4));
    assert_eq!(lines[1].amount.excl_vat, Cents(540_000));
    assert_eq!(total.excl_vat, Cents(940_000));
    assert_eq!(total.incl_vat, Cents(1_137_400));
    // A shorter contract: 24 months, two years of licence.
    let mut short = terms.clone();
    short.contract_months = 24;
    let (_, total) = price_offer(&short, &needs().for_tenderers(), &inputs).unwrap();
    assert_eq!(total.excl_vat, Cents(670_000));
}

/// Rule 9: the direct award and the estimate are the needs at the ceilings over the contract.
#[test]
fn rule_9_amount_at_ceilings_and_estimate_cover_the_contract() {
    let terms = yearly_terms(1_000_000_000);
    // 4 500,00 € once + 9 × 180,00 € × 4.
    assert_eq!(
        needs().amount_at_ceilings(&terms).unwrap().excl_vat,
        Cents(450_000 + 9 * 18_000 * 4)
    );
    let (lines, total) = crate::catalogue::estimate_cost(&terms, 8_844);
    assert_eq!(lines[1].periods, dec!(4));
    assert_eq!(total.excl_vat, Cents(450_000 + 9 * 18_000 * 4));
}

/// Rule 9: a call-off lasts 1 to 48 months, never beyond the four years a framework may last
/// (law of 17 June 2016 art. 43 §3), refused outside with its own code.
#[test]
fn rule_9_contract_duration_between_one_and_48_months() {
    let mut t = yearly_terms(1_000_000_000);
    for ok in [1, 12, 48] {
        t.contract_months = ok;
        assert!(t.validate().is_ok(), "{ok}");
    }
    for refused in [0, 49, 60] {
        t.contract_months = refused;
        let err = t.validate().unwrap_err();
        assert_eq!(err.code(), "contract_months_out_of_range");
        assert_eq!(err.params()["months"], refused);
        assert_eq!(err.params()["max"], 48);
    }
}

/// Rules 9 and 4: records written before the rules still read — price lines one-off, terms of
/// 48 months without a stated maximum, offer lines priced once.
#[test]
fn rules_9_and_4_old_records_still_read() {
    let mut old = serde_json::to_value(sample_terms(&[P1])).unwrap();
    let map = old.as_object_mut().unwrap();
    map.remove("contract_months");
    map.remove("max_value");
    for line in map["price_schedule"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("recurrence");
    }
    let read: FrameworkTerms = serde_json::from_value(old).unwrap();
    assert_eq!(read.contract_months, 48);
    assert_eq!(read.max_value, None);
    assert_eq!(read.price_schedule[1].recurrence, Recurrence::OneOff);
    let line: crate::offer::OfferLine = serde_json::from_value(json!({
        "price_line_code": "setup", "quantity": "1", "unit_price_cents": 100,
        "vat_rate": "21", "amount": Amount::at_rate(Cents(100), VatRate::standard()),
    }))
    .unwrap();
    assert_eq!(line.periods, dec!(1));
}

/// Rule 4 (CJEU C-23/20 Simonsen & Weel): every version published states a positive maximum.
#[test]
fn rule_4_terms_state_a_maximum_value() {
    let mut t = yearly_terms(1_000_000_000);
    assert!(t.validate().is_ok());
    t.max_value = None;
    assert_eq!(t.validate().unwrap_err().code(), "maximum_value_missing");
    t.max_value = Some(Cents(0));
    assert_eq!(t.validate().unwrap_err().code(), "maximum_value_missing");
}

/// Rule 4: the awards consume the maximum, per framework and per commune; orders without an
/// award and orders of other frameworks consume nothing.
#[test]
fn rule_4_awards_consume_the_maximum_per_commune() {
    let f = framework(yearly_terms(5_000_000));
    let mut other = awarded(&f, "84009", 999_999);
    other.framework_id = Uuid::from_u128(99);
    let orders = vec![
        awarded(&f, "84009", 1_000_000),
        awarded(&f, "84009", 500_000),
        awarded(&f, "85011", 2_000_000),
        order(&f, "85011"),
        other,
    ];
    let c = consumption(&f, &orders);
    assert_eq!(c.maximum, Some(Cents(5_000_000)));
    assert_eq!(c.consumed.excl_vat, Cents(3_500_000));
    assert_eq!(c.remaining, Some(Cents(1_500_000)));
    assert_eq!(c.per_commune.len(), 2);
    assert_eq!(c.per_commune[0].commune_nis, "84009");
    assert_eq!(c.per_commune[0].consumed.excl_vat, Cents(1_500_000));
    assert_eq!(c.per_commune[0].orders, 2);
    assert_eq!(c.per_commune[1].consumed.excl_vat, Cents(2_000_000));
}

/// Rule 4 (C-23/20; circular of 28 June 2022): an order whose estimate at the ceilings (over
/// the contract) exceeds what remains is refused when sent; one that fits is allowed.
#[test]
fn rule_4_submission_refused_beyond_what_remains() {
    // The order's estimate: 4 500,00 + 9 × 180,00 × 4 = 10 980,00 € HTVA.
    let estimate = 450_000 + 9 * 18_000 * 4;
    let f = framework(yearly_terms(5_000_000));
    let o = order(&f, "84009");
    let fits = vec![awarded(&f, "85011", 5_000_000 - estimate)];
    assert!(check_submission(&f, &fits, &o).is_ok());
    let full = vec![awarded(&f, "85011", 5_000_000 - estimate + 1)];
    let err = check_submission(&f, &full, &o).unwrap_err();
    assert_eq!(err.code(), "maximum_value_exceeded");
    assert_eq!(
        err.params(),
        json!({ "reference": "CA-2025-01", "maximum_cents": 5_000_000,
                "consumed_cents": 5_000_000 - estimate + 1, "amount_cents": estimate })
    );
    assert!(err.to_string().contains("valeur maximale"), "{err}");
}

/// Rule 4: at the award the amount awarded counts, never the order's own earlier state; once
/// the maximum is reached, nothing more is awarded.
#[test]
fn rule_4_award_refused_once_the_maximum_is_reached() {
    let f = framework(yearly_terms(3_000_000));
    let mut mine = awarded(&f, "84009", 1_000_000);
    let orders = vec![awarded(&f, "85011", 2_000_000), mine.clone()];
    // Its own award is not counted twice.
    assert!(check_maximum(&f, &orders, &mine, Cents(1_000_000)).is_ok());
    mine.id = Uuid::now_v7();
    let err = check_maximum(&f, &orders, &mine, Cents(1)).unwrap_err();
    assert_eq!(err.code(), "maximum_value_exceeded");
}

/// Rule 4: a framework recorded before the rule, without a stated maximum, refuses nothing
/// (the screens say the maximum is not stated); its consumption is still counted.
#[test]
fn rule_4_old_framework_without_maximum_refuses_nothing() {
    let mut f = framework(yearly_terms(3_000_000));
    f.versions[0].max_value = None;
    let orders = vec![awarded(&f, "85011", 900_000_000)];
    let o = order(&f, "84009");
    assert!(check_submission(&f, &orders, &o).is_ok());
    let c = consumption(&f, &orders);
    assert_eq!((c.maximum, c.remaining), (None, None));
    assert_eq!(c.consumed.excl_vat, Cents(900_000_000));
}

/// Rules 4 and 9 with the modification rules (Dir. 2014/24 art. 72(1)(a)): raising the
/// maximum or lengthening the contracts only under a review clause; lowering them, or stating
/// a maximum where a record had none, is a correction.
#[test]
fn rule_4_raising_the_maximum_needs_a_review_clause() {
    let mut f = framework(yearly_terms(3_000_000));
    let correction = Some(crate::catalogue::LegalBasis::Correction {
        note: "Erreur de saisie".into(),
    });
    let mut next = f.current().unwrap().clone();
    next.legal_basis = correction.clone();
    next.max_value = Some(Cents(3_000_001));
    let err = f.publish(next.clone()).unwrap_err();
    assert!(matches!(
        err,
        DomainError::ModificationWithoutReviewClause {
            change: Widening::MaximumRaised { .. }
        }
    ));
    assert_eq!(err.params()["kind"], "maximum_raised");
    next.max_value = Some(Cents(3_000_000));
    next.contract_months = 48;
    let mut shorter = next.clone();
    shorter.contract_months = 36;
    assert_eq!(f.publish(shorter).unwrap(), 2);
    let mut longer = f.current().unwrap().clone();
    longer.legal_basis = correction.clone();
    longer.contract_months = 48;
    let err = f.publish(longer.clone()).unwrap_err();
    assert_eq!(err.params()["kind"], "contract_lengthened");
    longer.legal_basis = Some(crate::catalogue::LegalBasis::ReviewClause {
        clause: "CSC art. 12".into(),
    });
    assert_eq!(f.publish(longer).unwrap(), 3);
    // A record without a maximum states one by a correction.
    f.versions.last_mut().unwrap().max_value = None;
    let mut stated = f.current().unwrap().clone();
    stated.legal_basis = correction;
    stated.max_value = Some(Cents(2_000_000));
    assert_eq!(f.publish(stated).unwrap(), 4);
}
