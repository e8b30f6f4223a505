//! Issue 13 §2, the server's part: the intercommunale publishes a signed version of the app
//! (`centrale-server release publish`), and the apps of that system are offered it by the
//! manifest Tauri's updater reads, then download the very bytes published. Run as an
//! administrator would, on SQLite or PostgreSQL (`CENTRALE_TEST_BACKEND`).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use base64::Engine as _;

use super::cli::{command, fails, fresh_empty_database, ok, run, terminate};

/// A signature shaped as `tauri signer sign` writes it: the base64 of a minisign `.sig` file
/// (the bytes are made up; the app, not the server, verifies them with its public key).
fn signature() -> String {
    let engine = base64::engine::general_purpose::STANDARD;
    let mut raw = b"Ed".to_vec();
    raw.extend([42u8; 72]);
    engine.encode(format!(
        "untrusted comment: signature from tauri secret key\n{}\ntrusted comment: timestamp:1764000000\tfile:Centrale_0.2.0_amd64.deb\n{}\n",
        engine.encode(raw),
        engine.encode([1u8; 64])
    ))
}

/// GET: the status, and the body's bytes (the test itself is synchronous, as the
/// administrator's commands are).
fn get(addr: &str, path: &str) -> (reqwest::StatusCode, Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let response = reqwest::get(format!("http://{addr}{path}"))
            .await
            .expect("the server answers");
        let status = response.status();
        (status, response.bytes().await.expect("the body").to_vec())
    })
}

#[cfg(unix)]
#[test]
fn a_published_version_is_offered_to_older_apps_of_its_system_and_downloaded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _guard) = fresh_empty_database();
    let db = db.as_str();
    ok(&run(db, &["migrate"]));
    // The update file (its bytes are not a real package: the server serves what it was given).
    let content: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let deb = dir.path().join("Centrale_0.2.0_amd64.deb");
    std::fs::write(&deb, &content).unwrap();
    let sig_file = dir.path().join("Centrale_0.2.0_amd64.deb.sig");
    std::fs::write(&sig_file, signature()).unwrap();
    let (deb, sig) = (deb.to_str().unwrap(), sig_file.to_str().unwrap());

    // Refused in French, nothing published: a version that is not one, a signature the app
    // could not read, a file whose system cannot be told.
    let publish = |args: &[&str]| run(db, &[&["release", "publish"], args].concat());
    fails(
        &publish(&[deb, "--version", "0.2", "--signature", sig]),
        "n'est pas un numéro de version",
    );
    fails(
        &publish(&[deb, "--version", "0.2.0", "--signature", "abc"]),
        "La signature n'est pas celle",
    );
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "x").unwrap();
    fails(
        &publish(&[
            notes.to_str().unwrap(),
            "--version",
            "0.2.0",
            "--signature",
            sig,
        ]),
        "Impossible de savoir pour quel système",
    );
    assert_eq!(ok(&run(db, &["release", "list"])).trim(), "");

    // Published once; the same version again is refused.
    let said = ok(&publish(&[
        deb,
        "--version",
        "0.2.0",
        "--signature",
        sig,
        "--notes",
        "Corrections de la comparaison des offres.",
    ]));
    assert!(
        said.contains("Version 0.2.0 publiée pour linux-x86_64"),
        "{said}"
    );
    fails(
        &publish(&[deb, "--version", "0.2.0", "--signature", sig]),
        "déjà publiée",
    );
    let list = ok(&run(db, &["release", "list"]));
    assert!(
        list.contains("linux-x86_64\t0.2.0\tCentrale_0.2.0_amd64.deb\t300000 octets"),
        "{list}"
    );
    ok(&run(db, &["audit", "verify"]));

    let mut child = command(db)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("Centrale écoute sur http://")
        .unwrap()
        .to_string();

    // An app at 0.1.0 on Linux is offered 0.2.0, with the signature and where to download it.
    let (status, body) = get(&addr, "/api/v1/updates/linux/x86_64/0.1.0");
    assert_eq!(status, reqwest::StatusCode::OK);
    let manifest: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(manifest["version"], "0.2.0");
    assert_eq!(manifest["signature"], signature().as_str());
    assert_eq!(
        manifest["notes"],
        "Corrections de la comparaison des offres."
    );
    let url =
        format!("http://{addr}/api/v1/updates/files/linux-x86_64/0.2.0/Centrale_0.2.0_amd64.deb");
    assert_eq!(manifest["url"], url.as_str());
    assert!(
        manifest["pub_date"].as_str().unwrap().ends_with('Z'),
        "{manifest}"
    );
    // The same bytes as published.
    let (status, file) = get(&addr, url.strip_prefix(&format!("http://{addr}")).unwrap());
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(file, content);

    // Up to date, another system, or a newer app: nothing to install.
    for path in [
        "/api/v1/updates/linux/x86_64/0.2.0",
        "/api/v1/updates/linux/x86_64/0.10.0",
        "/api/v1/updates/windows/x86_64/0.1.0",
    ] {
        let (status, body) = get(&addr, path);
        assert_eq!(status, reqwest::StatusCode::NO_CONTENT, "{path}");
        assert!(body.is_empty(), "{path}");
    }
    // A system without updates, a version that is not one: said, in French.
    let (status, body) = get(&addr, "/api/v1/updates/darwin/aarch64/0.1.0");
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        String::from_utf8_lossy(&body).contains("n'est pas connu"),
        "{}",
        String::from_utf8_lossy(&body)
    );
    let (status, _) = get(&addr, "/api/v1/updates/linux/x86_64/abc");
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    // Another name, version or system than published: not found.
    for path in [
        "/api/v1/updates/files/linux-x86_64/0.2.0/autre.deb",
        "/api/v1/updates/files/linux-x86_64/0.3.0/Centrale_0.2.0_amd64.deb",
        "/api/v1/updates/files/windows-x86_64/0.2.0/Centrale_0.2.0_amd64.deb",
    ] {
        let (status, _) = get(&addr, path);
        assert_eq!(status, reqwest::StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = get(
        &addr,
        "/api/v1/updates/files/macos/0.2.0/Centrale_0.2.0_amd64.deb",
    );
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);

    let (exit, stderr) = terminate(child);
    assert!(exit.success(), "{exit:?}\n{stderr}");
}
