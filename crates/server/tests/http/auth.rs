//! Accounts and device tokens over HTTP: login, throttling, disabled accounts, logout.

use crate::common;

use centrale_protocol::{MeResponse, PROTOCOL_HEADER};
use centrale_server::Settings;
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
        "login_fields_invalid",
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

/// Logs in with every (username, password) at the same time; the answers' statuses and bodies.
async fn login_all_at_once(
    app: &TestApp,
    attempts: Vec<(String, String)>,
    forwarded_for: Option<&str>,
) -> Vec<(StatusCode, serde_json::Value)> {
    let mut set = tokio::task::JoinSet::new();
    for (username, password) in attempts {
        let mut request = app
            .http
            .post(app.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password, "device": "PC de test"}));
        if let Some(address) = forwarded_for {
            request = request.header("x-forwarded-for", address);
        }
        set.spawn(async move {
            let response = request.send().await.expect("login request");
            let status = response.status();
            (status, response.json().await.expect("a JSON answer"))
        });
    }
    set.join_all().await
}

fn count(answers: &[(StatusCode, serde_json::Value)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

#[tokio::test]
async fn sixty_simultaneous_guesses_on_one_account_check_only_the_free_attempts() {
    // Only the account's lock plays here (the address's is tested below).
    let app = spawn_app_with(Settings {
        login_free_attempts_per_address: 1000,
        ..Settings::default()
    })
    .await;
    let guesses = (0..60)
        .map(|i| (AGENT.to_string(), format!("essai-{i}")))
        .collect();
    let answers = login_all_at_once(&app, guesses, None).await;
    // Each attempt is reserved before its password is checked: five are checked, whatever
    // the timing, and every other one waits.
    assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), 5, "{answers:?}");
    assert_eq!(
        count(&answers, StatusCode::TOO_MANY_REQUESTS),
        55,
        "{answers:?}"
    );
    assert!(app.state.login.checks().total() <= 5);
    // The right password now waits too.
    assert_error(
        app.login_raw(AGENT, "demo").await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
}

#[tokio::test]
async fn one_address_guessing_across_accounts_is_stopped_too() {
    let app = spawn_app_with(Settings {
        login_free_attempts_per_address: 8,
        ..Settings::default()
    })
    .await;
    // A success of the guesser's own account clears nothing.
    app.login(NUAGIX).await;
    let communes = ["84009", "84077", "81001", "83034"];
    for nis in communes {
        for role in ["dg", "bourgmestre"] {
            assert_error(
                app.login_raw(&format!("{role}.{nis}"), "mauvais").await,
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
            )
            .await;
        }
    }
    // Eight failures from this address, no more than one per account: the ninth attempt
    // waits, even on another account with its right password, on the portal as well.
    let response = app.login_raw(CENTRALE, "demo").await;
    assert_eq!(response.headers()["retry-after"], "30");
    assert_error(response, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    let portal = common::portal::Browser::new(&app)
        .login_with(CIVITECH, "demo")
        .await;
    assert_eq!(
        portal.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        portal.html
    );
    // The accounts themselves are not locked: after the address's wait, one attempt passes.
    app.clock.advance(Duration::seconds(31));
    app.login(CENTRALE).await;
}

#[tokio::test]
async fn behind_the_trusted_proxy_each_client_address_is_counted_apart() {
    let app = spawn_app_with(Settings {
        login_free_attempts_per_address: 3,
        trusted_proxy: Some("127.0.0.1".parse().unwrap()),
        ..Settings::default()
    })
    .await;
    let wrong = |user: &str| (user.to_string(), "mauvais".to_string());
    let answers = login_all_at_once(
        &app,
        vec![wrong(DG), wrong(MAYOR), wrong(AGENT)],
        Some("198.51.100.1"),
    )
    .await;
    assert_eq!(count(&answers, StatusCode::UNAUTHORIZED), 3, "{answers:?}");
    let blocked = login_all_at_once(
        &app,
        vec![(CENTRALE.into(), "demo".into())],
        Some("198.51.100.1"),
    )
    .await;
    assert_eq!(blocked[0].0, StatusCode::TOO_MANY_REQUESTS, "{blocked:?}");
    // Another client behind the same proxy is not blocked by the first one's failures. The
    // entry the client writes itself is ignored: only the last one, the proxy's, counts.
    let other = login_all_at_once(
        &app,
        vec![(CENTRALE.into(), "demo".into())],
        Some("198.51.100.1, 198.51.100.2"),
    )
    .await;
    assert_eq!(other[0].0, StatusCode::OK, "{other:?}");
}

#[tokio::test]
async fn an_unknown_name_is_answered_and_locked_exactly_like_a_wrong_password() {
    let app = spawn_app().await;
    let wrong = app.login_raw(AGENT, "mauvais").await;
    let (wrong_status, wrong_body) = (wrong.status(), wrong.text().await.unwrap());
    assert_eq!(app.state.login.checks().total(), 1);
    let unknown = app.login_raw("dg.99999", "mauvais").await;
    let (unknown_status, unknown_body) = (unknown.status(), unknown.text().await.unwrap());
    assert_eq!(
        (wrong_status, &wrong_body),
        (unknown_status, &unknown_body),
        "same status, code, message and details"
    );
    // The unknown name's password was checked too (against a dummy hash): same cost.
    assert_eq!(app.state.login.checks().total(), 2);
    // After the free failures both wait the same: the lock tells no more than the answer.
    for _ in 0..4 {
        app.login_raw(AGENT, "mauvais").await;
        app.login_raw("dg.99999", "mauvais").await;
    }
    let locked = app.login_raw(AGENT, "mauvais").await;
    let unknown_locked = app.login_raw("dg.99999", "mauvais").await;
    assert_eq!(locked.headers()["retry-after"], "30");
    assert_eq!(unknown_locked.headers()["retry-after"], "30");
    let locked = assert_error(locked, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    let unknown_locked = assert_error(
        unknown_locked,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    assert_eq!(locked, unknown_locked);
}

#[tokio::test]
async fn password_checks_never_run_more_than_the_bound_at_once() {
    let app = spawn_app_with(Settings {
        password_checks_at_once: 2,
        password_queue_secs: 60,
        // Thirty-odd logins in flight from one address: not what this test is about.
        login_free_attempts_per_address: 1000,
        ..Settings::default()
    })
    .await;
    let everyone: Vec<(String, String)> = app
        .db
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| (u.username, "demo".to_string()))
        .collect();
    assert!(everyone.len() >= 30, "{}", everyone.len());
    let answers = login_all_at_once(&app, everyone.clone(), None).await;
    assert_eq!(
        count(&answers, StatusCode::OK),
        everyone.len(),
        "{answers:?}"
    );
    let checks = app.state.login.checks();
    assert_eq!(checks.total(), everyone.len());
    assert!(
        (1..=2).contains(&checks.peak()),
        "at most 2 Argon2 runs at once, saw {}",
        checks.peak()
    );
}

#[tokio::test]
async fn when_no_password_check_comes_free_in_time_the_login_gets_503_and_costs_nothing() {
    let app = spawn_app_with(Settings {
        password_checks_at_once: 1,
        password_queue_secs: 1,
        ..Settings::default()
    })
    .await;
    let held = app.state.login.checks().hold().await;
    let response = app.login_raw(DG, "demo").await;
    assert_eq!(response.headers()["retry-after"], "1");
    assert_error(
        response,
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    // The attempt was given back: it counts against neither the account nor the address.
    let user = app.db.find_user_by_username(DG).await.unwrap().unwrap();
    assert_eq!(user.failed_logins, 0);
    drop(held);
    app.login(DG).await;
}

/// A device token's « last used » is written at most once a quarter of an hour: PCs pull every
/// minute, and a write per pull would be the server's largest write load (docs/scale.md).
#[tokio::test]
async fn last_used_is_written_once_a_quarter_of_an_hour_not_on_every_pull() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let hash = centrale_server::auth::token_hash(&token);
    let last_used = || async {
        let (row, _) = app.db.find_active_token(&hash).await.unwrap().unwrap();
        row.last_used_at
    };
    app.pull_page(&token, 0, Some(1)).await;
    let first = last_used().await.expect("written on first use");
    for _ in 0..14 {
        app.clock.advance(Duration::minutes(1));
        app.pull_page(&token, 0, Some(1)).await;
    }
    assert_eq!(last_used().await, Some(first), "14 pulls a minute apart");
    app.clock.advance(Duration::minutes(1));
    app.pull_page(&token, 0, Some(1)).await;
    assert_eq!(
        last_used().await,
        Some(first + centrale_server::auth::TOKEN_LAST_USED_PRECISION)
    );
}
