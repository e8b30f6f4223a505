//! What waits for the signed-in person (issue 14 §2): the acts they may do now on a record of
//! this PC, and the late milestones of the deployments they follow. The menu shows how many;
//! after a sync, the desktop notifies the ones it has not notified yet (`Store::take_unnotified`).
//!
//! Who may do an act is the domain's own answer — the permission matrix (`authorize`) and, for
//! what a substitute may sign, `signer_for` on the day — never a list of roles typed here.

use std::collections::{BTreeSet, HashMap};

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::deployment::MilestoneKind;
use centrale_domain::permission::{authorize, Act, Actor, Owner};
use centrale_domain::signatory::{signer_for, Substitution, SUBSTITUTE_SIGNS};
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::adhesion::{self, AdhesionStep};
use super::live::{self, Live};
use super::orders::{self, next_action, NextActionCode, OrderHead};
use crate::error::Result;

/// What kind of thing waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WaitingKind {
    /// The decision to join is to be recorded.
    RecordAdhesionDecision,
    /// The convention waits for this person's signature.
    SignAdhesion,
    /// The notice of termination waits for this person's signature.
    SignTermination,
    /// The centrale countersigns a convention.
    CountersignAdhesion,
    /// The centrale activates an adhesion.
    ActivateAdhesion,
    /// The centrale reopens competition for an order.
    LaunchCompetition,
    /// The offers are opened: the commune scores them.
    EvaluateOffers,
    /// The offers are scored: the collège awards.
    AwardOrder,
    /// The centrale sends the purchase order.
    IssuePurchaseOrder,
    /// The service is live: the provisional acceptance is to be signed.
    AcceptProvisionally,
    /// The guarantee period has run: the final acceptance is to be signed.
    AcceptFinally,
    /// A milestone's planned date has passed.
    LateMilestone,
    /// A framework in force ends within six months and no framework takes over: its
    /// successor is to be prepared (issue 16 point 5; `centrale_domain::tracking`).
    PrepareSuccessor,
    /// A needs survey is open and the commune's answers are not sent: its directeur général
    /// sends them (issue 16 §3).
    AnswerSurvey,
}

/// One thing waiting for the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Waiting {
    /// Stable across syncs: the same thing has the same key (what "already notified" means).
    pub key: String,
    /// What.
    pub kind: WaitingKind,
    /// The order, the adhesion, or the framework.
    pub record_id: Uuid,
    /// The order's title, the commune's name for an adhesion, the framework's reference and
    /// title for a framework.
    pub title: String,
    /// The commune (its NIS code); empty for a framework (every commune's).
    pub commune_nis: String,
    /// The commune's name; empty for a framework.
    pub commune_name: String,
    /// The late milestone's step.
    pub milestone: Option<MilestoneKind>,
    /// The late milestone's planned date.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub planned_date: Option<NaiveDate>,
    /// The framework's end date (a successor to prepare), or the survey's closing day.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub end_date: Option<NaiveDate>,
}

/// The meta key of the keys already notified to `user_id`.
fn notified_key(user_id: &str) -> String {
    format!("notified:{user_id}")
}

/// The keys already notified to `user_id` on this PC.
pub(crate) fn notified(conn: &Connection, user_id: &str) -> Result<BTreeSet<String>> {
    Ok(match crate::meta_get(conn, &notified_key(user_id))? {
        Some(json) => serde_json::from_str(&json)?,
        None => BTreeSet::new(),
    })
}

/// Records `keys` as notified to `user_id`. Every key told is kept (a few per order): a thing
/// that stops waiting for a while — an act done offline, then refused by the server — is not
/// told again when it comes back. A new step or a new planned date is a new key.
pub(crate) fn remember(conn: &Connection, user_id: &str, keys: &BTreeSet<String>) -> Result<()> {
    crate::meta_set(conn, &notified_key(user_id), &serde_json::to_string(keys)?)
}

/// Whether `actor` may do `act` on a record of `commune` today (a substitute on the days
/// their substitution covers, for what a substitute may sign).
fn may(
    actor: &Actor,
    act: Act,
    commune: &str,
    substitutions: &[Substitution],
    today: NaiveDate,
) -> bool {
    if SUBSTITUTE_SIGNS.contains(&act) {
        signer_for(actor, act, commune, substitutions, today).is_ok()
    } else {
        authorize(actor, act, Owner::Commune(commune)).is_ok()
    }
}

