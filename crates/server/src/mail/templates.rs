//! Every e-mail's French text, in one place (issue 14).
//!
//! Each message is short and says what happened, what to do and by when (Brussels time,
//! dd/mm/yyyy), with the portal's link or the path in the app, and greets the recipient by
//! name. Nothing sealed is ever written here: no message says who submitted an offer, or that
//! anyone did, before the offers are opened (Dir. 2014/24 art. 33(5)(c) and Annex IV(b): no
//! one may access the data sent before the time limit; law of 17 June 2016 art. 14 and RD 18
//! April 2017 `[verify: the Belgian paragraph transposing Annex IV(b) was not read]`); the
//! only counts given are those of opened offers.
//!
//! A template gives a [`Letter`]; [`Letter::text`] and [`Letter::html`] render the same parts,
//! the HTML escaped by maud.

use centrale_domain::offer::Remedy;
use centrale_domain::time::format_brussels;
use chrono::{DateTime, NaiveDate, Utc};
use maud::{html, DOCTYPE};

/// One message: subject and parts, rendered as plain text and HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    /// Subject line.
    pub subject: String,
    /// The greeting line before the paragraphs: « Bonjour Nuagix SA, » for a provider, the
    /// account's gendered quality for a person (« Madame la Directrice générale, »; set from
    /// the recipient by the writer of the outbox, see `events`).
    pub greeting: String,
    /// What happened, what to do, by when.
    pub paragraphs: Vec<String>,
    /// A list under the paragraphs (documents, remedies), if any.
    pub items: Vec<String>,
    /// Where to act: a link (`https://…`) or a path in the app.
    pub action: Option<String>,
}

const SIGNATURE: &str = "La centrale d'achat intercommunale";
const FOOTER: &str = "Message automatique : merci de ne pas y répondre.";

impl Letter {
    /// The plain text body.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        for item in &self.items {
            out.push_str("- ");
            out.push_str(item);
            out.push('\n');
        }
        if !self.items.is_empty() {
            out.push('\n');
        }
        if let Some(action) = &self.action {
            out.push_str(action);
            out.push_str("\n\n");
        }
        out.push_str(SIGNATURE);
        out.push_str("\n\n-- \n");
        out.push_str(FOOTER);
        out.push('\n');
        out
    }

    /// The HTML body (every value escaped).
    pub fn html(&self) -> String {
        html! {
            (DOCTYPE)
            html lang="fr" {
                head { meta charset="utf-8"; title { (self.subject) } }
                body style="font-family: sans-serif; line-height: 1.5; max-width: 40em" {
                    p { (self.greeting) }
                    @for p in &self.paragraphs { p { (p) } }
                    @if !self.items.is_empty() {
                        ul { @for item in &self.items { li { (item) } } }
                    }
                    @if let Some(action) = &self.action {
                        @match split_link(action) {
                            Some((before, url)) => p { (before) a href=(url) { (url) } },
                            None => p { strong { (action) } },
                        }
                    }
                    p { (SIGNATURE) }
                    p style="color: #666; font-size: 0.9em" { (FOOTER) }
                }
            }
        }
        .into_string()
    }
}

/// The text before a link and the link, when `action` ends with one.
fn split_link(action: &str) -> Option<(&str, &str)> {
    let at = action.find("https://").or_else(|| action.find("http://"))?;
    Some((&action[..at], &action[at..]))
}

