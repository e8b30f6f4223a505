//! The analysis report of a call-off built through the domain's own acts (draft, submission,
//! competition, opening, declaration, evaluation): its text says what the law asks the
//! collège's file to hold, and it typesets into a PDF.

use super::common;

use centrale_documents::AnalysisReport;
use chrono::Duration;
use common::{evaluated_call_off, now, CallOff};

/// The catalogue's service names the sheets' links are named with.
static SERVICE_NAMES: std::sync::LazyLock<std::collections::HashMap<uuid::Uuid, String>> =
    std::sync::LazyLock::new(|| {
        std::collections::HashMap::from([(
            uuid::Uuid::from_u128(300),
            "Paiement en ligne des services scolaires".to_string(),
        )])
    });

fn report<'a>(c: &'a CallOff) -> AnalysisReport<'a> {
    AnalysisReport {
        centrale_name: "Idelux — centrale d'achat",
        commune_name: "Bertrix",
        order: &c.order,
        framework: &c.framework,
        terms: c.framework.current().unwrap(),
        service_name: "E-guichet",
        service_names: &SERVICE_NAMES,
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

/// The call-off with an interoperability sheet for the first tenderer only (issue 16 §1).
fn with_a_sheet() -> CallOff {
    use centrale_domain::interoperability::*;
    let mut c = evaluated_call_off();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let terms = c.framework.versions.last_mut().unwrap();
    terms.interoperability = vec![InteroperabilitySheet {
        provider_id: common::P1,
        solution_name: "Guichet Nuagix 4".into(),
        open_data: vec![OpenDataFormat {
            format: "CSV".into(),
            licence: "Licence ouverte CC BY 4.0".into(),
        }],
        apis: vec![ApiInterface {
            name: "Demandes des citoyens".into(),
            specification: "REST, OpenAPI 3.1".into(),
            documentation_url: "https://api.nuagix.example/doc".into(),
        }],
        citizen_identity: vec![CitizenIdentity::Csam, CitizenIdentity::MonEspace],
        data_exports: vec!["CSV".into(), "JSON".into()],
        hosting: HostingLocation::Belgium,
        hosting_detail: "centre de données à Liège".into(),
        reversibility: "Export complet des demandes et pièces jointes sous 30 jours.".into(),
        works_with: vec![SolutionLink {
            with: Solution {
                service_id: uuid::Uuid::from_u128(300),
                provider_id: common::P2,
            },
            how: "les redevances sont payées en ligne".into(),
            checked_on: Some(day),
        }],
        checks: vec![InteropCheck {
            aspect: InteropAspect::Hosting,
            checked_on: day,
            outcome: CheckOutcome::Partial,
            note: "Sauvegardes aux Pays-Bas".into(),
        }],
    }];
    c
}

#[test]
fn issue_16_the_report_shows_each_tenderers_interoperability_sheet() {
    let c = with_a_sheet();
    let source = report(&c).source().unwrap();
    for expected in [
        "Interopérabilité des solutions offertes",
        "seuls les critères d'attribution ci-dessus notent les offres",
        "Nuagix Services SA — Guichet Nuagix 4",
        "CSV (Licence ouverte CC BY 4.0)",
        "Demandes des citoyens — REST, OpenAPI 3.1",
        "Mon Espace (Wallonie)",
        "Données hébergées en Belgique (centre de données à Liège)",
        "vérifié en partie le 02/03/2026 — Sauvegardes aux Pays-Bas",
        "non vérifié par la centrale",
        "Paiement en ligne des services scolaires de Civitech Ardenne SRL : les redevances sont payées en ligne (testé par la centrale le 02/03/2026)",
        // The other tenderer has no sheet in this version: said, not left out.
        "La centrale n'a pas établi de fiche d'interopérabilité pour cette solution",
    ] {
        assert!(source.contains(expected), "missing « {expected} »:\n{source}");
    }
    // Without any sheet, each tenderer is said to have none.
    let plain = report(&evaluated_call_off()).source().unwrap();
    assert!(plain.contains("Interopérabilité des solutions offertes"));
    assert!(plain.contains("La centrale n'a pas établi de fiche"));
}

/// `CENTRALE_DOCUMENTS=<folder>` keeps the PDF, to look at it (`pdftoppm -png`).
#[test]
fn the_report_typesets() {
    let c = with_a_sheet();
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
