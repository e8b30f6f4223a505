//! Who gets which document of an order (the centrale and the commune every one; a provider its
//! own letters and the purchase order addressed to it, nothing before the award), the names
//! they travel under, and the zip of the parts: each available document as its own PDF, then
//! the whole file, listed by `unzip`.

use super::common;

use centrale_documents::{award_letter, OrderDocument, OrderDocuments, Reader, Withheld};
use centrale_domain::catalogue::Provider;
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::paper::{OrderPaper, OrderRecords};
use chrono::{TimeZone, Utc};
use common::{accepted_call_off, evaluated_call_off, CallOff, P1, P2};
use uuid::Uuid;

fn provider(id: Uuid, name: &str, address: &str) -> Provider {
    Provider {
        id,
        short_name: name.to_lowercase().replace(' ', ""),
        name: name.into(),
        enterprise_number: EnterpriseNumber::parse("0403.170.701").unwrap(),
        address: address.into(),
        contact_email: "offres@example.be".into(),
    }
}

fn bertrix() -> centrale_domain::commune::Commune {
    centrale_domain::commune::Commune {
        nis_code: centrale_domain::commune::NisCode::parse("84009").unwrap(),
        name_fr: "Bertrix".into(),
        name_nl: "Bertrix".into(),
        arrondissement_fr: "Neufchâteau".into(),
        arrondissement_nis: "84000".into(),
        population: 8_700,
        population_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        main_postal_code: "6880".into(),
        valid_from: None,
        valid_until: None,
        successor: None,
        enterprise_number: None,
    }
}

fn documents(c: CallOff) -> OrderDocuments {
    let paper = OrderPaper::assemble(OrderRecords {
        order: c.order,
        framework: c.framework,
        service_name: Some("E-guichet".into()),
        commune: Some(bertrix()),
        adhesions: Vec::new(),
        offers: c.offers,
        providers: vec![
            provider(P1, &c.names.name(P1), "Rue du Parc 12, 6800 Libramont"),
            provider(P2, &c.names.name(P2), "Avenue de la Gare 3, 6880 Bertrix"),
        ],
        services: Vec::new(),
    });
    OrderDocuments::new(
        paper,
        "Centrale d'achat de l'intercommunale",
        Utc.with_ymd_and_hms(2027, 9, 2, 8, 30, 0).unwrap(),
    )
}

fn winner_and_loser(d: &OrderDocuments) -> (Uuid, Uuid) {
    let winner = d.paper.order.award.as_ref().unwrap().provider_id;
    (winner, if winner == P1 { P2 } else { P1 })
}

#[test]
fn a_provider_gets_only_its_own_letters_and_the_purchase_order_addressed_to_it() {
    let d = documents(accepted_call_off());
    let (winner, loser) = winner_and_loser(&d);
    let kinds =
        |reader| -> Vec<OrderDocument> { d.choices(reader).into_iter().map(|c| c.which).collect() };
    assert_eq!(
        kinds(Reader::Provider(winner)),
        vec![
            OrderDocument::NotificationLetter,
            OrderDocument::PurchaseOrder
        ]
    );
    assert_eq!(
        kinds(Reader::Provider(loser)),
        vec![OrderDocument::InformationLetter(loser)]
    );
    // The commune and the centrale get every document, and the whole file.
    for reader in [Reader::Commune, Reader::Centrale] {
        let all = kinds(reader);
        assert_eq!(all.len(), 10, "{all:?}");
        assert_eq!(all.last(), Some(&OrderDocument::WholeFile));
    }
    // What is not the provider's is answered as absent, whatever it is.
    for which in [
        OrderDocument::AnalysisReport,
        OrderDocument::WholeFile,
        OrderDocument::NotificationLetter,
        OrderDocument::InformationLetter(winner),
    ] {
        assert_eq!(
            d.allowed(Reader::Provider(loser), which),
            Err(Withheld::NotFound),
            "{which:?}"
        );
    }
    assert_eq!(
        d.allowed(
            Reader::Provider(winner),
            OrderDocument::InformationLetter(loser)
        ),
        Err(Withheld::NotFound)
    );
    // The letter each award e-mail carries.
    assert_eq!(
        award_letter(&d.paper.order, winner),
        Some(OrderDocument::NotificationLetter)
    );
    assert_eq!(
        award_letter(&d.paper.order, loser),
        Some(OrderDocument::InformationLetter(loser))
    );
}

