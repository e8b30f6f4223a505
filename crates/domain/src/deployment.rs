//! Deployment: the milestones of a call-off, planned from the award and tracked to acceptance.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ErrorCode, RecordState};
use crate::limits::{REPLAN_REASON_MAX_CHARS, REPLAN_REASON_MIN_CHARS};
use crate::order::OrderStatus;
use crate::DomainError;

/// The steps of every deployment, in order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// Réunion de lancement.
    Kickoff,
    /// Paramétrage.
    Configuration,
    /// Intégration et migration des données.
    Integration,
    /// Formation.
    Training,
    /// Mise en production.
    GoLive,
    /// Réception provisoire.
    ProvisionalAcceptance,
    /// Réception définitive.
    FinalAcceptance,
}

impl MilestoneKind {
    /// Every kind, in deployment order.
    pub const ALL: [MilestoneKind; 7] = [
        MilestoneKind::Kickoff,
        MilestoneKind::Configuration,
        MilestoneKind::Integration,
        MilestoneKind::Training,
        MilestoneKind::GoLive,
        MilestoneKind::ProvisionalAcceptance,
        MilestoneKind::FinalAcceptance,
    ];

    /// French label.
    pub fn label_fr(self) -> &'static str {
        match self {
            MilestoneKind::Kickoff => "Réunion de lancement",
            MilestoneKind::Configuration => "Paramétrage",
            MilestoneKind::Integration => "Intégration et migration des données",
            MilestoneKind::Training => "Formation",
            MilestoneKind::GoLive => "Mise en production",
            MilestoneKind::ProvisionalAcceptance => "Réception provisoire",
            MilestoneKind::FinalAcceptance => "Réception définitive",
        }
    }

    /// Acceptances are acts of the commune, not of the provider.
    pub fn is_acceptance(self) -> bool {
        matches!(
            self,
            MilestoneKind::ProvisionalAcceptance | MilestoneKind::FinalAcceptance
        )
    }
}

/// Days after the award at which each milestone is planned (a per-service template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MilestonePlan {
    /// Kick-off.
    pub kickoff: u32,
    /// Configuration.
    pub configuration: u32,
    /// Integration / data migration.
    pub integration: u32,
    /// Training.
    pub training: u32,
    /// Go-live.
    pub go_live: u32,
    /// Provisional acceptance.
    pub provisional_acceptance: u32,
    /// Final acceptance.
    pub final_acceptance: u32,
}

impl MilestonePlan {
    /// A common plan for software services.
    pub fn standard() -> MilestonePlan {
        MilestonePlan {
            kickoff: 14,
            configuration: 45,
            integration: 75,
            training: 90,
            go_live: 105,
            provisional_acceptance: 120,
            final_acceptance: 485,
        }
    }

    /// The offset of one kind.
    pub fn days(&self, kind: MilestoneKind) -> u32 {
        match kind {
            MilestoneKind::Kickoff => self.kickoff,
            MilestoneKind::Configuration => self.configuration,
            MilestoneKind::Integration => self.integration,
            MilestoneKind::Training => self.training,
            MilestoneKind::GoLive => self.go_live,
            MilestoneKind::ProvisionalAcceptance => self.provisional_acceptance,
            MilestoneKind::FinalAcceptance => self.final_acceptance,
        }
    }

    /// Offsets must not go backwards.
    pub fn validate(&self) -> Result<(), DomainError> {
        let days: Vec<u32> = MilestoneKind::ALL.iter().map(|k| self.days(*k)).collect();
        if days.windows(2).all(|w| w[0] <= w[1]) {
            Ok(())
        } else {
            Err(DomainError::field(
                ErrorCode::MilestonePlanOutOfOrder,
                "milestone_plan",
            ))
        }
    }

    /// The plan that starts from the winner's offered lead time (issue 11 rule 16): the go-live
    /// falls on the day the offer bound the provider to (`lead_time_days` after the start), the
    /// steps before it keep their share of the way (each offset scaled by lead time / the
    /// template's go-live, rounded down, so that none passes the go-live), and the acceptances
    /// keep their distance after the go-live (the provisional acceptance's check, then the
    /// guarantee period before the final one). The offer is the contract's binding part (law of
    /// 17 June 2016 and AR 18 April 2017: the tender binds its author [verify: the article on
    /// the tenderers' commitment period was not read]); the execution deadline is the one
    /// offered (AR 14 January 2013 [verify: its article on the execution time limit of
    /// services was not read; its art. 4 fixes how time limits are counted]).
    pub fn fitted_to_lead_time(&self, lead_time_days: u32) -> MilestonePlan {
        let go_live = self.go_live;
        let before = |days: u32| -> u32 {
            if go_live == 0 {
                days.min(lead_time_days)
            } else {
                let scaled = u64::from(days) * u64::from(lead_time_days) / u64::from(go_live);
                u32::try_from(scaled).unwrap_or(lead_time_days)
            }
        };
        let after = |days: u32| lead_time_days.saturating_add(days.saturating_sub(go_live));
        MilestonePlan {
            kickoff: before(self.kickoff),
            configuration: before(self.configuration),
            integration: before(self.integration),
            training: before(self.training),
            go_live: lead_time_days,
            provisional_acceptance: after(self.provisional_acceptance),
            final_acceptance: after(self.final_acceptance),
        }
    }

