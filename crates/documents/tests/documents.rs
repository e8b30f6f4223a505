//! Every document of a call-off and of an adhesion, generated from the domain's own records,
//! typeset as PDF/A, read back with `pdftotext` and checked for what the commune's file needs:
//! names, amounts, dates, scores, signatories and legal mentions.
//!
//! `CENTRALE_DOCUMENTS=<folder>` keeps each PDF (`pdftoppm -png -r 60` to look at them).

mod common;

#[path = "accompaniment_invoice.rs"]
mod accompaniment_invoice;

#[path = "analysis_report.rs"]
mod analysis_report;

#[path = "papers.rs"]
mod papers;

use std::collections::HashMap;

use centrale_documents::{
    AdhesionDocument, AdhesionFile, Letterhead, OrderDocument, OrderFile, Signer,
};
use centrale_domain::money::Cents;
use chrono::{Duration, TimeZone, Utc};
use common::{accepted_call_off, evaluated_call_off, keep, now, text_of, CallOff, P1, P2};
use uuid::Uuid;

fn head() -> Letterhead {
    Letterhead {
        centrale: "Centrale d'achat de l'intercommunale".into(),
        commune: "Bertrix".into(),
    }
}

fn addresses() -> HashMap<Uuid, String> {
    HashMap::from([
        (P1, "Rue du Parc 12, 6800 Libramont".to_string()),
        (P2, "Avenue de la Gare 3, 6880 Bertrix".to_string()),
    ])
}

fn signers() -> Vec<Signer> {
    let (dg, mayor) = common::signatures("ab");
    vec![Signer::signatory(&dg), Signer::signatory(&mayor)]
}

struct Built {
    c: CallOff,
    addresses: HashMap<Uuid, String>,
    service_names: HashMap<Uuid, String>,
    signers: Vec<Signer>,
}

impl Built {
    fn new(c: CallOff) -> Built {
        Built {
            c,
            addresses: addresses(),
            service_names: HashMap::new(),
            signers: signers(),
        }
    }

    fn file(&self) -> OrderFile<'_> {
        OrderFile {
            head: head(),
            order: &self.c.order,
            framework: &self.c.framework,
            terms: self.c.framework.current().unwrap(),
            service_name: "E-guichet",
            offers: &self.c.offers,
            providers: &self.c.names,
            addresses: &self.addresses,
            service_names: &self.service_names,
            signatories: &self.signers,
            generated_at: Utc.with_ymd_and_hms(2027, 9, 2, 8, 30, 0).unwrap(),
        }
    }

    /// The document typeset, kept, and read back.
    fn text(&self, which: OrderDocument, name: &str) -> String {
        let rendered = self.file().pdf(which).unwrap();
        keep(name, &rendered.pdf);
        assert!(is_pdf_a(&rendered.pdf), "{name} declares PDF/A-2b");
        text_of(&rendered.pdf)
    }
}

fn is_pdf_a(pdf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pdf);
    (text.contains("<pdfaid:part>2</pdfaid:part>") || text.contains("pdfaid:part=\"2\""))
        && (text.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || text.contains("pdfaid:conformance=\"B\""))
}

fn assert_says(text: &str, what: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{what} should say « {e} »:\n{text}");
    }
}

/// The shared look: both identities, the reference and « Page x / y » on every page, the
/// signatories with their quality (the substitute as such).
#[test]
fn every_document_wears_the_communes_and_the_intercommunales_identity() {
    let b = Built::new(accepted_call_off());
    let text = b.text(OrderDocument::AwardDecision, "decision-attribution");
    assert_says(
        &text,
        "the award decision",
        &[
            "Commune de Bertrix",
            "Centrale d'achat de l'intercommunale",
            "Projet de décision d'attribution — E-guichet état civil 2027 — commande",
            "Page 1 / ",
            "Directrice générale",
            "Marie Lambert",
            "Échevin, bourgmestre f.f.",
            "Paul Henrard",
            "en remplacement, sur décision COL/2026/301 du 20/10/2026",
        ],
    );
}

