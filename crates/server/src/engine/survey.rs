//! The needs survey (issue 16 §3): this module loads what `centrale_domain::decide::survey`
//! reads and writes what it returns. A commune's answers are one record per survey and commune
//! (`survey::response_key`), filed under the survey.

use centrale_domain::decide::survey as decide;
use centrale_domain::survey::{response_key, Survey, SurveyResponse};
use centrale_protocol::mutations::{PublishSurvey, SurveyAnswers};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded};

const SURVEY: RecordKind = RecordKind::Survey;
const RESPONSE: RecordKind = RecordKind::SurveyResponse;

pub async fn publish(ctx: &mut Ctx<'_>, p: &PublishSurvey) -> Result<(), EngineError> {
    let id = p.survey_id.to_string();
    let id_taken = ctx.tx.get_record(SURVEY.as_str(), &id).await?.is_some();
    let survey = decide::publish(
        &ctx.actor.domain(),
        p.survey_id,
        id_taken,
        &p.survey,
        ctx.now,
    )?;
    let vis = visibility(SURVEY, None, None, false);
    ctx.save(SURVEY, &id, &survey, None, None, vis).await?;
    Ok(())
}

pub async fn answer(ctx: &mut Ctx<'_>, p: &SurveyAnswers, send: bool) -> Result<(), EngineError> {
    let survey: Option<Loaded<Survey>> = ctx.load(SURVEY, &p.survey_id.to_string()).await?;
    // A commune account only (the domain refuses the others before reading this).
    let key = ctx
        .actor
        .commune_nis
        .as_deref()
        .map(|nis| response_key(p.survey_id, nis));
    let current: Option<Loaded<SurveyResponse>> = match &key {
        Some(key) => ctx.load(RESPONSE, key).await?,
        None => None,
    };
    let response = decide::answer(
        &ctx.actor.domain(),
        survey.as_ref().map(|s| &s.value),
        current.as_ref().map(|r| &r.value),
        &p.answers,
        send,
        ctx.now,
    )?;
    let key = response_key(response.survey_id, &response.commune_nis);
    let vis = visibility(RESPONSE, Some(&response.commune_nis), None, false);
    ctx.save(
        RESPONSE,
        &key,
        &response,
        current.map(|r| r.version),
        Some(&response.survey_id.to_string()),
        vis,
    )
    .await?;
    Ok(())
}
