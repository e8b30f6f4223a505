//! Machine set-up shared by `test` and `bench`: Debian packages, Rust components, tools
//! (tauri-driver, cargo-machete) and a local PostgreSQL 15 with the `centrale` role and database.
//!
//! Everything here is idempotent, so it runs on every invocation: on a fresh CI machine it
//! installs and starts what is missing; on a prepared machine it only checks (a second or two).
//! It acts only when running as root (CI); a developer without root gets the exact commands to run.

use std::env;
use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};

use crate::cmd::{self, capture, run, succeeds};
use crate::steps::Steps;

/// Debian 12 packages the Rust workspace and its tests need: PostgreSQL 15 (server and `psql`)
/// for the server's second backend, and a C toolchain with OpenSSL headers for crates that
/// build native code.
pub const DEBIAN_PACKAGES: &[&str] = &[
    "postgresql-15",
    "postgresql-client-15",
    "pkg-config",
    "libssl-dev",
    "build-essential",
    "chromium",
    "chromium-driver",
    // `pdftotext` and `pdftoppm`: the document tests read the generated PDFs back.
    "poppler-utils",
];

/// Debian 12 packages the desktop app (Tauri: WebKitGTK, GTK, …) and its headless end-to-end
/// tests need (Xvfb, WebKitWebDriver, a keyring daemon, a notification service, ImageMagick for
/// screenshots); the list
/// measured in `shared/PLATFORM.md`.
pub const DESKTOP_DEBIAN_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libsoup-3.0-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "gnome-keyring",
    "libdbus-1-dev",
    "imagemagick",
    // The headless desktop's notification service: the journeys read what the app notified
    // (`dunstctl history`) and the screenshots show it.
    "dunst",
    "locales",
    // « Ouvrir le document » hands the saved PDF to the PC's viewer through `xdg-open`, which
    // reads the file's type with `file`; the journey checks what the viewer was given.
    "xdg-utils",
    "file",
];

/// The locale the desktop journeys run the app under (a PC set to English, where a browser's
/// date input reads `01/04/2027` as 4 January), as `locale-gen` names it and `locale -a` lists it.
const ENGLISH_LOCALE: (&str, &str) = ("en_US.UTF-8 UTF-8", "en_US.utf8");

/// Environment variable with the PostgreSQL URL the tests use. Set it to use an existing
/// database instead of the local cluster that set-up starts.
pub const PG_URL_ENV: &str = "CENTRALE_TEST_PG_URL";

/// The database set-up creates in the local PostgreSQL 15 cluster.
pub const DEFAULT_PG_URL: &str = "postgres://centrale:centrale@localhost:5432/centrale";

const PG_VERSION: &str = "15";
const PG_CLUSTER: &str = "main";

/// Runs the set-up steps and returns the PostgreSQL URL to test against.
pub fn prepare(steps: &mut Steps) -> Result<String> {
    steps.run("set-up: Debian packages", ensure_debian_packages)?;
    steps.run("set-up: English locale", ensure_english_locale)?;
    steps.run("set-up: Rust components", ensure_rust_components)?;
    steps.run("set-up: tauri-driver", crate::desktop::ensure_tauri_driver)?;
    steps.run("set-up: cargo-machete", crate::deps::ensure_cargo_machete)?;
    steps.run(
        "set-up: aiosmtpd (SMTP server of the e-mail tests)",
        ensure_aiosmtpd,
    )?;
    let mut url = String::new();
    steps.run("set-up: PostgreSQL", || {
        url = ensure_postgres()?;
        Ok(())
    })?;
    Ok(url)
}

