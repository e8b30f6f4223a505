//! The framework's own documents on this PC (issue 12 §2): « Ouvrir » writes the kept file
//! (checked against its hash) into the user's Documents folder, as the generated documents
//! are, and hands it to the system's viewer; the centrale uploads a file from the screen where
//! it prepares a new framework version.

use std::path::Path;

use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::DocumentFileStored;
use centrale_store::{KeptFile, StoreError};
use centrale_sync::{SyncClient, SyncError};
use serde::Serialize;
use ts_rs::TS;

use crate::desktop::Desktop;
use crate::documents::windows_safe;
use crate::error::{CommandError, CommandResult};

/// A framework document written on this PC to be opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct OpenedDocument {
    /// Where it is (full path, shown to the user).
    pub path: String,
    /// Its file name.
    pub file_name: String,
    /// True when it was fetched from the server now (it was not, or no longer soundly, on
    /// this PC).
    pub fetched: bool,
}

fn domain(e: DomainError) -> CommandError {
    StoreError::Rule(e).into()
}

impl Desktop {
    /// The file of the framework document `sha256` (« `title` », `file_name`), from this PC's
    /// copy — offline too — or, when there is none or it is damaged, fetched from the server
    /// now; written into `folder/Accords-cadres/<first hash digits>/` so two versions of a
    /// file with the same name never overwrite each other.
    pub async fn framework_document(
        &self,
        sha256: &str,
        file_name: &str,
        title: &str,
        folder: &Path,
    ) -> CommandResult<OpenedDocument> {
        let store = self.store()?;
        let kept = store.document_file(sha256)?;
        let corrupt = kept == KeptFile::Corrupt;
        let (content, fetched) = match kept {
            KeptFile::Sound(bytes) => (bytes, false),
            KeptFile::Missing | KeptFile::Corrupt => {
                let code = if corrupt {
                    ErrorCode::DocumentFileCorrupt
                } else {
                    ErrorCode::DocumentFileNotCached
                };
                let unreachable = || domain(DomainError::rule(code).with("title", title));
                let Some(client) = self.sync_client().await else {
                    return Err(unreachable());
                };
                match client.fetch_document_file(sha256).await {
                    Ok(bytes) => (bytes, true),
                    Err(SyncError::Refused { .. }) | Err(SyncError::Store(_)) => {
                        return Err(domain(
                            DomainError::rule(ErrorCode::DocumentFileMissing)
                                .with("title", title)
                                .with("file_name", file_name),
                        ))
                    }
                    Err(e) if e.is_retryable() => return Err(unreachable()),
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let hash_dir: String = sha256.chars().take(12).collect();
        let dir = folder.join("Accords-cadres").join(hash_dir);
        let name = windows_safe(file_name);
        let path = dir.join(&name);
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, &content))
            .map_err(|e| {
                CommandError::new(
                    "document_not_saved",
                    format!(
                        "Le document n'a pas pu être enregistré dans {} ({e}). Vérifiez que ce dossier existe et que vous pouvez y écrire.",
                        dir.display()
                    ),
                )
                .with_params(serde_json::json!({ "folder": dir.display().to_string() }))
            })?;
        Ok(OpenedDocument {
            path: path.display().to_string(),
            file_name: name,
            fetched,
        })
    }

    /// Uploads the file of a framework document (the centrale's staff): checked here first by
    /// the same rules as the server's (size, type by content), then by the server, which
    /// computes its hash and stores it once.
    pub async fn upload_framework_document(
        &self,
        file_name: &str,
        content: Vec<u8>,
    ) -> CommandResult<DocumentFileStored> {
        let sha256 = centrale_domain::sha256_hex(&content);
        centrale_domain::document_file::check_upload(file_name, &sha256, &content)
            .map_err(domain)?;
        let client = self.sync_client().await.ok_or_else(|| {
            CommandError::new(
                "credentials_needed",
                "Connectez-vous pour déposer un document.",
            )
        })?;
        Ok(client.upload_document_file(file_name, content).await?)
    }

    async fn sync_client(&self) -> Option<SyncClient> {
        self.running_client().await
    }
}

/// Opens a file with the system's viewer (the program the PC uses for its type).
pub fn open_with_system_viewer(path: &Path) -> CommandResult<()> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]).arg(path);
        c
    };
    #[cfg(target_os = "macos")]
    let mut command = {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    command.spawn().map(|_| ()).map_err(|e| {
        CommandError::new(
            "document_not_opened",
            format!(
                "Le document est enregistré dans {}, mais aucun programme n'a pu l'ouvrir ({e}). Ouvrez-le depuis ce dossier.",
                path.display()
            ),
        )
    })
}

/// Decodes `%XX` escapes (UTF-8), as `encodeURIComponent` writes them.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_come_back_from_the_window() {
        assert_eq!(
            percent_decode("Cahier%20sp%C3%A9cial.pdf"),
            "Cahier spécial.pdf"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(windows_safe("csc: v2?.pdf"), "csc- v2-.pdf");
    }
}
