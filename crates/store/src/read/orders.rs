//! The orders list and what each order waits for next.

use std::collections::{HashMap, HashSet};

use centrale_domain::deployment::MilestoneKind;
use centrale_domain::order::OrderStatus;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::live::{self, Live, Names};
use crate::error::Result;

/// Which orders the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderFilter {
    /// Only these statuses; empty for every order.
    #[serde(default)]
    pub statuses: Vec<OrderStatus>,
}

/// Who must act next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The commune.
    Commune,
    /// The centrale's procurement staff.
    Centrale,
    /// The provider(s).
    Provider,
}

/// The next step of an order, as a stable code the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum NextActionCode {
    /// The commune sends its draft request.
    Submit,
    /// The centrale reopens competition between the framework's providers.
    LaunchCompetition,
    /// Offers are sealed until the deadline.
    WaitOffers,
    /// The commune scores the opened offers.
    Evaluate,
    /// The collège awards the order.
    Award,
    /// The centrale sends the purchase order.
    IssuePurchaseOrder,
    /// The provider holds the kick-off meeting.
    StartDeployment,
    /// The deployment's milestones are under way.
    FollowDeployment,
    /// The service is live: the commune signs the provisional acceptance.
    AcceptProvisionally,
    /// The commune signs the final acceptance.
    AcceptFinally,
}

/// What an order waits for, from whom, and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NextAction {
    /// What.
    pub code: NextActionCode,
    /// Who.
    pub by: Party,
    /// A deadline with an hour (shown in Brussels time), e.g. the offers' deadline.
    pub due_at: Option<DateTime<Utc>>,
    /// A day, e.g. the planned date of the next milestone.
    pub due_on: Option<NaiveDate>,
}

impl NextAction {
    /// The day the action is due (Brussels days are close enough to UTC days for sorting).
    pub fn due_date(&self) -> Option<NaiveDate> {
        self.due_on.or(self.due_at.map(|at| at.date_naive()))
    }
}

/// One line of the orders list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderRow {
    /// Order id.
    pub id: Uuid,
    /// Short title.
    pub title: String,
    /// The commune ordering.
    pub commune_nis: String,
    /// The service ordered.
    pub service_id: Uuid,
    /// Its name, when the service is on this PC.
    pub service_name: Option<String>,
    /// Where it stands.
    pub status: OrderStatus,
    /// What it waits for (none once closed).
    pub next_action: Option<NextAction>,
    /// Created (server time).
    pub created_at: DateTime<Utc>,
    /// Submitted (server time).
    pub submitted_at: Option<DateTime<Utc>>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

#[derive(Deserialize)]
pub(crate) struct CompetitionHead {
    pub(crate) deadline: DateTime<Utc>,
}

#[derive(Deserialize)]
pub(crate) struct AwardHead {
    pub(crate) provider_id: Uuid,
}

/// The fields of an order that lists need (the rest of the body is skipped, not built).
#[derive(Deserialize)]
pub(crate) struct OrderHead {
    pub(crate) id: Uuid,
    pub(crate) commune_nis: String,
    pub(crate) service_id: Uuid,
    pub(crate) title: String,
    pub(crate) status: OrderStatus,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) submitted_at: Option<DateTime<Utc>>,
    pub(crate) competition: Option<CompetitionHead>,
    pub(crate) award: Option<AwardHead>,
    /// The pooled call-off it is part of (issue 16 §4).
    #[serde(default)]
    pub(crate) pool_id: Option<Uuid>,
}

impl centrale_domain::interoperability::AwardedCallOff for OrderHead {
    fn commune_nis(&self) -> &str {
        &self.commune_nis
    }
    fn service_id(&self) -> Uuid {
        self.service_id
    }
    fn awarded_provider(&self) -> Option<Uuid> {
        self.award.as_ref().map(|a| a.provider_id)
    }
}

/// The fields of a milestone that progress and deadlines need.
#[derive(Deserialize)]
pub(crate) struct MilestoneHead {
    pub(crate) kind: MilestoneKind,
    pub(crate) planned_date: NaiveDate,
    pub(crate) actual_date: Option<NaiveDate>,
}

/// The statuses whose next step depends on the milestones: the running deployments.
pub(crate) const FOLLOWING_MILESTONES: [OrderStatus; 4] = [
    OrderStatus::Awarded,
    OrderStatus::PurchaseOrderIssued,
    OrderStatus::Deploying,
    OrderStatus::ProvisionallyAccepted,
];

/// True for the statuses whose next step depends on the milestones.
pub(crate) fn follows_milestones(status: OrderStatus) -> bool {
    FOLLOWING_MILESTONES.contains(&status)
}

