//! Pooled call-offs (issue 16 §4): this module loads what `centrale_domain::decide::pool`
//! reads and writes what it returns — the pool, and each member's order with its invitations
//! (written as any order's: `order::write`).

use centrale_domain::catalogue::{FrameworkAgreement, Service};
use centrale_domain::decide::pool as decide;
use centrale_domain::order::Order;
use centrale_domain::pool::PooledCallOff;
use centrale_protocol::mutations::{
    CreatePool, DeclarePoolNoConflict, EvaluatePool, ExtendPoolDeadline, LaunchPool,
    SetPooledOfferAside,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::order::{invitations_of, offers_of, value_of, values, write};
use super::{visibility, Ctx, EngineError, Loaded};

const KIND: RecordKind = RecordKind::PooledCallOff;

/// The pool, with its version.
pub(super) async fn load(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<Option<Loaded<PooledCallOff>>, EngineError> {
    ctx.load(KIND, &id.to_string()).await
}

/// Writes the pool, seen by every account (`PooledCallOff`'s doc says why).
pub(super) async fn save(
    ctx: &mut Ctx<'_>,
    pool: &PooledCallOff,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let vis = visibility(KIND, None, None, false);
    ctx.save(KIND, &pool.id.to_string(), pool, previous, None, vis)
        .await?;
    Ok(())
}

/// A member's order was cancelled or withdrawn: the pool records that it left.
pub(super) async fn after_closure(ctx: &mut Ctx<'_>, order: &Order) -> Result<(), EngineError> {
    let Some(id) = order.pool_id else {
        return Ok(());
    };
    let loaded = load(ctx, id).await?;
    if let Some(pool) = decide::after_closure(loaded.as_ref().map(|l| &l.value), order, ctx.now) {
        save(ctx, &pool, loaded.map(|l| l.version)).await?;
    }
    Ok(())
}

/// The pool, its framework, and its active members' orders with their versions.
async fn pool_and_members(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<
    (
        Option<Loaded<PooledCallOff>>,
        Option<FrameworkAgreement>,
        Vec<Loaded<Order>>,
    ),
    EngineError,
> {
    let pool = load(ctx, id).await?;
    let Some(p) = &pool else {
        return Ok((None, None, Vec::new()));
    };
    let framework = value_of(ctx, RecordKind::Framework, p.value.framework_id).await?;
    let ids: Vec<Uuid> = p.value.active_members().map(|m| m.order_id).collect();
    let mut orders = Vec::new();
    for order_id in ids {
        if let Some(o) = ctx
            .load::<Order>(RecordKind::Order, &order_id.to_string())
            .await?
        {
            orders.push(o);
        }
    }
    Ok((pool, framework, orders))
}

pub async fn create(ctx: &mut Ctx<'_>, p: &CreatePool) -> Result<(), EngineError> {
    let id_taken = ctx
        .tx
        .get_record(KIND.as_str(), &p.pool_id.to_string())
        .await?
        .is_some();
    let service: Option<Service> = value_of(ctx, RecordKind::Service, p.pool.service_id).await?;
    let framework: Option<FrameworkAgreement> = match &service {
        Some(s) => value_of(ctx, RecordKind::Framework, s.framework_id).await?,
        None => None,
    };
    let pool = decide::create(
        &ctx.actor.domain(),
        p.pool_id,
        id_taken,
        &p.pool,
        service.as_ref(),
        framework.as_ref(),
        ctx.now,
    )?;
    save(ctx, &pool, None).await
}

pub async fn launch(ctx: &mut Ctx<'_>, p: &LaunchPool) -> Result<(), EngineError> {
    let (pool, framework, orders) = pool_and_members(ctx, p.pool_id).await?;
    let writes = decide::launch(
        &ctx.actor.domain(),
        decide::Launch {
            pool: pool.as_ref().map(|l| &l.value),
            framework: framework.as_ref(),
            orders: &values(&orders),
            deadline: p.deadline,
            min_days: ctx.settings.min_competition_days,
        },
        ctx.now,
        Uuid::now_v7,
    )?;
    save(ctx, &writes.pool, pool.map(|l| l.version)).await?;
    for w in &writes.orders {
        let loaded = orders.iter().find(|o| o.value.id == w.order.id);
        write(ctx, w, loaded, &[], &[]).await?;
    }
    Ok(())
}

pub async fn declare_no_conflict(
    ctx: &mut Ctx<'_>,
    p: &DeclarePoolNoConflict,
) -> Result<(), EngineError> {
    let (pool, _, orders) = pool_and_members(ctx, p.pool_id).await?;
    let declared = decide::declare_no_conflict(
        &ctx.actor.domain(),
        pool.as_ref().map(|l| &l.value),
        &values(&orders),
        &p.statement_sha256,
        ctx.now,
    )?;
    save(ctx, &declared, pool.map(|l| l.version)).await
}

pub async fn evaluate(ctx: &mut Ctx<'_>, p: &EvaluatePool) -> Result<(), EngineError> {
    let (pool, framework, orders) = pool_and_members(ctx, p.pool_id).await?;
    let mut offers = Vec::new();
    for o in &orders {
        offers.extend(values(&offers_of(ctx, o.value.id).await?));
    }
    let writes = decide::evaluate(
        &ctx.actor.domain(),
        decide::Evaluate {
            pool: pool.as_ref().map(|l| &l.value),
            framework: framework.as_ref(),
            orders: &values(&orders),
            offers: &offers,
            scores: &p.scores,
        },
        ctx.now,
    )?;
    save(ctx, &writes.pool, pool.map(|l| l.version)).await?;
    for w in &writes.orders {
        let loaded = orders.iter().find(|o| o.value.id == w.order.id);
        write(ctx, w, loaded, &[], &[]).await?;
    }
    Ok(())
}

/// Every invitation of the members' orders, with its version.
async fn invitations_of_members(
    ctx: &mut Ctx<'_>,
    orders: &[Loaded<Order>],
) -> Result<Vec<Loaded<centrale_domain::offer::Invitation>>, EngineError> {
    let mut out = Vec::new();
    for o in orders {
        out.extend(invitations_of(ctx, o.value.id).await?);
    }
    Ok(out)
}

pub async fn set_offer_aside(
    ctx: &mut Ctx<'_>,
    p: &SetPooledOfferAside,
) -> Result<(), EngineError> {
    let (pool, _, orders) = pool_and_members(ctx, p.pool_id).await?;
    let mut offers = Vec::new();
    for o in &orders {
        offers.extend(values(&offers_of(ctx, o.value.id).await?));
    }
    let invitations = invitations_of_members(ctx, &orders).await?;
    let writes = decide::set_offer_aside(
        &ctx.actor.domain(),
        decide::SetAside {
            pool: pool.as_ref().map(|l| &l.value),
            orders: &values(&orders),
            offers: &offers,
            invitations: &values(&invitations),
            provider_id: p.provider_id,
            ground: p.ground,
            motivation: &p.motivation,
        },
        ctx.now,
    )?;
    save(ctx, &writes.pool, pool.map(|l| l.version)).await?;
    for w in &writes.orders {
        let loaded = orders.iter().find(|o| o.value.id == w.order.id);
        write(ctx, w, loaded, &invitations, &[]).await?;
    }
    Ok(())
}

pub async fn extend_deadline(ctx: &mut Ctx<'_>, p: &ExtendPoolDeadline) -> Result<(), EngineError> {
    let (pool, framework, orders) = pool_and_members(ctx, p.pool_id).await?;
    let invitations = invitations_of_members(ctx, &orders).await?;
    let writes = decide::extend_deadline(
        &ctx.actor.domain(),
        decide::Extend {
            pool: pool.as_ref().map(|l| &l.value),
            framework: framework.as_ref(),
            orders: &values(&orders),
            invitations: &values(&invitations),
            deadline: p.deadline,
            reason: &p.reason,
        },
        ctx.now,
    )?;
    save(ctx, &writes.pool, pool.map(|l| l.version)).await?;
    for w in &writes.orders {
        let loaded = orders.iter().find(|o| o.value.id == w.order.id);
        write(ctx, w, loaded, &invitations, &[]).await?;
    }
    Ok(())
}

/// The pool's members' orders with their versions (for `offer.submit_pooled`).
pub(super) async fn members_of(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<
    (
        Option<Loaded<PooledCallOff>>,
        Option<FrameworkAgreement>,
        Vec<Loaded<Order>>,
    ),
    EngineError,
> {
    pool_and_members(ctx, id).await
}
