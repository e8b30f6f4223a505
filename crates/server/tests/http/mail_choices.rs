//! Issue 14 §1: each account chooses, per kind of message, « tout de suite », « un résumé
//! quotidien » or « rien » — legal notifications always go at once. With the real SMTP server
//! of `mail.rs` (aiosmtpd on loopback), on SQLite and PostgreSQL.

use std::collections::HashSet;
use std::sync::Arc;

use centrale_protocol::records::RecordKind;
use centrale_server::mail::{deliver_due, write_due_digests, write_due_reminders, Delivery};
use centrale_server::seed::{demo_email, demo_provider_id};
use centrale_server::{AppState, Clock};
use chrono::{Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::portal::Browser;
use crate::common::*;
use crate::mail::{deliver, new_messages, provider_email, settings, to, Smtp};

const SET: &str = "account.set_mail_preferences";

async fn user_id(app: &TestApp, username: &str) -> String {
    app.db
        .find_user_by_username(username)
        .await
        .unwrap()
        .expect("a demo account")
        .id
}

/// « Rien » for a kind: no message of that kind to that account (recorded as not sent by
/// choice, never as a failure), the others still told; a legal notification cannot be turned
/// off and still arrives; nobody chooses for someone else. The choice is the account's synced
/// record, and the greeting is the account's gendered quality.
#[tokio::test]
async fn issue_14_rien_stops_that_kind_but_legal_notifications_still_arrive() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    activate_adhesion(&app, "84009").await;
    deliver(&app).await;
    let mut seen = HashSet::new();
    let _ = new_messages(&smtp, &mut seen);

    let dg = user_id(&app, DG).await;
    app.apply(
        DG,
        SET,
        json!({"account": dg, "choices": [{"kind": "offers_opened", "choice": "nothing"}]}),
    )
    .await;
    let nuagix = format!("provider:{}", demo_provider_id("nuagix"));
    app.apply(
        NUAGIX,
        SET,
        json!({"account": nuagix, "choices": [{"kind": "deadline_reminder", "choice": "nothing"}]}),
    )
    .await;
    let refused = app
        .reject(
            NUAGIX,
            SET,
            json!({"account": nuagix, "choices": [{"kind": "award_notification", "choice": "nothing"}]}),
            "mail_kind_legal",
        )
        .await;
    assert!(refused.message.unwrap().contains("notification légale"));
    app.reject(
        CENTRALE,
        SET,
        json!({"account": dg, "choices": []}),
        "mail_preferences_not_own",
    )
    .await;
    // The choice syncs to the account's PCs like any record (its commune's audience).
    let view = app.state_of(DG).await;
    let record = view
        .get(RecordKind::MailPreferences, &dg)
        .expect("the DG's preferences are pulled");
    assert_eq!(record["choices"][0]["choice"], "nothing");
    assert!(app
        .state_of(NUAGIX)
        .await
        .get(RecordKind::MailPreferences, &dg)
        .is_none());

    // The invitation is legal: Nuagix gets it all the same.
    let c = open_competition(&app).await;
    deliver(&app).await;
    let invitations = new_messages(&smtp, &mut seen);
    let centrale_view = app.state_of(CENTRALE).await;
    let nuagix_email = provider_email(&centrale_view, "nuagix");
    let civitech_email = provider_email(&centrale_view, "civitech");
    assert_eq!(to(&invitations, &nuagix_email).len(), 1, "{invitations:#?}");
    assert_eq!(to(&invitations, &civitech_email).len(), 1);

    // The reminder is Nuagix's to refuse: written for both, sent to Civitech only.
    app.clock.set(c.deadline - Duration::days(3));
    assert_eq!(write_due_reminders(&app.state).await.unwrap(), 2);
    deliver(&app).await;
    let reminders = new_messages(&smtp, &mut seen);
    assert_eq!(reminders.len(), 1, "{reminders:#?}");
    assert!(reminders[0].to.contains(&civitech_email));
    let rows = app.db.all_messages().await.unwrap();
    let skipped: Vec<_> = rows
        .iter()
        .filter(|r| r.kind == "deadline_reminder" && r.delivery == "nothing")
        .collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].recipient_email, nuagix_email);
    assert!(skipped[0].sent_at.is_none() && skipped[0].failed_at.is_none());
    assert!(
        app.db.failed_messages().await.unwrap().is_empty(),
        "not sent by choice is not a failure"
    );

    // Offers opened: the mayor, the agent, the échevin and the centrale are told; the DG chose
    // nothing.
    app.clock.set(c.deadline);
    let _ = app.state_of(DG).await;
    deliver(&app).await;
    let opened = new_messages(&smtp, &mut seen);
    assert!(to(&opened, &demo_email(DG)).is_empty(), "{opened:#?}");
    for who in [MAYOR, AGENT, ALDERMAN, CENTRALE] {
        assert_eq!(to(&opened, &demo_email(who)).len(), 1, "{who}");
    }
    assert_eq!(opened.len(), 4);
    // Each person is greeted with their quality, gendered.
    let mayor = &to(&opened, &demo_email(MAYOR))[0];
    assert!(
        mayor.text.starts_with("Monsieur le Bourgmestre,"),
        "{}",
        mayor.text
    );
    let agent = &to(&opened, &demo_email(AGENT))[0];
    assert!(
        agent.text.starts_with("Madame Sophie Renard,"),
        "{}",
        agent.text
    );
}

