//! The documents of a call-off and of an adhesion, typeset on this PC from what it holds and
//! saved as PDF in the user's Documents folder (issue 12): no network needed, as in a rural
//! town hall. One command, [`Desktop::document`], for every kind ([`DocumentKind`]); the
//! screens ask [`Desktop::document_choices`] which ones the record allows now.

use std::path::{Path, PathBuf};

use centrale_documents::{
    AdhesionDocument, AdhesionFile, DocumentError, Letterhead, OrderDocument, OrderFile, Signer,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use centrale_store::Store;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

/// The intercommunale as its documents name it until a pull brought the server's own name
/// (`ServerSettings::centrale_name`, the server's `centrale_name` setting).
const CENTRALE_NAME: &str = "Centrale d'achat de l'intercommunale";

/// Which document: of an order (its id is the record id) or of an adhesion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocumentKind {
    /// Projet de décision de lancement de la commande.
    LaunchDecision,
    /// Procès-verbal d'ouverture des offres.
    OpeningRecord,
    /// Rapport d'analyse des offres.
    AnalysisReport,
    /// Projet de décision d'attribution du collège.
    AwardDecision,
    /// Notification de l'attribution, to the winner.
    NotificationLetter,
    /// Information of one other tenderer.
    InformationLetter {
        /// The tenderer.
        provider_id: Uuid,
    },
    /// Bon de commande.
    PurchaseOrder,
    /// PV de réception provisoire.
    ProvisionalAcceptance,
    /// PV de réception définitive.
    FinalAcceptance,
    /// Every available document of the order, with a table of contents.
    WholeFile,
    /// Projet de délibération du conseil (adhesion).
    AdhesionDeliberation,
    /// La convention signée (adhesion).
    SignedConvention,
}

enum Of {
    Order(OrderDocument),
    Adhesion(AdhesionDocument),
}

impl DocumentKind {
    fn of(self) -> Of {
        use DocumentKind as K;
        match self {
            K::LaunchDecision => Of::Order(OrderDocument::LaunchDecision),
            K::OpeningRecord => Of::Order(OrderDocument::OpeningRecord),
            K::AnalysisReport => Of::Order(OrderDocument::AnalysisReport),
            K::AwardDecision => Of::Order(OrderDocument::AwardDecision),
            K::NotificationLetter => Of::Order(OrderDocument::NotificationLetter),
            K::InformationLetter { provider_id } => {
                Of::Order(OrderDocument::InformationLetter(provider_id))
            }
            K::PurchaseOrder => Of::Order(OrderDocument::PurchaseOrder),
            K::ProvisionalAcceptance => Of::Order(OrderDocument::ProvisionalAcceptance),
            K::FinalAcceptance => Of::Order(OrderDocument::FinalAcceptance),
            K::WholeFile => Of::Order(OrderDocument::WholeFile),
            K::AdhesionDeliberation => Of::Adhesion(AdhesionDocument::Deliberation),
            K::SignedConvention => Of::Adhesion(AdhesionDocument::SignedConvention),
        }
    }

    fn from_order(d: OrderDocument) -> DocumentKind {
        use DocumentKind as K;
        match d {
            OrderDocument::LaunchDecision => K::LaunchDecision,
            OrderDocument::OpeningRecord => K::OpeningRecord,
            OrderDocument::AnalysisReport => K::AnalysisReport,
            OrderDocument::AwardDecision => K::AwardDecision,
            OrderDocument::NotificationLetter => K::NotificationLetter,
            OrderDocument::InformationLetter(provider_id) => K::InformationLetter { provider_id },
            OrderDocument::PurchaseOrder => K::PurchaseOrder,
            OrderDocument::ProvisionalAcceptance => K::ProvisionalAcceptance,
            OrderDocument::FinalAcceptance => K::FinalAcceptance,
            OrderDocument::WholeFile => K::WholeFile,
        }
    }

    fn from_adhesion(d: AdhesionDocument) -> DocumentKind {
        match d {
            AdhesionDocument::Deliberation => DocumentKind::AdhesionDeliberation,
            AdhesionDocument::SignedConvention => DocumentKind::SignedConvention,
        }
    }
}

/// A document the record allows now, with its French title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DocumentChoice {
    /// Which one (pass it back to `document`).
    pub kind: DocumentKind,
    /// « Rapport d'analyse des offres », « Information d'un soumissionnaire — Civitech SRL ».
    pub title: String,
}

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

/// Keeps only what Windows accepts in a file or folder name (also for the framework's files).
pub(crate) fn windows_safe(s: &str) -> String {
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
        .to_string()
}

