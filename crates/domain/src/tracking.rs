//! What the centrale tracks of its frameworks (issue 16 point 5): which frameworks reach their
//! end and need a successor, what the awards consumed of each maximum value, and which
//! communes use which solutions.
//!
//! One pure function, [`tracking`], over the records: the centrale's PC calls it on its cache
//! (offline), the server on its database (`GET /api/v1/centrale/frameworks/tracking`), so both
//! show the same figures. The two limits are [`SUCCESSOR_LEAD_MONTHS`] and
//! [`CONSUMPTION_ALERT_PERCENT`] (`crate::limits`).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::{FrameworkAgreement, Provider, Service};
use crate::commune::Commune;
use crate::limits::{CONSUMPTION_ALERT_PERCENT, SUCCESSOR_LEAD_MONTHS};
use crate::money::{Amount, Cents};
use crate::order::{Order, OrderStatus};
use crate::value;

/// Where a framework in force stands towards its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EndStatus {
    /// Ends within [`SUCCESSOR_LEAD_MONTHS`] months and no framework takes over: « Successeur à
    /// préparer ».
    SuccessorNeeded,
    /// Another framework for the same service takes over from the day after its end:
    /// « Successeur prévu ».
    SuccessorPlanned,
    /// Ends later than [`SUCCESSOR_LEAD_MONTHS`] months from today: « En cours ».
    Running,
}

/// The last day from which a framework ending then needs its successor under way: today plus
/// [`SUCCESSOR_LEAD_MONTHS`] months (the same day of the month, or the month's last day).
pub fn lead_limit(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(SUCCESSOR_LEAD_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// The rule (issue 16 point 5): a framework ending on `end_date` — on or before
/// [`lead_limit`] of `today` — with no successor is to be succeeded now; one with a successor
/// is covered; any other runs on.
pub fn end_status(end_date: NaiveDate, has_successor: bool, today: NaiveDate) -> EndStatus {
    if has_successor {
        EndStatus::SuccessorPlanned
    } else if end_date <= lead_limit(today) {
        EndStatus::SuccessorNeeded
    } else {
        EndStatus::Running
    }
}

/// The framework that takes over from `framework`: another framework for the same service
/// whose period starts on or before the day after `framework`'s end and runs beyond that end
/// (so the communes can order without a gap). The earliest such start, when several.
pub fn successor<'a>(
    framework: &FrameworkAgreement,
    all: &'a [FrameworkAgreement],
) -> Option<&'a FrameworkAgreement> {
    let end = framework.current().ok()?.end_date;
    let next_day = end.checked_add_days(Days::new(1))?;
    all.iter()
        .filter(|other| other.id != framework.id && other.service_id == framework.service_id)
        .filter_map(|other| other.current().ok().map(|t| (other, t)))
        .filter(|(_, t)| t.start_date <= next_day && t.end_date > end)
        .min_by_key(|(other, t)| (t.start_date, other.reference.clone()))
        .map(|(other, _)| other)
}

/// Whether `consumed` (excluding VAT) reached [`CONSUMPTION_ALERT_PERCENT`] % of `maximum`
/// (exact, in integers: 80 % of 1 000,00 € is reached at 800,00 €, not at 799,99 €). A framework
/// without a stated maximum (recorded before the rule) is never flagged.
pub fn consumption_alert(consumed: Cents, maximum: Option<Cents>) -> bool {
    match maximum {
        Some(max) if max.0 > 0 => {
            i128::from(consumed.0) * 100
                >= i128::from(max.0) * i128::from(CONSUMPTION_ALERT_PERCENT)
        }
        // A maximum of zero is reached by anything.
        Some(_) => true,
        None => false,
    }
}

/// `part / whole` in percent, as people write it: a whole number (`"75"`), unless rounding
/// would say something false — « 0 % » of something, « 100 % » of not everything, or the
/// alert threshold when it is not reached (79,6 % is not « 80 % ») — then one decimal, or two.
/// None when `whole` is not positive.
pub fn percent(part: Cents, whole: Cents) -> Option<Decimal> {
    if whole.0 <= 0 {
        return None;
    }
    let exact = Decimal::from(part.0) * Decimal::from(100) / Decimal::from(whole.0);
    let alert = Decimal::from(CONSUMPTION_ALERT_PERCENT);
    let hundred = Decimal::from(100);
    let misleading = |p: Decimal| {
        (p.is_zero() && !exact.is_zero())
            || (p >= hundred && exact < hundred)
            || (p >= alert && exact < alert)
    };
    let at = |dp: u32, strategy| {
        let mut p = exact.round_dp_with_strategy(dp, strategy);
        p.rescale(dp);
        p
    };
    (0..3)
        .map(|dp| at(dp, RoundingStrategy::MidpointAwayFromZero))
        .find(|p| !misleading(*p))
        .or_else(|| Some(at(2, RoundingStrategy::ToZero)))
}

/// The framework a successor is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SuccessorRef {
    /// The successor.
    pub framework_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// Its first day.
    pub start_date: NaiveDate,
}

