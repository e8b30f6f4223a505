//! The files of the framework's own documents (issue 12 §2): upload by the centrale (stored
//! once, refused clearly when too large, of the wrong type, not the file announced, or cut
//! short — nothing stored then), the publication that needs every file, and the download by
//! the accounts entitled to it only.

use crate::common;

use centrale_domain::limits::DOCUMENT_FILE_MAX_BYTES;
use centrale_domain::sha256_hex;
use centrale_protocol::{DocumentFileStored, DOCUMENT_FILES_PATH, PROTOCOL_HEADER};
use centrale_server::seed::demo_framework_id;
use common::portal::Browser;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const AGORALUX: &str = "prestataire.agoralux";

/// A small PDF of its own (any text makes another file).
fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

async fn upload(
    app: &TestApp,
    user: &str,
    file_name: &str,
    sha: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    let token = app.token(user).await;
    app.http
        .put(app.url(&format!("{DOCUMENT_FILES_PATH}/{sha}")))
        .bearer_auth(token)
        .query(&[("file_name", file_name)])
        .body(body)
        .send()
        .await
        .unwrap()
}

/// A `PUT` of the file `sha` announcing `length` bytes and sending only `sent`, then closing
/// its side of the connection; the server's answer as text (empty when it gave none).
async fn raw_put(app: &TestApp, sha: &str, file_name: &str, length: usize, sent: &[u8]) -> String {
    let token = app.token(CENTRALE).await;
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PUT {DOCUMENT_FILES_PATH}/{sha}?file_name={file_name} HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let _ = stream.write_all(sent).await;
    let _ = stream.shutdown().await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn stored(app: &TestApp) -> i64 {
    app.db.count_document_files().await.unwrap()
}

async fn download(app: &TestApp, user: &str, sha: &str) -> reqwest::Response {
    let token = app.token(user).await;
    app.get(&format!("{DOCUMENT_FILES_PATH}/{sha}"), Some(&token))
        .await
}

#[tokio::test]
async fn the_centrale_uploads_a_file_once_and_every_refusal_stores_nothing() {
    let app = spawn_app().await;
    let before = stored(&app).await;
    let file = pdf("cahier spécial des charges v2");
    let sha = sha256_hex(&file);

    let response = upload(&app, CENTRALE, "csc-v2.pdf", &sha, file.clone()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: DocumentFileStored = response.json().await.unwrap();
    assert_eq!(
        (answer.sha256.as_str(), answer.newly_stored),
        (sha.as_str(), true)
    );
    assert_eq!(answer.size_bytes, file.len() as u64);
    // The same content again, under another name: stored once.
    let response = upload(&app, CENTRALE, "copie.pdf", &sha, file.clone()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: DocumentFileStored = response.json().await.unwrap();
    assert!(!answer.newly_stored);
    assert_eq!(stored(&app).await, before + 1);
    let back = download(&app, CENTRALE, &sha).await;
    assert_eq!(back.status(), StatusCode::OK);
    assert_eq!(back.bytes().await.unwrap().to_vec(), file);

    // Too large: refused from its announced length, before a byte of it is read.
    let answer = raw_put(
        &app,
        &"ab".repeat(32),
        "gros.pdf",
        DOCUMENT_FILE_MAX_BYTES + 1,
        b"%PDF-",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("document_file_too_large"), "{answer}");
    assert!(answer.contains("20 Mo au plus"), "{answer}");
    // Not one of the accepted types, or a name that lies about the content.
    let exe = b"MZ\x90\x00\x03 programme".to_vec();
    let body = assert_error(
        upload(&app, CENTRALE, "csc.pdf", &sha256_hex(&exe), exe).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "document_file_type_refused",
    )
    .await;
    assert!(body["message"].as_str().unwrap().contains("PDF"), "{body}");
    let other = pdf("autre");
    assert_error(
        upload(
            &app,
            CENTRALE,
            "csc.docx",
            &sha256_hex(&other),
            other.clone(),
        )
        .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "document_file_type_refused",
    )
    .await;
    // Not the file announced.
    assert_error(
        upload(&app, CENTRALE, "csc.pdf", &"ab".repeat(32), other.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "document_file_hash_mismatch",
    )
    .await;
    // Only the centrale uploads.
    assert_error(
        upload(&app, DG, "csc.pdf", &sha256_hex(&other), other.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(stored(&app).await, before + 1);
}

#[tokio::test]
async fn a_transfer_cut_short_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let before = stored(&app).await;
    let file = pdf(&"x".repeat(4000));
    let sha = sha256_hex(&file);
    // Half the file, then the connection is closed on our side.
    let answer = raw_put(&app, &sha, "csc.pdf", file.len(), &file[..file.len() / 2]).await;
    // The server answers when it still can; in every case nothing is stored.
    if !answer.is_empty() {
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        assert!(answer.contains("document_file_incomplete"), "{answer}");
        assert!(answer.contains("rien n'a été enregistré"), "{answer}");
    }
    assert_eq!(stored(&app).await, before);
    assert_eq!(
        download(&app, CENTRALE, &sha).await.status(),
        StatusCode::NOT_FOUND
    );
    // The whole file afterwards is stored.
    let response = upload(&app, CENTRALE, "csc.pdf", &sha, file).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.headers().contains_key(PROTOCOL_HEADER));
}

#[tokio::test]
async fn a_version_is_published_only_when_every_file_is_stored() {
    let app = spawn_app().await;
    let framework_id = demo_framework_id("CA-2025-01");
    let file = pdf("cahier spécial des charges v2");
    let sha = sha256_hex(&file);
    let publish = json!({
        "framework_id": framework_id,
        "change_note": "Cahier spécial des charges corrigé (coquille en page 3).",
        "legal_basis": {"kind": "correction", "note": "Coquille en page 3"},
        "documents": [{"title_fr": "Cahier spécial des charges", "version": "1.2",
                       "file_name": "csc-ca-2025-01.pdf", "sha256": sha}],
    });
    let r = app
        .reject(
            CENTRALE,
            "framework.publish_version",
            publish.clone(),
            "document_file_missing",
        )
        .await;
    assert_eq!(r.details["file_name"], "csc-ca-2025-01.pdf");
    assert!(r.message.unwrap().contains("Cahier spécial des charges"));
    let response = upload(&app, CENTRALE, "csc-ca-2025-01.pdf", &sha, file).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    app.apply(CENTRALE, "framework.publish_version", publish)
        .await;
}

#[tokio::test]
async fn the_demo_documents_are_real_files_that_communes_read() {
    let app = spawn_app().await;
    let view = app.state_of(DG).await;
    let framework = view
        .get(
            centrale_protocol::records::RecordKind::Framework,
            demo_framework_id("CA-2025-01"),
        )
        .unwrap();
    let documents = framework["versions"][0]["documents"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(documents.len(), 4);
    for d in &documents {
        let sha = d["sha256"].as_str().unwrap();
        let response = download(&app, DG, sha).await;
        assert_eq!(response.status(), StatusCode::OK, "{d}");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(sha256_hex(&bytes), sha);
    }
    // A hash no version names is nobody's business but the centrale's.
    let file = pdf("brouillon");
    let sha = sha256_hex(&file);
    upload(&app, CENTRALE, "brouillon.pdf", &sha, file).await;
    assert_eq!(
        download(&app, DG, &sha).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, CENTRALE, &sha).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_invited_provider_downloads_its_documents_and_no_other_provider_does() {
    let app = spawn_app().await;
    activate_adhesion(&app, "84009").await;
    let competition = open_competition(&app).await;
    let invitation = competition.invitation_of("nuagix");
    let documents: Vec<Value> = invitation["documents"].as_array().unwrap().clone();
    assert!(!documents.is_empty());
    let sha = documents[0]["sha256"].as_str().unwrap();
    let file_name = documents[0]["file_name"].as_str().unwrap();

    // Through the API.
    let response = download(&app, NUAGIX, sha).await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains(file_name), "{disposition}");
    assert_eq!(sha256_hex(&response.bytes().await.unwrap()), sha);
    let body = assert_error(
        download(&app, AGORALUX, sha).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(body["details"].as_object().unwrap().is_empty());

    // Through the portal: the invitation's page links each document.
    let path = format!(
        "/portail/invitations/{}/documents/{sha}",
        invitation["id"].as_str().unwrap()
    );
    let nuagix = Browser::new(&app);
    nuagix.login(NUAGIX).await;
    let page = nuagix
        .get(&format!(
            "/portail/invitations/{}",
            invitation["id"].as_str().unwrap()
        ))
        .await;
    assert!(page.has(&path), "{}", page.html);
    let response = nuagix
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(sha256_hex(&response.bytes().await.unwrap()), sha);
    let agoralux = Browser::new(&app);
    agoralux.login(AGORALUX).await;
    assert_eq!(agoralux.get(&path).await.status, StatusCode::NOT_FOUND);
}
