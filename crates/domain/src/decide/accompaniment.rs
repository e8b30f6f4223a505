//! The intercommunale's accompaniment services (issue 16 §2; `crate::accompaniment`): the
//! price list the centrale publishes, a commune's order, its planning, delivery, invoice and
//! cancellation — each act authorised here, for the server and the PC alike.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::found;
use crate::accompaniment::{
    self as acc, AccompanimentOrder, AccompanimentPriceList, AccompanimentRequestLine,
    AccompanimentService, PlannedLine,
};
use crate::adhesion::Adhesion;
use crate::decision::Decision;
use crate::order::Order;
use crate::permission::{authorize, Act, Actor, Owner};
use crate::time::brussels_today;
use crate::{DomainError, ErrorCode};

/// `accompaniment.publish_price_list`: the centrale publishes the next version of its list.
pub fn publish_price_list(
    actor: &Actor,
    current: Option<&AccompanimentPriceList>,
    services: &[AccompanimentService],
    note: &str,
    now: DateTime<Utc>,
) -> Result<AccompanimentPriceList, DomainError> {
    authorize(actor, Act::PublishAccompanimentPriceList, Owner::Own)?;
    let mut list = current
        .cloned()
        .unwrap_or(AccompanimentPriceList { versions: vec![] });
    list.publish(services.to_vec(), note, now)?;
    Ok(list)
}

/// `accompaniment.order`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct OrderInput<'a> {
    /// The new record's id.
    pub id: Uuid,
    /// The id is already taken.
    pub id_taken: bool,
    /// The commune's adhesions (its adhesion must be active: the convention's terms apply).
    pub adhesions: &'a [Adhesion],
    /// The call-off it accompanies, when one is named (`None` with an id named: unknown).
    pub call_off: Option<Option<&'a Order>>,
    /// The price list.
    pub list: Option<&'a AccompanimentPriceList>,
    /// What.
    pub title: &'a str,
    /// The lines asked.
    pub lines: &'a [AccompanimentRequestLine],
    /// The commune's decision.
    pub decision: &'a Decision,
}

/// A commune orders accompaniment services from its intercommunale (in-house: no
/// competition), with one of its call-offs or alone.
pub fn order(
    actor: &Actor,
    input: OrderInput<'_>,
    now: DateTime<Utc>,
) -> Result<AccompanimentOrder, DomainError> {
    authorize(actor, Act::OrderAccompaniment, Owner::Own)?;
    let commune = actor.commune_nis.as_deref().ok_or(DomainError::NotFound)?;
    if input.id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.id));
    }
    // Whose call-off first: another commune's is `not_found`, whatever the rest says.
    let call_off = match input.call_off {
        None => None,
        Some(o) => {
            let o = found(o)?;
            authorize(
                actor,
                Act::OrderAccompaniment,
                Owner::Commune(&o.commune_nis),
            )?;
            Some((o.id, o.commune_nis.as_str()))
        }
    };
    let today = brussels_today(now);
    match super::order::current_adhesion(input.adhesions, commune, now) {
        Some(a) => a.check_allows_orders(today)?,
        None => return Err(DomainError::AdhesionNotActive { status: None }),
    }
    acc::order(
        acc::NewOrder {
            id: input.id,
            commune_nis: commune,
            title: input.title,
            call_off,
            list: input.list.and_then(AccompanimentPriceList::current),
            lines: input.lines,
            decision: input.decision,
            ordered_by: &actor.display_name,
        },
        now,
    )
}

fn of_commune(
    actor: &Actor,
    act: Act,
    order: Option<&AccompanimentOrder>,
) -> Result<AccompanimentOrder, DomainError> {
    let order = found(order)?;
    authorize(actor, act, Owner::Commune(&order.commune_nis))?;
    Ok(order.clone())
}

/// `accompaniment.plan`: the centrale plans the lines.
pub fn plan(
    actor: &Actor,
    order: Option<&AccompanimentOrder>,
    dates: &[PlannedLine],
) -> Result<AccompanimentOrder, DomainError> {
    let mut order = of_commune(actor, Act::PlanAccompaniment, order)?;
    order.plan(dates)?;
    Ok(order)
}

/// `accompaniment.record_delivery`: the centrale records a line delivered.
pub fn record_delivery(
    actor: &Actor,
    order: Option<&AccompanimentOrder>,
    code: &str,
    delivered_on: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<AccompanimentOrder, DomainError> {
    let mut order = of_commune(actor, Act::PlanAccompaniment, order)?;
    order.record_delivery(code, delivered_on, brussels_today(now))?;
    Ok(order)
}

/// `accompaniment.invoice`: the centrale invoices a delivered order (the number among every
/// accompaniment order, `others`).
pub fn invoice(
    actor: &Actor,
    order: Option<&AccompanimentOrder>,
    others: &[AccompanimentOrder],
    now: DateTime<Utc>,
) -> Result<AccompanimentOrder, DomainError> {
    let mut order = of_commune(actor, Act::InvoiceAccompaniment, order)?;
    order.invoice(others, &actor.display_name, now)?;
    Ok(order)
}

/// `accompaniment.cancel`: the commune cancels an order not yet planned.
pub fn cancel(
    actor: &Actor,
    order: Option<&AccompanimentOrder>,
    reason: &str,
) -> Result<AccompanimentOrder, DomainError> {
    let mut order = of_commune(actor, Act::CancelAccompaniment, order)?;
    order.cancel(reason)?;
    Ok(order)
}
