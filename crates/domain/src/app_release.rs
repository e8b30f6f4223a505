//! Updates of the desktop app served by the intercommunal server (issue 13 §2).
//!
//! The intercommunale publishes each new version of the app, per system, with the signature
//! Tauri's signer made of the file (`centrale-server release publish`). The app asks the
//! server whether a newer version exists for its system (Tauri's updater, « dynamic »
//! manifest): the server answers with the highest published version above the app's, or
//! nothing. The app checks the signature against the public key built into it before it
//! installs anything, so a server or a network that serves another file cannot make it run.
//!
//! What is decided here, once, for the server's command and endpoint: what a version is
//! (`major.minor.patch`, compared as numbers), which systems have updates, what a signature
//! must look like, and which release answers an app.

use std::cmp::Ordering;
use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::DomainError;

/// The largest file of a release (an installer or an update bundle), in MiB.
pub const APP_RELEASE_MAX_MB: usize = 300;
/// The same in bytes.
pub const APP_RELEASE_MAX_BYTES: usize = APP_RELEASE_MAX_MB * 1024 * 1024;
/// The longest release notes, in characters (shown to the user before installing).
pub const APP_RELEASE_NOTES_MAX_CHARS: usize = 2_000;

/// A version of the app: `major.minor.patch`, compared number by number (`0.10.0` is newer
/// than `0.9.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AppVersion(pub u32, pub u32, pub u32);

impl AppVersion {
    /// Reads `1.2.3` (a leading `v` allowed, as tags are written); anything else is refused.
    pub fn parse(text: &str) -> Result<AppVersion, DomainError> {
        let trimmed = text.trim();
        let bare = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let parts: Vec<&str> = bare.split('.').collect();
        let number = |s: &str| {
            (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        match parts.as_slice() {
            [a, b, c] => match (number(a), number(b), number(c)) {
                (Some(a), Some(b), Some(c)) => Ok(AppVersion(a, b, c)),
                _ => Err(Self::refused(text)),
            },
            _ => Err(Self::refused(text)),
        }
    }

    fn refused(text: &str) -> DomainError {
        DomainError::field(ErrorCode::AppVersionInvalid, "version").with("version", text.trim())
    }
}

impl Ord for AppVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0, self.1, self.2).cmp(&(other.0, other.1, other.2))
    }
}

impl PartialOrd for AppVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for AppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The systems the app is built for and updated on, as Tauri's updater names them in its
/// request (`{{target}}-{{arch}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppTarget {
    /// Windows 10/11, 64-bit (the MSI's update).
    WindowsX86_64,
    /// Linux, 64-bit (the `.deb` or `.rpm` update).
    LinuxX86_64,
}

impl AppTarget {
    /// Every target, as `--target` accepts them.
    pub const ALL: [AppTarget; 2] = [AppTarget::WindowsX86_64, AppTarget::LinuxX86_64];

    /// `windows-x86_64`, `linux-x86_64`: the name in the updater's request and in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            AppTarget::WindowsX86_64 => "windows-x86_64",
            AppTarget::LinuxX86_64 => "linux-x86_64",
        }
    }

    /// The target named by the updater's `{{target}}` and `{{arch}}`, or by the CLI's name.
    pub fn parse(target: &str, arch: Option<&str>) -> Result<AppTarget, DomainError> {
        let name = match arch {
            Some(arch) => format!("{}-{}", target.trim(), arch.trim()),
            None => target.trim().to_string(),
        };
        AppTarget::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| {
                DomainError::field(ErrorCode::AppTargetUnknown, "target")
                    .with("target", name.as_str())
                    .with(
                        "known",
                        AppTarget::ALL.map(AppTarget::as_str).join(", ").as_str(),
                    )
            })
    }
}

/// A published version of the app for one system: its file, and the signature of that file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRelease {
    /// `1.2.3`.
    pub version: String,
    /// The system.
    pub target: AppTarget,
    /// The file's name as downloaded (`Centrale_0.2.0_amd64.deb`).
    pub file_name: String,
    /// SHA-256 of the file, lowercase hexadecimal.
    pub sha256: String,
    /// Its size.
    pub size_bytes: u64,
    /// Tauri's signature of the file: the base64 of the minisign signature file (`.sig`).
    pub signature: String,
    /// What changes, in French, shown before the user agrees to install.
    pub notes: String,
    /// Server time of publication.
    pub published_at: DateTime<Utc>,
}

