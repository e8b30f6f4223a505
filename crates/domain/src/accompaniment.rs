//! The intercommunale's own accompaniment services, charged to its communes (issue 16 §2):
//! project set-up, configuration, training, data migration, communication to citizens — a
//! priced list (packages and day rates) the centrale publishes, ordered by a commune with one
//! of its call-offs or alone, planned beside the provider's milestones, delivered, and
//! invoiced.
//!
//! **Legal basis: the in-house relation**, not a competition. The intercommunale is owned and
//! jointly controlled by its member communes and does its essential activity for them; a
//! contract between them falls outside the public procurement rules (Dir. 2014/24 art. 12(3);
//! law of 17 June 2016 art. 30 §3, joint in-house control [verify: article read in its
//! directive form only]; CJEU C-107/98 Teckal, C-324/07 Coditel Brabant). So none of the
//! mini-competition's rules apply here: no invitations, no offers, no ranking. What remains is
//! the commune's own decision to spend (its organ, with the directeur financier's opinion above
//! 22 000 € TVAC, CDLD L1124-40 §1 3°), the list's prices, and a due date within thirty days
//! of the invoice (Dir. 2011/7 art. 4(3) on payment periods of public authorities).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::decision::{DecidingAct, Decision};
use crate::error::ErrorCode;
use crate::limits::{self, check_max};
use crate::money::{Amount, Cents, VatRate};
use crate::DomainError;

/// The record id of the price list (one per centrale).
pub const PRICE_LIST_ID: Uuid = Uuid::from_u128(0x0190_f0aa_0000_7000_8000_0000_00ac_c001);

/// Days between an invoice and its due date (Dir. 2011/7 art. 4(3): thirty calendar days for
/// a public authority).
pub const PAYMENT_DAYS: u32 = 30;

/// The legal basis, as the screens and the invoice state it.
pub const LEGAL_BASIS_FR: &str = "Prestations de l'intercommunale à ses communes associées, hors marchés publics : relation « in house » (directive 2014/24/UE, art. 12, §3 ; loi du 17 juin 2016, art. 30, §3). Pas de mise en concurrence.";

/// How a service is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AccompanimentUnit {
    /// A package, at one price.
    Package,
    /// A day rate (half days allowed).
    Day,
}

impl AccompanimentUnit {
    /// As the price list says it, for one unit.
    pub fn label_fr(self) -> &'static str {
        match self {
            AccompanimentUnit::Package => "forfait",
            AccompanimentUnit::Day => "jour",
        }
    }
}

/// A service of the price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentService {
    /// Stable code, e.g. `formation`.
    pub code: String,
    /// Name in French.
    pub label_fr: String,
    /// What it includes.
    #[serde(default)]
    pub description_fr: String,
    /// Package or day rate.
    pub unit: AccompanimentUnit,
    /// Price of one unit, excluding VAT.
    pub price_cents: Cents,
    /// VAT rate.
    pub vat_rate: VatRate,
}

/// One version of the price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PriceListVersion {
    /// 1, 2, … in publication order.
    pub version: u32,
    /// When it was published (server time).
    pub published_at: DateTime<Utc>,
    /// What changed, in French.
    pub note: String,
    /// The services.
    pub services: Vec<AccompanimentService>,
}

/// The centrale's price list of accompaniment services, with every version (an order keeps
/// the prices of the version it was made under).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentPriceList {
    /// Every version, oldest first; the last is in force.
    pub versions: Vec<PriceListVersion>,
}

impl AccompanimentPriceList {
    /// The version in force.
    pub fn current(&self) -> Option<&PriceListVersion> {
        self.versions.last()
    }

