//! Running deployments: milestones planned vs actual, progress, late steps.

use std::collections::{HashMap, HashSet};

use centrale_domain::deployment::{Milestone, MilestoneKind, MilestoneStatus, ReplanRequest};
use centrale_domain::order::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live::{self, Live, Names};
use super::orders::{self, next_action, MilestoneHead, NextAction};
use crate::error::Result;

/// Done, total and late milestones of a deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    /// Milestones with an actual date.
    pub done: u32,
    /// Every milestone.
    pub total: u32,
    /// Milestones whose planned date has passed without an actual date.
    pub late: u32,
}

impl Progress {
    fn add(&mut self, status: MilestoneStatus) {
        self.total += 1;
        match status {
            MilestoneStatus::Done => self.done += 1,
            MilestoneStatus::Late => self.late += 1,
            MilestoneStatus::Planned => {}
        }
    }
}

/// One milestone as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MilestoneView {
    /// Milestone id.
    pub id: Uuid,
    /// Which step.
    pub kind: MilestoneKind,
    /// Planned date in force (moved only by a re-plan the commune accepted).
    pub planned_date: NaiveDate,
    /// The date planned at the start (issue 17 point 5); equal to `planned_date` until a
    /// re-plan is accepted.
    pub baseline_date: NaiveDate,
    /// The winner's offered lead time the plan started from (rule 16), when there was an offer.
    pub lead_time_days: Option<u32>,
    /// Re-plan requests, oldest first, with the commune's decisions.
    pub replans: Vec<ReplanRequest>,
    /// Actual date, once done.
    pub actual_date: Option<NaiveDate>,
    /// Planned, done or late on the day asked.
    pub status: MilestoneStatus,
    /// True when the planned date has passed without an actual date.
    pub late: bool,
    /// Free notes.
    pub notes: String,
    /// When the commune acknowledged it.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// A running deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeploymentRow {
    /// The order.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The commune.
    pub commune_nis: String,
    /// The service, when on this PC.
    pub service_name: Option<String>,
    /// The order's status.
    pub status: OrderStatus,
    /// The provider carrying it out.
    pub provider_id: Option<Uuid>,
    /// Its name, when on this PC.
    pub provider_name: Option<String>,
    /// The milestones in deployment order.
    pub milestones: Vec<MilestoneView>,
    /// Done / total / late.
    pub progress: Progress,
    /// What the order waits for.
    pub next_action: Option<NextAction>,
    /// A local change (to the order or a milestone) not yet accepted by the server.
    pub pending: bool,
    /// Who the signed-in account signs the acceptances as for this commune today: the
    /// titular, or a substitute on a day their substitution covers; none for anyone else.
    pub signer: Option<super::adhesion::SignerView>,
}

/// A milestone as shown on `today`, in deployment order.
pub(crate) fn views(milestones: Vec<Live<Milestone>>, today: NaiveDate) -> Vec<MilestoneView> {
    let mut views: Vec<MilestoneView> = milestones
        .into_iter()
        .map(|m| {
            let status = m.body.status_on(today);
            let baseline_date = m.body.baseline();
            let b = m.body;
            MilestoneView {
                id: b.id,
                kind: b.kind,
                planned_date: b.planned_date,
                baseline_date,
                lead_time_days: b.lead_time_days,
                replans: b.replans,
                actual_date: b.actual_date,
                status,
                late: status == MilestoneStatus::Late,
                notes: b.notes,
                acknowledged_at: b.acknowledged_at,
                acknowledged_by: b.acknowledged_by,
                pending: m.pending,
            }
        })
        .collect();
    in_deployment_order(&mut views);
    views
}

/// Milestones in the order a deployment goes through them.
pub(crate) fn in_deployment_order(views: &mut [MilestoneView]) {
    views.sort_by_key(|m| (m.kind, m.planned_date, m.id));
}

