//! What the portal may read for a provider: records whose visibility columns name this
//! provider — exactly what its desktop app could pull — plus the public catalogue.
//!
//! A record of another provider (an invitation, an offer, a milestone) is treated as absent,
//! so a page answers 404 for it and never reveals that it exists.

use centrale_domain::catalogue::{FrameworkAgreement, FrameworkTerms, Provider, Service};
use centrale_domain::commune::Commune;
use centrale_domain::deployment::Milestone;
use centrale_domain::offer::{Invitation, Offer};
use centrale_domain::order::PurchaseOrder;
use centrale_domain::pool::PooledCallOff;
use centrale_protocol::records::RecordKind;
use centrale_server_db::RecordRow;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use uuid::Uuid;

use super::error::PortalError;
use crate::state::AppState;

/// True when the row is live and visible to `provider` (the rule of a pull, for one provider).
fn visible(row: &RecordRow, provider: &str) -> bool {
    !row.deleted && (row.visibility.public || row.visibility.provider.as_deref() == Some(provider))
}

fn decode<T: DeserializeOwned>(row: RecordRow) -> Result<T, PortalError> {
    serde_json::from_value(row.body)
        .map_err(|e| PortalError::Internal(format!("stored {} {}: {e}", row.kind, row.id)))
}

async fn one<T: DeserializeOwned>(
    state: &AppState,
    provider: &str,
    kind: RecordKind,
    id: &str,
) -> Result<Option<T>, PortalError> {
    match state.db.get_record(kind.as_str(), id).await? {
        Some(row) if visible(&row, provider) => decode(row).map(Some),
        _ => Ok(None),
    }
}

async fn children<T: DeserializeOwned>(
    state: &AppState,
    provider: &str,
    kind: RecordKind,
    parent: &str,
) -> Result<Vec<T>, PortalError> {
    state
        .db
        .list_children(kind.as_str(), parent)
        .await?
        .into_iter()
        .filter(|row| visible(row, provider))
        .map(decode)
        .collect()
}

