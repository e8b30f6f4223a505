//! Visibility decided on the server: a commune sees nothing of another commune; a provider
//! sees its own invitations and offers only.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::Change;
use centrale_server::seed::demo_provider_id;
use chrono::Duration;
use common::*;
use serde_json::json;
use uuid::Uuid;

const PRIVATE: [RecordKind; 5] = [
    RecordKind::Adhesion,
    RecordKind::Order,
    RecordKind::Invitation,
    RecordKind::Offer,
    RecordKind::Milestone,
];

fn private_of(changes: &[Change], nis: &str) -> Vec<Change> {
    changes
        .iter()
        .filter(|c| PRIVATE.contains(&c.kind))
        .filter(|c| c.deleted || c.record["commune_nis"] != nis)
        .cloned()
        .collect()
}

#[tokio::test]
async fn another_commune_never_pulls_nor_touches_bertrix_records() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let draft = draft_order(&app, "e-guichet", "Brouillon de Bertrix", eguichet_needs()).await;
    let offer_id = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(
            offer_id,
            &competition.invitation_id("nuagix"),
            400_000,
            15_000,
        ),
    )
    .await;

    // Libramont-Chevigny has its own adhesion and order.
    activate_adhesion(&app, "84077").await;
    let own_order = Uuid::now_v7();
    app.apply(
        DG_OTHER,
        "order.create_draft",
        create_draft(
            own_order,
            "e-guichet",
            "E-guichet Libramont",
            eguichet_needs(),
        ),
    )
    .await;

    // Before and after the deadline (when offers open to Bertrix), 84077 sees nothing of 84009.
    for step in ["before", "after"] {
        for user in [DG_OTHER, MAYOR_OTHER, "dg.81001"] {
            let token = app.token(user).await;
            let changes = app.pull_all(&token).await;
            let nis = if user == "dg.81001" { "81001" } else { "84077" };
            let foreign = private_of(&changes, nis);
            assert!(
                foreign.is_empty(),
                "{user} ({step}) pulls foreign records: {foreign:?}"
            );
            let text = serde_json::to_string(&changes).unwrap();
            for id in [competition.order_id, draft, offer_id] {
                assert!(!text.contains(&id.to_string()), "{user} ({step}) sees {id}");
            }
            // The catalogue is shared.
            let view = View::of(&changes);
            assert_eq!(view.all(RecordKind::Service).len(), 10);
            assert_eq!(view.all(RecordKind::Commune).len(), 45);
        }
        app.clock.set(competition.deadline + Duration::minutes(5));
    }
    let libramont = app.state_of(DG_OTHER).await;
    assert_eq!(libramont.all(RecordKind::Order).len(), 1);
    assert_eq!(libramont.all(RecordKind::Adhesion).len(), 1);
    // Bertrix sees its own records, not Libramont's.
    let bertrix = app.state_of(DG).await;
    assert!(bertrix.get(RecordKind::Order, own_order).is_none());
    assert_eq!(bertrix.all(RecordKind::Adhesion).len(), 1);
    assert_eq!(
        bertrix.all(RecordKind::Offer).len(),
        1,
        "opened offer visible to its commune"
    );

    // 84077 cannot act on 84009's records: « introuvable », as if they did not exist.
    let reason = "Tentative depuis une autre commune.";
    for (name, payload) in [
        (
            "order.update_draft",
            json!({"order_id": draft, "title": "Piratage", "needs": eguichet_needs()}),
        ),
        ("order.delete_draft", json!({"order_id": draft})),
        ("order.submit", submit(draft)),
        ("order.cancel", json!({"order_id": draft, "reason": reason})),
        (
            "order.withdraw",
            json!({"order_id": competition.order_id,
                   "reason": "Le collège a renoncé à ce projet de commande.",
                   "college_decision": college("COL/2026/41")}),
        ),
        (
            "order.open_offers",
            json!({"order_id": competition.order_id}),
        ),
        (
            "order.evaluate",
            json!({"order_id": competition.order_id, "scores": []}),
        ),
        (
            "order.award",
            json!({"order_id": competition.order_id, "offer_id": offer_id,
                   "justification": "Justification suffisamment longue pour passer.",
                   "college_decision": app.college("COL/2026/1")}),
        ),
    ] {
        app.reject(DG_OTHER, name, payload, "not_found").await;
    }
    let adhesion = bertrix.all(RecordKind::Adhesion)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.reject(
        MAYOR_OTHER,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": "Tentative depuis une autre commune."}),
        "not_found",
    )
    .await;
    // Nothing changed for Bertrix.
    let after = app.state_of(DG).await;
    assert_eq!(
        after.get(RecordKind::Order, draft).unwrap()["title"],
        "Brouillon de Bertrix"
    );
    assert_eq!(
        after.get(RecordKind::Adhesion, &adhesion).unwrap()["status"],
        "active"
    );
}

#[tokio::test]
async fn a_provider_sees_only_its_own_invitations_and_offers() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let nuagix_offer = Uuid::now_v7();
    let civitech_offer = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(
            nuagix_offer,
            &competition.invitation_id("nuagix"),
            400_000,
            15_000,
        ),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            civitech_offer,
            &competition.invitation_id("civitech"),
            410_000,
            15_000,
        ),
    )
    .await;

    for (user, short) in [(NUAGIX, "nuagix"), (CIVITECH, "civitech")] {
        let view = app.state_of(user).await;
        let own = demo_provider_id(short).to_string();
        let invitations = view.all(RecordKind::Invitation);
        assert_eq!(invitations.len(), 1, "{user}");
        assert_eq!(invitations[0]["provider_id"], own.as_str());
        let offers = view.all(RecordKind::Offer);
        assert_eq!(offers.len(), 1, "{user}");
        assert_eq!(offers[0]["provider_id"], own.as_str());
        for kind in [
            RecordKind::Order,
            RecordKind::Adhesion,
            RecordKind::Milestone,
        ] {
            assert!(view.all(kind).is_empty(), "{user} pulls no {kind:?}");
        }
    }
    // A provider not invited sees no invitation at all.
    let other = app.state_of("prestataire.reservix").await;
    assert!(other.all(RecordKind::Invitation).is_empty());
    assert!(other.all(RecordKind::Offer).is_empty());

    // A provider cannot answer another provider's invitation, nor overwrite its offer.
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &competition.invitation_id("civitech"),
            100_000,
            1_000,
        ),
        "not_found",
    )
    .await;
    app.reject(
        NUAGIX,
        "offer.submit",
        offer_payload(
            civitech_offer,
            &competition.invitation_id("nuagix"),
            100_000,
            1_000,
        ),
        "offer_exists",
    )
    .await;
    app.reject(
        "prestataire.reservix",
        "offer.submit",
        offer_payload(
            Uuid::now_v7(),
            &competition.invitation_id("nuagix"),
            100_000,
            1_000,
        ),
        "not_found",
    )
    .await;
    let civitech = app.state_of(CIVITECH).await;
    assert_eq!(
        civitech.get(RecordKind::Offer, civitech_offer).unwrap()["lines"][0]["unit_price_cents"],
        410_000
    );

    // After the opening, providers still see only their own offer.
    app.clock.set(competition.deadline);
    assert_eq!(app.state_of(DG).await.all(RecordKind::Offer).len(), 2);
    let nuagix = app.state_of(NUAGIX).await;
    assert_eq!(nuagix.all(RecordKind::Offer).len(), 1);
    assert!(nuagix.get(RecordKind::Offer, civitech_offer).is_none());
}