#[test]
fn the_draft_launch_decision_states_the_need_the_estimate_the_budget_article_and_the_organ() {
    let b = Built::new(evaluated_call_off());
    let text = b.text(OrderDocument::LaunchDecision, "decision-lancement");
    let estimate = b.c.order.launch_decision.as_ref().unwrap().estimate;
    assert_says(
        &text,
        "the launch decision",
        &[
            "Projet de décision de lancement de la commande",
            "Décision du conseil communal",
            "CC/2026/40",
            "02/11/2026",
            "Un guichet en ligne pour les actes d'état civil.",
            "L1222-7",
            "47 (dispense de procédure",
            "104/123-13",
            "48 mois",
            &format!(
                "{} TVAC",
                estimate
                    .incl_vat
                    .format()
                    .replace('\u{202f}', "")
                    .replace('\u{a0}', " ")
            ),
            "Prix : 60 points",
            "Qualité : 40 points",
            "DÉCIDE",
        ],
    );
}

#[test]
fn the_opening_record_lists_the_offers_and_says_late_ones_are_not_recorded() {
    let b = Built::new(evaluated_call_off());
    let text = b.text(OrderDocument::OpeningRecord, "pv-ouverture");
    assert_says(
        &text,
        "the opening record",
        &[
            "Procès-verbal d'ouverture des offres",
            "14/12/2026 à 10:00",
            "Nuagix Services SA",
            "Civitech Ardenne SRL",
            "2 offre(s) reçue(s) dans le délai",
            "Offres tardives",
            "une offre tardive ne peut pas être remise et n'est donc pas enregistrée",
        ],
    );
    let total = b.c.offers[0]
        .total
        .excl_vat
        .format()
        .replace('\u{202f}', "")
        .replace('\u{a0}', " ");
    assert!(text.contains(&total), "the first offer's total {total}");
}

#[test]
fn the_draft_award_decision_mentions_the_directeur_financiers_opinion_by_the_threshold() {
    // Not awarded yet, below 22 000 € TVAC: the opinion is not required, and said so.
    let b = Built::new(evaluated_call_off());
    let text = b.text(OrderDocument::AwardDecision, "decision-attribution-projet");
    assert_says(
        &text,
        "a draft below the threshold",
        &[
            "Le collège communal",
            "L1222-4",
            "ne dépasse pas 22000,00 € TVAC",
            "L1124-40",
            "Civitech Ardenne SRL (",
            "1re",
            "D'attribuer la commande « E-guichet état civil 2027 »",
            "104/123-13",
            "17 juin 2013",
        ],
    );
    // Above the threshold: the opinion is required, a blank to fill.
    let mut big = evaluated_call_off();
    for o in &mut big.offers {
        o.total.incl_vat = Cents(o.total.incl_vat.0 * 10);
    }
    let b = Built::new(big);
    let source = b.file().source(OrderDocument::AwardDecision).unwrap();
    assert!(
        source.contains("requis car le montant dépasse 22 000,00 € TVAC")
            || source.contains("requis car le montant dépasse 22\u{202f}000,00\u{a0}€ TVAC"),
        "{source}"
    );
    // Decided: the recorded opinion.
    let b = Built::new(accepted_call_off());
    let text = b.text(OrderDocument::AwardDecision, "decision-attribution");
    assert_says(
        &text,
        "the decision as taken",
        &[
            "COL/2026/512",
            "15/12/2026",
            "Vu l'avis de légalité favorable du directeur financier n° DF/2026/88 du 14/12/2026",
        ],
    );
}

