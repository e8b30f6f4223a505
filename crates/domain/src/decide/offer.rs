//! The offers' acts decided once: a provider's sealed offer, the opening (asked by the commune
//! or the centrale, or done by the server's scheduler at the deadline), setting an offer aside,
//! the price verification (asked, answered, accepted), the evaluation, and the award with the
//! notification of each tenderer and the milestones it plans.
//!
//! Sealed means sealed (issue 11 rule 6; Dir. 2014/24 art. 33(5)(c)): `submit` returns the
//! offer alone — nothing the commune or the centrale reads (the order, the invitations) says
//! anything of it until `open_due` returns the offers to unseal (`OrderWrites::opened_offers`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::order::{current_invitations, OrderWrites};
use super::{found, DeadlineIndex};
use crate::adhesion::Decision;
use crate::catalogue::{FrameworkAgreement, Provider, ProviderNames};
use crate::deployment::plan_milestones;
use crate::evaluation::{evaluate_with, OfferForScoring, PriceBasis, QualityScore};
use crate::offer::{
    check_before_deadline, submit_offer, Invitation, InvitationOutcome, Offer, OfferLineInput,
    OfferSubmission, SetAsideNotice,
};
use crate::order::{
    EvaluationRecord, Order, OrderStatus, PriceJustificationRequest, SetAsideGround,
};
use crate::permission::{authorize, Act, Actor, Owner};
use crate::pool::PooledCallOff;
use crate::signatory::{signer_for, Capacity, Substitution};
use crate::time::brussels_today;
use crate::{value, DomainError, ErrorCode};

/// The order, and the actor may do `act` on it (its commune, or the centrale where the act is
/// the centrale's too).
fn order_for(actor: &Actor, order: Option<&Order>, act: Act) -> Result<Order, DomainError> {
    let order = found(order)?;
    authorize(actor, act, Owner::Commune(&order.commune_nis))?;
    Ok(order.clone())
}

/// The order, for a signatories' act: the titular, or a substitute on a day their substitution
/// covers (CDLD L1132-3, L1123-5, L1132-4); with the name the act records (« Jean Dupont,
/// échevin, bourgmestre f.f. » for a substitute; the name alone for a titular).
fn signed_order_for(
    actor: &Actor,
    order: Option<&Order>,
    act: Act,
    substitutions: &[Substitution],
    now: DateTime<Utc>,
) -> Result<(Order, String), DomainError> {
    let order = found(order)?;
    let signer = signer_for(
        actor,
        act,
        &order.commune_nis,
        substitutions,
        brussels_today(now),
    )?;
    let by = if signer.capacity == Capacity::Titular {
        actor.display_name.clone()
    } else {
        signer.label(&actor.display_name)
    };
    Ok((order.clone(), by))
}

/// An opened offer of the order; unknown, or not opened yet, is `not_found`: before the
/// opening no offer is known to the commune nor the centrale (issue 11 rule 6), so the server,
/// which holds the sealed offers, answers as their PC, which is never sent them.
fn opened_offer(order: &Order, offers: &[Offer], offer_id: Uuid) -> Result<Offer, DomainError> {
    offers
        .iter()
        .filter(|_| order.opened_at.is_some())
        .find(|x| x.id == offer_id && x.order_id == order.id)
        .cloned()
        .ok_or(DomainError::NotFound)
}

/// The invitation answered, and the provider acting is the one invited (`not_found`
/// otherwise: another provider's invitation is not shown to it).
fn own_invitation<'a>(
    actor: &Actor,
    invitation: Option<&'a Invitation>,
    act: Act,
) -> Result<&'a Invitation, DomainError> {
    authorize(actor, act, Owner::Own)?;
    let invitation = found(invitation)?;
    authorize(actor, act, Owner::Provider(invitation.provider_id))?;
    Ok(invitation)
}

/// Copies a request to justify prices onto the invitation of the provider asked in the
/// current competition, and no other.
fn tell_price_request(
    writes: &mut OrderWrites,
    invitations: &[Invitation],
    request: &PriceJustificationRequest,
) {
    for inv in current_invitations(&writes.order, invitations) {
        if inv.provider_id == request.provider_id {
            let mut inv = inv.clone();
            inv.tell_price_request(request);
            writes.invitations.push(inv);
        }
    }
}

