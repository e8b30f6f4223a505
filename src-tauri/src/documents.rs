//! The documents of a call-off, typeset on this PC from what it holds and saved as PDF in the
//! user's Documents folder (issue 12): no network needed, as in a rural town hall.

use std::path::{Path, PathBuf};

use centrale_documents::{AnalysisReport, DocumentError};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

/// The intercommunale as its documents name it, until the server sends its own name.
const CENTRALE_NAME: &str = "Centrale d'achat de l'intercommunale";

/// A document written on this PC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedDocument {
    /// Where it is (full path, shown to the user).
    pub path: String,
    /// Its file name.
    pub file_name: String,
    /// How many pages it has.
    pub pages: u32,
}

impl From<DocumentError> for CommandError {
    fn from(e: DocumentError) -> Self {
        CommandError::new(e.code(), e.to_string())
    }
}

/// A file name people can read and sort: `2026-12-14 Bertrix - Rapport d'analyse - E-guichet.pdf`,
/// without the characters Windows refuses.
pub fn file_name(day: chrono::NaiveDate, commune: &str, kind: &str, title: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if "<>:\"/\\|?*".contains(c) || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect::<String>()
            .trim()
            .trim_end_matches('.')
            .chars()
            .take(60)
            .collect()
    };
    format!(
        "{} {} - {} - {}.pdf",
        day.format("%Y-%m-%d"),
        clean(commune),
        kind,
        clean(title)
    )
}

/// The folder documents go to: `CENTRALE_DOCUMENTS_DIR`, else `<Documents>/Centrale`.
pub fn folder(documents_dir: Option<PathBuf>, data_dir_fallback: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("CENTRALE_DOCUMENTS_DIR") {
        return dir.into();
    }
    match documents_dir {
        Some(dir) => dir.join("Centrale"),
        None => data_dir_fallback.join("documents"),
    }
}

impl Desktop {
    /// The analysis report of `order_id`, written into `folder`.
    pub fn analysis_report(&self, order_id: Uuid, folder: &Path) -> CommandResult<SavedDocument> {
        let paper = self.store()?.order_paper(order_id)?.ok_or_else(|| {
            CommandError::new(
                "not_found",
                "Cette commande n'est pas sur ce PC. Synchronisez, puis réessayez.",
            )
        })?;
        let terms = paper
            .framework
            .version(paper.order.framework_version)
            .ok_or_else(|| {
                CommandError::new(
                    "not_found",
                    "Les conditions de l'accord-cadre de cette commande ne sont pas encore sur ce PC. Synchronisez, puis réessayez.",
                )
            })?;
        let now = self.now();
        let report = AnalysisReport {
            centrale_name: CENTRALE_NAME,
            commune_name: &paper.commune_name,
            order: &paper.order,
            framework: &paper.framework,
            terms,
            service_name: &paper.service_name,
            offers: &paper.offers,
            providers: &paper.providers,
            generated_at: now,
        };
        let rendered = report.pdf()?;
        let name = file_name(
            centrale_domain::time::brussels_today(now),
            &paper.commune_name,
            "Rapport d'analyse des offres",
            &paper.order.title,
        );
        std::fs::create_dir_all(folder).and_then(|_| std::fs::write(folder.join(&name), &rendered.pdf)).map_err(|e| {
            CommandError::new(
                "document_not_saved",
                format!(
                    "Le document n'a pas pu être enregistré dans {} ({e}). Vérifiez que ce dossier existe et que vous pouvez y écrire.",
                    folder.display()
                ),
            )
            .with_params(serde_json::json!({ "folder": folder.display().to_string() }))
        })?;
        Ok(SavedDocument {
            path: folder.join(&name).display().to_string(),
            file_name: name,
            pages: u32::try_from(rendered.pages).unwrap_or(u32::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_read_well_and_windows_accepts_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
        assert_eq!(
            file_name(
                day,
                "Bertrix",
                "Rapport d'analyse des offres",
                "E-guichet: état civil / 2027?"
            ),
            "2026-12-14 Bertrix - Rapport d'analyse des offres - E-guichet- état civil - 2027-.pdf"
        );
    }
}
