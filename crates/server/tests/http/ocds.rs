//! Open data (issue 12 §3): the OCDS 1.1.5 release packages served at `/ocds/…` without
//! login, validated against the official release package schema and the release schema it
//! references (vendored in `tests/data/ocds-1.1.5/`, registered locally: nothing is fetched),
//! with the JSON Schema validator of the contract test. A running competition publishes
//! nothing sealed — no offer, no tenderer, no count — until the server opens the offers.

use crate::common;

use centrale_domain::order::Order;
use centrale_protocol::records::RecordKind;
use centrale_server::seed_history::seed_demo_history;
use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use rust_decimal::Decimal;
use serde_json::Value;
use uuid::Uuid;

const RELEASE_SCHEMA_URI: &str =
    "https://standard.open-contracting.org/schema/1__1__5/release-schema.json";

/// The official release package schema, its `$ref` to the release schema resolved from the
/// vendored copy.
pub(crate) fn validator() -> jsonschema::Validator {
    let release: Value =
        serde_json::from_str(include_str!("../data/ocds-1.1.5/release-schema.json")).unwrap();
    let package: Value = serde_json::from_str(include_str!(
        "../data/ocds-1.1.5/release-package-schema.json"
    ))
    .unwrap();
    let registry = jsonschema::Registry::new()
        .add(RELEASE_SCHEMA_URI, release)
        .expect("the release schema's address")
        .prepare()
        .expect("the release schema registers");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_registry(&registry)
        .should_validate_formats(true)
        .offline()
        .build(&package)
        .expect("the release package schema compiles")
}

/// GET without any token; the body's text and its JSON after checking it against the schema.
async fn published(app: &TestApp, path: &str) -> (String, Value) {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{path}"
    );
    let text = response.text().await.unwrap();
    let json: Value = serde_json::from_str(&text).expect("JSON");
    let errors: Vec<String> = validator()
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{path} does not conform to OCDS 1.1.5: {errors:#?}"
    );
    (text, json)
}

fn releases_of<'a>(package: &'a Value, ocid: &str) -> Vec<&'a Value> {
    package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ocid"] == ocid)
        .collect()
}

fn ocid(id: impl std::fmt::Display) -> String {
    format!("ocds-centrl-{id}")
}

/// Nothing of the offers in these releases: no tenderer, no count, no party as tenderer.
fn assert_nothing_sealed(releases: &[&Value]) {
    for r in releases {
        assert!(r["tender"].get("tenderers").is_none(), "{r}");
        assert!(r["tender"].get("numberOfTenderers").is_none(), "{r}");
        assert!(r.get("awards").is_none(), "{r}");
        for party in r["parties"].as_array().unwrap() {
            let roles = party["roles"].as_array().unwrap();
            assert!(!roles.iter().any(|x| x == "tenderer"), "{party}");
            assert!(!roles.iter().any(|x| x == "supplier"), "{party}");
        }
    }
}

