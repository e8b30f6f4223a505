//! The catalogue, the communes and the adhesion as the screens read them.

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::catalogue::{estimate_cost, ProviderStatus};
use centrale_domain::money::Cents;
use centrale_domain::role::Role;
use uuid::Uuid;

use crate::read::*;

use super::fixture::*;

#[test]
fn services_search_ignores_case_and_accents_and_filters_by_category() {
    let f = fixture();
    let all = f
        .store
        .services(&ServiceFilter::default(), today())
        .unwrap();
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    // Sorted by name; the deleted service is not shown; the pending one is, flagged.
    assert_eq!(
        names,
        ["E-guichet", "Participation citoyenne", "Qualité de l'air"]
    );
    assert!(all[1].pending && !all[0].pending);

    let found = f
        .store
        .services(
            &ServiceFilter {
                text: Some("ETAT civil".into()),
                category: None,
            },
            today(),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, f.eguichet.id);
    let e = &found[0];
    assert_eq!(e.end_date, Some(date(2029, 2, 28)));
    assert_eq!(e.provider_names, ["Nuagix SA", "Cité Numérique SRL"]);
    assert!(e.call_off_possible && e.call_off_blocker.is_none());
    assert_eq!(e.framework_reference.as_deref(), Some("CA-2025-01"));

    let env = f
        .store
        .services(
            &ServiceFilter {
                text: None,
                category: Some("environnement".into()),
            },
            today(),
        )
        .unwrap();
    assert_eq!(env.len(), 1);
    assert_eq!(env[0].name, "Qualité de l'air");
    assert!(!env[0].call_off_possible);
    assert_eq!(env[0].call_off_blocker, Some(CallOffBlocker::Ended));

    let by_accent = f
        .store
        .services(
            &ServiceFilter {
                text: Some("qualite".into()),
                category: Some("ENVIRONNEMENT".into()),
            },
            today(),
        )
        .unwrap();
    assert_eq!(by_accent.len(), 1);
    let none = f
        .store
        .services(
            &ServiceFilter {
                text: Some("air".into()),
                category: Some("Démocratie".into()),
            },
            today(),
        )
        .unwrap();
    assert!(none.is_empty());
    // The participation service's framework is not on this PC.
    assert_eq!(
        all[1].call_off_blocker,
        Some(CallOffBlocker::FrameworkMissing)
    );

    let categories = f.store.service_categories().unwrap();
    assert_eq!(
        categories,
        ["Administration électronique", "Démocratie", "Environnement"]
    );
}

#[test]
fn service_detail_shows_current_terms_and_the_communes_estimate() {
    let f = fixture();
    let d = f
        .store
        .service_detail(f.eguichet.id, today())
        .unwrap()
        .unwrap();
    let fw = d.framework.as_ref().unwrap();
    assert_eq!(fw.version_count, 2);
    assert_eq!(fw.terms.version, 2);
    assert_eq!(fw.terms.change_note, "Indexation");
    assert_eq!(fw.terms.end_date, date(2029, 2, 28));
    let licence = &fw.terms.price_schedule[1];
    assert_eq!(licence.ceiling_excl_vat, Cents(20_000));
    assert_eq!(licence.ceiling_incl_vat, Cents(24_200));
    assert_eq!(licence.vat_rate_percent, dec(21));
    assert_eq!(fw.terms.price_schedule[0].ceiling_incl_vat, Cents(544_500));
    let weights: Vec<(&str, u32)> = fw
        .terms
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), c.weight))
        .collect();
    assert_eq!(weights, [("price", 60), ("quality", 40)]);
    assert_eq!(fw.terms.documents[0].file_name, "cdc.pdf");
    let names: Vec<_> = fw
        .terms
        .providers
        .iter()
        .map(|p| p.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["Nuagix SA", "Cité Numérique SRL"]);
    assert_eq!(
        fw.terms.providers[0].enterprise_number,
        Some(f.p1.enterprise_number.formatted())
    );
    assert_eq!(fw.terms.providers[0].status, ProviderStatus::Active);

    // Bertrix, 8 844 inhabitants: 1 set-up + 9 licences at the ceilings in force.
    let est = d.estimate.unwrap();
    assert_eq!(est.population, 8_844);
    assert_eq!(est.lines[1].quantity, dec(9));
    assert_eq!(est.lines[1].label, "Licence annuelle");
    assert_eq!(est.total.excl_vat, Cents(450_000 + 9 * 20_000));
    let mut t = f.v1.clone();
    t.price_schedule[1].ceiling_cents = Cents(20_000);
    assert_eq!(est.total, estimate_cost(&t, 8_844).1);
    assert_eq!(est.total.incl_vat, Cents(762_300));

    assert!(f
        .store
        .service_detail(Uuid::from_u128(103), today())
        .unwrap()
        .is_none());
}

