//! « Suivi des accords-cadres » over a cache filled the way the sync fills it (issue 16 point
//! 5): the end of the frameworks in force, six months ahead, with and without a successor;
//! the consumption and who uses what; « Ce qui vous attend » for the centrale.

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::fixtures::SAMPLE_MAX_VALUE_CENTS;
use centrale_domain::money::Cents;
use centrale_domain::order::OrderStatus;
use centrale_domain::tracking::EndStatus;
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::fixture::{centrale_staff, date, fixture, put, terms, NIS};
use crate::read::WaitingKind;

#[test]
fn a_framework_ending_within_six_months_without_successor_is_to_be_succeeded() {
    let f = fixture();
    // CA-2025-01 ends on 28/02/2029; CA-2022-07 ended on 31/12/2025 (not in force).
    let on = |day| f.store.tracking(day).unwrap();

    let before = on(date(2028, 8, 27));
    assert_eq!(before.ends.len(), 1);
    let e = &before.ends[0];
    assert_eq!(e.reference, "CA-2025-01");
    assert_eq!(e.service_name.as_deref(), Some("E-guichet"));
    assert_eq!(e.end_date, date(2029, 2, 28));
    assert_eq!(e.days_left, 185);
    assert_eq!(e.status, EndStatus::Running);

    let within = on(date(2028, 9, 28));
    assert_eq!(within.ends[0].days_left, 153);
    assert_eq!(within.ends[0].status, EndStatus::SuccessorNeeded);
    assert!(within.ends[0].successor.is_none());

    // Consumption: the deploying order's award (the evaluated one has none, the deleted one
    // is not counted).
    let c = within
        .consumption
        .iter()
        .find(|c| c.reference == "CA-2025-01")
        .unwrap();
    assert_eq!(c.consumed.excl_vat, Cents(612_000));
    assert_eq!(c.maximum, Some(Cents(SAMPLE_MAX_VALUE_CENTS)));
    assert!(!c.alert);
    assert_eq!(c.communes[0].commune_name.as_deref(), Some("Bertrix"));

    // Who uses what: the one awarded call-off, with its provider and its state.
    assert_eq!(within.solutions.len(), 1);
    let s = &within.solutions[0];
    assert_eq!(s.order_id, f.deploying.id);
    assert_eq!(s.provider_id, f.p1.id);
    assert_eq!(s.provider_name.as_deref(), Some("Nuagix SA"));
    assert_eq!(s.framework_reference.as_deref(), Some("CA-2025-01"));
    assert_eq!(s.status, OrderStatus::Deploying);
    assert_eq!(within.communes.len(), 1);
    assert_eq!(within.communes[0].commune_nis, NIS);

    // « Ce qui vous attend »: the centrale is told, a commune's account is not.
    assert!(f
        .store
        .waiting(date(2028, 9, 28))
        .unwrap()
        .iter()
        .all(|w| w.kind != WaitingKind::PrepareSuccessor));
    // The same records on the centrale's PC (signing in as another view would empty this
    // cache: the session is written as the centrale's own sign-in leaves it).
    f.store
        .write(|tx| crate::meta_set(tx, "session", &serde_json::to_string(&centrale_staff())?))
        .unwrap();
    let waiting: Vec<_> = f
        .store
        .waiting(date(2028, 9, 28))
        .unwrap()
        .into_iter()
        .filter(|w| w.kind == WaitingKind::PrepareSuccessor)
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].record_id, f.eguichet.framework_id);
    assert_eq!(waiting[0].title, "CA-2025-01 — E-guichet");
    assert_eq!(waiting[0].end_date, Some(date(2029, 2, 28)));
    assert!(f
        .store
        .waiting(date(2028, 8, 27))
        .unwrap()
        .iter()
        .all(|w| w.kind != WaitingKind::PrepareSuccessor));

    // A successor for the same service from 01/03/2029 (recorded on this PC, not yet sent):
    // « Successeur prévu », nothing waits any more.
    let mut next_terms = terms(1, &[f.p1.id], 18_000, date(2033, 2, 28));
    next_terms.start_date = date(2029, 3, 1);
    let next = FrameworkAgreement {
        id: Uuid::from_u128(210),
        service_id: f.eguichet.id,
        reference: "CA-2029-01".into(),
        title_fr: "E-guichet (suite)".into(),
        call_off_method: centrale_domain::catalogue::CallOffMethod::MiniCompetition,
        versions: vec![next_terms],
    };
    put(
        &f.store,
        RecordKind::Framework,
        &next.id.to_string(),
        &next,
        true,
        false,
    );
    let planned = on(date(2028, 9, 28));
    assert_eq!(planned.ends.len(), 1, "the successor is not in force yet");
    assert_eq!(planned.ends[0].status, EndStatus::SuccessorPlanned);
    assert_eq!(
        planned.ends[0]
            .successor
            .as_ref()
            .map(|s| s.reference.as_str()),
        Some("CA-2029-01")
    );
    assert!(f
        .store
        .waiting(date(2028, 9, 28))
        .unwrap()
        .iter()
        .all(|w| w.kind != WaitingKind::PrepareSuccessor));
}
