//! Issue 11 rule 17, on SQLite and PostgreSQL: a commune merger applied on a running server
//! (the function `centrale-server commune merge` calls) moves the merged communes' adhesions,
//! orders (invitations, offers) and milestones to the new commune with their history, and its
//! accounts; lists count the communes in force; the audit chain records it; twice is once.
//!
//! The demo data already carries the 2025 Bastogne merger (the seed applies it), so the
//! running merger is tried on a fictitious one: Bertrix (84009, whose accounts the test
//! helpers use) and Herbeumont (84029) into « Bertrix » (84080).

use crate::common;

use centrale_domain::commune::{Commune, Merger, NisCode};
use centrale_protocol::records::RecordKind;
use centrale_server::engine::{merge_communes, EngineError};
use centrale_server::Clock;
use chrono::Days;
use common::*;
use serde_json::json;

fn communes_in_force(view: &View, day: chrono::NaiveDate) -> Vec<Commune> {
    view.all(RecordKind::Commune)
        .into_iter()
        .map(|c| serde_json::from_value::<Commune>(c).unwrap())
        .filter(|c| c.is_valid_on(day))
        .collect()
}

fn bertrix_herbeumont(on: chrono::NaiveDate) -> Merger {
    Merger {
        new_nis: NisCode::parse("84080").unwrap(),
        name_fr: "Bertrix".into(),
        name_nl: "Bertrix".into(),
        merged: vec![
            NisCode::parse("84009").unwrap(),
            NisCode::parse("84029").unwrap(),
        ],
        effective: on,
        main_postal_code: "6880".into(),
    }
}

fn refusal(e: EngineError) -> String {
    match e {
        EngineError::Rejected(r) => {
            assert_french(&r.message);
            r.code
        }
        other => panic!("{other:?}"),
    }
}

/// The seed's Bastogne merger is recognised: running it again changes nothing, and the
/// province counts its 43 communes in force, not 45.
#[tokio::test]
async fn rule_17_the_bastogne_merger_is_applied_once_and_43_communes_are_counted() {
    let app = spawn_app().await;
    let seq = app.db.max_seq().await.unwrap();
    let report = merge_communes(&app.db, &Merger::bastogne_2025(), app.clock.now())
        .await
        .unwrap();
    assert!(report.already_applied);
    assert_eq!(app.db.max_seq().await.unwrap(), seq);
    let view = app.state_of(CENTRALE).await;
    assert_eq!(view.all(RecordKind::Commune).len(), 45);
    let in_force = communes_in_force(&view, app.clock.today());
    assert_eq!(in_force.len(), 43);
    assert!(in_force.iter().any(|c| c.nis_code.as_str() == "82039"));
    assert!(!in_force.iter().any(|c| c.nis_code.as_str() == "82005"));
}

