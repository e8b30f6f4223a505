//! The order's lifecycle decided once: the commune's request, the centrale's competition
//! (launch, relaunch, extension, questions), withdrawal, cancellation, the purchase order and
//! the direct award. The offers' acts (opening, setting aside, price verification, evaluation,
//! award) are in `decide::offer`, the acceptances in `decide::milestone`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{found, DeadlineIndex, Edit};
use crate::adhesion::{Adhesion, AdhesionStatus, Decision};
use crate::catalogue::{FrameworkAgreement, Service};
use crate::deployment::{plan_milestones, Milestone};
use crate::money::Cents;
use crate::needs::OrderNeeds;
use crate::offer::{check_before_deadline, Invitation, InvitationStatus, Offer};
use crate::order::{ConflictDeclaration, ContractManager, DirectAward, Order};
use crate::permission::{authorize, Act, Actor, Owner};
use crate::pool::PooledCallOff;
use crate::signatory::{signer_for, Capacity, Substitution};
use crate::time::brussels_today;
use crate::{value, DomainError, ErrorCode};

/// What a decided order mutation writes. The PC writes the order only (the invitations, the
/// milestones and the deadline index are the server's to write).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderWrites {
    /// The order as it is after the act.
    pub order: Order,
    /// Invitations of the order that changed (each as it now is).
    pub invitations: Vec<Invitation>,
    /// Invitations sent by the act.
    pub new_invitations: Vec<Invitation>,
    /// Milestones planned by the act.
    pub new_milestones: Vec<Milestone>,
    /// Offers of the order to write readable by the commune and the centrale: every offer,
    /// at the opening (until then an offer is its author's alone: issue 11 rule 6).
    pub opened_offers: Vec<Offer>,
    /// The server's deadline index.
    pub deadline: DeadlineIndex,
}

impl OrderWrites {
    pub(super) fn order(order: Order) -> OrderWrites {
        OrderWrites {
            order,
            opened_offers: Vec::new(),
            invitations: Vec::new(),
            new_invitations: Vec::new(),
            new_milestones: Vec::new(),
            deadline: DeadlineIndex::Unchanged,
        }
    }
}

/// The order, and the actor may do `act` on it (its commune, or the centrale where the act is
/// the centrale's too).
fn order_for(actor: &Actor, order: Option<&Order>, act: Act) -> Result<Order, DomainError> {
    let order = found(order)?;
    authorize(actor, act, Owner::Commune(&order.commune_nis))?;
    Ok(order.clone())
}

/// The order, for one of the signatories' acts: the titular, or a substitute on a day their
/// substitution covers (CDLD L1132-3, L1123-5, L1132-4: `signatory::signer_for`). Returns the
/// order and the name the act records (« Jean Dupont, échevin, bourgmestre f.f. » for a
/// substitute; the name alone for a titular).
fn signed_order_for(
    actor: &Actor,
    order: Option<&Order>,
    act: Act,
    substitutions: &[Substitution],
    today: chrono::NaiveDate,
) -> Result<(Order, String), DomainError> {
    let order = found(order)?;
    let signer = signer_for(actor, act, &order.commune_nis, substitutions, today)?;
    let by = if signer.capacity == Capacity::Titular {
        actor.display_name.clone()
    } else {
        signer.label(&actor.display_name)
    };
    Ok((order.clone(), by))
}

/// The invitations of the order's current competition (a relaunch leaves the earlier
/// competition's invitations as they were).
pub fn current_invitations<'a>(
    order: &'a Order,
    invitations: &'a [Invitation],
) -> impl Iterator<Item = &'a Invitation> + 'a {
    let launched_at = order.competition.as_ref().map(|c| c.launched_at);
    invitations.iter().filter(move |inv| {
        inv.order_id == order.id && launched_at.is_none_or(|at| inv.sent_at >= at)
    })
}

/// The adhesion a commune orders under today: its adhesion that is not terminated.
pub fn current_adhesion<'a>(
    adhesions: &'a [Adhesion],
    commune: &str,
    now: DateTime<Utc>,
) -> Option<&'a Adhesion> {
    let today = brussels_today(now);
    adhesions
        .iter()
        .find(|a| a.commune_nis == commune && a.status_on(today) != AdhesionStatus::Terminated)
}

