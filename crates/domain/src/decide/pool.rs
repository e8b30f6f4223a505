//! Pooled call-offs (issue 16 §4; `crate::pool`): the centrale opens one, launches its one
//! competition for every member, declares and makes the common analysis; a member's order
//! leaves the pool when it is cancelled or withdrawn. Joining is the member's own `order.submit`
//! (`decide::order::submit`), the providers' one offer `decide::offer::submit_pooled`.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use uuid::Uuid;

use super::found;
use super::order::{extend_one, launch_one, OrderWrites};
use crate::catalogue::{FrameworkAgreement, Service};
use crate::evaluation::{evaluate_with, OfferForScoring, PriceBasis, QualityScore, Ranking};
use crate::money::Cents;
use crate::offer::{Invitation, Offer};
use crate::order::{
    no_conflict_statement_sha256, ConflictDeclaration, EvaluationRecord, Order, OrderStatus,
    SetAsideGround,
};
use crate::permission::{authorize, Act, Actor, Owner};
use crate::pool::{self, PoolCompetition, PoolDraft, PoolEvaluated, PoolScore, PooledCallOff};
use crate::{DomainError, ErrorCode};

/// What a pool's act writes: the pool and the member orders it changed (with their
/// invitations, for the launch).
#[derive(Debug, Clone, PartialEq)]
pub struct PoolWrites {
    /// The pool as it is after the act.
    pub pool: PooledCallOff,
    /// Each member order changed, with what goes with it.
    pub orders: Vec<OrderWrites>,
}

/// `pool.create`: the centrale opens a pooled call-off on a service.
pub fn create(
    actor: &Actor,
    id: Uuid,
    id_taken: bool,
    draft: &PoolDraft,
    service: Option<&Service>,
    framework: Option<&FrameworkAgreement>,
    now: DateTime<Utc>,
) -> Result<PooledCallOff, DomainError> {
    authorize(actor, Act::CreatePool, Owner::Own)?;
    if id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", id));
    }
    let service = found(service)?;
    let framework = found(framework)?;
    pool::create(id, draft, service, framework, &actor.display_name, now)
}

/// `pool.declare_no_conflict`: the centrale's evaluator declares, before the offers are shown
/// to them, no conflict of interest with the providers (law of 17 June 2016 art. 6; Dir.
/// 2014/24 art. 24); possible until a commune decides; declaring again changes nothing.
pub fn declare_no_conflict(
    actor: &Actor,
    pool: Option<&PooledCallOff>,
    orders: &[Order],
    statement_sha256: &str,
    now: DateTime<Utc>,
) -> Result<PooledCallOff, DomainError> {
    authorize(actor, Act::DeclarePoolNoConflict, Owner::Own)?;
    let mut pool = found(pool)?.clone();
    check_no_member_decided(&pool, orders)?;
    if statement_sha256 != no_conflict_statement_sha256() {
        return Err(DomainError::ConflictStatementChanged);
    }
    if !pool.has_declared_no_conflict(&actor.user_id) {
        pool.conflict_declarations.push(ConflictDeclaration {
            user_id: actor.user_id.clone(),
            name: actor.display_name.clone(),
            role: actor.role,
            declared_at: now,
            statement_sha256: statement_sha256.to_string(),
        });
    }
    Ok(pool)
}

/// `pool.launch_competition`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// The pool.
    pub pool: Option<&'a PooledCallOff>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The members' orders (others are skipped).
    pub orders: &'a [Order],
    /// The deadline asked.
    pub deadline: DateTime<Utc>,
    /// The server's minimum days of a competition.
    pub min_days: u32,
}

