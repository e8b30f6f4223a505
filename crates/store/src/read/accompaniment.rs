//! The intercommunale's accompaniment services as the screens show them (issue 16 §2): the
//! price list in force, the accompaniment orders (a commune's own; every commune's for the
//! centrale) with the call-off each accompanies, and the call-offs a commune may attach one to.

use std::collections::HashMap;

use centrale_domain::accompaniment::{
    AccompanimentOrder, AccompanimentPriceList, AccompanimentStatus, PriceListVersion,
    LEGAL_BASIS_FR, PRICE_LIST_ID,
};
use centrale_domain::commune::Commune;
use centrale_domain::order::{Order, OrderStatus};
use centrale_protocol::records::RecordKind;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live;
use crate::error::Result;

/// One accompaniment order, with what the screens name it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentRow {
    /// The order as recorded.
    pub order: AccompanimentOrder,
    /// The commune's name, when on this PC.
    pub commune_name: Option<String>,
    /// The title of the call-off it accompanies, when on this PC.
    pub call_off_title: Option<String>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// A call-off an accompaniment may be attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CallOffChoice {
    /// The order.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// Where it stands.
    pub status: OrderStatus,
}

/// The « Accompagnement » screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentScreen {
    /// The price list in force (none before the first publication).
    pub price_list: Option<PriceListVersion>,
    /// The legal basis, as the domain states it.
    pub legal_basis: String,
    /// The orders, the newest first (a commune: its own; the centrale: every commune's).
    pub orders: Vec<AccompanimentRow>,
    /// A commune's call-offs sent to the centrale and not closed, to attach an accompaniment
    /// to (empty for the centrale).
    pub call_offs: Vec<CallOffChoice>,
}

fn rows(
    conn: &Connection,
    commune: Option<&str>,
    only_call_off: Option<Uuid>,
) -> Result<Vec<AccompanimentRow>> {
    let orders = match only_call_off {
        Some(id) => live::children::<AccompanimentOrder>(
            conn,
            RecordKind::AccompanimentOrder,
            &id.to_string(),
        )?,
        None => live::of_kind::<AccompanimentOrder>(conn, RecordKind::AccompanimentOrder, commune)?,
    };
    let mut out = named(conn, orders)?;
    // Ids are time-ordered (v7): the newest first.
    out.sort_by_key(|r| std::cmp::Reverse(r.order.id));
    Ok(out)
}

/// The orders with their commune's name and their call-off's title, each read once by key.
fn named(
    conn: &Connection,
    orders: Vec<live::Live<AccompanimentOrder>>,
) -> Result<Vec<AccompanimentRow>> {
    let mut communes: HashMap<String, Option<String>> = HashMap::new();
    let mut out = Vec::with_capacity(orders.len());
    for o in orders {
        let nis = &o.body.commune_nis;
        if !communes.contains_key(nis) {
            let name =
                live::one::<Commune>(conn, RecordKind::Commune, nis)?.map(|c| c.body.name_fr);
            communes.insert(nis.clone(), name);
        }
        let call_off_title = match o.body.call_off_id {
            Some(id) => {
                live::one::<Order>(conn, RecordKind::Order, &id.to_string())?.map(|c| c.body.title)
            }
            None => None,
        };
        out.push(AccompanimentRow {
            commune_name: communes.get(nis).cloned().flatten(),
            call_off_title,
            pending: o.pending,
            order: o.body,
        });
    }
    Ok(out)
}

pub(crate) fn screen(conn: &Connection) -> Result<AccompanimentScreen> {
    let list = live::one::<AccompanimentPriceList>(
        conn,
        RecordKind::AccompanimentPriceList,
        &PRICE_LIST_ID.to_string(),
    )?
    .and_then(|l| l.body.current().cloned());
    let scope = live::commune_scope(conn)?;
    let call_offs = match &scope {
        Some(nis) => {
            let mut orders: Vec<CallOffChoice> =
                live::of_kind::<Order>(conn, RecordKind::Order, Some(nis))?
                    .into_iter()
                    .map(|o| o.body)
                    .filter(|o| o.submitted_at.is_some() && o.closure.is_none())
                    .map(|o| CallOffChoice {
                        id: o.id,
                        title: o.title,
                        status: o.status,
                    })
                    .collect();
            orders.sort_by_key(|o| std::cmp::Reverse(o.id));
            orders
        }
        None => Vec::new(),
    };
    Ok(AccompanimentScreen {
        price_list: list,
        legal_basis: LEGAL_BASIS_FR.to_string(),
        orders: rows(conn, scope.as_deref(), None)?,
        call_offs,
    })
}

/// The accompaniments of a call-off (cancelled ones left out), for its page.
pub(crate) fn of_call_off(conn: &Connection, call_off: Uuid) -> Result<Vec<AccompanimentRow>> {
    Ok(rows(conn, None, Some(call_off))?
        .into_iter()
        .filter(|r| r.order.status != AccompanimentStatus::Cancelled)
        .collect())
}

/// One accompaniment order, when on this PC.
pub(crate) fn one(conn: &Connection, id: Uuid) -> Result<Option<AccompanimentRow>> {
    let Some(order) =
        live::one::<AccompanimentOrder>(conn, RecordKind::AccompanimentOrder, &id.to_string())?
    else {
        return Ok(None);
    };
    Ok(named(conn, vec![order])?.pop())
}
