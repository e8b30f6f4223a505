//! Live records as the screens see them: decoded bodies with their `pending` flag, the
//! signed-in account's scope, and the names screens show beside ids.

use std::collections::HashMap;

use centrale_domain::catalogue::{Provider, Service};
use centrale_protocol::records::RecordKind;
use centrale_protocol::Me;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use uuid::Uuid;

use crate::error::Result;

/// A live record decoded as `T`, and whether it carries a change not yet accepted.
pub(crate) struct Live<T> {
    pub(crate) body: T,
    pub(crate) pending: bool,
}

fn decode<T: DeserializeOwned>(row: &Row<'_>) -> Result<Live<T>> {
    let text = row
        .get_ref(0)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))?;
    Ok(Live {
        body: serde_json::from_str(text)?,
        pending: row.get(1)?,
    })
}

/// Every live record of `kind`, of one commune when `commune` is given, in id order (the
/// creation order of UUID v7 ids).
pub(crate) fn of_kind<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    commune: Option<&str>,
) -> Result<Vec<Live<T>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body, pending FROM live_record
         WHERE kind = ?1 AND (?2 IS NULL OR commune_nis = ?2) ORDER BY id",
    )?;
    let mut rows = stmt.query(params![kind.as_str(), commune])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// Every live record of `kind` filed under `parent`, in id order.
pub(crate) fn children<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    parent: &str,
) -> Result<Vec<Live<T>>> {
    // `+id`: sorting the few children beats walking every record of the kind in key order,
    // which SQLite would otherwise choose to avoid the sort.
    let mut stmt = conn.prepare_cached(
        "SELECT body, pending FROM live_record WHERE kind = ?1 AND parent_id = ?2 ORDER BY +id",
    )?;
    let mut rows = stmt.query(params![kind.as_str(), parent])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// One live record, if it is on this PC.
pub(crate) fn one<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> Result<Option<Live<T>>> {
    let mut stmt =
        conn.prepare_cached("SELECT body, pending FROM live_record WHERE kind = ?1 AND id = ?2")?;
    let text = stmt
        .query_row(params![kind.as_str(), id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
        })
        .optional()?;
    match text {
        Some((body, pending)) => Ok(Some(Live {
            body: serde_json::from_str(&body)?,
            pending,
        })),
        None => Ok(None),
    }
}

/// The account signed in on this PC.
pub(crate) fn session(conn: &Connection) -> Result<Option<Me>> {
    match crate::meta_get(conn, "session")? {
        Some(json) => Ok(Some(serde_json::from_str(&json)?)),
        None => Ok(None),
    }
}

/// The commune whose records the screens show: the signed-in commune, or every commune the
/// cache holds (`None`) for the centrale's staff.
pub(crate) fn commune_scope(conn: &Connection) -> Result<Option<String>> {
    Ok(session(conn)?.and_then(|me| me.commune_nis))
}

/// The few fields of a service that lists show.
#[derive(Deserialize)]
struct ServiceName {
    id: Uuid,
    name_fr: String,
}

/// Names of the catalogue's services and providers (a few dozen records), to show beside ids.
pub(crate) struct Names {
    pub(crate) services: HashMap<Uuid, String>,
    pub(crate) providers: HashMap<Uuid, Provider>,
}

impl Names {
    /// Loads every service name and provider.
    pub(crate) fn load(conn: &Connection) -> Result<Names> {
        let services = of_kind::<ServiceName>(conn, RecordKind::Service, None)?
            .into_iter()
            .map(|s| (s.body.id, s.body.name_fr))
            .collect();
        Ok(Names {
            services,
            providers: providers(conn)?,
        })
    }

    /// A service's name, if the service is on this PC.
    pub(crate) fn service(&self, id: Uuid) -> Option<String> {
        self.services.get(&id).cloned()
    }

    /// A provider's name, if the provider is on this PC.
    pub(crate) fn provider(&self, id: Uuid) -> Option<String> {
        self.providers.get(&id).map(|p| p.name.clone())
    }
}

/// Every provider by id.
pub(crate) fn providers(conn: &Connection) -> Result<HashMap<Uuid, Provider>> {
    Ok(of_kind::<Provider>(conn, RecordKind::Provider, None)?
        .into_iter()
        .map(|p| (p.body.id, p.body))
        .collect())
}

/// Every commune's French name by NIS code.
pub(crate) fn commune_names(
    conn: &Connection,
) -> Result<std::collections::BTreeMap<String, String>> {
    Ok(
        of_kind::<centrale_domain::commune::Commune>(conn, RecordKind::Commune, None)?
            .into_iter()
            .map(|c| (c.body.nis_code.to_string(), c.body.name_fr))
            .collect(),
    )
}

/// Every service with its pending flag.
pub(crate) fn services(conn: &Connection) -> Result<Vec<Live<Service>>> {
    of_kind(conn, RecordKind::Service, None)
}
