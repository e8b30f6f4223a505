//! The documents of a call-off and of an adhesion, typeset on this PC from what it holds and
//! saved as PDF in the user's Documents folder (issue 12): no network needed, as in a rural
//! town hall. One command, [`Desktop::document`], for every kind ([`DocumentKind`]); the
//! screens ask [`Desktop::document_choices`] which ones the record allows now.

use std::path::{Path, PathBuf};

use centrale_documents::{
    AdhesionDocument, AdhesionDocuments, DocumentError, OrderDocument, OrderDocuments, Reader,
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
    /// Every available document of the order as its own PDF, and the whole file, in one zip
    /// (for a decision system that files each piece apart).
    Parts,
    /// Projet de délibération du conseil (adhesion).
    AdhesionDeliberation,
    /// La convention signée (adhesion).
    SignedConvention,
    /// The invoice of the intercommunale's accompaniment services (issue 16 §2; the record
    /// is the accompaniment order).
    AccompanimentInvoice,
}

enum Of {
    Order(OrderDocument),
    OrderParts,
    Adhesion(AdhesionDocument),
    Invoice,
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
            K::Parts => Of::OrderParts,
            K::AdhesionDeliberation => Of::Adhesion(AdhesionDocument::Deliberation),
            K::SignedConvention => Of::Adhesion(AdhesionDocument::SignedConvention),
            K::AccompanimentInvoice => Of::Invoice,
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
    /// How many pages it has (for the zip of the parts: how many files it holds).
    pub pages: u32,
}

impl From<DocumentError> for CommandError {
    fn from(e: DocumentError) -> Self {
        CommandError::new(e.code(), e.to_string())
    }
}

pub(crate) use centrale_documents::windows_safe;

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

/// The intercommunale's name as the server last sent it (the same `centrale_name` the server
/// prints on its own copies).
fn centrale_name(store: &Store) -> CommandResult<String> {
    Ok(store
        .server_settings()?
        .and_then(|s| s.centrale_name)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| CENTRALE_NAME.to_string()))
}

/// What a typeset document is called and made of.
struct Made {
    file_name: String,
    bytes: Vec<u8>,
    /// Its pages (a PDF) or its parts (the zip).
    pages: usize,
}

impl Desktop {
    /// The documents of the order `order_id` as this PC holds them; `None` when the order or
    /// its framework is not on this PC.
    pub(crate) fn order_documents(&self, order_id: Uuid) -> CommandResult<Option<OrderDocuments>> {
        let store = self.store()?;
        let Some(paper) = store.order_paper(order_id)? else {
            return Ok(None);
        };
        Ok(Some(OrderDocuments::new(
            paper,
            &centrale_name(store)?,
            self.now(),
        )))
    }

    fn adhesion_documents(&self, adhesion_id: Uuid) -> CommandResult<Option<AdhesionDocuments>> {
        let store = self.store()?;
        let Some(paper) = store.adhesion_paper(adhesion_id)? else {
            return Ok(None);
        };
        Ok(Some(AdhesionDocuments::new(
            paper,
            &centrale_name(store)?,
            self.now(),
        )))
    }

    /// An accompaniment order with its commune's name and its call-off's title, when on this
    /// PC and invoiced (the invoice is its only document).
    fn accompaniment_invoice(
        &self,
        id: Uuid,
    ) -> CommandResult<Option<(centrale_store::read::AccompanimentRow, String)>> {
        let store = self.store()?;
        let Some(row) = store.accompaniment_order(id)? else {
            return Ok(None);
        };
        if row.order.invoice.is_none() {
            return Ok(None);
        }
        Ok(Some((row, centrale_name(store)?)))
    }

