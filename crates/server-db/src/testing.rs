//! Fresh databases for tests, on SQLite or PostgreSQL (feature `testing`).
//!
//! Environment:
//! - `CENTRALE_TEST_PG_URL`: a PostgreSQL URL whose role may `CREATE DATABASE`
//!   (e.g. `postgres://centrale:centrale@localhost:5432/centrale`). Each test gets its own
//!   database `t_<uuid>`, dropped (best effort) when its [`Guard`] is dropped.
//! - `CENTRALE_TEST_BACKEND=postgres`: [`fresh_database`] uses PostgreSQL (the URL is then
//!   required); otherwise SQLite in a temporary folder.
//!
//! This module panics on setup failures: it is test support, and a clear panic is the most
//! useful report there.

use sqlx::{AnyConnection, Connection, Executor};

use crate::database::install_drivers;
use crate::{Backend, Database};

/// Name of the variable holding the PostgreSQL admin URL for tests.
pub const PG_URL_VAR: &str = "CENTRALE_TEST_PG_URL";
/// Name of the variable choosing the backend of [`fresh_database`] (`postgres` or `sqlite`).
pub const BACKEND_VAR: &str = "CENTRALE_TEST_BACKEND";

/// Keeps a test database alive; dropping it removes the database (best effort).
#[must_use = "the database is removed when the guard is dropped"]
pub struct Guard {
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
    url: String,
}

impl Guard {
    /// The database's URL, to hand to another process (a server binary under test).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop may run inside a Tokio runtime: do the async work on a thread of its own.
        let work = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = AnyConnection::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = conn.execute(sql.as_str()).await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = work.join();
    }
}

/// The PostgreSQL admin URL from `CENTRALE_TEST_PG_URL`, if set and not empty.
pub fn pg_url() -> Option<String> {
    std::env::var(PG_URL_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// The backend chosen by `CENTRALE_TEST_BACKEND` (SQLite when unset).
///
/// Panics when it says `postgres` and `CENTRALE_TEST_PG_URL` is missing, or names an unknown
/// backend.
pub fn backend_from_env() -> Backend {
    match std::env::var(BACKEND_VAR).unwrap_or_default().trim() {
        "" | "sqlite" => Backend::Sqlite,
        "postgres" | "postgresql" => {
            if pg_url().is_none() {
                panic!(
                    "{BACKEND_VAR}=postgres but {PG_URL_VAR} is not set: set it to a \
                     PostgreSQL URL whose role may create databases, e.g. \
                     postgres://centrale:centrale@localhost:5432/centrale"
                );
            }
            Backend::Postgres
        }
        other => panic!("{BACKEND_VAR}={other:?}: expected `sqlite` or `postgres`"),
    }
}

/// Every backend a storage test should run on: SQLite always, PostgreSQL too when
/// `CENTRALE_TEST_PG_URL` is set (checks `CENTRALE_TEST_BACKEND` like [`backend_from_env`]).
pub fn backends_under_test() -> Vec<Backend> {
    let _ = backend_from_env();
    let mut out = vec![Backend::Sqlite];
    if pg_url().is_some() {
        out.push(Backend::Postgres);
    }
    out
}

/// A fresh, migrated database on the backend chosen by the environment.
pub async fn fresh_database() -> (Database, Guard) {
    fresh_database_on(backend_from_env()).await
}

/// A fresh, migrated database on `backend`.
pub async fn fresh_database_on(backend: Backend) -> (Database, Guard) {
    let (db, guard) = fresh_empty_database_on(backend).await;
    db.migrate()
        .await
        .unwrap_or_else(|e| panic!("migrating the test database failed: {e}"));
    (db, guard)
}

/// A fresh database on `backend`, not migrated (for migration tests).
pub async fn fresh_empty_database_on(backend: Backend) -> (Database, Guard) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("creating a temporary folder");
            let url = format!("sqlite:{}", dir.path().join("centrale.db").display());
            let db = Database::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("opening test SQLite database {url}: {e}"));
            (
                db,
                Guard {
                    _dir: Some(dir),
                    postgres: None,
                    url,
                },
            )
        }
        Backend::Postgres => {
            let admin_url = pg_url()
                .unwrap_or_else(|| panic!("PostgreSQL test requested but {PG_URL_VAR} is not set"));
            install_drivers();
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut conn = AnyConnection::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("connecting to {PG_URL_VAR}: {e}"));
            conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
                .await
                .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
            let _ = conn.close().await;
            let url = with_database_name(&admin_url, &name);
            let guard = Guard {
                _dir: None,
                postgres: Some((admin_url.clone(), name.clone())),
                url: url.clone(),
            };
            let db = Database::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("opening test database {name}: {e}"));
            (db, guard)
        }
    }
}