/// Everything waiting for the signed-in person on `today`, in a stable order (adhesions, then
/// orders by title, then frameworks by end date). Empty without a session, and for accounts
/// that do not use the desktop.
pub(crate) fn waiting(conn: &Connection, today: NaiveDate) -> Result<Vec<Waiting>> {
    let Some(me) = live::session(conn)? else {
        return Ok(Vec::new());
    };
    let actor = me.actor();
    let substitutions: Vec<Substitution> = live::of_kind(conn, RecordKind::Substitution, None)?
        .into_iter()
        .map(|s: Live<Substitution>| s.body)
        .collect();
    let communes: HashMap<String, String> = super::communes::list(conn, today)?
        .into_iter()
        .map(|c| (c.nis_code, c.name_fr))
        .collect();
    let commune_name = |nis: &str| {
        communes
            .get(nis)
            .cloned()
            .unwrap_or_else(|| nis.to_string())
    };
    let mut out = Vec::new();

    // Adhesions: the commune's own (a commune account), every commune's (the centrale).
    let scope = me.commune_nis.clone();
    let adhesion_communes: Vec<String> = match &scope {
        Some(nis) => vec![nis.clone()],
        None => communes.keys().cloned().collect(),
    };
    for nis in adhesion_communes {
        let Some(a) = adhesion::current(conn, &nis, Some(today))? else {
            continue;
        };
        let mut push = |kind: WaitingKind, step: &str| {
            out.push(Waiting {
                key: format!("adhesion:{}:{step}", a.id),
                kind,
                record_id: a.id,
                title: commune_name(&nis),
                commune_nis: nis.clone(),
                commune_name: commune_name(&nis),
                milestone: None,
                planned_date: None,
                end_date: None,
            });
        };
        match a.next_step {
            Some(AdhesionStep::RecordCollegeDecision)
                if may(
                    &actor,
                    Act::RecordAdhesionDecision,
                    &nis,
                    &substitutions,
                    today,
                ) =>
            {
                push(WaitingKind::RecordAdhesionDecision, "decision");
            }
            Some(AdhesionStep::CommuneSignatures) => {
                if let Ok(signer) =
                    signer_for(&actor, Act::SignAdhesion, &nis, &substitutions, today)
                {
                    if a.missing_signatures.contains(&signer.role) {
                        push(
                            WaitingKind::SignAdhesion,
                            &format!("sign:{:?}", signer.role),
                        );
                    }
                }
            }
            Some(AdhesionStep::Countersign)
                if may(
                    &actor,
                    Act::CountersignAdhesion,
                    &nis,
                    &substitutions,
                    today,
                ) =>
            {
                push(WaitingKind::CountersignAdhesion, "countersign");
            }
            Some(AdhesionStep::Activate)
                if may(&actor, Act::ActivateAdhesion, &nis, &substitutions, today) =>
            {
                push(WaitingKind::ActivateAdhesion, "activate");
            }
            _ => {}
        }
        if a.status == AdhesionStatus::Active && !a.missing_termination_signatures.is_empty() {
            if let Ok(signer) =
                signer_for(&actor, Act::TerminateAdhesion, &nis, &substitutions, today)
            {
                if a.missing_termination_signatures.contains(&signer.role) {
                    push(
                        WaitingKind::SignTermination,
                        &format!("terminate:{:?}", signer.role),
                    );
                }
            }
        }
    }

    // Orders: the act each one waits for, when it is this person's; late milestones for
    // whoever follows the deployment (the commune's accounts and the centrale).
    let mut heads = orders::heads(conn, scope.as_deref())?;
    heads.sort_by(|a, b| {
        a.body
            .title
            .cmp(&b.body.title)
            .then(a.body.id.cmp(&b.body.id))
    });
    let milestones = orders::milestones_for(conn, scope.as_deref(), &heads)?;
    for o in &heads {
        let h: &OrderHead = &o.body;
        let ms = milestones.get(&h.id).map_or(&[][..], Vec::as_slice);
        let order_item = |kind: WaitingKind, step: String| Waiting {
            key: format!("order:{}:{step}", h.id),
            kind,
            record_id: h.id,
            title: h.title.clone(),
            commune_nis: h.commune_nis.clone(),
            commune_name: commune_name(&h.commune_nis),
            milestone: None,
            planned_date: None,
            end_date: None,
        };
        let deadline = h.competition.as_ref().map(|c| c.deadline);
        // A pooled order is launched and analysed on its pool's page, not on its own.
        let pooled = h.pool_id.is_some();
        if let Some(action) = next_action(h.status, deadline, ms, pooled) {
            let wanted = match action.code {
                NextActionCode::LaunchCompetition | NextActionCode::Evaluate if pooled => None,
                NextActionCode::LaunchCompetition => {
                    Some((WaitingKind::LaunchCompetition, Act::LaunchCompetition))
                }
                NextActionCode::Evaluate => {
                    Some((WaitingKind::EvaluateOffers, Act::EvaluateOffers))
                }
                NextActionCode::Award => Some((WaitingKind::AwardOrder, Act::AwardOrder)),
                NextActionCode::IssuePurchaseOrder => {
                    Some((WaitingKind::IssuePurchaseOrder, Act::IssuePurchaseOrder))
                }
                NextActionCode::AcceptProvisionally => {
                    Some((WaitingKind::AcceptProvisionally, Act::AcceptOrder))
                }
                NextActionCode::AcceptFinally => {
                    Some((WaitingKind::AcceptFinally, Act::AcceptOrder))
                }
                // The commune's own drafts, the sealed wait, the provider's steps: nothing to
                // tell; late steps are told below.
                NextActionCode::Submit
                | NextActionCode::WaitOffers
                | NextActionCode::StartDeployment
                | NextActionCode::FollowDeployment => None,
            };
            if let Some((kind, act)) = wanted {
                if may(&actor, act, &h.commune_nis, &substitutions, today) {
                    // The status is in the key: an order relaunched or re-evaluated waits anew.
                    out.push(order_item(kind, format!("{:?}", h.status)));
                }
            }
        }
        // Whoever's PC holds the order follows it (the commune's accounts, the centrale).
        if orders::follows_milestones(h.status) {
            for m in ms
                .iter()
                .filter(|m| m.actual_date.is_none() && m.planned_date < today)
            {
                let mut item = order_item(
                    WaitingKind::LateMilestone,
                    format!("late:{:?}:{}", m.kind, m.planned_date),
                );
                item.milestone = Some(m.kind);
                item.planned_date = Some(m.planned_date);
                out.push(item);
            }
        }
    }

    // Needs surveys open whose answers this commune has not sent: for whoever sends them (the
    // directeur général; issue 16 §3).
    if let (Some(nis), true) = (
        actor.commune_nis.clone(),
        authorize(&actor, Act::SendSurveyAnswers, Owner::Own).is_ok(),
    ) {
        use centrale_domain::survey::{response_key, ResponseStatus, Survey, SurveyResponse};
        for s in live::of_kind::<Survey>(conn, RecordKind::Survey, None)? {
            let s = s.body;
            let sent = live::one::<SurveyResponse>(
                conn,
                RecordKind::SurveyResponse,
                &response_key(s.id, &nis),
            )?
            .is_some_and(|r| r.body.status == ResponseStatus::Sent);
            if s.is_open(today) && !sent {
                out.push(Waiting {
                    key: format!("survey:{}:answer", s.id),
                    kind: WaitingKind::AnswerSurvey,
                    record_id: s.id,
                    title: s.title,
                    commune_nis: nis.clone(),
                    commune_name: commune_name(&nis),
                    milestone: None,
                    planned_date: None,
                    end_date: Some(s.closes_on),
                });
            }
        }
    }

    // Frameworks whose successor is to be prepared: for whoever follows the frameworks (the
    // centrale). The end date is in the key: a framework extended and ending again is told
    // anew.
    if authorize(&actor, Act::TrackFrameworks, Owner::Own).is_ok() {
        for end in super::tracking::successors_needed(conn, today)? {
            out.push(Waiting {
                key: format!("framework:{}:successor:{}", end.framework_id, end.end_date),
                kind: WaitingKind::PrepareSuccessor,
                record_id: end.framework_id,
                title: match &end.service_name {
                    Some(service) => format!("{} — {service}", end.reference),
                    None => format!("{} — {}", end.reference, end.title_fr),
                },
                commune_nis: String::new(),
                commune_name: String::new(),
                milestone: None,
                planned_date: None,
                end_date: Some(end.end_date),
            });
        }
    }
    Ok(out)
}
