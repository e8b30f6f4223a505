//! The files of a framework's own documents (issue 12 §2): which files are accepted, checked by
//! their content and not only by their name, and the rule that a framework version is
//! published only when the file of each of its documents is stored.
//!
//! The server checks every upload with [`check_upload`]; the PC checks the same before sending
//! and verifies every copy it keeps with [`sha256_hex`](crate::sha256_hex). A file is named by
//! the SHA-256 of its content, the hash the framework version already records: the same
//! content is stored once, whoever sends it and under whatever name.

use serde::{Deserialize, Serialize};

use crate::catalogue::{FrameworkDocument, FrameworkTerms};
use crate::limits::{DOCUMENT_FILE_MAX_BYTES, DOCUMENT_FILE_MAX_MB};
use crate::{DomainError, ErrorCode};

/// The kinds of file a framework document may be: PDF and the office formats a commune opens
/// without special software. Old binary Office files (`.doc`, `.xls`) are refused: they carry
/// macros and have no signature that tells them apart from other OLE files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DocumentFileType {
    /// PDF (`%PDF-`).
    Pdf,
    /// Word (Office Open XML: a ZIP holding `word/`).
    Docx,
    /// Excel (Office Open XML: a ZIP holding `xl/`).
    Xlsx,
    /// OpenDocument text (a ZIP whose first entry `mimetype` says so).
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
}

/// How the accepted types are named to a person (in the refusal).
pub const ALLOWED_TYPES_FR: &str =
    "PDF (.pdf), Word (.docx), Excel (.xlsx) et OpenDocument (.odt, .ods)";

impl DocumentFileType {
    /// Every accepted type.
    pub const ALL: [DocumentFileType; 5] = [
        DocumentFileType::Pdf,
        DocumentFileType::Docx,
        DocumentFileType::Xlsx,
        DocumentFileType::Odt,
        DocumentFileType::Ods,
    ];

    /// The file name's extension, lower case, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            DocumentFileType::Pdf => "pdf",
            DocumentFileType::Docx => "docx",
            DocumentFileType::Xlsx => "xlsx",
            DocumentFileType::Odt => "odt",
            DocumentFileType::Ods => "ods",
        }
    }

    /// The media type the server answers with (the PC's viewer picks its program by the
    /// extension).
    pub fn media_type(self) -> &'static str {
        match self {
            DocumentFileType::Pdf => "application/pdf",
            DocumentFileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentFileType::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            DocumentFileType::Odt => "application/vnd.oasis.opendocument.text",
            DocumentFileType::Ods => "application/vnd.oasis.opendocument.spreadsheet",
        }
    }

    /// The type a file name announces by its extension.
    pub fn from_name(file_name: &str) -> Option<DocumentFileType> {
        let (_, ext) = file_name.trim().rsplit_once('.')?;
        let ext = ext.to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.extension() == ext)
    }

    /// The type the content is, by its signature; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<DocumentFileType> {
        if bytes.starts_with(b"%PDF-") {
            return Some(DocumentFileType::Pdf);
        }
        if !bytes.starts_with(b"PK\x03\x04") {
            return None;
        }
        // OpenDocument: the first entry is `mimetype`, stored uncompressed, right after the
        // 30-byte local header (ISO/IEC 26300 part 3, §3.3).
        if bytes.get(30..38) == Some(b"mimetype") {
            let rest = bytes.get(38..).unwrap_or_default();
            let mime = b"application/vnd.oasis.opendocument.";
            if let Some(kind) = rest.strip_prefix(mime.as_slice()) {
                if kind.starts_with(b"text") {
                    return Some(DocumentFileType::Odt);
                }
                if kind.starts_with(b"spreadsheet") {
                    return Some(DocumentFileType::Ods);
                }
            }
            return None;
        }
        // Office Open XML: entry names are stored in clear in the ZIP's headers.
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if !has(b"[Content_Types].xml") {
            return None;
        }
        if has(b"word/") {
            Some(DocumentFileType::Docx)
        } else if has(b"xl/") {
            Some(DocumentFileType::Xlsx)
        } else {
            None
        }
    }
}

/// Checks a file before anything is stored: not empty, not above
/// [`DOCUMENT_FILE_MAX_BYTES`], its content one of the accepted types and the one its name
/// announces, and its SHA-256 the one declared (lower-case hex). Returns its type.
pub fn check_upload(
    file_name: &str,
    declared_sha256: &str,
    bytes: &[u8],
) -> Result<DocumentFileType, DomainError> {
    check_size(file_name, bytes.len())?;
    if bytes.is_empty() {
        return Err(DomainError::rule(ErrorCode::DocumentFileEmpty).with("file_name", file_name));
    }
    let file_type = check_type(file_name, bytes)?;
    let computed = crate::sha256_hex(bytes);
    if !computed.eq_ignore_ascii_case(declared_sha256.trim()) {
        return Err(DomainError::rule(ErrorCode::DocumentFileHashMismatch)
            .with("declared", declared_sha256)
            .with("computed", computed));
    }
    Ok(file_type)
}

