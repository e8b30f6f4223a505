//! Typst as a library: one in-memory source, the fonts bundled with typst, no file system, no
//! packages, no network. The date typst sees is the document's date in Brussels.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Timelike, Utc};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::DocumentError;

/// A typeset document.
#[derive(Debug)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
}

/// The bundled fonts, parsed once per process (about 30 ms).
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        let book = FontBook::from_fonts(fonts.iter());
        (LazyHash::new(book), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

struct OneSource {
    main: Source,
    today: Datetime,
}

impl World for OneSource {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets `source` (typst markup) into a PDF dated `at` (its Brussels day).
pub fn render(source: String, at: DateTime<Utc>) -> Result<Rendered, DocumentError> {
    let path =
        VirtualPath::new("/document.typ").map_err(|e| DocumentError::Typeset(format!("{e:?}")))?;
    let id = RootedPath::new(VirtualRoot::Project, path).intern();
    let day = centrale_domain::time::brussels_today(at);
    let today = Datetime::from_ymd(day.year(), day.month() as u8, day.day() as u8)
        .ok_or_else(|| DocumentError::Typeset(format!("date {day}")))?;
    let world = OneSource {
        main: Source::new(id, source),
        today,
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| DocumentError::Typeset(messages(&errors)))?;
    let pages = document.pages().len();
    // PDF/A-2b: the archival form a commune's decision system keeps (fonts embedded, no
    // external content, XMP metadata), dated with the document's instant.
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_2b])
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))?;
    let stamp = Datetime::from_ymd_hms(
        at.year(),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions {
        standards,
        timestamp: stamp,
        ..Default::default()
    };
    let pdf = typst_pdf::pdf(&document, &options)
        .map_err(|errors| DocumentError::Pdf(messages(&errors)))?;
    Ok(Rendered { pdf, pages })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_french_page_becomes_a_pdf() {
        let at = Utc.with_ymd_and_hms(2027, 3, 14, 11, 0, 0).unwrap();
        let out = render(
            "#set text(lang: \"fr\")\n= Rapport\nÉté à Bertrix : 1 234,56 €\n#datetime.today().display(\"[day]/[month]/[year]\")".into(),
            at,
        )
        .unwrap();
        assert!(out.pdf.starts_with(b"%PDF-"));
        assert_eq!(out.pages, 1);
        // PDF/A-2b, declared in the XMP metadata the archive reads.
        let text = String::from_utf8_lossy(&out.pdf);
        assert!(text.contains("<pdfaid:part>2</pdfaid:part>"), "PDF/A part");
        assert!(
            text.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "PDF/A level"
        );
    }

    #[test]
    fn a_broken_template_is_an_error_not_a_panic() {
        let at = Utc.with_ymd_and_hms(2027, 3, 14, 11, 0, 0).unwrap();
        let err = render("#let x = (".into(), at).unwrap_err();
        assert_eq!(err.code(), "document_typeset_failed");
    }
}
