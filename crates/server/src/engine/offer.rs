//! `offer.submit`: a provider's sealed offer, or its replacement before the deadline
//! (`decide::offer::submit`).

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::decide::offer as decide;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_protocol::mutations::SubmitOffer;
use centrale_protocol::records::RecordKind;

use super::order::save_offer;
use super::{Ctx, EngineError, Loaded};

pub async fn submit(ctx: &mut Ctx<'_>, p: &SubmitOffer) -> Result<(), EngineError> {
    let inv: Option<Invitation> = ctx
        .load::<Invitation>(RecordKind::Invitation, &p.invitation_id.to_string())
        .await?
        .map(|l| l.value);
    let order: Option<Order> = match &inv {
        Some(inv) => ctx
            .load::<Order>(RecordKind::Order, &inv.order_id.to_string())
            .await?
            .map(|l| l.value),
        None => None,
    };
    let framework: Option<FrameworkAgreement> = match &order {
        Some(o) => ctx
            .load::<FrameworkAgreement>(RecordKind::Framework, &o.framework_id.to_string())
            .await?
            .map(|l| l.value),
        None => None,
    };
    // This provider's offer on the order (one per provider), with its version.
    let previous: Option<Loaded<Offer>> = match (&inv, &order) {
        (Some(inv), Some(order)) => ctx
            .children::<Offer>(RecordKind::Offer, &order.id.to_string())
            .await?
            .into_iter()
            .find(|o| o.value.provider_id == inv.provider_id),
        _ => None,
    };
    let id_taken = previous.is_none()
        && ctx
            .load::<Offer>(RecordKind::Offer, &p.offer_id.to_string())
            .await?
            .is_some();
    let offer = decide::submit(
        &ctx.actor.domain(),
        decide::Submit {
            invitation: inv.as_ref(),
            order: order.as_ref(),
            framework: framework.as_ref(),
            previous: previous.as_ref().map(|l| &l.value),
            id_taken,
            offer_id: p.offer_id,
            lines: &p.lines,
            lead_time_days: p.lead_time_days,
            notes: &p.notes,
        },
        ctx.now,
    )?;
    // Only the offer is written, visible to its author alone: the invitation, which the
    // commune and the centrale see, says nothing of it until the opening.
    save_offer(ctx, &offer, previous.as_ref().map(|l| l.version), false).await
}