/// `order.create_draft`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct CreateDraft<'a> {
    /// The new order's id.
    pub order_id: Uuid,
    /// The id is already taken (a deleted draft keeps its id: reusing it would move the
    /// version back).
    pub id_taken: bool,
    /// The service ordered.
    pub service: Option<&'a Service>,
    /// The service's framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Title as typed.
    pub title: &'a str,
    /// Needs.
    pub needs: &'a OrderNeeds,
    /// The pooled call-off the draft is prepared for (issue 16 §4), if any.
    pub pool_id: Option<Uuid>,
    /// That pool, as loaded.
    pub pool: Option<&'a PooledCallOff>,
}

/// A commune account prepares a draft for its commune, validated against the framework's
/// current terms (`Order::new_draft`); a draft for a pooled call-off is of the pool's service
/// while the pool is open to joining (`PooledCallOff::check_joinable_by`).
pub fn create_draft(
    actor: &Actor,
    input: CreateDraft<'_>,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    authorize(actor, Act::CreateOrderDraft, Owner::Own)?;
    let commune = actor.commune_nis.as_deref().ok_or(DomainError::NotFound)?;
    if input.id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.order_id));
    }
    found(input.service)?;
    let framework = found(input.framework)?;
    let mut order = Order::new_draft(
        input.order_id,
        commune,
        framework,
        input.title.trim().to_string(),
        input.needs.clone(),
        &actor.display_name,
        now,
    )?;
    if let Some(pool_id) = input.pool_id {
        let pool = found(input.pool.filter(|p| p.id == pool_id))?;
        order.pool_id = Some(pool_id);
        pool.check_joinable_by(&order, brussels_today(now))?;
    }
    Ok(order)
}

/// `order.update_draft`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct UpdateDraft<'a> {
    /// The draft.
    pub order: Option<&'a Order>,
    /// The edit was based on an older version of it.
    pub stale: bool,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Title as typed.
    pub title: &'a str,
    /// Needs.
    pub needs: &'a OrderNeeds,
}

/// The commune edits its draft.
pub fn update_draft(
    actor: &Actor,
    input: UpdateDraft<'_>,
    _now: DateTime<Utc>,
) -> Result<Edit<Order>, DomainError> {
    let mut order = order_for(actor, input.order, Act::UpdateOrderDraft)?;
    if input.stale {
        return Ok(Edit::Conflict);
    }
    let framework = found(input.framework)?;
    order.update_draft(
        framework,
        input.title.trim().to_string(),
        input.needs.clone(),
    )?;
    Ok(Edit::Apply(order))
}

/// `order.delete_draft`: the draft to delete (`Edit::Apply`), only a draft.
pub fn delete_draft(
    actor: &Actor,
    order: Option<&Order>,
    stale: bool,
    _now: DateTime<Utc>,
) -> Result<Edit<Order>, DomainError> {
    let order = order_for(actor, order, Act::DeleteOrderDraft)?;
    if stale {
        return Ok(Edit::Conflict);
    }
    order.check_deletable()?;
    Ok(Edit::Apply(order))
}

/// `order.submit`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Submit<'a> {
    /// The draft.
    pub order: Option<&'a Order>,
    /// The commune's adhesions (the one not terminated is current).
    pub adhesions: &'a [Adhesion],
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The orders the framework's maximum value is consumed by (the server: every commune's;
    /// the PC: those it knows, a lower bound).
    pub orders: &'a [Order],
    /// The decision launching the order.
    pub decision: Option<&'a Decision>,
    /// Its budget article.
    pub budget_article: &'a str,
    /// The pooled call-off the order is of, as loaded (none for an order alone).
    pub pool: Option<&'a PooledCallOff>,
}

/// What sending a request writes: the order, and the pool it joins.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// The order sent.
    pub order: Order,
    /// The pooled call-off with the commune now in it (issue 16 §4), if the order is of one.
    pub pool: Option<PooledCallOff>,
}

