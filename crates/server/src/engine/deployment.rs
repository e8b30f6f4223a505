//! Milestone mutations: the provider (or the centrale) updates dates; the commune takes note.

use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::order::{Order, OrderStatus};
use centrale_domain::permission::{Act, Owner};
use centrale_protocol::mutations::{
    AcknowledgeMilestone, DecideReplan, RequestReplan, UpdateMilestone,
};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded};

pub(super) async fn save_milestone(
    ctx: &mut Ctx<'_>,
    m: &Milestone,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let provider = m.provider_id.to_string();
    let vis = visibility(
        RecordKind::Milestone,
        Some(&m.commune_nis),
        Some(&provider),
        false,
    );
    ctx.save(
        RecordKind::Milestone,
        &m.id.to_string(),
        m,
        previous,
        Some(&m.order_id.to_string()),
        vis,
    )
    .await?;
    Ok(())
}

pub async fn update(ctx: &mut Ctx<'_>, p: &UpdateMilestone) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::UpdateMilestone, Owner::Own)?;
    let mut m: Loaded<Milestone> = ctx
        .require(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    ctx.actor
        .authorize(Act::UpdateMilestone, Owner::Provider(m.value.provider_id))?;
    let mut order: Loaded<Order> = ctx
        .require(RecordKind::Order, &m.value.order_id.to_string())
        .await?;
    m.value.update(
        p.planned_date,
        p.actual_date,
        p.notes.clone(),
        order.value.status,
        order.value.awarded_on(),
        ctx.today,
    )?;
    save_milestone(ctx, &m.value, Some(m.version)).await?;
    // The kick-off having taken place starts the deployment.
    if m.value.kind == MilestoneKind::Kickoff
        && m.value.actual_date.is_some()
        && order.value.status == OrderStatus::PurchaseOrderIssued
    {
        order.value.start_deployment()?;
        super::order::save(ctx, &order.value, Some(order.version)).await?;
    }
    Ok(())
}

pub async fn acknowledge(ctx: &mut Ctx<'_>, p: &AcknowledgeMilestone) -> Result<(), EngineError> {
    let mut m: Loaded<Milestone> = ctx
        .require(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    ctx.actor.authorize(
        Act::AcknowledgeMilestone,
        Owner::Commune(&m.value.commune_nis),
    )?;
    let by = ctx.actor.display_name.clone();
    m.value.acknowledge(&by, ctx.now)?;
    save_milestone(ctx, &m.value, Some(m.version)).await
}

/// Issue 17 point 5: the provider (or the centrale) asks the commune for a new date.
pub async fn request_replan(ctx: &mut Ctx<'_>, p: &RequestReplan) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::RequestReplan, Owner::Own)?;
    let mut m: Loaded<Milestone> = ctx
        .require(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    ctx.actor
        .authorize(Act::RequestReplan, Owner::Provider(m.value.provider_id))?;
    let order: Loaded<Order> = ctx
        .require(RecordKind::Order, &m.value.order_id.to_string())
        .await?;
    let by = ctx.actor.display_name.clone();
    m.value.request_replan(
        p.request_id,
        p.requested_date,
        &p.reason,
        &by,
        ctx.now,
        order.value.status,
        ctx.today,
    )?;
    save_milestone(ctx, &m.value, Some(m.version)).await
}

/// Issue 17 point 5: the commune accepts or refuses the waiting request.
pub async fn decide_replan(ctx: &mut Ctx<'_>, p: &DecideReplan) -> Result<(), EngineError> {
    let mut m: Loaded<Milestone> = ctx
        .require(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    ctx.actor
        .authorize(Act::DecideReplan, Owner::Commune(&m.value.commune_nis))?;
    let order: Loaded<Order> = ctx
        .require(RecordKind::Order, &m.value.order_id.to_string())
        .await?;
    let by = ctx.actor.display_name.clone();
    m.value.decide_replan(
        p.request_id,
        p.accepted,
        &p.reason,
        &by,
        ctx.now,
        order.value.status,
    )?;
    save_milestone(ctx, &m.value, Some(m.version)).await
}
