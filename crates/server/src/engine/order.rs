//! Order mutations: the commune's request, the centrale's mini-competition, opening,
//! evaluation, award, purchase order, cancellation and withdrawal (the acceptances: `deployment`).

use centrale_domain::adhesion::Adhesion;
use centrale_domain::catalogue::{
    FrameworkAgreement, FrameworkTerms, Provider, ProviderNames, Service,
};
use centrale_domain::decide::order as decide;
use centrale_domain::decide::{DeadlineIndex, Edit};
use centrale_domain::deployment::{plan_milestones, Milestone};
use centrale_domain::evaluation::{evaluate_with as rank_offers, OfferForScoring, PriceBasis};
use centrale_domain::offer::{Invitation, InvitationOutcome, Offer};
use centrale_domain::order::{EvaluationRecord, Order, PriceJustificationRequest};
use centrale_domain::permission::{Act, Owner};
use centrale_domain::signatory::{Capacity, SUBSTITUTE_SIGNS};
use centrale_domain::value;
use centrale_protocol::mutations::{
    AcceptPriceJustification, AnswerPriceJustification, AnswerQuestion, AskPriceJustification,
    AskQuestion, AwardOrder, CloseOrder, CreateOrderDraft, DeclareNoConflict, DirectAwardOrder,
    EvaluateOffers, ExtendDeadline, IssuePurchaseOrder, LaunchCompetition, OrderRef, SetOfferAside,
    SubmitOrder, UpdateOrderDraft, WithdrawOrder,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::{check_version, visibility, Ctx, EngineError, Loaded, Rejection};

const KIND: RecordKind = RecordKind::Order;

pub(super) async fn save(
    ctx: &mut Ctx<'_>,
    order: &Order,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let vis = visibility(KIND, Some(&order.commune_nis), None, false);
    ctx.save(
        KIND,
        &order.id.to_string(),
        order,
        previous,
        Some(&order.commune_nis),
        vis,
    )
    .await?;
    Ok(())
}

/// Loads an order and checks that the actor may do `act` on it (its commune, or the
/// centrale where the act is the centrale's too).
async fn load_for(ctx: &mut Ctx<'_>, id: Uuid, act: Act) -> Result<Loaded<Order>, EngineError> {
    let loaded: Loaded<Order> = ctx.require(KIND, &id.to_string()).await?;
    if SUBSTITUTE_SIGNS.contains(&act) {
        // A signatory act: the titular, or a substitute on a day their substitution covers
        // (CDLD L1123-5, L1132-4). A substitute is named as such on everything this act
        // records (« Jean Dupont, échevin, bourgmestre f.f. »).
        let signer =
            super::substitution::signer(ctx, act, &loaded.value.commune_nis.clone()).await?;
        if signer.capacity != Capacity::Titular {
            ctx.actor.display_name = signer.label(&ctx.actor.display_name);
        }
    } else {
        ctx.actor
            .authorize(act, Owner::Commune(&loaded.value.commune_nis))?;
    }
    Ok(loaded)
}

/// The substitutions of the order's commune (who may sign in the titulars' place); none when
/// the order is unknown (the decision then answers `not_found`).
async fn substitutions_of(
    ctx: &mut Ctx<'_>,
    order: Option<&Loaded<Order>>,
) -> Result<Vec<centrale_domain::signatory::Substitution>, EngineError> {
    match order {
        Some(o) => super::substitution::of_commune(ctx, &o.value.commune_nis.clone()).await,
        None => Ok(Vec::new()),
    }
}

/// Every order under `framework`, of every commune (what its maximum value is consumed by).
async fn framework_orders(
    ctx: &mut Ctx<'_>,
    framework: &FrameworkAgreement,
) -> Result<Vec<Order>, EngineError> {
    let all: Vec<Loaded<Order>> = ctx.all(KIND).await?;
    Ok(all
        .into_iter()
        .map(|l| l.value)
        .filter(|o| o.framework_id == framework.id)
        .collect())
}

pub(super) async fn framework(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<FrameworkAgreement, EngineError> {
    Ok(ctx
        .require::<FrameworkAgreement>(RecordKind::Framework, &id.to_string())
        .await?
        .value)
}

/// The terms an order is made under (its pinned version).
pub(super) fn terms_of(
    framework: &FrameworkAgreement,
    order: &Order,
) -> Result<FrameworkTerms, EngineError> {
    Ok(framework.pinned(order.framework_version)?.clone())
}

/// A record's value, if it exists (tombstones read as absent).
async fn value_of<T: serde::de::DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    kind: RecordKind,
    id: Uuid,
) -> Result<Option<T>, EngineError> {
    Ok(ctx.load::<T>(kind, &id.to_string()).await?.map(|l| l.value))
}

/// The order with its version, and its framework (each `None` when absent: the domain's
/// decision refuses with `not_found`, after the permission).
async fn order_and_framework(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<(Option<Loaded<Order>>, Option<FrameworkAgreement>), EngineError> {
    let order: Option<Loaded<Order>> = ctx.load(KIND, &id.to_string()).await?;
    let framework = match &order {
        Some(o) => value_of(ctx, RecordKind::Framework, o.value.framework_id).await?,
        None => None,
    };
    Ok((order, framework))
}

/// Every invitation of an order, with its version.
async fn invitations_of(
    ctx: &mut Ctx<'_>,
    order_id: Uuid,
) -> Result<Vec<Loaded<Invitation>>, EngineError> {
    ctx.children(RecordKind::Invitation, &order_id.to_string())
        .await
}

/// Every order of the order's framework (what its maximum value is consumed by).
async fn orders_of_framework(
    ctx: &mut Ctx<'_>,
    framework: Option<&FrameworkAgreement>,
) -> Result<Vec<Order>, EngineError> {
    match framework {
        Some(f) => framework_orders(ctx, f).await,
        None => Ok(Vec::new()),
    }
}

fn values<T: Clone>(loaded: &[Loaded<T>]) -> Vec<T> {
    loaded.iter().map(|l| l.value.clone()).collect()
}

/// Writes what a decision returned: the order (as the next version of `order`), the
/// deadline index, the changed invitations (each as the next version of the one loaded), the
/// new invitations and milestones.
async fn write(
    ctx: &mut Ctx<'_>,
    writes: &decide::OrderWrites,
    order: Option<&Loaded<Order>>,
    invitations: &[Loaded<Invitation>],
) -> Result<(), EngineError> {
    save(ctx, &writes.order, order.map(|o| o.version)).await?;
    let id = writes.order.id.to_string();
    match writes.deadline {
        DeadlineIndex::Unchanged => {}
        DeadlineIndex::Set(deadline) => ctx.index_deadline(&id, Some(deadline)).await?,
        DeadlineIndex::Cleared => ctx.index_deadline(&id, None).await?,
    }
    for inv in &writes.invitations {
        let version = invitations
            .iter()
            .find(|l| l.value.id == inv.id)
            .map(|l| l.version)
            .ok_or_else(|| EngineError::Internal(format!("invitation {} not loaded", inv.id)))?;
        save_invitation(ctx, inv, Some(version)).await?;
    }
    for inv in &writes.new_invitations {
        save_invitation(ctx, inv, None).await?;
    }
    for m in &writes.new_milestones {
        super::deployment::save_milestone(ctx, m, None).await?;
    }
    Ok(())
}

/// The answer to a stale edit: the record as it is now.
async fn conflict(
    ctx: &mut Ctx<'_>,
    id: Uuid,
    base: Option<i64>,
    order: Option<&Loaded<Order>>,
) -> Result<(), EngineError> {
    let current = order.map_or(0, |o| o.version);
    check_version(ctx, KIND, &id.to_string(), base, current).await?;
    Err(EngineError::Internal(
        "a stale edit without a conflict".into(),
    ))
}

fn is_stale(base: Option<i64>, order: Option<&Loaded<Order>>) -> bool {
    matches!((base, order), (Some(base), Some(o)) if base != o.version)
}

pub async fn create_draft(ctx: &mut Ctx<'_>, p: &CreateOrderDraft) -> Result<(), EngineError> {
    // A deleted draft keeps its id (its tombstone): reusing it would move the version back.
    let id_taken = ctx
        .tx
        .get_record(KIND.as_str(), &p.order_id.to_string())
        .await?
        .is_some();
    let service: Option<Service> = value_of(ctx, RecordKind::Service, p.service_id).await?;
    let framework = match &service {
        Some(s) => value_of(ctx, RecordKind::Framework, s.framework_id).await?,
        None => None,
    };
    let order = decide::create_draft(
        &ctx.actor.domain(),
        decide::CreateDraft {
            order_id: p.order_id,
            id_taken,
            service: service.as_ref(),
            framework: framework.as_ref(),
            title: &p.title,
            needs: &p.needs,
        },
        ctx.now,
    )?;
    save(ctx, &order, None).await
}

pub async fn update_draft(
    ctx: &mut Ctx<'_>,
    p: &UpdateOrderDraft,
    base: Option<i64>,
) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let decided = decide::update_draft(
        &ctx.actor.domain(),
        decide::UpdateDraft {
            order: o.as_ref().map(|o| &o.value),
            stale: is_stale(base, o.as_ref()),
            framework: framework.as_ref(),
            title: &p.title,
            needs: &p.needs,
        },
        ctx.now,
    )?;
    match decided {
        Edit::Apply(order) => save(ctx, &order, o.map(|o| o.version)).await,
        Edit::Conflict => conflict(ctx, p.order_id, base, o.as_ref()).await,
    }
}

pub async fn delete_draft(
    ctx: &mut Ctx<'_>,
    p: &OrderRef,
    base: Option<i64>,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let decided = decide::delete_draft(
        &ctx.actor.domain(),
        o.as_ref().map(|o| &o.value),
        is_stale(base, o.as_ref()),
        ctx.now,
    )?;
    match (decided, o) {
        (Edit::Apply(order), Some(loaded)) => {
            let vis = visibility(KIND, Some(&order.commune_nis), None, false);
            ctx.delete(
                KIND,
                &order.id.to_string(),
                loaded.version,
                Some(&order.commune_nis),
                vis,
            )
            .await?;
            Ok(())
        }
        (_, o) => conflict(ctx, p.order_id, base, o.as_ref()).await,
    }
}

pub async fn submit(ctx: &mut Ctx<'_>, p: &SubmitOrder) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let adhesions: Vec<Loaded<Adhesion>> = match &o {
        Some(o) => {
            ctx.children(RecordKind::Adhesion, &o.value.commune_nis)
                .await?
        }
        None => Vec::new(),
    };
    let orders = orders_of_framework(ctx, framework.as_ref()).await?;
    let order = decide::submit(
        &ctx.actor.domain(),
        decide::Submit {
            order: o.as_ref().map(|o| &o.value),
            adhesions: &values(&adhesions),
            framework: framework.as_ref(),
            orders: &orders,
            decision: p.decision.as_ref(),
            budget_article: &p.budget_article,
        },
        ctx.now,
    )?;
    save(ctx, &order, o.map(|o| o.version)).await
}

