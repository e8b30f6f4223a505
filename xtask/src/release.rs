//! `cargo xtask release`: the installers of the desktop app, built on this Linux machine and
//! checked here (a maintainer's command, `docs/release.md`): the Windows MSI below, the Linux
//! `.deb` and `.rpm` in [`crate::release_linux`] (`--only windows` or `--only linux` for one).
//!
//! Windows:
//! 1. set-up: the MinGW-w64 linker, msitools and wixl (Debian packages, when root) and Rust's
//!    `x86_64-pc-windows-gnu` target;
//! 2. the UI (`ui/dist`, embedded in the app), then the app cross-compiled in release;
//! 3. a per-machine MSI built by wixl from `src-tauri/windows/centrale.wxs`;
//! 4. checks: the executable's PE headers (x86-64, a window and no console, loads
//!    `WebView2Loader.dll`) and version resource; the MSI's tables read back with `msiinfo`
//!    (product, publisher, version, `SERVER_URL`, files, Start-menu shortcut, registry value,
//!    WebView2 launch condition) and its files extracted with `msiextract`, byte for byte the
//!    ones built.
//!
//! The installer lands in `target/installers/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use crate::cmd::{self, capture, run};
use crate::steps::Steps;
use crate::{pe, release_linux, setup, ui};

/// Rust's target for 64-bit Windows with the MinGW-w64 toolchain (a linker Debian ships).
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

/// Debian packages the Windows build and its checks need: the MinGW-w64 C compiler and linker
/// (with `windres` for the icon and version resource), msitools (`msiinfo`, `msiextract`,
/// `msibuild`) and wixl (builds an MSI from a WiX source).
pub const WINDOWS_DEBIAN_PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "msitools", "wixl"];

/// The server address an MSI built without `--server-url` writes (IT overrides it with
/// `msiexec … SERVER_URL=…`).
const EXAMPLE_SERVER_URL: &str = "https://centrale.exemple.be";

/// `cargo xtask release`'s options.
#[derive(clap::Args)]
pub struct ReleaseArgs {
    /// The intercommunal server's address the installer writes for the app's first run when
    /// `msiexec` is given no `SERVER_URL`.
    #[arg(long, env = "CENTRALE_RELEASE_SERVER_URL", default_value = EXAMPLE_SERVER_URL)]
    pub server_url: String,
    /// One system's installers only (both by default).
    #[arg(long, value_enum)]
    pub only: Option<System>,
}

/// The systems `cargo xtask release` builds installers for.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum System {
    /// The MSI, cross-compiled.
    Windows,
    /// The `.deb` and the `.rpm`.
    Linux,
}

/// What the installer is built from: `src-tauri/tauri.conf.json`, the one place that names
/// the product, its version and publisher (the executable's version resource reads it too).
#[derive(Debug)]
struct Product {
    name: String,
    version: String,
    publisher: String,
}

