//! Issue 16 §3: the needs survey — the centrale publishes it to every commune, a commune keeps
//! a draft and sends its answers signed by its directeur général until the closing day (server
//! time), each commune sees only its own answers, and a need becomes a new service that names
//! it.

use crate::common;

use centrale_domain::survey::response_key;
use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_framework_id, demo_provider_id};
use chrono::Duration;
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

fn survey_payload(id: Uuid, closes_on: chrono::NaiveDate) -> Value {
    json!({
        "survey_id": id,
        "survey": {
            "title": "Besoins smart city 2027",
            "intro": "Dites-nous ce dont votre commune a besoin.",
            "closes_on": closes_on,
            "themes": [{
                "title_fr": "Mobilité",
                "questions": [
                    {"code": "mobilite", "text_fr": "Quels services de mobilité vous manquent ?",
                     "required": true,
                     "kind": {"kind": "choice", "multiple": true, "choices": [
                        {"code": "parking", "label_fr": "Stationnement intelligent"},
                        {"code": "velos", "label_fr": "Comptage des vélos"}]}},
                    {"code": "parkings", "text_fr": "Combien de parkings publics ?", "required": false,
                     "kind": {"kind": "number", "unit_fr": "parkings", "max": 500}}
                ]
            }]
        }
    })
}

fn answers(survey: Uuid, choices: &[&str], parkings: i64) -> Value {
    json!({
        "survey_id": survey,
        "answers": [
            {"question": "mobilite", "value": {"kind": "choices", "value": choices}},
            {"question": "parkings", "value": {"kind": "number", "value": parkings}}
        ]
    })
}

#[tokio::test]
async fn issue_16_a_survey_is_answered_by_each_commune_for_itself_signed_by_its_dg() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    let closes_on = today0() + Duration::days(30);
    for user in [DG, AGENT, NUAGIX] {
        app.reject(
            user,
            "survey.publish",
            survey_payload(id, closes_on),
            "forbidden",
        )
        .await;
    }
    app.reject(
        CENTRALE,
        "survey.publish",
        survey_payload(id, today0() - Duration::days(1)),
        "survey_closes_in_past",
    )
    .await;
    app.apply(CENTRALE, "survey.publish", survey_payload(id, closes_on))
        .await;
    // Every commune sees it; providers do not need it but the catalogue is public.
    for user in [DG, DG_OTHER] {
        assert!(app
            .state_of(user)
            .await
            .get(RecordKind::Survey, id)
            .is_some());
    }

    // A draft by the commune's staff, incomplete; the staff may not send it.
    let draft = json!({"survey_id": id, "answers": [
        {"question": "parkings", "value": {"kind": "number", "value": 12}}]});
    app.apply(AGENT, "survey.save_answers", draft.clone()).await;
    app.reject(AGENT, "survey.send_answers", draft.clone(), "forbidden")
        .await;
    app.reject(DG, "survey.send_answers", draft, "survey_answer_missing")
        .await;
    app.reject(
        DG,
        "survey.save_answers",
        answers(id, &["metro"], 1),
        "survey_answer_invalid",
    )
    .await;
    app.reject(
        DG,
        "survey.save_answers",
        answers(id, &["parking"], 501),
        "survey_number_out_of_range",
    )
    .await;
    let key = response_key(id, "84009");
    let saved = app
        .state_of(DG)
        .await
        .get(RecordKind::SurveyResponse, &key)
        .expect("the draft");
    assert_eq!(saved["status"], "draft");

    app.apply(DG, "survey.send_answers", answers(id, &["parking"], 12))
        .await;
    let sent = app
        .state_of(DG)
        .await
        .get(RecordKind::SurveyResponse, &key)
        .expect("the answers");
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["sent"]["name"], "Marie Lambert");
    assert!(sent["sent"]["title"].as_str().unwrap().contains("général"));
    // Sent is final.
    app.reject(
        AGENT,
        "survey.save_answers",
        answers(id, &["velos"], 3),
        "survey_response_sent",
    )
    .await;

    // The other commune neither sees these answers nor can write them; the centrale sees them.
    assert!(app
        .state_of(DG_OTHER)
        .await
        .get(RecordKind::SurveyResponse, &key)
        .is_none());
    assert!(app
        .state_of(NUAGIX)
        .await
        .get(RecordKind::SurveyResponse, &key)
        .is_none());
    assert!(app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::SurveyResponse, &key)
        .is_some());
    app.apply(DG_OTHER, "survey.save_answers", answers(id, &["velos"], 2))
        .await;
    assert_eq!(
        app.state_of(CENTRALE)
            .await
            .all(RecordKind::SurveyResponse)
            .len(),
        2
    );

    // After the closing day (the server's clock), nothing more is accepted.
    app.clock.advance(Duration::days(31));
    app.reject(
        DG_OTHER,
        "survey.send_answers",
        answers(id, &["velos"], 2),
        "survey_closed",
    )
    .await;
}

#[tokio::test]
async fn issue_16_a_need_becomes_a_service_that_names_it_in_every_communes_catalogue() {
    let app = spawn_app().await;
    let survey = Uuid::now_v7();
    app.apply(
        CENTRALE,
        "survey.publish",
        survey_payload(survey, today0() + Duration::days(30)),
    )
    .await;
    app.apply(DG, "survey.send_answers", answers(survey, &["parking"], 12))
        .await;
    app.apply(
        DG_OTHER,
        "survey.send_answers",
        answers(survey, &["parking", "velos"], 3),
    )
    .await;

    let view = app.state_of(CENTRALE).await;
    let mut terms = view
        .get(RecordKind::Framework, demo_framework_id("CA-2025-01"))
        .expect("the demo framework")["versions"][0]
        .clone();
    terms["providers"] = json!([
        {"provider_id": demo_provider_id("nuagix"), "status": "active"},
        {"provider_id": demo_provider_id("civitech"), "status": "active"}
    ]);
    terms["change_note"] = json!("");
    let service_id = Uuid::now_v7();
    let payload = |need: Value| {
        json!({
            "service_id": service_id,
            "framework_id": Uuid::now_v7(),
            "code": "stationnement-intelligent",
            "name_fr": "Stationnement intelligent",
            "summary_fr": "Capteurs de places et guidage vers les places libres.",
            "description_fr": "Des capteurs signalent les places libres.",
            "category_fr": "Mobilité",
            "reference": "CA-2027-01",
            "title_fr": "Stationnement intelligent — accord-cadre",
            "call_off_method": "mini_competition",
            "terms": terms,
            "need": need,
        })
    };
    app.reject(
        CENTRALE,
        "service.add",
        payload(json!({"survey_id": survey, "question": "parkings", "choice": "parking"})),
        "survey_need_unknown",
    )
    .await;
    app.apply(
        CENTRALE,
        "service.add",
        payload(json!({"survey_id": survey, "question": "mobilite", "choice": "parking"})),
    )
    .await;
    for user in [DG, DG_OTHER] {
        let service = app
            .state_of(user)
            .await
            .get(RecordKind::Service, service_id)
            .expect("the new service");
        assert_eq!(service["added_on"], json!(today0()));
        assert_eq!(
            service["from_need"]["label_fr"],
            "Stationnement intelligent"
        );
        assert_eq!(
            service["from_need"]["survey_title"],
            "Besoins smart city 2027"
        );
        assert_eq!(service["from_need"]["communes"], 2);
    }
}
