//! The analysis report (rapport d'analyse des offres) the collège decides the award on: the
//! criteria and their weights, the price formula and the tie-break rule as the framework states
//! them, each offer's prices and scores with the reasons of the quality scores, the offers set
//! aside and why, the ranking, and the proposed award (law of 17 June 2013 on motivation: the
//! award decision states its reasons; law of 17 June 2016 art. 6: the declarations of no
//! conflict of interest of whoever evaluated).

use std::fmt::Write as _;

use centrale_domain::catalogue::{
    CriterionKind, FrameworkAgreement, FrameworkTerms, ProviderNames,
};
use centrale_domain::evaluation::{RankingOutcome, TIE_BREAK_RULE_FR};
use centrale_domain::offer::Offer;
use centrale_domain::order::Order;
use centrale_domain::role::Role;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::layout::{of_organ, Doc, Letterhead};
use crate::markup::{content, date, date_time, lit, money, points};
use crate::typeset::{render, Rendered};
use crate::DocumentError;

/// What the report is made of: the order as recorded, its pinned terms, the opened offers.
pub struct AnalysisReport<'a> {
    /// The intercommunale (the centrale d'achat), as it signs its documents.
    pub centrale_name: &'a str,
    /// The commune's French name.
    pub commune_name: &'a str,
    /// The order.
    pub order: &'a Order,
    /// Its framework agreement.
    pub framework: &'a FrameworkAgreement,
    /// The framework's version the order is made under.
    pub terms: &'a FrameworkTerms,
    /// The service's French name.
    pub service_name: &'a str,
    /// The services' names by id (the solutions an interoperability sheet links to).
    pub service_names: &'a std::collections::HashMap<Uuid, String>,
    /// The opened offers.
    pub offers: &'a [Offer],
    /// The providers' names.
    pub providers: &'a ProviderNames,
    /// When the report is produced (its date, and the footer's).
    pub generated_at: DateTime<Utc>,
}

fn role_fr(role: Role) -> &'static str {
    match role {
        Role::DirectorGeneral => "direction générale",
        Role::Mayor => "bourgmestre",
        Role::CommuneStaff => "agent communal",
        Role::CentraleStaff => "centrale d'achat",
        Role::ProviderUser => "prestataire",
    }
}

fn outcome_fr(outcome: RankingOutcome) -> &'static str {
    match outcome {
        RankingOutcome::NoOffer => "Aucune offre n'a été reçue.",
        RankingOutcome::SingleOffer => "Une seule offre a été reçue ; elle est classée première.",
        RankingOutcome::Ranked => "Les offres sont classées selon leur total pondéré.",
        RankingOutcome::TieBrokenByPrice => {
            "Les totaux pondérés sont égaux : les offres sont départagées par le prix total le plus bas (HTVA)."
        }
        RankingOutcome::TieBrokenBySubmissionTime | RankingOutcome::TieBrokenByProviderId => {
            "Les offres ont été départagées selon une règle abandonnée depuis (heure de remise ou numéro du prestataire)."
        }
        RankingOutcome::Tie => {
            "Les offres ont le même total pondéré et le même prix : elles sont classées premières ex æquo ; le collège procède à un tirage au sort."
        }
    }
}