/// The commune sends its request (`Order::submit`), within the framework's maximum value
/// (Dir. 2014/24 art. 33(1); `value::check_submission`). An order of a pooled call-off joins
/// it as it is sent: the decision recorded is the commune's decision to take part, for its
/// own quantities (`PooledCallOff::join`).
pub fn submit(
    actor: &Actor,
    input: Submit<'_>,
    now: DateTime<Utc>,
) -> Result<Submitted, DomainError> {
    let mut order = order_for(actor, input.order, Act::SubmitOrder)?;
    let adhesion = current_adhesion(input.adhesions, &order.commune_nis, now);
    let framework = found(input.framework)?;
    order.submit(
        adhesion,
        framework,
        input.decision.cloned(),
        input.budget_article,
        &actor.display_name,
        now,
        brussels_today(now),
    )?;
    value::check_submission(framework, input.orders, &order)?;
    let pool = match order.pool_id {
        Some(pool_id) => {
            let mut pool = found(input.pool.filter(|p| p.id == pool_id))?.clone();
            pool.join(&order, &actor.display_name, now)?;
            Some(pool)
        }
        None => None,
    };
    Ok(Submitted { order, pool })
}

/// `order.declare_no_conflict`: the acting account declares it has no conflict of interest on
/// this order (law of 17 June 2016 art. 6).
pub fn declare_no_conflict(
    actor: &Actor,
    order: Option<&Order>,
    statement_sha256: &str,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    let mut order = order_for(actor, order, Act::DeclareNoConflict)?;
    order.declare_no_conflict(ConflictDeclaration {
        user_id: actor.user_id.clone(),
        name: actor.display_name.clone(),
        role: actor.role,
        declared_at: now,
        statement_sha256: statement_sha256.to_string(),
    })?;
    Ok(order)
}

/// `order.cancel`: the commune cancels before any competition.
pub fn cancel(
    actor: &Actor,
    order: Option<&Order>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    let mut order = order_for(actor, order, Act::CancelOrder)?;
    order.cancel(reason.trim().to_string(), &actor.display_name, now)?;
    Ok(order)
}

/// `order.withdraw`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Withdraw<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The motivation.
    pub reason: &'a str,
    /// The collège's decision.
    pub college_decision: &'a Decision,
    /// The commune's substitutions (who may sign in the titulars' place).
    pub substitutions: &'a [Substitution],
}

/// The commune withdraws a running competition by a motivated decision (law of 29 July 1991
/// art. 2–3; law of 17 June 2016 art. 85); every invited provider of the competition is told,
/// with the motivation and the decision; the competition no longer closes.
pub fn withdraw(
    actor: &Actor,
    input: Withdraw<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let today = brussels_today(now);
    let (mut order, by) = signed_order_for(
        actor,
        input.order,
        Act::WithdrawOrder,
        input.substitutions,
        today,
    )?;
    order.withdraw(
        input.reason.trim().to_string(),
        input.college_decision.clone(),
        &by,
        now,
        today,
    )?;
    let mut writes = OrderWrites::order(order);
    writes.deadline = DeadlineIndex::Cleared;
    if let Some(closure) = &writes.order.closure {
        for inv in current_invitations(&writes.order, input.invitations) {
            let mut inv = inv.clone();
            inv.tell_withdrawal(closure, now);
            writes.invitations.push(inv);
        }
    }
    Ok(writes)
}

/// `order.launch_competition`, `order.relaunch_competition`: what they read.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The deadline asked.
    pub deadline: DateTime<Utc>,
    /// The server's minimum days of a competition (the PC: as last pulled).
    pub min_days: u32,
    /// A relaunch after a competition without offer.
    pub relaunch: bool,
}

/// The centrale (re)opens competition (`Order::launch_competition`,
/// `Order::relaunch_competition`: law of 17 June 2016 art. 43, Dir. 2014/24 art. 33(5)(b)):
/// the same needs (what tenderers may receive: never the budget), the same documents and
/// deadline sent to every provider callable now; `new_id` names each invitation.
pub fn launch_competition(
    actor: &Actor,
    input: Launch<'_>,
    now: DateTime<Utc>,
    new_id: impl FnMut() -> Uuid,
) -> Result<OrderWrites, DomainError> {
    authorize(actor, Act::LaunchCompetition, Owner::Own)?;
    let order = found(input.order)?;
    order.check_not_pooled()?;
    let framework = found(input.framework)?;
    launch_one(
        order,
        framework,
        input.deadline,
        input.min_days,
        input.relaunch,
        &actor.display_name,
        now,
        new_id,
    )
}

