//! The needs survey as the screens show it (issue 16 §3): the surveys with where this commune
//! stands (or, for the centrale, how many communes answered), one survey with the commune's
//! answers, and the centrale's results per commune and per need.

use std::collections::BTreeMap;

use centrale_domain::catalogue::Service;
use centrale_domain::commune::Commune;
use centrale_domain::survey::{
    self, response_key, NeedRef, QuestionResults, ResponseSignature, ResponseStatus, Survey,
    SurveyResponse,
};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live;
use crate::error::Result;

/// One survey in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyRow {
    /// Its id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// The last day answers are accepted.
    pub closes_on: NaiveDate,
    /// Answers are still accepted today.
    pub open: bool,
    /// When it was published.
    pub published_at: DateTime<Utc>,
    /// How many questions it asks.
    pub questions: u32,
    /// A commune: where its answers stand (none: not started).
    pub my_status: Option<ResponseStatus>,
    /// A commune: its answers wait on this PC to be sent to the server.
    pub my_pending: bool,
    /// The communes whose answers are sent (for the centrale; a commune sees its own only).
    pub sent: u32,
    /// The communes with a draft not yet sent.
    pub drafts: u32,
}

/// The « Enquêtes » screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveysScreen {
    /// The surveys, the newest first.
    pub surveys: Vec<SurveyRow>,
}

/// One survey, as a commune answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyPage {
    /// The survey.
    pub survey: Survey,
    /// Answers are still accepted today.
    pub open: bool,
    /// The commune's answers so far (a draft, or sent).
    pub response: Option<SurveyResponse>,
    /// They wait on this PC to be sent to the server.
    pub pending: bool,
}

/// Where one commune stands, for the centrale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneResponseLine {
    /// The commune.
    pub commune_nis: String,
    /// Its name.
    pub commune_name: String,
    /// Draft or sent.
    pub status: ResponseStatus,
    /// Who sent it, and when.
    pub sent: Option<ResponseSignature>,
    /// When it was last saved.
    pub saved_at: DateTime<Utc>,
    /// Its answers, once sent (a draft is the commune's own work: not shown).
    pub answers: Vec<centrale_domain::survey::SurveyAnswer>,
}

/// A need the centrale turned into a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServedNeed {
    /// The need.
    pub need: NeedRef,
    /// The service.
    pub service_id: Uuid,
    /// Its name.
    pub service_name: String,
}

/// The centrale's results of one survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyResultsView {
    /// The survey.
    pub survey: Survey,
    /// Answers are still accepted today.
    pub open: bool,
    /// The communes in force today, and any other that answered (what the counts are out of).
    pub communes_total: u32,
    /// Each commune that started answering, by name.
    pub communes: Vec<CommuneResponseLine>,
    /// Per question, over the answers sent.
    pub results: Vec<QuestionResults>,
    /// Commune names by NIS code (the results name communes by code).
    pub names: BTreeMap<String, String>,
    /// The needs already turned into a service.
    pub served: Vec<ServedNeed>,
}

fn responses(conn: &Connection, survey: Uuid) -> Result<Vec<live::Live<SurveyResponse>>> {
    live::children::<SurveyResponse>(conn, RecordKind::SurveyResponse, &survey.to_string())
}

fn question_count(s: &Survey) -> u32 {
    u32::try_from(s.questions().count()).unwrap_or(u32::MAX)
}

pub(crate) fn screen(conn: &Connection, today: NaiveDate) -> Result<SurveysScreen> {
    let scope = live::commune_scope(conn)?;
    let mut surveys = Vec::new();
    for s in live::of_kind::<Survey>(conn, RecordKind::Survey, None)? {
        let s = s.body;
        let all = responses(conn, s.id)?;
        let count = |status| {
            u32::try_from(all.iter().filter(|r| r.body.status == status).count())
                .unwrap_or(u32::MAX)
        };
        let mine = scope
            .as_deref()
            .and_then(|nis| all.iter().find(|r| r.body.commune_nis == nis));
        surveys.push(SurveyRow {
            id: s.id,
            title: s.title.clone(),
            closes_on: s.closes_on,
            open: s.is_open(today),
            published_at: s.published_at,
            questions: question_count(&s),
            my_status: mine.map(|r| r.body.status),
            my_pending: mine.is_some_and(|r| r.pending),
            sent: count(ResponseStatus::Sent),
            drafts: count(ResponseStatus::Draft),
        });
    }
    // Ids are time-ordered (v7): the newest first.
    surveys.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
    Ok(SurveysScreen { surveys })
}

