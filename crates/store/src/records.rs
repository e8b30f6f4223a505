//! The `record` table: the server's state of each record with, where the user changed it on
//! this PC, the local change laid on top (the server's copy kept aside).

use centrale_protocol::records::RecordKind;
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

use serde_json::Value;

use crate::error::Result;

/// The commune and the parent a record is filed under (what screens filter on).
pub(crate) fn index_fields(kind: RecordKind, body: &Value) -> (Option<String>, Option<String>) {
    filed_under(kind, |field| {
        body.get(field).and_then(Value::as_str).map(str::to_string)
    })
}

/// The same, read from a record's JSON text without building a tree of it (a pulled page:
/// issue 19 §4). A text that does not fit (not an object, a field of another type) is read
/// as a tree.
pub(crate) fn index_fields_of_text(
    kind: RecordKind,
    text: &str,
) -> Result<(Option<String>, Option<String>)> {
    match serde_json::from_str::<Filing<'_>>(text) {
        Ok(filing) => Ok(filed_under(kind, |field| filing.get(field))),
        Err(_) => Ok(index_fields(kind, &serde_json::from_str(text)?)),
    }
}

/// The one rule of filing, whatever the record was read as.
fn filed_under(
    kind: RecordKind,
    text: impl Fn(&str) -> Option<String>,
) -> (Option<String>, Option<String>) {
    let commune = match kind {
        RecordKind::Commune => text("nis_code").or_else(|| text("nis")),
        _ => text("commune_nis"),
    };
    let parent = match kind {
        RecordKind::Invitation | RecordKind::Offer | RecordKind::Milestone => text("order_id"),
        RecordKind::Order => text("service_id"),
        RecordKind::Service => text("framework_id"),
        // Issue 16 §2: an accompaniment is filed under the call-off it accompanies.
        RecordKind::AccompanimentOrder => text("call_off_id"),
        // Issue 16 §3: a commune's answers are filed under their survey.
        RecordKind::SurveyResponse => text("survey_id"),
        _ => None,
    };
    (commune, parent)
}

/// The fields [`filed_under`] reads, and only those: the rest of the text is skipped.
#[derive(serde::Deserialize)]
struct Filing<'a> {
    #[serde(borrow, default)]
    nis_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    nis: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    commune_nis: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    order_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    service_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    framework_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    call_off_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    survey_id: Option<Cow<'a, str>>,
}

impl Filing<'_> {
    fn get(&self, field: &str) -> Option<String> {
        let value = match field {
            "nis_code" => &self.nis_code,
            "nis" => &self.nis,
            "commune_nis" => &self.commune_nis,
            "order_id" => &self.order_id,
            "service_id" => &self.service_id,
            "framework_id" => &self.framework_id,
            "call_off_id" => &self.call_off_id,
            "survey_id" => &self.survey_id,
            _ => return None,
        };
        value.as_deref().map(str::to_string)
    }
}

/// A record as the user sees it.
pub(crate) struct Row {
    pub version: i64,
    pub deleted: bool,
    pub body: Value,
    pub pending: bool,
}

pub(crate) fn get(conn: &Connection, kind: RecordKind, id: &str) -> Result<Option<Row>> {
    let row = conn
        .query_row(
            "SELECT version, deleted, body, pending FROM record WHERE kind = ?1 AND id = ?2",
            params![kind.as_str(), id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            },
        )
        .optional()?;
    match row {
        Some((version, deleted, body, pending)) => Ok(Some(Row {
            version,
            deleted,
            body: serde_json::from_str(&body)?,
            pending,
        })),
        None => Ok(None),
    }
}

/// A live record decoded as `T`, with its version.
pub(crate) fn load<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
) -> Result<Option<(T, i64)>> {
    match get(conn, kind, id)? {
        Some(row) if !row.deleted => Ok(Some((serde_json::from_value(row.body)?, row.version))),
        _ => Ok(None),
    }
}

/// Every live record of `kind` filed under `parent`.
pub(crate) fn children<T: DeserializeOwned>(
    conn: &Connection,
    kind: RecordKind,
    parent: &str,
) -> Result<Vec<T>> {
    // `+id`: without it SQLite walks every record of the kind in key order to skip a sort,
    // instead of using `record_by_parent` (9.5 ms instead of 56 µs with 7,000 milestones).
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM live_record WHERE kind = ?1 AND parent_id = ?2 ORDER BY +id",
    )?;
    let rows = stmt.query_map(params![kind.as_str(), parent], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?)?);
    }
    Ok(out)
}

