//! Order mutations: the commune's request, the centrale's mini-competition, opening,
//! evaluation, award, purchase order, cancellation and withdrawal (the acceptances: `deployment`).

use centrale_domain::adhesion::Adhesion;
use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::decide::offer as decide_offer;
use centrale_domain::decide::order as decide;
use centrale_domain::decide::{DeadlineIndex, Edit};
use centrale_domain::deployment::Milestone;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_domain::standing::order_moves_standing;
use centrale_protocol::mutations::{
    AcceptPriceJustification, AnswerPriceJustification, AnswerQuestion, AskPriceJustification,
    AskQuestion, AwardOrder, CloseOrder, CreateOrderDraft, DeclareNoConflict, DirectAwardOrder,
    EvaluateOffers, ExtendDeadline, IssuePurchaseOrder, LaunchCompetition, OrderRef, SetOfferAside,
    SubmitOrder, UpdateOrderDraft, WithdrawOrder,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::{check_version, visibility, Ctx, EngineError, Loaded};

const KIND: RecordKind = RecordKind::Order;

/// Writes `order` as the next version of `previous`, the order as loaded (None: a new one).
pub(super) async fn save(
    ctx: &mut Ctx<'_>,
    order: &Order,
    previous: Option<&Loaded<Order>>,
) -> Result<(), EngineError> {
    let vis = visibility(KIND, Some(&order.commune_nis), None, false);
    let id = order.id.to_string();
    // Filed before the order is written, so that the order stays the last change of the act
    // (a pull's cursor then ends on what the commune sees).
    if previous.is_none() {
        ctx.index_framework_order(&id, &order.framework_id.to_string())
            .await?;
    }
    let moves = order_moves_standing(previous.map(|p| &p.value), Some(order));
    *ctx.orders_moving_standing.entry(id.clone()).or_default() |= moves;
    let version = previous.map(|p| p.version);
    ctx.save(KIND, &id, order, version, Some(&order.commune_nis), vis)
        .await?;
    Ok(())
}

/// Files every order not yet in the framework index (a database written before it existed):
/// run at each server start and after the demo seed; once every order is filed, it only
/// counts.
/// Returns how many were filed.
pub async fn backfill_framework_index(
    db: &centrale_server_db::Database,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, EngineError> {
    // Every order filed already (the usual start): two counts, not a read of every order.
    if db.count_records(KIND.as_str()).await?
        == db
            .count_records(super::store::FRAMEWORK_ORDER_INDEX)
            .await?
    {
        return Ok(0);
    }
    let settings = crate::Settings::default();
    let mut ctx = Ctx::new(
        db.write().await?,
        crate::actor::Actor::system(),
        now,
        &settings,
    );
    // Tombstones too: a deleted draft stays filed (the consumption reads only live orders).
    let mut filed = 0;
    for row in ctx.tx.list_records(KIND.as_str()).await? {
        let Some(framework) = row.body.get("framework_id").and_then(|f| f.as_str()) else {
            continue;
        };
        let framework = framework.to_string();
        if ctx.index_framework_order(&row.id, &framework).await? {
            filed += 1;
        }
    }
    if filed == 0 {
        ctx.tx.rollback().await?;
        return Ok(0);
    }
    ctx.audit(
        "framework_order_index.backfill",
        None,
        None,
        serde_json::json!({ "orders": filed }),
    )
    .await?;
    ctx.tx.commit().await?;
    Ok(filed)
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

/// A record's value, if it exists (tombstones read as absent).
pub(super) async fn value_of<T: serde::de::DeserializeOwned>(
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
pub(super) async fn invitations_of(
    ctx: &mut Ctx<'_>,
    order_id: Uuid,
) -> Result<Vec<Loaded<Invitation>>, EngineError> {
    ctx.children(RecordKind::Invitation, &order_id.to_string())
        .await
}

/// Every order of the order's framework (what its maximum value is consumed by).
pub(super) async fn orders_of_framework(
    ctx: &mut Ctx<'_>,
    framework: Option<&FrameworkAgreement>,
) -> Result<Vec<Order>, EngineError> {
    let Some(framework) = framework else {
        return Ok(Vec::new());
    };
    // The framework's own orders through the index (not every order of every commune: this
    // runs under the write lock, docs/scale.md).
    let mut orders = Vec::new();
    for id in ctx.framework_order_ids(&framework.id.to_string()).await? {
        if let Some(order) = ctx.load::<Order>(KIND, &id).await? {
            if order.value.framework_id == framework.id {
                orders.push(order.value);
            }
        }
    }
    Ok(orders)
}

pub(super) fn values<T: Clone>(loaded: &[Loaded<T>]) -> Vec<T> {
    loaded.iter().map(|l| l.value.clone()).collect()
}

/// Writes what a decision returned: the order (as the next version of `order`), the
/// deadline index, the changed invitations (each as the next version of the one loaded), the
/// offers opened (each as the next version of the one loaded in `offers`, now readable by the
/// commune and the centrale), the new invitations and milestones.
pub(super) async fn write(
    ctx: &mut Ctx<'_>,
    writes: &decide::OrderWrites,
    order: Option<&Loaded<Order>>,
    invitations: &[Loaded<Invitation>],
    offers: &[Loaded<Offer>],
) -> Result<(), EngineError> {
    save(ctx, &writes.order, order).await?;
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
    for offer in &writes.opened_offers {
        let version = offers
            .iter()
            .find(|l| l.value.id == offer.id)
            .map(|l| l.version)
            .ok_or_else(|| EngineError::Internal(format!("offer {} not loaded", offer.id)))?;
        save_offer(ctx, offer, Some(version), true).await?;
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
    let pool = match p.pool_id {
        Some(id) => super::pool::load(ctx, id).await?.map(|l| l.value),
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
            pool_id: p.pool_id,
            pool: pool.as_ref(),
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
        Edit::Apply(order) => save(ctx, &order, o.as_ref()).await,
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
    let pool = match o.as_ref().and_then(|o| o.value.pool_id) {
        Some(id) => super::pool::load(ctx, id).await?,
        None => None,
    };
    let sent = decide::submit(
        &ctx.actor.domain(),
        decide::Submit {
            order: o.as_ref().map(|o| &o.value),
            adhesions: &values(&adhesions),
            framework: framework.as_ref(),
            orders: &orders,
            decision: p.decision.as_ref(),
            budget_article: &p.budget_article,
            pool: pool.as_ref().map(|l| &l.value),
        },
        ctx.now,
    )?;
    if let (Some(joined), Some(loaded)) = (&sent.pool, &pool) {
        super::pool::save(ctx, joined, Some(loaded.version)).await?;
    }
    save(ctx, &sent.order, o.as_ref()).await
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
    save(ctx, &order, o.as_ref()).await
}

pub async fn cancel(ctx: &mut Ctx<'_>, p: &CloseOrder) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let order = decide::cancel(
        &ctx.actor.domain(),
        o.as_ref().map(|o| &o.value),
        &p.reason,
        ctx.now,
    )?;
    super::pool::after_closure(ctx, &order).await?;
    save(ctx, &order, o.as_ref()).await
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
    super::pool::after_closure(ctx, &writes.order).await?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
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
    write(ctx, &writes, o.as_ref(), &[], &[]).await
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
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
}

/// Every offer submitted on an order, with its version (the engine reads the sealed ones: the
/// opening unseals them; before it, no client is sent them).
pub(super) async fn offers_of(
    ctx: &mut Ctx<'_>,
    order_id: Uuid,
) -> Result<Vec<Loaded<Offer>>, EngineError> {
    ctx.children(RecordKind::Offer, &order_id.to_string()).await
}

/// The commune sets an opened offer aside as irregular; its provider is told why, with the
/// remedies, on its invitation.
pub async fn set_offer_aside(ctx: &mut Ctx<'_>, p: &SetOfferAside) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let offers = offers_of(ctx, p.order_id).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let substitutions = substitutions_of(ctx, o.as_ref()).await?;
    let writes = decide_offer::set_offer_aside(
        &ctx.actor.domain(),
        decide_offer::SetAside {
            order: o.as_ref().map(|o| &o.value),
            offers: &values(&offers),
            invitations: &values(&invitations),
            substitutions: &substitutions,
            offer_id: p.offer_id,
            ground: p.ground,
            motivation: &p.motivation,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
}

/// The commune (or the centrale for it) asks the provider of an opened offer to justify its
/// prices: recorded on the order, and told to that provider alone on its invitation.
pub async fn ask_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AskPriceJustification,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let offers = offers_of(ctx, p.order_id).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let writes = decide_offer::ask_price_justification(
        &ctx.actor.domain(),
        decide_offer::AskJustification {
            order: o.as_ref().map(|o| &o.value),
            offers: &values(&offers),
            invitations: &values(&invitations),
            request_id: p.request_id,
            offer_id: p.offer_id,
            prices: &p.prices,
            deadline: p.deadline,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
}

/// The provider asked answers on the portal (or through the API), before the deadline: the
/// answer is recorded on the order (the commune reads it at its next pull) and on its own
/// invitation.
pub async fn answer_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AnswerPriceJustification,
) -> Result<(), EngineError> {
    let inv: Option<Invitation> = value_of(ctx, RecordKind::Invitation, p.invitation_id).await?;
    let (o, invitations): (Option<Loaded<Order>>, Vec<Loaded<Invitation>>) = match &inv {
        Some(inv) => (
            ctx.load(KIND, &inv.order_id.to_string()).await?,
            invitations_of(ctx, inv.order_id).await?,
        ),
        None => (None, Vec::new()),
    };
    let writes = decide_offer::answer_price_justification(
        &ctx.actor.domain(),
        decide_offer::AnswerJustification {
            invitation: inv.as_ref(),
            order: o.as_ref().map(|o| &o.value),
            invitations: &values(&invitations),
            request_id: p.request_id,
            answer: &p.answer,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
}

/// The commune accepts the justification: the offer stays in the ranking; its provider sees
/// the request settled.
pub async fn accept_price_justification(
    ctx: &mut Ctx<'_>,
    p: &AcceptPriceJustification,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &p.order_id.to_string()).await?;
    let invitations = invitations_of(ctx, p.order_id).await?;
    let writes = decide_offer::accept_price_justification(
        &ctx.actor.domain(),
        decide_offer::AcceptJustification {
            order: o.as_ref().map(|o| &o.value),
            invitations: &values(&invitations),
            request_id: p.request_id,
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
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
    save(ctx, &order, o.as_ref()).await
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
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
}

/// What an opening reads: the order, its offers and its invitations, with their versions.
type Opening = (
    Option<Loaded<Order>>,
    Vec<Loaded<Offer>>,
    Vec<Loaded<Invitation>>,
);

async fn opening(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<Opening, EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(KIND, &order_id.to_string()).await?;
    let offers = offers_of(ctx, order_id).await?;
    let invitations = invitations_of(ctx, order_id).await?;
    Ok((o, offers, invitations))
}

/// Opens the offers of an order whose deadline has passed: the server's scheduler, with its
/// own actor (`decide::offer::open_due`).
pub async fn open_due_competition(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let (o, offers, invitations) = opening(ctx, order_id).await?;
    let writes = decide_offer::open_due(
        decide_offer::Open {
            order: o.as_ref().map(|o| &o.value),
            offers: &values(&offers),
            invitations: &values(&invitations),
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &offers).await
}

/// `order.open_offers`: the commune or the centrale opens once the deadline has passed.
pub async fn open_offers(ctx: &mut Ctx<'_>, p: &OrderRef) -> Result<(), EngineError> {
    let (o, offers, invitations) = opening(ctx, p.order_id).await?;
    let writes = decide_offer::open_offers(
        &ctx.actor.domain(),
        decide_offer::Open {
            order: o.as_ref().map(|o| &o.value),
            offers: &values(&offers),
            invitations: &values(&invitations),
        },
        ctx.now,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &offers).await
}

pub async fn evaluate(ctx: &mut Ctx<'_>, p: &EvaluateOffers) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let offers = offers_of(ctx, p.order_id).await?;
    let order = decide_offer::evaluate(
        &ctx.actor.domain(),
        decide_offer::Evaluate {
            order: o.as_ref().map(|o| &o.value),
            framework: framework.as_ref(),
            offers: &values(&offers),
            scores: &p.scores,
        },
        ctx.now,
    )?;
    save(ctx, &order, o.as_ref()).await
}

/// The award, the notification of each tenderer on its invitation and the milestones planned
/// (`decide::offer::award`).
pub async fn award(ctx: &mut Ctx<'_>, p: &AwardOrder) -> Result<(), EngineError> {
    let (o, framework) = order_and_framework(ctx, p.order_id).await?;
    let offers = values(&offers_of(ctx, p.order_id).await?);
    let invitations = invitations_of(ctx, p.order_id).await?;
    let mut providers = Vec::new();
    for x in &offers {
        if let Some(provider) =
            value_of::<Provider>(ctx, RecordKind::Provider, x.provider_id).await?
        {
            providers.push(provider);
        }
    }
    let orders = orders_of_framework(ctx, framework.as_ref()).await?;
    let substitutions = substitutions_of(ctx, o.as_ref()).await?;
    let writes = decide_offer::award(
        &ctx.actor.domain(),
        decide_offer::Award {
            order: o.as_ref().map(|o| &o.value),
            framework: framework.as_ref(),
            offers: &offers,
            providers: &providers,
            invitations: &values(&invitations),
            orders: &orders,
            substitutions: &substitutions,
            offer_id: p.offer_id,
            justification: &p.justification,
            college_decision: &p.college_decision,
        },
        ctx.now,
        Uuid::now_v7,
    )?;
    write(ctx, &writes, o.as_ref(), &invitations, &[]).await
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
    write(ctx, &writes, o.as_ref(), &[], &[]).await
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
    save(ctx, &order, o.as_ref()).await?;
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
