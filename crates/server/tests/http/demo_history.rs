//! The demo history (`seed --demo --history`): a year of adhesions and orders played through
//! the one write path, as the centrale's screens will read it.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use centrale_domain::deployment::{Milestone, MilestoneStatus};
use centrale_protocol::records::RecordKind;
use centrale_server::seed::demo_provider_id;
use centrale_server::seed_history::{
    history_offer_id, history_order_id, history_pool_id, history_survey_id, seed_demo_history,
    HistorySkip,
};
use centrale_server_db::Database;
use chrono::{DateTime, NaiveDate, Utc};
use common::*;
use serde_json::Value;

fn brussels_date(value: &Value) -> NaiveDate {
    let at: DateTime<Utc> = serde_json::from_value(value.clone()).expect("a time");
    at.with_timezone(&chrono_tz::Europe::Brussels).date_naive()
}

fn count_by(records: &[Value], field: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for r in records {
        *counts
            .entry(r[field].as_str().unwrap_or_default().to_string())
            .or_insert(0) += 1;
    }
    counts
}

/// Every stored record (tombstones and the server's internal index included).
async fn record_count(db: &Database) -> usize {
    let mut n = db.list_records("deadline_index").await.unwrap().len();
    for kind in RecordKind::ALL {
        n += db.list_records(kind.as_str()).await.unwrap().len();
    }
    n
}

