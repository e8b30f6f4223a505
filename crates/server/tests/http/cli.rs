//! The `centrale-server` binary, run as an administrator would, on a fresh database of the
//! backend under test (a temporary SQLite file, or a PostgreSQL database with
//! `CENTRALE_TEST_BACKEND=postgres`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_centrale-server");

/// Variables of the developer's shell that must not leak into the commands under test.
pub(crate) const CLEARED: [&str; 7] = [
    "CENTRALE_DATABASE_URL",
    "CENTRALE_CONFIG",
    "CENTRALE_BIND",
    "CENTRALE_NEW_PASSWORD",
    "CENTRALE_LOG_FORMAT",
    "CENTRALE_MIN_COMPETITION_DAYS",
    "RUST_LOG",
];

pub(crate) fn command(db: &str) -> Command {
    let mut cmd = Command::new(BIN);
    for var in CLEARED {
        cmd.env_remove(var);
    }
    cmd.arg("--database").arg(db);
    cmd
}

pub(crate) fn run(db: &str, args: &[&str]) -> Output {
    run_with(db, args, &[], None)
}

fn run_with(db: &str, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = command(db);
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("starting centrale-server");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("writing stdin");
        }
    }
    child.wait_with_output().expect("running centrale-server")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
pub(crate) fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "expected success, got {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        out(o),
        err(o)
    );
    out(o)
}