    /// Publishes `services` as the next version, dated `now`.
    pub fn publish(
        &mut self,
        services: Vec<AccompanimentService>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<u32, DomainError> {
        crate::catalogue::check_change_note(note)?;
        validate_services(&services)?;
        let version = self.versions.last().map_or(1, |v| v.version + 1);
        self.versions.push(PriceListVersion {
            version,
            published_at: now,
            note: note.trim().to_string(),
            services,
        });
        Ok(version)
    }
}

fn validate_services(services: &[AccompanimentService]) -> Result<(), DomainError> {
    if services.is_empty() {
        return Err(DomainError::field(
            ErrorCode::AccompanimentListEmpty,
            "services",
        ));
    }
    let mut codes = BTreeSet::new();
    for (i, s) in services.iter().enumerate() {
        let at = |f: &str| format!("services[{i}].{f}");
        let code_ok = !s.code.is_empty()
            && s.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !code_ok {
            return Err(DomainError::field(
                ErrorCode::AccompanimentCodeInvalid,
                at("code"),
            ));
        }
        check_max(at("code"), &s.code, limits::PRICE_LINE_CODE_MAX_CHARS)?;
        if !codes.insert(s.code.as_str()) {
            return Err(
                DomainError::field(ErrorCode::AccompanimentCodeDuplicate, at("code"))
                    .with("code", &s.code),
            );
        }
        if s.label_fr.trim().is_empty() {
            return Err(DomainError::field(ErrorCode::TextRequired, at("label_fr"))
                .with("max_chars", limits::PRICE_LINE_LABEL_MAX_CHARS));
        }
        check_max(
            at("label_fr"),
            &s.label_fr,
            limits::PRICE_LINE_LABEL_MAX_CHARS,
        )?;
        check_max(
            at("description_fr"),
            &s.description_fr,
            limits::INTEROPERABILITY_TEXT_MAX_CHARS,
        )?;
        if s.price_cents.0 <= 0 || s.price_cents.0 > limits::AMOUNT_MAX_CENTS {
            return Err(DomainError::field(
                ErrorCode::AccompanimentPriceInvalid,
                at("price_cents"),
            )
            .with("code", &s.code));
        }
        s.vat_rate.validate(&at("vat_rate"))?;
    }
    Ok(())
}

/// A line of an accompaniment order, at the list's price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentLine {
    /// The service's code.
    pub code: String,
    /// Its name, as on the list when ordered.
    pub label_fr: String,
    /// Package or day rate.
    pub unit: AccompanimentUnit,
    /// Quantity (packages: whole; days: halves allowed).
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// The list's unit price excluding VAT.
    pub unit_price_cents: Cents,
    /// VAT rate.
    pub vat_rate: VatRate,
    /// Quantity × price, with VAT.
    pub amount: Amount,
    /// When the intercommunale plans to deliver it.
    #[serde(default)]
    pub planned_on: Option<NaiveDate>,
    /// When it was delivered.
    #[serde(default)]
    pub delivered_on: Option<NaiveDate>,
}

/// Where an accompaniment order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AccompanimentStatus {
    /// Ordered by the commune; the intercommunale has not planned it yet.
    Requested,
    /// Every line has a planned date.
    Planned,
    /// Every line is delivered; the invoice follows.
    Delivered,
    /// Invoiced to the commune.
    Invoiced,
    /// Cancelled by the commune before it was planned.
    Cancelled,
}

/// The invoice of an accompaniment order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentInvoice {
    /// `ACC-2026-0001`: numbered without gaps per calendar year of issue.
    pub number: String,
    /// When it was issued (server time).
    pub issued_at: DateTime<Utc>,
    /// Its date (Brussels).
    pub date: NaiveDate,
    /// Payment due by (the date plus [`PAYMENT_DAYS`]).
    pub due_date: NaiveDate,
    /// Who issued it.
    pub issued_by: String,
}

/// A commune's order of accompaniment services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentOrder {
    /// Record id.
    pub id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// What it is for, in the commune's words.
    pub title: String,
    /// The call-off it accompanies (none: ordered alone).
    #[serde(default)]
    pub call_off_id: Option<Uuid>,
    /// The price list's version.
    pub price_list_version: u32,
    /// The lines.
    pub lines: Vec<AccompanimentLine>,
    /// Their total.
    pub total: Amount,
    /// The commune's decision to order.
    pub decision: Decision,
    /// Who ordered.
    pub ordered_by: String,
    /// When (server time once accepted).
    pub ordered_at: DateTime<Utc>,
    /// Where it stands.
    pub status: AccompanimentStatus,
    /// The invoice, once issued.
    #[serde(default)]
    pub invoice: Option<AccompanimentInvoice>,
    /// Why the commune cancelled it.
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

/// A line asked: a service's code and a quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccompanimentRequestLine {
    /// The service's code on the list in force.
    pub code: String,
    /// How many packages or days.
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[schema(value_type = String, example = "2")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
}