#[tokio::test]
async fn the_history_fills_the_centrales_screens_once_through_the_write_path() {
    let app = spawn_app().await;
    let report = seed_demo_history(&app.db, t0()).await.expect("history");
    assert_eq!(report.skipped, None);
    assert_eq!(
        (report.adhesions, report.orders, report.offers),
        // Every order is re-competed (issue 11 rule 5): Bertrix's energy order too; the pooled
        // call-off's three communes each have their order and one offer of each provider.
        (10, 20, 35)
    );
    let (first, last) = report.span.unwrap();
    assert!((today0() - first).num_days() > 300, "about a year: {first}");
    assert_eq!(last, NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());

    let centrale = app.state_of(CENTRALE).await;

    // Issue 16 §2: the intercommunale's accompaniment — one invoiced (Bertrix's e-guichet),
    // one planned, one asked for, one cancelled by its commune.
    let accompaniments = centrale.all(RecordKind::AccompanimentOrder);
    assert_eq!(
        count_by(&accompaniments, "status"),
        BTreeMap::from([
            ("cancelled".to_string(), 1),
            ("invoiced".to_string(), 1),
            ("planned".to_string(), 1),
            ("requested".to_string(), 1),
        ])
    );
    let invoiced = accompaniments
        .iter()
        .find(|a| a["status"] == "invoiced")
        .unwrap();
    assert_eq!(invoiced["commune_nis"], "84009");
    assert!(invoiced["invoice"]["number"]
        .as_str()
        .unwrap()
        .ends_with("-0001"));
    assert!(invoiced["call_off_id"].is_string());

    // Issue 16 §3: the needs survey, open; six communes sent their answers, one a draft;
    // Bertrix has not answered; smart parking is the need most expressed.
    let survey = centrale
        .get(RecordKind::Survey, history_survey_id())
        .expect("the history's survey");
    assert!(survey["closes_on"].as_str().unwrap() > "2026-11-28");
    let responses = centrale.all(RecordKind::SurveyResponse);
    assert_eq!(
        count_by(&responses, "status"),
        BTreeMap::from([("draft".to_string(), 1), ("sent".to_string(), 6)])
    );
    assert!(responses.iter().all(|r| r["commune_nis"] != "84009"));
    let parking = responses
        .iter()
        .filter(|r| r["status"] == "sent")
        .filter(|r| {
            r["answers"][0]["value"]["value"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "stationnement"))
        })
        .count();
    assert_eq!(parking, 4);

    // Adhesions: eight active, one to countersign, one to activate.
    let adhesions = centrale.all(RecordKind::Adhesion);
    let by_status = count_by(&adhesions, "status");
    assert_eq!(
        by_status,
        BTreeMap::from([
            ("active".to_string(), 8),
            ("countersigned".to_string(), 1),
            ("signed_by_commune".to_string(), 1),
        ])
    );
    let waiting = adhesions
        .iter()
        .find(|a| a["status"] == "signed_by_commune")
        .unwrap();
    assert_eq!(waiting["commune_nis"], "85046");
    assert!(waiting["mayor_signature"]["user_id"].is_string());
    assert!(waiting["countersignature"].is_null());
    let activations: BTreeSet<String> = adhesions
        .iter()
        .filter_map(|a| a["activated_at"].as_str())
        .map(|at| at[..7].to_string())
        .collect();
    assert!(
        activations.len() >= 7,
        "spread over months: {activations:?}"
    );

    // Orders at every stage.
    let orders = centrale.all(RecordKind::Order);
    assert_eq!(
        count_by(&orders, "status"),
        BTreeMap::from([
            ("awarded".to_string(), 2),
            ("competition_open".to_string(), 1),
            ("deploying".to_string(), 4),
            ("draft".to_string(), 1),
            ("evaluated".to_string(), 1),
            ("provisionally_accepted".to_string(), 8),
            ("purchase_order_issued".to_string(), 2),
            ("submitted".to_string(), 1),
        ])
    );
    let communes: BTreeSet<&str> = orders
        .iter()
        .map(|o| o["commune_nis"].as_str().unwrap())
        .collect();
    assert_eq!(communes.len(), 8);
    let services: BTreeSet<&str> = orders
        .iter()
        .map(|o| o["service_id"].as_str().unwrap())
        .collect();
    assert_eq!(services.len(), 6);
    let purchase_orders: BTreeSet<&str> = orders
        .iter()
        .filter_map(|o| o["purchase_order"]["reference"].as_str())
        .collect();
    assert_eq!(purchase_orders.len(), 14, "distinct references");
    // Rule 16: every purchase order of the history names the commune's fonctionnaire dirigeant.
    for o in orders.iter().filter(|o| !o["purchase_order"].is_null()) {
        let manager = &o["purchase_order"]["contract_manager"];
        assert!(
            manager["name"].as_str().is_some_and(|n| !n.is_empty())
                && manager["quality"].as_str().is_some_and(|q| !q.is_empty()),
            "{manager}"
        );
    }
    let awarded = history_order_id("durbuy-eguichet");
    assert!(order_of(&centrale, awarded)["purchase_order"].is_null());

    // Time from order to award against the 20-day promise.
    let days: Vec<i64> = orders
        .iter()
        .filter(|o| o["award"].is_object())
        .map(|o| {
            (brussels_date(&o["award"]["awarded_at"]) - brussels_date(&o["submitted_at"]))
                .num_days()
        })
        .collect();
    // The pooled call-off's two awards took longer: the communes joined over a week, then one
    // competition for all.
    assert_eq!(days.len(), 16);
    assert_eq!(days.iter().filter(|d| **d > 20).count(), 5, "{days:?}");
    assert!(days.iter().all(|d| *d >= 0));
    // Every awarded offer is priced below the ceilings and won against a different total.
    for o in orders.iter().filter(|o| o["award"]["direct"] == false) {
        let offers = offers_of(&centrale, o["id"].as_str().unwrap().parse().unwrap());
        assert_eq!(offers.len(), 2);
        assert_ne!(offers[0]["total"], offers[1]["total"]);
    }

    // One milestone late on the seed's day: Virton's training (planned from the winner's
    // 80 days, rule 16).
    let milestones: Vec<Milestone> = centrale
        .all(RecordKind::Milestone)
        .into_iter()
        .map(|m| serde_json::from_value(m).unwrap())
        .collect();
    let late: Vec<&Milestone> = milestones
        .iter()
        .filter(|m| m.status_on(today0()) == MilestoneStatus::Late)
        .collect();
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].order_id, history_order_id("virton-eguichet"));
    assert_eq!(
        late[0].kind,
        centrale_domain::deployment::MilestoneKind::Training
    );
    assert_eq!(late[0].lead_time_days, Some(80));
    assert!(milestones
        .iter()
        .any(|m| m.status_on(today0()) == MilestoneStatus::Done));

    // Sealed: the running competition's offer is its author's only.
    let running = history_order_id("neufchateau-participation");
    let order = order_of(&centrale, running);
    assert!(brussels_date(&order["competition"]["deadline"]) > today0());
    assert!(offers_of(&centrale, running).is_empty());
    let sealed = history_offer_id("neufchateau-participation", "agoralux");
    assert!(centrale.get(RecordKind::Offer, sealed).is_none());
    let invitations = centrale.find(RecordKind::Invitation, "order_id", running.to_string());
    // Not even who has submitted: both invitations read « sent » until the opening.
    assert_eq!(
        count_by(&invitations, "status"),
        BTreeMap::from([("sent".to_string(), 2)])
    );
    let agoralux = app.state_of("prestataire.agoralux").await;
    assert_eq!(
        agoralux.get(RecordKind::Offer, sealed).unwrap()["provider_id"],
        demo_provider_id("agoralux").to_string()
    );
    for user in ["dg.84043", "bourgmestre.84043", "prestataire.nuagix"] {
        let view = app.state_of(user).await;
        assert!(view.get(RecordKind::Offer, sealed).is_none(), "{user}");
    }
    // Opened offers: two per competition, the running one excepted.
    assert_eq!(centrale.all(RecordKind::Offer).len(), 34);

    // Issue 16 §4: the pooled call-off of three communes — one competition, the centrale's
    // analysis written into each commune's order, each commune's own decision.
    let pool = centrale
        .get(RecordKind::PooledCallOff, history_pool_id())
        .expect("the history's pooled call-off");
    assert_eq!(pool["members"].as_array().unwrap().len(), 3);
    assert!(pool["evaluated"].is_object());
    let members: Vec<Value> = pool["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| order_of(&centrale, m["order_id"].as_str().unwrap().parse().unwrap()))
        .collect();
    let statuses: Vec<&str> = members
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["purchase_order_issued", "awarded", "evaluated"]);
    let winners: BTreeSet<&str> = members
        .iter()
        .map(|o| {
            o["evaluation"]["ranking"]["offers"][0]["provider_id"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(winners.len(), 1, "one analysis, one winner");
    assert!(members
        .iter()
        .all(|o| o["pool_id"] == history_pool_id().to_string()));

    // A commune sees its own story only.
    let bertrix = app.state_of(DG).await;
    assert_eq!(bertrix.all(RecordKind::Order).len(), 3);
    assert_eq!(bertrix.all(RecordKind::Adhesion).len(), 1);
    assert!(app
        .state_of(DG_OTHER)
        .await
        .all(RecordKind::Adhesion)
        .is_empty());

    // Every act is in the audit log under a real account, none refused.
    let audit = app.db.list_audit(0, 10_000).await.unwrap();
    assert_eq!(audit.len(), 1 + report.mutations);
    assert_eq!(audit[0].action, "seed.demo");
    let mut actors = BTreeSet::new();
    for entry in &audit[1..] {
        assert!(!entry.action.ends_with(".refused"), "{}", entry.action);
        assert!(entry.at < t0(), "{} at {}", entry.action, entry.at);
        let username = entry.actor.split(" (").next().unwrap().to_string();
        actors.insert(username);
    }
    for username in &actors {
        let user = app.db.find_user_by_username(username).await.unwrap();
        assert!(user.is_some(), "{username} is not an account");
    }
    assert!(actors.contains(CENTRALE) && actors.contains("prestataire.civitech"));
    assert!(actors.contains("dg.85045") && actors.contains("bourgmestre.83012"));
    assert!(app.db.verify_audit().await.unwrap().first_problem.is_none());

    // A second run changes nothing.
    let seq = app.db.max_seq().await.unwrap();
    let records = record_count(&app.db).await;
    let again = seed_demo_history(&app.db, t0()).await.unwrap();
    assert_eq!(again.skipped, Some(HistorySkip::AlreadyLoaded));
    assert_eq!(again.mutations, 0);
    assert_eq!(app.db.max_seq().await.unwrap(), seq);
    assert_eq!(record_count(&app.db).await, records);
    assert_eq!(
        app.db.list_audit(0, 10_000).await.unwrap().len(),
        audit.len()
    );
}

#[tokio::test]
async fn the_history_leaves_a_database_with_its_own_adhesions_alone() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84077").await;
    let seq = app.db.max_seq().await.unwrap();
    let report = seed_demo_history(&app.db, t0()).await.unwrap();
    assert_eq!(report.skipped, Some(HistorySkip::OtherActivity));
    assert!(report.to_string().contains("Rien n'a été modifié"));
    assert_eq!(app.db.max_seq().await.unwrap(), seq);
    assert_eq!(app.db.list_records("order").await.unwrap().len(), 0);
}
