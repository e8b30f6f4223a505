//! The centrale's overview: orders and awarded amounts per commune and per service, the time
//! from order to award against the intercommunale's 20-day promise, and adhesions over time.
//!
//! Read over every order and adhesion on this PC (the centrale's PC holds every commune's).
//! Drafts and deleted records are not counted; records with a local change not yet accepted
//! are counted as they stand on this PC. Days and months are Brussels days and months.

use std::collections::{BTreeMap, HashMap, HashSet};

use centrale_domain::adhesion::{Adhesion, AdhesionStatus};
use centrale_domain::catalogue::{FrameworkAgreement, Service};
use centrale_domain::commune::Commune;
use centrale_domain::money::{Amount, Cents};
use centrale_domain::order::OrderStatus;
use centrale_domain::value;
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Europe::Brussels;
use rusqlite::Connection;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use uuid::Uuid;

use super::adhesion;
use super::catalogue::fold;
use super::live::{self, Names};
use crate::error::Result;

/// The intercommunale's promise to its communes: an order is awarded at most 20 days after
/// the commune sent it (calendar days, Brussels time, from the day the request was submitted
/// to the day of the award). An award on the 20th day keeps the promise.
pub const AWARD_PROMISE_DAYS: u32 = 20;

/// The orders of one commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneOrders {
    /// NIS code.
    pub commune_nis: String,
    /// French name, when the commune is on this PC.
    pub commune_name: Option<String>,
    /// Orders sent (drafts not counted).
    pub orders: u32,
    /// Of which awarded.
    pub awarded: u32,
    /// Sum of the amounts awarded, excluding VAT.
    pub awarded_excl_vat: Cents,
}

/// The orders of one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServiceOrders {
    /// The service.
    pub service_id: Uuid,
    /// Its name, when the service is on this PC.
    pub service_name: Option<String>,
    /// Orders sent (drafts not counted).
    pub orders: u32,
    /// Of which awarded.
    pub awarded: u32,
    /// Sum of the amounts awarded, excluding VAT.
    pub awarded_excl_vat: Cents,
}

/// The awards of one month (Brussels).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardTimeMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Orders awarded in the month.
    pub awarded: u32,
    /// Median days from order to award (none in a month without award).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub median_days: Option<Decimal>,
    /// Of which within the promise.
    pub within_promise: u32,
}

/// The time from order to award, against the promise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AwardTime {
    /// The promise, in days (20: `AWARD_PROMISE_DAYS`).
    pub promise_days: u32,
    /// Awarded orders measured.
    pub awarded: u32,
    /// Median days from order to award (none before any award).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub median_days: Option<Decimal>,
    /// Awarded within the promise (20 days or fewer).
    pub within_promise: u32,
    /// Share within the promise, in percent as people write it (`"75"`, `"99.7"`).
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub within_promise_percent: Option<Decimal>,
    /// Awarded after more than 20 days.
    pub over_promise: u32,
    /// By month of award, from the first to the last, months without award included.
    pub by_month: Vec<AwardTimeMonth>,
}

/// Adhesions in one month (Brussels).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Adhesions that became active in the month.
    pub activated: u32,
    /// Active adhesions ended by a notice of termination in the month.
    pub terminated: u32,
    /// Communes with an active adhesion at the end of the month (today for the current month).
    pub active_total: u32,
}

/// How many communes' current adhesion has a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionStatusCount {
    /// The status.
    pub status: AdhesionStatus,
    /// How many communes.
    pub count: u32,
}

/// Adhesions over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionsOverTime {
    /// From the month of the first activation to the current month, every month.
    pub by_month: Vec<AdhesionMonth>,
    /// Communes by the status of their current adhesion, in the order of the life cycle
    /// (every status, zero included).
    pub by_status: Vec<AdhesionStatusCount>,
    /// Communes of the province with no adhesion at all.
    pub without_adhesion: u32,
}

