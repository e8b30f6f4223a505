//! Latency of the screens' typed reads on a commune's cache with 10,000 orders (issue 19 §4;
//! each with 2 invitations and 2 opened offers, and 7 milestones once awarded) and the catalogue, against a raw
//! scan of the same 10,000 order rows that decodes nothing, measured in the same run.
//!
//! The screens: the home, the orders list, an order with its comparison, a service page, and
//! the centrale's overview and deployments across communes (same cache: on a centrale's PC
//! they read every commune's orders).
//!
//! Prints `BENCH store_<screen>_median_us <µs> us` and
//! `BENCH store_<screen>_vs_raw_scan_ratio <ratio> ratio` for each screen.

use std::hint::black_box;
use std::time::{Duration, Instant};

use centrale_domain::adhesion::{Adhesion, AdhesionStatus, CollegeDecision, ConventionTemplate};
use centrale_domain::catalogue::{
    CallOffMethod, FrameworkAgreement, FrameworkTerms, Provider, Service,
};
use centrale_domain::commune::{Commune, NisCode};
use centrale_domain::deployment::{plan_milestones, MilestonePlan};
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::evaluation::{evaluate, OfferForScoring, QualityScore};
use centrale_domain::money::{Amount, Cents, VatRate};
use centrale_domain::offer::{price_offer, Invitation, InvitationStatus, Offer, OfferLineInput};
use centrale_domain::order::{
    Award, Competition, EvaluationRecord, NeedLine, Order, OrderNeeds, OrderStatus, PurchaseOrder,
};
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{Change, Me};
use centrale_store::read::{DeploymentQuery, OrderFilter, ServiceFilter};
use centrale_store::Store;
use chrono::{DateTime, Duration as Days, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

const NIS: &str = "84009";
const ORDERS: u128 = 10_000;
const STATUSES: [OrderStatus; 13] = [
    OrderStatus::Draft,
    OrderStatus::Submitted,
    OrderStatus::CompetitionOpen,
    OrderStatus::OffersOpened,
    OrderStatus::Evaluated,
    OrderStatus::Awarded,
    OrderStatus::PurchaseOrderIssued,
    OrderStatus::Deploying,
    OrderStatus::ProvisionallyAccepted,
    OrderStatus::FinallyAccepted,
    OrderStatus::Cancelled,
    OrderStatus::Withdrawn,
    OrderStatus::NoOffer,
];

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

/// One screen's read, run repeatedly.
type Screen<'a> = (&'static str, Box<dyn FnMut() -> BoxResult<()> + 'a>);

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Collects records as a pull page brings them; `build` stores them the way the sync does.
#[derive(Default)]
struct Writer {
    changes: Vec<Change>,
}

impl Writer {
    fn put<T: Serialize>(&mut self, kind: RecordKind, id: &str, body: &T) -> BoxResult<()> {
        self.changes.push(Change {
            seq: self.changes.len() as i64 + 1,
            kind,
            id: id.to_string(),
            version: 1,
            deleted: false,
            record: serde_json::to_value(body)?,
        });
        Ok(())
    }
}

fn terms(providers: [Uuid; 2]) -> FrameworkTerms {
    let mut t = centrale_domain::fixtures::sample_terms(&providers);
    t.published_at = at(2025, 2, 1);
    t.award_criteria[1].label_fr = "Qualité technique".into();
    t
}

fn needs() -> OrderNeeds {
    OrderNeeds {
        description: "E-guichet pour les actes d'état civil et de population, pour 2 agents."
            .into(),
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
    }
}

/// Builds the cache; returns an order with opened offers and a service.
fn build(store: &Store) -> BoxResult<(Uuid, Uuid)> {
    let mut w = Writer::default();
    let p = [Uuid::from_u128(1), Uuid::from_u128(2)];
    for (i, id) in p.iter().enumerate() {
        let body = 1_234_567 + i as u64;
        w.put(
            RecordKind::Provider,
            &id.to_string(),
            &Provider {
                id: *id,
                short_name: format!("prestataire{}", ["a", "b"][i]),
                name: format!("Prestataire {}", ["A", "B"][i]),
                enterprise_number: EnterpriseNumber::parse(&format!(
                    "{:08}{:02}",
                    body,
                    97 - body % 97
                ))?,
                address: "Rue de la Gare 1, 6880 Bertrix".into(),
                contact_email: "offres@prestataire.be".into(),
            },
        )?;
    }
    let terms = terms(p);
    let mut services = Vec::new();
    for s in 0..10u128 {
        let service = Service {
            id: Uuid::from_u128(100 + s),
            code: format!("service-{s}"),
            name_fr: format!("Service numéro {s}"),
            summary_fr: "Une phrase.".into(),
            description_fr: "Quelques phrases décrivant le service pour les communes.".into(),
            category_fr: ["Administration électronique", "Environnement"][(s % 2) as usize].into(),
            framework_id: Uuid::from_u128(200 + s),
            added_on: None,
            from_need: None,
        };
        let framework = FrameworkAgreement {
            id: service.framework_id,
            service_id: service.id,
            reference: format!("CA-2025-{s:02}"),
            title_fr: service.name_fr.clone(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![terms.clone()],
        };
        w.put(RecordKind::Service, &service.id.to_string(), &service)?;
        w.put(RecordKind::Framework, &framework.id.to_string(), &framework)?;
        services.push(service);
    }
    w.put(
        RecordKind::Commune,
        NIS,
        &Commune {
            nis_code: NisCode::parse(NIS)?,
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
        },
    )?;
    let template = ConventionTemplate::new(
        Uuid::from_u128(300),
        1,
        "Convention d'adhésion".into(),
        "Article 1. ".repeat(200),
    );
    w.put(
        RecordKind::ConventionTemplate,
        &template.id.to_string(),
        &template,
    )?;
    let mut adhesion = Adhesion::draft(Uuid::from_u128(400), NIS, &template);
    adhesion.status = AdhesionStatus::Active;
    w.put(RecordKind::Adhesion, &adhesion.id.to_string(), &adhesion)?;

    let mut detail_order = None;
    let mut next_id = 10_000u128;
    let mut fresh = || {
        next_id += 1;
        Uuid::from_u128(next_id)
    };
    for n in 0..ORDERS {
        let status = STATUSES[(n % STATUSES.len() as u128) as usize];
        let service = &services[(n % 10) as usize];
        let id = Uuid::from_u128(1_000_000 + n);
        let deadline = at(2026, 2, 14);
        let mut offers = Vec::new();
        for (i, provider) in p.iter().enumerate() {
            let inputs = [
                OfferLineInput {
                    price_line_code: "setup".into(),
                    unit_price_cents: Cents(400_000 + 10_000 * i as i64),
                },
                OfferLineInput {
                    price_line_code: "licence".into(),
                    unit_price_cents: Cents(15_000 + 500 * i as i64),
                },
            ];
            let (lines, total) = price_offer(&terms, &needs().for_tenderers(), &inputs)?;
            let offer = Offer {
                id: fresh(),
                order_id: id,
                invitation_id: fresh(),
                provider_id: *provider,
                commune_nis: NIS.into(),
                revision: 1,
                lines,
                total,
                lead_time_days: 60 + 30 * i as u32,
                notes: "Solution hébergée en Belgique, support en français.".into(),
                submitted_at: deadline - Days::days(1),
                content_sha256: "00".repeat(32),
            };
            let invitation = Invitation {
                id: offer.invitation_id,
                order_id: id,
                provider_id: *provider,
                commune_nis: NIS.into(),
                order_title: format!("Commande {n}"),
                needs: needs().for_tenderers(),
                documents: vec![],
                framework_version: 1,
                deadline,
                sent_at: at(2026, 1, 20),
                status: InvitationStatus::Closed,
                offer_submitted_at: Some(offer.submitted_at),
                outcome: None,
                withdrawal: None,
                set_aside: None,
                price_requests: Vec::new(),
                clarifications: Vec::new(),
                pool_id: None,
                extensions: Vec::new(),
            };
            w.put(
                RecordKind::Invitation,
                &invitation.id.to_string(),
                &invitation,
            )?;
            w.put(RecordKind::Offer, &offer.id.to_string(), &offer)?;
            offers.push(offer);
        }
        let scoring: Vec<OfferForScoring> = offers.iter().map(OfferForScoring::from).collect();
        let quality: Vec<QualityScore> = offers
            .iter()
            .enumerate()
            .map(|(i, o)| QualityScore {
                offer_id: o.id,
                criterion_code: "quality".into(),
                points: Decimal::from(30 + 5 * i as i64),
                justification: "Couverture fonctionnelle complète.".into(),
            })
            .collect();
        let ranking = evaluate(&terms.award_criteria, &scoring, &quality)?;
        let winner = ranking.offers.first().map_or(p[0], |s| s.provider_id);
        let awarded = matches!(
            status,
            OrderStatus::Awarded
                | OrderStatus::PurchaseOrderIssued
                | OrderStatus::Deploying
                | OrderStatus::ProvisionallyAccepted
                | OrderStatus::FinallyAccepted
        );
        let order = Order {
            id,
            commune_nis: NIS.into(),
            service_id: service.id,
            framework_id: service.framework_id,
            framework_version: 1,
            title: format!("Commande {n} — {}", service.name_fr),
            needs: needs(),
            status,
            created_by: "dg.84009".into(),
            created_at: at(2026, 1, 1) + Days::minutes(n as i64),
            submitted_at: Some(at(2026, 1, 2)),
            competition: Some(Competition {
                launched_at: at(2026, 1, 20),
                deadline,
                invited_provider_ids: p.to_vec(),
                launched_by: "centrale".into(),
                extensions: Vec::new(),
            }),
            opened_at: Some(deadline),
            offers_received: Some(2),
            evaluation: Some(EvaluationRecord {
                quality_scores: quality,
                ranking,
                evaluated_at: at(2026, 2, 20),
                evaluated_by: "dg.84009".into(),
            }),
            award: awarded.then(|| Award {
                offer_id: None,
                provider_id: winner,
                justification: "Offre la mieux classée selon les critères de l'accord-cadre."
                    .into(),
                college_decision: CollegeDecision {
                    reference: "COL/2026/3".into(),
                    date: date(2026, 2, 25),
                    organ: Default::default(),
                    financial_opinion: None,
                },
                amount: Amount::at_rate(Cents(535_000), VatRate::standard()),
                direct: false,
                awarded_at: at(2026, 2, 26),
                awarded_by: "dg.84009".into(),
            }),
            purchase_order: awarded.then(|| PurchaseOrder {
                reference: format!("BC-2026-{n:04}"),
                issued_at: at(2026, 2, 27),
                issued_by: "centrale".into(),
                contract_manager: None,
            }),
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
        };
        w.put(RecordKind::Order, &id.to_string(), &order)?;
        if status == OrderStatus::Evaluated && detail_order.is_none() {
            detail_order = Some(id);
        }
        // Milestones are planned at the award (`plan_milestones`), as on a real PC.
        if !awarded {
            continue;
        }
        for (k, mut m) in plan_milestones(
            &MilestonePlan::standard(),
            None,
            date(2026, 2, 26),
            id,
            NIS,
            winner,
            &mut fresh,
        )
        .into_iter()
        .enumerate()
        {
            if k < (n % 4) as usize {
                m.actual_date = Some(m.planned_date);
            }
            w.put(RecordKind::Milestone, &m.id.to_string(), &m)?;
        }
    }
    let cursor = w.changes.len() as i64;
    store.apply_pull_page(&w.changes, cursor)?;
    Ok((detail_order.unwrap_or_default(), services[0].id))
}

/// Median latency of `f` over repeated runs (at most ~2 s or 300 runs, at least 15).
fn median(mut f: impl FnMut() -> BoxResult<()>) -> BoxResult<Duration> {
    for _ in 0..3 {
        f()?;
    }
    let started = Instant::now();
    let mut samples = Vec::new();
    while samples.len() < 15 || (samples.len() < 300 && started.elapsed() < Duration::from_secs(2))
    {
        let t = Instant::now();
        f()?;
        samples.push(t.elapsed());
    }
    samples.sort();
    Ok(samples[samples.len() / 2])
}

fn main() -> BoxResult<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path().join("c.db"))?;
    store.set_session(&Me {
        user_id: "dg.84009".into(),
        username: "dg.84009".into(),
        display_name: "Directrice générale".into(),
        role: Role::DirectorGeneral,
        commune_nis: Some(NIS.into()),
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    })?;
    let (order_id, service_id) = build(&store)?;
    let today = date(2026, 6, 1);

    // Baseline: the same 10,000 order rows, bodies read as text, nothing decoded.
    let raw = Connection::open(store.path())?;
    // Read as the cache reads (`open::connect`): through the mapped file.
    raw.execute_batch("PRAGMA mmap_size = 268435456;")?;
    let raw_scan = median(|| {
        let mut stmt = raw.prepare_cached("SELECT body FROM record WHERE kind = 'order'")?;
        let mut rows = stmt.query([])?;
        let (mut count, mut bytes) = (0usize, 0usize);
        while let Some(row) = rows.next()? {
            bytes += row.get_ref(0)?.as_str()?.len();
            count += 1;
        }
        assert_eq!(count, ORDERS as usize);
        black_box(bytes);
        Ok(())
    })?;

    let screens: [Screen<'_>; 6] = [
        (
            "home",
            Box::new(|| {
                black_box(store.home(today)?);
                Ok(())
            }),
        ),
        (
            "orders_all",
            Box::new(|| {
                let rows = store.orders(&OrderFilter::default())?;
                assert_eq!(rows.len(), ORDERS as usize);
                black_box(rows);
                Ok(())
            }),
        ),
        (
            "order_detail",
            Box::new(|| {
                let d = store.order_detail(order_id, today)?;
                assert!(d.as_ref().is_some_and(|d| d.comparison.columns.len() == 2));
                black_box(d);
                Ok(())
            }),
        ),
        (
            "service_detail",
            Box::new(|| {
                let d = store.service_detail(service_id, today)?;
                assert!(d.as_ref().is_some_and(|d| d.estimate.is_some()));
                black_box(d);
                Ok(())
            }),
        ),
        // The centrale's overview: every order, award and adhesion folded into its figures.
        (
            "overview",
            Box::new(|| {
                let o = store.overview(today)?;
                assert!(o.totals.orders > 0);
                black_box(o);
                Ok(())
            }),
        ),
        (
            "deployments",
            Box::new(|| {
                // The screen's first page (`DEPLOYMENTS_SHOWN_AT_ONCE` in the UI), as it opens.
                let page = store.deployment_page(
                    &DeploymentQuery {
                        late_only: false,
                        shown: 20,
                    },
                    today,
                )?;
                assert!(page.total > 1_000 && page.rows.len() == 20);
                black_box(page);
                Ok(())
            }),
        ),
    ];
    println!(
        "BENCH store_raw_scan_median_us {:.1} us",
        raw_scan.as_secs_f64() * 1e6
    );
    for (name, f) in screens {
        let m = median(f)?;
        println!(
            "BENCH store_{name}_median_us {:.1} us",
            m.as_secs_f64() * 1e6
        );
        println!(
            "BENCH store_{name}_vs_raw_scan_ratio {:.2} ratio",
            m.as_secs_f64() / raw_scan.as_secs_f64()
        );
    }
    // Keep the catalogue read honest too (not a reported screen).
    black_box(store.services(&ServiceFilter::default(), today)?);
    Ok(())
}
