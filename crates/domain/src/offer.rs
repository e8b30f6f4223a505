//! Invitations and sealed offers: lines priced against the commune's needs, under the ceilings,
//! before the deadline.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::{FrameworkDocument, FrameworkTerms};
use crate::error::ErrorCode;
use crate::money::{Amount, Cents, VatRate};
use crate::needs::TenderNeeds;
use crate::{sha256_hex, DomainError};

pub use crate::time::format_brussels;

/// Refuses anything at or after the deadline (server time).
pub fn check_before_deadline(
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Result<(), DomainError> {
    if now < deadline {
        Ok(())
    } else {
        Err(DomainError::DeadlinePassed { deadline })
    }
}

/// Where an invitation stands, as the provider sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Sent, no offer yet.
    Sent,
    /// Former state, no longer written: before the deadline nobody but the author may learn
    /// whether an offer was submitted (Dir. 2014/24 art. 33(5)(c), Annex IV(b)); kept so that
    /// records stored by earlier versions still read.
    OfferSubmitted,
    /// The deadline has passed and offers are opened.
    Closed,
    /// The order was withdrawn or cancelled.
    Withdrawn,
}

/// A remedy open to a tenderer not chosen, against the award decision of a commune (an
/// administrative authority: the Conseil d'État). Time limits in calendar days from the
/// notification, the day after it being the first: law of 17 June 2013 art. 15 (suspension,
/// in extreme urgency only) and art. 23 (15 days; CE n° 259.526 of 17 April 2024); art. 14
/// (annulment, 60 days, as award notices citing the law of 17 June 2013 state it) [verify:
/// the article fixing the 60 days (coordinated laws on the Conseil d'État art. 14, Regent's
/// decree of 23 August 1948 art. 4) was not read; below the EU thresholds (Title 3, art. 24
/// ff.) art. 31 refers back to art. 15, its own time-limit article was not read].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RemedyKind {
    /// Request for suspension in extreme urgency before the Conseil d'État.
    SuspensionExtremeUrgency,
    /// Action for annulment before the Conseil d'État.
    Annulment,
}

/// The remedies every tenderer not chosen is told of, in this order.
pub const REMEDIES: [RemedyKind; 2] = [RemedyKind::SuspensionExtremeUrgency, RemedyKind::Annulment];

impl RemedyKind {
    /// The time limit, in calendar days from the notification.
    pub fn days(self) -> u32 {
        match self {
            RemedyKind::SuspensionExtremeUrgency => 15,
            RemedyKind::Annulment => 60,
        }
    }

    /// The remedy, in French.
    pub fn label_fr(self) -> &'static str {
        match self {
            RemedyKind::SuspensionExtremeUrgency => {
                "Demande de suspension en extrême urgence devant le Conseil d'État"
            }
            RemedyKind::Annulment => "Recours en annulation devant le Conseil d'État",
        }
    }
}

/// A remedy with its time limit, as notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Remedy {
    /// Which remedy.
    pub kind: RemedyKind,
    /// Its time limit in calendar days from the notification.
    pub days: u32,
    /// The last day, counted from the notification's day in Brussels (indicative: a limit
    /// ending on a Saturday, Sunday or public holiday moves to the next working day).
    pub until: NaiveDate,
}

/// The remedies and their last days for a notification at `notified_at`.
pub fn remedies(notified_at: DateTime<Utc>) -> Vec<Remedy> {
    let day = crate::time::brussels_today(notified_at);
    REMEDIES
        .iter()
        .map(|&kind| Remedy {
            kind,
            days: kind.days(),
            until: day
                .checked_add_days(Days::new(u64::from(kind.days())))
                .unwrap_or(day),
        })
        .collect()
}

/// How a running competition's withdrawal is told to an invited provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WithdrawalNotice {
    /// The commune's motivation.
    pub motivation: String,
    /// The decision that withdrew the competition.
    pub decision: Option<crate::adhesion::CollegeDecision>,
    /// When the provider was told (server time).
    pub notified_at: DateTime<Utc>,
}