#[test]
fn the_winner_is_notified_and_each_other_tenderer_informed_with_scores_and_remedies() {
    let b = Built::new(accepted_call_off());
    let award = b.c.order.award.as_ref().unwrap();
    assert_eq!(award.provider_id, P2, "Civitech is ranked first");
    let amount = award
        .amount
        .excl_vat
        .format()
        .replace('\u{202f}', "")
        .replace('\u{a0}', " ");
    let text = b.text(
        OrderDocument::NotificationLetter,
        "notification-adjudicataire",
    );
    assert_says(
        &text,
        "the notification letter",
        &[
            "Civitech Ardenne SRL",
            "Avenue de la Gare 3",
            "Bertrix, le 02/09/2027",
            "Objet : Notification de l'attribution",
            "COL/2026/512 du 15/12/2026",
            &format!("{amount} HTVA"),
            "conclut le marché",
        ],
    );
    let file = b.file();
    assert_eq!(file.other_tenderers(), vec![P1]);
    let text = b.text(
        OrderDocument::InformationLetter(P1),
        "information-soumissionnaire",
    );
    let ranking = &b.c.order.evaluation.as_ref().unwrap().ranking;
    let points = |p| {
        let s = ranking.offers.iter().find(|o| o.provider_id == p).unwrap();
        format!("{:.2}", s.total.round_dp(2)).replace('.', ",")
    };
    assert_says(
        &text,
        "the information letter",
        &[
            "Nuagix Services SA",
            "Rue du Parc 12",
            "a attribué ce marché à Civitech Ardenne SRL",
            &points(P1),
            &points(P2),
            "2e",
            "Avantages relatifs de l'offre retenue",
            "Qualité : 35,00 points contre 28,00 pour votre offre",
            "Accompagnement sur place, reprise des données.",
            "Voies de recours",
            "loi du 17 juin 2013",
            "extrême urgence",
            "15 jours",
            "60 jours",
            "Conseil d'État",
        ],
    );
    // No letter for the winner, nor before the award.
    assert_eq!(
        file.pdf(OrderDocument::InformationLetter(P2))
            .unwrap_err()
            .code(),
        "document_not_yet"
    );
}

#[test]
fn the_purchase_order_and_the_acceptance_records() {
    let b = Built::new(accepted_call_off());
    let text = b.text(OrderDocument::PurchaseOrder, "bon-de-commande");
    assert_says(
        &text,
        "the purchase order",
        &[
            "Bon de commande",
            "BC-2026-0042",
            "Luc Collard, responsable informatique",
            "Civitech Ardenne SRL",
            "Licence annuelle",
            "Total sur la durée du contrat",
            "Sophie Martin",
        ],
    );
    let text = b.text(OrderDocument::ProvisionalAcceptance, "reception-provisoire");
    assert_says(
        &text,
        "the provisional acceptance",
        &[
            "Procès-verbal de réception provisoire",
            "01/03/2027",
            "Formulaire de naissance à traduire en néerlandais.",
            "pour l'adjudicataire",
        ],
    );
    let text = b.text(OrderDocument::FinalAcceptance, "reception-definitive");
    assert_says(
        &text,
        "the final acceptance",
        &[
            "Procès-verbal de réception définitive",
            "01/09/2027",
            "Réception provisoire",
        ],
    );
}

#[test]
fn the_whole_file_binds_every_available_document_with_a_table_of_contents() {
    let b = Built::new(accepted_call_off());
    let file = b.file();
    let available = file.available();
    assert_eq!(available.len(), 9, "{available:?}");
    let rendered = file.pdf(OrderDocument::WholeFile).unwrap();
    keep("dossier-complet", &rendered.pdf);
    assert!(rendered.pages >= 10, "{} pages", rendered.pages);
    let text = text_of(&rendered.pdf);
    assert_says(
        &text,
        "the whole file",
        &[
            "Dossier complet de la commande",
            "Table des matières",
            "Projet de décision de lancement de la commande",
            "Procès-verbal d'ouverture des offres",
            "Rapport d'analyse des offres",
            "Notification de l'attribution",
            "Information d'un soumissionnaire — Nuagix Services SA",
            "Bon de commande",
            "Procès-verbal de réception définitive",
        ],
    );
}

#[test]
fn documents_follow_the_orders_life() {
    let b = Built::new(evaluated_call_off());
    let file = b.file();
    assert_eq!(
        file.available(),
        vec![
            OrderDocument::LaunchDecision,
            OrderDocument::OpeningRecord,
            OrderDocument::AnalysisReport,
            OrderDocument::AwardDecision,
        ]
    );
    for which in [
        OrderDocument::NotificationLetter,
        OrderDocument::PurchaseOrder,
        OrderDocument::ProvisionalAcceptance,
    ] {
        assert_eq!(file.source(which).unwrap_err().code(), "document_not_yet");
    }
    let mut before = evaluated_call_off();
    before.order.opened_at = None;
    before.order.evaluation = None;
    let b = Built::new(before);
    assert_eq!(b.file().available(), vec![OrderDocument::LaunchDecision]);
}

