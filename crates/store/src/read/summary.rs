//! The orders and milestones as the lists show them, read from the summary tables the triggers
//! of schema 5 keep beside `record` (issue 19 §4): the fields as columns, no JSON decoded.

use std::collections::HashMap;

use centrale_domain::deployment::{Milestone, MilestoneKind, MilestoneStatus, ReplanRequest};
use centrale_domain::money::{Amount, Cents};
use centrale_domain::order::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, Row};
use serde::de::value::{BorrowedStrDeserializer, Error as ValueError};
use serde::Deserialize;
use uuid::Uuid;

use super::deployments::{in_deployment_order, MilestoneView};
use super::live::Live;
use super::orders::{AwardHead, CompetitionHead, MilestoneHead, OrderHead};
use super::overview::{AwardFacts, OrderFacts};
use crate::error::Result;

/// A column that does not hold what the record's type says (a record the triggers read from a
/// body of another shape): the screen says the local data is unreadable, as for a bad body.
fn unreadable(column: usize, what: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, what.to_string().into())
}

/// A text column's bytes. Ids, times, days and codes are ASCII and parsed from the bytes: only
/// the texts kept as strings are checked as UTF-8 (the checks were a tenth of a list's read).
fn bytes<'r>(row: &'r Row<'_>, column: usize) -> Result<Option<&'r [u8]>> {
    match row.get_ref(column)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => Ok(Some(t)),
        other => Err(unreadable(column, format!("{:?} instead of text", other.data_type())).into()),
    }
}

fn utf8(column: usize, b: &[u8]) -> Result<&str> {
    Ok(std::str::from_utf8(b).map_err(|e| unreadable(column, e))?)
}

fn text<'r>(row: &'r Row<'_>, column: usize) -> Result<Option<&'r str>> {
    bytes(row, column)?.map(|b| utf8(column, b)).transpose()
}

fn uuid_at(row: &Row<'_>, column: usize) -> Result<Option<Uuid>> {
    bytes(row, column)?
        .map(|b| Uuid::try_parse_ascii(b).map_err(|e| unreadable(column, e).into()))
        .transpose()
}

fn required<'r>(row: &'r Row<'_>, column: usize) -> Result<&'r str> {
    missing(column, text(row, column)?)
}

/// A time as serde writes a `DateTime<Utc>` (`2026-02-14T12:00:00Z`, with a fraction of a
/// second or not), read without chrono's general parser: a list parses tens of thousands of
/// them, and the general parser was a sixth of its read (issue 19 §4). Anything else goes
/// through chrono.
pub(crate) fn timestamp(text: &str) -> std::result::Result<DateTime<Utc>, chrono::ParseError> {
    fast_timestamp(text.as_bytes()).map_or_else(|| text.parse::<DateTime<Utc>>(), Ok)
}

/// The number written by ASCII digits (none when another byte is among them).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, d| {
        d.is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u32::from(d - b'0')))
            .flatten()
    })
}

fn fast_day(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[0..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

fn fast_timestamp(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (clock, fraction) = b[11..b.len() - 1].split_at(8);
    if b[b.len() - 1] != b'Z' {
        return None;
    }
    let nanos = match fraction {
        [] => 0,
        [b'.', f @ ..] if (1..=9).contains(&f.len()) => {
            digits(f)? * 10u32.pow(9 - u32::try_from(f.len()).ok()?)
        }
        _ => return None,
    };
    let time = chrono::NaiveTime::from_hms_nano_opt(
        digits(&clock[0..2])?,
        digits(&clock[3..5])?,
        digits(&clock[6..8])?,
        nanos,
    )?;
    Some(fast_day(&b[0..10])?.and_time(time).and_utc())
}

/// A day as serde writes a `NaiveDate` (`2026-02-14`), read the same way.
pub(crate) fn day(text: &str) -> std::result::Result<NaiveDate, chrono::ParseError> {
    fast_day(text.as_bytes()).map_or_else(|| text.parse::<NaiveDate>(), Ok)
}

/// A column parsed from its bytes by `fast`, by chrono's `general` parser when `fast` does not
/// recognise them.
fn parsed_at<T>(
    row: &Row<'_>,
    column: usize,
    fast: fn(&[u8]) -> Option<T>,
    general: fn(&str) -> std::result::Result<T, chrono::ParseError>,
) -> Result<Option<T>> {
    bytes(row, column)?
        .map(|b| parsed(column, b, fast, general))
        .transpose()
}

/// [`parsed_at`] of bytes already read.
fn parsed<T>(
    column: usize,
    b: &[u8],
    fast: fn(&[u8]) -> Option<T>,
    general: fn(&str) -> std::result::Result<T, chrono::ParseError>,
) -> Result<T> {
    match fast(b) {
        Some(value) => Ok(value),
        None => Ok(general(utf8(column, b)?).map_err(|e| unreadable(column, e))?),
    }
}

fn time_at(row: &Row<'_>, column: usize) -> Result<Option<DateTime<Utc>>> {
    parsed_at(row, column, fast_timestamp, timestamp)
}

fn day_at(row: &Row<'_>, column: usize) -> Result<Option<NaiveDate>> {
    parsed_at(row, column, fast_day, day)
}

/// A column the record's type requires.
fn missing<T>(column: usize, value: Option<T>) -> Result<T> {
    value.ok_or_else(|| unreadable(column, "missing").into())
}

/// A unit enum by its serde name (`"offers_opened"`), without building a JSON text.
fn named<'de, T: Deserialize<'de>>(row: &'de Row<'_>, column: usize) -> Result<T> {
    from_name(column, required(row, column)?)
}

/// A unit enum from its serde name.
fn from_name<'de, T: Deserialize<'de>>(column: usize, name: &'de str) -> Result<T> {
    T::deserialize(BorrowedStrDeserializer::<ValueError>::new(name))
        .map_err(|e| unreadable(column, e).into())
}

/// `select` limited to the rows of `commune` (every row when `None`: the centrale's PC), to be
/// run with `commune` as its one parameter. Two texts, not `?1 IS NULL OR …`, so that a
/// commune's read is a range of the key.
fn in_scope<'c>(
    conn: &'c Connection,
    select: &str,
    commune: Option<&str>,
) -> Result<rusqlite::CachedStatement<'c>> {
    Ok(conn.prepare_cached(&format!("{select} WHERE {}", scope_filter(commune)))?)
}