/// The outcome notified to a tenderer after the award (law of 17 June 2013, motivation,
/// information and remedies; Dir. 2014/24 art. 55(2)): the winner learns it won; each other
/// tenderer learns the winner's name, its own scores and the winner's, the relative
/// advantages of the winning offer (the award's motivation) and the remedies with their time
/// limits — and nothing of any other offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InvitationOutcome {
    /// True for the winner.
    pub won: bool,
    /// This provider's rank.
    pub rank: u32,
    /// This provider's score per criterion.
    pub own_scores: Vec<crate::evaluation::CriterionScore>,
    /// This provider's weighted total.
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub own_total: Decimal,
    /// The award's justification.
    pub justification: String,
    /// When the award was decided.
    pub awarded_at: DateTime<Utc>,
    /// The recorded date of the notification (None on outcomes written before it was
    /// recorded).
    #[serde(default)]
    pub notified_at: Option<DateTime<Utc>>,
    /// The award decision (the collège's reference and date).
    #[serde(default)]
    pub decision: Option<crate::adhesion::CollegeDecision>,
    /// The winner's name (for a tenderer not chosen).
    #[serde(default)]
    pub winner_name: Option<String>,
    /// The winner's score per criterion (for a tenderer not chosen).
    #[serde(default)]
    pub winner_scores: Vec<crate::evaluation::CriterionScore>,
    /// The winner's weighted total (for a tenderer not chosen).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub winner_total: Option<Decimal>,
    /// The remedies open to a tenderer not chosen, with their time limits.
    #[serde(default)]
    pub remedies: Vec<Remedy>,
    /// For a tenderer whose offer was set aside before the ranking (rank 0, no scores of its
    /// own): the ground and the commune's motivation.
    #[serde(default)]
    pub set_aside: Option<SetAsideNotice>,
}

impl InvitationOutcome {
    /// What `provider_id` is told of `award`, if it tendered (an offer in the ranking):
    /// never another loser's data. `winner_name` is the winner's name as registered.
    pub fn for_tenderer(
        award: &crate::order::Award,
        ranking: &crate::evaluation::Ranking,
        provider_id: Uuid,
        winner_name: &str,
        notified_at: DateTime<Utc>,
    ) -> Option<InvitationOutcome> {
        let own = ranking
            .offers
            .iter()
            .find(|s| s.provider_id == provider_id)?;
        let won = provider_id == award.provider_id;
        let winner = ranking
            .offers
            .iter()
            .find(|s| s.provider_id == award.provider_id);
        Some(InvitationOutcome {
            won,
            rank: own.rank,
            own_scores: own.scores.clone(),
            own_total: own.total,
            justification: award.justification.clone(),
            awarded_at: award.awarded_at,
            notified_at: Some(notified_at),
            decision: Some(award.college_decision.clone()),
            winner_name: (!won).then(|| winner_name.to_string()),
            winner_scores: if won {
                Vec::new()
            } else {
                winner.map(|w| w.scores.clone()).unwrap_or_default()
            },
            winner_total: if won { None } else { winner.map(|w| w.total) },
            remedies: if won {
                Vec::new()
            } else {
                remedies(notified_at)
            },
            set_aside: None,
        })
    }

    /// What a tenderer whose offer was set aside is told of the award (issue 11 rule 13; law
    /// of 17 June 2013 and Dir. 2014/24 art. 55(2): every tenderer, the one set aside too):
    /// not ranked, why it was set aside, the winner's name and scores, the award's motivation
    /// and the remedies.
    pub fn for_set_aside(
        award: &crate::order::Award,
        ranking: &crate::evaluation::Ranking,
        record: &crate::order::SetAside,
        winner_name: &str,
        notified_at: DateTime<Utc>,
    ) -> InvitationOutcome {
        let winner = ranking
            .offers
            .iter()
            .find(|s| s.provider_id == award.provider_id);
        InvitationOutcome {
            won: false,
            rank: 0,
            own_scores: Vec::new(),
            own_total: Decimal::ZERO,
            justification: award.justification.clone(),
            awarded_at: award.awarded_at,
            notified_at: Some(notified_at),
            decision: Some(award.college_decision.clone()),
            winner_name: Some(winner_name.to_string()),
            winner_scores: winner.map(|w| w.scores.clone()).unwrap_or_default(),
            winner_total: winner.map(|w| w.total),
            remedies: remedies(notified_at),
            set_aside: Some(SetAsideNotice::of(record, notified_at)),
        }
    }
}