fn product(root: &Path) -> Result<Product> {
    let path = root.join("src-tauri/tauri.conf.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config: Value = serde_json::from_str(&text).context("tauri.conf.json")?;
    let field = |value: &Value, name: &str| {
        value
            .as_str()
            .map(str::to_string)
            .with_context(|| format!("tauri.conf.json has no {name}"))
    };
    Ok(Product {
        name: field(&config["productName"], "productName")?,
        version: field(&config["version"], "version")?,
        publisher: field(&config["bundle"]["publisher"], "bundle.publisher")?,
    })
}

/// The files of a release.
struct Paths {
    exe: PathBuf,
    dll: PathBuf,
    stage: PathBuf,
    msi: PathBuf,
}

fn paths(root: &Path, product: &Product) -> Paths {
    let built = root.join("target").join(WINDOWS_TARGET).join("release");
    let out = root.join("target/installers");
    Paths {
        exe: built.join("centrale-desktop.exe"),
        dll: built.join("WebView2Loader.dll"),
        stage: out.join("windows-stage"),
        msi: out.join(format!("{}-{}-x64.msi", product.name, product.version)),
    }
}

pub fn run_release(args: &ReleaseArgs) -> Result<()> {
    let root = cmd::repo_root();
    let product = product(&root)?;
    let paths = paths(&root, &product);
    let wanted = |system: System| args.only.is_none_or(|only| only == system);
    let mut steps = Steps::new();
    steps.run("ui: build", || ui::build(&root))?;
    let mut built = Vec::new();
    if wanted(System::Linux) {
        steps.run(
            "set-up: Linux tools (rpm, tauri-cli)",
            release_linux::ensure_tools,
        )?;
        // First, so that the packages left in target/ are the real ones, not the test's.
        steps.run(
            "linux: the update, end to end (0.1.0 → 0.1.1, a forged one, offline)",
            || release_linux::update_end_to_end(&root, &product.version),
        )?;
        steps.run("linux: build the app (release)", || {
            release_linux::build_binary(&root)
        })?;
        steps.run("linux: .deb and .rpm (Tauri bundler)", || {
            release_linux::bundle(&root)
        })?;
        let deb = release_linux::package(&root, "deb", "deb")?;
        let rpm = release_linux::package(&root, "rpm", "rpm")?;
        let mut program = String::new();
        steps.run("linux: check the .deb", || {
            program = release_linux::check_deb(&deb, &product.version)?;
            Ok(())
        })?;
        steps.run("linux: check the .rpm", || {
            let in_rpm = release_linux::check_rpm(&rpm, &product.version)?;
            ensure!(
                in_rpm == program,
                "the .rpm installs {in_rpm}, the .deb {program}"
            );
            Ok(())
        })?;
        steps.run("linux: install the .deb and start it under Xvfb", || {
            release_linux::install_and_start_deb(&deb, &program)
        })?;
        steps.run("linux: install the .rpm and start it under Xvfb", || {
            release_linux::install_and_start_rpm(&rpm, &program)
        })?;
        built.extend([deb, rpm]);
    }
    if wanted(System::Windows) {
        steps.run("set-up: Windows tools", ensure_windows_tools)?;
        steps.run("windows: build the app (release)", || build_exe(&root))?;
        steps.run("windows: MSI (wixl)", || {
            build_msi(&root, &product, &paths, &args.server_url)
        })?;
        steps.run("windows: check the executable", || {
            check_exe(&paths.exe, &product)
        })?;
        steps.run("windows: check the MSI", || {
            check_msi(&paths, &product, &args.server_url)
        })?;
        built.extend([paths.exe.clone(), paths.msi.clone()]);
    }
    steps.print_summary();
    for path in &built {
        let size = path.metadata()?.len();
        println!("{}: {:.1} MB", path.display(), mb(size));
    }
    Ok(())
}

#[allow(clippy::cast_precision_loss)] // a size shown to one decimal
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// The Debian packages (installed when root, else the command to run) and the Rust target.
pub fn ensure_windows_tools() -> Result<()> {
    setup::ensure_packages(WINDOWS_DEBIAN_PACKAGES)?;
    let root = cmd::repo_root();
    let installed =
        capture(
            Command::new("rustup")
                .current_dir(&root)
                .args(["target", "list", "--installed"]),
        )?;
    if installed.lines().any(|l| l.trim() == WINDOWS_TARGET) {
        println!("the Rust target {WINDOWS_TARGET} is installed");
        return Ok(());
    }
    run(Command::new("rustup")
        .current_dir(&root)
        .args(["target", "add", WINDOWS_TARGET]))
}

fn build_exe(root: &Path) -> Result<()> {
    run(cmd::cargo(root).args([
        "build",
        "--release",
        "--locked",
        "--target",
        WINDOWS_TARGET,
        "--package",
        "centrale-desktop",
    ]))
}

fn build_msi(root: &Path, product: &Product, paths: &Paths, server_url: &str) -> Result<()> {
    ensure!(
        !server_url.trim().is_empty(),
        "the installer needs a server address (--server-url)"
    );
    if paths.stage.exists() {
        std::fs::remove_dir_all(&paths.stage)?;
    }
    std::fs::create_dir_all(&paths.stage)?;
    // wixl reads sources relative to its working directory: the files are staged under the
    // names they get once installed.
    for (from, name) in [
        (paths.exe.clone(), "Centrale.exe"),
        (paths.dll.clone(), "WebView2Loader.dll"),
        (root.join("icons/icon.ico"), "centrale.ico"),
    ] {
        std::fs::copy(&from, paths.stage.join(name))
            .with_context(|| format!("copying {}", from.display()))?;
    }
    let define = |name: &str, value: &str| format!("{name}={value}");
    let wxs = root.join("src-tauri/windows/centrale.wxs");
    run(Command::new("wixl")
        .current_dir(&paths.stage)
        .args(["--arch", "x64"])
        .args(["-D", &define("Version", &product.version)])
        .args(["-D", &define("Publisher", &product.publisher)])
        .args(["-D", &define("ServerUrl", server_url.trim())])
        .args(["-D", "ExeSource=Centrale.exe"])
        .args(["-D", "DllSource=WebView2Loader.dll"])
        .args(["-D", "IconSource=centrale.ico"])
        .arg("-o")
        .arg(&paths.msi)
        .arg(&wxs))?;
    // `SERVER_URL` given to msiexec must reach the per-machine (elevated) part of the install:
    // a secure property. wixl writes SecureCustomProperties itself and refuses a second row.
    let secure = table(&capture(
        Command::new("msiinfo")
            .arg("export")
            .arg(&paths.msi)
            .arg("Property"),
    )?)?
    .into_iter()
    .find(|row| row["Property"] == "SecureCustomProperties")
    .map(|row| row["Value"].clone())
    .unwrap_or_default();
    let value = if secure.is_empty() {
        "SERVER_URL".to_string()
    } else {
        format!("SERVER_URL;{secure}")
    };
    run(Command::new("msibuild").arg(&paths.msi).args([
        "-q",
        &format!(
            "UPDATE `Property` SET `Value` = '{value}' WHERE `Property` = 'SecureCustomProperties'"
        ),
    ]))
}

/// The version `x.y.z` as the four numbers of a Windows version resource.
fn windows_version(version: &str) -> Result<[u16; 4]> {
    let mut numbers = [0u16; 4];
    let core = version.split(['-', '+']).next().unwrap_or_default();
    for (i, part) in core.split('.').enumerate() {
        ensure!(i < 4, "version {version}: more than four numbers");
        numbers[i] = part
            .parse()
            .with_context(|| format!("version {version}: {part} is not a number"))?;
    }
    Ok(numbers)
}

fn check_exe(exe: &Path, product: &Product) -> Result<()> {
    let bytes = std::fs::read(exe).with_context(|| format!("reading {}", exe.display()))?;
    let info = pe::read(&bytes)?;
    ensure!(
        info.machine == pe::MACHINE_X86_64,
        "machine {:#x}, not x86-64",
        info.machine
    );
    ensure!(
        info.subsystem == pe::SUBSYSTEM_GUI,
        "subsystem {} instead of a window (2): a console would open beside the app \
         (`windows_subsystem = \"windows\"` in src-tauri/src/main.rs)",
        info.subsystem
    );
    ensure!(
        info.imports
            .iter()
            .any(|dll| dll.eq_ignore_ascii_case("WebView2Loader.dll")),
        "the executable does not load WebView2Loader.dll (imports: {:?}); the installer ships it",
        info.imports
    );
    let version = windows_version(&product.version)?;
    ensure!(
        info.file_version == Some(version),
        "version resource {:?}, expected {version:?}",
        info.file_version
    );
    let expect = [
        ("ProductName", product.name.as_str()),
        ("CompanyName", product.publisher.as_str()),
    ];
    for (key, value) in expect {
        ensure!(
            info.strings.get(key).map(String::as_str) == Some(value),
            "version resource {key}: {:?}, expected {value:?} (all: {:?})",
            info.strings.get(key),
            info.strings
        );
    }
    ensure!(
        info.strings
            .get("ProductVersion")
            .is_some_and(|v| v.starts_with(&product.version)),
        "version resource ProductVersion: {:?}",
        info.strings.get("ProductVersion")
    );
    let mut imports = info.imports.clone();
    imports.sort_by_key(|dll| dll.to_ascii_lowercase());
    imports.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    println!(
        "{}: PE32+ x86-64, GUI subsystem, imports {}, version {:?}, {:?}",
        exe.display(),
        imports.join(" "),
        info.file_version.unwrap_or_default(),
        info.strings
    );
    Ok(())
}

/// The rows of an `msiinfo export` table: a line of column names, a line of column types, a
/// line naming the table and its keys, then one tab-separated line per row.
pub fn table(export: &str) -> Result<Vec<BTreeMap<String, String>>> {
    let mut lines = export.lines();
    let columns: Vec<&str> = lines
        .next()
        .context("an empty table export")?
        .split('\t')
        .collect();
    let rows = lines
        .skip(2)
        .filter(|line| !line.is_empty())
        .map(|line| {
            columns
                .iter()
                .zip(line.split('\t').chain(std::iter::repeat("")))
                .map(|(c, v)| ((*c).to_string(), v.to_string()))
                .collect()
        })
        .collect();
    Ok(rows)
}

fn msi_table(msi: &Path, name: &str) -> Result<Vec<BTreeMap<String, String>>> {
    // `msiinfo export` writes a table's streams (the Icon table's icons) to its working
    // directory: the MSI's folder, under target/, not the repository.
    let folder = msi.parent().unwrap_or(Path::new("."));
    table(&capture(
        Command::new("msiinfo")
            .current_dir(folder)
            .arg("export")
            .arg(msi)
            .arg(name),
    )?)
    .with_context(|| format!("MSI table {name}"))
}

/// Whether a row of `rows` has every `(column, value)` of `wanted`.
fn has_row(rows: &[BTreeMap<String, String>], wanted: &[(&str, &str)]) -> bool {
    rows.iter().any(|row| {
        wanted
            .iter()
            .all(|(c, v)| row.get(*c).map(String::as_str) == Some(*v))
    })
}

/// A row an MSI table must hold: the table, the `(column, value)` pairs, and what it is.
type TableCheck<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);

