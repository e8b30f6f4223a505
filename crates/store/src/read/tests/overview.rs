//! The centrale's overview over hand-made records: counts, amounts in cents, medians, the
//! 20-day promise (in Brussels days) and adhesions month by month.

use std::str::FromStr;

use centrale_domain::adhesion::{
    Adhesion, AdhesionStatus, CollegeDecision, ConventionTemplate, Termination,
};
use centrale_domain::catalogue::Service;
use centrale_domain::commune::Commune;
use centrale_domain::money::{Amount, Cents, VatRate};
use centrale_domain::order::{Award, Order, OrderStatus};
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::read::overview::{median, percent};
use crate::read::*;
use crate::Store;

use super::fixture::{commune_until, date, order, put};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("c.db")).unwrap();
    (dir, store)
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn service(n: u128, name: &str) -> Service {
    Service {
        id: Uuid::from_u128(n),
        code: format!("s{n}"),
        name_fr: name.into(),
        summary_fr: String::new(),
        description_fr: String::new(),
        category_fr: "Administration électronique".into(),
        framework_id: Uuid::from_u128(n + 100),
        added_on: None,
        from_need: None,
    }
}

fn commune(nis: &str, name: &str) -> Commune {
    commune_until(nis, name, None)
}

/// An order of `nis` for `service`, sent at `submitted`, awarded at `awarded` for `cents`
/// excluding VAT.
fn sent(
    n: u128,
    nis: &str,
    service: &Service,
    status: OrderStatus,
    submitted: DateTime<Utc>,
    award: Option<(DateTime<Utc>, i64)>,
) -> Order {
    let mut o = order(n, service, status, &format!("Commande {n}"));
    o.commune_nis = nis.into();
    o.submitted_at = (status != OrderStatus::Draft).then_some(submitted);
    o.award = award.map(|(at, cents)| Award {
        offer_id: Some(Uuid::from_u128(n + 1_000)),
        provider_id: Uuid::from_u128(1),
        justification: "Offre classée première.".into(),
        college_decision: CollegeDecision {
            reference: format!("COL/{n}"),
            date: at.date_naive(),
            organ: Default::default(),
            financial_opinion: None,
        },
        amount: Amount::at_rate(Cents(cents), VatRate::standard()),
        direct: false,
        awarded_at: at,
        awarded_by: "dg".into(),
    });
    o
}

fn put_order(store: &Store, o: &Order, deleted: bool) {
    put(
        store,
        RecordKind::Order,
        &o.id.to_string(),
        o,
        false,
        deleted,
    );
}

/// Writes `orders` to the cache as synced, not deleted records.
fn put_orders(store: &Store, orders: &[Order]) {
    for o in orders {
        put_order(store, o, false);
    }
}

fn adhesion(
    n: u128,
    nis: &str,
    template: &ConventionTemplate,
    status: AdhesionStatus,
    activated: Option<DateTime<Utc>>,
    notice: Option<chrono::NaiveDate>,
) -> Adhesion {
    let mut a = Adhesion::draft(Uuid::from_u128(n), nis, template);
    a.status = status;
    a.activated_at = activated;
    a.termination = notice.map(|d| Termination {
        notice_date: d,
        effective_date: d + chrono::Months::new(3),
        reason: "Regroupement".into(),
        by: "dg".into(),
        director_general_signature: None,
        mayor_signature: None,
    });
    a
}

#[test]
fn median_of_odd_and_even_counts_and_percent_as_people_write_it() {
    assert_eq!(median(&mut [5, 1, 3]), Some(dec("3")));
    assert_eq!(median(&mut [4, 1, 3, 2]), Some(dec("2.5")));
    assert_eq!(median(&mut [20, 10]), Some(dec("15")));
    assert_eq!(median(&mut []), None);
    // As people write them (issue 15.7): whole numbers, never « 100 % » of not everything nor
    // « 0 % » of something.
    assert_eq!(percent(3, 4).unwrap().to_string(), "75");
    assert_eq!(percent(2, 3).unwrap().to_string(), "67");
    assert_eq!(percent(4, 4).unwrap().to_string(), "100");
    assert_eq!(percent(0, 4).unwrap().to_string(), "0");
    assert_eq!(percent(299, 300).unwrap().to_string(), "99.7");
    assert_eq!(percent(1, 300).unwrap().to_string(), "0.3");
    assert_eq!(percent(1, 3000).unwrap().to_string(), "0.03");
    assert_eq!(percent(0, 0), None);
}

