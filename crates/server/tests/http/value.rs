//! Issue 11 rules 9 (cost over the contract's life) and 4 (maximum value of a framework)
//! through the real API, with the test clock. Runs on SQLite, and on PostgreSQL with
//! `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::demo_framework_id;
use chrono::Duration;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// Full marks on every quality criterion of CA-2025-01 for one offer.
async fn full_marks(app: &TestApp, offer: Uuid) -> Vec<Value> {
    let framework = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    framework["versions"].as_array().unwrap().last().unwrap()["award_criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "quality")
        .map(|c| {
            json!({"offer_id": offer, "criterion_code": c["code"], "points": c["weight"].to_string(),
                   "justification": "Solution complète et éprouvée dans des communes voisines."})
        })
        .collect()
}

/// Both providers answer `competition` with (set-up, licence per unit and per year) prices.
async fn offers(
    app: &TestApp,
    competition: &Competition,
    nuagix: (i64, i64),
    civitech: (i64, i64),
) -> (Uuid, Uuid) {
    let (n, c) = (Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(n, &competition.invitation_id("nuagix"), nuagix.0, nuagix.1),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            c,
            &competition.invitation_id("civitech"),
            civitech.0,
            civitech.1,
        ),
    )
    .await;
    (n, c)
}

/// Past the deadline, opened, both offers given full quality marks.
async fn open_and_evaluate(app: &TestApp, competition: &Competition, offers: &[Uuid]) {
    app.clock.set(competition.deadline + Duration::hours(1));
    app.state_of(DG).await;
    let mut scores = Vec::new();
    for offer in offers {
        scores.extend(full_marks(app, *offer).await);
    }
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": competition.order_id, "scores": scores}),
    )
    .await;
}

fn award(order: Uuid, offer: Uuid, decision: Value) -> Value {
    json!({
        "order_id": order,
        "offer_id": offer,
        "justification": "Offre classée première sur les critères de l'accord-cadre.",
        "college_decision": decision,
    })
}

/// Sets CA-2025-01's maximum value (a correction may lower it; raising it needs the review
/// clause).
async fn set_maximum(app: &TestApp, cents: i64, basis: Value) {
    app.apply(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": demo_framework_id("CA-2025-01"),
               "change_note": "Valeur maximale de l'accord-cadre mise à jour.",
               "max_value": cents, "legal_basis": basis}),
    )
    .await;
}

fn correction() -> Value {
    json!({"kind": "correction", "note": "Valeur maximale du CSC mal recopiée."})
}

/// The order's estimate at the ceilings over 48 months: set-up 4 500,00 € once, 9 licences
/// at 180,00 € a year for four years.
const ESTIMATE: i64 = 450_000 + 9 * 18_000 * 4;

/// Issue 11 rule 9 (Dir. 2014/24 art. 67–68, cost over the life of the contract): the yearly
/// licence is priced over the 48-month contract; the offers are scored and the award amount is
/// that total. Nuagix is dearer in the first year and cheaper over four years: it wins.
#[tokio::test]
async fn rule_9_offers_are_scored_and_awarded_on_the_total_over_the_contract() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    // First year: Nuagix 4 000 + 9 × 150 = 5 350 €, Civitech 3 000 + 9 × 180 = 4 620 €.
    // Four years: Nuagix 4 000 + 9 × 150 × 4 = 9 400 €, Civitech 3 000 + 9 × 180 × 4 = 9 480 €.
    let (nuagix, civitech) = offers(&app, &competition, (400_000, 15_000), (300_000, 18_000)).await;
    let own = offers_of(&app.state_of(NUAGIX).await, competition.order_id);
    assert_eq!(own[0]["total"]["excl_vat"], 940_000);
    assert_eq!(own[0]["lines"][1]["periods"], "4");
    assert_eq!(own[0]["lines"][1]["amount"]["excl_vat"], 540_000);
    open_and_evaluate(&app, &competition, &[nuagix, civitech]).await;
    let order = order_of(&app.state_of(DG).await, competition.order_id);
    let ranking = &order["evaluation"]["ranking"]["offers"];
    assert_eq!(ranking[0]["offer_id"], nuagix.to_string());
    assert_eq!(ranking[0]["total_excl_vat"], 940_000);
    assert_eq!(ranking[1]["total_excl_vat"], 948_000);
    app.reject(
        MAYOR,
        "order.award",
        award(competition.order_id, civitech, app.college("COL/2026/300")),
        "award_not_following_ranking",
    )
    .await;
    app.apply(
        MAYOR,
        "order.award",
        award(competition.order_id, nuagix, app.college("COL/2026/300")),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, competition.order_id);
    assert_eq!(order["award"]["amount"]["excl_vat"], 940_000);
    // TVAC for the budget and the decisions: 21 % on every line.
    assert_eq!(order["award"]["amount"]["incl_vat"], 1_137_400);
}

