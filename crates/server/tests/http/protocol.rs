//! The versioned protocol: health, the update-needed answer, the protocol header on every
//! response, and an OpenAPI description that matches the routes.

use crate::common;

use std::collections::BTreeSet;

use centrale_protocol::{HealthResponse, PROTOCOL_HEADER, PROTOCOL_VERSION};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Every route the server serves (method, path).
const KNOWN_ROUTES: [(&str, &str); 21] = [
    ("get", "/health"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/sync/pull"),
    ("post", "/api/v1/sync/push"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/mail/failed"),
    ("post", "/api/v1/mail/failed/{id}/retry"),
    ("get", "/api/v1/centrale/frameworks/tracking"),
    ("put", "/api/v1/framework-documents/{sha256}"),
    ("get", "/api/v1/framework-documents/{sha256}"),
    ("get", "/api/v1/orders/{id}/documents"),
    ("get", "/api/v1/orders/{id}/documents/{kind}"),
    ("get", "/api/v1/adhesions/{id}/documents"),
    ("get", "/api/v1/adhesions/{id}/documents/{kind}"),
    ("post", "/api/v1/account/second-factor"),
    ("post", "/api/v1/account/second-factor/confirm"),
    ("post", "/api/v1/account/second-factor/off"),
    ("get", "/api/v1/updates/{target}/{arch}/{current_version}"),
    (
        "get",
        "/api/v1/updates/files/{target}/{version}/{file_name}",
    ),
];

#[tokio::test]
async fn health_reports_versions_backend_and_server_time() {
    let app = spawn_app().await;
    let response = app.get("/health", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[PROTOCOL_HEADER].to_str().unwrap(),
        PROTOCOL_VERSION.to_string()
    );
    let health: HealthResponse = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    assert_eq!(health.server_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(health.protocol_version, 1);
    assert!(health.min_protocol_version <= health.protocol_version);
    assert_eq!(health.server_time, t0());
    let expected = match std::env::var("CENTRALE_TEST_BACKEND").as_deref() {
        Ok("postgres") | Ok("postgresql") => "postgres",
        _ => "sqlite",
    };
    assert_eq!(health.database, expected);
}

#[tokio::test]
async fn an_unsupported_protocol_header_gets_426_update_needed_on_every_route() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let mut paths: Vec<(Method, String)> = KNOWN_ROUTES
        .iter()
        .map(|(m, p)| {
            (
                Method::from_bytes(m.to_uppercase().as_bytes()).unwrap(),
                p.to_string(),
            )
        })
        .collect();
    paths.push((Method::GET, "/api/v1/sync/pull?cursor=0".into()));
    paths.push((Method::GET, "/nowhere".into()));
    for version in ["99", "0", "abc"] {
        for (method, path) in &paths {
            let response = app
                .http
                .request(method.clone(), app.url(path))
                .bearer_auth(&token)
                .header(PROTOCOL_HEADER, version)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let body = assert_error(response, StatusCode::UPGRADE_REQUIRED, "update_needed").await;
            assert_eq!(
                body["details"]["protocol_version"], PROTOCOL_VERSION,
                "{method} {path}"
            );
        }
    }
    // The current version passes.
    let ok = app
        .http
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_push_speaking_protocol_99_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let before = app.pull_all(&token).await;
    let order_id = uuid::Uuid::now_v7();
    let body = json!({
        "protocol_version": 99,
        "client_id": app.client_id,
        "mutations": [app.envelope(
            "order.create_draft",
            create_draft(order_id, "e-guichet", "Commande d'un client trop récent", eguichet_needs()),
            None,
        )],
    });
    let body = assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UPGRADE_REQUIRED,
        "update_needed",
    )
    .await;
    assert_eq!(body["details"]["client_version"], 99);
    let after = app.pull_all(&token).await;
    assert_eq!(before, after, "nothing changed");

    // And through the header with protocol 1 in the body: same refusal, nothing changed.
    let body = json!({
        "protocol_version": 1,
        "client_id": app.client_id,
        "mutations": [app.envelope(
            "order.create_draft",
            create_draft(order_id, "e-guichet", "Commande d'un client trop récent", eguichet_needs()),
            None,
        )],
    });
    let response = app
        .http
        .post(app.url("/api/v1/sync/push"))
        .bearer_auth(&token)
        .header(PROTOCOL_HEADER, "99")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::UPGRADE_REQUIRED, "update_needed").await;
    assert_eq!(app.pull_all(&token).await, before);
}

