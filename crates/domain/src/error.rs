//! The one error type of the domain: a stable code for programs and a French message for people.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

use uuid::Uuid;

use crate::catalogue::Widening;
use crate::format_date;
use crate::money::Cents;
use crate::permission::Act;
use crate::role::Role;
use crate::time::format_brussels;

/// A domain rule was broken. `code()` is stable (clients translate it); `Display` is the French
/// message shown when no translation exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A field failed validation; `field` names it for the form.
    #[error("{message}")]
    Invalid {
        /// The field in error (dotted path, e.g. `needs.lines[0].quantity`).
        field: String,
        /// Plain French explanation with what to do.
        message: String,
    },
    /// The record is not in a state that allows this action.
    #[error("Cette action n'est pas possible : {current}. {hint}")]
    InvalidTransition {
        /// The action attempted (stable name).
        action: &'static str,
        /// The current state, in French words.
        current: String,
        /// What the user can do instead.
        hint: String,
    },
    /// The commune's adhesion is not active.
    #[error("Votre commune ne peut pas encore commander : la convention d'adhésion n'est pas active ({status}). Elle doit être signée par le bourgmestre et le directeur général, puis contresignée par la centrale.")]
    AdhesionNotActive {
        /// The adhesion's status in French.
        status: String,
    },
    /// The framework agreement has ended (or not started).
    #[error("L'accord-cadre {reference} n'est pas en vigueur à cette date (du {start} au {end}). Aucune commande ne peut être passée en dehors de cette période.")]
    FrameworkNotInForce {
        /// Framework reference.
        reference: String,
        /// Start date dd/mm/yyyy.
        start: String,
        /// End date dd/mm/yyyy.
        end: String,
    },
    /// The framework's call-off method does not allow this way of ordering.
    #[error("{0}")]
    CallOffMethodNotAllowed(String),
    /// A price is above the framework's ceiling.
    #[error("Le prix unitaire de « {line} » ({price}) dépasse le plafond de l'accord-cadre ({ceiling}). Indiquez un prix inférieur ou égal.")]
    PriceAboveCeiling {
        /// Price line label.
        line: String,
        /// The offered price, formatted.
        price: String,
        /// The ceiling, formatted.
        ceiling: String,
    },
    /// The deadline for offers has passed.
    #[error("La date limite de remise des offres est dépassée ({deadline}, heure de Bruxelles). L'offre ne peut plus être remise ni remplacée.")]
    DeadlinePassed {
        /// Deadline formatted with hour.
        deadline: String,
    },
    /// Offers are still sealed.
    #[error("Les offres sont scellées jusqu'au {deadline} (heure de Bruxelles). Elles pourront être ouvertes après cette date limite.")]
    OffersSealed {
        /// Deadline formatted with hour.
        deadline: String,
    },
    /// The award does not follow the ranking.
    #[error("L'attribution doit suivre le classement établi selon les critères de l'accord-cadre : l'offre classée première est celle de {expected}.")]
    AwardNotFollowingRanking {
        /// The provider ranked first.
        expected: String,
    },
    /// The actor may not do this (e.g. same person signing twice).
    #[error("{0}")]
    NotAllowed(String),
    /// The account's role may not do this act at all.
    #[error("Votre compte ({}) ne permet pas de {}. Cette action est réservée à : {}.", role.label_fr(), act.label_fr(), allowed_fr(*act))]
    Forbidden {
        /// The act refused.
        act: Act,
        /// The actor's role.
        role: Role,
    },
    /// The record does not exist, or belongs to another commune or provider (the same answer,
    /// so nothing leaks).
    #[error(
        "Cet élément est introuvable, ou vous n'y avez pas accès. Synchronisez puis réessayez."
    )]
    NotFound,
    /// The competition's deadline leaves the providers less than the minimum number of
    /// calendar days.
    #[error("La date limite doit laisser au moins {min_days} jours aux prestataires : choisissez une date à partir du {} (heure de Bruxelles).", format_brussels(*earliest))]
    DeadlineTooSoon {
        /// The minimum, in calendar days (server setting).
        min_days: u32,
        /// The earliest deadline allowed.
        earliest: DateTime<Utc>,
    },
    /// The competition's deadline falls after the framework's last day.
    #[error("La date limite de remise des offres doit tomber au plus tard le dernier jour de l'accord-cadre, le {} : un marché subséquent est attribué pendant la durée de l'accord-cadre.", format_date(*end))]
    DeadlineAfterFrameworkEnd {
        /// The framework's last day.
        end: NaiveDate,
    },
    /// An award decision dated before the offers (or the request) it decides on existed.
    #[error("La décision d'attribution est datée du {} : elle ne peut pas précéder {what} ({}). Indiquez la date de la séance qui a décidé l'attribution.", format_date(*date), format_date(*earliest))]
    DecisionBeforeOffers {
        /// The decision's date.
        date: NaiveDate,
        /// The earliest date possible.
        earliest: NaiveDate,
        /// What it cannot precede, in French.
        what: &'static str,
    },
    /// A date a person typed for an act falls outside the bounds the act allows (ten years
    /// around today, not in the future for what has happened, not before the award…).
    #[error("{what} doit tomber entre le {} et le {} : le {} n'est pas possible.", format_date(*earliest), format_date(*latest), format_date(*date))]
    DateOutOfRange {
        /// The field in error.
        field: String,
        /// The date, in French (« La date réelle de l'étape »).
        what: &'static str,
        /// The date typed.
        date: NaiveDate,
        /// The earliest date allowed.
        earliest: NaiveDate,
        /// The latest date allowed.
        latest: NaiveDate,
    },
    /// A new framework version names a provider that is not party to the framework and is not
    /// a party's successor.
    #[error("Un accord-cadre conclu ne reçoit pas de nouveau prestataire : seuls les opérateurs parties à l'accord-cadre peuvent être consultés. Un autre opérateur n'y entre qu'en succédant à un prestataire partie (fusion, reprise), sur la base de l'acte qui l'établit.")]
    ProviderNotParty {
        /// The provider refused.
        provider: Uuid,
    },
    /// A ceiling raised, a price line added or the end date extended without a review clause.
    #[error("{}", widening_fr(change))]
    ModificationWithoutReviewClause {
        /// What widens the framework.
        change: Widening,
    },
    /// A version that changes the terms without stating why it may.
    #[error("Indiquez sur quelle base l'accord-cadre est modifié : une clause de révision de l'accord-cadre, la succession d'un prestataire ou la correction d'une erreur matérielle.")]
    LegalBasisMissing,
    /// A call-off that would take its framework beyond the maximum value (CJEU C-23/20).
    #[error("L'accord-cadre {reference} a une valeur maximale de {} HTVA, dont {} HTVA sont déjà attribués : cette commande ({} HTVA sur la durée du contrat) la dépasserait. Une fois la valeur maximale atteinte, l'accord-cadre ne permet plus de nouvelle commande.", maximum.format(), consumed.format(), amount.format())]
    MaximumValueExceeded {
        /// The framework's reference.
        reference: String,
        /// Its maximum value excluding VAT.
        maximum: Cents,
        /// Already awarded under it, excluding VAT.
        consumed: Cents,
        /// This call-off's amount excluding VAT.
        amount: Cents,
    },
    /// Framework terms without a positive maximum value (CJEU C-216/17, C-23/20).
    #[error("Indiquez la valeur maximale de l'accord-cadre (hors TVA, toutes communes confondues) : une fois atteinte, plus aucune commande n'est possible.")]
    MaximumValueMissing,
    /// Direct call-offs allowed by the method without the framework's conditions.
    #[error("Une commande directe n'est possible que selon des conditions objectives écrites dans l'accord-cadre : indiquez le classement des prestataires (cascade) et, si l'accord-cadre permet les deux modes, le montant jusqu'auquel une commande est directe.")]
    DirectCallOffConditionsMissing,
    /// A direct award to another provider than the one the framework's cascade designates.
    #[error("Selon les conditions de l'accord-cadre, cette commande directe revient au prestataire le mieux classé qui peut encore l'exécuter, pas à un autre.")]
    NotDesignatedProvider {
        /// The provider the cascade designates.
        expected: Uuid,
    },
    /// Above the framework's threshold, competition is reopened; at or below it, the order is
    /// placed directly.
    #[error("{}", threshold_fr(*direct, amount, up_to))]
    CallOffThreshold {
        /// True: the order must be placed directly (at or below the threshold).
        direct: bool,
        /// The order's needs at the ceilings over the contract, excluding VAT.
        amount: Cents,
        /// The framework's threshold, excluding VAT.
        up_to: Cents,
    },
    /// A final acceptance before the end of the guarantee period.
    #[error("La réception définitive suit la période de garantie de {months} mois fixée par l'accord-cadre : la réception provisoire date du {}, la réception définitive est possible à partir du {}.", format_date(*provisional), format_date(*earliest))]
    GuaranteePeriodRunning {
        /// The framework's guarantee period.
        months: u32,
        /// The provisional acceptance's date.
        provisional: NaiveDate,
        /// The first day the final acceptance is possible.
        earliest: NaiveDate,
    },
    /// A call-off contract duration outside 1..=48 months.
    #[error("La durée du contrat d'une commande est comprise entre 1 et {max} mois (quatre ans au plus) ; {months} mois ne sont pas possibles.")]
    ContractMonthsOutOfRange {
        /// Months asked.
        months: u32,
        /// The longest.
        max: u32,
    },
}

