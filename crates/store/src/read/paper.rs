//! The records a document of an order is made of (issue 12: the paper of a call-off, offline):
//! the domain's own types, as this PC holds them. The documents crate typesets them.

use std::collections::HashMap;

use centrale_domain::adhesion::{Adhesion, ConventionTemplate, Signature};
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
    /// The providers' postal addresses, for the letters.
    pub addresses: HashMap<Uuid, String>,
    /// The commune's signatories as they signed its adhesion (directeur général, then
    /// bourgmestre — or their substitutes, with their quality): the people who sign the
    /// commune's decisions and letters. Empty when no adhesion is signed on this PC.
    pub signatories: Vec<Signature>,
}

/// One adhesion and what its documents print.
#[derive(Debug, Clone)]
pub struct AdhesionPaper {
    /// The adhesion.
    pub adhesion: Adhesion,
    /// The convention version it is on.
    pub template: ConventionTemplate,
    /// The commune's French name (its code when the commune is not on this PC).
    pub commune_name: String,
}

fn commune_name(conn: &Connection, nis: &str) -> Result<String> {
    Ok(live::one::<Commune>(conn, RecordKind::Commune, nis)?
        .map(|c| c.body.name_fr)
        .unwrap_or_else(|| nis.to_string()))
}

/// The signatures of the commune's latest adhesion signed by both of its signatories.
fn signatories(conn: &Connection, commune_nis: &str) -> Result<Vec<Signature>> {
    let all = live::of_kind::<Adhesion>(conn, RecordKind::Adhesion, Some(commune_nis))?;
    Ok(all
        .into_iter()
        .rev()
        .find(|a| a.body.director_general_signature.is_some() && a.body.mayor_signature.is_some())
        .map(|a| {
            [a.body.director_general_signature, a.body.mayor_signature]
                .into_iter()
                .flatten()
                .collect()
        })
        .unwrap_or_default())
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
    let commune_name = commune_name(conn, &adhesion.commune_nis)?;
    Ok(Some(AdhesionPaper {
        adhesion,
        template,
        commune_name,
    }))
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
    let commune_name = commune_name(conn, &order.commune_nis)?;
    let signatories = signatories(conn, &order.commune_nis)?;
    let mut offers: Vec<Offer> = live::children::<Offer>(conn, RecordKind::Offer, &id)?
        .into_iter()
        .map(|l| l.body)
        .collect();
    offers.sort_by_key(|o| (o.submitted_at, o.id));
    let mut providers = ProviderNames::default();
    let mut addresses = HashMap::new();
    for (provider_id, provider) in names.providers {
        providers.insert(provider_id, provider.name);
        if !provider.address.trim().is_empty() {
            addresses.insert(provider_id, provider.address);
        }
    }
    Ok(Some(OrderPaper {
        order,
        framework,
        service_name,
        commune_name,
        offers,
        providers,
        addresses,
        signatories,
    }))
}