    /// The planned dates from an award date.
    pub fn schedule(&self, award_date: NaiveDate) -> Vec<(MilestoneKind, NaiveDate)> {
        MilestoneKind::ALL
            .iter()
            .map(|k| {
                let date = award_date
                    .checked_add_days(Days::new(u64::from(self.days(*k))))
                    .unwrap_or(award_date);
                (*k, date)
            })
            .collect()
    }
}

/// Where a milestone stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not done, planned date not passed.
    Planned,
    /// Done (actual date recorded).
    Done,
    /// Not done and the planned date has passed.
    Late,
}

impl MilestoneStatus {
    /// Where a milestone planned on `planned_date` and done on `actual_date` (if done) stands
    /// on `today`: late once the planned day has passed without an actual date. The screens'
    /// lists call it on the milestones' dates alone (`Milestone::status_on` on a whole record).
    pub fn on(planned_date: NaiveDate, actual_date: Option<NaiveDate>, today: NaiveDate) -> Self {
        match actual_date {
            Some(_) => MilestoneStatus::Done,
            None if planned_date < today => MilestoneStatus::Late,
            None => MilestoneStatus::Planned,
        }
    }
}

/// One milestone of one order's deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Milestone {
    /// Record id.
    pub id: Uuid,
    /// The order.
    pub order_id: Uuid,
    /// The commune (for visibility).
    pub commune_nis: String,
    /// The provider carrying out the deployment.
    pub provider_id: Uuid,
    /// Which step.
    pub kind: MilestoneKind,
    /// Planned date.
    pub planned_date: NaiveDate,
    /// Actual date, once done.
    pub actual_date: Option<NaiveDate>,
    /// Free notes (provider or commune).
    pub notes: String,
    /// When the commune acknowledged the milestone.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// The date planned at the start (issue 17 point 5): kept when an accepted re-plan moves
    /// `planned_date`, so that the record shows how far the deployment slipped. Stored
    /// milestones written before read none: their baseline is their planned date
    /// (`Milestone::baseline`).
    #[serde(default)]
    pub baseline_date: Option<NaiveDate>,
    /// The winner's offered lead time the go-live was planned from (rule 16); none when the
    /// plan is the framework's alone (a direct award has no offer, older records).
    #[serde(default)]
    pub lead_time_days: Option<u32>,
    /// The day the plan counts from: the award, then the purchase order (rule 16). None for
    /// records written before.
    #[serde(default)]
    pub planned_from: Option<NaiveDate>,
    /// Re-plan requests, oldest first, with the commune's decisions (they stay on the record).
    #[serde(default)]
    pub replans: Vec<ReplanRequest>,
    /// The merged commune it came from (issue 11 rule 17); none for the commune's own.
    #[serde(default)]
    pub formerly: Option<crate::commune::Succession>,
}

/// A request to move a milestone's planned date (issue 17 point 5): the provider (or the
/// centrale for it) asks, the commune decides. Until it accepts, lateness is measured against
/// the date in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplanRequest {
    /// Request id.
    pub id: Uuid,
    /// The planned date in force when asked.
    pub from_date: NaiveDate,
    /// The date asked for.
    pub requested_date: NaiveDate,
    /// Why (the provider's words).
    pub reason: String,
    /// Who asked (display name).
    pub requested_by: String,
    /// Server time of the request.
    pub requested_at: DateTime<Utc>,
    /// The commune's decision, once taken.
    #[serde(default)]
    pub decision: Option<ReplanDecision>,
}

/// The commune's decision on a re-plan request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplanDecision {
    /// True: the planned date moved to the requested one.
    pub accepted: bool,
    /// The commune's reason (required for a refusal, optional for an acceptance).
    pub reason: String,
    /// Who decided (display name).
    pub by: String,
    /// Server time of the decision.
    pub at: DateTime<Utc>,
}