    /// The documents `record_id` (an order, an adhesion or an accompaniment) allows now, in
    /// the order of its life; empty when the record is not on this PC.
    pub fn document_choices(&self, record_id: Uuid) -> CommandResult<Vec<DocumentChoice>> {
        if let Some((row, _)) = self.accompaniment_invoice(record_id)? {
            let number = row.order.invoice.map(|i| i.number).unwrap_or_default();
            return Ok(vec![DocumentChoice {
                kind: DocumentKind::AccompanimentInvoice,
                title: format!("Facture {number}"),
            }]);
        }
        if let Some(docs) = self.order_documents(record_id)? {
            // The commune's own PC: every document of its order.
            let mut out: Vec<DocumentChoice> = docs
                .choices(Reader::Commune)
                .into_iter()
                .map(|c| DocumentChoice {
                    kind: DocumentKind::from_order(c.which),
                    title: c.title,
                })
                .collect();
            // Beside « Dossier complet »: the same pieces, one file each.
            if out.iter().any(|c| c.kind == DocumentKind::WholeFile) {
                out.push(DocumentChoice {
                    kind: DocumentKind::Parts,
                    title: centrale_documents::ZIP_TITLE.to_string(),
                });
            }
            return Ok(out);
        }
        if let Some(docs) = self.adhesion_documents(record_id)? {
            return Ok(docs
                .file()
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
        let order = |record_id| -> CommandResult<OrderDocuments> {
            let docs = self
                .order_documents(record_id)?
                .ok_or_else(|| not_here("Cette commande"))?;
            if docs.file().is_none() {
                return Err(not_here(
                    "Les conditions de l'accord-cadre de cette commande",
                ));
            }
            Ok(docs)
        };
        match kind.of() {
            Of::Order(which) => {
                let docs = order(record_id)?;
                let rendered = docs.pdf(which)?;
                Ok(Made {
                    bytes: rendered.pdf,
                    pages: rendered.pages,
                    file_name: docs.file_name(which),
                })
            }
            Of::OrderParts => {
                let docs = order(record_id)?;
                Ok(Made {
                    bytes: docs.zip()?,
                    pages: docs.parts().len(),
                    file_name: docs.zip_name(),
                })
            }
            Of::Invoice => {
                let (row, centrale) = self
                    .accompaniment_invoice(record_id)?
                    .ok_or_else(|| not_here("Cet accompagnement facturé"))?;
                let commune = row
                    .commune_name
                    .clone()
                    .unwrap_or_else(|| row.order.commune_nis.clone());
                let doc = centrale_documents::AccompanimentInvoiceDoc {
                    centrale_name: &centrale,
                    commune_name: &commune,
                    order: &row.order,
                    call_off_title: row.call_off_title.as_deref(),
                    generated_at: self.now(),
                };
                let rendered = doc.pdf()?;
                Ok(Made {
                    bytes: rendered.pdf,
                    pages: rendered.pages,
                    file_name: doc.file_name(),
                })
            }
            Of::Adhesion(which) => {
                let docs = self
                    .adhesion_documents(record_id)?
                    .ok_or_else(|| not_here("Cette adhésion ou le texte de sa convention"))?;
                let rendered = docs.file().pdf(which)?;
                Ok(Made {
                    bytes: rendered.pdf,
                    pages: rendered.pages,
                    file_name: docs.file_name(which),
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
        let name = made.file_name;
        save(folder, &name, &made.bytes)?;
        Ok(SavedDocument {
            path: folder.join(&name).display().to_string(),
            file_name: name,
            pages: u32::try_from(made.pages).unwrap_or(u32::MAX),
        })
    }
}

/// Writes `bytes` as `folder/name`, creating the folder.
fn save(folder: &Path, name: &str, bytes: &[u8]) -> CommandResult<()> {
    std::fs::create_dir_all(folder)
        .and_then(|_| std::fs::write(folder.join(name), bytes))
        .map_err(|e| {
            CommandError::new(
                "document_not_saved",
                format!(
                    "Le document n'a pas pu être enregistré dans {} ({e}). Vérifiez que ce dossier existe et que vous pouvez y écrire.",
                    folder.display()
                ),
            )
            .with_params(serde_json::json!({ "folder": folder.display().to_string() }))
        })
}

#[cfg(test)]
mod tests {
    use centrale_documents::file_name;

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
