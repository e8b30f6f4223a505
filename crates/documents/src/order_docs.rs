//! The documents of a call-off, in the order of its life: the draft decision that launches it,
//! the record of the opening of the offers, the analysis report, the draft award decision of
//! the collège, the notification letter to the winner and the information letter to each
//! other tenderer, the purchase order, the acceptance records, and the whole file as one PDF.
//!
//! Each is available only once the order holds what it prints ([`OrderFile::available`]):
//! a draft decision from the start, the opening record after the opening, the award's letters
//! after the award… Asking for another is `document_not_yet`, with the reason.

use std::collections::HashMap;
use std::fmt::Write as _;

use centrale_domain::adhesion::{
    financial_opinion_required, Decision, OpinionKind, DF_OPINION_THRESHOLD_TVAC_CENTS,
};
use centrale_domain::catalogue::{FrameworkAgreement, FrameworkTerms, ProviderNames};
use centrale_domain::offer::Offer;
use centrale_domain::order::{Acceptance, Order, SetAsideGround};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::analysis_report::AnalysisReport;
use crate::layout::{
    amounts, facts, heading, item, letter_head, of_organ, para, signatures, whole_file, Doc,
    Letterhead, Signer,
};
use crate::markup::{date, date_time, lit, money, points};
use crate::typeset::{render, Rendered};
use crate::DocumentError;

/// The documents of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderDocument {
    /// Projet de décision de lancement (conseil, or collège by delegation).
    LaunchDecision,
    /// Procès-verbal d'ouverture des offres.
    OpeningRecord,
    /// Rapport d'analyse des offres.
    AnalysisReport,
    /// Projet de décision d'attribution du collège.
    AwardDecision,
    /// Lettre de notification de l'attribution, to the winner.
    NotificationLetter,
    /// Lettre d'information to one other tenderer.
    InformationLetter(Uuid),
    /// Bon de commande.
    PurchaseOrder,
    /// Procès-verbal de réception provisoire.
    ProvisionalAcceptance,
    /// Procès-verbal de réception définitive.
    FinalAcceptance,
    /// Every available document, bound with a table of contents.
    WholeFile,
}

impl OrderDocument {
    /// The document's French title.
    pub fn title_fr(self) -> &'static str {
        match self {
            OrderDocument::LaunchDecision => "Projet de décision de lancement de la commande",
            OrderDocument::OpeningRecord => "Procès-verbal d'ouverture des offres",
            OrderDocument::AnalysisReport => "Rapport d'analyse des offres",
            OrderDocument::AwardDecision => "Projet de décision d'attribution",
            OrderDocument::NotificationLetter => "Notification de l'attribution",
            OrderDocument::InformationLetter(_) => "Information d'un soumissionnaire",
            OrderDocument::PurchaseOrder => "Bon de commande",
            OrderDocument::ProvisionalAcceptance => "Procès-verbal de réception provisoire",
            OrderDocument::FinalAcceptance => "Procès-verbal de réception définitive",
            OrderDocument::WholeFile => "Dossier complet de la commande",
        }
    }
}

/// « Rapport d'analyse des offres — E-guichet 2027 — commande 0190a3b2 ».
pub fn reference(what: &str, order: &Order) -> String {
    format!(
        "{what} — {} — commande {}",
        order.title,
        &order.id.to_string()[..8]
    )
}

/// An order and everything its documents print, as this PC (or the server) holds it.
pub struct OrderFile<'a> {
    /// Who the documents are from.
    pub head: Letterhead,
    /// The order.
    pub order: &'a Order,
    /// Its framework agreement.
    pub framework: &'a FrameworkAgreement,
    /// The framework's version the order is made under.
    pub terms: &'a FrameworkTerms,
    /// The service's French name.
    pub service_name: &'a str,
    /// The opened offers.
    pub offers: &'a [Offer],
    /// The providers' names.
    pub providers: &'a ProviderNames,
    /// The providers' postal addresses (for the letters).
    pub addresses: &'a HashMap<Uuid, String>,
    /// The services' names by id (the solutions an interoperability sheet links to).
    pub service_names: &'a HashMap<Uuid, String>,
    /// The commune's signatories (directeur général, bourgmestre — or their substitutes), as
    /// they signed the commune's adhesion; none known: blank blocks to fill.
    pub signatories: &'a [Signer],
    /// When the documents are produced.
    pub generated_at: DateTime<Utc>,
}

/// The launch decision of a commune joining a pooled call-off (issue 16 §4; ARCHITECTURE.md
/// « Marchés groupés »).
pub(crate) const POOL_LAUNCH_RECITAL: &str = "Considérant que la commune rejoint, pour ses propres quantités, le marché groupé que la centrale d'achat conduit pour plusieurs communes ayant le même besoin : une seule remise en concurrence et une seule analyse des offres, faites par la centrale au nom et pour le compte des communes (loi du 17 juin 2016, art. 47, § 2, et art. 48), la commune gardant sa propre décision d'attribution et son propre bon de commande ;";

/// The award decision of a pooled call-off's commune (issue 16 §4).
pub(crate) const POOL_AWARD_RECITAL: &str = "Considérant que la commande fait partie d'un marché groupé : les offres ont été remises une seule fois pour toutes les communes participantes, aux mêmes prix unitaires pour le volume groupé, et analysées une seule fois par la centrale d'achat ; que le classement ci-dessous résulte de cette analyse commune, les montants étant ceux des quantités de la commune ;";