/// `offer.submit`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Submit<'a> {
    /// The invitation answered.
    pub invitation: Option<&'a Invitation>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The order's framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The offer this provider already submitted on the order, if any.
    pub previous: Option<&'a Offer>,
    /// The new offer's id is already taken by another record (without a previous offer).
    pub id_taken: bool,
    /// The offer's id (the same on a replacement).
    pub offer_id: Uuid,
    /// Unit prices.
    pub lines: &'a [OfferLineInput],
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Technical notes.
    pub notes: &'a str,
}

/// An invited provider submits its offer, or replaces it, before the deadline while the
/// competition runs (`offer::submit_offer`): one offer per provider and order, by a provider
/// the framework may still call (Dir. 2014/24 art. 33(2)). The offer alone is returned: the
/// caller writes it visible to its author only (sealed until the opening, issue 11 rule 6).
pub fn submit(actor: &Actor, input: Submit<'_>, now: DateTime<Utc>) -> Result<Offer, DomainError> {
    let invitation = own_invitation(actor, input.invitation, Act::SubmitOffer)?;
    found(input.order)?.check_not_pooled()?;
    submit_one(invitation, input, now)
}

/// One offer on one order, the provider's own invitation checked: alone (`submit`) or as a
/// member's share of a pooled offer (`submit_pooled`).
fn submit_one(
    invitation: &Invitation,
    input: Submit<'_>,
    now: DateTime<Utc>,
) -> Result<Offer, DomainError> {
    let order = found(input.order)?;
    if order.status != OrderStatus::CompetitionOpen {
        check_before_deadline(now, invitation.deadline)?;
        return Err(DomainError::rule(ErrorCode::CompetitionClosed));
    }
    let framework = found(input.framework)?;
    let terms = framework.pinned(order.framework_version)?;
    match input.previous {
        Some(prev) if prev.id != input.offer_id => {
            return Err(DomainError::rule(ErrorCode::OfferExists))
        }
        None if input.id_taken => {
            return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.offer_id))
        }
        _ => {}
    }
    submit_offer(OfferSubmission {
        offer_id: input.offer_id,
        invitation,
        terms,
        lines: input.lines,
        lead_time_days: input.lead_time_days,
        notes: input.notes.trim(),
        now,
        previous: input.previous,
        callable: framework
            .callable_providers(order.framework_version)?
            .contains(&invitation.provider_id),
    })
}

/// One member's share of a pooled offer (`submit_pooled`): its order and what the provider
/// has on it.
#[derive(Debug, Clone, Copy)]
pub struct PooledShare<'a> {
    /// The member's order.
    pub order: &'a Order,
    /// The provider's invitation on it in the pool's competition.
    pub invitation: Option<&'a Invitation>,
    /// The provider's offer on it already, if any.
    pub previous: Option<&'a Offer>,
    /// The share's offer id is already taken by another record (without a previous offer).
    pub id_taken: bool,
}

/// `offer.submit_pooled`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct SubmitPooled<'a> {
    /// The pooled call-off.
    pub pool: Option<&'a PooledCallOff>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Each member still in, with what the provider has on it.
    pub shares: &'a [PooledShare<'a>],
    /// The pooled offer's id (a first share's id is derived from it, `pool::member_offer_id`;
    /// a replaced share keeps its own).
    pub offer_id: Uuid,
    /// Unit prices, for the pooled volume.
    pub lines: &'a [OfferLineInput],
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Technical notes.
    pub notes: &'a str,
}

