//! The documents of one record as a side offers them: built from the domain's assembled
//! paper (`centrale_domain::paper`, the same on the PC and on the server), with the
//! intercommunale's name and the instant of generation, and filtered by who reads them.
//!
//! The PC (`src-tauri/src/documents.rs`) and the server (`crates/server/src/http/
//! order_documents.rs`, the portal, the award e-mails) call only this: which documents exist
//! now, who gets which, what they are called and how their files are named is decided here
//! once.

use centrale_domain::paper::{AdhesionPaper, OrderPaper};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::layout::{Letterhead, Signer};
use crate::typeset::Rendered;
use crate::{AdhesionDocument, AdhesionFile, DocumentError, OrderDocument, OrderFile};

/// Who asks for the documents of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The intercommunale's staff: every document.
    Centrale,
    /// The commune the order is for (its ownership is checked by the domain's `authorize`):
    /// every document.
    Commune,
    /// A provider: only its own letters (the notification if it won, its information letter
    /// otherwise) and the purchase order addressed to it.
    Provider(Uuid),
}

/// Why a reader does not get a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Withheld {
    /// Not this reader's (answered as an unknown record: nothing leaks about what exists).
    NotFound,
    /// The reader will get it, but the record does not hold what it prints yet.
    NotYet(&'static str),
}

/// A document a reader may have now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Which one.
    pub which: OrderDocument,
    /// Its title (« Information d'un soumissionnaire — Civitech SRL »).
    pub title: String,
}

/// The title of the zip of an order's parts, beside « Dossier complet ».
pub const ZIP_TITLE: &str = "Pièces du dossier, une par fichier (zip)";

/// The letter the award e-mail to `provider` carries (issue 14 §1): the notification if it
/// won, its information letter otherwise (law of 17 June 2013 art. 8 and 9: the decision and
/// its reasons told to each tenderer); `None` before the award.
pub fn award_letter(
    order: &centrale_domain::order::Order,
    provider: Uuid,
) -> Option<OrderDocument> {
    let winner = order.award.as_ref()?.provider_id;
    Some(if winner == provider {
        OrderDocument::NotificationLetter
    } else {
        OrderDocument::InformationLetter(provider)
    })
}

/// Keeps only what Windows accepts in a file or folder name.
pub fn windows_safe(s: &str) -> String {
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

impl OrderDocument {
    /// Its name in an address (`/documents/analysis_report`,
    /// `/documents/information_letter-<provider id>`).
    pub fn code(self) -> String {
        match self {
            OrderDocument::LaunchDecision => "launch_decision".into(),
            OrderDocument::OpeningRecord => "opening_record".into(),
            OrderDocument::AnalysisReport => "analysis_report".into(),
            OrderDocument::AwardDecision => "award_decision".into(),
            OrderDocument::NotificationLetter => "notification_letter".into(),
            OrderDocument::InformationLetter(p) => format!("information_letter-{p}"),
            OrderDocument::PurchaseOrder => "purchase_order".into(),
            OrderDocument::ProvisionalAcceptance => "provisional_acceptance".into(),
            OrderDocument::FinalAcceptance => "final_acceptance".into(),
            OrderDocument::WholeFile => "whole_file".into(),
        }
    }

    /// The document a [`OrderDocument::code`] names.
    pub fn parse(code: &str) -> Option<OrderDocument> {
        if let Some(p) = code.strip_prefix("information_letter-") {
            return Uuid::parse_str(p)
                .ok()
                .map(OrderDocument::InformationLetter);
        }
        Some(match code {
            "launch_decision" => OrderDocument::LaunchDecision,
            "opening_record" => OrderDocument::OpeningRecord,
            "analysis_report" => OrderDocument::AnalysisReport,
            "award_decision" => OrderDocument::AwardDecision,
            "notification_letter" => OrderDocument::NotificationLetter,
            "purchase_order" => OrderDocument::PurchaseOrder,
            "provisional_acceptance" => OrderDocument::ProvisionalAcceptance,
            "final_acceptance" => OrderDocument::FinalAcceptance,
            "whole_file" => OrderDocument::WholeFile,
            _ => return None,
        })
    }
}

impl AdhesionDocument {
    /// Its name in an address.
    pub fn code(self) -> &'static str {
        match self {
            AdhesionDocument::Deliberation => "deliberation",
            AdhesionDocument::SignedConvention => "signed_convention",
        }
    }

    /// The document a [`AdhesionDocument::code`] names.
    pub fn parse(code: &str) -> Option<AdhesionDocument> {
        match code {
            "deliberation" => Some(AdhesionDocument::Deliberation),
            "signed_convention" => Some(AdhesionDocument::SignedConvention),
            _ => None,
        }
    }
}

