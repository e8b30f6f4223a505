//! Issue 16 point 5: the six months before a framework's end, the 80 % of its maximum value,
//! and which communes use which solutions — dates and amounts on both sides of each limit.

use super::*;
use crate::catalogue::CallOffMethod;
use crate::fixtures::{date, sample_terms};
use crate::money::VatRate;
use crate::offer::tests::needs;
use chrono::TimeZone;
use rust_decimal_macros::dec;
use serde_json::json;

const P1: Uuid = Uuid::from_u128(1);
const SERVICE: Uuid = Uuid::from_u128(11);

fn framework(n: u128, service: Uuid, start: NaiveDate, end: NaiveDate) -> FrameworkAgreement {
    let mut terms = sample_terms(&[P1]);
    terms.start_date = start;
    terms.end_date = end;
    terms.max_value = Some(Cents(1_000_000));
    FrameworkAgreement {
        id: Uuid::from_u128(n),
        service_id: service,
        reference: format!("CA-{n}"),
        title_fr: format!("Accord-cadre {n}"),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![terms],
    }
}

fn awarded(n: u128, f: &FrameworkAgreement, commune: &str, cents: i64) -> Order {
    let mut o = Order::new_draft(
        Uuid::from_u128(n),
        commune,
        f,
        format!("Commande {n}"),
        needs(),
        "agent",
        Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
    )
    .unwrap();
    o.status = OrderStatus::Deploying;
    o.award = Some(
        serde_json::from_value(json!({
            "offer_id": null,
            "provider_id": P1,
            "justification": "Conforme au classement des offres.",
            "college_decision": { "reference": "COL/2026/1", "date": "2026-01-20" },
            "amount": Amount::at_rate(Cents(cents), VatRate::standard()),
            "direct": false,
            "awarded_at": "2026-01-20T09:00:00Z",
            "awarded_by": "dg",
        }))
        .unwrap(),
    );
    o
}

/// Six months ahead: a framework ending on the day six months from today needs its successor
/// prepared; one ending the day after does not yet.
#[test]
fn rule_a_framework_ending_within_six_months_needs_a_successor() {
    let today = date(2026, 12, 3);
    assert_eq!(SUCCESSOR_LEAD_MONTHS, 6);
    assert_eq!(lead_limit(today), date(2027, 6, 3));
    assert_eq!(
        end_status(date(2027, 6, 3), false, today),
        EndStatus::SuccessorNeeded
    );
    assert_eq!(
        end_status(date(2027, 6, 4), false, today),
        EndStatus::Running
    );
    assert_eq!(end_status(today, false, today), EndStatus::SuccessorNeeded);
    // A successor covers it, whenever it ends.
    assert_eq!(
        end_status(date(2027, 6, 3), true, today),
        EndStatus::SuccessorPlanned
    );
    // The end of a month: six months after 31 August is 28 February (or 29).
    assert_eq!(lead_limit(date(2026, 8, 31)), date(2027, 2, 28));
    assert_eq!(
        end_status(date(2027, 3, 1), false, date(2026, 8, 31)),
        EndStatus::Running
    );
}

/// A successor is another framework for the same service starting at the latest the day after
/// the end; one starting two days after leaves a gap, one of another service is no successor.
#[test]
fn rule_a_successor_starts_by_the_day_after_the_end() {
    let current = framework(1, SERVICE, date(2023, 3, 1), date(2027, 2, 28));
    let next_day = framework(2, SERVICE, date(2027, 3, 1), date(2031, 2, 28));
    let overlapping = framework(3, SERVICE, date(2026, 12, 1), date(2030, 11, 30));
    let gap = framework(4, SERVICE, date(2027, 3, 2), date(2031, 3, 1));
    let other_service = framework(5, Uuid::from_u128(99), date(2027, 3, 1), date(2031, 2, 28));
    let older = framework(6, SERVICE, date(2020, 1, 1), date(2023, 2, 28));

    let all = [current.clone(), next_day.clone()];
    assert_eq!(successor(&current, &all).map(|f| f.id), Some(next_day.id));
    let all = [current.clone(), overlapping.clone()];
    assert_eq!(
        successor(&current, &all).map(|f| f.id),
        Some(overlapping.id)
    );
    for no in [gap, other_service, older] {
        let all = [current.clone(), no];
        assert_eq!(successor(&current, &all), None);
    }
    // Never itself.
    assert_eq!(successor(&current, std::slice::from_ref(&current)), None);
}