/// Refuses a size above [`DOCUMENT_FILE_MAX_BYTES`] (checked as soon as the size is known,
/// before reading the file).
pub fn check_size(file_name: &str, size_bytes: usize) -> Result<(), DomainError> {
    if size_bytes > DOCUMENT_FILE_MAX_BYTES {
        return Err(DomainError::rule(ErrorCode::DocumentFileTooLarge)
            .with("file_name", file_name)
            .with("size_bytes", size_bytes)
            .with("max_mb", DOCUMENT_FILE_MAX_MB));
    }
    Ok(())
}

/// The content's type, which must be the one the name announces.
pub fn check_type(file_name: &str, bytes: &[u8]) -> Result<DocumentFileType, DomainError> {
    match (
        DocumentFileType::sniff(bytes),
        DocumentFileType::from_name(file_name),
    ) {
        (Some(content), Some(name)) if content == name => Ok(content),
        _ => Err(DomainError::rule(ErrorCode::DocumentFileTypeRefused)
            .with("file_name", file_name)
            .with("allowed", ALLOWED_TYPES_FR)),
    }
}

/// A framework version is published only when the file of each of its documents is stored
/// (issue 12 §2: every commune and every invited provider must be able to read the documents
/// the version binds them to). `stored` answers for a SHA-256.
pub fn check_files_stored(
    terms: &FrameworkTerms,
    stored: impl Fn(&str) -> bool,
) -> Result<(), DomainError> {
    match terms.documents.iter().find(|d| !stored(&d.sha256)) {
        None => Ok(()),
        Some(FrameworkDocument {
            title_fr,
            file_name,
            ..
        }) => Err(
            DomainError::field(ErrorCode::DocumentFileMissing, "documents")
                .with("title", title_fr.as_str())
                .with("file_name", file_name.as_str()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal OpenDocument ZIP head: local header then `mimetype` and its content.
    fn odf(kind: &str) -> Vec<u8> {
        let mut b = b"PK\x03\x04".to_vec();
        b.resize(30, 0);
        b.extend_from_slice(b"mimetype");
        b.extend_from_slice(format!("application/vnd.oasis.opendocument.{kind}").as_bytes());
        b
    }

    #[test]
    fn types_by_content_and_name() {
        let pdf = b"%PDF-1.7\n...".to_vec();
        assert_eq!(check_type("csc.PDF", &pdf).unwrap(), DocumentFileType::Pdf);
        assert_eq!(
            check_type("b.ods", &odf("spreadsheet")).unwrap(),
            DocumentFileType::Ods
        );
        assert_eq!(
            check_type("b.odt", &odf("text")).unwrap(),
            DocumentFileType::Odt
        );
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml".to_vec();
        assert_eq!(check_type("a.docx", &docx).unwrap(), DocumentFileType::Docx);
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml".to_vec();
        assert_eq!(check_type("a.xlsx", &xlsx).unwrap(), DocumentFileType::Xlsx);
        // A name that lies about the content, an executable, an unknown extension.
        for (name, bytes) in [
            ("csc.pdf", b"MZ\x90\x00".to_vec()),
            ("csc.docx", pdf.clone()),
            ("csc.exe", pdf.clone()),
            ("csc", pdf.clone()),
            ("b.ods", odf("text")),
        ] {
            let err = check_type(name, &bytes).unwrap_err();
            assert_eq!(err.code(), "document_file_type_refused", "{name}");
        }
    }

    #[test]
    fn upload_checks_size_and_hash() {
        let pdf = b"%PDF-1.7\nbody".to_vec();
        let hash = crate::sha256_hex(&pdf);
        assert_eq!(
            check_upload("a.pdf", &hash, &pdf).unwrap(),
            DocumentFileType::Pdf
        );
        let err = check_upload("a.pdf", &"0".repeat(64), &pdf).unwrap_err();
        assert_eq!(err.code(), "document_file_hash_mismatch");
        let err = check_upload("a.pdf", &hash, &[]).unwrap_err();
        assert_eq!(err.code(), "document_file_empty");
        let err = check_size("a.pdf", DOCUMENT_FILE_MAX_BYTES + 1).unwrap_err();
        assert_eq!(err.code(), "document_file_too_large");
        assert!(err.to_string().contains("20 Mo"), "{err}");
        assert!(check_size("a.pdf", DOCUMENT_FILE_MAX_BYTES).is_ok());
    }
}
