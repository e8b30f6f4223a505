//! The read models over a cache filled the way the sync fills it.

use centrale_domain::adhesion::{
    Adhesion, AdhesionStatus, CollegeDecision, ConventionTemplate, Signature,
};
use centrale_domain::catalogue::{
    estimate_cost, CallOffMethod, CriterionKind, FrameworkAgreement, FrameworkDocument,
    FrameworkTerms, Provider, ProviderStatus, Service,
};
use centrale_domain::commune::{Commune, NisCode};
use centrale_domain::deployment::{plan_milestones, Milestone, MilestoneKind, MilestonePlan};
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::evaluation::{evaluate, OfferForScoring, QualityScore};
use centrale_domain::money::{Amount, Cents, VatRate};
use centrale_domain::offer::{price_offer, Invitation, InvitationStatus, Offer, OfferLineInput};
use centrale_domain::order::{
    Award, Competition, EvaluationRecord, NeedLine, Order, OrderNeeds, OrderStatus, PurchaseOrder,
};
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use centrale_protocol::Me;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::*;
use crate::Store;

const NIS: &str = "84009";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Writes a record as a pulled change (or a local one) would leave it.
fn put<T: Serialize>(
    store: &Store,
    kind: RecordKind,
    id: &str,
    body: &T,
    pending: bool,
    deleted: bool,
) {
    let body = serde_json::to_value(body).unwrap();
    let text = |f: &str| body.get(f).and_then(|v| v.as_str()).map(str::to_string);
    let commune = match kind {
        RecordKind::Commune => text("nis_code"),
        _ => text("commune_nis"),
    };
    let parent = match kind {
        RecordKind::Invitation | RecordKind::Offer | RecordKind::Milestone => text("order_id"),
        RecordKind::Order => text("service_id"),
        RecordKind::Service => text("framework_id"),
        _ => None,
    };
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO record (kind, id, version, deleted, body, commune_nis, parent_id,
                   pending, server_version, server_body)
                 VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, NULL, NULL)",
                params![
                    kind.as_str(),
                    id,
                    deleted,
                    body.to_string(),
                    commune,
                    parent,
                    pending
                ],
            )?;
            Ok(())
        })
        .unwrap();
}

fn enterprise(body: u64) -> EnterpriseNumber {
    EnterpriseNumber::parse(&format!("{:08}{:02}", body, 97 - body % 97)).unwrap()
}

fn provider(n: u128, short: &str, name: &str) -> Provider {
    Provider {
        id: Uuid::from_u128(n),
        short_name: short.into(),
        name: name.into(),
        enterprise_number: enterprise(1_234_567 + n as u64),
        address: "Rue de la Gare 1, 6880 Bertrix".into(),
        contact_email: format!("offres@{short}.be"),
    }
}

fn terms(version: u32, providers: &[Uuid], licence_ceiling: i64, end: NaiveDate) -> FrameworkTerms {
    let mut t = centrale_domain::fixtures::sample_terms(providers);
    t.version = version;
    t.published_at = at(2025, 2, 1, 9);
    t.end_date = end;
    t.award_criteria[1].label_fr = "Qualité technique".into();
    t.price_schedule[1].ceiling_cents = Cents(licence_ceiling);
    t.documents = vec![FrameworkDocument {
        title_fr: "Cahier des charges".into(),
        version: "1.0".into(),
        file_name: "cdc.pdf".into(),
        sha256: "ab".repeat(32),
    }];
    t
}

fn needs() -> OrderNeeds {
    OrderNeeds {
        description: "E-guichet pour l'état civil".into(),
        lines: vec![
            NeedLine {
                price_line_code: "setup".into(),
                quantity: dec(1),
                note: String::new(),
            },
            NeedLine {
                price_line_code: "licence".into(),
                quantity: dec(9),
                note: String::new(),
            },
        ],
        sites: vec!["Maison communale".into()],
        desired_start: None,
        desired_go_live: None,
        budget: Some(Cents(700_000)),
    }
}

