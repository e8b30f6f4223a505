//! The API answers as its OpenAPI document says (issue 17 point 6): every request a client
//! makes here is checked against the document's request schema, and every answer's status must
//! be one the document lists for that operation, with a body its schema accepts. The schemas
//! are read from the served document and applied by a JSON Schema validator (draft 2020-12,
//! which OpenAPI 3.1 uses), so a client generated from the document can talk to the server.

use crate::common;

use centrale_protocol::PROTOCOL_VERSION;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

/// The served OpenAPI document and the checks it allows.
struct Contract {
    doc: Value,
}

impl Contract {
    async fn of(app: &TestApp) -> Contract {
        let doc = app
            .get("/api/v1/openapi.json", None)
            .await
            .json()
            .await
            .expect("the OpenAPI document is JSON");
        Contract { doc }
    }

    /// A validator of `schema`, whose `$ref`s point into the document's components.
    fn validator(&self, schema: &Value) -> jsonschema::Validator {
        let mut root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.doc["components"],
        });
        for (key, value) in schema.as_object().expect("a schema is an object") {
            root[key] = value.clone();
        }
        jsonschema::draft202012::new(&root)
            .unwrap_or_else(|e| panic!("the document's schema {schema} does not compile: {e}"))
    }

    /// The errors of `instance` against `schema` (empty when it conforms).
    fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn operation(&self, method: &Method, path: &str) -> &Value {
        let operation = &self.doc["paths"][path][method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {path} is not in the document"
        );
        operation
    }

    /// The JSON schema of a named component.
    fn component(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// Sends a request as a generated client would, and checks both sides against the
    /// document. Returns the status and the body (JSON, or null when empty).
    async fn exchange(
        &self,
        app: &TestApp,
        method: Method,
        path_and_query: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let path = path_and_query.split('?').next().unwrap();
        let operation = self.operation(&method, path).clone();
        if let Some(body) = body {
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            assert!(
                schema.is_object(),
                "{method} {path} takes a body the document does not describe"
            );
            let errors = self.errors(schema, body);
            assert!(
                errors.is_empty(),
                "the request to {method} {path} does not match the document: {errors:?}\n{body}"
            );
        }
        let mut request = app.http.request(method.clone(), app.url(path_and_query));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.check_answer(&operation, &method, path, request.send().await.unwrap())
            .await
    }

    /// Checks an answer of `method path` against the operation's documented responses.
    async fn check_answer(
        &self,
        operation: &Value,
        method: &Method,
        path: &str,
        response: reqwest::Response,
    ) -> (StatusCode, Value) {
        let status = response.status();
        let text = response.text().await.unwrap();
        let described = &operation["responses"][status.as_str()];
        assert!(
            described.is_object(),
            "{method} {path} answered {status}, which the document does not list: {text}"
        );
        let body: Value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path} {status}: not JSON ({e}): {text}"))
        };
        let schema = &described["content"]["application/json"]["schema"];
        if schema.is_object() {
            let errors = self.errors(schema, &body);
            assert!(
                errors.is_empty(),
                "{method} {path} {status} does not match the document: {errors:?}\n{text}"
            );
        } else {
            assert!(
                body.is_null(),
                "{method} {path} {status} has a body the document does not describe: {text}"
            );
        }
        (status, body)
    }

    /// Sends a raw body (not JSON, or without its content type) and checks the answer.
    async fn exchange_raw(
        &self,
        app: &TestApp,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: &'static str,
    ) -> StatusCode {
        let operation = self.operation(&Method::POST, path).clone();
        let mut request = app.http.post(app.url(path)).body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        self.check_answer(&operation, &Method::POST, path, response)
            .await
            .0
    }

    fn push_body(envelopes: Vec<Value>) -> Value {
        json!({"protocol_version": PROTOCOL_VERSION, "client_id": Uuid::now_v7(),
               "mutations": envelopes})
    }

    fn envelope(seq: i64, name: &str, payload: Value) -> Value {
        json!({"mutation_id": Uuid::now_v7(), "client_seq": seq, "name": name,
               "payload": payload})
    }
}

