//! The execution decided once: the provider (or the centrale for it) updates a milestone and
//! asks for a new date, the commune takes note, decides on the request, and signs the
//! provisional and final acceptances (AR 14 January 2013, réception; issue 17 point 5).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::found;
use crate::catalogue::FrameworkAgreement;
use crate::deployment::{Milestone, MilestoneKind};
use crate::order::{Acceptance, Order, OrderStatus};
use crate::permission::{authorize, Act, Actor, Owner};
use crate::signatory::{signer_for, Capacity, Substitution};
use crate::time::brussels_today;
use crate::DomainError;

/// `milestone.update`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Update<'a> {
    /// The milestone.
    pub milestone: Option<&'a Milestone>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The planned date sent (only the one in force is accepted: it moves by a re-plan).
    pub planned_date: Option<NaiveDate>,
    /// The day it was done.
    pub actual_date: Option<NaiveDate>,
    /// Notes.
    pub notes: Option<&'a str>,
}

/// What a milestone update writes: the milestone, and the order when the kick-off having
/// taken place starts the deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateWrites {
    /// The milestone as it is after the update.
    pub milestone: Milestone,
    /// The order, when its status changed.
    pub order: Option<Order>,
}

/// The milestone, and `act` allowed on it for its provider (or the centrale).
fn provider_milestone(
    actor: &Actor,
    milestone: Option<&Milestone>,
    act: Act,
) -> Result<Milestone, DomainError> {
    authorize(actor, act, Owner::Own)?;
    let milestone = found(milestone)?;
    authorize(actor, act, Owner::Provider(milestone.provider_id))?;
    Ok(milestone.clone())
}

/// The milestone, and `act` allowed on it for its commune.
fn commune_milestone(
    actor: &Actor,
    milestone: Option<&Milestone>,
    act: Act,
) -> Result<Milestone, DomainError> {
    let milestone = found(milestone)?;
    authorize(actor, act, Owner::Commune(&milestone.commune_nis))?;
    Ok(milestone.clone())
}

/// The provider, or the centrale on its behalf, records the day a milestone was done and its
/// notes (`Milestone::update`: never an acceptance, never in the future nor before the award,
/// the planned date only by a re-plan). The kick-off done on an order whose purchase order is
/// issued starts its deployment.
pub fn update(
    actor: &Actor,
    input: Update<'_>,
    now: DateTime<Utc>,
) -> Result<UpdateWrites, DomainError> {
    let mut milestone = provider_milestone(actor, input.milestone, Act::UpdateMilestone)?;
    let order = found(input.order)?;
    milestone.update(
        input.planned_date,
        input.actual_date,
        input.notes.map(str::to_string),
        order.status,
        order.awarded_on(),
        brussels_today(now),
    )?;
    let order = if milestone.kind == MilestoneKind::Kickoff
        && milestone.actual_date.is_some()
        && order.status == OrderStatus::PurchaseOrderIssued
    {
        let mut order = order.clone();
        order.start_deployment()?;
        Some(order)
    } else {
        None
    };
    Ok(UpdateWrites { milestone, order })
}

/// `milestone.acknowledge`: the commune takes note of a milestone done.
pub fn acknowledge(
    actor: &Actor,
    milestone: Option<&Milestone>,
    now: DateTime<Utc>,
) -> Result<Milestone, DomainError> {
    let mut milestone = commune_milestone(actor, milestone, Act::AcknowledgeMilestone)?;
    milestone.acknowledge(&actor.display_name, now)?;
    Ok(milestone)
}

/// `milestone.request_replan`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct RequestReplan<'a> {
    /// The milestone.
    pub milestone: Option<&'a Milestone>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The new request's id.
    pub request_id: Uuid,
    /// The date asked for.
    pub requested_date: NaiveDate,
    /// Why.
    pub reason: &'a str,
}

/// The provider (or the centrale) asks the commune for a new planned date (issue 17 point 5;
/// `Milestone::request_replan`).
pub fn request_replan(
    actor: &Actor,
    input: RequestReplan<'_>,
    now: DateTime<Utc>,
) -> Result<Milestone, DomainError> {
    let mut milestone = provider_milestone(actor, input.milestone, Act::RequestReplan)?;
    let order = found(input.order)?;
    milestone.request_replan(
        input.request_id,
        input.requested_date,
        input.reason,
        &actor.display_name,
        now,
        order.status,
        brussels_today(now),
    )?;
    Ok(milestone)
}

