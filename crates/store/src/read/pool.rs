//! Pooled call-offs as the screens show them (issue 16 §4): the list, with what a commune may
//! join; one pool with its communes, the pooled volume this PC knows, the competition and, for
//! the centrale, the offers summed per provider and the common analysis.

use std::collections::BTreeMap;

use centrale_domain::catalogue::{AwardCriterion, CriterionKind, FrameworkAgreement, Service};
use centrale_domain::money::Cents;
use centrale_domain::offer::Offer;
use centrale_domain::order::{Order, OrderStatus};
use centrale_domain::pool::{PoolCompetition, PoolEvaluated, PoolPhase, PooledCallOff};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::live;
use crate::error::Result;

/// One pooled call-off in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolRow {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The service.
    pub service_id: Uuid,
    /// Its name.
    pub service_name: String,
    /// Where it stands.
    pub phase: PoolPhase,
    /// In French.
    pub phase_label: String,
    /// The last day to join.
    pub join_until: NaiveDate,
    /// A commune may join today (the signed-in commune is not in it yet).
    pub joinable: bool,
    /// The communes in it.
    pub members: u32,
    /// The deadline of its competition, once launched.
    pub deadline: Option<DateTime<Utc>>,
    /// A commune: its order in the pool, if it joined.
    pub my_order_id: Option<Uuid>,
    /// Not yet accepted by the server (made offline).
    pub pending: bool,
}

/// The « Marchés groupés » screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolsScreen {
    /// The pools, the newest first.
    pub pools: Vec<PoolRow>,
}

/// One commune in a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolMemberView {
    /// The commune.
    pub commune_nis: String,
    /// Its name.
    pub commune_name: String,
    /// When it joined.
    pub joined_at: DateTime<Utc>,
    /// When it left, if it did.
    pub left_at: Option<DateTime<Utc>>,
    /// Its order, when this PC has it (the commune's own; every one for the centrale).
    pub order_id: Option<Uuid>,
    /// Where its order stands, when this PC has it.
    pub status: Option<OrderStatus>,
    /// In French.
    pub status_label: Option<String>,
    /// Its quantities, per price line code, when this PC has its order.
    pub quantities: Vec<PoolQuantity>,
    /// Its own amount awarded (excl. VAT), once its collège decided.
    pub awarded_excl_vat: Option<Cents>,
}

/// A quantity of one price line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolQuantity {
    /// The price line's code.
    pub price_line_code: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// The quantity.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
}

/// A provider's pooled offer, for the centrale once the offers are opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PooledOfferView {
    /// The provider.
    pub provider_id: Uuid,
    /// Its name.
    pub provider_name: String,
    /// What every commune would pay, summed (excl. VAT).
    pub total_excl_vat: Cents,
    /// Unit prices per price line (the same for every commune).
    pub unit_prices: Vec<PoolUnitPrice>,
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Its notes.
    pub notes: String,
    /// Its points in the common analysis, once made.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub points: Option<Decimal>,
    /// Its rank in the common analysis, once made.
    pub rank: Option<u32>,
    /// Its quality points per criterion code, once analysed (to correct the analysis).
    pub quality: Vec<PoolQualityView>,
    /// Set aside by the centrale (irregular): left out of the analysis.
    pub set_aside: bool,
}

/// A unit price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolUnitPrice {
    /// The price line.
    pub price_line_code: String,
    /// Its label.
    pub label: String,
    /// The offered unit price (excl. VAT).
    pub unit_price_cents: Cents,
}

/// Quality points given on one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolQualityView {
    /// The criterion.
    pub criterion_code: String,
    /// Points.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub points: Decimal,
    /// Why.
    pub justification: String,
}

/// A criterion of the analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolCriterion {
    /// Code.
    pub code: String,
    /// Label.
    pub label: String,
    /// Weight (points out of).
    pub weight: u32,
    /// The price, scored by the rule (not typed).
    pub is_price: bool,
}

