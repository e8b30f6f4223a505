//! Milestone mutations: the provider (or the centrale) updates dates; the commune takes note.

use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::order::{Order, OrderStatus};
use centrale_domain::role::Role;
use centrale_protocol::mutations::{AcknowledgeMilestone, UpdateMilestone};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded, Rejection};
use crate::actor::COMMUNE_ROLES;

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
    ctx.actor.require_role(
        &[Role::ProviderUser, Role::CentraleStaff],
        "mettre à jour un jalon",
    )?;
    let mut m: Loaded<Milestone> = ctx
        .require(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    if ctx.actor.role == Role::ProviderUser && ctx.actor.provider_id != Some(m.value.provider_id) {
        return Err(Rejection::not_found().into());
    }
    if m.value.kind.is_acceptance() && p.actual_date.is_some() {
        return Err(Rejection::new(
            "not_allowed",
            "Les réceptions provisoire et définitive sont signées par la commune : le prestataire ne peut pas les marquer comme réalisées.",
        )
        .into());
    }
    let mut order: Loaded<Order> = ctx
        .require(RecordKind::Order, &m.value.order_id.to_string())
        .await?;
    if order.value.status.is_final() {
        return Err(Rejection::new("invalid_state", "Ce déploiement est clôturé.").into());
    }
    m.value
        .update(p.planned_date, p.actual_date, p.notes.clone(), ctx.today)?;
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
    ctx.actor.require_commune(
        &m.value.commune_nis,
        &COMMUNE_ROLES,
        "prendre acte d'un jalon",
    )?;
    let by = ctx.actor.display_name.clone();
    m.value.acknowledge(&by, ctx.now)?;
    save_milestone(ctx, &m.value, Some(m.version)).await
}