/// The centrale launches the pool's one competition: every member's order is launched with
/// the same deadline and the same providers (`decide::order::launch_one`, the checks of an
/// ordinary launch for each), its invitations marked as the pool's; joining closes.
pub fn launch(
    actor: &Actor,
    input: Launch<'_>,
    now: DateTime<Utc>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<PoolWrites, DomainError> {
    authorize(actor, Act::LaunchPooledCompetition, Owner::Own)?;
    let mut pool = found(input.pool)?.clone();
    let framework = found(input.framework)?;
    if pool.competition.is_some() {
        return Err(DomainError::rule(ErrorCode::PoolAlreadyLaunched));
    }
    let members: Vec<&Order> = pool.member_orders(input.orders).collect();
    let Some(first) = members.first() else {
        return Err(DomainError::rule(ErrorCode::PoolNoMember));
    };
    // One competition: one set of terms for every member (each was pinned when it was sent).
    if members
        .iter()
        .any(|o| o.framework_version != first.framework_version)
    {
        return Err(DomainError::rule(ErrorCode::PoolVersionsDiffer));
    }
    let mut orders = Vec::new();
    for order in members {
        let mut writes = launch_one(
            order,
            framework,
            input.deadline,
            input.min_days,
            false,
            &actor.display_name,
            now,
            &mut new_id,
        )?;
        for inv in &mut writes.new_invitations {
            inv.pool_id = Some(pool.id);
        }
        orders.push(writes);
    }
    pool.competition = Some(PoolCompetition {
        launched_at: now,
        deadline: input.deadline,
        launched_by: actor.display_name.clone(),
    });
    Ok(PoolWrites { pool, orders })
}

/// `pool.evaluate`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Evaluate<'a> {
    /// The pool.
    pub pool: Option<&'a PooledCallOff>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The members' orders (others are skipped).
    pub orders: &'a [Order],
    /// The opened offers of those orders (others are skipped).
    pub offers: &'a [Offer],
    /// The quality points, per provider.
    pub scores: &'a [PoolScore],
}

fn check_no_member_decided(pool: &PooledCallOff, orders: &[Order]) -> Result<(), DomainError> {
    if pool.member_orders(orders).any(|o| o.award.is_some()) {
        return Err(DomainError::rule(ErrorCode::PoolMemberDecided));
    }
    Ok(())
}