#[test]
fn communes_and_adhesion() {
    let f = fixture();
    let communes = f.store.communes(today()).unwrap();
    let names: Vec<&str> = communes.iter().map(|c| c.name_fr.as_str()).collect();
    assert_eq!(names, ["Arlon", "Bertrix"]);
    assert_eq!(communes[0].adhesion_status, None);
    assert_eq!(communes[1].adhesion_status, Some(AdhesionStatus::Active));
    assert!(communes.iter().all(|c| c.current), "both codes in force");
    let bertrix = f.store.commune(NIS, today()).unwrap().unwrap();
    assert_eq!(bertrix.population, 8_844);
    assert!(f.store.commune("99999", today()).unwrap().is_none());

    let screen = f.store.adhesion(today()).unwrap();
    let a = screen.adhesion.unwrap();
    assert_eq!(a.status, AdhesionStatus::Active);
    assert!(a.allows_orders && a.next_step.is_none() && a.missing_signatures.is_empty());
    assert_eq!(a.college_decision.unwrap().reference, "COL/2025/12");
    assert_eq!(a.countersignature.unwrap().role, Role::CentraleStaff);
    let convention = screen.convention.unwrap();
    assert_eq!(convention.version, 1);
    assert!(convention.intact && !convention.in_force);
    assert_eq!(screen.newer_convention_version, Some(2));

    let in_force = f.store.convention_template_in_force().unwrap().unwrap();
    assert_eq!(in_force.version, 2);
    assert!(in_force.in_force);
    assert_eq!(in_force.text, "Article 1 (2026). …");

    let arlon = f.store.adhesion_of("81001", today()).unwrap();
    assert!(arlon.adhesion.is_none());
    assert_eq!(arlon.convention.unwrap().version, 2);
}

#[test]
fn catalogue_management_reads_the_providers_and_the_terms_in_force() {
    let f = fixture();
    let names: Vec<String> = f
        .store
        .providers()
        .unwrap()
        .into_iter()
        .map(|p| p.provider.name)
        .collect();
    assert_eq!(names, ["Cité Numérique SRL", "Nuagix SA"]);

    let terms = f
        .store
        .framework_terms(f.eguichet.framework_id)
        .unwrap()
        .unwrap();
    assert_eq!(terms.service_id, f.eguichet.id);
    assert_eq!(terms.reference, "CA-2025-01");
    assert_eq!(terms.version_count, 2);
    assert_eq!(terms.terms.version, 2);
    assert_eq!(terms.terms.change_note, "Indexation");
    assert_ne!(terms.terms, f.v1);
    assert!(f
        .store
        .framework_terms(Uuid::from_u128(999))
        .unwrap()
        .is_none());
}

#[test]
fn search_folding() {
    assert_eq!(
        catalogue::fold("Qualité DE L’AIR Œuvre"),
        "qualite de l'air oeuvre"
    );
    assert_eq!(catalogue::fold("e\u{301}tat"), "etat");
}