fn order(n: u128, service: &Service, status: OrderStatus, title: &str) -> Order {
    Order {
        id: Uuid::from_u128(n),
        commune_nis: NIS.into(),
        service_id: service.id,
        framework_id: service.framework_id,
        framework_version: 1,
        title: title.into(),
        needs: needs(),
        status,
        created_by: "dg.84009".into(),
        created_at: at(2026, 1, 1, 8) + chrono::Duration::hours(n as i64),
        submitted_at: (status != OrderStatus::Draft).then(|| at(2026, 1, 2, 8)),
        competition: None,
        opened_at: None,
        offers_received: None,
        evaluation: None,
        award: None,
        purchase_order: None,
        provisional_acceptance: None,
        final_acceptance: None,
        closure: None,
    }
}

fn signature(role: Role, sha: &str) -> Signature {
    Signature {
        user_id: role.as_str().into(),
        name: role.as_str().into(),
        role,
        signed_at: at(2025, 11, 3, 10),
        text_sha256: sha.into(),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    p1: Provider,
    eguichet: Service,
    evaluated: Order,
    deploying: Order,
    offer_a: Offer,
    offer_b: Offer,
    v1: FrameworkTerms,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("c.db")).unwrap();
    store
        .set_session(&Me {
            user_id: "dg.84009".into(),
            username: "dg.84009".into(),
            display_name: "Directrice générale".into(),
            role: Role::DirectorGeneral,
            commune_nis: Some(NIS.into()),
            provider_id: None,
        })
        .unwrap();

    let p1 = provider(1, "nuagix", "Nuagix SA");
    let p2 = provider(2, "citenum", "Cité Numérique SRL");
    for p in [&p1, &p2] {
        put(
            &store,
            RecordKind::Provider,
            &p.id.to_string(),
            p,
            false,
            false,
        );
    }

    // E-guichet: version 1 (orders pinned to it), then version 2 raising the licence ceiling.
    let v1 = terms(1, &[p1.id, p2.id], 18_000, date(2029, 2, 28));
    let mut v2 = terms(2, &[p1.id, p2.id], 20_000, date(2029, 2, 28));
    v2.change_note = "Indexation".into();
    let eguichet = Service {
        id: Uuid::from_u128(100),
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: "Commander ses documents en ligne".into(),
        description_fr: "Les citoyens commandent leurs actes d'état civil en ligne.".into(),
        category_fr: "Administration électronique".into(),
        framework_id: Uuid::from_u128(200),
    };
    let f1 = FrameworkAgreement {
        id: eguichet.framework_id,
        service_id: eguichet.id,
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![v1.clone(), v2],
    };
    // Air quality: a framework that has ended.
    let air = Service {
        id: Uuid::from_u128(101),
        code: "qualite-air".into(),
        name_fr: "Qualité de l'air".into(),
        summary_fr: "Capteurs".into(),
        description_fr: "Mesure des particules fines.".into(),
        category_fr: "Environnement".into(),
        framework_id: Uuid::from_u128(201),
    };
    let f2 = FrameworkAgreement {
        id: air.framework_id,
        service_id: air.id,
        reference: "CA-2022-07".into(),
        title_fr: "Qualité de l'air".into(),
        call_off_method: CallOffMethod::Both,
        versions: vec![terms(1, &[p2.id], 18_000, date(2025, 12, 31))],
    };
    let pending_service = Service {
        id: Uuid::from_u128(102),
        code: "participation".into(),
        name_fr: "Participation citoyenne".into(),
        summary_fr: "Plateforme".into(),
        description_fr: "Consulter les habitants.".into(),
        category_fr: "Démocratie".into(),
        framework_id: Uuid::from_u128(202),
    };
    let deleted_service = Service {
        id: Uuid::from_u128(103),
        code: "ancien".into(),
        name_fr: "Ancien guichet".into(),
        summary_fr: "Retiré".into(),
        description_fr: "Retiré du catalogue, état civil.".into(),
        category_fr: "Administration électronique".into(),
        framework_id: Uuid::from_u128(200),
    };
    put(
        &store,
        RecordKind::Framework,
        &f1.id.to_string(),
        &f1,
        false,
        false,
    );
    put(
        &store,
        RecordKind::Framework,
        &f2.id.to_string(),
        &f2,
        false,
        false,
    );
    for s in [&eguichet, &air] {
        put(
            &store,
            RecordKind::Service,
            &s.id.to_string(),
            s,
            false,
            false,
        );
    }
    put(
        &store,
        RecordKind::Service,
        &pending_service.id.to_string(),
        &pending_service,
        true,
        false,
    );
    put(
        &store,
        RecordKind::Service,
        &deleted_service.id.to_string(),
        &deleted_service,
        false,
        true,
    );

    let bertrix = Commune {
        nis_code: NisCode::parse(NIS).unwrap(),
        name_fr: "Bertrix".into(),
        name_nl: "Bertrix".into(),
        arrondissement_fr: "Neufchâteau".into(),
        arrondissement_nis: "84000".into(),
        population: 8_844,
        population_date: date(2020, 1, 1),
        main_postal_code: "6880".into(),
        valid_from: None,
        valid_until: None,
        successor: None,
    };
    let mut arlon = bertrix.clone();
    arlon.nis_code = NisCode::parse("81001").unwrap();
    arlon.name_fr = "Arlon".into();
    arlon.population = 30_000;
    put(&store, RecordKind::Commune, NIS, &bertrix, false, false);
    put(&store, RecordKind::Commune, "81001", &arlon, false, false);

    let t1 = ConventionTemplate::new(
        Uuid::from_u128(300),
        1,
        "Convention".into(),
        "Article 1. …".into(),
    );
    let t2 = ConventionTemplate::new(
        Uuid::from_u128(301),
        2,
        "Convention".into(),
        "Article 1 (2026). …".into(),
    );
    for t in [&t1, &t2] {
        put(
            &store,
            RecordKind::ConventionTemplate,
            &t.id.to_string(),
            t,
            false,
            false,
        );
    }
    let mut adhesion = Adhesion::draft(Uuid::from_u128(400), NIS, &t1);
    adhesion.college_decision = Some(CollegeDecision {
        reference: "COL/2025/12".into(),
        date: date(2025, 11, 2),
    });
    adhesion.director_general_signature = Some(signature(Role::DirectorGeneral, &t1.sha256));
    adhesion.mayor_signature = Some(signature(Role::Mayor, &t1.sha256));
    adhesion.countersignature = Some(signature(Role::CentraleStaff, &t1.sha256));
    adhesion.status = AdhesionStatus::Active;
    adhesion.activated_at = Some(at(2025, 11, 10, 9));
    put(
        &store,
        RecordKind::Adhesion,
        &adhesion.id.to_string(),
        &adhesion,
        false,
        false,
    );

    // An evaluated order: two invitations, two opened offers, the ranking.
    let mut evaluated = order(
        10,
        &eguichet,
        OrderStatus::Evaluated,
        "E-guichet état civil 2026",
    );
    let deadline = at(2026, 2, 14, 11);
    evaluated.competition = Some(Competition {
        launched_at: at(2026, 1, 20, 9),
        deadline,
        invited_provider_ids: vec![p1.id, p2.id],
        launched_by: "centrale".into(),
    });
    evaluated.opened_at = Some(deadline);
    evaluated.offers_received = Some(2);
    let make_offer = |n: u128, p: &Provider, setup: i64, licence: i64, lead: u32| {
        let inputs = [
            OfferLineInput {
                price_line_code: "setup".into(),
                unit_price_cents: Cents(setup),
            },
            OfferLineInput {
                price_line_code: "licence".into(),
                unit_price_cents: Cents(licence),
            },
        ];
        let (lines, total) = price_offer(&v1, &needs(), &inputs).unwrap();
        Offer {
            id: Uuid::from_u128(n),
            order_id: evaluated.id,
            invitation_id: Uuid::from_u128(n + 10),
            provider_id: p.id,
            commune_nis: NIS.into(),
            revision: 1,
            lines,
            total,
            lead_time_days: lead,
            notes: format!("Notes de {}", p.name),
            submitted_at: deadline - chrono::Duration::days(1),
            content_sha256: "00".repeat(32),
        }
    };
    let offer_a = make_offer(20, &p1, 400_000, 15_000, 90);
    let offer_b = make_offer(21, &p2, 450_000, 16_000, 60);
    for (o, p) in [(&offer_a, &p1), (&offer_b, &p2)] {
        let inv = Invitation {
            id: o.invitation_id,
            order_id: evaluated.id,
            provider_id: p.id,
            commune_nis: NIS.into(),
            order_title: evaluated.title.clone(),
            needs: needs(),
            documents: vec![],
            framework_version: 1,
            deadline,
            sent_at: at(2026, 1, 20, 9),
            status: InvitationStatus::Closed,
            offer_submitted_at: Some(o.submitted_at),
            outcome: None,
        };
        put(
            &store,
            RecordKind::Invitation,
            &inv.id.to_string(),
            &inv,
            false,
            false,
        );
        put(
            &store,
            RecordKind::Offer,
            &o.id.to_string(),
            o,
            false,
            false,
        );
    }
    let scoring: Vec<OfferForScoring> = [&offer_a, &offer_b]
        .iter()
        .map(|o| OfferForScoring {
            offer_id: o.id,
            provider_id: o.provider_id,
            total_excl_vat: o.total.excl_vat,
            submitted_at: o.submitted_at,
        })
        .collect();
    let quality = vec![
        QualityScore {
            offer_id: offer_a.id,
            criterion_code: "quality".into(),
            points: dec(30),
            justification: "Interface correcte, peu d'intégrations.".into(),
        },
        QualityScore {
            offer_id: offer_b.id,
            criterion_code: "quality".into(),
            points: dec(38),
            justification: "Intégration complète avec le registre national.".into(),
        },
    ];
    let ranking = evaluate(&v1.award_criteria, &scoring, &quality).unwrap();
    evaluated.evaluation = Some(EvaluationRecord {
        quality_scores: quality,
        ranking,
        evaluated_at: at(2026, 2, 20, 10),
        evaluated_by: "dg.84009".into(),
    });
    put(
        &store,
        RecordKind::Order,
        &evaluated.id.to_string(),
        &evaluated,
        false,
        false,
    );

    // A deploying order: kick-off done, configuration planned 24/02/2026.
    let mut deploying = order(
        11,
        &eguichet,
        OrderStatus::Deploying,
        "E-guichet population",
    );
    deploying.award = Some(Award {
        offer_id: None,
        provider_id: p1.id,
        justification: "Attribution directe aux conditions de l'accord-cadre.".into(),
        college_decision: CollegeDecision {
            reference: "COL/2026/3".into(),
            date: date(2026, 1, 9),
        },
        amount: Amount::at_rate(Cents(612_000), VatRate::standard()),
        direct: true,
        awarded_at: at(2026, 1, 10, 9),
        awarded_by: "dg.84009".into(),
    });
    deploying.purchase_order = Some(PurchaseOrder {
        reference: "BC-2026-0001".into(),
        issued_at: at(2026, 1, 11, 9),
        issued_by: "centrale".into(),
    });
    put(
        &store,
        RecordKind::Order,
        &deploying.id.to_string(),
        &deploying,
        false,
        false,
    );
    let mut n = 500u128;
    let milestones: Vec<Milestone> = plan_milestones(
        &MilestonePlan::standard(),
        date(2026, 1, 10),
        deploying.id,
        NIS,
        p1.id,
        || {
            n += 1;
            Uuid::from_u128(n)
        },
    );
    for mut m in milestones {
        if m.kind == MilestoneKind::Kickoff {
            m.actual_date = Some(date(2026, 1, 24));
        }
        put(
            &store,
            RecordKind::Milestone,
            &m.id.to_string(),
            &m,
            false,
            false,
        );
    }

    // A draft typed offline (pending), an open competition, and a deleted order.
    let draft = order(12, &eguichet, OrderStatus::Draft, "Brouillon hors ligne");
    put(
        &store,
        RecordKind::Order,
        &draft.id.to_string(),
        &draft,
        true,
        false,
    );
    let mut open = order(
        13,
        &eguichet,
        OrderStatus::CompetitionOpen,
        "Remise en concurrence",
    );
    open.competition = Some(Competition {
        launched_at: at(2026, 2, 1, 9),
        deadline: at(2026, 3, 14, 11),
        invited_provider_ids: vec![p1.id, p2.id],
        launched_by: "centrale".into(),
    });
    put(
        &store,
        RecordKind::Order,
        &open.id.to_string(),
        &open,
        false,
        false,
    );
    let gone = order(14, &eguichet, OrderStatus::Submitted, "Supprimée");
    put(
        &store,
        RecordKind::Order,
        &gone.id.to_string(),
        &gone,
        false,
        true,
    );

    Fixture {
        _dir: dir,
        store,
        p1,
        eguichet,
        evaluated,
        deploying,
        offer_a,
        offer_b,
        v1,
    }
}

