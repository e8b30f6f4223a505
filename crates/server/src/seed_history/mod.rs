//! A year of demo activity, so that the centrale's screens are filled in the demo: ten
//! communes' adhesions and seventeen orders at every stage, played through the one write path.
//!
//! Loaded by `centrale-server seed --demo --history`, after [`crate::seed::seed_demo`], never
//! automatically (tests' servers start without it). Every act is a named mutation, parsed
//! like a push and applied by [`engine::apply`] with the account that would really do it (the
//! commune's director general or mayor, the centrale's purchasing staff, the provider), each
//! under its own mutation id, on a manual clock stepped through the past: the permission
//! checks, the domain rules, the audit log and the change log all apply, with the dates the
//! acts would have had. The story ends at `now`:
//!
//! - eight communes active (activated over the months), Florenville countersigned but not yet
//!   activated, Habay signed by the commune and waiting for the countersignature;
//! - a needs survey open for answers, sent by six communes, a seventh's draft kept (Bertrix
//!   has not answered yet);
//! - a pooled call-off of three communes for air-quality sensors: one competition, the
//!   centrale's common analysis, two communes' awards (one with its purchase order), the third
//!   commune's decision to come;
//! - seventeen orders over six services: seven provisionally accepted, five deploying (one
//!   with a milestone late on `now`), one with its purchase order and the kick-off ahead, one
//!   awarded waiting for its purchase order, one mini-competition running (deadline ten days
//!   after `now`, one offer in), one request waiting for the centrale's launch, one draft;
//!   three of the fourteen awards took more than the 20 days promised.
//!
//! Record ids come from [`demo_id`] (the invitations and milestones the server makes get
//! their own ids). The history runs only on a database without any adhesion: a second run
//! finds its first adhesion and writes nothing; a database with other adhesions is left alone.
//! Each act commits on its own, so an interrupted run leaves part of the story: start again
//! from a fresh database (`cargo xtask demo --reset`).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use anyhow::{anyhow, bail};
use centrale_domain::adhesion::ConventionTemplate;
use centrale_domain::catalogue::FrameworkAgreement;
use centrale_protocol::records::RecordKind;
use centrale_server_db::Database;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

mod player;
mod schedule;
mod story;

use player::Player;
use schedule::{schedule, Act, Calendar};
use story::{plans, ADHESIONS};

use crate::seed::{demo_catalogue, demo_convention_template_id, demo_id, DemoCatalogue};
use crate::{AppState, ManualClock, Settings};

/// The centrale's purchasing account (launches, openings, countersignatures, purchase orders).
const CENTRALE: &str = "centrale.achats";

/// The id of the history's adhesion of commune `nis`.
pub fn history_adhesion_id(nis: &str) -> Uuid {
    demo_id("history-adhesion", nis)
}

/// The id of the history's order named `key` (e.g. `virton-eguichet`).
pub fn history_order_id(key: &str) -> Uuid {
    demo_id("history-order", key)
}

/// The id of the history's needs survey (issue 16 §3).
pub fn history_survey_id() -> Uuid {
    demo_id("history-survey", "besoins-2027")
}

/// The id of the history's pooled call-off (issue 16 §4).
pub fn history_pool_id() -> Uuid {
    demo_id("history-pool", "qualite-air-2027")
}

/// The id of the offer of provider `short_name` on the history's order `key`.
pub fn history_offer_id(key: &str, short_name: &str) -> Uuid {
    demo_id("history-offer", &format!("{key}:{short_name}"))
}

/// Why the history was not loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistorySkip {
    /// Its first adhesion is there: it was loaded before.
    AlreadyLoaded,
    /// The database already holds adhesions of its own: the story would not fit.
    OtherActivity,
}

/// What a history run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryReport {
    /// Adhesions started.
    pub adhesions: usize,
    /// Orders created.
    pub orders: usize,
    /// Offers submitted.
    pub offers: usize,
    /// Mutations applied.
    pub mutations: usize,
    /// First and last day of the story.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Set when nothing was written.
    pub skipped: Option<HistorySkip>,
}

impl fmt::Display for HistoryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.skipped {
            Some(HistorySkip::AlreadyLoaded) => {
                return write!(
                    f,
                    "L'historique de démonstration est déjà chargé : rien n'a été modifié."
                )
            }
            Some(HistorySkip::OtherActivity) => {
                return write!(
                    f,
                    "La base contient déjà des adhésions : l'historique de démonstration ne se charge que sur une base sans activité. Rien n'a été modifié."
                )
            }
            None => {}
        }
        writeln!(f, "Historique de démonstration chargé :")?;
        if let Some((first, last)) = self.span {
            writeln!(
                f,
                "  période     : du {} au {}",
                first.format("%d/%m/%Y"),
                last.format("%d/%m/%Y")
            )?;
        }
        writeln!(f, "  adhésions   : {}", self.adhesions)?;
        writeln!(f, "  commandes   : {}", self.orders)?;
        writeln!(f, "  offres      : {}", self.offers)?;
        write!(f, "  opérations  : {}", self.mutations)
    }
}

