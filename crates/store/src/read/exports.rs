//! The orders as the CSV export lists them (issue 12 §3): one line per order with what a
//! spreadsheet needs beside the screen's list — the commune's name, the framework, the
//! competition's dates, the award (winner, amount, date) and the purchase order. Formatting is
//! `centrale-exports`' job; this is the read.

use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::commune::Commune;
use centrale_domain::money::Amount;
use centrale_domain::order::{Order, OrderStatus};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live::{self, Names};
use crate::error::Result;

/// One order, for the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    /// Order id.
    pub id: Uuid,
    /// Short title.
    pub title: String,
    /// The commune's NIS code.
    pub commune_nis: String,
    /// Its French name, when on this PC.
    pub commune_name: Option<String>,
    /// The service, when on this PC.
    pub service_name: Option<String>,
    /// The framework's reference, when on this PC.
    pub framework_reference: Option<String>,
    /// The framework version the order is made under.
    pub framework_version: u32,
    /// Where it stands.
    pub status: OrderStatus,
    /// Created (server time).
    pub created_at: DateTime<Utc>,
    /// Sent to the centrale.
    pub submitted_at: Option<DateTime<Utc>>,
    /// Deadline for offers, when put out to competition.
    pub deadline: Option<DateTime<Utc>>,
    /// When the offers were opened.
    pub opened_at: Option<DateTime<Utc>>,
    /// Offers opened (known from the opening on).
    pub offers_received: Option<u32>,
    /// The winner's name, once awarded.
    pub winner: Option<String>,
    /// True for a direct award (no competition).
    pub direct_award: bool,
    /// When awarded.
    pub awarded_at: Option<DateTime<Utc>>,
    /// The amount awarded (what the award consumes of the framework).
    pub awarded: Option<Amount>,
    /// The purchase order's reference.
    pub purchase_order: Option<String>,
    /// When it was issued.
    pub purchase_order_at: Option<DateTime<Utc>>,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// Every order of the account's scope (the commune's own; every commune's for the centrale),
/// newest first, as [`super::orders::list`] orders them.
pub(crate) fn order_lines(conn: &Connection) -> Result<Vec<OrderLine>> {
    let scope = live::commune_scope(conn)?;
    let names = Names::load(conn)?;
    let communes: std::collections::HashMap<String, String> =
        live::of_kind::<Commune>(conn, RecordKind::Commune, None)?
            .into_iter()
            .map(|c| (c.body.nis_code.to_string(), c.body.name_fr))
            .collect();
    let frameworks: std::collections::HashMap<Uuid, String> =
        live::of_kind::<FrameworkAgreement>(conn, RecordKind::Framework, None)?
            .into_iter()
            .map(|f| (f.body.id, f.body.reference))
            .collect();
    let mut lines: Vec<OrderLine> =
        live::of_kind::<Order>(conn, RecordKind::Order, scope.as_deref())?
            .into_iter()
            .map(|o| {
                let pending = o.pending;
                let o = o.body;
                OrderLine {
                    commune_name: communes.get(&o.commune_nis).cloned(),
                    service_name: names.service(o.service_id),
                    framework_reference: frameworks.get(&o.framework_id).cloned(),
                    framework_version: o.framework_version,
                    status: o.status,
                    created_at: o.created_at,
                    submitted_at: o.submitted_at,
                    deadline: o.competition.as_ref().map(|c| c.deadline),
                    opened_at: o.opened_at,
                    offers_received: o.offers_received,
                    winner: o.award.as_ref().map(|a| {
                        names
                            .provider(a.provider_id)
                            .unwrap_or_else(|| a.provider_id.to_string())
                    }),
                    direct_award: o.award.as_ref().is_some_and(|a| a.direct),
                    awarded_at: o.award.as_ref().map(|a| a.awarded_at),
                    awarded: o.award.as_ref().map(|a| a.amount),
                    purchase_order: o.purchase_order.as_ref().map(|p| p.reference.clone()),
                    purchase_order_at: o.purchase_order.as_ref().map(|p| p.issued_at),
                    id: o.id,
                    title: o.title,
                    commune_nis: o.commune_nis,
                    pending,
                }
            })
            .collect();
    lines.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    Ok(lines)
}
