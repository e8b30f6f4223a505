//! A call-off's acts done through the server's API, as the other sides' own apps or browsers
//! would do them: the journeys that need an order at a later step start from here.

use centrale_protocol::mutations::Mutation;
use centrale_protocol::MutationStatus;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::{mutations as m, TestServer, CENTRALE, CIVITECH, DG, NUAGIX};

/// The e-guichet framework's quality criteria (code), as the commune's cache has them.
pub async fn quality_criteria(server: &TestServer) -> Vec<String> {
    let view = server.view(DG).await;
    let framework = view
        .get("framework", demo_framework_id("CA-2025-01"))
        .expect("the e-guichet framework")
        .clone();
    let terms = framework["versions"]
        .as_array()
        .and_then(|v| v.last())
        .cloned()
        .expect("a version of the terms");
    terms["award_criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .filter(|c| c["kind"] == "quality")
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

/// The invitations of `order_id`, by provider short name, as the centrale sees them.
pub async fn invitations(server: &TestServer, order_id: Uuid) -> Vec<(String, String)> {
    let view = server.view(CENTRALE).await;
    let mut found = Vec::new();
    for (id, invitation) in view.of_kind("invitation") {
        if invitation["order_id"] != order_id.to_string().as_str() {
            continue;
        }
        let provider = invitation["provider_id"].as_str().unwrap_or_default();
        let short = ["nuagix", "civitech"]
            .into_iter()
            .find(|s| demo_provider_id(s).to_string() == provider)
            .expect("an e-guichet provider");
        found.push((short.to_string(), id.to_string()));
    }
    found
}

/// The mutation `name` with `payload`, read as the server reads it (panics on a bad one).
pub fn mutation(name: &str, payload: serde_json::Value) -> Mutation {
    Mutation::parse(name, payload).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// Applies `m` as `user` and asserts the server applied it.
pub async fn apply_ok(server: &TestServer, user: &str, m: Mutation) {
    let result = server.apply(user, m).await;
    assert_eq!(
        result.status,
        MutationStatus::Applied,
        "{user}: {:?} {:?}",
        result.code,
        result.message
    );
}

/// Both providers answer the competition of `order_id` (Nuagix cheaper), then the deadline
/// passes on the server's clock.
pub async fn offers_come_in(server: &TestServer, order_id: Uuid, deadline: DateTime<Utc>) {
    for (short, invitation) in invitations(server, order_id).await {
        let (user, setup, licence) = match short.as_str() {
            "nuagix" => (NUAGIX, 390_000, 14_000),
            _ => (CIVITECH, 420_000, 17_000),
        };
        apply_ok(
            server,
            user,
            m::submit_offer(Uuid::now_v7(), &invitation, setup, licence),
        )
        .await;
    }
    server.clock.set(deadline + Duration::minutes(1));
}

/// An order of Bertrix awarded to Nuagix with its purchase order issued, all through the API
/// (the journeys that need one start from there). Returns its id.
pub async fn awarded_order(server: &TestServer) -> Uuid {
    let order_id = Uuid::now_v7();
    apply_ok(
        server,
        DG,
        m::create_draft(order_id, "E-guichet état civil 2027"),
    )
    .await;
    apply_ok(server, DG, m::submit(order_id)).await;
    apply_ok(server, DG, m::declare_no_conflict(order_id)).await;
    let deadline = server.now() + Duration::days(15);
    apply_ok(server, CENTRALE, m::launch_competition(order_id, deadline)).await;
    offers_come_in(server, order_id, deadline).await;
    let view = server.view(DG).await;
    let offers: Vec<(String, String)> = view
        .of_kind("offer")
        .into_iter()
        .map(|(id, o)| {
            (
                id.to_string(),
                o["provider_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(offers.len(), 2, "both offers opened for the commune");
    let mut scores = Vec::new();
    for code in quality_criteria(server).await {
        for (offer, _) in &offers {
            scores.push(
                json!({"offer_id": offer, "criterion_code": code, "points": "8",
                "justification": "Solution complète et documentée."}),
            );
        }
    }
    apply_ok(
        server,
        DG,
        mutation(
            "order.evaluate",
            json!({"order_id": order_id, "scores": scores}),
        ),
    )
    .await;
    let nuagix = demo_provider_id("nuagix").to_string();
    let winner = &offers.iter().find(|(_, p)| *p == nuagix).unwrap().0;
    apply_ok(
        server,
        DG,
        mutation(
            "order.award",
            json!({"order_id": order_id, "offer_id": winner,
                "justification": "Offre classée première selon les critères de l'accord-cadre.",
                "college_decision": {"reference": "COL/2026/245",
                    // The meeting's day in Brussels: the UTC date is the day before between
                    // midnight and 1 or 2 o'clock, earlier than the offers' opening.
                    "date": centrale_domain::time::brussels_today(server.now())}}),
        ),
    )
    .await;
    apply_ok(
        server,
        CENTRALE,
        mutation(
            "order.issue_purchase_order",
            json!({"order_id": order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
        ),
    )
    .await;
    order_id
}
