//! The adhesion decided once: the commune prepares it, records the decision to join, its two
//! signatories sign it (CDLD L1132-3, a substitute in their place: L1123-5, L1132-4), the
//! centrale countersigns and activates it; the two signatories give notice of termination
//! (convention art. 12), dated by the server.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::found;
use super::order::current_adhesion;
use crate::adhesion::{Adhesion, CollegeDecision, ConventionTemplate, Signature};
use crate::permission::{authorize, Act, Actor, Owner};
use crate::signatory::{signer_for, title_fr, Capacity, Signer, Substitution};
use crate::time::brussels_today;
use crate::{DomainError, ErrorCode};

/// `adhesion.start`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Start<'a> {
    /// The new adhesion's id.
    pub adhesion_id: Uuid,
    /// The id is already an adhesion's.
    pub id_taken: bool,
    /// The adhesions known (the commune's current one, not terminated, refuses a second).
    pub adhesions: &'a [Adhesion],
    /// The convention template chosen.
    pub template: Option<&'a ConventionTemplate>,
}

/// A commune account prepares its commune's adhesion on a convention template: one adhesion
/// in force at a time.
pub fn start(actor: &Actor, input: Start<'_>, now: DateTime<Utc>) -> Result<Adhesion, DomainError> {
    authorize(actor, Act::StartAdhesion, Owner::Own)?;
    let commune = actor.commune_nis.as_deref().ok_or(DomainError::NotFound)?;
    if current_adhesion(input.adhesions, commune, now).is_some() {
        return Err(DomainError::rule(ErrorCode::AdhesionExists));
    }
    if input.id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.adhesion_id));
    }
    let template = found(input.template)?;
    Ok(Adhesion::draft(input.adhesion_id, commune, template))
}

/// `adhesion.record_college_decision`: the decision to join (the conseil's, or the collège's
/// by its delegation: CDLD L1222-7, L1222-3), before any signature.
pub fn record_college_decision(
    actor: &Actor,
    adhesion: Option<&Adhesion>,
    decision: &CollegeDecision,
    now: DateTime<Utc>,
) -> Result<Adhesion, DomainError> {
    let mut adhesion = found(adhesion)?.clone();
    authorize(
        actor,
        Act::RecordAdhesionDecision,
        Owner::Commune(&adhesion.commune_nis),
    )?;
    adhesion.record_college_decision(decision.clone(), brussels_today(now))?;
    Ok(adhesion)
}

/// `adhesion.sign` and `adhesion.countersign`: what they read.
#[derive(Debug, Clone, Copy)]
pub struct Sign<'a> {
    /// The adhesion.
    pub adhesion: Option<&'a Adhesion>,
    /// The substitutions of the adhesion's commune (who may sign in a titular's place).
    pub substitutions: &'a [Substitution],
    /// Hash of the text the signer read.
    pub text_sha256: &'a str,
}

/// The signature of `actor` signing as `signer` at `now`, with the title as signed.
fn signature(actor: &Actor, signer: Signer, text_sha256: &str, now: DateTime<Utc>) -> Signature {
    Signature {
        user_id: actor.user_id.clone(),
        name: actor.display_name.clone(),
        role: signer.role,
        signed_at: now,
        text_sha256: text_sha256.to_string(),
        capacity: signer.capacity,
        title: signer.title,
        substitution: signer.substitution,
    }
}

/// One of the commune's signatories signs (the bourgmestre and the directeur général, CDLD
/// L1132-3; a substitute on a day their substitution covers), after the decision to join, on
/// the exact text of the convention (`Adhesion::sign`).
pub fn sign(actor: &Actor, input: Sign<'_>, now: DateTime<Utc>) -> Result<Adhesion, DomainError> {
    let mut adhesion = found(input.adhesion)?.clone();
    let signer = signer_for(
        actor,
        Act::SignAdhesion,
        &adhesion.commune_nis,
        input.substitutions,
        brussels_today(now),
    )?;
    adhesion.sign(signature(actor, signer, input.text_sha256, now))?;
    Ok(adhesion)
}