/// Fails with exit code 1 and a clean French message (no panic, no debug dump).
#[track_caller]
pub(crate) fn fails(o: &Output, expected: &str) {
    assert_eq!(
        o.status.code(),
        Some(1),
        "stdout:\n{}\nstderr:\n{}",
        out(o),
        err(o)
    );
    let e = err(o);
    assert!(e.contains(expected), "expected « {expected} » in:\n{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert!(!e.contains("{ "), "debug dump in:\n{e}");
}

pub(crate) fn sqlite_url(dir: &Path) -> String {
    format!("sqlite:{}", dir.join("centrale.db").display())
}

fn user_line(list: &str, username: &str) -> String {
    list.lines()
        .find(|l| l.split_whitespace().next() == Some(username))
        .unwrap_or_else(|| panic!("{username} not in:\n{list}"))
        .to_string()
}

/// The « disabled » and « demo » cells of a user's line.
fn flags(list: &str, username: &str) -> Vec<String> {
    let line = user_line(list, username);
    let cells: Vec<&str> = line.split_whitespace().collect();
    cells[cells.len() - 2..]
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// A fresh, empty database of the backend under test; its URL, and the guard that removes it.
pub(crate) fn fresh_empty_database() -> (String, centrale_server_db::testing::Guard) {
    use centrale_server_db::testing::{backend_from_env, fresh_empty_database_on};
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    runtime.block_on(async {
        let (db, guard) = fresh_empty_database_on(backend_from_env()).await;
        db.close().await;
        (guard.url().to_string(), guard)
    })
}

#[test]
fn administration_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _guard) = fresh_empty_database();
    let db = db.as_str();
    let postgres = db.starts_with("postgres");

    let first = ok(&run(db, &["migrate"]));
    assert!(first.contains("Migrations appliquées"), "{first}");
    let again = ok(&run(db, &["migrate"]));
    assert!(again.contains("déjà à jour"), "{again}");

    fails(&run(db, &["seed"]), "Précisez --demo");
    let seeded = ok(&run(db, &["seed", "--demo"]));
    assert!(seeded.contains("45"), "{seeded}");
    let reseeded = ok(&run(db, &["seed", "--demo"]));
    assert!(reseeded.contains("déjà chargées"), "{reseeded}");

    let list = ok(&run(db, &["user", "list"]));
    let dg = user_line(&list, "dg.84009");
    assert!(
        dg.contains("director_general") && dg.contains("84009 Bertrix"),
        "{dg}"
    );
    assert!(user_line(&list, "prestataire.nuagix").contains("nuagix"));

    let password = [("CENTRALE_NEW_PASSWORD", "un-mot-de-passe-solide")];
    let add = |args: &[&str]| run_with(db, args, &password, None);
    ok(&add(&[
        "user",
        "add",
        "dg.84010",
        "--role",
        "director_general",
        "--name",
        "Paul Martin",
        "--gender",
        "male",
        "--commune",
        "84010",
    ]));
    // The gender is one of three words (issue 15: it chooses the title's form).
    fails(
        &add(&[
            "user",
            "add",
            "dg.84011",
            "--role",
            "director_general",
            "--name",
            "Anne Lucas",
            "--gender",
            "madame",
            "--commune",
            "84011",
        ]),
        "--gender vaut female",
    );
    // An existing account gets its gender later.
    ok(&run(db, &["user", "set-gender", "dg.84010", "female"]));
    fails(
        &run(db, &["user", "set-gender", "dg.84010", "x"]),
        "--gender vaut female",
    );
    fails(
        &run(db, &["user", "set-gender", "personne", "male"]),
        "Aucun compte",
    );
    // The échevins' ranks and nationality (CDLD L1123-5, L1123-8): the demo's first échevin,
    // then Bertrix's agent named second, not Belgian.
    assert!(user_line(&list, "echevin.84009").contains("(échevin, rang 1)"));
    let set = ok(&run(
        db,
        &[
            "user",
            "set-alderman",
            "agent.84009",
            "oui",
            "--rang",
            "2",
            "--belge",
            "non",
        ],
    ));
    assert!(
        set.contains("rang 2") && set.contains("ne peut pas être bourgmestre f.f."),
        "{set}"
    );
    let listed = ok(&run(db, &["user", "list"]));
    assert!(user_line(&listed, "agent.84009").contains("(échevin, rang 2)"));
    fails(
        &run(
            db,
            &["user", "set-alderman", "agent.84009", "oui", "--rang", "0"],
        ),
        "Le rang d'un échevin va de 1",
    );
    fails(
        &run(
            db,
            &["user", "set-alderman", "agent.84009", "non", "--rang", "2"],
        ),
        "--rang ne s'emploie que pour un échevin",
    );
    ok(&run(db, &["user", "set-alderman", "agent.84009", "non"]));
    ok(&add(&[
        "user",
        "add",
        "offres.nuagix",
        "--role",
        "provider_user",
        "--name",
        "Service offres",
        "--provider",
        "nuagix",
    ]));
    let civitech = centrale_server::seed::demo_provider_id("civitech").to_string();
    ok(&add(&[
        "user",
        "add",
        "offres.civitech",
        "--role",
        "provider_user",
        "--name",
        "Service offres",
        "--provider",
        &civitech,
    ]));
    fails(
        &add(&[
            "user",
            "add",
            "dg.84010",
            "--role",
            "mayor",
            "--name",
            "Doublon",
            "--commune",
            "84010",
        ]),
        "existe déjà",
    );
    fails(
        &add(&[
            "user",
            "add",
            "dg.82003",
            "--role",
            "mayor",
            "--name",
            "X",
            "--commune",
            "82003",
        ]),
        "fusionné",
    );
    fails(
        &add(&[
            "user",
            "add",
            "dg.99999",
            "--role",
            "mayor",
            "--name",
            "X",
            "--commune",
            "99999",
        ]),
        "n'existe pas",
    );
    fails(
        &add(&["user", "add", "x.y", "--role", "maire", "--name", "X"]),
        "Rôle « maire » inconnu",
    );
    fails(
        &add(&[
            "user",
            "add",
            "p.x",
            "--role",
            "provider_user",
            "--name",
            "X",
        ]),
        "--provider",
    );
    fails(
        &run_with(
            db,
            &[
                "user",
                "add",
                "agent.84010",
                "--role",
                "commune_staff",
                "--name",
                "Agent",
                "--commune",
                "84010",
            ],
            &[("CENTRALE_NEW_PASSWORD", "court")],
            None,
        ),
        "au moins 8",
    );

    let list = ok(&run(db, &["user", "list"]));
    assert_eq!(flags(&list, "dg.84010"), ["non", "non"], "{list}");
    ok(&run(db, &["user", "disable", "dg.84010"]));
    let list = ok(&run(db, &["user", "list"]));
    assert_eq!(flags(&list, "dg.84010"), ["oui", "non"], "{list}");
    ok(&run(db, &["user", "enable", "dg.84010"]));
    fails(&run(db, &["user", "disable", "personne"]), "Aucun compte");

    // The password prompt reads one line of stdin.
    let reset = run_with(
        db,
        &["user", "reset-password", "dg.84010"],
        &[],
        Some("nouveau-mot-de-passe\n"),
    );
    ok(&reset);
    assert!(err(&reset).contains("Nouveau mot de passe"));

    // Issue 17.9: the demo's staff account signs with its demo second factor, whose current
    // code is printed for whoever tries the demo — no other account's; the administrator
    // resets a lost one.
    let code = ok(&run(db, &["user", "demo-code", "centrale.achats"]));
    assert!(
        code.len() > 6 && code[..6].chars().all(|c| c.is_ascii_digit()),
        "{code}"
    );
    fails(
        &run(db, &["user", "demo-code", "dg.84010"]),
        "n'est pas un compte de démonstration avec le secret",
    );
    let reset = ok(&run(
        db,
        &["user", "reset-second-factor", "centrale.achats"],
    ));
    assert!(reset.contains("réinitialisée"), "{reset}");
    fails(
        &run(db, &["user", "demo-code", "centrale.achats"]),
        "n'est pas un compte de démonstration avec le secret",
    );
    let again = ok(&run(
        db,
        &["user", "reset-second-factor", "centrale.achats"],
    ));
    assert!(again.contains("rien à réinitialiser"), "{again}");

    let backup = dir.path().join("sauvegarde.db");
    let backup_arg = backup.to_str().unwrap();
    if postgres {
        // PostgreSQL has its own tool: the command says which, and writes nothing.
        fails(&run(db, &["backup", backup_arg]), "pg_dump");
        assert!(!backup.exists());
    } else {
        ok(&run(db, &["backup", backup_arg]));
        assert!(std::fs::metadata(&backup).unwrap().len() > 0);
        fails(&run(db, &["backup", backup_arg]), "existe déjà");
        // The copy is a working database.
        let copy = format!("sqlite:{backup_arg}");
        assert!(ok(&run(&copy, &["user", "list"])).contains("dg.84010"));
    }

    let verified = ok(&run(db, &["audit", "verify"]));
    assert!(verified.contains("Journal d'audit intègre"), "{verified}");
}

#[test]
fn bad_database_urls_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        &run("mysql://localhost/centrale", &["user", "list"]),
        "Adresse de base de données invalide",
    );
    fails(
        &run("mysql://localhost/centrale", &["migrate"]),
        "Adresse de base de données invalide",
    );
    let missing = sqlite_url(dir.path());
    fails(&run(&missing, &["user", "list"]), "n'existe pas");
    fails(&run(&missing, &["audit", "verify"]), "n'existe pas");
    assert!(
        !dir.path().join("centrale.db").exists(),
        "a read-only command must not create the database"
    );
}

