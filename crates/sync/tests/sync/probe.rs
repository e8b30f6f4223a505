//! First run: an address is tried before the app keeps it, and each way it can fail has its
//! own code (issue 13 §3). The certificate side is in `tls_trust.rs`
//! (a process of its own: it sets an environment variable).

use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use centrale_protocol::{HealthResponse, PROTOCOL_VERSION};
use centrale_sync::{probe, ProbeError};
use chrono::Utc;
use tokio::net::TcpListener;

const PATIENCE: Duration = Duration::from_secs(10);

fn health(min_protocol_version: u32) -> HealthResponse {
    HealthResponse {
        status: "ok".into(),
        server_version: "0.1.0".into(),
        protocol_version: PROTOCOL_VERSION,
        min_protocol_version,
        server_time: Utc::now(),
        database: "sqlite".into(),
    }
}

/// Serves `app` on a free local port; returns its address.
async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_centrale_server_is_accepted() {
    let url = serve(Router::new().route("/health", get(|| async { Json(health(1)) }))).await;
    let found = probe(&url, PATIENCE).await.unwrap();
    assert_eq!(found.protocol_version, PROTOCOL_VERSION);
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_an_unknown_host() {
    // `.invalid` never resolves (RFC 6761).
    let error = probe("https://centrale.exemple.invalid", PATIENCE)
        .await
        .unwrap_err();
    assert_eq!(
        error,
        ProbeError::UnknownHost {
            host: "centrale.exemple.invalid".into()
        }
    );
    assert_eq!(error.code(), "server_unknown_host");
}

#[tokio::test]
async fn a_port_nobody_listens_on_is_no_answer() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = probe(&format!("http://{addr}"), PATIENCE)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "server_no_answer");
    assert_eq!(error.host(), "127.0.0.1");
}

#[tokio::test]
async fn another_web_site_is_not_a_centrale_server() {
    let page = serve(Router::new().route(
        "/health",
        get(|| async { "<html>Bienvenue sur le site de la commune</html>" }),
    ))
    .await;
    assert_eq!(
        probe(&page, PATIENCE).await.unwrap_err().code(),
        "server_not_centrale"
    );
    let missing = serve(Router::new().route("/", get(|| async { "accueil" }))).await;
    assert_eq!(
        probe(&missing, PATIENCE).await.unwrap_err().code(),
        "server_not_centrale"
    );
    let failing = serve(Router::new().route(
        "/health",
        get(|| async { (StatusCode::BAD_GATEWAY, "proxy") }),
    ))
    .await;
    assert_eq!(
        probe(&failing, PATIENCE).await.unwrap_err().code(),
        "server_not_centrale"
    );
}

#[tokio::test]
async fn a_server_too_new_for_this_app_asks_for_the_update() {
    let url = serve(Router::new().route(
        "/health",
        get(|| async { Json(health(PROTOCOL_VERSION + 1)) }),
    ))
    .await;
    assert_eq!(
        probe(&url, PATIENCE).await.unwrap_err().code(),
        "update_needed"
    );
}
