//! Opening a file this app saved (issue 12: a document generated offline is opened at once for
//! reading or printing). The window names the file only; it opens only from the folder the
//! documents go to, so that a page can never ask the PC to run or open anything else.

use std::path::{Path, PathBuf};

use crate::error::{CommandError, CommandResult};

/// The saved file `file_name` in `folder`, refused when the name is not a bare file name of
/// that folder or the file is not there.
pub fn saved_file(folder: &Path, file_name: &str) -> CommandResult<PathBuf> {
    let bare = !file_name.is_empty()
        && Path::new(file_name).file_name().map(|n| n == file_name) == Some(true)
        && !file_name.contains(['/', '\\']);
    let path = folder.join(file_name);
    if !bare || !path.is_file() {
        return Err(CommandError::new(
            "document_not_found",
            format!(
                "Le document « {file_name} » n'est plus dans {}. Enregistrez-le à nouveau.",
                folder.display()
            ),
        )
        .with_params(
            serde_json::json!({ "file_name": file_name, "folder": folder.display().to_string() }),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_of_the_documents_folder_opens() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("2026-12-14 Bertrix - Bon de commande.pdf"),
            b"%PDF",
        )
        .unwrap();
        std::fs::write(dir.path().join("..secret"), b"x").unwrap();
        assert_eq!(
            saved_file(dir.path(), "2026-12-14 Bertrix - Bon de commande.pdf").unwrap(),
            dir.path().join("2026-12-14 Bertrix - Bon de commande.pdf")
        );
        for refused in [
            "../etc/passwd",
            "/etc/passwd",
            "sub/x.pdf",
            "..",
            "",
            "absent.pdf",
            "a\\b.pdf",
        ] {
            let e = saved_file(dir.path(), refused).unwrap_err();
            assert_eq!(e.code, "document_not_found", "{refused}");
        }
        assert!(
            saved_file(dir.path(), "..secret").is_ok(),
            "a name starting with dots is still a name"
        );
    }
}