/// Installs aiosmtpd from PyPI when `python3 -m aiosmtpd` is missing: the server's e-mail
/// tests (`crates/server/tests/http/mail.rs`) deliver to a real SMTP server on loopback.
fn ensure_aiosmtpd() -> Result<()> {
    let present = || succeeds(Command::new("python3").args(["-c", "import aiosmtpd"]));
    if present() {
        println!("aiosmtpd is installed");
        return Ok(());
    }
    // `--break-system-packages`: a Debian python3 refuses pip outside a virtual environment
    // otherwise; aiosmtpd and its one dependency (atpublic) touch nothing Debian installs.
    let plain =
        succeeds(Command::new("python3").args(["-m", "pip", "install", "--quiet", "aiosmtpd"]));
    if !plain {
        run(Command::new("python3").args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--break-system-packages",
            "aiosmtpd",
        ]))?;
    }
    if !present() {
        bail!("aiosmtpd is still missing after `python3 -m pip install aiosmtpd`");
    }
    Ok(())
}

/// Whether this process runs as root, i.e. may install packages and start PostgreSQL.
pub fn is_root() -> Result<bool> {
    let uid = capture(Command::new("id").arg("-u"))?;
    Ok(uid.trim() == "0")
}

/// Installs the missing packages of [`DEBIAN_PACKAGES`] and [`DESKTOP_DEBIAN_PACKAGES`] when
/// root; otherwise fails with the command to run. Skipped where there is no `dpkg` at all.
fn ensure_debian_packages() -> Result<()> {
    let all: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .chain(DESKTOP_DEBIAN_PACKAGES)
        .copied()
        .collect();
    ensure_packages(&all)
}

/// Installs the missing `packages` when root; otherwise fails with the command to run.
/// Skipped where there is no `dpkg` at all.
pub fn ensure_packages(packages: &[&str]) -> Result<()> {
    if !succeeds(Command::new("dpkg-query").arg("--version")) {
        println!("no dpkg-query: not a Debian system, skipping the package check");
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|package| !is_installed(package))
        .collect();
    if missing.is_empty() {
        println!("all {} packages are installed", packages.len());
        return Ok(());
    }
    println!("missing packages: {}", missing.join(" "));
    if !is_root()? {
        bail!(
            "missing Debian packages: {list}. Install them as root with:\n  \
             apt-get update && apt-get install -y --no-install-recommends {list}",
            list = missing.join(" ")
        );
    }
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing))
}

/// Generates the English locale the desktop journeys need when `locale -a` lacks it: as root,
/// enables it in `/etc/locale.gen` and runs `locale-gen` (kept there, a later `locale-gen`
/// keeps it too); otherwise fails with the commands to run. Skipped without `locale-gen`.
fn ensure_english_locale() -> Result<()> {
    let (entry, listed) = ENGLISH_LOCALE;
    let present = capture(Command::new("locale").arg("-a"))
        .is_ok_and(|all| all.lines().any(|l| l.trim().eq_ignore_ascii_case(listed)));
    if present {
        println!("locale {listed} is available");
        return Ok(());
    }
    if !succeeds(Command::new("sh").args(["-c", "command -v locale-gen"])) {
        println!("no locale-gen: not a Debian system, skipping the locale check");
        return Ok(());
    }
    if !is_root()? {
        bail!(
            "the locale {listed} is missing (the desktop journeys run the app in English). \
             Generate it as root with:\n  \
             sed -i 's/^# *{entry}/{entry}/' /etc/locale.gen && locale-gen"
        );
    }
    let path = "/etc/locale.gen";
    let current = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, enable_locale(&current, entry))
        .with_context(|| format!("writing {path}"))?;
    run(&mut Command::new("locale-gen"))
}

/// `/etc/locale.gen` with `entry` enabled: its commented line uncommented, or the line added.
fn enable_locale(locale_gen: &str, entry: &str) -> String {
    let mut found = false;
    let mut out: Vec<String> = locale_gen
        .lines()
        .map(|line| {
            let bare = line.trim_start_matches('#').trim();
            if bare == entry {
                found = true;
                entry.to_string()
            } else {
                line.to_string()
            }
        })
        .collect();
    if !found {
        out.push(entry.to_string());
    }
    out.join("\n") + "\n"
}