/// Issue 11 rule 4 (CJEU C-216/17 Coopservice, C-23/20 Simonsen & Weel; circular of 28 June
/// 2022): an order whose estimate over the contract exceeds what remains of the framework's
/// maximum is refused when sent; raising the maximum needs the review clause.
#[tokio::test]
async fn rule_4_an_order_beyond_the_maximum_is_refused_when_sent() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    set_maximum(&app, ESTIMATE - 1, correction()).await;
    let order = draft_order(&app, "e-guichet", "E-guichet 2027", eguichet_needs()).await;
    let r = app
        .reject(DG, "order.submit", submit(order), "maximum_value_exceeded")
        .await;
    assert_eq!(
        r.details,
        json!({"reference": "CA-2025-01", "maximum_cents": ESTIMATE - 1, "consumed_cents": 0,
               "amount_cents": ESTIMATE})
    );
    // Raising it back is a widening: a correction does not allow it, the review clause does.
    app.reject(
        CENTRALE,
        "framework.publish_version",
        json!({"framework_id": demo_framework_id("CA-2025-01"),
               "change_note": "Valeur maximale relevée.", "max_value": ESTIMATE,
               "legal_basis": correction()}),
        "modification_without_review_clause",
    )
    .await;
    set_maximum(
        &app,
        ESTIMATE,
        json!({"kind": "review_clause", "clause": "CSC art. 12 — quantités"}),
    )
    .await;
    app.apply(DG, "order.submit", submit(order)).await;
}

/// Issue 11 rule 4: every award consumes the maximum, every commune together; once what
/// remains is too little, the award is refused and so is the next order.
#[tokio::test]
async fn rule_4_awards_consume_the_maximum_and_stop_at_it() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    // Room for both orders at submission, not for both awards.
    set_maximum(&app, 2_000_000, correction()).await;
    let first = open_competition(&app).await;
    let second = open_competition(&app).await;
    let (a, a2) = offers(&app, &first, (400_000, 15_000), (450_000, 18_000)).await;
    let (b, b2) = offers(&app, &second, (450_000, 18_000), (450_000, 18_000)).await;
    open_and_evaluate(&app, &first, &[a, a2]).await;
    app.apply(
        MAYOR,
        "order.award",
        award(first.order_id, a, app.college("COL/2026/301")),
    )
    .await;
    // 9 400,00 € consumed; the second award (10 980,00 €) would exceed the rest.
    open_and_evaluate(&app, &second, &[b, b2]).await;
    let r = app
        .reject(
            MAYOR,
            "order.award",
            award(second.order_id, b, app.college("COL/2026/302")),
            "maximum_value_exceeded",
        )
        .await;
    assert_eq!(r.details["consumed_cents"], 940_000);
    assert_eq!(r.details["amount_cents"], ESTIMATE);
    assert_eq!(
        order_of(&app.state_of(DG).await, second.order_id)["status"],
        "evaluated"
    );
    // A new order no longer fits either.
    let third = draft_order(&app, "e-guichet", "E-guichet annexe", eguichet_needs()).await;
    app.reject(DG, "order.submit", submit(third), "maximum_value_exceeded")
        .await;
}

/// docs/scale.md, issue 19: what a framework has consumed is read from that framework's orders
/// through the server's index, not from every order of every commune — each order is filed
/// under its framework when created; a database written before the index files its orders at
/// the next start (the backfill), once.
#[tokio::test]
async fn rule_4_the_consumption_reads_the_frameworks_own_orders_through_the_index() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let framework = demo_framework_id("CA-2025-01").to_string();
    let order = draft_order(&app, "e-guichet", "E-guichet 2027", eguichet_needs()).await;
    let filed = |app: &TestApp| {
        let db = app.db.clone();
        let framework = framework.clone();
        async move {
            db.list_children("framework_order_index", &framework)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(filed(&app).await, vec![order.to_string()]);
    assert_eq!(
        centrale_server::engine::backfill_framework_index(&app.db, app_now(&app))
            .await
            .unwrap(),
        0,
        "every order made through the write path is filed already"
    );

    // An order written before the index existed (a copy stored directly, unfiled).
    let mut body = app
        .db
        .get_record("order", &order.to_string())
        .await
        .unwrap()
        .unwrap();
    let old = Uuid::now_v7();
    body.body["id"] = json!(old);
    let mut tx = app.db.write().await.unwrap();
    tx.put_record(&centrale_server_db::RecordWrite {
        kind: "order".into(),
        id: old.to_string(),
        version: 1,
        deleted: false,
        parent_id: Some("84009".into()),
        body: body.body,
        format_version: 1,
        visibility: centrale_server::engine::visibility(
            RecordKind::Order,
            Some("84009"),
            None,
            false,
        ),
        updated_at: app_now(&app),
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        centrale_server::engine::backfill_framework_index(&app.db, app_now(&app))
            .await
            .unwrap(),
        1
    );
    let mut expected = vec![order.to_string(), old.to_string()];
    expected.sort();
    let mut got = filed(&app).await;
    got.sort();
    assert_eq!(got, expected);
}

fn app_now(app: &TestApp) -> chrono::DateTime<chrono::Utc> {
    use centrale_server::Clock;
    app.clock.now()
}
