//! Issue 17 point 9: acts with legal weight on a password alone. An account turns on a second
//! factor (TOTP, RFC 6238, with recovery codes); the server then asks its code for the acts that
//! sign, award, countersign or submit an offer — also when they were made offline and arrive
//! later — and the centrale's staff must have one. Through the real API with the test clock; on
//! SQLite, and on PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::{
    MutationResult, MutationStatus, SecondFactorEnabled, SecondFactorProof, SecondFactorSetup,
};
use centrale_server::second_factor::{code_at, demo_secret};
use centrale_server::Clock;
use chrono::{DateTime, Duration, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// The `adhesion.sign` payload the bourgmestre of `nis` still has to sign.
async fn waiting_for_the_mayor(app: &TestApp, nis: &str) -> Value {
    let (id, sha) = signed_by_the_dg(app, nis).await;
    json!({"adhesion_id": id, "text_sha256": sha})
}

/// The same, signed by the bourgmestre too (who has no second factor): waiting for the
/// centrale's countersignature.
async fn waiting_for_the_centrale(app: &TestApp, nis: &str) -> Value {
    let sign = waiting_for_the_mayor(app, nis).await;
    app.apply(&format!("bourgmestre.{nis}"), "adhesion.sign", sign.clone())
        .await;
    sign
}

/// Pushes one act as `username` from `client` with the proof given (or none).
async fn act_with(
    app: &TestApp,
    username: &str,
    client: Uuid,
    name: &str,
    payload: Value,
    proof: Option<SecondFactorProof>,
) -> MutationResult {
    let token = app.token(username).await;
    let mut envelope = app.envelope(name, payload, None);
    envelope.second_factor = proof;
    app.push_envelopes(&token, client, vec![envelope])
        .await
        .results
        .remove(0)
}

fn proof(code: String, typed_at: DateTime<Utc>) -> Option<SecondFactorProof> {
    Some(SecondFactorProof { code, typed_at })
}

fn refused(result: &MutationResult, code: &str) {
    assert_eq!(
        (result.status, result.code.as_deref()),
        (MutationStatus::Rejected, Some(code)),
        "{:?}",
        result.message
    );
    assert_french(result.message.as_deref().unwrap_or(""));
}

fn applied(result: &MutationResult) {
    assert_eq!(
        result.status,
        MutationStatus::Applied,
        "{:?} {:?}",
        result.code,
        result.message
    );
}

async fn post(app: &TestApp, username: &str, path: &str, body: Value) -> reqwest::Response {
    let token = app.token(username).await;
    app.http
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Turns the second factor on for `username` as the app does; returns its secret and recovery
/// codes. The confirming code's step is spent: the clock moves to the next one.
async fn turn_on(app: &TestApp, username: &str) -> (String, Vec<String>) {
    let response = post(app, username, "/api/v1/account/second-factor", json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let setup: SecondFactorSetup = response.json().await.unwrap();
    assert!(
        setup.otpauth_uri.contains(username),
        "{}",
        setup.otpauth_uri
    );
    assert!(setup.qr_svg.starts_with("<?xml") || setup.qr_svg.contains("<svg"));
    let secret = setup.secret.replace(' ', "");
    let response = post(
        app,
        username,
        "/api/v1/account/second-factor/confirm",
        json!({"code": code_at(&secret, app.clock.now())}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let enabled: SecondFactorEnabled = response.json().await.unwrap();
    app.clock.advance(Duration::seconds(30));
    (secret, enabled.recovery_codes)
}

async fn me_has_second_factor(app: &TestApp, username: &str) -> bool {
    let token = app.token(username).await;
    let me: Value = app
        .get("/api/v1/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    me["user"]["second_factor"].as_bool().unwrap()
}

/// The bourgmestre turns the second factor on: a wrong code does not turn it on; the right one
/// does and gives ten recovery codes; from then, signing asks for the code, checked by the
/// server (right, wrong, reused from another PC, from the same PC again).
#[tokio::test]
async fn issue_17_9_a_mayor_turns_the_second_factor_on_and_signs_with_its_code() {
    let app = spawn_app().await;
    let sign = waiting_for_the_mayor(&app, "84009").await;
    assert!(!me_has_second_factor(&app, MAYOR).await);

    // Confirming needs the application's code of now.
    let response = post(&app, MAYOR, "/api/v1/account/second-factor", json!({})).await;
    let setup: SecondFactorSetup = response.json().await.unwrap();
    let secret = setup.secret.replace(' ', "");
    let wrong = post(
        &app,
        MAYOR,
        "/api/v1/account/second-factor/confirm",
        json!({"code": code_at(&secret, app.clock.now() - Duration::minutes(5))}),
    )
    .await;
    assert_error(
        wrong,
        StatusCode::UNPROCESSABLE_ENTITY,
        "second_factor_wrong",
    )
    .await;
    assert!(!me_has_second_factor(&app, MAYOR).await);
    let malformed = post(
        &app,
        MAYOR,
        "/api/v1/account/second-factor/confirm",
        json!({"code": "12 34"}),
    )
    .await;
    assert_error(
        malformed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "second_factor_code_malformed",
    )
    .await;
    let ok = post(
        &app,
        MAYOR,
        "/api/v1/account/second-factor/confirm",
        json!({"code": code_at(&secret, app.clock.now())}),
    )
    .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let enabled: SecondFactorEnabled = ok.json().await.unwrap();
    assert_eq!(enabled.recovery_codes.len(), 10);
    assert!(me_has_second_factor(&app, MAYOR).await);
    // Asking again does not replace a second factor that is on.
    let again = post(&app, MAYOR, "/api/v1/account/second-factor", json!({})).await;
    assert_error(
        again,
        StatusCode::UNPROCESSABLE_ENTITY,
        "second_factor_already_on",
    )
    .await;

    let pc = Uuid::now_v7();
    // Without a code, then with a wrong one: refused, nothing signed.
    let r = act_with(&app, MAYOR, pc, "adhesion.sign", sign.clone(), None).await;
    refused(&r, "second_factor_required");
    let now = app.clock.now();
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, now - Duration::minutes(3)), now),
    )
    .await;
    refused(&r, "second_factor_wrong");
    // The confirming code served already: its step is spent.
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, now), now),
    )
    .await;
    refused(&r, "second_factor_reused");
    let adhesion = sign["adhesion_id"].as_str().unwrap().to_string();
    assert_eq!(
        app.state_of(DG)
            .await
            .get(RecordKind::Adhesion, &adhesion)
            .unwrap()["status"],
        "draft"
    );

    // The next code signs.
    app.clock.advance(Duration::seconds(30));
    let now = app.clock.now();
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, now), now),
    )
    .await;
    applied(&r);
    assert_eq!(
        app.state_of(DG)
            .await
            .get(RecordKind::Adhesion, &adhesion)
            .unwrap()["status"],
        "signed_by_commune"
    );
}