/// One pooled call-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolPage {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The common need.
    pub description: String,
    /// The service.
    pub service_id: Uuid,
    /// Its name.
    pub service_name: String,
    /// The framework's reference.
    pub framework_reference: String,
    /// Where it stands.
    pub phase: PoolPhase,
    /// In French.
    pub phase_label: String,
    /// The last day to join.
    pub join_until: NaiveDate,
    /// Who opened it, and when.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The signed-in commune may join today.
    pub joinable: bool,
    /// A commune: its order in the pool.
    pub my_order_id: Option<Uuid>,
    /// The communes, in the order they joined (those who left too).
    pub members: Vec<PoolMemberView>,
    /// The pooled volume of the orders this PC has (every member's for the centrale).
    pub pooled: Vec<PoolQuantity>,
    /// The competition, once launched.
    pub competition: Option<PoolCompetition>,
    /// The common analysis, once made.
    pub evaluated: Option<PoolEvaluated>,
    /// The acting account declared no conflict of interest (the centrale's evaluator).
    pub declared: bool,
    /// The statement the evaluator declares (law of 17 June 2016 art. 6), as the domain has it.
    pub conflict_statement: String,
    /// Its SHA-256, which the declaration carries.
    pub conflict_statement_sha256: String,
    /// The criteria of the framework's version the members are under.
    pub criteria: Vec<PoolCriterion>,
    /// The centrale, after the opening: each provider's pooled offer.
    pub offers: Vec<PooledOfferView>,
    /// A commune has decided on the analysis: it no longer changes.
    pub decided: bool,
    /// Not yet accepted by the server (made offline).
    pub pending: bool,
}

/// The members' orders this PC has.
fn member_orders(conn: &Connection, pool: &PooledCallOff) -> Result<Vec<Order>> {
    let mut out = Vec::new();
    for m in &pool.members {
        if let Some(o) = live::one::<Order>(conn, RecordKind::Order, &m.order_id.to_string())? {
            out.push(o.body);
        }
    }
    Ok(out)
}

/// The signed-in commune's order in the pool: a member's, or its draft for the pool not sent
/// yet (a second one would be refused: `pool_already_member`).
fn my_order(conn: &Connection, pool: &PooledCallOff, scope: Option<&str>) -> Result<Option<Uuid>> {
    let Some(nis) = scope else {
        return Ok(None);
    };
    if let Some(m) = pool.active_members().find(|m| m.commune_nis == nis) {
        return Ok(Some(m.order_id));
    }
    Ok(super::orders::heads(conn, Some(nis))?
        .into_iter()
        .find(|h| h.body.pool_id == Some(pool.id) && h.body.status == OrderStatus::Draft)
        .map(|h| h.body.id))
}

pub(crate) fn screen(conn: &Connection, today: NaiveDate) -> Result<PoolsScreen> {
    let scope = live::commune_scope(conn)?;
    let names = live::Names::load(conn)?;
    let mut pools = Vec::new();
    for p in live::of_kind::<PooledCallOff>(conn, RecordKind::PooledCallOff, None)? {
        let pool = p.body;
        let orders = member_orders(conn, &pool)?;
        let phase = pool.phase(&orders, today);
        let mine = my_order(conn, &pool, scope.as_deref())?;
        pools.push(PoolRow {
            id: pool.id,
            title: pool.title.clone(),
            service_id: pool.service_id,
            service_name: names.service(pool.service_id).unwrap_or_default(),
            phase,
            phase_label: phase.label_fr().to_string(),
            join_until: pool.join_until,
            joinable: scope.is_some() && mine.is_none() && pool.is_joinable(today),
            members: u32::try_from(pool.active_members().count()).unwrap_or(u32::MAX),
            deadline: pool.competition.as_ref().map(|c| c.deadline),
            my_order_id: mine,
            pending: p.pending,
        });
    }
    pools.sort_by_key(|p| std::cmp::Reverse(p.id));
    Ok(PoolsScreen { pools })
}