#[test]
fn overview_counts_orders_amounts_award_time_and_adhesions() {
    let (_dir, store) = store();
    let eguichet = service(100, "E-guichet");
    let cameras = service(101, "Caméras");
    for s in [&eguichet, &cameras] {
        put(
            &store,
            RecordKind::Service,
            &s.id.to_string(),
            s,
            false,
            false,
        );
    }
    let mut merged = commune("84999", "Ancienne commune");
    merged.valid_until = Some(date(2018, 12, 31));
    for c in [
        commune("84009", "Bertrix"),
        commune("81001", "Arlon"),
        commune("84010", "Bouillon"),
        commune("84029", "Herbeumont"),
        merged,
    ] {
        put(
            &store,
            RecordKind::Commune,
            c.nis_code.as_str(),
            &c,
            false,
            false,
        );
    }

    put_orders(
        &store,
        &[
            // Bertrix: 10 days; then exactly 20 days in Brussels (23:30 UTC on the 24th is
            // 00:30 on the 25th in Brussels; 19 days by UTC days).
            sent(
                1,
                "84009",
                &eguichet,
                OrderStatus::Deploying,
                utc(2026, 1, 2, 8, 0),
                Some((utc(2026, 1, 12, 9, 0), 612_000)),
            ),
            sent(
                2,
                "84009",
                &eguichet,
                OrderStatus::Awarded,
                utc(2026, 1, 5, 8, 0),
                Some((utc(2026, 1, 24, 23, 30), 100_050)),
            ),
            // Arlon: 21 days in Brussels (20 by UTC days), then 33 days, awarded in April.
            sent(
                3,
                "81001",
                &cameras,
                OrderStatus::PurchaseOrderIssued,
                utc(2026, 2, 1, 10, 0),
                Some((utc(2026, 2, 21, 23, 30), 250_000)),
            ),
            sent(
                4,
                "81001",
                &eguichet,
                OrderStatus::Awarded,
                utc(2026, 3, 1, 9, 0),
                Some((utc(2026, 4, 3, 9, 0), 400_000)),
            ),
            // Bouillon: an open competition and a cancelled request (orders, not awarded).
            sent(
                5,
                "84010",
                &cameras,
                OrderStatus::CompetitionOpen,
                utc(2026, 2, 3, 9, 0),
                None,
            ),
            sent(
                6,
                "84010",
                &cameras,
                OrderStatus::Cancelled,
                utc(2026, 2, 4, 9, 0),
                None,
            ),
            // Not counted: a draft, and the deleted order below (even awarded).
            sent(
                7,
                "84009",
                &cameras,
                OrderStatus::Draft,
                utc(2026, 2, 4, 9, 0),
                None,
            ),
        ],
    );
    put_order(
        &store,
        &sent(
            8,
            "81001",
            &cameras,
            OrderStatus::Awarded,
            utc(2026, 2, 4, 9, 0),
            Some((utc(2026, 2, 6, 9, 0), 999_999)),
        ),
        true,
    );

    // Adhesions: Bertrix active since November; Arlon active since 1 February in Brussels
    // (31 January 23:30 UTC); Bouillon active in November, notice given in January, then a
    // new draft; Herbeumont none.
    let template = ConventionTemplate::new(
        Uuid::from_u128(300),
        1,
        "Convention".into(),
        "Article 1.".into(),
    );
    for a in [
        adhesion(
            400,
            "84009",
            &template,
            AdhesionStatus::Active,
            Some(utc(2025, 11, 10, 9, 0)),
            None,
        ),
        adhesion(
            401,
            "84010",
            &template,
            AdhesionStatus::Terminated,
            Some(utc(2025, 11, 20, 9, 0)),
            Some(date(2026, 1, 15)),
        ),
        adhesion(
            402,
            "81001",
            &template,
            AdhesionStatus::Active,
            Some(utc(2026, 1, 31, 23, 30)),
            None,
        ),
        adhesion(403, "84010", &template, AdhesionStatus::Draft, None, None),
    ] {
        put(
            &store,
            RecordKind::Adhesion,
            &a.id.to_string(),
            &a,
            false,
            false,
        );
    }

    let today = date(2026, 4, 10);
    let o = store.overview(today).unwrap();
    assert_eq!(o.today, today);

    // Totals: six orders (the draft and the deleted one left out), four awarded.
    assert_eq!(
        o.totals,
        OverviewTotals {
            orders: 6,
            awarded: 4,
            awarded_excl_vat: Cents(612_000 + 100_050 + 250_000 + 400_000),
            communes_active: 2,
            communes_total: 4,
        }
    );

    // Per commune: most orders first, then the largest amount.
    let communes: Vec<(&str, Option<&str>, u32, u32, i64)> = o
        .communes
        .iter()
        .map(|c| {
            (
                c.commune_nis.as_str(),
                c.commune_name.as_deref(),
                c.orders,
                c.awarded,
                c.awarded_excl_vat.0,
            )
        })
        .collect();
    assert_eq!(
        communes,
        [
            ("84009", Some("Bertrix"), 2, 2, 712_050),
            ("81001", Some("Arlon"), 2, 2, 650_000),
            ("84010", Some("Bouillon"), 2, 0, 0),
        ]
    );

    // Per service.
    let services: Vec<(Option<&str>, u32, u32, i64)> = o
        .services
        .iter()
        .map(|s| {
            (
                s.service_name.as_deref(),
                s.orders,
                s.awarded,
                s.awarded_excl_vat.0,
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            (Some("E-guichet"), 3, 3, 1_112_050),
            (Some("Caméras"), 3, 1, 250_000),
        ]
    );
    assert_eq!(o.services[0].service_id, eguichet.id);

    // Time to award: 10, 20, 21, 33 days; median (20 + 21) / 2; exactly 20 days is kept.
    let t = &o.award_time;
    assert_eq!(t.promise_days, 20);
    assert_eq!(AWARD_PROMISE_DAYS, 20);
    assert_eq!(t.awarded, 4);
    assert_eq!(t.median_days, Some(dec("20.5")));
    assert_eq!(t.within_promise, 2);
    assert_eq!(t.over_promise, 2);
    assert_eq!(t.within_promise_percent.unwrap().to_string(), "50");
    // Months of award, March (no award) included.
    let months: Vec<(&str, u32, Option<Decimal>, u32)> = t
        .by_month
        .iter()
        .map(|m| (m.month.as_str(), m.awarded, m.median_days, m.within_promise))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01", 2, Some(dec("15")), 2),
            ("2026-02", 1, Some(dec("21")), 0),
            ("2026-03", 0, None, 0),
            ("2026-04", 1, Some(dec("33")), 0),
        ]
    );

    // Adhesions month by month, to the current month.
    let a = &o.adhesions;
    let series: Vec<(&str, u32, u32, u32)> = a
        .by_month
        .iter()
        .map(|m| (m.month.as_str(), m.activated, m.terminated, m.active_total))
        .collect();
    assert_eq!(
        series,
        [
            ("2025-11", 2, 0, 2),
            ("2025-12", 0, 0, 2),
            ("2026-01", 0, 1, 1),
            ("2026-02", 1, 0, 2),
            ("2026-03", 0, 0, 2),
            ("2026-04", 0, 0, 2),
        ]
    );
    let by_status: Vec<(AdhesionStatus, u32)> =
        a.by_status.iter().map(|s| (s.status, s.count)).collect();
    assert_eq!(
        by_status,
        [
            (AdhesionStatus::Draft, 1),
            (AdhesionStatus::SignedByCommune, 0),
            (AdhesionStatus::Countersigned, 0),
            (AdhesionStatus::Active, 2),
            (AdhesionStatus::Terminated, 0),
        ]
    );
    // Herbeumont; the merged commune is no longer in the province.
    assert_eq!(a.without_adhesion, 1);
}

