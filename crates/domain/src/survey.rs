//! The needs survey (issue 16 §3): the centrale asks its communes what they need, theme by
//! theme (choices, numbers, free text); each commune answers on its PC, offline if need be,
//! keeps a draft, and sends its answers signed by its directeur général; the centrale reads
//! the answers per commune and per need, and turns a need into a new service of the catalogue
//! (`crate::decide::catalogue::add_service` with a [`NeedRef`]).
//!
//! A survey is not a procurement act: it prepares the centrale's own procurement (a market
//! consultation, Dir. 2014/24 art. 40; law of 17 June 2016 art. 52 — « consultations
//! préalables du marché », here of the buyers, not of the providers), so no rule of the
//! competition applies. What the code holds: a commune answers for itself only, until the
//! survey's closing day (Brussels, server time), and its answers, once sent by the directeur
//! général (who signs the commune's correspondence, CDLD L1132-3), no longer change.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ErrorCode;
use crate::limits::{self, check_max};
use crate::DomainError;

/// A choice of a question: one need the commune may tick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyChoice {
    /// Stable code within its question (`parking`).
    pub code: String,
    /// As the commune reads it.
    pub label_fr: String,
}

/// What a question asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One choice (`multiple: false`) or several among a list: each choice is a need.
    Choice {
        /// The choices, in the order shown.
        choices: Vec<SurveyChoice>,
        /// Several may be ticked.
        multiple: bool,
    },
    /// A whole number from 0 to `max` (sites, inhabitants, euros of budget…).
    Number {
        /// What is counted, after the number (« sites », « € »).
        unit_fr: String,
        /// The largest number accepted.
        max: i64,
    },
    /// A few sentences.
    Text,
}

/// A question of a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyQuestion {
    /// Stable code, unique in the survey (`mobilite-besoins`).
    pub code: String,
    /// The question.
    pub text_fr: String,
    /// A precision under the question.
    #[serde(default)]
    pub help_fr: String,
    /// Must be answered before the answers are sent.
    pub required: bool,
    /// Choices, number or text.
    pub kind: QuestionKind,
}

/// A theme: questions shown together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyTheme {
    /// Its title (« Mobilité »).
    pub title_fr: String,
    /// Its questions, in order.
    pub questions: Vec<SurveyQuestion>,
}

/// A survey of the communes' needs, published by the centrale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Survey {
    /// Record id.
    pub id: Uuid,
    /// Its title.
    pub title: String,
    /// What it is for, shown above the questions.
    #[serde(default)]
    pub intro: String,
    /// The themes, in order.
    pub themes: Vec<SurveyTheme>,
    /// The last day answers are accepted (Brussels; the server's clock decides).
    pub closes_on: NaiveDate,
    /// When it was published (server time).
    pub published_at: DateTime<Utc>,
    /// Who published it.
    pub published_by: String,
}

/// What the centrale publishes (the record less what the server sets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyDraft {
    /// Its title.
    pub title: String,
    /// What it is for.
    #[serde(default)]
    pub intro: String,
    /// The themes.
    pub themes: Vec<SurveyTheme>,
    /// The last day answers are accepted.
    pub closes_on: NaiveDate,
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// The codes of the choices ticked.
    Choices(Vec<String>),
    /// A whole number.
    Number(i64),
    /// A text.
    Text(String),
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyAnswer {
    /// The question's code.
    pub question: String,
    /// The answer.
    pub value: AnswerValue,
}

/// Where a commune's answers stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    /// Saved, not sent: the commune may change it.
    Draft,
    /// Sent, signed by the directeur général: final.
    Sent,
}

/// Who sent the answers, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResponseSignature {
    /// The directeur général's name.
    pub name: String,
    /// Their title as signed (« Directrice générale »).
    pub title: String,
    /// When (server time once accepted).
    pub at: DateTime<Utc>,
}

/// A commune's answers to a survey (one per commune: its key is [`response_key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SurveyResponse {
    /// The survey.
    pub survey_id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// The answers given so far, in the survey's order.
    pub answers: Vec<SurveyAnswer>,
    /// Draft or sent.
    pub status: ResponseStatus,
    /// Who saved it last.
    pub saved_by: String,
    /// When.
    pub saved_at: DateTime<Utc>,
    /// The signature, once sent.
    #[serde(default)]
    pub sent: Option<ResponseSignature>,
}

