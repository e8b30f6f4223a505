//! `cargo xtask release`'s Linux part: the `.deb` and `.rpm` packages of the desktop app, made
//! by the Tauri bundler (`cargo tauri bundle`), then installed and started under Xvfb:
//!
//! 1. set-up: `rpm` (to read and install the `.rpm`) and tauri-cli (the Tauri bundler);
//! 2. the UI and the app in release, then both packages;
//! 3. the `.deb`: its fields and files read back (`dpkg-deb`), installed with apt, the
//!    server's address written in `/etc/centrale/centrale.ini` as the intercommunale's IT would
//!    (the package carries only an example, so that an upgrade keeps IT's file),
//!    the installed app started under Xvfb: its log says it started with that address and its
//!    window is on the screen (a screenshot is kept), then the package is purged;
//! 4. the `.rpm`: its header and files read back (`rpm -qip`, `rpm -qlp`), installed by `rpm`
//!    into a root of its own (this is a Debian machine: `rpm --root`), and started the same way.
//!
//! 5. the update, end to end ([`update_end_to_end`]): an installed 0.1.0 updates itself to
//!    0.1.1 published on a local `centrale-server`; a file signed by another key is refused;
//!    with the server down the app starts and works offline.
//!
//! The packages, logs and screenshots land in `target/installers/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

use crate::cmd::{self, capture, run, succeeds};
use crate::{desktop, setup};

/// Debian packages the Linux packages' checks need (`rpm` reads and installs the `.rpm`).
/// `sudo`: how Tauri's updater installs a `.deb` when no graphical prompt is there (here, root).
pub const LINUX_DEBIAN_PACKAGES: &[&str] = &["rpm", "x11-utils", "sudo"];

/// The window title the app opens with (`src-tauri/tauri.conf.json`).
const WINDOW_TITLE: &str = "Centrale — achats groupés des communes";

/// The address the check writes in `/etc/centrale/centrale.ini`, typed as people type it:
/// the app must complete it.
const TYPED_SERVER_URL: &str = "centrale.exemple.be";

/// The packages' configuration file, as the app reads it (`src-tauri/src/install.rs`).
const SYSTEM_CONFIG: &str = "/etc/centrale/centrale.ini";

/// The example the packages install for IT to copy: they never write [`SYSTEM_CONFIG`]
/// itself, which an upgrade would then overwrite (the Tauri bundler marks no conffiles).
const CONFIG_EXAMPLE: &str = "/usr/share/doc/centrale/centrale.ini.exemple";

/// The folder of [`SYSTEM_CONFIG`].
const SYSTEM_CONFIG_DIR: &str = "/etc/centrale";

/// Writes `/etc/centrale/centrale.ini` as IT would.
fn write_system_config(text: &str) -> Result<()> {
    std::fs::create_dir_all(SYSTEM_CONFIG_DIR)?;
    std::fs::write(SYSTEM_CONFIG, text)?;
    Ok(())
}

/// Takes IT's file away again: the checks leave this machine as they found it.
fn remove_system_config() {
    let _ = std::fs::remove_dir_all(SYSTEM_CONFIG_DIR);
}

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
    bundle_with(root, None)
}

