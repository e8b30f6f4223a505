//! The value of a call-off and of its framework.
//!
//! - **Cost over the contract's life** (issue 11 rule 9; law-review L12, L22, L23): a call-off
//!   is a contract of `FrameworkTerms::contract_months` months (48 by default). A price line is
//!   one-off, yearly or monthly ([`Recurrence`]); its amount is `unit × quantity × periods`,
//!   the periods counted over the contract's duration. Offers are priced, scored and awarded on
//!   that total (the comparison excluding VAT, Dir. 2014/24 art. 67–68 life-cycle costing; the
//!   award amount and the budget including VAT).
//! - **Maximum value** (issue 11 rule 4; law-review L9): a framework states its maximum value
//!   excluding VAT; every award consumes it; once reached, no new call-off (CJEU C-216/17
//!   Coopservice, C-23/20 Simonsen & Weel; federal circular of 28 June 2022: « aucun marché
//!   subséquent ne peut plus être commandé lorsque la quantité ou valeur maximale … est
//!   atteinte »).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::FrameworkAgreement;
use crate::money::{Amount, Cents};
use crate::order::Order;
use crate::DomainError;

/// The contract duration of a call-off when the framework says nothing: four years.
pub const DEFAULT_CONTRACT_MONTHS: u32 = 48;

/// The longest contract duration of a call-off: the four years a framework itself may last
/// (law of 17 June 2016 art. 43 §3; Dir. 2014/24 art. 33(1)). A call-off awarded before the
/// framework's end may run beyond it (Dir. 2014/24 recital 62), but never longer than this.
pub const MAX_CONTRACT_MONTHS: u32 = 48;

/// `serde` default of `FrameworkTerms::contract_months` (records written before the rule).
pub fn default_contract_months() -> u32 {
    DEFAULT_CONTRACT_MONTHS
}

/// `serde` default of a number of periods (lines written before the rule: priced once).
pub fn one() -> Decimal {
    Decimal::ONE
}

/// How often a price line is paid over the contract.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    /// Paid once (set-up, equipment, training). Lines written before the rule read as one-off.
    #[default]
    OneOff,
    /// Paid every year of the contract (licence, subscription « par an »).
    Yearly,
    /// Paid every month of the contract (hosting « par mois »).
    Monthly,
}

impl Recurrence {
    /// How many times the line is paid over a contract of `months` months (yearly: months / 12,
    /// exact; the line's amount is rounded once, to the cent).
    pub fn periods(self, months: u32) -> Decimal {
        match self {
            Recurrence::OneOff => Decimal::ONE,
            Recurrence::Yearly => Decimal::from(months) / Decimal::from(12),
            Recurrence::Monthly => Decimal::from(months),
        }
    }
}

/// `unit × quantity × periods`, rounded once to the cent (None on overflow).
pub fn line_total(unit: Cents, quantity: Decimal, periods: Decimal) -> Option<Cents> {
    unit.times(quantity.checked_mul(periods)?)
}

/// What one commune's awards consumed of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneConsumption {
    /// The commune.
    pub commune_nis: String,
    /// Sum of its awarded amounts.
    pub consumed: Amount,
    /// Its awarded orders.
    pub orders: u32,
}

/// What the awards under a framework consumed of its maximum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Consumption {
    /// The framework.
    pub framework_id: Uuid,
    /// The maximum value excluding VAT of the terms in force; none for a framework recorded
    /// before the rule that has not stated it since.
    pub maximum: Option<Cents>,
    /// Sum of the amounts awarded under the framework (every commune).
    pub consumed: Amount,
    /// What remains excluding VAT (never below zero); none without a maximum.
    pub remaining: Option<Cents>,
    /// Per commune, by NIS code.
    pub per_commune: Vec<CommuneConsumption>,
}

/// What [`consumption`] reads of an order: the whole record, or the few fields a list of
/// orders keeps of it (the PC's summary of every order).
pub trait ConsumingCallOff {
    /// The framework it was called off under.
    fn framework_id(&self) -> Uuid;
    /// The commune that ordered.
    fn commune_nis(&self) -> &str;
    /// The amount awarded, once awarded.
    fn awarded_amount(&self) -> Option<Amount>;
}

/// An award consumes the framework's value from its decision on; awarded orders never go back
/// (an award is not withdrawn), so every order with an award counts, whatever its later state.
impl ConsumingCallOff for Order {
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

/// What `orders` (any orders; those of other frameworks are ignored) consumed of `framework`:
/// every order with an award counts, whatever its later state.
pub fn consumption<O: ConsumingCallOff>(
    framework: &FrameworkAgreement,
    orders: &[O],
) -> Consumption {
    let mut per: BTreeMap<&str, (Amount, u32)> = BTreeMap::new();
    let mut consumed = Amount::default();
    for order in orders.iter().filter(|o| o.framework_id() == framework.id) {
        if let Some(amount) = order.awarded_amount() {
            consumed = consumed.plus(amount);
            let entry = per.entry(order.commune_nis()).or_default();
            entry.0 = entry.0.plus(amount);
            entry.1 += 1;
        }
    }
    let maximum = framework.current().ok().and_then(|t| t.max_value);
    Consumption {
        framework_id: framework.id,
        maximum,
        consumed,
        remaining: maximum.map(|m| Cents((m.0 - consumed.excl_vat.0).max(0))),
        per_commune: per
            .into_iter()
            .map(|(nis, (consumed, orders))| CommuneConsumption {
                commune_nis: nis.to_string(),
                consumed,
                orders,
            })
            .collect(),
    }
}

/// Refuses a call-off whose `amount` (excluding VAT, over the contract's duration) would take
/// the framework beyond its maximum value, counting every award under it except `order`'s own
/// (CJEU C-23/20 Simonsen & Weel: once the maximum is reached, the framework has no further
/// effect). Checked when the order is sent (its estimate at the ceilings, the most an award
/// can reach) and at the award (the amount awarded). A framework without a stated maximum
/// (recorded before the rule) refuses nothing here.
pub fn check_maximum(
    framework: &FrameworkAgreement,
    orders: &[Order],
    order: &Order,
    amount: Cents,
) -> Result<(), DomainError> {
    let others: Vec<Order> = orders
        .iter()
        .filter(|o| o.id != order.id)
        .cloned()
        .collect();
    let c = consumption(framework, &others);
    let Some(maximum) = c.maximum else {
        return Ok(());
    };
    if c.consumed.excl_vat.0.saturating_add(amount.0) > maximum.0 {
        return Err(DomainError::MaximumValueExceeded {
            reference: framework.reference.clone(),
            maximum,
            consumed: c.consumed.excl_vat,
            amount,
        });
    }
    Ok(())
}

/// The check at submission: the order's needs at the ceilings of its pinned version, over the
/// contract's duration, must fit in what remains of the maximum.
pub fn check_submission(
    framework: &FrameworkAgreement,
    orders: &[Order],
    order: &Order,
) -> Result<(), DomainError> {
    let terms = framework.pinned(order.framework_version)?;
    let estimate = order.needs.amount_at_ceilings(terms)?;
    check_maximum(framework, orders, order, estimate.excl_vat)
}

#[cfg(test)]
mod tests;