/// The documents of an order, ready to be typeset.
#[derive(Debug, Clone)]
pub struct OrderDocuments {
    /// What they print.
    pub paper: OrderPaper,
    signers: Vec<Signer>,
    centrale_name: String,
    generated_at: DateTime<Utc>,
}

impl OrderDocuments {
    /// The documents of `paper`, from the intercommunale `centrale_name`, produced at
    /// `generated_at` (the date they print, and the PDF's date).
    pub fn new(
        paper: OrderPaper,
        centrale_name: &str,
        generated_at: DateTime<Utc>,
    ) -> OrderDocuments {
        let signers = paper.signatories.iter().map(Signer::signatory).collect();
        OrderDocuments {
            paper,
            signers,
            centrale_name: centrale_name.to_string(),
            generated_at,
        }
    }

    /// The order's file; `None` when its framework's version is not known here.
    pub fn file(&self) -> Option<OrderFile<'_>> {
        let p = &self.paper;
        let terms = p.framework.version(p.order.framework_version)?;
        Some(OrderFile {
            head: Letterhead {
                centrale: self.centrale_name.clone(),
                commune: p.commune_name.clone(),
            },
            order: &p.order,
            framework: &p.framework,
            terms,
            service_name: &p.service_name,
            offers: &p.offers,
            providers: &p.providers,
            addresses: &p.addresses,
            service_names: &p.service_names,
            signatories: &self.signers,
            generated_at: self.generated_at,
        })
    }

    fn file_or_not_yet(&self) -> Result<OrderFile<'_>, DocumentError> {
        self.file().ok_or(DocumentError::NotYet(
            "les conditions de l'accord-cadre de cette commande ne sont pas connues ici.",
        ))
    }

    /// The winner, once awarded.
    fn winner(&self) -> Option<Uuid> {
        self.paper.order.award.as_ref().map(|a| a.provider_id)
    }

    /// Is `which` a document `reader` gets at some point of the order's life?
    fn is_for(&self, reader: Reader, which: OrderDocument) -> bool {
        match reader {
            Reader::Centrale | Reader::Commune => true,
            Reader::Provider(me) => match which {
                // Before the award nobody is the winner: the letter will be this provider's
                // if it wins, and is « not yet » for every invited provider alike.
                OrderDocument::NotificationLetter | OrderDocument::PurchaseOrder => {
                    self.winner().is_none_or(|w| w == me)
                }
                OrderDocument::InformationLetter(p) => p == me && self.winner() != Some(me),
                _ => false,
            },
        }
    }

    /// Whether `reader` gets `which` now.
    pub fn allowed(&self, reader: Reader, which: OrderDocument) -> Result<(), Withheld> {
        if !self.is_for(reader, which) {
            return Err(Withheld::NotFound);
        }
        let file = self.file_or_not_yet().map_err(|_| {
            Withheld::NotYet(
                "les conditions de l'accord-cadre de cette commande ne sont pas connues ici.",
            )
        })?;
        match file.not_yet(which) {
            Some(why) => Err(Withheld::NotYet(why)),
            None => Ok(()),
        }
    }

    /// The documents `reader` gets now, in the order of the order's life; the centrale and
    /// the commune also get the whole file.
    pub fn choices(&self, reader: Reader) -> Vec<Choice> {
        let Some(file) = self.file() else {
            return Vec::new();
        };
        let mut out: Vec<Choice> = file
            .available()
            .into_iter()
            .filter(|d| self.is_for(reader, *d))
            .map(|which| Choice {
                which,
                title: file.title(which),
            })
            .collect();
        if self.is_for(reader, OrderDocument::WholeFile) {
            out.push(Choice {
                which: OrderDocument::WholeFile,
                title: OrderDocument::WholeFile.title_fr().to_string(),
            });
        }
        out
    }

    /// The typst source of `which` (for comparing two sides without typesetting).
    pub fn source(&self, which: OrderDocument) -> Result<String, DocumentError> {
        self.file_or_not_yet()?.source(which)
    }

    /// `which` as a PDF.
    pub fn pdf(&self, which: OrderDocument) -> Result<Rendered, DocumentError> {
        self.file_or_not_yet()?.pdf(which)
    }

    /// The short name of `which` in a file name (« Information Civitech SRL »).
    fn short_title(&self, which: OrderDocument) -> String {
        match which {
            OrderDocument::InformationLetter(p) => {
                format!("Information {}", self.paper.providers.name(p))
            }
            other => other.title_fr().to_string(),
        }
    }

    /// The file name of `which`: `2027-09-02 Bertrix - Notification de l'attribution - E-guichet 2027.pdf`.
    pub fn file_name(&self, which: OrderDocument) -> String {
        file_name(
            centrale_domain::time::brussels_today(self.generated_at),
            &self.paper.commune_name,
            &self.short_title(which),
            &self.paper.order.title,
        )
    }
}