/// The next step of an order from its status, its deadline and its milestones.
pub(crate) fn next_action(
    status: OrderStatus,
    deadline: Option<DateTime<Utc>>,
    milestones: &[MilestoneHead],
    pooled: bool,
) -> Option<NextAction> {
    let planned = |kind: MilestoneKind| {
        milestones
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| m.planned_date)
    };
    let done = |kind: MilestoneKind| {
        milestones
            .iter()
            .any(|m| m.kind == kind && m.actual_date.is_some())
    };
    let action = |code, by| NextAction {
        code,
        by,
        due_at: None,
        due_on: None,
    };
    Some(match status {
        OrderStatus::Draft => action(NextActionCode::Submit, Party::Commune),
        OrderStatus::Submitted => action(NextActionCode::LaunchCompetition, Party::Centrale),
        OrderStatus::CompetitionOpen => NextAction {
            due_at: deadline,
            ..action(NextActionCode::WaitOffers, Party::Provider)
        },
        // A pooled call-off's offers are analysed once, by the centrale (issue 16 §4).
        OrderStatus::OffersOpened if pooled => action(NextActionCode::Evaluate, Party::Centrale),
        OrderStatus::OffersOpened => action(NextActionCode::Evaluate, Party::Commune),
        OrderStatus::Evaluated => action(NextActionCode::Award, Party::Commune),
        OrderStatus::Awarded => action(NextActionCode::IssuePurchaseOrder, Party::Centrale),
        OrderStatus::PurchaseOrderIssued => NextAction {
            due_on: planned(MilestoneKind::Kickoff),
            ..action(NextActionCode::StartDeployment, Party::Provider)
        },
        OrderStatus::Deploying if done(MilestoneKind::GoLive) => NextAction {
            due_on: planned(MilestoneKind::ProvisionalAcceptance),
            ..action(NextActionCode::AcceptProvisionally, Party::Commune)
        },
        OrderStatus::Deploying => NextAction {
            due_on: milestones
                .iter()
                .filter(|m| m.actual_date.is_none() && !m.kind.is_acceptance())
                .min_by_key(|m| (m.kind, m.planned_date))
                .map(|m| m.planned_date),
            ..action(NextActionCode::FollowDeployment, Party::Provider)
        },
        OrderStatus::ProvisionallyAccepted => NextAction {
            due_on: planned(MilestoneKind::FinalAcceptance),
            ..action(NextActionCode::AcceptFinally, Party::Commune)
        },
        OrderStatus::FinallyAccepted
        | OrderStatus::Cancelled
        | OrderStatus::Withdrawn
        | OrderStatus::NoOffer => return None,
    })
}

/// The order heads of the commune in scope, in id (creation) order (from the summary table:
/// no body decoded).
pub(crate) fn heads(conn: &Connection, commune: Option<&str>) -> Result<Vec<Live<OrderHead>>> {
    super::summary::order_heads(conn, commune, None)
}

/// The milestones of the orders whose next step depends on them, by order: one range read of
/// the scope's milestones (`commune`, every commune's when `None`).
pub(crate) fn milestones_for(
    conn: &Connection,
    commune: Option<&str>,
    orders: &[Live<OrderHead>],
) -> Result<HashMap<Uuid, Vec<MilestoneHead>>> {
    let following: HashSet<Uuid> = orders
        .iter()
        .filter(|o| follows_milestones(o.body.status))
        .map(|o| o.body.id)
        .collect();
    if following.is_empty() {
        return Ok(HashMap::new());
    }
    super::summary::milestone_heads(conn, commune, |id| following.contains(id))
}

/// The orders list, newest first.
pub(crate) fn list(conn: &Connection, filter: &OrderFilter) -> Result<Vec<OrderRow>> {
    let commune = live::commune_scope(conn)?;
    let names = Names::load(conn)?;
    let kept: Vec<Live<OrderHead>> = heads(conn, commune.as_deref())?
        .into_iter()
        .filter(|o| filter.statuses.is_empty() || filter.statuses.contains(&o.body.status))
        .collect();
    let milestones = milestones_for(conn, commune.as_deref(), &kept)?;
    let mut rows: Vec<OrderRow> = kept
        .into_iter()
        .map(|o| row(o, &names, &milestones))
        .collect();
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(rows)
}

/// One line of the list.
fn row(
    o: Live<OrderHead>,
    names: &Names,
    milestones: &HashMap<Uuid, Vec<MilestoneHead>>,
) -> OrderRow {
    let h = o.body;
    let ms = milestones.get(&h.id).map_or(&[][..], Vec::as_slice);
    OrderRow {
        id: h.id,
        title: h.title,
        commune_nis: h.commune_nis,
        service_id: h.service_id,
        service_name: names.service(h.service_id),
        status: h.status,
        next_action: next_action(
            h.status,
            h.competition.as_ref().map(|c| c.deadline),
            ms,
            h.pool_id.is_some(),
        ),
        created_at: h.created_at,
        submitted_at: h.submitted_at,
        pending: o.pending,
    }
}