/// The day the screens are computed for.
fn today() -> NaiveDate {
    date(2026, 3, 1)
}

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
    let communes = f.store.communes().unwrap();
    let names: Vec<&str> = communes.iter().map(|c| c.name_fr.as_str()).collect();
    assert_eq!(names, ["Arlon", "Bertrix"]);
    assert_eq!(communes[0].adhesion_status, None);
    assert_eq!(communes[1].adhesion_status, Some(AdhesionStatus::Active));
    let bertrix = f.store.commune(NIS).unwrap().unwrap();
    assert_eq!(bertrix.population, 8_844);
    assert!(f.store.commune("99999").unwrap().is_none());

    let screen = f.store.adhesion().unwrap();
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

    let arlon = f.store.adhesion_of("81001").unwrap();
    assert!(arlon.adhesion.is_none());
    assert_eq!(arlon.convention.unwrap().version, 2);
}

#[test]
fn orders_list_shows_pending_hides_deleted_and_says_what_is_next() {
    let f = fixture();
    let rows = f.store.orders(&OrderFilter::default()).unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    // Newest first; the deleted order is not shown.
    assert_eq!(
        titles,
        [
            "Remise en concurrence",
            "Brouillon hors ligne",
            "E-guichet population",
            "E-guichet état civil 2026"
        ]
    );
    let draft = &rows[1];
    assert!(draft.pending);
    assert_eq!(draft.next_action.unwrap().code, NextActionCode::Submit);
    assert_eq!(draft.service_name.as_deref(), Some("E-guichet"));
    let open = rows[0].next_action.unwrap();
    assert_eq!(
        (open.code, open.by),
        (NextActionCode::WaitOffers, Party::Provider)
    );
    assert_eq!(open.due_at, Some(at(2026, 3, 14, 11)));
    let deploying = rows[2].next_action.unwrap();
    assert_eq!(deploying.code, NextActionCode::FollowDeployment);
    assert_eq!(deploying.due_on, Some(date(2026, 2, 24)));
    assert_eq!(rows[3].next_action.unwrap().code, NextActionCode::Award);

    let evaluated = f
        .store
        .orders(&OrderFilter {
            statuses: vec![OrderStatus::Evaluated, OrderStatus::Submitted],
        })
        .unwrap();
    assert_eq!(evaluated.len(), 1);
    assert_eq!(evaluated[0].id, f.evaluated.id);
}