/// Every invitation addressed to `provider`: open ones first (nearest deadline first), then
/// the closed ones, most recent first.
pub async fn invitations(
    state: &AppState,
    provider: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>, PortalError> {
    let mut list: Vec<Invitation> = state
        .db
        .list_records_of_provider(RecordKind::Invitation.as_str(), provider)
        .await?
        .into_iter()
        .filter(|row| !row.visibility.public && visible(row, provider))
        .map(decode)
        .collect::<Result<_, _>>()?;
    list.sort_by_key(|i| {
        let open = i.deadline > now;
        (
            !open,
            if open {
                i.deadline.timestamp()
            } else {
                -i.deadline.timestamp()
            },
        )
    });
    Ok(list)
}

/// The frameworks `provider` is party to (in any version), by reference, with the names of
/// the registered providers (the public catalogue: every party holds the framework's terms,
/// its ranking included).
pub async fn frameworks_of(
    state: &AppState,
    provider: &str,
) -> Result<(Vec<FrameworkAgreement>, Vec<Provider>, Vec<Service>), PortalError> {
    let mut frameworks: Vec<FrameworkAgreement> = state
        .db
        .list_records(RecordKind::Framework.as_str())
        .await?
        .into_iter()
        .filter(|row| visible(row, provider))
        .map(decode)
        .collect::<Result<_, _>>()?;
    frameworks.retain(|f: &FrameworkAgreement| {
        f.versions.iter().any(|v| {
            v.providers
                .iter()
                .any(|p| p.provider_id.to_string() == provider)
        })
    });
    frameworks.sort_by(|a, b| a.reference.cmp(&b.reference));
    let providers: Vec<Provider> = state
        .db
        .list_records(RecordKind::Provider.as_str())
        .await?
        .into_iter()
        .filter(|row| visible(row, provider))
        .map(decode)
        .collect::<Result<_, _>>()?;
    // The catalogue's services, to name the solutions a sheet links to (issue 16 §1).
    let services: Vec<Service> = state
        .db
        .list_records(RecordKind::Service.as_str())
        .await?
        .into_iter()
        .filter(|row| visible(row, provider))
        .map(decode)
        .collect::<Result<_, _>>()?;
    Ok((frameworks, providers, services))
}

/// One invitation of `provider`, or `None` (absent, malformed id, or someone else's).
pub async fn invitation(
    state: &AppState,
    provider: &str,
    id: &str,
) -> Result<Option<Invitation>, PortalError> {
    if Uuid::parse_str(id).is_err() {
        return Ok(None);
    }
    let found: Option<Invitation> = one(state, provider, RecordKind::Invitation, id).await?;
    // Belt and braces: the body must name the provider too.
    Ok(found.filter(|i| i.provider_id.to_string() == provider))
}

/// A pooled call-off (issue 16 §4), or `None` (absent, or malformed id). Pools are public:
/// the caller shows one only to a provider it invited (`pool_invitations`).
pub async fn pool(
    state: &AppState,
    provider: &str,
    id: Uuid,
) -> Result<Option<PooledCallOff>, PortalError> {
    one(state, provider, RecordKind::PooledCallOff, &id.to_string()).await
}

/// This provider's invitations in `pool`: one per member still in the pool (the latest sent
/// for its order), in the order the communes joined. Empty when the provider was not invited.
pub async fn pool_invitations(
    state: &AppState,
    provider: &str,
    pool: &PooledCallOff,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>, PortalError> {
    let all = invitations(state, provider, now).await?;
    Ok(pool
        .active_members()
        .filter_map(|member| {
            all.iter()
                .filter(|i| {
                    i.pool_id == Some(pool.id)
                        && i.order_id == member.order_id
                        && i.provider_id.to_string() == provider
                })
                .max_by_key(|i| i.sent_at)
                .cloned()
        })
        .collect())
}

/// This provider's offer on this invitation, if it has submitted one.
pub async fn own_offer(
    state: &AppState,
    provider: &str,
    invitation: &Invitation,
) -> Result<Option<Offer>, PortalError> {
    let offers: Vec<Offer> = children(
        state,
        provider,
        RecordKind::Offer,
        &invitation.order_id.to_string(),
    )
    .await?;
    Ok(offers
        .into_iter()
        .find(|o| o.invitation_id == invitation.id && o.provider_id.to_string() == provider))
}

/// The deployment milestones of the order that this provider carries out, in order.
pub async fn milestones(
    state: &AppState,
    provider: &str,
    invitation: &Invitation,
) -> Result<Vec<Milestone>, PortalError> {
    let mut list: Vec<Milestone> = children(
        state,
        provider,
        RecordKind::Milestone,
        &invitation.order_id.to_string(),
    )
    .await?;
    list.retain(|m| m.provider_id.to_string() == provider);
    list.sort_by_key(|m| m.kind);
    Ok(list)
}

/// The purchase order of the order, with the fonctionnaire dirigeant it names (rule 16). Read
/// for the winner only: the caller has found milestones of its own on this order.
pub async fn purchase_order(
    state: &AppState,
    invitation: &Invitation,
) -> Result<Option<PurchaseOrder>, PortalError> {
    /// Only the purchase order of the stored order is read.
    #[derive(Deserialize)]
    struct Only {
        #[serde(default)]
        purchase_order: Option<PurchaseOrder>,
    }
    match state
        .db
        .get_record(RecordKind::Order.as_str(), &invitation.order_id.to_string())
        .await?
    {
        Some(row) => Ok(decode::<Only>(row)?.purchase_order),
        None => Ok(None),
    }
}

/// The intercommunale's accompaniment of the order (issue 16 §2), for the winner beside its
/// milestones: each service's name with its planned and delivered days — never its price, a
/// matter between the commune and the intercommunale. Read for the winner only (the caller has
/// found milestones of its own on this order); cancelled ones left out.
pub async fn accompaniment_dates(
    state: &AppState,
    invitation: &Invitation,
) -> Result<Vec<AccompanimentDates>, PortalError> {
    use centrale_domain::accompaniment::{AccompanimentOrder, AccompanimentStatus};
    // Filed under their commune on the server: the commune's, then this call-off's.
    let rows = state
        .db
        .list_children(
            RecordKind::AccompanimentOrder.as_str(),
            &invitation.commune_nis,
        )
        .await?;
    let mut out = Vec::new();
    for row in rows.into_iter().filter(|r| !r.deleted) {
        let order: AccompanimentOrder = decode(row)?;
        if order.status == AccompanimentStatus::Cancelled
            || order.call_off_id != Some(invitation.order_id)
        {
            continue;
        }
        out.extend(order.lines.into_iter().map(|l| AccompanimentDates {
            service: l.label_fr,
            planned_on: l.planned_on,
            delivered_on: l.delivered_on,
        }));
    }
    Ok(out)
}

/// One service of the intercommunale's accompaniment, as the winner reads it.
pub struct AccompanimentDates {
    /// Its name.
    pub service: String,
    /// The day planned, once the intercommunale planned it.
    pub planned_on: Option<chrono::NaiveDate>,
    /// The day it was delivered.
    pub delivered_on: Option<chrono::NaiveDate>,
}

/// What an invitation is about, from the public catalogue: the commune, the service and the
/// framework terms it is made under (ceilings, criteria).
#[derive(Debug, Clone)]
pub struct Context {
    /// The commune's name (its NIS code if unknown).
    pub commune_name: String,
    /// The service's name.
    pub service_name: String,
    /// The framework's reference, e.g. CA-2025-01.
    pub framework_reference: String,
    /// The terms of the version the order is made under.
    pub terms: Option<FrameworkTerms>,
}

/// The two links of an order the portal needs to find the catalogue entries. The rest of the
/// order (the commune's evaluation, the other offers' ranking) is never read here.
#[derive(Deserialize)]
struct OrderLinks {
    service_id: Uuid,
    framework_id: Uuid,
}

/// The catalogue context of an invitation.
pub async fn context(
    state: &AppState,
    provider: &str,
    invitation: &Invitation,
) -> Result<Context, PortalError> {
    let commune: Option<Commune> = one(
        state,
        provider,
        RecordKind::Commune,
        &invitation.commune_nis,
    )
    .await?;
    let links: Option<OrderLinks> = match state
        .db
        .get_record(RecordKind::Order.as_str(), &invitation.order_id.to_string())
        .await?
    {
        Some(row) => Some(decode(row)?),
        None => None,
    };
    let (mut service_name, mut framework_reference, mut terms) =
        (String::new(), String::new(), None);
    if let Some(links) = links {
        let service: Option<Service> = one(
            state,
            provider,
            RecordKind::Service,
            &links.service_id.to_string(),
        )
        .await?;
        let framework: Option<FrameworkAgreement> = one(
            state,
            provider,
            RecordKind::Framework,
            &links.framework_id.to_string(),
        )
        .await?;
        if let Some(s) = service {
            service_name = s.name_fr;
        }
        if let Some(f) = framework {
            framework_reference = f.reference.clone();
            terms = f.version(invitation.framework_version).cloned();
        }
    }
    Ok(Context {
        commune_name: commune.map_or_else(|| invitation.commune_nis.clone(), |c| c.name_fr),
        service_name,
        framework_reference,
        terms,
    })
}