/// A framework in force and its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkEnd {
    /// The framework.
    pub framework_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// Its title.
    pub title_fr: String,
    /// The service it covers.
    pub service_id: Uuid,
    /// The service's name, when known.
    pub service_name: Option<String>,
    /// First day (terms in force).
    pub start_date: NaiveDate,
    /// Last day on which a call-off may be made (terms in force).
    pub end_date: NaiveDate,
    /// Calendar days from today to the end date (0 on the last day).
    pub days_left: u32,
    /// Where it stands.
    pub status: EndStatus,
    /// The framework that takes over, if one does.
    pub successor: Option<SuccessorRef>,
}

/// What one commune's awards consumed of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneUse {
    /// NIS code.
    pub commune_nis: String,
    /// French name, when known.
    pub commune_name: Option<String>,
    /// Its awarded call-offs under the framework.
    pub orders: u32,
    /// Sum of its awarded amounts.
    pub consumed: Amount,
    /// Its share of the maximum value, in percent as people write it; none without a maximum.
    #[schema(value_type = Option<String>)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub percent_of_maximum: Option<Decimal>,
}

/// A framework's maximum value, what the awards consumed of it, and whether it is flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkConsumption {
    /// The framework.
    pub framework_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// The service's name, when known.
    pub service_name: Option<String>,
    /// Maximum value excluding VAT; none when not stated (records before the rule).
    pub maximum: Option<Cents>,
    /// Awarded under it, every commune.
    pub consumed: Amount,
    /// What remains excluding VAT; none without a maximum.
    pub remaining: Option<Cents>,
    /// Consumed share of the maximum, in percent as people write it; none without a maximum.
    #[schema(value_type = Option<String>)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub consumed_percent: Option<Decimal>,
    /// At or above [`CONSUMPTION_ALERT_PERCENT`] % of the maximum ([`consumption_alert`]).
    pub alert: bool,
    /// Per commune, the largest consumption first.
    pub communes: Vec<CommuneUse>,
}

/// An awarded call-off: which commune runs which provider's solution, under which framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SolutionUse {
    /// The call-off.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The commune.
    pub commune_nis: String,
    /// Its French name, when known.
    pub commune_name: Option<String>,
    /// The service.
    pub service_id: Uuid,
    /// Its name, when known.
    pub service_name: Option<String>,
    /// The framework.
    pub framework_id: Uuid,
    /// Its reference, when known.
    pub framework_reference: Option<String>,
    /// The provider retained.
    pub provider_id: Uuid,
    /// Its name, when known.
    pub provider_name: Option<String>,
    /// The amount awarded.
    pub amount: Amount,
    /// Where the call-off stands (its deployment state).
    pub status: OrderStatus,
    /// When it was awarded.
    pub awarded_at: DateTime<Utc>,
}

/// One commune and the solutions it runs (its awarded call-offs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneSolutions {
    /// NIS code.
    pub commune_nis: String,
    /// French name, when known.
    pub commune_name: Option<String>,
    /// Its call-offs, by service name.
    pub solutions: Vec<SolutionUse>,
}

/// The centrale's follow-up of its frameworks on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkTracking {
    /// The day it was computed for (Brussels).
    pub today: NaiveDate,
    /// [`SUCCESSOR_LEAD_MONTHS`].
    pub lead_months: u32,
    /// [`CONSUMPTION_ALERT_PERCENT`].
    pub alert_percent: u32,
    /// The frameworks in force today, the soonest end first.
    pub ends: Vec<FrameworkEnd>,
    /// Every framework's consumption, by reference.
    pub consumption: Vec<FrameworkConsumption>,
    /// Every awarded call-off, by service name (unnamed last), then commune name.
    pub solutions: Vec<SolutionUse>,
    /// Per commune (by name), the solutions it runs.
    pub communes: Vec<CommuneSolutions>,
}

/// The records [`tracking`] reads (live ones; names of records missing are left out).
#[derive(Debug, Clone, Copy)]
pub struct TrackingRecords<'a> {
    /// Every framework.
    pub frameworks: &'a [FrameworkAgreement],
    /// Every service (names).
    pub services: &'a [Service],
    /// Every provider (names).
    pub providers: &'a [Provider],
    /// Every commune (names).
    pub communes: &'a [Commune],
    /// Every order (drafts and orders without award count for nothing).
    pub orders: &'a [Order],
}

