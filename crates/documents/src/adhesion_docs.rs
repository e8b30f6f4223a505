//! The documents of an adhesion: the conseil's draft deliberation to join the centrale (Vu…
//! Considérant… DÉCIDE, on CDLD L1222-7 and the law of 17 June 2016 art. 47) and the
//! convention as signed — its text, each signature with its date and quality, the
//! countersignature, and the SHA-256 fingerprint of the text each of them signed.

use std::fmt::Write as _;

use centrale_domain::adhesion::{Adhesion, AdhesionStatus, ConventionTemplate, Signature};
use chrono::{DateTime, Utc};

use crate::layout::{
    designating_act, facts, heading, item, of_organ, para, signatures, Doc, Letterhead, Signer,
};
use crate::markup::{date, date_time, fingerprint, lit};
use crate::typeset::{render, Rendered};
use crate::DocumentError;

/// The documents of an adhesion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdhesionDocument {
    /// Projet de délibération du conseil communal.
    Deliberation,
    /// La convention telle que signée.
    SignedConvention,
}

impl AdhesionDocument {
    /// The document's French title.
    pub fn title_fr(self) -> &'static str {
        match self {
            AdhesionDocument::Deliberation => "Projet de délibération du conseil communal",
            AdhesionDocument::SignedConvention => "Convention d'adhésion signée",
        }
    }
}

/// An adhesion and the convention text it is on.
pub struct AdhesionFile<'a> {
    /// Who the documents are from.
    pub head: Letterhead,
    /// The adhesion.
    pub adhesion: &'a Adhesion,
    /// The convention version it is on (its text).
    pub template: &'a ConventionTemplate,
    /// When the documents are produced.
    pub generated_at: DateTime<Utc>,
}

/// The convention's text (a small Markdown: `#`/`##` headings, numbered or dashed items,
/// `**bold**`), every piece as a literal.
fn convention_text(out: &mut String, text: &str) {
    let inline = |line: &str| -> String {
        line.split("**")
            .enumerate()
            .filter(|(_, part)| !part.is_empty())
            .map(|(i, part)| {
                if i % 2 == 1 {
                    format!("#strong({})", lit(part))
                } else {
                    format!("#{}", lit(part))
                }
            })
            .collect::<Vec<_>>()
            .join("")
    };
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            out.push('\n');
        } else if let Some(h) = t.strip_prefix("## ") {
            let _ = writeln!(
                out,
                "\n#heading(level: 2, numbering: none, outlined: false)[{}]",
                inline(h)
            );
        } else if t.starts_with("# ") {
            // The title: the document's own title block says it.
        } else if let Some(rest) = t.strip_prefix("- ") {
            let _ = writeln!(out, "- {}", inline(rest));
        } else if let Some((n, rest)) = t
            .split_once(". ")
            .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
        {
            let _ = writeln!(out, "#enum.item({n})[{}]", inline(rest));
        } else {
            let _ = writeln!(out, "{}\n", inline(t));
        }
    }
}

fn signature_line(label: &str, signature: Option<&Signature>, text_sha256: &str) -> String {
    match signature {
        Some(s) => format!(
            "{label} : {} — signé le {}{} ; empreinte du texte signé {}",
            s.label(),
            date_time(s.signed_at),
            s.substitution
                .as_ref()
                .map(|r| format!(" (en remplacement, {})", designating_act(&r.decision)))
                .unwrap_or_default(),
            if s.text_sha256 == text_sha256 {
                "identique à celle de la convention"
            } else {
                "DIFFÉRENTE de celle de la convention"
            }
        ),
        None => format!("{label} : pas encore signé"),
    }
}

