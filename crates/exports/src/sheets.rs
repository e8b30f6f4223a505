//! The five exports and their columns, in the centrale's words. Each takes the read model of
//! the screen it is exported from, so the file says what the screen says: the orders
//! ([`OrderLine`]), the deployments ([`DeploymentRow`], one line per milestone), the communes
//! ([`CommuneRow`]) and the consumption of each framework ([`FrameworkValue`], computed by
//! the domain's `value::consumption`, one line per framework and commune), and which communes
//! use which solutions ([`FrameworkTracking`]'s awarded call-offs, computed by the domain's
//! `tracking::tracking`, one line per call-off).

use std::collections::HashMap;

use centrale_domain::accompaniment::AccompanimentStatus;
use centrale_domain::deployment::MilestoneStatus;
use centrale_domain::survey::{answer_text_fr, AnswerValue, Survey, SurveyResponse};
use centrale_domain::tracking::FrameworkTracking;
use centrale_store::read::{
    AccompanimentScreen, CommuneRow, DeploymentRow, FrameworkValue, OrderLine,
};
use chrono::NaiveDate;

use crate::table::{Cell, Table};

/// Which export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// Every order with its award and purchase order.
    Orders,
    /// Every milestone of the running deployments.
    Deployments,
    /// Every commune with its adhesion.
    Communes,
    /// What the awards consumed of each framework, per commune.
    Consumption,
    /// Which communes use which solutions: every awarded call-off (issue 16 point 5).
    Solutions,
    /// The intercommunale's accompaniment services, one line per service ordered, with the
    /// invoice (issue 16 §2).
    Accompaniment,
    /// The communes' answers to the needs surveys, one line per commune and question (issue
    /// 16 §3).
    SurveyAnswers,
}

impl Sheet {
    /// The French name, as the file is called.
    pub fn title_fr(self) -> &'static str {
        match self {
            Sheet::Orders => "Commandes",
            Sheet::Deployments => "Déploiements",
            Sheet::Communes => "Communes",
            Sheet::Consumption => "Consommation des accords-cadres",
            Sheet::Solutions => "Qui utilise quoi",
            Sheet::Accompaniment => "Accompagnement de l'intercommunale",
            Sheet::SurveyAnswers => "Réponses aux enquêtes",
        }
    }
}

/// A file name people can read and sort: `2026-12-14 Centrale - Commandes.csv`.
pub fn file_name(day: NaiveDate, sheet: Sheet) -> String {
    format!(
        "{} Centrale - {}.csv",
        day.format("%Y-%m-%d"),
        sheet.title_fr()
    )
}

/// The accompaniment services ordered (issue 16 §2), one line per service of each order, the
/// newest order first: what a commune's accounting and the centrale's invoicing read.
pub fn accompaniment(screen: &AccompanimentScreen) -> Table {
    let mut t = Table::new(vec![
        "Commune",
        "Code INS",
        "Accompagnement",
        "Commande accompagnée",
        "Statut",
        "Service",
        "Quantité",
        "Unité",
        "Prix unitaire HTVA (€)",
        "Montant HTVA (€)",
        "Montant TVAC (€)",
        "Prévu le",
        "Réalisé le",
        "Décision",
        "Facture",
        "Date de la facture",
        "Échéance",
    ]);
    for row in &screen.orders {
        let o = &row.order;
        for line in &o.lines {
            t.push(vec![
                Cell::text(row.commune_name.clone()),
                o.commune_nis.clone().into(),
                o.title.clone().into(),
                Cell::text(row.call_off_title.clone()),
                accompaniment_status_fr(o.status).into(),
                line.label_fr.clone().into(),
                Cell::Decimal(line.quantity),
                line.unit.label_fr().into(),
                Cell::Euros(line.unit_price_cents),
                Cell::Euros(line.amount.excl_vat),
                Cell::Euros(line.amount.incl_vat),
                line.planned_on.map_or(Cell::Empty, Cell::Date),
                line.delivered_on.map_or(Cell::Empty, Cell::Date),
                o.decision.reference.clone().into(),
                Cell::text(o.invoice.as_ref().map(|i| i.number.clone())),
                o.invoice
                    .as_ref()
                    .map_or(Cell::Empty, |i| Cell::Date(i.date)),
                o.invoice
                    .as_ref()
                    .map_or(Cell::Empty, |i| Cell::Date(i.due_date)),
            ]);
        }
    }
    t
}

