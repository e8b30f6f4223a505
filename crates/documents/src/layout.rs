//! The look every document shares: A4, French, a header naming the commune and the
//! intercommunale, a footer with the document's reference and « Page x / y », a title block,
//! a table of facts, letters, and signature blocks naming each signatory with their quality (a
//! substitute as such: « échevin, bourgmestre f.f. »).
//!
//! A document is a [`Doc`]: a title, a reference and a body of typst markup. [`Doc::source`]
//! gives it its own pages; [`whole_file`] binds several into one PDF with a table of contents.

use std::fmt::Write as _;

use centrale_domain::adhesion::{Decision, Organ, Signature};
use centrale_domain::money::Amount;

use crate::markup::{content, date, lit, money};

/// Who the document is from and about.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// The intercommunale (the centrale d'achat), as it signs its documents.
    pub centrale: String,
    /// The commune's French name (« Bertrix »).
    pub commune: String,
}

impl Letterhead {
    /// « Commune de Bertrix ».
    pub fn commune_line(&self) -> String {
        format!("Commune de {}", self.commune)
    }
}

/// One document: its title (and an optional subtitle), the reference its footer repeats, and
/// its body.
#[derive(Debug, Clone)]
pub struct Doc {
    /// « Rapport d'analyse des offres ».
    pub title: String,
    /// The order's or the adhesion's title, under it.
    pub subtitle: String,
    /// The footer's reference.
    pub reference: String,
    /// Typst markup (values already as literals).
    pub body: String,
}