/// Checks a release before it is published: a version, a file of an accepted size and name,
/// a signature Tauri's updater can read, notes within their limit, and no release already
/// published for this system at this version (`published`: the versions already there).
pub fn validate(
    version: &str,
    file_name: &str,
    size_bytes: u64,
    signature: &str,
    notes: &str,
    published: &[AppVersion],
) -> Result<AppVersion, DomainError> {
    let parsed = AppVersion::parse(version)?;
    let name = file_name.trim();
    if name.is_empty()
        || name.len() > 200
        || name.contains(['/', '\\'])
        || name.starts_with('.')
        || !name.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(DomainError::field(ErrorCode::AppReleaseFileInvalid, "file")
            .with("file_name", file_name)
            .with("max_mb", APP_RELEASE_MAX_MB));
    }
    if size_bytes == 0 || size_bytes > APP_RELEASE_MAX_BYTES as u64 {
        return Err(DomainError::field(ErrorCode::AppReleaseFileInvalid, "file")
            .with("file_name", file_name)
            .with("max_mb", APP_RELEASE_MAX_MB));
    }
    check_signature(signature)?;
    if notes.chars().count() > APP_RELEASE_NOTES_MAX_CHARS {
        return Err(
            DomainError::field(ErrorCode::AppReleaseNotesTooLong, "notes")
                .with("max_chars", APP_RELEASE_NOTES_MAX_CHARS),
        );
    }
    if published.contains(&parsed) {
        return Err(already_published(parsed));
    }
    Ok(parsed)
}

/// The refusal of a version already published for its system (also when a concurrent
/// publication got there first, which only the database's key sees).
pub fn already_published(version: AppVersion) -> DomainError {
    DomainError::field(ErrorCode::AppReleaseExists, "version")
        .with("version", version.to_string().as_str())
}

/// Tauri's signature: the base64 of a minisign signature file, whose first line is an
/// « untrusted comment » and whose second is the signature itself (base64, 74 bytes: the
/// algorithm, `ED` or `Ed`, the key id and 64 bytes of Ed25519). Anything else would be refused by every
/// app at install time: refuse it at publication, where it can still be fixed.
pub fn check_signature(signature: &str) -> Result<(), DomainError> {
    let refused = || DomainError::field(ErrorCode::AppReleaseSignatureInvalid, "signature");
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = engine.decode(signature.trim()).map_err(|_| refused())?;
    let text = String::from_utf8(decoded).map_err(|_| refused())?;
    let mut lines = text.lines();
    let comment = lines.next().unwrap_or_default();
    let body = lines.next().unwrap_or_default();
    let raw = engine.decode(body.trim()).map_err(|_| refused())?;
    // `ED`: Ed25519 over the file's BLAKE2b hash (what Tauri's signer writes); `Ed`: over
    // the file itself (minisign's legacy form, which the updater also verifies).
    if !comment.starts_with("untrusted comment:")
        || raw.len() != 74
        || !matches!(&raw[..2], b"ED" | b"Ed")
    {
        return Err(refused());
    }
    Ok(())
}

