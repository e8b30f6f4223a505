//! What the centrale's catalogue management starts from: the registered providers and a
//! framework's terms in force, as the domain holds them (a new version is these terms changed).

use centrale_domain::catalogue::{FrameworkAgreement, FrameworkTerms, Provider};
use centrale_protocol::records::RecordKind;
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::catalogue::fold;
use super::live;
use crate::error::Result;

/// A registered provider as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderRow {
    /// The provider.
    pub provider: Provider,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// A framework's terms in force, with what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrameworkTermsInForce {
    /// The framework.
    pub framework_id: Uuid,
    /// Its service.
    pub service_id: Uuid,
    /// Reference, e.g. `CA-2025-01`.
    pub reference: String,
    /// How many versions were published.
    pub version_count: u32,
    /// The newest version.
    pub terms: FrameworkTerms,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// Every provider on this PC, by name.
pub(crate) fn providers(conn: &Connection) -> Result<Vec<ProviderRow>> {
    let mut rows: Vec<(String, ProviderRow)> =
        live::of_kind::<Provider>(conn, RecordKind::Provider, None)?
            .into_iter()
            .map(|p| {
                (
                    fold(&p.body.name),
                    ProviderRow {
                        provider: p.body,
                        pending: p.pending,
                    },
                )
            })
            .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

/// The terms in force of one framework; `None` when it is not on this PC or has no version.
pub(crate) fn framework_terms(
    conn: &Connection,
    framework_id: Uuid,
) -> Result<Option<FrameworkTermsInForce>> {
    let Some(live) =
        live::one::<FrameworkAgreement>(conn, RecordKind::Framework, &framework_id.to_string())?
    else {
        return Ok(None);
    };
    let framework = live.body;
    let version_count = u32::try_from(framework.versions.len()).unwrap_or(u32::MAX);
    let Some(terms) = framework.versions.last().cloned() else {
        return Ok(None);
    };
    Ok(Some(FrameworkTermsInForce {
        framework_id: framework.id,
        service_id: framework.service_id,
        reference: framework.reference,
        version_count,
        terms,
        pending: live.pending,
    }))
}