/// The acting account declares it has no conflict of interest on this order (law of 17 June
/// 2016 art. 6).
pub async fn declare_no_conflict(
    ctx: &mut Ctx<'_>,
    p: &DeclareNoConflict,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let order = decide::declare_no_conflict(
        &ctx.actor.domain(),
        o.as_ref().map(|o| &o.value),
        &p.statement_sha256,
        ctx.now,
    )?;
    save(ctx, &order, o.map(|o| o.version)).await
}

pub async fn cancel(ctx: &mut Ctx<'_>, p: &CloseOrder) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let order = decide::cancel(
        &ctx.actor.domain(),
        o.as_ref().map(|o| &o.value),
        &p.reason,
        ctx.now,
    )?;
    save(ctx, &order, o.map(|o| o.version)).await
}

/// The commune withdraws a running competition by a motivated decision; every invited
/// provider of the competition is told, with the motivation and the decision.
pub async fn withdraw(ctx: &mut Ctx<'_>, p: &WithdrawOrder) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let substitutions = substitutions_of(ctx, o.as_ref()).await?;
    let writes = decide::withdraw(
        &ctx.actor.domain(),
        decide::Withdraw {
            order: o.as_ref().map(|o| &o.value),
            invitations: &values(&invitations),
            reason: &p.reason,
            college_decision: &p.college_decision,
            substitutions: &substitutions,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations).await
}

/// The invitations of the order's current competition (a relaunch leaves the earlier
/// competition's invitations as they were).
async fn current_invitations(
    ctx: &mut Ctx<'_>,
    order: &Order,
) -> Result<Vec<Loaded<Invitation>>, EngineError> {
    let launched_at = order.competition.as_ref().map(|c| c.launched_at);
    Ok(ctx
        .children::<Invitation>(RecordKind::Invitation, &order.id.to_string())
        .await?
        .into_iter()
        .filter(|inv| launched_at.is_none_or(|at| inv.value.sent_at >= at))
        .collect())
}

pub(super) async fn save_invitation(
    ctx: &mut Ctx<'_>,
    inv: &Invitation,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let provider = inv.provider_id.to_string();
    let vis = visibility(
        RecordKind::Invitation,
        Some(&inv.commune_nis),
        Some(&provider),
        false,
    );
    ctx.save(
        RecordKind::Invitation,
        &inv.id.to_string(),
        inv,
        previous,
        Some(&inv.order_id.to_string()),
        vis,
    )
    .await?;
    Ok(())
}

pub(super) async fn save_offer(
    ctx: &mut Ctx<'_>,
    offer: &Offer,
    previous: Option<i64>,
    opened: bool,
) -> Result<(), EngineError> {
    let provider = offer.provider_id.to_string();
    let vis = visibility(
        RecordKind::Offer,
        Some(&offer.commune_nis),
        Some(&provider),
        opened,
    );
    ctx.save(
        RecordKind::Offer,
        &offer.id.to_string(),
        offer,
        previous,
        Some(&offer.order_id.to_string()),
        vis,
    )
    .await?;
    Ok(())
}

pub async fn launch_competition(
    ctx: &mut Ctx<'_>,
    p: &LaunchCompetition,
) -> Result<(), EngineError> {
    launch(ctx, p, false).await
}

/// After no offer, the centrale relaunches the same needs in one act: a new competition on
/// the same order, new invitations to the providers callable now.
pub async fn relaunch_competition(
    ctx: &mut Ctx<'_>,
    p: &LaunchCompetition,
) -> Result<(), EngineError> {
    launch(ctx, p, true).await
}

async fn launch(
    ctx: &mut Ctx<'_>,
    p: &LaunchCompetition,
    relaunch: bool,
) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let writes = decide::launch_competition(
        &ctx.actor.domain(),
        decide::Launch {
            order: o.as_ref().map(|o| &o.value),
            framework: framework.as_ref(),
            deadline: p.deadline,
            min_days: ctx.settings.min_competition_days,
            relaunch,
        },
        ctx.now,
        Uuid::now_v7,
    )?;
    write(ctx, &writes, o.as_ref(), &[]).await
}