/// `milestone.decide_replan`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct DecideReplan<'a> {
    /// The milestone.
    pub milestone: Option<&'a Milestone>,
    /// Its order.
    pub order: Option<&'a Order>,
    /// The request decided on.
    pub request_id: Uuid,
    /// Accepted (the planned date moves) or refused.
    pub accepted: bool,
    /// Why (required for a refusal).
    pub reason: &'a str,
}

/// The commune accepts or refuses the waiting re-plan request (issue 17 point 5;
/// `Milestone::decide_replan`).
pub fn decide_replan(
    actor: &Actor,
    input: DecideReplan<'_>,
    now: DateTime<Utc>,
) -> Result<Milestone, DomainError> {
    let mut milestone = commune_milestone(actor, input.milestone, Act::DecideReplan)?;
    let order = found(input.order)?;
    milestone.decide_replan(
        input.request_id,
        input.accepted,
        input.reason,
        &actor.display_name,
        now,
        order.status,
    )?;
    Ok(milestone)
}

/// `order.accept_provisional` and `order.accept_final`: what they read.
#[derive(Debug, Clone, Copy)]
pub struct Accept<'a> {
    /// The order.
    pub order: Option<&'a Order>,
    /// The substitutions of its commune (who signs in a titular's place).
    pub substitutions: &'a [Substitution],
    /// Its milestones.
    pub milestones: &'a [Milestone],
    /// Its framework (the guarantee period of a final acceptance).
    pub framework: Option<&'a FrameworkAgreement>,
    /// The final acceptance (else the provisional one).
    pub final_acceptance: bool,
    /// The day of the acceptance.
    pub date: NaiveDate,
    /// Remarks.
    pub remarks: &'a str,
}

/// What an acceptance writes: the order, and its acceptance milestone marked done and taken
/// note of.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptWrites {
    /// The order accepted.
    pub order: Order,
    /// The acceptance's milestone, if the order has one.
    pub milestone: Option<Milestone>,
}

