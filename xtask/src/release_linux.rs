//! `cargo xtask release`'s Linux part: the `.deb` and `.rpm` packages of the desktop app, made
//! by the Tauri bundler (`cargo tauri bundle`), then installed and started under Xvfb:
//!
//! 1. set-up: `rpm` (to read and install the `.rpm`) and tauri-cli (the Tauri bundler);
//! 2. the UI and the app in release, then both packages;
//! 3. the `.deb`: its fields and files read back (`dpkg-deb`), installed with `dpkg -i`, the
//!    server's address written in `/etc/centrale/centrale.ini` as the intercommunale's IT would,
//!    the installed app started under Xvfb: its log says it started with that address and its
//!    window is on the screen (a screenshot is kept), then the package is purged;
//! 4. the `.rpm`: its header and files read back (`rpm -qip`, `rpm -qlp`), installed by `rpm`
//!    into a root of its own (this is a Debian machine: `rpm --root`), and started the same way.
//!
//! The packages, logs and screenshots land in `target/installers/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

use crate::cmd::{self, capture, run, succeeds};
use crate::{desktop, setup};

/// Debian packages the Linux packages' checks need (`rpm` reads and installs the `.rpm`).
pub const LINUX_DEBIAN_PACKAGES: &[&str] = &["rpm", "x11-utils"];

/// The window title the app opens with (`src-tauri/tauri.conf.json`).
const WINDOW_TITLE: &str = "Centrale — achats groupés des communes";

/// The address the check writes in `/etc/centrale/centrale.ini`, typed as people type it:
/// the app must complete it.
const TYPED_SERVER_URL: &str = "centrale.exemple.be";

/// The packages' configuration file, as the app reads it (`src-tauri/src/install.rs`).
const SYSTEM_CONFIG: &str = "/etc/centrale/centrale.ini";

/// The Debian packages, then tauri-cli when `cargo tauri` is missing.
pub fn ensure_tools() -> Result<()> {
    setup::ensure_packages(LINUX_DEBIAN_PACKAGES)?;
    setup::ensure_packages(setup::DESKTOP_DEBIAN_PACKAGES)?;
    if succeeds(Command::new("cargo").args(["tauri", "--version"])) {
        println!("tauri-cli is installed");
        return Ok(());
    }
    run(Command::new("cargo").args(["install", "tauri-cli", "--version", "^2", "--locked"]))
        .context("installing tauri-cli (the Tauri bundler)")
}

/// The app in release for this machine (the packages wrap this binary).
pub fn build_binary(root: &Path) -> Result<()> {
    run(cmd::cargo(root).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "centrale-desktop",
    ]))
}

/// `.deb` and `.rpm` from the binary just built.
pub fn bundle(root: &Path) -> Result<()> {
    let out = root.join("target/release/bundle");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    run(Command::new("cargo")
        .current_dir(root.join("src-tauri"))
        .args(["tauri", "bundle", "--bundles", "deb,rpm"]))
}

/// The one file ending with `extension` in `target/release/bundle/<kind>/`.
pub fn package(root: &Path, kind: &str, extension: &str) -> Result<PathBuf> {
    let dir = root.join("target/release/bundle").join(kind);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    ensure!(
        found.len() == 1,
        "expected one .{extension} in {}, found {found:?}",
        dir.display()
    );
    Ok(found.remove(0))
}

/// Checks what a package holds, whatever its format (`files`: one path per line, the path
/// last, relative or absolute); returns the program it installs under `/usr/bin`.
fn check_contents(files: &str, what: &str) -> Result<String> {
    let paths: Vec<String> = files
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|p| format!("/{}", p.trim_start_matches('.').trim_start_matches('/')))
        .collect();
    let binary = paths
        .iter()
        .find(|p| p.starts_with("/usr/bin/") && p.len() > "/usr/bin/".len())
        .with_context(|| format!("{what}: no program under /usr/bin"))?
        .clone();
    for wanted in [".desktop", "/usr/share/icons/hicolor/", SYSTEM_CONFIG] {
        ensure!(
            paths.iter().any(|p| p.contains(wanted)),
            "{what}: nothing like {wanted} among its files:\n{}",
            paths.join("\n")
        );
    }
    Ok(binary)
}