/// The key figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverviewTotals {
    /// Orders sent (drafts not counted).
    pub orders: u32,
    /// Of which awarded.
    pub awarded: u32,
    /// Sum of the amounts awarded, excluding VAT.
    pub awarded_excl_vat: Cents,
    /// Communes whose current adhesion is active.
    pub communes_active: u32,
    /// Communes of the province (codes in force today).
    pub communes_total: u32,
}

/// What one commune's awards consumed of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkCommuneValue {
    /// NIS code.
    pub commune_nis: String,
    /// French name, when the commune is on this PC.
    pub commune_name: Option<String>,
    /// Its awarded orders under the framework.
    pub orders: u32,
    /// Sum of its awarded amounts (excluding and including VAT).
    pub consumed: Amount,
}

/// A framework's maximum value and what the awards consumed of it (issue 11 rule 4; CJEU
/// C-23/20), computed by the domain (`centrale_domain::value::consumption`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkValue {
    /// The framework.
    pub framework_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// The service it covers, when on this PC.
    pub service_name: Option<String>,
    /// Maximum value excluding VAT; none when not stated (records before the rule).
    pub maximum: Option<Cents>,
    /// Awarded under it, every commune.
    pub consumed: Amount,
    /// What remains excluding VAT; none without a maximum.
    pub remaining: Option<Cents>,
    /// Consumed share of the maximum, percent with two decimals; none without a maximum.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub consumed_percent: Option<Decimal>,
    /// Per commune, the largest consumption first.
    pub communes: Vec<FrameworkCommuneValue>,
}

/// The centrale's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    /// The day the overview was computed for.
    pub today: NaiveDate,
    /// Key figures.
    pub totals: OverviewTotals,
    /// Communes with orders: most orders first, then the largest amount, then by name.
    pub communes: Vec<CommuneOrders>,
    /// Services with orders, in the same order.
    pub services: Vec<ServiceOrders>,
    /// Time from order to award.
    pub award_time: AwardTime,
    /// Adhesions over time.
    pub adhesions: AdhesionsOverTime,
    /// Every framework's maximum value and its consumption, by reference.
    pub frameworks: Vec<FrameworkValue>,
}

/// An order's award as the overview counts it.
pub(crate) struct AwardFacts {
    pub(crate) amount: Amount,
    pub(crate) awarded_at: DateTime<Utc>,
}

/// The fields of an order the overview counts (read from the summary table: no body decoded).
pub(crate) struct OrderFacts {
    pub(crate) commune_nis: String,
    pub(crate) service_id: Uuid,
    pub(crate) framework_id: Uuid,
    pub(crate) status: OrderStatus,
    pub(crate) submitted_at: Option<DateTime<Utc>>,
    pub(crate) award: Option<AwardFacts>,
}

impl value::ConsumingCallOff for OrderFacts {
    fn framework_id(&self) -> Uuid {
        self.framework_id
    }
    fn commune_nis(&self) -> &str {
        &self.commune_nis
    }
    fn awarded_amount(&self) -> Option<Amount> {
        self.award.as_ref().map(|a| a.amount)
    }
}

/// Orders, awarded, amount.
#[derive(Default, Clone, Copy)]
struct Tally {
    orders: u32,
    awarded: u32,
    amount: i64,
}

impl Tally {
    fn add(&mut self, award: Option<&AwardFacts>) {
        self.orders += 1;
        if let Some(a) = award {
            self.awarded += 1;
            self.amount = self.amount.saturating_add(a.amount.excl_vat.0);
        }
    }
}

const ADHESION_LIFE_CYCLE: [AdhesionStatus; 5] = [
    AdhesionStatus::Draft,
    AdhesionStatus::SignedByCommune,
    AdhesionStatus::Countersigned,
    AdhesionStatus::Active,
    AdhesionStatus::Terminated,
];

/// The Brussels day of an instant.
fn brussels_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Brussels).date_naive()
}

