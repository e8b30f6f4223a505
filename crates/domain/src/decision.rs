//! A decision of the commune: which organ took it (the conseil, the collège by the conseil's
//! delegation or on its own power, a titular's own written act), which organ each act is
//! reserved to, and the directeur financier's opinion that precedes it above 22 000 € TVAC
//! (CDLD L1222-3, L1222-4, L1222-7, L1123-5, L1132-4, L1124-19, L1124-40).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::money::Cents;
use crate::role::Role;
use crate::{format_date, DomainError};

/// The organ of the commune that took a decision (CDLD L1222-3, L1222-4, L1222-7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Organ {
    /// The conseil communal.
    Conseil,
    /// The collège communal, « par délégation du conseil du … » (the date of the conseil's
    /// delegation).
    CollegeByDelegation {
        /// Date of the conseil's decision delegating the power to the collège.
        delegation_date: NaiveDate,
    },
    /// The collège communal, on its own power. A decision recorded before the organ was
    /// recorded reads as the collège's (every decision was then called « du collège »).
    #[default]
    College,
    /// The bourgmestre's own written act: the delegation of his signature to an échevin
    /// (CDLD L1132-4) or his choice of the échevin who replaces him (L1123-5). It decides
    /// nothing else (`DecidingAct::allows`).
    Mayor,
    /// The directeur général's own written act designating the agent who replaces him for
    /// thirty days at most, as the collège authorised him to (CDLD L1124-19). It decides
    /// nothing else.
    DirectorGeneral {
        /// Date of the collège's decision authorising the directeur général to designate his
        /// replacement himself.
        authorisation_date: NaiveDate,
    },
}

impl Organ {
    /// Stable name (`conseil`, `college_by_delegation`, `college`), for error parameters.
    pub fn as_str(self) -> &'static str {
        match self {
            Organ::Conseil => "conseil",
            Organ::CollegeByDelegation { .. } => "college_by_delegation",
            Organ::College => "college",
            Organ::Mayor => "mayor",
            Organ::DirectorGeneral { .. } => "director_general",
        }
    }

    /// Whose own act this is, when one person's: the bourgmestre's written act is recorded
    /// from the bourgmestre's account only (CDLD L1123-5, L1132-4), the directeur général's
    /// from the directeur général's (L1124-19); a meeting's decision is recorded by either
    /// signatory.
    pub fn recorded_by(self) -> Option<Role> {
        match self {
            Organ::Mayor => Some(Role::Mayor),
            Organ::DirectorGeneral { .. } => Some(Role::DirectorGeneral),
            Organ::Conseil | Organ::CollegeByDelegation { .. } | Organ::College => None,
        }
    }

    /// Every organ with a placeholder date, for tables of what each act allows.
    pub const EVERY: [Organ; 5] = [
        Organ::Conseil,
        Organ::CollegeByDelegation {
            delegation_date: NaiveDate::MIN,
        },
        Organ::College,
        Organ::Mayor,
        Organ::DirectorGeneral {
            authorisation_date: NaiveDate::MIN,
        },
    ];

    /// The longest a designation by this organ's act covers, in days, when the act's organ
    /// limits it: the directeur général designating his own replacement, thirty days (CDLD
    /// L1124-19; beyond, the collège designates).
    pub fn max_designation_days(self) -> Option<u32> {
        match self {
            Organ::DirectorGeneral { .. } => {
                Some(crate::limits::DIRECTOR_GENERAL_OWN_DESIGNATION_MAX_DAYS)
            }
            Organ::Conseil | Organ::CollegeByDelegation { .. } | Organ::College | Organ::Mayor => {
                None
            }
        }
    }

    /// French words: « le conseil communal », « le collège communal, par délégation du
    /// conseil du 12/01/2026 », « le collège communal ».
    pub fn label_fr(self) -> String {
        match self {
            Organ::Conseil => "le conseil communal".into(),
            Organ::CollegeByDelegation { delegation_date } => format!(
                "le collège communal, par délégation du conseil du {}",
                format_date(delegation_date)
            ),
            Organ::College => "le collège communal".into(),
            Organ::Mayor => "le bourgmestre, par acte écrit".into(),
            Organ::DirectorGeneral { authorisation_date } => format!(
                "le directeur général, par acte écrit, sur autorisation du collège du {}",
                format_date(authorisation_date)
            ),
        }
    }
}