/// A written invitation to one provider for one order; every provider gets the same needs,
/// documents and deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Invitation {
    /// Record id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The provider invited.
    pub provider_id: Uuid,
    /// The commune ordering.
    pub commune_nis: String,
    /// The order's title.
    pub order_title: String,
    /// What every invited provider receives of the commune's needs (never its budget).
    pub needs: TenderNeeds,
    /// The framework's documents, as sent.
    pub documents: Vec<FrameworkDocument>,
    /// The framework version the order is made under.
    pub framework_version: u32,
    /// Deadline for offers.
    pub deadline: DateTime<Utc>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// Where it stands.
    pub status: InvitationStatus,
    /// Time of the provider's last offer, told only at the opening (before it, the commune and
    /// the centrale see the invitation, not whether or when it was answered).
    pub offer_submitted_at: Option<DateTime<Utc>>,
    /// The outcome, after the award.
    pub outcome: Option<InvitationOutcome>,
    /// The withdrawal of the competition, told to every invited provider.
    #[serde(default)]
    pub withdrawal: Option<WithdrawalNotice>,
    /// The deadline extensions, told to every invited provider (oldest first; `deadline` is
    /// the last one).
    #[serde(default)]
    pub extensions: Vec<crate::order::DeadlineExtension>,
    /// The questions answered during the competition, told to every invited provider without
    /// naming who asked.
    #[serde(default)]
    pub clarifications: Vec<crate::order::Clarification>,
    /// Its offer was set aside as irregular: why, when, and the remedies.
    #[serde(default)]
    pub set_aside: Option<SetAsideNotice>,
    /// The commune's requests to justify this provider's prices, with its answers (only this
    /// provider's invitation carries them).
    #[serde(default)]
    pub price_requests: Vec<crate::order::PriceJustificationRequest>,
    /// The pooled call-off of the order (issue 16 §4): the provider answers the pool's
    /// invitations with one offer (`decide::offer::submit_pooled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<Uuid>,
}

/// How a provider is told that its offer was set aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SetAsideNotice {
    /// Irregular or abnormally low (irregular on notices written before grounds were).
    #[serde(default)]
    pub ground: crate::order::SetAsideGround,
    /// The commune's motivation.
    pub motivation: String,
    /// When the provider was told.
    pub notified_at: DateTime<Utc>,
    /// The remedies with their time limits.
    pub remedies: Vec<Remedy>,
}

impl SetAsideNotice {
    /// The notice of `record`, at `now` (law of 17 June 2013: motivation and remedies).
    pub fn of(record: &crate::order::SetAside, now: DateTime<Utc>) -> SetAsideNotice {
        SetAsideNotice {
            ground: record.ground,
            motivation: record.motivation.clone(),
            notified_at: now,
            remedies: remedies(now),
        }
    }
}

impl Invitation {
    /// At the opening of the offers the invitation closes and, only then, tells whether and
    /// when its provider submitted. Submitting an offer never touches the invitation: the
    /// commune and the centrale see invitations, and before the deadline nobody but the author
    /// may learn whether (or when) an offer was submitted (Dir. 2014/24 art. 33(5)(c) and
    /// Annex IV(b); law of 17 June 2016 art. 43).
    pub fn close_at_opening(&mut self, own_offer: Option<&Offer>) {
        self.status = InvitationStatus::Closed;
        self.offer_submitted_at = own_offer.map(|o| o.submitted_at);
    }

    /// The competition was withdrawn: the provider is told, with the commune's motivation
    /// and decision (law of 29 July 1991 art. 2–3; law of 17 June 2016 art. 85).
    pub fn tell_withdrawal(&mut self, closure: &crate::order::Closure, now: DateTime<Utc>) {
        self.status = InvitationStatus::Withdrawn;
        self.withdrawal = Some(WithdrawalNotice {
            motivation: closure.reason.clone(),
            decision: closure.decision.clone(),
            notified_at: now,
        });
    }

    /// A request to justify its prices, new or updated (answered, accepted): the copy on the
    /// provider's invitation follows the order's.
    pub fn tell_price_request(&mut self, request: &crate::order::PriceJustificationRequest) {
        match self.price_requests.iter_mut().find(|r| r.id == request.id) {
            Some(r) => *r = request.clone(),
            None => self.price_requests.push(request.clone()),
        }
    }

    /// The competition's deadline was extended: the same new deadline for every invited
    /// provider, with the reason (Dir. 2014/24 art. 33(5)(b), art. 18(1)).
    pub fn tell_extension(&mut self, extension: &crate::order::DeadlineExtension) {
        self.deadline = extension.deadline;
        self.extensions.push(extension.clone());
    }
}

/// One priced line of an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferLine {
    /// The price line of the framework.
    pub price_line_code: String,
    /// Quantity (the commune's need).
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub quantity: Decimal,
    /// Offered unit price excluding VAT, at most the ceiling.
    pub unit_price_cents: Cents,
    /// VAT rate of the line.
    pub vat_rate: VatRate,
    /// Times the line is paid over the contract's duration (1 for a one-off line, and for
    /// offers stored before the rule).
    #[serde(default = "crate::value::one")]
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub periods: Decimal,
    /// Line amount: unit price × quantity × periods.
    pub amount: Amount,
}

/// What a provider types: a unit price per needed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferLineInput {
    /// The price line of the framework.
    pub price_line_code: String,
    /// Offered unit price excluding VAT.
    pub unit_price_cents: Cents,
}