/// The record key of commune `nis`'s answers to survey `survey`.
pub fn response_key(survey: Uuid, nis: &str) -> String {
    format!("{survey}:{nis}")
}

/// A need of a survey: a choice of one of its questions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedRef {
    /// The survey.
    pub survey_id: Uuid,
    /// The question's code.
    pub question: String,
    /// The choice's code.
    pub choice: String,
}

/// Where a service of the catalogue comes from: the need it answers, as the survey named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NeedOrigin {
    /// The need.
    pub need: NeedRef,
    /// The survey's title.
    pub survey_title: String,
    /// The need's words (the choice's label).
    pub label_fr: String,
    /// How many communes had expressed it when the service was added.
    pub communes: u32,
}

/// A service added to the catalogue within this many days is shown as new to every commune.
pub const NEW_SERVICE_DAYS: u32 = 90;

/// Whether a service added on `added_on` (Brussels) is still new on `today`.
pub fn is_new(added_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    added_on.is_some_and(|d| d <= today && (today - d).num_days() < i64::from(NEW_SERVICE_DAYS))
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn text(field: String, value: &str, max: usize) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        return Err(DomainError::field(ErrorCode::TextRequired, field).with("max_chars", max));
    }
    check_max(field, value, max)
}

impl SurveyDraft {
    /// Every rule of a survey's content: a title, themes with questions, codes unique, a
    /// choice question with two choices at least, a number's maximum above zero, a closing day
    /// not before `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<(), DomainError> {
        text("title".into(), &self.title, limits::SURVEY_TITLE_MAX_CHARS)?;
        check_max("intro", &self.intro, limits::SURVEY_TEXT_MAX_CHARS)?;
        if self.closes_on < today {
            return Err(
                DomainError::field(ErrorCode::SurveyClosesInPast, "closes_on")
                    .with("date", self.closes_on)
                    .with("today", today),
            );
        }
        if self.themes.is_empty() {
            return Err(DomainError::field(ErrorCode::SurveyEmpty, "themes"));
        }
        let mut codes = BTreeSet::new();
        let mut count = 0usize;
        for (t, theme) in self.themes.iter().enumerate() {
            let at = format!("themes[{t}]");
            text(
                format!("{at}.title_fr"),
                &theme.title_fr,
                limits::SURVEY_TITLE_MAX_CHARS,
            )?;
            if theme.questions.is_empty() {
                return Err(DomainError::field(
                    ErrorCode::SurveyEmpty,
                    format!("{at}.questions"),
                ));
            }
            for (q, question) in theme.questions.iter().enumerate() {
                count += 1;
                if count > limits::SURVEY_QUESTIONS_MAX {
                    return Err(DomainError::field(
                        ErrorCode::SurveyTooManyQuestions,
                        format!("{at}.questions"),
                    )
                    .with("max", limits::SURVEY_QUESTIONS_MAX));
                }
                let at = format!("{at}.questions[{q}]");
                question.validate(&at, &mut codes)?;
            }
        }
        Ok(())
    }
}

