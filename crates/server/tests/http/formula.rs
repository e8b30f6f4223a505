//! The price formula against the ceiling (issue 11 rule 8; Dir. 2014/24 art. 67(5), art.
//! 33(5)(d)): a framework added with it states it on the portal and scores the price of each
//! offer on its own price against the needs at the ceilings; changing it later needs a review
//! clause.

use crate::common;

use centrale_domain::catalogue::FrameworkTerms;
use centrale_domain::evaluation::price_score_against_ceiling;
use centrale_domain::money::Cents;
use centrale_domain::needs::OrderNeeds;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id, demo_service_id};
use centrale_server::Clock;
use chrono::Duration;
use common::portal::Browser;
use common::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;
use uuid::Uuid;

#[tokio::test]
async fn rule_art_67_5_a_framework_added_against_the_ceiling_scores_each_offer_on_its_own_price() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let source = app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .expect("the demo's e-guichet framework");
    let mut terms = source["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    terms["change_note"] = json!("");
    terms["legal_basis"] = json!(null);
    terms["price_formula"] = json!("against_ceiling");
    let code = "e-guichet-plafond";
    let framework_id = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "service.add",
        json!({
            "service_id": demo_service_id(code),
            "framework_id": framework_id,
            "code": code,
            "name_fr": "E-guichet (prix noté au plafond)",
            "summary_fr": "Guichet en ligne des démarches communales.",
            "description_fr": "Les citoyens demandent leurs documents en ligne.",
            "category_fr": "Services aux citoyens",
            "reference": "CA-2026-21",
            "title_fr": "E-guichet — prix noté par rapport aux plafonds",
            "call_off_method": "mini_competition",
            "terms": terms,
        }),
    )
    .await;
    let framework = app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, framework_id)
        .unwrap();
    let pinned: FrameworkTerms = serde_json::from_value(framework["versions"][0].clone()).unwrap();
    assert_eq!(framework["versions"][0]["price_formula"], "against_ceiling");

    let order_id = draft_order(&app, code, "E-guichet au plafond", eguichet_needs()).await;
    app.apply(DG, "order.submit", submit(order_id)).await;
    for user in [DG, MAYOR, AGENT] {
        app.declare_no_conflict(user, order_id).await;
    }
    let deadline = app.clock.now() + Duration::days(15);
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
    .await;
    let invitations =
        app.state_of(CENTRALE)
            .await
            .find(RecordKind::Invitation, "order_id", order_id.to_string());
    let inv = |who: &str| {
        let provider = demo_provider_id(who).to_string();
        invitations
            .iter()
            .find(|i| i["provider_id"] == provider.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Where the provider prices, the formula of this framework, not the relative one.
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let page = browser
        .get(&format!("/portail/invitations/{}", inv("nuagix")))
        .await;
    assert!(page.has("total aux prix plafonds"), "{}", page.html);
    assert!(!page.has("Formule relative"), "{}", page.html);

    let (nuagix, civitech) = (Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix, &inv("nuagix"), 420_000, 15_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(civitech, &inv("civitech"), 400_000, 17_000),
    )
    .await;
    app.clock.set(deadline);
    let view = app.state_of(DG).await;
    let order = order_of(&view, order_id);
    assert_eq!(order["status"], "offers_opened");
    let mut scores = Vec::new();
    for c in pinned
        .award_criteria
        .iter()
        .filter(|c| c.kind == centrale_domain::catalogue::CriterionKind::Quality)
    {
        for offer in [nuagix, civitech] {
            scores.push(json!({"offer_id": offer, "criterion_code": c.code,
                "points": (c.weight / 2).to_string(),
                "justification": "Solution correcte, documentée et éprouvée."}));
        }
    }
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": order_id, "scores": scores}),
    )
    .await;
    let view = app.state_of(DG).await;
    let order = order_of(&view, order_id);
    let needs: OrderNeeds = serde_json::from_value(order["needs"].clone()).unwrap();
    let ceiling = needs.amount_at_ceilings(&pinned).unwrap().excl_vat;
    let price = pinned
        .award_criteria
        .iter()
        .find(|c| c.kind == centrale_domain::catalogue::CriterionKind::Price)
        .unwrap();
    let ranking = order["evaluation"]["ranking"]["offers"].as_array().unwrap();
    assert_eq!(ranking.len(), 2);
    for ranked in ranking {
        let total = ranked["total_excl_vat"].as_i64().unwrap();
        let points = ranked["scores"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["criterion_code"] == price.code.as_str())
            .unwrap()["points"]
            .as_str()
            .unwrap()
            .to_string();
        let points = Decimal::from_str(&points).unwrap();
        assert!(
            total < ceiling.0,
            "{total} under the ceiling total {}",
            ceiling.0
        );
        let expected = (Decimal::from(price.weight) * Decimal::from(ceiling.0 - total)
            / Decimal::from(ceiling.0))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(points, expected, "{ranked}");
        assert_eq!(
            points,
            price_score_against_ceiling(price.weight, ceiling, Cents(total))
        );
        // The relative formula would give the lowest offer the whole weight; not this one.
        assert!(points < Decimal::from(price.weight));
    }

    // Back to the relative formula in a new version: a change of the award method, refused
    // without a review clause.
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            json!({"framework_id": framework_id,
                   "change_note": "Retour à la formule de prix relative.",
                   "price_formula": "relative",
                   "legal_basis": {"kind": "correction", "note": "Formule erronée"}}),
            "modification_without_review_clause",
        )
        .await;
    assert_eq!(r.details["kind"], "price_formula_changed");
    assert_eq!(r.details["before"], "against_ceiling");
}
