//! Issue 12 §1: the documents of a call-off and of an adhesion, typeset by the server from its
//! own database. The centrale gets every document, a commune those of its records (another
//! commune's order is absent), a provider only its own letters and the purchase order
//! addressed to it; nothing before the award (`document_not_yet`); the parts as a zip; the
//! portal's « Vos courriers ». On SQLite and PostgreSQL.

use crate::common::portal::Browser;
use crate::common::*;

use centrale_protocol::records::RecordKind;
use centrale_server::seed_history::{history_order_id, seed_demo_history};
use centrale_server::Clock;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

async fn listed(app: &TestApp, user: &str, path: &str) -> Vec<Value> {
    let token = app.token(user).await;
    let response = app.get(path, Some(&token)).await;
    let text = expect_status(response, StatusCode::OK).await;
    serde_json::from_str::<Vec<Value>>(&text).unwrap()
}

fn kinds(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

/// The PDF at `path` for `user`: 200, `application/pdf`, a Windows-safe attachment name.
async fn pdf(app: &TestApp, user: &str, path: &str) -> (Vec<u8>, String) {
    let token = app.token(user).await;
    let response = app.get(path, Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK, "{user} {path}");
    assert_eq!(response.headers()[CONTENT_TYPE], "application/pdf");
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{path} is a PDF");
    (bytes, disposition)
}

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn raw_get(browser: &Browser, path: &str) -> reqwest::Response {
    browser
        .http
        .get(format!("{}{}", browser.base, path))
        .send()
        .await
        .expect("GET")
}

fn provider_name(view: &View, short: &str) -> String {
    view.get(
        RecordKind::Provider,
        centrale_server::seed::demo_provider_id(short),
    )
    .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_account_gets_the_documents_of_its_own_records_and_a_provider_only_its_letters() {
    let app = spawn_app().await;
    seed_demo_history(&app.db, app.clock.now())
        .await
        .expect("history");
    // Bertrix's e-guichet: awarded to Nuagix over Civitech, its purchase order issued.
    let order = history_order_id("bertrix-eguichet");
    let base = format!("/api/v1/orders/{order}/documents");
    let view = app.state_of(CENTRALE).await;
    let nuagix = provider_name(&view, "nuagix");
    let civitech_id = centrale_server::seed::demo_provider_id("civitech");

    // The centrale and the commune: every document, the whole file and the zip.
    let all = kinds(&listed(&app, CENTRALE, &base).await);
    let civitech_letter = format!("information_letter-{civitech_id}");
    assert_eq!(
        &all[..3],
        ["launch_decision", "opening_record", "analysis_report"]
    );
    for k in [
        "award_decision",
        "notification_letter",
        civitech_letter.as_str(),
        "purchase_order",
        "whole_file",
        "zip",
    ] {
        assert!(all.iter().any(|a| a == k), "{k} in {all:?}");
    }
    assert_eq!(kinds(&listed(&app, DG, &base).await), all);
    let entry = listed(&app, DG, &base).await[2].clone();
    assert_eq!(entry["title"], "Rapport d'analyse des offres");
    assert_eq!(entry["href"], format!("{base}/analysis_report"));
    let (report, disposition) = pdf(&app, AGENT, &format!("{base}/analysis_report")).await;
    let file_name = entry["file_name"].as_str().unwrap();
    assert!(
        file_name.contains("Bertrix - Rapport d'analyse des offres"),
        "{file_name}"
    );
    assert!(
        disposition.contains("Rapport_d_analyse") || disposition.contains("Rapport d_analyse"),
        "{disposition}"
    );
    let text = text_of(&report);
    assert!(text.contains("Rapport d'analyse des offres"), "{text}");
    assert!(text.contains(&nuagix), "{text}");

    // Another commune's order is absent for Bertrix, as an unknown one.
    let arlon = history_order_id("arlon-voirie");
    for path in [
        format!("/api/v1/orders/{arlon}/documents"),
        format!("/api/v1/orders/{arlon}/documents/analysis_report"),
        format!("/api/v1/orders/{}/documents", Uuid::now_v7()),
        "/api/v1/orders/pas-un-id/documents".to_string(),
    ] {
        let response = app.get(&path, Some(&app.token(DG).await)).await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert!(
        !listed(&app, CENTRALE, &format!("/api/v1/orders/{arlon}/documents"))
            .await
            .is_empty()
    );

    // The winner: its notification and the purchase order addressed to it, nothing else.
    assert_eq!(
        kinds(&listed(&app, NUAGIX, &base).await),
        ["notification_letter", "purchase_order"]
    );
    let (letter, _) = pdf(&app, NUAGIX, &format!("{base}/notification_letter")).await;
    let text = text_of(&letter);
    assert!(text.contains("Notification de l'attribution"), "{text}");
    assert!(text.contains(&nuagix), "{text}");
    // The other tenderer: its information letter only.
    let own = format!("information_letter-{civitech_id}");
    assert_eq!(
        kinds(&listed(&app, CIVITECH, &base).await),
        std::slice::from_ref(&own)
    );
    pdf(&app, CIVITECH, &format!("{base}/{own}")).await;
    for (user, kind) in [
        (CIVITECH, "analysis_report"),
        (CIVITECH, "notification_letter"),
        (CIVITECH, "purchase_order"),
        (CIVITECH, "whole_file"),
        (CIVITECH, "zip"),
        (NUAGIX, own.as_str()),
        (NUAGIX, "award_decision"),
    ] {
        let response = app
            .get(&format!("{base}/{kind}"), Some(&app.token(user).await))
            .await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    // A provider not invited to the order: absent.
    let response = app
        .get(
            &format!("/api/v1/orders/{arlon}/documents"),
            Some(&app.token(NUAGIX).await),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app.get(&base, None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    // The zip: each part a PDF, numbered, then the whole file.
    let token = app.token(CENTRALE).await;
    let response = app.get(&format!("{base}/zip"), Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/zip");
    let bytes = response.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pieces.zip");
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("unzip")
        .arg("-Z1")
        .arg(&path)
        .output()
        .expect("unzip");
    let names = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = names.lines().collect();
    assert_eq!(names.len(), all.len() - 1, "{names:?}");
    assert_eq!(
        names[0],
        "01 - Projet de décision de lancement de la commande.pdf"
    );
    assert!(names
        .last()
        .unwrap()
        .ends_with("Dossier complet de la commande.pdf"));

    // The adhesion: its commune and the centrale; a provider never.
    let adhesion = view
        .find(RecordKind::Adhesion, "commune_nis", "84009")
        .into_iter()
        .find(|a| a["status"] == "active")
        .expect("Bertrix's adhesion");
    let adhesion_path = format!(
        "/api/v1/adhesions/{}/documents",
        adhesion["id"].as_str().unwrap()
    );
    assert_eq!(
        kinds(&listed(&app, MAYOR, &adhesion_path).await),
        ["deliberation", "signed_convention"]
    );
    let (convention, _) = pdf(
        &app,
        CENTRALE,
        &format!("{adhesion_path}/signed_convention"),
    )
    .await;
    assert!(text_of(&convention).contains("Bertrix"));
    for user in [NUAGIX, DG_OTHER] {
        let response = app.get(&adhesion_path, Some(&app.token(user).await)).await;
        assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
}

#[tokio::test]
async fn nothing_sealed_before_the_opening_and_no_letter_before_the_award() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let c = open_competition(&app).await;
    let base = format!("/api/v1/orders/{}/documents", c.order_id);
    assert_eq!(
        kinds(&listed(&app, DG, &base).await),
        ["launch_decision", "whole_file", "zip"]
    );
    for user in [NUAGIX, CIVITECH] {
        assert!(listed(&app, user, &base).await.is_empty());
        let response = app
            .get(
                &format!("{base}/notification_letter"),
                Some(&app.token(user).await),
            )
            .await;
        let body = assert_error(response, StatusCode::CONFLICT, "document_not_yet").await;
        assert!(
            body["message"].as_str().unwrap().contains("pas encore"),
            "{body}"
        );
    }
    let response = app
        .get(
            &format!("{base}/opening_record"),
            Some(&app.token(CENTRALE).await),
        )
        .await;
    assert_error(response, StatusCode::CONFLICT, "document_not_yet").await;

    // The portal shows no « Vos courriers » before the award.
    let browser = Browser::new(&app);
    browser.login(NUAGIX).await;
    let page = browser
        .get(&format!(
            "/portail/invitations/{}",
            c.invitation_id("nuagix")
        ))
        .await;
    assert!(!page.has("Vos courriers"));
}

#[tokio::test]
async fn the_portal_lists_the_providers_own_letters_after_the_award() {
    let app = spawn_app().await;
    seed_demo_history(&app.db, app.clock.now())
        .await
        .expect("history");
    let order = history_order_id("bertrix-eguichet");
    let view = app.state_of(CENTRALE).await;
    let invitation = |short: &str| -> String {
        let provider = centrale_server::seed::demo_provider_id(short).to_string();
        view.find(RecordKind::Invitation, "order_id", order.to_string())
            .into_iter()
            .rfind(|i| i["provider_id"] == provider.as_str())
            .expect("an invitation")["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let civitech_id = centrale_server::seed::demo_provider_id("civitech");

    let winner = Browser::new(&app);
    winner.login(NUAGIX).await;
    let page = winner
        .get(&format!("/portail/invitations/{}", invitation("nuagix")))
        .await;
    assert!(page.has("Vos courriers"), "{}", page.html);
    assert!(page.has("Notification de l'attribution (PDF)"));
    assert!(page.has("Bon de commande (PDF)"));
    assert!(!page.has("Information d'un soumissionnaire"));
    let letter = format!(
        "/portail/invitations/{}/courriers/notification_letter",
        invitation("nuagix")
    );
    assert!(page.has(&letter));

    let loser = Browser::new(&app);
    loser.login(CIVITECH).await;
    let page = loser
        .get(&format!("/portail/invitations/{}", invitation("civitech")))
        .await;
    assert!(
        page.has("Information d'un soumissionnaire"),
        "{}",
        page.html
    );
    assert!(!page.has("Notification de l'attribution (PDF)"));
    // Its letter downloads; the winner's is the portal's 404 for it.
    let own = raw_get(
        &loser,
        &format!(
            "/portail/invitations/{}/courriers/information_letter-{civitech_id}",
            invitation("civitech")
        ),
    )
    .await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(own.headers()[CONTENT_TYPE], "application/pdf");
    let text = text_of(&own.bytes().await.unwrap());
    assert!(
        text.contains("Information d'un soumissionnaire") || text.contains("soumissionnaire"),
        "{text}"
    );
    let other = raw_get(
        &loser,
        &format!(
            "/portail/invitations/{}/courriers/notification_letter",
            invitation("civitech")
        ),
    )
    .await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}
