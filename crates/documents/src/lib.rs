//! The paper of a call-off (issue 12): the records of an order typeset as French PDF documents a
//! commune puts in the collège's file — offline, on the commune's PC as on the server.
//!
//! Typesetting is typst, embedded as a library with its bundled fonts (no network, no fonts of
//! the PC: the same document everywhere). Every value from a record enters the typst source as
//! a string literal ([`markup::lit`]), never as markup, so a provider's remark such as
//! `*#import "x"` prints as typed. Dates are dd/mm/yyyy in Europe/Brussels, amounts
//! `1 234,56 €` HTVA and TVAC.

pub mod accompaniment_invoice;
pub mod adhesion_docs;
pub mod analysis_report;
pub mod layout;
pub mod markup;
pub mod order_docs;
pub mod papers;
pub mod typeset;

pub use accompaniment_invoice::AccompanimentInvoiceDoc;
pub use adhesion_docs::{AdhesionDocument, AdhesionFile};
pub use analysis_report::AnalysisReport;
pub use layout::{Doc, Letterhead, Signer};
pub use order_docs::{OrderDocument, OrderFile};
pub use papers::{
    award_letter, file_name, windows_safe, AdhesionDocuments, Choice, OrderDocuments, Reader,
    Withheld, ZIP_TITLE,
};
pub use typeset::{render, Rendered};

/// Why a document could not be produced. Not the user's doing: the message says what to tell
/// the intercommunale.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The typst source did not compile (a bug in a template).
    #[error("Le document n'a pas pu être mis en page ({0}). Signalez-le à l'intercommunale.")]
    Typeset(String),
    /// The PDF could not be written.
    #[error(
        "Le document n'a pas pu être enregistré en PDF ({0}). Signalez-le à l'intercommunale."
    )]
    Pdf(String),
    /// The zip of the parts could not be written.
    #[error("Les pièces n'ont pas pu être réunies dans un fichier zip ({0}). Signalez-le à l'intercommunale.")]
    Zip(String),
    /// A record the document needs is missing (e.g. the offers before their opening).
    #[error("Le document n'est pas encore disponible : {0}")]
    NotYet(&'static str),
}

impl DocumentError {
    /// Stable code, for the UI's message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Typeset(_) => "document_typeset_failed",
            DocumentError::Pdf(_) => "document_pdf_failed",
            DocumentError::Zip(_) => "document_zip_failed",
            DocumentError::NotYet(_) => "document_not_yet",
        }
    }
}