/// A provider's offer. Sealed until the deadline: the server shows it to nobody else before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Offer {
    /// Record id (stays the same when replaced).
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The invitation answered.
    pub invitation_id: Uuid,
    /// The provider.
    pub provider_id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// 1 for the first submission, +1 for each replacement.
    pub revision: u32,
    /// Priced lines.
    pub lines: Vec<OfferLine>,
    /// Total of the lines.
    pub total: Amount,
    /// Lead time in days from the purchase order.
    pub lead_time_days: u32,
    /// Technical notes.
    pub notes: String,
    /// Server time of the (last) submission.
    pub submitted_at: DateTime<Utc>,
    /// Hash of the content, given as a receipt.
    pub content_sha256: String,
}

impl From<&Offer> for crate::evaluation::OfferForScoring {
    /// What scoring needs of an opened offer.
    fn from(offer: &Offer) -> Self {
        crate::evaluation::OfferForScoring {
            offer_id: offer.id,
            provider_id: offer.provider_id,
            total_excl_vat: offer.total.excl_vat,
            submitted_at: offer.submitted_at,
        }
    }
}

/// Prices the offer against the needs and the ceilings; refuses anything that breaks a rule.
pub fn price_offer(
    terms: &FrameworkTerms,
    needs: &TenderNeeds,
    inputs: &[OfferLineInput],
) -> Result<(Vec<OfferLine>, Amount), DomainError> {
    let mut lines = Vec::new();
    let mut total = Amount::default();
    for (i, need) in needs.lines.iter().enumerate() {
        let field = format!("lines[{i}].unit_price_cents");
        let schedule = terms.price_line(&need.price_line_code).ok_or_else(|| {
            DomainError::field(ErrorCode::PriceLineUnknown, &field)
                .with("code", &need.price_line_code)
        })?;
        let matching: Vec<_> = inputs
            .iter()
            .filter(|l| l.price_line_code == need.price_line_code)
            .collect();
        let input = match matching.as_slice() {
            [one] => *one,
            [] => {
                return Err(DomainError::field(ErrorCode::UnitPriceMissing, &field)
                    .with("line", &schedule.label_fr)
                    .with("code", &schedule.code))
            }
            _ => {
                return Err(DomainError::field(ErrorCode::UnitPriceDuplicate, &field)
                    .with("line", &schedule.label_fr)
                    .with("code", &schedule.code))
            }
        };
        if input.unit_price_cents.0 <= 0 {
            return Err(DomainError::field(ErrorCode::UnitPriceNotPositive, &field)
                .with("line", &schedule.label_fr)
                .with("code", &schedule.code));
        }
        if input.unit_price_cents > schedule.ceiling_cents {
            return Err(DomainError::PriceAboveCeiling {
                line: schedule.label_fr.clone(),
                code: schedule.code.clone(),
                price: input.unit_price_cents,
                ceiling: schedule.ceiling_cents,
            });
        }
        // Priced over the call-off's contract duration (issue 11 rule 9): the total scored
        // and awarded is the cost over the contract's life.
        let periods = schedule.recurrence.periods(terms.contract_months);
        let excl = crate::value::line_total(input.unit_price_cents, need.quantity, periods)
            .ok_or_else(|| DomainError::field(ErrorCode::AmountTooLarge, &field))?;
        let amount = Amount::at_rate(excl, schedule.vat_rate);
        total = total.plus(amount);
        lines.push(OfferLine {
            price_line_code: need.price_line_code.clone(),
            quantity: need.quantity,
            unit_price_cents: input.unit_price_cents,
            vat_rate: schedule.vat_rate,
            periods,
            amount,
        });
    }
    if let Some(extra) = inputs.iter().find(|l| {
        !needs
            .lines
            .iter()
            .any(|n| n.price_line_code == l.price_line_code)
    }) {
        return Err(DomainError::field(ErrorCode::OfferLineNotNeeded, "lines")
            .with("code", &extra.price_line_code));
    }
    Ok((lines, total))
}

/// What a provider submits, checked and sealed.
#[derive(Debug, Clone)]
pub struct OfferSubmission<'a> {
    /// Offer id (the same on replacement).
    pub offer_id: Uuid,
    /// The invitation answered.
    pub invitation: &'a Invitation,
    /// The framework terms the order is made under.
    pub terms: &'a FrameworkTerms,
    /// Unit prices.
    pub lines: &'a [OfferLineInput],
    /// Lead time in days.
    pub lead_time_days: u32,
    /// Technical notes.
    pub notes: &'a str,
    /// Server time now.
    pub now: DateTime<Utc>,
    /// The offer already submitted, if this replaces it.
    pub previous: Option<&'a Offer>,
    /// Whether the provider may still be called under the framework now (false once the
    /// framework in force has suspended it since its invitation).
    pub callable: bool,
}

