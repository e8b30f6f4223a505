//! Issue 16 §4: a pooled call-off — communes join with their own orders until the launch, one
//! competition, one offer per provider for the pooled volume (sealed until the deadline), one
//! analysis by the centrale on the pooled totals, each commune's own award and purchase order;
//! a commune leaves by cancelling before the launch.

use crate::common;

use centrale_domain::order::no_conflict_statement_sha256;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id, demo_service_id};
use centrale_server::Clock;
use chrono::Duration;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

const DG_THIRD: &str = "dg.81001";

fn pool_payload(id: Uuid, join_until: chrono::NaiveDate) -> Value {
    json!({
        "pool_id": id,
        "pool": {
            "service_id": demo_service_id("e-guichet"),
            "title": "E-guichet 2027 — achat groupé",
            "description": "Un e-guichet pour l'état civil et la population, acheté ensemble.",
            "join_until": join_until,
        }
    })
}

fn needs(licences: u32) -> Value {
    json!({
        "description": "E-guichet pour l'état civil.",
        "lines": [
            {"price_line_code": "setup", "quantity": "1"},
            {"price_line_code": "licence", "quantity": licences.to_string()}
        ],
    })
}

/// `dg`'s commune joins `pool` with `licences` licences: its draft, then its request sent.
async fn join(app: &TestApp, dg: &str, pool: Uuid, licences: u32) -> Uuid {
    let order = Uuid::now_v7();
    let mut draft = create_draft(order, "e-guichet", "E-guichet (groupé)", needs(licences));
    draft["pool_id"] = json!(pool);
    app.apply(dg, "order.create_draft", draft).await;
    app.apply(dg, "order.submit", submit(order)).await;
    order
}

fn pooled_offer(pool: Uuid, setup: i64, licence: i64) -> Value {
    json!({
        "offer_id": Uuid::now_v7(),
        "pool_id": pool,
        "lines": [
            {"price_line_code": "setup", "unit_price_cents": setup},
            {"price_line_code": "licence", "unit_price_cents": licence}
        ],
        "lead_time_days": 45,
        "notes": "Hébergement en Belgique.",
    })
}