/// The decisions the app asks the commune for, each reserved to an organ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidingAct {
    /// Joining the centrale: the conseil, or the collège by its delegation (CDLD L1222-7,
    /// L1222-3).
    JoinCentrale,
    /// Launching an order: the decision choosing the procedure and fixing the conditions, with
    /// its budget article: the conseil, or the collège by its delegation (CDLD L1222-3).
    LaunchOrder,
    /// Awarding an order: the collège (CDLD L1222-4).
    Award,
    /// Any other decision of the commune recorded with an act (a withdrawal, a termination…):
    /// the conseil or the collège, never the bourgmestre alone.
    CommuneDecision,
    /// Designating the bourgmestre f.f.: the échevin the bourgmestre delegated by his written
    /// act, failing that the first échevin in rank, as the collège records it (CDLD L1123-5).
    DesignateMayorActing,
    /// Delegating the bourgmestre's signature of certain documents to an échevin: the
    /// bourgmestre's written act, under his responsibility (CDLD L1132-4).
    DelegateMayorsSignature,
    /// Designating the directeur général f.f.: the collège, three months at most; for thirty
    /// days at most, the directeur général himself if the collège authorised him (CDLD
    /// L1124-19).
    DesignateDirectorGeneralActing,
}

impl DecidingAct {
    /// Stable name, for error parameters.
    pub fn as_str(self) -> &'static str {
        match self {
            DecidingAct::JoinCentrale => "join_centrale",
            DecidingAct::LaunchOrder => "launch_order",
            DecidingAct::Award => "award",
            DecidingAct::CommuneDecision => "commune_decision",
            DecidingAct::DesignateMayorActing => "designate_mayor_acting",
            DecidingAct::DelegateMayorsSignature => "delegate_mayors_signature",
            DecidingAct::DesignateDirectorGeneralActing => "designate_director_general_acting",
        }
    }

    /// May `organ` take this decision?
    pub fn allows(self, organ: Organ) -> bool {
        match self {
            DecidingAct::JoinCentrale | DecidingAct::LaunchOrder => {
                matches!(organ, Organ::Conseil | Organ::CollegeByDelegation { .. })
            }
            DecidingAct::Award => organ == Organ::College,
            DecidingAct::DesignateDirectorGeneralActing => {
                matches!(organ, Organ::College | Organ::DirectorGeneral { .. })
            }
            DecidingAct::CommuneDecision => organ.recorded_by().is_none(),
            DecidingAct::DesignateMayorActing => matches!(organ, Organ::Mayor | Organ::College),
            DecidingAct::DelegateMayorsSignature => organ == Organ::Mayor,
        }
    }

    /// The organs that may take this decision, by stable name (for the UI's choices).
    pub fn organs(self) -> Vec<&'static str> {
        Organ::EVERY
            .into_iter()
            .filter(|o| self.allows(*o))
            .map(Organ::as_str)
            .collect()
    }
}

/// Above this amount including VAT, the directeur financier's written opinion on legality
/// (« avis de légalité ») comes before the decision (CDLD L1124-40 §1 3° : 22 000 €).
pub const DF_OPINION_THRESHOLD_TVAC_CENTS: Cents = Cents(2_200_000);

/// What the directeur financier's opinion says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OpinionKind {
    /// Avis favorable.
    Favourable,
    /// Avis réservé (with reservations).
    Reserved,
    /// Avis défavorable (the organ may still decide, motivating why; CDLD L1124-40).
    Unfavourable,
}

/// The directeur financier's opinion on legality (CDLD L1124-40 §1 3°).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FinancialOpinion {
    /// Reference of the opinion (e.g. `DF/2026/45`).
    pub reference: String,
    /// Date of the opinion: on or before the decision.
    pub date: NaiveDate,
    /// Favourable, reserved or unfavourable.
    pub kind: OpinionKind,
}