/// The answers sent to each survey (issue 16 §3), one line per commune and question answered,
/// in the survey's order: what a spreadsheet filters per need (a choice per line would split a
/// commune's answer; the choices are joined by « ; » as the screen shows them). Numbers stay
/// numbers, to be summed.
pub fn survey_answers(
    surveys: &[(Survey, Vec<SurveyResponse>)],
    names: &HashMap<String, String>,
) -> Table {
    let mut t = Table::new(vec![
        "Enquête",
        "Clôture",
        "Commune",
        "Code INS",
        "Envoyé par",
        "Envoyé le",
        "Thème",
        "Question",
        "Réponse",
        "Nombre",
    ]);
    for (survey, responses) in surveys {
        let mut responses: Vec<&SurveyResponse> = responses.iter().collect();
        responses.sort_by_key(|r| names.get(&r.commune_nis).cloned().unwrap_or_default());
        for r in responses {
            for theme in &survey.themes {
                for q in &theme.questions {
                    let Some(a) = r.answers.iter().find(|a| a.question == q.code) else {
                        continue;
                    };
                    t.push(vec![
                        survey.title.clone().into(),
                        Cell::Date(survey.closes_on),
                        Cell::text(names.get(&r.commune_nis).cloned()),
                        r.commune_nis.clone().into(),
                        Cell::text(r.sent.as_ref().map(|s| format!("{}, {}", s.name, s.title))),
                        r.sent.as_ref().map_or(Cell::Empty, |s| Cell::Time(s.at)),
                        theme.title_fr.clone().into(),
                        q.text_fr.clone().into(),
                        answer_text_fr(q, &a.value).into(),
                        match a.value {
                            AnswerValue::Number(n) => Cell::Int(n),
                            _ => Cell::Empty,
                        },
                    ]);
                }
            }
        }
    }
    t
}

fn accompaniment_status_fr(status: AccompanimentStatus) -> &'static str {
    match status {
        AccompanimentStatus::Requested => "Demandé",
        AccompanimentStatus::Planned => "Planifié",
        AccompanimentStatus::Delivered => "Réalisé",
        AccompanimentStatus::Invoiced => "Facturé",
        AccompanimentStatus::Cancelled => "Annulé",
    }
}

/// The orders, newest first.
pub fn orders(lines: &[OrderLine]) -> Table {
    let mut t = Table::new(vec![
        "Commande",
        "Commune",
        "Code INS",
        "Service",
        "Accord-cadre",
        "Version de l'accord-cadre",
        "Statut",
        "Créée le",
        "Envoyée à la centrale le",
        "Date limite des offres",
        "Offres ouvertes le",
        "Offres reçues",
        "Adjudicataire",
        "Commande directe",
        "Attribuée le",
        "Montant attribué HTVA (€)",
        "TVA (€)",
        "Montant attribué TVAC (€)",
        "Bon de commande",
        "Bon de commande émis le",
        "Identifiant",
    ]);
    for o in lines {
        let amount = |f: fn(&centrale_domain::money::Amount) -> centrale_domain::money::Cents| {
            o.awarded
                .as_ref()
                .map_or(Cell::Empty, |a| Cell::Euros(f(a)))
        };
        let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or(Cell::Empty, Cell::Time);
        t.push(vec![
            o.title.clone().into(),
            Cell::text(o.commune_name.clone()),
            o.commune_nis.clone().into(),
            Cell::text(o.service_name.clone()),
            Cell::text(o.framework_reference.clone()),
            Cell::Int(i64::from(o.framework_version)),
            o.status.label_fr().into(),
            Cell::Time(o.created_at),
            time(o.submitted_at),
            time(o.deadline),
            time(o.opened_at),
            o.offers_received
                .map_or(Cell::Empty, |n| Cell::Int(i64::from(n))),
            Cell::text(o.winner.clone()),
            if o.awarded.is_some() {
                Cell::yes(o.direct_award)
            } else {
                Cell::Empty
            },
            time(o.awarded_at),
            amount(|a| a.excl_vat),
            amount(|a| a.vat),
            amount(|a| a.incl_vat),
            Cell::text(o.purchase_order.clone()),
            time(o.purchase_order_at),
            o.id.to_string().into(),
        ]);
    }
    t
}

