//! A cache filled the way the sync fills it: a commune, the catalogue, an adhesion, orders at
//! every step with their invitations, offers and milestones.

use centrale_domain::adhesion::{
    Adhesion, AdhesionStatus, CollegeDecision, ConventionTemplate, Signature,
};
use centrale_domain::catalogue::{
    CallOffMethod, FrameworkAgreement, FrameworkDocument, FrameworkTerms, Provider, Service,
};
use centrale_domain::commune::{Commune, NisCode};
use centrale_domain::deployment::{plan_milestones, Milestone, MilestoneKind, MilestonePlan};
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::evaluation::{evaluate, OfferForScoring, QualityScore};
use centrale_domain::money::{Amount, Cents, VatRate};
use centrale_domain::offer::{price_offer, Invitation, InvitationStatus, Offer, OfferLineInput};
use centrale_domain::order::{
    Award, Competition, ContractManager, EvaluationRecord, NeedLine, Order, OrderNeeds,
    OrderStatus, PurchaseOrder,
};
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use centrale_protocol::Me;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::Store;

pub(super) const NIS: &str = "84009";

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(super) fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

pub(super) fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// Writes a record as a pulled change (or a local one) would leave it.
pub(super) fn put<T: Serialize>(
    store: &Store,
    kind: RecordKind,
    id: &str,
    body: &T,
    pending: bool,
    deleted: bool,
) {
    let body = serde_json::to_value(body).unwrap();
    let (commune, parent) = crate::records::index_fields(kind, &body);
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

pub(super) fn enterprise(body: u64) -> EnterpriseNumber {
    EnterpriseNumber::parse(&format!("{:08}{:02}", body, 97 - body % 97)).unwrap()
}

pub(super) fn provider(n: u128, short: &str, name: &str) -> Provider {
    Provider {
        id: Uuid::from_u128(n),
        short_name: short.into(),
        name: name.into(),
        enterprise_number: enterprise(1_234_567 + n as u64),
        address: "Rue de la Gare 1, 6880 Bertrix".into(),
        contact_email: format!("offres@{short}.be"),
    }
}

pub(super) fn terms(
    version: u32,
    providers: &[Uuid],
    licence_ceiling: i64,
    end: NaiveDate,
) -> FrameworkTerms {
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

pub(super) fn needs() -> OrderNeeds {
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

pub(super) fn order(n: u128, service: &Service, status: OrderStatus, title: &str) -> Order {
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
        launch_decision: None,
        conflict_declarations: Vec::new(),
        earlier_competitions: Vec::new(),
        may_buy_elsewhere: false,
        questions: Vec::new(),
        set_aside: Vec::new(),
        price_requests: Vec::new(),
        formerly: None,
        pool_id: None,
    }
}

pub(super) fn signature(role: Role, sha: &str) -> Signature {
    Signature {
        user_id: role.as_str().into(),
        name: role.as_str().into(),
        role,
        signed_at: at(2025, 11, 3, 10),
        text_sha256: sha.into(),
        capacity: Default::default(),
        title: String::new(),
        substitution: None,
    }
}

/// A commune of the reference data, in force until `valid_until` when given.
pub(super) fn commune_until(nis: &str, name: &str, valid_until: Option<NaiveDate>) -> Commune {
    Commune {
        nis_code: NisCode::parse(nis).unwrap(),
        name_fr: name.into(),
        name_nl: name.into(),
        arrondissement_fr: "Neufchâteau".into(),
        arrondissement_nis: "84000".into(),
        population: 5_000,
        population_date: date(2020, 1, 1),
        main_postal_code: "6880".into(),
        valid_from: None,
        valid_until,
        successor: None,
        enterprise_number: None,
    }
}

/// A change of a pulled page: version 1 of `record`.
pub(super) fn pulled(
    seq: i64,
    kind: RecordKind,
    id: &str,
    record: serde_json::Value,
) -> centrale_protocol::Change {
    centrale_protocol::Change {
        seq,
        kind,
        id: id.into(),
        version: 1,
        deleted: false,
        record,
    }
}

/// The changes of a pulled page bringing `communes`, numbered from 1.
pub(super) fn pulled_communes(communes: &[Commune]) -> Vec<centrale_protocol::Change> {
    communes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            pulled(
                i as i64 + 1,
                RecordKind::Commune,
                c.nis_code.as_str(),
                serde_json::to_value(c).unwrap(),
            )
        })
        .collect()
}

/// The centrale's account: it sees every commune's records.
pub(super) fn centrale_staff() -> Me {
    Me {
        user_id: "centrale.achats".into(),
        username: "centrale.achats".into(),
        display_name: "Centrale".into(),
        role: Role::CentraleStaff,
        commune_nis: None,
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    }
}

pub(super) struct Fixture {
    pub(super) _dir: tempfile::TempDir,
    pub(super) store: Store,
    pub(super) p1: Provider,
    pub(super) eguichet: Service,
    pub(super) evaluated: Order,
    pub(super) deploying: Order,
    pub(super) offer_a: Offer,
    pub(super) offer_b: Offer,
    pub(super) v1: FrameworkTerms,
}

pub(super) fn fixture() -> Fixture {
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
            gender: Default::default(),
            second_factor: false,
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
        added_on: None,
        from_need: None,
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
        added_on: None,
        from_need: None,
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
        added_on: None,
        from_need: None,
    };
    let deleted_service = Service {
        id: Uuid::from_u128(103),
        code: "ancien".into(),
        name_fr: "Ancien guichet".into(),
        summary_fr: "Retiré".into(),
        description_fr: "Retiré du catalogue, état civil.".into(),
        category_fr: "Administration électronique".into(),
        framework_id: Uuid::from_u128(200),
        added_on: None,
        from_need: None,
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
        enterprise_number: None,
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
        organ: Default::default(),
        financial_opinion: None,
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
        extensions: Vec::new(),
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
        let (lines, total) = price_offer(&v1, &needs().for_tenderers(), &inputs).unwrap();
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
            needs: needs().for_tenderers(),
            documents: vec![],
            framework_version: 1,
            deadline,
            sent_at: at(2026, 1, 20, 9),
            status: InvitationStatus::Closed,
            offer_submitted_at: Some(o.submitted_at),
            outcome: None,
            withdrawal: None,
            set_aside: None,
            price_requests: Vec::new(),
            clarifications: Vec::new(),
            pool_id: None,
            extensions: Vec::new(),
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
        .into_iter()
        .map(OfferForScoring::from)
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
            organ: Default::default(),
            financial_opinion: None,
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
        contract_manager: Some(ContractManager {
            name: "Marie Dupont".into(),
            quality: "Responsable informatique".into(),
        }),
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
        None,
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
        extensions: Vec::new(),
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
pub(super) fn today() -> NaiveDate {
    date(2026, 3, 1)
}
