//! The analysis report of a call-off built through the domain's own acts (draft, submission,
//! competition, opening, declaration, evaluation): its text says what the law asks the
//! collège's file to hold, and it typesets into a PDF.

use centrale_documents::AnalysisReport;
use centrale_domain::adhesion::{Decision, FinancialOpinion, OpinionKind, Organ};
use centrale_domain::catalogue::{CallOffMethod, FrameworkAgreement, ProviderNames};
use centrale_domain::evaluation::{evaluate_with, OfferForScoring, PriceBasis, QualityScore};
use centrale_domain::fixtures::{self, date, sample_terms};
use centrale_domain::money::Cents;
use centrale_domain::needs::{NeedLine, OrderNeeds};
use centrale_domain::offer::{price_offer, Offer, OfferLineInput};
use centrale_domain::order::{
    no_conflict_statement_sha256, ConflictDeclaration, EvaluationRecord, Order,
};
use centrale_domain::role::Role;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

fn decision(organ: Organ, reference: &str) -> Decision {
    Decision {
        organ,
        reference: reference.into(),
        date: date(2026, 11, 2),
        financial_opinion: Some(FinancialOpinion {
            reference: "DF/2026/7".into(),
            date: date(2026, 11, 2),
            kind: OpinionKind::Favourable,
        }),
    }
}

struct CallOff {
    framework: FrameworkAgreement,
    order: Order,
    offers: Vec<Offer>,
    names: ProviderNames,
}

fn offer(
    framework: &FrameworkAgreement,
    order: &Order,
    provider: Uuid,
    setup: i64,
    licence: i64,
    notes: &str,
) -> Offer {
    let terms = framework.current().unwrap();
    let (lines, total) = price_offer(
        terms,
        &order.needs.for_tenderers(),
        &[
            OfferLineInput {
                price_line_code: "setup".into(),
                unit_price_cents: Cents(setup),
            },
            OfferLineInput {
                price_line_code: "licence".into(),
                unit_price_cents: Cents(licence),
            },
        ],
    )
    .unwrap();
    Offer {
        id: Uuid::from_u128(100 + provider.as_u128()),
        order_id: order.id,
        invitation_id: Uuid::now_v7(),
        provider_id: provider,
        commune_nis: "84009".into(),
        revision: 1,
        lines,
        total,
        lead_time_days: 60,
        notes: notes.into(),
        submitted_at: now() + Duration::days(3),
        content_sha256: "00".repeat(32),
    }
}

/// A call-off of Bertrix under « CA-2025-01 », evaluated, not yet awarded.
fn evaluated_call_off() -> CallOff {
    let mut framework = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![],
    };
    framework.publish(sample_terms(&[P1, P2])).unwrap();
    let needs = OrderNeeds {
        description: "Un guichet en ligne pour les actes d'état civil.".into(),
        lines: vec![
            NeedLine {
                price_line_code: "setup".into(),
                quantity: Decimal::ONE,
                note: String::new(),
            },
            NeedLine {
                price_line_code: "licence".into(),
                quantity: Decimal::from(9),
                note: String::new(),
            },
        ],
        sites: vec!["Maison communale".into()],
        desired_start: None,
        desired_go_live: None,
        budget: None,
    };
    let mut order = Order::new_draft(
        Uuid::from_u128(77),
        "84009",
        &framework,
        "E-guichet état civil 2027".into(),
        needs,
        "agent",
        now(),
    )
    .unwrap();
    order
        .submit(
            Some(&fixtures::active_adhesion("84009", now())),
            &framework,
            Some(decision(Organ::Conseil, "CC/2026/40")),
            "104/123-13",
            "dg",
            now(),
            date(2026, 11, 29),
        )
        .unwrap();
    let deadline = now() + Duration::days(15);
    order
        .launch_competition(
            &framework,
            deadline,
            10,
            now(),
            date(2026, 11, 29),
            "centrale",
        )
        .unwrap();
    order.open_offers(deadline, 2).unwrap();
    order
        .declare_no_conflict(ConflictDeclaration {
            user_id: "dg".into(),
            name: "Marie Lambert".into(),
            role: Role::DirectorGeneral,
            declared_at: deadline + Duration::hours(1),
            statement_sha256: no_conflict_statement_sha256(),
        })
        .unwrap();
    let offers = vec![
        // A remark that looks like typst code prints as typed.
        offer(
            &framework,
            &order,
            P1,
            390_000,
            14_000,
            "Prix fermes. #import \"x\" *gras* $1$",
        ),
        offer(&framework, &order, P2, 420_000, 17_000, ""),
    ];
    let terms = framework.current().unwrap();
    let scoring: Vec<OfferForScoring> = offers.iter().map(OfferForScoring::from).collect();
    let quality = vec![
        QualityScore {
            offer_id: offers[0].id,
            criterion_code: "quality".into(),
            points: Decimal::from(28),
            justification: "Hébergement en Belgique, formation d'une journée.".into(),
        },
        QualityScore {
            offer_id: offers[1].id,
            criterion_code: "quality".into(),
            points: Decimal::from(35),
            justification: "Accompagnement sur place, reprise des données.".into(),
        },
    ];
    let ranking = evaluate_with(
        PriceBasis::Relative,
        &terms.award_criteria,
        &scoring,
        &quality,
    )
    .unwrap();
    order
        .record_evaluation(EvaluationRecord {
            quality_scores: quality,
            ranking,
            evaluated_at: deadline + Duration::hours(2),
            evaluated_by: "Marie Lambert".into(),
        })
        .unwrap();
    let mut names = ProviderNames::default();
    names.insert(P1, "Nuagix Services SA".into());
    names.insert(P2, "Civitech Ardenne SRL".into());
    CallOff {
        framework,
        order,
        offers,
        names,
    }
}

