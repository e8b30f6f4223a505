//! The communes' public standings (issue 15.9), on SQLite and PostgreSQL: every account pulls
//! where each commune stands — joined or not, how many call-offs awarded — written in the
//! transaction of the act that changes it, and nothing else of another commune.

use crate::common;

use centrale_domain::adhesion::Adhesion;
use centrale_domain::order::Order;
use centrale_domain::standing::{standing, CommuneStanding};
use centrale_protocol::records::RecordKind;
use centrale_protocol::Change;
use centrale_server::engine::standing::backfill;
use centrale_server::seed_history::seed_demo_history;
use centrale_server::Clock;
use centrale_server_db::RecordWrite;
use common::*;
use serde_json::{json, Value};

/// What an account pulls of commune `nis` beyond the shared catalogue: the kinds that are
/// filed under a commune.
fn of_commune(changes: &[Change], nis: &str) -> Vec<(RecordKind, Value)> {
    View::of(changes)
        .latest
        .values()
        .filter(|c| c.record["commune_nis"] == nis)
        .map(|c| (c.kind, c.record.clone()))
        .collect()
}

#[tokio::test]
async fn every_account_pulls_bertrixs_standing_and_nothing_else_of_bertrix() {
    let app = spawn_app().await;
    // Before anything: no standing (a commune without one reads as not joined).
    let other = app.state_of(DG_OTHER).await;
    assert!(other.all(RecordKind::CommuneStanding).is_empty());

    // Bertrix joins (start, conseil's decision, three signatures, activation), sends an
    // order to competition and awards it.
    let (order_id, _) = crate::execution::awarded(&app).await;

    for user in [DG_OTHER, "dg.81001", NUAGIX, CIVITECH, CENTRALE, DG] {
        let token = app.token(user).await;
        let changes = app.pull_all(&token).await;
        let view = View::of(&changes);
        let record = view
            .get(RecordKind::CommuneStanding, "84009")
            .unwrap_or_else(|| panic!("{user} pulls Bertrix's standing"));
        assert_eq!(
            record,
            json!({
                "commune_nis": "84009",
                "adhesion": "joined",
                "joined_since": today0(),
                "joined_until": null,
                "awarded_call_offs": 1,
            }),
            "{user}"
        );
        // Written three times: started (in progress), activated (joined), awarded; the
        // signatures, the order's sending and its competition change nothing public.
        assert_eq!(view.version(RecordKind::CommuneStanding, "84009"), Some(3));
        if [DG_OTHER, "dg.81001"].contains(&user) {
            let of_bertrix = of_commune(&changes, "84009");
            assert_eq!(
                of_bertrix.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
                [RecordKind::CommuneStanding],
                "{user} pulls only Bertrix's standing"
            );
            let text = serde_json::to_string(&changes).unwrap();
            assert!(
                !text.contains(&order_id.to_string()),
                "{user} sees the order"
            );
        }
    }
    // Only Bertrix has a standing: the others have nothing to show.
    let view = app.state_of(DG_OTHER).await;
    assert_eq!(view.all(RecordKind::CommuneStanding).len(), 1);
}

#[tokio::test]
async fn a_started_adhesion_is_in_progress_for_everyone_from_the_act_itself() {
    let app = spawn_app().await;
    let dg_token = app.token("dg.84077").await;
    let template = app
        .state_of("dg.84077")
        .await
        .all(RecordKind::ConventionTemplate)[0]["id"]
        .clone();
    let id = uuid::Uuid::now_v7();
    let result = app
        .push(
            &dg_token,
            vec![(
                "adhesion.start",
                json!({"adhesion_id": id, "template_id": template}),
                None,
            )],
        )
        .await;
    // The standing is among the records the act wrote.
    let written: Vec<RecordKind> = result.results[0].records.iter().map(|r| r.kind).collect();
    assert_eq!(written, [RecordKind::Adhesion, RecordKind::CommuneStanding]);
    let s = app
        .state_of(NUAGIX)
        .await
        .get(RecordKind::CommuneStanding, "84077")
        .unwrap();
    assert_eq!(s["adhesion"], "in_progress");
    assert_eq!(s["joined_since"], Value::Null);
}

#[tokio::test]
async fn the_demo_history_and_the_backfill_leave_every_standing_as_computed() {
    let app = spawn_app().await;
    seed_demo_history(&app.db, t0()).await.expect("history");
    let centrale = app.state_of(CENTRALE).await;
    let adhesions: Vec<Adhesion> = centrale
        .all(RecordKind::Adhesion)
        .into_iter()
        .map(|a| serde_json::from_value(a).unwrap())
        .collect();
    let orders: Vec<Order> = centrale
        .all(RecordKind::Order)
        .into_iter()
        .map(|o| serde_json::from_value(o).unwrap())
        .collect();
    let today = centrale_domain::time::brussels_today(app.clock.now());
    let expected = |nis: &str| standing(nis, &adhesions, &orders, today);
    let other = app.state_of(DG_OTHER).await;
    let pulled = other.all(RecordKind::CommuneStanding);
    assert!(pulled.len() >= 10, "a standing per commune with activity");
    for record in &pulled {
        let s: CommuneStanding = serde_json::from_value(record.clone()).unwrap();
        assert_eq!(s, expected(&s.commune_nis));
    }
    let joined = pulled.iter().filter(|s| s["adhesion"] == "joined").count();
    assert_eq!(joined, 8);
    let awards: u64 = pulled
        .iter()
        .map(|s| s["awarded_call_offs"].as_u64().unwrap())
        .sum();
    assert_eq!(
        awards,
        orders.iter().filter(|o| o.award.is_some()).count() as u64
    );
    assert!(awards > 0);

    // Up to date: the backfill writes nothing.
    assert_eq!(backfill(&app.db, app.clock.now()).await.unwrap(), 0);
    // A database whose standing is stale or missing (written before standings existed) is
    // brought up to date.
    let stale = other.get(RecordKind::CommuneStanding, "84009").unwrap();
    let row = app
        .db
        .get_record("commune_standing", "84009")
        .await
        .unwrap()
        .unwrap();
    let mut tx = app.db.write().await.unwrap();
    tx.put_record(&RecordWrite {
        kind: "commune_standing".into(),
        id: "84009".into(),
        version: row.version + 1,
        deleted: false,
        parent_id: None,
        body: json!({"commune_nis": "84009", "adhesion": "none", "joined_since": null,
                     "joined_until": null, "awarded_call_offs": 0}),
        format_version: 1,
        visibility: row.visibility.clone(),
        updated_at: app.clock.now(),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(backfill(&app.db, app.clock.now()).await.unwrap(), 1);
    let after = app.state_of(DG_OTHER).await;
    assert_eq!(
        after.get(RecordKind::CommuneStanding, "84009").unwrap(),
        stale
    );
}