/// A signatory (or a substitute on a day their substitution covers) signs the provisional
/// acceptance once the service is live, or the final one after the guarantee period
/// (`Order::accept_provisionally`, `Order::check_guarantee`, `Order::accept_finally`). The
/// acceptance's milestone takes its date: acceptances are the commune's acts, never a
/// planning update.
pub fn accept(
    actor: &Actor,
    input: Accept<'_>,
    now: DateTime<Utc>,
) -> Result<AcceptWrites, DomainError> {
    let today = brussels_today(now);
    let mut order = found(input.order)?.clone();
    let signer = signer_for(
        actor,
        Act::AcceptOrder,
        &order.commune_nis,
        input.substitutions,
        today,
    )?;
    // A substitute is named as such on what the act records.
    let by = if signer.capacity == Capacity::Titular {
        actor.display_name.clone()
    } else {
        signer.label(&actor.display_name)
    };
    let acceptance = Acceptance {
        date: input.date,
        remarks: input.remarks.trim().to_string(),
        by: by.clone(),
        recorded_at: now,
    };
    let kind = if input.final_acceptance {
        let framework = found(input.framework)?;
        order.check_guarantee(framework, input.date)?;
        order.accept_finally(acceptance, today)?;
        MilestoneKind::FinalAcceptance
    } else {
        let go_live_done = input
            .milestones
            .iter()
            .any(|m| m.kind == MilestoneKind::GoLive && m.actual_date.is_some());
        order.accept_provisionally(acceptance, go_live_done, today)?;
        MilestoneKind::ProvisionalAcceptance
    };
    let milestone = input.milestones.iter().find(|m| m.kind == kind).map(|m| {
        let mut m = m.clone();
        m.actual_date = Some(input.date);
        m.acknowledged_at = Some(now);
        m.acknowledged_by = Some(by.clone());
        m
    });
    Ok(AcceptWrites { order, milestone })
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::adhesion::{Decision, Organ};
    use crate::catalogue::CallOffMethod;
    use crate::deployment::{plan_milestones, MilestonePlan};
    use crate::fixtures::{date, sample_terms};
    use crate::role::Role;
    use crate::signatory::Gender;
    use crate::{DomainError, ErrorCode};

    const P1: Uuid = Uuid::from_u128(1);
    const P2: Uuid = Uuid::from_u128(2);

    use crate::fixtures::now;

    fn actor(role: Role) -> Actor {
        crate::fixtures::actor(role, Gender::Male)
    }

    fn with(actor: Actor, commune: Option<&str>, provider: Option<Uuid>) -> Actor {
        Actor {
            commune_nis: commune.map(str::to_string),
            provider_id: provider,
            ..actor
        }
    }

    fn framework(guarantee_months: u32) -> FrameworkAgreement {
        let mut f = FrameworkAgreement {
            id: Uuid::from_u128(10),
            service_id: Uuid::from_u128(11),
            reference: "CA-2025-01".into(),
            title_fr: "E-guichet".into(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![],
        };
        let mut terms = sample_terms(&[P1, P2]);
        terms.guarantee_months = guarantee_months;
        f.publish(terms).unwrap();
        f
    }

    /// An order of commune 84009 in `status`, carried out by P1, with its milestones planned
    /// from 2 November 2026.
    fn order_in(status: OrderStatus) -> (Order, Vec<Milestone>) {
        let mut o = Order::new_draft(
            Uuid::from_u128(20),
            "84009",
            &framework(0),
            "E-guichet 2027".into(),
            crate::offer::tests::needs(),
            "Agent",
            now(),
        )
        .unwrap();
        o.status = status;
        let mut n = 100;
        let milestones = plan_milestones(
            &MilestonePlan::standard(),
            None,
            date(2026, 11, 2),
            o.id,
            "84009",
            P1,
            || {
                n += 1;
                Uuid::from_u128(n)
            },
        );
        (o, milestones)
    }

    fn of(milestones: &[Milestone], kind: MilestoneKind) -> Milestone {
        milestones.iter().find(|m| m.kind == kind).unwrap().clone()
    }

    fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> ErrorCode {
        r.unwrap_err().code()
    }

    fn update_input<'a>(m: &'a Milestone, o: &'a Order, actual: Option<NaiveDate>) -> Update<'a> {
        Update {
            milestone: Some(m),
            order: Some(o),
            planned_date: None,
            actual_date: actual,
            notes: Some("Réunion tenue à la maison communale."),
        }
    }

    #[test]
    fn update_by_its_provider_or_the_centrale_and_the_kickoff_starts_the_deployment() {
        let (o, ms) = order_in(OrderStatus::PurchaseOrderIssued);
        let kickoff = of(&ms, MilestoneKind::Kickoff);
        let done = Some(date(2026, 11, 27));
        // Another provider's milestone is « not found »; a commune does not update it.
        let other = with(actor(Role::ProviderUser), None, Some(P2));
        assert_eq!(
            code(update(&other, update_input(&kickoff, &o, done), now())),
            ErrorCode::NotFound
        );
        assert_eq!(
            code(update(
                &actor(Role::DirectorGeneral),
                update_input(&kickoff, &o, done),
                now()
            )),
            ErrorCode::Forbidden
        );
        let mut unknown = update_input(&kickoff, &o, done);
        unknown.order = None;
        assert_eq!(
            code(update(&actor(Role::ProviderUser), unknown, now())),
            ErrorCode::NotFound
        );
        // Notes alone change nothing of the order.
        let w = update(
            &actor(Role::CentraleStaff),
            update_input(&kickoff, &o, None),
            now(),
        )
        .unwrap();
        assert_eq!(w.order, None);
        assert_eq!(w.milestone.notes, "Réunion tenue à la maison communale.");
        let w = update(
            &actor(Role::ProviderUser),
            update_input(&kickoff, &o, done),
            now(),
        )
        .unwrap();
        assert_eq!(w.milestone.actual_date, done);
        assert_eq!(w.order.unwrap().status, OrderStatus::Deploying);
        // Another milestone done does not start it.
        let training = of(&ms, MilestoneKind::Training);
        let w = update(
            &actor(Role::ProviderUser),
            update_input(&training, &o, done),
            now(),
        )
        .unwrap();
        assert_eq!(w.order, None);
    }

    #[test]
    fn rule_ar_14_january_2013_an_acceptance_is_not_marked_done_by_a_planning_update() {
        let (o, ms) = order_in(OrderStatus::Deploying);
        let acceptance = of(&ms, MilestoneKind::ProvisionalAcceptance);
        assert_eq!(
            code(update(
                &actor(Role::CentraleStaff),
                update_input(&acceptance, &o, Some(date(2026, 11, 27))),
                now()
            )),
            ErrorCode::AcceptanceIsCommuneAct
        );
    }

    #[test]
    fn acknowledge_by_the_commune_of_a_milestone_done() {
        let (o, ms) = order_in(OrderStatus::Deploying);
        let kickoff = of(&ms, MilestoneKind::Kickoff);
        let dg = actor(Role::DirectorGeneral);
        assert_eq!(
            code(acknowledge(&dg, Some(&kickoff), now())),
            ErrorCode::MilestoneNotDone
        );
        let done = update(
            &actor(Role::ProviderUser),
            update_input(&kickoff, &o, Some(date(2026, 11, 27))),
            now(),
        )
        .unwrap()
        .milestone;
        assert_eq!(
            code(acknowledge(&actor(Role::ProviderUser), Some(&done), now())),
            ErrorCode::Forbidden
        );
        let other = with(actor(Role::DirectorGeneral), Some("81001"), None);
        assert_eq!(
            code(acknowledge(&other, Some(&done), now())),
            ErrorCode::NotFound
        );
        assert_eq!(code(acknowledge(&dg, None, now())), ErrorCode::NotFound);
        let m = acknowledge(&dg, Some(&done), now()).unwrap();
        assert_eq!(
            (m.acknowledged_at, m.acknowledged_by.as_deref()),
            (Some(now()), Some("DirectorGeneral"))
        );
        assert_eq!(
            code(acknowledge(&dg, Some(&m), now())),
            ErrorCode::MilestoneAlreadyAcknowledged
        );
    }

    #[test]
    fn rule_issue_17_5_the_provider_asks_for_a_new_date_the_commune_decides() {
        let (o, ms) = order_in(OrderStatus::Deploying);
        let training = of(&ms, MilestoneKind::Training);
        let ask = |m, reason| RequestReplan {
            milestone: Some(m),
            order: Some(&o),
            request_id: Uuid::from_u128(77),
            requested_date: date(2027, 1, 15),
            reason,
        };
        let reason = "Le formateur est absent en décembre.";
        assert_eq!(
            code(request_replan(
                &actor(Role::DirectorGeneral),
                ask(&training, reason),
                now()
            )),
            ErrorCode::Forbidden
        );
        assert_eq!(
            code(request_replan(
                &actor(Role::ProviderUser),
                ask(&training, ""),
                now()
            )),
            ErrorCode::ReplanReasonMissing
        );
        let asked =
            request_replan(&actor(Role::ProviderUser), ask(&training, reason), now()).unwrap();
        assert_eq!(asked.pending_replan().unwrap().requested_by, "ProviderUser");
        let decide = |m, accepted, reason| DecideReplan {
            milestone: Some(m),
            order: Some(&o),
            request_id: Uuid::from_u128(77),
            accepted,
            reason,
        };
        assert_eq!(
            code(decide_replan(
                &actor(Role::CentraleStaff),
                decide(&asked, true, ""),
                now()
            )),
            ErrorCode::Forbidden
        );
        // A refusal states its reason; an acceptance may say nothing.
        assert_eq!(
            code(decide_replan(
                &actor(Role::CommuneStaff),
                decide(&asked, false, ""),
                now()
            )),
            ErrorCode::ReplanReasonMissing
        );
        let m = decide_replan(&actor(Role::CommuneStaff), decide(&asked, true, ""), now()).unwrap();
        assert_eq!(m.planned_date, date(2027, 1, 15));
        assert_eq!(m.baseline(), training.planned_date);
        assert_eq!(
            code(decide_replan(
                &actor(Role::CommuneStaff),
                decide(&m, true, ""),
                now()
            )),
            ErrorCode::NoPendingReplan
        );
    }

    fn accept_input<'a>(
        o: &'a Order,
        ms: &'a [Milestone],
        f: &'a FrameworkAgreement,
        final_acceptance: bool,
        date: NaiveDate,
    ) -> Accept<'a> {
        Accept {
            order: Some(o),
            substitutions: &[],
            milestones: ms,
            framework: Some(f),
            final_acceptance,
            date,
            remarks: " Sans réserve. ",
        }
    }

    #[test]
    fn rule_ar_14_january_2013_provisional_acceptance_once_live_signed_by_a_signatory() {
        let f = framework(0);
        let (o, mut ms) = order_in(OrderStatus::Deploying);
        let day = date(2026, 11, 27);
        let mayor = actor(Role::Mayor);
        assert_eq!(
            code(accept(&mayor, accept_input(&o, &ms, &f, false, day), now())),
            ErrorCode::GoLiveNotDone
        );
        for m in ms.iter_mut().filter(|m| m.kind == MilestoneKind::GoLive) {
            m.actual_date = Some(day);
        }
        // An agent signs only as a substitute on a day covered.
        assert_eq!(
            code(accept(
                &actor(Role::CommuneStaff),
                accept_input(&o, &ms, &f, false, day),
                now()
            )),
            ErrorCode::Forbidden
        );
        let mut unknown = accept_input(&o, &ms, &f, false, day);
        unknown.order = None;
        assert_eq!(code(accept(&mayor, unknown, now())), ErrorCode::NotFound);
        assert_eq!(
            code(accept(
                &mayor,
                accept_input(&o, &ms, &f, false, date(2026, 11, 30)),
                now()
            )),
            ErrorCode::DateOutOfRange
        );
        let w = accept(&mayor, accept_input(&o, &ms, &f, false, day), now()).unwrap();
        assert_eq!(w.order.status, OrderStatus::ProvisionallyAccepted);
        let a = w.order.provisional_acceptance.as_ref().unwrap();
        assert_eq!(
            (a.remarks.as_str(), a.by.as_str()),
            ("Sans réserve.", "Mayor")
        );
        let m = w.milestone.unwrap();
        assert_eq!(m.kind, MilestoneKind::ProvisionalAcceptance);
        assert_eq!(
            (
                m.actual_date,
                m.acknowledged_at,
                m.acknowledged_by.as_deref()
            ),
            (Some(day), Some(now()), Some("Mayor"))
        );
    }

    #[test]
    fn rule_16_final_acceptance_after_the_guarantee_period() {
        let f = framework(12);
        let (mut o, ms) = order_in(OrderStatus::ProvisionallyAccepted);
        o.provisional_acceptance = Some(Acceptance {
            date: date(2025, 11, 3),
            remarks: String::new(),
            by: "Mayor".into(),
            recorded_at: now(),
        });
        let dg = actor(Role::DirectorGeneral);
        assert_eq!(
            code(accept(
                &dg,
                accept_input(&o, &ms, &f, true, date(2026, 11, 2)),
                now()
            )),
            ErrorCode::GuaranteePeriodRunning
        );
        let mut no_framework = accept_input(&o, &ms, &f, true, date(2026, 11, 3));
        no_framework.framework = None;
        assert_eq!(code(accept(&dg, no_framework, now())), ErrorCode::NotFound);
        let w = accept(
            &dg,
            accept_input(&o, &ms, &f, true, date(2026, 11, 3)),
            now(),
        )
        .unwrap();
        assert_eq!(w.order.status, OrderStatus::FinallyAccepted);
        assert_eq!(w.milestone.unwrap().kind, MilestoneKind::FinalAcceptance);
    }

    #[test]
    fn rule_cdld_l1123_5_a_substitute_signs_the_acceptance_named_as_such() {
        let f = framework(0);
        let (o, mut ms) = order_in(OrderStatus::Deploying);
        let day = date(2026, 11, 27);
        for m in ms.iter_mut().filter(|m| m.kind == MilestoneKind::GoLive) {
            m.actual_date = Some(day);
        }
        let agent = actor(Role::CommuneStaff);
        let substitution = Substitution {
            id: Uuid::from_u128(5),
            commune_nis: "84009".into(),
            capacity: Capacity::MayorActing,
            substitute_username: "agent.84009".into(),
            substitute_user_id: agent.user_id.clone(),
            substitute_name: agent.display_name.clone(),
            substitute_gender: Gender::Male,
            from: date(2026, 11, 1),
            to: date(2026, 12, 31),
            decision: Decision {
                organ: Organ::College,
                reference: "COL/2026/5".into(),
                date: date(2026, 10, 30),
                financial_opinion: None,
            },
            ranked_before_unavailable: None,
            documents: None,
            recorded_by: "Mayor".into(),
            recorded_at: now(),
            ended: None,
        };
        let substitutions = [substitution];
        let input = Accept {
            substitutions: &substitutions,
            ..accept_input(&o, &ms, &f, false, day)
        };
        let w = accept(&agent, input, now()).unwrap();
        let by = &w.order.provisional_acceptance.as_ref().unwrap().by;
        assert!(
            by.starts_with("CommuneStaff, ") && by.contains("f.f."),
            "{by}"
        );
    }
}