#[test]
fn unmigrated_database_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("vide.db");
    std::fs::write(&file, b"").unwrap();
    let db = format!("sqlite:{}", file.display());
    fails(&run(&db, &["user", "list"]), "centrale-server migrate");
}

#[test]
fn port_in_use_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    fails(&run(&db, &["serve", "--bind", &addr]), "déjà utilisé");
    fails(&run(&db, &["serve", "--bind", "partout"]), "invalide");
}

#[cfg(unix)]
/// The raw HTTP answer of a server listening at `addr` (`host:port`) to `GET path`.
fn http_get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// A started `serve` command: the process, the rest of its output, and the address it says
/// it listens on (its first line). Where its stderr goes is the caller's to say (piped, it
/// must be read; `terminate` does).
#[cfg(unix)]
pub(crate) fn serving(
    command: &mut Command,
) -> (
    std::process::Child,
    BufReader<std::process::ChildStdout>,
    String,
) {
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("Centrale écoute sur http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    (child, stdout, addr)
}

/// Sends SIGTERM to a running server and waits for it: how it ended, and what it wrote on
/// stderr.
#[cfg(unix)]
pub(crate) fn terminate(mut child: std::process::Child) -> (std::process::ExitStatus, String) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    #[allow(unsafe_code, reason = "libc::kill: std can only send SIGKILL")]
    // SAFETY: sends SIGTERM to our own child, not yet reaped.
    let sent = unsafe { libc::kill(pid, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let exit = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (exit, stderr)
}

#[cfg(unix)]
#[test]
fn serves_warns_about_demo_accounts_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url(dir.path());
    ok(&run(&db, &["seed", "--demo"]));
    let (child, _stdout, url) = serving(
        command(&db)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stderr(Stdio::piped()),
    );
    let response = http_get(&url, "/api/v1/health");
    assert!(response.starts_with("HTTP/1.1 "), "{response}");

    let (exit, stderr) = terminate(child);
    assert!(exit.success(), "{exit:?}\n{stderr}");
    assert!(stderr.contains("comptes de démonstration"), "{stderr}");
}

/// Issue 13 §4: the container recipe's start command (`docs/deploy/Containerfile`, its `ENV`
/// and `CMD` read from the file itself) on an empty volume: the schema is created, the server
/// serves and is ready, logs JSON, and stops cleanly on SIGTERM (the `exec` hands the signal to
/// it); started again on the same volume, the migration is a no-op. The image itself is not
/// built here (no container engine on the test machines).
#[cfg(unix)]
#[test]
fn the_containers_command_migrates_an_empty_volume_then_serves() {
    let recipe = include_str!("../../../../docs/deploy/Containerfile");
    // ENV lines, with their `\` continuations, as KEY=value pairs.
    let mut env: Vec<(String, String)> = Vec::new();
    let mut in_env = false;
    for line in recipe.lines() {
        let text = line.trim();
        let body = if let Some(rest) = text.strip_prefix("ENV ") {
            rest
        } else if in_env {
            text
        } else {
            continue;
        };
        in_env = body.ends_with('\\');
        for pair in body.trim_end_matches('\\').split_whitespace() {
            let (key, value) = pair.split_once('=').expect("ENV KEY=value");
            env.push((key.to_string(), value.to_string()));
        }
    }
    let value_of = |key: &str| {
        env.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("the recipe sets {key}"))
    };
    assert_eq!(value_of("CENTRALE_BIND"), "0.0.0.0:8080");
    assert_eq!(value_of("CENTRALE_LOG_FORMAT"), "json");
    let database = value_of("CENTRALE_DATABASE_URL");
    assert!(
        recipe.contains("VOLUME [\"/var/lib/centrale\"]"),
        "{recipe}"
    );
    let cmd_line = recipe
        .lines()
        .find_map(|l| l.strip_prefix("CMD "))
        .expect("the recipe's CMD");
    let cmd: Vec<String> = serde_json::from_str(cmd_line).expect("CMD in its JSON form");
    assert_eq!(cmd[..2], ["sh".to_string(), "-c".to_string()]);

    let volume = tempfile::tempdir().unwrap();
    let database = database.replace("/var/lib/centrale", &volume.path().display().to_string());
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let start = || {
        let mut child = Command::new(&cmd[0]);
        child.args(&cmd[1..]);
        for var in CLEARED {
            child.env_remove(var);
        }
        child
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("CENTRALE_DATABASE_URL", &database)
            // Any free port: 8080 may be taken on the test machine.
            .env("CENTRALE_BIND", "127.0.0.1:0")
            .env("PATH", &path)
            .current_dir(volume.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the container's command")
    };
    let run_once = |expect_migration: &str| {
        let mut child = start();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut said = String::new();
        let url = loop {
            let mut line = String::new();
            assert_ne!(
                stdout.read_line(&mut line).unwrap(),
                0,
                "ended early: {said}"
            );
            said.push_str(&line);
            if let Some(url) = line.trim().strip_prefix("Centrale écoute sur http://") {
                break url.to_string();
            }
        };
        assert!(said.contains(expect_migration), "{said}");
        let response = http_get(&url, "/ready");
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");

        // `exec`: the shell became the server, so the signal reaches it.
        let (exit, stderr) = terminate(child);
        assert!(exit.success(), "{exit:?}\n{stderr}");
        assert!(
            stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(|l| l.starts_with('{')),
            "JSON logs: {stderr}"
        );
    };
    run_once("Migrations appliquées");
    run_once("déjà à jour");
}

/// Issue 11 rule 17: `commune merge` as an administrator runs it on a seeded server — the
/// seed's Bastogne merger is recognised (nothing changes), a fictitious one is applied and
/// says what it took over, and refusals are French sentences.
#[test]
fn commune_merge_is_applied_once_and_explains_its_refusals() {
    let (db, _guard) = fresh_empty_database();
    let db = db.as_str();
    ok(&run(db, &["migrate"]));
    ok(&run(db, &["seed", "--demo"]));
    let bastogne = [
        "commune",
        "merge",
        "--into",
        "82039",
        "--name",
        "Bastogne",
        "--from",
        "82003,82005",
        "--on",
        "2025-01-01",
    ];
    let done = ok(&run(db, &bastogne));
    assert!(done.contains("déjà enregistrée"), "{done}");
    fails(
        &run(
            db,
            &[
                "commune",
                "merge",
                "--into",
                "84080",
                "--name",
                "Bertrix",
                "--from",
                "84009,99999",
                "--on",
                "01/01/2025",
            ],
        ),
        "La commune 99999 de la fusion est inconnue.",
    );
    fails(
        &run(
            db,
            &[
                "commune",
                "merge",
                "--into",
                "84080",
                "--name",
                "Bertrix",
                "--from",
                "84009,84029",
                "--on",
                "31/02/2025",
            ],
        ),
        "illisible",
    );
    let merge = [
        "commune",
        "merge",
        "--into",
        "84080",
        "--name",
        "Bertrix",
        "--from",
        "84009,84029",
        "--on",
        "01/01/2025",
    ];
    let applied = ok(&run(db, &merge));
    assert!(
        applied.contains("Fusion enregistrée : Bertrix (84080) au 01/01/2025."),
        "{applied}"
    );
    let list = ok(&run(db, &["user", "list"]));
    assert!(user_line(&list, "dg.84009").contains("84080"), "{list}");
    let again = ok(&run(db, &merge));
    assert!(again.contains("déjà enregistrée"), "{again}");
    ok(&run(db, &["audit", "verify"]));
}

#[test]
fn the_open_data_is_written_to_a_file_with_the_prefix_set() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _guard) = fresh_empty_database();
    let db = db.as_str();
    ok(&run(db, &["migrate"]));
    ok(&run(db, &["seed", "--demo"]));
    let file = dir.path().join("ocds-releases.json");
    let file_arg = file.to_str().unwrap();
    let said = ok(&run_with(
        db,
        &["ocds", file_arg],
        &[("CENTRALE_OCID_PREFIX", "ocds-213czf")],
        None,
    ));
    assert!(said.contains("Données ouvertes OCDS écrites"), "{said}");
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(package["version"], "1.1");
    let releases = package["releases"].as_array().unwrap();
    assert!(!releases.is_empty());
    assert!(releases
        .iter()
        .all(|r| r["ocid"].as_str().unwrap().starts_with("ocds-213czf-")));
    assert!(!dir.path().join("ocds-releases.json.partiel").exists());

    // A prefix of the wrong form is refused before anything is written.
    fails(
        &run_with(
            db,
            &["ocds", file_arg],
            &[("CENTRALE_OCID_PREFIX", "centrale")],
            None,
        ),
        "ocid_prefix",
    );
}