/// The `.deb`'s fields and files; returns the program it installs.
pub fn check_deb(deb: &Path, version: &str) -> Result<String> {
    let field = |name: &str| capture(Command::new("dpkg-deb").arg("--field").arg(deb).arg(name));
    ensure!(
        field("Package")?.trim() == "centrale",
        "Package: {}",
        field("Package")?
    );
    ensure!(
        field("Version")?.trim() == version,
        "Version: {} (wanted {version})",
        field("Version")?
    );
    ensure!(
        field("Architecture")?.trim() == "amd64",
        "Architecture: {}",
        field("Architecture")?
    );
    let depends = field("Depends")?;
    ensure!(
        depends.contains("libwebkit2gtk-4.1"),
        "Depends lacks WebKitGTK 4.1: {depends}"
    );
    let description = field("Description")?;
    ensure!(
        description.contains("centrale d'achat"),
        "Description: {description}"
    );
    check_contents(
        &capture(Command::new("dpkg-deb").arg("--contents").arg(deb))?,
        "the .deb",
    )
}

/// The `.rpm`'s header and files; returns the program it installs.
pub fn check_rpm(rpm: &Path, version: &str) -> Result<String> {
    let query = |format: &str| {
        capture(
            Command::new("rpm")
                .args(["-qp", "--queryformat", format])
                .arg(rpm),
        )
    };
    ensure!(
        query("%{NAME}")?.trim() == "centrale",
        "Name: {}",
        query("%{NAME}")?
    );
    ensure!(
        query("%{VERSION}")?.trim() == version,
        "Version: {}",
        query("%{VERSION}")?
    );
    ensure!(
        query("%{LICENSE}")?.trim() == "EUPL-1.2",
        "License: {}",
        query("%{LICENSE}")?
    );
    ensure!(
        query("%{ARCH}")?.trim() == "x86_64",
        "Arch: {}",
        query("%{ARCH}")?
    );
    check_contents(
        &capture(Command::new("rpm").arg("-qlp").arg(rpm))?,
        "the .rpm",
    )
}

/// Starts `program` under Xvfb as a person would (its own HOME, a keyring, the real D-Bus
/// session), waits for its log to say it started with the configured address and for its
/// window to be on the screen, keeps a screenshot, then ends it.
fn start_under_xvfb(program: &Path, name: &str, data_dir: Option<&Path>) -> Result<()> {
    let out = cmd::repo_root().join("target/installers");
    std::fs::create_dir_all(&out)?;
    let log = out.join(format!("{name}.log"));
    let shot = out.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&shot);
    // In one shell under Xvfb: the app in the background, then at most 60 s for its log line
    // and its window (xwininfo lists the mapped windows with their titles).
    let script = r#"
        "$APP" & pid=$!
        for i in $(seq 1 120); do
          if grep -q "app started" "$CENTRALE_LOG_FILE" 2>/dev/null \
             && xwininfo -root -tree | grep -qF "$TITLE"; then
            sleep 2; import -window root "$SHOT"; kill $pid; wait $pid; exit 0
          fi
          if ! kill -0 $pid 2>/dev/null; then echo "the app ended by itself"; exit 1; fi
          sleep 0.5
        done
        echo "no window after 60 s"; kill $pid; exit 1
    "#;
    let mut command = Command::new("sh");
    command
        .args(["-c", script])
        .env("APP", program)
        .env("TITLE", WINDOW_TITLE)
        .env("SHOT", &shot)
        .env("CENTRALE_LOG_FILE", &log)
        .env_remove("CENTRALE_SERVER_URL");
    if let Some(dir) = data_dir {
        command.env("CENTRALE_DATA_DIR", dir);
    }
    let started = run(&mut desktop::headless(command));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    started.with_context(|| {
        format!(
            "starting {} under Xvfb; its log:\n{text}",
            program.display()
        )
    })?;
    let line = text
        .lines()
        .find(|l| l.contains("app started"))
        .context("no « app started » in the log")?;
    let completed = format!("https://{TYPED_SERVER_URL}");
    ensure!(
        line.contains(&completed),
        "the app did not take the address from {SYSTEM_CONFIG} (wanted {completed}): {line}"
    );
    println!(
        "{name}: started, window « {WINDOW_TITLE} » shown, {}",
        shot.display()
    );
    Ok(())
}

