//! What a commune needs: lines of the framework's price schedule with quantities, sites,
//! dates and budget, checked against the schedule.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalogue::FrameworkTerms;
use crate::error::ErrorCode;
use crate::money::{Amount, Cents};
use crate::DomainError;

/// One need: a line of the price schedule and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedLine {
    /// Code of the framework's price line.
    pub price_line_code: String,
    /// Quantity needed (> 0), read exactly (a JSON string or integer, never a float).
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[schema(value_type = String, example = "9")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// Precision from the commune.
    #[serde(default)]
    pub note: String,
}

/// What the commune needs, in its own words and in price-schedule lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderNeeds {
    /// Free description of the need.
    pub description: String,
    /// Quantities per price line.
    pub lines: Vec<NeedLine>,
    /// Sites concerned (buildings, streets…).
    #[serde(default)]
    pub sites: Vec<String>,
    /// Desired start.
    #[serde(default)]
    pub desired_start: Option<NaiveDate>,
    /// Desired go-live.
    #[serde(default)]
    pub desired_go_live: Option<NaiveDate>,
    /// Budget including VAT, if the commune gives one: a commune budgets VAT included (it
    /// mostly cannot recover it), so budget and decisions are read TVAC while offers are
    /// compared HTVA (issue 11 rule 9; law-review L23). Informative: no rule compares it.
    #[serde(default)]
    pub budget: Option<Cents>,
}

/// One line of the need as every invited provider receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TenderLine {
    /// Code of the framework's price line.
    pub price_line_code: String,
    /// Quantity needed.
    #[schema(value_type = String, example = "9")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// Precision from the commune.
    #[serde(default)]
    pub note: String,
}

/// What every provider invited to a mini-competition receives of the commune's needs: the
/// same information for each (Dir. 2014/24 art. 33(5)(a)), chosen field by field. The
/// commune's budget is not part of it: a bidder who knows the ceiling prices up to it.
///
/// No `deny_unknown_fields`: invitations stored by earlier versions carried the whole
/// `OrderNeeds`, budget included; they still read, and the budget is dropped on reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TenderNeeds {
    /// Free description of the need.
    pub description: String,
    /// Quantities per price line.
    pub lines: Vec<TenderLine>,
    /// Sites concerned.
    #[serde(default)]
    pub sites: Vec<String>,
    /// Desired start.
    #[serde(default)]
    pub desired_start: Option<NaiveDate>,
    /// Desired go-live.
    #[serde(default)]
    pub desired_go_live: Option<NaiveDate>,
}