/// Issue 12 §3: every party of the open data identified. The centrale loads the communes'
/// BCE numbers from a CSV (all or nothing: a bad line or an unknown commune changes nothing,
/// in French), sets its own number, and the package names the buyer and the publisher by them,
/// still valid OCDS 1.1.5.
#[test]
fn the_communes_enterprise_numbers_identify_them_in_the_open_data() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _guard) = fresh_empty_database();
    let db = db.as_str();
    ok(&run(db, &["migrate"]));
    ok(&run(db, &["seed", "--demo", "--history"]));
    let csv = dir.path().join("numeros-bce.csv");
    let csv_arg = csv.to_str().unwrap();
    let load = ["commune", "enterprise-numbers", csv_arg];

    std::fs::write(
        &csv,
        "code INS;numéro\n84009;0123.456.749\n84010;0123.456.748\n",
    )
    .unwrap();
    fails(
        &run(db, &load),
        "Ligne 3 de la liste des numéros d'entreprise",
    );
    std::fs::write(&csv, "84009;0123.456.749\n99999;0123.456.749\n").unwrap();
    fails(&run(db, &load), "Aucune commune ne porte le code INS 99999");

    let file = dir.path().join("ocds.json");
    let file_arg = file.to_str().unwrap();
    let bertrix_party = |package: &serde_json::Value| {
        package["releases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["parties"].as_array().cloned().unwrap_or_default())
            .find(|p| p["id"] == "BE-NIS-84009")
            .expect("Bertrix is a buyer in the demo history")
    };
    ok(&run(db, &["ocds", file_arg]));
    let before: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        bertrix_party(&before).get("identifier").is_none(),
        "nothing loaded yet: the refused files changed nothing"
    );
    assert_eq!(before["publisher"].get("uid"), None);

    std::fs::write(&csv, "\u{feff}code INS;numéro\r\n84009;0123.456.749\r\n").unwrap();
    let said = ok(&run(db, &load));
    assert!(said.contains("communes mises à jour : 1"), "{said}");
    let again = ok(&run(db, &load));
    assert!(again.contains("communes mises à jour : 0"), "{again}");

    let centrale_number = [("CENTRALE_CENTRALE_ENTERPRISE_NUMBER", "0207.446.772")];
    fails(
        &run_with(
            db,
            &["ocds", file_arg],
            &[("CENTRALE_CENTRALE_ENTERPRISE_NUMBER", "0207.446.773")],
            None,
        ),
        "centrale_enterprise_number",
    );
    ok(&run_with(db, &["ocds", file_arg], &centrale_number, None));
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let errors: Vec<String> = crate::ocds::validator()
        .iter_errors(&package)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let identifier = &bertrix_party(&package)["identifier"];
    assert_eq!(identifier["scheme"], "BE-BCE_KBO");
    assert_eq!(identifier["id"], "0123456749");
    assert_eq!(identifier["legalName"], "Commune de Bertrix");
    assert_eq!(package["publisher"]["scheme"], "BE-BCE_KBO");
    assert_eq!(package["publisher"]["uid"], "0207446772");
    let centrale = package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["parties"].as_array().cloned().unwrap_or_default())
        .find(|p| p["identifier"]["id"] == "0207446772")
        .expect("the centrale's party carries its number");
    assert_eq!(centrale["identifier"]["scheme"], "BE-BCE_KBO");
    ok(&run(db, &["audit", "verify"]));
}