fn opinion_fr(kind: OpinionKind) -> &'static str {
    match kind {
        OpinionKind::Favourable => "favorable",
        OpinionKind::Reserved => "réservé",
        OpinionKind::Unfavourable => "défavorable",
    }
}

/// « Vu l'avis de légalité … » for a decision on `amount_incl_vat`: the recorded opinion,
/// a blank to fill above the threshold, or why none is needed.
fn opinion_recital(
    decision: Option<&Decision>,
    amount_incl_vat: centrale_domain::money::Cents,
) -> String {
    match decision.and_then(|d| d.financial_opinion.as_ref()) {
        Some(o) => format!(
            "Vu l'avis de légalité {} du directeur financier n° {} du {} (CDLD, art. L1124-40, § 1er, 3°) ;",
            opinion_fr(o.kind),
            o.reference,
            date(o.date)
        ),
        None if financial_opinion_required(amount_incl_vat) => format!(
            "Vu l'avis de légalité du directeur financier n° ………… du ………… , requis car le montant dépasse {} TVAC (CDLD, art. L1124-40, § 1er, 3°) ;",
            money(DF_OPINION_THRESHOLD_TVAC_CENTS)
        ),
        None => format!(
            "Considérant que le montant ne dépasse pas {} TVAC et que l'avis de légalité du directeur financier n'est dès lors pas obligatoire (CDLD, art. L1124-40, § 1er, 3°) ;",
            money(DF_OPINION_THRESHOLD_TVAC_CENTS)
        ),
    }
}

fn rank_fr(rank: u32) -> String {
    if rank == 1 {
        "1re".into()
    } else {
        format!("{rank}e")
    }
}

