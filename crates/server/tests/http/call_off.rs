//! A whole call-off on the server: adhesion, order, mini-competition with sealed offers,
//! opening at the deadline, evaluation, award, purchase order and deployment.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use centrale_server::Clock;
use chrono::Duration;
use common::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn the_whole_call_off_from_order_to_deployment() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;

    // Order draft → submit.
    let order_id = draft_order(
        &app,
        "e-guichet",
        "E-guichet état civil 2027",
        eguichet_needs(),
    )
    .await;
    app.apply(DG, "order.submit", submit(order_id)).await;
    for user in [DG, MAYOR, AGENT] {
        app.declare_no_conflict(user, order_id).await;
    }

    // A deadline too close is refused (at least 10 days).
    let too_close = app.clock.now() + Duration::days(5);
    let r = app
        .reject(
            CENTRALE,
            "order.launch_competition",
            json!({"order_id": order_id, "deadline": too_close}),
            "deadline_too_soon",
        )
        .await;
    assert_eq!(r.details["field"], "deadline");

    // Launch: both providers get the same invitation.
    let deadline = app.clock.now() + Duration::days(15);
    app.apply(
        CENTRALE,
        "order.launch_competition",
        json!({"order_id": order_id, "deadline": deadline}),
    )
    .await;
    let centrale_view = app.state_of(CENTRALE).await;
    assert_eq!(
        order_of(&centrale_view, order_id)["status"],
        "competition_open"
    );
    let invitations = centrale_view.find(RecordKind::Invitation, "order_id", order_id.to_string());
    assert_eq!(invitations.len(), 2);
    let providers: std::collections::BTreeSet<String> = invitations
        .iter()
        .map(|i| i["provider_id"].as_str().unwrap().to_string())
        .collect();
    let expected: std::collections::BTreeSet<String> =
        [demo_provider_id("nuagix"), demo_provider_id("civitech")]
            .iter()
            .map(|p| p.to_string())
            .collect();
    assert_eq!(providers, expected);
    for key in [
        "needs",
        "documents",
        "deadline",
        "framework_version",
        "order_title",
    ] {
        assert_eq!(
            invitations[0][key], invitations[1][key],
            "same {key} for every provider"
        );
    }
    assert!(!invitations[0]["documents"].as_array().unwrap().is_empty());
    assert_eq!(
        serde_json::from_value::<chrono::DateTime<chrono::Utc>>(invitations[0]["deadline"].clone())
            .unwrap(),
        deadline
    );
    let inv_id = |short: &str| {
        invitations
            .iter()
            .find(|i| i["provider_id"] == demo_provider_id(short).to_string().as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (nuagix_inv, civitech_inv) = (inv_id("nuagix"), inv_id("civitech"));

    // Offers under the ceilings; one above the ceiling is refused.
    let nuagix_offer = Uuid::now_v7();
    let civitech_offer = Uuid::now_v7();
    let r = app
        .reject(
            NUAGIX,
            "offer.submit",
            offer_payload(nuagix_offer, &nuagix_inv, 460_000, 15_000),
            "price_above_ceiling",
        )
        .await;
    assert!(r.message.unwrap().contains("plafond"));
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &nuagix_inv, 420_000, 15_000),
    )
    .await;
    app.clock.advance(Duration::hours(1));
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(civitech_offer, &civitech_inv, 400_000, 17_000),
    )
    .await;
    // A second offer under another id is refused; a replacement under the same id is revision 2.
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &nuagix_inv, 410_000, 15_000),
        "offer_exists",
    )
    .await;
    app.clock.advance(Duration::hours(1));
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &nuagix_inv, 390_000, 14_000),
    )
    .await;
    let nuagix_view = app.state_of(NUAGIX).await;
    let own = nuagix_view.get(RecordKind::Offer, nuagix_offer).unwrap();
    assert_eq!(own["revision"], 2);
    assert_eq!(own["lines"][0]["unit_price_cents"], 390_000);
    // Submitting does not touch the invitation: its status and time say nothing of the offer.
    let inv = nuagix_view
        .get(RecordKind::Invitation, &nuagix_inv)
        .unwrap();
    assert_eq!(inv["status"], "sent");
    assert!(inv["offer_submitted_at"].is_null());
    // SEALED MEANS SEALED (Dir. 2014/24 art. 33(5)(c), Annex IV(b)): before the deadline, the
    // commune and the centrale do not learn whether or when a provider submitted — not in a
    // pull, not in any record, not in any field.
    for user in [DG, MAYOR, AGENT, CENTRALE] {
        let view = app.state_of(user).await;
        for invitation in view.find(RecordKind::Invitation, "order_id", order_id.to_string()) {
            assert_eq!(invitation["status"], "sent", "{user}");
            assert!(invitation["offer_submitted_at"].is_null(), "{user}");
        }
        let order = order_of(&view, order_id);
        assert!(order["offers_received"].is_null(), "{user}");
    }

    // SEALED: nobody else reads an offer before the deadline.
    let nuagix_changes = app.pull_all(&app.token(NUAGIX).await).await;
    let civitech_changes = app.pull_all(&app.token(CIVITECH).await).await;
    for (who, changes) in [("nuagix", &nuagix_changes), ("civitech", &civitech_changes)] {
        let offers: Vec<_> = changes
            .iter()
            .filter(|c| c.kind == RecordKind::Offer)
            .collect();
        assert!(!offers.is_empty());
        let own = demo_provider_id(who).to_string();
        assert!(
            offers
                .iter()
                .all(|c| c.record["provider_id"] == own.as_str()),
            "{who} sees only its own offer"
        );
    }
    for user in [DG, MAYOR, AGENT, CENTRALE] {
        let changes = app.pull_all(&app.token(user).await).await;
        assert!(
            changes.iter().all(|c| c.kind != RecordKind::Offer),
            "{user} pulls no offer before the deadline"
        );
        let text = serde_json::to_string(&changes).unwrap();
        assert!(
            !text.contains(&nuagix_offer.to_string())
                && !text.contains(&civitech_offer.to_string())
        );
    }
    let r = app
        .reject(
            DG,
            "order.open_offers",
            json!({"order_id": order_id}),
            "offers_sealed",
        )
        .await;
    assert!(r.message.unwrap().contains("scellées"));
    app.reject(
        CENTRALE,
        "order.open_offers",
        json!({"order_id": order_id}),
        "offers_sealed",
    )
    .await;
    // EXACTLY at the deadline: too late for an offer (server time decides).
    app.clock.set(deadline);
    app.reject(
        CIVITECH,
        "offer.submit",
        offer_payload(civitech_offer, &civitech_inv, 300_000, 10_000),
        "deadline_passed",
    )
    .await;

    // The commune's pull opens the competition and shows both offers.
    let dg_view = app.state_of(DG).await;
    let order = order_of(&dg_view, order_id);
    assert_eq!(order["status"], "offers_opened");
    assert_eq!(order["offers_received"], 2);
    // At the opening, and only then, each invitation tells when its offer came in.
    for invitation in dg_view.find(RecordKind::Invitation, "order_id", order_id.to_string()) {
        assert_eq!(invitation["status"], "closed");
        assert!(!invitation["offer_submitted_at"].is_null());
    }
    let offers = offers_of(&dg_view, order_id);
    assert_eq!(offers.len(), 2);
    let civ = dg_view.get(RecordKind::Offer, civitech_offer).unwrap();
    assert_eq!(civ["revision"], 1, "the late replacement was not taken");
    assert_eq!(offers_of(&app.state_of(CENTRALE).await, order_id).len(), 2);
    // Still never the other provider's offer.
    let civitech_view = app.state_of(CIVITECH).await;
    assert!(civitech_view.get(RecordKind::Offer, nuagix_offer).is_none());
    assert_eq!(
        civitech_view
            .get(RecordKind::Invitation, &civitech_inv)
            .unwrap()["status"],
        "closed"
    );
    // Replacing after the deadline is refused too.
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &nuagix_inv, 380_000, 14_000),
        "deadline_passed",
    )
    .await;

    // Evaluation on the framework's quality criteria → ranking.
    let framework = dg_view
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .unwrap();
    let terms = framework["versions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let quality: Vec<(String, u64)> = terms["award_criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "quality")
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(quality.len(), 2);
    let mut scores = Vec::new();
    for (code, weight) in &quality {
        scores.push(
            json!({"offer_id": nuagix_offer, "criterion_code": code, "points": weight.to_string(),
                            "justification": "Solution complète, bien documentée et éprouvée."}),
        );
        scores.push(json!({"offer_id": civitech_offer, "criterion_code": code, "points": (weight / 2).to_string(),
                            "justification": "Solution correcte mais moins aboutie sur ce point."}));
    }
    // Scoring the price by hand is refused.
    let mut with_price = scores.clone();
    with_price.push(
        json!({"offer_id": nuagix_offer, "criterion_code": "price", "points": "50",
                           "justification": "Le prix est le plus bas des deux."}),
    );
    app.reject(
        AGENT,
        "order.evaluate",
        json!({"order_id": order_id, "scores": with_price}),
        "price_score_automatic",
    )
    .await;
    app.apply(
        AGENT,
        "order.evaluate",
        json!({"order_id": order_id, "scores": scores}),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, order_id);
    assert_eq!(order["status"], "evaluated");
    let ranking = &order["evaluation"]["ranking"];
    assert_eq!(ranking["offers"][0]["offer_id"], nuagix_offer.to_string());
    assert_eq!(ranking["offers"][0]["rank"], 1);
    assert_eq!(ranking["offers"][1]["offer_id"], civitech_offer.to_string());

    // Awarding the second is refused; the first, with justification and decision, is awarded.
    let award = |offer: Uuid| {
        json!({
            "order_id": order_id,
            "offer_id": offer,
            "justification": "Offre classée première selon les critères et pondérations de l'accord-cadre.",
            "college_decision": app.college("COL/2026/245"),
        })
    };
    let r = app
        .reject(
            MAYOR,
            "order.award",
            award(civitech_offer),
            "award_not_following_ranking",
        )
        .await;
    assert!(
        r.message.unwrap().contains("Nuagix"),
        "names the provider ranked first"
    );
    let mut short = award(nuagix_offer);
    short["justification"] = json!("Car.");
    app.reject(MAYOR, "order.award", short, "justification_too_short")
        .await;
    app.apply(MAYOR, "order.award", award(nuagix_offer)).await;

    let dg_view = app.state_of(DG).await;
    let order = order_of(&dg_view, order_id);
    assert_eq!(order["status"], "awarded");
    assert_eq!(
        order["award"]["provider_id"],
        demo_provider_id("nuagix").to_string()
    );
    assert_eq!(
        order["award"]["college_decision"]["reference"],
        "COL/2026/245"
    );
    let milestones = dg_view.find(RecordKind::Milestone, "order_id", order_id.to_string());
    assert_eq!(milestones.len(), 7, "kick-off to final acceptance");

    // Each provider learns the outcome with its own scores only.
    let nuagix_changes = app.pull_all(&app.token(NUAGIX).await).await;
    let civitech_changes = app.pull_all(&app.token(CIVITECH).await).await;
    for (who, changes, won, other_offer, other_provider) in [
        (
            "nuagix",
            &nuagix_changes,
            true,
            civitech_offer,
            demo_provider_id("civitech"),
        ),
        (
            "civitech",
            &civitech_changes,
            false,
            nuagix_offer,
            demo_provider_id("nuagix"),
        ),
    ] {
        let view = View::of(changes);
        let inv = view
            .find(RecordKind::Invitation, "order_id", order_id.to_string())
            .pop()
            .unwrap_or_else(|| panic!("{who} sees its invitation"));
        let outcome = &inv["outcome"];
        assert_eq!(outcome["won"], won, "{who}");
        assert_eq!(outcome["rank"], if won { 1 } else { 2 });
        assert_eq!(outcome["own_scores"].as_array().unwrap().len(), 3);
        let scored = ranking["offers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["provider_id"] == demo_provider_id(who).to_string().as_str())
            .unwrap();
        assert_eq!(outcome["own_total"], scored["total"]);
        assert_eq!(outcome["own_scores"], scored["scores"]);
        // Law of 17 June 2013, Dir. 2014/24 art. 55(2): the notification's date is recorded;
        // the loser learns the winner's name and scores, the motivation and the remedies.
        assert_eq!(outcome["notified_at"], order["award"]["awarded_at"]);
        assert_eq!(outcome["decision"]["reference"], "COL/2026/245");
        assert_eq!(outcome["justification"], order["award"]["justification"]);
        let winner = &ranking["offers"][0];
        if won {
            assert_eq!(outcome["winner_name"], serde_json::Value::Null);
            assert_eq!(outcome["winner_scores"], json!([]));
            assert_eq!(outcome["remedies"], json!([]));
        } else {
            let nuagix_name = view
                .get(RecordKind::Provider, demo_provider_id("nuagix"))
                .unwrap()["name"]
                .clone();
            assert_eq!(outcome["winner_name"], nuagix_name);
            assert_eq!(outcome["winner_scores"], winner["scores"]);
            assert_eq!(outcome["winner_total"], winner["total"]);
            let remedies = outcome["remedies"].as_array().unwrap();
            assert_eq!(remedies.len(), 2);
            assert_eq!(remedies[0]["kind"], "suspension_extreme_urgency");
            assert_eq!(remedies[0]["days"], 15);
            assert_eq!(remedies[1]["kind"], "annulment");
            assert_eq!(remedies[1]["days"], 60);
        }
        let text = serde_json::to_string(&inv).unwrap();
        assert!(
            !text.contains(&other_offer.to_string()),
            "{who} never learns the other offer"
        );
        assert!(
            !text.contains(&other_provider.to_string()),
            "{who} never learns the other provider"
        );
        // Never the other's offer, not even now; never the order itself.
        assert!(view.get(RecordKind::Offer, other_offer).is_none(), "{who}");
        assert!(
            view.all(RecordKind::Order).is_empty(),
            "{who} does not pull orders"
        );
        let raw = serde_json::to_string(changes).unwrap();
        assert!(!raw.contains(&other_offer.to_string()), "{who}");
    }
    // Milestones go to the winner only.
    let civitech_view = View::of(&civitech_changes);
    assert!(civitech_view.all(RecordKind::Milestone).is_empty());
    let nuagix_view = View::of(&nuagix_changes);
    assert_eq!(nuagix_view.all(RecordKind::Milestone).len(), 7);

    // Rule 16 (AR 14 January 2013, art. 11; convention art. 7): the purchase order names the
    // commune's fonctionnaire dirigeant. An old client (no such field) is refused by the rule,
    // not by a parse error; so is a name without quality.
    let refused = app
        .reject(
            CENTRALE,
            "order.issue_purchase_order",
            json!({"order_id": order_id, "reference": "BC-2026-0042"}),
            "contract_manager_name_missing",
        )
        .await;
    assert_eq!(refused.details["field"], "contract_manager_name");
    assert_eq!(refused.details["max_chars"], 200);
    app.reject(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": order_id, "reference": "BC-2026-0042",
               "contract_manager_name": "Marie Dupont", "contract_manager_quality": "  "}),
        "contract_manager_quality_missing",
    )
    .await;
    assert_eq!(
        order_of(&app.state_of(DG).await, order_id)["status"],
        "awarded"
    );
    // The centrale issues the purchase order.
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
    assert_eq!(
        order_of(&app.state_of(DG).await, order_id)["status"],
        "purchase_order_issued"
    );
    assert_eq!(
        order_of(&app.state_of(DG).await, order_id)["purchase_order"]["contract_manager"],
        json!({"name": "Marie Dupont", "quality": "Responsable informatique"})
    );

    // The winner records the kick-off: the deployment starts.
    let kickoff = nuagix_view
        .all(RecordKind::Milestone)
        .into_iter()
        .find(|m| m["kind"] == "kickoff")
        .unwrap();
    let kickoff_id = kickoff["id"].as_str().unwrap().to_string();
    let today = app.clock.today();
    // The loser cannot touch it.
    app.reject(
        CIVITECH,
        "milestone.update",
        json!({"milestone_id": kickoff_id, "actual_date": today}),
        "not_found",
    )
    .await;
    // Nothing is acknowledged before it happened.
    app.reject(
        DG,
        "milestone.acknowledge",
        json!({"milestone_id": kickoff_id}),
        "milestone_not_done",
    )
    .await;
    // Not in the future.
    app.reject(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": kickoff_id, "actual_date": today + chrono::Days::new(3)}),
        "date_out_of_range",
    )
    .await;
    app.apply(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": kickoff_id, "actual_date": today, "notes": "Réunion tenue à Bertrix."}),
    )
    .await;
    let dg_view = app.state_of(DG).await;
    assert_eq!(order_of(&dg_view, order_id)["status"], "deploying");
    // The commune takes note.
    app.apply(
        AGENT,
        "milestone.acknowledge",
        json!({"milestone_id": kickoff_id}),
    )
    .await;
    let m = app
        .state_of(DG)
        .await
        .get(RecordKind::Milestone, &kickoff_id)
        .unwrap();
    assert!(m["acknowledged_at"].is_string());
    assert_eq!(m["actual_date"], json!(today));
    // Acceptances are the commune's: the provider cannot mark them done.
    let provisional = nuagix_view
        .all(RecordKind::Milestone)
        .into_iter()
        .find(|m| m["kind"] == "provisional_acceptance")
        .unwrap();
    app.reject(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": provisional["id"], "actual_date": today}),
        "acceptance_is_commune_act",
    )
    .await;
    // Provisional acceptance needs the go-live first.
    app.reject(
        DG,
        "order.accept_provisional",
        json!({"order_id": order_id, "date": today}),
        "go_live_not_done",
    )
    .await;
}

