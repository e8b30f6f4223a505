//! Who decides, who signs, conflicts of interest and the termination of the adhesion, through
//! the real API with the test clock: each rule allowed and refused, its source named (CDLD
//! L1222-3, L1222-4, L1222-7, L1124-40, L1132-3; law of 17 June 2016 art. 6; the convention's
//! article 12). Runs on SQLite, and on PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_server::seed::{demo_convention_template_id, demo_provider_id};
use centrale_server::Clock;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

fn statement() -> String {
    centrale_domain::order::no_conflict_statement_sha256()
}

/// CDLD L1222-7 (and L1222-3): joining a centrale d'achat is the conseil communal's decision,
/// or the collège's by the conseil's delegation; a decision of the collège alone is refused.
#[tokio::test]
async fn rule_cdld_l1222_7_joining_the_centrale_is_the_conseils_decision() {
    let app = spawn_app().await;
    let id = Uuid::now_v7();
    app.apply(
        DG_OTHER,
        "adhesion.start",
        json!({"adhesion_id": id, "template_id": demo_convention_template_id()}),
    )
    .await;
    let r = app
        .reject(
            DG_OTHER,
            "adhesion.record_college_decision",
            json!({"adhesion_id": id, "college_decision": college("COL/2026/5")}),
            "decision_organ_not_competent",
        )
        .await;
    assert_eq!(r.details["field"], "college_decision.organ");
    assert_eq!(r.details["organ"], "college");
    assert_eq!(r.details["kind"], "join_centrale");
    let delegated = json!({"organ": {"kind": "college_by_delegation", "delegation_date": "2025-01-20"},
                           "reference": "COL/2026/5", "date": today0()});
    app.apply(
        DG_OTHER,
        "adhesion.record_college_decision",
        json!({"adhesion_id": id, "college_decision": delegated}),
    )
    .await;
    let adhesion = app
        .state_of(DG_OTHER)
        .await
        .get(RecordKind::Adhesion, id)
        .unwrap();
    assert_eq!(
        adhesion["college_decision"]["organ"]["kind"],
        "college_by_delegation"
    );
    assert_eq!(
        adhesion["college_decision"]["organ"]["delegation_date"],
        "2025-01-20"
    );
}

/// CDLD L1222-3: an order is sent with the decision that launches it (the conseil's, or the
/// collège's by delegation) and its budget article; an agent prepares and may record it.
#[tokio::test]
async fn rule_cdld_l1222_3_an_order_is_sent_with_its_launch_decision_and_budget_article() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let order_id = draft_order(&app, "e-guichet", "E-guichet 2027", eguichet_needs()).await;
    let r = app
        .reject(
            AGENT,
            "order.submit",
            json!({"order_id": order_id}),
            "launch_decision_missing",
        )
        .await;
    assert_eq!(r.details["field"], "decision");
    let mut payload = submit(order_id);
    payload["budget_article"] = json!(" ");
    app.reject(AGENT, "order.submit", payload, "budget_article_missing")
        .await;
    let mut payload = submit(order_id);
    payload["decision"]["organ"] = json!({"kind": "college"});
    let r = app
        .reject(
            AGENT,
            "order.submit",
            payload,
            "decision_organ_not_competent",
        )
        .await;
    assert_eq!(r.details["field"], "decision.organ");
    assert_eq!(r.details["kind"], "launch_order");
    app.apply(AGENT, "order.submit", submit(order_id)).await;
    let order = order_of(&app.state_of(DG).await, order_id);
    assert_eq!(order["status"], "submitted");
    let launch = &order["launch_decision"];
    assert_eq!(launch["decision"]["organ"]["kind"], "conseil");
    assert_eq!(launch["budget_article"], "104/123-13");
    // 4 500 once + 9 × 180 a year over the four years of the contract = 10 980 € HTVA at the
    // ceilings (issue 11 rule 9).
    assert_eq!(launch["estimate"]["excl_vat"], 1_098_000);
}

