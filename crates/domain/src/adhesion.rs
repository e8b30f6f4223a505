//! The adhesion convention and a commune's signed adhesion: draft → signed by the commune →
//! countersigned → active → terminated.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ErrorCode, RecordState};
use crate::money::Cents;
use crate::role::Role;
use crate::signatory::{Capacity, SubstitutionRef};

// A commune's decision has its own module; its names stay reachable from here, where every
// caller found them before.
pub use crate::decision::{
    financial_opinion_required, CollegeDecision, DecidingAct, Decision, FinancialOpinion,
    OpinionKind, Organ, DF_OPINION_THRESHOLD_TVAC_CENTS,
};
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

/// A signature: who, when, and the hash of exactly what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Signature {
    /// The account that signed.
    pub user_id: String,
    /// The signatory's name as shown.
    pub name: String,
    /// As which signatory (the bourgmestre or the directeur général for the commune; a
    /// substitute signs as the one they replace).
    pub role: Role,
    /// Server time of the signature.
    pub signed_at: DateTime<Utc>,
    /// Hash of the signed text.
    pub text_sha256: String,
    /// Titular or substitute (bourgmestre f.f., échevin délégué, DG f.f.; CDLD L1123-5,
    /// L1132-4). A signature recorded before substitutes reads as the titular's.
    #[serde(default)]
    pub capacity: Capacity,
    /// The signatory's title as it was when signed (« directrice générale », « échevin,
    /// bourgmestre f.f. »): a signed act does not change when an account is renamed.
    #[serde(default)]
    pub title: String,
    /// The substitution a substitute signed under, with its decision.
    #[serde(default)]
    pub substitution: Option<SubstitutionRef>,
}

impl Signature {
    /// « Name, title » as signed (the name alone for a signature recorded before titles).
    pub fn label(&self) -> String {
        crate::signatory::name_with_title(&self.name, &self.title)
    }
}

/// A substitute signs only as the signatory they replace (a bourgmestre f.f. in the
/// bourgmestre's place, a DG f.f. in the directeur général's), under a substitution.
fn check_capacity(signature: &Signature) -> Result<(), DomainError> {
    match signature.capacity.stands_for() {
        None => Ok(()),
        Some(role) if role == signature.role && signature.substitution.is_some() => Ok(()),
        Some(_) => Err(DomainError::rule(ErrorCode::SignatoryRoleNotAllowed)
            .with("role", signature.role.as_str())),
    }
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

/// Notice of termination (convention art. 12), signed by the bourgmestre and the directeur
/// général (CDLD L1132-3) like the adhesion itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Termination {
    /// When notice was given: the server's day (Brussels) of the second signature; while only
    /// one signatory has signed, the day of that signature.
    pub notice_date: NaiveDate,
    /// The day the termination takes effect: the first day of the month after the notice
    /// period (convention art. 12). Orders may be sent until the day before.
    pub effective_date: NaiveDate,
    /// Why, in the user's words.
    pub reason: String,
    /// Who gave notice (the first signatory).
    pub by: String,
    /// The director general's signature of the notice.
    #[serde(default)]
    pub director_general_signature: Option<Signature>,
    /// The mayor's signature of the notice.
    #[serde(default)]
    pub mayor_signature: Option<Signature>,
}

impl Termination {
    /// True once both signatories have signed: the notice is given.
    pub fn is_given(&self) -> bool {
        self.director_general_signature.is_some() && self.mayor_signature.is_some()
    }
}

/// Length of the notice (convention art. 12).
pub const TERMINATION_NOTICE_MONTHS: u32 = 3;