/// The convention's article 12: a notice given reads as active, orders allowed, until its
/// effective date, and as terminated from that day (the screen asks with its day).
#[test]
fn a_notice_of_termination_reads_terminated_from_its_effective_date() {
    use centrale_domain::adhesion::{Adhesion, Termination};
    let f = fixture();
    let id = f.store.adhesion(today()).unwrap().adhesion.unwrap().id;
    let body: String = f
        .store
        .write(|tx| {
            Ok(tx.query_row(
                "SELECT body FROM record WHERE kind = 'adhesion' AND id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let mut a: Adhesion = serde_json::from_str(&body).unwrap();
    let effective = today() + chrono::Days::new(10);
    a.termination = Some(Termination {
        notice_date: today(),
        effective_date: effective,
        reason: "Regroupement".into(),
        by: "Marie Dupont".into(),
        director_general_signature: a.director_general_signature.clone(),
        mayor_signature: a.mayor_signature.clone(),
    });
    f.store
        .write(|tx| {
            tx.execute(
                "UPDATE record SET body = ?1 WHERE kind = 'adhesion' AND id = ?2",
                rusqlite::params![serde_json::to_string(&a).unwrap(), a.id.to_string()],
            )?;
            Ok(())
        })
        .unwrap();
    let before = f.store.adhesion(today()).unwrap().adhesion.unwrap();
    assert_eq!(before.status, AdhesionStatus::Active);
    assert!(before.allows_orders);
    assert!(before.missing_termination_signatures.is_empty());
    let after = f.store.adhesion(effective).unwrap().adhesion.unwrap();
    assert_eq!(after.status, AdhesionStatus::Terminated);
    assert!(!after.allows_orders);
}

/// Issue 16 §1: the catalogue tells a commune, service by service, which of the solutions it
/// already runs (its awarded call-offs) a solution of the service works with.
#[test]
fn issue_16_the_catalogue_says_what_fits_the_solutions_the_commune_runs() {
    use centrale_domain::catalogue::FrameworkAgreement;
    use centrale_domain::interoperability::{
        HostingLocation, InteroperabilitySheet, Solution, SolutionLink,
    };
    use centrale_protocol::records::RecordKind;
    let f = fixture();
    let runs = f
        .deploying
        .award
        .as_ref()
        .expect("an awarded call-off")
        .provider_id;
    let sheet = |provider_id, name: &str, works_with| InteroperabilitySheet {
        provider_id,
        solution_name: name.into(),
        open_data: vec![],
        apis: vec![],
        citizen_identity: vec![],
        data_exports: vec![],
        hosting: HostingLocation::Belgium,
        hosting_detail: String::new(),
        reversibility: "Export complet en CSV.".into(),
        works_with,
        checks: vec![],
    };
    // The e-guichet's solution the commune runs has its sheet; the air quality's sheet links
    // to it.
    let mut eguichet: FrameworkAgreement = serde_json::from_str(
        &f.store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT body FROM record WHERE kind = 'framework' AND id = ?1",
                    [f.eguichet.framework_id.to_string()],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .unwrap(),
    )
    .unwrap();
    eguichet.versions.last_mut().unwrap().interoperability =
        vec![sheet(runs, "Guichet Nuagix 4", vec![])];
    let mut air: FrameworkAgreement = serde_json::from_str(
        &f.store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT body FROM record WHERE kind = 'framework' AND id = ?1",
                    [Uuid::from_u128(201).to_string()],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .unwrap(),
    )
    .unwrap();
    let air_party = air.versions.last().unwrap().providers[0].provider_id;
    air.versions.last_mut().unwrap().interoperability = vec![sheet(
        air_party,
        "Capteurs 2",
        vec![SolutionLink {
            with: Solution {
                service_id: f.eguichet.id,
                provider_id: runs,
            },
            how: "Alertes publiées sur le guichet".into(),
            checked_on: None,
        }],
    )];
    for (id, body) in [
        (f.eguichet.framework_id.to_string(), &eguichet),
        (Uuid::from_u128(201).to_string(), &air),
    ] {
        f.store
            .write(|tx| {
                tx.execute(
                    "UPDATE record SET body = ?2 WHERE kind = ?1 AND id = ?3",
                    rusqlite::params![
                        RecordKind::Framework.as_str(),
                        serde_json::to_string(body).unwrap(),
                        id
                    ],
                )?;
                Ok(())
            })
            .unwrap();
    }
    let all = f
        .store
        .services(&ServiceFilter::default(), today())
        .unwrap();
    let air_row = all.iter().find(|s| s.code == "qualite-air").unwrap();
    assert_eq!(air_row.fits_running, ["Guichet Nuagix 4"]);
    // The e-guichet itself: the commune's own service replaces, it does not « fit ».
    let eguichet_row = all.iter().find(|s| s.code == "e-guichet").unwrap();
    assert!(eguichet_row.fits_running.is_empty());
}