#[test]
fn overview_of_an_empty_cache_has_no_figures() {
    let (_dir, store) = store();
    let o = store.overview(date(2026, 3, 1)).unwrap();
    assert_eq!(o.totals.orders, 0);
    assert_eq!(o.totals.awarded_excl_vat, Cents(0));
    assert!(o.communes.is_empty() && o.services.is_empty());
    assert_eq!(o.award_time.awarded, 0);
    assert_eq!(o.award_time.median_days, None);
    assert_eq!(o.award_time.within_promise_percent, None);
    assert!(o.award_time.by_month.is_empty());
    assert!(o.adhesions.by_month.is_empty());
    assert!(o.adhesions.by_status.iter().all(|s| s.count == 0));
}

#[test]
fn a_draft_only_commune_and_an_unawarded_order_do_not_enter_the_award_time() {
    let (_dir, store) = store();
    let s = service(100, "E-guichet");
    put_orders(
        &store,
        &[
            sent(
                1,
                "84009",
                &s,
                OrderStatus::Draft,
                utc(2026, 1, 2, 8, 0),
                None,
            ),
            sent(
                2,
                "81001",
                &s,
                OrderStatus::Evaluated,
                utc(2026, 1, 2, 8, 0),
                None,
            ),
        ],
    );
    let o = store.overview(date(2026, 3, 1)).unwrap();
    // Only Arlon's order; its commune is not on this PC (no name).
    assert_eq!(o.communes.len(), 1);
    assert_eq!(o.communes[0].commune_nis, "81001");
    assert_eq!(o.communes[0].commune_name, None);
    assert_eq!((o.totals.orders, o.totals.awarded), (1, 0));
    assert_eq!(o.award_time.awarded, 0);
    assert_eq!(o.award_time.median_days, None);
    // The service is not on this PC either: listed by id, without a name.
    assert_eq!(o.services[0].service_name, None);
}