/// The release an app at `current` on `target` should install: the highest version above
/// its own, if any.
pub fn newer(
    releases: &[AppRelease],
    target: AppTarget,
    current: AppVersion,
) -> Option<&AppRelease> {
    releases
        .iter()
        .filter(|r| r.target == target)
        .filter_map(|r| AppVersion::parse(&r.version).ok().map(|v| (v, r)))
        .filter(|(v, _)| *v > current)
        .max_by_key(|(v, _)| *v)
        .map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature as `tauri signer sign` writes it (its shape; the bytes are made up).
    pub(crate) fn signature() -> String {
        let engine = base64::engine::general_purpose::STANDARD;
        let mut raw = b"Ed".to_vec();
        raw.extend([7u8; 72]);
        let file = format!(
            "untrusted comment: signature from tauri secret key\n{}\ntrusted comment: timestamp:1\tfile:x.deb\nAAAA\n",
            engine.encode(raw)
        );
        engine.encode(file)
    }

    fn release(version: &str, target: AppTarget) -> AppRelease {
        AppRelease {
            version: version.into(),
            target,
            file_name: format!("Centrale_{version}_amd64.deb"),
            sha256: "0".repeat(64),
            size_bytes: 10,
            signature: signature(),
            notes: String::new(),
            published_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn versions_are_compared_as_numbers() {
        assert_eq!(AppVersion::parse("0.10.0").unwrap(), AppVersion(0, 10, 0));
        assert_eq!(AppVersion::parse(" v1.2.3 ").unwrap(), AppVersion(1, 2, 3));
        assert!(AppVersion::parse("0.10.0").unwrap() > AppVersion::parse("0.9.3").unwrap());
        for bad in [
            "",
            "1.2",
            "1.2.3.4",
            "1.a.3",
            "1..3",
            "-1.2.3",
            "1.2.3-beta",
            "1.2.99999999999",
        ] {
            let e = AppVersion::parse(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::AppVersionInvalid, "{bad}");
        }
    }

    #[test]
    fn targets_are_the_updaters_names() {
        assert_eq!(
            AppTarget::parse("linux", Some("x86_64")).unwrap(),
            AppTarget::LinuxX86_64
        );
        assert_eq!(
            AppTarget::parse("windows-x86_64", None).unwrap(),
            AppTarget::WindowsX86_64
        );
        let e = AppTarget::parse("darwin", Some("aarch64")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::AppTargetUnknown);
    }

    #[test]
    fn only_a_signature_the_updater_can_read_is_published() {
        assert!(check_signature(&signature()).is_ok());
        // As `cargo tauri signer sign` wrote it (prehashed, `ED`), for a real file.
        let real = "dW50cnVzdGVkIGNvbW1lbnQ6IHNpZ25hdHVyZSBmcm9tIHRhdXJpIHNlY3JldCBrZXkKUlVRdnBINWJCZkhJdFE3anE2c3JJV1dWWkxjcWFMdjJaZ1RtQXFxa2JvdDZDZmp3RW53RUVoY1FPR081MDMzdTlOK0tjbzhPdnY2dXdsQnlhOUFxbUhzVkZycU84WWRzb2d3PQp0cnVzdGVkIGNvbW1lbnQ6IHRpbWVzdGFtcDoxNzk2NDEzMjE5CWZpbGU6Q2VudHJhbGVfMC4xLjFfYW1kNjQuZGViCkNFendoTFZzeWplY2trVnJ3NzRueHNyQ3BQLzJSOXJnbTRTMXB1cEJNeERwQkVrS3VEMmtMUk1XZjZUYUVZbEJXMFVCT1JOZmxZaDFOQVI0N3doT0RRPT0K";
        assert!(check_signature(real).is_ok());
        let engine = base64::engine::general_purpose::STANDARD;
        for bad in [
            "".to_string(),
            "not base64 !".to_string(),
            engine.encode("untrusted comment: x\nshort\n"),
            engine.encode(format!("no comment\n{}\n", engine.encode([7u8; 74]))),
        ] {
            assert_eq!(
                check_signature(&bad).unwrap_err().code(),
                ErrorCode::AppReleaseSignatureInvalid,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_release_is_checked_before_it_is_published() {
        let sig = signature();
        assert_eq!(
            validate(
                "0.2.0",
                "Centrale_0.2.0_amd64.deb",
                10,
                &sig,
                "Corrections.",
                &[]
            )
            .unwrap(),
            AppVersion(0, 2, 0)
        );
        let code = |r: Result<AppVersion, DomainError>| r.unwrap_err().code();
        assert_eq!(
            code(validate("0.2", "a.deb", 10, &sig, "", &[])),
            ErrorCode::AppVersionInvalid
        );
        assert_eq!(
            code(validate("0.2.0", "../a.deb", 10, &sig, "", &[])),
            ErrorCode::AppReleaseFileInvalid
        );
        assert_eq!(
            code(validate("0.2.0", "a.deb", 0, &sig, "", &[])),
            ErrorCode::AppReleaseFileInvalid
        );
        assert_eq!(
            code(validate(
                "0.2.0",
                "a.deb",
                APP_RELEASE_MAX_BYTES as u64 + 1,
                &sig,
                "",
                &[]
            )),
            ErrorCode::AppReleaseFileInvalid
        );
        assert_eq!(
            code(validate("0.2.0", "a.deb", 10, "x", "", &[])),
            ErrorCode::AppReleaseSignatureInvalid
        );
        assert_eq!(
            code(validate(
                "0.2.0",
                "a.deb",
                10,
                &sig,
                &"é".repeat(APP_RELEASE_NOTES_MAX_CHARS + 1),
                &[]
            )),
            ErrorCode::AppReleaseNotesTooLong
        );
        assert_eq!(
            code(validate(
                "0.2.0",
                "a.deb",
                10,
                &sig,
                "",
                &[AppVersion(0, 2, 0)]
            )),
            ErrorCode::AppReleaseExists
        );
    }

    #[test]
    fn an_app_gets_the_highest_newer_release_of_its_system() {
        let releases = [
            release("0.2.0", AppTarget::LinuxX86_64),
            release("0.10.0", AppTarget::LinuxX86_64),
            release("0.9.0", AppTarget::LinuxX86_64),
            release("1.0.0", AppTarget::WindowsX86_64),
        ];
        let linux = |v| newer(&releases, AppTarget::LinuxX86_64, v).map(|r| r.version.as_str());
        assert_eq!(linux(AppVersion(0, 1, 0)), Some("0.10.0"));
        assert_eq!(linux(AppVersion(0, 10, 0)), None);
        assert_eq!(linux(AppVersion(2, 0, 0)), None);
        assert_eq!(
            newer(&releases, AppTarget::WindowsX86_64, AppVersion(0, 1, 0))
                .map(|r| r.version.as_str()),
            Some("1.0.0")
        );
    }
}