/// An invited provider offers once for the whole pool (issue 16 §4): one set of unit prices,
/// for the pooled volume, priced on each member's own quantities (`submit_one` for each share:
/// the same checks as an offer alone — before the deadline, at most the ceilings, a provider
/// the framework may call). Every share is sealed like any offer until the opening. Returns
/// one offer per member whose order invited the provider.
pub fn submit_pooled(
    actor: &Actor,
    input: SubmitPooled<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Offer>, DomainError> {
    authorize(actor, Act::SubmitPooledOffer, Owner::Own)?;
    let pool = found(input.pool)?;
    if pool.competition.is_none() {
        return Err(DomainError::rule(ErrorCode::PoolNotLaunched));
    }
    let shares: Vec<&PooledShare<'_>> = input
        .shares
        .iter()
        .filter(|s| s.order.pool_id == Some(pool.id) && pool.has_active(s.order.id))
        .collect();
    // A price for a line no commune of the pool needs is refused, as on an offer alone.
    if let Some(extra) = input.lines.iter().find(|l| {
        !shares.iter().any(|s| {
            s.order
                .needs
                .lines
                .iter()
                .any(|n| n.price_line_code == l.price_line_code)
        })
    }) {
        return Err(DomainError::field(ErrorCode::OfferLineNotNeeded, "lines")
            .with("code", &extra.price_line_code));
    }
    let mut offers = Vec::new();
    for share in shares {
        let Some(invitation) = share.invitation else {
            continue;
        };
        let invitation = own_invitation(actor, Some(invitation), Act::SubmitPooledOffer)?;
        let lines = crate::pool::share_lines(&invitation.needs, input.lines);
        offers.push(submit_one(
            invitation,
            Submit {
                invitation: Some(invitation),
                order: Some(share.order),
                framework: input.framework,
                previous: share.previous,
                id_taken: share.id_taken,
                // A replacement keeps each share's id; a first offer derives it.
                offer_id: share.previous.map_or_else(
                    || crate::pool::member_offer_id(input.offer_id, share.order.id),
                    |p| p.id,
                ),
                lines: &lines,
                lead_time_days: input.lead_time_days,
                notes: input.notes,
            },
            now,
        )?);
    }
    if offers.is_empty() {
        // Not invited to any member's competition: the pool's competition is not shown to it.
        return Err(DomainError::NotFound);
    }
    Ok(offers)
}

/// `order.open_offers` and the scheduler's opening: what they read.
#[derive(Debug, Clone, Copy)]
pub struct Open<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Every offer submitted on it (sealed until now).
    pub offers: &'a [Offer],
    /// Its invitations.
    pub invitations: &'a [Invitation],
}

/// The server's scheduler opens a competition whose deadline has passed (its own act: no
/// account). The order records the opening and the number of offers (`Order::open_offers`:
/// never before the deadline); every offer is returned in `opened_offers`, to be written readable by
/// the commune and the centrale from now on; every invitation of the competition is closed,
/// saying whether its provider had submitted (`Invitation::close_at_opening`); the competition
/// no longer closes.
pub fn open_due(input: Open<'_>, now: DateTime<Utc>) -> Result<OrderWrites, DomainError> {
    let mut order = found(input.order)?.clone();
    let count = u32::try_from(input.offers.len()).unwrap_or(u32::MAX);
    order.open_offers(now, count)?;
    let mut writes = OrderWrites::order(order);
    writes.deadline = DeadlineIndex::Cleared;
    writes.opened_offers = input.offers.to_vec();
    for inv in current_invitations(&writes.order, input.invitations) {
        let own = input
            .offers
            .iter()
            .find(|o| o.provider_id == inv.provider_id);
        let mut inv = inv.clone();
        inv.close_at_opening(own);
        writes.invitations.push(inv);
    }
    Ok(writes)
}

/// The commune, or the centrale, opens the offers once the deadline has passed (as the
/// scheduler does: `open_due`).
pub fn open_offers(
    actor: &Actor,
    input: Open<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    order_for(actor, input.order, Act::OpenOffers)?;
    open_due(input, now)
}

/// `order.set_offer_aside`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct SetAside<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its opened offers.
    pub offers: &'a [Offer],
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The commune's substitutions (who may sign in the titulars' place).
    pub substitutions: &'a [Substitution],
    /// The offer set aside.
    pub offer_id: Uuid,
    /// Why: irregular, or abnormally low after the provider was asked to justify its prices.
    pub ground: SetAsideGround,
    /// The motivation.
    pub motivation: &'a str,
}

/// The commune sets an opened offer aside, motivated (`Order::set_offer_aside`: Dir. 2014/24
/// art. 56(1) and art. 33(5)(d) (irregular), law of 17 June 2016 art. 84 (abnormally low, after
/// the provider was asked); issue 11 rule 7); the ranking leaves it out. Its provider is told why, with the remedies, on its
/// invitation (`SetAsideNotice`).
pub fn set_offer_aside(
    actor: &Actor,
    input: SetAside<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let (mut order, by) = signed_order_for(
        actor,
        input.order,
        Act::SetOfferAside,
        input.substitutions,
        now,
    )?;
    order.check_not_pooled()?;
    let offer = opened_offer(&order, input.offers, input.offer_id)?;
    let record = order.set_offer_aside(
        offer.id,
        offer.provider_id,
        input.ground,
        input.motivation.trim().to_string(),
        &by,
        now,
    )?;
    let mut writes = OrderWrites::order(order);
    tell_set_aside(&mut writes, input.invitations, &record, now);
    Ok(writes)
}