/// A file name people can read and sort: `2026-12-14 Bertrix - Rapport d'analyse - E-guichet.pdf`,
/// without the characters Windows refuses.
pub fn file_name(day: chrono::NaiveDate, commune: &str, kind: &str, title: &str) -> String {
    let clean = |s: &str| -> String { windows_safe(s).chars().take(60).collect() };
    format!(
        "{} {} - {} - {}.pdf",
        day.format("%Y-%m-%d"),
        clean(commune),
        clean(kind),
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

fn not_here(what: &str) -> CommandError {
    CommandError::new(
        "not_found",
        format!("{what} n'est pas sur ce PC. Synchronisez, puis réessayez."),
    )
}

/// The letterhead: the intercommunale's name as the server last sent it, and the commune.
fn head(store: &Store, commune: &str) -> CommandResult<Letterhead> {
    let centrale = store
        .server_settings()?
        .and_then(|s| s.centrale_name)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| CENTRALE_NAME.to_string());
    Ok(Letterhead {
        centrale,
        commune: commune.to_string(),
    })
}

/// What a typeset document is called and made of.
struct Made {
    commune: String,
    title: String,
    subject: String,
    rendered: centrale_documents::Rendered,
}

impl Desktop {
    /// The documents `record_id` (an order or an adhesion) allows now, in the order of its
    /// life; empty when the record is not on this PC.
    pub fn document_choices(&self, record_id: Uuid) -> CommandResult<Vec<DocumentChoice>> {
        let store = self.store()?;
        if let Some(paper) = store.order_paper(record_id)? {
            let Some(terms) = paper.framework.version(paper.order.framework_version) else {
                return Ok(Vec::new());
            };
            let signers: Vec<Signer> = paper.signatories.iter().map(Signer::signatory).collect();
            let file = OrderFile {
                head: head(store, &paper.commune_name)?,
                order: &paper.order,
                framework: &paper.framework,
                terms,
                service_name: &paper.service_name,
                offers: &paper.offers,
                providers: &paper.providers,
                addresses: &paper.addresses,
                signatories: &signers,
                generated_at: self.now(),
            };
            let mut out: Vec<DocumentChoice> = file
                .available()
                .into_iter()
                .map(|d| DocumentChoice {
                    kind: DocumentKind::from_order(d),
                    title: match d {
                        OrderDocument::InformationLetter(p) => {
                            format!("{} — {}", d.title_fr(), paper.providers.name(p))
                        }
                        other => other.title_fr().to_string(),
                    },
                })
                .collect();
            out.push(DocumentChoice {
                kind: DocumentKind::WholeFile,
                title: OrderDocument::WholeFile.title_fr().to_string(),
            });
            return Ok(out);
        }
        if let Some(paper) = store.adhesion_paper(record_id)? {
            let file = AdhesionFile {
                head: head(store, &paper.commune_name)?,
                adhesion: &paper.adhesion,
                template: &paper.template,
                generated_at: self.now(),
            };
            return Ok(file
                .available()
                .into_iter()
                .map(|d| DocumentChoice {
                    kind: DocumentKind::from_adhesion(d),
                    title: d.title_fr().to_string(),
                })
                .collect());
        }
        Ok(Vec::new())
    }

    fn make(&self, kind: DocumentKind, record_id: Uuid) -> CommandResult<Made> {
        let now = self.now();
        let store = self.store()?;
        match kind.of() {
            Of::Order(which) => {
                let paper = store
                    .order_paper(record_id)?
                    .ok_or_else(|| not_here("Cette commande"))?;
                let terms = paper
                    .framework
                    .version(paper.order.framework_version)
                    .ok_or_else(|| {
                        not_here("Les conditions de l'accord-cadre de cette commande")
                    })?;
                let signers: Vec<Signer> =
                    paper.signatories.iter().map(Signer::signatory).collect();
                let file = OrderFile {
                    head: head(store, &paper.commune_name)?,
                    order: &paper.order,
                    framework: &paper.framework,
                    terms,
                    service_name: &paper.service_name,
                    offers: &paper.offers,
                    providers: &paper.providers,
                    addresses: &paper.addresses,
                    signatories: &signers,
                    generated_at: now,
                };
                let title = match which {
                    OrderDocument::InformationLetter(p) => {
                        format!("Information {}", paper.providers.name(p))
                    }
                    other => other.title_fr().to_string(),
                };
                Ok(Made {
                    rendered: file.pdf(which)?,
                    commune: paper.commune_name.clone(),
                    title,
                    subject: paper.order.title.clone(),
                })
            }
            Of::Adhesion(which) => {
                let paper = store
                    .adhesion_paper(record_id)?
                    .ok_or_else(|| not_here("Cette adhésion ou le texte de sa convention"))?;
                let file = AdhesionFile {
                    head: head(store, &paper.commune_name)?,
                    adhesion: &paper.adhesion,
                    template: &paper.template,
                    generated_at: now,
                };
                Ok(Made {
                    rendered: file.pdf(which)?,
                    commune: paper.commune_name.clone(),
                    title: which.title_fr().to_string(),
                    subject: format!("convention version {}", paper.template.version),
                })
            }
        }
    }

    /// The document `kind` of `record_id` (an order, or an adhesion for the adhesion's
    /// documents), typeset from this PC's cache and written into `folder`.
    pub fn document(
        &self,
        kind: DocumentKind,
        record_id: Uuid,
        folder: &Path,
    ) -> CommandResult<SavedDocument> {
        let made = self.make(kind, record_id)?;
        let name = file_name(
            centrale_domain::time::brussels_today(self.now()),
            &made.commune,
            &made.title,
            &made.subject,
        );
        std::fs::create_dir_all(folder).and_then(|_| std::fs::write(folder.join(&name), &made.rendered.pdf)).map_err(|e| {
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
            pages: u32::try_from(made.rendered.pages).unwrap_or(u32::MAX),
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