/// The page set-up: A4, French, the header and footer, and the styles of headings and tables.
fn preamble(out: &mut String, title: &str, head: &Letterhead, reference: &str) {
    let _ = writeln!(
        out,
        r#"#set document(title: {title}, author: {commune})
#set text(lang: "fr", region: "BE", font: "Libertinus Serif", size: 10.5pt, hyphenate: false)
#set par(justify: true, leading: 0.62em, spacing: 0.95em)
#set page(paper: "a4", margin: (x: 2.2cm, top: 2.8cm, bottom: 2.4cm),
  header: context {{ set text(size: 8.5pt, fill: luma(60)); grid(columns: (1fr, 1fr), align(left)[*#{commune}*], align(right)[#{centrale}]); v(-0.45em); line(length: 100%, stroke: 0.4pt + luma(120)) }},
  footer: context {{ set text(size: 8.5pt, fill: luma(60)); line(length: 100%, stroke: 0.4pt + luma(160)); v(-0.45em); grid(columns: (1fr, auto), column-gutter: 1em, align(left)[#{reference}], align(right)[Page #counter(page).display() / #counter(page).final().first()]) }})
#set heading(numbering: "1.")
#show heading: set block(above: 1.25em, below: 0.65em)
#show heading.where(level: 1): set text(size: 12.5pt)
#show heading.where(level: 2): set text(size: 11pt)
#set table(stroke: 0.4pt + luma(130), inset: 5pt)
#let titleblock(t, s) = {{ align(center)[#text(size: 17pt, weight: "bold")[#t] #if s != "" [ \ #v(0.15em) #text(size: 12pt)[#s] ]]; v(0.7em) }}
#let facts(..rows) = {{ set par(justify: false); table(columns: (4.6cm, 1fr), stroke: none, inset: (x: 0pt, y: 3pt), ..rows) }}
#let signblock(intro, ..people) = {{ set par(justify: false); v(1.6em); block(breakable: false)[#intro #v(0.4em) #grid(columns: (1fr,) * calc.max(1, people.pos().len()), column-gutter: 1.2em, ..people.pos().map(p => align(center)[#p.at(0) #v(2.6em) #line(length: 80%, stroke: 0.4pt + luma(150)) #p.at(1) #if p.at(2) != "" [ \ #text(size: 8.5pt, fill: luma(70))[#p.at(2)]]]))] }}
"#,
        title = lit(title),
        commune = lit(&head.commune_line()),
        centrale = lit(&head.centrale),
        reference = lit(reference),
    );
}

impl Doc {
    /// The document alone, as typst source.
    pub fn source(&self, head: &Letterhead) -> String {
        let mut s = String::new();
        preamble(&mut s, &self.title, head, &self.reference);
        let _ = writeln!(
            s,
            "#titleblock({}, {})",
            lit(&self.title),
            lit(&self.subtitle)
        );
        s.push_str(&self.body);
        s
    }
}

/// Several documents bound as one file: a cover with the table of contents, then each
/// document from a new page, numbered (« 3. Rapport d'analyse des offres », its sections 3.1,
/// 3.2…).
pub fn whole_file(
    head: &Letterhead,
    title: &str,
    subtitle: &str,
    reference: &str,
    docs: &[Doc],
) -> String {
    let mut s = String::new();
    preamble(&mut s, title, head, reference);
    let _ = writeln!(
        s,
        "#titleblock({}, {})\n#outline(title: [Table des matières], depth: 1, indent: auto)\n#show heading.where(level: 1): it => {{ pagebreak(weak: true); align(center, text(size: 15pt, it)); v(0.4em) }}",
        lit(title),
        lit(subtitle)
    );
    for doc in docs {
        let _ = writeln!(s, "\n= #{}", lit(&doc.title));
        if !doc.subtitle.is_empty() {
            let _ = writeln!(s, "#align(center)[#{}]\n#v(0.5em)", lit(&doc.subtitle));
        }
        let _ = writeln!(
            s,
            "#[\n#set heading(offset: 1, numbering: \"1.1.\")\n{}\n]",
            doc.body
        );
    }
    s
}

/// A person who signs (or will sign) a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// Their name.
    pub name: String,
    /// Their quality, as the domain words it (« directrice générale », « échevin, bourgmestre
    /// f.f. »).
    pub title: String,
    /// For a substitute: under which decision (« en remplacement, décision COL/2026/12 du
    /// 05/01/2026 »); empty for the titular.
    pub note: String,
    /// When they signed, for an act already signed (« signé le 29/11/2026 à 10:00 »).
    pub signed: String,
}

impl Signer {
    /// The signatory of a recorded signature: its name and title as signed, the substitution
    /// it was signed under, and when.
    pub fn from_signature(signature: &Signature) -> Signer {
        let note = signature
            .substitution
            .as_ref()
            .map(|s| format!("en remplacement, sur {}", designating_act(&s.decision)))
            .unwrap_or_default();
        let title = if signature.title.trim().is_empty() {
            centrale_domain::signatory::title_fr(
                signature.role,
                signature.capacity,
                centrale_domain::signatory::Gender::Unspecified,
            )
        } else {
            signature.title.clone()
        };
        Signer {
            name: signature.name.clone(),
            title,
            note,
            signed: format!("Signé le {}", crate::markup::date_time(signature.signed_at)),
        }
    }
}

impl Signer {
    /// A signatory of the commune as they signed its adhesion — name, quality, substitution —
    /// for a new act: without the adhesion's date of signature.
    pub fn signatory(signature: &Signature) -> Signer {
        Signer {
            signed: String::new(),
            ..Signer::from_signature(signature)
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A signature block: `intro` (« Par le collège, ») then one column per signatory: their
/// quality, room to sign, their name, and a substitute's designation or the date signed.
/// Without signatories, two blank columns for the directeur général and the bourgmestre.
pub fn signatures(out: &mut String, intro: &str, signers: &[Signer]) {
    let blank = [
        Signer {
            name: String::new(),
            title: "Le directeur général".into(),
            note: String::new(),
            signed: String::new(),
        },
        Signer {
            name: String::new(),
            title: "Le bourgmestre".into(),
            note: String::new(),
            signed: String::new(),
        },
    ];
    let people = if signers.is_empty() {
        &blank[..]
    } else {
        signers
    };
    let _ = write!(out, "#signblock({}", content(intro));
    for p in people {
        let under = [p.note.as_str(), p.signed.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" — ");
        let _ = write!(
            out,
            ", ({}, {}, {})",
            lit(&capitalised(&p.title)),
            lit(&p.name),
            lit(&under)
        );
    }
    let _ = writeln!(out, ")");
}

/// `1 234,56 € HTVA (1 493,82 € TVAC)`.
pub fn amounts(amount: &Amount) -> String {
    format!(
        "{} HTVA ({} TVAC)",
        money(amount.excl_vat),
        money(amount.incl_vat)
    )
}

/// The act that designated a substitute, as a signature cites it: « décision COL/2026/12 du
/// 05/01/2026 », « acte écrit du bourgmestre BGM/2026/3 du … », « acte écrit du directeur
/// général DG/2026/7 du …, sur autorisation du collège du … » (CDLD L1123-5, L1132-4,
/// L1124-19).
pub fn designating_act(decision: &Decision) -> String {
    let (reference, on) = (&decision.reference, date(decision.date));
    match decision.organ {
        Organ::Mayor => format!("acte écrit du bourgmestre {reference} du {on}"),
        Organ::DirectorGeneral { authorisation_date } => format!(
            "acte écrit du directeur général {reference} du {on}, sur autorisation du collège du {}",
            date(authorisation_date)
        ),
        Organ::Conseil | Organ::CollegeByDelegation { .. } | Organ::College => {
            format!("décision {reference} du {on}")
        }
    }
}

/// « du conseil communal », « du collège communal, par délégation du conseil du 12/01/2026 ».
pub fn of_organ(organ: Organ) -> String {
    match organ {
        Organ::Conseil => "du conseil communal".into(),
        Organ::CollegeByDelegation { delegation_date } => format!(
            "du collège communal, par délégation du conseil du {}",
            date(delegation_date)
        ),
        Organ::College => "du collège communal".into(),
        // The bourgmestre's written act designating his substitute (CDLD L1123-5, L1132-4).
        Organ::Mayor => "du bourgmestre, par acte écrit".into(),
        // The directeur général's own designation of his replacement (CDLD L1124-19).
        Organ::DirectorGeneral { authorisation_date } => format!(
            "du directeur général, par acte écrit, sur autorisation du collège du {}",
            date(authorisation_date)
        ),
    }
}

/// Rows of facts (label, value), as a borderless two-column table.
pub fn facts(out: &mut String, rows: &[(&str, String)]) {
    let _ = write!(out, "#facts(");
    for (label, value) in rows {
        let _ = write!(out, "[*#{}*], {}, ", lit(label), content(value));
    }
    let _ = writeln!(out, ")");
}

/// A paragraph holding `text` literally.
pub fn para(out: &mut String, text: &str) {
    let _ = writeln!(out, "#{}\n", lit(text));
}

/// A bulleted item holding `text` literally.
pub fn item(out: &mut String, text: &str) {
    let _ = writeln!(out, "- #{}", lit(text));
}

/// A section heading.
pub fn heading(out: &mut String, text: &str) {
    let _ = writeln!(out, "\n= #{}", lit(text));
}

/// The start of a letter: sender on the left, recipient on the right, place and date, subject.
pub fn letter_head(
    out: &mut String,
    head: &Letterhead,
    recipient: &[String],
    place_date: &str,
    subject: &str,
) {
    let _ = writeln!(
        out,
        "#grid(columns: (1fr, 1fr), column-gutter: 1em, [#{} \\ #text(size: 9pt)[Administration communale]], [{}])\n#v(1.2em)\n#align(right)[#{}]\n#v(0.6em)\n*Objet :* #{}\n#v(0.6em)",
        lit(&head.commune_line()),
        recipient
            .iter()
            .map(|l| format!("#{}", lit(l)))
            .collect::<Vec<_>>()
            .join(" \\ "),
        lit(place_date),
        lit(subject)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn on(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// A substitute's signature cites the act that designated them, as the CDLD names it
    /// (L1123-5, L1132-4, L1124-19): the directeur général's own act with the collège's
    /// authorisation.
    #[test]
    fn a_substitutes_signature_cites_the_act_that_designated_them() {
        let act = |organ, reference: &str| Decision {
            organ,
            reference: reference.into(),
            date: on(20),
            financial_opinion: None,
        };
        let cases = [
            (
                act(Organ::College, "COL/2026/5"),
                "décision COL/2026/5 du 20/11/2026",
            ),
            (
                act(Organ::Mayor, "BGM/2026/3"),
                "acte écrit du bourgmestre BGM/2026/3 du 20/11/2026",
            ),
            (
                act(
                    Organ::DirectorGeneral {
                        authorisation_date: on(5),
                    },
                    "DG/2026/7",
                ),
                "acte écrit du directeur général DG/2026/7 du 20/11/2026, sur autorisation du collège du 05/11/2026",
            ),
        ];
        for (decision, expected) in cases {
            assert_eq!(designating_act(&decision), expected);
        }
        assert_eq!(
            of_organ(Organ::DirectorGeneral {
                authorisation_date: on(5)
            }),
            "du directeur général, par acte écrit, sur autorisation du collège du 05/11/2026"
        );
    }
}