impl OrderFile<'_> {
    fn name(&self, provider: Uuid) -> String {
        self.providers.name(provider)
    }

    fn offer(&self, id: Uuid) -> Option<&Offer> {
        self.offers.iter().find(|o| o.id == id)
    }

    fn report(&self) -> AnalysisReport<'_> {
        AnalysisReport {
            centrale_name: &self.head.centrale,
            commune_name: &self.head.commune,
            order: self.order,
            framework: self.framework,
            terms: self.terms,
            service_name: self.service_name,
            service_names: self.service_names,
            offers: self.offers,
            providers: self.providers,
            generated_at: self.generated_at,
        }
    }

    fn framework_line(&self) -> String {
        format!(
            "{} — {}, version {} (du {} au {})",
            self.framework.reference,
            self.framework.title_fr,
            self.terms.version,
            date(self.terms.start_date),
            date(self.terms.end_date)
        )
    }

    /// The other tenderers (every provider with an offer, but the winner), in offer order.
    pub fn other_tenderers(&self) -> Vec<Uuid> {
        let winner = self.order.award.as_ref().map(|a| a.provider_id);
        let mut out: Vec<Uuid> = Vec::new();
        for o in self.offers {
            if Some(o.provider_id) != winner && !out.contains(&o.provider_id) {
                out.push(o.provider_id);
            }
        }
        out
    }

    /// Why `which` cannot be produced yet; `None` when it can.
    pub fn not_yet(&self, which: OrderDocument) -> Option<&'static str> {
        let o = self.order;
        match which {
            OrderDocument::LaunchDecision | OrderDocument::WholeFile => None,
            OrderDocument::OpeningRecord | OrderDocument::AnalysisReport => o
                .opened_at
                .is_none()
                .then_some("les offres ne sont pas encore ouvertes."),
            OrderDocument::AwardDecision => (o.award.is_none()
                && o.evaluation
                    .as_ref()
                    .and_then(|e| e.ranking.winner())
                    .is_none())
            .then_some("les offres ne sont pas encore évaluées."),
            OrderDocument::NotificationLetter => o
                .award
                .is_none()
                .then_some("le marché n'est pas encore attribué."),
            OrderDocument::InformationLetter(provider) => {
                if o.award.is_none() {
                    Some("le marché n'est pas encore attribué.")
                } else if !self.other_tenderers().contains(&provider) {
                    Some("ce prestataire n'a pas remis d'offre non retenue dans cette commande.")
                } else {
                    None
                }
            }
            OrderDocument::PurchaseOrder => o
                .purchase_order
                .is_none()
                .then_some("le bon de commande n'est pas encore émis."),
            OrderDocument::ProvisionalAcceptance => o
                .provisional_acceptance
                .is_none()
                .then_some("la réception provisoire n'est pas encore enregistrée."),
            OrderDocument::FinalAcceptance => o
                .final_acceptance
                .is_none()
                .then_some("la réception définitive n'est pas encore enregistrée."),
        }
    }

    /// The documents this order allows now, in the order of its life (the information
    /// letters one per other tenderer).
    pub fn available(&self) -> Vec<OrderDocument> {
        let mut all = vec![
            OrderDocument::LaunchDecision,
            OrderDocument::OpeningRecord,
            OrderDocument::AnalysisReport,
            OrderDocument::AwardDecision,
            OrderDocument::NotificationLetter,
        ];
        all.extend(
            self.other_tenderers()
                .into_iter()
                .map(OrderDocument::InformationLetter),
        );
        all.extend([
            OrderDocument::PurchaseOrder,
            OrderDocument::ProvisionalAcceptance,
            OrderDocument::FinalAcceptance,
        ]);
        all.into_iter()
            .filter(|d| self.not_yet(*d).is_none())
            .collect()
    }

    /// The title of `which` for this order (an information letter names its tenderer:
    /// « Information d'un soumissionnaire — Civitech SRL »).
    pub fn title(&self, which: OrderDocument) -> String {
        match which {
            OrderDocument::InformationLetter(p) => {
                format!("{} — {}", which.title_fr(), self.name(p))
            }
            other => other.title_fr().to_string(),
        }
    }

    /// One document, as a [`Doc`].
    pub fn doc(&self, which: OrderDocument) -> Result<Doc, DocumentError> {
        if let Some(why) = self.not_yet(which) {
            return Err(DocumentError::NotYet(why));
        }
        let body = match which {
            OrderDocument::LaunchDecision => self.launch_decision(),
            OrderDocument::OpeningRecord => self.opening_record(),
            OrderDocument::AnalysisReport => return self.report().doc(),
            OrderDocument::AwardDecision => self.award_decision(),
            OrderDocument::NotificationLetter => self.notification_letter(),
            OrderDocument::InformationLetter(p) => self.information_letter(p),
            OrderDocument::PurchaseOrder => self.purchase_order(),
            OrderDocument::ProvisionalAcceptance => {
                self.acceptance(self.order.provisional_acceptance.as_ref(), false)
            }
            OrderDocument::FinalAcceptance => {
                self.acceptance(self.order.final_acceptance.as_ref(), true)
            }
            OrderDocument::WholeFile => {
                return Err(DocumentError::NotYet(
                    "le dossier complet se produit avec `source`, pas comme une pièce.",
                ))
            }
        };
        let title = self.title(which);
        Ok(Doc {
            reference: reference(which.title_fr(), self.order),
            title,
            subtitle: self.order.title.clone(),
            body,
        })
    }

    /// The typst source of `which` (the whole file binds every available document).
    pub fn source(&self, which: OrderDocument) -> Result<String, DocumentError> {
        if which == OrderDocument::WholeFile {
            let docs = self
                .available()
                .into_iter()
                .map(|d| self.doc(d))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(whole_file(
                &self.head,
                OrderDocument::WholeFile.title_fr(),
                &self.order.title,
                &reference("Dossier complet", self.order),
                &docs,
            ));
        }
        Ok(self.doc(which)?.source(&self.head))
    }

    /// `which` as a PDF (PDF/A-2b).
    pub fn pdf(&self, which: OrderDocument) -> Result<Rendered, DocumentError> {
        render(self.source(which)?, self.generated_at)
    }

    fn college_signatures(&self, out: &mut String, intro: &str) {
        signatures(out, intro, self.signatories);
    }

    /// Projet de décision de lancement: the need, the estimate TVAC over the contract's life
    /// (the needs priced at the framework's ceilings), the budget article, the conditions, the
    /// organ.
    fn launch_decision(&self) -> String {
        let o = self.order;
        let t = self.terms;
        let mut s = String::new();
        let recorded = o.launch_decision.as_ref();
        let estimate = recorded
            .map(|l| l.estimate)
            .or_else(|| o.needs.amount_at_ceilings(t).ok());
        let organ = recorded
            .map(|l| of_organ(l.decision.organ))
            .unwrap_or_else(|| {
                "du conseil communal (ou du collège communal, par délégation du conseil du …………)"
                    .into()
            });
        if recorded.is_none() {
            para(&mut s, "Projet à soumettre à l'organe compétent : les mentions « ………… » sont à compléter avant la séance.");
        }
        facts(
            &mut s,
            &[
                ("Organe", format!("Décision {organ}")),
                (
                    "Séance",
                    recorded
                        .map(|l| {
                            format!(
                                "du {} — décision n° {}",
                                date(l.decision.date),
                                l.decision.reference
                            )
                        })
                        .unwrap_or_else(|| "du ………… — décision n° …………".into()),
                ),
                ("Service", self.service_name.to_string()),
                ("Accord-cadre", self.framework_line()),
            ],
        );
        let _ = writeln!(
            s,
            "#v(0.6em)\n*Le conseil communal* (ou le collège communal agissant par délégation),\n"
        );
        for recital in [
            "Vu le Code de la démocratie locale et de la décentralisation, notamment les articles L1122-30, L1222-3 (choix de la procédure et fixation des conditions du marché) et L1222-7 (recours à une centrale d'achat) ;".to_string(),
            "Vu la loi du 17 juin 2016 relative aux marchés publics, notamment les articles 2, 6° et 7° (centrale d'achat), 43 (accords-cadres) et 47 (dispense de procédure pour le pouvoir adjudicateur qui recourt à une centrale d'achat) ;".into(),
            "Vu l'arrêté royal du 14 janvier 2013 établissant les règles générales d'exécution des marchés publics ;".into(),
            format!(
                "Vu l'adhésion de la commune de {} à la centrale d'achat « {} » et l'accord-cadre {} conclu par celle-ci ;",
                self.head.commune, self.head.centrale, self.framework_line()
            ),
            opinion_recital(recorded.map(|l| &l.decision), estimate.map(|e| e.incl_vat).unwrap_or_default()),
        ] {
            para(&mut s, &recital);
        }
        let need = o.needs.description.trim();
        para(
            &mut s,
            &format!(
                "Considérant le besoin de la commune : {}",
                if need.is_empty() {
                    o.title.as_str()
                } else {
                    need
                }
            ),
        );
        if let Some(e) = estimate {
            para(
                &mut s,
                &format!(
                    "Considérant que le montant estimé de la commande, calculé aux prix plafonds de l'accord-cadre sur la durée du contrat ({} mois), s'élève à {} ;",
                    t.contract_months,
                    amounts(&e)
                ),
            );
        }
        para(&mut s, "Considérant que l'accord-cadre prévoit la remise en concurrence de ses prestataires, selon les critères et pondérations qu'il fixe ;");
        if self.order.pool_id.is_some() {
            para(&mut s, POOL_LAUNCH_RECITAL);
        }
        let article = recorded
            .map(|l| l.budget_article.clone())
            .unwrap_or_else(|| "…………".into());
        para(
            &mut s,
            &format!("Considérant que le crédit nécessaire est inscrit à l'article {article} du budget ;"),
        );
        let _ = writeln!(s, "#align(center)[*DÉCIDE :*]\n");
        let _ = writeln!(s, "*Article 1.* #{}\n", lit(&format!(
            "De recourir à la centrale d'achat « {} » et de commander, dans le cadre de l'accord-cadre {}, le service « {} » : {}.",
            self.head.centrale, self.framework.reference, self.service_name, o.title
        )));
        let _ = writeln!(s, "*Article 2.* Les quantités et les conditions de la commande sont celles du tableau ci-dessous et des conditions de l'accord-cadre ; la commande est attribuée après remise en concurrence selon les critères suivants :\n");
        let _ = writeln!(s, "#table(columns: (1fr, auto, auto), align: (left, right, right),\n  table.header([*Poste*], [*Quantité*], [*Prix plafond HTVA*]),");
        for line in &o.needs.lines {
            let p = t
                .price_schedule
                .iter()
                .find(|p| p.code == line.price_line_code);
            let _ = writeln!(
                s,
                "  {}, {}, {},",
                crate::markup::content(
                    &p.map(|p| p.label_fr.clone())
                        .unwrap_or_else(|| line.price_line_code.clone())
                ),
                crate::markup::content(&line.quantity.normalize().to_string().replace('.', ",")),
                crate::markup::content(&p.map(|p| money(p.ceiling_cents)).unwrap_or_default()),
            );
        }
        let _ = writeln!(s, ")");
        for c in &t.award_criteria {
            item(&mut s, &format!("{} : {} points", c.label_fr, c.weight));
        }
        let _ = writeln!(s);
        if let Some(e) = estimate {
            let _ = writeln!(s, "*Article 3.* #{}\n", lit(&format!(
                "La dépense, estimée à {} sur la durée du contrat, est imputée à l'article {article} du budget.",
                amounts(&e)
            )));
        }
        let _ = writeln!(s, "*Article 4.* #{}\n", lit(&format!(
            "De transmettre la présente décision à la centrale d'achat « {} », chargée de mener la remise en concurrence pour le compte de la commune.",
            self.head.centrale
        )));
        let by = match recorded.map(|l| l.decision.organ) {
            Some(centrale_domain::adhesion::Organ::Conseil) => "Par le conseil :",
            Some(_) => "Par le collège :",
            None => "Par le conseil (ou par le collège, par délégation) :",
        };
        self.college_signatures(&mut s, by);
        s
    }

    /// Procès-verbal d'ouverture: date and time, offers received; late offers are refused by
    /// the platform itself and never recorded.
    fn opening_record(&self) -> String {
        let o = self.order;
        let mut s = String::new();
        let opened = o.opened_at.map(date_time).unwrap_or_default();
        let mut rows = vec![
            ("Accord-cadre", self.framework_line()),
            ("Service", self.service_name.to_string()),
        ];
        if let Some(c) = &o.competition {
            rows.push(("Remise en concurrence lancée le", date_time(c.launched_at)));
            rows.push((
                "Date limite de remise",
                format!("{} (heure de Bruxelles)", date_time(c.deadline)),
            ));
        }
        rows.push((
            "Ouverture des offres",
            format!("{opened} (heure de Bruxelles)"),
        ));
        facts(&mut s, &rows);
        heading(&mut s, "Prestataires invités");
        if let Some(c) = &o.competition {
            for p in &c.invited_provider_ids {
                let submitted = self.offers.iter().any(|x| x.provider_id == *p);
                item(
                    &mut s,
                    &format!(
                        "{} — {}",
                        self.name(*p),
                        if submitted {
                            "a remis une offre"
                        } else {
                            "n'a pas remis d'offre"
                        }
                    ),
                );
            }
            for e in &c.extensions {
                item(
                    &mut s,
                    &format!(
                        "Date limite prolongée le {} pour tous les prestataires, du {} au {} : {}",
                        date_time(e.at),
                        date_time(e.previous),
                        date_time(e.deadline),
                        e.reason
                    ),
                );
            }
        }
        heading(&mut s, "Offres reçues");
        if self.offers.is_empty() {
            para(&mut s, "Aucune offre n'a été reçue dans le délai.");
        } else {
            let _ = writeln!(s, "#table(columns: (auto, 1fr, auto, auto, auto), align: (right, left, left, right, right),\n  table.header([*N°*], [*Prestataire*], [*Remise le*], [*Total HTVA*], [*Total TVAC*]),");
            for (i, offer) in self.offers.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "  [{}], {}, {}, {}, {},",
                    i + 1,
                    crate::markup::content(&self.name(offer.provider_id)),
                    crate::markup::content(&format!(
                        "{}{}",
                        date_time(offer.submitted_at),
                        if offer.revision > 1 {
                            format!(" (version {})", offer.revision)
                        } else {
                            String::new()
                        }
                    )),
                    crate::markup::content(&money(offer.total.excl_vat)),
                    crate::markup::content(&money(offer.total.incl_vat)),
                );
            }
            let _ = writeln!(s, ")");
            para(&mut s, &format!("{} offre(s) reçue(s) dans le délai. Chaque offre est conservée avec l'empreinte SHA-256 de son contenu tel que remis.", self.offers.len()));
        }
        heading(&mut s, "Offres tardives");
        para(&mut s, "La plateforme de la centrale refuse toute offre après la date limite : une offre tardive ne peut pas être remise et n'est donc pas enregistrée. Aucune offre tardive ne figure dès lors au présent procès-verbal ; une offre parvenue par une autre voie (courrier, courriel) est à mentionner ci-dessous par la commune.");
        let _ = writeln!(s, "#v(0.4em)\n#box(width: 100%, height: 2.2cm, stroke: 0.4pt + luma(150), inset: 6pt)[#text(size: 9pt, fill: luma(80))[Mentions complémentaires :]]\n");
        para(&mut s, &format!(
            "Les offres ont été ouvertes automatiquement par la plateforme à l'échéance du délai, le {opened} ; elles étaient scellées et illisibles jusque-là, y compris pour la centrale et pour la commune."
        ));
        signatures(&mut s, "Dressé et signé par :", self.signatories);
        s
    }

    /// Projet de décision d'attribution du collège (CDLD L1222-4).
    fn award_decision(&self) -> String {
        let o = self.order;
        let mut s = String::new();
        let award = o.award.as_ref();
        let first = o.evaluation.as_ref().and_then(|e| e.ranking.winner());
        let (provider, amount) = match award {
            Some(a) => (a.provider_id, Some(a.amount)),
            None => {
                let f = first.expect("checked by not_yet");
                (f.provider_id, self.offer(f.offer_id).map(|x| x.total))
            }
        };
        if award.is_none() {
            para(&mut s, "Projet à soumettre au collège communal : les mentions « ………… » sont à compléter avant la séance.");
        }
        facts(
            &mut s,
            &[
                ("Organe", "Collège communal (CDLD, art. L1222-4)".into()),
                (
                    "Séance",
                    award
                        .map(|a| {
                            format!(
                                "du {} — décision n° {}",
                                date(a.college_decision.date),
                                a.college_decision.reference
                            )
                        })
                        .unwrap_or_else(|| "du ………… — décision n° …………".into()),
                ),
                ("Accord-cadre", self.framework_line()),
            ],
        );
        let _ = writeln!(s, "#v(0.6em)\n*Le collège communal,*\n");
        let mut recitals = vec![
            "Vu le Code de la démocratie locale et de la décentralisation, notamment l'article L1222-4 (attribution du marché par le collège communal) ;".to_string(),
            "Vu la loi du 17 juin 2016 relative aux marchés publics, notamment les articles 43 (accords-cadres) et 47 (centrale d'achat) ;".into(),
            "Vu la loi du 17 juin 2013 relative à la motivation, à l'information et aux voies de recours en matière de marchés publics ;".into(),
        ];
        if let Some(l) = &o.launch_decision {
            recitals.push(format!(
                "Vu la décision {} n° {} du {} lançant la commande, avec son estimation de {} et l'article budgétaire {} ;",
                of_organ(l.decision.organ),
                l.decision.reference,
                date(l.decision.date),
                amounts(&l.estimate),
                l.budget_article
            ));
        }
        if let Some(opened) = o.opened_at {
            recitals.push(format!(
                "Vu le procès-verbal d'ouverture des offres du {} et le rapport d'analyse des offres ;",
                date_time(opened)
            ));
        }
        recitals.push(opinion_recital(
            award.map(|a| &a.college_decision),
            amount.map(|a| a.incl_vat).unwrap_or_default(),
        ));
        for r in recitals {
            para(&mut s, &r);
        }
        para(
            &mut s,
            &format!(
                "Considérant que {} offre(s) ont été reçues dans le délai ;",
                self.offers.len()
            ),
        );
        for x in &o.set_aside {
            para(
                &mut s,
                &format!(
                    "Considérant que l'offre de {} a été écartée ({}) pour le motif suivant : {} ;",
                    self.name(x.provider_id),
                    match x.ground {
                        SetAsideGround::Irregular => "offre irrégulière",
                        SetAsideGround::AbnormallyLow => "prix anormalement bas",
                    },
                    x.motivation
                ),
            );
        }
        if o.pool_id.is_some() {
            para(&mut s, POOL_AWARD_RECITAL);
        }
        if let Some(e) = &o.evaluation {
            let ranked: Vec<String> = e
                .ranking
                .offers
                .iter()
                .map(|r| {
                    format!(
                        "{} ({} points, {})",
                        self.name(r.provider_id),
                        points(r.total),
                        rank_fr(r.rank)
                    )
                })
                .collect();
            para(&mut s, &format!(
                "Considérant que les offres régulières, évaluées selon les critères de l'accord-cadre, sont classées comme suit : {} ;",
                ranked.join(" ; ")
            ));
        }
        if let Some(a) = award {
            para(
                &mut s,
                &format!("Considérant la motivation suivante : {}", a.justification),
            );
        } else {
            para(&mut s, "Considérant que l'offre classée première est l'offre économiquement la plus avantageuse ;");
        }
        let article = o
            .launch_decision
            .as_ref()
            .map(|l| l.budget_article.clone())
            .unwrap_or_else(|| "…………".into());
        let _ = writeln!(s, "#align(center)[*DÉCIDE :*]\n");
        let _ = writeln!(
            s,
            "*Article 1.* #{}\n",
            lit(&format!(
                "D'attribuer la commande « {} », marché subséquent à l'accord-cadre {}, à {}{}.",
                o.title,
                self.framework.reference,
                self.name(provider),
                amount
                    .map(|a| format!(
                        ", pour un montant de {} sur la durée du contrat ({} mois)",
                        amounts(&a),
                        self.terms.contract_months
                    ))
                    .unwrap_or_default()
            ))
        );
        let _ = writeln!(
            s,
            "*Article 2.* #{}\n",
            lit(&format!(
                "La dépense est imputée à l'article {article} du budget."
            ))
        );
        let _ = writeln!(s, "*Article 3.* De notifier la présente décision à l'adjudicataire et d'informer chacun des autres soumissionnaires de la décision motivée et des voies de recours (loi du 17 juin 2013).\n");
        let _ = writeln!(s, "*Article 4.* #{}\n", lit(&format!(
            "De transmettre la présente décision à la centrale d'achat « {} » pour l'émission du bon de commande.",
            self.head.centrale
        )));
        self.college_signatures(&mut s, "Par le collège :");
        s
    }

    fn recipient(&self, provider: Uuid) -> Vec<String> {
        let mut lines = vec![self.name(provider)];
        if let Some(address) = self.addresses.get(&provider) {
            lines.extend(
                address
                    .split([',', '\n'])
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty()),
            );
        }
        lines
    }

    fn place_date(&self) -> String {
        format!(
            "{}, le {}",
            self.head.commune,
            date(centrale_domain::time::brussels_today(self.generated_at))
        )
    }

    fn decision_words(&self) -> String {
        self.order
            .award
            .as_ref()
            .map(|a| {
                format!(
                    "la décision {} n° {} du {}",
                    of_organ(a.college_decision.organ),
                    a.college_decision.reference,
                    date(a.college_decision.date)
                )
            })
            .unwrap_or_default()
    }

    /// Lettre de notification to the winner.
    fn notification_letter(&self) -> String {
        let o = self.order;
        let a = o.award.as_ref().expect("checked by not_yet");
        let mut s = String::new();
        letter_head(
            &mut s,
            &self.head,
            &self.recipient(a.provider_id),
            &self.place_date(),
            &format!(
                "Notification de l'attribution — {} (accord-cadre {})",
                o.title, self.framework.reference
            ),
        );
        para(&mut s, "Madame, Monsieur,");
        para(&mut s, &format!(
            "Nous avons l'honneur de vous notifier que, par {}, la commune de {} vous attribue la commande « {} », marché subséquent à l'accord-cadre {} conclu par la centrale d'achat « {} », pour un montant de {} sur la durée du contrat ({} mois).",
            self.decision_words(), self.head.commune, o.title, self.framework_line(), self.head.centrale, amounts(&a.amount), self.terms.contract_months
        ));
        if let Some(offer) = a.offer_id.and_then(|id| self.offer(id)) {
            para(&mut s, &format!(
                "La commande porte sur votre offre remise le {}, aux prix et conditions de celle-ci et de l'accord-cadre, avec un délai de mise en œuvre de {} jours.",
                date_time(offer.submitted_at), offer.lead_time_days
            ));
        }
        para(&mut s, &format!(
            "La présente notification conclut le marché. Le bon de commande vous sera adressé par la centrale d'achat « {} » ; il désignera le fonctionnaire dirigeant de la commune, votre interlocuteur pour l'exécution.",
            self.head.centrale
        ));
        para(&mut s, "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.");
        self.college_signatures(&mut s, "Par le collège :");
        s
    }

    /// Lettre d'information to a tenderer not chosen: the winner, its own scores and the
    /// winner's, the relative advantages of the winning offer, remedies and time limits (law
    /// of 17 June 2013).
    fn information_letter(&self, provider: Uuid) -> String {
        let o = self.order;
        let a = o.award.as_ref().expect("checked by not_yet");
        let mut s = String::new();
        letter_head(
            &mut s,
            &self.head,
            &self.recipient(provider),
            &self.place_date(),
            &format!(
                "Décision d'attribution — {} (accord-cadre {})",
                o.title, self.framework.reference
            ),
        );
        para(&mut s, "Madame, Monsieur,");
        para(&mut s, &format!(
            "Vous avez remis une offre pour la commande « {} », marché subséquent à l'accord-cadre {}. Nous vous informons que, par {}, la commune de {} a attribué ce marché à {}, pour un montant de {}. Votre offre n'a pas été retenue, pour les motifs suivants.",
            o.title, self.framework.reference, self.decision_words(), self.head.commune, self.name(a.provider_id), amounts(&a.amount)
        ));
        let set_aside = o.set_aside.iter().find(|x| x.provider_id == provider);
        let ranking = o.evaluation.as_ref().map(|e| &e.ranking);
        let own = ranking.and_then(|r| r.offers.iter().find(|x| x.provider_id == provider));
        let winner = ranking.and_then(|r| r.offers.iter().find(|x| x.provider_id == a.provider_id));
        if let Some(x) = set_aside {
            heading(&mut s, "Votre offre a été écartée");
            para(
                &mut s,
                &format!(
                    "Votre offre a été écartée le {} ({}) : {}",
                    date_time(x.at),
                    match x.ground {
                        SetAsideGround::Irregular => "offre irrégulière",
                        SetAsideGround::AbnormallyLow =>
                            "prix anormalement bas, après demande de justification",
                    },
                    x.motivation
                ),
            );
        } else if let (Some(own), Some(win)) = (own, winner) {
            heading(
                &mut s,
                "Les points de votre offre et ceux de l'offre retenue",
            );
            let _ = writeln!(s, "#table(columns: (1fr, auto, auto), align: (left, right, right),\n  table.header([*Critère*], [*Votre offre*], [*Offre retenue*]),");
            for c in &self.terms.award_criteria {
                let get = |x: &centrale_domain::evaluation::ScoredOffer| {
                    x.scores
                        .iter()
                        .find(|sc| sc.criterion_code == c.code)
                        .map(|sc| points(sc.points))
                        .unwrap_or_else(|| "—".into())
                };
                let _ = writeln!(
                    s,
                    "  {}, {}, {},",
                    crate::markup::content(&format!("{} (sur {})", c.label_fr, c.weight)),
                    crate::markup::content(&get(own)),
                    crate::markup::content(&get(win))
                );
            }
            let _ = writeln!(
                s,
                "  [*Total sur 100*], [*#{}*], [*#{}*],\n  [*Rang*], {}, {},\n)",
                lit(&points(own.total)),
                lit(&points(win.total)),
                crate::markup::content(&rank_fr(own.rank)),
                crate::markup::content(&rank_fr(win.rank))
            );
            heading(&mut s, "Avantages relatifs de l'offre retenue");
            let mut any = false;
            for c in &self.terms.award_criteria {
                let pts = |x: &centrale_domain::evaluation::ScoredOffer| {
                    x.scores
                        .iter()
                        .find(|sc| sc.criterion_code == c.code)
                        .map(|sc| sc.points)
                };
                if let (Some(mine), Some(theirs)) = (pts(own), pts(win)) {
                    if theirs > mine {
                        any = true;
                        let reason = o
                            .evaluation
                            .as_ref()
                            .and_then(|e| {
                                e.quality_scores.iter().find(|q| {
                                    Some(q.offer_id) == a.offer_id && q.criterion_code == c.code
                                })
                            })
                            .map(|q| {
                                format!(
                                    " Motif des points de l'offre retenue : {}",
                                    q.justification.trim()
                                )
                            })
                            .unwrap_or_default();
                        item(
                            &mut s,
                            &format!(
                                "{} : {} points contre {} pour votre offre.{}",
                                c.label_fr,
                                points(theirs),
                                points(mine),
                                reason
                            ),
                        );
                    }
                }
            }
            if !any {
                item(&mut s, "Les totaux pondérés sont égaux ; l'offre retenue a été départagée selon la règle de l'accord-cadre.");
            }
            let _ = writeln!(s);
            let yours: Vec<String> = o
                .evaluation
                .as_ref()
                .map(|e| {
                    e.quality_scores
                        .iter()
                        .filter(|q| {
                            self.offer(q.offer_id).map(|x| x.provider_id) == Some(provider)
                                && !q.justification.trim().is_empty()
                        })
                        .map(|q| q.justification.trim().to_string())
                        .collect()
                })
                .unwrap_or_default();
            if !yours.is_empty() {
                para(
                    &mut s,
                    &format!(
                        "Motifs des points de qualité de votre offre : {}",
                        yours.join(" ")
                    ),
                );
            }
        }
        para(&mut s, "Le rapport d'analyse des offres et la décision motivée peuvent être consultés sur demande auprès de l'administration communale.");
        heading(&mut s, "Voies de recours");
        para(&mut s, "Conformément à la loi du 17 juin 2013 relative à la motivation, à l'information et aux voies de recours en matière de marchés publics, vous pouvez introduire contre cette décision :");
        // The remedies and their time limits are the domain's (the portal and the e-mails
        // say the same).
        for remedy in centrale_domain::offer::REMEDIES {
            item(
                &mut s,
                &format!(
                    "{}, dans un délai de {} jours à compter de la notification de la présente décision ;",
                    remedy.label_fr(),
                    remedy.days()
                ),
            );
        }
        item(
            &mut s,
            "une action en dommages et intérêts devant le juge judiciaire.",
        );
        let _ = writeln!(s);
        para(&mut s, "Le Conseil d'État (rue de la Science 33, 1040 Bruxelles) reçoit les recours par la procédure électronique ou par lettre recommandée.");
        para(&mut s, "Nous vous remercions de votre participation et vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.");
        self.college_signatures(&mut s, "Par le collège :");
        s
    }

    /// Bon de commande: the centrale's act, with the commune's fonctionnaire dirigeant.
    fn purchase_order(&self) -> String {
        let o = self.order;
        let po = o.purchase_order.as_ref().expect("checked by not_yet");
        let a = o.award.as_ref();
        let mut s = String::new();
        let mut rows = vec![
            ("Bon de commande n°", po.reference.clone()),
            ("Émis le", date_time(po.issued_at)),
            (
                "Pour le compte de",
                format!("la commune de {}", self.head.commune),
            ),
            ("Accord-cadre", self.framework_line()),
        ];
        if let Some(a) = a {
            rows.push(("Adjudicataire", self.recipient(a.provider_id).join(", ")));
            rows.push(("Décision d'attribution", self.decision_words()));
        }
        if let Some(m) = &po.contract_manager {
            rows.push((
                "Fonctionnaire dirigeant",
                format!("{}, {}", m.name, m.quality),
            ));
        }
        if let Some(l) = &o.launch_decision {
            rows.push(("Article budgétaire", l.budget_article.clone()));
        }
        facts(&mut s, &rows);
        heading(&mut s, "Prestations commandées");
        if let Some(offer) = a.and_then(|a| a.offer_id).and_then(|id| self.offer(id)) {
            let _ = writeln!(s, "#table(columns: (1fr, auto, auto, auto, auto), align: (left, right, right, right, right),\n  table.header([*Poste*], [*Quantité*], [*Prix unitaire HTVA*], [*Montant HTVA*], [*Montant TVAC*]),");
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
                    crate::markup::content(&label),
                    crate::markup::content(
                        &line.quantity.normalize().to_string().replace('.', ",")
                    ),
                    crate::markup::content(&money(line.unit_price_cents)),
                    crate::markup::content(&money(line.amount.excl_vat)),
                    crate::markup::content(&money(line.amount.incl_vat))
                );
            }
            let _ = writeln!(
                s,
                "  table.cell(colspan: 3)[*Total sur la durée du contrat*], [*#{}*], [*#{}*],\n)",
                lit(&money(offer.total.excl_vat)),
                lit(&money(offer.total.incl_vat))
            );
            para(&mut s, &format!("Délai de mise en œuvre : {} jours à compter de la réception du présent bon de commande.", offer.lead_time_days));
        } else if let Some(a) = a {
            para(
                &mut s,
                &format!("Montant : {} sur la durée du contrat.", amounts(&a.amount)),
            );
        }
        if !o.needs.sites.is_empty() {
            para(
                &mut s,
                &format!("Lieux d'exécution : {}.", o.needs.sites.join(" ; ")),
            );
        }
        para(&mut s, "L'exécution est régie par l'accord-cadre, l'offre de l'adjudicataire et l'arrêté royal du 14 janvier 2013 établissant les règles générales d'exécution des marchés publics. Les factures sont adressées à la commune, avec la référence du présent bon de commande.");
        signatures(
            &mut s,
            "Pour la centrale d'achat, pour le compte de la commune :",
            &[Signer {
                name: po.issued_by.clone(),
                title: format!("pour {}", self.head.centrale),
                note: String::new(),
                signed: format!("Émis le {}", date_time(po.issued_at)),
            }],
        );
        s
    }

    /// Procès-verbal de réception provisoire ou définitive.
    fn acceptance(&self, acceptance: Option<&Acceptance>, last: bool) -> String {
        let o = self.order;
        let acc = acceptance.expect("checked by not_yet");
        let mut s = String::new();
        let mut rows = vec![
            ("Date de la réception", date(acc.date)),
            ("Accord-cadre", self.framework_line()),
        ];
        if let Some(a) = &o.award {
            rows.push(("Adjudicataire", self.name(a.provider_id)));
            rows.push(("Montant du marché", amounts(&a.amount)));
        }
        if let Some(po) = &o.purchase_order {
            rows.push((
                "Bon de commande",
                format!("n° {} du {}", po.reference, date_time(po.issued_at)),
            ));
            if let Some(m) = &po.contract_manager {
                rows.push((
                    "Fonctionnaire dirigeant",
                    format!("{}, {}", m.name, m.quality),
                ));
            }
        }
        if last {
            if let Some(p) = &o.provisional_acceptance {
                rows.push(("Réception provisoire", format!("du {}", date(p.date))));
            }
        }
        facts(&mut s, &rows);
        para(
            &mut s,
            &if last {
                format!(
                "Le {}, la commune de {} constate que les prestations de la commande « {} » ont été exécutées conformément au marché et que le délai de garantie est écoulé. Elle prononce la réception définitive (arrêté royal du 14 janvier 2013, art. 92).",
                date(acc.date), self.head.commune, o.title
            )
            } else {
                format!(
                "Le {}, la commune de {} constate que le service de la commande « {} » est mis en production et prononce la réception provisoire (arrêté royal du 14 janvier 2013, art. 92). Le délai de garantie prend cours à cette date.",
                date(acc.date), self.head.commune, o.title
            )
            },
        );
        para(
            &mut s,
            &format!(
                "Remarques : {}",
                if acc.remarks.trim().is_empty() {
                    "aucune."
                } else {
                    acc.remarks.trim()
                }
            ),
        );
        para(
            &mut s,
            &format!(
                "Réception enregistrée le {} par {}.",
                date_time(acc.recorded_at),
                acc.by
            ),
        );
        let mut people: Vec<Signer> = self.signatories.to_vec();
        if let Some(a) = &o.award {
            people.push(Signer {
                name: self.name(a.provider_id),
                title: "pour l'adjudicataire".into(),
                note: String::new(),
                signed: String::new(),
            });
        }
        signatures(
            &mut s,
            "Pour la commune, et pour l'adjudicataire :",
            &people,
        );
        s
    }
}