/// A decision of the commune: which organ, reference and date of the meeting, and the
/// directeur financier's opinion when the amount requires one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Decision {
    /// The organ that decided (a decision recorded before this field existed reads as the
    /// collège's).
    #[serde(default)]
    pub organ: Organ,
    /// Reference (e.g. `COL/2026/123`, `CC/2026/12`).
    pub reference: String,
    /// Date of the meeting.
    pub date: NaiveDate,
    /// The directeur financier's opinion, required above
    /// [`DF_OPINION_THRESHOLD_TVAC_CENTS`].
    #[serde(default)]
    pub financial_opinion: Option<FinancialOpinion>,
}

/// The former name of [`Decision`] (every decision was the collège's).
pub type CollegeDecision = Decision;

impl Decision {
    /// A decision of the conseil or the collège (never the bourgmestre alone:
    /// `DecidingAct::CommuneDecision`), with the checks of [`Decision::check_for`]'s fields.
    pub fn validate(&self, today: NaiveDate, field: &str) -> Result<(), DomainError> {
        self.validate_fields(today, field)?;
        self.check_organ(DecidingAct::CommuneDecision, field)
    }

    fn check_organ(&self, act: DecidingAct, field: &str) -> Result<(), DomainError> {
        if act.allows(self.organ) {
            Ok(())
        } else {
            Err(DomainError::DecisionOrganNotCompetent {
                field: format!("{field}.organ"),
                act,
                organ: self.organ.as_str(),
            })
        }
    }

    /// Reference required; dated within the last ten years, not in the future; a delegation
    /// not after the decision it allows; an opinion not after the decision it precedes.
    fn validate_fields(&self, today: NaiveDate, field: &str) -> Result<(), DomainError> {
        let reference = self.reference.trim();
        if reference.is_empty() || reference.chars().count() > crate::limits::REFERENCE_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::CollegeDecisionReferenceMissing,
                format!("{field}.reference"),
            )
            .with("max_chars", crate::limits::REFERENCE_MAX_CHARS));
        }
        // Not in the future, and not more than ten years ago (a typing slip, not a decision).
        crate::time::check_past_act_date(
            &format!("{field}.date"),
            "decision_date",
            self.date,
            None,
            today,
        )?;
        if let Organ::CollegeByDelegation { delegation_date } = self.organ {
            crate::time::check_date_within(
                &format!("{field}.organ.delegation_date"),
                "delegation_date",
                delegation_date,
                crate::time::act_dates_from(today),
                self.date,
            )?;
        }
        if let Organ::DirectorGeneral { authorisation_date } = self.organ {
            crate::time::check_date_within(
                &format!("{field}.organ.authorisation_date"),
                "authorisation_date",
                authorisation_date,
                crate::time::act_dates_from(today),
                self.date,
            )?;
        }
        if let Some(opinion) = &self.financial_opinion {
            let reference = opinion.reference.trim();
            if reference.is_empty()
                || reference.chars().count() > crate::limits::REFERENCE_MAX_CHARS
            {
                return Err(DomainError::field(
                    ErrorCode::FinancialOpinionReferenceMissing,
                    format!("{field}.financial_opinion.reference"),
                )
                .with("max_chars", crate::limits::REFERENCE_MAX_CHARS));
            }
            crate::time::check_date_within(
                &format!("{field}.financial_opinion.date"),
                "financial_opinion_date",
                opinion.date,
                crate::time::act_dates_from(today),
                self.date,
            )?;
        }
        Ok(())
    }

    /// Validates the decision for `act`: the organ competent for it, and the directeur
    /// financier's opinion when `amount_incl_vat` exceeds 22 000 € (CDLD L1124-40 §1 3°).
    pub fn check_for(
        &self,
        act: DecidingAct,
        amount_incl_vat: Cents,
        today: NaiveDate,
        field: &str,
    ) -> Result<(), DomainError> {
        self.validate_fields(today, field)?;
        self.check_organ(act, field)?;
        if financial_opinion_required(amount_incl_vat) && self.financial_opinion.is_none() {
            return Err(DomainError::FinancialOpinionMissing {
                field: format!("{field}.financial_opinion"),
                amount_incl_vat,
            });
        }
        Ok(())
    }
}

/// Does a decision on `amount_incl_vat` need the directeur financier's opinion first? (CDLD
/// L1124-40 §1 3°: above 22 000 €.)
pub fn financial_opinion_required(amount_incl_vat: Cents) -> bool {
    amount_incl_vat > DF_OPINION_THRESHOLD_TVAC_CENTS
}
