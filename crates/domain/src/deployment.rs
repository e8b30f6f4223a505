//! Deployment: the milestones of a call-off, planned from the award and tracked to acceptance.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ErrorCode, RecordState};
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
}

impl Milestone {
    /// Status on `today` (Europe/Brussels date supplied by the caller).
    pub fn status_on(&self, today: NaiveDate) -> MilestoneStatus {
        match self.actual_date {
            Some(_) => MilestoneStatus::Done,
            None if self.planned_date < today => MilestoneStatus::Late,
            None => MilestoneStatus::Planned,
        }
    }

    /// Updates dates and notes. A planned date lies within ten years around today; an actual
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
        if let Some(planned) = planned_date {
            crate::time::check_date_within(
                "planned_date",
                "milestone_planned_date",
                planned,
                crate::time::act_dates_from(today),
                crate::time::act_dates_until(today),
            )?;
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
        if let Some(planned) = planned_date {
            self.planned_date = planned;
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

/// Builds the milestones of an award from the framework's plan.
pub fn plan_milestones(
    plan: &MilestonePlan,
    award_date: NaiveDate,
    order_id: Uuid,
    commune_nis: &str,
    provider_id: Uuid,
    mut new_id: impl FnMut() -> Uuid,
) -> Vec<Milestone> {
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
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn milestones() -> Vec<Milestone> {
        plan_milestones(
            &MilestonePlan::standard(),
            date(2026, 1, 10),
            Uuid::nil(),
            "84009",
            Uuid::max(),
            Uuid::now_v7,
        )
    }

    #[test]
    fn plan_follows_the_template() {
        let m = milestones();
        assert_eq!(m.len(), 7);
        assert_eq!(m[0].kind, MilestoneKind::Kickoff);
        assert_eq!(m[0].planned_date, date(2026, 1, 24));
        assert_eq!(m[6].kind, MilestoneKind::FinalAcceptance);
        assert!(m.windows(2).all(|w| w[0].planned_date <= w[1].planned_date));
    }

    #[test]
    fn status_planned_done_late() {
        let mut m = milestones().remove(0);
        assert_eq!(m.status_on(date(2026, 1, 24)), MilestoneStatus::Planned);
        assert_eq!(m.status_on(date(2026, 1, 25)), MilestoneStatus::Late);
        m.update(
            None,
            Some(date(2026, 1, 25)),
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 26),
        )
        .unwrap();
        assert_eq!(m.status_on(date(2026, 3, 1)), MilestoneStatus::Done);
    }

    #[test]
    fn actual_date_not_in_future_and_frozen_after_acknowledgement() {
        let mut m = milestones().remove(0);
        assert!(m
            .update(
                None,
                Some(date(2026, 2, 1)),
                None,
                OrderStatus::Deploying,
                None,
                date(2026, 1, 30)
            )
            .is_err());
        assert!(m.acknowledge("dg", Utc::now()).is_err());
        m.update(
            None,
            Some(date(2026, 1, 30)),
            None,
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30),
        )
        .unwrap();
        m.acknowledge("dg", Utc::now()).unwrap();
        assert!(m.acknowledge("dg", Utc::now()).is_err());
        assert!(m
            .update(
                None,
                Some(date(2026, 1, 29)),
                None,
                OrderStatus::Deploying,
                None,
                date(2026, 1, 30)
            )
            .is_err());
        m.update(
            None,
            None,
            Some("ok".into()),
            OrderStatus::Deploying,
            None,
            date(2026, 1, 30),
        )
        .unwrap();
    }

    /// Typed dates keep within bounds: planned within ten years around today, actual not
    /// before the award nor in the future (year 9999 and year −1 are typing slips).
    #[test]
    fn milestone_dates_keep_within_bounds() {
        let mut m = milestones().remove(1);
        let (today, award) = (date(2026, 1, 30), Some(date(2026, 1, 10)));
        for planned in [date(9999, 12, 31), date(-1, 1, 1), date(2016, 1, 29)] {
            let err = m
                .update(
                    Some(planned),
                    None,
                    None,
                    OrderStatus::Deploying,
                    award,
                    today,
                )
                .unwrap_err();
            assert_eq!(err.code(), "date_out_of_range");
            assert_eq!(err.params()["field"], "planned_date");
        }
        for actual in [date(2026, 1, 9), date(2026, 1, 31)] {
            let err = m
                .update(
                    None,
                    Some(actual),
                    None,
                    OrderStatus::Deploying,
                    award,
                    today,
                )
                .unwrap_err();
            assert_eq!(err.code(), "date_out_of_range");
            assert_eq!(err.params()["earliest"], "2026-01-10");
            assert_eq!(err.params()["latest"], "2026-01-30");
        }
        m.update(
            Some(date(2036, 1, 30)),
            Some(date(2026, 1, 10)),
            None,
            OrderStatus::Deploying,
            award,
            today,
        )
        .unwrap();
    }

    /// AR 14 January 2013 (réception): acceptances are the commune's acts; a closed
    /// deployment's planning no longer moves.
    #[test]
    fn acceptances_are_not_marked_done_by_an_update_and_closed_deployments_stay_closed() {
        let mut all = milestones();
        let mut acceptance = all.remove(5);
        assert_eq!(acceptance.kind, MilestoneKind::ProvisionalAcceptance);
        let err = acceptance
            .update(
                None,
                Some(date(2026, 1, 30)),
                None,
                OrderStatus::Deploying,
                None,
                date(2026, 1, 30),
            )
            .unwrap_err();
        assert_eq!(err.code(), "acceptance_is_commune_act");
        assert_eq!(err.params()["milestone"], "provisional_acceptance");
        // Its planned date may still move.
        acceptance
            .update(
                Some(date(2026, 6, 1)),
                None,
                None,
                OrderStatus::Deploying,
                None,
                date(2026, 1, 30),
            )
            .unwrap();
        let mut kickoff = all.remove(0);
        let err = kickoff
            .update(
                None,
                None,
                Some("x".into()),
                OrderStatus::FinallyAccepted,
                None,
                date(2026, 1, 30),
            )
            .unwrap_err();
        assert_eq!(err.code(), "invalid_state");
    }

    #[test]
    fn plan_must_be_ordered() {
        let mut p = MilestonePlan::standard();
        assert!(p.validate().is_ok());
        p.training = 10;
        assert!(p.validate().is_err());
    }
}