/// The day a notice given on `notice_date` takes effect (convention art. 12): the notice
/// starts on the first day of the month after the letter and lasts three months; the
/// adhesion ends with it, so the termination takes effect on the first day of the month
/// after the notice period. Notice on 15/01 → notice from 01/02 to 30/04 → effective 01/05.
pub fn termination_effective_date(notice_date: NaiveDate) -> NaiveDate {
    let first_of_month = notice_date.with_day(1).unwrap_or(notice_date);
    first_of_month
        .checked_add_months(Months::new(1 + TERMINATION_NOTICE_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

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
    /// The merged commune it came from (issue 11 rule 17); none for the commune's own.
    #[serde(default)]
    pub formerly: Option<crate::commune::Succession>,
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
            formerly: None,
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
        // Joining a centrale is the conseil's, or the collège's by its delegation (CDLD
        // L1222-7, L1222-3); the adhesion is free (convention art. 3): no financial opinion.
        decision.check_for(
            DecidingAct::JoinCentrale,
            Cents::ZERO,
            today,
            "college_decision",
        )?;
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
        check_capacity(&signature)?;
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

    /// Where the adhesion stands on `today`: an active adhesion whose notice of termination
    /// is given reads as terminated from the notice's effective date on (the stored status
    /// stays `active`; the date decides, on the server and on every PC alike).
    pub fn status_on(&self, today: NaiveDate) -> AdhesionStatus {
        match &self.termination {
            Some(t)
                if self.status == AdhesionStatus::Active
                    && t.is_given()
                    && today >= t.effective_date =>
            {
                AdhesionStatus::Terminated
            }
            _ => self.status,
        }
    }

    /// One of the two signatories gives (or co-signs) notice of termination (convention
    /// art. 12; CDLD L1132-3: signed by the bourgmestre and the directeur général, two
    /// accounts). The notice is dated by the server: `today` of the second signature; it
    /// takes effect on the first day of the month after three months' notice, and orders
    /// may still be sent until then.
    pub fn terminate(
        &mut self,
        mut signature: Signature,
        reason: &str,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        if self.status_on(today) != AdhesionStatus::Active {
            return Err(self.transition_error("adhesion.terminate"));
        }
        if !matches!(signature.role, Role::Mayor | Role::DirectorGeneral) {
            return Err(DomainError::rule(ErrorCode::SignatoryRoleNotAllowed)
                .with("role", signature.role.as_str()));
        }
        check_capacity(&signature)?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > crate::limits::CLOSE_REASON_MAX_CHARS {
            return Err(
                DomainError::field(ErrorCode::TerminationReasonMissing, "reason")
                    .with("max_chars", crate::limits::CLOSE_REASON_MAX_CHARS),
            );
        }
        signature.text_sha256 = sha256_hex(reason.as_bytes());
        if self.termination.as_ref().is_some_and(Termination::is_given) {
            return Err(self.transition_error("adhesion.terminate"));
        }
        let termination = self.termination.get_or_insert_with(|| Termination {
            notice_date: today,
            effective_date: termination_effective_date(today),
            reason: reason.to_string(),
            // « name, title » as signed (a substitute shown as such).
            by: signature.label(),
            director_general_signature: None,
            mayor_signature: None,
        });
        if termination.reason != reason {
            return Err(DomainError::TerminationReasonDiffers {
                reason: termination.reason.clone(),
            });
        }
        let (slot, other) = match signature.role {
            Role::Mayor => (
                &mut termination.mayor_signature,
                &termination.director_general_signature,
            ),
            _ => (
                &mut termination.director_general_signature,
                &termination.mayor_signature,
            ),
        };
        if other
            .as_ref()
            .is_some_and(|o| o.user_id == signature.user_id)
        {
            return Err(DomainError::rule(ErrorCode::SameSignatoryTwice));
        }
        if slot.is_some() {
            return Err(
                DomainError::rule(ErrorCode::AlreadySigned).with("role", signature.role.as_str())
            );
        }
        *slot = Some(signature);
        // The notice is given with the second signature: dated that day.
        termination.notice_date = today;
        termination.effective_date = termination_effective_date(today);
        Ok(())
    }

    /// Refuses a new order unless the adhesion is active on `today` (a notice of termination
    /// lets orders through until its effective date, convention art. 12).
    pub fn check_allows_orders(&self, today: NaiveDate) -> Result<(), DomainError> {
        let status = self.status_on(today);
        if status == AdhesionStatus::Active {
            Ok(())
        } else {
            Err(DomainError::AdhesionNotActive {
                status: Some(status),
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
            capacity: Capacity::Titular,
            title: String::new(),
            substitution: None,
        }
    }

    fn decision_by(organ: Organ) -> Decision {
        Decision {
            organ,
            reference: "CC/2026/12".into(),
            date: date(2026, 11, 2),
            financial_opinion: None,
        }
    }

    fn decision() -> Decision {
        decision_by(Organ::Conseil)
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

    fn active() -> Adhesion {
        let t = template();
        let mut a = signed();
        a.countersign(sig("c", Role::CentraleStaff, &t.sha256))
            .unwrap();
        a.activate(Utc::now()).unwrap();
        a
    }

    #[test]
    fn full_life_cycle() {
        let t = template();
        assert!(t.is_intact());
        let mut a = signed();
        let today = date(2026, 12, 1);
        assert_eq!(a.status, AdhesionStatus::SignedByCommune);
        assert_eq!(
            a.check_allows_orders(today).unwrap_err().code(),
            "adhesion_not_active"
        );
        a.countersign(sig("centrale", Role::CentraleStaff, &t.sha256))
            .unwrap();
        assert_eq!(a.status, AdhesionStatus::Countersigned);
        assert!(a.check_allows_orders(today).is_err());
        a.activate(Utc::now()).unwrap();
        assert!(a.check_allows_orders(today).is_ok());
    }

    #[test]
    fn signature_needs_decision_first() {
        let t = template();
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        let err = a
            .sign(sig("dg", Role::DirectorGeneral, &t.sha256))
            .unwrap_err();
        assert!(err.to_string().contains("décision du conseil"));
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
        assert_eq!(err.to_string(), "Le directeur général a déjà signé.");
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
        let future = Decision {
            date: date(2027, 1, 1),
            ..decision()
        };
        assert!(a
            .record_college_decision(future, date(2026, 11, 29))
            .is_err());
        let empty = Decision {
            reference: " ".into(),
            ..decision()
        };
        assert!(a
            .record_college_decision(empty, date(2026, 11, 29))
            .is_err());
    }

    /// CDLD L1222-7 and L1222-3: joining a centrale d'achat is the conseil's decision, or the
    /// collège's « par délégation du conseil du … »; the collège alone is refused.
    #[test]
    fn rule_cdld_l1222_7_joining_is_the_conseils_or_its_delegates() {
        let t = template();
        let today = date(2026, 11, 29);
        let mut a = Adhesion::draft(Uuid::now_v7(), "84009", &t);
        let err = a
            .record_college_decision(decision_by(Organ::College), today)
            .unwrap_err();
        assert_eq!(err.code(), "decision_organ_not_competent");
        assert_eq!(err.params()["field"], "college_decision.organ");
        assert_eq!(err.params()["organ"], "college");
        assert_eq!(err.params()["kind"], "join_centrale");
        assert!(err.to_string().contains("conseil communal"), "{err}");
        a.record_college_decision(decision_by(Organ::Conseil), today)
            .unwrap();
        let delegated = Organ::CollegeByDelegation {
            delegation_date: date(2025, 1, 20),
        };
        a.record_college_decision(decision_by(delegated), today)
            .unwrap();
        assert_eq!(
            a.college_decision.as_ref().unwrap().organ.label_fr(),
            "le collège communal, par délégation du conseil du 20/01/2025"
        );
        // The delegation precedes the decision it allows.
        let late = Organ::CollegeByDelegation {
            delegation_date: date(2026, 11, 3),
        };
        let err = a
            .record_college_decision(decision_by(late), today)
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert_eq!(
            err.params()["field"],
            "college_decision.organ.delegation_date"
        );
    }

    /// A decision stored before the organ existed reads as the collège's, with no opinion.
    #[test]
    fn an_old_college_decision_reads_as_the_colleges() {
        let old = serde_json::json!({"reference": "COL/2026/1", "date": "2026-01-05"});
        let read: Decision = serde_json::from_value(old).unwrap();
        assert_eq!(read.organ, Organ::College);
        assert_eq!(read.financial_opinion, None);
        let json = serde_json::to_value(decision_by(Organ::CollegeByDelegation {
            delegation_date: date(2025, 1, 20),
        }))
        .unwrap();
        assert_eq!(json["organ"]["kind"], "college_by_delegation");
        assert_eq!(json["organ"]["delegation_date"], "2025-01-20");
    }

    /// CDLD L1124-40 §1 3°: above 22 000 € TVAC the directeur financier's opinion on legality
    /// comes before the decision; at 22 000 € exactly it is not required.
    #[test]
    fn rule_cdld_l1124_40_financial_opinion_above_22000_tvac() {
        let today = date(2026, 11, 29);
        let award = decision_by(Organ::College);
        let at = DF_OPINION_THRESHOLD_TVAC_CENTS;
        award
            .check_for(DecidingAct::Award, at, today, "college_decision")
            .unwrap();
        let err = award
            .check_for(
                DecidingAct::Award,
                Cents(at.0 + 1),
                today,
                "college_decision",
            )
            .unwrap_err();
        assert_eq!(err.code(), "financial_opinion_missing");
        assert_eq!(err.params()["field"], "college_decision.financial_opinion");
        assert_eq!(err.params()["amount_incl_vat_cents"], 2_200_001);
        assert_eq!(err.params()["threshold_cents"], 2_200_000);
        let with = |d: NaiveDate| Decision {
            financial_opinion: Some(FinancialOpinion {
                reference: "DF/2026/45".into(),
                date: d,
                kind: OpinionKind::Reserved,
            }),
            ..award.clone()
        };
        with(date(2026, 11, 2))
            .check_for(
                DecidingAct::Award,
                Cents(at.0 + 1),
                today,
                "college_decision",
            )
            .unwrap();
        // The opinion comes before the decision, not after.
        let err = with(date(2026, 11, 3))
            .check_for(
                DecidingAct::Award,
                Cents(at.0 + 1),
                today,
                "college_decision",
            )
            .unwrap_err();
        assert_eq!(err.code(), "date_out_of_range");
        assert_eq!(
            err.params()["field"],
            "college_decision.financial_opinion.date"
        );
        assert_eq!(err.params()["latest"], "2026-11-02");
    }

    /// CDLD L1222-4: the award is the collège's; L1222-3: the conditions of an order are
    /// fixed by the conseil or by the collège on its delegation.
    #[test]
    fn rule_cdld_l1222_4_award_is_the_colleges_l1222_3_launch_the_conseils() {
        let today = date(2026, 11, 29);
        let delegated = Organ::CollegeByDelegation {
            delegation_date: date(2025, 1, 20),
        };
        for (act, organ, ok) in [
            (DecidingAct::Award, Organ::College, true),
            (DecidingAct::Award, Organ::Conseil, false),
            (DecidingAct::Award, delegated, false),
            (DecidingAct::LaunchOrder, Organ::Conseil, true),
            (DecidingAct::LaunchOrder, delegated, true),
            (DecidingAct::LaunchOrder, Organ::College, false),
        ] {
            let r = decision_by(organ).check_for(act, Cents(100), today, "decision");
            assert_eq!(r.is_ok(), ok, "{act:?} by {organ:?}: {r:?}");
        }
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

    /// Convention art. 12: three months' notice, starting on the first day of the month after
    /// the letter; the termination takes effect on the first day after the notice period.
    #[test]
    fn rule_convention_art_12_effective_first_day_of_month_after_notice() {
        assert_eq!(
            termination_effective_date(date(2027, 1, 15)),
            date(2027, 5, 1)
        );
        assert_eq!(
            termination_effective_date(date(2027, 1, 1)),
            date(2027, 5, 1)
        );
        assert_eq!(
            termination_effective_date(date(2027, 1, 31)),
            date(2027, 5, 1)
        );
        assert_eq!(
            termination_effective_date(date(2026, 11, 30)),
            date(2027, 3, 1)
        );
        assert_eq!(
            termination_effective_date(date(2026, 12, 2)),
            date(2027, 4, 1)
        );
    }

    /// Convention art. 12 and CDLD L1132-3: notice signed by both signatories (two accounts),
    /// dated by the server on the second signature; orders allowed until the effective date,
    /// after which the adhesion reads as terminated.
    #[test]
    fn rule_convention_art_12_notice_signed_by_both_orders_until_effective() {
        let mut a = active();
        let notice = date(2027, 1, 15);
        // An agent or the centrale does not sign the notice.
        assert!(a
            .terminate(sig("agent", Role::CommuneStaff, ""), "Regroupement", notice)
            .is_err());
        assert!(a
            .terminate(sig("dg", Role::DirectorGeneral, ""), " ", notice)
            .is_err());
        a.terminate(
            sig("dg", Role::DirectorGeneral, ""),
            "Regroupement",
            date(2027, 1, 10),
        )
        .unwrap();
        let t = a.termination.clone().unwrap();
        assert!(!t.is_given());
        assert_eq!(
            t.director_general_signature.unwrap().text_sha256,
            sha256_hex(b"Regroupement")
        );
        // One signature is not a notice: orders continue, nothing is effective.
        assert_eq!(a.status_on(date(2030, 1, 1)), AdhesionStatus::Active);
        // The same person cannot sign twice, nor in the other capacity.
        let err = a
            .terminate(sig("dg", Role::Mayor, ""), "Regroupement", notice)
            .unwrap_err();
        assert!(err.to_string().contains("deux personnes différentes"));
        assert!(a
            .terminate(
                sig("dg2", Role::DirectorGeneral, ""),
                "Regroupement",
                notice
            )
            .is_err());
        // The second signatory signs the same notice, not another.
        let err = a
            .terminate(sig("mayor", Role::Mayor, ""), "Autre motif", notice)
            .unwrap_err();
        assert_eq!(err.code(), "termination_reason_differs");
        a.terminate(sig("mayor", Role::Mayor, ""), "Regroupement", notice)
            .unwrap();
        let t = a.termination.clone().unwrap();
        assert!(t.is_given());
        assert_eq!(t.notice_date, notice);
        assert_eq!(t.effective_date, date(2027, 5, 1));
        // Stored status stays active; orders until 30/04, terminated from 01/05.
        assert_eq!(a.status, AdhesionStatus::Active);
        assert!(a.check_allows_orders(date(2027, 4, 30)).is_ok());
        assert_eq!(a.status_on(date(2027, 5, 1)), AdhesionStatus::Terminated);
        assert_eq!(
            a.check_allows_orders(date(2027, 5, 1)).unwrap_err().code(),
            "adhesion_not_active"
        );
        // A notice given is not given twice.
        assert_eq!(
            a.terminate(sig("mayor", Role::Mayor, ""), "Regroupement", notice)
                .unwrap_err()
                .code(),
            "invalid_state"
        );
    }

    /// A termination stored before notices were signed (status `terminated`) stays terminated.
    #[test]
    fn an_old_termination_still_reads() {
        let mut a = active();
        a.status = AdhesionStatus::Terminated;
        let mut json = serde_json::to_value(&a).unwrap();
        json["termination"] = serde_json::json!({"notice_date": "2027-01-01",
            "effective_date": "2027-04-01", "reason": "x", "by": "dg"});
        let read: Adhesion = serde_json::from_value(json).unwrap();
        assert!(!read.termination.as_ref().unwrap().is_given());
        assert_eq!(read.status_on(date(2027, 1, 2)), AdhesionStatus::Terminated);
    }
}