/// The centrale extends a running competition's deadline: every invitation of the
/// competition gets the same new deadline and the reason; the scheduler's index moves too.
pub async fn extend_deadline(ctx: &mut Ctx<'_>, p: &ExtendDeadline) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let writes = decide::extend_deadline(
        &ctx.actor.domain(),
        decide::Extend {
            order: o.as_ref().map(|o| &o.value),
            framework: framework.as_ref(),
            invitations: &values(&invitations),
            deadline: p.deadline,
            reason: &p.reason,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations).await
}

/// The commune sets an opened offer aside as irregular; its provider is told why, with the
/// remedies, on its invitation.
pub async fn set_offer_aside(ctx: &mut Ctx<'_>, p: &SetOfferAside) -> Result<(), EngineError> {
    let mut o = load_for(ctx, p.order_id, Act::SetOfferAside).await?;
    let offer = opened_offers(ctx, &o.value)
        .await?
        .into_iter()
        .find(|x| x.id == p.offer_id)
        .ok_or_else(Rejection::not_found)?;
    let by = ctx.actor.display_name.clone();
    let now = ctx.now;
    let record = o.value.set_offer_aside(
        offer.id,
        offer.provider_id,
        p.ground,
        p.motivation.trim().to_string(),
        &by,
        now,
    )?;
    save(ctx, &o.value, Some(o.version)).await?;
    for mut inv in current_invitations(ctx, &o.value).await? {
        if inv.value.provider_id == offer.provider_id {
            inv.value.set_aside = Some(centrale_domain::offer::SetAsideNotice::of(&record, now));
            save_invitation(ctx, &inv.value, Some(inv.version)).await?;
        }
    }
    Ok(())
}