impl SurveyQuestion {
    fn validate(&self, at: &str, codes: &mut BTreeSet<String>) -> Result<(), DomainError> {
        if !code_ok(&self.code) {
            return Err(DomainError::field(
                ErrorCode::SurveyCodeInvalid,
                format!("{at}.code"),
            ));
        }
        check_max(
            format!("{at}.code"),
            &self.code,
            limits::PRICE_LINE_CODE_MAX_CHARS,
        )?;
        if !codes.insert(self.code.clone()) {
            return Err(
                DomainError::field(ErrorCode::SurveyCodeDuplicate, format!("{at}.code"))
                    .with("code", &self.code),
            );
        }
        text(
            format!("{at}.text_fr"),
            &self.text_fr,
            limits::SURVEY_QUESTION_MAX_CHARS,
        )?;
        check_max(
            format!("{at}.help_fr"),
            &self.help_fr,
            limits::SURVEY_TEXT_MAX_CHARS,
        )?;
        match &self.kind {
            QuestionKind::Choice { choices, .. } => {
                if choices.len() < 2 || choices.len() > limits::SURVEY_CHOICES_MAX {
                    return Err(DomainError::field(
                        ErrorCode::SurveyChoicesCount,
                        format!("{at}.kind.choices"),
                    )
                    .with("max", limits::SURVEY_CHOICES_MAX));
                }
                let mut seen = BTreeSet::new();
                for (c, choice) in choices.iter().enumerate() {
                    let at = format!("{at}.kind.choices[{c}]");
                    if !code_ok(&choice.code) {
                        return Err(DomainError::field(
                            ErrorCode::SurveyCodeInvalid,
                            format!("{at}.code"),
                        ));
                    }
                    check_max(
                        format!("{at}.code"),
                        &choice.code,
                        limits::PRICE_LINE_CODE_MAX_CHARS,
                    )?;
                    if !seen.insert(choice.code.as_str()) {
                        return Err(DomainError::field(
                            ErrorCode::SurveyCodeDuplicate,
                            format!("{at}.code"),
                        )
                        .with("code", &choice.code));
                    }
                    text(
                        format!("{at}.label_fr"),
                        &choice.label_fr,
                        limits::SURVEY_CHOICE_MAX_CHARS,
                    )?;
                }
            }
            QuestionKind::Number { unit_fr, max } => {
                check_max(
                    format!("{at}.kind.unit_fr"),
                    unit_fr,
                    limits::PRICE_LINE_UNIT_MAX_CHARS,
                )?;
                if *max <= 0 || *max > limits::SURVEY_NUMBER_MAX {
                    return Err(DomainError::field(
                        ErrorCode::SurveyNumberMaxInvalid,
                        format!("{at}.kind.max"),
                    )
                    .with("max", limits::SURVEY_NUMBER_MAX));
                }
            }
            QuestionKind::Text => {}
        }
        Ok(())
    }

    /// Checks one answer to this question (`field`: where the answer is).
    fn check(&self, value: &AnswerValue, field: &str) -> Result<(), DomainError> {
        let wrong = || {
            DomainError::field(ErrorCode::SurveyAnswerInvalid, field)
                .with("question", &self.text_fr)
        };
        match (&self.kind, value) {
            (QuestionKind::Choice { choices, multiple }, AnswerValue::Choices(ticked)) => {
                let mut seen = BTreeSet::new();
                for code in ticked {
                    if !choices.iter().any(|c| &c.code == code) || !seen.insert(code) {
                        return Err(wrong());
                    }
                }
                if !multiple && ticked.len() > 1 {
                    return Err(wrong());
                }
                Ok(())
            }
            (QuestionKind::Number { max, .. }, AnswerValue::Number(n)) => {
                if *n < 0 || n > max {
                    return Err(DomainError::field(ErrorCode::SurveyNumberOutOfRange, field)
                        .with("question", &self.text_fr)
                        .with("max", max));
                }
                Ok(())
            }
            (QuestionKind::Text, AnswerValue::Text(t)) => {
                check_max(field, t, limits::SURVEY_ANSWER_MAX_CHARS)
            }
            _ => Err(wrong()),
        }
    }
}

impl AnswerValue {
    /// Nothing said: no choice ticked, a blank text.
    pub fn is_blank(&self) -> bool {
        match self {
            AnswerValue::Choices(c) => c.is_empty(),
            AnswerValue::Number(_) => false,
            AnswerValue::Text(t) => t.trim().is_empty(),
        }
    }
}

impl Survey {
    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &SurveyQuestion> {
        self.themes.iter().flat_map(|t| t.questions.iter())
    }

    /// The question of code `code`.
    pub fn question(&self, code: &str) -> Option<&SurveyQuestion> {
        self.questions().find(|q| q.code == code)
    }

    /// Whether answers are still accepted on `today` (Brussels).
    pub fn is_open(&self, today: NaiveDate) -> bool {
        today <= self.closes_on
    }

    /// The need `need` names in this survey: its question's choice.
    pub fn need(&self, need: &NeedRef) -> Option<&SurveyChoice> {
        if need.survey_id != self.id {
            return None;
        }
        match &self.question(&need.question)?.kind {
            QuestionKind::Choice { choices, .. } => choices.iter().find(|c| c.code == need.choice),
            _ => None,
        }
    }