/// Case- and accent-insensitive enough to sort French names (`É` with `E`).
fn sort_key(name: Option<&str>, fallback: &str) -> String {
    name.unwrap_or(fallback)
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// The frameworks in force on `today` and their end, the soonest first.
pub fn ends(
    frameworks: &[FrameworkAgreement],
    service_names: &HashMap<Uuid, String>,
    today: NaiveDate,
) -> Vec<FrameworkEnd> {
    let mut out: Vec<FrameworkEnd> = frameworks
        .iter()
        .filter_map(|f| {
            let terms = f.current().ok()?;
            if !terms.in_force_on(today) {
                return None;
            }
            let next = successor(f, frameworks);
            let days = (terms.end_date - today).num_days().max(0);
            Some(FrameworkEnd {
                framework_id: f.id,
                reference: f.reference.clone(),
                title_fr: f.title_fr.clone(),
                service_id: f.service_id,
                service_name: service_names.get(&f.service_id).cloned(),
                start_date: terms.start_date,
                end_date: terms.end_date,
                days_left: u32::try_from(days).unwrap_or(u32::MAX),
                status: end_status(terms.end_date, next.is_some(), today),
                successor: next.and_then(|s| {
                    Some(SuccessorRef {
                        framework_id: s.id,
                        reference: s.reference.clone(),
                        start_date: s.current().ok()?.start_date,
                    })
                }),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.end_date, &a.reference, a.framework_id).cmp(&(b.end_date, &b.reference, b.framework_id))
    });
    out
}

/// The follow-up on `today` (issue 16 point 5).
pub fn tracking(records: TrackingRecords<'_>, today: NaiveDate) -> FrameworkTracking {
    let service_names: HashMap<Uuid, String> = records
        .services
        .iter()
        .map(|s| (s.id, s.name_fr.clone()))
        .collect();
    let provider_names: HashMap<Uuid, String> = records
        .providers
        .iter()
        .map(|p| (p.id, p.name.clone()))
        .collect();
    let commune_names: HashMap<String, String> = records
        .communes
        .iter()
        .map(|c| (c.nis_code.to_string(), c.name_fr.clone()))
        .collect();
    let frameworks: HashMap<Uuid, &FrameworkAgreement> =
        records.frameworks.iter().map(|f| (f.id, f)).collect();

    let mut by_reference: Vec<&FrameworkAgreement> = records.frameworks.iter().collect();
    by_reference.sort_by(|a, b| (&a.reference, a.id).cmp(&(&b.reference, b.id)));
    let consumption = by_reference
        .into_iter()
        .map(|f| {
            let c = value::consumption(f, records.orders);
            let mut communes: Vec<CommuneUse> = c
                .per_commune
                .into_iter()
                .map(|p| CommuneUse {
                    commune_name: commune_names.get(&p.commune_nis).cloned(),
                    percent_of_maximum: c.maximum.and_then(|m| percent(p.consumed.excl_vat, m)),
                    commune_nis: p.commune_nis,
                    orders: p.orders,
                    consumed: p.consumed,
                })
                .collect();
            communes.sort_by(|a, b| {
                b.consumed
                    .excl_vat
                    .cmp(&a.consumed.excl_vat)
                    .then_with(|| a.commune_nis.cmp(&b.commune_nis))
            });
            FrameworkConsumption {
                framework_id: f.id,
                reference: f.reference.clone(),
                service_name: service_names.get(&f.service_id).cloned(),
                maximum: c.maximum,
                consumed: c.consumed,
                remaining: c.remaining,
                consumed_percent: c.maximum.and_then(|m| percent(c.consumed.excl_vat, m)),
                alert: consumption_alert(c.consumed.excl_vat, c.maximum),
                communes,
            }
        })
        .collect();

    let mut solutions: Vec<SolutionUse> = records
        .orders
        .iter()
        .filter_map(|o| {
            let award = o.award.as_ref()?;
            Some(SolutionUse {
                order_id: o.id,
                title: o.title.clone(),
                commune_nis: o.commune_nis.clone(),
                commune_name: commune_names.get(&o.commune_nis).cloned(),
                service_id: o.service_id,
                service_name: service_names.get(&o.service_id).cloned(),
                framework_id: o.framework_id,
                framework_reference: frameworks.get(&o.framework_id).map(|f| f.reference.clone()),
                provider_id: award.provider_id,
                provider_name: provider_names.get(&award.provider_id).cloned(),
                amount: award.amount,
                status: o.status,
                awarded_at: award.awarded_at,
            })
        })
        .collect();
    solutions.sort_by_cached_key(|s| {
        (
            // Services no longer in the catalogue last.
            s.service_name.is_none(),
            sort_key(s.service_name.as_deref(), &s.service_id.to_string()),
            sort_key(s.commune_name.as_deref(), &s.commune_nis),
            s.awarded_at,
            s.order_id,
        )
    });

    let mut per_commune: BTreeMap<String, CommuneSolutions> = BTreeMap::new();
    for s in &solutions {
        per_commune
            .entry(format!(
                "{}\u{0}{}",
                sort_key(s.commune_name.as_deref(), &s.commune_nis),
                s.commune_nis
            ))
            .or_insert_with(|| CommuneSolutions {
                commune_nis: s.commune_nis.clone(),
                commune_name: s.commune_name.clone(),
                solutions: Vec::new(),
            })
            .solutions
            .push(s.clone());
    }

    FrameworkTracking {
        today,
        lead_months: SUCCESSOR_LEAD_MONTHS,
        alert_percent: CONSUMPTION_ALERT_PERCENT,
        ends: ends(records.frameworks, &service_names, today),
        consumption,
        solutions,
        communes: per_commune.into_values().collect(),
    }
}

#[cfg(test)]
mod tests;
