//! The workspace's dependencies: none declared and unused (cargo-machete), and every package in
//! the tree under a licence we accept (read from `cargo metadata`, no network service).
//!
//! Why each unusual licence is accepted is written in ARCHITECTURE.md ("Workspace habits").

use std::path::Path;
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use crate::cmd;

/// SPDX licence identifiers a package may carry. An expression passes when one side of each
/// `OR` and every side of each `AND` is in this list (see [`accepts`]).
pub const ALLOWED_LICENCES: &[&str] = &[
    // Permissive licences, the bulk of the Rust ecosystem.
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "0BSD",
    "BSL-1.0",
    "CC0-1.0",
    // MIT without the attribution clause (borrow-or-share, under jsonschema's URI handling).
    "MIT-0",
    // The Unicode data tables (icu_*, unicode-ident, …).
    "Unicode-3.0",
    "Unicode-DFS-2016",
    // File-level copyleft, compatible with the EUPL (cssparser, selectors: Tauri's HTML
    // handling; webdriver: fantoccini's types; option-ext).
    "MPL-2.0",
    // webpki-roots: Mozilla's list of root certificates, a data licence.
    "CDLA-Permissive-2.0",
    // Our own crates.
    "EUPL-1.2",
];

/// `cargo xtask test`'s step "dependencies: unused and licences".
pub fn check(root: &Path) -> Result<()> {
    unused(root)?;
    unused_dev_dependencies(root)?;
    licences(root)
}

/// Installs cargo-machete (finds declared dependencies no source file names) when missing.
pub fn ensure_cargo_machete() -> Result<()> {
    let root = cmd::repo_root();
    if cmd::succeeds(&mut machete(&root, "--version")) {
        println!("cargo-machete is installed");
        return Ok(());
    }
    cmd::run(Command::new("cargo").args([
        "install",
        "cargo-machete",
        "--version",
        "^0.9",
        "--locked",
    ]))
    .context("installing cargo-machete")
}

/// Fails when a crate declares a dependency its sources never name. cargo-machete reads the
/// sources only (a second or two); `target/` is skipped, it holds generated code and is large.
fn unused(root: &Path) -> Result<()> {
    cmd::run(&mut machete(root, "--skip-target-dir")).context(
        "a crate declares a dependency it does not use: remove it from the crate's Cargo.toml, \
         and from [workspace.dependencies] when no crate uses it any more",
    )
}

/// Fails when a package's dev-dependency is named by none of its Rust files: cargo-machete
/// reads `[dependencies]` and `[build-dependencies]` only. A word search, as cargo-machete's.
fn unused_dev_dependencies(root: &Path) -> Result<()> {
    let metadata = metadata(root, true)?;
    let packages = metadata["packages"]
        .as_array()
        .context("`cargo metadata` lists no packages")?;
    let mut unused = Vec::new();
    for package in packages {
        let name = package["name"].as_str().unwrap_or("?");
        let dir = package["manifest_path"]
            .as_str()
            .and_then(|manifest| Path::new(manifest).parent())
            .with_context(|| format!("{name}: no manifest path"))?;
        let mut sources = String::new();
        read_rust_sources(dir, &mut sources)?;
        let dev_dependencies = package["dependencies"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|dependency| dependency["kind"].as_str() == Some("dev"));
        for dependency in dev_dependencies {
            let declared = dependency["rename"]
                .as_str()
                .or_else(|| dependency["name"].as_str())
                .unwrap_or_default();
            if !names(&sources, &declared.replace('-', "_")) {
                unused.push(format!("{name}: {declared}"));
            }
        }
    }
    ensure!(
        unused.is_empty(),
        "dev-dependencies no test, bench or example uses (remove them from [dev-dependencies]):\n  {}",
        unused.join("\n  ")
    );
    println!("every dev-dependency is used");
    Ok(())
}

/// Appends the text of every `.rs` file under `dir` to `sources` (build output and the UI's
/// packages skipped).
fn read_rust_sources(dir: &Path, sources: &mut String) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() {
            if !matches!(file_name, "target" | "node_modules" | ".git") {
                read_rust_sources(&path, sources)?;
            }
        } else if file_name.ends_with(".rs") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            sources.push_str(&text);
            sources.push('\n');
        }
    }
    Ok(())
}

