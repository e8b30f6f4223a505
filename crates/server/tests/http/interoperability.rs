//! Issue 16 §1: the interoperability sheet of each solution, kept by the centrale with each
//! framework version, read by every commune at its next sync and by the provider on its portal.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id, demo_service_id};
use common::*;
use serde_json::{json, Value};

fn sheets(view: &Value) -> Vec<Value> {
    view["versions"].as_array().unwrap().last().unwrap()["interoperability"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn issue_16_the_centrale_updates_a_sheet_with_a_version_and_every_commune_reads_it() {
    let app = spawn_app().await;
    let framework = demo_framework_id("CA-2025-01");
    let nuagix = demo_provider_id("nuagix");
    let before = app
        .state_of(DG)
        .await
        .get(RecordKind::Framework, framework)
        .unwrap()
        .clone();
    // The demo's sheets: one per party, each linking to solutions of the catalogue.
    let mut current = sheets(&before);
    assert_eq!(current.len(), 2);
    assert_eq!(current[0]["provider_id"], json!(nuagix));
    assert_eq!(current[0]["solution_name"], "Guichet Nuagix 4");
    assert_eq!(
        current[0]["works_with"][0]["with"]["service_id"],
        json!(demo_service_id("paiement-scolaire"))
    );

    // The centrale records a new check; the sheets alone need no legal basis.
    current[0]["checks"]
        .as_array_mut()
        .unwrap()
        .push(json!({"aspect": "open_data", "checked_on": "2026-11-20", "outcome": "confirmed", "note": "Jeu de données publié sur le portail wallon."}));
    let publish = |sheets: Value| {
        json!({
            "framework_id": framework,
            "change_note": "Fiche d'interopérabilité du guichet de Nuagix : données ouvertes vérifiées",
            "interoperability": sheets,
        })
    };
    // Nobody but the centrale keeps the sheets.
    for user in [DG, NUAGIX] {
        app.reject(
            user,
            "framework.publish_version",
            publish(json!(current.clone())),
            "forbidden",
        )
        .await;
    }
    app.apply(
        CENTRALE,
        "framework.publish_version",
        publish(json!(current.clone())),
    )
    .await;
    for user in [DG, DG_OTHER] {
        let view = app.state_of(user).await;
        let f = view.get(RecordKind::Framework, framework).unwrap();
        assert_eq!(f["versions"].as_array().unwrap().len(), 2);
        assert_eq!(f["versions"][1]["legal_basis"], Value::Null);
        let after = sheets(&f);
        assert_eq!(after[0]["checks"].as_array().unwrap().len(), 4);
        assert_eq!(after[0]["checks"][3]["aspect"], "open_data");
        // The version before keeps its own sheets.
        assert_eq!(
            f["versions"][0]["interoperability"][0]["checks"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }

    // Refused, each with the field to correct: a check dated after today, a sheet for a
    // provider that is not a party, two sheets for one provider, a link to the solution itself.
    let mut ahead = current.clone();
    ahead[0]["checks"][3]["checked_on"] = json!("2026-12-25");
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            publish(json!(ahead)),
            "interoperability_check_ahead",
        )
        .await;
    assert_eq!(
        r.details["field"],
        "interoperability[0].checks[3].checked_on"
    );
    assert!(r.message.unwrap().contains("25/12/2026"));
    let mut stranger = current.clone();
    stranger[1]["provider_id"] = json!(demo_provider_id("reservix"));
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            publish(json!(stranger)),
            "interoperability_provider_not_party",
        )
        .await;
    assert_eq!(r.details["field"], "interoperability[1].provider_id");
    let twice = json!([current[0].clone(), current[0].clone()]);
    app.reject(
        CENTRALE,
        "framework.publish_version",
        publish(twice),
        "interoperability_sheet_duplicate",
    )
    .await;
    let mut itself = current.clone();
    itself[0]["works_with"][0]["with"] =
        json!({"service_id": demo_service_id("e-guichet"), "provider_id": nuagix});
    app.reject(
        CENTRALE,
        "framework.publish_version",
        publish(json!(itself)),
        "interoperability_link_to_itself",
    )
    .await;
    let mut no_way_out = current.clone();
    no_way_out[1]["reversibility"] = json!("  ");
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            publish(json!(no_way_out)),
            "interoperability_reversibility_missing",
        )
        .await;
    assert!(r.message.unwrap().contains("fin de contrat"));
    // Nothing refused was published.
    let view = app.state_of(DG).await;
    let f = view.get(RecordKind::Framework, framework).unwrap();
    assert_eq!(f["versions"].as_array().unwrap().len(), 2);
}

/// The provider reads its own solution's sheet on the portal, with what the centrale checked
/// and the solutions it works with, never another party's.
#[tokio::test]
async fn issue_16_the_provider_reads_its_own_sheet_on_the_portal() {
    let app = spawn_app().await;
    let browser = common::portal::Browser::new(&app);
    let page = browser.login(NUAGIX).await;
    assert!(
        page.has("data-testid=\"interoperability-sheet\""),
        "{}",
        page.html
    );
    assert!(page.has("Guichet Nuagix 4"), "{}", page.html);
    assert!(page.has("vérifié le 18/09/2025"), "{}", page.html);
    assert!(
        page.has("Paiement en ligne des services scolaires (repas, garderie, excursions) de Payvallée SRL"),
        "{}",
        page.html
    );
    assert!(page.has("testé par la centrale le 18/09/2025"));
    // Civitech is the other party to the e-guichet: its solution's sheet is not Nuagix's to read.
    assert!(!page.has("CiviDesk Guichet"), "{}", page.html);
    let civitech = common::portal::Browser::new(&app);
    let page = civitech.login(CIVITECH).await;
    assert!(page.has("CiviDesk Guichet"), "{}", page.html);
    assert!(!page.has("Guichet Nuagix 4"), "{}", page.html);
}
