//! The demo catalogue's documents as real, small, fictional PDF files (issue 12 §2), written at
//! seed time from the catalogue's own data: the cahier spécial des charges states the
//! framework's subject, parties, duration and award criteria; the price schedule lists its
//! price lines and ceilings; the other documents say what they would hold.
//!
//! WHY a few dozen lines of PDF rather than the typst engine of `centrale-documents`: every
//! HTTP test seeds a fresh database, and typesetting 34 documents with typst takes seconds in
//! a debug build, each time; these files need no typesetting (one font of the PDF standard,
//! Helvetica, not embedded; text in WinAnsi). They are deterministic: the same catalogue gives
//! the same bytes, hence the same SHA-256 on every server.

use centrale_domain::catalogue::{AwardCriterion, PriceLine};
use centrale_domain::format_date;
use chrono::NaiveDate;

/// What a demo document is about.
pub struct DemoDocument<'a> {
    /// The framework's reference (`CA-2025-01`).
    pub reference: &'a str,
    /// The framework's title.
    pub framework_title: &'a str,
    /// The document's title.
    pub title: &'a str,
    /// The document's version label.
    pub version: &'a str,
    /// First and last day of the framework.
    pub start: NaiveDate,
    /// See `start`.
    pub end: NaiveDate,
    /// The parties' names.
    pub providers: &'a [String],
    /// The award criteria.
    pub criteria: &'a [AwardCriterion],
    /// The price schedule.
    pub price_schedule: &'a [PriceLine],
}

const MARGIN: f32 = 56.0;
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const LINE_CHARS: usize = 92;

/// The PDF file of a demo document.
pub fn pdf(doc: &DemoDocument<'_>) -> Vec<u8> {
    let mut lines: Vec<(f32, String)> = vec![
        (
            9.0,
            "Intercommunale de la province de Luxembourg — centrale d'achat".into(),
        ),
        (16.0, doc.title.to_string()),
        (
            11.0,
            format!(
                "Accord-cadre {} — version du document {}",
                doc.reference, doc.version
            ),
        ),
    ];
    for l in wrap(doc.framework_title) {
        lines.push((10.0, l));
    }
    lines.push((10.0, String::new()));
    lines.push((
        9.0,
        "DOCUMENT FICTIF DE DÉMONSTRATION — sans valeur contractuelle.".into(),
    ));
    lines.push((10.0, String::new()));
    let lower = doc.title.to_lowercase();
    if lower.contains("bordereau") {
        lines.push((11.0, "Lignes du bordereau et prix plafonds (HTVA)".into()));
        for p in doc.price_schedule {
            lines.push((
                10.0,
                format!(
                    "{} — {} ({}) : plafond {} HTVA, TVA {} %",
                    p.code,
                    p.label_fr,
                    p.unit_fr,
                    p.ceiling_cents.format(),
                    p.vat_rate.0
                ),
            ));
        }
        lines.push((10.0, String::new()));
        for l in wrap("Le prestataire remet, lors de chaque remise en concurrence, un prix unitaire par ligne, au plus égal au plafond de la version de l'accord-cadre en vigueur.") {
            lines.push((10.0, l));
        }
    } else if lower.contains("cahier") {
        lines.push((11.0, "1. Objet et durée".into()));
        for l in wrap(&format!(
            "Le présent accord-cadre porte sur : {}. Il prend cours le {} et prend fin le {}.",
            doc.framework_title,
            format_date(doc.start),
            format_date(doc.end)
        )) {
            lines.push((10.0, l));
        }
        lines.push((11.0, "2. Parties".into()));
        for p in doc.providers {
            lines.push((10.0, format!("- {p}")));
        }
        lines.push((11.0, "3. Critères d'attribution des commandes".into()));
        for c in doc.criteria {
            lines.push((10.0, format!("- {} : {} points", c.label_fr, c.weight)));
        }
        lines.push((11.0, "4. Base légale".into()));
        for l in wrap("Loi du 17 juin 2016 relative aux marchés publics, art. 43 (accords-cadres) et art. 47 (centrales d'achat) ; arrêté royal du 14 janvier 2013 (règles générales d'exécution).") {
            lines.push((10.0, l));
        }
    } else {
        for l in wrap(&format!(
            "Ce document (« {} ») fait partie des documents de l'accord-cadre {}. Dans un marché réel, il contiendrait le texte complet remis aux parties ; ici il en tient lieu pour la démonstration.",
            doc.title, doc.reference
        )) {
            lines.push((10.0, l));
        }
    }
    render(&lines)
}

/// Splits a paragraph into lines of at most `LINE_CHARS` characters.
fn wrap(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LINE_CHARS {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// A character in WinAnsiEncoding, as a PDF string escape.
fn win_ansi(c: char) -> Vec<u8> {
    let byte = match c {
        '(' | ')' | '\\' => return vec![b'\\', c as u8],
        ' '..='~' => c as u8,
        '\u{a0}' | '\u{202f}' => b' ',
        '\u{a1}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '–' => 0x96,
        '—' => 0x97,
        '…' => 0x85,
        'œ' => 0x9c,
        'Œ' => 0x8c,
        _ => b'?',
    };
    vec![byte]
}

/// A PDF of the lines (font size, text), page after page.
fn render(lines: &[(f32, String)]) -> Vec<u8> {
    let mut pages: Vec<Vec<u8>> = Vec::new();
    let mut content = Vec::new();
    let mut y = PAGE_H - MARGIN;
    for (size, text) in lines {
        let step = size * 1.45;
        if y - step < MARGIN {
            pages.push(std::mem::take(&mut content));
            y = PAGE_H - MARGIN;
        }
        y -= step;
        content.extend_from_slice(format!("BT /F1 {size} Tf {MARGIN} {y:.1} Td (").as_bytes());
        for c in text.chars() {
            content.extend(win_ansi(c));
        }
        content.extend_from_slice(b") Tj ET\n");
    }
    pages.push(content);

    // Objects: 1 catalog, 2 pages, 3 font, then a page and its content per page.
    let n = pages.len();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, page) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", page.len()).into_bytes();
        stream.extend_from_slice(page);
        stream.extend_from_slice(b"endstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
