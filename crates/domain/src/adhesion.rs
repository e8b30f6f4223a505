//! The adhesion convention and a commune's signed adhesion: draft → signed by the commune →
//! countersigned → active → terminated.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ErrorCode, RecordState};
use crate::role::Role;
use crate::{sha256_hex, DomainError};

/// A version of the convention text, identified by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConventionTemplate {
    /// Record id.
    pub id: Uuid,
    /// 1, 2, …
    pub version: u32,
    /// Title in French.
    pub title_fr: String,
    /// The full French text, exactly as signed.
    pub text_fr: String,
    /// Hex SHA-256 of `text_fr` (UTF-8 bytes).
    pub sha256: String,
}

impl ConventionTemplate {
    /// Builds a template, computing the hash of the text.
    pub fn new(id: Uuid, version: u32, title_fr: String, text_fr: String) -> ConventionTemplate {
        let sha256 = sha256_hex(text_fr.as_bytes());
        ConventionTemplate {
            id,
            version,
            title_fr,
            text_fr,
            sha256,
        }
    }

    /// True when the stored hash is the hash of the stored text.
    pub fn is_intact(&self) -> bool {
        sha256_hex(self.text_fr.as_bytes()) == self.sha256
    }
}

/// A collège decision: reference and date of the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CollegeDecision {
    /// Reference (e.g. `COL/2026/123`).
    pub reference: String,
    /// Date of the meeting.
    pub date: NaiveDate,
}

impl CollegeDecision {
    /// Reference required; dated within the last ten years, not in the future.
    pub fn validate(&self, today: NaiveDate, field: &str) -> Result<(), DomainError> {
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
            "college_decision_date",
            self.date,
            None,
            today,
        )
    }
}

/// A signature: who, when, and the hash of exactly what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Signature {
    /// The account that signed.
    pub user_id: String,
    /// The signatory's name as shown.
    pub name: String,
    /// In which capacity.
    pub role: Role,
    /// Server time of the signature.
    pub signed_at: DateTime<Utc>,
    /// Hash of the signed text.
    pub text_sha256: String,
}

/// The life of an adhesion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AdhesionStatus {
    /// Being prepared; zero or one commune signature.
    Draft,
    /// Both commune signatures given; awaiting the centrale.
    SignedByCommune,
    /// Countersigned by the centrale; awaiting activation.
    Countersigned,
    /// In force: the commune may order.
    Active,
    /// Ended with notice; running orders continue.
    Terminated,
}

impl AdhesionStatus {
    /// French words for the status.
    pub fn label_fr(self) -> &'static str {
        match self {
            AdhesionStatus::Draft => "en préparation",
            AdhesionStatus::SignedByCommune => {
                "signée par la commune, en attente de la contresignature de la centrale"
            }
            AdhesionStatus::Countersigned => "contresignée, en attente d'activation",
            AdhesionStatus::Active => "active",
            AdhesionStatus::Terminated => "résiliée",
        }
    }
}

/// Notice of termination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Termination {
    /// When notice was given.
    pub notice_date: NaiveDate,
    /// Last day of the adhesion.
    pub effective_date: NaiveDate,
    /// Why, in the user's words.
    pub reason: String,
    /// Who gave notice.
    pub by: String,
}

/// Minimum notice before a termination takes effect.
pub const TERMINATION_NOTICE_MONTHS: u32 = 3;

/// A commune's adhesion to the centrale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Adhesion {
    /// Record id.
    pub id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// The convention version signed.
    pub template_id: Uuid,
    /// Its version number.
    pub template_version: u32,
    /// Hash of the convention text the commune signs.
    pub text_sha256: String,
    /// Where it stands.
    pub status: AdhesionStatus,
    /// The collège decision authorising the signature.
    pub college_decision: Option<CollegeDecision>,
    /// The director general's signature.
    pub director_general_signature: Option<Signature>,
    /// The mayor's signature.
    pub mayor_signature: Option<Signature>,
    /// The centrale's countersignature.
    pub countersignature: Option<Signature>,
    /// When it became active.
    pub activated_at: Option<DateTime<Utc>>,
    /// Notice of termination.
    pub termination: Option<Termination>,
}

impl Adhesion {
    /// A new draft for a commune on a convention template.
    pub fn draft(id: Uuid, commune_nis: &str, template: &ConventionTemplate) -> Adhesion {
        Adhesion {
            id,
            commune_nis: commune_nis.to_string(),
            template_id: template.id,
            template_version: template.version,
            text_sha256: template.sha256.clone(),
            status: AdhesionStatus::Draft,
            college_decision: None,
            director_general_signature: None,
            mayor_signature: None,
            countersignature: None,
            activated_at: None,
            termination: None,
        }
    }

    /// The action is not possible in this state (the catalogue says why, per action).
    fn transition_error(&self, action: &'static str) -> DomainError {
        DomainError::InvalidTransition {
            action,
            state: RecordState::Adhesion(self.status),
        }
    }