/// The centrale makes the common analysis: each provider's offer is scored once, its price
/// being the sum of what every member would pay (the pooled volume at its unit prices), on the
/// framework's criteria and formula (`evaluation::evaluate_with`, the price basis of the pooled
/// needs); the ranking — the same points, each member's own offers and totals — is written into
/// every member's order, which its collège then awards on (`decide::offer::award`). Possible
/// again until a commune has decided; who analyses has declared no conflict of interest.
pub fn evaluate(
    actor: &Actor,
    input: Evaluate<'_>,
    now: DateTime<Utc>,
) -> Result<PoolWrites, DomainError> {
    authorize(actor, Act::EvaluatePooledOffers, Owner::Own)?;
    let mut pool = found(input.pool)?.clone();
    let framework = found(input.framework)?;
    if pool.competition.is_none() {
        return Err(DomainError::rule(ErrorCode::PoolNotLaunched));
    }
    check_no_member_decided(&pool, input.orders)?;
    let members: Vec<&Order> = pool
        .member_orders(input.orders)
        .filter(|o| o.status != OrderStatus::NoOffer)
        .collect();
    let Some(first) = members.first() else {
        return Err(DomainError::rule(ErrorCode::NoOfferToEvaluate));
    };
    if members
        .iter()
        .any(|o| !matches!(o.status, OrderStatus::OffersOpened | OrderStatus::Evaluated))
    {
        return Err(DomainError::rule(ErrorCode::PoolOffersNotOpened));
    }
    if !pool.has_declared_no_conflict(&actor.user_id) {
        return Err(DomainError::ConflictDeclarationMissing);
    }
    let terms = framework.pinned(first.framework_version)?;
    let member_ids: Vec<Uuid> = members.iter().map(|o| o.id).collect();
    // The offers set aside (`set_offer_aside`) are left out of the ranking.
    let offers: Vec<&Offer> = input
        .offers
        .iter()
        .filter(|x| member_ids.contains(&x.order_id))
        .filter(|x| {
            !members
                .iter()
                .any(|o| o.id == x.order_id && o.is_set_aside(x.id))
        })
        .collect();
    // Each provider's pooled offer: what every member would pay, summed.
    let mut pooled: BTreeMap<Uuid, OfferForScoring> = BTreeMap::new();
    for offer in &offers {
        let entry = pooled
            .entry(offer.provider_id)
            .or_insert_with(|| OfferForScoring {
                offer_id: offer.provider_id,
                provider_id: offer.provider_id,
                total_excl_vat: Cents::ZERO,
                submitted_at: offer.submitted_at,
            });
        entry.total_excl_vat = Cents(entry.total_excl_vat.0 + offer.total.excl_vat.0);
        entry.submitted_at = entry.submitted_at.max(offer.submitted_at);
    }
    let pooled: Vec<OfferForScoring> = pooled.into_values().collect();
    let quality: Vec<QualityScore> = input
        .scores
        .iter()
        .map(|s| QualityScore {
            offer_id: s.provider_id,
            criterion_code: s.criterion_code.clone(),
            points: s.points,
            justification: s.justification.clone(),
        })
        .collect();
    let needs = pool.pooled_needs(input.orders);
    let basis = PriceBasis::of(terms, &needs)?;
    let ranking = evaluate_with(basis, &terms.award_criteria, &pooled, &quality)?;
    let mut orders = Vec::new();
    for order in members {
        let own: Vec<&&Offer> = offers.iter().filter(|x| x.order_id == order.id).collect();
        let of_provider = |provider: Uuid| own.iter().find(|x| x.provider_id == provider);
        let member_ranking = Ranking {
            outcome: ranking.outcome,
            offers: ranking
                .offers
                .iter()
                .filter_map(|s| {
                    of_provider(s.provider_id).map(|x| crate::evaluation::ScoredOffer {
                        offer_id: x.id,
                        total_excl_vat: x.total.excl_vat,
                        ..s.clone()
                    })
                })
                .collect(),
        };
        let member_scores = quality
            .iter()
            .filter_map(|q| {
                of_provider(q.offer_id).map(|x| QualityScore {
                    offer_id: x.id,
                    ..q.clone()
                })
            })
            .collect();
        let mut order = order.clone();
        order.check_evaluable(now)?;
        order.record_evaluation(EvaluationRecord {
            quality_scores: member_scores,
            ranking: member_ranking,
            evaluated_at: now,
            evaluated_by: actor.display_name.clone(),
        })?;
        orders.push(OrderWrites::order(order));
    }
    pool.evaluated = Some(PoolEvaluated {
        at: now,
        by: actor.display_name.clone(),
    });
    Ok(PoolWrites { pool, orders })
}

/// `pool.set_offer_aside`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct SetAside<'a> {
    /// The pool.
    pub pool: Option<&'a PooledCallOff>,
    /// The members' orders (others are skipped).
    pub orders: &'a [Order],
    /// Their opened offers.
    pub offers: &'a [Offer],
    /// Their invitations.
    pub invitations: &'a [Invitation],
    /// The provider whose pooled offer is set aside.
    pub provider_id: Uuid,
    /// Why: irregular (an abnormally low offer needs a price verification, not built on
    /// pools: ARCHITECTURE.md).
    pub ground: SetAsideGround,
    /// The motivation, told to the provider.
    pub motivation: &'a str,
}