/// The first day of the month of `day`.
fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// `YYYY-MM`.
fn month_key(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

/// Every first day of month from `first` to `last`, both included.
fn months(first: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = month_start(first);
    let last = month_start(last);
    while m <= last {
        out.push(m);
        match m.checked_add_months(Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}

/// The median of `days` (sorted here); the mean of the two middle values for an even count.
pub(crate) fn median(days: &mut [u32]) -> Option<Decimal> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    let value = if days.len() % 2 == 1 {
        Decimal::from(days[mid])
    } else {
        (Decimal::from(days[mid - 1]) + Decimal::from(days[mid])) / Decimal::from(2)
    };
    Some(value.normalize())
}

/// `part / whole` in percent, rounded as people write it: a whole number (`"75"`, `"67"`),
/// unless that would say « 0 % » of something or « 100 % » of not everything — then one decimal
/// (`"99.7"`, `"0.3"`), or two when one is not enough. None when `whole` is zero.
pub(crate) fn percent(part: u32, whole: u32) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    let exact = Decimal::from(part) * Decimal::from(100) / Decimal::from(whole);
    let rounded = |dp| {
        let mut p = exact.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        p.rescale(dp);
        p
    };
    let misleading =
        |p: Decimal| (p.is_zero() && part > 0) || (p == Decimal::from(100) && part < whole);
    (0..2)
        .map(rounded)
        .find(|p| !misleading(*p))
        .or(Some(rounded(2)))
}

fn award_time(measured: Vec<(NaiveDate, u32)>) -> AwardTime {
    let promise = AWARD_PROMISE_DAYS;
    let within = |days: &[u32]| count(days.iter().filter(|d| **d <= promise).count());
    let mut all: Vec<u32> = measured.iter().map(|(_, d)| *d).collect();
    let mut by_month: BTreeMap<NaiveDate, Vec<u32>> = BTreeMap::new();
    for (day, days) in &measured {
        by_month.entry(month_start(*day)).or_default().push(*days);
    }
    let series = match (by_month.keys().next(), by_month.keys().next_back()) {
        (Some(first), Some(last)) => months(*first, *last)
            .into_iter()
            .map(|m| {
                let mut days = by_month.remove(&m).unwrap_or_default();
                AwardTimeMonth {
                    month: month_key(m),
                    awarded: count(days.len()),
                    within_promise: within(&days),
                    median_days: median(&mut days),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let awarded = count(all.len());
    let kept = within(&all);
    AwardTime {
        promise_days: promise,
        awarded,
        median_days: median(&mut all),
        within_promise: kept,
        within_promise_percent: percent(kept, awarded),
        over_promise: awarded - kept,
        by_month: series,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// When an adhesion counts as active: from the day it was activated until the day notice of
/// termination is given (from then on the commune can no longer order).
struct ActiveSpan<'a> {
    commune_nis: &'a str,
    from: NaiveDate,
    /// First day it no longer counts.
    until: Option<NaiveDate>,
    /// The day notice of termination was given, if it was.
    notice: Option<NaiveDate>,
}

fn adhesions_over_time(
    all: &[Adhesion],
    current: &HashMap<String, AdhesionStatus>,
    communes: &HashMap<String, Commune>,
    today: NaiveDate,
) -> AdhesionsOverTime {
    let spans: Vec<ActiveSpan<'_>> = all
        .iter()
        .filter_map(|a| {
            let from = brussels_day(a.activated_at?);
            let until = match (&a.termination, a.status) {
                // Stored terminated at notice (before notices were signed by both signatories).
                (Some(t), AdhesionStatus::Terminated) => Some(t.notice_date.max(from)),
                // A notice given ends the adhesion on its effective date (convention art. 12);
                // one still waiting for its second signature ends nothing.
                (Some(t), _) if t.is_given() => Some(t.effective_date.max(from)),
                // Terminated without a notice on record: its end is unknown, it does not count.
                (None, AdhesionStatus::Terminated) => Some(from),
                _ => None,
            };
            Some(ActiveSpan {
                commune_nis: &a.commune_nis,
                from,
                until,
                // A notice counts in its month once given (or stored before signed notices).
                notice: a
                    .termination
                    .as_ref()
                    .filter(|t| t.is_given() || a.status == AdhesionStatus::Terminated)
                    .map(|t| t.notice_date),
            })
        })
        .collect();
    let first = spans.iter().map(|s| s.from).min();
    let last = spans
        .iter()
        .flat_map(|s| [Some(s.from), s.until])
        .flatten()
        .chain([today])
        .max()
        .unwrap_or(today);
    let by_month = match first {
        Some(first) => months(first, last)
            .into_iter()
            .map(|m| {
                let end = m
                    .checked_add_months(Months::new(1))
                    .and_then(|n| n.pred_opt())
                    .unwrap_or(m);
                let reference = if month_start(today) == m { today } else { end };
                let in_month = |d: NaiveDate| month_start(d) == m;
                let active: HashSet<&str> = spans
                    .iter()
                    .filter(|s| s.from <= reference && s.until.is_none_or(|u| reference < u))
                    .map(|s| s.commune_nis)
                    .collect();
                AdhesionMonth {
                    month: month_key(m),
                    activated: count(spans.iter().filter(|s| in_month(s.from)).count()),
                    terminated: count(
                        spans
                            .iter()
                            .filter(|s| s.notice.is_some_and(in_month))
                            .count(),
                    ),
                    active_total: count(active.len()),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let by_status = ADHESION_LIFE_CYCLE
        .iter()
        .map(|status| AdhesionStatusCount {
            status: *status,
            count: count(current.values().filter(|s| *s == status).count()),
        })
        .collect();
    let without_adhesion = communes
        .iter()
        .filter(|(nis, c)| c.is_valid_on(today) && !current.contains_key(*nis))
        .count();
    AdhesionsOverTime {
        by_month,
        by_status,
        without_adhesion: count(without_adhesion),
    }
}

/// The overview on `today`.
pub(crate) fn overview(conn: &Connection, today: NaiveDate) -> Result<Overview> {
    let names = Names::load(conn)?;
    let communes: HashMap<String, Commune> =
        live::of_kind::<Commune>(conn, RecordKind::Commune, None)?
            .into_iter()
            .map(|c| (c.body.nis_code.to_string(), c.body))
            .collect();
    let orders = super::summary::order_facts(conn)?;

    let mut total = Tally::default();
    let mut per_commune: HashMap<&str, Tally> = HashMap::new();
    let mut per_service: HashMap<Uuid, Tally> = HashMap::new();
    let mut measured: Vec<(NaiveDate, u32)> = Vec::new();
    for o in orders.iter().filter(|o| o.status != OrderStatus::Draft) {
        let award = o.award.as_ref();
        total.add(award);
        per_commune
            .entry(o.commune_nis.as_str())
            .or_default()
            .add(award);
        per_service.entry(o.service_id).or_default().add(award);
        if let (Some(a), Some(submitted)) = (award, o.submitted_at) {
            let awarded_on = brussels_day(a.awarded_at);
            let days = (awarded_on - brussels_day(submitted)).num_days().max(0);
            measured.push((awarded_on, u32::try_from(days).unwrap_or(u32::MAX)));
        }
    }

    let mut commune_rows: Vec<CommuneOrders> = per_commune
        .into_iter()
        .map(|(nis, t)| CommuneOrders {
            commune_nis: nis.to_string(),
            commune_name: communes.get(nis).map(|c| c.name_fr.clone()),
            orders: t.orders,
            awarded: t.awarded,
            awarded_excl_vat: Cents(t.amount),
        })
        .collect();
    commune_rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.orders),
            std::cmp::Reverse(r.awarded_excl_vat),
            fold(r.commune_name.as_deref().unwrap_or(&r.commune_nis)),
            r.commune_nis.clone(),
        )
    });
    let mut service_rows: Vec<ServiceOrders> = per_service
        .into_iter()
        .map(|(id, t)| ServiceOrders {
            service_id: id,
            service_name: names.service(id),
            orders: t.orders,
            awarded: t.awarded,
            awarded_excl_vat: Cents(t.amount),
        })
        .collect();
    service_rows.sort_by_cached_key(|r| {
        (
            std::cmp::Reverse(r.orders),
            std::cmp::Reverse(r.awarded_excl_vat),
            r.service_name.as_deref().map(fold),
            r.service_id,
        )
    });

    let current = adhesion::statuses(conn, Some(today))?;
    let adhesions: Vec<Adhesion> = live::of_kind::<Adhesion>(conn, RecordKind::Adhesion, None)?
        .into_iter()
        .map(|a| a.body)
        .collect();
    let communes_active = count(
        current
            .values()
            .filter(|s| **s == AdhesionStatus::Active)
            .count(),
    );
    let communes_total = count(communes.values().filter(|c| c.is_valid_on(today)).count());

    Ok(Overview {
        today,
        totals: OverviewTotals {
            orders: total.orders,
            awarded: total.awarded,
            awarded_excl_vat: Cents(total.amount),
            communes_active,
            communes_total,
        },
        communes: commune_rows,
        services: service_rows,
        award_time: award_time(measured),
        adhesions: adhesions_over_time(&adhesions, &current, &communes, today),
        frameworks: framework_values(conn, &names, &communes, &orders)?,
    })
}

/// Each framework's consumption, from every order on this PC (the centrale's PC holds every
/// commune's), by the domain's rule.
fn framework_values(
    conn: &Connection,
    names: &Names,
    communes: &HashMap<String, Commune>,
    orders: &[OrderFacts],
) -> Result<Vec<FrameworkValue>> {
    let services: HashMap<Uuid, Uuid> = live::of_kind::<Service>(conn, RecordKind::Service, None)?
        .into_iter()
        .map(|s| (s.body.framework_id, s.body.id))
        .collect();
    let mut frameworks: Vec<FrameworkAgreement> =
        live::of_kind::<FrameworkAgreement>(conn, RecordKind::Framework, None)?
            .into_iter()
            .map(|f| f.body)
            .collect();
    frameworks.sort_by(|a, b| a.reference.cmp(&b.reference));
    Ok(frameworks
        .iter()
        .map(|f| {
            let c = value::consumption(f, orders);
            let mut rows: Vec<FrameworkCommuneValue> = c
                .per_commune
                .into_iter()
                .map(|p| FrameworkCommuneValue {
                    commune_name: communes.get(&p.commune_nis).map(|c| c.name_fr.clone()),
                    commune_nis: p.commune_nis,
                    orders: p.orders,
                    consumed: p.consumed,
                })
                .collect();
            rows.sort_by_key(|r| {
                (
                    std::cmp::Reverse(r.consumed.excl_vat),
                    r.commune_nis.clone(),
                )
            });
            FrameworkValue {
                framework_id: f.id,
                reference: f.reference.clone(),
                service_name: services.get(&f.id).and_then(|id| names.service(*id)),
                maximum: c.maximum,
                consumed: c.consumed,
                remaining: c.remaining,
                consumed_percent: c.maximum.and_then(|m| share(c.consumed.excl_vat, m)),
                communes: rows,
            }
        })
        .collect())
}

/// `part / whole` in percent, two decimals; none when `whole` is not positive.
fn share(part: Cents, whole: Cents) -> Option<Decimal> {
    if whole.0 <= 0 {
        return None;
    }
    let mut p = (Decimal::from(part.0) * Decimal::from(100) / Decimal::from(whole.0))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    p.rescale(2);
    Some(p)
}