/// Checks and builds an offer: before the deadline, within ceilings, replacing the previous
/// one if any (never after the deadline).
pub fn submit_offer(s: OfferSubmission<'_>) -> Result<Offer, DomainError> {
    check_before_deadline(s.now, s.invitation.deadline)?;
    if s.invitation.status == InvitationStatus::Withdrawn
        || s.invitation.status == InvitationStatus::Closed
    {
        return Err(DomainError::rule(ErrorCode::CompetitionClosed));
    }
    // A provider suspended in the framework after its invitation no longer takes part: it
    // cannot submit or replace an offer (Dir. 2014/24 art. 33(2): a call-off goes to the
    // operators party to the framework; the suspension excludes from new call-offs). An offer
    // it submitted before stays sealed and is opened with the others (ARCHITECTURE.md).
    if !s.callable {
        return Err(DomainError::ProviderSuspended {
            provider: s.invitation.provider_id,
        });
    }
    if s.lead_time_days == 0 || s.lead_time_days > 730 {
        return Err(
            DomainError::field(ErrorCode::LeadTimeOutOfRange, "lead_time_days")
                .with("min", 1)
                .with("max", 730),
        );
    }
    if s.notes.chars().count() > 10_000 {
        return Err(
            DomainError::field(ErrorCode::OfferNotesTooLong, "notes").with("max_chars", 10_000)
        );
    }
    let (lines, total) = price_offer(s.terms, &s.invitation.needs, s.lines)?;
    if let Some(previous) = s.previous {
        if previous.invitation_id != s.invitation.id || previous.id != s.offer_id {
            return Err(DomainError::rule(ErrorCode::OfferReplacesOtherInvitation));
        }
    }
    let revision = s.previous.map_or(1, |p| p.revision + 1);
    let mut offer = Offer {
        id: s.offer_id,
        order_id: s.invitation.order_id,
        invitation_id: s.invitation.id,
        provider_id: s.invitation.provider_id,
        commune_nis: s.invitation.commune_nis.clone(),
        revision,
        lines,
        total,
        lead_time_days: s.lead_time_days,
        notes: s.notes.to_string(),
        submitted_at: s.now,
        content_sha256: String::new(),
    };
    offer.content_sha256 = offer_hash(&offer);
    Ok(offer)
}

