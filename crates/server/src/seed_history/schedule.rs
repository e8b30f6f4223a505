//! The story turned into dated acts, in the order they happen.

use std::collections::HashMap;

use anyhow::{anyhow, bail};
use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::deployment::{plan_milestones, MilestoneKind};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use uuid::Uuid;

use super::story::{OrderPlan, ADHESIONS};

/// Brussels dates counted back from `now`.
pub(super) struct Calendar {
    pub(super) today: NaiveDate,
}

impl Calendar {
    pub(super) fn date(&self, days_ago: i64) -> NaiveDate {
        let n = chrono::Days::new(days_ago.unsigned_abs());
        if days_ago >= 0 {
            self.today - n
        } else {
            self.today + n
        }
    }

    pub(super) fn ago(&self, date: NaiveDate) -> i64 {
        (self.today - date).num_days()
    }

    /// `hour:minute` in Brussels on the day `days_ago`, as an instant.
    pub(super) fn at(
        &self,
        days_ago: i64,
        hour: u32,
        minute: u32,
    ) -> anyhow::Result<DateTime<Utc>> {
        let local = self
            .date(days_ago)
            .and_hms_opt(hour, minute, 0)
            .ok_or_else(|| anyhow!("heure invalide {hour}:{minute}"))?;
        Brussels
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| anyhow!("heure inexistante à Bruxelles : {local}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AdhesionAct {
    Start,
    College,
    SignDg,
    SignMayor,
    Countersign,
    Activate,
}

#[derive(Debug, Clone)]
pub(super) enum Act {
    Adhesion(usize, AdhesionAct),
    CreateDraft(usize),
    Submit(usize),
    Launch(usize),
    Offer(usize, usize),
    Open(usize),
    Evaluate(usize),
    Award(usize),
    DirectAward(usize),
    PurchaseOrder(usize),
    MilestoneDone(usize, MilestoneKind, NaiveDate),
    Acknowledge(usize, MilestoneKind),
    AcceptProvisional(usize, NaiveDate),
    /// Issue 16 §2: an accompaniment (index in `ACCOMPANIMENTS`) ordered, planned, a line
    /// delivered, invoiced, cancelled.
    AccompanimentOrder(usize),
    AccompanimentPlan(usize),
    AccompanimentDeliver(usize, usize),
    AccompanimentInvoice(usize),
    AccompanimentCancel(usize),
    /// Issue 16 §3: the needs survey published, a commune's answers (index in
    /// `SURVEY_ANSWERS`).
    SurveyPublish,
    SurveyAnswer(usize),
    /// Issue 16 §4: the pooled call-off opened, a commune joining (index in `POOL_MEMBERS`),
    /// the launch, a provider's pooled offer (index in `POOL_OFFERS`), the opening, the
    /// centrale's analysis, a commune's award and purchase order.
    PoolCreate,
    PoolJoin(usize),
    PoolLaunch,
    PoolOffer(usize),
    PoolOpen,
    PoolEvaluate,
    PoolAward(usize),
    PoolPurchaseOrder(usize),
}

pub(super) struct Event {
    pub(super) at: DateTime<Utc>,
    pub(super) act: Act,
}

pub(super) const MILESTONE_NOTES: [&str; 5] = [
    "Réunion de lancement tenue à l'administration communale.",
    "Paramétrage terminé et validé avec le service.",
    "Données reprises et liaisons testées.",
    "Formation des agents donnée sur place.",
    "Service ouvert aux citoyens.",
];

/// Days a provider is late (or not) on each milestone, by order and step: a fixed pattern.
pub(super) fn delay(order: usize, step: usize) -> u64 {
    [0, 2, 1, 0, 3, 1, 0][(order * 3 + step) % 7]
}

pub(super) fn schedule(
    days: &Calendar,
    plans: &[OrderPlan],
    frameworks: &HashMap<&str, &FrameworkAgreement>,
) -> anyhow::Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut push = |at: DateTime<Utc>, act: Act| events.push(Event { at, act });
    for (i, a) in ADHESIONS.iter().enumerate() {
        push(
            days.at(a.college, 9, 30)?,
            Act::Adhesion(i, AdhesionAct::Start),
        );
        push(
            days.at(a.college, 9, 35)?,
            Act::Adhesion(i, AdhesionAct::College),
        );
        push(
            days.at(a.dg_sign, 10, 5)?,
            Act::Adhesion(i, AdhesionAct::SignDg),
        );
        push(
            days.at(a.mayor_sign, 17, 40)?,
            Act::Adhesion(i, AdhesionAct::SignMayor),
        );
        if let Some(d) = a.countersign {
            push(
                days.at(d, 11, 10)?,
                Act::Adhesion(i, AdhesionAct::Countersign),
            );
        }
        if let Some(d) = a.activate {
            push(days.at(d, 15, 0)?, Act::Adhesion(i, AdhesionAct::Activate));
        }
    }
    for (i, o) in plans.iter().enumerate() {
        push(days.at(o.created, 10, 0)?, Act::CreateDraft(i));
        if let Some(d) = o.submitted {
            push(days.at(d, 11, 30)?, Act::Submit(i));
        }
        if let Some(c) = &o.competition {
            push(days.at(c.launched, 10, 15)?, Act::Launch(i));
            for (j, offer) in c.offers.iter().enumerate() {
                if let Some(d) = offer.submitted {
                    push(days.at(d, 14 + j as u32, 20)?, Act::Offer(i, j));
                }
            }
            if c.deadline > 0 {
                push(days.at(c.deadline, 12, 5)?, Act::Open(i));
            }
            if let Some(d) = c.evaluated {
                push(days.at(d, 10, 30)?, Act::Evaluate(i));
            }
        }
        let Some(awarded) = o.awarded else { continue };
        let award_act = if o.direct_to.is_some() {
            Act::DirectAward(i)
        } else {
            Act::Award(i)
        };
        push(days.at(awarded, 16, 0)?, award_act);
        let Some(po) = o.purchase_order else { continue };
        push(days.at(po, 9, 45)?, Act::PurchaseOrder(i));
        // The deployment up to `now`: every milestone planned before today is done, except
        // the one the provider let slip.
        let plan = &frameworks
            .get(o.service)
            .and_then(|f| f.current().ok())
            .ok_or_else(|| anyhow!("service {} inconnu", o.service))?
            .milestone_plan;
        // The dates the engine plans (rule 16): from the winner's offered lead time (none on a
        // direct award), moved to start on the purchase order's day.
        let lead_time = o
            .competition
            .as_ref()
            .map(|c| c.offers[c.winner].lead_time_days);
        let mut planned_milestones = plan_milestones(
            plan,
            lead_time,
            days.date(awarded),
            Uuid::nil(),
            o.nis,
            Uuid::nil(),
            Uuid::nil,
        );
        for m in &mut planned_milestones {
            m.start_from_purchase_order(days.date(po));
        }
        let mut last_done = days.date(po);
        let mut slipped = false;
        for (step, m) in planned_milestones.iter().enumerate() {
            let (kind, planned) = (m.kind, m.planned_date);
            if kind == MilestoneKind::FinalAcceptance {
                break;
            }
            if days.ago(planned) < 1 {
                break;
            }
            if slipped {
                bail!(
                    "historique : la commande {} aurait plus d'un jalon en retard",
                    o.key
                );
            }
            if o.late == Some(kind) {
                slipped = true;
                continue;
            }
            let done = (planned + chrono::Days::new(delay(i, step)))
                .min(days.date(1))
                .max(last_done);
            last_done = done;
            let done_ago = days.ago(done);
            if kind == MilestoneKind::ProvisionalAcceptance {
                push(days.at(done_ago, 16, 30)?, Act::AcceptProvisional(i, done));
                continue;
            }
            push(
                days.at(done_ago, 11, step as u32)?,
                Act::MilestoneDone(i, kind, done),
            );
            if matches!(kind, MilestoneKind::Kickoff | MilestoneKind::GoLive) && done_ago > 1 {
                push(days.at(done_ago - 1, 9, 15)?, Act::Acknowledge(i, kind));
            }
        }
    }
    for (k, a) in super::story::ACCOMPANIMENTS.iter().enumerate() {
        events.push(Event {
            at: days.at(a.ordered, 11, 0)?,
            act: Act::AccompanimentOrder(k),
        });
        if let Some((planned, _)) = a.planned {
            events.push(Event {
                at: days.at(planned, 9, 30)?,
                act: Act::AccompanimentPlan(k),
            });
        }
        for (j, delivered) in a.delivered.iter().enumerate() {
            events.push(Event {
                at: days.at(*delivered, 17, 0)?,
                act: Act::AccompanimentDeliver(k, j),
            });
        }
        if let Some(invoiced) = a.invoiced {
            events.push(Event {
                at: days.at(invoiced, 10, 0)?,
                act: Act::AccompanimentInvoice(k),
            });
        }
        if let Some(cancelled) = a.cancelled {
            events.push(Event {
                at: days.at(cancelled, 14, 0)?,
                act: Act::AccompanimentCancel(k),
            });
        }
    }
    events.push(Event {
        at: days.at(super::story::SURVEY_PUBLISHED, 10, 0)?,
        act: Act::SurveyPublish,
    });
    for (k, a) in super::story::SURVEY_ANSWERS.iter().enumerate() {
        events.push(Event {
            at: days.at(a.at, 15, 0)?,
            act: Act::SurveyAnswer(k),
        });
    }
    {
        use super::story::{
            POOL_CREATED, POOL_DEADLINE, POOL_EVALUATED, POOL_LAUNCHED, POOL_MEMBERS, POOL_OFFERS,
        };
        let mut push = |at: DateTime<Utc>, act: Act| events.push(Event { at, act });
        push(days.at(POOL_CREATED, 10, 0)?, Act::PoolCreate);
        for (k, m) in POOL_MEMBERS.iter().enumerate() {
            push(days.at(m.joined, 11, 0)?, Act::PoolJoin(k));
            if let Some(d) = m.awarded {
                push(days.at(d, 16, 10)?, Act::PoolAward(k));
            }
            if let Some(d) = m.purchase_order {
                push(days.at(d, 9, 50)?, Act::PoolPurchaseOrder(k));
            }
        }
        push(days.at(POOL_LAUNCHED, 10, 20)?, Act::PoolLaunch);
        for (j, offer) in POOL_OFFERS.iter().enumerate() {
            if let Some(d) = offer.submitted {
                push(days.at(d, 14 + j as u32, 40)?, Act::PoolOffer(j));
            }
        }
        push(days.at(POOL_DEADLINE, 12, 10)?, Act::PoolOpen);
        push(days.at(POOL_EVALUATED, 10, 40)?, Act::PoolEvaluate);
    }
    // Chronological; acts at the same minute keep the order they were planned in.
    events.sort_by_key(|e| e.at);
    Ok(events)
}