#[tokio::test]
async fn the_api_answers_as_its_openapi_document_says() {
    let app = spawn_app().await;
    let contract = Contract::of(&app).await;
    let login = |username: &str, password: &str| json!({"username": username, "password": password, "device": "PC de test"});

    // Server and document.
    let (status, _) = contract
        .exchange(&app, Method::GET, "/health", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = contract
        .exchange(&app, Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::OK);

    // Logging in, and its refusals.
    let (status, body) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&login(DG, centrale_server::seed::DEMO_PASSWORD)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token = body["token"].as_str().unwrap().to_string();
    let (status, _) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&login(DG, "pas le bon mot de passe")),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&login("  ", "x")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let status = contract
        .exchange_raw(
            &app,
            "/api/v1/auth/login",
            None,
            Some("application/json"),
            "{",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let status = contract
        .exchange_raw(&app, "/api/v1/auth/login", None, None, "{}")
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Who is connected.
    let (status, body) = contract
        .exchange(&app, Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(
        (status, body["user"]["username"].as_str()),
        (StatusCode::OK, Some(DG))
    );
    let (status, _) = contract
        .exchange(&app, Method::GET, "/api/v1/me", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A competition run through the API, then every account's pull page by page.
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let nuagix = app.token(NUAGIX).await;
    let offer = offer_payload(
        Uuid::now_v7(),
        &competition.invitation_id("nuagix"),
        150_000,
        2_000,
    );
    let (status, body) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/sync/push",
            Some(&nuagix),
            Some(&Contract::push_body(vec![Contract::envelope(
                1,
                "offer.submit",
                offer,
            )])),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
    for username in [DG, CENTRALE, NUAGIX, CIVITECH] {
        let account = app.token(username).await;
        let mut cursor = 0;
        loop {
            let (status, page) = contract
                .exchange(
                    &app,
                    Method::GET,
                    &format!("/api/v1/sync/pull?cursor={cursor}&limit=50"),
                    Some(&account),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK);
            cursor = page["next_cursor"].as_i64().unwrap();
            if !page["has_more"].as_bool().unwrap() {
                break;
            }
        }
    }
    for bad in ["cursor=-1", "cursor=x", "limit=3"] {
        let (status, _) = contract
            .exchange(
                &app,
                Method::GET,
                &format!("/api/v1/sync/pull?{bad}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }

    // Writes: applied, rejected and in conflict, each answer as described.
    let order_id = Uuid::now_v7();
    let draft = create_draft(
        order_id,
        "e-guichet",
        "E-guichet (contrat d'API)",
        eguichet_needs(),
    );
    let (status, body) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/sync/push",
            Some(&token),
            Some(&Contract::push_body(vec![
                Contract::envelope(1, "order.create_draft", draft),
                Contract::envelope(2, "order.submit", submit(Uuid::now_v7())),
            ])),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
    assert_eq!(body["results"][1]["status"], "rejected", "{body}");
    let mut stale = Contract::envelope(
        3,
        "order.update_draft",
        json!({"order_id": order_id, "title": "Titre changé ailleurs", "needs": eguichet_needs()}),
    );
    stale["base_version"] = json!(0);
    let (status, body) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/sync/push",
            Some(&token),
            Some(&Contract::push_body(vec![stale])),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["results"][0]["status"], "conflict", "{body}");

    // The push's refusals of the whole request.
    let status = contract
        .exchange_raw(
            &app,
            "/api/v1/sync/push",
            Some(&token),
            Some("application/json"),
            "{",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let status = contract
        .exchange_raw(&app, "/api/v1/sync/push", Some(&token), None, "{}")
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut old_client = Contract::push_body(vec![]);
    old_client["protocol_version"] = json!(0);
    let (status, _) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/sync/push",
            Some(&token),
            Some(&old_client),
        )
        .await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);

    // The centrale's failed e-mail, refused to a commune.
    let centrale = app.token(CENTRALE).await;
    let (status, _) = contract
        .exchange(
            &app,
            Method::GET,
            "/api/v1/mail/failed",
            Some(&centrale),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = contract
        .exchange(&app, Method::GET, "/api/v1/mail/failed", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Logging out, then the token is refused.
    let (status, _) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/auth/logout",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = contract
        .exchange(
            &app,
            Method::POST,
            "/api/v1/auth/logout",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_document_says_what_each_mutation_takes() {
    let app = spawn_app().await;
    let contract = Contract::of(&app).await;
    let push = Contract::component("PushRequest");
    let one = |name: &str, payload: Value| {
        Contract::push_body(vec![Contract::envelope(1, name, payload)])
    };

    // Every mutation name is described, each with its own payload schema.
    let variants = contract.doc["components"]["schemas"]["MutationEnvelope"]["oneOf"]
        .as_array()
        .expect("the envelope is one of the mutations");
    let names: Vec<&str> = variants
        .iter()
        .map(|v| v["properties"]["name"]["enum"][0].as_str().unwrap())
        .collect();
    assert_eq!(names, centrale_protocol::mutations::MUTATION_NAMES);
    for variant in variants {
        let payload = variant["properties"]["payload"]["$ref"]
            .as_str()
            .expect("a payload names its schema");
        let name = payload.trim_start_matches("#/components/schemas/");
        assert!(
            contract.doc["components"]["schemas"][name].is_object(),
            "{payload} is not in the components"
        );
    }

    // A well-formed mutation conforms; a wrong payload for its name, or an unknown name, not.
    let order_id = Uuid::now_v7();
    assert_eq!(
        contract.errors(&push, &one("order.submit", submit(order_id))),
        Vec::<String>::new()
    );
    assert!(!contract
        .errors(&push, &one("order.submit", json!({"nonsense": true})))
        .is_empty());
    assert!(!contract
        .errors(&push, &one("order.explode", json!({"order_id": order_id})))
        .is_empty());
    assert!(!contract
        .errors(
            &push,
            &one(
                "order.create_draft",
                json!({"order_id": order_id, "title": 12})
            )
        )
        .is_empty());
}

/// Issue 12 §1: the routes of an order's documents, as the document describes them — the list
/// (JSON), a document not yet available (409) or unknown (404) with the error body, and a PDF
/// whose status and content type the document lists.
#[tokio::test]
async fn the_documents_routes_answer_as_the_document_says() {
    let app = spawn_app().await;
    let contract = Contract::of(&app).await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let token = app.token(DG).await;
    let list = "/api/v1/orders/{id}/documents";
    let one = "/api/v1/orders/{id}/documents/{kind}";
    let operation = contract.operation(&Method::GET, list).clone();
    let response = app
        .get(
            &format!("/api/v1/orders/{}/documents", c.order_id),
            Some(&token),
        )
        .await;
    let (status, body) = contract
        .check_answer(&operation, &Method::GET, list, response)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().unwrap().len(), 3, "{body}");
    let operation = contract.operation(&Method::GET, one).clone();
    for (kind, expected) in [
        ("opening_record", StatusCode::CONFLICT),
        ("pas_un_document", StatusCode::NOT_FOUND),
    ] {
        let response = app
            .get(
                &format!("/api/v1/orders/{}/documents/{kind}", c.order_id),
                Some(&token),
            )
            .await;
        let (status, _) = contract
            .check_answer(&operation, &Method::GET, one, response)
            .await;
        assert_eq!(status, expected, "{kind}");
    }
    let response = app
        .get(
            &format!("/api/v1/orders/{}/documents/launch_decision", c.order_id),
            Some(&token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(operation["responses"]["200"]["content"]["application/pdf"].is_object());
    assert_eq!(response.headers()["content-type"], "application/pdf");
    for path in [
        "/api/v1/adhesions/{id}/documents",
        "/api/v1/adhesions/{id}/documents/{kind}",
    ] {
        contract.operation(&Method::GET, path);
    }
}