fn report<'a>(c: &'a CallOff) -> AnalysisReport<'a> {
    AnalysisReport {
        centrale_name: "Idelux — centrale d'achat",
        commune_name: "Bertrix",
        order: &c.order,
        framework: &c.framework,
        terms: c.framework.current().unwrap(),
        service_name: "E-guichet",
        offers: &c.offers,
        providers: &c.names,
        generated_at: now() + Duration::days(17),
    }
}

#[test]
fn the_report_holds_what_the_collèges_file_needs() {
    let c = evaluated_call_off();
    let source = report(&c).source().unwrap();
    for expected in [
        "Rapport d'analyse des offres",
        "E-guichet état civil 2027",
        "CA-2025-01",
        "CC/2026/40",         // the launch decision
        "104/123-13",         // its budget article
        "Nuagix Services SA", // each tenderer
        "Civitech Ardenne SRL",
        "Points de prix", // the price formula as the framework states it
        "ex æquo",        // the tie-break rule
        "Hébergement en Belgique, formation d'une journée.", // the reasons of the quality scores
        "Marie Lambert",  // the declaration of no conflict of interest
        "art. 6",
        "Il est proposé au collège communal d'attribuer le marché à",
    ] {
        assert!(
            source.contains(expected),
            "the report should say « {expected} »"
        );
    }
    // Dates in Brussels, day first; amounts the Belgian way.
    assert!(
        source.contains("14/12/2026 à 10:00"),
        "deadline in Brussels time"
    );
    assert!(source.contains("\u{a0}€"));
}

#[test]
fn a_providers_remark_is_printed_as_typed_never_run() {
    let c = evaluated_call_off();
    let source = report(&c).source().unwrap();
    assert!(
        source.contains(r#"#"Prix fermes. #import \"x\" *gras* $1$""#),
        "{source}"
    );
    let pdf = report(&c).pdf().unwrap();
    assert!(pdf.pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.pages >= 2,
        "a report of two offers runs over pages: {}",
        pdf.pages
    );
}

#[test]
fn no_report_before_the_offers_are_opened() {
    let mut c = evaluated_call_off();
    c.order.opened_at = None;
    assert_eq!(report(&c).source().unwrap_err().code(), "document_not_yet");
}

/// `CENTRALE_DOCUMENTS=<folder>` keeps the PDF, to look at it (`pdftoppm -png`).
#[test]
fn the_report_typesets() {
    let c = evaluated_call_off();
    let rendered = report(&c).pdf().unwrap();
    if let Some(dir) = std::env::var_os("CENTRALE_DOCUMENTS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join("rapport-analyse.pdf"),
            &rendered.pdf,
        )
        .unwrap();
    }
    assert!(rendered.pdf.len() > 10_000);
}
