//! Dates and numbers a person types are checked, not trusted as sent, on SQLite and
//! PostgreSQL: a decimal sent as a JSON float is refused (it would be rounded through an
//! `f64`), and dates typed for an act keep within the domain's bounds (ten years around
//! today; what has happened is not in the future nor before the award), alike over the API
//! and the portal.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::{PushRequest, PROTOCOL_VERSION};
use centrale_server::seed::demo_provider_id;
use centrale_server::Clock;
use chrono::{Days, NaiveDate};
use common::portal::{evaluate_and_award, stored_offers, Browser};
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// Pushes one mutation whose payload text has `"__RAW__"` replaced by `raw` as is (a JSON
/// number written exactly as a client would send it).
async fn push_with_raw_number(
    app: &TestApp,
    username: &str,
    name: &str,
    payload: Value,
    raw: &str,
) -> reqwest::Response {
    let request = PushRequest {
        protocol_version: PROTOCOL_VERSION,
        client_id: app.client_id,
        mutations: vec![app.envelope(name, payload, None)],
    };
    let body = serde_json::to_string(&request)
        .unwrap()
        .replace("\"__RAW__\"", raw);
    assert!(body.contains(raw));
    app.http
        .post(app.url("/api/v1/sync/push"))
        .bearer_auth(app.token(username).await)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn draft_with_quantity(quantity: Value) -> Value {
    create_draft(
        Uuid::now_v7(),
        "e-guichet",
        "E-guichet état civil 2027",
        json!({
            "description": "E-guichet pour les actes d'état civil.",
            "lines": [{"price_line_code": "licence", "quantity": quantity}],
        }),
    )
}

#[tokio::test]
async fn a_decimal_sent_as_a_float_is_refused_not_rounded() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    // 1 000 000.0000000001 as a JSON number would read as 1 000 000 and pass the limit.
    for raw in ["1000000.0000000001", "9.5", "1e3"] {
        let response = push_with_raw_number(
            &app,
            DG,
            "order.create_draft",
            draft_with_quantity(json!("__RAW__")),
            raw,
        )
        .await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("entre guillemets"),
            "{raw}: {body}"
        );
    }
    // The same quantity as a string is read exactly, and the domain refuses it.
    let r = app
        .reject(
            DG,
            "order.create_draft",
            draft_with_quantity(json!("1000000.0000000001")),
            "quantity_not_positive",
        )
        .await;
    assert_eq!(r.details["field"], "needs.lines[0].quantity");
    // A string and an integer are exact: accepted.
    app.apply(
        DG,
        "order.create_draft",
        draft_with_quantity(json!("1000000")),
    )
    .await;
    app.apply(DG, "order.create_draft", draft_with_quantity(json!(12)))
        .await;
    // Quality points as a float: refused the same way.
    let scores = json!({"order_id": Uuid::now_v7(), "scores": [{
        "offer_id": Uuid::now_v7(), "criterion_code": "quality", "points": "__RAW__",
        "justification": "Très bonne réponse."}]});
    let response = push_with_raw_number(&app, AGENT, "order.evaluate", scores, "18.5").await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("entre guillemets"));
}

/// An order of 84009 awarded to Nuagix, its purchase order issued; returns the order, the
/// award decision's day and Nuagix's invitation id.
async fn awarded(app: &TestApp) -> (Uuid, NaiveDate, String) {
    activate_adhesion(app, "84009").await;
    let competition = open_competition(app).await;
    let (nuagix_inv, civitech_inv) = (
        competition.invitation_id("nuagix"),
        competition.invitation_id("civitech"),
    );
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &nuagix_inv, 390_000, 14_000),
    )
    .await;
    app.apply(
        CIVITECH,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &civitech_inv, 410_000, 17_000),
    )
    .await;
    let offers = stored_offers(app).await;
    let offer_of = |short: &str| {
        offers
            .iter()
            .find(|o| o.provider_id == demo_provider_id(short))
            .unwrap()
            .id
    };
    app.clock.set(competition.deadline);
    let _ = app.state_of(DG).await;
    let award_day = app.clock.today();
    evaluate_and_award(
        app,
        competition.order_id,
        offer_of("nuagix"),
        offer_of("civitech"),
    )
    .await;
    app.apply(
        CENTRALE,
        "order.issue_purchase_order",
        json!({"order_id": competition.order_id, "reference": "BC-2026-0042", "contract_manager_name": "Marie Dupont", "contract_manager_quality": "Responsable informatique"}),
    )
    .await;
    // Some days later.
    app.clock
        .set(competition.deadline + chrono::Duration::days(5));
    (competition.order_id, award_day, nuagix_inv)
}

fn assert_bounds(
    r: &centrale_protocol::MutationResult,
    field: &str,
    earliest: NaiveDate,
    latest: NaiveDate,
) {
    assert_eq!(r.details["field"], field, "{r:?}");
    assert_eq!(r.details["earliest"], json!(earliest), "{r:?}");
    assert_eq!(r.details["latest"], json!(latest), "{r:?}");
}