impl OrderNeeds {
    /// What the invited providers receive of these needs. Every field of `OrderNeeds` is
    /// named here, so a new one does not compile until someone decides whether bidders may
    /// see it.
    pub fn for_tenderers(&self) -> TenderNeeds {
        let OrderNeeds {
            description,
            lines,
            sites,
            desired_start,
            desired_go_live,
            budget: _,
        } = self;
        TenderNeeds {
            description: description.clone(),
            lines: lines
                .iter()
                .map(|l| {
                    let NeedLine {
                        price_line_code,
                        quantity,
                        note,
                    } = l;
                    TenderLine {
                        price_line_code: price_line_code.clone(),
                        quantity: *quantity,
                        note: note.clone(),
                    }
                })
                .collect(),
            sites: sites.clone(),
            desired_start: *desired_start,
            desired_go_live: *desired_go_live,
        }
    }
    /// Checks the needs against the framework's price schedule.
    pub fn validate(&self, terms: &FrameworkTerms) -> Result<(), DomainError> {
        if self.description.trim().is_empty() {
            return Err(DomainError::field(
                ErrorCode::NeedsDescriptionMissing,
                "needs.description",
            ));
        }
        if self.description.chars().count() > crate::limits::ORDER_DESCRIPTION_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::NeedsDescriptionTooLong,
                "needs.description",
            )
            .with("max_chars", crate::limits::ORDER_DESCRIPTION_MAX_CHARS));
        }
        if self.lines.is_empty() {
            return Err(DomainError::field(
                ErrorCode::NeedsLinesMissing,
                "needs.lines",
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, line) in self.lines.iter().enumerate() {
            let field = format!("needs.lines[{i}]");
            let schedule = terms.price_line(&line.price_line_code).ok_or_else(|| {
                DomainError::field(
                    ErrorCode::PriceLineUnknown,
                    format!("{field}.price_line_code"),
                )
                .with("code", &line.price_line_code)
            })?;
            if !seen.insert(&line.price_line_code) {
                return Err(DomainError::field(
                    ErrorCode::NeedLineDuplicate,
                    format!("{field}.price_line_code"),
                )
                .with("line", &schedule.label_fr)
                .with("code", &schedule.code));
            }
            if line.quantity <= Decimal::ZERO
                || line.quantity > Decimal::from(crate::limits::QUANTITY_MAX)
            {
                return Err(DomainError::field(
                    ErrorCode::QuantityNotPositive,
                    format!("{field}.quantity"),
                )
                .with("line", &schedule.label_fr)
                .with("code", &schedule.code));
            }
        }
        if self.sites.len() > crate::limits::ORDER_SITES_MAX
            || self
                .sites
                .iter()
                .any(|s| s.chars().count() > crate::limits::ORDER_SITE_MAX_CHARS)
        {
            return Err(
                DomainError::field(ErrorCode::NeedsSitesInvalid, "needs.sites")
                    .with("max_sites", crate::limits::ORDER_SITES_MAX)
                    .with("max_chars", crate::limits::ORDER_SITE_MAX_CHARS),
            );
        }
        if let (Some(start), Some(live)) = (self.desired_start, self.desired_go_live) {
            if live < start {
                return Err(DomainError::field(
                    ErrorCode::GoLiveBeforeStart,
                    "needs.desired_go_live",
                )
                .with("start", start)
                .with("go_live", live));
            }
        }
        if let Some(budget) = self.budget {
            if budget.0 < 0 {
                return Err(DomainError::field(
                    ErrorCode::BudgetNegative,
                    "needs.budget",
                ));
            }
            if budget.0 > crate::limits::AMOUNT_MAX_CENTS {
                return Err(DomainError::field(ErrorCode::BudgetTooHigh, "needs.budget")
                    .with("max_cents", crate::limits::AMOUNT_MAX_CENTS));
            }
        }
        Ok(())
    }

    /// The needs priced at the framework's ceilings over the call-off's contract duration
    /// (recurring lines once per period: issue 11 rule 9): the amount of a direct award, and
    /// the most a competition can award.
    pub fn amount_at_ceilings(&self, terms: &FrameworkTerms) -> Result<Amount, DomainError> {
        self.lines
            .iter()
            .try_fold(Amount::default(), |total, line| {
                let schedule = terms.price_line(&line.price_line_code).ok_or_else(|| {
                    DomainError::field(ErrorCode::PriceLineUnknown, "needs.lines")
                        .with("code", &line.price_line_code)
                })?;
                let periods = schedule.recurrence.periods(terms.contract_months);
                let excl = crate::value::line_total(schedule.ceiling_cents, line.quantity, periods)
                    .ok_or_else(|| DomainError::field(ErrorCode::AmountTooLarge, "needs.lines"))?;
                Ok(total.plus(Amount::at_rate(excl, schedule.vat_rate)))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn needs_with_budget() -> OrderNeeds {
        OrderNeeds {
            description: "E-guichet".into(),
            lines: vec![NeedLine {
                price_line_code: "licence".into(),
                quantity: dec!(9),
                note: "9 000 habitants".into(),
            }],
            sites: vec!["Maison communale".into()],
            desired_start: NaiveDate::from_ymd_opt(2027, 2, 1),
            desired_go_live: NaiveDate::from_ymd_opt(2027, 4, 1),
            budget: Some(Cents(4_321_987)),
        }
    }

    /// Dir. 2014/24 art. 33(5)(a): the bidders receive the need, never the commune's budget.
    #[test]
    fn tenderers_receive_the_need_without_the_budget() {
        let tender = needs_with_budget().for_tenderers();
        assert_eq!(tender.lines[0].quantity, dec!(9));
        assert_eq!(tender.lines[0].note, "9 000 habitants");
        assert_eq!(tender.sites, vec!["Maison communale".to_string()]);
        assert_eq!(tender.desired_go_live, NaiveDate::from_ymd_opt(2027, 4, 1));
        let json = serde_json::to_string(&tender).unwrap();
        assert!(
            !json.contains("budget") && !json.contains("4321987"),
            "{json}"
        );
    }

    /// An invitation stored by an earlier version carried the whole needs, budget included:
    /// it still reads, without the budget.
    #[test]
    fn old_needs_with_a_budget_still_read_as_tender_needs() {
        let old = serde_json::to_value(needs_with_budget()).unwrap();
        assert_eq!(old["budget"], 4_321_987);
        let read: TenderNeeds = serde_json::from_value(old).unwrap();
        assert_eq!(read, needs_with_budget().for_tenderers());
    }
}