/// The convention's article 12: an adhesion with a notice given counts as active until the
/// notice's effective date, then as terminated; a notice still waiting for its second
/// signature ends nothing.
#[test]
fn a_notice_given_ends_the_adhesion_on_its_effective_date() {
    let (_dir, store) = store();
    let template = ConventionTemplate::new(
        Uuid::from_u128(300),
        1,
        "Convention".into(),
        "Article 1.".into(),
    );
    let signature = |role: Role| centrale_domain::adhesion::Signature {
        user_id: role.as_str().into(),
        name: role.label_fr().into(),
        role,
        signed_at: utc(2026, 1, 15, 9, 0),
        text_sha256: String::new(),
        capacity: Default::default(),
        title: String::new(),
        substitution: None,
    };
    let mut given = adhesion(
        400,
        "84009",
        &template,
        AdhesionStatus::Active,
        Some(utc(2025, 11, 10, 9, 0)),
        Some(date(2026, 1, 15)),
    );
    if let Some(t) = given.termination.as_mut() {
        t.effective_date = date(2026, 5, 1);
        t.director_general_signature = Some(signature(Role::DirectorGeneral));
        t.mayor_signature = Some(signature(Role::Mayor));
    }
    let mut pending = adhesion(
        401,
        "84010",
        &template,
        AdhesionStatus::Active,
        Some(utc(2025, 11, 20, 9, 0)),
        Some(date(2026, 1, 15)),
    );
    if let Some(t) = pending.termination.as_mut() {
        t.director_general_signature = Some(signature(Role::DirectorGeneral));
    }
    for a in [given, pending] {
        put(
            &store,
            RecordKind::Adhesion,
            &a.id.to_string(),
            &a,
            false,
            false,
        );
    }
    let count = |day: NaiveDate, status: AdhesionStatus| {
        store
            .overview(day)
            .unwrap()
            .adhesions
            .by_status
            .iter()
            .find(|s| s.status == status)
            .map_or(0, |s| s.count)
    };
    assert_eq!(count(date(2026, 4, 30), AdhesionStatus::Active), 2);
    assert_eq!(count(date(2026, 5, 1), AdhesionStatus::Active), 1);
    assert_eq!(count(date(2026, 5, 1), AdhesionStatus::Terminated), 1);
    let months: Vec<(String, u32, u32)> = store
        .overview(date(2026, 6, 1))
        .unwrap()
        .adhesions
        .by_month
        .iter()
        .map(|m| (m.month.clone(), m.terminated, m.active_total))
        .collect();
    // The notice given counts in its month (the pending one does not); the adhesion is active
    // until April and ends in May.
    assert!(
        months.contains(&("2026-01".to_string(), 1, 2)),
        "{months:?}"
    );
    assert!(
        months.contains(&("2026-04".to_string(), 0, 2)),
        "{months:?}"
    );
    assert!(
        months.contains(&("2026-05".to_string(), 0, 1)),
        "{months:?}"
    );
}