/// What a commune asks for: its lines priced from the list in force, checked.
pub fn price_lines(
    list: &PriceListVersion,
    asked: &[AccompanimentRequestLine],
) -> Result<(Vec<AccompanimentLine>, Amount), DomainError> {
    if asked.is_empty() {
        return Err(DomainError::field(
            ErrorCode::AccompanimentLinesMissing,
            "lines",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut lines = Vec::with_capacity(asked.len());
    let mut total = Amount::at_rate(Cents::ZERO, VatRate::standard());
    for (i, a) in asked.iter().enumerate() {
        let field = format!("lines[{i}]");
        let service = list
            .services
            .iter()
            .find(|s| s.code == a.code)
            .ok_or_else(|| {
                DomainError::field(ErrorCode::AccompanimentServiceUnknown, &field)
                    .with("code", &a.code)
            })?;
        if !seen.insert(a.code.as_str()) {
            return Err(
                DomainError::field(ErrorCode::AccompanimentCodeDuplicate, &field)
                    .with("code", &a.code),
            );
        }
        // A package is whole; a day may be halved.
        let step = match service.unit {
            AccompanimentUnit::Package => Decimal::ONE,
            AccompanimentUnit::Day => Decimal::new(5, 1),
        };
        let max = Decimal::from(limits::ACCOMPANIMENT_QUANTITY_MAX);
        if a.quantity <= Decimal::ZERO || a.quantity > max || !(a.quantity % step).is_zero() {
            return Err(DomainError::field(
                ErrorCode::AccompanimentQuantityInvalid,
                format!("{field}.quantity"),
            )
            .with("unit", service.unit.label_fr())
            .with("max", limits::ACCOMPANIMENT_QUANTITY_MAX));
        }
        let excl = service.price_cents.times(a.quantity).ok_or_else(|| {
            DomainError::field(
                ErrorCode::AccompanimentQuantityInvalid,
                format!("{field}.quantity"),
            )
            .with("unit", service.unit.label_fr())
            .with("max", limits::ACCOMPANIMENT_QUANTITY_MAX)
        })?;
        let amount = Amount::at_rate(excl, service.vat_rate);
        total = total.plus(amount);
        lines.push(AccompanimentLine {
            code: service.code.clone(),
            label_fr: service.label_fr.clone(),
            unit: service.unit,
            quantity: a.quantity.normalize(),
            unit_price_cents: service.price_cents,
            vat_rate: service.vat_rate,
            amount,
            planned_on: None,
            delivered_on: None,
        });
    }
    Ok((lines, total))
}

/// What ordering reads.
#[derive(Debug, Clone, Copy)]
pub struct NewOrder<'a> {
    /// The new record's id.
    pub id: Uuid,
    /// The commune.
    pub commune_nis: &'a str,
    /// The title.
    pub title: &'a str,
    /// The call-off it accompanies, when one: its commune (to check it is the same).
    pub call_off: Option<(Uuid, &'a str)>,
    /// The price list in force.
    pub list: Option<&'a PriceListVersion>,
    /// The lines asked.
    pub lines: &'a [AccompanimentRequestLine],
    /// The commune's decision.
    pub decision: &'a Decision,
    /// Who orders.
    pub ordered_by: &'a str,
}

/// A commune orders accompaniment services at the list's prices, by its decision (the conseil
/// or the collège; the directeur financier's opinion above 22 000 € TVAC).
pub fn order(input: NewOrder<'_>, now: DateTime<Utc>) -> Result<AccompanimentOrder, DomainError> {
    let today = crate::time::brussels_today(now);
    let title = input.title.trim();
    if title.is_empty() {
        return Err(DomainError::field(ErrorCode::TextRequired, "title")
            .with("max_chars", limits::ORDER_TITLE_MAX_CHARS));
    }
    check_max("title", title, limits::ORDER_TITLE_MAX_CHARS)?;
    if let Some((_, commune)) = input.call_off {
        if commune != input.commune_nis {
            return Err(DomainError::field(
                ErrorCode::AccompanimentCallOffOtherCommune,
                "call_off_id",
            ));
        }
    }
    let list = input
        .list
        .ok_or_else(|| DomainError::field(ErrorCode::AccompanimentListEmpty, "lines"))?;
    let (lines, total) = price_lines(list, input.lines)?;
    input.decision.check_for(
        DecidingAct::CommuneDecision,
        total.incl_vat,
        today,
        "decision",
    )?;
    Ok(AccompanimentOrder {
        id: input.id,
        commune_nis: input.commune_nis.to_string(),
        title: title.to_string(),
        call_off_id: input.call_off.map(|(id, _)| id),
        price_list_version: list.version,
        lines,
        total,
        decision: input.decision.clone(),
        ordered_by: input.ordered_by.to_string(),
        ordered_at: now,
        status: AccompanimentStatus::Requested,
        invoice: None,
        cancel_reason: None,
    })
}

/// A planned date for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedLine {
    /// The line's code.
    pub code: String,
    /// The day planned.
    pub planned_on: NaiveDate,
}

impl AccompanimentOrder {
    fn line_mut(&mut self, code: &str, field: &str) -> Result<&mut AccompanimentLine, DomainError> {
        self.lines
            .iter_mut()
            .find(|l| l.code == code)
            .ok_or_else(|| {
                DomainError::field(ErrorCode::AccompanimentServiceUnknown, field).with("code", code)
            })
    }

    fn refuse_unless(&self, allowed: &[AccompanimentStatus]) -> Result<(), DomainError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(DomainError::rule(ErrorCode::AccompanimentWrongStatus)
                .with("status", self.status.as_str()))
        }
    }

    /// The intercommunale plans every line not yet delivered (a date on or after the order's
    /// day, Brussels); once all lines have a date the order is planned. Planning again moves
    /// the dates.
    pub fn plan(&mut self, dates: &[PlannedLine]) -> Result<(), DomainError> {
        self.refuse_unless(&[AccompanimentStatus::Requested, AccompanimentStatus::Planned])?;
        let ordered = crate::time::brussels_today(self.ordered_at);
        for (i, d) in dates.iter().enumerate() {
            let field = format!("dates[{i}]");
            if d.planned_on < ordered {
                return Err(DomainError::field(
                    ErrorCode::AccompanimentPlannedBeforeOrder,
                    format!("{field}.planned_on"),
                )
                .with("date", d.planned_on)
                .with("ordered", ordered));
            }
            let line = self.line_mut(&d.code, &field)?;
            if line.delivered_on.is_none() {
                line.planned_on = Some(d.planned_on);
            }
        }
        if self.lines.iter().all(|l| l.planned_on.is_some()) {
            self.status = AccompanimentStatus::Planned;
        }
        Ok(())
    }

    /// The intercommunale records a line delivered (a day on or before `today`, not before the
    /// order); once every line is delivered the order is delivered.
    pub fn record_delivery(
        &mut self,
        code: &str,
        delivered_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        self.refuse_unless(&[AccompanimentStatus::Planned])?;
        let ordered = crate::time::brussels_today(self.ordered_at);
        if delivered_on > today || delivered_on < ordered {
            return Err(
                DomainError::field(ErrorCode::AccompanimentDeliveryDate, "delivered_on")
                    .with("date", delivered_on)
                    .with("ordered", ordered)
                    .with("today", today),
            );
        }
        self.line_mut(code, "code")?.delivered_on = Some(delivered_on);
        if self.lines.iter().all(|l| l.delivered_on.is_some()) {
            self.status = AccompanimentStatus::Delivered;
        }
        Ok(())
    }

    /// The commune cancels an order the intercommunale has not planned yet.
    pub fn cancel(&mut self, reason: &str) -> Result<(), DomainError> {
        self.refuse_unless(&[AccompanimentStatus::Requested])?;
        let length = limits::chars(reason);
        if !(limits::CLOSE_REASON_MIN_CHARS..=limits::CLOSE_REASON_MAX_CHARS).contains(&length) {
            return Err(DomainError::field(ErrorCode::ReasonLengthInvalid, "reason")
                .with("min_chars", limits::CLOSE_REASON_MIN_CHARS)
                .with("max_chars", limits::CLOSE_REASON_MAX_CHARS));
        }
        self.status = AccompanimentStatus::Cancelled;
        self.cancel_reason = Some(reason.trim().to_string());
        Ok(())
    }

    /// The intercommunale invoices a delivered order: the next number of the year of issue
    /// among `others` (every accompaniment order), due thirty days later.
    pub fn invoice(
        &mut self,
        others: &[AccompanimentOrder],
        issued_by: &str,
        now: DateTime<Utc>,
    ) -> Result<&AccompanimentInvoice, DomainError> {
        self.refuse_unless(&[AccompanimentStatus::Delivered])?;
        let date = crate::time::brussels_today(now);
        let number = next_invoice_number(others, date.year());
        let due_date = date
            .checked_add_days(chrono::Days::new(u64::from(PAYMENT_DAYS)))
            .unwrap_or(date);
        self.status = AccompanimentStatus::Invoiced;
        Ok(self.invoice.insert(AccompanimentInvoice {
            number,
            issued_at: now,
            date,
            due_date,
            issued_by: issued_by.to_string(),
        }))
    }
}

impl AccompanimentStatus {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccompanimentStatus::Requested => "requested",
            AccompanimentStatus::Planned => "planned",
            AccompanimentStatus::Delivered => "delivered",
            AccompanimentStatus::Invoiced => "invoiced",
            AccompanimentStatus::Cancelled => "cancelled",
        }
    }
}

/// `ACC-<year>-<n>`: one more than the highest number already issued that year (no gap, no
/// repeat: the server issues under its write lock).
pub fn next_invoice_number(orders: &[AccompanimentOrder], year: i32) -> String {
    let prefix = format!("ACC-{year}-");
    let last = orders
        .iter()
        .filter_map(|o| o.invoice.as_ref())
        .filter_map(|i| i.number.strip_prefix(&prefix))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:04}", last + 1)
}

#[cfg(test)]
mod tests;
