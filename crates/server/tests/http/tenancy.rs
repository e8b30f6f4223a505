//! Several centrales on one server (issue 19 §3): each over its own database, reached by its
//! host name; nothing crosses between them — accounts, tokens, records, audit chain — and one
//! centrale's writer never waits for another's.

use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use centrale_protocol::records::RecordKind;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::cli::{fails, ok, serving, sqlite_url, terminate, BIN, CLEARED};
use crate::common::*;

const BEP: &str = "bep.centrale.test";

/// Two centrales on one server: the server's own, reached at `127.0.0.1`, and a hosted one,
/// reached under `host` (resolved to the same address, as DNS would). Each over its own fresh
/// database with the demo seed — the same demo accounts, in two separate worlds. The hosted
/// one's name is `hosted_name`. The server stops when the first app is dropped.
async fn spawn_two_centrales(host: &str, hosted_name: &str) -> (TestApp, TestApp) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a free port");
    let addr = listener.local_addr().unwrap();
    let mut own = seeded_app(
        centrale_server::Settings::default(),
        format!("http://{addr}"),
        reqwest::Client::new(),
    )
    .await;
    let hosted = seeded_app(
        centrale_server::Settings {
            centrale_name: hosted_name.to_string(),
            ..Default::default()
        },
        format!("http://{host}:{}", addr.port()),
        reqwest::Client::builder()
            .resolve(host, addr)
            .build()
            .expect("an HTTP client"),
    )
    .await;
    let centrales = centrale_server::http::Centrales::new(
        own.state.clone(),
        vec![(host.to_string(), hosted.state.clone())],
    );
    own.served_by(tokio::spawn(centrale_server::http::serve_centrales_until(
        listener,
        centrales,
        std::future::pending(),
    )));
    (own, hosted)
}

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

/// Issue 19 §3: one server process, its own centrale and a hosted one, each over its own
/// database; the administration commands reach the hosted one with `--centrale`.
#[cfg(unix)]
#[test]
fn issue_19_one_server_process_serves_its_own_and_a_hosted_centrale() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("centrale.toml");
    std::fs::write(
        &config,
        format!(
            "database_url = \"{}\"\ncentrale_name = \"Centrale d'achat d'IDELUX\"\n\n\
             [[centrales]]\nhost = \"bep.centrale.test\"\ndatabase_url = \"sqlite:{}\"\n\
             centrale_name = \"Centrale d'achat du BEP\"\n",
            sqlite_url(dir.path()),
            dir.path().join("bep.db").display()
        ),
    )
    .unwrap();
    let with_config = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        for var in CLEARED {
            cmd.env_remove(var);
        }
        cmd.arg("--config").arg(&config).args(args);
        cmd
    };
    let output = |args: &[&str]| with_config(args).output().unwrap();
    ok(&output(&["seed", "--demo"]));
    ok(&output(&[
        "--centrale",
        "BEP.centrale.test",
        "seed",
        "--demo",
    ]));
    fails(
        &output(&["--centrale", "ailleurs.test", "migrate"]),
        "Aucune centrale hébergée « ailleurs.test » ; celles du fichier de configuration sont : bep.centrale.test.",
    );

    let (child, mut stdout, addr) =
        serving(with_config(&["serve", "--bind", "127.0.0.1:0"]).stderr(Stdio::piped()));
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "Centrale hébergée : bep.centrale.test");
    let page = |host: &str| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        write!(
            stream,
            "GET /portail/connexion HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let bep = page("bep.centrale.test");
    assert!(
        bep.contains("Centrale d&#39;achat du BEP") || bep.contains("Centrale d'achat du BEP"),
        "{bep}"
    );
    let own = page(&addr);
    assert!(own.contains("IDELUX") && !own.contains("du BEP"), "{own}");
    let (exit, stderr) = terminate(child);
    assert!(exit.success(), "{exit:?}\n{stderr}");
}