/// The greeting of a provider (or of anyone by name): « Bonjour Nuagix SA, ».
pub fn hello(name: &str) -> String {
    format!("Bonjour {name},")
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Where a provider acts: the portal's page of its invitation (a full link when the server
/// knows its public address).
pub fn portal_link(public_url: &str, invitation_id: &str) -> String {
    let path = format!("/portail/invitations/{invitation_id}");
    if public_url.is_empty() {
        format!("Sur le portail des prestataires de la centrale : {path}")
    } else {
        format!(
            "Sur le portail des prestataires : {}{path}",
            public_url.trim_end_matches('/')
        )
    }
}

/// The path of an order in the desktop app.
pub fn app_order_path(title: &str) -> String {
    format!("Dans l'application Centrale : Commandes › « {title} »")
}

/// A provider is invited to a mini-competition.
pub fn competition_invitation(
    provider: &str,
    commune: &str,
    title: &str,
    deadline: DateTime<Utc>,
    documents: &[String],
    link: String,
) -> Letter {
    Letter {
        subject: format!("Invitation à remettre offre : « {title} » ({commune})"),
        greeting: hello(provider),
        paragraphs: vec![
            format!(
                "La centrale d'achat vous invite à remettre une offre pour « {title} », commande de la commune de {commune}, dans le cadre de l'accord-cadre."
            ),
            format!(
                "À faire : déposer votre offre sur le portail au plus tard le {} (heure de Bruxelles). Une offre arrivée après cette heure ne peut pas être acceptée.",
                format_brussels(deadline)
            ),
            "Les documents du marché :".into(),
        ],
        items: documents.to_vec(),
        action: Some(link),
    }
}

/// A running competition's deadline was extended.
pub fn deadline_extended(
    provider: &str,
    title: &str,
    deadline: DateTime<Utc>,
    reason: &str,
    link: String,
) -> Letter {
    Letter {
        subject: format!("Délai prolongé : « {title} »"),
        greeting: hello(provider),
        paragraphs: vec![
            format!(
                "Le délai de remise des offres pour « {title} » est prolongé jusqu'au {} (heure de Bruxelles).",
                format_brussels(deadline)
            ),
            format!("Motif : {reason}"),
        ],
        items: vec![],
        action: Some(link),
    }
}

/// The commune withdrew a running competition (to every invited provider).
pub fn competition_withdrawn(
    provider: &str,
    title: &str,
    commune: &str,
    motivation: &str,
    link: String,
) -> Letter {
    Letter {
        subject: format!("Remise en concurrence retirée : « {title} »"),
        greeting: hello(provider),
        paragraphs: vec![
            format!(
                "La commune de {commune} a retiré, par décision motivée, la remise en concurrence « {title} » : aucune offre n'est plus attendue et aucune ne sera ouverte."
            ),
            format!("Motif : {motivation}"),
        ],
        items: vec![],
        action: Some(link),
    }
}

/// A question on the competition was answered (to every invited provider; the asker is never
/// named).
pub fn question_answered(
    provider: &str,
    title: &str,
    question: &str,
    answer: &str,
    deadline: DateTime<Utc>,
    link: String,
) -> Letter {
    Letter {
        subject: format!("Réponse à une question : « {title} »"),
        greeting: hello(provider),
        paragraphs: vec![
            "Une question posée sur cette remise en concurrence a reçu une réponse, communiquée à tous les prestataires invités.".into(),
            format!("Question : {question}"),
            format!("Réponse : {answer}"),
            format!(
                "Le délai de remise des offres reste fixé au {} (heure de Bruxelles).",
                format_brussels(deadline)
            ),
        ],
        items: vec![],
        action: Some(link),
    }
}

/// A reminder to an invited provider that has not yet submitted (the message never says
/// whether it has: the same reminder goes to every invited provider).
pub fn deadline_reminder(
    provider: &str,
    title: &str,
    deadline: DateTime<Utc>,
    days_left: u32,
    link: String,
) -> Letter {
    let when = if days_left <= 1 {
        "demain".to_string()
    } else {
        format!("dans {days_left} jours")
    };
    Letter {
        subject: format!("Rappel : remise des offres {when} — « {title} »"),
        greeting: hello(provider),
        paragraphs: vec![
            format!(
                "Le délai de remise des offres pour « {title} » se termine le {} (heure de Bruxelles).",
                format_brussels(deadline)
            ),
            "Si vous avez déjà déposé votre offre, vous pouvez ignorer ce message : ce rappel est envoyé à tous les prestataires invités.".into(),
        ],
        items: vec![],
        action: Some(link),
    }
}

/// The offers of an order were opened (to the commune's accounts and the centrale).
pub fn offers_opened(name: &str, title: &str, received: u32, path: String) -> Letter {
    let count = match received {
        0 => "Aucune offre n'a été reçue".to_string(),
        1 => "1 offre a été reçue".to_string(),
        n => format!("{n} offres ont été reçues"),
    };
    let todo = if received == 0 {
        "À faire : décider de relancer la remise en concurrence ou de clôturer la commande."
    } else {
        "À faire : évaluer les offres (chaque évaluateur déclare d'abord l'absence de conflit d'intérêts)."
    };
    Letter {
        subject: format!("Offres ouvertes : « {title} »"),
        greeting: hello(name),
        paragraphs: vec![
            format!("Le délai est passé et les offres de « {title} » sont ouvertes. {count}."),
            todo.into(),
        ],
        items: vec![],
        action: Some(path),
    }
}

/// A commune ordered the intercommunale's accompaniment (to the centrale; issue 16 §2).
pub fn accompaniment_ordered(
    name: &str,
    commune: &str,
    a: &centrale_domain::accompaniment::AccompanimentOrder,
) -> Letter {
    Letter {
        subject: format!("Accompagnement commandé par {commune} : « {} »", a.title),
        greeting: hello(name),
        paragraphs: vec![
            format!(
                "La commune de {commune} commande un accompagnement de l'intercommunale : « {} », {} TVAC.",
                a.title,
                a.total.incl_vat.format()
            ),
            "À faire : planifier chaque service avec la commune.".into(),
        ],
        items: a
            .lines
            .iter()
            .map(|l| {
                format!(
                    "{} — {} {}",
                    l.label_fr,
                    l.quantity.normalize().to_string().replace('.', ","),
                    l.unit.label_fr()
                )
            })
            .collect(),
        action: Some("Dans l'application Centrale : Accompagnement".into()),
    }
}

/// The intercommunale invoiced an accompaniment (to the commune; issue 16 §2).
pub fn accompaniment_invoiced(
    name: &str,
    a: &centrale_domain::accompaniment::AccompanimentOrder,
) -> Letter {
    let (number, due) = a.invoice.as_ref().map_or_else(
        || (String::new(), String::new()),
        |i| (i.number.clone(), centrale_domain::format_date(i.due_date)),
    );
    Letter {
        subject: format!("Facture {number} : « {} »", a.title),
        greeting: hello(name),
        paragraphs: vec![
            format!(
                "L'intercommunale a facturé l'accompagnement « {} » : facture {number}, {} TVAC, à payer au plus tard le {due}.",
                a.title,
                a.total.incl_vat.format()
            ),
            "La facture est dans l'application, en PDF, même sans connexion.".into(),
        ],
        items: vec![],
        action: Some("Dans l'application Centrale : Accompagnement › « Télécharger la facture »".into()),
    }
}

/// The award decision, to each tenderer.
pub fn award_notification(
    provider: &str,
    title: &str,
    commune: &str,
    won: bool,
    remedies: &[Remedy],
    link: String,
) -> Letter {
    let (subject, paragraphs) = if won {
        (
            format!("Votre offre est retenue : « {title} »"),
            vec![
                format!(
                    "La commune de {commune} a attribué la commande « {title} » à votre offre."
                ),
                "La décision motivée est sur le portail. Le bon de commande suivra : n'exécutez rien avant de l'avoir reçu.".into(),
            ],
        )
    } else {
        (
            format!("Décision d'attribution : « {title} »"),
            vec![
                format!(
                    "La commune de {commune} a attribué la commande « {title} » à un autre prestataire : votre offre n'est pas retenue."
                ),
                "La décision motivée, avec vos scores et ceux de l'offre retenue, est sur le portail. Vos voies de recours :".into(),
            ],
        )
    };
    Letter {
        subject,
        greeting: hello(provider),
        paragraphs,
        items: if won {
            vec![]
        } else {
            remedies
                .iter()
                .map(|r| {
                    format!(
                        "{} : jusqu'au {} ({} jours)",
                        r.kind.label_fr(),
                        day(r.until),
                        r.days
                    )
                })
                .collect()
        },
        action: Some(link),
    }
}

/// The purchase order, to the provider it is addressed to.
pub fn purchase_order_issued(
    provider: &str,
    title: &str,
    commune: &str,
    reference: &str,
    contract_manager: Option<&str>,
    link: String,
) -> Letter {
    let mut paragraphs = vec![format!(
        "La commune de {commune} vous adresse le bon de commande {reference} pour « {title} »."
    )];
    if let Some(manager) = contract_manager {
        paragraphs.push(format!("Votre interlocuteur à la commune : {manager}."));
    }
    paragraphs
        .push("À faire : planifier l'exécution et tenir les jalons à jour sur le portail.".into());
    Letter {
        subject: format!("Bon de commande {reference} : « {title} »"),
        greeting: hello(provider),
        paragraphs,
        items: vec![],
        action: Some(link),
    }
}

/// A deployment milestone is late (to the commune, the centrale and the provider).
pub fn milestone_late(
    name: &str,
    title: &str,
    commune: &str,
    milestone: &str,
    planned: NaiveDate,
    for_provider: bool,
    action: String,
) -> Letter {
    let todo = if for_provider {
        "À faire : réaliser l'étape ou en proposer une nouvelle date sur le portail, avec une explication."
    } else {
        "À faire : prendre contact avec le prestataire et suivre le déploiement."
    };
    Letter {
        subject: format!("Jalon en retard : {milestone} — « {title} »"),
        greeting: hello(name),
        paragraphs: vec![
            format!(
                "L'étape « {milestone} » de la commande « {title} » (commune de {commune}) était prévue le {} et n'est pas marquée comme réalisée.",
                day(planned)
            ),
            todo.into(),
        ],
        items: vec![],
        action: Some(action),
    }
}

/// An adhesion awaits a signature or an act of the centrale; `todo` heads the subject (« À
/// signer », « À contresigner », « À activer »), so the inbox says which act at a glance.
pub fn adhesion_awaits(name: &str, commune: &str, todo: &str, what: &str, path: &str) -> Letter {
    Letter {
        subject: format!("{todo} : adhésion de {commune} à la centrale"),
        greeting: hello(name),
        paragraphs: vec![
            format!("La convention d'adhésion de la commune de {commune} attend votre acte."),
            format!("À faire : {what}."),
        ],
        items: vec![],
        action: Some(format!("Dans l'application Centrale : {path}")),
    }
}

/// An adhesion was activated.
pub fn adhesion_activated(name: &str, commune: &str) -> Letter {
    Letter {
        subject: format!("Adhésion active : {commune}"),
        greeting: hello(name),
        paragraphs: vec![format!(
            "L'adhésion de la commune de {commune} à la centrale d'achat est active : la commune peut commander dans les accords-cadres."
        )],
        items: vec![],
        action: Some("Dans l'application Centrale : Adhésion".into()),
    }
}

/// The notice of termination was given (both signatories signed it).
pub fn adhesion_terminated(
    name: &str,
    commune: &str,
    effective: NaiveDate,
    reason: &str,
) -> Letter {
    Letter {
        subject: format!("Résiliation de l'adhésion : {commune}"),
        greeting: hello(name),
        paragraphs: vec![
            format!(
                "La commune de {commune} a résilié sa convention d'adhésion à la centrale d'achat. La résiliation prend effet le {} : les commandes restent possibles jusqu'à la veille.",
                day(effective)
            ),
            format!("Motif : {reason}"),
        ],
        items: vec![],
        action: Some("Dans l'application Centrale : Adhésion".into()),
    }
}

/// The daily digest: what was held for the account since the last one, each with where to
/// act (issue 14 §1).
pub fn daily_digest(greeting: String, day: NaiveDate, items: Vec<String>) -> Letter {
    let count = match items.len() {
        1 => "1 message".to_string(),
        n => format!("{n} messages"),
    };
    Letter {
        subject: format!("Résumé quotidien du {} : {count}", self::day(day)),
        greeting,
        paragraphs: vec![
            format!(
                "Voici le résumé des messages de la centrale d'achat que vous avez choisi de recevoir une fois par jour ({count}) :"
            ),
        ],
        items,
        action: Some(
            "Vous pouvez changer ce choix dans « Mes notifications » (dans l'application Centrale : page d'accueil ; sur le portail : « Mes notifications »).".into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_letter_greets_by_name_gives_the_brussels_deadline_and_escapes_html() {
        let deadline = Utc.with_ymd_and_hms(2026, 12, 14, 11, 0, 0).unwrap();
        let l = competition_invitation(
            "Nuagix <SA>",
            "Gembloux",
            "Logiciel & courrier",
            deadline,
            &["Cahier spécial des charges (v1)".into()],
            portal_link("https://centrale.exemple.be/", "abc"),
        );
        let text = l.text();
        assert!(text.starts_with("Bonjour Nuagix <SA>,"), "{text}");
        assert!(text.contains("14/12/2026 à 12:00"), "{text}");
        assert!(text.contains("https://centrale.exemple.be/portail/invitations/abc"));
        assert!(text.contains("- Cahier spécial des charges (v1)"));
        let html = l.html();
        assert!(html.contains("Nuagix &lt;SA&gt;"), "{html}");
        assert!(html.contains("Logiciel &amp; courrier"), "{html}");
        assert!(html.contains("href=\"https://centrale.exemple.be/portail/invitations/abc\""));
    }
}
