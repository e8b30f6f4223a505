//! The pull and the scheduler (issue 19 §1): a pull never opens a competition itself, never
//! waits for nor fails with the scheduler's step, never shows a sealed offer, and its empty
//! pages move the cursor to the high-water mark.

use crate::common;

use centrale_protocol::records::RecordKind;
use centrale_protocol::PullResponse;
use centrale_server::Settings;
use centrale_server_db::testing::refuse_audit_appends;
use chrono::Duration;
use common::*;
use reqwest::StatusCode;
use uuid::Uuid;

/// `GET /api/v1/sync/pull` as a client sends it, without the test helper's scheduler turn.
async fn bare_pull(app: &TestApp, token: &str, cursor: i64) -> PullResponse {
    let response = app
        .get(&format!("/api/v1/sync/pull?cursor={cursor}"), Some(token))
        .await;
    let text = expect_status(response, StatusCode::OK).await;
    serde_json::from_str(&text).expect("pull response")
}

/// Every change after 0 of `token`'s user, following pages, without scheduler turns.
async fn bare_view(app: &TestApp, token: &str) -> View {
    let mut cursor = 0;
    let mut changes = Vec::new();
    loop {
        let page = bare_pull(app, token, cursor).await;
        changes.extend(page.changes);
        cursor = page.next_cursor;
        if !page.has_more {
            return View::of(&changes);
        }
    }
}

/// A competition of Bertrix with an offer of each provider, the clock a minute past its
/// deadline, nothing opened yet.
async fn offers_in_and_deadline_passed(app: &TestApp) -> Competition {
    activate_adhesion(app, "84009").await;
    let c = open_competition(app).await;
    for (user, short, setup) in [(NUAGIX, "nuagix", 390_000), (CIVITECH, "civitech", 420_000)] {
        app.apply(
            user,
            "offer.submit",
            offer_payload(Uuid::now_v7(), &c.invitation_id(short), setup, 15_000),
        )
        .await;
    }
    app.clock.set(c.deadline + Duration::minutes(1));
    c
}

/// What the commune reads of the competition: the order's status and its offers. Never an
/// offer before the opening. (`absent`: a pull from zero that raced the opening read the
/// order neither before it nor after it — rewritten meanwhile above the page's high-water
/// mark, it comes with the next pull.)
fn commune_sees(view: &View, c: &Competition) -> (String, usize) {
    let status = view
        .get(RecordKind::Order, c.order_id)
        .map_or("absent".to_string(), |o| {
            o["status"].as_str().unwrap().to_string()
        });
    let offers = offers_of(view, c.order_id).len();
    if status == "competition_open" || status == "absent" {
        assert_eq!(offers, 0, "a sealed offer was shown");
    }
    (status, offers)
}

#[tokio::test]
async fn a_pull_past_the_deadline_opens_nothing_itself_and_shows_no_sealed_offer() {
    let app = spawn_app().await;
    let c = offers_in_and_deadline_passed(&app).await;
    let dg = app.token(DG).await;
    let before = app.db.max_seq().await.unwrap();
    let view = bare_view(&app, &dg).await;
    assert_eq!(commune_sees(&view, &c), ("competition_open".to_string(), 0));
    assert_eq!(
        app.db.max_seq().await.unwrap(),
        before,
        "the pull wrote nothing"
    );
    // The scheduler's step opens; the next pull brings both offers.
    assert_eq!(
        centrale_server::scheduler::open_due(&app.state)
            .await
            .unwrap(),
        1
    );
    let view = bare_view(&app, &dg).await;
    assert_eq!(commune_sees(&view, &c), ("offers_opened".to_string(), 2));
}