/// Every live record of `kind`.
pub(crate) fn all<T: DeserializeOwned>(conn: &Connection, kind: RecordKind) -> Result<Vec<T>> {
    let mut stmt =
        conn.prepare_cached("SELECT body FROM live_record WHERE kind = ?1 ORDER BY id")?;
    let rows = stmt.query_map(params![kind.as_str()], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for body in rows {
        out.push(serde_json::from_str(&body?)?);
    }
    Ok(out)
}

/// Stores the server's state of a record (a pulled change, its JSON text; `None`: deleted).
/// Under a local change, only the kept server copy moves; the caller lays the pending changes
/// out again afterwards. Returns true when the record had a local change on top.
/// `may_be_pending`: false when the cache holds no local change at all (then nothing is
/// looked for: the usual case of a first sync).
pub(crate) fn put_server(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
    version: i64,
    body: Option<&str>,
    may_be_pending: bool,
) -> Result<bool> {
    if may_be_pending {
        let updated = conn
            .prepare_cached(
                "UPDATE record SET server_version = ?3, server_body = ?4
                 WHERE kind = ?1 AND id = ?2 AND pending = 1",
            )?
            .execute(params![kind.as_str(), id, version, body])?;
        if updated > 0 {
            return Ok(true);
        }
    }
    match body {
        Some(text) => {
            let (commune, parent) = index_fields_of_text(kind, text)?;
            conn.prepare_cached(
                "INSERT INTO record (kind, id, version, deleted, body, commune_nis, parent_id)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)
                 ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, deleted = 0,
                   body = excluded.body, commune_nis = excluded.commune_nis,
                   parent_id = excluded.parent_id",
            )?
            .execute(params![kind.as_str(), id, version, text, commune, parent])?;
        }
        None => {
            conn.prepare_cached("DELETE FROM record WHERE kind = ?1 AND id = ?2")?
                .execute(params![kind.as_str(), id])?;
        }
    }
    Ok(false)
}

/// Lays a local change on a record (`None`: deleted locally), keeping the server's state
/// aside the first time, and notes that mutation `client_seq` touched it.
pub(crate) fn put_local(
    conn: &Connection,
    client_seq: i64,
    kind: RecordKind,
    id: &str,
    body: Option<&Value>,
) -> Result<()> {
    let existing = get(conn, kind, id)?;
    let (deleted, text, index_from) = match body {
        Some(b) => (false, serde_json::to_string(b)?, Some(b)),
        None => (
            true,
            existing
                .as_ref()
                .map(|r| serde_json::to_string(&r.body))
                .transpose()?
                .unwrap_or_else(|| "{}".into()),
            None,
        ),
    };
    let (commune, parent) = match (index_from, &existing) {
        (Some(b), _) => index_fields(kind, b),
        (None, Some(row)) => index_fields(kind, &row.body),
        (None, None) => (None, None),
    };
    match existing {
        None => {
            conn.execute(
                "INSERT INTO record (kind, id, version, deleted, body, commune_nis, parent_id,
                   pending, server_version, server_body)
                 VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, 1, 0, NULL)",
                params![kind.as_str(), id, deleted, text, commune, parent],
            )?;
        }
        Some(row) if !row.pending => {
            conn.execute(
                "UPDATE record SET server_version = version,
                   server_body = CASE WHEN deleted = 1 THEN NULL ELSE body END,
                   pending = 1, deleted = ?3, body = ?4, commune_nis = ?5, parent_id = ?6
                 WHERE kind = ?1 AND id = ?2",
                params![kind.as_str(), id, deleted, text, commune, parent],
            )?;
        }
        Some(_) => {
            conn.execute(
                "UPDATE record SET deleted = ?3, body = ?4, commune_nis = ?5, parent_id = ?6
                 WHERE kind = ?1 AND id = ?2",
                params![kind.as_str(), id, deleted, text, commune, parent],
            )?;
        }
    }
    conn.execute(
        "INSERT OR IGNORE INTO outbox_touch (client_seq, kind, id) VALUES (?1, ?2, ?3)",
        params![client_seq, kind.as_str(), id],
    )?;
    Ok(())
}

/// Takes every local change off: each overlaid record is back to the server's state.
pub(crate) fn restore_server_state(conn: &Connection) -> Result<usize> {
    let removed = conn.execute(
        "DELETE FROM record WHERE pending = 1 AND server_body IS NULL",
        [],
    )?;
    let restored = conn.execute(
        "UPDATE record SET version = server_version, deleted = 0, body = server_body,
           pending = 0, server_version = NULL, server_body = NULL
         WHERE pending = 1",
        [],
    )?;
    // The commune and parent of a record never change, so the index columns stay valid.
    Ok(removed + restored)
}

/// After the server accepted a mutation, its result stands for the server's state of the
/// records it wrote until the pull brings the server's own copy (no flicker meanwhile).
pub(crate) fn accept_local(
    conn: &Connection,
    kind: RecordKind,
    id: &str,
    version: i64,
) -> Result<()> {
    // Under another pending change, the body shows that change too: only the version moves.
    let others = conn
        .query_row(
            "SELECT 1 FROM outbox_touch t JOIN outbox o ON o.client_seq = t.client_seq
             WHERE t.kind = ?1 AND t.id = ?2 AND o.state = 'pending' LIMIT 1",
            params![kind.as_str(), id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if others {
        conn.execute(
            "UPDATE record SET version = ?3, server_version = ?3
             WHERE kind = ?1 AND id = ?2 AND pending = 1",
            params![kind.as_str(), id, version],
        )?;
    } else {
        conn.execute(
            "UPDATE record SET version = ?3, server_version = ?3,
               server_body = CASE WHEN deleted = 1 THEN NULL ELSE body END
             WHERE kind = ?1 AND id = ?2 AND pending = 1",
            params![kind.as_str(), id, version],
        )?;
    }
    Ok(())
}

/// True when some record carries a local change.
pub(crate) fn any_pending(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM record WHERE pending = 1 LIMIT 1", [], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

/// Drops every cached record (a different account signed in, or a full re-sync).
pub(crate) fn wipe(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM outbox_touch", [])?;
    conn.execute("DELETE FROM record", [])?;
    Ok(())
}