pub(crate) fn page(conn: &Connection, id: Uuid, today: NaiveDate) -> Result<Option<SurveyPage>> {
    let Some(s) = live::one::<Survey>(conn, RecordKind::Survey, &id.to_string())? else {
        return Ok(None);
    };
    let mine = match live::commune_scope(conn)? {
        Some(nis) => {
            live::one::<SurveyResponse>(conn, RecordKind::SurveyResponse, &response_key(id, &nis))?
        }
        None => None,
    };
    Ok(Some(SurveyPage {
        open: s.body.is_open(today),
        pending: mine.as_ref().is_some_and(|r| r.pending),
        response: mine.map(|r| r.body),
        survey: s.body,
    }))
}

pub(crate) fn results(
    conn: &Connection,
    id: Uuid,
    today: NaiveDate,
) -> Result<Option<SurveyResultsView>> {
    let Some(s) = live::one::<Survey>(conn, RecordKind::Survey, &id.to_string())? else {
        return Ok(None);
    };
    let s = s.body;
    let communes = live::of_kind::<Commune>(conn, RecordKind::Commune, None)?;
    let all: Vec<SurveyResponse> = responses(conn, id)?.into_iter().map(|r| r.body).collect();
    // Out of the communes in force today (a merged commune's code is not), and any other
    // that answered before it ended.
    let counted: std::collections::BTreeSet<&str> = communes
        .iter()
        .filter(|c| c.body.is_valid_on(today))
        .map(|c| c.body.nis_code.as_str())
        .chain(all.iter().map(|r| r.commune_nis.as_str()))
        .collect();
    let communes_total = u32::try_from(counted.len()).unwrap_or(u32::MAX);
    let names: BTreeMap<String, String> = communes
        .into_iter()
        .map(|c| (c.body.nis_code.to_string(), c.body.name_fr))
        .collect();
    let mut communes: Vec<CommuneResponseLine> = all
        .iter()
        .map(|r| CommuneResponseLine {
            commune_name: names
                .get(&r.commune_nis)
                .cloned()
                .unwrap_or_else(|| r.commune_nis.clone()),
            commune_nis: r.commune_nis.clone(),
            status: r.status,
            sent: r.sent.clone(),
            saved_at: r.saved_at,
            answers: if r.status == ResponseStatus::Sent {
                r.answers.clone()
            } else {
                Vec::new()
            },
        })
        .collect();
    communes.sort_by(|a, b| a.commune_name.cmp(&b.commune_name));
    let served = live::of_kind::<Service>(conn, RecordKind::Service, None)?
        .into_iter()
        .filter_map(|svc| {
            let origin = svc.body.from_need.as_ref()?;
            (origin.need.survey_id == id).then(|| ServedNeed {
                need: origin.need.clone(),
                service_id: svc.body.id,
                service_name: svc.body.name_fr.clone(),
            })
        })
        .collect();
    Ok(Some(SurveyResultsView {
        open: s.is_open(today),
        communes_total,
        communes,
        results: survey::results(&s, &all),
        names,
        served,
        survey: s,
    }))
}

/// Every survey with its sent answers, for the CSV export (the centrale's).
pub(crate) fn sent_answers(
    conn: &Connection,
    only: Option<Uuid>,
) -> Result<Vec<(Survey, Vec<SurveyResponse>)>> {
    let mut out = Vec::new();
    for s in live::of_kind::<Survey>(conn, RecordKind::Survey, None)? {
        if only.is_some_and(|id| id != s.body.id) {
            continue;
        }
        let sent = responses(conn, s.body.id)?
            .into_iter()
            .map(|r| r.body)
            .filter(|r| r.status == ResponseStatus::Sent)
            .collect();
        out.push((s.body, sent));
    }
    Ok(out)
}
