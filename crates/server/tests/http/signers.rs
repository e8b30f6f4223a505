//! Who signs for the commune (CDLD L1132-3) and who may sign in the titulars' place: the
//! bourgmestre f.f. (CDLD L1123-5), an échevin délégué (L1132-4), the directeur général f.f.
//! — recorded by the commune's titulars for a period on a decision, through the real API with
//! the test clock. Runs on SQLite, and on PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::Clock;
use chrono::{Duration, TimeZone, Utc};
use common::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// An account designated bourgmestre f.f. from today for ten days (the first échevin in
/// rank, as the collège records it: CDLD L1123-5).
fn mayor_acting(id: Uuid, username: &str) -> Value {
    json!({
        "substitution_id": id,
        "capacity": "mayor_acting",
        "substitute_username": username,
        "from": today0(),
        "to": today0() + Duration::days(10),
        "decision": {"organ": {"kind": "college"}, "reference": "COL/2026/250", "date": today0()},
    })
}

/// CDLD L1123-5 and L1132-3: while the bourgmestre is « empêché », the échevin the commune
/// designated signs in their place, as bourgmestre f.f., and the signature says so (name,
/// title, capacity, the decision); the directrice générale's reads « directrice générale ».
#[tokio::test]
async fn rule_cdld_l1123_5_a_mayor_acting_signs_the_adhesion_in_the_mayors_place() {
    let app = spawn_app().await;
    let (adhesion, sha) = signed_by_the_dg(&app, "84009").await;
    let sign = json!({"adhesion_id": adhesion, "text_sha256": sha});
    // Without a substitution, an agent does not sign.
    app.reject(AGENT, "adhesion.sign", sign.clone(), "forbidden")
        .await;
    let substitution = Uuid::now_v7();
    app.apply(
        DG,
        "substitution.record",
        mayor_acting(substitution, ALDERMAN),
    )
    .await;
    let s = app
        .state_of(MAYOR)
        .await
        .get(RecordKind::Substitution, substitution)
        .expect("the commune sees its substitutions");
    assert_eq!(s["substitute_name"], "Julien Mathieu");
    assert_eq!(s["substitute_gender"], "male");
    assert_eq!(s["recorded_by"], "Marie Lambert, directrice générale");
    assert!(!s["substitute_user_id"].as_str().unwrap().is_empty());

    app.apply(ALDERMAN, "adhesion.sign", sign).await;
    let a = app
        .state_of(DG)
        .await
        .get(RecordKind::Adhesion, adhesion)
        .unwrap();
    assert_eq!(a["status"], "signed_by_commune");
    let mayor = &a["mayor_signature"];
    assert_eq!(mayor["name"], "Julien Mathieu");
    assert_eq!(mayor["role"], "mayor");
    assert_eq!(mayor["capacity"], "mayor_acting");
    assert_eq!(mayor["title"], "échevin, bourgmestre f.f.");
    assert_eq!(mayor["substitution"]["id"], json!(substitution));
    assert_eq!(
        mayor["substitution"]["decision"]["reference"],
        "COL/2026/250"
    );
    let dg = &a["director_general_signature"];
    assert_eq!(dg["capacity"], "titular");
    assert_eq!(dg["title"], "directrice générale");
}