/// The condition of [`in_scope`], `?1` the commune.
fn scope_filter(commune: Option<&str>) -> &'static str {
    match commune {
        Some(_) => "commune_nis = ?1",
        None => "?1 IS NULL",
    }
}

/// An id as the triggers store it: the body's text of it, as serde writes it (to seek a key).
fn key_text(id: &Uuid) -> String {
    id.hyphenated().to_string()
}

/// What an order head reads, in [`order_head`]'s order.
const ORDER_HEAD_COLUMNS: &str = "SELECT commune_nis, id, service_id, title, status, created_at,
    submitted_at, deadline, award_provider_id, pool_id, pending FROM order_summary";

/// A row of [`ORDER_HEAD_COLUMNS`].
fn order_head(row: &Row<'_>) -> Result<Live<OrderHead>> {
    Ok(Live {
        body: OrderHead {
            commune_nis: required(row, 0)?.to_string(),
            id: missing(1, uuid_at(row, 1)?)?,
            service_id: missing(2, uuid_at(row, 2)?)?,
            title: required(row, 3)?.to_string(),
            status: named::<OrderStatus>(row, 4)?,
            created_at: missing(5, time_at(row, 5)?)?,
            submitted_at: time_at(row, 6)?,
            competition: time_at(row, 7)?.map(|deadline| CompetitionHead { deadline }),
            award: uuid_at(row, 8)?.map(|provider_id| AwardHead { provider_id }),
            pool_id: uuid_at(row, 9)?,
        },
        pending: row.get(10)?,
    })
}

/// The heads of the live orders of `commune` (every commune's when `None`), in id (creation)
/// order; only those of the statuses `only` names, when given (the other rows' columns are
/// not read).
pub(crate) fn order_heads(
    conn: &Connection,
    commune: Option<&str>,
    only: Option<&[OrderStatus]>,
) -> Result<Vec<Live<OrderHead>>> {
    let scope = scope_filter(commune);
    // ?1 the commune, then the statuses' names as the triggers store them (as serde writes them).
    let mut params: Vec<Option<String>> = vec![commune.map(str::to_string)];
    for status in only.unwrap_or_default() {
        match serde_json::to_value(status)? {
            serde_json::Value::String(name) => params.push(Some(name)),
            other => return Err(unreadable(4, format!("status written as {other}")).into()),
        }
    }
    let statuses = match only {
        Some(_) => {
            let marks: Vec<String> = (2..=params.len()).map(|i| format!("?{i}")).collect();
            format!(" AND status IN ({})", marks.join(", "))
        }
        None => String::new(),
    };
    let mut stmt = conn.prepare_cached(&format!("{ORDER_HEAD_COLUMNS} WHERE {scope}{statuses}"))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(order_head(row)?);
    }
    if commune.is_none() {
        // The table is keyed by commune first; the lists expect creation order throughout.
        out.sort_by_key(|o| o.body.id);
    }
    Ok(out)
}