/// Whether `dpkg` reports `package` as fully installed (not just known or half-configured).
fn is_installed(package: &str) -> bool {
    capture(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_ok_and(|status| status.trim() == "install ok installed")
}

/// Makes sure `cargo fmt` and `cargo clippy` exist: minimal toolchains lack them, and a missing
/// component would otherwise fail later with a less obvious message.
fn ensure_rust_components() -> Result<()> {
    let root = cmd::repo_root();
    let missing: Vec<&str> = [("fmt", "rustfmt"), ("clippy", "clippy")]
        .into_iter()
        .filter(|(subcommand, _)| !succeeds(cmd::cargo(&root).args([subcommand, "--version"])))
        .map(|(_, component)| component)
        .collect();
    if missing.is_empty() {
        println!("rustfmt and clippy are available");
        return Ok(());
    }
    ensure!(
        succeeds(Command::new("rustup").arg("--version")),
        "`cargo fmt`/`cargo clippy` do not run (missing components: {}) and there is no rustup \
         to add them",
        missing.join(", ")
    );
    run(Command::new("rustup")
        .current_dir(&root)
        .args(["component", "add"])
        .args(&missing))
}

/// Returns a reachable PostgreSQL URL: the one in [`PG_URL_ENV`] if set, otherwise
/// [`DEFAULT_PG_URL`], after starting the local cluster and creating the role and database
/// when running as root.
pub fn ensure_postgres() -> Result<String> {
    if let Some(url) = env::var(PG_URL_ENV).ok().filter(|url| !url.is_empty()) {
        println!("{PG_URL_ENV} is set: using it, not starting a local cluster");
        check_connection(&url)
            .with_context(|| format!("PostgreSQL from {PG_URL_ENV} is not reachable"))?;
        return Ok(url);
    }
    if is_root()? {
        start_cluster()?;
        create_role_and_database()?;
        check_connection(DEFAULT_PG_URL)?;
    } else {
        check_connection(DEFAULT_PG_URL).context(not_reachable_help())?;
    }
    Ok(DEFAULT_PG_URL.to_owned())
}

/// What a developer without root should do when PostgreSQL is not reachable.
fn not_reachable_help() -> String {
    format!(
        "PostgreSQL is not reachable at {DEFAULT_PG_URL} and set-up can only start it as root. \
         Either run `cargo xtask test` as root, or run as root:\n  \
         pg_ctlcluster {PG_VERSION} {PG_CLUSTER} start\n  \
         runuser -u postgres -- psql -c \"CREATE ROLE centrale LOGIN PASSWORD 'centrale' CREATEDB;\" \
         -c \"CREATE DATABASE centrale OWNER centrale;\"\n\
         or set {PG_URL_ENV} to a database you can use"
    )
}

/// Starts the local 15/main cluster unless it is already online (starting a running cluster
/// fails), creating it first if it does not exist.
fn start_cluster() -> Result<()> {
    let clusters = capture(Command::new("pg_lsclusters").arg("--no-header"))?;
    match cluster_status(&clusters, PG_VERSION, PG_CLUSTER) {
        Some(status) if status.starts_with("online") => {
            println!("PostgreSQL {PG_VERSION}/{PG_CLUSTER} is already online");
            Ok(())
        }
        Some(_) => run(Command::new("pg_ctlcluster").args([PG_VERSION, PG_CLUSTER, "start"])),
        None => run(Command::new("pg_createcluster").args([PG_VERSION, PG_CLUSTER, "--start"])),
    }
}

/// The status column (`online`, `down`, …) of `version`/`cluster` in `pg_lsclusters --no-header`
/// output, whose columns are: version, cluster, port, status, owner, data directory, log file.
fn cluster_status<'a>(clusters: &'a str, version: &str, cluster: &str) -> Option<&'a str> {
    clusters.lines().find_map(|line| {
        let columns: Vec<&str> = line.split_whitespace().collect();
        match columns.as_slice() {
            [v, c, _port, status, ..] if *v == version && *c == cluster => Some(*status),
            _ => None,
        }
    })
}