/// CDLD L1123-5: the substitute signs only on the days the substitution covers, and not
/// once it was ended; the server's day decides.
#[tokio::test]
async fn rule_cdld_l1123_5_refused_outside_the_period_and_once_ended() {
    let app = spawn_app().await;
    let (adhesion, sha) = signed_by_the_dg(&app, "84009").await;
    let sign = json!({"adhesion_id": adhesion, "text_sha256": sha});
    let substitution = Uuid::now_v7();
    let mut payload = mayor_acting(substitution, ALDERMAN);
    payload["from"] = json!(today0() + Duration::days(2));
    app.apply(MAYOR, "substitution.record", payload).await;
    let r = app
        .reject(
            ALDERMAN,
            "adhesion.sign",
            sign.clone(),
            "substitution_not_in_force",
        )
        .await;
    assert_eq!(r.details["from"], json!(today0() + Duration::days(2)));
    assert_eq!(r.details["today"], json!(today0()));
    // The mayor comes back on the third day and ends it: from that day on it covers nothing
    // (its last day was the day before).
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap());
    assert_eq!(app.clock.now().date_naive(), today0() + Duration::days(3));
    app.apply(
        MAYOR,
        "substitution.end",
        json!({"substitution_id": substitution}),
    )
    .await;
    let r = app
        .reject(
            ALDERMAN,
            "adhesion.sign",
            sign.clone(),
            "substitution_not_in_force",
        )
        .await;
    assert_eq!(r.details["to"], json!(today0() + Duration::days(2)));
    let ended = app
        .state_of(MAYOR)
        .await
        .get(RecordKind::Substitution, substitution)
        .unwrap();
    assert_eq!(
        ended["ended"]["from_day"],
        json!(today0() + Duration::days(3))
    );
    assert_eq!(ended["ended"]["by"], "Jean-Pierre Collard, bourgmestre");
    app.reject(
        MAYOR,
        "substitution.end",
        json!({"substitution_id": substitution}),
        "substitution_already_over",
    )
    .await;
    // The titular still signs.
    app.apply(MAYOR, "adhesion.sign", sign).await;
}

/// Only the titulars designate a substitute, only among their own commune's staff accounts;
/// another commune neither sees nor ends it; the centrale sees it.
#[tokio::test]
async fn rule_cdld_l1132_4_who_designates_whom() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    app.reject(
        AGENT,
        "substitution.record",
        mayor_acting(id, ALDERMAN),
        "forbidden",
    )
    .await;
    app.reject(
        CENTRALE,
        "substitution.record",
        mayor_acting(id, ALDERMAN),
        "forbidden",
    )
    .await;
    // Not the titulars' own accounts, not another commune's, not an unknown login.
    for username in [MAYOR, DG, DG_OTHER, "personne.84009"] {
        let r = app
            .reject(
                DG,
                "substitution.record",
                mayor_acting(id, username),
                "substitute_account_invalid",
            )
            .await;
        assert_eq!(r.details["username"], username);
    }
    // A period in the wrong order, a decision after the first day.
    let mut reversed = mayor_acting(id, ALDERMAN);
    reversed["to"] = json!(today0() - Duration::days(1));
    app.reject(
        DG,
        "substitution.record",
        reversed,
        "substitution_period_invalid",
    )
    .await;
    let mut late = mayor_acting(id, ALDERMAN);
    late["from"] = json!(today0() - Duration::days(1));
    app.reject(
        DG,
        "substitution.record",
        late,
        "substitution_decision_after_start",
    )
    .await;
    app.apply(DG, "substitution.record", mayor_acting(id, ALDERMAN))
        .await;
    // The same account cannot stand in for the DG on the same days.
    let mut twice = mayor_acting(Uuid::now_v7(), ALDERMAN);
    twice["capacity"] = json!("director_general_acting");
    app.reject(DG, "substitution.record", twice, "substitution_overlaps")
        .await;
    assert!(app
        .state_of(DG_OTHER)
        .await
        .get(RecordKind::Substitution, id)
        .is_none());
    assert!(app
        .state_of(CENTRALE)
        .await
        .get(RecordKind::Substitution, id)
        .is_some());
    app.reject(
        DG_OTHER,
        "substitution.end",
        json!({"substitution_id": id}),
        "not_found",
    )
    .await;
}

/// Issue 15: « Me » carries the person's gender; the seed's accounts hold the name only (the
/// title comes from role × gender, never typed twice).
#[tokio::test]
async fn me_carries_the_gender_and_the_name_alone() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let me: Value = app
        .get("/api/v1/me", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["display_name"], "Marie Lambert");
    assert_eq!(me["user"]["gender"], "female");
}

/// CDLD L1123-5 on an order: the directeur général f.f. withdraws a running competition in the
/// DG's place on a covered day; the order's record names her as such.
#[tokio::test]
async fn rule_cdld_l1123_5_a_dg_ff_withdraws_a_competition_named_as_such() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let withdraw = json!({"order_id": competition.order_id,
        "reason": "Le conseil communal n'a pas voté le crédit budgétaire.",
        "college_decision": college("COL/2026/50")});
    app.reject(AGENT, "order.withdraw", withdraw.clone(), "forbidden")
        .await;
    let mut payload = mayor_acting(Uuid::now_v7(), AGENT);
    payload["capacity"] = json!("director_general_acting");
    app.apply(DG, "substitution.record", payload).await;
    app.apply(AGENT, "order.withdraw", withdraw).await;
    let order = order_of(&app.state_of(DG).await, competition.order_id);
    assert_eq!(order["status"], "withdrawn");
    assert_eq!(
        order["closure"]["by"],
        "Sophie Renard, directrice générale f.f."
    );
}