/// One order's (re)launch, once the centrale's permission is checked: for an order alone
/// (`launch_competition`), or for each member of a pooled call-off (`decide::pool::launch`).
#[allow(clippy::too_many_arguments)]
pub(super) fn launch_one(
    order: &Order,
    framework: &FrameworkAgreement,
    deadline: DateTime<Utc>,
    min_days: u32,
    relaunch: bool,
    by: &str,
    now: DateTime<Utc>,
    mut new_id: impl FnMut() -> Uuid,
) -> Result<OrderWrites, DomainError> {
    let mut order = order.clone();
    let today = brussels_today(now);
    let providers = if relaunch {
        order.relaunch_competition(framework, deadline, min_days, now, today, by)?
    } else {
        order.launch_competition(framework, deadline, min_days, now, today, by)?
    };
    let terms = framework.pinned(order.framework_version)?;
    let new_invitations = providers
        .into_iter()
        .map(|provider_id| Invitation {
            id: new_id(),
            order_id: order.id,
            provider_id,
            commune_nis: order.commune_nis.clone(),
            order_title: order.title.clone(),
            needs: order.needs.for_tenderers(),
            documents: terms.documents.clone(),
            framework_version: order.framework_version,
            deadline,
            sent_at: now,
            status: InvitationStatus::Sent,
            offer_submitted_at: None,
            outcome: None,
            withdrawal: None,
            extensions: Vec::new(),
            clarifications: Vec::new(),
            set_aside: None,
            price_requests: Vec::new(),
            pool_id: None,
        })
        .collect();
    let mut writes = OrderWrites::order(order);
    writes.new_invitations = new_invitations;
    writes.deadline = DeadlineIndex::Set(deadline);
    Ok(writes)
}

/// `order.extend_deadline`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Extend<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The new deadline.
    pub deadline: DateTime<Utc>,
    /// Why.
    pub reason: &'a str,
}

/// The centrale extends a running competition's deadline (`Order::extend_deadline`): every
/// invitation of the competition gets the same new deadline and the reason; the deadline
/// index moves too.
pub fn extend_deadline(
    actor: &Actor,
    input: Extend<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    authorize(actor, Act::ExtendDeadline, Owner::Own)?;
    let order = found(input.order)?;
    order.check_not_pooled()?;
    let framework = found(input.framework)?;
    extend_one(
        order,
        framework,
        input.invitations,
        input.deadline,
        input.reason,
        &actor.display_name,
        now,
    )
}

/// One order's extension, once the centrale's permission is checked: for an order alone
/// (`extend_deadline`), or for each member of a pooled call-off (`decide::pool`).
pub(super) fn extend_one(
    order: &Order,
    framework: &FrameworkAgreement,
    invitations: &[Invitation],
    deadline: DateTime<Utc>,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    let mut order = order.clone();
    order.extend_deadline(
        framework,
        deadline,
        reason.trim().to_string(),
        by,
        now,
        brussels_today(now),
    )?;
    let mut writes = OrderWrites::order(order);
    writes.deadline = DeadlineIndex::Set(deadline);
    let extension = writes
        .order
        .competition
        .as_ref()
        .and_then(|c| c.extensions.last().cloned());
    if let Some(extension) = extension {
        for inv in current_invitations(&writes.order, invitations) {
            let mut inv = inv.clone();
            inv.tell_extension(&extension);
            writes.invitations.push(inv);
        }
    }
    Ok(writes)
}

/// `order.ask_question`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// The provider's invitation.
    pub invitation: Option<&'a Invitation>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The question's id.
    pub question_id: Uuid,
    /// The question.
    pub text: &'a str,
}

/// An invited provider asks a question while its invitation runs (`Order::ask_question`). Only
/// the question is written, on the order: who asked is written nowhere a client can read
/// (equal treatment and secrecy: Dir. 2014/24 art. 18(1) and art. 33(5)(c)).
pub fn ask_question(
    actor: &Actor,
    input: Ask<'_>,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    authorize(actor, Act::AskQuestion, Owner::Own)?;
    let invitation = found(input.invitation)?;
    authorize(
        actor,
        Act::AskQuestion,
        Owner::Provider(invitation.provider_id),
    )?;
    let mut order = found(input.order)?.clone();
    if invitation.status != InvitationStatus::Sent {
        check_before_deadline(now, invitation.deadline)?;
        return Err(DomainError::rule(ErrorCode::CompetitionClosed).with("kind", "question"));
    }
    order.ask_question(input.question_id, input.text.trim().to_string(), now)?;
    Ok(order)
}