/// Whether `identifier` occurs in `text` as a whole word (`rand` in `rand::thread_rng`, not in
/// `operand`).
fn names(text: &str, identifier: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(identifier).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + identifier.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// `cargo machete <arg>`. cargo-machete takes itself for a `cargo` subcommand (and skips the
/// `machete` argument) only when `CARGO_PKG_NAME` is unset, and `cargo run` sets it for xtask.
fn machete(root: &Path, arg: &str) -> Command {
    let mut command = cmd::cargo(root);
    command.args(["machete", arg]).env_remove("CARGO_PKG_NAME");
    command
}

/// The JSON of `cargo metadata`. With `no_deps`, the workspace's own packages only (no
/// download, instant); without, every package of the lock file, for every platform — the app
/// ships on Windows and macOS too, so their dependencies are checked as well.
pub fn metadata(root: &Path, no_deps: bool) -> Result<Value> {
    let mut command = cmd::cargo(root);
    command.args(["metadata", "--format-version", "1", "--locked"]);
    if no_deps {
        command.arg("--no-deps");
    }
    let json = cmd::capture(&mut command)?;
    serde_json::from_str(&json).context("reading the output of `cargo metadata`")
}

/// Fails when a package of the tree has no licence expression or one [`accepts`] refuses.
fn licences(root: &Path) -> Result<()> {
    let metadata = metadata(root, false)?;
    let packages = metadata["packages"]
        .as_array()
        .context("`cargo metadata` lists no packages")?;
    let mut refused = Vec::new();
    for package in packages {
        let name = format!(
            "{} {}",
            package["name"].as_str().unwrap_or("?"),
            package["version"].as_str().unwrap_or("?")
        );
        match package["license"].as_str() {
            None => refused.push(format!("{name}: no SPDX licence expression")),
            Some(expression) => match accepts(expression, ALLOWED_LICENCES) {
                Ok(true) => {}
                Ok(false) => refused.push(format!("{name}: {expression}")),
                Err(error) => refused.push(format!("{name}: {expression} ({error})")),
            },
        }
    }
    if !refused.is_empty() {
        bail!(
            "{} package(s) under a licence outside the allowed list (xtask/src/deps.rs; say why \
             a new one is acceptable in ARCHITECTURE.md):\n  {}",
            refused.len(),
            refused.join("\n  ")
        );
    }
    println!(
        "{} packages, every licence allowed ({})",
        packages.len(),
        ALLOWED_LICENCES.join(", ")
    );
    Ok(())
}

/// Whether the SPDX licence `expression` lets us use the package when only `allowed` licences
/// are acceptable: `A OR B` needs one of them, `A AND B` both, `A WITH exception` needs `A`
/// (an exception only adds permissions), `A+` (or later) counts as `A`. Also reads the old
/// crates.io form `A/B`, meaning `A OR B`. Identifiers compare without regard to case, as
/// SPDX says; `Err` when the expression cannot be read.
pub fn accepts(expression: &str, allowed: &[&str]) -> Result<bool> {
    let tokens = tokenize(expression);
    let mut parser = Parser {
        tokens: &tokens,
        position: 0,
        allowed,
    };
    let verdict = parser.or_expression()?;
    ensure!(
        parser.position == tokens.len(),
        "unexpected `{}`",
        tokens[parser.position]
    );
    Ok(verdict)
}

/// Splits an expression into identifiers, parentheses and `/`.
fn tokenize(expression: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in expression.chars() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '/') {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

/// A recursive-descent reader of the SPDX grammar that evaluates as it reads:
/// `or := and (("OR" | "/") and)*`, `and := with ("AND" with)*`,
/// `with := atom ("WITH" exception)?`, `atom := identifier | "(" or ")"`.
struct Parser<'a> {
    tokens: &'a [String],
    position: usize,
    allowed: &'a [&'a str],
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.position).map(String::as_str)
    }

    /// Consumes the next token if it is the operator `word` (any case: old crates write `or`).
    fn eat(&mut self, word: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.eq_ignore_ascii_case(word));
        if found {
            self.position += 1;
        }
        found
    }

    fn or_expression(&mut self) -> Result<bool> {
        let mut verdict = self.and_expression()?;
        while self.eat("OR") || self.eat("/") {
            // Both sides are read (not short-circuited) so a malformed right side still fails.
            verdict |= self.and_expression()?;
        }
        Ok(verdict)
    }

    fn and_expression(&mut self) -> Result<bool> {
        let mut verdict = self.with_expression()?;
        while self.eat("AND") {
            verdict &= self.with_expression()?;
        }
        Ok(verdict)
    }

    fn with_expression(&mut self) -> Result<bool> {
        let verdict = self.atom()?;
        if self.eat("WITH") {
            ensure!(
                self.peek().is_some_and(is_identifier),
                "WITH without an exception"
            );
            self.position += 1;
        }
        Ok(verdict)
    }

    fn atom(&mut self) -> Result<bool> {
        if self.eat("(") {
            let verdict = self.or_expression()?;
            ensure!(self.eat(")"), "unclosed parenthesis");
            return Ok(verdict);
        }
        let Some(identifier) = self.peek().filter(|t| is_identifier(t)) else {
            bail!("expected a licence identifier");
        };
        self.position += 1;
        let identifier = identifier.strip_suffix('+').unwrap_or(identifier);
        Ok(self
            .allowed
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(identifier)))
    }
}