    /// Records (or corrects) the collège decision; only before any signature.
    pub fn record_college_decision(
        &mut self,
        decision: CollegeDecision,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        if self.status != AdhesionStatus::Draft {
            return Err(self.transition_error("adhesion.record_college_decision"));
        }
        if self.director_general_signature.is_some() || self.mayor_signature.is_some() {
            return Err(DomainError::rule(ErrorCode::CollegeDecisionAlreadyRelied));
        }
        decision.validate(today, "college_decision")?;
        self.college_decision = Some(decision);
        Ok(())
    }

    /// One of the two commune signatories signs. Each signs from their own account, after the
    /// collège decision, on the exact text of the convention.
    pub fn sign(&mut self, signature: Signature) -> Result<(), DomainError> {
        if self.status != AdhesionStatus::Draft {
            return Err(self.transition_error("adhesion.sign"));
        }
        if self.college_decision.is_none() {
            return Err(DomainError::rule(ErrorCode::CollegeDecisionMissing));
        }
        if signature.text_sha256 != self.text_sha256 {
            return Err(DomainError::rule(ErrorCode::SignedTextMismatch));
        }
        let other = match signature.role {
            Role::Mayor => &self.director_general_signature,
            Role::DirectorGeneral => &self.mayor_signature,
            _ => {
                return Err(DomainError::rule(ErrorCode::SignatoryRoleNotAllowed)
                    .with("role", signature.role.as_str()))
            }
        };
        if other
            .as_ref()
            .is_some_and(|o| o.user_id == signature.user_id)
        {
            return Err(DomainError::rule(ErrorCode::SameSignatoryTwice));
        }
        let slot = match signature.role {
            Role::Mayor => &mut self.mayor_signature,
            _ => &mut self.director_general_signature,
        };
        if slot.is_some() {
            return Err(
                DomainError::rule(ErrorCode::AlreadySigned).with("role", signature.role.as_str())
            );
        }
        *slot = Some(signature);
        if self.mayor_signature.is_some() && self.director_general_signature.is_some() {
            self.status = AdhesionStatus::SignedByCommune;
        }
        Ok(())
    }

    /// The centrale countersigns a convention signed by the commune.
    pub fn countersign(&mut self, signature: Signature) -> Result<(), DomainError> {
        if self.status != AdhesionStatus::SignedByCommune {
            return Err(self.transition_error("adhesion.countersign"));
        }
        if signature.role != Role::CentraleStaff {
            return Err(DomainError::rule(ErrorCode::CountersignatoryRoleNotAllowed)
                .with("role", signature.role.as_str()));
        }
        if signature.text_sha256 != self.text_sha256 {
            return Err(DomainError::rule(ErrorCode::CountersignedTextMismatch));
        }
        self.countersignature = Some(signature);
        self.status = AdhesionStatus::Countersigned;
        Ok(())
    }

    /// The centrale activates a countersigned adhesion.
    pub fn activate(&mut self, at: DateTime<Utc>) -> Result<(), DomainError> {
        if self.status != AdhesionStatus::Countersigned {
            return Err(self.transition_error("adhesion.activate"));
        }
        self.status = AdhesionStatus::Active;
        self.activated_at = Some(at);
        Ok(())
    }

    /// Notice of termination; takes effect no earlier than three months after notice. Orders
    /// already running continue; no new order can be made.
    pub fn terminate(&mut self, termination: Termination) -> Result<(), DomainError> {
        if self.status != AdhesionStatus::Active {
            return Err(self.transition_error("adhesion.terminate"));
        }
        let earliest = termination
            .notice_date
            .checked_add_months(Months::new(TERMINATION_NOTICE_MONTHS))
            .unwrap_or(termination.notice_date);
        if termination.effective_date < earliest {
            return Err(
                DomainError::field(ErrorCode::TerminationTooEarly, "effective_date")
                    .with("earliest", earliest)
                    .with("notice_months", TERMINATION_NOTICE_MONTHS),
            );
        }
        if termination.reason.trim().is_empty() {
            return Err(DomainError::field(
                ErrorCode::TerminationReasonMissing,
                "reason",
            ));
        }
        self.termination = Some(termination);
        self.status = AdhesionStatus::Terminated;
        Ok(())
    }