/// The centrale countersigns a convention both signatories signed, on the same text.
pub fn countersign(
    actor: &Actor,
    input: Sign<'_>,
    now: DateTime<Utc>,
) -> Result<Adhesion, DomainError> {
    authorize(actor, Act::CountersignAdhesion, Owner::Own)?;
    let mut adhesion = found(input.adhesion)?.clone();
    adhesion.countersign(Signature {
        user_id: actor.user_id.clone(),
        name: actor.display_name.clone(),
        role: actor.role,
        signed_at: now,
        text_sha256: input.text_sha256.to_string(),
        capacity: Capacity::Titular,
        title: title_fr(actor.role, Capacity::Titular, actor.gender),
        substitution: None,
    })?;
    Ok(adhesion)
}

/// `adhesion.activate`: the centrale puts a countersigned adhesion in force, at `now`.
pub fn activate(
    actor: &Actor,
    adhesion: Option<&Adhesion>,
    now: DateTime<Utc>,
) -> Result<Adhesion, DomainError> {
    authorize(actor, Act::ActivateAdhesion, Owner::Own)?;
    let mut adhesion = found(adhesion)?.clone();
    adhesion.activate(now)?;
    Ok(adhesion)
}

/// `adhesion.terminate`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Terminate<'a> {
    /// The adhesion.
    pub adhesion: Option<&'a Adhesion>,
    /// The substitutions of the adhesion's commune.
    pub substitutions: &'a [Substitution],
    /// Why, in the user's words (the second signatory gives the same).
    pub reason: &'a str,
}