/// `order.answer_question`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its invitations.
    pub invitations: &'a [Invitation],
    /// The question answered.
    pub question_id: Uuid,
    /// The answer.
    pub answer: &'a str,
}

/// The centrale answers a question (`Order::answer_question`: Dir. 2014/24 art. 18(1),
/// art. 33(5)(a)): every invitation of the competition receives the question and its answer,
/// without who asked.
pub fn answer_question(
    actor: &Actor,
    input: Answer<'_>,
    now: DateTime<Utc>,
) -> Result<OrderWrites, DomainError> {
    authorize(actor, Act::AnswerQuestion, Owner::Own)?;
    let mut order = found(input.order)?.clone();
    let clarification =
        order.answer_question(input.question_id, input.answer.trim().to_string(), now)?;
    let mut writes = OrderWrites::order(order);
    for inv in current_invitations(&writes.order, input.invitations) {
        let mut inv = inv.clone();
        inv.clarifications.push(clarification.clone());
        writes.invitations.push(inv);
    }
    Ok(writes)
}

/// `order.issue_purchase_order`: the centrale issues the purchase order naming the commune's
/// fonctionnaire dirigeant (`Order::issue_purchase_order`, rule 16).
pub fn issue_purchase_order(
    actor: &Actor,
    order: Option<&Order>,
    reference: &str,
    contract_manager: Option<ContractManager>,
    now: DateTime<Utc>,
) -> Result<Order, DomainError> {
    authorize(actor, Act::IssuePurchaseOrder, Owner::Own)?;
    let mut order = found(order)?.clone();
    order.issue_purchase_order(
        reference.trim().to_string(),
        contract_manager,
        &actor.display_name,
        now,
    )?;
    Ok(order)
}

/// `order.direct_award`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct DirectAwardInput<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// Its framework.
    pub framework: Option<&'a FrameworkAgreement>,
    /// The orders the framework's maximum value is consumed by; among them, the commune's
    /// direct call-offs a rotation counts (the server: every commune's; the PC: its own).
    pub orders: &'a [Order],
    /// The provider the framework's conditions designate.
    pub provider_id: Uuid,
    /// Why.
    pub justification: &'a str,
    /// The collège's decision.
    pub college_decision: &'a Decision,
    /// The commune's substitutions (who may sign in the titulars' place).
    pub substitutions: &'a [Substitution],
}

/// The commune awards without reopening competition, under the framework's conditions
/// (`Order::direct_award`: Dir. 2014/24 art. 33(4)(a)); who decides has declared no conflict
/// of interest (law of 17 June 2016 art. 6); the amount stays within the framework's maximum
/// value (Dir. 2014/24 art. 33(1)); the deployment's milestones are planned from today.
pub fn direct_award(
    actor: &Actor,
    input: DirectAwardInput<'_>,
    now: DateTime<Utc>,
    new_id: impl FnMut() -> Uuid,
) -> Result<OrderWrites, DomainError> {
    let today = brussels_today(now);
    let (mut order, by) = signed_order_for(
        actor,
        input.order,
        Act::DirectAwardOrder,
        input.substitutions,
        today,
    )?;
    order.check_not_pooled()?;
    let framework = found(input.framework)?;
    order.direct_award(
        framework,
        input.orders,
        DirectAward {
            provider_id: input.provider_id,
            justification: input.justification.trim().to_string(),
            college_decision: input.college_decision.clone(),
        },
        &by,
        now,
        today,
    )?;
    order.check_no_conflict_declared(&actor.user_id)?;
    let amount = order
        .award
        .as_ref()
        .map_or(Cents::ZERO, |a| a.amount.excl_vat);
    value::check_maximum(framework, input.orders, &order, amount)?;
    let terms = framework.pinned(order.framework_version)?;
    // A direct award has no offer: the framework's plan alone (rule 16), moved to the
    // purchase order's day when it is issued.
    let milestones = plan_milestones(
        &terms.milestone_plan,
        None,
        today,
        order.id,
        &order.commune_nis,
        input.provider_id,
        new_id,
    );
    let mut writes = OrderWrites::order(order);
    writes.new_milestones = milestones;
    Ok(writes)
}