/// The heads of a few orders (commune, id), in the order asked, one seek of the key each; an
/// order no longer there is left out.
pub(crate) fn order_heads_of(
    conn: &Connection,
    keys: &[(&str, Uuid)],
) -> Result<Vec<Live<OrderHead>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ORDER_HEAD_COLUMNS} WHERE commune_nis = ?1 AND id = ?2"
    ))?;
    let mut out = Vec::new();
    for (commune, id) in keys {
        let mut rows = stmt.query(rusqlite::params![commune, key_text(id)])?;
        if let Some(row) = rows.next()? {
            out.push(order_head(row)?);
        }
    }
    Ok(out)
}

/// What the home counts and orders of every order: its step, not its texts.
pub(crate) struct OrderStep {
    /// Its commune, read on the centrale's PC only (a commune's PC holds its own).
    pub(crate) commune_nis: Option<String>,
    pub(crate) id: Uuid,
    pub(crate) status: OrderStatus,
    /// The offers' deadline, when a competition was launched.
    pub(crate) deadline: Option<DateTime<Utc>>,
    /// Part of a pooled call-off.
    pub(crate) pooled: bool,
}

/// The steps of the live orders of `commune` (every commune's when `None`).
pub(crate) fn order_steps(conn: &Connection, commune: Option<&str>) -> Result<Vec<OrderStep>> {
    const COLUMNS: &str =
        "SELECT commune_nis, id, status, deadline, pool_id IS NOT NULL FROM order_summary";
    let mut stmt = in_scope(conn, COLUMNS, commune)?;
    let mut rows = stmt.query([commune])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(OrderStep {
            commune_nis: match commune {
                Some(_) => None,
                None => Some(required(row, 0)?.to_string()),
            },
            id: missing(1, uuid_at(row, 1)?)?,
            status: named::<OrderStatus>(row, 2)?,
            deadline: time_at(row, 3)?,
            pooled: row.get(4)?,
        });
    }
    Ok(out)
}

/// What the centrale's overview counts of every live order on this PC.
pub(crate) fn order_facts(conn: &Connection) -> Result<Vec<OrderFacts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT commune_nis, service_id, framework_id, status, submitted_at, award_excl_vat,
           award_vat, award_incl_vat, awarded_at FROM order_summary",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let award = match time_at(row, 8)? {
            Some(awarded_at) => {
                let cents =
                    |column| -> Result<Cents> { Ok(Cents(missing(column, row.get(column)?)?)) };
                Some(AwardFacts {
                    amount: Amount {
                        excl_vat: cents(5)?,
                        vat: cents(6)?,
                        incl_vat: cents(7)?,
                    },
                    awarded_at,
                })
            }
            None => None,
        };
        out.push(OrderFacts {
            commune_nis: required(row, 0)?.to_string(),
            service_id: missing(1, uuid_at(row, 1)?)?,
            framework_id: missing(2, uuid_at(row, 2)?)?,
            status: named::<OrderStatus>(row, 3)?,
            submitted_at: time_at(row, 4)?,
            award,
        });
    }
    Ok(out)
}

/// The order of a milestone row, parsed once per order: the rows come by order (the table's
/// key), so only a change of order is parsed and checked against `wanted`.
struct OrderRun {
    text: Vec<u8>,
    order: Option<Uuid>,
}

impl OrderRun {
    fn new() -> Self {
        OrderRun {
            text: Vec::new(),
            order: None,
        }
    }

    /// The row's order when `wanted` keeps it.
    fn of(&mut self, row: &Row<'_>, wanted: &impl Fn(&Uuid) -> bool) -> Result<Option<Uuid>> {
        let text = missing(0, bytes(row, 0)?)?;
        if text != self.text {
            let order = missing(0, uuid_at(row, 0)?)?;
            self.order = wanted(&order).then_some(order);
            text.clone_into(&mut self.text);
        }
        Ok(self.order)
    }
}

/// The milestone dates of the orders of `commune` (every commune's when `None`) that `wanted`
/// keeps, by order: one range read for a whole list.
///
/// Read from `milestone_dates` (schema 6): one row per order, its milestones joined in one
/// text by the triggers, cut here (a row per milestone was half of a list's read, issue 19
/// §4).
pub(crate) fn milestone_heads(
    conn: &Connection,
    commune: Option<&str>,
    wanted: impl Fn(&Uuid) -> bool,
) -> Result<HashMap<Uuid, Vec<MilestoneHead>>> {
    let mut stmt = in_scope(conn, "SELECT order_id, dates FROM milestone_dates", commune)?;
    let mut rows = stmt.query([commune])?;
    let mut by_order: HashMap<Uuid, Vec<MilestoneHead>> = HashMap::new();
    let mut kinds = Codes::<MilestoneKind>::default();
    while let Some(row) = rows.next()? {
        let order = missing(0, uuid_at(row, 0)?)?;
        if !wanted(&order) {
            continue;
        }
        let dates = missing(1, bytes(row, 1)?)?;
        let mut heads = Vec::with_capacity(8);
        for one in dates.split(|b| *b == b';') {
            let mut fields = one.splitn(3, |b| *b == b' ');
            let (Some(kind), Some(planned), Some(actual)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(unreadable(1, "a milestone without its dates").into());
            };
            heads.push(MilestoneHead {
                kind: kinds.get(1, kind)?,
                planned_date: parsed(1, planned, fast_day, day)?,
                actual_date: match actual {
                    b"-" => None,
                    other => Some(parsed(1, other, fast_day, day)?),
                },
            });
        }
        by_order.insert(order, heads);
    }
    Ok(by_order)
}