fn check_replan_reason(reason: &str) -> Result<(), DomainError> {
    let n = reason.trim().chars().count();
    if !(REPLAN_REASON_MIN_CHARS..=REPLAN_REASON_MAX_CHARS).contains(&n) {
        return Err(DomainError::field(ErrorCode::ReplanReasonMissing, "reason")
            .with("min_chars", REPLAN_REASON_MIN_CHARS)
            .with("max_chars", REPLAN_REASON_MAX_CHARS));
    }
    Ok(())
}

impl Milestone {
    /// The date planned at the start (the planned date for records written before baselines).
    pub fn baseline(&self) -> NaiveDate {
        Milestone::baseline_of(self.baseline_date, self.planned_date)
    }

    /// The same from the two dates alone (the screens' lists).
    pub fn baseline_of(baseline_date: Option<NaiveDate>, planned_date: NaiveDate) -> NaiveDate {
        baseline_date.unwrap_or(planned_date)
    }

    /// The request waiting for the commune's decision, if any.
    pub fn pending_replan(&self) -> Option<&ReplanRequest> {
        self.replans.iter().find(|r| r.decision.is_none())
    }

    /// The provider (or the centrale) asks to move the planned date (issue 17 point 5). One
    /// request at a time; not for a milestone already done; the new date not in the past and
    /// within the ten years a person may plan; a reason of `REPLAN_REASON_MIN_CHARS` to
    /// `REPLAN_REASON_MAX_CHARS` characters. Nothing moves until the commune accepts: a
    /// milestone whose planned date passed stays late while the request waits.
    #[allow(clippy::too_many_arguments)]
    pub fn request_replan(
        &mut self,
        id: Uuid,
        requested_date: NaiveDate,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
        order_status: OrderStatus,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        if order_status.is_final() {
            return Err(DomainError::InvalidTransition {
                action: "milestone.request_replan",
                state: RecordState::Order(order_status),
            });
        }
        if self.actual_date.is_some() {
            return Err(
                DomainError::rule(ErrorCode::MilestoneAlreadyDone).with("milestone", self.kind)
            );
        }
        if let Some(pending) = self.pending_replan() {
            return Err(DomainError::rule(ErrorCode::ReplanAlreadyPending)
                .with("milestone", self.kind)
                .with("requested_date", pending.requested_date));
        }
        if requested_date == self.planned_date {
            return Err(
                DomainError::field(ErrorCode::ReplanSameDate, "requested_date")
                    .with("milestone", self.kind)
                    .with("date", requested_date),
            );
        }
        crate::time::check_date_within(
            "requested_date",
            "milestone_planned_date",
            requested_date,
            today,
            crate::time::act_dates_until(today),
        )?;
        check_replan_reason(reason)?;
        self.replans.push(ReplanRequest {
            id,
            from_date: self.planned_date,
            requested_date,
            reason: reason.trim().to_string(),
            requested_by: by.to_string(),
            requested_at: at,
            decision: None,
        });
        Ok(())
    }

    /// The commune accepts (the planned date moves; the baseline stays) or refuses (with a
    /// reason) the waiting request `request_id` (issue 17 point 5). Both stay on the record.
    pub fn decide_replan(
        &mut self,
        request_id: Uuid,
        accepted: bool,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
        order_status: OrderStatus,
    ) -> Result<(), DomainError> {
        if order_status.is_final() {
            return Err(DomainError::InvalidTransition {
                action: "milestone.decide_replan",
                state: RecordState::Order(order_status),
            });
        }
        let kind = self.kind;
        let baseline = self.baseline();
        let Some(request) = self
            .replans
            .iter_mut()
            .find(|r| r.id == request_id && r.decision.is_none())
        else {
            return Err(DomainError::rule(ErrorCode::NoPendingReplan).with("milestone", kind));
        };
        // A refusal states its reason; an acceptance may say nothing.
        if !accepted || !reason.trim().is_empty() {
            check_replan_reason(reason)?;
        }
        request.decision = Some(ReplanDecision {
            accepted,
            reason: reason.trim().to_string(),
            by: by.to_string(),
            at,
        });
        if accepted {
            let date = request.requested_date;
            self.baseline_date = Some(baseline);
            self.planned_date = date;
        }
        Ok(())
    }

    /// The purchase order starts the lead time the offer counted from (« N jours à compter du
    /// bon de commande »): the milestones planned at the award move by the days between the
    /// award and the purchase order, baseline included (the plan is not yet anyone's
    /// commitment before the order). A milestone already done or re-planned keeps its dates.
    pub fn start_from_purchase_order(&mut self, ordered_on: NaiveDate) {
        let Some(from) = self.planned_from else {
            return;
        };
        let days = ordered_on.signed_duration_since(from).num_days();
        let Ok(days) = u64::try_from(days) else {
            return;
        };
        if days == 0 || self.actual_date.is_some() || !self.replans.is_empty() {
            return;
        }
        let shift = |d: NaiveDate| d.checked_add_days(Days::new(days)).unwrap_or(d);
        self.planned_date = shift(self.planned_date);
        self.baseline_date = Some(shift(self.baseline()));
        self.planned_from = Some(ordered_on);
    }

