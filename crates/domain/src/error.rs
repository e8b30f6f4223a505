//! The one error type of the domain: a stable code for programs and a French message for people.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Value};

use uuid::Uuid;

use crate::catalogue::Widening;
use crate::format_date;
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
    /// A decision that must be motivated (withdrawing a running competition…) carries too
    /// short (or too long) a motivation.
    #[error("Motivez la décision en au moins {min_chars} caractères (au plus {max_chars}) : chaque prestataire invité en recevra le texte.")]
    MotivationTooShort {
        /// The field in error.
        field: &'static str,
        /// The minimum length, in characters.
        min_chars: u32,
        /// The maximum length, in characters.
        max_chars: u32,
    },
    /// A deadline extension that does not move the deadline later.
    #[error("La nouvelle date limite doit tomber après la date limite actuelle ({}, heure de Bruxelles) : une prolongation ne raccourcit jamais le délai des prestataires.", format_brussels(*current))]
    DeadlineNotLater {
        /// The deadline in force.
        current: DateTime<Utc>,
    },
    /// A decision withdrawing a running competition dated before the competition was launched.
    #[error("La décision de retrait est datée du {} : elle ne peut pas précéder le lancement de la remise en concurrence ({}). Indiquez la date de la séance qui a décidé le retrait.", format_date(*date), format_date(*earliest))]
    WithdrawalBeforeLaunch {
        /// The decision's date.
        date: NaiveDate,
        /// The earliest date possible (the launch's day in Brussels).
        earliest: NaiveDate,
    },
    /// A question of the competition already answered.
    #[error(
        "Cette question a déjà reçu une réponse, communiquée à tous les prestataires invités."
    )]
    QuestionAlreadyAnswered {
        /// The question.
        question: Uuid,
    },
    /// A provider suspended in the framework after its invitation submits or replaces an offer.
    #[error("Votre société est suspendue dans l'accord-cadre depuis l'envoi de l'invitation : elle ne peut plus remettre ni remplacer d'offre dans cette remise en concurrence. Contactez la centrale d'achat.")]
    ProviderSuspended {
        /// The provider.
        provider: Uuid,
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
            DomainError::MotivationTooShort { .. } => "motivation_too_short",
            DomainError::DeadlineNotLater { .. } => "deadline_not_later",
            DomainError::ProviderSuspended { .. } => "provider_suspended",
            DomainError::QuestionAlreadyAnswered { .. } => "question_already_answered",
            DomainError::WithdrawalBeforeLaunch { .. } => "withdrawal_before_launch",
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
            },
            DomainError::LegalBasisMissing => json!({ "field": "legal_basis" }),
            DomainError::MotivationTooShort {
                field,
                min_chars,
                max_chars,
            } => json!({ "field": field, "min_chars": min_chars, "max_chars": max_chars }),
            DomainError::DeadlineNotLater { current } => {
                json!({ "field": "deadline", "current": current })
            }
            DomainError::ProviderSuspended { provider } => json!({ "provider": provider }),
            DomainError::QuestionAlreadyAnswered { question } => json!({ "question": question }),
            DomainError::WithdrawalBeforeLaunch { date, earliest } => {
                json!({ "field": "college_decision.date", "date": date, "earliest": earliest })
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