/// At 80 % of the maximum the consumption is flagged, not a cent before (CJEU C-216/17,
/// C-23/20: beyond the maximum no call-off; `value::check_maximum` refuses it).
#[test]
fn rule_consumption_is_flagged_from_eighty_percent() {
    assert_eq!(CONSUMPTION_ALERT_PERCENT, 80);
    let max = Some(Cents(100_000));
    assert!(!consumption_alert(Cents(79_999), max));
    assert!(consumption_alert(Cents(80_000), max));
    assert!(consumption_alert(Cents(100_000), max));
    assert!(!consumption_alert(Cents(0), max));
    // No stated maximum (records before the rule): never flagged.
    assert!(!consumption_alert(Cents(1_000_000_000), None));
}

#[test]
fn percentages_are_written_as_people_write_them_and_never_claim_the_threshold() {
    assert_eq!(percent(Cents(75), Cents(100)), Some(dec!(75)));
    assert_eq!(percent(Cents(7_996), Cents(10_000)), Some(dec!(79.96)));
    assert_eq!(percent(Cents(79_999), Cents(100_000)), Some(dec!(79.99)));
    assert_eq!(percent(Cents(7_960), Cents(10_000)), Some(dec!(79.6)));
    assert_eq!(percent(Cents(8_040), Cents(10_000)), Some(dec!(80)));
    assert_eq!(percent(Cents(9_997), Cents(10_000)), Some(dec!(99.97)));
    assert_eq!(percent(Cents(3), Cents(10_000)), Some(dec!(0.03)));
    assert_eq!(percent(Cents(0), Cents(10_000)), Some(dec!(0)));
    assert_eq!(percent(Cents(1), Cents(0)), None);
}

/// The whole follow-up: ends (soonest first, in force only), consumption with the flag and
/// each commune's share, and who uses what.
#[test]
fn the_follow_up_puts_together_ends_consumption_and_solutions() {
    let today = date(2026, 12, 3);
    // Ends in five months, no successor.
    let ending = framework(1, SERVICE, date(2023, 5, 3), date(2027, 5, 3));
    // Another service, ends in two years.
    let long = framework(2, Uuid::from_u128(12), date(2025, 1, 1), date(2028, 12, 31));
    // Ended: not in force, not listed among the ends.
    let ended = framework(3, Uuid::from_u128(13), date(2021, 1, 1), date(2025, 12, 31));
    let frameworks = vec![long.clone(), ending.clone(), ended];
    let orders = vec![
        awarded(100, &ending, "84009", 600_000),
        awarded(101, &ending, "81001", 200_000),
        awarded(102, &long, "84009", 50_000),
    ];
    let services = vec![Service {
        id: SERVICE,
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: String::new(),
        description_fr: String::new(),
        category_fr: String::new(),
        framework_id: ending.id,
        added_on: None,
        from_need: None,
    }];
    let t = tracking(
        TrackingRecords {
            frameworks: &frameworks,
            services: &services,
            providers: &[],
            communes: &[],
            orders: &orders,
        },
        today,
    );
    assert_eq!(t.lead_months, 6);
    assert_eq!(t.alert_percent, 80);
    let ends: Vec<_> = t
        .ends
        .iter()
        .map(|e| (e.reference.as_str(), e.days_left, e.status))
        .collect();
    assert_eq!(
        ends,
        [
            ("CA-1", 151, EndStatus::SuccessorNeeded),
            ("CA-2", 759, EndStatus::Running)
        ]
    );
    assert_eq!(t.ends[0].service_name.as_deref(), Some("E-guichet"));

    let c = &t.consumption[0];
    assert_eq!(c.reference, "CA-1");
    assert_eq!(c.consumed.excl_vat, Cents(800_000));
    assert_eq!(c.consumed_percent, Some(dec!(80)));
    assert!(c.alert);
    assert_eq!(c.remaining, Some(Cents(200_000)));
    let per: Vec<_> = c
        .communes
        .iter()
        .map(|u| (u.commune_nis.as_str(), u.percent_of_maximum))
        .collect();
    assert_eq!(per, [("84009", Some(dec!(60))), ("81001", Some(dec!(20)))]);
    assert!(!t.consumption[1].alert);

    assert_eq!(t.solutions.len(), 3);
    assert!(t.solutions.iter().all(|s| s.provider_id == P1));
    assert_eq!(
        t.solutions[0].service_name.as_deref(),
        Some("E-guichet"),
        "{:#?}",
        t.solutions
    );
    assert_eq!(t.solutions[0].status, OrderStatus::Deploying);
    let communes: Vec<_> = t
        .communes
        .iter()
        .map(|c| (c.commune_nis.as_str(), c.solutions.len()))
        .collect();
    assert_eq!(communes, [("81001", 1), ("84009", 2)]);
}
