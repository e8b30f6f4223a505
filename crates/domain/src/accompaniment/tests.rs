use super::*;
use crate::decision::{FinancialOpinion, OpinionKind, Organ};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn service(code: &str, unit: AccompanimentUnit, euros: i64) -> AccompanimentService {
    AccompanimentService {
        code: code.into(),
        label_fr: format!("Service {code}"),
        description_fr: String::new(),
        unit,
        price_cents: Cents(euros * 100),
        vat_rate: VatRate::standard(),
    }
}

fn list() -> AccompanimentPriceList {
    let mut list = AccompanimentPriceList { versions: vec![] };
    list.publish(
        vec![
            service("lancement", AccompanimentUnit::Package, 1_500),
            service("formation", AccompanimentUnit::Day, 650),
        ],
        "Tarifs 2026 de l'accompagnement",
        now(),
    )
    .unwrap();
    list
}

fn decision() -> Decision {
    Decision {
        organ: Organ::College,
        reference: "COL/2026/300".into(),
        date: day(11, 27),
        financial_opinion: None,
    }
}

fn line(code: &str, quantity: &str) -> AccompanimentRequestLine {
    AccompanimentRequestLine {
        code: code.into(),
        quantity: quantity.parse().unwrap(),
    }
}

fn ordered(lines: &[AccompanimentRequestLine]) -> Result<AccompanimentOrder, DomainError> {
    let list = list();
    order(
        NewOrder {
            id: Uuid::from_u128(1),
            commune_nis: "84009",
            title: "Accompagnement de l'e-guichet",
            call_off: Some((Uuid::from_u128(9), "84009")),
            list: list.current(),
            lines,
            decision: &decision(),
            ordered_by: "dg.84009",
        },
        now(),
    )
}

#[test]
fn issue_16_the_price_list_has_codes_once_and_prices_above_zero() {
    let mut l = list();
    assert_eq!(l.current().unwrap().version, 1);
    let err = l
        .publish(
            vec![
                service("formation", AccompanimentUnit::Day, 650),
                service("formation", AccompanimentUnit::Day, 700),
            ],
            "Tarifs 2027 de l'accompagnement",
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentCodeDuplicate);
    let err = l
        .publish(
            vec![service("formation", AccompanimentUnit::Day, 0)],
            "Tarifs 2027 de l'accompagnement",
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentPriceInvalid);
    let err = l
        .publish(vec![], "Tarifs 2027 de l'accompagnement", now())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentListEmpty);
    let err = l
        .publish(
            vec![service("Formation", AccompanimentUnit::Day, 650)],
            "Tarifs 2027 de l'accompagnement",
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentCodeInvalid);
    assert_eq!(
        l.publish(
            vec![service("formation", AccompanimentUnit::Day, 700)],
            "Tarifs 2027 de l'accompagnement",
            now()
        )
        .unwrap(),
        2
    );
    assert_eq!(
        l.versions[0].services.len(),
        2,
        "version 1 is never rewritten"
    );
}

#[test]
fn issue_16_an_order_is_priced_from_the_list_packages_whole_days_by_halves() {
    let o = ordered(&[line("lancement", "1"), line("formation", "2.5")]).unwrap();
    assert_eq!(o.price_list_version, 1);
    assert_eq!(o.lines[1].amount.excl_vat, Cents(162_500));
    assert_eq!(o.total.excl_vat, Cents(312_500));
    assert_eq!(o.total.incl_vat, Cents(378_125));
    assert_eq!(o.status, AccompanimentStatus::Requested);
    assert_eq!(o.call_off_id, Some(Uuid::from_u128(9)));
    for (lines, code) in [
        (
            vec![line("lancement", "1.5")],
            ErrorCode::AccompanimentQuantityInvalid,
        ),
        (
            vec![line("formation", "0.3")],
            ErrorCode::AccompanimentQuantityInvalid,
        ),
        (
            vec![line("formation", "0")],
            ErrorCode::AccompanimentQuantityInvalid,
        ),
        (
            vec![line("formation", "1001")],
            ErrorCode::AccompanimentQuantityInvalid,
        ),
        (
            vec![line("migration", "1")],
            ErrorCode::AccompanimentServiceUnknown,
        ),
        (
            vec![line("formation", "1"), line("formation", "2")],
            ErrorCode::AccompanimentCodeDuplicate,
        ),
        (vec![], ErrorCode::AccompanimentLinesMissing),
    ] {
        assert_eq!(ordered(&lines).unwrap_err().code(), code, "{lines:?}");
    }
}

