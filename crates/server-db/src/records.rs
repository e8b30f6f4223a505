//! Records: opaque JSON documents with a kind, an id and visibility columns, and the change
//! log that clients pull (every write gives the record a new, global `seq`).

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use crate::columns::{get_bool, get_i64, get_json, get_opt_i64, get_opt_text, get_text, get_time};
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

/// One page of a pull written as JSON text, as read by [`Database::pull_page_text_below`].
#[derive(Clone, Debug, PartialEq)]
pub struct PullPageText {
    /// The changes, a JSON array in `seq` order, all at or below `high_water`.
    pub changes: String,
    /// The `seq` of the last change of the page (written out or, of an unknown kind, only
    /// passed), if any: the next cursor.
    pub last_seq: Option<i64>,
    /// True when more visible changes follow (below the mark).
    pub has_more: bool,
    /// As [`PullPage::high_water`].
    pub high_water: i64,
}

impl PullPageText {
    fn empty(high_water: i64) -> PullPageText {
        PullPageText {
            changes: "[]".to_string(),
            last_seq: None,
            has_more: false,
            high_water,
        }
    }
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

/// The page query for `viewer` (see [`page_text_sql`]) and the values of its `$4` and `$5`
/// (the commune's and the provider's, as the viewer has them); `$1` is the cursor, `$2` the
/// high-water mark, `$3` the limit plus one.
pub(crate) fn page_text_query<'a>(
    backend: crate::Backend,
    viewer: &'a Viewer,
    kinds: Option<&[&str]>,
) -> (String, Vec<&'a str>) {
    let mut values: Vec<&str> = Vec::new();
    let mut classes: Vec<String> = Vec::new();
    for ((predicate, index), value) in viewer_classes(viewer) {
        if let Some(value) = value {
            values.push(value);
        }
        let predicate = predicate.replace("$4", &format!("${}", 3 + values.len()));
        classes.push(format!(
            "SELECT seq FROM (SELECT seq FROM {from} \
             WHERE {predicate} AND seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3) c{n}",
            from = class_table(backend, index),
            n = classes.len()
        ));
    }
    (page_text_sql(backend, &classes, kinds), values)
}

/// The classes `viewer` belongs to, each with its value for `$4` (commune, provider) if any.
fn viewer_classes(viewer: &Viewer) -> Vec<(PullClass, Option<&str>)> {
    let mut classes = vec![(PULL_CLASSES[0], None)];
    if viewer.centrale {
        classes.push((PULL_CLASSES[1], None));
    }
    if let Some(nis) = viewer.commune.as_deref() {
        classes.push((PULL_CLASSES[2], Some(nis)));
    }
    if let Some(provider) = viewer.provider.as_deref() {
        classes.push((PULL_CLASSES[3], Some(provider)));
    }
    classes
}

/// `records` read through a class's `index`: named on SQLite (see [`page_text_sql`]).
fn class_table(backend: crate::Backend, index: &str) -> String {
    match backend {
        crate::Backend::Sqlite => format!("records INDEXED BY {index}"),
        crate::Backend::Postgres => "records".to_string(),
    }
}

