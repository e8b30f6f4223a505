//! `cargo xtask check`: the developer's inner loop, in a few minutes instead of the whole
//! `cargo xtask test`. Format, the UI's type check, clippy of the workspace, and the unit tests
//! of the crates changed since the branch left `main`. It installs nothing and starts no
//! database; `cargo xtask test` stays the check before pushing.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::steps::Steps;
use crate::test::JOURNEYS_FEATURE;
use crate::{cmd, deps, habits, test, ui};

/// Files outside every crate whose change may change any crate's build.
const WORKSPACE_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain.toml",
    ".cargo/",
    ".config/",
];

pub fn run() -> Result<()> {
    let root = cmd::repo_root();
    let mut steps = Steps::new();
    steps.run("cargo fmt --check", || test::fmt(&root))?;
    steps.run("habits: commit subjects", || habits::commit_subjects(&root))?;
    steps.run("ui: type check", || {
        ui::install(&root)?;
        ui::script(&root, "typecheck")
    })?;
    // The desktop app embeds ui/dist: it must exist before clippy compiles the app.
    if !root.join("ui/dist/index.html").exists() {
        steps.run("ui: build (ui/dist is missing)", || {
            ui::script(&root, "build")
        })?;
    }
    steps.run("cargo clippy", || test::clippy(&root))?;
    steps.run("unit tests of the changed crates", || unit_tests(&root))?;
    steps.print_summary();
    println!("xtask: check passed (`cargo xtask test` runs everything)");
    Ok(())
}

/// The unit tests (`#[cfg(test)]` modules of libraries and binaries) of the changed crates,
/// through nextest with the same workspace and feature selection as `cargo xtask test`, so
/// that nothing compiles twice.
fn unit_tests(root: &Path) -> Result<()> {
    let crates = changed_crates(root)?;
    if crates.is_empty() {
        println!("no crate changed since `main`: no unit tests to run");
        return Ok(());
    }
    println!(
        "changed crates: {}",
        crates.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    let packages = crates
        .iter()
        .map(|name| format!("package({name})"))
        .collect::<Vec<_>>()
        .join(" | ");
    let filter = format!("({packages}) & (kind(lib) | kind(bin))");
    cmd::run(
        cmd::cargo(root)
            .args(["nextest", "run", "--no-tests=warn", "--workspace"])
            .args(["--features", JOURNEYS_FEATURE, "-E", &filter])
            .env_remove("CENTRALE_TEST_BACKEND"),
    )
    .context("unit tests (cargo-nextest: `cargo install cargo-nextest --locked` if missing)")
}

/// The workspace's packages with a file changed since `git merge-base HEAD main`, committed or
/// not (untracked files included). A change to the workspace's own files (the root manifest,
/// the lock file, the toolchain) counts for every package; without a `main` branch, so does
/// everything.
fn changed_crates(root: &Path) -> Result<BTreeSet<String>> {
    let members = members(root)?;
    let Some(changed) = changed_files(root)? else {
        println!("no `main` branch to compare with: every crate counts as changed");
        return Ok(members.into_iter().map(|(name, _)| name).collect());
    };
    Ok(crates_of(&changed, &members))
}

/// The packages owning `files`: each file belongs to the package with the longest directory
/// that holds it (`tests/bare-window/…` is not `tests/…`).
fn crates_of(files: &[String], members: &[(String, String)]) -> BTreeSet<String> {
    let mut crates = BTreeSet::new();
    for file in files {
        if WORKSPACE_FILES
            .iter()
            .any(|w| file == w || (w.ends_with('/') && file.starts_with(w)))
        {
            return members.iter().map(|(name, _)| name.clone()).collect();
        }
        let owner = members
            .iter()
            .filter(|(_, dir)| file.starts_with(&format!("{dir}/")))
            .max_by_key(|(_, dir)| dir.len());
        if let Some((name, _)) = owner {
            crates.insert(name.clone());
        }
    }
    crates
}

/// The workspace's packages as (name, directory relative to the root).
fn members(root: &Path) -> Result<Vec<(String, String)>> {
    let metadata = deps::metadata(root, true)?;
    let root = metadata["workspace_root"]
        .as_str()
        .context("`cargo metadata` gives no workspace root")?;
    let packages = metadata["packages"]
        .as_array()
        .context("`cargo metadata` lists no packages")?;
    packages
        .iter()
        .map(|package| {
            let name = package["name"]
                .as_str()
                .context("a package without a name")?;
            let manifest = package["manifest_path"]
                .as_str()
                .context("a package without a manifest path")?;
            let dir = Path::new(manifest)
                .parent()
                .and_then(|dir| dir.strip_prefix(root).ok())
                .context("a package outside the workspace")?;
            Ok((name.to_owned(), dir.to_string_lossy().into_owned()))
        })
        .collect()
}

/// Files changed since the branch left `main` (relative to the root), or `None` when there is
/// no `main` to compare with.
fn changed_files(root: &Path) -> Result<Option<Vec<String>>> {
    let git = || {
        let mut command = Command::new("git");
        command.current_dir(root);
        command
    };
    let Ok(base) = cmd::capture(git().args(["merge-base", "HEAD", "main"])) else {
        return Ok(None);
    };
    let tracked = cmd::capture(git().args(["diff", "--name-only", base.trim()]))?;
    let untracked = cmd::capture(git().args(["ls-files", "--others", "--exclude-standard"]))?;
    Ok(Some(
        tracked
            .lines()
            .chain(untracked.lines())
            .map(str::to_owned)
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members() -> Vec<(String, String)> {
        [
            ("centrale-domain", "crates/domain"),
            ("centrale-tests", "tests"),
            ("centrale-bare-window", "tests/bare-window"),
            ("xtask", "xtask"),
        ]
        .into_iter()
        .map(|(name, dir)| (name.to_owned(), dir.to_owned()))
        .collect()
    }

    fn changed(files: &[&str]) -> Vec<String> {
        let files: Vec<String> = files.iter().map(|f| (*f).to_owned()).collect();
        crates_of(&files, &members()).into_iter().collect()
    }

    #[test]
    fn a_file_belongs_to_the_innermost_crate() {
        assert_eq!(
            changed(&["tests/bare-window/src/main.rs", "crates/domain/src/lib.rs"]),
            ["centrale-bare-window", "centrale-domain"]
        );
        assert_eq!(changed(&["tests/src/lib.rs"]), ["centrale-tests"]);
    }

    #[test]
    fn files_outside_the_crates_change_none_but_the_workspace_files_change_all() {
        assert!(changed(&["ui/src/App.tsx", "README.md", "crates/domainx/a.rs"]).is_empty());
        assert_eq!(changed(&["Cargo.lock"]).len(), 4);
        assert_eq!(changed(&[".cargo/config.toml"]).len(), 4);
        assert!(changed(&["Cargo.toml.orig"]).is_empty());
    }
}
