//! Issue 16 §2: the invoice of the intercommunale's accompaniment services, made through the
//! domain's own acts (order, plan, delivery, invoice), says what a directeur financier needs
//! to pay it, and typesets.

use centrale_documents::AccompanimentInvoiceDoc;
use centrale_domain::accompaniment::*;
use centrale_domain::decision::{Decision, Organ};
use centrale_domain::money::{Cents, VatRate};
use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

fn invoiced() -> AccompanimentOrder {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let mut list = AccompanimentPriceList { versions: vec![] };
    list.publish(
        vec![
            AccompanimentService {
                code: "lancement".into(),
                label_fr: "Lancement du projet".into(),
                description_fr: String::new(),
                unit: AccompanimentUnit::Package,
                price_cents: Cents(150_000),
                vat_rate: VatRate::standard(),
            },
            AccompanimentService {
                code: "formation".into(),
                label_fr: "Formation des agents".into(),
                description_fr: String::new(),
                unit: AccompanimentUnit::Day,
                price_cents: Cents(65_000),
                vat_rate: VatRate::standard(),
            },
        ],
        "Tarifs 2026 de l'accompagnement",
        now,
    )
    .unwrap();
    let decision = Decision {
        organ: Organ::College,
        reference: "COL/2026/300".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        financial_opinion: None,
    };
    let lines = [
        AccompanimentRequestLine {
            code: "lancement".into(),
            quantity: "1".parse().unwrap(),
        },
        AccompanimentRequestLine {
            code: "formation".into(),
            quantity: "1.5".parse().unwrap(),
        },
    ];
    let mut order = order(
        NewOrder {
            id: Uuid::from_u128(1),
            commune_nis: "84009",
            title: "Accompagnement de l'e-guichet",
            call_off: None,
            list: list.current(),
            lines: &lines,
            decision: &decision,
            ordered_by: "Anne Dubois",
        },
        now,
    )
    .unwrap();
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    order
        .plan(&[
            PlannedLine {
                code: "lancement".into(),
                planned_on: day(3),
            },
            PlannedLine {
                code: "formation".into(),
                planned_on: day(10),
            },
        ])
        .unwrap();
    order.record_delivery("lancement", day(3), day(10)).unwrap();
    order
        .record_delivery("formation", day(10), day(10))
        .unwrap();
    order
        .invoice(
            &[],
            "Thomas Henrotte",
            Utc.with_ymd_and_hms(2026, 12, 11, 10, 0, 0).unwrap(),
        )
        .unwrap();
    order
}

fn doc(order: &AccompanimentOrder) -> AccompanimentInvoiceDoc<'_> {
    AccompanimentInvoiceDoc {
        centrale_name: "Idelux — centrale d'achat",
        commune_name: "Bertrix",
        order,
        call_off_title: Some("E-guichet état civil 2027"),
        generated_at: Utc.with_ymd_and_hms(2026, 12, 11, 10, 0, 0).unwrap(),
    }
}

#[test]
fn issue_16_the_invoice_says_what_is_paid_for_why_and_by_when() {
    let order = invoiced();
    let source = doc(&order).source().unwrap();
    for expected in [
        "ACC-2026-0001",
        "11/12/2026",
        "10/01/2027",                          // due thirty days later
        "Administration communale de Bertrix", // addressed to the commune
        "Lancement du projet",
        "1,5 jour",
        "1 500,00",
        "975,00",   // 1.5 days at 650 €
        "2 475,00", // total HTVA
        "2 994,75", // total TVAC
        "COL/2026/300",
        "E-guichet état civil 2027",
        "relation « in house »",
        "Pas de mise en concurrence",
    ] {
        let plain = source.replace(['\u{202f}', '\u{a0}'], " ");
        assert!(
            plain.contains(expected),
            "missing « {expected} »:\n{source}"
        );
    }
    assert!(doc(&order).file_name().contains("Facture ACC-2026-0001"));
    let pdf = doc(&order).pdf().unwrap();
    assert!(pdf.pdf.starts_with(b"%PDF-"));
    if let Some(dir) = std::env::var_os("CENTRALE_DOCUMENTS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join("facture.pdf"), &pdf.pdf).unwrap();
    }
}

#[test]
fn issue_16_no_invoice_before_it_is_issued() {
    let mut order = invoiced();
    order.invoice = None;
    assert_eq!(doc(&order).source().unwrap_err().code(), "document_not_yet");
}