fn quantities(
    lines: &[centrale_domain::needs::NeedLine],
    framework: Option<&FrameworkAgreement>,
    version: Option<u32>,
) -> Vec<PoolQuantity> {
    let terms = match (framework, version) {
        (Some(f), Some(v)) => f.pinned(v).ok(),
        (Some(f), None) => f.current().ok(),
        _ => None,
    };
    lines
        .iter()
        .map(|l| {
            let line = terms.and_then(|t| t.price_line(&l.price_line_code));
            PoolQuantity {
                price_line_code: l.price_line_code.clone(),
                label: line.map_or_else(|| l.price_line_code.clone(), |x| x.label_fr.clone()),
                unit: line.map(|x| x.unit_fr.clone()).unwrap_or_default(),
                quantity: l.quantity,
            }
        })
        .collect()
}

pub(crate) fn page(
    conn: &Connection,
    id: Uuid,
    user_id: Option<&str>,
    today: NaiveDate,
) -> Result<Option<PoolPage>> {
    let Some(p) = live::one::<PooledCallOff>(conn, RecordKind::PooledCallOff, &id.to_string())?
    else {
        return Ok(None);
    };
    let pool = p.body;
    let scope = live::commune_scope(conn)?;
    let names = live::Names::load(conn)?;
    let commune_names = live::commune_names(conn)?;
    let orders = member_orders(conn, &pool)?;
    let framework: Option<FrameworkAgreement> = live::one::<FrameworkAgreement>(
        conn,
        RecordKind::Framework,
        &pool.framework_id.to_string(),
    )?
    .map(|f| f.body);
    let service: Option<Service> =
        live::one::<Service>(conn, RecordKind::Service, &pool.service_id.to_string())?
            .map(|s| s.body);
    let active: Vec<&Order> = pool.member_orders(&orders).collect();
    let version = active.first().map(|o| o.framework_version);
    let phase = pool.phase(&orders, today);
    let members = pool
        .members
        .iter()
        .map(|m| {
            let order = orders.iter().find(|o| o.id == m.order_id);
            PoolMemberView {
                commune_nis: m.commune_nis.clone(),
                commune_name: commune_names
                    .get(&m.commune_nis)
                    .cloned()
                    .unwrap_or_else(|| m.commune_nis.clone()),
                joined_at: m.joined_at,
                left_at: m.left_at,
                order_id: order.map(|o| o.id),
                status: order.map(|o| o.status),
                status_label: order.map(|o| o.status.label_fr().to_string()),
                quantities: order.map_or_else(Vec::new, |o| {
                    quantities(
                        &o.needs.lines,
                        framework.as_ref(),
                        Some(o.framework_version),
                    )
                }),
                awarded_excl_vat: order.and_then(|o| o.award.as_ref().map(|a| a.amount.excl_vat)),
            }
        })
        .collect();
    let pooled = quantities(
        &pool.pooled_needs(&orders).lines,
        framework.as_ref(),
        version,
    );
    let terms = framework
        .as_ref()
        .and_then(|f| version.map_or_else(|| f.current().ok(), |v| f.pinned(v).ok()));
    let criteria = terms.map_or_else(Vec::new, |t| {
        t.award_criteria.iter().map(criterion).collect()
    });
    let offers = pooled_offers(conn, &active, &names, framework.as_ref())?;
    let mine = my_order(conn, &pool, scope.as_deref())?;
    Ok(Some(PoolPage {
        id: pool.id,
        title: pool.title.clone(),
        description: pool.description.clone(),
        service_id: pool.service_id,
        service_name: service.map(|s| s.name_fr).unwrap_or_default(),
        framework_reference: framework
            .as_ref()
            .map(|f| f.reference.clone())
            .unwrap_or_default(),
        phase,
        phase_label: phase.label_fr().to_string(),
        join_until: pool.join_until,
        created_by: pool.created_by.clone(),
        created_at: pool.created_at,
        joinable: scope.is_some() && mine.is_none() && pool.is_joinable(today),
        my_order_id: mine,
        members,
        pooled,
        competition: pool.competition.clone(),
        evaluated: pool.evaluated.clone(),
        declared: user_id.is_some_and(|u| pool.has_declared_no_conflict(u)),
        conflict_statement: centrale_domain::order::NO_CONFLICT_STATEMENT_FR.to_string(),
        conflict_statement_sha256: centrale_domain::order::no_conflict_statement_sha256(),
        criteria,
        offers,
        decided: active.iter().any(|o| o.award.is_some()),
        pending: p.pending,
    }))
}