/// Tells the provider of an offer set aside, on its invitation of the current competition
/// (why, when, and the remedies), and no other provider.
pub(super) fn tell_set_aside(
    writes: &mut OrderWrites,
    invitations: &[Invitation],
    record: &crate::order::SetAside,
    now: DateTime<Utc>,
) {
    for inv in current_invitations(&writes.order, invitations) {
        if inv.provider_id == record.provider_id {
            let mut inv = inv.clone();
            inv.set_aside = Some(SetAsideNotice::of(record, now));
            writes.invitations.push(inv);
        }
    }
}

/// `order.ask_price_justification`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct AskJustification<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its opened offers.
    pub offers: &'a [Offer],
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The request's id.
    pub request_id: Uuid,
    /// The offer whose prices are to be justified.
    pub offer_id: Uuid,
    /// Which prices, and why they look abnormal.
    pub prices: &'a str,
    /// By when the provider answers.
    pub deadline: DateTime<Utc>,
}

/// The commune (or the centrale for it, convention art. 4.4) asks the provider of an opened
/// offer to justify its prices (law of 17 June 2016 art. 84; `Order::ask_price_justification`):
/// recorded on the order, and told to that provider alone on its invitation.
pub fn ask_price_justification(
    actor: &Actor,
    input: AskJustification<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let mut order = order_for(actor, input.order, Act::AskPriceJustification)?;
    order.check_not_pooled()?;
    let offer = opened_offer(&order, input.offers, input.offer_id)?;
    let request = order.ask_price_justification(
        input.request_id,
        offer.id,
        offer.provider_id,
        input.prices.trim().to_string(),
        input.deadline,
        &actor.display_name,
        now,
    )?;
    let mut writes = OrderWrites::order(order);
    tell_price_request(&mut writes, input.invitations, &request);
    Ok(writes)
}

/// `order.answer_price_justification`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct AnswerJustification<'a> {
    /// The provider's invitation.
    pub invitation: Option<&'a Invitation>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The order's invitations.
    pub invitations: &'a [Invitation],
    /// The request answered.
    pub request_id: Uuid,
    /// The answer.
    pub answer: &'a str,
}

/// The provider asked answers, before the request's deadline (law of 17 June 2016 art. 84;
/// `Order::answer_price_justification`): recorded on the order (the commune reads it at its
/// next pull) and on its own invitation.
pub fn answer_price_justification(
    actor: &Actor,
    input: AnswerJustification<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let invitation = own_invitation(actor, input.invitation, Act::AnswerPriceJustification)?;
    let mut order = found(input.order)?.clone();
    let request = order.answer_price_justification(
        input.request_id,
        invitation.provider_id,
        input.answer.trim().to_string(),
        now,
    )?;
    let mut writes = OrderWrites::order(order);
    tell_price_request(&mut writes, input.invitations, &request);
    Ok(writes)
}

/// `order.accept_price_justification`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct AcceptJustification<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The request settled.
    pub request_id: Uuid,
}

/// The commune accepts the justification (`Order::accept_price_justification`): the offer
/// stays in the ranking; its provider sees the request settled on its invitation.
pub fn accept_price_justification(
    actor: &Actor,
    input: AcceptJustification<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let mut order = order_for(actor, input.order, Act::AcceptPriceJustification)?;
    let request = order.accept_price_justification(input.request_id, &actor.display_name, now)?;
    let mut writes = OrderWrites::order(order);
    tell_price_request(&mut writes, input.invitations, &request);
    Ok(writes)
}

/// `order.evaluate`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Evaluate<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Its opened offers.
    pub offers: &'a [Offer],
    /// The quality scores given.
    pub scores: &'a [QualityScore],
}

/// The commune ranks the opened offers on the pinned framework's criteria
/// (`evaluation::evaluate_with`; Dir. 2014/24 art. 33(5)(e)), leaving out the offers set aside
/// (issue 11 rule 7: regularity before ranking, the price verifications settled); who
/// evaluates has declared no conflict of interest (law of 17 June 2016 art. 6).
pub fn evaluate(
    actor: &Actor,
    input: Evaluate<'_>,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    let mut order = order_for(actor, input.order, Act::EvaluateOffers)?;
    order.check_not_pooled()?;
    order.check_evaluable(now)?;
    let framework = found(input.framework)?;
    let terms = framework.pinned(order.framework_version)?;
    let scoring: Vec<OfferForScoring> = input
        .offers
        .iter()
        .filter(|offer| !order.is_set_aside(offer.id))
        .map(OfferForScoring::from)
        .collect();
    let basis = PriceBasis::of(terms, &order.needs)?;
    let ranking = evaluate_with(basis, &terms.award_criteria, &scoring, input.scores)?;
    order.record_evaluation(EvaluationRecord {
        quality_scores: input.scores.to_vec(),
        ranking,
        evaluated_at: now,
        evaluated_by: actor.display_name.clone(),
    })?;
    order.check_no_conflict_declared(&actor.user_id)?;
    Ok(order)
}

