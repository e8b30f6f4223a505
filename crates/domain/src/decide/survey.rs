//! The needs survey (issue 16 §3; `crate::survey`): the centrale publishes, a commune saves a
//! draft of its answers or sends them signed by its directeur général — each act authorised
//! here, for the server and the PC alike.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::found;
use crate::permission::{authorize, Act, Actor, Owner};
use crate::signatory::{title_fr, Capacity};
use crate::survey::{
    self, Answering, ResponseSignature, Survey, SurveyAnswer, SurveyDraft, SurveyResponse,
};
use crate::{DomainError, ErrorCode};

/// `survey.publish`: the centrale publishes a survey under a new id.
pub fn publish(
    actor: &Actor,
    id: Uuid,
    id_taken: bool,
    draft: &SurveyDraft,
    now: DateTime<Utc>,
) -> Result<Survey, DomainError> {
    authorize(actor, Act::PublishSurvey, Owner::Own)?;
    if id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", id));
    }
    survey::publish(id, draft, &actor.display_name, now)
}

/// `survey.save_answers` (a draft, anyone of the commune) and `survey.send_answers` (`send`:
/// the directeur général signs): the commune's answers to `survey`, over `current`.
pub fn answer(
    actor: &Actor,
    survey: Option<&Survey>,
    current: Option<&SurveyResponse>,
    answers: &[SurveyAnswer],
    send: bool,
    now: DateTime<Utc>,
) -> Result<SurveyResponse, DomainError> {
    let act = if send {
        Act::SendSurveyAnswers
    } else {
        Act::SaveSurveyAnswers
    };
    authorize(actor, act, Owner::Own)?;
    let commune = actor.commune_nis.as_deref().ok_or(DomainError::NotFound)?;
    let survey = found(survey)?;
    let signature = send.then(|| ResponseSignature {
        name: actor.display_name.clone(),
        title: title_fr(actor.role, Capacity::Titular, actor.gender),
        at: now,
    });
    survey::answer(
        Answering {
            survey,
            current,
            commune_nis: commune,
            answers,
            by: &actor.display_name,
        },
        signature,
        now,
    )
}