fn criterion(c: &AwardCriterion) -> PoolCriterion {
    PoolCriterion {
        code: c.code.clone(),
        label: c.label_fr.clone(),
        weight: c.weight,
        is_price: c.kind == CriterionKind::Price,
    }
}

/// Each provider's offers on the members' orders this PC has (opened ones only reach a PC),
/// summed, with the points of the analysis recorded on the members' orders.
fn pooled_offers(
    conn: &Connection,
    members: &[&Order],
    names: &live::Names,
    framework: Option<&FrameworkAgreement>,
) -> Result<Vec<PooledOfferView>> {
    let mut by_provider: BTreeMap<Uuid, PooledOfferView> = BTreeMap::new();
    for order in members {
        let terms = framework.and_then(|f| f.pinned(order.framework_version).ok());
        let offers: Vec<Offer> =
            live::children::<Offer>(conn, RecordKind::Offer, &order.id.to_string())?
                .into_iter()
                .map(|o| o.body)
                .collect();
        for offer in offers {
            let scored = order
                .evaluation
                .as_ref()
                .and_then(|e| e.ranking.offers.iter().find(|s| s.offer_id == offer.id));
            let quality = order
                .evaluation
                .as_ref()
                .map(|e| {
                    e.quality_scores
                        .iter()
                        .filter(|q| q.offer_id == offer.id)
                        .map(|q| PoolQualityView {
                            criterion_code: q.criterion_code.clone(),
                            points: q.points,
                            justification: q.justification.clone(),
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let entry = by_provider
                .entry(offer.provider_id)
                .or_insert_with(|| PooledOfferView {
                    provider_id: offer.provider_id,
                    provider_name: names.provider(offer.provider_id).unwrap_or_default(),
                    total_excl_vat: Cents::ZERO,
                    unit_prices: offer
                        .lines
                        .iter()
                        .map(|l| PoolUnitPrice {
                            price_line_code: l.price_line_code.clone(),
                            label: terms
                                .and_then(|t| t.price_line(&l.price_line_code))
                                .map_or_else(|| l.price_line_code.clone(), |x| x.label_fr.clone()),
                            unit_price_cents: l.unit_price_cents,
                        })
                        .collect(),
                    lead_time_days: offer.lead_time_days,
                    notes: offer.notes.clone(),
                    points: scored.map(|s| s.total),
                    rank: scored.map(|s| s.rank),
                    quality,
                    set_aside: order.is_set_aside(offer.id),
                });
            entry.total_excl_vat = Cents(entry.total_excl_vat.0 + offer.total.excl_vat.0);
            // A member's unit prices may hold lines another member did not need.
            for l in &offer.lines {
                if !entry
                    .unit_prices
                    .iter()
                    .any(|u| u.price_line_code == l.price_line_code)
                {
                    entry.unit_prices.push(PoolUnitPrice {
                        price_line_code: l.price_line_code.clone(),
                        label: terms
                            .and_then(|t| t.price_line(&l.price_line_code))
                            .map_or_else(|| l.price_line_code.clone(), |x| x.label_fr.clone()),
                        unit_price_cents: l.unit_price_cents,
                    });
                }
            }
        }
    }
    let mut offers: Vec<PooledOfferView> = by_provider.into_values().collect();
    offers.sort_by_key(|o| (o.rank.unwrap_or(u32::MAX), o.total_excl_vat.0));
    Ok(offers)
}

/// The pool an order is part of, for its page's banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolLink {
    /// The pool.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The communes in it.
    pub members: u32,
}

pub(crate) fn link(conn: &Connection, id: Uuid) -> Result<Option<PoolLink>> {
    Ok(
        live::one::<PooledCallOff>(conn, RecordKind::PooledCallOff, &id.to_string())?.map(|p| {
            PoolLink {
                id: p.body.id,
                title: p.body.title.clone(),
                members: u32::try_from(p.body.active_members().count()).unwrap_or(u32::MAX),
            }
        }),
    )
}
