//! `offer.submit`: a provider's sealed offer, or its replacement before the deadline.

use centrale_domain::offer::{submit_offer, Invitation, Offer, OfferSubmission};
use centrale_domain::order::{Order, OrderStatus};
use centrale_domain::permission::{Act, Owner};
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::SubmitOffer;
use centrale_protocol::records::RecordKind;

use super::order::{framework, save_offer, terms_of};
use super::{Ctx, EngineError, Loaded};

pub async fn submit(ctx: &mut Ctx<'_>, p: &SubmitOffer) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::SubmitOffer, Owner::Own)?;
    let inv: Loaded<Invitation> = ctx
        .require(RecordKind::Invitation, &p.invitation_id.to_string())
        .await?;
    ctx.actor
        .authorize(Act::SubmitOffer, Owner::Provider(inv.value.provider_id))?;
    let order: Loaded<Order> = ctx
        .require(RecordKind::Order, &inv.value.order_id.to_string())
        .await?;
    if order.value.status != OrderStatus::CompetitionOpen {
        centrale_domain::offer::check_before_deadline(ctx.now, inv.value.deadline)?;
        return Err(DomainError::rule(ErrorCode::CompetitionClosed).into());
    }
    let framework = framework(ctx, order.value.framework_id).await?;
    let terms = terms_of(&framework, &order.value)?;
    let previous: Option<Loaded<Offer>> = ctx
        .children::<Offer>(RecordKind::Offer, &order.value.id.to_string())
        .await?
        .into_iter()
        .find(|o| o.value.provider_id == inv.value.provider_id);
    if let Some(prev) = &previous {
        if prev.value.id != p.offer_id {
            return Err(DomainError::rule(ErrorCode::OfferExists).into());
        }
    } else if ctx
        .load::<Offer>(RecordKind::Offer, &p.offer_id.to_string())
        .await?
        .is_some()
    {
        return Err(DomainError::rule(ErrorCode::DuplicateId)
            .with("id", p.offer_id)
            .into());
    }
    let offer = submit_offer(OfferSubmission {
        offer_id: p.offer_id,
        invitation: &inv.value,
        terms: &terms,
        lines: &p.lines,
        lead_time_days: p.lead_time_days,
        notes: p.notes.trim(),
        now: ctx.now,
        previous: previous.as_ref().map(|l| &l.value),
        callable: framework
            .callable_providers(order.value.framework_version)?
            .contains(&inv.value.provider_id),
    })?;
    // Only the offer is written (visible to its author alone): the invitation, which the
    // commune and the centrale see, says nothing of it until the opening.
    save_offer(ctx, &offer, previous.as_ref().map(|l| l.version), false).await
}
