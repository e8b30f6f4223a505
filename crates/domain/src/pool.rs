//! Pooled call-offs (issue 16 §4): several communes with the same need join one call-off the
//! centrale launches under a framework — one competition, one analysis, each commune's own
//! quantities, decision and purchase order, the prices offered for the pooled volume.
//!
//! The legal shape chosen (ARCHITECTURE.md, « Marchés groupés »): the intercommunale, as the
//! central purchasing body the communes joined, conducts the reopening of competition in their
//! name and on their behalf (law of 17 June 2016 art. 2 6°–7° and art. 47 §2; Dir. 2014/24
//! art. 37(1) and recital 69), the procedure being common to the communes that join (law of
//! 17 June 2016 art. 48: a joint procurement, each commune answerable for the acts it does
//! itself [verify: art. 48 §2 was read in the directive's version, art. 38(1)]). What stays each
//! commune's own is what commits its money: the decision to join (its launch decision, with its
//! budget article), the award decision of its collège on the common analysis, its purchase
//! order and its acceptances.
//!
//! The engine of an ordinary call-off does the rest: each commune's participation is its own
//! [`Order`] carrying `pool_id`. Launching the pool launches every member's order at once, with
//! one deadline and the same providers; a provider answers with one set of unit prices for the
//! pooled volume (`decide::offer::submit_pooled`), priced on each commune's quantities; the
//! offers open together at the deadline; the centrale scores once on the pooled totals and the
//! same ranking is written into each member's order (`decide::pool::evaluate`).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::{FrameworkAgreement, Service};
use crate::error::ErrorCode;
use crate::limits;
use crate::needs::{NeedLine, OrderNeeds};
use crate::order::{ConflictDeclaration, Order, OrderStatus};
use crate::DomainError;

/// A commune in a pooled call-off, through its own order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolMember {
    /// The commune.
    pub commune_nis: String,
    /// Its order (its quantities, its decisions).
    pub order_id: Uuid,
    /// When its order was sent into the pool (server time).
    pub joined_at: DateTime<Utc>,
    /// Who sent it.
    pub joined_by: String,
    /// When it left (its order cancelled or withdrawn), if it did.
    #[serde(default)]
    pub left_at: Option<DateTime<Utc>>,
}

/// The pool's one competition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolCompetition {
    /// When the invitations were sent.
    pub launched_at: DateTime<Utc>,
    /// The deadline of every member's competition.
    pub deadline: DateTime<Utc>,
    /// Who launched it.
    pub launched_by: String,
}

/// The common analysis, once made (its ranking is on each member's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoolEvaluated {
    /// When (server time; the last evaluation, until the first commune decides).
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
}

/// A pooled call-off. Seen by every account: which communes joined a common procedure is not
/// secret (every invitation names its commune); the scores are on the members' orders only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PooledCallOff {
    /// Record id (client-generated).
    pub id: Uuid,
    /// The service.
    pub service_id: Uuid,
    /// Its framework.
    pub framework_id: Uuid,
    /// Title (e.g. « Capteurs de parking 2027 — achat groupé »).
    pub title: String,
    /// The common need, in the centrale's words (each commune adds its quantities and sites).
    pub description: String,
    /// The last day (Brussels) a commune may join; launching the competition closes joining
    /// earlier.
    pub join_until: NaiveDate,
    /// Who opened it.
    pub created_by: String,
    /// When (server time).
    pub created_at: DateTime<Utc>,
    /// The communes that joined, in the order they did (those who left stay, with `left_at`).
    #[serde(default)]
    pub members: Vec<PoolMember>,
    /// The competition, once launched.
    #[serde(default)]
    pub competition: Option<PoolCompetition>,
    /// The declarations of absence of conflict of interest of the centrale's evaluators (law
    /// of 17 June 2016 art. 6).
    #[serde(default)]
    pub conflict_declarations: Vec<ConflictDeclaration>,
    /// The common analysis, once made.
    #[serde(default)]
    pub evaluated: Option<PoolEvaluated>,
}

/// What the centrale writes to open a pooled call-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PoolDraft {
    /// The service.
    pub service_id: Uuid,
    /// Title.
    pub title: String,
    /// The common need.
    pub description: String,
    /// The last day to join.
    pub join_until: NaiveDate,
}

/// The centrale's points on one quality criterion for one provider's pooled offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct PoolScore {
    /// The provider.
    pub provider_id: Uuid,
    /// The criterion's code.
    pub criterion_code: String,
    /// From 0 to the criterion's weight, read exactly (a JSON string or integer).
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[schema(value_type = String, example = "25.5")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub points: Decimal,
    /// Why these points.
    pub justification: String,
}