/// Creates the `centrale` role and database unless they exist. Root cannot log in as `postgres`
/// (peer authentication), hence `runuser`.
fn create_role_and_database() -> Result<()> {
    if query_as_postgres("SELECT 1 FROM pg_roles WHERE rolname='centrale'")?.is_empty() {
        query_as_postgres("CREATE ROLE centrale LOGIN PASSWORD 'centrale' CREATEDB;")?;
        println!("created role centrale");
    } else {
        println!("role centrale exists");
    }
    if query_as_postgres("SELECT 1 FROM pg_database WHERE datname='centrale'")?.is_empty() {
        query_as_postgres("CREATE DATABASE centrale OWNER centrale;")?;
        println!("created database centrale");
    } else {
        println!("database centrale exists");
    }
    Ok(())
}

/// Runs one SQL statement as the `postgres` superuser and returns its trimmed, unaligned output.
fn query_as_postgres(sql: &str) -> Result<String> {
    const AS_POSTGRES: &[&str] = &[
        "-u",
        "postgres",
        "--",
        "psql",
        "-X",
        "-v",
        "ON_ERROR_STOP=1",
    ];
    let output = capture(
        Command::new("runuser")
            .current_dir("/")
            .args(AS_POSTGRES)
            .args(["-tAc", sql]),
    )?;
    Ok(output.trim().to_owned())
}

/// Checks that `url` accepts a connection and answers `select 1`. Retries a few times because a
/// cluster that was just started may still be opening its port.
fn check_connection(url: &str) -> Result<()> {
    const ATTEMPTS: u32 = 5;
    let mut attempt = 1;
    loop {
        match select_one(url) {
            Ok(()) => {
                println!("connected to {}", cmd::redact_credentials(url));
                return Ok(());
            }
            Err(error) if attempt == ATTEMPTS => return Err(error),
            Err(_) => {
                attempt += 1;
                sleep(Duration::from_secs(1));
            }
        }
    }
}

fn select_one(url: &str) -> Result<()> {
    // -w: never prompt for a password (no stdin in CI); -X: ignore any ~/.psqlrc.
    let answer = capture(
        Command::new("psql")
            .env("PGCONNECT_TIMEOUT", "5")
            .args(["-w", "-X", "-tAc", "select 1", url]),
    )?;
    ensure!(
        answer.trim() == "1",
        "unexpected answer to `select 1`: {answer:?}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cluster_status() {
        let clusters = "13 main 5433 online postgres /a /b\n\
                        15 main 5432 down   postgres /var/lib/postgresql/15/main /log\n";
        assert_eq!(cluster_status(clusters, "15", "main"), Some("down"));
        assert_eq!(cluster_status(clusters, "13", "main"), Some("online"));
        assert_eq!(cluster_status(clusters, "16", "main"), None);
        assert_eq!(cluster_status("", "15", "main"), None);
    }

    #[test]
    fn enables_the_english_locale_once() {
        let debian = "# en_GB.UTF-8 UTF-8\n# en_US.UTF-8 UTF-8\n# fr_BE.UTF-8 UTF-8\n";
        let enabled = enable_locale(debian, ENGLISH_LOCALE.0);
        assert_eq!(
            enabled,
            "# en_GB.UTF-8 UTF-8\nen_US.UTF-8 UTF-8\n# fr_BE.UTF-8 UTF-8\n"
        );
        assert_eq!(enable_locale(&enabled, ENGLISH_LOCALE.0), enabled);
        assert_eq!(enable_locale("", ENGLISH_LOCALE.0), "en_US.UTF-8 UTF-8\n");
    }
}
