//! Bad input of every sort gets a clear French error, and loses nothing already saved.

use crate::common;

use centrale_protocol::records::RecordKind;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

async fn post_text(app: &TestApp, token: &str, body: String) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn malformed_json_is_a_400_malformed_request() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    for body in ["{", "not json", "{\"protocol_version\": 1,}", ""] {
        assert_error(
            post_text(&app, &token, body.to_string()).await,
            StatusCode::BAD_REQUEST,
            "malformed_request",
        )
        .await;
    }
    // Malformed login bodies too.
    let response = app
        .http
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    assert_error(response, StatusCode::BAD_REQUEST, "malformed_request").await;
    // Without a JSON content type.
    let response = app
        .http
        .post(app.url("/api/v1/sync/push"))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "malformed_request",
    )
    .await;
}

#[tokio::test]
async fn wrong_types_are_a_422() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let bad_seq = json!({
        "protocol_version": 1,
        "client_id": Uuid::now_v7(),
        "mutations": [{"mutation_id": Uuid::now_v7(), "client_seq": "x", "name": "order.submit",
                       "payload": {"order_id": Uuid::now_v7()}}],
    });
    let body = assert_error(
        app.push_raw(&token, &bad_seq).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
    assert!(
        body["message"].as_str().unwrap().contains("client_seq"),
        "{body}"
    );
    for bad in [
        json!({"protocol_version": "1", "client_id": Uuid::now_v7(), "mutations": []}),
        json!({"protocol_version": 1, "client_id": "pas-un-uuid", "mutations": []}),
        json!({"protocol_version": 1, "client_id": Uuid::now_v7()}),
        json!({"protocol_version": 1, "client_id": Uuid::now_v7(), "mutations": {}}),
        json!([1, 2, 3]),
    ] {
        assert_error(
            app.push_raw(&token, &bad).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        )
        .await;
    }
    // A payload of the wrong shape: the whole batch is refused, naming the culprit.
    let good = app.envelope(
        "order.create_draft",
        create_draft(
            Uuid::now_v7(),
            "e-guichet",
            "Bonne commande",
            eguichet_needs(),
        ),
        None,
    );
    let bad = app.envelope("order.submit", json!({"order_id": 42}), None);
    let body = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": [good, bad.clone()]});
    let before = app.pull_all(&token).await;
    let err = assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
    assert_eq!(err["details"]["mutation_id"], bad.mutation_id.to_string());
    assert_eq!(err["details"]["name"], "order.submit");
    assert_eq!(
        app.pull_all(&token).await,
        before,
        "nothing of the batch was applied"
    );
    // Unknown fields are refused as well (payloads are strict).
    let extra = app.envelope(
        "order.submit",
        json!({"order_id": Uuid::now_v7(), "force": true}),
        None,
    );
    let body = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": [extra]});
    assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_mutation_is_a_422_naming_it() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let good = app.envelope(
        "order.create_draft",
        create_draft(
            Uuid::now_v7(),
            "e-guichet",
            "Bonne commande",
            eguichet_needs(),
        ),
        None,
    );
    let unknown = app.envelope("order.explode", json!({}), None);
    let body = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": [good, unknown.clone()]});
    let before = app.pull_all(&token).await;
    let err = assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_mutation",
    )
    .await;
    assert_eq!(
        err["details"]["mutation_id"],
        unknown.mutation_id.to_string()
    );
    assert!(err["message"].as_str().unwrap().contains("order.explode"));
    assert_eq!(app.pull_all(&token).await, before);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let big = "x".repeat(centrale_protocol::MAX_BODY_BYTES + 1024);
    let body = json!({
        "protocol_version": 1,
        "client_id": app.client_id,
        "mutations": [app.envelope(
            "order.create_draft",
            create_draft(Uuid::now_v7(), "e-guichet", "Grosse commande", json!({"description": big, "lines": []})),
            None,
        )],
    });
    let err = assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
    )
    .await;
    assert_eq!(
        err["details"]["max_bytes"],
        centrale_protocol::MAX_BODY_BYTES
    );
    // Too many mutations in one batch.
    let many: Vec<_> = (0..centrale_protocol::MAX_PUSH_BATCH + 1)
        .map(|_| app.envelope("order.submit", json!({"order_id": Uuid::now_v7()}), None))
        .collect();
    let body = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": many});
    assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_mutations",
    )
    .await;
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_invalid_enterprise_number_is_refused_in_french() {
    let app = spawn_app().await;
    let token = app.token(CENTRALE).await;
    let body = json!({
        "protocol_version": 1,
        "client_id": app.client_id,
        "mutations": [app.envelope("provider.register", json!({
            "provider_id": Uuid::now_v7(),
            "short_name": "fauxnum",
            "name": "Faux Numéro SRL",
            "enterprise_number": "0123.456.748",
            "address": "Rue du Test 1, 6700 Arlon",
            "contact_email": "offres@fauxnum.example",
        }), None)],
    });
    let err = assert_error(
        app.push_raw(&token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    )
    .await;
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("numéro d'entreprise"),
        "{}",
        err["message"]
    );
    // A valid number with the same shape is accepted.
    let id = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "provider.register",
        json!({
            "provider_id": id,
            "short_name": "vrainum",
            "name": "Vrai Numéro SRL",
            "enterprise_number": "0123.456.650",
            "address": "Rue du Test 1, 6700 Arlon",
            "contact_email": "offres@vrainum.example",
        }),
    )
    .await;
    // The seed's numbers are taken: a second provider with the same number is refused.
    app.reject(
        CENTRALE,
        "provider.register",
        json!({
            "provider_id": Uuid::now_v7(),
            "short_name": "copie",
            "name": "Copie SA",
            "enterprise_number": "0123.456.749",
            "address": "Rue du Test 2, 6700 Arlon",
            "contact_email": "offres@copie.example",
        }),
        "duplicate_enterprise_number",
    )
    .await;
}