#[tokio::test]
async fn the_first_pull_past_the_deadline_wakes_the_scheduler_loop() {
    // A loop that would wait an hour on its own: only the pull's nudge can wake it.
    let app = spawn_app_with(Settings {
        scheduler_interval_secs: 3600,
        ..Settings::default()
    })
    .await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    app.apply(
        NUAGIX,
        "offer.submit",
        offer_payload(Uuid::now_v7(), &c.invitation_id("nuagix"), 390_000, 14_000),
    )
    .await;
    let mut steps = app.state.scheduler.steps();
    let scheduler = centrale_server::scheduler::spawn(app.state.clone());
    steps.wait_for(|n| *n >= 1).await.expect("the first step");
    assert_eq!(app.state.scheduler.next_due(), Some(c.deadline));
    let dg = app.token(DG).await;
    // Before the deadline a pull does not wake it.
    app.clock.set(c.deadline - Duration::seconds(1));
    bare_pull(&app, &dg, 0).await;
    assert_eq!(*steps.borrow(), 1);

    app.clock.set(c.deadline + Duration::seconds(1));
    // The pull answers at once, whatever the loop is doing: before the opening or after it,
    // never with a sealed offer.
    let first = bare_view(&app, &dg).await;
    commune_sees(&first, &c);
    steps.wait_for(|n| *n >= 2).await.expect("the woken step");
    let view = bare_view(&app, &dg).await;
    assert_eq!(commune_sees(&view, &c), ("offers_opened".to_string(), 1));
    assert_eq!(app.state.scheduler.next_due(), None, "nothing left to open");
    scheduler.abort();
}

#[tokio::test]
async fn a_failing_scheduler_step_never_fails_a_pull() {
    let app = spawn_app().await;
    let c = offers_in_and_deadline_passed(&app).await;
    let dg = app.token(DG).await;
    let centrale = app.token(CENTRALE).await;
    // Every write now fails at its audit entry: the scheduler's step with it.
    refuse_audit_appends(&app.db, true).await;
    let failed = centrale_server::scheduler::open_due(&app.state).await;
    assert!(failed.is_err(), "{failed:?}");
    // Pulls still answer, with nothing sealed and nothing half-opened.
    for token in [&dg, &centrale] {
        let view = bare_view(&app, token).await;
        assert_eq!(commune_sees(&view, &c), ("competition_open".to_string(), 0));
    }
    // Once the fault is gone the next step opens.
    refuse_audit_appends(&app.db, false).await;
    assert_eq!(
        centrale_server::scheduler::open_due(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        commune_sees(&bare_view(&app, &dg).await, &c),
        ("offers_opened".to_string(), 2)
    );
}

#[tokio::test]
async fn an_empty_page_moves_the_cursor_past_other_communes_work() {
    let app = spawn_app().await;
    let dg = app.token(DG).await;
    let (_, cursor) = app.pull_since(&dg, 0).await;
    // Libramont works; Bertrix sees none of it, and its cursor moves past it.
    let elsewhere = Uuid::now_v7();
    app.apply(
        DG_OTHER,
        "order.create_draft",
        create_draft(
            elsewhere,
            "e-guichet",
            "Commande de Libramont",
            eguichet_needs(),
        ),
    )
    .await;
    let mark = app.db.max_seq().await.unwrap();
    assert!(mark > cursor);
    let page = bare_pull(&app, &dg, cursor).await;
    assert!(page.changes.is_empty());
    assert!(!page.has_more);
    assert_eq!(page.next_cursor, mark, "to the high-water mark");
    // A no-change pull from there stays there; Bertrix's next change comes after it.
    assert_eq!(bare_pull(&app, &dg, mark).await.next_cursor, mark);
    let mine = draft_order(&app, "e-guichet", "Commande de Bertrix", eguichet_needs()).await;
    let page = bare_pull(&app, &dg, mark).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].kind, RecordKind::Order);
    assert_eq!(page.changes[0].id, mine.to_string());
    assert_eq!(page.next_cursor, page.changes[0].seq);
    // The other commune's order never reached Bertrix.
    assert!(View::of(&app.pull_all(&dg).await)
        .get(RecordKind::Order, elsewhere)
        .is_none());
}
