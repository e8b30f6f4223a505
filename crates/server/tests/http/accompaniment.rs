//! Issue 16 §2: the intercommunale's accompaniment services — its price list, a commune's
//! order (alone or with a call-off), the planning, the delivery and the invoice — outside the
//! mini-competition's rules (in-house), each act its role's, each commune seeing its own.

use crate::common;

use centrale_domain::accompaniment::PRICE_LIST_ID;
use centrale_protocol::records::RecordKind;
use chrono::Duration;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

fn order_payload(id: Uuid, call_off: Option<Uuid>, lines: Value) -> Value {
    json!({
        "accompaniment_id": id,
        "title": "Accompagnement de l'e-guichet",
        "call_off_id": call_off,
        "lines": lines,
        "decision": college("COL/2026/300"),
    })
}

#[tokio::test]
async fn issue_16_a_commune_orders_accompaniment_the_centrale_plans_delivers_and_invoices() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let call_off = draft_order(
        &app,
        "e-guichet",
        "E-guichet état civil 2027",
        eguichet_needs(),
    )
    .await;

    // The demo's price list reaches every commune.
    let list = app
        .state_of(DG)
        .await
        .get(RecordKind::AccompanimentPriceList, PRICE_LIST_ID)
        .expect("the price list");
    let services = list["versions"][0]["services"].as_array().unwrap().clone();
    assert_eq!(services.len(), 5);
    assert!(services
        .iter()
        .any(|s| s["code"] == "formation" && s["unit"] == "day"));

    // Refused, each with its reason: a package split, a day not in halves, an unknown service,
    // another commune's call-off (its own PC does not even know it), a commune not adhering.
    let id = Uuid::now_v7();
    for (lines, code) in [
        (
            json!([{"code": "lancement", "quantity": "1.5"}]),
            "accompaniment_quantity_invalid",
        ),
        (
            json!([{"code": "formation", "quantity": "0.3"}]),
            "accompaniment_quantity_invalid",
        ),
        (
            json!([{"code": "audit", "quantity": "1"}]),
            "accompaniment_service_unknown",
        ),
    ] {
        app.reject(
            DG,
            "accompaniment.order",
            order_payload(id, Some(call_off), lines),
            code,
        )
        .await;
    }
    app.reject(
        DG_OTHER,
        "accompaniment.order",
        order_payload(
            id,
            Some(call_off),
            json!([{"code": "formation", "quantity": "1"}]),
        ),
        "not_found",
    )
    .await;
    app.reject(
        DG_OTHER,
        "accompaniment.order",
        order_payload(id, None, json!([{"code": "formation", "quantity": "1"}])),
        "adhesion_not_active",
    )
    .await;
    // Only a commune orders; only the centrale plans and invoices.
    app.reject(
        CENTRALE,
        "accompaniment.order",
        order_payload(id, None, json!([{"code": "formation", "quantity": "1"}])),
        "forbidden",
    )
    .await;

    let lines = json!([
        {"code": "lancement", "quantity": "1"},
        {"code": "formation", "quantity": "1.5"}
    ]);
    app.apply(
        DG,
        "accompaniment.order",
        order_payload(id, Some(call_off), lines),
    )
    .await;
    let order = app
        .state_of(DG)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .expect("the commune's accompaniment");
    assert_eq!(order["status"], "requested");
    assert_eq!(order["call_off_id"], json!(call_off));
    // 1 500 € + 1.5 × 600 € = 2 400 € HTVA, 2 904 € TVAC.
    assert_eq!(order["total"]["excl_vat"], 240_000);
    assert_eq!(order["total"]["incl_vat"], 290_400);
    // The other commune and the providers do not see it; the centrale does.
    assert!(app
        .state_of(DG_OTHER)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .is_none());
    assert!(app
        .state_of(NUAGIX)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .is_none());
    assert!(app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .is_some());

    let today = today0();
    let plan = json!({"accompaniment_id": id, "dates": [
        {"code": "lancement", "planned_on": today + Duration::days(7)},
        {"code": "formation", "planned_on": today + Duration::days(14)}
    ]});
    app.reject(DG, "accompaniment.plan", plan.clone(), "forbidden")
        .await;
    app.reject(
        CENTRALE,
        "accompaniment.plan",
        json!({"accompaniment_id": id, "dates": [{"code": "lancement", "planned_on": today - Duration::days(1)}]}),
        "accompaniment_planned_before_order",
    )
    .await;
    app.apply(CENTRALE, "accompaniment.plan", plan).await;
    // Planned: no longer the commune's to cancel.
    app.reject(
        DG,
        "accompaniment.cancel",
        json!({"accompaniment_id": id, "reason": "Le projet est reporté."}),
        "accompaniment_wrong_status",
    )
    .await;
    app.reject(
        CENTRALE,
        "accompaniment.invoice",
        json!({"accompaniment_id": id}),
        "accompaniment_wrong_status",
    )
    .await;

    app.clock.advance(Duration::days(14));
    for (code, days) in [("lancement", 7), ("formation", 14)] {
        app.apply(
            CENTRALE,
            "accompaniment.record_delivery",
            json!({"accompaniment_id": id, "code": code, "delivered_on": today + Duration::days(days)}),
        )
        .await;
    }
    app.reject(
        CENTRALE,
        "accompaniment.record_delivery",
        json!({"accompaniment_id": id, "code": "formation", "delivered_on": today + Duration::days(30)}),
        "accompaniment_wrong_status",
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.invoice",
        json!({"accompaniment_id": id}),
    )
    .await;
    let order = app
        .state_of(DG)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .expect("the invoiced accompaniment");
    assert_eq!(order["status"], "invoiced");
    let invoiced_on = today + Duration::days(14);
    let year = chrono::Datelike::year(&invoiced_on);
    assert_eq!(order["invoice"]["number"], format!("ACC-{year}-0001"));
    assert_eq!(order["invoice"]["date"], json!(invoiced_on));
    assert_eq!(
        order["invoice"]["due_date"],
        json!(invoiced_on + Duration::days(30))
    );

    // A second accompaniment, alone, gets the next number; a third is cancelled by the commune.
    let second = Uuid::now_v7();
    app.apply(
        DG,
        "accompaniment.order",
        order_payload(
            second,
            None,
            json!([{"code": "communication", "quantity": "1"}]),
        ),
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.plan",
        json!({"accompaniment_id": second, "dates": [{"code": "communication", "planned_on": invoiced_on}]}),
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.record_delivery",
        json!({"accompaniment_id": second, "code": "communication", "delivered_on": invoiced_on}),
    )
    .await;
    app.apply(
        CENTRALE,
        "accompaniment.invoice",
        json!({"accompaniment_id": second}),
    )
    .await;
    let third = Uuid::now_v7();
    app.apply(
        DG,
        "accompaniment.order",
        order_payload(third, None, json!([{"code": "migration", "quantity": "1"}])),
    )
    .await;
    app.apply(
        DG,
        "accompaniment.cancel",
        json!({"accompaniment_id": third, "reason": "Le projet est reporté à 2027."}),
    )
    .await;
    let view = app.state_of(CENTRALE).await;
    assert_eq!(
        view.get(RecordKind::AccompanimentOrder, second).unwrap()["invoice"]["number"],
        format!("ACC-{year}-0002")
    );
    assert_eq!(
        view.get(RecordKind::AccompanimentOrder, third).unwrap()["status"],
        "cancelled"
    );
}