/// The framework of each service the story orders, by service code.
fn frameworks_of<'c>(
    catalogue: &'c DemoCatalogue,
    plans: &[story::OrderPlan],
) -> anyhow::Result<HashMap<&'static str, &'c FrameworkAgreement>> {
    let mut frameworks = HashMap::new();
    for plan in plans {
        let service = catalogue
            .services
            .iter()
            .find(|s| s.code == plan.service)
            .ok_or_else(|| anyhow!("service {} inconnu", plan.service))?;
        let framework = catalogue
            .frameworks
            .iter()
            .find(|f| f.id == service.framework_id)
            .ok_or_else(|| anyhow!("accord-cadre du service {} inconnu", plan.service))?;
        frameworks.insert(plan.service, framework);
    }
    Ok(frameworks)
}

/// Plays the demo history up to `now` (see the module's documentation). Run after
/// [`crate::seed::seed_demo`] on the same database.
pub async fn seed_demo_history(db: &Database, now: DateTime<Utc>) -> anyhow::Result<HistoryReport> {
    let first = history_adhesion_id(ADHESIONS[0].nis).to_string();
    if db
        .get_record(RecordKind::Adhesion.as_str(), &first)
        .await?
        .is_some()
    {
        return Ok(HistoryReport {
            skipped: Some(HistorySkip::AlreadyLoaded),
            ..HistoryReport::default()
        });
    }
    if !db
        .list_records(RecordKind::Adhesion.as_str())
        .await?
        .is_empty()
    {
        return Ok(HistoryReport {
            skipped: Some(HistorySkip::OtherActivity),
            ..HistoryReport::default()
        });
    }
    let template = db
        .get_record(
            RecordKind::ConventionTemplate.as_str(),
            &demo_convention_template_id().to_string(),
        )
        .await?
        .ok_or_else(|| {
            anyhow!(
                "Chargez d'abord les données de démonstration (« centrale-server seed --demo »)."
            )
        })?;
    let template: ConventionTemplate = serde_json::from_value(template.body)?;

    let catalogue = demo_catalogue(now)?;
    let days = Calendar {
        today: centrale_domain::time::brussels_today(now),
    };
    let plans = plans();
    let frameworks = frameworks_of(&catalogue, &plans)?;
    for plan in &plans {
        // The story needs its frameworks in force from its first order to today.
        let framework = frameworks[plan.service];
        let terms = framework.current()?;
        for day in [days.date(plan.created), days.today] {
            if !terms.in_force_on(day) {
                bail!(
                    "L'historique de démonstration demande l'accord-cadre {} en vigueur le {} (il l'est du {} au {}) : il ne peut pas être chargé à cette date.",
                    framework.reference,
                    day.format("%d/%m/%Y"),
                    terms.start_date.format("%d/%m/%Y"),
                    terms.end_date.format("%d/%m/%Y")
                );
            }
        }
    }
    let events = schedule(&days, &plans, &frameworks)?;

    let clock = Arc::new(ManualClock::new(now));
    let dyn_clock: Arc<dyn crate::Clock> = clock.clone();
    let mut player = Player {
        state: AppState::new(db.clone(), dyn_clock, Settings::default()),
        clock,
        days,
        plans: &plans,
        frameworks,
        providers: &catalogue.providers,
        actors: HashMap::new(),
        client_seq: HashMap::new(),
        applied: 0,
        purchase_orders: 0,
        text_sha256: template.sha256,
    };
    for event in &events {
        player.play(event).await?;
    }
    // A pooled offer is one offer per commune of the pool.
    let offers = events
        .iter()
        .map(|e| match e.act {
            Act::Offer(..) => 1,
            Act::PoolOffer(_) => story::POOL_MEMBERS.len(),
            _ => 0,
        })
        .sum();
    let span = events.first().map(|first| {
        (
            centrale_domain::time::brussels_today(first.at),
            player.days.date(1),
        )
    });
    Ok(HistoryReport {
        adhesions: ADHESIONS.len(),
        orders: plans.len() + story::POOL_MEMBERS.len(),
        offers,
        mutations: player.applied,
        span,
        skipped: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_act_is_in_the_past_and_every_adhesion_comes_before_its_orders() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        let days = Calendar {
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        };
        let catalogue = demo_catalogue(now).unwrap();
        let plans = plans();
        let frameworks = frameworks_of(&catalogue, &plans).unwrap();
        let events = schedule(&days, &plans, &frameworks).unwrap();
        assert!(events.iter().all(|e| e.at < now));
        for o in plans.iter().filter(|o| o.submitted.is_some()) {
            let a = ADHESIONS.iter().find(|a| a.nis == o.nis).unwrap();
            assert!(a.activate.unwrap() > o.submitted.unwrap(), "{}", o.key);
        }
        assert!((12..=20).contains(&plans.len()));
        // Every act is done by a demo account of the right commune.
        let accounts = crate::seed::demo_accounts(&catalogue.providers);
        let has = |name: &str| accounts.iter().any(|a| a.username == name);
        for a in ADHESIONS {
            assert!(has(&format!("dg.{}", a.nis)) && has(&format!("bourgmestre.{}", a.nis)));
        }
        for o in &plans {
            let author = accounts.iter().find(|a| a.username == o.author).unwrap();
            assert_eq!(author.commune_nis.as_deref(), Some(o.nis), "{}", o.key);
        }
        for p in &catalogue.providers {
            assert!(has(&format!("prestataire.{}", p.short_name)));
        }
        assert!((8..=12).contains(&ADHESIONS.len()));
    }
}