#[tokio::test]
async fn every_response_carries_the_protocol_header() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let push_ok = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": []});
    let requests = vec![
        app.http.get(app.url("/health")),
        app.http.get(app.url("/api/v1/openapi.json")),
        app.http.get(app.url("/api/v1/me")).bearer_auth(&token),
        app.http.get(app.url("/api/v1/me")),
        app.http
            .get(app.url("/api/v1/sync/pull?cursor=0"))
            .bearer_auth(&token),
        app.http
            .get(app.url("/api/v1/sync/pull?cursor=-1"))
            .bearer_auth(&token),
        app.http
            .post(app.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&push_ok),
        app.http
            .post(app.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{"),
        app.http.delete(app.url("/api/v1/me")),
        app.http.get(app.url("/does/not/exist")),
        app.http
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "x", "password": "y", "device": "z"})),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        let status = response.status();
        let url = response.url().clone();
        assert_eq!(
            response
                .headers()
                .get(PROTOCOL_HEADER)
                .map(|v| v.to_str().unwrap().to_string()),
            Some(PROTOCOL_VERSION.to_string()),
            "{status} {url}"
        );
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_get_json_404_and_405() {
    let app = spawn_app().await;
    assert_error(
        app.get("/api/v1/nothing", None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let response = app.http.delete(app.url("/health")).send().await.unwrap();
    assert_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_routes_that_answer() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.expect("the OpenAPI document is JSON");
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string());
    let paths = doc["paths"].as_object().expect("paths");

    // Every operation described answers (neither 404 nor 405), even without auth or body.
    let mut described = BTreeSet::new();
    for (path, item) in paths {
        let item = item.as_object().unwrap();
        for method in ["get", "post", "put", "patch", "delete"] {
            if !item.contains_key(method) {
                continue;
            }
            described.insert((method.to_string(), path.clone()));
            let response = app
                .http
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    app.url(path),
                )
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(
                status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is described but answers {status}"
            );
        }
    }

    // The routes and the description agree.
    let known: BTreeSet<(String, String)> = KNOWN_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        described, known,
        "the OpenAPI paths and the served routes differ"
    );

    // Every known route answers too (the list above is not stale).
    for (method, path) in KNOWN_ROUTES {
        let response = app
            .http
            .request(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                app.url(path),
            )
            .send()
            .await
            .unwrap();
        let status = response.status();
        assert!(
            status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} answers {status}"
        );
    }

    // Protected operations declare the bearer scheme.
    for (method, path) in [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/sync/pull"),
        ("post", "/api/v1/sync/push"),
        ("put", "/api/v1/framework-documents/{sha256}"),
        ("get", "/api/v1/framework-documents/{sha256}"),
    ] {
        assert!(
            doc["paths"][path][method]["security"].is_array(),
            "{method} {path} should declare its bearer security"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

#[tokio::test]
async fn the_openapi_document_puts_the_pull_parameters_in_the_query_and_lists_the_refusals() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .expect("the OpenAPI document is JSON");
    let parameters = doc["paths"]["/api/v1/sync/pull"]["get"]["parameters"]
        .as_array()
        .expect("pull has parameters");
    let placed: BTreeSet<(String, String, bool)> = parameters
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["in"].as_str().unwrap().to_string(),
                p["required"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        placed,
        BTreeSet::from([
            ("cursor".to_string(), "query".to_string(), true),
            ("limit".to_string(), "query".to_string(), false),
        ])
    );
    // The answers a client must handle are described where they happen.
    for (method, path, statuses) in [
        (
            "post",
            "/api/v1/auth/login",
            &["400", "415", "422", "429", "503"][..],
        ),
        (
            "post",
            "/api/v1/sync/push",
            &["400", "413", "415", "422"][..],
        ),
        ("get", "/api/v1/sync/pull", &["401", "422"][..]),
    ] {
        let responses = &doc["paths"][path][method]["responses"];
        for status in statuses {
            assert!(
                responses[status].is_object(),
                "{method} {path} does not describe {status}: {responses}"
            );
        }
    }
}
