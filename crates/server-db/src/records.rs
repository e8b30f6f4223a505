//! Records: opaque JSON documents with a kind, an id and visibility columns, and the change
//! log that clients pull (every write gives the record a new, global `seq`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use crate::columns::{get_bool, get_i64, get_json, get_opt_text, get_raw_json, get_text, get_time};
use crate::{Database, DbError};

/// Who may see a record. Decided by the server; stored as columns so that a pull can filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Everyone (e.g. the catalogue).
    pub public: bool,
    /// The intercommunale's staff.
    pub centrale: bool,
    /// This commune (NIS code), if any.
    pub commune: Option<String>,
    /// This provider (id), if any.
    pub provider: Option<String>,
}

/// Who is pulling: the audiences this user belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// Sees what is visible to the intercommunale.
    pub centrale: bool,
    /// Sees what is visible to this commune.
    pub commune: Option<String>,
    /// Sees what is visible to this provider.
    pub provider: Option<String>,
}

/// One stored record (tombstones included: `deleted` is true and the body is kept).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    /// Record kind (e.g. `"order"`); opaque here.
    pub kind: String,
    /// Record id, unique within its kind.
    pub id: String,
    /// Version set by the server (business versioning is not checked here).
    pub version: i64,
    /// Position in the change log of the last write.
    pub seq: i64,
    /// Tombstone flag.
    pub deleted: bool,
    /// Id of the parent record, if any (same or other kind; opaque here).
    pub parent_id: Option<String>,
    /// The document.
    pub body: serde_json::Value,
    /// Format version of `body` (per kind; 1 for everything stored before formats existed).
    pub format_version: i64,
    /// Who may see it.
    pub visibility: Visibility,
    /// When it was last written.
    pub updated_at: DateTime<Utc>,
}

/// What [`crate::WriteTx::put_record`] stores (the `seq` is assigned by the write).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordWrite {
    /// Record kind.
    pub kind: String,
    /// Record id.
    pub id: String,
    /// Version chosen by the server.
    pub version: i64,
    /// Tombstone flag.
    pub deleted: bool,
    /// Parent record id, if any.
    pub parent_id: Option<String>,
    /// The document.
    pub body: serde_json::Value,
    /// Format version of `body`, chosen by the writer for the record's kind.
    pub format_version: i64,
    /// Who may see it.
    pub visibility: Visibility,
    /// Time of the write.
    pub updated_at: DateTime<Utc>,
}

/// One change as sent to a pulling client.
#[derive(Clone, Debug)]
pub struct ChangeRow {
    /// Position in the change log (the client's cursor after applying it).
    pub seq: i64,
    /// Record kind.
    pub kind: String,
    /// Record id.
    pub id: String,
    /// Record version.
    pub version: i64,
    /// Tombstone flag.
    pub deleted: bool,
    /// The document, as the JSON text stored (checked to be JSON, never parsed into a tree:
    /// the pull sends it as it is, issue 19 §4).
    pub body: Box<serde_json::value::RawValue>,
}

impl PartialEq for ChangeRow {
    fn eq(&self, other: &ChangeRow) -> bool {
        (
            self.seq,
            &self.kind,
            &self.id,
            self.version,
            self.deleted,
            self.body.get(),
        ) == (
            other.seq,
            &other.kind,
            &other.id,
            other.version,
            other.deleted,
            other.body.get(),
        )
    }
}

/// One page of a pull, as read by [`Database::pull_page`].
#[derive(Clone, Debug, PartialEq)]
pub struct PullPage {
    /// The visible changes, in `seq` order, all at or below `high_water`.
    pub changes: Vec<ChangeRow>,
    /// The committed high-water mark read before the page
    /// ([`Database::committed_high_water`]). A caller that got every visible change up to it
    /// may move its cursor there: nothing at or below it can still appear.
    pub high_water: i64,
}

/// One visibility class of a pull: its predicate and the index that serves it.
pub(crate) type PullClass = (&'static str, &'static str);

/// Public, centrale, commune, provider (`$4` is the commune's or the provider's value).
pub(crate) const PULL_CLASSES: [PullClass; 4] = [
    ("vis_public = 1", "records_public_seq"),
    ("vis_centrale = 1", "records_centrale_seq"),
    ("vis_commune = $4", "records_commune_seq"),
    ("vis_provider = $4", "records_provider_seq"),
];