/// Issue 13 §4, the restore drill: a backup of a database in use is restored (the file is the
/// database), its audit chain verifies, and every kind of account pulls exactly what it pulled
/// from the original. PostgreSQL has its own tool (`pg_dump`, docs/deploy): the command says so.
#[tokio::test]
async fn issue_13_4_restore_drill_a_backup_verifies_and_gives_the_same_pull() {
    use centrale_server_db::{Database, Viewer};
    let app = crate::common::spawn_app().await;
    crate::common::activate_adhesion(&app, "84009").await;
    crate::common::draft_order(
        &app,
        "e-guichet",
        "Sauvegardée",
        crate::common::eguichet_needs(),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sauvegarde.db");
    let file_arg = file.to_str().unwrap().to_string();
    let url = app.database_url().to_string();
    let backup = {
        let (url, file_arg) = (url.clone(), file_arg.clone());
        tokio::task::spawn_blocking(move || run(&url, &["backup", &file_arg]))
            .await
            .unwrap()
    };
    if url.starts_with("postgres") {
        fails(&backup, "pg_dump");
        return;
    }
    ok(&backup);
    let restored_url = format!("sqlite:{file_arg}");
    let verified = {
        let restored_url = restored_url.clone();
        tokio::task::spawn_blocking(move || run(&restored_url, &["audit", "verify"]))
            .await
            .unwrap()
    };
    assert!(
        ok(&verified).contains("Journal d'audit intègre"),
        "{}",
        out(&verified)
    );
    let restored = Database::connect(&restored_url).await.unwrap();
    let viewers = [
        Viewer {
            centrale: true,
            commune: None,
            provider: None,
        },
        Viewer {
            centrale: false,
            commune: Some("84009".into()),
            provider: None,
        },
        Viewer {
            centrale: false,
            commune: None,
            provider: Some(centrale_server::seed::demo_provider_id("nuagix").to_string()),
        },
    ];
    for viewer in &viewers {
        let original = app.db.pull_page(viewer, 0, 1_000_000).await.unwrap();
        let copy = restored.pull_page(viewer, 0, 1_000_000).await.unwrap();
        assert!(!original.changes.is_empty());
        assert_eq!(original.high_water, copy.high_water, "{viewer:?}");
        assert_eq!(original.changes, copy.changes, "{viewer:?}");
    }
    restored.close().await;
}
