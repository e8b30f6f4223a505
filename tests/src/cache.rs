//! What a local cache holds, read with plain SQL, to compare with the server's records and
//! with itself before and after an operation.

use std::collections::BTreeMap;

use centrale_protocol::Change;
use centrale_store::Store;
use rusqlite::types::Value as SqlValue;
use serde_json::Value;

/// Live records by (kind, id): (version, body).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live(pub BTreeMap<(String, String), (i64, Value)>);

impl Live {
    /// The latest state of each record in a list of changes, tombstones left out.
    pub fn of_changes(changes: &[Change]) -> Live {
        let mut latest = BTreeMap::new();
        for c in changes {
            latest.insert((c.kind.as_str().to_string(), c.id.clone()), c.clone());
        }
        Live(
            latest
                .into_iter()
                .filter(|(_, c)| !c.deleted)
                .map(|(k, c)| (k, (c.version, c.record)))
                .collect(),
        )
    }

    /// The live records of a cache, as the user sees them (pending local changes included).
    pub fn of_store(store: &Store) -> Live {
        let rows = store
            .read(|c| {
                let mut stmt = c.prepare("SELECT kind, id, version, body FROM live_record")?;
                let rows = stmt
                    .query_map([], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .expect("reading the cache's records");
        Live(
            rows.into_iter()
                .map(|(kind, id, version, body)| {
                    let body = serde_json::from_str(&body).expect("cached body is JSON");
                    ((kind, id), (version, body))
                })
                .collect(),
        )
    }

    /// The records of one kind.
    pub fn of_kind(&self, kind: &str) -> Vec<(&str, &Value)> {
        self.0
            .iter()
            .filter(|((k, _), _)| k == kind)
            .map(|((_, id), (_, body))| (id.as_str(), body))
            .collect()
    }

    /// One record's body.
    pub fn get(&self, kind: &str, id: impl ToString) -> Option<&Value> {
        self.0
            .get(&(kind.to_string(), id.to_string()))
            .map(|(_, body)| body)
    }

    /// One record's version.
    pub fn version(&self, kind: &str, id: impl ToString) -> Option<i64> {
        self.0
            .get(&(kind.to_string(), id.to_string()))
            .map(|(v, _)| *v)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The differences with `other`, in words (empty when equal), for assertion messages.
    pub fn diff(&self, other: &Live) -> Vec<String> {
        let mut out = Vec::new();
        for (key, (version, body)) in &self.0 {
            match other.0.get(key) {
                None => out.push(format!("{key:?} v{version} only on the left")),
                Some((v2, b2)) if (v2, b2) != (version, body) => {
                    out.push(format!("{key:?}: v{version} {body} != v{v2} {b2}"));
                }
                Some(_) => {}
            }
        }
        for (key, (version, _)) in &other.0 {
            if !self.0.contains_key(key) {
                out.push(format!("{key:?} v{version} only on the right"));
            }
        }
        out.truncate(10);
        out
    }
}

/// Every row of the tables that carry the user's data and the sync state, exactly as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheDump {
    /// `record`, ordered by kind and id.
    pub records: Vec<Vec<SqlValue>>,
    /// `outbox`, ordered by client_seq.
    pub outbox: Vec<Vec<SqlValue>>,
    /// `outbox_touch`.
    pub touches: Vec<Vec<SqlValue>>,
    /// `meta` (cursor, session, client id, …).
    pub meta: Vec<Vec<SqlValue>>,
}

impl CacheDump {
    /// Reads the whole cache.
    pub fn of(store: &Store) -> CacheDump {
        store
            .read(|c| {
                Ok(CacheDump {
                    records: table(c, "SELECT * FROM record ORDER BY kind, id")?,
                    outbox: table(c, "SELECT * FROM outbox ORDER BY client_seq")?,
                    touches: table(
                        c,
                        "SELECT * FROM outbox_touch ORDER BY client_seq, kind, id",
                    )?,
                    meta: table(c, "SELECT * FROM meta ORDER BY key")?,
                })
            })
            .expect("dumping the cache")
    }
}

fn table(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<Vec<Vec<SqlValue>>> {
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let rows = stmt.query_map([], |r| {
        (0..columns)
            .map(|i| r.get::<_, SqlValue>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })?;
    rows.collect()
}

/// The (kind, id, commune) of every cached row, tombstones and pending ones included.
pub fn filed_under(store: &Store) -> Vec<(String, String, Option<String>)> {
    store
        .read(|c| {
            let mut stmt =
                c.prepare("SELECT kind, id, commune_nis FROM record ORDER BY kind, id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .expect("reading the cache's index")
}

/// Number of records carrying a local change.
pub fn pending_records(store: &Store) -> i64 {
    store
        .read(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM record WHERE pending = 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .expect("counting pending records")
}
