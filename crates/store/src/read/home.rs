//! The home screen: the adhesion, orders by status, what is due next, deployments' progress.

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::deployment::{MilestoneKind, MilestoneStatus};
use centrale_domain::order::OrderStatus;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::adhesion::{self, AdhesionStep};
use super::deployments::{self, Progress};
use super::live::{self, Live, Names};
use super::orders::{next_action, MilestoneHead, NextAction, OrderHead};
use crate::error::Result;

/// The adhesion as the home screen summarises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionSummary {
    /// Where it stands.
    pub status: AdhesionStatus,
    /// What remains to be done.
    pub next_step: Option<AdhesionStep>,
    /// True when the commune may order.
    pub allows_orders: bool,
}

/// How many orders have a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatusCount {
    /// The status.
    pub status: OrderStatus,
    /// How many orders.
    pub count: u32,
}

/// An order waiting for someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionItem {
    /// The order.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The service, when on this PC.
    pub service_name: Option<String>,
    /// The order's status.
    pub status: OrderStatus,
    /// What, by whom, by when.
    pub action: NextAction,
    /// True when the due day has passed.
    pub overdue: bool,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// The next milestone of a deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NextMilestone {
    /// Which step.
    pub kind: MilestoneKind,
    /// Planned date.
    pub planned_date: NaiveDate,
    /// True when the planned date has passed.
    pub late: bool,
}

/// A running deployment in one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeploymentSummary {
    /// The order.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The service, when on this PC.
    pub service_name: Option<String>,
    /// The provider carrying it out, when on this PC.
    pub provider_name: Option<String>,
    /// The order's status.
    pub status: OrderStatus,
    /// Done / total / late.
    pub progress: Progress,
    /// The first milestone not done yet.
    pub next_milestone: Option<NextMilestone>,
}

/// The home screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Home {
    /// The day the screen was computed for.
    pub today: NaiveDate,
    /// The signed-in commune's adhesion (none for the centrale, or before any adhesion).
    pub adhesion: Option<AdhesionSummary>,
    /// Orders by status, in the order of the life cycle; only statuses with orders.
    pub orders_by_status: Vec<StatusCount>,
    /// Orders waiting for someone, soonest due first, those without a due day last: the first
    /// [`HOME_NEXT_ACTIONS`] only (the orders' list shows them all).
    pub next_actions: Vec<ActionItem>,
    /// How many orders wait for someone in all.
    pub next_actions_total: u32,
    /// Running deployments, the most worrying first: the first [`HOME_DEPLOYMENTS`] only (the
    /// Déploiement screen shows them all).
    pub deployments: Vec<DeploymentSummary>,
    /// How many deployments are running in all.
    pub deployments_total: u32,
}

/// The orders waiting for someone the home lists: the most urgent, enough for a morning's
/// work; a PC with 1,000 drafts does not draw 1,000 rows on its first screen (issue 19 §5).
pub const HOME_NEXT_ACTIONS: usize = 10;

/// The running deployments the home lists, the most worrying first.
pub const HOME_DEPLOYMENTS: usize = 5;

const LIFE_CYCLE: [OrderStatus; 13] = [
    OrderStatus::Draft,
    OrderStatus::Submitted,
    OrderStatus::CompetitionOpen,
    OrderStatus::OffersOpened,
    OrderStatus::Evaluated,
    OrderStatus::Awarded,
    OrderStatus::PurchaseOrderIssued,
    OrderStatus::Deploying,
    OrderStatus::ProvisionallyAccepted,
    OrderStatus::FinallyAccepted,
    OrderStatus::Cancelled,
    OrderStatus::Withdrawn,
    OrderStatus::NoOffer,
];