/// The unit enums met in a read, by their serde names: a list names the same few statuses
/// and kinds thousands of times; each name is decoded by serde once per read.
struct Codes<T> {
    seen: Vec<(Vec<u8>, T)>,
}

impl<T> Default for Codes<T> {
    fn default() -> Self {
        Codes { seen: Vec::new() }
    }
}

impl<T: Copy + for<'de> Deserialize<'de>> Codes<T> {
    fn get(&mut self, column: usize, name: &[u8]) -> Result<T> {
        if let Some((_, value)) = self.seen.iter().find(|(n, _)| n == name) {
            return Ok(*value);
        }
        let value = from_name(column, utf8(column, name)?)?;
        self.seen.push((name.to_vec(), value));
        Ok(value)
    }
}

/// What a milestone view reads, the order first ([`milestone_view`] decodes it).
const MILESTONE_VIEW_COLUMNS: &str = "SELECT order_id, id, kind, planned_date, actual_date,
    baseline_date, lead_time_days, notes, acknowledged_at, acknowledged_by, replans, pending
    FROM milestone_summary";

/// A row of [`MILESTONE_VIEW_COLUMNS`] as shown on `today`.
fn milestone_view(row: &Row<'_>, today: NaiveDate) -> Result<MilestoneView> {
    let planned_date = missing(3, day_at(row, 3)?)?;
    let actual_date = day_at(row, 4)?;
    let status = MilestoneStatus::on(planned_date, actual_date, today);
    // Re-plans are rare: their JSON is read only when there are some.
    let replans = match required(row, 10)? {
        "[]" => Vec::new(),
        json => serde_json::from_str::<Vec<ReplanRequest>>(json)?,
    };
    Ok(MilestoneView {
        id: missing(1, uuid_at(row, 1)?)?,
        kind: named::<MilestoneKind>(row, 2)?,
        planned_date,
        baseline_date: Milestone::baseline_of(day_at(row, 5)?, planned_date),
        lead_time_days: row.get(6)?,
        replans,
        actual_date,
        status,
        late: status == MilestoneStatus::Late,
        notes: required(row, 7)?.to_string(),
        acknowledged_at: time_at(row, 8)?,
        acknowledged_by: text(row, 9)?.map(str::to_string),
        pending: row.get(11)?,
    })
}

/// The milestones of the orders of `commune` (every commune's when `None`) that `wanted` keeps,
/// as shown on `today`, by order, in deployment order.
pub(crate) fn milestone_views(
    conn: &Connection,
    commune: Option<&str>,
    wanted: impl Fn(&Uuid) -> bool,
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<MilestoneView>>> {
    let mut stmt = in_scope(conn, MILESTONE_VIEW_COLUMNS, commune)?;
    let mut rows = stmt.query([commune])?;
    let mut by_order: HashMap<Uuid, Vec<MilestoneView>> = HashMap::new();
    let mut run = OrderRun::new();
    while let Some(row) = rows.next()? {
        let Some(order) = run.of(row, &wanted)? else {
            continue;
        };
        by_order
            .entry(order)
            .or_default()
            .push(milestone_view(row, today)?);
    }
    for views in by_order.values_mut() {
        in_deployment_order(views);
    }
    Ok(by_order)
}

/// The milestones of a few orders (commune, order), as shown on `today`, by order, in
/// deployment order: one seek of the table's key per order (a page of a list), not a scan.
pub(crate) fn milestone_views_of(
    conn: &Connection,
    orders: &[(&str, Uuid)],
    today: NaiveDate,
) -> Result<HashMap<Uuid, Vec<MilestoneView>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MILESTONE_VIEW_COLUMNS} WHERE commune_nis = ?1 AND order_id = ?2"
    ))?;
    let mut by_order: HashMap<Uuid, Vec<MilestoneView>> = HashMap::new();
    for (commune, order) in orders {
        let mut rows = stmt.query(rusqlite::params![commune, key_text(order)])?;
        let mut views = Vec::new();
        while let Some(row) = rows.next()? {
            views.push(milestone_view(row, today)?);
        }
        in_deployment_order(&mut views);
        by_order.insert(*order, views);
    }
    Ok(by_order)
}