/// The page query of one visibility class (`$1` after, `$2` high-water, `$3` limit, `$4`
/// the commune or provider). On SQLite the index is named (`INDEXED BY`): without statistics
/// its planner may prefer `records_seq` for the public class, which walks every row after the
/// cursor; naming it makes a missing index an error instead of a slow pull.
pub(crate) fn class_page_sql(backend: crate::Backend, (predicate, index): PullClass) -> String {
    let from = match backend {
        crate::Backend::Sqlite => format!("records INDEXED BY {index}"),
        crate::Backend::Postgres => "records".to_string(),
    };
    format!(
        "SELECT seq, kind, id, version, deleted, body FROM {from} \
         WHERE {predicate} AND seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
    )
}

fn change_from_row(row: &AnyRow) -> Result<ChangeRow, DbError> {
    Ok(ChangeRow {
        seq: get_i64(row, "seq")?,
        kind: get_text(row, "kind")?,
        id: get_text(row, "id")?,
        version: get_i64(row, "version")?,
        deleted: get_bool(row, "deleted")?,
        body: get_raw_json(row, "body")?,
    })
}

pub(crate) const RECORD_COLUMNS: &str = "kind, id, version, seq, deleted, parent_id, body, \
     format_version, vis_public, vis_centrale, vis_commune, vis_provider, updated_at";

pub(crate) fn record_from_row(row: &AnyRow) -> Result<RecordRow, DbError> {
    Ok(RecordRow {
        kind: get_text(row, "kind")?,
        id: get_text(row, "id")?,
        version: get_i64(row, "version")?,
        seq: get_i64(row, "seq")?,
        deleted: get_bool(row, "deleted")?,
        parent_id: get_opt_text(row, "parent_id")?,
        body: get_json(row, "body")?,
        format_version: get_i64(row, "format_version")?,
        visibility: Visibility {
            public: get_bool(row, "vis_public")?,
            centrale: get_bool(row, "vis_centrale")?,
            commune: get_opt_text(row, "vis_commune")?,
            provider: get_opt_text(row, "vis_provider")?,
        },
        updated_at: get_time(row, "updated_at")?,
    })
}

pub(crate) async fn get_record<'c, E>(
    ex: E,
    kind: &str,
    id: &str,
) -> Result<Option<RecordRow>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND id = $2");
    sqlx::query(&sql)
        .bind(kind)
        .bind(id)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(record_from_row)
        .transpose()
}

pub(crate) async fn list_records<'c, E>(ex: E, kind: &str) -> Result<Vec<RecordRow>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 ORDER BY id");
    sqlx::query(&sql)
        .bind(kind)
        .fetch_all(ex)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
}

pub(crate) async fn list_live_records<'c, E>(ex: E, kind: &str) -> Result<Vec<RecordRow>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let sql =
        format!("SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND deleted = 0 ORDER BY id");
    sqlx::query(&sql)
        .bind(kind)
        .fetch_all(ex)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
}

pub(crate) async fn list_children<'c, E>(
    ex: E,
    kind: &str,
    parent_id: &str,
) -> Result<Vec<RecordRow>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    // Sorted here, not by the query: with an `ORDER BY id`, SQLite walks every record of the
    // kind in key order to avoid sorting a few children — a million orders of other communes
    // made each write of an order cost half a second (issue 19 §2, found by `pull_load`).
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE kind = $1 AND parent_id = $2");
    let mut rows: Vec<RecordRow> = sqlx::query(&sql)
        .bind(kind)
        .bind(parent_id)
        .fetch_all(ex)
        .await?
        .iter()
        .map(record_from_row)
        .collect::<Result<_, _>>()?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows)
}

impl Database {
    /// One page of the changes visible to `viewer` after `after_seq`, in `seq` order, at most
    /// `limit` rows, and the log's committed high-water mark read before them (see
    /// [`PullPage`]). No row above that mark is returned.
    ///
    /// WHY per class: one `OR` over the visibility columns cannot use an index, so it scanned
    /// the whole log after the cursor (every other commune's work included). Each class the
    /// viewer belongs to is read through its own `(class, seq)` index, at most `limit` rows
    /// each, and the lists are merged: the first `limit` of the union are among them. A
    /// no-change pull is then a handful of index probes, whatever the size of the log.
    pub async fn pull_page(
        &self,
        viewer: &Viewer,
        after_seq: i64,
        limit: i64,
    ) -> Result<PullPage, DbError> {
        let high_water = self.committed_high_water().await?;
        self.pull_page_below(viewer, after_seq, limit, high_water)
            .await
    }

