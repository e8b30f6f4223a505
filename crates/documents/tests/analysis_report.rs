//! The analysis report of a call-off built through the domain's own acts (draft, submission,
//! competition, opening, declaration, evaluation): its text says what the law asks the
//! collège's file to hold, and it typesets into a PDF.

use super::common;

use centrale_documents::AnalysisReport;
use chrono::Duration;
use common::{evaluated_call_off, now, CallOff};

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