/// Hash of what was submitted (lines, totals, lead time, notes, time), for the receipt.
pub fn offer_hash(offer: &Offer) -> String {
    let mut copy = offer.clone();
    copy.content_sha256 = String::new();
    let bytes = serde_json::to_vec(&copy).unwrap_or_default();
    sha256_hex(&bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fixtures::sample_terms;
    use crate::order::{NeedLine, OrderNeeds};
    use chrono::TimeZone;
    use rust_decimal_macros::dec;

    pub fn needs() -> OrderNeeds {
        OrderNeeds {
            description: "E-guichet pour l'état civil".into(),
            lines: vec![
                NeedLine {
                    price_line_code: "setup".into(),
                    quantity: dec!(1),
                    note: String::new(),
                },
                NeedLine {
                    price_line_code: "licence".into(),
                    quantity: dec!(9),
                    note: String::new(),
                },
            ],
            sites: vec!["Maison communale".into()],
            desired_start: None,
            desired_go_live: None,
            budget: None,
        }
    }

    pub fn invitation(deadline: DateTime<Utc>) -> Invitation {
        Invitation {
            id: Uuid::now_v7(),
            order_id: Uuid::now_v7(),
            provider_id: Uuid::now_v7(),
            commune_nis: "84009".into(),
            order_title: "E-guichet".into(),
            needs: needs().for_tenderers(),
            documents: vec![],
            framework_version: 1,
            deadline,
            sent_at: deadline - chrono::Duration::days(15),
            status: InvitationStatus::Sent,
            offer_submitted_at: None,
            outcome: None,
            withdrawal: None,
            extensions: Vec::new(),
            clarifications: Vec::new(),
            pool_id: None,
            set_aside: None,
            price_requests: Vec::new(),
        }
    }

    /// An invitation stored by an earlier version copied the order's needs whole, budget
    /// included: it still reads, and the budget is gone from what it carries.
    #[test]
    fn an_invitation_stored_with_the_budget_still_reads_without_it() {
        let inv = invitation(at(12, 0, 0));
        let mut old = serde_json::to_value(&inv).unwrap();
        old["needs"]["budget"] = serde_json::json!(4_321_987);
        let read: Invitation = serde_json::from_value(old).unwrap();
        assert_eq!(read, inv);
        assert!(!serde_json::to_string(&read).unwrap().contains("budget"));
    }

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 14, h, m, s).unwrap()
    }

    fn prices(setup: i64, licence: i64) -> Vec<OfferLineInput> {
        vec![
            OfferLineInput {
                price_line_code: "setup".into(),
                unit_price_cents: Cents(setup),
            },
            OfferLineInput {
                price_line_code: "licence".into(),
                unit_price_cents: Cents(licence),
            },
        ]
    }

    fn submission<'a>(
        inv: &'a Invitation,
        terms: &'a FrameworkTerms,
        lines: &'a [OfferLineInput],
        now: DateTime<Utc>,
        previous: Option<&'a Offer>,
    ) -> OfferSubmission<'a> {
        OfferSubmission {
            offer_id: previous.map_or_else(Uuid::now_v7, |p| p.id),
            invitation: inv,
            terms,
            lines,
            lead_time_days: 90,
            notes: "Solution hébergée en Belgique",
            now,
            previous,
            callable: true,
        }
    }

    /// Dir. 2014/24 art. 33(2): a provider suspended in the framework after its invitation
    /// can no longer submit nor replace an offer.
    #[test]
    fn rule_art_33_2_a_provider_suspended_after_its_invitation_cannot_submit() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let lines = prices(400_000, 15_000);
        let mut s = submission(&inv, &terms, &lines, at(10, 0, 0), None);
        s.callable = false;
        let err = submit_offer(s).unwrap_err();
        assert_eq!(err.code(), "provider_suspended");
        assert_eq!(err.params()["provider"], serde_json::json!(inv.provider_id));
        // Still callable: accepted.
        assert!(submit_offer(submission(&inv, &terms, &lines, at(10, 0, 0), None)).is_ok());
    }

    fn award_of(provider_id: Uuid, at: DateTime<Utc>) -> crate::order::Award {
        crate::order::Award {
            offer_id: Some(Uuid::from_u128(100)),
            provider_id,
            justification: "Meilleure couverture fonctionnelle et prix plus bas.".into(),
            college_decision: crate::adhesion::Decision {
                reference: "COL/2027/12".into(),
                date: crate::time::brussels_today(at),
                organ: crate::adhesion::Organ::College,
                financial_opinion: None,
            },
            amount: Amount::default(),
            direct: false,
            awarded_at: at,
            awarded_by: "dg".into(),
        }
    }

    fn scored(n: u128, rank: u32, price: &str, quality: &str) -> crate::evaluation::ScoredOffer {
        use crate::evaluation::CriterionScore;
        let price: Decimal = price.parse().unwrap();
        let quality: Decimal = quality.parse().unwrap();
        crate::evaluation::ScoredOffer {
            offer_id: Uuid::from_u128(100 + n),
            provider_id: Uuid::from_u128(n),
            total_excl_vat: crate::money::Cents(100_000),
            scores: vec![
                CriterionScore {
                    criterion_code: "price".into(),
                    points: price,
                    weight: 60,
                },
                CriterionScore {
                    criterion_code: "quality".into(),
                    points: quality,
                    weight: 40,
                },
            ],
            total: price + quality,
            rank,
        }
    }

    /// Law of 17 June 2013 (motivation, information, remedies) and Dir. 2014/24 art. 55(2):
    /// the winner learns it won; another tenderer learns the winner's name, its own and the
    /// winner's scores, the motivation and the remedies with their last days — never a third
    /// offer's data; a provider without an offer is told nothing.
    #[test]
    fn rule_law_2013_each_tenderer_is_notified_the_winner_scores_and_remedies() {
        let ranking = crate::evaluation::Ranking {
            offers: vec![
                scored(1, 1, "60", "35"),
                scored(2, 2, "55", "30"),
                scored(3, 3, "40", "20.5"),
            ],
            outcome: crate::evaluation::RankingOutcome::Ranked,
        };
        // 31 March 2027 10:00 UTC = 12:00 in Brussels.
        let now = Utc.with_ymd_and_hms(2027, 3, 31, 10, 0, 0).unwrap();
        let award = award_of(Uuid::from_u128(1), now);
        let winner =
            InvitationOutcome::for_tenderer(&award, &ranking, Uuid::from_u128(1), "Nuagix", now)
                .unwrap();
        assert!(winner.won);
        assert_eq!(winner.winner_name, None);
        assert!(winner.remedies.is_empty());
        assert_eq!(winner.notified_at, Some(now));
        let loser =
            InvitationOutcome::for_tenderer(&award, &ranking, Uuid::from_u128(3), "Nuagix", now)
                .unwrap();
        assert!(!loser.won);
        assert_eq!(loser.rank, 3);
        assert_eq!(loser.winner_name.as_deref(), Some("Nuagix"));
        assert_eq!(loser.winner_total, Some(rust_decimal_macros::dec!(95)));
        assert_eq!(loser.winner_scores, ranking.offers[0].scores);
        assert_eq!(loser.own_scores, ranking.offers[2].scores);
        assert_eq!(loser.justification, award.justification);
        assert_eq!(loser.decision, Some(award.college_decision.clone()));
        assert_eq!(loser.notified_at, Some(now));
        // Nothing of the offer ranked second.
        let json = serde_json::to_string(&loser).unwrap();
        assert!(!json.contains("\"55\""), "{json}");
        assert!(!json.contains("\"30\""), "{json}");
        // The remedies with their last days: 15 and 60 calendar days after 31/03/2027.
        assert_eq!(
            loser
                .remedies
                .iter()
                .map(|r| (r.kind, r.days, r.until))
                .collect::<Vec<_>>(),
            vec![
                (
                    RemedyKind::SuspensionExtremeUrgency,
                    15,
                    NaiveDate::from_ymd_opt(2027, 4, 15).unwrap()
                ),
                (
                    RemedyKind::Annulment,
                    60,
                    NaiveDate::from_ymd_opt(2027, 5, 30).unwrap()
                ),
            ]
        );
        // A provider invited without an offer is not a tenderer.
        assert!(InvitationOutcome::for_tenderer(
            &award,
            &ranking,
            Uuid::from_u128(9),
            "Nuagix",
            now
        )
        .is_none());
    }

    /// Issue 11 rule 13 (law of 17 June 2013; Dir. 2014/24 art. 55(2)): a tenderer whose
    /// offer was set aside (here as abnormally low, law of 17 June 2016 art. 84) is notified
    /// of the award too: not ranked, why, the winner's name and scores, the remedies.
    #[test]
    fn rule_13_a_tenderer_set_aside_is_notified_the_award_and_why() {
        let ranking = crate::evaluation::Ranking {
            offers: vec![scored(1, 1, "60", "35"), scored(2, 2, "55", "30")],
            outcome: crate::evaluation::RankingOutcome::Ranked,
        };
        let now = Utc.with_ymd_and_hms(2027, 3, 31, 10, 0, 0).unwrap();
        let award = award_of(Uuid::from_u128(1), now);
        let record = crate::order::SetAside {
            offer_id: Uuid::from_u128(30),
            provider_id: Uuid::from_u128(3),
            ground: crate::order::SetAsideGround::AbnormallyLow,
            motivation: "Prix anormalement bas : la justification ne couvre pas le coût.".into(),
            at: now,
            by: "dg".into(),
        };
        let told = InvitationOutcome::for_set_aside(&award, &ranking, &record, "Nuagix", now);
        assert!(!told.won);
        assert_eq!(told.rank, 0);
        assert!(told.own_scores.is_empty());
        assert_eq!(told.winner_name.as_deref(), Some("Nuagix"));
        assert_eq!(told.winner_scores, ranking.offers[0].scores);
        assert_eq!(told.winner_total, Some(rust_decimal_macros::dec!(95)));
        assert_eq!(told.remedies.len(), 2);
        let notice = told.set_aside.as_ref().unwrap();
        assert_eq!(notice.ground, crate::order::SetAsideGround::AbnormallyLow);
        assert_eq!(notice.motivation, record.motivation);
        // Nothing of the offer ranked second.
        let json = serde_json::to_string(&told).unwrap();
        assert!(!json.contains("\"55\""), "{json}");
    }

    /// Law of 29 July 1991 art. 2–3: the withdrawal is told to the provider with the
    /// motivation and the decision.
    #[test]
    fn rule_law_1991_the_withdrawal_is_told_with_its_motivation() {
        let mut inv = invitation(at(11, 0, 0));
        let closure = crate::order::Closure {
            reason: "Le conseil communal n'a pas voté le crédit.".into(),
            at: at(9, 0, 0),
            by: "dg".into(),
            decision: Some(crate::adhesion::Decision {
                reference: "COL/2027/3".into(),
                date: NaiveDate::from_ymd_opt(2027, 3, 14).unwrap(),
                organ: crate::adhesion::Organ::College,
                financial_opinion: None,
            }),
        };
        inv.tell_withdrawal(&closure, at(9, 0, 0));
        assert_eq!(inv.status, InvitationStatus::Withdrawn);
        let notice = inv.withdrawal.as_ref().unwrap();
        assert_eq!(notice.motivation, closure.reason);
        assert_eq!(notice.decision, closure.decision);
        assert_eq!(notice.notified_at, at(9, 0, 0));
    }

    #[test]
    fn prices_every_line_with_vat() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let lines = prices(400_000, 15_000);
        let offer = submit_offer(submission(&inv, &terms, &lines, at(10, 0, 0), None)).unwrap();
        assert_eq!(offer.total.excl_vat, Cents(400_000 + 9 * 15_000));
        assert_eq!(offer.total.incl_vat, Cents(647_350));
        assert_eq!(offer.revision, 1);
        assert_eq!(offer.content_sha256, offer_hash(&offer));
    }

    /// Dir. 2014/24 art. 33(5)(c), Annex IV(b): submitting leaves the invitation as it was;
    /// only the opening tells whether and when the provider answered.
    #[test]
    fn an_invitation_tells_of_its_offer_only_at_the_opening() {
        let terms = sample_terms(&[Uuid::nil()]);
        let mut answered = invitation(at(11, 0, 0));
        let before = answered.clone();
        let lines = prices(400_000, 15_000);
        let offer =
            submit_offer(submission(&answered, &terms, &lines, at(10, 0, 0), None)).unwrap();
        assert_eq!(answered, before, "submitting does not touch the invitation");
        answered.close_at_opening(Some(&offer));
        assert_eq!(answered.status, InvitationStatus::Closed);
        assert_eq!(answered.offer_submitted_at, Some(at(10, 0, 0)));
        let mut silent = invitation(at(11, 0, 0));
        silent.close_at_opening(None);
        assert_eq!(silent.status, InvitationStatus::Closed);
        assert_eq!(silent.offer_submitted_at, None);
    }

    #[test]
    fn ceiling_is_a_maximum() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let ok = prices(450_000, 18_000);
        assert!(submit_offer(submission(&inv, &terms, &ok, at(10, 0, 0), None)).is_ok());
        let over = prices(450_001, 18_000);
        let err = submit_offer(submission(&inv, &terms, &over, at(10, 0, 0), None)).unwrap_err();
        assert_eq!(err.code(), "price_above_ceiling");
        assert!(
            err.to_string().contains("4\u{202f}500,00\u{a0}€ HTVA"),
            "{err}"
        );
    }

    #[test]
    fn missing_duplicate_extra_and_zero_lines_are_refused() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let mut missing = prices(1, 1);
        missing.pop();
        let mut duplicate = prices(1, 1);
        duplicate.push(duplicate[0].clone());
        let mut extra = prices(1, 1);
        extra.push(OfferLineInput {
            price_line_code: "bonus".into(),
            unit_price_cents: Cents(1),
        });
        let zero = prices(0, 1);
        for lines in [missing, duplicate, extra, zero] {
            assert!(submit_offer(submission(&inv, &terms, &lines, at(10, 0, 0), None)).is_err());
        }
    }

    #[test]
    fn late_offer_refused_even_at_the_exact_deadline() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let lines = prices(1000, 1000);
        assert!(submit_offer(submission(&inv, &terms, &lines, at(10, 59, 59), None)).is_ok());
        let err = submit_offer(submission(&inv, &terms, &lines, at(11, 0, 0), None)).unwrap_err();
        assert_eq!(err.code(), "deadline_passed");
        // 11:00 UTC on 14/03/2027 is 12:00 in Brussels (CET)
        assert!(err.to_string().contains("14/03/2027 à 12:00"), "{err}");
    }

    #[test]
    fn replacement_before_deadline_only() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let lines = prices(1000, 1000);
        let first = submit_offer(submission(&inv, &terms, &lines, at(9, 0, 0), None)).unwrap();
        let cheaper = prices(900, 900);
        let second = submit_offer(submission(
            &inv,
            &terms,
            &cheaper,
            at(10, 0, 0),
            Some(&first),
        ))
        .unwrap();
        assert_eq!(second.revision, 2);
        assert_eq!(second.id, first.id);
        assert_ne!(second.content_sha256, first.content_sha256);
        assert!(submit_offer(submission(
            &inv,
            &terms,
            &cheaper,
            at(11, 0, 1),
            Some(&second)
        ))
        .is_err());
    }

    #[test]
    fn lead_time_bounds() {
        let terms = sample_terms(&[Uuid::nil()]);
        let inv = invitation(at(11, 0, 0));
        let lines = prices(1000, 1000);
        let mut s = submission(&inv, &terms, &lines, at(10, 0, 0), None);
        s.lead_time_days = 0;
        assert!(submit_offer(s).is_err());
    }
}