/// Where a pooled call-off stands (read from the pool and its members' orders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PoolPhase {
    /// Communes may join.
    Joining,
    /// The joining date passed; the centrale has not launched yet.
    JoiningClosed,
    /// Offers sealed until the deadline.
    CompetitionOpen,
    /// Offers opened; the centrale's analysis is awaited.
    OffersOpened,
    /// Analysed: each commune decides.
    Evaluated,
}

impl PoolPhase {
    /// French words.
    pub fn label_fr(self) -> &'static str {
        match self {
            PoolPhase::Joining => "ouvert aux communes",
            PoolPhase::JoiningClosed => "adhésions closes, lancement attendu",
            PoolPhase::CompetitionOpen => "remise en concurrence en cours",
            PoolPhase::OffersOpened => "offres ouvertes, analyse attendue",
            PoolPhase::Evaluated => "offres analysées, décisions des communes",
        }
    }
}

fn check_text(
    field: &str,
    text: &str,
    min: usize,
    max: usize,
    code: ErrorCode,
) -> Result<(), DomainError> {
    let len = limits::chars(text.trim());
    if !(min..=max).contains(&len) {
        return Err(DomainError::field(code, field)
            .with("min_chars", min)
            .with("max_chars", max));
    }
    Ok(())
}

/// Opens a pooled call-off on `service` under its framework: the framework in force, allowing
/// a reopening of competition (a pool exists to compare offers on a volume: a framework
/// awarded without competition has nothing to pool), the joining date from today to the
/// framework's last day.
pub fn create(
    id: Uuid,
    draft: &PoolDraft,
    service: &Service,
    framework: &FrameworkAgreement,
    by: &str,
    now: DateTime<Utc>,
) -> Result<PooledCallOff, DomainError> {
    let today = crate::time::brussels_today(now);
    check_text(
        "title",
        &draft.title,
        limits::POOL_TITLE_MIN_CHARS,
        limits::POOL_TITLE_MAX_CHARS,
        ErrorCode::PoolTitleLength,
    )?;
    check_text(
        "description",
        &draft.description,
        limits::POOL_DESCRIPTION_MIN_CHARS,
        limits::POOL_DESCRIPTION_MAX_CHARS,
        ErrorCode::PoolDescriptionLength,
    )?;
    if framework.service_id != service.id {
        return Err(DomainError::NotFound);
    }
    if !framework.call_off_method.allows_mini_competition() {
        return Err(DomainError::CallOffMethodNotAllowed(
            crate::error::CallOffAsked::Competition,
        ));
    }
    let in_force = framework.check_in_force(today)?;
    if draft.join_until < today || draft.join_until > in_force.end_date {
        return Err(
            DomainError::field(ErrorCode::PoolJoinUntilInvalid, "join_until")
                .with("today", today)
                .with("end", in_force.end_date),
        );
    }
    Ok(PooledCallOff {
        id,
        service_id: service.id,
        framework_id: framework.id,
        title: draft.title.trim().to_string(),
        description: draft.description.trim().to_string(),
        join_until: draft.join_until,
        created_by: by.to_string(),
        created_at: now,
        members: Vec::new(),
        competition: None,
        conflict_declarations: Vec::new(),
        evaluated: None,
    })
}

impl PooledCallOff {
    /// The members still in (their order neither cancelled nor withdrawn).
    pub fn active_members(&self) -> impl Iterator<Item = &PoolMember> {
        self.members.iter().filter(|m| m.left_at.is_none())
    }

    /// Whether `order_id` is a member still in.
    pub fn has_active(&self, order_id: Uuid) -> bool {
        self.active_members().any(|m| m.order_id == order_id)
    }

    /// Communes may still join on `today`: not launched, the joining date not passed.
    pub fn is_joinable(&self, today: NaiveDate) -> bool {
        self.competition.is_none() && today <= self.join_until
    }

    /// Where it stands, from its members' orders (`orders` may hold others: they are skipped).
    pub fn phase(&self, orders: &[Order], today: NaiveDate) -> PoolPhase {
        if self.competition.is_none() {
            return if today <= self.join_until {
                PoolPhase::Joining
            } else {
                PoolPhase::JoiningClosed
            };
        }
        if self.evaluated.is_some() {
            return PoolPhase::Evaluated;
        }
        let opened = self
            .member_orders(orders)
            .any(|o| o.opened_at.is_some() && o.status != OrderStatus::CompetitionOpen);
        if opened {
            PoolPhase::OffersOpened
        } else {
            PoolPhase::CompetitionOpen
        }
    }