/// The commune (or the centrale for it) asks the provider of an opened offer to justify its
/// prices: recorded on the order, and told to that provider alone on its invitation.
pub async fn ask_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AskPriceJustification,
) -> Result<(), EngineError> {
    let mut o = load_for(ctx, p.order_id, Act::AskPriceJustification).await?;
    let offer = opened_offers(ctx, &o.value)
        .await?
        .into_iter()
        .find(|x| x.id == p.offer_id)
        .ok_or_else(Rejection::not_found)?;
    let by = ctx.actor.display_name.clone();
    let request = o.value.ask_price_justification(
        p.request_id,
        offer.id,
        offer.provider_id,
        p.prices.trim().to_string(),
        p.deadline,
        &by,
        ctx.now,
    )?;
    save(ctx, &o.value, Some(o.version)).await?;
    tell_price_request(ctx, &o.value, &request).await
}

/// The provider asked answers on the portal (or through the API), before the deadline: the
/// answer is recorded on the order (the commune reads it at its next pull) and on its own
/// invitation.
pub async fn answer_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AnswerPriceJustification,
) -> Result<(), EngineError> {
    ctx.actor
        .authorize(Act::AnswerPriceJustification, Owner::Own)?;
    let inv: Loaded<Invitation> = ctx
        .require(RecordKind::Invitation, &p.invitation_id.to_string())
        .await?;
    ctx.actor.authorize(
        Act::AnswerPriceJustification,
        Owner::Provider(inv.value.provider_id),
    )?;
    let mut o: Loaded<Order> = ctx.require(KIND, &inv.value.order_id.to_string()).await?;
    let request = o.value.answer_price_justification(
        p.request_id,
        inv.value.provider_id,
        p.answer.trim().to_string(),
        ctx.now,
    )?;
    save(ctx, &o.value, Some(o.version)).await?;
    tell_price_request(ctx, &o.value, &request).await
}