/// The running deployments, one line per milestone in deployment order; `communes` names the
/// communes by NIS code.
pub fn deployments(
    rows: &[DeploymentRow],
    communes: &HashMap<String, String>,
    today: NaiveDate,
) -> Table {
    let mut t = Table::new(vec![
        "Commande",
        "Commune",
        "Code INS",
        "Service",
        "Prestataire",
        "Statut de la commande",
        "Étape",
        "Date prévue",
        "Date prévue au départ",
        "Date réelle",
        "État",
        "Jours de retard",
        "Remarques",
    ]);
    for d in rows {
        for m in &d.milestones {
            let (state, late_days) = match m.status {
                MilestoneStatus::Done => ("réalisée", Cell::Empty),
                MilestoneStatus::Planned => ("prévue", Cell::Empty),
                MilestoneStatus::Late => {
                    ("en retard", Cell::Int((today - m.planned_date).num_days()))
                }
            };
            t.push(vec![
                d.title.clone().into(),
                Cell::text(communes.get(&d.commune_nis).cloned()),
                d.commune_nis.clone().into(),
                Cell::text(d.service_name.clone()),
                Cell::text(d.provider_name.clone()),
                d.status.label_fr().into(),
                m.kind.label_fr().into(),
                Cell::Date(m.planned_date),
                Cell::Date(m.baseline_date),
                m.actual_date.map_or(Cell::Empty, Cell::Date),
                state.into(),
                late_days,
                m.notes.clone().into(),
            ]);
        }
    }
    t
}

/// The communes, by name, with their adhesion.
pub fn communes(rows: &[CommuneRow]) -> Table {
    let mut t = Table::new(vec![
        "Code INS",
        "Commune",
        "Gemeente",
        "Arrondissement",
        "Code postal",
        "Habitants",
        "Population au",
        "Code en vigueur",
        "Reprise par (fusion)",
        "Adhésion à la centrale",
    ]);
    for c in rows {
        t.push(vec![
            c.nis_code.clone().into(),
            c.name_fr.clone().into(),
            c.name_nl.clone().into(),
            c.arrondissement_fr.clone().into(),
            c.main_postal_code.clone().into(),
            Cell::Int(i64::from(c.population)),
            Cell::Date(c.population_date),
            Cell::yes(c.current),
            Cell::text(c.successor.clone()),
            c.adhesion_status.map_or("aucune", |s| s.label_fr()).into(),
        ]);
    }
    t
}

/// Each framework's maximum value and what the awards consumed of it, one line per commune
/// that consumed it (a framework without any award: one line without commune).
pub fn consumption(values: &[FrameworkValue]) -> Table {
    let mut t = Table::new(vec![
        "Accord-cadre",
        "Service",
        "Valeur maximale HTVA (€)",
        "Consommé HTVA, toutes communes (€)",
        "Restant HTVA (€)",
        "Consommé (%)",
        "Commune",
        "Code INS",
        "Commandes attribuées",
        "Consommé par la commune HTVA (€)",
        "Consommé par la commune TVAC (€)",
    ]);
    for f in values {
        let head = vec![
            f.reference.clone().into(),
            Cell::text(f.service_name.clone()),
            f.maximum.map_or(Cell::Empty, Cell::Euros),
            Cell::Euros(f.consumed.excl_vat),
            f.remaining.map_or(Cell::Empty, Cell::Euros),
            f.consumed_percent.map_or(Cell::Empty, Cell::Decimal),
        ];
        if f.communes.is_empty() {
            t.push(head);
            continue;
        }
        for c in &f.communes {
            let mut row = head.clone();
            row.extend([
                Cell::text(c.commune_name.clone()),
                c.commune_nis.clone().into(),
                Cell::Int(i64::from(c.orders)),
                Cell::Euros(c.consumed.excl_vat),
                Cell::Euros(c.consumed.incl_vat),
            ]);
            t.push(row);
        }
    }
    t
}

/// Which communes use which solutions (issue 16 point 5): every awarded call-off, by service
/// then commune, with the provider retained, the framework, the amount and its state.
pub fn solutions(tracking: &FrameworkTracking) -> Table {
    let mut t = Table::new(vec![
        "Service",
        "Commune",
        "Code INS",
        "Solution (prestataire retenu)",
        "Accord-cadre",
        "Commande",
        "Montant attribué HTVA (€)",
        "Montant attribué TVAC (€)",
        "Statut",
        "Attribuée le",
    ]);
    for s in &tracking.solutions {
        t.push(vec![
            Cell::text(s.service_name.clone()),
            Cell::text(s.commune_name.clone()),
            s.commune_nis.clone().into(),
            Cell::text(s.provider_name.clone()),
            Cell::text(s.framework_reference.clone()),
            s.title.clone().into(),
            Cell::Euros(s.amount.excl_vat),
            Cell::Euros(s.amount.incl_vat),
            s.status.label_fr().into(),
            Cell::Time(s.awarded_at),
        ]);
    }
    t
}