fn widening_fr(change: &Widening) -> String {
    let tail = "n'est possible qu'en application d'une clause de révision prévue dans les documents de l'accord-cadre : indiquez-la comme base de la modification.";
    match change {
        Widening::CeilingRaised {
            label,
            before,
            after,
            ..
        } => format!(
            "Relever le plafond de « {label} » ({} → {}) {tail}",
            before.format(),
            after.format()
        ),
        Widening::LineAdded { label, .. } => {
            format!("Ajouter la ligne « {label} » au bordereau de prix {tail}")
        }
        Widening::EndExtended { before, after } => format!(
            "Reporter la fin de l'accord-cadre du {} au {} {tail}",
            format_date(*before),
            format_date(*after)
        ),
        Widening::MaximumRaised { before, after } => {
            let show = |c: &Option<Cents>| c.map_or("aucune".to_string(), |c| c.format());
            format!(
                "Relever la valeur maximale de l'accord-cadre ({} → {}) {tail}",
                show(before),
                show(after)
            )
        }
        Widening::ContractLengthened { before, after } => {
            format!("Allonger la durée des contrats de {before} à {after} mois {tail}")
        }
    }
}

fn threshold_fr(direct: bool, amount: &Cents, up_to: &Cents) -> String {
    if direct {
        format!(
            "Selon les conditions de l'accord-cadre, une commande de {} HTVA (au plus {} HTVA) se passe directement au prestataire désigné, sans remise en concurrence.",
            amount.format(),
            up_to.format()
        )
    } else {
        format!(
            "Selon les conditions de l'accord-cadre, une commande de {} HTVA (plus de {} HTVA) est remise en concurrence : la commande directe n'est pas permise.",
            amount.format(),
            up_to.format()
        )
    }
}