/// The commune accepts the justification: the offer stays in the ranking; its provider sees
/// the request settled.
pub async fn accept_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AcceptPriceJustification,
) -> Result<(), EngineError> {
    let mut o = load_for(ctx, p.order_id, Act::AcceptPriceJustification).await?;
    let by = ctx.actor.display_name.clone();
    let request = o
        .value
        .accept_price_justification(p.request_id, &by, ctx.now)?;
    save(ctx, &o.value, Some(o.version)).await?;
    tell_price_request(ctx, &o.value, &request).await
}

/// Copies a request to justify prices onto the invitation of the provider asked, and no
/// other.
async fn tell_price_request(
    ctx: &mut Ctx<'_>,
    order: &Order,
    request: &PriceJustificationRequest,
) -> Result<(), EngineError> {
    for mut inv in current_invitations(ctx, order).await? {
        if inv.value.provider_id == request.provider_id {
            inv.value.tell_price_request(request);
            save_invitation(ctx, &inv.value, Some(inv.version)).await?;
        }
    }
    Ok(())
}

/// An invited provider asks a question. Only the question is written, on the order (the
/// commune and the centrale read it): who asked is written nowhere a client can read (the
/// audit log, server-side, keeps the account as for every mutation).
pub async fn ask_question(ctx: &mut Ctx<'_>, p: &AskQuestion) -> Result<(), EngineError> {
    let inv: Option<Invitation> = value_of(ctx, RecordKind::Invitation, p.invitation_id).await?;
    let o: Option<Loaded<Order>> = match &inv {
        Some(inv) => ctx.load(KIND, &inv.order_id.to_string()).await?,
        None => None,
    };
    let order = decide::ask_question(
        &ctx.actor.domain(),
        decide::Ask {
            invitation: inv.as_ref(),
            order: o.as_ref().map(|o| &o.value),
            question_id: p.question_id,
            text: &p.text,
        },
        ctx.now,
    )?;
    save(ctx, &order, o.map(|o| o.version)).await
}

/// The centrale answers a question: every invitation of the competition receives the
/// question and its answer, without who asked.
pub async fn answer_question(ctx: &mut Ctx<'_>, p: &AnswerQuestion) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let writes = decide::answer_question(
        &ctx.actor.domain(),
        decide::Answer {
            order: o.as_ref().map(|o| &o.value),
            invitations: &values(&invitations),
            question_id: p.question_id,
            answer: &p.answer,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations).await
}

