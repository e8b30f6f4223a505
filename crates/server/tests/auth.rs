//! Accounts and device tokens over HTTP: login, throttling, disabled accounts, logout.

mod common;

use centrale_protocol::{MeResponse, PROTOCOL_HEADER};
use chrono::Duration;
use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn a_login_returns_a_token_that_identifies_the_user_on_me() {
    let app = spawn_app().await;
    let response = app.login_raw(DG, "demo").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key(PROTOCOL_HEADER));
    let body: serde_json::Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64, "a 256-bit hex token");
    assert_eq!(body["user"]["username"], DG);
    assert_eq!(body["user"]["role"], "director_general");
    assert_eq!(body["user"]["commune_nis"], "84009");

    let me = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: MeResponse = me.json().await.unwrap();
    assert_eq!(me.user.username, DG);
    assert_eq!(me.user.commune_nis.as_deref(), Some("84009"));
    assert_eq!(
        me.server_time,
        t0(),
        "the server's (manual) clock is the authority"
    );

    // A provider account carries its provider.
    let response = app.login_raw(NUAGIX, "demo").await;
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["user"]["role"], "provider_user");
    assert_eq!(
        body["user"]["provider_id"],
        centrale_server::seed::demo_provider_id("nuagix").to_string()
    );
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_gets_the_same_french_401() {
    let app = spawn_app().await;
    let wrong = assert_error(
        app.login_raw(DG, "Demo").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_error(
        app.login_raw("dg.99999", "demo").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    // Nothing tells an attacker which of the two was wrong.
    assert_eq!(wrong["message"], unknown["message"]);
    // Empty fields are a validation error, not a login attempt.
    assert_error(
        app.login_raw("", "demo").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn five_failures_lock_the_sixth_attempt_until_the_wait_is_over() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_error(
            app.login_raw(AGENT, "mauvais").await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }
    // Even the right password waits.
    let response = app.login_raw(AGENT, "demo").await;
    let retry_after: i64 = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .expect("Retry-After header")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after), "Retry-After {retry_after}");
    let body = assert_error(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    assert_eq!(body["details"]["retry_after_secs"], retry_after);

    // Other accounts are not affected.
    app.login(DG).await;

    // After the wait (server time), the right password works again.
    app.clock.advance(Duration::seconds(retry_after - 1));
    assert_error(
        app.login_raw(AGENT, "demo").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    app.clock.advance(Duration::seconds(2));
    let token = app.login(AGENT).await;
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status(),
        StatusCode::OK
    );

    // A success resets the counter: one new failure does not lock.
    assert_error(
        app.login_raw(AGENT, "mauvais").await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    app.login(AGENT).await;
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_its_tokens_stop_working() {
    let app = spawn_app().await;
    let token = app.login(AGENT).await;
    assert_eq!(
        app.get("/api/v1/sync/pull?cursor=0", Some(&token))
            .await
            .status(),
        StatusCode::OK
    );
    assert!(app.db.set_user_disabled(AGENT, true).await.unwrap());

    assert_error(
        app.login_raw(AGENT, "demo").await,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;
    assert_error(
        app.get("/api/v1/sync/pull?cursor=0", Some(&token)).await,
        StatusCode::FORBIDDEN,
        "account_disabled",
    )
    .await;
    let push = app
        .push_raw(
            &token,
            &serde_json::json!({"protocol_version": 1, "client_id": uuid::Uuid::now_v7(), "mutations": []}),
        )
        .await;
    assert_error(push, StatusCode::FORBIDDEN, "account_disabled").await;

    // Re-enabled: the account works again.
    assert!(app.db.set_user_disabled(AGENT, false).await.unwrap());
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn logout_revokes_only_this_devices_token() {
    let app = spawn_app().await;
    let laptop = app.login(DG).await;
    let office = app.login(DG).await;
    let response = app
        .http
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&laptop)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get("/api/v1/me", Some(&laptop)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    assert_error(
        app.get("/api/v1/sync/pull?cursor=0", Some(&laptop)).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    // Logging out twice is not possible either.
    let again = app
        .http
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&laptop)
        .send()
        .await
        .unwrap();
    assert_error(again, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // The other device stays connected.
    assert_eq!(
        app.get("/api/v1/me", Some(&office)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn missing_or_garbage_bearer_tokens_get_401_unauthorized() {
    let app = spawn_app().await;
    for path in ["/api/v1/me", "/api/v1/sync/pull?cursor=0"] {
        assert_error(
            app.get(path, None).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
        assert_error(
            app.get(path, Some("garbage")).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
        assert_error(
            app.get(path, Some(&"f".repeat(64))).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
        assert_error(
            app.get(path, Some(&"x".repeat(5000))).await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
        let basic = app
            .http
            .get(app.url(path))
            .header("authorization", "Basic ZGc6ZGVtbw==")
            .send()
            .await
            .unwrap();
        assert_error(basic, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let push = app
        .http
        .post(app.url("/api/v1/sync/push"))
        .json(&serde_json::json!({"protocol_version": 1, "client_id": uuid::Uuid::now_v7(), "mutations": []}))
        .send()
        .await
        .unwrap();
    assert_error(push, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