fn allowed_fr(act: Act) -> String {
    act.roles()
        .iter()
        .map(|r| r.label_fr())
        .collect::<Vec<_>>()
        .join(", ")
}

impl DomainError {
    /// Stable machine code, translated by clients.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "invalid_input",
            DomainError::InvalidTransition { .. } => "invalid_state",
            DomainError::AdhesionNotActive { .. } => "adhesion_not_active",
            DomainError::FrameworkNotInForce { .. } => "framework_not_in_force",
            DomainError::CallOffMethodNotAllowed(_) => "call_off_method_not_allowed",
            DomainError::PriceAboveCeiling { .. } => "price_above_ceiling",
            DomainError::DeadlinePassed { .. } => "deadline_passed",
            DomainError::OffersSealed { .. } => "offers_sealed",
            DomainError::AwardNotFollowingRanking { .. } => "award_not_following_ranking",
            DomainError::NotAllowed(_) => "not_allowed",
            DomainError::Forbidden { .. } => "forbidden",
            DomainError::NotFound => "not_found",
            DomainError::DeadlineTooSoon { .. } => "deadline_too_soon",
            DomainError::DeadlineAfterFrameworkEnd { .. } => "deadline_after_framework_end",
            DomainError::DecisionBeforeOffers { .. } => "decision_before_offers",
            DomainError::DateOutOfRange { .. } => "date_out_of_range",
            DomainError::ProviderNotParty { .. } => "provider_not_party",
            DomainError::ModificationWithoutReviewClause { .. } => {
                "modification_without_review_clause"
            }
            DomainError::LegalBasisMissing => "legal_basis_missing",
            DomainError::MaximumValueExceeded { .. } => "maximum_value_exceeded",
            DomainError::MaximumValueMissing => "maximum_value_missing",
            DomainError::ContractMonthsOutOfRange { .. } => "contract_months_out_of_range",
            DomainError::DirectCallOffConditionsMissing => "direct_call_off_conditions_missing",
            DomainError::GuaranteePeriodRunning { .. } => "guarantee_period_running",
            DomainError::NotDesignatedProvider { .. } => "not_designated_provider",
            DomainError::CallOffThreshold { direct: true, .. } => "direct_call_off_required",
            DomainError::CallOffThreshold { direct: false, .. } => "competition_required",
        }
    }

    /// Parameters for the client's translation of the message.
    pub fn params(&self) -> Value {
        match self {
            DomainError::Invalid { field, .. } => json!({ "field": field }),
            DomainError::InvalidTransition {
                action, current, ..
            } => json!({ "action": action, "current": current }),
            DomainError::AdhesionNotActive { status } => json!({ "status": status }),
            DomainError::FrameworkNotInForce {
                reference,
                start,
                end,
            } => json!({ "reference": reference, "start": start, "end": end }),
            DomainError::PriceAboveCeiling {
                line,
                price,
                ceiling,
            } => json!({ "line": line, "price": price, "ceiling": ceiling }),
            DomainError::DeadlinePassed { deadline } | DomainError::OffersSealed { deadline } => {
                json!({ "deadline": deadline })
            }
            DomainError::AwardNotFollowingRanking { expected } => json!({ "expected": expected }),
            DomainError::CallOffMethodNotAllowed(_)
            | DomainError::NotAllowed(_)
            | DomainError::NotFound => json!({}),
            DomainError::Forbidden { role, .. } => json!({ "role": role.as_str() }),
            // Raw values (ISO dates and instants), never pre-formatted French.
            DomainError::DeadlineTooSoon { min_days, earliest } => {
                json!({ "field": "deadline", "min_days": min_days, "earliest": earliest })
            }
            DomainError::DeadlineAfterFrameworkEnd { end } => {
                json!({ "field": "deadline", "end": end })
            }
            DomainError::DecisionBeforeOffers { date, earliest, .. } => {
                json!({ "field": "college_decision.date", "date": date, "earliest": earliest })
            }
            DomainError::DateOutOfRange {
                field,
                date,
                earliest,
                latest,
                ..
            } => json!({ "field": field, "date": date, "earliest": earliest, "latest": latest }),
            DomainError::ProviderNotParty { provider } => {
                json!({ "field": "providers", "provider": provider })
            }
            DomainError::ModificationWithoutReviewClause { change } => match change {
                Widening::CeilingRaised {
                    line,
                    before,
                    after,
                    ..
                } => json!({ "field": "price_schedule", "change": "ceiling_raised", "line": line,
                             "before_cents": before.0, "after_cents": after.0 }),
                Widening::LineAdded { line, .. } => {
                    json!({ "field": "price_schedule", "change": "line_added", "line": line })
                }
                Widening::EndExtended { before, after } => json!({ "field": "end_date",
                    "change": "end_extended", "before": before, "after": after }),
                Widening::MaximumRaised { before, after } => json!({ "field": "max_value",
                    "change": "maximum_raised", "before_cents": before.map(|c| c.0),
                    "after_cents": after.map(|c| c.0) }),
                Widening::ContractLengthened { before, after } => json!({
                    "field": "contract_months", "change": "contract_lengthened",
                    "before": before, "after": after }),
            },
            DomainError::LegalBasisMissing => json!({ "field": "legal_basis" }),
            DomainError::MaximumValueExceeded {
                reference,
                maximum,
                consumed,
                amount,
            } => json!({ "reference": reference, "maximum_cents": maximum.0,
                         "consumed_cents": consumed.0, "amount_cents": amount.0 }),
            DomainError::MaximumValueMissing => json!({ "field": "max_value" }),
            DomainError::ContractMonthsOutOfRange { months, max } => {
                json!({ "field": "contract_months", "months": months, "max": max })
            }
            DomainError::DirectCallOffConditionsMissing => json!({ "field": "direct_call_off" }),
            DomainError::GuaranteePeriodRunning {
                months,
                provisional,
                earliest,
            } => json!({ "field": "date", "months": months, "provisional": provisional,
                         "earliest": earliest }),
            DomainError::NotDesignatedProvider { expected } => {
                json!({ "field": "provider_id", "expected": expected })
            }
            DomainError::CallOffThreshold { amount, up_to, .. } => {
                json!({ "amount_cents": amount.0, "up_to_cents": up_to.0 })
            }
        }
    }

    /// Shorthand for a field validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}