/// A licence or exception identifier, not an operator or a parenthesis.
fn is_identifier(token: &str) -> bool {
    !matches!(token, "(" | ")" | "/")
        && !["AND", "OR", "WITH"]
            .iter()
            .any(|operator| operator.eq_ignore_ascii_case(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALLOWED: &[&str] = &["MIT", "Apache-2.0", "ISC", "Unicode-3.0"];

    fn verdict(expression: &str) -> bool {
        accepts(expression, ALLOWED).unwrap()
    }

    #[test]
    fn one_identifier() {
        assert!(verdict("MIT"));
        assert!(verdict("mit"));
        assert!(!verdict("GPL-3.0-only"));
        assert!(
            !verdict("MIT-0"),
            "a prefix of an allowed identifier is another licence"
        );
    }

    #[test]
    fn or_needs_one_side() {
        assert!(verdict("MIT OR Apache-2.0"));
        assert!(verdict("GPL-2.0-only OR MIT"));
        assert!(verdict("LGPL-2.1-or-later OR MIT OR Apache-2.0"));
        assert!(!verdict("GPL-2.0-only OR AGPL-3.0-only"));
    }

    #[test]
    fn and_needs_every_side() {
        assert!(verdict("ISC AND (Apache-2.0 OR ISC)"));
        assert!(verdict("(MIT OR Apache-2.0) AND Unicode-3.0"));
        assert!(!verdict("MIT AND GPL-3.0-only"));
        assert!(!verdict(
            "(MIT OR Apache-2.0) AND (GPL-2.0-only OR AGPL-3.0-only)"
        ));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        // (GPL AND MIT) OR ISC: the ISC side is enough.
        assert!(verdict("GPL-3.0-only AND MIT OR ISC"));
        // MIT AND (GPL OR …) would pass; read as (MIT AND GPL) OR AGPL it does not.
        assert!(!verdict("MIT AND GPL-3.0-only OR AGPL-3.0-only"));
    }

    #[test]
    fn with_and_or_later_count_as_the_licence() {
        assert!(verdict("Apache-2.0 WITH LLVM-exception"));
        assert!(verdict("Apache-2.0 WITH LLVM-exception OR GPL-3.0-only"));
        assert!(!verdict("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert!(verdict("Apache-2.0+"));
    }

    #[test]
    fn old_slash_form_is_or() {
        assert!(verdict("MIT/Apache-2.0"));
        assert!(verdict("Apache-2.0 / MIT"));
        assert!(verdict("GPL-3.0-only/MIT"));
        assert!(!verdict("GPL-3.0-only/AGPL-3.0-only"));
    }

    #[test]
    fn malformed_expressions_are_errors() {
        for expression in [
            "",
            "MIT OR",
            "(MIT",
            "MIT)",
            "MIT Apache-2.0",
            "AND MIT",
            "MIT WITH",
        ] {
            assert!(
                accepts(expression, ALLOWED).is_err(),
                "{expression:?} should not parse"
            );
        }
    }

    #[test]
    fn finds_a_crate_named_as_a_whole_word() {
        assert!(names("use rand::Rng;", "rand"));
        assert!(names("let x = tempfile::tempdir();", "tempfile"));
        assert!(!names("let operand = random();", "rand"));
        assert!(!names("proptest_like!()", "proptest"));
        assert!(!names("", "rand"));
    }

    #[test]
    fn the_allowed_list_reads_as_expressions() {
        for licence in ALLOWED_LICENCES {
            assert!(accepts(licence, ALLOWED_LICENCES).unwrap(), "{licence}");
        }
    }
}
