//! `offer.submit`: a provider's sealed offer, or its replacement before the deadline
//! (`decide::offer::submit`).

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::decide::offer as decide;
use centrale_domain::decide::order::current_invitations;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_domain::pool::member_offer_id;
use centrale_protocol::mutations::{SubmitOffer, SubmitPooledOffer};
use centrale_protocol::records::RecordKind;

use super::order::{invitations_of, save_offer, values};
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

/// `offer.submit_pooled`: a provider's one offer for every member of a pooled call-off
/// (`decide::submit_pooled`), each commune's share written sealed like any offer.
pub async fn submit_pooled(ctx: &mut Ctx<'_>, p: &SubmitPooledOffer) -> Result<(), EngineError> {
    let (pool, framework, orders) = super::pool::members_of(ctx, p.pool_id).await?;
    let provider = ctx.actor.provider_id;
    // Per member: the provider's invitation in the current competition and its offer already.
    let mut loaded = Vec::new();
    for o in &orders {
        let invitations = values(&invitations_of(ctx, o.value.id).await?);
        let invitation = current_invitations(&o.value, &invitations)
            .find(|i| Some(i.provider_id) == provider)
            .cloned();
        let previous: Option<Loaded<Offer>> = ctx
            .children::<Offer>(RecordKind::Offer, &o.value.id.to_string())
            .await?
            .into_iter()
            .find(|x| Some(x.value.provider_id) == provider);
        let share_id = member_offer_id(p.offer_id, o.value.id);
        let id_taken = previous.is_none()
            && ctx
                .tx
                .get_record(RecordKind::Offer.as_str(), &share_id.to_string())
                .await?
                .is_some();
        loaded.push((invitation, previous, id_taken));
    }
    let shares: Vec<decide::PooledShare<'_>> = orders
        .iter()
        .zip(&loaded)
        .map(
            |(o, (invitation, previous, id_taken))| decide::PooledShare {
                order: &o.value,
                invitation: invitation.as_ref(),
                previous: previous.as_ref().map(|l| &l.value),
                id_taken: *id_taken,
            },
        )
        .collect();
    let offers = decide::submit_pooled(
        &ctx.actor.domain(),
        decide::SubmitPooled {
            pool: pool.as_ref().map(|l| &l.value),
            framework: framework.as_ref(),
            shares: &shares,
            offer_id: p.offer_id,
            lines: &p.lines,
            lead_time_days: p.lead_time_days,
            notes: &p.notes,
        },
        ctx.now,
    )?;
    for offer in &offers {
        let previous = loaded
            .iter()
            .filter_map(|(_, prev, _)| prev.as_ref())
            .find(|l| l.value.id == offer.id)
            .map(|l| l.version);
        save_offer(ctx, offer, previous, false).await?;
    }
    Ok(())
}
