//! Steps the desktop journeys share, as a commune's staff do them in the app.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use uuid::Uuid;

use crate::desktop::DesktopApp;
use centrale_server::seed::demo_service_id;

/// The order page's id, read from the address (`#/commandes/<id>`).
pub async fn order_id_on_screen(app: &DesktopApp) -> Uuid {
    app.script("return window.location.hash.split('/')[2].split('?')[0];")
        .await
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("the order page's address holds its id")
}

/// « Nouvelle commande » of the e-guichet (set-up and 9 licences), filled and saved as a
/// draft, `screenshot` taken of the filled form. Returns the new order's id.
pub async fn draft_eguichet_order(app: &DesktopApp, title: &str, screenshot: &str) -> Uuid {
    app.click("nav-commandes").await;
    app.click("new-order").await;
    app.set_value("order-service", &demo_service_id("e-guichet").to_string())
        .await;
    app.type_into("order-title", title).await;
    for (line, quantity) in [("setup", "1"), ("licence", "9")] {
        app.type_into(
            &format!("[data-testid=\"need-quantity\"][data-line-code=\"{line}\"]"),
            quantity,
        )
        .await;
    }
    app.type_into(
        "order-sites",
        "Administration communale, Place des Trois Fers 1",
    )
    .await;
    app.type_into("order-budget", "45 000,00").await;
    app.screenshot(screenshot).await;
    app.click("order-save").await;
    app.find("order-status").await;
    order_id_on_screen(app).await
}

/// The request is sent with the conseil's decision that launches it (CDLD L1222-3), dated
/// `meeting` and typed day first, and its budget article; then confirmed.
pub async fn send_request(app: &DesktopApp, meeting: NaiveDate) {
    app.type_into("submit-decision-reference", "CC/2026/118")
        .await;
    app.type_into(
        "submit-decision-date",
        &meeting.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.type_into("submit-budget-article", "104/123-13").await;
    app.click("order-submit").await;
    app.find("confirm-dialog").await;
    app.click("confirm-accept").await;
}

/// Before the offers show, the signed-in account declares it has no conflict of interest
/// (law of 17 June 2016 art. 6); then syncs.
pub async fn declare_no_conflict(app: &DesktopApp) {
    app.find("coi-gate").await;
    app.click("coi-accept").await;
    app.click("coi-declare").await;
    app.sync_now().await;
    app.find("offer-comparison").await;
}

/// The commune scores the opened offers' quality (« 8,5 » and « 6 », typed with a comma) and
/// saves the evaluation; then syncs until the ranks show.
pub async fn score_offers(app: &DesktopApp) {
    app.find("offer-comparison").await;
    app.wait_count("offer-column", 2).await;
    for (i, score) in app.all("quality-score").await.iter().enumerate() {
        score.clear().await.expect("clear a score");
        score
            .send_keys(if i % 2 == 0 { "8,5" } else { "6" })
            .await
            .expect("type a score");
    }
    for justification in app.all("quality-justification").await {
        justification
            .send_keys("Démonstration convaincante, support en français.")
            .await
            .expect("type a justification");
    }
    app.click("evaluation-save").await;
    app.sync_now().await;
    app.wait_text("offer-rank", "1").await;
}

/// The offer ranked first on the comparison (its id).
pub async fn first_ranked_offer(app: &DesktopApp) -> String {
    for rank in app.all("offer-rank").await {
        if app.attr(&rank, "data-rank").await == "1" {
            return app.attr(&rank, "data-offer-id").await;
        }
    }
    panic!("no offer ranked first\n{}", app.page_text().await)
}

/// The collège's decision typed into the award form, then « Attribuer » on the offer ranked
/// first; `screenshot` of the confirmation before accepting it. Returns the offer's id.
pub async fn award_first_ranked(
    app: &DesktopApp,
    college_reference: &str,
    meeting: NaiveDate,
    screenshot: &str,
) -> String {
    let first = first_ranked_offer(app).await;
    app.type_into("award-college-reference", college_reference)
        .await;
    // The meeting was held on `meeting`, the server's today: on or after the opening of the
    // offers (a decision cannot precede them) and not in the future.
    // Typed as a Belgian secretary types it, day first (the PC runs in English).
    app.type_into(
        "award-college-date",
        &meeting.format("%d/%m/%Y").to_string(),
    )
    .await;
    app.type_into(
        "award-justification",
        "Offre classée première selon les critères et pondérations de l'accord-cadre.",
    )
    .await;
    app.click(&format!(
        "[data-testid=\"award-offer\"][data-offer-id=\"{first}\"]"
    ))
    .await;
    app.find("confirm-dialog").await;
    app.screenshot(screenshot).await;
    app.click("confirm-accept").await;
    app.wait_text("order-status", "Attribuée").await;
    first
}

/// `date` at `hh:mm` in Brussels, as the instant the server stores.
pub fn brussels(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("a time of day");
    Brussels
        .from_local_datetime(&date.and_time(time))
        .single()
        .expect("an unambiguous Brussels time")
        .with_timezone(&Utc)
}