/// An act signed offline arrives later with the code typed then: accepted within a week of the
/// code, refused after (made again with a new code), refused when the PC's clock was ahead.
#[tokio::test]
async fn issue_17_9_an_act_signed_offline_is_checked_when_it_arrives() {
    let app = spawn_app().await;
    let (secret, _) = turn_on(&app, MAYOR).await;
    let pc = Uuid::now_v7();

    // Typed eight days ago: too old.
    let sign = waiting_for_the_mayor(&app, "84009").await;
    let typed = app.clock.now() - Duration::days(8);
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, typed), typed),
    )
    .await;
    refused(&r, "second_factor_expired");
    assert!(r.message.unwrap().contains("7 jours"));
    // A PC whose clock is ten minutes ahead.
    let typed = app.clock.now() + Duration::minutes(10);
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, typed), typed),
    )
    .await;
    refused(&r, "second_factor_clock_ahead");
    // Typed two days ago in a town hall without network, sent now: signed.
    let typed = app.clock.now() - Duration::days(2);
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign,
        proof(code_at(&secret, typed), typed),
    )
    .await;
    applied(&r);
}

/// Five wrong codes make the account wait, like failed logins; a recovery code replaces a
/// code once; the second factor is turned off with a code or a recovery code.
#[tokio::test]
async fn issue_17_9_wrong_codes_make_the_account_wait_and_recovery_codes_serve_once() {
    let app = spawn_app().await;
    let (secret, recovery) = turn_on(&app, MAYOR).await;
    let pc = Uuid::now_v7();
    let now = app.clock.now();
    let sign = waiting_for_the_mayor(&app, "84009").await;

    // Five wrong codes (one a recovery code the account never had): the sixth attempt waits,
    // even with the right code.
    let mut wrong: Vec<String> = (1..=4)
        .map(|minutes| code_at(&secret, now - Duration::minutes(minutes)))
        .collect();
    wrong.push("ABCD-EFGH".into());
    for code in wrong {
        let r = act_with(
            &app,
            MAYOR,
            pc,
            "adhesion.sign",
            sign.clone(),
            proof(code, now),
        )
        .await;
        refused(&r, "second_factor_wrong");
    }
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign.clone(),
        proof(code_at(&secret, now), now),
    )
    .await;
    refused(&r, "second_factor_locked");

    // Half a minute later, a recovery code (typed in lower case) signs.
    app.clock.advance(Duration::seconds(31));
    let r = act_with(
        &app,
        MAYOR,
        pc,
        "adhesion.sign",
        sign,
        proof(recovery[0].to_lowercase(), app.clock.now()),
    )
    .await;
    applied(&r);

    // It does not serve twice; another one turns the second factor off.
    let used = post(
        &app,
        MAYOR,
        "/api/v1/account/second-factor/off",
        json!({"code": recovery[0]}),
    )
    .await;
    assert_error(
        used,
        StatusCode::UNPROCESSABLE_ENTITY,
        "second_factor_wrong",
    )
    .await;
    assert!(me_has_second_factor(&app, MAYOR).await);
    let off = post(
        &app,
        MAYOR,
        "/api/v1/account/second-factor/off",
        json!({"code": recovery[1]}),
    )
    .await;
    assert_eq!(off.status(), StatusCode::NO_CONTENT);
    assert!(!me_has_second_factor(&app, MAYOR).await);
}