#[tokio::test]
async fn the_demo_history_is_published_as_valid_ocds_without_login() {
    let app = spawn_app().await;
    seed_demo_history(&app.db, t0()).await.expect("history");
    let (text, package) = published(&app, "/ocds/releases.json").await;
    assert_eq!(package["version"], "1.1");
    // The validator is not vacuous: a tag outside the closed codelist, an amount as text and
    // a release without its ocid are refused.
    let mut broken = package.clone();
    broken["releases"][0]["tag"] = serde_json::json!(["offre"]);
    broken["releases"][0]["awards"][0]["value"]["amount"] = serde_json::json!("1234,56");
    broken["releases"][1]
        .as_object_mut()
        .unwrap()
        .remove("ocid");
    let errors: Vec<String> = validator()
        .iter_errors(&broken)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.len() >= 3, "{errors:#?}");
    assert_eq!(
        package["publisher"]["name"],
        "Centrale d'achat de l'intercommunale"
    );

    let frameworks = app
        .db
        .list_records(RecordKind::Framework.as_str())
        .await
        .unwrap();
    let orders: Vec<Order> = app
        .db
        .list_records(RecordKind::Order.as_str())
        .await
        .unwrap()
        .into_iter()
        .map(|r| serde_json::from_value(r.body).unwrap())
        .collect();
    assert!(!frameworks.is_empty() && orders.len() > 10);

    // The framework first: one release per version, its parties with their BCE/KBO number.
    for f in &frameworks {
        let versions = f.body["versions"].as_array().unwrap().len();
        let rs = releases_of(&package, &ocid(&f.id));
        assert_eq!(rs.len(), versions, "framework {}", f.id);
        assert_eq!(rs[0]["tag"], serde_json::json!(["award", "contract"]));
        let suppliers: Vec<&Value> = rs[0]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| {
                p["roles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r == "supplier")
            })
            .collect();
        assert!(!suppliers.is_empty());
        for p in suppliers {
            assert_eq!(p["identifier"]["scheme"], "BE-BCE_KBO");
            let digits = p["identifier"]["id"].as_str().unwrap();
            assert!(
                digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{p}"
            );
        }
    }

    // Each call-off: linked to its framework, its award's amount exact to the cent.
    let mut awarded = 0;
    for order in &orders {
        let rs = releases_of(&package, &ocid(order.id));
        if order.competition.is_none() && order.award.is_none() {
            assert!(
                rs.is_empty(),
                "a request not yet put out to competition is not published"
            );
            continue;
        }
        assert!(!rs.is_empty(), "order {} ({:?})", order.id, order.status);
        for r in &rs {
            let related = &r["relatedProcesses"][0];
            assert_eq!(related["relationship"], serde_json::json!(["framework"]));
            assert_eq!(related["scheme"], "ocid");
            assert_eq!(related["identifier"], ocid(order.framework_id));
            assert!(!releases_of(&package, related["identifier"].as_str().unwrap()).is_empty());
            assert_eq!(r["buyer"]["id"], format!("BE-NIS-{}", order.commune_nis));
        }
        if order.opened_at.is_none() && order.award.is_none() {
            assert_nothing_sealed(&rs);
        }
        if let Some(award) = &order.award {
            awarded += 1;
            let release = rs
                .iter()
                .find(|r| r["id"] == "attribution")
                .expect("an award release");
            let value = &release["awards"][0]["value"];
            assert_eq!(value["currency"], "EUR");
            let exact = Decimal::new(award.amount.excl_vat.0, 2);
            assert!(
                text.contains(&format!(
                    "\"value\":{{\"amount\":{exact},\"currency\":\"EUR\"}}"
                )),
                "the award of {} is written as {exact} exactly",
                order.id
            );
            let supplier = &release["awards"][0]["suppliers"][0]["id"];
            assert!(supplier.as_str().unwrap().starts_with("BE-BCE_KBO-"));
        }
        if order.purchase_order.is_some() {
            let contract = rs
                .iter()
                .find(|r| r["id"] == "bon-de-commande")
                .expect("a contract");
            assert_eq!(
                contract["contracts"][0]["awardID"],
                format!("{}-attribution", order.id)
            );
        }
    }
    assert!(awarded >= 5, "{awarded} awards in the history");
    assert!(
        package["releases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["contracts"][0]["implementation"]["milestones"]
                .as_array()
                .is_some_and(|m| !m.is_empty())),
        "the deployments' milestones are published"
    );

    // One framework, one call-off; unknown ones are not found.
    let f = &frameworks[0].id;
    let (_, one) = published(&app, &format!("/ocds/frameworks/{f}.json")).await;
    assert!(one["releases"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ocid"] == ocid(f)));
    let awarded_order = orders.iter().find(|o| o.award.is_some()).unwrap();
    let (_, one) = published(&app, &format!("/ocds/orders/{}.json", awarded_order.id)).await;
    assert!(one["releases"].as_array().unwrap().len() >= 2);
    for path in [
        format!("/ocds/orders/{}.json", Uuid::now_v7()),
        format!("/ocds/frameworks/{}.json", Uuid::now_v7()),
        "/ocds/orders/pas-un-identifiant.json".to_string(),
        format!("/ocds/orders/{}", awarded_order.id),
    ] {
        assert_eq!(
            app.get(&path, None).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_running_competition_publishes_nothing_sealed_until_the_opening() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &c.invitation_id("nuagix"), 420_000, 15_000),
    )
    .await;
    let path = format!("/ocds/orders/{}.json", c.order_id);

    // Before the deadline: the tender, its period and items; nothing of the offer.
    let (text, package) = published(&app, &path).await;
    let rs = releases_of(&package, &ocid(c.order_id));
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0]["tag"], serde_json::json!(["tender"]));
    assert_eq!(rs[0]["tender"]["status"], "active");
    assert_nothing_sealed(&rs);
    assert!(
        !text.contains("Hébergement en Belgique"),
        "the offer's notes"
    );
    assert!(!text.contains("budget"), "{text}");
    let (all_text, all) = published(&app, "/ocds/releases.json").await;
    assert_nothing_sealed(&releases_of(&all, &ocid(c.order_id)));
    assert!(!all_text.contains("numberOfTenderers"));

    // The deadline has passed but no one has opened the offers yet: still nothing.
    app.clock.set(c.deadline + Duration::minutes(1));
    let (_, package) = published(&app, &path).await;
    assert_nothing_sealed(&releases_of(&package, &ocid(c.order_id)));

    // The opening (the commune's first pull after the deadline): one tenderer, named.
    let dg = app.token(DG).await;
    app.pull_all(&dg).await;
    let (_, package) = published(&app, &path).await;
    let rs = releases_of(&package, &ocid(c.order_id));
    assert_eq!(rs.len(), 2);
    let opening = rs
        .iter()
        .find(|r| r["id"] == "ouverture-des-offres")
        .unwrap();
    assert_eq!(opening["tag"], serde_json::json!(["tenderUpdate"]));
    assert_eq!(opening["tender"]["numberOfTenderers"], 1);
    assert_eq!(
        opening["tender"]["tenderers"][0]["name"],
        "Nuagix Services SA"
    );
    assert!(opening["parties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["roles"] == serde_json::json!(["tenderer"])
            && p["identifier"]["scheme"] == "BE-BCE_KBO"));
    // The first release still says what was known at the launch.
    let tender = rs
        .iter()
        .find(|r| r["id"] == "remise-en-concurrence")
        .unwrap();
    assert!(tender["tender"].get("tenderers").is_none());
}
