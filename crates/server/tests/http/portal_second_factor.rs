//! Issue 17 point 9 on the providers' portal: an account turns on its second factor in « Mon
//! compte » (QR code, key, confirmation, recovery codes shown once); its offer is then remitted
//! with the code of its application, asked on the summary; it turns it off with a code. On
//! SQLite, and on PostgreSQL with `CENTRALE_TEST_BACKEND=postgres`.

use crate::common;

use centrale_server::second_factor::code_at;
use centrale_server::Clock;
use chrono::{DateTime, Duration, Utc};
use common::portal::{stored_offers, Browser};
use common::*;
use reqwest::StatusCode;

/// The text between two markers of a page.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in {html}"))
        + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// Six digits that are none of the codes the server accepts at `at`.
fn wrong_code(secret: &str, at: DateTime<Utc>) -> String {
    let accepted: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|s| code_at(secret, at + Duration::seconds(*s)))
        .collect();
    (0..4)
        .map(|n| format!("{n}{n}{n}{n}{n}{n}"))
        .find(|c| !accepted.contains(c))
        .unwrap()
}

#[tokio::test]
async fn issue_17_9_a_provider_turns_the_second_factor_on_and_remits_its_offer_with_its_code() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let inv = competition.invitation_id("nuagix");
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;

    let account = browser.get("/portail/compte").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.has("Non activée."), "{}", account.html);
    // The demo account is named after its company: the name once, in the header and the page.
    assert!(
        account.has("data-testid=\"account-holder\">Nuagix Services SA</p>"),
        "{}",
        account.html
    );
    assert_eq!(
        account.html.matches("Nuagix Services SA").count(),
        3,
        "header, page, sentence: {}",
        account.html
    );
    let setup = browser
        .post(
            "/portail/compte/double-authentification",
            &[("csrf", &account.csrf())],
        )
        .await;
    assert!(setup.has("data-testid=\"second-factor-qr\"") && setup.has("<svg"));
    let secret = between(
        &setup.html,
        "data-testid=\"second-factor-secret\">",
        "</code>",
    )
    .replace(' ', "");
    let wrong = browser
        .post(
            "/portail/compte/double-authentification/confirmer",
            &[
                ("csrf", &setup.csrf()),
                ("code", &wrong_code(&secret, app.clock.now())),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.has("n&#39;est pas le bon") || wrong.has("n'est pas le bon"),
        "{}",
        wrong.html
    );
    assert!(
        wrong.has("second-factor-qr"),
        "the QR code stays to try again"
    );
    let on = browser
        .post(
            "/portail/compte/double-authentification/confirmer",
            &[
                ("csrf", &setup.csrf()),
                ("code", &code_at(&secret, app.clock.now())),
            ],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.html);
    assert!(on.has("data-testid=\"recovery-codes\""));
    assert_eq!(on.html.matches("<li><code>").count(), 10, "{}", on.html);
    app.clock.advance(Duration::seconds(30));

    // The offer's summary asks for the code; without it, the summary comes back with why.
    let path = format!("/portail/invitations/{inv}/offre");
    let form = browser.get(&path).await;
    let csrf = form.csrf();
    let mut fields: Vec<(&str, String)> = vec![
        ("csrf", csrf.clone()),
        ("prix-0", "4 200,00".into()),
        ("prix-1", "150".into()),
        ("delai", "60".into()),
        ("remarques", String::new()),
        ("etape", "verifier".into()),
    ];
    let as_refs = |f: &[(&'static str, String)]| -> Vec<(&'static str, String)> { f.to_vec() };
    let post = |f: Vec<(&'static str, String)>| {
        let browser = &browser;
        let path = path.clone();
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post(&path, &pairs).await
        }
    };
    let review = post(as_refs(&fields)).await;
    assert!(
        review.has("Code de double authentification"),
        "{}",
        review.html
    );
    fields.pop();
    fields.push(("etape", "confirmer".into()));
    let refused = post(as_refs(&fields)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.has("Cet acte se signe avec le code"),
        "{}",
        refused.html
    );
    assert!(
        refused.has("data-testid=\"confirm-offer\""),
        "the summary again"
    );
    assert!(stored_offers(&app).await.is_empty());
    fields.push(("code", code_at(&secret, app.clock.now())));
    let receipt = post(as_refs(&fields)).await;
    assert_eq!(
        receipt.path,
        format!("/portail/invitations/{inv}/recu"),
        "{}",
        receipt.html
    );
    assert_eq!(stored_offers(&app).await.len(), 1);

    // Turned off with a code of the application.
    app.clock.advance(Duration::seconds(30));
    let account = browser.get("/portail/compte").await;
    assert!(account.has("Activée"));
    let off = browser
        .post(
            "/portail/compte/double-authentification/desactiver",
            &[
                ("csrf", &account.csrf()),
                ("code", &code_at(&secret, app.clock.now())),
            ],
        )
        .await;
    assert_eq!(off.path, "/portail/compte", "{}", off.html);
    assert!(off.has("La double authentification est désactivée."));
    assert!(off.has("Non activée."));
}
