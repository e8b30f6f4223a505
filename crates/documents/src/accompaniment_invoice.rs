//! The invoice of the intercommunale's accompaniment services to a commune (issue 16 §2):
//! its number and dates, the lines at the price list's prices (HTVA, VAT, TVAC), the commune's
//! decision that ordered them, the call-off they accompanied, the due date, and the legal basis
//! (in-house services, outside a competition: `centrale_domain::accompaniment`).

use std::fmt::Write as _;

use centrale_domain::accompaniment::{AccompanimentOrder, AccompanimentUnit, LEGAL_BASIS_FR};
use chrono::{DateTime, Utc};

use crate::layout::{of_organ, Doc, Letterhead};
use crate::markup::{content, date, lit, money};
use crate::typeset::{render, Rendered};
use crate::DocumentError;

/// The title of the document.
pub const INVOICE_TITLE: &str = "Facture — services d'accompagnement";

/// What the invoice prints.
pub struct AccompanimentInvoiceDoc<'a> {
    /// The intercommunale, as it signs its documents.
    pub centrale_name: &'a str,
    /// The commune's French name.
    pub commune_name: &'a str,
    /// The accompaniment order, invoiced.
    pub order: &'a AccompanimentOrder,
    /// The title of the call-off it accompanied, when one.
    pub call_off_title: Option<&'a str>,
    /// When the PDF is produced.
    pub generated_at: DateTime<Utc>,
}

fn quantity_fr(q: rust_decimal::Decimal, unit: AccompanimentUnit) -> String {
    let n = q.normalize().to_string().replace('.', ",");
    // French: « 1,5 jour », « 2 jours ».
    let plural = q >= rust_decimal::Decimal::TWO;
    match (unit, plural) {
        (AccompanimentUnit::Package, false) => format!("{n} forfait"),
        (AccompanimentUnit::Package, true) => format!("{n} forfaits"),
        (AccompanimentUnit::Day, false) => format!("{n} jour"),
        (AccompanimentUnit::Day, true) => format!("{n} jours"),
    }
}

impl AccompanimentInvoiceDoc<'_> {
    fn letterhead(&self) -> Letterhead {
        Letterhead {
            centrale: self.centrale_name.to_string(),
            commune: self.commune_name.to_string(),
        }
    }

    /// The invoice as a document; refused before the invoice is issued.
    pub fn doc(&self) -> Result<Doc, DocumentError> {
        let order = self.order;
        let invoice = order.invoice.as_ref().ok_or(DocumentError::NotYet(
            "cet accompagnement n'est pas encore facturé : la facture suit la réalisation de tous ses services.",
        ))?;
        // Short cells read better unjustified.
        let mut s = String::from("#set par(justify: false)\n");
        let _ = writeln!(
            s,
            "#facts(\n  [*Facture n°*], {number},\n  [*Date*], {date},\n  [*Échéance*], {due},\n  [*Émise par*], {centrale},\n  [*Adressée à*], {commune},\n  [*Objet*], {title},\n)",
            number = content(&invoice.number),
            date = content(&date(invoice.date)),
            due = content(&format!(
                "{} (trente jours à compter de la date de la facture)",
                date(invoice.due_date)
            )),
            centrale = content(self.centrale_name),
            commune = content(&format!("Administration communale de {}", self.commune_name)),
            title = content(&order.title),
        );
        let _ = writeln!(s, "= Services réalisés");
        let _ = writeln!(
            s,
            "#table(columns: (1fr, auto, auto, auto, auto, auto), align: (left, right, right, right, right, right),\n  table.header([*Service*], [*Quantité*], [*Prix unitaire HTVA*], [*Réalisé le*], [*Montant HTVA*], [*Montant TVAC*]),"
        );
        for line in &order.lines {
            let _ = writeln!(
                s,
                "  {}, {}, {}, {}, {}, {},",
                content(&line.label_fr),
                content(&quantity_fr(line.quantity, line.unit)),
                content(&money(line.unit_price_cents)),
                content(&line.delivered_on.map(date).unwrap_or_default()),
                content(&money(line.amount.excl_vat)),
                content(&money(line.amount.incl_vat)),
            );
        }
        let _ = writeln!(
            s,
            "  table.cell(colspan: 4)[*Total HTVA*], [*#{}*], [],\n  table.cell(colspan: 4)[TVA], [#{}], [],\n  table.cell(colspan: 5)[*Total à payer TVAC*], [*#{}*],\n)",
            lit(&money(order.total.excl_vat)),
            lit(&money(order.total.vat)),
            lit(&money(order.total.incl_vat)),
        );
        let _ = writeln!(s, "= Commande");
        let mut ordered = format!(
            "Commandé le {} par {}, sur décision {} n° {} du {}",
            date(centrale_domain::time::brussels_today(order.ordered_at)),
            order.ordered_by,
            of_organ(order.decision.organ),
            order.decision.reference,
            date(order.decision.date),
        );
        if let Some(opinion) = &order.decision.financial_opinion {
            let _ = write!(
                ordered,
                ", après l'avis du directeur financier n° {} du {}",
                opinion.reference,
                date(opinion.date)
            );
        }
        ordered.push_str(&format!(
            ", aux prix de la liste de l'intercommunale (version {}).",
            order.price_list_version
        ));
        let _ = writeln!(s, "#{}\n", lit(&ordered));
        if let Some(call_off) = self.call_off_title {
            let _ = writeln!(
                s,
                "#{}\n",
                lit(&format!("Accompagne la commande « {call_off} »."))
            );
        }
        let _ = writeln!(s, "= Base juridique");
        let _ = writeln!(s, "#{}\n", lit(LEGAL_BASIS_FR));
        Ok(Doc {
            title: INVOICE_TITLE.to_string(),
            subtitle: invoice.number.clone(),
            reference: format!("{} — {}", invoice.number, order.title),
            body: s,
        })
    }

    /// The typst source.
    pub fn source(&self) -> Result<String, DocumentError> {
        Ok(self.doc()?.source(&self.letterhead()))
    }

    /// The PDF.
    pub fn pdf(&self) -> Result<Rendered, DocumentError> {
        render(self.source()?, self.generated_at)
    }

    /// `2026-12-15 Bertrix - Facture ACC-2026-0001 - <title>.pdf`.
    pub fn file_name(&self) -> String {
        let number = self
            .order
            .invoice
            .as_ref()
            .map_or_else(String::new, |i| i.number.clone());
        crate::papers::file_name(
            centrale_domain::time::brussels_today(self.generated_at),
            self.commune_name,
            &format!("Facture {number}"),
            &self.order.title,
        )
    }
}