#[test]
fn order_detail_puts_offers_side_by_side_with_pinned_ceilings_and_ranking() {
    let f = fixture();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    assert_eq!(d.order.framework_version, 1);
    assert_eq!(d.terms.as_ref().unwrap().version, 1);
    assert_eq!(d.needs.lines[1].ceiling_excl_vat, Some(Cents(18_000)));
    assert_eq!(
        d.needs.total_at_ceilings.excl_vat,
        Cents(450_000 + 9 * 18_000)
    );

    // Invitations by provider name, both submitted.
    let inv: Vec<_> = d
        .invitations
        .iter()
        .map(|i| (i.provider_name.clone().unwrap(), i.offer_submitted))
        .collect();
    assert_eq!(
        inv,
        [
            ("Cité Numérique SRL".to_string(), true),
            ("Nuagix SA".to_string(), true)
        ]
    );

    // Columns by rank: B (better quality) first although A is cheaper.
    let c = &d.comparison;
    assert_eq!(c.columns.len(), 2);
    let (b, a) = (&c.columns[0], &c.columns[1]);
    assert_eq!((b.offer_id, b.rank), (f.offer_b.id, Some(1)));
    assert_eq!((a.offer_id, a.rank), (f.offer_a.id, Some(2)));
    assert_eq!(a.total.excl_vat, Cents(535_000));
    assert_eq!(a.total.incl_vat, Cents(647_350));
    assert_eq!(b.total.excl_vat, Cents(594_000));
    assert!(a.lowest_total && !b.lowest_total);
    assert!(b.shortest_lead_time && !a.shortest_lead_time);
    assert_eq!(a.notes, "Notes de Nuagix SA");
    // Rows in the needs' order, each with the pinned ceiling beside the prices.
    let codes: Vec<&str> = c.rows.iter().map(|r| r.price_line_code.as_str()).collect();
    assert_eq!(codes, ["setup", "licence"]);
    let licence = &c.rows[1];
    assert_eq!(licence.quantity, dec(9));
    assert_eq!(licence.ceiling_excl_vat, Some(Cents(18_000)));
    assert_eq!(licence.ceiling_incl_vat, Some(Cents(21_780)));
    let cell_b = licence.cells[0].as_ref().unwrap();
    let cell_a = licence.cells[1].as_ref().unwrap();
    assert_eq!(cell_a.unit_price_excl_vat, Cents(15_000));
    assert_eq!(cell_a.amount.excl_vat, Cents(135_000));
    assert_eq!(cell_a.amount.incl_vat, Cents(163_350));
    assert_eq!(cell_b.amount.excl_vat, Cents(144_000));
    assert_eq!(cell_a.ceiling_excl_vat, Some(Cents(18_000)));
    assert!(cell_a.within_ceiling && cell_b.within_ceiling);
    assert!(cell_a.best && !cell_b.best);
    // Set-up: A (4 000,00 €) under B (4 500,00 € = the ceiling).
    assert_eq!(
        c.rows[0].cells[0].as_ref().unwrap().unit_price_excl_vat,
        Cents(450_000)
    );
    assert!(c.rows[0].cells[1].as_ref().unwrap().best);

    // Ranking: price score 60 for the cheapest, 60 × 535 000 / 594 000 for the other.
    let ev = d.evaluation.unwrap();
    assert_eq!(ev.criteria.len(), 2);
    let first = &ev.ranking[0];
    assert_eq!((first.rank, first.offer_id), (1, f.offer_b.id));
    assert_eq!(first.provider_name.as_deref(), Some("Cité Numérique SRL"));
    assert_eq!(first.price_score, Some(Decimal::new(5404, 2)));
    assert_eq!(first.total, Decimal::new(9204, 2));
    let quality = &first.scores[1];
    assert_eq!(
        (quality.kind, quality.points, quality.weight),
        (Some(CriterionKind::Quality), dec(38), 40)
    );
    assert!(quality
        .justification
        .as_deref()
        .unwrap()
        .contains("registre national"));
    assert_eq!(ev.ranking[1].price_score, Some(dec(60)));
    assert_eq!(ev.ranking[1].total, dec(90));
    assert_eq!(ev.ranking[1].total_excl_vat, Cents(535_000));
    assert_eq!(d.next_action.unwrap().code, NextActionCode::Award);
    assert!(d.award.is_none() && d.milestones.is_empty());

    assert!(f
        .store
        .order_detail(Uuid::from_u128(14), today())
        .unwrap()
        .is_none());
}