#[tokio::test]
async fn issue_16_a_pooled_call_off_one_competition_one_analysis_each_communes_decision() {
    let app = spawn_app().await;
    for nis in ["84009", "84077", "81001"] {
        activate_adhesion(&app, nis).await;
    }
    let pool = Uuid::now_v7();
    let join_until = today0() + Duration::days(10);
    for user in [DG, NUAGIX] {
        app.reject(
            user,
            "pool.create",
            pool_payload(pool, join_until),
            "forbidden",
        )
        .await;
    }
    app.reject(
        CENTRALE,
        "pool.create",
        pool_payload(pool, today0() - Duration::days(1)),
        "pool_join_until_invalid",
    )
    .await;
    app.apply(CENTRALE, "pool.create", pool_payload(pool, join_until))
        .await;
    // Every commune sees it, to join.
    assert!(app
        .state_of(DG_OTHER)
        .await
        .get(RecordKind::PooledCallOff, pool)
        .is_some());

    let a = join(&app, DG, pool, 9).await;
    let b = join(&app, DG_OTHER, pool, 3).await;
    let c = join(&app, DG_THIRD, pool, 5).await;
    // A second order of the same commune is refused from its draft.
    let twice = Uuid::now_v7();
    let mut draft = create_draft(twice, "e-guichet", "Encore", needs(1));
    draft["pool_id"] = json!(pool);
    app.reject(DG, "order.create_draft", draft, "pool_already_member")
        .await;
    // The third commune leaves before the launch: its cancellation takes it out.
    app.apply(
        DG_THIRD,
        "order.cancel",
        json!({"order_id": c, "reason": "Le collège a renoncé au projet."}),
    )
    .await;
    let view = app.state_of(CENTRALE).await;
    let members = view.get(RecordKind::PooledCallOff, pool).unwrap()["members"].clone();
    let members = members.as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert!(members[2]["left_at"].is_string());
    assert!(members[0]["left_at"].is_null());

    // An order of the pool is not launched alone; the pool is, once, for both.
    let deadline = app.clock.now() + Duration::days(15);
    app.reject(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": a, "deadline": deadline}),
        "pool_act_on_pool",
    )
    .await;
    app.apply(
        CENTRALE,
        "pool.launch_competition",
        json!({"pool_id": pool, "deadline": deadline}),
    )
    .await;
    app.reject(
        CENTRALE,
        "pool.launch_competition",
        json!({"pool_id": pool, "deadline": deadline}),
        "pool_already_launched",
    )
    .await;
    let view = app.state_of(CENTRALE).await;
    for order in [a, b] {
        assert_eq!(order_of(&view, order)["status"], "competition_open");
        let invitations = view.find(RecordKind::Invitation, "order_id", order.to_string());
        assert_eq!(invitations.len(), 2);
        assert!(invitations.iter().all(|i| i["pool_id"] == pool.to_string()));
    }
    assert_eq!(order_of(&view, c)["status"], "cancelled");
    // Joining is closed by the launch.
    let late = Uuid::now_v7();
    let mut draft = create_draft(late, "e-guichet", "Trop tard", needs(2));
    draft["pool_id"] = json!(pool);
    app.reject(DG_THIRD, "order.create_draft", draft, "pool_closed")
        .await;

    // The deadline moves for both communes at once; an order alone is not extended.
    app.reject(
        CENTRALE,
        "order.extend_deadline",
        json!({"order_id": a, "deadline": deadline + Duration::days(2),
               "reason": "Une question appelle une réponse complète."}),
        "pool_act_on_pool",
    )
    .await;
    app.apply(
        CENTRALE,
        "pool.extend_deadline",
        json!({"pool_id": pool, "deadline": deadline + Duration::days(2),
               "reason": "Une question appelle une réponse complète."}),
    )
    .await;
    let view = app.state_of(NUAGIX).await;
    let invitations = view.all(RecordKind::Invitation);
    assert!(invitations
        .iter()
        .filter(|i| i["pool_id"] == pool.to_string())
        .all(|i| i["extensions"].as_array().unwrap().len() == 1));

    // One offer per provider for the pool: one share per commune, sealed until the deadline.
    app.apply(
        NUAGIX,
        "offer.submit_pooled",
        pooled_offer(pool, 400_000, 10_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit_pooled",
        pooled_offer(pool, 300_000, 14_000),
    )
    .await;
    // Sent again before the deadline: every share is replaced, none is added.
    app.apply(
        NUAGIX,
        "offer.submit_pooled",
        pooled_offer(pool, 390_000, 10_000),
    )
    .await;
    let nuagix = app.state_of(NUAGIX).await;
    let shares = nuagix.all(RecordKind::Offer);
    assert_eq!(shares.len(), 2, "one share per commune: {shares:?}");
    assert!(shares.iter().all(|o| o["revision"] == 2));
    let licence_quantity = |o: &Value| {
        o["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["price_line_code"] == "licence")
            .unwrap()["quantity"]
            .clone()
    };
    let share_a = shares
        .iter()
        .find(|o| o["order_id"] == a.to_string())
        .unwrap();
    let share_b = shares
        .iter()
        .find(|o| o["order_id"] == b.to_string())
        .unwrap();
    assert_eq!(licence_quantity(share_a), "9");
    assert_eq!(licence_quantity(share_b), "3");
    assert!(offers_of(&app.state_of(DG).await, a).is_empty(), "sealed");
    // An ordinary offer on one commune's invitation is refused: one competition.
    let inv = nuagix
        .find(RecordKind::Invitation, "order_id", a.to_string())
        .pop()
        .unwrap();
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), inv["id"].as_str().unwrap(), 1, 1),
        "pool_act_on_pool",
    )
    .await;

    // The deadline passes: every commune's offers open together.
    app.clock.advance(Duration::days(18));
    app.scheduler_turn().await;
    let view = app.state_of(CENTRALE).await;
    for order in [a, b] {
        assert_eq!(order_of(&view, order)["status"], "offers_opened");
        assert_eq!(offers_of(&view, order).len(), 2);
    }

    // Civitech's offer is irregular: set aside once, for both communes, Civitech told on each.
    let motivation = "L'offre ne comprend pas la liaison BAEC exigée par le cahier des charges.";
    let aside = json!({"pool_id": pool, "provider_id": demo_provider_id("civitech"),
                       "motivation": motivation, "ground": "irregular"});
    app.reject(DG, "pool.set_offer_aside", aside.clone(), "forbidden")
        .await;
    app.apply(CENTRALE, "pool.set_offer_aside", aside).await;
    let civitech = app.state_of(CIVITECH).await;
    let told: Vec<Value> = civitech
        .all(RecordKind::Invitation)
        .into_iter()
        .filter(|i| i["pool_id"] == pool.to_string())
        .collect();
    assert_eq!(told.len(), 2);
    assert!(told
        .iter()
        .all(|i| i["set_aside"]["motivation"] == motivation));

    // One analysis, by the centrale, after its declaration.
    let framework = view
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let terms = framework["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let mut scores = Vec::new();
    for criterion in terms["award_criteria"].as_array().unwrap() {
        if criterion["kind"] != "quality" {
            continue;
        }
        // Nuagix only: Civitech's offer is set aside.
        scores.push(json!({
            "provider_id": demo_provider_id("nuagix"),
            "criterion_code": criterion["code"],
            "points": "20",
            "justification": "Appréciation de la solution sur ce critère.",
        }));
    }
    let evaluate = json!({"pool_id": pool, "scores": scores});
    app.reject(DG, "pool.evaluate", evaluate.clone(), "forbidden")
        .await;
    app.reject(
        CENTRALE,
        "pool.evaluate",
        evaluate.clone(),
        "conflict_declaration_missing",
    )
    .await;
    app.apply(
        CENTRALE,
        "pool.declare_no_conflict",
        json!({"pool_id": pool, "statement_sha256": no_conflict_statement_sha256()}),
    )
    .await;
    app.apply(CENTRALE, "pool.evaluate", evaluate.clone()).await;
    let view_a = app.state_of(DG).await;
    let view_b = app.state_of(DG_OTHER).await;
    let ranking = |view: &View, order: Uuid| order_of(view, order)["evaluation"]["ranking"].clone();
    let (ra, rb) = (ranking(&view_a, a), ranking(&view_b, b));
    assert_eq!(order_of(&view_a, a)["status"], "evaluated");
    // The same winner and points for both communes; each its own offer and amount.
    assert_eq!(
        ra["offers"][0]["provider_id"],
        rb["offers"][0]["provider_id"]
    );
    assert_eq!(ra["offers"][0]["total"], rb["offers"][0]["total"]);
    assert_ne!(ra["offers"][0]["offer_id"], rb["offers"][0]["offer_id"]);
    assert_ne!(
        ra["offers"][0]["total_excl_vat"],
        rb["offers"][0]["total_excl_vat"]
    );
    // A commune does not score its share alone.
    app.reject(
        DG,
        "order.evaluate",
        json!({"order_id": a, "scores": []}),
        "pool_act_on_pool",
    )
    .await;

    // Commune A's collège awards its own order on the common analysis, and orders.
    app.declare_no_conflict(DG, a).await;
    let winner = ra["offers"][0]["offer_id"].clone();
    app.apply(
        DG,
        "order.award",
        json!({"order_id": a, "offer_id": winner,
               "justification": "Offre classée première dans l'analyse commune du marché groupé.",
               "college_decision": app.college("COL/2027/12")}),
    )
    .await;
    let awarded = order_of(&app.state_of(DG).await, a);
    assert_eq!(awarded["status"], "awarded");
    assert_eq!(
        awarded["award"]["amount"]["excl_vat"],
        ra["offers"][0]["total_excl_vat"]
    );
    // Once a commune decided, the analysis no longer changes.
    app.reject(CENTRALE, "pool.evaluate", evaluate, "pool_member_decided")
        .await;
    // Commune B is still free to decide (or to withdraw before its own decision).
    assert_eq!(
        order_of(&app.state_of(DG_OTHER).await, b)["status"],
        "evaluated"
    );
}