fn check_msi(paths: &Paths, product: &Product, server_url: &str) -> Result<()> {
    let msi = &paths.msi;
    let properties: BTreeMap<String, String> = msi_table(msi, "Property")?
        .into_iter()
        .map(|row| (row["Property"].clone(), row["Value"].clone()))
        .collect();
    let expect = [
        ("ProductName", product.name.as_str()),
        ("Manufacturer", product.publisher.as_str()),
        ("ProductVersion", product.version.as_str()),
        ("SERVER_URL", server_url.trim()),
        // Per machine: Program Files, for every account of the PC.
        ("ALLUSERS", "1"),
        ("ARPPRODUCTICON", "centrale.ico"),
    ];
    for (name, value) in expect {
        ensure!(
            properties.get(name).map(String::as_str) == Some(value),
            "MSI property {name}: {:?}, expected {value:?}",
            properties.get(name)
        );
    }
    ensure!(
        properties
            .get("SecureCustomProperties")
            .is_some_and(|v| v.split(';').any(|p| p == "SERVER_URL")),
        "SERVER_URL is not a secure property: msiexec's value would not reach the install"
    );
    let summary = capture(Command::new("msiinfo").arg("suminfo").arg(msi))?;
    ensure!(
        summary
            .lines()
            .any(|l| l.starts_with("Template:") && l.contains("x64")),
        "the MSI is not a 64-bit package:\n{summary}"
    );
    let checks: [TableCheck<'_>; 7] = [
        (
            "File",
            &[("FileName", "Centrale.exe"), ("Component_", "App")],
            "the app's executable",
        ),
        (
            "File",
            &[("FileName", "WebView2Loader.dll")],
            "WebView2Loader.dll beside the executable",
        ),
        (
            "Directory",
            &[
                ("Directory", "INSTALLDIR"),
                ("Directory_Parent", "ProgramFiles64Folder"),
                ("DefaultDir", "Centrale"),
            ],
            "the folder Program Files\\Centrale",
        ),
        (
            "Shortcut",
            &[
                ("Directory_", "ProgramMenuFolder"),
                ("Name", "Centrale"),
                ("Target", "[INSTALLDIR]Centrale.exe"),
                ("Icon_", "centrale.ico"),
            ],
            "the Start-menu shortcut",
        ),
        (
            "Registry",
            &[
                ("Root", "2"),
                ("Key", "SOFTWARE\\Centrale"),
                ("Name", "ServerUrl"),
                ("Value", "[SERVER_URL]"),
            ],
            "the server address written to HKLM\\SOFTWARE\\Centrale (read by the app)",
        ),
        (
            "Icon",
            &[("Name", "centrale.ico")],
            "the icon of the uninstall entry and the shortcut",
        ),
        (
            "Upgrade",
            &[("ActionProperty", "WIX_UPGRADE_DETECTED")],
            "the upgrade of an older version",
        ),
    ];
    for (name, wanted, what) in checks {
        ensure!(
            has_row(&msi_table(msi, name)?, wanted),
            "the MSI lacks {what}: no row {wanted:?} in its {name} table"
        );
    }
    let conditions = msi_table(msi, "LaunchCondition")?;
    ensure!(
        conditions
            .iter()
            .any(|row| row["Condition"].contains("WEBVIEW2")
                && row["Description"].contains("WebView2")),
        "the MSI does not say when WebView2 is missing: {conditions:?}"
    );
    // The files inside, byte for byte the ones built.
    let extracted = paths.stage.with_file_name("windows-extracted");
    if extracted.exists() {
        std::fs::remove_dir_all(&extracted)?;
    }
    std::fs::create_dir_all(&extracted)?;
    run(Command::new("msiextract")
        .arg("-C")
        .arg(&extracted)
        .arg(msi))?;
    for (built, name) in [
        (&paths.exe, "Centrale.exe"),
        (&paths.dll, "WebView2Loader.dll"),
    ] {
        let inside = extracted.join("Centrale").join(name);
        let same = std::fs::read(&inside)
            .with_context(|| format!("{name} is not in the MSI ({})", inside.display()))?
            == std::fs::read(built)?;
        ensure!(same, "{name} in the MSI differs from {}", built.display());
    }
    println!("{}: tables and files checked", msi.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_msiinfo_export_is_read_as_rows() {
        let export = "Property\tValue\ns72\tl0\nProperty\tProperty\nALLUSERS\t1\nSERVER_URL\thttps://c.be\nEMPTY\n";
        let rows = table(export).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1]["Property"], "SERVER_URL");
        assert_eq!(rows[1]["Value"], "https://c.be");
        assert_eq!(rows[2]["Value"], "");
        assert!(has_row(&rows, &[("Property", "ALLUSERS"), ("Value", "1")]));
        assert!(!has_row(&rows, &[("Property", "ALLUSERS"), ("Value", "2")]));
    }

    #[test]
    fn a_version_becomes_four_windows_numbers() {
        assert_eq!(windows_version("0.1.0").unwrap(), [0, 1, 0, 0]);
        assert_eq!(windows_version("1.2.3-rc.1").unwrap(), [1, 2, 3, 0]);
        assert!(windows_version("1.x").is_err());
    }
}