    /// Status on `today` (Europe/Brussels date supplied by the caller).
    pub fn status_on(&self, today: NaiveDate) -> MilestoneStatus {
        MilestoneStatus::on(self.planned_date, self.actual_date, today)
    }

    /// Updates the actual date and notes (the planned date moves only by an accepted re-plan:
    /// `request_replan`, `decide_replan`). An actual
    /// date is not in the future nor before the order's award (`awarded_on`, the award
    /// decision's date); an acknowledged milestone keeps its actual date (the commune has
    /// taken note of it).
    pub fn update(
        &mut self,
        planned_date: Option<NaiveDate>,
        actual_date: Option<NaiveDate>,
        notes: Option<String>,
        order_status: OrderStatus,
        awarded_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        if order_status.is_final() {
            return Err(DomainError::InvalidTransition {
                action: "milestone.update",
                state: RecordState::Order(order_status),
            });
        }
        // Acceptances are the commune's acts (AR 14 January 2013, réception): nobody marks
        // them done through a planning update.
        if self.kind.is_acceptance() && actual_date.is_some() {
            return Err(
                DomainError::field(ErrorCode::AcceptanceIsCommuneAct, "actual_date")
                    .with("milestone", self.kind),
            );
        }
        if let Some(actual) = actual_date {
            crate::time::check_past_act_date(
                "actual_date",
                "milestone_actual_date",
                actual,
                awarded_on,
                today,
            )?;
        }
        // Issue 17 point 5: the planned date moves only by a re-plan the commune accepts. An
        // old client may still send the date in force (nothing moves): accepted.
        if planned_date.is_some_and(|d| d != self.planned_date) {
            return Err(DomainError::field(
                ErrorCode::MilestonePlannedDateByRequest,
                "planned_date",
            )
            .with("milestone", self.kind));
        }
        if self.acknowledged_at.is_some()
            && actual_date.is_some()
            && actual_date != self.actual_date
        {
            return Err(
                DomainError::field(ErrorCode::MilestoneAcknowledged, "actual_date")
                    .with("milestone", self.kind),
            );
        }
        if actual_date.is_some() {
            self.actual_date = actual_date;
        }
        if let Some(notes) = notes {
            if notes.chars().count() > 4000 {
                return Err(
                    DomainError::field(ErrorCode::MilestoneNotesTooLong, "notes")
                        .with("max_chars", 4000),
                );
            }
            self.notes = notes;
        }
        Ok(())
    }

    /// The commune takes note of a done milestone.
    pub fn acknowledge(&mut self, by: &str, at: DateTime<Utc>) -> Result<(), DomainError> {
        if self.actual_date.is_none() {
            return Err(DomainError::rule(ErrorCode::MilestoneNotDone).with("milestone", self.kind));
        }
        if self.acknowledged_at.is_some() {
            return Err(DomainError::rule(ErrorCode::MilestoneAlreadyAcknowledged)
                .with("milestone", self.kind));
        }
        self.acknowledged_at = Some(at);
        self.acknowledged_by = Some(by.to_string());
        Ok(())
    }
}

/// Builds the milestones of an award from the framework's plan, fitted to the winner's offered
/// lead time when there is an offer (rule 16; `MilestonePlan::fitted_to_lead_time`). Each
/// milestone's baseline is its first planned date.
pub fn plan_milestones(
    plan: &MilestonePlan,
    lead_time_days: Option<u32>,
    award_date: NaiveDate,
    order_id: Uuid,
    commune_nis: &str,
    provider_id: Uuid,
    mut new_id: impl FnMut() -> Uuid,
) -> Vec<Milestone> {
    let plan = match lead_time_days {
        Some(days) => plan.fitted_to_lead_time(days),
        None => plan.clone(),
    };
    plan.schedule(award_date)
        .into_iter()
        .map(|(kind, planned_date)| Milestone {
            id: new_id(),
            order_id,
            commune_nis: commune_nis.to_string(),
            provider_id,
            kind,
            planned_date,
            actual_date: None,
            notes: String::new(),
            acknowledged_at: None,
            acknowledged_by: None,
            baseline_date: Some(planned_date),
            lead_time_days,
            planned_from: Some(award_date),
            replans: Vec::new(),
            formerly: None,
        })
        .collect()
}

#[cfg(test)]
mod tests;
