//! Invitations and sealed offers: lines priced against the commune's needs, under the ceilings,
//! before the deadline.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalogue::{FrameworkDocument, FrameworkTerms};
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
        Err(DomainError::DeadlinePassed {
            deadline: format_brussels(deadline),
        })
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

/// The outcome told to a provider after the award: only its own scores, never the other's.
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
            DomainError::invalid(
                &field,
                format!(
                    "La ligne « {} » n'existe pas dans le bordereau de prix.",
                    need.price_line_code
                ),
            )
        })?;
        let matching: Vec<_> = inputs
            .iter()
            .filter(|l| l.price_line_code == need.price_line_code)
            .collect();
        let input = match matching.as_slice() {
            [one] => *one,
            [] => {
                return Err(DomainError::invalid(
                    &field,
                    format!("Indiquez un prix unitaire pour « {} ».", schedule.label_fr),
                ))
            }
            _ => {
                return Err(DomainError::invalid(
                    &field,
                    format!("« {} » est chiffré plusieurs fois.", schedule.label_fr),
                ))
            }
        };
        if input.unit_price_cents.0 <= 0 {
            return Err(DomainError::invalid(
                &field,
                format!(
                    "Le prix unitaire de « {} » doit être positif.",
                    schedule.label_fr
                ),
            ));
        }
        if input.unit_price_cents > schedule.ceiling_cents {
            return Err(DomainError::PriceAboveCeiling {
                line: schedule.label_fr.clone(),
                price: format!("{} HTVA", input.unit_price_cents.format()),
                ceiling: format!("{} HTVA", schedule.ceiling_cents.format()),
            });
        }
        // Priced over the call-off's contract duration (issue 11 rule 9): the total scored
        // and awarded is the cost over the contract's life.
        let periods = schedule.recurrence.periods(terms.contract_months);
        let excl = crate::value::line_total(input.unit_price_cents, need.quantity, periods)
            .ok_or_else(|| DomainError::invalid(&field, "Montant trop élevé."))?;
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
        return Err(DomainError::invalid(
            "lines",
            format!(
                "La ligne « {} » ne fait pas partie des besoins de la commune : ne la chiffrez pas.",
                extra.price_line_code
            ),
        ));
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
}

/// Checks and builds an offer: before the deadline, within ceilings, replacing the previous
/// one if any (never after the deadline).
pub fn submit_offer(s: OfferSubmission<'_>) -> Result<Offer, DomainError> {
    check_before_deadline(s.now, s.invitation.deadline)?;
    if s.invitation.status == InvitationStatus::Withdrawn
        || s.invitation.status == InvitationStatus::Closed
    {
        return Err(DomainError::NotAllowed(
            "Cette remise en concurrence est clôturée : aucune offre ne peut plus être remise."
                .into(),
        ));
    }
    if s.lead_time_days == 0 || s.lead_time_days > 730 {
        return Err(DomainError::invalid(
            "lead_time_days",
            "Indiquez un délai de mise en œuvre entre 1 et 730 jours.",
        ));
    }
    if s.notes.chars().count() > 10_000 {
        return Err(DomainError::invalid(
            "notes",
            "Les remarques techniques sont limitées à 10 000 caractères.",
        ));
    }
    let (lines, total) = price_offer(s.terms, &s.invitation.needs, s.lines)?;
    if let Some(previous) = s.previous {
        if previous.invitation_id != s.invitation.id || previous.id != s.offer_id {
            return Err(DomainError::NotAllowed(
                "Cette offre remplace une offre d'une autre invitation.".into(),
            ));
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
        }
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