#[tokio::test]
async fn sql_and_script_fragments_are_stored_and_returned_verbatim() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let before = app.pull_all(&token).await.len();
    let titles = [
        "'); DROP TABLE records;--",
        "<script>alert(1)</script>",
        "Robert'); DELETE FROM users; -- « été » \u{1F600}",
        "Titre avec un caractère nul \u{0} au milieu",
    ];
    let mut ids = Vec::new();
    for title in titles {
        let id = Uuid::now_v7();
        let mut needs = eguichet_needs();
        needs["description"] = json!(format!("{title} \\ \" %s %n ${{x}}"));
        app.apply(
            DG,
            "order.create_draft",
            create_draft(id, "e-guichet", title, needs.clone()),
        )
        .await;
        ids.push((id, title, needs));
    }
    let changes = app.pull_all(&token).await;
    assert_eq!(
        changes.len(),
        before + titles.len(),
        "tables intact: the seed is still there"
    );
    let view = View::of(&changes);
    for (id, title, needs) in ids {
        let order = view.get(RecordKind::Order, id).unwrap();
        assert_eq!(order["title"], title);
        assert_eq!(order["needs"]["description"], needs["description"]);
    }
    // Logins still work (the users table is intact) and the server is healthy.
    app.login(AGENT).await;
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_cursors_are_a_422_and_the_server_stays_healthy() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    for query in [
        "cursor=-1",
        "cursor=abc",
        "",
        "cursor=1&limit=-5",
        "cursor=99999999999999999999",
    ] {
        let response = app
            .get(&format!("/api/v1/sync/pull?{query}"), Some(&token))
            .await;
        let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(
            body["details"]["fields"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("cursor")),
            "{query}"
        );
    }
    // A limit out of range is clamped, not an error.
    let page = app.pull_page(&token, 0, Some(0)).await;
    assert_eq!(page.changes.len(), 1);
    let page = app.pull_page(&token, 0, Some(1_000_000)).await;
    assert!(!page.has_more);
    // A cursor beyond the end: nothing, and the cursor stays.
    let page = app.pull_page(&token, 1_000_000, None).await;
    assert!(page.changes.is_empty());
    assert_eq!(page.next_cursor, 1_000_000);
    let health: Value = app.get("/health", None).await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn domain_validation_errors_name_the_field_in_french() {
    let app = spawn_app().await;
    let result = app
        .reject(
            DG,
            "order.create_draft",
            create_draft(Uuid::now_v7(), "e-guichet", "   ", eguichet_needs()),
            "order_title_invalid",
        )
        .await;
    assert_eq!(result.details["field"], "title");
    let mut needs = eguichet_needs();
    needs["lines"][1]["quantity"] = json!("0");
    let result = app
        .reject(
            DG,
            "order.create_draft",
            create_draft(Uuid::now_v7(), "e-guichet", "Quantité nulle", needs),
            "quantity_not_positive",
        )
        .await;
    assert_eq!(result.details["field"], "needs.lines[1].quantity");
    let mut needs = eguichet_needs();
    needs["lines"][0]["price_line_code"] = json!("inconnue");
    let result = app
        .reject(
            DG,
            "order.create_draft",
            create_draft(Uuid::now_v7(), "e-guichet", "Ligne inconnue", needs),
            "price_line_unknown",
        )
        .await;
    assert_eq!(result.details["field"], "needs.lines[0].price_line_code");
    // An unknown service is « introuvable ».
    app.reject(
        DG,
        "order.create_draft",
        json!({"order_id": Uuid::now_v7(), "service_id": Uuid::now_v7(), "title": "X", "needs": eguichet_needs()}),
        "not_found",
    )
    .await;
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_request_head_is_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(centrale_server::Settings {
        header_read_timeout_secs: 1,
        ..centrale_server::Settings::default()
    })
    .await;
    let address = app.base.trim_start_matches("http://").to_string();
    // A head that never ends (slowloris), and a connection that says nothing at all.
    for opening in [
        &b"GET /health HTTP/1.1\r\nHost: centrale\r\nX-Lent: "[..],
        b"",
    ] {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(opening).await.unwrap();
        let mut rest = Vec::new();
        // The server closes it after its 1 s header timeout; a few seconds is the bound.
        let closed = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut rest),
        )
        .await;
        assert!(
            closed.is_ok(),
            "the server kept a connection open with an unfinished request head"
        );
    }
    // A whole request is still answered.
    assert_eq!(app.get("/health", None).await.status(), StatusCode::OK);
}
