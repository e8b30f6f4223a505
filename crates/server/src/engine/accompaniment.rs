//! The intercommunale's accompaniment services (issue 16 §2): this module loads what
//! `centrale_domain::decide::accompaniment` reads and writes what it returns. The invoice's
//! number is the server's: it reads every accompaniment order under the write lock, so two
//! invoices never share a number.

use centrale_domain::accompaniment::{AccompanimentOrder, AccompanimentPriceList, PRICE_LIST_ID};
use centrale_domain::adhesion::Adhesion;
use centrale_domain::decide::accompaniment as decide;
use centrale_domain::order::Order;
use centrale_protocol::mutations::{
    CancelAccompaniment, InvoiceAccompaniment, OrderAccompaniment, PlanAccompaniment,
    PublishAccompanimentPriceList, RecordAccompanimentDelivery,
};
use centrale_protocol::records::RecordKind;
use uuid::Uuid;

use super::{visibility, Ctx, EngineError, Loaded};

const ORDER: RecordKind = RecordKind::AccompanimentOrder;
const LIST: RecordKind = RecordKind::AccompanimentPriceList;

async fn load(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<Option<Loaded<AccompanimentOrder>>, EngineError> {
    ctx.load(ORDER, &id.to_string()).await
}

async fn save(
    ctx: &mut Ctx<'_>,
    order: &AccompanimentOrder,
    previous: Option<i64>,
) -> Result<(), EngineError> {
    let vis = visibility(ORDER, Some(&order.commune_nis), None, false);
    ctx.save(
        ORDER,
        &order.id.to_string(),
        order,
        previous,
        Some(&order.commune_nis),
        vis,
    )
    .await?;
    Ok(())
}

pub async fn publish_price_list(
    ctx: &mut Ctx<'_>,
    p: &PublishAccompanimentPriceList,
) -> Result<(), EngineError> {
    let id = PRICE_LIST_ID.to_string();
    let current: Option<Loaded<AccompanimentPriceList>> = ctx.load(LIST, &id).await?;
    let list = decide::publish_price_list(
        &ctx.actor.domain(),
        current.as_ref().map(|l| &l.value),
        &p.services,
        &p.note,
        ctx.now,
    )?;
    let vis = visibility(LIST, None, None, false);
    ctx.save(LIST, &id, &list, current.map(|l| l.version), None, vis)
        .await?;
    Ok(())
}

pub async fn order(ctx: &mut Ctx<'_>, p: &OrderAccompaniment) -> Result<(), EngineError> {
    let id_taken = ctx
        .tx
        .get_record(ORDER.as_str(), &p.accompaniment_id.to_string())
        .await?
        .is_some();
    let adhesions: Vec<Adhesion> = match ctx.actor.commune_nis.clone() {
        Some(commune) => ctx
            .children::<Adhesion>(RecordKind::Adhesion, &commune)
            .await?
            .into_iter()
            .map(|l| l.value)
            .collect(),
        None => Vec::new(),
    };
    let call_off: Option<Loaded<Order>> = match p.call_off_id {
        Some(id) => ctx.load(RecordKind::Order, &id.to_string()).await?,
        None => None,
    };
    let list: Option<Loaded<AccompanimentPriceList>> =
        ctx.load(LIST, &PRICE_LIST_ID.to_string()).await?;
    let order = decide::order(
        &ctx.actor.domain(),
        decide::OrderInput {
            id: p.accompaniment_id,
            id_taken,
            adhesions: &adhesions,
            call_off: p.call_off_id.map(|_| call_off.as_ref().map(|l| &l.value)),
            list: list.as_ref().map(|l| &l.value),
            title: &p.title,
            lines: &p.lines,
            decision: &p.decision,
        },
        ctx.now,
    )?;
    save(ctx, &order, None).await
}

pub async fn plan(ctx: &mut Ctx<'_>, p: &PlanAccompaniment) -> Result<(), EngineError> {
    let loaded = load(ctx, p.accompaniment_id).await?;
    let order = decide::plan(
        &ctx.actor.domain(),
        loaded.as_ref().map(|l| &l.value),
        &p.dates,
    )?;
    save(ctx, &order, loaded.map(|l| l.version)).await
}

pub async fn record_delivery(
    ctx: &mut Ctx<'_>,
    p: &RecordAccompanimentDelivery,
) -> Result<(), EngineError> {
    let loaded = load(ctx, p.accompaniment_id).await?;
    let order = decide::record_delivery(
        &ctx.actor.domain(),
        loaded.as_ref().map(|l| &l.value),
        &p.code,
        p.delivered_on,
        ctx.now,
    )?;
    save(ctx, &order, loaded.map(|l| l.version)).await
}

pub async fn invoice(ctx: &mut Ctx<'_>, p: &InvoiceAccompaniment) -> Result<(), EngineError> {
    let loaded = load(ctx, p.accompaniment_id).await?;
    let others: Vec<AccompanimentOrder> = ctx
        .all::<AccompanimentOrder>(ORDER)
        .await?
        .into_iter()
        .map(|l| l.value)
        .collect();
    let order = decide::invoice(
        &ctx.actor.domain(),
        loaded.as_ref().map(|l| &l.value),
        &others,
        ctx.now,
    )?;
    save(ctx, &order, loaded.map(|l| l.version)).await
}

pub async fn cancel(ctx: &mut Ctx<'_>, p: &CancelAccompaniment) -> Result<(), EngineError> {
    let loaded = load(ctx, p.accompaniment_id).await?;
    let order = decide::cancel(
        &ctx.actor.domain(),
        loaded.as_ref().map(|l| &l.value),
        &p.reason,
    )?;
    save(ctx, &order, loaded.map(|l| l.version)).await
}