#[test]
fn a_record_value_with_typst_markup_prints_literally() {
    let mut c = accepted_call_off();
    c.order.title = "Guichet #import \"x\" *gras* $1$ [lien] <l> @ref".into();
    c.order.purchase_order.as_mut().unwrap().reference = "BC/#set page(width: 1cm)".into();
    c.names.insert(P2, "Civi_tech_ \\ #eval(\"1\")".into());
    let b = Built::new(c);
    let text = b.text(OrderDocument::PurchaseOrder, "litteral");
    assert_says(
        &text,
        "the purchase order",
        &[
            "Guichet #import \"x\" *gras* $1$ [lien] <l> @ref",
            "BC/#set page(width: 1cm)",
            "Civi_tech_ \\ #eval(\"1\")",
        ],
    );
}

fn adhesion_text(which: AdhesionDocument, name: &str) -> String {
    let (template, adhesion) = common::active_adhesion();
    let file = AdhesionFile {
        head: head(),
        adhesion: &adhesion,
        template: &template,
        generated_at: now() + Duration::days(10),
    };
    let rendered = file.pdf(which).unwrap();
    keep(name, &rendered.pdf);
    assert!(is_pdf_a(&rendered.pdf));
    text_of(&rendered.pdf)
}

#[test]
fn the_conseils_draft_deliberation_states_its_legal_bases() {
    let text = adhesion_text(AdhesionDocument::Deliberation, "deliberation-adhesion");
    assert_says(
        &text,
        "the deliberation",
        &[
            "Projet de délibération du conseil communal",
            "Le conseil communal,",
            "Vu le Code de la démocratie locale et de la décentralisation",
            "L1222-7",
            "loi du 17 juin 2016",
            "l'article 47",
            "Considérant",
            "DÉCIDE",
            "Article 1.",
            "CC/2026/33",
            "27/10/2026",
        ],
    );
}

#[test]
fn the_signed_convention_prints_its_text_signatures_countersignature_and_fingerprint() {
    let (template, _) = common::active_adhesion();
    let text = adhesion_text(AdhesionDocument::SignedConvention, "convention-signee");
    assert_says(
        &text,
        "the signed convention",
        &[
            "Convention d'adhésion signée",
            "Article 1 — Définitions",
            "Marie Lambert, directrice générale",
            "signé le 03/11/2026 à 11:00",
            "Paul Henrard, échevin, bourgmestre f.f.",
            "en remplacement, décision COL/2026/301 du 20/10/2026",
            "Contresignature de la centrale : Sophie Martin",
            "06/11/2026",
            "identique à celle de la convention",
        ],
    );
    let compact: String = text.split_whitespace().collect();
    assert!(compact.contains(&template.sha256), "the text's fingerprint");
}

#[test]
fn no_signed_convention_before_both_signatures() {
    let (template, mut adhesion) = common::active_adhesion();
    adhesion.mayor_signature = None;
    let file = AdhesionFile {
        head: head(),
        adhesion: &adhesion,
        template: &template,
        generated_at: now(),
    };
    assert_eq!(file.available(), vec![AdhesionDocument::Deliberation]);
    assert_eq!(
        file.source(AdhesionDocument::SignedConvention)
            .unwrap_err()
            .code(),
        "document_not_yet"
    );
}

#[test]
fn issue_16_a_pooled_orders_decisions_say_the_competition_and_analysis_were_common() {
    // ARCHITECTURE.md « Marchés groupés »: law of 17 June 2016 art. 47 § 2 and art. 48.
    let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = evaluated_call_off();
    c.order.pool_id = Some(Uuid::from_u128(0x9001));
    let b = Built::new(c);
    let launch = flat(b.text(OrderDocument::LaunchDecision, "decision-lancement-groupe"));
    assert_says(
        &launch,
        "the pooled launch decision",
        &["marché groupé", "48"],
    );
    let award = flat(b.text(OrderDocument::AwardDecision, "decision-attribution-groupe"));
    assert_says(
        &award,
        "the pooled award decision",
        &["marché groupé", "une seule"],
    );
    // An order alone says nothing of a pool.
    let alone = flat(Built::new(evaluated_call_off()).text(OrderDocument::AwardDecision, "seule"));
    assert!(!alone.contains("marché groupé"));
}