/// The centrale's staff must have a second factor: the demo's has one; its countersignature
/// is refused without its code; a code serves once (the same code from another PC is a replay,
/// RFC 6238 §5.2), but the same PC may sign two acts in a row with it; it cannot be turned off;
/// an account whose second factor the administrator reset is told to turn it on again.
#[tokio::test]
async fn issue_17_9_the_centrales_staff_countersign_with_their_second_factor() {
    let app = spawn_app().await;
    assert!(me_has_second_factor(&app, CENTRALE).await);
    let first = waiting_for_the_centrale(&app, "84077").await;
    let second = waiting_for_the_centrale(&app, "81001").await;
    let third = waiting_for_the_centrale(&app, "83034").await;
    let (pc, other_pc) = (Uuid::now_v7(), Uuid::now_v7());
    let r = act_with(
        &app,
        CENTRALE,
        pc,
        "adhesion.countersign",
        first.clone(),
        None,
    )
    .await;
    refused(&r, "second_factor_required");

    let now = app.clock.now();
    let code = code_at(&demo_secret(CENTRALE), now);
    let r = act_with(
        &app,
        CENTRALE,
        pc,
        "adhesion.countersign",
        first.clone(),
        proof(code.clone(), now),
    )
    .await;
    applied(&r);
    let r = act_with(
        &app,
        CENTRALE,
        other_pc,
        "adhesion.countersign",
        second.clone(),
        proof(code.clone(), now),
    )
    .await;
    refused(&r, "second_factor_reused");
    app.clock.advance(Duration::minutes(1));
    let r = act_with(
        &app,
        CENTRALE,
        pc,
        "adhesion.countersign",
        second,
        proof(code, now),
    )
    .await;
    applied(&r);

    let off = post(
        &app,
        CENTRALE,
        "/api/v1/account/second-factor/off",
        json!({"code": code_at(&demo_secret(CENTRALE), app.clock.now())}),
    )
    .await;
    assert_error(
        off,
        StatusCode::UNPROCESSABLE_ENTITY,
        "second_factor_stays_on",
    )
    .await;

    // Reset (the administrator's act, `centrale-server user reset-second-factor`).
    let user = app
        .db
        .find_user_by_username(CENTRALE)
        .await
        .unwrap()
        .unwrap();
    assert!(app.db.turn_off_second_factor(&user.id).await.unwrap());
    app.clock.advance(Duration::minutes(1));
    let now = app.clock.now();
    let r = act_with(
        &app,
        CENTRALE,
        pc,
        "adhesion.countersign",
        third.clone(),
        proof(code_at(&demo_secret(CENTRALE), now), now),
    )
    .await;
    refused(&r, "second_factor_not_set_up");
    let (secret, _) = turn_on(&app, CENTRALE).await;
    let now = app.clock.now();
    applied(
        &act_with(
            &app,
            CENTRALE,
            pc,
            "adhesion.countersign",
            third,
            proof(code_at(&secret, now), now),
        )
        .await,
    );
    // Acts that sign nothing go on without a code.
    applied(
        &act_with(
            &app,
            CENTRALE,
            pc,
            "adhesion.activate",
            json!({"adhesion_id": first["adhesion_id"]}),
            None,
        )
        .await,
    );
}