/// « Un résumé quotidien »: nothing at once; at the configured hour (Brussels) one message
/// lists each held message's subject and where to act, written and sent once even by two
/// servers over the same database at the same instant; the held ones are then marked as
/// listed by it.
#[tokio::test]
async fn issue_14_resume_holds_then_one_digest_at_the_hour_sent_once_by_two_servers() {
    let smtp = Smtp::up();
    let app = spawn_app_with(settings(&smtp)).await;
    let mayor = user_id(&app, MAYOR).await;
    app.apply(
        MAYOR,
        SET,
        json!({"account": mayor, "choices": [
            {"kind": "adhesion_signature", "choice": "digest"},
            {"kind": "adhesion_activated", "choice": "digest"}
        ]}),
    )
    .await;
    activate_adhesion(&app, "84009").await;
    deliver(&app).await;
    let mut seen = HashSet::new();
    let first = new_messages(&smtp, &mut seen);
    assert!(to(&first, &demo_email(MAYOR)).is_empty(), "{first:#?}");
    assert!(!to(&first, &demo_email(DG)).is_empty());
    let held: Vec<_> = app
        .db
        .all_messages()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.delivery == "digest")
        .collect();
    assert_eq!(held.len(), 3, "two signatures asked, one activation");
    assert!(held
        .iter()
        .all(|r| r.recipient_account.as_deref() == Some(mayor.as_str()) && r.sent_at.is_none()));

    // 29/11 at 10:00 in Brussels: today's 08:00 digest moment came before these messages.
    assert_eq!(write_due_digests(&app.state).await.unwrap(), 0);

    // 30/11 at 08:00 in Brussels (07:00 UTC): two servers write and send at the same instant.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap());
    let clock: Arc<dyn Clock> = app.clock.clone();
    let other = AppState::new(app.db.clone(), clock, settings(&smtp));
    let (a, b) = tokio::join!(write_due_digests(&app.state), write_due_digests(&other));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one digest for the day");
    let (x, y) = tokio::join!(deliver_due(&app.state), deliver_due(&other));
    assert_eq!(x.unwrap().sent + y.unwrap().sent, 1);
    let digest = new_messages(&smtp, &mut seen);
    assert_eq!(digest.len(), 1, "{digest:#?}");
    let d = &digest[0];
    assert!(d.to.contains(&demo_email(MAYOR)));
    assert_eq!(d.subject, "Résumé quotidien du 30/11/2026 : 3 messages");
    assert!(d.text.starts_with("Monsieur le Bourgmestre,"), "{}", d.text);
    assert_eq!(
        d.text
            .matches("- À signer : adhésion de Bertrix à la centrale — Dans l'application Centrale : Adhésion")
            .count(),
        2,
        "{}",
        d.text
    );
    assert!(d.text.contains("- Adhésion active : Bertrix"), "{}", d.text);
    assert!(d.html.contains("<li>"), "{}", d.html);

    // The held ones are listed by it; a later pass writes and sends nothing more.
    let rows = app.db.all_messages().await.unwrap();
    let sent_digest = rows
        .iter()
        .find(|r| r.kind == "daily_digest")
        .expect("the digest row");
    assert!(sent_digest.sent_at.is_some());
    assert!(rows
        .iter()
        .filter(|r| r.delivery == "digest")
        .all(|r| r.digest_id.as_deref() == Some(sent_digest.id.as_str()) && r.sent_at.is_none()));
    assert_eq!(write_due_digests(&app.state).await.unwrap(), 0);
    assert_eq!(write_due_digests(&other).await.unwrap(), 0);
    assert_eq!(deliver(&app).await, Delivery::default());
}

/// The portal's « Mes notifications »: one fieldset with its legend per kind the provider may
/// choose, the legal notifications listed without a choice; the choice is saved through the
/// one write path and shown again.
#[tokio::test]
async fn issue_14_the_portal_form_sets_the_providers_choices() {
    let app = spawn_app().await;
    let browser = Browser::new(&app);
    let home = browser.login(NUAGIX).await;
    assert!(home.has("href=\"/portail/notifications\""), "{}", home.html);
    let page = browser.get("/portail/notifications").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("<h1>Mes notifications</h1>"), "{}", page.html);
    assert!(page.has("<legend>Rappel avant la date limite de remise des offres</legend>"));
    assert!(page.has("Toujours envoyé tout de suite — notification légale."));
    assert!(
        page.has("Notification de la décision d&#39;attribution")
            || page.has("Notification de la décision d'attribution")
    );
    assert!(
        !page.has("name=\"choice-award_notification\""),
        "no choice for a legal one"
    );
    assert!(page.has("<label for=\"choice-deadline_reminder-digest\">Un résumé quotidien</label>"));

    let csrf = page.csrf();
    let saved = browser
        .post(
            "/portail/notifications",
            &[
                ("csrf", csrf.as_str()),
                ("choice-deadline_reminder", "digest"),
                ("choice-milestone_late", "nothing"),
                // A legal kind sent anyway is not read.
                ("choice-award_notification", "nothing"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.html);
    assert_eq!(saved.path, "/portail/notifications");
    assert!(saved.has("Vos choix sont enregistrés."), "{}", saved.html);
    assert!(saved.has("id=\"choice-deadline_reminder-digest\" name=\"choice-deadline_reminder\" value=\"digest\" checked"), "{}", saved.html);
    let stored = app
        .db
        .mail_preferences(&format!("provider:{}", demo_provider_id("nuagix")))
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![
            ("deadline_reminder".to_string(), "digest".to_string()),
            ("milestone_late".to_string(), "nothing".to_string()),
        ]
    );

    // Without the form's token nothing is written.
    let refused = browser
        .post(
            "/portail/notifications",
            &[("choice-milestone_late", "digest")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