#[tokio::test]
async fn sealed_until_the_exact_deadline_and_a_late_first_offer_is_refused() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let nuagix_offer = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(nuagix_offer, &c.invitation_id("nuagix"), 420_000, 15_000),
    )
    .await;
    // Civitech has not answered. One second before the deadline: still sealed for everyone.
    app.clock.set(c.deadline - Duration::seconds(1));
    for user in [DG, MAYOR, CENTRALE, CIVITECH] {
        assert!(
            app.state_of(user).await.all(RecordKind::Offer).is_empty(),
            "{user} reads no offer before the deadline"
        );
    }
    assert_eq!(
        order_of(&app.state_of(DG).await, c.order_id)["status"],
        "competition_open"
    );
    // Civitech trying Nuagix's offer id learns nothing of it (no price, no provider).
    let r = app
        .reject(
            CIVITECH,
            "offer.submit",
            offer_payload(nuagix_offer, &c.invitation_id("civitech"), 400_000, 15_000),
            "duplicate_id",
        )
        .await;
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("420000") && !text.contains(&demo_provider_id("nuagix").to_string()));
    // Exactly at the deadline, before anyone has opened: a first offer is already late.
    app.clock.set(c.deadline);
    let late = Uuid::now_v7();
    app.reject(
        CIVITECH,
        "offer.submit",
        offer_payload(late, &c.invitation_id("civitech"), 400_000, 15_000),
        "deadline_passed",
    )
    .await;
    // The commune's first pull at the deadline opens the one offer.
    let view = app.state_of(DG).await;
    let order = order_of(&view, c.order_id);
    assert_eq!(order["status"], "offers_opened");
    assert_eq!(order["offers_received"], 1);
    assert_eq!(offers_of(&view, c.order_id).len(), 1);
    assert!(view.get(RecordKind::Offer, late).is_none());
    // After the opening, still refused, and the other provider still reads nothing.
    app.reject(
        CIVITECH,
        "offer.submit",
        offer_payload(late, &c.invitation_id("civitech"), 400_000, 15_000),
        "deadline_passed",
    )
    .await;
    let civitech = app.pull_all(&app.token(CIVITECH).await).await;
    assert!(civitech.iter().all(|ch| ch.kind != RecordKind::Offer));
    assert!(!serde_json::to_string(&civitech)
        .unwrap()
        .contains(&nuagix_offer.to_string()));
}
