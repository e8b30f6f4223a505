//! A call-off of Bertrix built through the domain's own acts (draft, submission, competition,
//! opening, declaration, evaluation, award, purchase order, acceptances), and its adhesion,
//! for the documents' tests. `CENTRALE_DOCUMENTS=<folder>` keeps each PDF to look at.
#![allow(dead_code)]

use centrale_domain::adhesion::{
    Adhesion, ConventionTemplate, Decision, FinancialOpinion, OpinionKind, Organ, Signature,
};
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
use centrale_domain::signatory::{title_fr, Capacity, Gender, SubstitutionRef};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

pub const P1: Uuid = Uuid::from_u128(1);
pub const P2: Uuid = Uuid::from_u128(2);

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

pub fn decision(organ: Organ, reference: &str) -> Decision {
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

pub struct CallOff {
    pub framework: FrameworkAgreement,
    pub order: Order,
    pub offers: Vec<Offer>,
    pub names: ProviderNames,
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
pub fn evaluated_call_off() -> CallOff {
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

/// The collège's award decision of 15 December 2026.
pub fn award_decision() -> Decision {
    Decision {
        organ: Organ::College,
        reference: "COL/2026/512".into(),
        date: date(2026, 12, 15),
        financial_opinion: Some(FinancialOpinion {
            reference: "DF/2026/88".into(),
            date: date(2026, 12, 14),
            kind: OpinionKind::Favourable,
        }),
    }
}

/// The same call-off awarded to the offer ranked first (Civitech), its purchase order
/// issued, provisionally then finally accepted.
pub fn accepted_call_off() -> CallOff {
    use centrale_domain::order::{Acceptance, ContractManager};
    let mut c = evaluated_call_off();
    let today = date(2026, 12, 16);
    let winner = c
        .order
        .evaluation
        .as_ref()
        .unwrap()
        .ranking
        .winner()
        .unwrap()
        .clone();
    let amount = c
        .offers
        .iter()
        .find(|o| o.id == winner.offer_id)
        .unwrap()
        .total;
    let names = c.names.clone();
    c.order
        .award(
            &c.framework,
            winner.offer_id,
            amount,
            "L'offre de Civitech Ardenne SRL obtient le meilleur total pondéré : accompagnement sur place et reprise des données.".into(),
            award_decision(),
            "Marie Lambert",
            now() + Duration::days(17),
            today,
            |p| names.name(p),
        )
        .unwrap();
    c.order
        .issue_purchase_order(
            "BC-2026-0042".into(),
            Some(ContractManager {
                name: "Luc Collard".into(),
                quality: "responsable informatique".into(),
            }),
            "Sophie Martin",
            now() + Duration::days(18),
        )
        .unwrap();
    c.order.start_deployment().unwrap();
    c.order
        .accept_provisionally(
            Acceptance {
                date: date(2027, 3, 1),
                remarks: "Formulaire de naissance à traduire en néerlandais.".into(),
                by: "Marie Lambert".into(),
                recorded_at: Utc.with_ymd_and_hms(2027, 3, 1, 14, 0, 0).unwrap(),
            },
            true,
            date(2027, 3, 1),
        )
        .unwrap();
    c.order
        .accept_finally(
            Acceptance {
                date: date(2027, 9, 1),
                remarks: String::new(),
                by: "Marie Lambert".into(),
                recorded_at: Utc.with_ymd_and_hms(2027, 9, 1, 9, 0, 0).unwrap(),
            },
            date(2027, 9, 1),
        )
        .unwrap();
    c
}

/// Bertrix's signatories: its directrice générale, and an échevin standing in for the
/// bourgmestre (a substitute, named as such).
pub fn signatures(text_sha256: &str) -> (Signature, Signature) {
    let dg = Signature {
        user_id: "dg".into(),
        name: "Marie Lambert".into(),
        role: Role::DirectorGeneral,
        signed_at: Utc.with_ymd_and_hms(2026, 11, 3, 10, 0, 0).unwrap(),
        text_sha256: text_sha256.into(),
        capacity: Capacity::Titular,
        title: title_fr(Role::DirectorGeneral, Capacity::Titular, Gender::Female),
        substitution: None,
    };
    let mayor = Signature {
        user_id: "echevin".into(),
        name: "Paul Henrard".into(),
        role: Role::Mayor,
        signed_at: Utc.with_ymd_and_hms(2026, 11, 4, 15, 30, 0).unwrap(),
        text_sha256: text_sha256.into(),
        capacity: Capacity::MayorActing,
        title: title_fr(Role::Mayor, Capacity::MayorActing, Gender::Male),
        substitution: Some(SubstitutionRef {
            id: Uuid::from_u128(55),
            decision: Decision {
                organ: Organ::College,
                reference: "COL/2026/301".into(),
                date: date(2026, 10, 20),
                financial_opinion: None,
            },
        }),
    };
    (dg, mayor)
}

/// The convention of the demo (its real text) and Bertrix's adhesion to it: the conseil's
/// decision, signed by the directrice générale and the bourgmestre f.f., countersigned,
/// active.
pub fn active_adhesion() -> (ConventionTemplate, Adhesion) {
    let text = include_str!("../../../server/seed/convention-adhesion-v1.md");
    let t = ConventionTemplate::new(
        Uuid::from_u128(300),
        1,
        "Convention d'adhésion à la centrale d'achat".into(),
        text.into(),
    );
    let mut a = Adhesion::draft(Uuid::from_u128(400), "84009", &t);
    a.record_college_decision(
        Decision {
            organ: Organ::Conseil,
            reference: "CC/2026/33".into(),
            date: date(2026, 10, 27),
            financial_opinion: None,
        },
        date(2026, 11, 2),
    )
    .unwrap();
    let (dg, mayor) = signatures(&t.sha256);
    a.sign(dg).unwrap();
    a.sign(mayor).unwrap();
    a.countersign(Signature {
        user_id: "centrale".into(),
        name: "Sophie Martin".into(),
        role: Role::CentraleStaff,
        signed_at: Utc.with_ymd_and_hms(2026, 11, 6, 9, 15, 0).unwrap(),
        text_sha256: t.sha256.clone(),
        capacity: Capacity::Titular,
        title: title_fr(Role::CentraleStaff, Capacity::Titular, Gender::Female),
        substitution: None,
    })
    .unwrap();
    a.activate(Utc.with_ymd_and_hms(2026, 11, 6, 9, 20, 0).unwrap())
        .unwrap();
    (t, a)
}

/// Keeps `pdf` as `<CENTRALE_DOCUMENTS>/<name>.pdf` when asked, to look at it.
pub fn keep(name: &str, pdf: &[u8]) {
    if let Some(dir) = std::env::var_os("CENTRALE_DOCUMENTS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.pdf")), pdf).unwrap();
    }
}

/// The text of `pdf` as `pdftotext -raw` reads it, zero-width spaces removed and every run of
/// spaces and line breaks read as one space.
pub fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile_dir();
    let path = dir.join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed to read the documents back");
    assert!(out.status.success(), "pdftotext failed");
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .unwrap()
        .replace('\u{200b}', "")
        .replace(['\u{a0}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("centrale-doc-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