/// Opens the offers of an order whose deadline has passed. Used by `order.open_offers` and
/// by the server's scheduler (with the system actor).
pub async fn open_due_competition(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let mut o: Loaded<Order> = ctx.require(KIND, &order_id.to_string()).await?;
    let offers: Vec<Loaded<Offer>> = ctx
        .children(RecordKind::Offer, &order_id.to_string())
        .await?;
    let count = u32::try_from(offers.len()).unwrap_or(u32::MAX);
    o.value.open_offers(ctx.now, count)?;
    save(ctx, &o.value, Some(o.version)).await?;
    ctx.index_deadline(&order_id.to_string(), None).await?;
    for offer in &offers {
        save_offer(ctx, &offer.value, Some(offer.version), true).await?;
    }
    for mut inv in current_invitations(ctx, &o.value).await? {
        let own = offers
            .iter()
            .map(|l| &l.value)
            .find(|offer| offer.provider_id == inv.value.provider_id);
        inv.value.close_at_opening(own);
        save_invitation(ctx, &inv.value, Some(inv.version)).await?;
    }
    Ok(())
}

pub async fn open_offers(ctx: &mut Ctx<'_>, p: &OrderRef) -> Result<(), EngineError> {
    load_for(ctx, p.order_id, Act::OpenOffers).await?;
    open_due_competition(ctx, p.order_id).await
}

async fn opened_offers(ctx: &mut Ctx<'_>, order: &Order) -> Result<Vec<Offer>, EngineError> {
    Ok(ctx
        .children::<Offer>(RecordKind::Offer, &order.id.to_string())
        .await?
        .into_iter()
        .map(|l| l.value)
        .collect())
}

pub async fn evaluate(ctx: &mut Ctx<'_>, p: &EvaluateOffers) -> Result<(), EngineError> {
    let mut o = load_for(ctx, p.order_id, Act::EvaluateOffers).await?;
    o.value.check_evaluable(ctx.now)?;
    let framework = framework(ctx, o.value.framework_id).await?;
    let terms = terms_of(&framework, &o.value)?;
    let offers = opened_offers(ctx, &o.value).await?;
    // An offer set aside as irregular is not ranked.
    let scoring: Vec<OfferForScoring> = offers
        .iter()
        .filter(|offer| !o.value.is_set_aside(offer.id))
        .map(OfferForScoring::from)
        .collect();
    let basis = PriceBasis::of(&terms, &o.value.needs)?;
    let ranking = rank_offers(basis, &terms.award_criteria, &scoring, &p.scores)?;
    o.value.record_evaluation(EvaluationRecord {
        quality_scores: p.scores.clone(),
        ranking,
        evaluated_at: ctx.now,
        evaluated_by: ctx.actor.display_name.clone(),
    })?;
    // Law of 17 June 2016 art. 6: who evaluates has declared no conflict of interest.
    o.value.check_no_conflict_declared(&ctx.actor.user_id)?;
    save(ctx, &o.value, Some(o.version)).await
}

async fn create_milestones(
    ctx: &mut Ctx<'_>,
    order: &Order,
    terms: &FrameworkTerms,
    provider_id: Uuid,
    lead_time_days: Option<u32>,
) -> Result<(), EngineError> {
    // Rule 16: the go-live on the winner's offered lead time (none on a direct award).
    let milestones = plan_milestones(
        &terms.milestone_plan,
        lead_time_days,
        ctx.today,
        order.id,
        &order.commune_nis,
        provider_id,
        Uuid::now_v7,
    );
    for m in milestones {
        super::deployment::save_milestone(ctx, &m, None).await?;
    }
    Ok(())
}

