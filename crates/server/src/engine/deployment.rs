//! Milestone mutations: the provider (or the centrale) updates dates and asks for a new one;
//! the commune takes note, decides on the request, and signs the acceptances. Each is decided
//! by `centrale_domain::decide::milestone`: this module loads what it reads and writes what it
//! returns.

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::decide::milestone as decide;
use centrale_domain::deployment::Milestone;
use centrale_domain::order::Order;
use centrale_protocol::mutations::{
    AcceptOrder, AcknowledgeMilestone, DecideReplan, RequestReplan, UpdateMilestone,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

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

/// The milestone and its order, each with its version (`None` when absent: the decision
/// answers `not_found`).
async fn milestone_and_order(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<(Option<Loaded<Milestone>>, Option<Loaded<Order>>), EngineError> {
    let m: Option<Loaded<Milestone>> = ctx.load(RecordKind::Milestone, &id.to_string()).await?;
    let order: Option<Loaded<Order>> = match &m {
        Some(m) => {
            ctx.load(RecordKind::Order, &m.value.order_id.to_string())
                .await?
        }
        None => None,
    };
    Ok((m, order))
}

/// Writes the milestone a decision returned, as the next version of the one loaded.
async fn write(
    ctx: &mut Ctx<'_>,
    milestone: &Milestone,
    loaded: Option<Loaded<Milestone>>,
) -> Result<(), EngineError> {
    save_milestone(ctx, milestone, loaded.map(|m| m.version)).await
}

pub async fn update(ctx: &mut Ctx<'_>, p: &UpdateMilestone) -> Result<(), EngineError> {
    let (m, order) = milestone_and_order(ctx, p.milestone_id).await?;
    let writes = decide::update(
        &ctx.actor.domain(),
        decide::Update {
            milestone: m.as_ref().map(|m| &m.value),
            order: order.as_ref().map(|o| &o.value),
            planned_date: p.planned_date,
            actual_date: p.actual_date,
            notes: p.notes.as_deref(),
        },
        ctx.now,
    )?;
    write(ctx, &writes.milestone, m).await?;
    // The kick-off having taken place starts the deployment.
    if let Some(changed) = &writes.order {
        super::order::save(ctx, changed, order.as_ref()).await?;
    }
    Ok(())
}

pub async fn acknowledge(ctx: &mut Ctx<'_>, p: &AcknowledgeMilestone) -> Result<(), EngineError> {
    let m: Option<Loaded<Milestone>> = ctx
        .load(RecordKind::Milestone, &p.milestone_id.to_string())
        .await?;
    let milestone =
        decide::acknowledge(&ctx.actor.domain(), m.as_ref().map(|m| &m.value), ctx.now)?;
    write(ctx, &milestone, m).await
}

/// Issue 17 point 5: the provider (or the centrale) asks the commune for a new date.
pub async fn request_replan(ctx: &mut Ctx<'_>, p: &RequestReplan) -> Result<(), EngineError> {
    let (m, order) = milestone_and_order(ctx, p.milestone_id).await?;
    let milestone = decide::request_replan(
        &ctx.actor.domain(),
        decide::RequestReplan {
            milestone: m.as_ref().map(|m| &m.value),
            order: order.as_ref().map(|o| &o.value),
            request_id: p.request_id,
            requested_date: p.requested_date,
            reason: &p.reason,
        },
        ctx.now,
    )?;
    write(ctx, &milestone, m).await
}

/// Issue 17 point 5: the commune accepts or refuses the waiting request.
pub async fn decide_replan(ctx: &mut Ctx<'_>, p: &DecideReplan) -> Result<(), EngineError> {
    let (m, order) = milestone_and_order(ctx, p.milestone_id).await?;
    let milestone = decide::decide_replan(
        &ctx.actor.domain(),
        decide::DecideReplan {
            milestone: m.as_ref().map(|m| &m.value),
            order: order.as_ref().map(|o| &o.value),
            request_id: p.request_id,
            accepted: p.accepted,
            reason: &p.reason,
        },
        ctx.now,
    )?;
    write(ctx, &milestone, m).await
}

/// The provisional or final acceptance: the order, and its acceptance's milestone.
pub async fn accept(
    ctx: &mut Ctx<'_>,
    p: &AcceptOrder,
    final_acceptance: bool,
) -> Result<(), EngineError> {
    let o: Option<Loaded<Order>> = ctx.load(RecordKind::Order, &p.order_id.to_string()).await?;
    let (substitutions, framework) = match &o {
        Some(o) => {
            let commune = o.value.commune_nis.clone();
            let framework_id = o.value.framework_id.to_string();
            (
                super::substitution::of_commune(ctx, &commune).await?,
                ctx.load::<FrameworkAgreement>(RecordKind::Framework, &framework_id)
                    .await?
                    .map(|f| f.value),
            )
        }
        None => (Vec::new(), None),
    };
    let milestones: Vec<Loaded<Milestone>> = ctx
        .children(RecordKind::Milestone, &p.order_id.to_string())
        .await?;
    let values: Vec<Milestone> = milestones.iter().map(|m| m.value.clone()).collect();
    let writes = decide::accept(
        &ctx.actor.domain(),
        decide::Accept {
            order: o.as_ref().map(|o| &o.value),
            substitutions: &substitutions,
            milestones: &values,
            framework: framework.as_ref(),
            final_acceptance,
            date: p.date,
            remarks: &p.remarks,
        },
        ctx.now,
    )?;
    super::order::save(ctx, &writes.order, o.as_ref()).await?;
    if let Some(m) = writes.milestone {
        let version = milestones
            .iter()
            .find(|l| l.value.id == m.id)
            .map(|l| l.version);
        save_milestone(ctx, &m, version).await?;
    }
    Ok(())
}
