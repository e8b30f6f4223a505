//! Issue 11 rule 5: call-offs without competition by rotation (Dir. 2014/24 art. 33(4)(a);
//! law of 17 June 2016 art. 43 §4 1°), through the real API: each commune's successive direct
//! awards go to the framework's parties in turn, counted per commune; a cascade stays a
//! cascade; changing the rule in a new version needs a review clause.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id, demo_service_id};
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

const JUSTIFICATION: &str =
    "Attribution directe au prestataire désigné par les conditions de l'accord-cadre.";

/// Adds « salles-rotation » (the demo's room booking terms) whose direct call-offs are
/// designated by `rule` down the ranking Réservix, Payvallée; returns its framework's id.
async fn add_rooms(app: &TestApp, code: &'static str, rule: &str) -> Uuid {
    let source = app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2026-02"))
        .expect("the demo's room booking framework");
    let mut terms = source["versions"][0].clone();
    terms["change_note"] = json!("");
    terms["direct_call_off"] = json!({
        "ranking": [demo_provider_id("reservix"), demo_provider_id("payvallee")],
        "rule": rule,
        "up_to": null,
    });
    let framework_id = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "service.add",
        json!({
            "service_id": demo_service_id(code),
            "framework_id": framework_id,
            "code": code,
            "name_fr": "Réservation des salles (commandes directes)",
            "summary_fr": "Réservation en ligne des salles, commandée directement.",
            "description_fr": "Les citoyens réservent et paient en ligne les salles communales.",
            "category_fr": "Services aux citoyens",
            "reference": format!("CA-2026-{}", if rule == "rotation" { 31 } else { 32 }),
            "title_fr": "Réservation des salles — commandes directes",
            "call_off_method": "direct",
            "terms": terms,
        }),
    )
    .await;
    framework_id
}

/// A submitted order of `code` for the commune of `dg`, with its declaration of no conflict.
async fn submitted(app: &TestApp, dg: &str, code: &str, title: &str) -> Uuid {
    let id = Uuid::now_v7();
    app.apply(
        dg,
        "order.create_draft",
        create_draft(id, code, title, salles_needs()),
    )
    .await;
    app.apply(dg, "order.submit", submit(id)).await;
    app.declare_no_conflict(dg, id).await;
    id
}

fn award(order_id: Uuid, provider: &str, decision: &Value) -> Value {
    json!({"order_id": order_id, "provider_id": demo_provider_id(provider),
           "justification": JUSTIFICATION, "college_decision": decision})
}

/// `dg` awards a new order directly: `wrong` is refused naming `designated`, which is
/// awarded.
async fn award_in_turn(app: &TestApp, dg: &str, code: &str, wrong: &str, designated: &str) {
    let order = submitted(app, dg, code, "Réservation des salles").await;
    let decision = app.college("COL/2026/310");
    let r = app
        .reject(
            dg,
            "order.direct_award",
            award(order, wrong, &decision),
            "not_designated_provider",
        )
        .await;
    assert_eq!(
        r.details["expected"],
        demo_provider_id(designated).to_string()
    );
    app.apply(
        dg,
        "order.direct_award",
        award(order, designated, &decision),
    )
    .await;
    let view = app.state_of(dg).await;
    let awarded = order_of(&view, order);
    assert_eq!(awarded["status"], "awarded");
    assert_eq!(awarded["award"]["direct"], true);
    assert_eq!(
        awarded["award"]["provider_id"],
        demo_provider_id(designated).to_string()
    );
}

/// Rule 5, rotation (Dir. 2014/24 art. 33(4)(a)): Bertrix's direct call-offs go to Réservix,
/// Payvallée, Réservix in turn; Bouillon's first goes to Réservix, whatever Bertrix ordered
/// (the rotation is counted per commune).
#[tokio::test]
async fn rule_5_rotation_direct_call_offs_go_to_the_parties_in_turn_per_commune() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    activate_adhesion(&app, "84077").await;
    let code = "salles-rotation";
    let framework = add_rooms(&app, code, "rotation").await;
    let stored = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, framework)
        .unwrap();
    assert_eq!(stored["versions"][0]["direct_call_off"]["rule"], "rotation");

    award_in_turn(&app, DG, code, "payvallee", "reservix").await;
    award_in_turn(&app, DG, code, "reservix", "payvallee").await;
    award_in_turn(&app, DG_OTHER, code, "payvallee", "reservix").await;
    award_in_turn(&app, DG, code, "payvallee", "reservix").await;
    award_in_turn(&app, DG_OTHER, code, "reservix", "payvallee").await;
}

/// Rule 5, cascade unchanged: every direct call-off goes to the first-ranked. Changing the
/// rule to a rotation is a modification of the concluded framework (art. 72(1)(a)): refused as
/// a correction, published under a review clause; the next call-off then goes to the party
/// after the commune's previous one.
#[tokio::test]
async fn rule_5_the_cascade_stays_and_a_new_rule_needs_a_review_clause() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let code = "salles-cascade";
    let framework = add_rooms(&app, code, "cascade").await;
    award_in_turn(&app, DG, code, "payvallee", "reservix").await;
    award_in_turn(&app, DG, code, "payvallee", "reservix").await;

    let change = |basis: Value| {
        json!({"framework_id": framework,
               "change_note": "Les commandes directes se font désormais à tour de rôle.",
               "designation_rule": "rotation", "legal_basis": basis})
    };
    for basis in [
        Value::Null,
        json!({"kind": "correction", "note": "Erreur dans le cahier des charges."}),
    ] {
        let r = app
            .reject(
                CENTRALE,
                "framework.publish_version",
                change(basis),
                "designation_rule_changed",
            )
            .await;
        assert_eq!(r.details["before"], "cascade");
        assert_eq!(r.details["after"], "rotation");
    }
    app.apply(
        CENTRALE,
        "framework.publish_version",
        change(json!({"kind": "review_clause", "clause": "CSC art. 14 — commandes directes"})),
    )
    .await;
    let versions = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, framework)
        .unwrap()["versions"]
        .clone();
    assert_eq!(versions[1]["direct_call_off"]["rule"], "rotation");
    assert_eq!(versions[0]["direct_call_off"]["rule"], "cascade");
    // The previous direct call-off went to Réservix: now Payvallée's turn.
    award_in_turn(&app, DG, code, "reservix", "payvallee").await;
}

/// Rule 5 on the providers' portal: each party reads, for each of its frameworks, how orders
/// are placed — the demo's room booking framework directly by rotation up to its threshold,
/// with the ranking; the e-guichet re-competed.
#[tokio::test]
async fn rule_5_the_portal_states_each_frameworks_call_off_rule() {
    let app = spawn_app().await;
    let browser = common::portal::Browser::new(&app);
    let page = browser.login("prestataire.reservix").await;
    assert!(page.has("Vos accords-cadres"), "{}", page.html);
    assert!(page.has("CA-2026-02"), "{}", page.html);
    assert!(
        page.has("reviennent à tour de rôle aux prestataires"),
        "{}",
        page.html
    );
    assert!(page.has("data-testid=\"designation-ranking\""));
    assert!(page.has("5\u{202f}000,00\u{a0}€ HTVA"), "{}", page.html);
    let nuagix = common::portal::Browser::new(&app);
    let page = nuagix.login(NUAGIX).await;
    assert!(page.has("CA-2025-01"), "{}", page.html);
    assert!(page.has("Chaque commande est remise en concurrence"));
    assert!(!page.has("CA-2026-02"), "not a party: {}", page.html);
}
