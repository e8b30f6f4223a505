//! The habits a machine can hold us to (issue 18 point 5): a commit's subject is at most 72
//! characters (CONTRIBUTING.md), checked on every commit since the check exists — the history
//! before it is left as it is.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Result};

use crate::cmd;

/// The last commit before this check: the commits after it are held to it.
const CHECKED_SINCE: &str = "6b38bb01023c6b3319821abb24562dc17adb04c5";
/// The longest subject CONTRIBUTING.md allows.
pub const MAX_SUBJECT_CHARS: usize = 72;

fn git(root: &Path) -> Command {
    let mut git = Command::new("git");
    git.current_dir(root);
    git
}

/// The subjects over the limit, as `(commit, subject)`.
pub fn too_long<'a>(commits: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    commits
        .filter(|(_, subject)| subject.chars().count() > MAX_SUBJECT_CHARS)
        .map(|(id, subject)| (id.chars().take(10).collect(), subject.to_string()))
        .collect()
}

/// Checks the subjects of the commits after [`CHECKED_SINCE`] (only HEAD's when a shallow
/// clone does not hold that commit).
pub fn commit_subjects(root: &Path) -> Result<()> {
    let known =
        cmd::succeeds(git(root).args(["cat-file", "-e", &format!("{CHECKED_SINCE}^{{commit}}")]));
    let range = if known {
        format!("{CHECKED_SINCE}..HEAD")
    } else {
        "-1".to_string()
    };
    let log = cmd::capture(git(root).args(["log", "--format=%H%x09%s", &range]))?;
    let commits = log.lines().filter_map(|l| l.split_once('\t'));
    let long = too_long(commits);
    if !long.is_empty() {
        let list: Vec<String> = long
            .iter()
            .map(|(id, s)| format!("  {id} ({} characters) {s}", s.chars().count()))
            .collect();
        bail!(
            "{} commit subject(s) over {MAX_SUBJECT_CHARS} characters (CONTRIBUTING.md); reword \
             them before pushing (`git rebase -i`):\n{}",
            long.len(),
            list.join("\n")
        );
    }
    println!(
        "every commit subject since {} is at most {MAX_SUBJECT_CHARS} characters",
        &CHECKED_SINCE[..10]
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_counted_in_characters_not_bytes() {
        let exact = "é".repeat(MAX_SUBJECT_CHARS);
        let over = "a".repeat(MAX_SUBJECT_CHARS + 1);
        let commits = [
            ("aaaaaaaaaaaaaaaa", exact.as_str()),
            ("bbbbbbbbbbbbbbbb", over.as_str()),
        ];
        let long = too_long(commits.into_iter());
        assert_eq!(long, vec![("bbbbbbbbbb".to_string(), over)]);
    }
}