/// Issue 11 rule 4 (CJEU C-23/20): the centrale sees each framework's maximum value, what the
/// awards consumed of it (every commune together and per commune) and what remains, by the
/// domain's rule; a framework recorded without a maximum shows none.
#[test]
fn overview_shows_each_frameworks_maximum_consumed_and_remaining_per_commune() {
    use centrale_domain::catalogue::{CallOffMethod, FrameworkAgreement};
    let (_dir, store) = store();
    let s = service(100, "E-guichet");
    let other = service(101, "Voirie");
    put(
        &store,
        RecordKind::Service,
        &s.id.to_string(),
        &s,
        false,
        false,
    );
    put(
        &store,
        RecordKind::Commune,
        "84009",
        &commune("84009", "Bertrix"),
        false,
        false,
    );
    let framework = |svc: &Service, reference: &str, max: Option<i64>| {
        let mut terms = centrale_domain::fixtures::sample_terms(&[Uuid::from_u128(1)]);
        terms.max_value = max.map(Cents);
        FrameworkAgreement {
            id: svc.framework_id,
            service_id: svc.id,
            reference: reference.into(),
            title_fr: "Accord-cadre".into(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![terms],
        }
    };
    for f in [
        framework(&s, "CA-2025-01", Some(1_000_000)),
        framework(&other, "CA-2024-09", None),
    ] {
        put(
            &store,
            RecordKind::Framework,
            &f.id.to_string(),
            &f,
            false,
            false,
        );
    }
    let day = utc(2026, 2, 1, 9, 0);
    put_orders(
        &store,
        &[
            sent(
                1,
                "84009",
                &s,
                OrderStatus::Awarded,
                day,
                Some((day, 300_000)),
            ),
            sent(
                2,
                "84009",
                &s,
                OrderStatus::FinallyAccepted,
                day,
                Some((day, 100_000)),
            ),
            sent(
                3,
                "81001",
                &s,
                OrderStatus::Awarded,
                day,
                Some((day, 200_000)),
            ),
            sent(4, "81001", &s, OrderStatus::Evaluated, day, None),
            sent(
                5,
                "81001",
                &other,
                OrderStatus::Awarded,
                day,
                Some((day, 50_000)),
            ),
        ],
    );
    let o = store.overview(date(2026, 3, 1)).unwrap();
    assert_eq!(o.frameworks.len(), 2);
    let [voirie, eguichet] = [&o.frameworks[0], &o.frameworks[1]];
    assert_eq!(eguichet.reference, "CA-2025-01");
    assert_eq!(eguichet.service_name.as_deref(), Some("E-guichet"));
    assert_eq!(eguichet.maximum, Some(Cents(1_000_000)));
    assert_eq!(eguichet.consumed.excl_vat, Cents(600_000));
    assert_eq!(eguichet.remaining, Some(Cents(400_000)));
    assert_eq!(eguichet.consumed_percent, Some(dec("60.00")));
    assert_eq!(eguichet.communes.len(), 2);
    assert_eq!(
        eguichet.communes[0].commune_name.as_deref(),
        Some("Bertrix")
    );
    assert_eq!(eguichet.communes[0].consumed.excl_vat, Cents(400_000));
    assert_eq!(eguichet.communes[0].orders, 2);
    assert_eq!(eguichet.communes[1].commune_nis, "81001");
    assert_eq!(eguichet.communes[1].consumed.excl_vat, Cents(200_000));
    assert_eq!(voirie.maximum, None);
    assert_eq!((voirie.remaining, voirie.consumed_percent), (None, None));
    assert_eq!(voirie.consumed.excl_vat, Cents(50_000));
}