/// Installs the `.deb`, writes the address as IT would, starts the app, then purges it.
pub fn install_and_start_deb(deb: &Path, program: &str) -> Result<()> {
    if !setup::is_root()? {
        bail!("installing the .deb needs root: run `cargo xtask release` as root");
    }
    // `apt-get install ./x.deb` resolves the dependencies the package declares.
    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "--no-install-recommends"])
        .arg(deb))?;
    let status =
        capture(Command::new("dpkg-query").args(["-W", "-f", "${Status} ${Version}", "centrale"]))?;
    ensure!(
        status.starts_with("install ok installed"),
        "dpkg says: {status}"
    );
    let config =
        std::fs::read_to_string(SYSTEM_CONFIG).context("the package's configuration file")?;
    ensure!(
        config.contains("server_url"),
        "{SYSTEM_CONFIG} does not explain server_url:\n{config}"
    );
    std::fs::write(
        SYSTEM_CONFIG,
        format!("{config}server_url = {TYPED_SERVER_URL}\n"),
    )?;
    let started = start_under_xvfb(Path::new(program), "linux-deb", None);
    let purged = run(Command::new("dpkg").args(["--purge", "centrale"]));
    started?;
    purged?;
    ensure!(
        !Path::new(program).exists(),
        "{program} is still there after the purge"
    );
    Ok(())
}

/// Installs the `.rpm` with `rpm` into a root of its own, then starts the app from there (with
/// a cache of its own; the address comes from the same system file, written again).
pub fn install_and_start_rpm(rpm: &Path, program: &str) -> Result<()> {
    let out = cmd::repo_root().join("target/installers");
    let rpm_root = out.join("rpm-root");
    if rpm_root.exists() {
        std::fs::remove_dir_all(&rpm_root)?;
    }
    std::fs::create_dir_all(&rpm_root)?;
    run(Command::new("rpm")
        .arg("--root")
        .arg(&rpm_root)
        .arg("--initdb"))?;
    // No dependency check: the root holds no system, WebKitGTK is the machine's.
    run(Command::new("rpm")
        .arg("--root")
        .arg(&rpm_root)
        .args(["-i", "--nodeps"])
        .arg(rpm))?;
    let installed = capture(
        Command::new("rpm")
            .arg("--root")
            .arg(&rpm_root)
            .args(["-q", "centrale"]),
    )?;
    ensure!(
        installed.starts_with("centrale-"),
        "rpm -q says: {installed}"
    );
    let config = rpm_root.join(SYSTEM_CONFIG.trim_start_matches('/'));
    ensure!(config.exists(), "the .rpm did not install {SYSTEM_CONFIG}");
    // The app reads the real /etc: write the address there for this run, then take it away.
    let had = Path::new(SYSTEM_CONFIG).exists();
    if !had {
        std::fs::create_dir_all(Path::new(SYSTEM_CONFIG).parent().unwrap_or(Path::new("/")))?;
        std::fs::write(SYSTEM_CONFIG, format!("server_url = {TYPED_SERVER_URL}\n"))?;
    }
    let data = out.join("rpm-data");
    let _ = std::fs::remove_dir_all(&data);
    let started = start_under_xvfb(
        &rpm_root.join(program.trim_start_matches('/')),
        "linux-rpm",
        Some(&data),
    );
    if !had {
        let _ = std::fs::remove_dir_all(
            Path::new(SYSTEM_CONFIG)
                .parent()
                .unwrap_or(Path::new("/nonexistent")),
        );
    }
    started
}