/// CDLD L1124-40 §1 3°: above 22 000 € TVAC (the estimate at the ceilings when the order is
/// sent) the directeur financier's opinion comes before the decision; at or below, it is not
/// required.
#[tokio::test]
async fn rule_cdld_l1124_40_above_22000_tvac_the_financial_opinion_comes_first() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    // 4 500 once + 80 × 180 a year over four years = 62 100 € HTVA = 75 141 € TVAC.
    let mut needs = eguichet_needs();
    needs["lines"][1]["quantity"] = json!("80");
    let big = draft_order(&app, "e-guichet", "E-guichet 80 000 habitants", needs).await;
    let mut payload = submit(big);
    payload["decision"]["financial_opinion"] = Value::Null;
    let r = app
        .reject(DG, "order.submit", payload, "financial_opinion_missing")
        .await;
    assert_eq!(r.details["field"], "decision.financial_opinion");
    assert_eq!(r.details["amount_incl_vat_cents"], 7_514_100);
    assert_eq!(r.details["threshold_cents"], 2_200_000);
    // The opinion precedes the decision, never follows it.
    let mut payload = submit(big);
    payload["decision"]["date"] = json!(today0() - Duration::days(1));
    let r = app
        .reject(DG, "order.submit", payload, "date_out_of_range")
        .await;
    assert_eq!(r.details["field"], "decision.financial_opinion.date");
    app.apply(DG, "order.submit", submit(big)).await;
    // The usual e-guichet (10 980 € HTVA over the contract, 13 285,80 € TVAC) needs none.
    let small = draft_order(&app, "e-guichet", "E-guichet 2027", eguichet_needs()).await;
    let mut payload = submit(small);
    payload["decision"]["financial_opinion"] = Value::Null;
    app.apply(DG, "order.submit", payload).await;
}

/// CDLD L1222-4: the award is the collège's decision, recorded by a signatory who has
/// declared no conflict of interest (law of 17 June 2016 art. 6).
#[tokio::test]
async fn rule_cdld_l1222_4_the_award_is_the_colleges_after_a_declaration_of_no_conflict() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    // A framework whose objective conditions allow a direct call-off (issue 11 rule 5).
    let rooms = add_direct_rooms(&app, None).await;
    let salles = draft_order(&app, rooms, "Salles", salles_needs()).await;
    app.apply(DG, "order.submit", submit(salles)).await;
    let direct = |decision: Value| {
        json!({"order_id": salles, "provider_id": demo_provider_id("reservix"),
               "justification": "Attribution directe aux conditions de l'accord-cadre.",
               "college_decision": decision})
    };
    // Without a declaration, the decision is not recorded.
    app.reject(
        DG,
        "order.direct_award",
        direct(app.college("COL/2026/300")),
        "conflict_declaration_missing",
    )
    .await;
    app.reject(
        DG,
        "order.declare_no_conflict",
        json!({"order_id": salles, "statement_sha256": "beef"}),
        "conflict_statement_changed",
    )
    .await;
    app.declare_no_conflict(DG, salles).await;
    // A declaration is not a provider's business, nor the centrale's.
    for (user, code) in [(NUAGIX, "forbidden"), (CENTRALE, "forbidden")] {
        app.reject(
            user,
            "order.declare_no_conflict",
            json!({"order_id": salles, "statement_sha256": statement()}),
            code,
        )
        .await;
    }
    let mut conseil = app.college("CC/2026/300");
    conseil["organ"] = json!({"kind": "conseil"});
    let r = app
        .reject(
            DG,
            "order.direct_award",
            direct(conseil),
            "decision_organ_not_competent",
        )
        .await;
    assert_eq!(r.details["field"], "college_decision.organ");
    assert_eq!(r.details["kind"], "award");
    app.apply(
        DG,
        "order.direct_award",
        direct(app.college("COL/2026/300")),
    )
    .await;
    let order = order_of(&app.state_of(DG).await, salles);
    assert_eq!(order["status"], "awarded");
    assert_eq!(
        order["award"]["college_decision"]["organ"]["kind"],
        "college"
    );
    let declarations = order["conflict_declarations"].as_array().unwrap();
    assert_eq!(declarations.len(), 1);
    assert_eq!(declarations[0]["role"], "director_general");
    assert_eq!(declarations[0]["statement_sha256"], statement());
    assert_eq!(declarations[0]["declared_at"], json!(app.clock.now()));
}

