//! Issue 16 point 5: « Suivi des accords-cadres » through the real API — the centrale gets the
//! frameworks' ends, their consumption and who uses what, computed by the domain from the
//! server's records; every other account is refused. Runs on SQLite, and on PostgreSQL with
//! `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::portal::evaluate_and_award;
use common::*;
use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

const PATH: &str = "/api/v1/centrale/frameworks/tracking";

#[tokio::test]
async fn issue_16_5_the_centrale_tracks_a_framework_ending_in_five_months_without_successor() {
    let app = spawn_app().await;
    // One call-off awarded under CA-2025-01 (e-guichet) to Nuagix for Bertrix.
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(first, &competition.invitation_id("nuagix"), 400_000, 2_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(
            second,
            &competition.invitation_id("civitech"),
            450_000,
            2_500,
        ),
    )
    .await;
    app.clock.set(competition.deadline + Duration::hours(1));
    app.state_of(DG).await;
    evaluate_and_award(&app, competition.order_id, first, second).await;
    let order = order_of(&app.state_of(CENTRALE).await, competition.order_id);
    assert_eq!(order["status"], "awarded");
    let awarded_excl = order["award"]["amount"]["excl_vat"].as_i64().unwrap();

    // CA-2025-01 ends on 28/02/2029: five months before, at noon in Brussels.
    let end = NaiveDate::from_ymd_opt(2029, 2, 28).unwrap();
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 9, 28, 10, 0, 0).unwrap());
    let today = NaiveDate::from_ymd_opt(2028, 9, 28).unwrap();

    let response = app.get(PATH, Some(&app.token(CENTRALE).await)).await;
    let text = expect_status(response, StatusCode::OK).await;
    let tracking: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(tracking["today"], "2028-09-28");
    assert_eq!(tracking["lead_months"], 6);
    assert_eq!(tracking["alert_percent"], 80);

    let framework = demo_framework_id("CA-2025-01").to_string();
    let ends = tracking["ends"].as_array().unwrap();
    let ending = ends
        .iter()
        .find(|e| e["framework_id"] == framework.as_str())
        .expect("CA-2025-01 is in force");
    assert_eq!(ending["reference"], "CA-2025-01");
    assert_eq!(ending["end_date"], "2029-02-28");
    assert_eq!(ending["days_left"], (end - today).num_days());
    assert_eq!(ending["days_left"], 153);
    assert_eq!(ending["status"], "successor_needed");
    assert!(ending["successor"].is_null());
    // Soonest end first; a framework already ended (CA-2024-02, 31/08/2028) is not listed.
    let dates: Vec<&str> = ends
        .iter()
        .map(|e| e["end_date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(ends.iter().all(|e| e["reference"] != "CA-2024-02"));

    let consumption = tracking["consumption"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["framework_id"] == framework.as_str())
        .unwrap();
    assert_eq!(consumption["maximum"], 70_000_000);
    assert_eq!(consumption["consumed"]["excl_vat"], awarded_excl);
    assert_eq!(consumption["remaining"], 70_000_000 - awarded_excl);
    assert_eq!(consumption["alert"], false);
    assert_eq!(consumption["communes"][0]["commune_nis"], "84009");
    assert_eq!(consumption["communes"][0]["commune_name"], "Bertrix");

    let solutions = tracking["solutions"].as_array().unwrap();
    assert_eq!(solutions.len(), 1);
    let s = &solutions[0];
    assert_eq!(s["order_id"], competition.order_id.to_string());
    assert_eq!(s["commune_name"], "Bertrix");
    assert_eq!(s["provider_id"], demo_provider_id("nuagix").to_string());
    assert_eq!(s["framework_reference"], "CA-2025-01");
    assert_eq!(s["amount"]["excl_vat"], awarded_excl);
    assert_eq!(s["status"], "awarded");
    assert_eq!(tracking["communes"][0]["commune_nis"], "84009");
    assert_eq!(
        tracking["communes"][0]["solutions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The same records as the centrale's PC, the same figures: the framework is on record.
    assert!(app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Framework, &framework)
        .is_some());

    // Every other account: the domain's permission refuses it.
    for user in [DG, MAYOR, AGENT, NUAGIX] {
        let response = app.get(PATH, Some(&app.token(user).await)).await;
        assert_error(response, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let response = app.get(PATH, None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}