/// The centrale, which makes the common analysis, sets a provider's pooled offer aside before
/// the ranking, motivated (Dir. 2014/24 art. 56(1); AR 18 April 2017 art. 76; the grounds of
/// `Order::set_offer_aside`): its share on every member's order is set aside at once, the
/// provider told on each invitation with the remedies, and an analysis made before is undone
/// (the ranking is made again without it). Possible until a commune has decided.
pub fn set_offer_aside(
    actor: &Actor,
    input: SetAside<'_>,
    now: DateTime<Utc>,
) -> Result<PoolWrites, DomainError> {
    authorize(actor, Act::SetPooledOfferAside, Owner::Own)?;
    let mut pool = found(input.pool)?.clone();
    if pool.competition.is_none() {
        return Err(DomainError::rule(ErrorCode::PoolNotLaunched));
    }
    check_no_member_decided(&pool, input.orders)?;
    let members: Vec<&Order> = pool
        .member_orders(input.orders)
        .filter(|o| o.status != OrderStatus::NoOffer)
        .collect();
    if members
        .iter()
        .any(|o| !matches!(o.status, OrderStatus::OffersOpened | OrderStatus::Evaluated))
    {
        return Err(DomainError::rule(ErrorCode::PoolOffersNotOpened));
    }
    let mut orders = Vec::new();
    for order in members {
        let Some(offer) = input
            .offers
            .iter()
            .find(|x| x.order_id == order.id && x.provider_id == input.provider_id)
        else {
            continue;
        };
        let mut order = order.clone();
        let record = order.set_offer_aside(
            offer.id,
            offer.provider_id,
            input.ground,
            input.motivation.trim().to_string(),
            &actor.display_name,
            now,
        )?;
        let mut writes = OrderWrites::order(order);
        super::offer::tell_set_aside(&mut writes, input.invitations, &record, now);
        orders.push(writes);
    }
    if orders.is_empty() {
        // No opened offer of that provider in the pool.
        return Err(DomainError::NotFound);
    }
    pool.evaluated = None;
    Ok(PoolWrites { pool, orders })
}

/// `pool.extend_deadline`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Extend<'a> {
    /// The pool.
    pub pool: Option<&'a PooledCallOff>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The members' orders (others are skipped).
    pub orders: &'a [Order],
    /// Their invitations.
    pub invitations: &'a [Invitation],
    /// The new deadline.
    pub deadline: DateTime<Utc>,
    /// Why, told to every invited provider.
    pub reason: &'a str,
}

/// The centrale moves the pool's deadline later, for every member's competition at once
/// (`decide::order::extend_one`, the checks of an ordinary extension for each: before the
/// current deadline, later, within the framework): the same deadline stays the pool's.
pub fn extend_deadline(
    actor: &Actor,
    input: Extend<'_>,
    now: DateTime<Utc>,
) -> Result<PoolWrites, DomainError> {
    authorize(actor, Act::ExtendPoolDeadline, Owner::Own)?;
    let mut pool = found(input.pool)?.clone();
    let framework = found(input.framework)?;
    if pool.competition.is_none() {
        return Err(DomainError::rule(ErrorCode::PoolNotLaunched));
    }
    let mut orders = Vec::new();
    for order in pool.member_orders(input.orders) {
        orders.push(extend_one(
            order,
            framework,
            input.invitations,
            input.deadline,
            input.reason,
            &actor.display_name,
            now,
        )?);
    }
    if orders.is_empty() {
        return Err(DomainError::rule(ErrorCode::PoolNoMember));
    }
    if let Some(c) = pool.competition.as_mut() {
        c.deadline = input.deadline;
    }
    Ok(PoolWrites { pool, orders })
}

/// A member's order was cancelled or withdrawn: it leaves the pool (the pool to write, if it
/// changed).
pub fn after_closure(
    pool: Option<&PooledCallOff>,
    order: &Order,
    now: DateTime<Utc>,
) -> Option<PooledCallOff> {
    let pool = pool?;
    if order.pool_id != Some(pool.id)
        || !matches!(
            order.status,
            OrderStatus::Cancelled | OrderStatus::Withdrawn
        )
    {
        return None;
    }
    let mut pool = pool.clone();
    pool.leave(order.id, now).then_some(pool)
}
