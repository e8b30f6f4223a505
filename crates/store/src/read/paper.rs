//! The records a document of an order is made of (issue 12: the paper of a call-off, offline),
//! as this PC holds them. What the documents print is assembled by the domain
//! (`centrale_domain::paper`), the same function the server calls: this module only loads.

use centrale_domain::adhesion::{Adhesion, ConventionTemplate};
use centrale_domain::catalogue::{FrameworkAgreement, Service};
use centrale_domain::commune::Commune;
use centrale_domain::offer::Offer;
use centrale_domain::order::Order;
use centrale_domain::paper::OrderRecords;
pub use centrale_domain::paper::{AdhesionPaper, OrderPaper};
use centrale_protocol::records::RecordKind;
use rusqlite::Connection;
use uuid::Uuid;

use super::live;
use crate::error::Result;

fn commune(conn: &Connection, nis: &str) -> Result<Option<Commune>> {
    Ok(live::one::<Commune>(conn, RecordKind::Commune, nis)?.map(|c| c.body))
}

/// The adhesion `adhesion_id` with its convention text; `None` when either is not on this PC.
pub(crate) fn adhesion_paper(
    conn: &Connection,
    adhesion_id: Uuid,
) -> Result<Option<AdhesionPaper>> {
    let Some(adhesion) =
        live::one::<Adhesion>(conn, RecordKind::Adhesion, &adhesion_id.to_string())?
            .map(|l| l.body)
    else {
        return Ok(None);
    };
    let Some(template) = live::one::<ConventionTemplate>(
        conn,
        RecordKind::ConventionTemplate,
        &adhesion.template_id.to_string(),
    )?
    .map(|l| l.body) else {
        return Ok(None);
    };
    let commune = commune(conn, &adhesion.commune_nis)?;
    Ok(AdhesionPaper::assemble(
        adhesion,
        template,
        commune.as_ref(),
    ))
}

/// The order `order_id` with its framework, offers and names; `None` when the order or its
/// framework is not on this PC.
pub(crate) fn order_paper(conn: &Connection, order_id: Uuid) -> Result<Option<OrderPaper>> {
    let id = order_id.to_string();
    let Some(order) = live::one::<Order>(conn, RecordKind::Order, &id)?.map(|l| l.body) else {
        return Ok(None);
    };
    let Some(framework) = live::one::<FrameworkAgreement>(
        conn,
        RecordKind::Framework,
        &order.framework_id.to_string(),
    )?
    .map(|l| l.body) else {
        return Ok(None);
    };
    let service_name =
        live::one::<Service>(conn, RecordKind::Service, &order.service_id.to_string())?
            .map(|s| s.body.name_fr);
    let commune = commune(conn, &order.commune_nis)?;
    let adhesions =
        live::of_kind::<Adhesion>(conn, RecordKind::Adhesion, Some(order.commune_nis.as_str()))?
            .into_iter()
            .map(|l| l.body)
            .collect();
    let offers = live::children::<Offer>(conn, RecordKind::Offer, &id)?
        .into_iter()
        .map(|l| l.body)
        .collect();
    let providers = live::providers(conn)?.into_values().collect();
    let services = live::services(conn)?.into_iter().map(|l| l.body).collect();
    Ok(Some(OrderPaper::assemble(OrderRecords {
        order,
        framework,
        service_name,
        commune,
        adhesions,
        offers,
        providers,
        services,
    })))
}
