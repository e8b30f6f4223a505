//! Issue 13 §4: what the intercommunale's IT watches — `/ready` (the database answers at the
//! expected schema) beside `/health` (the process lives), and `/metrics` in Prometheus' format:
//! requests by route and status, pull and push latency, the write lock's wait, mutations by
//! outcome, the scheduler's and the e-mail queue's pending work. On SQLite, and on PostgreSQL
//! with `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

fn line_value(text: &str, series: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn issue_13_4_metrics_count_what_the_server_did_and_ready_follows_the_database() {
    let app = spawn_app().await;
    let ready = app.get("/ready", None).await;
    assert_eq!(ready.status(), StatusCode::OK);

    let token = app.token(DG).await;
    app.pull_page(&token, 0, Some(10)).await;
    let order = Uuid::now_v7();
    app.apply(
        DG,
        "order.create_draft",
        create_draft(order, "e-guichet", "Compteur", eguichet_needs()),
    )
    .await;
    app.reject(
        DG,
        "order.delete_draft",
        json!({"order_id": Uuid::now_v7()}),
        "not_found",
    )
    .await;
    assert_eq!(
        app.get("/nowhere/at/all", None).await.status(),
        StatusCode::NOT_FOUND
    );

    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    let at_least_one = |series: &str| {
        assert!(
            line_value(&text, series).is_some_and(|n| n >= 1),
            "{series} missing or zero in:\n{text}"
        );
    };
    at_least_one(
        r#"centrale_http_requests_total{route="/api/v1/sync/pull",method="GET",status="200"}"#,
    );
    at_least_one(
        r#"centrale_http_requests_total{route="/api/v1/sync/push",method="POST",status="200"}"#,
    );
    at_least_one(r#"centrale_http_requests_total{route="unmatched",method="GET",status="404"}"#);
    at_least_one("centrale_pull_duration_seconds_count");
    at_least_one("centrale_push_duration_seconds_count");
    at_least_one(r#"centrale_push_duration_seconds_bucket{le="+Inf"}"#);
    at_least_one("centrale_write_lock_wait_seconds_count");
    assert_eq!(
        line_value(
            &text,
            r#"centrale_mutations_total{name="order.create_draft",outcome="applied"}"#
        ),
        Some(1),
        "{text}"
    );
    assert_eq!(
        line_value(
            &text,
            r#"centrale_mutations_total{name="order.delete_draft",outcome="rejected"}"#
        ),
        Some(1),
        "{text}"
    );
    assert!(text.contains("# TYPE centrale_scheduler_overdue gauge"));
    assert!(
        line_value(&text, "centrale_mail_waiting").is_some(),
        "{text}"
    );
    assert_eq!(line_value(&text, "centrale_mail_failed"), Some(0), "{text}");
    // No raw path becomes a series.
    assert!(!text.contains("/nowhere"), "{text}");

    // The database gone: not ready, while the process still answers /health.
    app.db.close().await;
    assert_eq!(
        app.get("/ready", None).await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}