    /// The orders of the members still in, among `orders`.
    pub fn member_orders<'a>(&'a self, orders: &'a [Order]) -> impl Iterator<Item = &'a Order> {
        orders
            .iter()
            .filter(move |o| o.pool_id == Some(self.id) && self.has_active(o.id))
    }

    /// A commune's order enters the pool as it is sent (`order.submit`): the order is of this
    /// pool and its service, the pool still open to joining, the commune not in it already by
    /// another order.
    pub fn join(&mut self, order: &Order, by: &str, now: DateTime<Utc>) -> Result<(), DomainError> {
        self.check_joinable_by(order, crate::time::brussels_today(now))?;
        self.members.push(PoolMember {
            commune_nis: order.commune_nis.clone(),
            order_id: order.id,
            joined_at: now,
            joined_by: by.to_string(),
            left_at: None,
        });
        Ok(())
    }

    /// Whether `order` may enter the pool on `today` (see `join`); also asked when the draft
    /// is written, so that a commune learns it before preparing its decision.
    pub fn check_joinable_by(&self, order: &Order, today: NaiveDate) -> Result<(), DomainError> {
        if order.pool_id != Some(self.id) || order.service_id != self.service_id {
            return Err(DomainError::rule(ErrorCode::PoolServiceMismatch));
        }
        if !self.is_joinable(today) {
            return Err(DomainError::rule(ErrorCode::PoolClosed).with("date", self.join_until));
        }
        if self
            .active_members()
            .any(|m| m.commune_nis == order.commune_nis && m.order_id != order.id)
        {
            return Err(DomainError::rule(ErrorCode::PoolAlreadyMember));
        }
        Ok(())
    }

    /// A member leaves: its order was cancelled (before the competition) or withdrawn (after,
    /// before its own award). Nothing to do for an order not in.
    pub fn leave(&mut self, order_id: Uuid, now: DateTime<Utc>) -> bool {
        match self
            .members
            .iter_mut()
            .find(|m| m.order_id == order_id && m.left_at.is_none())
        {
            Some(m) => {
                m.left_at = Some(now);
                true
            }
            None => false,
        }
    }

    /// The pooled volume: each price line's quantities summed over the members still in,
    /// in the framework's schedule order of first appearance; the description is the pool's.
    pub fn pooled_needs(&self, orders: &[Order]) -> OrderNeeds {
        let mut order_of_lines: Vec<String> = Vec::new();
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        for order in self.member_orders(orders) {
            for line in &order.needs.lines {
                if !sums.contains_key(&line.price_line_code) {
                    order_of_lines.push(line.price_line_code.clone());
                }
                *sums.entry(line.price_line_code.clone()).or_default() += line.quantity;
            }
        }
        OrderNeeds {
            description: self.description.clone(),
            lines: order_of_lines
                .into_iter()
                .map(|code| NeedLine {
                    quantity: sums[&code],
                    price_line_code: code,
                    note: String::new(),
                })
                .collect(),
            sites: Vec::new(),
            desired_start: None,
            desired_go_live: None,
            budget: None,
        }
    }

    /// Whether the acting account declared no conflict of interest on the pool.
    pub fn has_declared_no_conflict(&self, user_id: &str) -> bool {
        self.conflict_declarations
            .iter()
            .any(|d| d.user_id == user_id)
    }
}

/// The unit prices of a pooled offer that one commune's share is priced on: the lines its own
/// needs ask for (communes of one pool may need different lines of the schedule).
pub fn share_lines(
    needs: &crate::needs::TenderNeeds,
    lines: &[crate::offer::OfferLineInput],
) -> Vec<crate::offer::OfferLineInput> {
    lines
        .iter()
        .filter(|l| {
            needs
                .lines
                .iter()
                .any(|n| n.price_line_code == l.price_line_code)
        })
        .cloned()
        .collect()
}

/// The id of a provider's offer on one member's order: derived from the id of its pooled
/// offer, so that a replacement keeps every member's offer id (the first 16 bytes of SHA-256
/// over both ids, marked as a version-8 UUID, RFC 9562 §5.8).
pub fn member_offer_id(pooled_offer_id: Uuid, order_id: Uuid) -> Uuid {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(pooled_offer_id.as_bytes());
    hasher.update(order_id.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
#[path = "pool/tests.rs"]
mod tests;