/// The query of one page as JSON text (see [`Database::pull_page_text_below`]): the first
/// `$3` seqs of the classes' union; the first `$3 - 1` joined to their records and written
/// out, the last only counted (it says whether more follow).
///
/// The classes' literal predicates match the partial indexes (migration 7); a bound
/// parameter would not, on either engine. On SQLite each index is named (`INDEXED BY`):
/// without statistics its planner may prefer `records_seq` for the public class, which walks
/// every row after the cursor; naming it makes a missing index an error, not a slow pull.
fn page_text_sql(backend: crate::Backend, classes: &[String], kinds: Option<&[&str]>) -> String {
    let (quote, concat) = match backend {
        crate::Backend::Sqlite => ("json_quote", "group_concat"),
        crate::Backend::Postgres => ("to_json", "string_agg"),
    };
    let text = match backend {
        crate::Backend::Sqlite => "",
        crate::Backend::Postgres => "::text",
    };
    let union = classes.join(" UNION ");
    // Changes of a kind the server does not know are passed (the cursor moves over them) but
    // not written out. Tested on the joined row, not in the join's WHERE: there SQLite's
    // planner took it for an index on `kind` and scanned every order (16 ms a page instead
    // of 3).
    let known = match kinds {
        Some(kinds) => format!(
            "CASE WHEN kind IN ({}) THEN change END",
            kinds
                .iter()
                .map(|k| format!("'{}'", k.replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "change".to_string(),
    };
    // In `seq` order: PostgreSQL by the aggregate's ORDER BY. SQLite concatenates in the
    // order it reads `shown` (sorted when made), the join probing `records` by seq; its
    // aggregate ORDER BY would sort the 500 records' text again (1.7 ms of 2.8 a page).
    // `pull_storage` checks the order on both engines.
    let order = match backend {
        crate::Backend::Sqlite => "",
        crate::Backend::Postgres => " ORDER BY seq",
    };
    // `page` is the first `$3` seqs; `shown` all but the last of them, which only tells
    // whether more follow. Only seqs are sorted; each record is read once, by its seq.
    format!(
        "WITH page AS (SELECT seq FROM ({union}) u ORDER BY seq LIMIT $3), \
         shown AS (SELECT seq FROM page ORDER BY seq LIMIT $3 - 1) \
         SELECT (SELECT COUNT(*) FROM page) AS page_rows, \
           (SELECT MAX(seq) FROM shown) AS page_last, \
           (SELECT {concat}({known}, ','{order}) FROM (SELECT r.seq AS seq, r.kind AS kind, \
             '{{\"seq\":' || r.seq || ',\"kind\":' || {quote}(r.kind){text} \
             || ',\"id\":' || {quote}(r.id){text} || ',\"version\":' || r.version \
             || ',\"deleted\":' || CASE WHEN r.deleted <> 0 THEN 'true' ELSE 'false' END \
             || ',\"record\":' || r.body || '}}' AS change \
             FROM shown JOIN records r ON r.seq = shown.seq) w) AS page_changes"
    )
}

/// A change as the page's text writes it.
#[derive(serde::Deserialize)]
struct WireChange {
    seq: i64,
    kind: String,
    id: String,
    version: i64,
    deleted: bool,
    record: Box<serde_json::value::RawValue>,
}

impl From<WireChange> for ChangeRow {
    fn from(c: WireChange) -> ChangeRow {
        ChangeRow {
            seq: c.seq,
            kind: c.kind,
            id: c.id,
            version: c.version,
            deleted: c.deleted,
            body: c.record,
        }
    }
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
        let page = self
            .pull_page_text_below(viewer, after_seq, limit, high_water, None)
            .await?;
        let changes: Vec<WireChange> = serde_json::from_str(&page.changes)
            .map_err(|e| DbError::Corrupt(format!("page de changements illisible ({e})")))?;
        Ok(PullPage {
            changes: changes.into_iter().map(ChangeRow::from).collect(),
            high_water,
        })
    }

    /// One page of the changes visible to `viewer` after `after_seq`, at most `limit`, none
    /// above `high_water` (a committed mark, see [`Database::pull_page_below`]), written by
    /// the database itself as the JSON array the pull sends: each change
    /// `{"seq","kind","id","version","deleted","record"}`, the record as the text stored.
    /// `kinds`, when given, keeps only changes of those kinds (the kinds the server knows).
    ///
    /// WHY the database writes the text: a page of 500 orders is about 2.5 MB; handed over
    /// row by row (sqlx passes each row from its SQLite thread to the async side), checked
    /// as JSON and written out again, it cost the server more than the PC spent storing it
    /// (issue 19 §4). Here it is one row. The records were written as JSON by this server
    /// (`put_record` serialises a tree), so they are not checked again; the PC reads the
    /// whole page as JSON and refuses a page that is not.
    ///
    /// WHY per class: one `OR` over the visibility columns cannot use an index, so it scanned
    /// the whole log after the cursor (every other commune's work included). Each class the
    /// viewer belongs to is read through its own `(class, seq)` index, at most `limit + 1`
    /// rows each; the union's first `limit + 1` are the page and whether more follow. A
    /// no-change pull is then a handful of index probes, whatever the size of the log.
    pub async fn pull_page_text_below(
        &self,
        viewer: &Viewer,
        after_seq: i64,
        limit: i64,
        high_water: i64,
        kinds: Option<&[&str]>,
    ) -> Result<PullPageText, DbError> {
        let limit = limit.max(0);
        if high_water <= after_seq || limit == 0 {
            return Ok(PullPageText::empty(high_water));
        }
        // Most pulls behind the mark find nothing of theirs (the mark moved for another
        // commune): each class's index probed for one row says so at the cost of the former
        // per-class queries; the page's query, heavier to plan, runs only when there is a page
        // (measured on PostgreSQL, a pull behind a million rows of others: 1,167 µs without
        // the probes, 751 µs with them; 853 µs before the page was written as text).
        if !self.any_visible(viewer, after_seq, high_water).await? {
            return Ok(PullPageText::empty(high_water));
        }
        let (sql, values) = page_text_query(self.backend, viewer, kinds);
        let mut query = sqlx::query(&sql)
            .bind(after_seq)
            .bind(high_water)
            .bind(limit + 1);
        for value in values {
            query = query.bind(value);
        }
        // WHY not a prepared statement on PostgreSQL: after five runs its generic plan
        // estimates `vis_commune = $4` from the column's average, and when one commune fills
        // the log it walks `records_seq` through all of it (measured: 270 ms on a million
        // rows) instead of probing this commune's index. An unnamed statement is planned with
        // the actual value each time (about 0.3 ms).
        let row = query
            .persistent(self.backend == crate::Backend::Sqlite)
            .fetch_one(&self.pool)
            .await?;
        let rows = get_i64(&row, "page_rows")?;
        let changes = get_opt_text(&row, "page_changes")?.unwrap_or_default();
        Ok(PullPageText {
            changes: format!("[{changes}]"),
            last_seq: get_opt_i64(&row, "page_last")?,
            has_more: rows > limit,
            high_water,
        })
    }

    /// Whether a change visible to `viewer` lies after `after_seq`, at or below `high_water`:
    /// each of its classes' indexes probed for one row.
    async fn any_visible(
        &self,
        viewer: &Viewer,
        after_seq: i64,
        high_water: i64,
    ) -> Result<bool, DbError> {
        // One statement for every class (one round trip: a commune's pull behind the mark
        // was three, with the token's); each `EXISTS` probes its class's index for one row,
        // and the `OR` stops at the first that finds one.
        let mut values: Vec<&str> = Vec::new();
        let mut probes: Vec<String> = Vec::new();
        for ((predicate, index), value) in viewer_classes(viewer) {
            if let Some(value) = value {
                values.push(value);
            }
            let predicate = predicate.replace("$4", &format!("${}", 2 + values.len()));
            probes.push(format!(
                "EXISTS (SELECT 1 FROM {} WHERE {predicate} AND seq > $1 AND seq <= $2)",
                class_table(self.backend, index)
            ));
        }
        // An integer on both engines (PostgreSQL's `EXISTS` is a boolean).
        let sql = format!(
            "SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS visible",
            probes.join(" OR ")
        );
        let mut query = sqlx::query(&sql).bind(after_seq).bind(high_water);
        for value in &values {
            query = query.bind(*value);
        }
        // Not prepared on PostgreSQL when a class has a value: see `pull_page_text_below`.
        let row = query
            .persistent(self.backend == crate::Backend::Sqlite || values.is_empty())
            .fetch_one(&self.pool)
            .await?;
        get_bool(&row, "visible")
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