#[test]
fn issue_16_the_communes_decision_with_the_df_opinion_above_22_000_euros() {
    // 40 days of training: 26 000 € HTVA, 31 460 € TVAC: the directeur financier's opinion.
    let err = ordered(&[line("formation", "40")]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::FinancialOpinionMissing);
    let list = list();
    let mut with_opinion = decision();
    with_opinion.financial_opinion = Some(FinancialOpinion {
        reference: "DF/2026/81".into(),
        date: day(11, 25),
        kind: OpinionKind::Favourable,
    });
    let lines = [line("formation", "40")];
    let input = NewOrder {
        id: Uuid::from_u128(1),
        commune_nis: "84009",
        title: "Formation des agents",
        call_off: None,
        list: list.current(),
        lines: &lines,
        decision: &with_opinion,
        ordered_by: "dg.84009",
    };
    assert!(order(input, now()).is_ok());
    // Another commune's call-off is not one to accompany.
    let err = order(
        NewOrder {
            call_off: Some((Uuid::from_u128(9), "84077")),
            ..input
        },
        now(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentCallOffOtherCommune);
}

#[test]
fn issue_16_planned_delivered_then_invoiced_with_a_number_per_year_due_in_thirty_days() {
    let mut o = ordered(&[line("lancement", "1"), line("formation", "2")]).unwrap();
    let err = o
        .record_delivery("lancement", day(11, 30), day(11, 30))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentWrongStatus);
    let err = o
        .plan(&[PlannedLine {
            code: "lancement".into(),
            planned_on: day(11, 29),
        }])
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentPlannedBeforeOrder);
    o.plan(&[PlannedLine {
        code: "lancement".into(),
        planned_on: day(12, 7),
    }])
    .unwrap();
    assert_eq!(
        o.status,
        AccompanimentStatus::Requested,
        "one line still unplanned"
    );
    o.plan(&[PlannedLine {
        code: "formation".into(),
        planned_on: day(12, 14),
    }])
    .unwrap();
    assert_eq!(o.status, AccompanimentStatus::Planned);
    // A planned order is no longer the commune's to cancel.
    assert_eq!(
        o.clone().cancel("Plus nécessaire").unwrap_err().code(),
        ErrorCode::AccompanimentWrongStatus
    );
    let err = o
        .record_delivery("lancement", day(12, 9), day(12, 8))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccompanimentDeliveryDate);
    o.record_delivery("lancement", day(12, 7), day(12, 8))
        .unwrap();
    assert_eq!(o.status, AccompanimentStatus::Planned);
    assert!(o.clone().invoice(&[], "centrale.achats", now()).is_err());
    o.record_delivery("formation", day(12, 14), day(12, 14))
        .unwrap();
    assert_eq!(o.status, AccompanimentStatus::Delivered);

    let mut earlier = o.clone();
    earlier.invoice = Some(AccompanimentInvoice {
        number: "ACC-2026-0007".into(),
        issued_at: now(),
        date: day(11, 30),
        due_date: day(12, 30),
        issued_by: "centrale.achats".into(),
    });
    let mut last_year = earlier.clone();
    last_year.invoice.as_mut().unwrap().number = "ACC-2025-0042".into();
    let at = Utc.with_ymd_and_hms(2026, 12, 15, 10, 0, 0).unwrap();
    let invoice = o
        .invoice(&[earlier, last_year], "centrale.achats", at)
        .unwrap()
        .clone();
    assert_eq!(invoice.number, "ACC-2026-0008");
    assert_eq!(invoice.date, day(12, 15));
    assert_eq!(
        invoice.due_date,
        NaiveDate::from_ymd_opt(2027, 1, 14).unwrap()
    );
    assert_eq!(o.status, AccompanimentStatus::Invoiced);
    assert_eq!(next_invoice_number(&[], 2027), "ACC-2027-0001");
}

#[test]
fn issue_16_the_commune_cancels_before_the_planning_with_its_reason() {
    let mut o = ordered(&[line("lancement", "1")]).unwrap();
    assert_eq!(
        o.cancel("x").unwrap_err().code(),
        ErrorCode::ReasonLengthInvalid
    );
    o.cancel("Le projet est reporté à 2027.").unwrap();
    assert_eq!(o.status, AccompanimentStatus::Cancelled);
    assert_eq!(
        o.cancel_reason.as_deref(),
        Some("Le projet est reporté à 2027.")
    );
}