/// `admin_url` with its database name replaced by `name` (query string kept).
fn with_database_name(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

/// Makes every append to the audit log fail (`true`) or work again (`false`): a fault that
/// breaks any write transaction at its end, for tests that check what else keeps working.
pub async fn refuse_audit_appends(db: &Database, refuse: bool) {
    let statements: &[&str] = match (db.backend(), refuse) {
        (Backend::Sqlite, true) => &[
            "CREATE TRIGGER audit_log_test_fault BEFORE INSERT ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'panne simulée du journal d''audit'); END",
        ],
        (Backend::Sqlite, false) => &["DROP TRIGGER audit_log_test_fault"],
        (Backend::Postgres, true) => &[
            "CREATE FUNCTION audit_log_test_fault() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'panne simulée du journal d''audit'; END $$",
            "CREATE TRIGGER audit_log_test_fault BEFORE INSERT ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION audit_log_test_fault()",
        ],
        (Backend::Postgres, false) => &[
            "DROP TRIGGER audit_log_test_fault ON audit_log",
            "DROP FUNCTION audit_log_test_fault()",
        ],
    };
    for sql in statements {
        sqlx::raw_sql(sql)
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Appends `count` records to the change log in one transaction, straight in SQL (benches: a
/// log of a million rows in seconds, not through the API): orders `bulk-<n>` with `body`,
/// visible to commune `commune` and the centrale, numbered after the log's current end.
/// Returns the new high-water mark.
pub async fn bulk_fill_change_log(
    db: &Database,
    count: i64,
    commune: &str,
    body: &serde_json::Value,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<i64, crate::DbError> {
    let mut tx = db.write().await?;
    let row = sqlx::query("SELECT value FROM counters WHERE name = $1")
        .bind("change_seq")
        .fetch_one(tx.conn())
        .await?;
    let base = crate::columns::get_i64(&row, "value")?;
    let insert = "INSERT INTO records (kind, id, version, seq, deleted, parent_id, body, \
         vis_public, vis_centrale, vis_commune, vis_provider, updated_at, format_version)";
    let select = "SELECT 'order', 'bulk-' || i, 1, $2 + i, 0, NULL, $3, 0, 1, $4, NULL, $5, 1";
    let sql = match db.backend() {
        Backend::Sqlite => format!(
            "{insert} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
             {select} FROM n"
        ),
        Backend::Postgres => {
            format!("{insert} {select} FROM generate_series(1::BIGINT, $1) AS n(i)")
        }
    };
    sqlx::query(&sql)
        .bind(count)
        .bind(base)
        .bind(crate::columns::json_text(body))
        .bind(commune)
        .bind(crate::columns::time_text(&at))
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE counters SET value = $1 WHERE name = $2")
        .bind(base + count)
        .bind("change_seq")
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    // PostgreSQL's autovacuum analyses a table after such an insert; done here at once so
    // that the bench measures the plans production gets. SQLite is left as it is in service
    // (never analysed).
    if db.backend() == Backend::Postgres {
        sqlx::raw_sql("ANALYZE records").execute(&db.pool).await?;
    } else {
        // The one huge transaction left its pages in the write-ahead log; a server in service
        // never writes such a transaction, and SQLite's automatic checkpoint keeps the log
        // small. Checkpointed here, so that the first writes after the fill do not each pay
        // for moving a million rows' pages into the database file.
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&db.pool)
            .await?;
    }
    Ok(base + count)
}

/// The query plan SQLite chooses for a pull page of `viewer`
/// ([`Database::pull_page_text_below`]), one step per line: for tests that the pull reads
/// through indexes, `kinds` kept as the server keeps them. Panics on PostgreSQL.
pub async fn pull_page_plan(db: &Database, viewer: &crate::Viewer, kinds: &[&str]) -> String {
    assert_eq!(db.backend(), Backend::Sqlite, "SQLite plans only");
    let (sql, values) = crate::records::page_text_query(db.backend(), viewer, Some(kinds));
    let sql = format!("EXPLAIN QUERY PLAN {sql}");
    let mut query = sqlx::query(&sql).bind(0_i64).bind(10_i64).bind(11_i64);
    for value in values {
        query = query.bind(value);
    }
    let rows = query.fetch_all(&db.pool).await.expect("query plan");
    let plan: Vec<String> = rows
        .iter()
        .map(|row| crate::columns::get_text(row, "detail").expect("plan detail"))
        .collect();
    plan.join("\n")
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn replaces_database_name() {
        assert_eq!(
            with_database_name("postgres://u:p@h:5432/centrale", "t_1"),
            "postgres://u:p@h:5432/t_1"
        );
        assert_eq!(
            with_database_name("postgres://h", "t_1"),
            "postgres://h/t_1"
        );
        assert_eq!(
            with_database_name("postgres://h/db?sslmode=disable", "t_1"),
            "postgres://h/t_1?sslmode=disable"
        );
    }
}
