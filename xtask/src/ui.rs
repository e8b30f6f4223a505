//! The front end (`ui/`, React + TypeScript + Vite): its npm packages, checks, tests and
//! build, and the TypeScript types generated from the Rust ones.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd;

/// `npm ci` when `node_modules` is missing or older than the lock file.
pub fn install(root: &Path) -> Result<()> {
    let ui = root.join("ui");
    let lock = ui.join("package-lock.json");
    let marker = ui.join("node_modules/.package-lock.json");
    let fresh = match (lock.metadata(), marker.metadata()) {
        (Ok(lock), Ok(marker)) => marker.modified()? >= lock.modified()?,
        _ => false,
    };
    if fresh {
        println!("ui/node_modules is up to date");
        return Ok(());
    }
    cmd::run(npm(root).args(["ci", "--no-audit", "--no-fund"]))
}

/// `npm run <script>` in `ui/`.
pub fn script(root: &Path, name: &str) -> Result<()> {
    cmd::run(npm(root).args(["run", name])).with_context(|| format!("npm run {name}"))
}

/// Builds `ui/dist`, which the desktop app embeds (it must exist before the app compiles).
pub fn build(root: &Path) -> Result<()> {
    install(root)?;
    script(root, "build")
}

fn npm(root: &Path) -> Command {
    let mut command = Command::new("npm");
    command.current_dir(root.join("ui"));
    command
}

/// `cargo xtask bindings`: rewrites `ui/src/bindings` from the Rust types.
pub fn write_bindings() -> Result<()> {
    let root = cmd::repo_root();
    if !root.join("ui/dist/index.html").exists() {
        build(&root)?;
    }
    cmd::run(
        cmd::cargo(&root)
            .args([
                "test",
                "--package",
                "centrale-desktop",
                "--test",
                "app",
                "bindings::",
            ])
            .env("CENTRALE_UPDATE_BINDINGS", "1"),
    )?;
    println!("ui/src/bindings rewritten; commit the changes");
    Ok(())
}