#[tokio::test]
async fn issue_16_the_centrale_publishes_a_new_price_list_orders_keep_theirs() {
    let app = spawn_app().await;
    let services = json!([
        {"code": "formation", "label_fr": "Formation des agents", "description_fr": "", "unit": "day", "price_cents": 62_000, "vat_rate": "21"}
    ]);
    let payload = json!({"services": services, "note": "Tarifs 2027 de l'accompagnement"});
    for user in [DG, NUAGIX] {
        app.reject(
            user,
            "accompaniment.publish_price_list",
            payload.clone(),
            "forbidden",
        )
        .await;
    }
    app.reject(
        CENTRALE,
        "accompaniment.publish_price_list",
        json!({"services": [], "note": "Tarifs 2027 de l'accompagnement"}),
        "accompaniment_list_empty",
    )
    .await;
    app.apply(CENTRALE, "accompaniment.publish_price_list", payload)
        .await;
    let list = app
        .state_of(DG)
        .await
        .get(RecordKind::AccompanimentPriceList, PRICE_LIST_ID)
        .unwrap();
    let versions = list["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        versions[0]["services"].as_array().unwrap().len(),
        5,
        "version 1 kept"
    );
    assert_eq!(versions[1]["services"][0]["price_cents"], 62_000);
    // Ordering now prices from version 2.
    activate_adhesion(&app, "84009").await;
    let id = Uuid::now_v7();
    app.apply(
        DG,
        "accompaniment.order",
        order_payload(id, None, json!([{"code": "formation", "quantity": "2"}])),
    )
    .await;
    let order = app
        .state_of(DG)
        .await
        .get(RecordKind::AccompanimentOrder, id)
        .unwrap();
    assert_eq!(order["price_list_version"], 2);
    assert_eq!(order["total"]["excl_vat"], 124_000);
}