/// CDLD L1123-5 and L1132-4: only an échevin stands in for the bourgmestre; the bourgmestre's
/// written act (his delegation) is his own to record; the DG f.f. is the collège's decision,
/// three months at most (L1124-19). Each refusal names its field.
#[tokio::test]
async fn rule_cdld_who_designates_each_substitute_and_for_how_long() {
    let app = spawn_app().await;
    // An agent is not an échevin: not a bourgmestre f.f., not an échevin délégué.
    let r = app
        .reject(
            DG,
            "substitution.record",
            mayor_acting(Uuid::now_v7(), AGENT),
            "substitute_not_alderman",
        )
        .await;
    assert_eq!(r.details["username"], AGENT);
    assert_eq!(r.details["field"], "substitute_username");
    let mayors_act =
        json!({"organ": {"kind": "mayor"}, "reference": "BGM/2026/4", "date": today0()});
    let mut delegated = mayor_acting(Uuid::now_v7(), ALDERMAN);
    delegated["capacity"] = json!("delegated_alderman");
    // The délégation is the bourgmestre's written act, not the collège's…
    let r = app
        .reject(
            MAYOR,
            "substitution.record",
            delegated.clone(),
            "decision_organ_not_competent",
        )
        .await;
    assert_eq!(r.details["field"], "decision.organ");
    delegated["decision"] = mayors_act.clone();
    // … listing the documents it delegates (L1132-4: « certains documents »): the award only.
    app.reject(
        MAYOR,
        "substitution.record",
        delegated.clone(),
        "delegation_documents_missing",
    )
    .await;
    delegated["documents"] = json!(["award"]);
    // … recorded by the bourgmestre himself, not by the DG.
    app.reject(
        DG,
        "substitution.record",
        delegated.clone(),
        "designation_mayors_own_act",
    )
    .await;
    app.apply(MAYOR, "substitution.record", delegated).await;
    // The DG f.f.: the collège, not the bourgmestre's act; three months at most.
    let mut dg_acting = mayor_acting(Uuid::now_v7(), AGENT);
    dg_acting["capacity"] = json!("director_general_acting");
    dg_acting["decision"] = mayors_act;
    app.reject(
        MAYOR,
        "substitution.record",
        dg_acting.clone(),
        "decision_organ_not_competent",
    )
    .await;
    dg_acting["decision"] =
        json!({"organ": {"kind": "college"}, "reference": "COL/2026/260", "date": today0()});
    // From 29/11/2026, three months end on the last day of February (2027 has no 29/02).
    assert_eq!(
        today0(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    );
    let latest = chrono::NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
    dg_acting["to"] = json!(latest + Duration::days(1));
    let r = app
        .reject(
            DG,
            "substitution.record",
            dg_acting.clone(),
            "substitution_too_long",
        )
        .await;
    assert_eq!(r.details["latest"], json!(latest));
    dg_acting["to"] = json!(latest);
    app.apply(DG, "substitution.record", dg_acting.clone())
        .await;
    // Then the DG designates her replacement herself, as the collège authorised her: thirty
    // days at most (01/03 to 30/03 included), her own act (L1124-19).
    let first = latest + Duration::days(1);
    let mut own = dg_acting;
    own["substitution_id"] = json!(Uuid::now_v7());
    own["from"] = json!(first);
    own["to"] = json!(first + Duration::days(30));
    own["decision"] = json!({"organ": {"kind": "director_general",
        "authorisation_date": today0() - Duration::days(7)},
        "reference": "DG/2026/12", "date": today0()});
    let r = app
        .reject(
            DG,
            "substitution.record",
            own.clone(),
            "substitution_too_long_own_act",
        )
        .await;
    assert_eq!(r.details["latest"], json!(first + Duration::days(29)));
    assert_eq!(r.details["max_days"], 30);
    let message = r.message.unwrap_or_default();
    assert!(message.contains("30 jours au plus"), "{message}");
    own["to"] = json!(first + Duration::days(29));
    app.reject(
        MAYOR,
        "substitution.record",
        own.clone(),
        "designation_director_generals_own_act",
    )
    .await;
    app.apply(DG, "substitution.record", own).await;
    // An organ that decides nothing of a commune's acts elsewhere: a withdrawal is the
    // conseil's or the collège's, never the bourgmestre's act alone.
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    app.reject(
        DG,
        "order.withdraw",
        json!({"order_id": competition.order_id,
            "reason": "Le conseil communal n'a pas voté le crédit budgétaire.",
            "college_decision": {"organ": {"kind": "mayor"}, "reference": "BGM/2026/5", "date": today0()}}),
        "decision_organ_not_competent",
    )
    .await;
    // The échevin délégué signs the award, not a withdrawal his delegation does not list.
    let r = app
        .reject(
            ALDERMAN,
            "order.withdraw",
            json!({"order_id": competition.order_id,
                "reason": "Le conseil communal n'a pas voté le crédit budgétaire.",
                "college_decision": {"organ": {"kind": "college"}, "reference": "COL/2026/270", "date": today0()}}),
            "delegation_does_not_cover",
        )
        .await;
    assert_eq!(r.details["document"], "withdrawal");
}

/// CDLD L1123-5 and L1123-8: failing the bourgmestre's written act, the bourgmestre f.f. is
/// the first Belgian échevin in rank (the pacte de majorité's order, as the centrale recorded
/// it); the collège's record of another says which échevins ranked before are empêchés.
#[tokio::test]
async fn rule_cdld_l1123_5_the_bourgmestre_ff_by_rank_is_the_first_belgian_alderman() {
    let app = spawn_app().await;
    // Bertrix's agent becomes its second échevin; the demo's échevin is the first.
    assert!(app
        .db
        .set_user_alderman(AGENT, true, Some(2), true)
        .await
        .unwrap());
    let mut second = mayor_acting(Uuid::now_v7(), AGENT);
    let r = app
        .reject(
            DG,
            "substitution.record",
            second.clone(),
            "substitute_not_first_in_rank",
        )
        .await;
    assert_eq!(r.details["field"], "ranked_before_unavailable");
    assert_eq!(r.details["first_rank"], 1);
    assert_eq!(r.details["first_name"], "Julien Mathieu");
    let message = r.message.unwrap_or_default();
    assert!(
        message.contains("premier en rang est Julien Mathieu"),
        "{message}"
    );
    second["ranked_before_unavailable"] =
        json!("Julien Mathieu, premier échevin, en congé de maladie jusqu'au 15/12/2026.");
    app.apply(DG, "substitution.record", second.clone()).await;
    let recorded = app
        .state_of(DG)
        .await
        .get(
            RecordKind::Substitution,
            second["substitution_id"].as_str().unwrap(),
        )
        .unwrap();
    assert_eq!(
        recorded["ranked_before_unavailable"],
        "Julien Mathieu, premier échevin, en congé de maladie jusqu'au 15/12/2026."
    );
    // An échevin who is not Belgian never replaces the bourgmestre, not even by his act.
    assert!(app
        .db
        .set_user_alderman(AGENT, true, Some(2), false)
        .await
        .unwrap());
    let mut by_act = mayor_acting(Uuid::now_v7(), AGENT);
    by_act["from"] = json!(today0() + Duration::days(20));
    by_act["to"] = json!(today0() + Duration::days(25));
    by_act["decision"] =
        json!({"organ": {"kind": "mayor"}, "reference": "BGM/2026/9", "date": today0()});
    app.reject(
        MAYOR,
        "substitution.record",
        by_act,
        "substitute_not_belgian",
    )
    .await;
    // An échevin whose rank the centrale has not recorded: the record by rank is refused.
    assert!(app
        .db
        .set_user_alderman(ALDERMAN, true, None, true)
        .await
        .unwrap());
    let mut unranked = mayor_acting(Uuid::now_v7(), ALDERMAN);
    unranked["from"] = json!(today0() + Duration::days(20));
    unranked["to"] = json!(today0() + Duration::days(25));
    app.reject(DG, "substitution.record", unranked, "alderman_rank_missing")
        .await;
}