/// Law of 17 June 2016 art. 6, Dir. 2014/24 art. 24: whoever evaluates the offers declares
/// first that they have no conflict of interest; the declaration is in the order's record.
#[tokio::test]
async fn rule_law_2016_art_6_the_evaluation_needs_a_declaration_of_no_conflict() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition_declared(&app, &[]).await;
    let offer = Uuid::now_v7();
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(offer, &competition.invitation_id("nuagix"), 400_000, 15_000),
    )
    .await;
    app.clock.set(competition.deadline + Duration::hours(1));
    app.state_of(DG).await;
    let scores = |a: Uuid| -> Vec<Value> {
        ["quality", "lead_time"]
            .iter()
            .map(|code| {
                json!({"offer_id": a, "criterion_code": code, "points": "18",
                       "justification": "Très bonne réponse sur ce critère."})
            })
            .collect()
    };
    let evaluate = json!({"order_id": competition.order_id, "scores": scores(offer)});
    app.reject(
        AGENT,
        "order.evaluate",
        evaluate.clone(),
        "conflict_declaration_missing",
    )
    .await;
    app.declare_no_conflict(AGENT, competition.order_id).await;
    app.apply(AGENT, "order.evaluate", evaluate).await;
    // The mayor who records the award has not declared: refused until he does.
    let award = json!({"order_id": competition.order_id, "offer_id": offer,
        "justification": "Seule offre reçue, régulière, classée première.",
        "college_decision": app.college("COL/2026/245")});
    app.reject(
        MAYOR,
        "order.award",
        award.clone(),
        "conflict_declaration_missing",
    )
    .await;
    app.declare_no_conflict(MAYOR, competition.order_id).await;
    app.apply(MAYOR, "order.award", award).await;
    let order = order_of(&app.state_of(DG).await, competition.order_id);
    let who: Vec<&str> = order["conflict_declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["role"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["commune_staff", "mayor"]);
}

/// The convention's article 12 and CDLD L1132-3: notice is signed by the mayor and the
/// director general (two accounts), dated by the server on the second signature, and takes
/// effect on the first day of the month after three months' notice; orders are allowed until
/// then, refused from that day.
#[tokio::test]
async fn rule_convention_art_12_termination_signed_by_both_effective_after_the_notice() {
    let app = spawn_app().await;
    let adhesion = activate_adhesion(&app, "84009").await;
    let reason = "La commune rejoint la centrale d'achat de la province.";
    app.apply(
        DG,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason}),
    )
    .await;
    let a = app
        .state_of(DG)
        .await
        .get(RecordKind::Adhesion, adhesion)
        .unwrap();
    assert_eq!(a["status"], "active");
    assert_eq!(a["termination"]["notice_date"], json!(today0()));
    assert!(a["termination"]["mayor_signature"].is_null());
    // A typed date is not the server's: the payload has none, one sent is refused.
    let typed = app.envelope(
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason, "notice_date": "2026-01-01"}),
        None,
    );
    let body = json!({"protocol_version": 1, "client_id": app.client_id, "mutations": [typed]});
    let response = app.push_raw(&app.token(MAYOR).await, &body).await;
    assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    // The same person does not sign twice; the other signs the same notice.
    app.reject(
        DG,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason}),
        "already_signed",
    )
    .await;
    let r = app
        .reject(
            MAYOR,
            "adhesion.terminate",
            json!({"adhesion_id": adhesion, "reason": "Autre motif."}),
            "termination_reason_differs",
        )
        .await;
    assert_eq!(r.details["reason"], reason);
    // The mayor signs two days later: the notice is dated that day.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap());
    app.apply(
        MAYOR,
        "adhesion.terminate",
        json!({"adhesion_id": adhesion, "reason": reason}),
    )
    .await;
    let a = app
        .state_of(DG)
        .await
        .get(RecordKind::Adhesion, adhesion)
        .unwrap();
    let t = &a["termination"];
    assert_eq!(t["notice_date"], "2026-12-01");
    // Notice from 01/01/2027 to 31/03/2027: effective 01/04/2027.
    assert_eq!(t["effective_date"], "2027-04-01");
    assert_eq!(t["mayor_signature"]["role"], "mayor");
    assert_eq!(t["director_general_signature"]["role"], "director_general");
    assert_eq!(a["status"], "active");
    // The day before, an order is still sent; from the effective date, none.
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 31, 20, 0, 0).unwrap());
    assert_eq!(
        app.clock.today(),
        NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
    );
    let before = draft_order(&app, "e-guichet", "Avant la fin", eguichet_needs()).await;
    app.apply(DG, "order.submit", submit(before)).await;
    let after = draft_order(&app, "e-guichet", "Après la fin", eguichet_needs()).await;
    app.clock
        .set(Utc.with_ymd_and_hms(2027, 3, 31, 22, 30, 0).unwrap());
    app.reject(DG, "order.submit", submit(after), "adhesion_not_active")
        .await;
}