#[tokio::test]
async fn dates_typed_for_an_act_keep_within_their_bounds() {
    let app = spawn_app().await;
    let (order_id, award_day, nuagix_inv) = awarded(&app).await;
    let today = app.clock.today();
    let ten_after = today.checked_add_months(chrono::Months::new(120)).unwrap();
    let milestones =
        app.state_of(NUAGIX)
            .await
            .find(RecordKind::Milestone, "order_id", order_id.to_string());
    let id_of = |kind: &str| -> String {
        milestones.iter().find(|m| m["kind"] == kind).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let kickoff = id_of("kickoff");

    // Milestones over the API: a re-plan asks for a date from today to ten years ahead.
    for planned in ["9999-12-31", "-0001-01-01", "0001-01-01"] {
        let r = app
            .reject(
                NUAGIX,
                "milestone.request_replan",
                json!({"milestone_id": kickoff, "request_id": uuid::Uuid::now_v7(), "requested_date": planned, "reason": "Réunion reportée"}),
                "date_out_of_range",
            )
            .await;
        assert_bounds(&r, "requested_date", today, ten_after);
        assert_eq!(r.details["date"], planned);
    }
    app.apply(
        NUAGIX,
        "milestone.request_replan",
        json!({"milestone_id": kickoff, "request_id": uuid::Uuid::now_v7(), "requested_date": ten_after, "reason": "Réunion reportée"}),
    )
    .await;
    // Actual: not before the award, not in the future.
    for actual in [award_day - Days::new(1), today + Days::new(1)] {
        let r = app
            .reject(
                NUAGIX,
                "milestone.update",
                json!({"milestone_id": kickoff, "actual_date": actual}),
                "date_out_of_range",
            )
            .await;
        assert_bounds(&r, "actual_date", award_day, today);
        assert!(r.message.as_deref().unwrap().contains("doit tomber entre"));
    }
    app.apply(
        NUAGIX,
        "milestone.update",
        json!({"milestone_id": kickoff, "actual_date": award_day}),
    )
    .await;

    // The portal's milestone form refuses alike, in French, and writes nothing.
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let path = format!("/portail/invitations/{nuagix_inv}/jalons");
    let page = browser.get(&path).await;
    let configuration = id_of("configuration");
    let before = app.db.max_seq().await.unwrap();
    // A re-plan request (issue 17 point 5) on its own form; the actual date on the
    // milestones form (issue 15 point 10: one form for all of them, at the page's address).
    for (route, field, typed) in [
        ("/report", "nouvelle-date", "31/12/9999".to_string()),
        ("/report", "nouvelle-date", "01/01/0001".to_string()),
        (
            "",
            "realise",
            centrale_domain::format_date(award_day - Days::new(1)),
        ),
        (
            "",
            "realise",
            centrale_domain::format_date(today + Days::new(1)),
        ),
    ] {
        let name = format!("{field}-{configuration}");
        let reason = format!("raison-{configuration}");
        let notes = format!("notes-{configuration}");
        let address = if route.is_empty() {
            path.clone()
        } else {
            format!("{path}/{configuration}{route}")
        };
        let refused = browser
            .post(
                &address,
                &[
                    ("csrf", page.csrf().as_str()),
                    (name.as_str(), typed.as_str()),
                    (reason.as_str(), "Paramétrage reporté"),
                    (notes.as_str(), ""),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(
            refused.has("doit tomber entre"),
            "{typed}: {}",
            refused.html
        );
    }
    assert_eq!(app.db.max_seq().await.unwrap(), before);

    // Acceptances: not before the award, not in the future.
    for kind in ["configuration", "integration", "training", "go_live"] {
        app.apply(
            NUAGIX,
            "milestone.update",
            json!({"milestone_id": id_of(kind), "actual_date": today}),
        )
        .await;
    }
    for date in [award_day - Days::new(1), today + Days::new(1)] {
        let r = app
            .reject(
                DG,
                "order.accept_provisional",
                json!({"order_id": order_id, "date": date}),
                "date_out_of_range",
            )
            .await;
        assert_bounds(&r, "date", award_day, today);
    }
    app.apply(
        DG,
        "order.accept_provisional",
        json!({"order_id": order_id, "date": award_day}),
    )
    .await;
    let r = app
        .reject(
            MAYOR,
            "order.accept_final",
            json!({"order_id": order_id, "date": "9999-12-31"}),
            "date_out_of_range",
        )
        .await;
    assert_bounds(&r, "date", award_day, today);
    // Issue 11 rule 16: not before the framework's guarantee period (12 months) has run from
    // the provisional acceptance.
    let r = app
        .reject(
            MAYOR,
            "order.accept_final",
            json!({"order_id": order_id, "date": today}),
            "guarantee_period_running",
        )
        .await;
    let earliest = award_day + chrono::Months::new(12);
    assert_eq!(r.details["earliest"], earliest.to_string());
    assert_eq!(r.details["months"], 12);
    app.clock
        .set(app.clock.now() + chrono::Duration::days((earliest - today).num_days() + 1));
    app.reject(
        MAYOR,
        "order.accept_final",
        json!({"order_id": order_id, "date": earliest - Days::new(1)}),
        "guarantee_period_running",
    )
    .await;
    app.apply(
        MAYOR,
        "order.accept_final",
        json!({"order_id": order_id, "date": earliest}),
    )
    .await;
}

#[tokio::test]
async fn a_college_decision_is_dated_within_the_last_ten_years() {
    let app = spawn_app().await;
    let today = app.clock.today();
    let id = Uuid::now_v7();
    app.apply(
        DG_OTHER,
        "adhesion.start",
        json!({"adhesion_id": id, "template_id": centrale_server::seed::demo_convention_template_id()}),
    )
    .await;
    let ten_before = today.checked_sub_months(chrono::Months::new(120)).unwrap();
    for date in [ten_before - Days::new(1), today + Days::new(1)] {
        let r = app
            .reject(
                DG_OTHER,
                "adhesion.record_college_decision",
                json!({"adhesion_id": id, "college_decision": {"organ": {"kind": "conseil"}, "reference": "COL/2016/1", "date": date}}),
                "date_out_of_range",
            )
            .await;
        assert_bounds(&r, "college_decision.date", ten_before, today);
    }
    app.apply(
        DG_OTHER,
        "adhesion.record_college_decision",
        json!({"adhesion_id": id, "college_decision": {"organ": {"kind": "conseil"}, "reference": "COL/2016/1", "date": ten_before}}),
    )
    .await;
}