/// A merger on a running server: every record of the merged commune moves with its history
/// and says where it came from; the accounts follow; the centrale counts one commune fewer.
#[tokio::test]
async fn rule_17_a_merger_moves_records_and_accounts_with_their_history() {
    let app = spawn_app().await;
    let (order_id, _) = crate::execution::awarded(&app).await;
    let today = app.clock.today();
    let before = communes_in_force(&app.state_of(CENTRALE).await, today).len();
    assert_eq!(before, 43);

    // Refused: a day in the future, an unknown commune.
    let early = bertrix_herbeumont(today + Days::new(1));
    let err = merge_communes(&app.db, &early, app.clock.now())
        .await
        .unwrap_err();
    assert_eq!(refusal(err), "date_out_of_range");
    let mut unknown = bertrix_herbeumont(today);
    unknown.merged.push(NisCode::parse("99999").unwrap());
    let err = merge_communes(&app.db, &unknown, app.clock.now())
        .await
        .unwrap_err();
    assert_eq!(refusal(err), "merger_commune_unknown");

    let merger = bertrix_herbeumont(today);
    let report = merge_communes(&app.db, &merger, app.clock.now())
        .await
        .unwrap();
    assert!(!report.already_applied);
    assert_eq!(report.adhesions, 1);
    assert_eq!(report.orders, 1);
    assert_eq!(report.invitations, 2);
    assert_eq!(report.offers, 2);
    assert_eq!(report.milestones, 7);
    assert!(report.accounts >= 3, "{report:?}");
    let dg = app.db.find_user_by_username(DG).await.unwrap().unwrap();
    assert_eq!(dg.commune_nis.as_deref(), Some("84080"));

    // The new commune's account pulls everything, moved, with where it came from.
    let formerly = json!({"from_nis": "84009", "from_name": "Bertrix", "on": today});
    let view = app.state_of(DG).await;
    let order = order_of(&view, order_id);
    assert_eq!(order["commune_nis"], "84080");
    assert_eq!(order["formerly"], formerly);
    assert_eq!(order["status"], "awarded", "its history is kept");
    assert!(order["award"].is_object());
    let adhesions = view.all(RecordKind::Adhesion);
    assert_eq!(adhesions.len(), 1);
    assert_eq!(adhesions[0]["commune_nis"], "84080");
    assert_eq!(adhesions[0]["status"], "active");
    assert_eq!(adhesions[0]["formerly"], formerly);
    let milestones = view.find(RecordKind::Milestone, "order_id", order_id.to_string());
    assert_eq!(milestones.len(), 7);
    assert!(milestones
        .iter()
        .all(|m| m["commune_nis"] == "84080" && m["formerly"] == formerly));
    assert_eq!(
        offers_of(&view, order_id).len(),
        2,
        "opened offers stay visible"
    );
    assert_eq!(
        view.find(RecordKind::Invitation, "order_id", order_id.to_string())
            .len(),
        2
    );
    // The winner still follows its milestones.
    let nuagix = app.state_of(NUAGIX).await;
    assert_eq!(
        nuagix
            .find(RecordKind::Milestone, "order_id", order_id.to_string())
            .len(),
        7
    );
    // The commune's account still acts, as the new commune.
    app.apply(
        DG,
        "order.create_draft",
        create_draft(
            uuid::Uuid::now_v7(),
            "e-guichet",
            "Après la fusion",
            eguichet_needs(),
        ),
    )
    .await;

    // The centrale: the old communes ended the day before, the new one in force, one fewer.
    let centrale = app.state_of(CENTRALE).await;
    let in_force = communes_in_force(&centrale, today);
    assert_eq!(in_force.len(), 42);
    let new = in_force
        .iter()
        .find(|c| c.nis_code.as_str() == "84080")
        .unwrap();
    assert_eq!(new.name_fr, "Bertrix");
    let old: Commune =
        serde_json::from_value(centrale.get(RecordKind::Commune, "84029").unwrap()).unwrap();
    assert_eq!(old.valid_until, today.pred_opt());
    assert_eq!(old.successor.as_ref().map(NisCode::as_str), Some("84080"));

    // The audit chain records it once.
    let audit = app.db.list_audit(0, 100_000).await.unwrap();
    let entries: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "commune.merge")
        .collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].details["from"], json!(["84009", "84029"]));
    assert!(app.db.verify_audit().await.unwrap().first_problem.is_none());

    // Twice is once; an ended commune is not merged again.
    let seq = app.db.max_seq().await.unwrap();
    let again = merge_communes(&app.db, &merger, app.clock.now())
        .await
        .unwrap();
    assert!(again.already_applied);
    assert_eq!(app.db.max_seq().await.unwrap(), seq);
    let mut other = bertrix_herbeumont(today);
    other.new_nis = NisCode::parse("84081").unwrap();
    let err = merge_communes(&app.db, &other, app.clock.now())
        .await
        .unwrap_err();
    assert_eq!(refusal(err), "merger_commune_ended");
}