impl AnalysisReport<'_> {
    fn name(&self, provider: Uuid) -> String {
        self.providers.name(provider)
    }

    fn offer(&self, id: Uuid) -> Option<&Offer> {
        self.offers.iter().find(|o| o.id == id)
    }

    /// The interoperability sheet of each tenderer's solution, as the centrale recorded it
    /// with the pinned version: information for the collège, not an award criterion (only the
    /// criteria above score the offers; law of 17 June 2016 art. 81).
    fn interoperability(&self, s: &mut String) {
        use centrale_domain::interoperability::InteropAspect;
        if self.offers.is_empty() {
            return;
        }
        let _ = writeln!(s, "= Interopérabilité des solutions offertes");
        let _ = writeln!(
            s,
            "#{}\n",
            lit("Fiches tenues par la centrale d'achat avec la version de l'accord-cadre. Elles informent le collège ; seuls les critères d'attribution ci-dessus notent les offres.")
        );
        let mut seen = std::collections::BTreeSet::new();
        for offer in self.offers {
            if !seen.insert(offer.provider_id) {
                continue;
            }
            let name = self.name(offer.provider_id);
            let Some(sheet) = self
                .terms
                .interoperability
                .iter()
                .find(|sh| sh.provider_id == offer.provider_id)
            else {
                let _ = writeln!(
                    s,
                    "== {}\n#{}\n",
                    content(&name).trim_start_matches('[').trim_end_matches(']'),
                    lit("La centrale n'a pas établi de fiche d'interopérabilité pour cette solution dans cette version.")
                );
                continue;
            };
            let _ = writeln!(
                s,
                "== {}",
                content(&format!("{name} — {}", sheet.solution_name))
                    .trim_start_matches('[')
                    .trim_end_matches(']')
            );
            let checked = |aspect: InteropAspect| match sheet.check(aspect) {
                Some(c) => {
                    let note = if c.note.trim().is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", c.note.trim())
                    };
                    format!("{} le {}{note}", c.outcome.label_fr(), date(c.checked_on))
                }
                None => "non vérifié par la centrale".to_string(),
            };
            let _ = writeln!(
                s,
                "#table(columns: (26%, 42%, 32%), align: (left, left, left),\n  table.header([*Aspect*], [*Ce que la solution offre*], [*Vérification de la centrale*]),"
            );
            for aspect in InteropAspect::ALL {
                let _ = writeln!(
                    s,
                    "  {}, {}, {},",
                    content(aspect.label_fr()),
                    content(&sheet.offered_fr(aspect)),
                    content(&checked(aspect))
                );
            }
            let _ = writeln!(s, ")");
            if !sheet.works_with.is_empty() {
                let links: Vec<String> = sheet
                    .works_with
                    .iter()
                    .map(|l| {
                        let service = self
                            .service_names
                            .get(&l.with.service_id)
                            .cloned()
                            .unwrap_or_else(|| "service du catalogue".to_string());
                        let tested = match l.checked_on {
                            Some(d) => format!("testé par la centrale le {}", date(d)),
                            None => "déclaré par le prestataire, non testé".to_string(),
                        };
                        format!(
                            "{service} de {} : {} ({tested})",
                            self.name(l.with.provider_id),
                            l.how.trim()
                        )
                    })
                    .collect();
                let _ = writeln!(
                    s,
                    "#{}\n",
                    lit(&format!(
                        "Fonctionne avec les solutions du catalogue : {}.",
                        links.join(" ; ")
                    ))
                );
            }
        }
    }

    /// Who the report is from.
    pub fn letterhead(&self) -> Letterhead {
        Letterhead {
            centrale: self.centrale_name.to_string(),
            commune: self.commune_name.to_string(),
        }
    }

    /// The typst source of the report, on its own pages.
    pub fn source(&self) -> Result<String, DocumentError> {
        Ok(self.doc()?.source(&self.letterhead()))
    }

    /// The report as a document (its title, reference and body), alone or in the whole file.
    pub fn doc(&self) -> Result<Doc, DocumentError> {
        let order = self.order;
        if order.opened_at.is_none() {
            return Err(DocumentError::NotYet(
                "les offres ne sont pas encore ouvertes : le rapport d'analyse suit l'ouverture des offres.",
            ));
        }
        let reference = crate::order_docs::reference("Rapport d'analyse des offres", order);
        let mut s = String::new();

        let procedure = if order.pool_id.is_some() {
            "[Marché subséquent à l'accord-cadre, après remise en concurrence de ses prestataires (loi du 17 juin 2016, art. 43), dans le cadre d'un marché groupé conduit par la centrale d'achat pour plusieurs communes (art. 47, § 2, et 48) : une seule remise en concurrence, une seule analyse des offres sur le volume groupé]"
        } else {
            "[Marché subséquent à l'accord-cadre, après remise en concurrence de ses prestataires (loi du 17 juin 2016, art. 43)]"
        };
        let _ = writeln!(
            s,
            "#facts(\n  [*Commune*], {commune},\n  [*Service*], {service},\n  [*Accord-cadre*], {framework},\n  [*Procédure*], {procedure},\n  [*Durée du contrat*], {months},\n)",
            commune = content(self.commune_name),
            service = content(self.service_name),
            framework = content(&format!(
                "{} — {}, version {} (du {} au {})",
                self.framework.reference,
                self.framework.title_fr,
                self.terms.version,
                date(self.terms.start_date),
                date(self.terms.end_date)
            )),
            months = content(&format!("{} mois", self.terms.contract_months)),
        );

        // 1. The need and the decision that launched the call-off.
        let _ = writeln!(s, "= Objet et décision de lancement");
        if !order.needs.description.trim().is_empty() {
            let _ = writeln!(s, "#{}\n", lit(order.needs.description.trim()));
        }
        if let Some(launch) = &order.launch_decision {
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!(
                    "Décision {} n° {} du {} fixant les conditions de la commande ; article budgétaire {} ; estimation {} TVAC sur la durée du contrat.",
                    of_organ(launch.decision.organ),
                    launch.decision.reference,
                    date(launch.decision.date),
                    launch.budget_article,
                    money(launch.estimate.incl_vat)
                ))
            );
        }

        // 2. The competition.
        let _ = writeln!(s, "= Remise en concurrence");
        if let Some(c) = &order.competition {
            let invited: Vec<String> = c
                .invited_provider_ids
                .iter()
                .map(|p| self.name(*p))
                .collect();
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!(
                    "Lancée le {} ; date limite de remise des offres : le {} (heure de Bruxelles). Prestataires invités : {}.",
                    date_time(c.launched_at),
                    date_time(c.deadline),
                    invited.join(", ")
                ))
            );
            for e in &c.extensions {
                let _ = writeln!(
                    s,
                    "#{}\n",
                    lit(&format!(
                        "Date limite prolongée le {} pour tous les prestataires, du {} au {} : {}",
                        date_time(e.at),
                        date_time(e.previous),
                        date_time(e.deadline),
                        e.reason
                    ))
                );
            }
        }
        if let Some(opened) = order.opened_at {
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!(
                    "Offres ouvertes le {} : {} offre(s) reçue(s).",
                    date_time(opened),
                    self.offers.len()
                ))
            );
        }

        // 3. Criteria, formula, tie-break.
        let _ = writeln!(s, "= Critères d'attribution");
        let _ = writeln!(s, "#table(columns: (1fr, auto, auto),\n  table.header([*Critère*], [*Pondération*], [*Nature*]),");
        for c in &self.terms.award_criteria {
            let kind = match c.kind {
                CriterionKind::Price => "prix (formule ci-dessous)",
                CriterionKind::Quality => "qualité (points motivés)",
            };
            let _ = writeln!(
                s,
                "  {}, [{} points], {},",
                content(&c.label_fr),
                c.weight,
                content(kind)
            );
        }
        let _ = writeln!(s, ")");
        let _ = writeln!(
            s,
            "\n*Formule de prix.* #{}\n\n*Égalité.* #{}\n",
            lit(self.terms.price_formula.statement_fr()),
            lit(TIE_BREAK_RULE_FR)
        );

        // 4. The offers.
        let _ = writeln!(s, "= Offres reçues");
        for offer in self.offers {
            let _ = writeln!(
                s,
                "== {}\n#{}\n",
                content(&self.name(offer.provider_id))
                    .trim_start_matches('[')
                    .trim_end_matches(']'),
                lit(&format!(
                    "Remise le {}{} ; délai de mise en œuvre offert : {} jours.",
                    date_time(offer.submitted_at),
                    if offer.revision > 1 {
                        format!(" (version {})", offer.revision)
                    } else {
                        String::new()
                    },
                    offer.lead_time_days
                ))
            );
            let _ = writeln!(
                s,
                "#table(columns: (1fr, auto, auto, auto, auto), align: (left, right, right, right, right),\n  table.header([*Poste*], [*Quantité*], [*Prix unitaire HTVA*], [*Montant HTVA*], [*Montant TVAC*]),"
            );
            for line in &offer.lines {
                let label = self
                    .terms
                    .price_schedule
                    .iter()
                    .find(|p| p.code == line.price_line_code)
                    .map(|p| p.label_fr.clone())
                    .unwrap_or_else(|| line.price_line_code.clone());
                let _ = writeln!(
                    s,
                    "  {}, {}, {}, {}, {},",
                    content(&label),
                    content(&line.quantity.normalize().to_string().replace('.', ",")),
                    content(&money(line.unit_price_cents)),
                    content(&money(line.amount.excl_vat)),
                    content(&money(line.amount.incl_vat)),
                );
            }
            let _ = writeln!(
                s,
                "  table.cell(colspan: 3)[*Total sur la durée du contrat*], [*#{}*], [*#{}*],\n)",
                lit(&money(offer.total.excl_vat)),
                lit(&money(offer.total.incl_vat))
            );
            if !offer.notes.trim().is_empty() {
                let _ = writeln!(
                    s,
                    "_Remarques du prestataire :_ #{}\n",
                    lit(offer.notes.trim())
                );
            }
        }

        // 4 bis. What the centrale recorded of each solution's interoperability (issue 16 §1).
        self.interoperability(&mut s);

        // 5. Regularity.
        let _ = writeln!(s, "= Régularité des offres");
        if order.set_aside.is_empty() {
            let _ = writeln!(
                s,
                "Aucune offre n'a été écartée : toutes les offres reçues sont classées.\n"
            );
        } else {
            for x in &order.set_aside {
                let _ = writeln!(
                    s,
                    "- #{}",
                    lit(&format!(
                        "L'offre de {} est écartée le {} par {} : {}",
                        self.name(x.provider_id),
                        date_time(x.at),
                        x.by,
                        x.motivation
                    ))
                );
            }
            let _ = writeln!(s);
        }

        // 6. Evaluation and ranking.
        let _ = writeln!(s, "= Évaluation et classement");
        match &order.evaluation {
            None => {
                let _ = writeln!(s, "Les offres n'ont pas encore été évaluées.\n");
            }
            Some(evaluation) => {
                let criteria = &self.terms.award_criteria;
                let mut columns = String::from("(1fr");
                for _ in criteria {
                    columns.push_str(", auto");
                }
                columns.push_str(", auto, auto)");
                let _ = write!(s, "#table(columns: {columns}, align: (left, {}right, center),\n  table.header([*Offre*], ", "right, ".repeat(criteria.len()));
                for c in criteria {
                    let _ = write!(
                        s,
                        "[*#{}*], ",
                        lit(&format!("{} ({})", c.label_fr, c.weight))
                    );
                }
                let _ = writeln!(s, "[*Total / 100*], [*Rang*]),");
                for scored in &evaluation.ranking.offers {
                    let _ = write!(s, "  {}, ", content(&self.name(scored.provider_id)));
                    for c in criteria {
                        let value = scored
                            .scores
                            .iter()
                            .find(|x| x.criterion_code == c.code)
                            .map(|x| points(x.points))
                            .unwrap_or_else(|| "—".into());
                        let _ = write!(s, "{}, ", content(&value));
                    }
                    let rank = if scored.rank == 1 {
                        "1re".to_string()
                    } else {
                        format!("{}e", scored.rank)
                    };
                    let _ = writeln!(s, "{}, {},", content(&points(scored.total)), content(&rank));
                }
                let _ = writeln!(s, ")\n#{}\n", lit(outcome_fr(evaluation.ranking.outcome)));
                let reasons: Vec<_> = evaluation
                    .quality_scores
                    .iter()
                    .filter(|q| !q.justification.trim().is_empty())
                    .collect();
                if !reasons.is_empty() {
                    let _ = writeln!(s, "*Motifs des points de qualité*\n");
                    for q in reasons {
                        let provider = self
                            .offer(q.offer_id)
                            .map(|o| self.name(o.provider_id))
                            .unwrap_or_default();
                        let label = criteria
                            .iter()
                            .find(|c| c.code == q.criterion_code)
                            .map(|c| c.label_fr.as_str())
                            .unwrap_or(&q.criterion_code);
                        let _ = writeln!(
                            s,
                            "- #{}",
                            lit(&format!(
                                "{provider} — {label} : {} points. {}",
                                points(q.points),
                                q.justification.trim()
                            ))
                        );
                    }
                    let _ = writeln!(s);
                }
                let _ = writeln!(
                    s,
                    "#{}\n",
                    lit(&format!(
                        "Évaluation enregistrée le {} par {}.",
                        date_time(evaluation.evaluated_at),
                        evaluation.evaluated_by
                    ))
                );
            }
        }

        // 7. Conflicts of interest.
        let _ = writeln!(s, "= Absence de conflit d'intérêts");
        if order.conflict_declarations.is_empty() {
            let _ = writeln!(s, "Aucune déclaration n'est enregistrée.\n");
        } else {
            for d in &order.conflict_declarations {
                let _ = writeln!(
                    s,
                    "- #{}",
                    lit(&format!(
                        "{} ({}) a déclaré n'avoir aucun conflit d'intérêts avec les prestataires le {}, avant de voir les offres (loi du 17 juin 2016, art. 6).",
                        d.name,
                        role_fr(d.role),
                        date_time(d.declared_at)
                    ))
                );
            }
            let _ = writeln!(s);
        }

        // 8. Proposal (or the award, once decided).
        let _ = writeln!(s, "= Proposition d'attribution");
        if let Some(award) = &order.award {
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!(
                    "Le marché a été attribué à {} pour {} HTVA ({} TVAC) sur la durée du contrat, par décision {} n° {} du {}. Motivation : {}",
                    self.name(award.provider_id),
                    money(award.amount.excl_vat),
                    money(award.amount.incl_vat),
                    of_organ(award.college_decision.organ),
                    award.college_decision.reference,
                    date(award.college_decision.date),
                    award.justification
                ))
            );
        } else if let Some(first) = order.evaluation.as_ref().and_then(|e| e.ranking.winner()) {
            let amount = self.offer(first.offer_id).map(|o| o.total);
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!(
                    "Il est proposé au collège communal d'attribuer le marché à {}, auteur de l'offre régulière classée première avec {} points sur 100{}.",
                    self.name(first.provider_id),
                    points(first.total),
                    amount
                        .map(|a| format!(", pour {} HTVA ({} TVAC) sur la durée du contrat", money(a.excl_vat), money(a.incl_vat)))
                        .unwrap_or_default()
                ))
            );
        } else {
            let _ = writeln!(
                s,
                "Aucune proposition : les offres ne sont pas encore évaluées.\n"
            );
        }
        let _ = writeln!(
            s,
            "#v(1.5em)\n#align(right)[#{}]",
            lit(&format!(
                "Document établi le {} à partir du dossier de la commande.",
                date_time(self.generated_at)
            ))
        );
        Ok(Doc {
            title: "Rapport d'analyse des offres".into(),
            subtitle: order.title.clone(),
            reference,
            body: s,
        })
    }

    /// The report as a PDF.
    pub fn pdf(&self) -> Result<Rendered, DocumentError> {
        render(self.source()?, self.generated_at)
    }
}