#[test]
fn before_the_award_a_provider_gets_nothing_and_its_letter_is_not_yet() {
    let d = documents(evaluated_call_off());
    for p in [P1, P2] {
        assert!(d.choices(Reader::Provider(p)).is_empty());
        assert!(matches!(
            d.allowed(Reader::Provider(p), OrderDocument::NotificationLetter),
            Err(Withheld::NotYet(_))
        ));
        assert!(matches!(
            d.allowed(Reader::Provider(p), OrderDocument::InformationLetter(p)),
            Err(Withheld::NotYet(_))
        ));
        assert_eq!(
            d.allowed(Reader::Provider(p), OrderDocument::OpeningRecord),
            Err(Withheld::NotFound)
        );
        assert_eq!(award_letter(&d.paper.order, p), None);
    }
}

#[test]
fn before_the_opening_no_offer_is_printed_whoever_loaded_it() {
    let mut c = evaluated_call_off();
    c.order.opened_at = None;
    c.order.evaluation = None;
    let d = documents(c);
    assert!(
        d.paper.offers.is_empty(),
        "sealed offers dropped by the assembly"
    );
    assert_eq!(
        d.choices(Reader::Commune)
            .into_iter()
            .map(|c| c.which)
            .collect::<Vec<_>>(),
        vec![OrderDocument::LaunchDecision, OrderDocument::WholeFile]
    );
}

#[test]
fn codes_name_each_document_in_an_address_and_back() {
    let d = documents(accepted_call_off());
    for c in d.choices(Reader::Centrale) {
        assert_eq!(OrderDocument::parse(&c.which.code()), Some(c.which));
    }
    assert_eq!(OrderDocument::parse("information_letter-nope"), None);
    assert_eq!(OrderDocument::parse("zip"), None);
}

#[test]
fn the_zip_holds_each_part_as_a_pdf_then_the_whole_file() {
    let d = documents(accepted_call_off());
    let bytes = d.zip().unwrap();
    assert_eq!(d.zip().unwrap(), bytes, "the same order gives the same zip");
    assert!(
        d.zip_name()
            .starts_with("2027-09-02 Bertrix - Pièces du dossier - "),
        "{}",
        d.zip_name()
    );
    assert!(d.zip_name().ends_with(".zip"));
    let dir = std::env::temp_dir().join(format!("centrale-zip-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pieces.zip");
    std::fs::write(&path, &bytes).unwrap();
    let listed = std::process::Command::new("unzip")
        .arg("-Z1")
        .arg(&path)
        .output()
        .expect("unzip");
    assert!(listed.status.success());
    let names: Vec<String> = String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let (_, loser) = winner_and_loser(&d);
    let loser_name = d.paper.providers.name(loser);
    assert_eq!(
        names,
        vec![
            "01 - Projet de décision de lancement de la commande.pdf".to_string(),
            "02 - Procès-verbal d'ouverture des offres.pdf".into(),
            "03 - Rapport d'analyse des offres.pdf".into(),
            "04 - Projet de décision d'attribution.pdf".into(),
            "05 - Notification de l'attribution.pdf".into(),
            format!("06 - Information d'un soumissionnaire — {loser_name}.pdf"),
            "07 - Bon de commande.pdf".into(),
            "08 - Procès-verbal de réception provisoire.pdf".into(),
            "09 - Procès-verbal de réception définitive.pdf".into(),
            "10 - Dossier complet de la commande.pdf".into(),
        ]
    );
    // Each entry is a whole PDF, its text the document's.
    let out = dir.join("out");
    let unzipped = std::process::Command::new("unzip")
        .arg("-q")
        .arg(&path)
        .arg("-d")
        .arg(&out)
        .status()
        .expect("unzip");
    assert!(unzipped.success());
    for name in &names {
        let pdf = std::fs::read(out.join(name)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        assert!(
            pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"),
            "{name} is whole"
        );
    }
    let report = common::text_of(&std::fs::read(out.join(&names[2])).unwrap());
    assert!(report.contains("Rapport d'analyse des offres"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