/// One of the two signatories gives, or co-signs, notice of termination (convention art. 12;
/// CDLD L1132-3), dated by the server's day of the second signature (`Adhesion::terminate`).
pub fn terminate(
    actor: &Actor,
    input: Terminate<'_>,
    now: DateTime<Utc>,
) -> Result<Adhesion, DomainError> {
    let mut adhesion = found(input.adhesion)?.clone();
    let today = brussels_today(now);
    let signer = signer_for(
        actor,
        Act::TerminateAdhesion,
        &adhesion.commune_nis,
        input.substitutions,
        today,
    )?;
    adhesion.terminate(signature(actor, signer, "", now), input.reason, today)?;
    Ok(adhesion)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::adhesion::{AdhesionStatus, Decision, Organ};
    use crate::fixtures::date;
    use crate::role::Role;
    use crate::signatory::Gender;

    use crate::fixtures::now;

    fn actor(role: Role) -> Actor {
        crate::fixtures::actor(role, Gender::Female)
    }

    fn in_commune(role: Role, nis: &str) -> Actor {
        Actor {
            commune_nis: Some(nis.into()),
            ..actor(role)
        }
    }

    fn template() -> ConventionTemplate {
        ConventionTemplate::new(Uuid::nil(), 1, "Convention".into(), "Article 1. …".into())
    }

    /// The conseil's decision to join (CDLD L1222-7).
    fn joining() -> Decision {
        Decision {
            organ: Organ::Conseil,
            reference: "CC/2026/12".into(),
            date: date(2026, 11, 2),
            financial_opinion: None,
        }
    }

    fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> ErrorCode {
        r.unwrap_err().code()
    }

    fn started() -> Adhesion {
        start(
            &actor(Role::CommuneStaff),
            Start {
                adhesion_id: Uuid::from_u128(1),
                id_taken: false,
                adhesions: &[],
                template: Some(&template()),
            },
            now(),
        )
        .unwrap()
    }

    fn decided() -> Adhesion {
        record_college_decision(
            &actor(Role::DirectorGeneral),
            Some(&started()),
            &joining(),
            now(),
        )
        .unwrap()
    }

    fn signing<'a>(a: &'a Adhesion, substitutions: &'a [Substitution]) -> Sign<'a> {
        Sign {
            adhesion: Some(a),
            substitutions,
            text_sha256: &a.text_sha256,
        }
    }

    /// Signed by both signatories (CDLD L1132-3).
    fn signed() -> Adhesion {
        let a = decided();
        let a = sign(&actor(Role::DirectorGeneral), signing(&a, &[]), now()).unwrap();
        sign(&actor(Role::Mayor), signing(&a, &[]), now()).unwrap()
    }

    fn active() -> Adhesion {
        let a = signed();
        let a = countersign(&actor(Role::CentraleStaff), signing(&a, &[]), now()).unwrap();
        activate(&actor(Role::CentraleStaff), Some(&a), now()).unwrap()
    }

    #[test]
    fn start_one_adhesion_in_force_per_commune_by_a_commune_account() {
        let a = started();
        assert_eq!(
            (a.commune_nis.as_str(), a.status),
            ("84009", AdhesionStatus::Draft)
        );
        let t = template();
        let input = |adhesions, id_taken, template| Start {
            adhesion_id: Uuid::from_u128(2),
            id_taken,
            adhesions,
            template,
        };
        let dg = actor(Role::DirectorGeneral);
        for role in [Role::CentraleStaff, Role::ProviderUser] {
            assert_eq!(
                code(start(&actor(role), input(&[], false, Some(&t)), now())),
                ErrorCode::Forbidden
            );
        }
        // Another adhesion of the commune not terminated refuses a second one; another
        // commune's does not.
        let current = [active()];
        assert_eq!(
            code(start(&dg, input(&current, false, Some(&t)), now())),
            ErrorCode::AdhesionExists
        );
        let other = in_commune(Role::DirectorGeneral, "81001");
        assert!(start(&other, input(&current, false, Some(&t)), now()).is_ok());
        assert_eq!(
            code(start(&dg, input(&[], true, Some(&t)), now())),
            ErrorCode::DuplicateId
        );
        assert_eq!(
            code(start(&dg, input(&[], false, None), now())),
            ErrorCode::NotFound
        );
    }

    #[test]
    fn rule_cdld_l1222_7_the_decision_to_join_is_recorded_before_any_signature() {
        let a = started();
        let dg = actor(Role::DirectorGeneral);
        assert_eq!(
            code(record_college_decision(&dg, None, &joining(), now())),
            ErrorCode::NotFound
        );
        // Another commune's adhesion is « not found »; the centrale does not decide for it.
        let other = in_commune(Role::DirectorGeneral, "81001");
        assert_eq!(
            code(record_college_decision(&other, Some(&a), &joining(), now())),
            ErrorCode::NotFound
        );
        assert_eq!(
            code(record_college_decision(
                &actor(Role::CentraleStaff),
                Some(&a),
                &joining(),
                now()
            )),
            ErrorCode::Forbidden
        );
        // Dated by the server's day: a decision dated tomorrow is refused.
        let tomorrow = Decision {
            date: date(2026, 11, 30),
            ..joining()
        };
        assert_eq!(
            code(record_college_decision(&dg, Some(&a), &tomorrow, now())),
            ErrorCode::DateOutOfRange
        );
        let a = record_college_decision(&dg, Some(&a), &joining(), now()).unwrap();
        assert_eq!(a.college_decision, Some(joining()));
        let a = sign(&dg, signing(&a, &[]), now()).unwrap();
        assert_eq!(
            code(record_college_decision(&dg, Some(&a), &joining(), now())),
            ErrorCode::CollegeDecisionAlreadyRelied
        );
    }

    #[test]
    fn rule_cdld_l1132_3_signed_by_the_mayor_and_the_dg_then_countersigned_and_activated() {
        let a = decided();
        // An agent without a substitution does not sign; nor the centrale for the commune.
        for role in [Role::CommuneStaff, Role::CentraleStaff] {
            assert_eq!(
                code(sign(&actor(role), signing(&a, &[]), now())),
                ErrorCode::Forbidden
            );
        }
        let dg = actor(Role::DirectorGeneral);
        let wrong = Sign {
            text_sha256: "0000",
            ..signing(&a, &[])
        };
        assert_eq!(code(sign(&dg, wrong, now())), ErrorCode::SignedTextMismatch);
        let a = sign(&dg, signing(&a, &[]), now()).unwrap();
        let s = a.director_general_signature.as_ref().unwrap();
        assert_eq!((s.role, s.signed_at), (Role::DirectorGeneral, now()));
        assert_eq!(s.title, "directrice générale");
        assert_eq!(
            code(sign(&dg, signing(&a, &[]), now())),
            ErrorCode::AlreadySigned
        );
        // The centrale countersigns only once both signed.
        let centrale = actor(Role::CentraleStaff);
        assert_eq!(
            code(countersign(&centrale, signing(&a, &[]), now())),
            ErrorCode::InvalidState
        );
        let a = sign(&actor(Role::Mayor), signing(&a, &[]), now()).unwrap();
        assert_eq!(a.status, AdhesionStatus::SignedByCommune);
        assert_eq!(
            code(countersign(&dg, signing(&a, &[]), now())),
            ErrorCode::Forbidden
        );
        let a = countersign(&centrale, signing(&a, &[]), now()).unwrap();
        assert_eq!(a.status, AdhesionStatus::Countersigned);
        assert_eq!(
            a.countersignature.as_ref().unwrap().role,
            Role::CentraleStaff
        );
        assert_eq!(code(activate(&dg, Some(&a), now())), ErrorCode::Forbidden);
        assert_eq!(code(activate(&centrale, None, now())), ErrorCode::NotFound);
        let a = activate(&centrale, Some(&a), now()).unwrap();
        assert_eq!(
            (a.status, a.activated_at),
            (AdhesionStatus::Active, Some(now()))
        );
    }

    fn mayor_acting(from: NaiveDate, to: NaiveDate) -> Substitution {
        Substitution {
            id: Uuid::from_u128(5),
            commune_nis: "84009".into(),
            capacity: Capacity::MayorActing,
            substitute_username: "agent.84009".into(),
            substitute_user_id: actor(Role::CommuneStaff).user_id,
            substitute_name: "CommuneStaff".into(),
            substitute_gender: Gender::Female,
            from,
            to,
            decision: Decision {
                organ: Organ::College,
                reference: "COL/2026/5".into(),
                date: date(2026, 11, 2),
                financial_opinion: None,
            },
            ranked_before_unavailable: None,
            documents: None,
            recorded_by: "Mayor".into(),
            recorded_at: now(),
            ended: None,
        }
    }

    #[test]
    fn rule_cdld_l1123_5_a_substitute_signs_in_the_mayors_place_on_a_day_covered() {
        let a = decided();
        let agent = actor(Role::CommuneStaff);
        let covering = [mayor_acting(date(2026, 11, 20), date(2026, 12, 20))];
        let a = sign(&agent, signing(&a, &covering), now()).unwrap();
        let s = a.mayor_signature.as_ref().unwrap();
        assert_eq!((s.role, s.capacity), (Role::Mayor, Capacity::MayorActing));
        assert_eq!(s.substitution.as_ref().unwrap().id, Uuid::from_u128(5));
        assert!(s.title.contains("f.f."), "{}", s.title);
        // Named for later days only: refused, saying for which days.
        let later = [mayor_acting(date(2026, 12, 1), date(2026, 12, 20))];
        assert_eq!(
            code(sign(&agent, signing(&decided(), &later), now())),
            ErrorCode::SubstitutionNotInForce
        );
    }

    #[test]
    fn rule_convention_art_12_notice_by_both_signatories_dated_by_the_server() {
        let a = active();
        let input = |a, reason| Terminate {
            adhesion: Some(a),
            substitutions: &[],
            reason,
        };
        let dg = actor(Role::DirectorGeneral);
        let reason = "Le conseil a décidé de se retirer de la centrale.";
        assert_eq!(
            code(terminate(
                &actor(Role::CommuneStaff),
                input(&a, reason),
                now()
            )),
            ErrorCode::Forbidden
        );
        assert_eq!(
            code(terminate(&dg, input(&a, "  "), now())),
            ErrorCode::TerminationReasonMissing
        );
        let draft = decided();
        assert_eq!(
            code(terminate(&dg, input(&draft, reason), now())),
            ErrorCode::InvalidState
        );
        let a = terminate(&dg, input(&a, reason), now()).unwrap();
        let t = a.termination.as_ref().unwrap();
        assert!(!t.is_given());
        let mayor = actor(Role::Mayor);
        assert_eq!(
            code(terminate(
                &mayor,
                input(&a, "Une autre raison, tout à fait."),
                now()
            )),
            ErrorCode::TerminationReasonDiffers
        );
        let a = terminate(&mayor, input(&a, reason), now()).unwrap();
        let t = a.termination.as_ref().unwrap();
        assert!(t.is_given());
        // Notice on 29/11 → notice from 01/12 to 28/02 → effective 01/03.
        assert_eq!(
            (t.notice_date, t.effective_date),
            (date(2026, 11, 29), date(2027, 3, 1))
        );
        assert_eq!(a.status_on(date(2027, 2, 28)), AdhesionStatus::Active);
        assert_eq!(a.status_on(date(2027, 3, 1)), AdhesionStatus::Terminated);
    }
}