/// Progress of milestones on `today`.
pub(crate) fn progress(milestones: &[MilestoneView]) -> Progress {
    let mut p = Progress::default();
    for m in milestones {
        p.add(m.status);
    }
    p
}

/// Progress from milestone heads (for summaries that do not show each milestone).
pub(crate) fn progress_of_heads(milestones: &[MilestoneHead], today: NaiveDate) -> Progress {
    let mut p = Progress::default();
    for m in milestones {
        p.add(MilestoneStatus::on(m.planned_date, m.actual_date, today));
    }
    p
}

/// Heads of shown milestones (to compute the next action).
pub(crate) fn heads_of(milestones: &[MilestoneView]) -> Vec<MilestoneHead> {
    milestones
        .iter()
        .map(|m| MilestoneHead {
            kind: m.kind,
            planned_date: m.planned_date,
            actual_date: m.actual_date,
        })
        .collect()
}

/// The earliest planned date of a milestone not done yet (`None` when every step is done).
fn next_open_date(milestones: &[MilestoneView]) -> Option<NaiveDate> {
    milestones
        .iter()
        .filter(|m| m.actual_date.is_none())
        .map(|m| m.planned_date)
        .min()
}

/// The running deployments (awarded and not finally accepted), the most worrying first: the
/// most late milestones first, then the soonest next open milestone (deployments with nothing
/// left to do after), then by title (then creation order). The same for every account, so that
/// the centrale sees the late deployments of all communes at the top.
pub(crate) fn list(conn: &Connection, today: NaiveDate) -> Result<Vec<DeploymentRow>> {
    let commune = live::commune_scope(conn)?;
    let names = Names::load(conn)?;
    let running: Vec<Live<orders::OrderHead>> = orders::heads(conn, commune.as_deref())?
        .into_iter()
        .filter(|o| orders::follows_milestones(o.body.status))
        .collect();
    let ids: HashSet<Uuid> = running.iter().map(|o| o.body.id).collect();
    let mut by_order =
        super::summary::milestone_views(conn, commune.as_deref(), |id| ids.contains(id), today)?;
    // Who signs, once per commune (the centrale's PC lists every commune's).
    let mut signers: HashMap<String, Option<super::adhesion::SignerView>> = HashMap::new();
    for o in &running {
        if !signers.contains_key(&o.body.commune_nis) {
            let signer = super::adhesion::signer_of(conn, &o.body.commune_nis, today)?;
            signers.insert(o.body.commune_nis.clone(), signer);
        }
    }
    let rows: Vec<DeploymentRow> = running
        .into_iter()
        .map(|o| {
            let h = o.body;
            let milestones = by_order.remove(&h.id).unwrap_or_default();
            let provider_id = h.award.as_ref().map(|a| a.provider_id);
            let deadline = h.competition.as_ref().map(|c| c.deadline);
            DeploymentRow {
                signer: signers.get(&h.commune_nis).cloned().flatten(),
                order_id: h.id,
                title: h.title,
                commune_nis: h.commune_nis,
                service_name: names.service(h.service_id),
                status: h.status,
                provider_id,
                provider_name: provider_id.and_then(|p| names.provider(p)),
                progress: progress(&milestones),
                next_action: next_action(
                    h.status,
                    deadline,
                    &heads_of(&milestones),
                    h.pool_id.is_some(),
                ),
                pending: o.pending || milestones.iter().any(|m| m.pending),
                milestones,
            }
        })
        .collect();
    // Each row's next open date once, not at every comparison.
    let mut keyed: Vec<(Option<NaiveDate>, DeploymentRow)> = rows
        .into_iter()
        .map(|r| (next_open_date(&r.milestones), r))
        .collect();
    keyed.sort_by(|(next_a, a), (next_b, b)| {
        b.progress
            .late
            .cmp(&a.progress.late)
            // A date before none: a deployment with nothing left planned comes last.
            .then_with(|| match (next_a, next_b) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.order_id.cmp(&b.order_id))
    });
    Ok(keyed.into_iter().map(|(_, r)| r).collect())
}
