//! What the server's benches share: their fixed time, signing in, one pull page, one push.
#![allow(dead_code, reason = "each bench uses a part of it")]

use centrale_protocol::{
    LoginRequest, LoginResponse, MutationEnvelope, MutationStatus, PullResponse, PushRequest,
    PushResponse, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use chrono::{DateTime, TimeZone, Utc};
use uuid::Uuid;

/// The benches' server time.
pub fn bench_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0)
        .single()
        .expect("valid bench time")
}

/// Signs `username` in with the demo password; its token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .json(&LoginRequest {
            username: username.to_string(),
            password: "demo".to_string(),
            device: "Banc d'essai".to_string(),
        })
        .send()
        .await
        .expect("login request");
    assert!(
        response.status().is_success(),
        "login of {username}: {}",
        response.status()
    );
    let login: LoginResponse = response.json().await.expect("login response");
    login.token
}

/// One pull page from `cursor` (1,000 changes at most).
pub async fn pull(client: &reqwest::Client, base: &str, token: &str, cursor: i64) -> PullResponse {
    let response = client
        .get(format!(
            "{base}/api/v1/sync/pull?cursor={cursor}&limit=1000"
        ))
        .bearer_auth(token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .send()
        .await
        .expect("pull request");
    assert!(
        response.status().is_success(),
        "pull: {}",
        response.status()
    );
    response.json().await.expect("pull response")
}

/// Pushes one batch; panics unless every mutation is applied (a figure of refused mutations
/// would mean nothing).
pub async fn push_applied(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    client_id: Uuid,
    mutations: Vec<MutationEnvelope>,
) {
    let count = mutations.len();
    let response = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
        .json(&PushRequest {
            protocol_version: PROTOCOL_VERSION,
            client_id,
            mutations,
        })
        .send()
        .await
        .expect("push request");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "push failed ({status}): {text}");
    let pushed: PushResponse = serde_json::from_str(&text).expect("push response");
    assert_eq!(
        pushed.results.len(),
        count,
        "push answered {} results for {count} mutations",
        pushed.results.len()
    );
    if let Some(bad) = pushed
        .results
        .iter()
        .find(|r| r.status != MutationStatus::Applied)
    {
        panic!(
            "a mutation was not applied: {:?} {:?}",
            bad.code, bad.message
        );
    }
}
