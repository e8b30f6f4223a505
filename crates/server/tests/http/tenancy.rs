//! Several centrales on one server (issue 19 §3): each over its own database, reached by its
//! host name; nothing crosses between them — accounts, tokens, records, audit chain — and one
//! centrale's writer never waits for another's.

use std::time::Duration;

use centrale_protocol::records::RecordKind;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::common::*;

const BEP: &str = "bep.centrale.test";

#[tokio::test]
async fn issue_19_two_centrales_on_one_server_share_nothing() {
    let (idelux, bep) = spawn_two_centrales(BEP, "Centrale d'achat du BEP").await;

    // The same demo name in both, two accounts: each centrale signs in its own.
    let token_idelux = idelux.token(DG).await;
    let token_bep = bep.token(DG).await;
    assert_ne!(token_idelux, token_bep);
    // A token is good only where it was given.
    let me = idelux.get("/api/v1/me", Some(&token_bep)).await;
    assert_error(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let me = bep.get("/api/v1/me", Some(&token_idelux)).await;
    assert_error(me, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        bep.get("/api/v1/me", Some(&token_bep)).await.status(),
        StatusCode::OK
    );

    // Each tells its own name to its PCs.
    let page = bep.pull_page(&token_bep, 0, Some(1)).await;
    let settings = page.settings.expect("the server's settings");
    assert_eq!(
        settings.centrale_name.as_deref(),
        Some("Centrale d'achat du BEP")
    );
    let page = idelux.pull_page(&token_idelux, 0, Some(1)).await;
    assert_ne!(
        page.settings.expect("settings").centrale_name.as_deref(),
        Some("Centrale d'achat du BEP")
    );

    // An order written at one centrale exists only there.
    let audit_before = bep.db.verify_audit().await.unwrap().entries;
    let order = draft_order(&idelux, "e-guichet", "E-guichet d'IDELUX", eguichet_needs()).await;
    let at_idelux = View::of(&idelux.pull_all(&token_idelux).await);
    assert!(at_idelux.get(RecordKind::Order, order).is_some());
    let at_bep = View::of(&bep.pull_all(&token_bep).await);
    assert!(at_bep.get(RecordKind::Order, order).is_none());
    assert!(at_bep.all(RecordKind::Order).is_empty());
    // A mutation naming it at the other centrale finds nothing there.
    let refused = bep
        .push_one_as(DG, "order.submit", submit(order), Some(1))
        .await;
    assert_ne!(refused.status, centrale_protocol::MutationStatus::Applied);

    // Each audit chain holds its own acts, whole.
    let idelux_audit = idelux.db.verify_audit().await.unwrap();
    let bep_audit = bep.db.verify_audit().await.unwrap();
    assert!(idelux_audit.first_problem.is_none() && bep_audit.first_problem.is_none());
    let idelux_entries = idelux.db.list_audit(0, 10_000).await.unwrap();
    assert!(idelux_entries
        .iter()
        .any(|e| e.record_id.as_deref() == Some(&order.to_string())));
    let bep_entries = bep.db.list_audit(0, 10_000).await.unwrap();
    assert!(!bep_entries
        .iter()
        .any(|e| e.record_id.as_deref() == Some(&order.to_string())));
    // The refused act is BEP's to record, if anything: never written into IDELUX's chain.
    assert!(bep_audit.entries >= audit_before);
}

#[tokio::test]
async fn issue_19_one_centrales_writer_never_waits_for_anothers() {
    let (idelux, bep) = spawn_two_centrales(BEP, "Centrale d'achat du BEP").await;
    let idelux_token = idelux.token(DG).await;
    let bep_token = bep.token(DG).await;

    // IDELUX's write lock held (a long act in progress).
    let held = idelux.db.write().await.expect("IDELUX's writer");

    // BEP writes meanwhile.
    let id = Uuid::now_v7();
    let written = tokio::time::timeout(
        Duration::from_secs(60),
        bep.push(
            &bep_token,
            vec![(
                "order.create_draft",
                create_draft(id, "e-guichet", "E-guichet du BEP", eguichet_needs()),
                None,
            )],
        ),
    )
    .await
    .expect("BEP's write does not wait for IDELUX's");
    assert_eq!(
        written.results[0].status,
        centrale_protocol::MutationStatus::Applied
    );

    // IDELUX's own write waits for its own lock, and goes through once it is free.
    let idelux_id = Uuid::now_v7();
    let waiting = idelux.push(
        &idelux_token,
        vec![(
            "order.create_draft",
            create_draft(
                idelux_id,
                "e-guichet",
                "E-guichet d'IDELUX",
                eguichet_needs(),
            ),
            None,
        )],
    );
    tokio::pin!(waiting);
    assert!(
        tokio::time::timeout(Duration::from_millis(300), &mut waiting)
            .await
            .is_err(),
        "IDELUX's write waits while its own writer is busy"
    );
    drop(held);
    let done = waiting.await;
    assert_eq!(
        done.results[0].status,
        centrale_protocol::MutationStatus::Applied
    );
}

#[tokio::test]
async fn issue_19_an_unknown_host_name_is_the_servers_own_centrale() {
    let (idelux, _bep) = spawn_two_centrales(BEP, "Centrale d'achat du BEP").await;
    let token = idelux.token(DG).await;
    // Another name for the same address (an IP, a name nobody configured): the own centrale.
    let other = reqwest::Client::builder()
        .resolve("autre.centrale.test", idelux.base[7..].parse().unwrap())
        .build()
        .unwrap();
    let port = idelux.base.rsplit(':').next().unwrap();
    let response = other
        .get(format!("http://autre.centrale.test:{port}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Upper case and a final dot name the same host.
    let bep_like = reqwest::Client::builder()
        .resolve("BEP.centrale.test.", idelux.base[7..].parse().unwrap())
        .build()
        .unwrap();
    let response = bep_like
        .get(format!("http://BEP.centrale.test.:{port}/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "IDELUX's token at BEP's name"
    );
}