/// `order.award`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Award<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Its opened offers.
    pub offers: &'a [Offer],
    /// The providers of those offers (their names go on the award and the notifications).
    pub providers: &'a [Provider],
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The orders the framework's maximum value is consumed by (the server: every commune's;
    /// the PC: those it knows, a lower bound).
    pub orders: &'a [Order],
    /// The commune's substitutions (who may sign in the titulars' place).
    pub substitutions: &'a [Substitution],
    /// The offer awarded.
    pub offer_id: Uuid,
    /// The motivation.
    pub justification: &'a str,
    /// The collège's decision.
    pub college_decision: &'a Decision,
}

/// The collège awards to the offer ranked first (`Order::award`: Dir. 2014/24 art. 33(5)(e),
/// recital 62; the decision dated on or after the opening, law of 17 June 2013); who decides
/// has declared no conflict of interest (law of 17 June 2016 art. 6); the amount stays within
/// the framework's maximum value (Dir. 2014/24 art. 33(1)). Returns the order, each
/// tenderer's notification on its invitation (law of 17 June 2013 art. 7–9; Dir. 2014/24
/// art. 55(2): the winner that it won; each other tenderer the winner's name, its own and the
/// winner's scores, the motivation and the remedies; a tenderer set aside why instead of
/// scores; a provider invited without an offer nothing more), and the deployment's milestones
/// planned from today on the winner's offered lead time (issue 11 rule 16).
pub fn award(
    actor: &Actor,
    input: Award<'_>,
    now: DateTime<Utc>,
    new_id: impl FnMut() -> Uuid,
) -> Result<OrderWrites, DomainError> {
    let today = brussels_today(now);
    let (mut order, by) = signed_order_for(
        actor,
        input.order,
        Act::AwardOrder,
        input.substitutions,
        now,
    )?;
    let framework = found(input.framework)?;
    let terms = framework.pinned(order.framework_version)?;
    let offer = opened_offer(&order, input.offers, input.offer_id)?;
    let mut names = ProviderNames::default();
    for x in input.offers {
        if let Some(provider) = input.providers.iter().find(|p| p.id == x.provider_id) {
            names.insert(x.provider_id, provider.name.clone());
        }
    }
    order.award(
        framework,
        offer.id,
        offer.total,
        input.justification.trim().to_string(),
        input.college_decision.clone(),
        &by,
        now,
        today,
        |id| names.name(id),
    )?;
    order.check_no_conflict_declared(&actor.user_id)?;
    value::check_maximum(framework, input.orders, &order, offer.total.excl_vat)?;
    let milestones = plan_milestones(
        &terms.milestone_plan,
        Some(offer.lead_time_days),
        today,
        order.id,
        &order.commune_nis,
        offer.provider_id,
        new_id,
    );
    let mut writes = OrderWrites::order(order);
    tell_outcome(&mut writes, input.invitations, input.providers, now);
    writes.new_milestones = milestones;
    Ok(writes)
}

/// Each tenderer of the current competition is told the award (see `award`).
fn tell_outcome(
    writes: &mut OrderWrites,
    invitations: &[Invitation],
    providers: &[Provider],
    now: DateTime<Utc>,
) {
    let order = &writes.order;
    let (Some(award), Some(evaluation)) = (&order.award, &order.evaluation) else {
        return;
    };
    let winner_name = providers
        .iter()
        .find(|p| p.id == award.provider_id)
        .map_or_else(String::new, |p| p.name.clone());
    let mut told = Vec::new();
    for inv in current_invitations(order, invitations) {
        let set_aside = order
            .set_aside
            .iter()
            .find(|s| s.provider_id == inv.provider_id);
        let outcome = match set_aside {
            Some(record) => Some(InvitationOutcome::for_set_aside(
                award,
                &evaluation.ranking,
                record,
                &winner_name,
                now,
            )),
            None => InvitationOutcome::for_tenderer(
                award,
                &evaluation.ranking,
                inv.provider_id,
                &winner_name,
                now,
            ),
        };
        if let Some(outcome) = outcome {
            let mut inv = inv.clone();
            inv.outcome = Some(outcome);
            told.push(inv);
        }
    }
    writes.invitations.extend(told);
}