#[test]
fn deployments_flag_late_milestones() {
    let f = fixture();
    let deps = f.store.deployments(today()).unwrap();
    assert_eq!(deps.len(), 1);
    let d = &deps[0];
    assert_eq!(d.order_id, f.deploying.id);
    assert_eq!(d.provider_name.as_deref(), Some("Nuagix SA"));
    assert_eq!(d.milestones.len(), 7);
    assert_eq!(d.milestones[0].kind, MilestoneKind::Kickoff);
    assert!(!d.milestones[0].late);
    // Configuration planned 24/02/2026, not done on 01/03/2026.
    assert_eq!(d.milestones[1].kind, MilestoneKind::Configuration);
    assert!(d.milestones[1].late);
    assert!(!d.milestones[2].late);
    assert_eq!(
        d.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    // The day of the planned date itself is not late yet.
    let on_time = f.store.deployments(date(2026, 2, 24)).unwrap();
    assert_eq!(on_time[0].progress.late, 0);

    let detail = f
        .store
        .order_detail(f.deploying.id, today())
        .unwrap()
        .unwrap();
    assert_eq!(
        detail.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    assert!(detail.award.unwrap().direct);
    assert_eq!(detail.purchase_order.unwrap().reference, "BC-2026-0001");
}

#[test]
fn home_sums_up_the_commune() {
    let f = fixture();
    let home = f.store.home(today()).unwrap();
    let adhesion = home.adhesion.unwrap();
    assert_eq!(adhesion.status, AdhesionStatus::Active);
    assert!(adhesion.allows_orders);
    let counts: Vec<(OrderStatus, u32)> = home
        .orders_by_status
        .iter()
        .map(|s| (s.status, s.count))
        .collect();
    assert_eq!(
        counts,
        [
            (OrderStatus::Draft, 1),
            (OrderStatus::CompetitionOpen, 1),
            (OrderStatus::Evaluated, 1),
            (OrderStatus::Deploying, 1)
        ]
    );
    // Soonest due first (the late configuration, then the offers' deadline), then the rest.
    let actions: Vec<(NextActionCode, bool)> = home
        .next_actions
        .iter()
        .map(|a| (a.action.code, a.overdue))
        .collect();
    assert_eq!(actions[0], (NextActionCode::FollowDeployment, true));
    assert_eq!(actions[1], (NextActionCode::WaitOffers, false));
    assert_eq!(actions.len(), 4);
    assert!(home
        .next_actions
        .iter()
        .any(|a| a.pending && a.action.code == NextActionCode::Submit));
    assert_eq!(home.deployments.len(), 1);
    let dep = &home.deployments[0];
    assert_eq!(
        dep.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    let next = dep.next_milestone.unwrap();
    assert_eq!((next.kind, next.late), (MilestoneKind::Configuration, true));
}

#[test]
fn search_folding() {
    assert_eq!(
        catalogue::fold("Qualité DE L’AIR Œuvre"),
        "qualite de l'air oeuvre"
    );
    assert_eq!(catalogue::fold("e\u{301}tat"), "etat");
}
