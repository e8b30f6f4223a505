//! The centrale manages the catalogue: a new service arrives with its framework agreement and
//! reaches every commune at its next sync; orders keep the terms they were made under.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// The payload of `service.add`: the terms of an existing framework, with new ids and texts.
async fn new_service(app: &TestApp, code: &str, reference: &str) -> (Uuid, Uuid, Value) {
    let view = app.state_of(CENTRALE).await;
    let existing = view
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .expect("the demo framework");
    let mut terms = existing["versions"][0].clone();
    terms["providers"] = json!([
        {"provider_id": demo_provider_id("nuagix"), "status": "active"},
        {"provider_id": demo_provider_id("civitech"), "status": "active"}
    ]);
    terms["change_note"] = json!("");
    let (service_id, framework_id) = (Uuid::now_v7(), Uuid::now_v7());
    let payload = json!({
        "service_id": service_id,
        "framework_id": framework_id,
        "code": code,
        "name_fr": "Stationnement intelligent",
        "summary_fr": "Capteurs de places et guidage vers les places libres.",
        "description_fr": "Des capteurs signalent les places libres ; une application guide les automobilistes.",
        "category_fr": "Mobilité",
        "reference": reference,
        "title_fr": "Stationnement intelligent — accord-cadre",
        "call_off_method": "mini_competition",
        "terms": terms,
    });
    (service_id, framework_id, payload)
}

#[tokio::test]
async fn a_new_service_with_its_framework_reaches_every_commune_at_its_next_sync() {
    let app = spawn_app().await;
    let (service_id, framework_id, payload) =
        new_service(&app, "stationnement-intelligent", "CA-2026-11").await;

    // Only the centrale may add to the catalogue.
    for user in [DG, MAYOR, AGENT, NUAGIX] {
        app.reject(user, "service.add", payload.clone(), "forbidden")
            .await;
    }
    app.apply(CENTRALE, "service.add", payload.clone()).await;

    for user in [DG, DG_OTHER] {
        let view = app.state_of(user).await;
        let service = view
            .get(RecordKind::Service, service_id)
            .expect("the new service");
        assert_eq!(service["code"], "stationnement-intelligent");
        assert_eq!(service["framework_id"], json!(framework_id));
        let framework = view
            .get(RecordKind::Framework, framework_id)
            .expect("its framework");
        assert_eq!(framework["versions"].as_array().unwrap().len(), 1);
        assert_eq!(framework["versions"][0]["version"], 1);
        assert_eq!(framework["versions"][0]["change_note"], "Première version.");
        assert_eq!(framework["versions"][0]["published_at"], json!(t0()));
    }

    // A commune can order it at once.
    let needs = json!({"description": "Capteurs pour la place du marché", "lines": [
        {"price_line_code": payload["terms"]["price_schedule"][0]["code"], "quantity": "1"}
    ]});
    app.apply(
        AGENT,
        "order.create_draft",
        json!({"order_id": Uuid::now_v7(), "service_id": service_id, "title": "Stationnement place du marché", "needs": needs}),
    )
    .await;

    // The same code or reference twice is refused with the field named.
    let (_, _, again) = new_service(&app, "stationnement-intelligent", "CA-2026-12").await;
    let r = app
        .reject(CENTRALE, "service.add", again, "duplicate_code")
        .await;
    assert_eq!(r.details["field"], "code");
    let (_, _, again) = new_service(&app, "parking-2", "CA-2026-11").await;
    let r = app
        .reject(CENTRALE, "service.add", again, "duplicate_reference")
        .await;
    assert_eq!(r.details["field"], "reference");
}

#[tokio::test]
async fn a_service_is_refused_with_a_framework_over_four_years_an_unknown_provider_or_a_bad_code() {
    let app = spawn_app().await;
    let (_, _, mut payload) = new_service(&app, "eclairage", "CA-2026-20").await;
    let start = payload["terms"]["start_date"].as_str().unwrap().to_string();
    let year: i32 = start[..4].parse().unwrap();
    payload["terms"]["end_date"] = json!(format!("{}{}", year + 5, &start[4..]));
    let r = app
        .reject(CENTRALE, "service.add", payload, "framework_too_long")
        .await;
    assert_eq!(r.details["field"], "end_date");

    let (_, _, mut payload) = new_service(&app, "eclairage", "CA-2026-20").await;
    payload["terms"]["providers"] = json!([{"provider_id": Uuid::now_v7(), "status": "active"}]);
    let r = app
        .reject(CENTRALE, "service.add", payload, "provider_not_registered")
        .await;
    assert!(r.message.unwrap().contains("enregistr"));

    let (_, _, payload) = new_service(&app, "Éclairage Public", "CA-2026-20").await;
    let r = app
        .reject(CENTRALE, "service.add", payload, "service_code_invalid")
        .await;
    assert_eq!(r.details["field"], "code");

    let (_, _, mut payload) = new_service(&app, "eclairage", "CA-2026-20").await;
    payload["name_fr"] = json!("   ");
    let r = app
        .reject(CENTRALE, "service.add", payload, "text_required")
        .await;
    assert_eq!(r.details["field"], "name_fr");

    // Nothing of the refused ones reached the catalogue.
    let view = app.state_of(DG).await;
    assert_eq!(view.all(RecordKind::Service).len(), 10);
}
