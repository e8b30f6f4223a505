//! Running the real desktop app with no screen: Xvfb for the window, a private D-Bus session
//! (the portals and the accessibility bus GTK starts end with it), and an unlocked
//! gnome-keyring on that bus so the app keeps its device token as on a real desktop.

use std::env;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd;

/// The keyring's password in the throw-away HOME (nothing real is ever stored there).
const KEYRING_PASSWORD: &str = "centrale-tests";

/// A folder that stands for the user's HOME during a headless run, so that the keyring the
/// run unlocks is never the developer's own.
fn headless_home() -> PathBuf {
    cmd::repo_root().join("target/headless-home")
}

/// `command`, run under `xvfb-run` and `dbus-run-session`, with an unlocked keyring.
pub fn headless(command: Command) -> Command {
    let home = headless_home();
    let _ = std::fs::create_dir_all(&home);
    let mut wrapped = Command::new("xvfb-run");
    wrapped
        .args([
            "-a",
            "-s",
            "-screen 0 1280x1000x24",
            "dbus-run-session",
            "--",
        ])
        .args([
            "sh",
            "-c",
            "printf %s \"$CENTRALE_KEYRING_PASSWORD\" | gnome-keyring-daemon --unlock \
             --components=secrets >/dev/null 2>&1; exec \"$@\"",
            "sh",
        ])
        .arg(command.get_program())
        .args(command.get_args());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    // cargo and rustup find their homes from HOME unless told: pin them before moving HOME.
    let real_home = env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| real_home.join(".cargo"));
    let rustup_home = env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| real_home.join(".rustup"));
    wrapped
        .env("CARGO_HOME", &cargo_home)
        .env("RUSTUP_HOME", &rustup_home)
        .env("CENTRALE_TAURI_DRIVER", tauri_driver_path())
        .env("HOME", &home)
        .env("CENTRALE_KEYRING_PASSWORD", KEYRING_PASSWORD);
    wrapped
}

/// Where `cargo install` puts tauri-driver.
pub fn tauri_driver_path() -> PathBuf {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    cargo_home.join("bin/tauri-driver")
}

/// Installs tauri-driver (the WebDriver server for Tauri apps) when it is missing.
pub fn ensure_tauri_driver() -> Result<()> {
    let path = tauri_driver_path();
    if path.exists() {
        println!("tauri-driver is installed ({})", path.display());
        return Ok(());
    }
    cmd::run(Command::new("cargo").args(["install", "tauri-driver", "--version", "^2", "--locked"]))
        .context("installing tauri-driver")
}