impl OrderDocuments {
    /// The name of the zip of the parts: `2027-09-02 Bertrix - Pièces du dossier - E-guichet 2027.zip`.
    pub fn zip_name(&self) -> String {
        let pdf = file_name(
            centrale_domain::time::brussels_today(self.generated_at),
            &self.paper.commune_name,
            "Pièces du dossier",
            &self.paper.order.title,
        );
        format!("{}.zip", pdf.trim_end_matches(".pdf"))
    }

    /// The entries of the zip, in the order of the order's life: each available document
    /// numbered (`01 - Projet de décision de lancement de la commande.pdf`), then the whole
    /// file.
    pub fn parts(&self) -> Vec<(String, OrderDocument)> {
        let Some(file) = self.file() else {
            return Vec::new();
        };
        let mut docs = file.available();
        docs.push(OrderDocument::WholeFile);
        docs.into_iter()
            .enumerate()
            .map(|(i, which)| {
                let title: String = windows_safe(&file.title(which)).chars().take(100).collect();
                (format!("{:02} - {title}.pdf", i + 1), which)
            })
            .collect()
    }

    /// Every available part as its own PDF, and the whole file, in one zip (for a decision
    /// system that files each piece apart). Entries are dated with the documents' instant, so
    /// the same order gives the same zip.
    pub fn zip(&self) -> Result<Vec<u8>, DocumentError> {
        use std::io::Write as _;
        use zip::write::SimpleFileOptions;
        let zip_error = |e: &dyn std::fmt::Display| DocumentError::Zip(e.to_string());
        let at = self
            .generated_at
            .with_timezone(&chrono_tz::Europe::Brussels);
        let stamp = {
            use chrono::{Datelike, Timelike};
            zip::DateTime::from_date_and_time(
                u16::try_from(at.year()).unwrap_or(1980),
                at.month() as u8,
                at.day() as u8,
                at.hour() as u8,
                at.minute() as u8,
                at.second() as u8,
            )
            .unwrap_or_default()
        };
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(stamp);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, which) in self.parts() {
            let rendered = self.pdf(which)?;
            zip.start_file(name, options).map_err(|e| zip_error(&e))?;
            zip.write_all(&rendered.pdf).map_err(|e| zip_error(&e))?;
        }
        Ok(zip.finish().map_err(|e| zip_error(&e))?.into_inner())
    }
}

/// The documents of an adhesion, ready to be typeset.
#[derive(Debug, Clone)]
pub struct AdhesionDocuments {
    /// What they print.
    pub paper: AdhesionPaper,
    centrale_name: String,
    generated_at: DateTime<Utc>,
}

impl AdhesionDocuments {
    /// The documents of `paper`, from `centrale_name`, produced at `generated_at`.
    pub fn new(
        paper: AdhesionPaper,
        centrale_name: &str,
        generated_at: DateTime<Utc>,
    ) -> AdhesionDocuments {
        AdhesionDocuments {
            paper,
            centrale_name: centrale_name.to_string(),
            generated_at,
        }
    }

    /// The adhesion's file.
    pub fn file(&self) -> AdhesionFile<'_> {
        AdhesionFile {
            head: Letterhead {
                centrale: self.centrale_name.clone(),
                commune: self.paper.commune_name.clone(),
            },
            adhesion: &self.paper.adhesion,
            template: &self.paper.template,
            generated_at: self.generated_at,
        }
    }

    /// The file name of `which`.
    pub fn file_name(&self, which: AdhesionDocument) -> String {
        file_name(
            centrale_domain::time::brussels_today(self.generated_at),
            &self.paper.commune_name,
            which.title_fr(),
            &format!("convention version {}", self.paper.template.version),
        )
    }
}