    /// Refuses a new order unless the adhesion is active.
    pub fn check_allows_orders(&self) -> Result<(), DomainError> {
        if self.status == AdhesionStatus::Active {
            Ok(())
        } else {
            Err(DomainError::AdhesionNotActive {
                status: Some(self.status),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> ConventionTemplate {
        ConventionTemplate::new(Uuid::nil(), 1, "Convention".into(), "Article 1. …".into())
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn sig(user: &str, role: Role, hash: &str) -> Signature {
        Signature {
            user_id: user.into(),
            name: user.into(),
            role,
            signed_at: Utc::now(),
            text_sha256: hash.into(),
        }
    }

    fn decision() -> CollegeDecision {
        CollegeDecision {
            reference: "COL/2026/12".into(),
            date: date(2026, 11, 2),
        }
    }

    fn signed() -> Adhesion {
        let t = template();
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        a.record_college_decision(decision(), date(2026, 11, 29))
            .unwrap();
        a.sign(sig("dg", Role::DirectorGeneral, &t.sha256)).unwrap();
        assert_eq!(a.status, AdhesionStatus::Draft);
        a.sign(sig("mayor", Role::Mayor, &t.sha256)).unwrap();
        a
    }

    #[test]
    fn full_life_cycle() {
        let t = template();
        assert!(t.is_intact());
        let mut a = signed();
        assert_eq!(a.status, AdhesionStatus::SignedByCommune);
        assert_eq!(
            a.check_allows_orders().unwrap_err().code(),
            "adhesion_not_active"
        );
        a.countersign(sig("centrale", Role::CentraleStaff, &t.sha256))
            .unwrap();
        assert_eq!(a.status, AdhesionStatus::Countersigned);
        assert!(a.check_allows_orders().is_err());
        a.activate(Utc::now()).unwrap();
        assert!(a.check_allows_orders().is_ok());
        a.terminate(Termination {
            notice_date: date(2027, 1, 1),
            effective_date: date(2027, 4, 1),
            reason: "Regroupement".into(),
            by: "dg".into(),
        })
        .unwrap();
        assert_eq!(a.status, AdhesionStatus::Terminated);
        assert!(a.check_allows_orders().is_err());
    }

    #[test]
    fn signature_needs_decision_first() {
        let t = template();
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        let err = a
            .sign(sig("dg", Role::DirectorGeneral, &t.sha256))
            .unwrap_err();
        assert!(err.to_string().contains("décision du collège"));
    }

    #[test]
    fn refuses_wrong_text_same_person_wrong_role_and_double_signature() {
        let t = template();
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        a.record_college_decision(decision(), date(2026, 11, 29))
            .unwrap();
        let code = |r: Result<(), DomainError>| r.unwrap_err().code();
        assert_eq!(
            code(a.sign(sig("dg", Role::DirectorGeneral, "beef"))),
            "signed_text_mismatch"
        );
        let err = a
            .sign(sig("agent", Role::CommuneStaff, &t.sha256))
            .unwrap_err();
        assert_eq!(err.code(), "signatory_role_not_allowed");
        assert_eq!(err.params()["role"], "commune_staff");
        a.sign(sig("dg", Role::DirectorGeneral, &t.sha256)).unwrap();
        let err = a
            .sign(sig("dg", Role::DirectorGeneral, &t.sha256))
            .unwrap_err();
        assert_eq!(err.code(), "already_signed");
        assert_eq!(
            err.to_string(),
            "Le directeur général a déjà signé cette convention."
        );
        let err = a.sign(sig("dg", Role::Mayor, &t.sha256)).unwrap_err();
        assert_eq!(err.code(), "same_signatory_twice");
        assert!(err.to_string().contains("deux personnes différentes"));
        // decision frozen after a signature
        assert_eq!(
            code(a.record_college_decision(decision(), date(2026, 11, 29))),
            "college_decision_already_relied"
        );
    }

    #[test]
    fn decision_validation() {
        let t = template();
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        let future = CollegeDecision {
            reference: "X".into(),
            date: date(2027, 1, 1),
        };
        assert!(a
            .record_college_decision(future, date(2026, 11, 29))
            .is_err());
        let empty = CollegeDecision {
            reference: " ".into(),
            date: date(2026, 1, 1),
        };
        assert!(a
            .record_college_decision(empty, date(2026, 11, 29))
            .is_err());
    }

    #[test]
    fn countersign_and_activate_only_in_order() {
        let t = template();
        let mut draft = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        assert_eq!(
            draft
                .countersign(sig("c", Role::CentraleStaff, &t.sha256))
                .unwrap_err()
                .code(),
            "invalid_state"
        );
        let err = draft.activate(Utc::now()).unwrap_err();
        assert_eq!(
            err.params(),
            serde_json::json!({"kind": "adhesion", "action": "adhesion.activate",
                               "adhesion_status": "draft"})
        );
        assert_eq!(
            err.to_string(),
            "Cette action n'est pas possible : la convention est en préparation. Seule une convention contresignée peut être activée."
        );
        let mut a = signed();
        assert!(a
            .countersign(sig("dg", Role::DirectorGeneral, &t.sha256))
            .is_err());
        assert!(a.activate(Utc::now()).is_err());
    }

    #[test]
    fn termination_needs_three_months_notice() {
        let t = template();
        let mut a = signed();
        a.countersign(sig("c", Role::CentraleStaff, &t.sha256))
            .unwrap();
        a.activate(Utc::now()).unwrap();
        let err = a
            .terminate(Termination {
                notice_date: date(2027, 1, 1),
                effective_date: date(2027, 3, 31),
                reason: "x".into(),
                by: "dg".into(),
            })
            .unwrap_err();
        // Its own code and raw parameters; the sentence shows the date day first.
        assert_eq!(err.code(), "termination_too_early");
        assert_eq!(err.params()["earliest"], "2027-04-01");
        assert_eq!(err.params()["notice_months"], 3);
        assert_eq!(err.params()["field"], "effective_date");
        assert!(err.to_string().contains("01/04/2027"));
    }
}
