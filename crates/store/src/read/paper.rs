//! The records a document of an order is made of (issue 12: the paper of a call-off, offline):
//! the domain's own types, as this PC holds them. The documents crate typesets them.

use centrale_domain::catalogue::{FrameworkAgreement, ProviderNames, Service};
use centrale_domain::commune::Commune;
use centrale_domain::offer::Offer;
use centrale_domain::order::Order;
use centrale_protocol::records::RecordKind;
use rusqlite::Connection;
use uuid::Uuid;

use super::live::{self, Names};
use crate::error::Result;

/// One order and what its documents print.
#[derive(Debug, Clone)]
pub struct OrderPaper {
    /// The order.
    pub order: Order,
    /// Its framework agreement (every version; the order names its own).
    pub framework: FrameworkAgreement,
    /// The service's French name.
    pub service_name: String,
    /// The commune's French name (its code when the commune is not on this PC).
    pub commune_name: String,
    /// The opened offers (none before the opening: sealed offers never reach a commune's PC).
    pub offers: Vec<Offer>,
    /// The providers' names.
    pub providers: ProviderNames,
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
    let names = Names::load(conn)?;
    let service_name =
        live::one::<Service>(conn, RecordKind::Service, &order.service_id.to_string())?
            .map(|s| s.body.name_fr)
            .or_else(|| names.service(order.service_id))
            .unwrap_or_else(|| framework.title_fr.clone());
    let commune_name = live::one::<Commune>(conn, RecordKind::Commune, &order.commune_nis)?
        .map(|c| c.body.name_fr)
        .unwrap_or_else(|| order.commune_nis.clone());
    let mut offers: Vec<Offer> = live::children::<Offer>(conn, RecordKind::Offer, &id)?
        .into_iter()
        .map(|l| l.body)
        .collect();
    offers.sort_by_key(|o| (o.submitted_at, o.id));
    let mut providers = ProviderNames::default();
    for (provider_id, provider) in names.providers {
        providers.insert(provider_id, provider.name);
    }
    Ok(Some(OrderPaper {
        order,
        framework,
        service_name,
        commune_name,
        offers,
        providers,
    }))
}
