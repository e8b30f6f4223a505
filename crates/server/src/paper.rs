//! The paper of a call-off on the server (issue 12 §1): the records a document prints, loaded
//! from the server's database. What the documents print is assembled by the domain
//! (`centrale_domain::paper`, the same function the commune's PC calls on its cache) and
//! typeset by `centrale-documents`, with the server's `centrale_name`: same records, same
//! document on both sides.

use centrale_documents::{AdhesionDocuments, OrderDocuments};
use centrale_domain::adhesion::{Adhesion, ConventionTemplate};
use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::commune::Commune;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::Order;
use centrale_domain::paper::{AdhesionPaper, OrderPaper, OrderRecords};
use centrale_protocol::records::RecordKind;
use centrale_server_db::{Database, DbError, RecordRow};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::state::AppState;

fn decode<T: DeserializeOwned>(row: RecordRow) -> Result<T, DbError> {
    serde_json::from_value(row.body)
        .map_err(|e| DbError::Corrupt(format!("stored {} {}: {e}", row.kind, row.id)))
}

async fn one<T: DeserializeOwned>(
    db: &Database,
    kind: RecordKind,
    id: &str,
) -> Result<Option<T>, DbError> {
    match db.get_record(kind.as_str(), id).await? {
        Some(row) if !row.deleted => decode(row).map(Some),
        _ => Ok(None),
    }
}

async fn children<T: DeserializeOwned>(
    db: &Database,
    kind: RecordKind,
    parent: &str,
) -> Result<Vec<T>, DbError> {
    db.list_children(kind.as_str(), parent)
        .await?
        .into_iter()
        .filter(|row| !row.deleted)
        .map(decode)
        .collect()
}

/// The order `order_id` (live) as stored; `None` when absent.
pub async fn order(db: &Database, order_id: Uuid) -> Result<Option<Order>, DbError> {
    one(db, RecordKind::Order, &order_id.to_string()).await
}

/// The live invitations of an order.
pub async fn invitations(db: &Database, order_id: Uuid) -> Result<Vec<Invitation>, DbError> {
    children(db, RecordKind::Invitation, &order_id.to_string()).await
}

/// What the documents of `order` print; `None` when its framework is not stored.
pub async fn order_paper(db: &Database, order: Order) -> Result<Option<OrderPaper>, DbError> {
    let Some(framework) =
        one::<FrameworkAgreement>(db, RecordKind::Framework, &order.framework_id.to_string())
            .await?
    else {
        return Ok(None);
    };
    let service_name = one::<Service>(db, RecordKind::Service, &order.service_id.to_string())
        .await?
        .map(|s| s.name_fr);
    let commune = one::<Commune>(db, RecordKind::Commune, &order.commune_nis).await?;
    // The commune's own adhesions (filed under it, a merger moves them), not every commune's.
    let adhesions: Vec<Adhesion> = children(db, RecordKind::Adhesion, &order.commune_nis).await?;
    // Offers are read only once opened: before, they stay sealed in the database.
    let offers: Vec<Offer> = if order.opened_at.is_some() {
        children(db, RecordKind::Offer, &order.id.to_string()).await?
    } else {
        Vec::new()
    };
    // The providers the paper can name: the framework's parties (every version) and the
    // offers' authors — read one by one, not the whole register.
    let mut named: std::collections::BTreeSet<Uuid> = framework
        .versions
        .iter()
        .flat_map(|v| v.providers.iter().map(|p| p.provider_id))
        .collect();
    named.extend(offers.iter().map(|o| o.provider_id));
    // And the solutions the pinned version's interoperability sheets link to (issue 16 §1).
    let linked: Vec<centrale_domain::interoperability::Solution> = framework
        .version(order.framework_version)
        .into_iter()
        .flat_map(|t| t.interoperability.iter())
        .flat_map(|s| s.works_with.iter().map(|l| l.with))
        .collect();
    named.extend(linked.iter().map(|l| l.provider_id));
    let service_ids: std::collections::BTreeSet<Uuid> =
        linked.iter().map(|l| l.service_id).collect();
    let mut services = Vec::with_capacity(service_ids.len());
    for id in service_ids {
        if let Some(s) = one::<Service>(db, RecordKind::Service, &id.to_string()).await? {
            services.push(s);
        }
    }
    let mut providers: Vec<Provider> = Vec::with_capacity(named.len());
    for id in named {
        if let Some(p) = one::<Provider>(db, RecordKind::Provider, &id.to_string()).await? {
            providers.push(p);
        }
    }
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

/// The documents of `order`, from this server's intercommunale, produced at `at`.
pub async fn order_documents(
    state: &AppState,
    order: Order,
    at: DateTime<Utc>,
) -> Result<Option<OrderDocuments>, DbError> {
    Ok(order_paper(&state.db, order)
        .await?
        .map(|paper| OrderDocuments::new(paper, &state.settings.centrale_name, at)))
}

/// The adhesion `adhesion_id` (live) with its convention text; `None` when either is absent.
pub async fn adhesion_paper(
    db: &Database,
    adhesion_id: Uuid,
) -> Result<Option<AdhesionPaper>, DbError> {
    let Some(adhesion) =
        one::<Adhesion>(db, RecordKind::Adhesion, &adhesion_id.to_string()).await?
    else {
        return Ok(None);
    };
    let Some(template) = one::<ConventionTemplate>(
        db,
        RecordKind::ConventionTemplate,
        &adhesion.template_id.to_string(),
    )
    .await?
    else {
        return Ok(None);
    };
    let commune = one::<Commune>(db, RecordKind::Commune, &adhesion.commune_nis).await?;
    Ok(AdhesionPaper::assemble(
        adhesion,
        template,
        commune.as_ref(),
    ))
}

/// The documents of the adhesion `adhesion_id`, from this server's intercommunale.
pub async fn adhesion_documents(
    state: &AppState,
    adhesion_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<AdhesionDocuments>, DbError> {
    Ok(adhesion_paper(&state.db, adhesion_id)
        .await?
        .map(|paper| AdhesionDocuments::new(paper, &state.settings.centrale_name, at)))
}
