//! Running external commands: every command is echoed before it runs (so a CI log shows exactly
//! what to re-run by hand) and a failure names the command and its exit status.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, ensure, Context, Result};

/// The repository root: the parent of the `xtask` package. Every command runs from there so that
/// relative paths (`data/demo.db`, `target/`) mean the same thing wherever `cargo xtask` is typed.
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// A `cargo` command run from the repository root. Uses the same cargo that runs xtask (`$CARGO`),
/// so a pinned toolchain stays pinned.
pub fn cargo(root: &Path) -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(program);
    command.current_dir(root);
    command
}

/// Runs `command` with inherited stdout/stderr (the tool's own output, including a test runner's
/// closing summary, stays visible) and no stdin (CI has none; nothing may wait for a prompt).
pub fn run(command: &mut Command) -> Result<()> {
    let shown = describe(command);
    println!("$ {shown}");
    let status = command
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    ensure!(status.success(), "`{shown}` failed ({status})");
    Ok(())
}

/// Runs `command` quietly and returns its standard output; on failure the error includes its
/// standard error.
pub fn capture(command: &mut Command) -> Result<String> {
    let shown = describe(command);
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("`{shown}` failed ({}): {}", output.status, stderr.trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether `command` runs and exits successfully; its output is discarded. For probes such as
/// "is cargo-nextest installed?", where failure is an answer, not an error.
pub fn succeeds(command: &mut Command) -> bool {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// The command as a shell-like line, environment overrides first, with passwords in URLs masked
/// (CI logs are widely readable; `CENTRALE_TEST_PG_URL` may hold a real one).
pub fn describe(command: &Command) -> String {
    let envs = command
        .get_envs()
        .filter_map(|(key, value)| value.map(|value| format!("{}={}", shown(key), shown(value))));
    // `$CARGO` is a full toolchain path; "cargo" is what a reader would type.
    let is_cargo = std::env::var_os("CARGO").is_some_and(|cargo| cargo == command.get_program());
    let program = if is_cargo {
        "cargo".to_owned()
    } else {
        shown(command.get_program())
    };
    let program = std::iter::once(program);
    let args = command.get_args().map(shown);
    envs.chain(program)
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word of [`describe`]: quoted if the shell would split it, credentials masked.
fn shown(word: &OsStr) -> String {
    let word = redact_credentials(&word.to_string_lossy());
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        word
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Replaces the password of a `scheme://user:password@host…` URL inside `text` with `***`.
pub fn redact_credentials(text: &str) -> String {
    let Some(scheme_end) = text.find("://").map(|i| i + 3) else {
        return text.to_owned();
    };
    let authority_end = text[scheme_end..]
        .find('/')
        .map_or(text.len(), |i| scheme_end + i);
    let Some(at) = text[scheme_end..authority_end]
        .rfind('@')
        .map(|i| scheme_end + i)
    else {
        return text.to_owned();
    };
    match text[scheme_end..at].find(':').map(|i| scheme_end + i) {
        Some(colon) => format!("{}:***{}", &text[..colon], &text[at..]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_password_only() {
        assert_eq!(
            redact_credentials("postgres://centrale:secret@localhost:5432/centrale"),
            "postgres://centrale:***@localhost:5432/centrale"
        );
        assert_eq!(
            redact_credentials("X=postgres://u@h/db"),
            "X=postgres://u@h/db"
        );
        assert_eq!(
            redact_credentials("sqlite:data/demo.db"),
            "sqlite:data/demo.db"
        );
    }

    #[test]
    fn describes_env_and_quotes() {
        let mut command = Command::new("psql");
        command
            .env("PGCONNECT_TIMEOUT", "5")
            .args(["-tAc", "select 1", "postgres://a:b@h/d"]);
        assert_eq!(
            describe(&command),
            "PGCONNECT_TIMEOUT=5 psql -tAc 'select 1' 'postgres://a:***@h/d'"
        );
    }
}