pub async fn award(ctx: &mut Ctx<'_>, p: &AwardOrder) -> Result<(), EngineError> {
    let mut o = load_for(ctx, p.order_id, Act::AwardOrder).await?;
    let framework = framework(ctx, o.value.framework_id).await?;
    let terms = terms_of(&framework, &o.value)?;
    let offers = opened_offers(ctx, &o.value).await?;
    let offer = offers
        .iter()
        .find(|x| x.id == p.offer_id)
        .ok_or_else(Rejection::not_found)?
        .clone();
    let mut names = ProviderNames::default();
    for x in &offers {
        if let Some(provider) = ctx
            .load::<Provider>(RecordKind::Provider, &x.provider_id.to_string())
            .await?
        {
            names.insert(x.provider_id, provider.value.name);
        }
    }
    let by = ctx.actor.display_name.clone();
    let (now, today) = (ctx.now, ctx.today);
    o.value.award(
        &framework,
        p.offer_id,
        offer.total,
        p.justification.trim().to_string(),
        p.college_decision.clone(),
        &by,
        now,
        today,
        |id| names.name(id),
    )?;
    // Law of 17 June 2016 art. 6: who decides has declared no conflict of interest.
    o.value.check_no_conflict_declared(&ctx.actor.user_id)?;
    let orders = framework_orders(ctx, &framework).await?;
    value::check_maximum(&framework, &orders, &o.value, offer.total.excl_vat)?;
    save(ctx, &o.value, Some(o.version)).await?;
    tell_outcome(ctx, &o.value).await?;
    create_milestones(
        ctx,
        &o.value,
        &terms,
        offer.provider_id,
        Some(offer.lead_time_days),
    )
    .await
}

/// Each tenderer is notified of the award on a recorded date (law of 17 June 2013; Dir.
/// 2014/24 art. 55(2)): the winner that it won; each other tenderer the winner's name, its
/// own and the winner's scores, the motivation and the remedies (`InvitationOutcome::
/// for_tenderer`); a tenderer whose offer was set aside the same, with why it was set aside
/// instead of scores of its own (`InvitationOutcome::for_set_aside`, issue 11 rule 13). A
/// provider invited without an offer is told nothing more.
async fn tell_outcome(ctx: &mut Ctx<'_>, order: &Order) -> Result<(), EngineError> {
    let (Some(award), Some(evaluation)) = (&order.award, &order.evaluation) else {
        return Ok(());
    };
    let winner_name = ctx
        .load::<Provider>(RecordKind::Provider, &award.provider_id.to_string())
        .await?
        .map_or_else(String::new, |p| p.value.name);
    let now = ctx.now;
    for mut inv in current_invitations(ctx, order).await? {
        let set_aside = order
            .set_aside
            .iter()
            .find(|s| s.provider_id == inv.value.provider_id);
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
                inv.value.provider_id,
                &winner_name,
                now,
            ),
        };
        if let Some(outcome) = outcome {
            inv.value.outcome = Some(outcome);
            save_invitation(ctx, &inv.value, Some(inv.version)).await?;
        }
    }
    Ok(())
}

pub async fn direct_award(ctx: &mut Ctx<'_>, p: &DirectAwardOrder) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let orders = orders_of_framework(ctx, framework.as_ref()).await?;
    let substitutions = substitutions_of(ctx, o.as_ref()).await?;
    let writes = decide::direct_award(
        &ctx.actor.domain(),
        decide::DirectAwardInput {
            order: o.as_ref().map(|o| &o.value),
            framework: framework.as_ref(),
            orders: &orders,
            provider_id: p.provider_id,
            justification: &p.justification,
            college_decision: &p.college_decision,
            substitutions: &substitutions,
        },
        ctx.now,
        Uuid::now_v7,
    )?;
    write(ctx, &writes, o.as_ref(), &[]).await
}

pub async fn issue_purchase_order(
    ctx: &mut Ctx<'_>,
    p: &IssuePurchaseOrder,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    // Rule 16: the fonctionnaire dirigeant named (an old client sends none: refused).
    let order = decide::issue_purchase_order(
        &ctx.actor.domain(),
        o.as_ref().map(|o| &o.value),
        &p.reference,
        p.contract_manager(),
        ctx.now,
    )?;
    save(ctx, &order, o.map(|o| o.version)).await?;
    // Rule 16: the offer's lead time counts from the purchase order: the plan moves to start
    // on its day (`Milestone::start_from_purchase_order`).
    let milestones: Vec<Loaded<Milestone>> = ctx
        .children(RecordKind::Milestone, &p.order_id.to_string())
        .await?;
    for mut m in milestones {
        let before = m.value.clone();
        m.value.start_from_purchase_order(ctx.today);
        if m.value != before {
            super::deployment::save_milestone(ctx, &m.value, Some(m.version)).await?;
        }
    }
    Ok(())
}