/// The home screen on `today`.
pub(crate) fn home(conn: &Connection, today: NaiveDate) -> Result<Home> {
    let commune = live::commune_scope(conn)?;
    let adhesion = match &commune {
        Some(nis) => adhesion::current(conn, nis, Some(today))?.map(|a| AdhesionSummary {
            status: a.status,
            next_step: a.next_step,
            allows_orders: a.allows_orders,
        }),
        None => None,
    };
    let names = Names::load(conn)?;
    let scope = commune.as_deref();
    // Every order's step (no texts): the counts and which orders wait for someone. The
    // running deployments as the Déploiement screen orders them, their milestones' dates
    // with them; the others' heads only for the actions shown.
    let steps = super::summary::order_steps(conn, scope)?;
    let running = deployments::running(conn, scope, today)?;
    let milestones: HashMap<Uuid, &[MilestoneHead]> = running
        .iter()
        .map(|r| (r.order.body.id, r.milestones.as_slice()))
        .collect();

    let mut counts = [0u32; LIFE_CYCLE.len()];
    let mut next_actions = Vec::new();
    for step in &steps {
        if let Some(at) = LIFE_CYCLE.iter().position(|s| *s == step.status) {
            counts[at] += 1;
        }
        let ms = milestones.get(&step.id).copied().unwrap_or_default();
        if let Some(action) = next_action(step.status, step.deadline, ms, step.pooled) {
            next_actions.push((action, step));
        }
    }
    // Sorted as actions, and only the first shown become rows (a PC with 10,000 orders has
    // thousands waiting: issue 19 §4).
    next_actions.sort_by(|(a, sa), (b, sb)| {
        let key = |action: &NextAction| (action.due_date().is_none(), action.due_date());
        key(a).cmp(&key(b)).then(sa.id.cmp(&sb.id))
    });
    let next_actions_total = u32::try_from(next_actions.len()).unwrap_or(u32::MAX);
    next_actions.truncate(HOME_NEXT_ACTIONS);
    let keys: Vec<(&str, Uuid)> = next_actions
        .iter()
        .map(|(_, step)| {
            let nis = step.commune_nis.as_deref().or(scope).unwrap_or_default();
            (nis, step.id)
        })
        .collect();
    let shown: HashMap<Uuid, Live<OrderHead>> = super::summary::order_heads_of(conn, &keys)?
        .into_iter()
        .map(|o| (o.body.id, o))
        .collect();
    let next_actions: Vec<ActionItem> = next_actions
        .into_iter()
        .filter_map(|(action, step)| {
            let o = shown.get(&step.id)?;
            Some(ActionItem {
                order_id: o.body.id,
                title: o.body.title.clone(),
                service_name: names.service(o.body.service_id),
                status: o.body.status,
                overdue: action.due_date().is_some_and(|d| d < today),
                action,
                pending: o.pending,
            })
        })
        .collect();

    // The running deployments, the most worrying first; the first few only.
    let deployments_total = u32::try_from(running.len()).unwrap_or(u32::MAX);
    let deployments = running
        .into_iter()
        .take(HOME_DEPLOYMENTS)
        .map(|r| {
            let h = r.order.body;
            let next = r
                .milestones
                .iter()
                .filter(|m| m.actual_date.is_none())
                .min_by_key(|m| (m.kind, m.planned_date))
                .map(|m| NextMilestone {
                    kind: m.kind,
                    planned_date: m.planned_date,
                    late: MilestoneStatus::on(m.planned_date, m.actual_date, today)
                        == MilestoneStatus::Late,
                });
            DeploymentSummary {
                order_id: h.id,
                service_name: names.service(h.service_id),
                provider_name: h.award.as_ref().and_then(|a| names.provider(a.provider_id)),
                title: h.title,
                status: h.status,
                progress: r.progress,
                next_milestone: next,
            }
        })
        .collect();
    Ok(Home {
        today,
        adhesion,
        orders_by_status: LIFE_CYCLE
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(status, count)| StatusCount {
                status: *status,
                count,
            })
            .collect(),
        next_actions,
        next_actions_total,
        deployments,
        deployments_total,
    })
}