    /// Checks `answers` against the questions (each known once, of the question's kind) and
    /// returns them in the survey's order, blanks left out. With `complete`, every required
    /// question must be answered (the answers are being sent).
    pub fn check_answers(
        &self,
        answers: &[SurveyAnswer],
        complete: bool,
    ) -> Result<Vec<SurveyAnswer>, DomainError> {
        let mut by_code: BTreeMap<&str, &AnswerValue> = BTreeMap::new();
        for (i, a) in answers.iter().enumerate() {
            let field = format!("answers[{i}]");
            let question = self.question(&a.question).ok_or_else(|| {
                DomainError::field(ErrorCode::SurveyQuestionUnknown, &field)
                    .with("code", &a.question)
            })?;
            if by_code.insert(question.code.as_str(), &a.value).is_some() {
                return Err(DomainError::field(ErrorCode::SurveyCodeDuplicate, &field)
                    .with("code", &a.question));
            }
            question.check(&a.value, &format!("{field}.value"))?;
        }
        let mut out = Vec::with_capacity(by_code.len());
        for q in self.questions() {
            match by_code.get(q.code.as_str()) {
                Some(v) if !v.is_blank() => out.push(SurveyAnswer {
                    question: q.code.clone(),
                    value: match v {
                        AnswerValue::Text(t) => AnswerValue::Text(t.trim().to_string()),
                        other => (*other).clone(),
                    },
                }),
                _ if complete && q.required => {
                    return Err(DomainError::field(
                        ErrorCode::SurveyAnswerMissing,
                        format!("question:{}", q.code),
                    )
                    .with("question", &q.text_fr));
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The centrale publishes a survey (checked; `today` Brussels).
pub fn publish(
    id: Uuid,
    draft: &SurveyDraft,
    published_by: &str,
    now: DateTime<Utc>,
) -> Result<Survey, DomainError> {
    draft.validate(crate::time::brussels_today(now))?;
    Ok(Survey {
        id,
        title: draft.title.trim().to_string(),
        intro: draft.intro.trim().to_string(),
        themes: draft.themes.clone(),
        closes_on: draft.closes_on,
        published_at: now,
        published_by: published_by.to_string(),
    })
}

/// What saving or sending a commune's answers reads.
#[derive(Debug, Clone, Copy)]
pub struct Answering<'a> {
    /// The survey.
    pub survey: &'a Survey,
    /// The commune's answers so far, if any.
    pub current: Option<&'a SurveyResponse>,
    /// The commune.
    pub commune_nis: &'a str,
    /// The answers.
    pub answers: &'a [SurveyAnswer],
    /// Who saves or sends.
    pub by: &'a str,
}

/// Saves a commune's answers (a draft, or sent with `signature`): refused after the closing
/// day, or once sent.
pub fn answer(
    input: Answering<'_>,
    signature: Option<ResponseSignature>,
    now: DateTime<Utc>,
) -> Result<SurveyResponse, DomainError> {
    let today = crate::time::brussels_today(now);
    if !input.survey.is_open(today) {
        return Err(DomainError::rule(ErrorCode::SurveyClosed)
            .with("closes_on", input.survey.closes_on)
            .with("today", today));
    }
    if let Some(sent) = input.current.and_then(|r| r.sent.as_ref()) {
        return Err(DomainError::rule(ErrorCode::SurveyResponseSent)
            .with("name", &sent.name)
            .with("date", crate::time::brussels_today(sent.at)));
    }
    let answers = input
        .survey
        .check_answers(input.answers, signature.is_some())?;
    Ok(SurveyResponse {
        survey_id: input.survey.id,
        commune_nis: input.commune_nis.to_string(),
        answers,
        status: if signature.is_some() {
            ResponseStatus::Sent
        } else {
            ResponseStatus::Draft
        },
        saved_by: input.by.to_string(),
        saved_at: now,
        sent: signature,
    })
}

/// How many communes ticked one choice, and which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChoiceCount {
    /// The choice.
    pub choice: SurveyChoice,
    /// The communes (NIS codes) that ticked it.
    pub communes: Vec<String>,
}

/// One commune's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneNumber {
    /// The commune.
    pub commune_nis: String,
    /// Its answer.
    pub value: i64,
}

/// One commune's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneText {
    /// The commune.
    pub commune_nis: String,
    /// Its answer.
    pub value: String,
}

/// What the sent answers say to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionResult {
    /// Per choice, the communes, the most chosen first.
    Choice {
        /// The counts.
        counts: Vec<ChoiceCount>,
    },
    /// The numbers given, their total.
    Number {
        /// Per commune.
        values: Vec<CommuneNumber>,
        /// Their sum.
        total: i64,
    },
    /// The texts given.
    Text {
        /// Per commune.
        values: Vec<CommuneText>,
    },
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionResults {
    /// The question's code.
    pub question: String,
    /// How many communes answered it.
    pub answered: u32,
    /// What they said.
    pub result: QuestionResult,
}

/// The results of a survey over the answers sent (drafts are the communes' own work, not
/// yet said).
pub fn results(survey: &Survey, responses: &[SurveyResponse]) -> Vec<QuestionResults> {
    let sent: Vec<&SurveyResponse> = responses
        .iter()
        .filter(|r| r.survey_id == survey.id && r.status == ResponseStatus::Sent)
        .collect();
    let answer_of = |r: &SurveyResponse, code: &str| -> Option<AnswerValue> {
        r.answers
            .iter()
            .find(|a| a.question == code)
            .map(|a| a.value.clone())
    };
    survey
        .questions()
        .map(|q| {
            let given: Vec<(String, AnswerValue)> = sent
                .iter()
                .filter_map(|r| answer_of(r, &q.code).map(|v| (r.commune_nis.clone(), v)))
                .collect();
            let answered = u32::try_from(given.len()).unwrap_or(u32::MAX);
            let result = match &q.kind {
                QuestionKind::Choice { choices, .. } => {
                    let mut counts: Vec<ChoiceCount> = choices
                        .iter()
                        .map(|c| {
                            ChoiceCount {
                            choice: c.clone(),
                            communes: given
                                .iter()
                                .filter(|(_, v)| {
                                    matches!(v, AnswerValue::Choices(t) if t.contains(&c.code))
                                })
                                .map(|(nis, _)| nis.clone())
                                .collect(),
                        }
                        })
                        .collect();
                    // The most expressed need first; ties in the survey's order (stable sort).
                    counts.sort_by_key(|c| std::cmp::Reverse(c.communes.len()));
                    QuestionResult::Choice { counts }
                }
                QuestionKind::Number { .. } => {
                    let values: Vec<CommuneNumber> = given
                        .iter()
                        .filter_map(|(nis, v)| match v {
                            AnswerValue::Number(n) => Some(CommuneNumber {
                                commune_nis: nis.clone(),
                                value: *n,
                            }),
                            _ => None,
                        })
                        .collect();
                    let total = values.iter().map(|v| v.value).sum();
                    QuestionResult::Number { values, total }
                }
                QuestionKind::Text => QuestionResult::Text {
                    values: given
                        .iter()
                        .filter_map(|(nis, v)| match v {
                            AnswerValue::Text(t) => Some(CommuneText {
                                commune_nis: nis.clone(),
                                value: t.clone(),
                            }),
                            _ => None,
                        })
                        .collect(),
                },
            };
            QuestionResults {
                question: q.code.clone(),
                answered,
                result,
            }
        })
        .collect()
}

/// How many communes expressed need `need` in their sent answers.
pub fn communes_expressing(need: &NeedRef, responses: &[SurveyResponse]) -> u32 {
    let n = responses
        .iter()
        .filter(|r| r.survey_id == need.survey_id && r.status == ResponseStatus::Sent)
        .filter(|r| {
            r.answers.iter().any(|a| {
                a.question == need.question
                    && matches!(&a.value, AnswerValue::Choices(c) if c.contains(&need.choice))
            })
        })
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The words of an answer, as the export and the screens write it.
pub fn answer_text_fr(question: &SurveyQuestion, value: &AnswerValue) -> String {
    match (&question.kind, value) {
        (QuestionKind::Choice { choices, .. }, AnswerValue::Choices(ticked)) => ticked
            .iter()
            .map(|code| {
                choices
                    .iter()
                    .find(|c| &c.code == code)
                    .map_or(code.as_str(), |c| c.label_fr.as_str())
            })
            .collect::<Vec<_>>()
            .join(" ; "),
        (QuestionKind::Number { unit_fr, .. }, AnswerValue::Number(n)) => {
            if unit_fr.is_empty() {
                n.to_string()
            } else {
                format!("{n} {unit_fr}")
            }
        }
        (_, AnswerValue::Text(t)) => t.clone(),
        (_, AnswerValue::Choices(c)) => c.join(" ; "),
        (_, AnswerValue::Number(n)) => n.to_string(),
    }
}

#[cfg(test)]
mod tests;