/// The same, with the configuration merged as the binary was built with it (`TAURI_CONFIG`),
/// so that the packages say the binary's version.
fn bundle_with(root: &Path, config: Option<&str>) -> Result<()> {
    let out = root.join("target/release/bundle");
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    let mut command = Command::new("cargo");
    command
        .current_dir(root.join("src-tauri"))
        .args(["tauri", "bundle", "--bundles", "deb,rpm"]);
    if let Some(config) = config {
        command.args(["--config", config]);
    }
    run(&mut command)
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
    for wanted in [".desktop", "/usr/share/icons/hicolor/", CONFIG_EXAMPLE] {
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

/// Runs `program` under Xvfb as a person would (its own HOME, a keyring, its D-Bus session)
/// until its log holds every one of `wanted` and its window is on the screen (xwininfo lists
/// the mapped windows with their titles), at most two minutes; keeps a screenshot
/// (`target/installers/<name>.png`), then ends every copy of it (after an update's restart the
/// new process writes the same log). Returns the log.
fn run_until_logged(
    program: &Path,
    name: &str,
    wanted: &[&str],
    data_dir: Option<&Path>,
) -> Result<String> {
    let out = cmd::repo_root().join("target/installers");
    std::fs::create_dir_all(&out)?;
    let log = out.join(format!("{name}.log"));
    let shot = out.join(format!("{name}.png"));
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&shot);
    let script = r#"
        "$APP" &
        for i in $(seq 1 240); do
          ok=1
          for w in "$@"; do grep -qF "$w" "$CENTRALE_LOG_FILE" 2>/dev/null || ok=0; done
          if [ $ok = 1 ] && xwininfo -root -tree | grep -qF "$TITLE"; then
            sleep 1; import -window root "$SHOT"; pkill -f "$APP"; exit 0
          fi
          sleep 0.5
        done
        pkill -f "$APP"; echo "not logged with its window after 120 s: $*"; exit 1
    "#;
    let mut command = Command::new("sh");
    command
        .args(["-c", script, "sh"])
        .args(wanted)
        .env("APP", program)
        .env("TITLE", WINDOW_TITLE)
        .env("SHOT", &shot)
        .env("CENTRALE_LOG_FILE", &log)
        .env_remove("CENTRALE_SERVER_URL");
    if let Some(dir) = data_dir {
        command.env("CENTRALE_DATA_DIR", dir);
    }
    let ran = run(&mut desktop::headless(command));
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    ran.with_context(|| format!("{name}: {} under Xvfb; its log:\n{text}", program.display()))?;
    println!("{name}: {}, {}", wanted.join(" · "), shot.display());
    Ok(text)
}

/// Starts an installed `program` and requires it to have taken the address IT wrote.
fn start_under_xvfb(program: &Path, name: &str, data_dir: Option<&Path>) -> Result<()> {
    let text = run_until_logged(program, name, &["app started"], data_dir)?;
    let line = text
        .lines()
        .find(|l| l.contains("app started"))
        .context("no « app started » in the log")?;
    let completed = format!("https://{TYPED_SERVER_URL}");
    ensure!(
        line.contains(&completed),
        "the app did not take the address from {SYSTEM_CONFIG} (wanted {completed}): {line}"
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
    let example =
        std::fs::read_to_string(CONFIG_EXAMPLE).context("the package's example configuration")?;
    ensure!(
        example.contains("server_url") && example.contains("updates = automatic"),
        "{CONFIG_EXAMPLE} does not explain server_url and updates:\n{example}"
    );
    ensure!(
        !Path::new(SYSTEM_CONFIG).exists(),
        "the package wrote {SYSTEM_CONFIG}"
    );
    write_system_config(&format!("server_url = {TYPED_SERVER_URL}\n"))?;
    let started = start_under_xvfb(Path::new(program), "linux-deb", None);
    let purged = run(Command::new("dpkg").args(["--purge", "centrale"]));
    remove_system_config();
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
    let example = rpm_root.join(CONFIG_EXAMPLE.trim_start_matches('/'));
    ensure!(
        example.exists(),
        "the .rpm did not install {CONFIG_EXAMPLE}"
    );
    // The app reads the real /etc: the address written there for this run, then taken away.
    write_system_config(&format!("server_url = {TYPED_SERVER_URL}\n"))?;
    let data = out.join("rpm-data");
    let _ = std::fs::remove_dir_all(&data);
    let started = start_under_xvfb(
        &rpm_root.join(program.trim_start_matches('/')),
        "linux-rpm",
        Some(&data),
    );
    remove_system_config();
    started
}

/// The key pair Tauri's signer makes (no password), in `target/installers/<name>.key[.pub]`;
/// returns the public key as the app's configuration takes it.
fn signing_key(out: &Path, name: &str) -> Result<String> {
    let key = out.join(format!("{name}.key"));
    run(Command::new("cargo")
        .args([
            "tauri",
            "signer",
            "generate",
            "--ci",
            "--force",
            "--password",
            "",
            "--write-keys",
        ])
        .arg(&key))?;
    Ok(
        std::fs::read_to_string(out.join(format!("{name}.key.pub")))?
            .trim()
            .to_string(),
    )
}

/// Signs `file` with the key `name`: `<file>.sig`.
fn sign(out: &Path, name: &str, file: &Path) -> Result<PathBuf> {
    run(Command::new("cargo")
        .args(["tauri", "signer", "sign", "--password", ""])
        .arg("--private-key-path")
        .arg(out.join(format!("{name}.key")))
        .arg(file))?;
    let mut sig = file.as_os_str().to_owned();
    sig.push(".sig");
    Ok(PathBuf::from(sig))
}

/// The app at `version`, trusting `pubkey` for its updates, built and packaged as a `.deb`
/// copied to `target/installers/` (the bundler's folder is reused by the next build).
fn build_deb(root: &Path, version: &str, pubkey: &str) -> Result<PathBuf> {
    let config =
        format!(r#"{{"version":"{version}","plugins":{{"updater":{{"pubkey":"{pubkey}"}}}}}}"#);
    run(cmd::cargo(root).env("TAURI_CONFIG", &config).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "centrale-desktop",
    ]))?;
    bundle_with(root, Some(&config))?;
    let deb = package(root, "deb", "deb")?;
    let field = capture(
        Command::new("dpkg-deb")
            .arg("--field")
            .arg(&deb)
            .arg("Version"),
    )?;
    ensure!(
        field.trim() == version,
        "the package says {field}, wanted {version}"
    );
    let copy = root
        .join("target/installers")
        .join(format!("Centrale_{version}_amd64.deb"));
    std::fs::copy(&deb, &copy)?;
    Ok(copy)
}

/// A `centrale-server` on loopback over its own SQLite file; its address.
struct LocalServer {
    child: std::process::Child,
    address: String,
}

impl LocalServer {
    fn start(binary: &Path, db: &str) -> Result<LocalServer> {
        use std::io::BufRead;
        let mut child = Command::new(binary)
            .args(["--database", db, "serve", "--bind", "127.0.0.1:0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .context("starting centrale-server")?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().context("server stdout")?)
            .read_line(&mut line)?;
        let address = line
            .trim()
            .strip_prefix("Centrale écoute sur ")
            .with_context(|| format!("unexpected first line of the server: {line}"))?
            .to_string();
        Ok(LocalServer { child, address })
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn installed_version() -> Result<String> {
    Ok(
        capture(Command::new("dpkg-query").args(["-W", "-f", "${Version}", "centrale"]))?
            .trim()
            .to_string(),
    )
}

/// Issue 13 §2 end to end, on this machine (root): the intercommunale's key and another one;
/// the app 0.1.0 and 0.1.1 built trusting the first; 0.1.1 published on a local server;
/// the installed 0.1.0, told by IT to update by itself, downloads 0.1.1, verifies it,
/// installs it and restarts as 0.1.1; a 0.1.2 signed by the other key is refused and 0.1.1
/// stays; the server stopped, the app starts and works offline.
pub fn update_end_to_end(root: &Path, version: &str) -> Result<()> {
    if !setup::is_root()? {
        bail!("the update test installs packages: run `cargo xtask release` as root");
    }
    let out = root.join("target/installers");
    std::fs::create_dir_all(&out)?;
    let trusted = signing_key(&out, "update-test")?;
    signing_key(&out, "update-other")?;
    let (major_minor, patch) = version.rsplit_once('.').context("version x.y.z")?;
    let patch: u32 = patch.parse()?;
    let next = format!("{major_minor}.{}", patch + 1);
    let after = format!("{major_minor}.{}", patch + 2);
    let new_deb = build_deb(root, &next, &trusted)?;
    let old_deb = build_deb(root, version, &trusted)?;
    let signature = sign(&out, "update-test", &new_deb)?;
    // The same bytes under a later version, signed by a key the app does not trust.
    let forged = out.join(format!("Centrale_{after}_amd64.deb"));
    std::fs::copy(&new_deb, &forged)?;
    let forged_signature = sign(&out, "update-other", &forged)?;

    run(cmd::cargo(root).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "centrale-server",
    ]))?;
    let server_bin = root.join("target/release/centrale-server");
    let db_file = out.join("update-server.db");
    let _ = std::fs::remove_file(&db_file);
    let db = format!("sqlite:{}", db_file.display());
    let admin = |args: &[&str]| {
        run(Command::new(&server_bin)
            .args(["--database", &db])
            .args(args))
    };
    admin(&["migrate"])?;
    let (new_deb_arg, signature_arg) = (
        new_deb.display().to_string(),
        signature.display().to_string(),
    );
    admin(&[
        "release",
        "publish",
        &new_deb_arg,
        "--version",
        &next,
        "--signature",
        &signature_arg,
        "--notes",
        "Version de test de la mise à jour.",
    ])?;
    let server = LocalServer::start(&server_bin, &db)?;

    run(Command::new("apt-get")
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args([
            "install",
            "-y",
            "--no-install-recommends",
            "--allow-downgrades",
        ])
        .arg(&old_deb))?;
    ensure!(
        installed_version()? == version,
        "installed: {}",
        installed_version()?
    );
    let program = Path::new("/usr/bin/centrale-desktop");
    write_system_config(&format!(
        "server_url = {}\nupdates = automatic\n",
        server.address
    ))?;

    // 1. The update, by itself: the new version is the one that logs its start.
    let updated = run_until_logged(
        program,
        "update-installed",
        &[
            &format!("version={next} "),
            "automatic update: this version is the latest",
        ],
        None,
    );
    let now = installed_version();
    updated?;
    ensure!(now? == next, "dpkg does not say {next} after the update");

    // 2. A newer file signed by another key: refused, nothing installed.
    admin(&[
        "release",
        "publish",
        &forged.display().to_string(),
        "--version",
        &after,
        "--signature",
        &forged_signature.display().to_string(),
    ])?;
    run_until_logged(
        program,
        "update-refused",
        &[
            "update refused: its signature is not the intercommunale's",
            "automatic update not installed",
        ],
        None,
    )?;
    ensure!(
        installed_version()? == next,
        "a file signed by another key was installed"
    );

    // 3. The server down: the app starts and works offline.
    drop(server);
    run_until_logged(
        program,
        "update-offline",
        &[
            &format!("version={next} "),
            "automatic update: no answer about updates",
        ],
        None,
    )?;

    run(Command::new("dpkg").args(["--purge", "centrale"]))?;
    remove_system_config();
    println!("update: {version} → {next} installed by the app; {after} signed by another key refused; offline start ok");
    Ok(())
}
