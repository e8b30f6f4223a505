//! The user actions the tests perform, as typed mutations (what the desktop app enqueues).

use centrale_protocol::mutations::Mutation;
use centrale_server::seed::{demo_convention_template_id, demo_service_id};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::today0;

fn parse(name: &str, payload: Value) -> Mutation {
    Mutation::parse(name, payload.clone())
        .unwrap_or_else(|e| panic!("test mutation {name} {payload} does not parse: {e}"))
}

/// Needs for the e-guichet of Bertrix: set-up and `licences` licence units.
pub fn eguichet_needs(licences: u32) -> Value {
    json!({
        "description": "E-guichet pour les actes d'état civil et de population, pour 2 agents.",
        "lines": [
            {"price_line_code": "setup", "quantity": "1"},
            {"price_line_code": "licence", "quantity": licences.to_string()}
        ],
        "sites": ["Administration communale, Place des Trois Fers 1"],
    })
}

/// `order.create_draft` of an e-guichet.
pub fn create_draft(order_id: Uuid, title: &str) -> Mutation {
    parse(
        "order.create_draft",
        json!({
            "order_id": order_id,
            "service_id": demo_service_id("e-guichet"),
            "title": title,
            "needs": eguichet_needs(9),
        }),
    )
}

/// `order.update_draft`: a new title and number of licences.
pub fn update_draft(order_id: Uuid, title: &str, licences: u32) -> Mutation {
    parse(
        "order.update_draft",
        json!({"order_id": order_id, "title": title, "needs": eguichet_needs(licences)}),
    )
}

/// `order.delete_draft`.
pub fn delete_draft(order_id: Uuid) -> Mutation {
    parse("order.delete_draft", json!({"order_id": order_id}))
}

/// `order.submit`, with the conseil's decision launching the order (after the directeur
/// financier's opinion) and its budget article (CDLD L1222-3, L1124-40).
pub fn submit(order_id: Uuid) -> Mutation {
    parse(
        "order.submit",
        json!({"order_id": order_id, "budget_article": "104/123-13",
               "decision": {"organ": {"kind": "conseil"}, "reference": "CC/2026/40", "date": today0(),
                            "financial_opinion": {"reference": "DF/2026/12", "date": today0(),
                                                  "kind": "favourable"}}}),
    )
}

/// `order.declare_no_conflict`: the acting account declares no conflict of interest (law of
/// 17 June 2016 art. 6).
pub fn declare_no_conflict(order_id: Uuid) -> Mutation {
    parse(
        "order.declare_no_conflict",
        json!({"order_id": order_id,
               "statement_sha256": centrale_domain::order::no_conflict_statement_sha256()}),
    )
}

/// `order.launch_competition` (the centrale).
pub fn launch_competition(order_id: Uuid, deadline: DateTime<Utc>) -> Mutation {
    parse(
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
}

/// `adhesion.start` on the demo convention.
pub fn start_adhesion(adhesion_id: Uuid) -> Mutation {
    parse(
        "adhesion.start",
        json!({"adhesion_id": adhesion_id, "template_id": demo_convention_template_id()}),
    )
}

/// `adhesion.record_college_decision`: the conseil communal's decision to join (CDLD L1222-7),
/// dated the first day of the tests.
pub fn record_college_decision(adhesion_id: Uuid, reference: &str) -> Mutation {
    parse(
        "adhesion.record_college_decision",
        json!({
            "adhesion_id": adhesion_id,
            "college_decision": {"organ": {"kind": "conseil"}, "reference": reference, "date": today0()},
        }),
    )
}

/// `adhesion.sign` of the text with this hash.
pub fn sign_adhesion(adhesion_id: Uuid, text_sha256: &str) -> Mutation {
    parse(
        "adhesion.sign",
        json!({"adhesion_id": adhesion_id, "text_sha256": text_sha256}),
    )
}

/// `adhesion.countersign` (the centrale).
pub fn countersign_adhesion(adhesion_id: Uuid, text_sha256: &str) -> Mutation {
    parse(
        "adhesion.countersign",
        json!({"adhesion_id": adhesion_id, "text_sha256": text_sha256}),
    )
}

/// `adhesion.activate` (the centrale).
pub fn activate_adhesion(adhesion_id: Uuid) -> Mutation {
    parse("adhesion.activate", json!({"adhesion_id": adhesion_id}))
}

/// `offer.submit` for the e-guichet needs (prices in cents).
pub fn submit_offer(offer_id: Uuid, invitation_id: &str, setup: i64, licence: i64) -> Mutation {
    parse(
        "offer.submit",
        json!({
            "offer_id": offer_id,
            "invitation_id": invitation_id,
            "lines": [
                {"price_line_code": "setup", "unit_price_cents": setup},
                {"price_line_code": "licence", "unit_price_cents": licence}
            ],
            "lead_time_days": 60,
            "notes": "Hébergement en Belgique, support en français.",
        }),
    )
}