impl AdhesionFile<'_> {
    /// Why `which` cannot be produced yet; `None` when it can.
    pub fn not_yet(&self, which: AdhesionDocument) -> Option<&'static str> {
        match which {
            AdhesionDocument::Deliberation => None,
            AdhesionDocument::SignedConvention => (self
                .adhesion
                .director_general_signature
                .is_none()
                || self.adhesion.mayor_signature.is_none())
            .then_some(
                "la convention n'est pas encore signée par le directeur général et le bourgmestre.",
            ),
        }
    }

    /// The documents this adhesion allows now.
    pub fn available(&self) -> Vec<AdhesionDocument> {
        [
            AdhesionDocument::Deliberation,
            AdhesionDocument::SignedConvention,
        ]
        .into_iter()
        .filter(|d| self.not_yet(*d).is_none())
        .collect()
    }

    fn reference(&self, what: &str) -> String {
        format!(
            "{what} — convention d'adhésion version {} — commune de {}",
            self.adhesion.template_version, self.head.commune
        )
    }

    /// One document.
    pub fn doc(&self, which: AdhesionDocument) -> Result<Doc, DocumentError> {
        if let Some(why) = self.not_yet(which) {
            return Err(DocumentError::NotYet(why));
        }
        let body = match which {
            AdhesionDocument::Deliberation => self.deliberation(),
            AdhesionDocument::SignedConvention => self.signed_convention(),
        };
        Ok(Doc {
            title: which.title_fr().into(),
            subtitle: format!(
                "{} (version {})",
                self.template.title_fr, self.template.version
            ),
            reference: self.reference(which.title_fr()),
            body,
        })
    }

    /// The typst source of `which`.
    pub fn source(&self, which: AdhesionDocument) -> Result<String, DocumentError> {
        Ok(self.doc(which)?.source(&self.head))
    }

    /// `which` as a PDF (PDF/A-2b).
    pub fn pdf(&self, which: AdhesionDocument) -> Result<Rendered, DocumentError> {
        render(self.source(which)?, self.generated_at)
    }

    fn signers(&self) -> Vec<Signer> {
        [
            &self.adhesion.director_general_signature,
            &self.adhesion.mayor_signature,
        ]
        .into_iter()
        .flatten()
        .map(Signer::from_signature)
        .collect()
    }

    /// Projet de délibération: Vu… Considérant… DÉCIDE.
    fn deliberation(&self) -> String {
        let a = self.adhesion;
        let mut s = String::new();
        let decided = a.college_decision.as_ref();
        if decided.is_none() {
            para(&mut s, "Projet à soumettre au conseil communal : les mentions « ………… » sont à compléter avant la séance.");
        }
        facts(
            &mut s,
            &[
                (
                    "Organe",
                    decided
                        .map(|d| format!("Décision {}", of_organ(d.organ)))
                        .unwrap_or_else(|| "Conseil communal".into()),
                ),
                (
                    "Séance",
                    decided
                        .map(|d| format!("du {} — décision n° {}", date(d.date), d.reference))
                        .unwrap_or_else(|| "du ………… — décision n° …………".into()),
                ),
                (
                    "Objet",
                    format!("Adhésion à la centrale d'achat « {} »", self.head.centrale),
                ),
            ],
        );
        let _ = writeln!(s, "#v(0.6em)\n*Le conseil communal,*\n");
        for r in [
            "Vu le Code de la démocratie locale et de la décentralisation, notamment les articles L1122-30 et L1222-7, selon lequel le conseil communal décide du recours à une centrale d'achat ;".to_string(),
            "Vu la loi du 17 juin 2016 relative aux marchés publics, notamment l'article 2, 6° et 7° (définition de la centrale d'achat) et l'article 47, en vertu duquel le pouvoir adjudicateur qui recourt à une centrale d'achat est dispensé d'organiser lui-même une procédure de passation ;".into(),
            "Vu l'arrêté royal du 18 avril 2017 relatif à la passation des marchés publics dans les secteurs classiques ;".into(),
            format!(
                "Vu la convention d'adhésion à la centrale d'achat « {} », version {}, dont le texte a pour empreinte SHA-256 {} ;",
                self.head.centrale, self.template.version, fingerprint(&self.template.sha256)
            ),
        ] {
            para(&mut s, &r);
        }
        for r in [
            "Considérant que le recours à une centrale d'achat permet à la commune de bénéficier d'accords-cadres préparés et attribués en commun, de réduire la charge administrative de ses services et d'obtenir de meilleures conditions de prix ;",
            "Considérant que l'adhésion est gratuite et n'oblige pas la commune à passer commande ; que chaque commande fera l'objet d'une décision de l'organe compétent, avec son estimation et son article budgétaire ;",
            "Considérant que l'adhésion n'a pas d'incidence financière et ne requiert dès lors pas l'avis de légalité du directeur financier ;",
        ] {
            para(&mut s, r);
        }
        let _ = writeln!(s, "#align(center)[*DÉCIDE :*]\n");
        let _ = writeln!(s, "*Article 1.* #{}\n", lit(&format!(
            "D'adhérer à la centrale d'achat « {} » et d'approuver la convention d'adhésion, version {}, annexée à la présente délibération.",
            self.head.centrale, self.template.version
        )));
        let _ = writeln!(s, "*Article 2.* De charger le bourgmestre et le directeur général de signer la convention au nom de la commune.\n");
        let _ = writeln!(s, "*Article 3.* De transmettre la présente délibération à la centrale d'achat, avec la convention signée.\n");
        signatures(&mut s, "Par le conseil :", &self.signers());
        s
    }

    /// La convention telle que signée: text, signatures with dates, countersignature,
    /// fingerprint.
    fn signed_convention(&self) -> String {
        let a = self.adhesion;
        let mut s = String::new();
        let intact = self.template.is_intact() && self.template.sha256 == a.text_sha256;
        facts(
            &mut s,
            &[
                ("Commune", self.head.commune_line()),
                (
                    "Convention",
                    format!(
                        "{}, version {}",
                        self.template.title_fr, self.template.version
                    ),
                ),
                ("Empreinte du texte (SHA-256)", fingerprint(&a.text_sha256)),
                ("État", a.status.label_fr().to_string()),
                (
                    "Décision de la commune",
                    a.college_decision
                        .as_ref()
                        .map(|d| {
                            format!(
                                "décision {} n° {} du {}",
                                of_organ(d.organ),
                                d.reference,
                                date(d.date)
                            )
                        })
                        .unwrap_or_default(),
                ),
            ],
        );
        if !intact {
            para(&mut s, "Attention : le texte conservé sur ce PC ne correspond pas à l'empreinte de la convention signée. Demandez le texte à l'intercommunale.");
        }
        let _ = writeln!(
            s,
            "#line(length: 100%, stroke: 0.4pt + luma(150))\n#[\n#set text(size: 10pt)"
        );
        convention_text(&mut s, &self.template.text_fr);
        let _ = writeln!(s, "]\n#line(length: 100%, stroke: 0.4pt + luma(150))");
        heading(&mut s, "Signatures");
        for (label, sig) in [
            (
                "Pour la commune, le directeur général",
                a.director_general_signature.as_ref(),
            ),
            (
                "Pour la commune, le bourgmestre",
                a.mayor_signature.as_ref(),
            ),
            (
                "Contresignature de la centrale",
                a.countersignature.as_ref(),
            ),
        ] {
            item(&mut s, &signature_line(label, sig, &a.text_sha256));
        }
        if let Some(at) = a.activated_at {
            item(
                &mut s,
                &format!("Adhésion active depuis le {}.", date_time(at)),
            );
        } else if a.status == AdhesionStatus::SignedByCommune {
            item(&mut s, "En attente de la contresignature de la centrale.");
        }
        let _ = writeln!(s);
        let mut people = self.signers();
        if let Some(c) = &a.countersignature {
            let mut signer = Signer::from_signature(c);
            signer.title = format!("pour {}", self.head.centrale);
            people.push(signer);
        }
        signatures(
            &mut s,
            "Signé électroniquement dans l'application de la centrale par :",
            &people,
        );
        para(&mut s, &format!(
            "Chaque signature porte sur le texte ci-dessus, identifié par son empreinte SHA-256 {}. Document établi le {}.",
            fingerprint(&a.text_sha256),
            date_time(self.generated_at)
        ));
        s
    }
}
