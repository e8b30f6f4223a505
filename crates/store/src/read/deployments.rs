//! Running deployments: milestones planned vs actual, progress, late steps.

use std::collections::{HashMap, HashSet};

use centrale_domain::deployment::{Milestone, MilestoneKind, MilestoneStatus, ReplanRequest};
use centrale_domain::order::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
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
fn next_open_date(milestones: &[MilestoneHead]) -> Option<NaiveDate> {
    milestones
        .iter()
        .filter(|m| m.actual_date.is_none())
        .map(|m| m.planned_date)
        .min()
}

/// What a screen asks of the running deployments: a page, not thousands of timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeploymentQuery {
    /// Only the deployments with a late milestone (the centrale's filter).
    pub late_only: bool,
    /// How many of the first ones (the most worrying first) to return with their milestones.
    pub shown: u32,
}

/// The first running deployments a screen shows, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeploymentPage {
    /// The first [`DeploymentQuery::shown`] of those the query keeps, most worrying first.
    pub rows: Vec<DeploymentRow>,
    /// Every running deployment on this PC.
    pub total: u32,
    /// Those with at least one late milestone.
    pub late: u32,
    /// Those the query keeps (`total`, or `late` with `late_only`).
    pub matching: u32,
}

/// A running order with what its place in the list is decided by.
pub(crate) struct Running {
    pub(crate) order: Live<orders::OrderHead>,
    pub(crate) milestones: Vec<MilestoneHead>,
    pub(crate) progress: Progress,
    next_open: Option<NaiveDate>,
}

impl Running {
    /// `order` with its milestones' dates, on `today`.
    fn new(
        order: Live<orders::OrderHead>,
        milestones: Vec<MilestoneHead>,
        today: NaiveDate,
    ) -> Self {
        Running {
            progress: progress_of_heads(&milestones, today),
            next_open: next_open_date(&milestones),
            order,
            milestones,
        }
    }
}

/// The most worrying first: the most late milestones first, then the soonest next open
/// milestone (deployments with nothing left to do after), then by title (then creation
/// order). The same for every account and every screen (the home, the Déploiement screen,
/// the centrale's late ones).
fn most_worrying_first(running: &mut [Running]) {
    running.sort_by(|a, b| {
        b.progress
            .late
            .cmp(&a.progress.late)
            // A date before none: a deployment with nothing left planned comes last.
            .then_with(|| match (a.next_open, b.next_open) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.order.body.title.cmp(&b.order.body.title))
            .then_with(|| a.order.body.id.cmp(&b.order.body.id))
    });
}

/// The running deployments of the PC's scope (awarded and not finally accepted),
/// [`most_worrying_first`], so that the centrale sees the late deployments of all communes at
/// the top. Read from the milestones' dates only: the notes and re-plans are read for the rows
/// shown.
pub(crate) fn running(
    conn: &Connection,
    commune: Option<&str>,
    today: NaiveDate,
) -> Result<Vec<Running>> {
    let orders = super::summary::order_heads(conn, commune, Some(&orders::FOLLOWING_MILESTONES))?;
    let mut heads = orders::milestones_for(conn, commune, &orders)?;
    let mut running: Vec<Running> = orders
        .into_iter()
        .map(|order| {
            let milestones = heads.remove(&order.body.id).unwrap_or_default();
            Running::new(order, milestones, today)
        })
        .collect();
    most_worrying_first(&mut running);
    Ok(running)
}

/// The rows of `running`, in its order, with the milestones of `views`.
fn rows(
    conn: &Connection,
    running: Vec<Running>,
    mut views: HashMap<Uuid, Vec<MilestoneView>>,
    today: NaiveDate,
) -> Result<Vec<DeploymentRow>> {
    let names = Names::load(conn)?;
    // Who signs, once per commune (the centrale's PC lists every commune's).
    let mut signers: HashMap<String, Option<super::adhesion::SignerView>> = HashMap::new();
    for r in &running {
        let nis = &r.order.body.commune_nis;
        if !signers.contains_key(nis) {
            let signer = super::adhesion::signer_of(conn, nis, today)?;
            signers.insert(nis.clone(), signer);
        }
    }
    Ok(running
        .into_iter()
        .map(|r| {
            let h = r.order.body;
            let milestones = views.remove(&h.id).unwrap_or_default();
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
                progress: r.progress,
                next_action: next_action(h.status, deadline, &r.milestones, h.pool_id.is_some()),
                pending: r.order.pending || milestones.iter().any(|m| m.pending),
                milestones,
            }
        })
        .collect())
}

/// Every running deployment with its milestones, the most worrying first (the CSV export).
pub(crate) fn list(conn: &Connection, today: NaiveDate) -> Result<Vec<DeploymentRow>> {
    let commune = live::commune_scope(conn)?;
    let running = running(conn, commune.as_deref(), today)?;
    let ids: HashSet<Uuid> = running.iter().map(|r| r.order.body.id).collect();
    let views =
        super::summary::milestone_views(conn, commune.as_deref(), |id| ids.contains(id), today)?;
    rows(conn, running, views, today)
}

/// The first deployments `query` keeps, the most worrying first, and how many there are: the
/// order is decided on the milestones' dates of every running order, the timelines (notes,
/// acknowledgements, re-plans) are read for the rows returned only.
pub(crate) fn page(
    conn: &Connection,
    query: &DeploymentQuery,
    today: NaiveDate,
) -> Result<DeploymentPage> {
    let commune = live::commune_scope(conn)?;
    let mut running = running(conn, commune.as_deref(), today)?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let total = count(running.len());
    let late = count(running.iter().filter(|r| r.progress.late > 0).count());
    if query.late_only {
        running.retain(|r| r.progress.late > 0);
    }
    let matching = count(running.len());
    running.truncate(usize::try_from(query.shown).unwrap_or(usize::MAX));
    let shown: Vec<(&str, Uuid)> = running
        .iter()
        .map(|r| (r.order.body.commune_nis.as_str(), r.order.body.id))
        .collect();
    let views = super::summary::milestone_views_of(conn, &shown, today)?;
    Ok(DeploymentPage {
        rows: rows(conn, running, views, today)?,
        total,
        late,
        matching,
    })
}