    /// [`Database::pull_page`] bounded by a high-water mark the caller already read (with
    /// its token: `find_active_token_and_mark`), which must be a committed value of the
    /// counter: a no-change pull then costs no query here.
    pub async fn pull_page_below(
        &self,
        viewer: &Viewer,
        after_seq: i64,
        limit: i64,
        high_water: i64,
    ) -> Result<PullPage, DbError> {
        let limit = limit.max(0);
        if high_water <= after_seq || limit == 0 {
            return Ok(PullPage {
                changes: Vec::new(),
                high_water,
            });
        }
        // The literal predicates match the partial indexes (migration 7); a bound parameter
        // would not, on either engine.
        let mut classes: Vec<(PullClass, Option<&str>)> = vec![(PULL_CLASSES[0], None)];
        if viewer.centrale {
            classes.push((PULL_CLASSES[1], None));
        }
        if let Some(nis) = viewer.commune.as_deref() {
            classes.push((PULL_CLASSES[2], Some(nis)));
        }
        if let Some(provider) = viewer.provider.as_deref() {
            classes.push((PULL_CLASSES[3], Some(provider)));
        }
        let mut merged: BTreeMap<i64, ChangeRow> = BTreeMap::new();
        for (class, value) in classes {
            let sql = class_page_sql(self.backend, class);
            let mut query = sqlx::query(&sql)
                .bind(after_seq)
                .bind(high_water)
                .bind(limit);
            if let Some(value) = value {
                // WHY not a prepared statement on PostgreSQL: after five runs its generic plan
                // estimates `vis_commune = $4` from the column's average, and when one commune
                // fills the log it walks `records_seq` through all of it (measured: 270 ms on
                // a million rows) instead of probing this commune's index. An unnamed statement
                // is planned with the actual value each time (about 0.3 ms).
                query = query
                    .bind(value)
                    .persistent(self.backend == crate::Backend::Sqlite);
            }
            for row in query.fetch_all(&self.pool).await? {
                let change = change_from_row(&row)?;
                merged.entry(change.seq).or_insert(change);
            }
        }
        Ok(PullPage {
            changes: merged.into_values().take(limit as usize).collect(),
            high_water,
        })
    }

    /// The change log's high-water mark: the `seq` of the last committed write. Every change
    /// at or below it is committed, and none can appear there later.
    ///
    /// WHY this holds, on both engines: `seq` comes from the `counters` row, incremented inside
    /// the write transaction, and writers are serialised (see [`crate::WriteTx`]: one writer
    /// per process, `BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock across
    /// processes on PostgreSQL). So the counter and the rows it numbers commit together, in
    /// `seq` order, and a reader outside the writer's transaction sees the counter's last
    /// committed value (PostgreSQL READ COMMITTED, SQLite WAL snapshot): a value allocated but
    /// not yet committed is not seen, and no commit can later fill a `seq` below the one
    /// read. A rolled-back write rolls its increment back too.
    pub async fn committed_high_water(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT value FROM counters WHERE name = $1")
            .bind("change_seq")
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                DbError::Corrupt("compteur change_seq absent de la table counters".into())
            })?;
        get_i64(&row, "value")
    }

    /// The highest `seq` in the change log (0 when empty), whatever its visibility.
    pub async fn max_seq(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS m FROM records")
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "m")
    }

    /// The record `kind`/`id`, tombstone included, or `None`.
    pub async fn get_record(&self, kind: &str, id: &str) -> Result<Option<RecordRow>, DbError> {
        get_record(&self.pool, kind, id).await
    }

    /// Every record of `kind` (tombstones included), by id.
    pub async fn list_records(&self, kind: &str) -> Result<Vec<RecordRow>, DbError> {
        list_records(&self.pool, kind).await
    }

    /// Every live record of `kind` (no tombstones), by id: for indexes whose entries are
    /// deleted once used, so that reading them does not grow with history.
    pub async fn list_live_records(&self, kind: &str) -> Result<Vec<RecordRow>, DbError> {
        list_live_records(&self.pool, kind).await
    }

    /// How many records of `kind` are stored (tombstones included): one index count.
    pub async fn count_records(&self, kind: &str) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM records WHERE kind = $1")
            .bind(kind)
            .fetch_one(&self.pool)
            .await?;
        crate::columns::get_i64(&row, "n")
    }

    /// The records of `kind` visible to `provider` (tombstones included), by id: read
    /// through the provider's index, so a provider's page costs what that provider has, not
    /// what every provider has (docs/scale.md).
    pub async fn list_records_of_provider(
        &self,
        kind: &str,
        provider: &str,
    ) -> Result<Vec<RecordRow>, DbError> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM records \
             WHERE vis_provider = $1 AND kind = $2 ORDER BY id"
        );
        sqlx::query(&sql)
            .bind(provider)
            .bind(kind)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(record_from_row)
            .collect()
    }

    /// The records of `kind` whose parent is `parent_id` (tombstones included), by id.
    pub async fn list_children(
        &self,
        kind: &str,
        parent_id: &str,
    ) -> Result<Vec<RecordRow>, DbError> {
        list_children(&self.pool, kind, parent_id).await
    }
}
