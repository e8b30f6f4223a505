//! Schema migrations: numbered plain SQL files, one folder per dialect, embedded in the binary
//! and applied by sqlx's migrator (issue 18 point 2).
//!
//! sqlx records each applied migration in `_sqlx_migrations` with the SHA-384 of its text, runs
//! each file in one transaction with its bookkeeping row, takes an advisory lock on PostgreSQL
//! so that two servers starting together do not migrate twice, and refuses
//! - a database holding a migration this binary does not know ([`DbError::TooNew`], nothing
//!   written), and
//! - a database where an applied migration's text has changed since
//!   ([`DbError::MigrationMismatch`]): a migration, once released, is never edited; a change is
//!   a new file.
//!
//! The files are listed here rather than read by the `sqlx::migrate!` macro: the macro would
//! build sqlx's drivers a second time for the compiler (minutes on CI) for what one list says.
//!
//! Databases created before (table `schema_migrations`, versions only) are adopted on their
//! next migration: their applied versions are recorded in `_sqlx_migrations` with today's
//! checksums, in one transaction, and the old table is dropped.

use std::borrow::Cow;

use sqlx::migrate::{MigrateError, Migration, MigrationType, Migrator};
use sqlx::Row;

use crate::{Backend, Database, DbError};

/// One embedded migration file.
struct File {
    version: i64,
    description: &'static str,
    sql: &'static str,
}

/// The migrations, one line each: the same versions in both dialects, each dialect's file
/// under `migrations/<dialect>/<name>.sql`.
macro_rules! files {
    ($($version:literal $name:literal,)*) => {
        const SQLITE: &[File] = &[$(File {
            version: $version,
            description: $name,
            sql: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
        }),*];
        const POSTGRES: &[File] = &[$(File {
            version: $version,
            description: $name,
            sql: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }),*];
    };
}

files! {
    1 "0001_init",
    2 "0002_user_gender",
    3 "0003_mail",
    4 "0004_document_files",
    5 "0005_mail_attachments",
    6 "0006_mail_preferences",
    7 "0007_pull_indexes",
    8 "0008_user_alderman",
    9 "0009_second_factor",
    10 "0010_app_releases",
    11 "0011_alderman_rank",
}

/// The newest schema version this binary knows (same for both dialects).
pub const LATEST_SCHEMA_VERSION: i64 = 11;

/// The table the migrations were recorded in before sqlx's migrator.
const LEGACY_TABLE: &str = "schema_migrations";
/// sqlx's table.
const SQLX_TABLE: &str = "_sqlx_migrations";

fn files(backend: Backend) -> &'static [File] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// sqlx's migrator over the embedded files of `backend`.
fn migrator(backend: Backend) -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            files(backend)
                .iter()
                .map(|f| {
                    Migration::new(
                        f.version,
                        Cow::Borrowed(f.description),
                        MigrationType::Simple,
                        Cow::Borrowed(f.sql),
                        false,
                    )
                })
                .collect(),
        ),
        ..Migrator::DEFAULT
    }
}

/// The versions this binary knows, in order (the same for both dialects). They increase but
/// may skip numbers: work merged from parallel branches reserves its numbers in advance.
#[cfg(test)]
pub(crate) fn known_versions() -> Vec<i64> {
    SQLITE.iter().map(|m| m.version).collect()
}

impl Database {
    /// Brings the schema to [`LATEST_SCHEMA_VERSION`] and returns the versions applied now
    /// (empty when already up to date).
    ///
    /// Refuses with [`DbError::TooNew`], without writing, a database migrated by a newer binary,
    /// and with [`DbError::MigrationMismatch`] one whose applied migration has been edited.
    pub async fn migrate(&self) -> Result<Vec<i64>, DbError> {
        self.adopt_legacy_table().await?;
        let before = self.applied_versions().await?;
        let latest = LATEST_SCHEMA_VERSION;
        if let Some(&found) = before.iter().max().filter(|&&v| v > latest) {
            return Err(DbError::TooNew {
                found,
                known: latest,
            });
        }
        migrator(self.backend)
            .run(&self.pool)
            .await
            .map_err(|e| match e {
                MigrateError::VersionMissing(found) => DbError::TooNew {
                    found,
                    known: latest,
                },
                MigrateError::VersionMismatch(version) => DbError::MigrationMismatch { version },
                MigrateError::Execute(e) => DbError::from(e),
                MigrateError::ExecuteMigration(e, version) => {
                    tracing::error!(version, error = %e, "migration failed");
                    DbError::from(e)
                }
                other => DbError::Corrupt(other.to_string()),
            })?;
        let applied: Vec<i64> = self
            .applied_versions()
            .await?
            .into_iter()
            .filter(|v| !before.contains(v))
            .collect();
        for version in &applied {
            tracing::info!(version, backend = self.backend.name(), "migration applied");
        }
        Ok(applied)
    }

    /// The schema version recorded in the database (0 when never migrated).
    pub async fn schema_version(&self) -> Result<i64, DbError> {
        if self.table_exists(SQLX_TABLE).await? {
            return Ok(self
                .applied_versions()
                .await?
                .into_iter()
                .max()
                .unwrap_or(0));
        }
        if self.table_exists(LEGACY_TABLE).await? {
            return self.legacy_version().await;
        }
        Ok(0)
    }

    /// The versions sqlx recorded as applied, in order (none before the first migration).
    async fn applied_versions(&self) -> Result<Vec<i64>, DbError> {
        if !self.table_exists(SQLX_TABLE).await? {
            return Ok(vec![]);
        }
        let rows =
            sqlx::query("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| r.try_get::<i64, _>("version").map_err(DbError::from))
            .collect()
    }

    async fn legacy_version(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("v")?)
    }

    async fn table_exists(&self, table: &str) -> Result<bool, DbError> {
        let n: i64 = match self.backend {
            Backend::Sqlite => sqlx::query(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
            ),
            Backend::Postgres => sqlx::query(
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1",
            ),
        }
        .bind(table)
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?;
        Ok(n > 0)
    }

    /// Records the versions of the old `schema_migrations` table in sqlx's, with the checksums
    /// of the files as they are now, then drops the old table: one transaction, and nothing
    /// written for a database newer than this binary.
    async fn adopt_legacy_table(&self) -> Result<(), DbError> {
        if !self.table_exists(LEGACY_TABLE).await? {
            return Ok(());
        }
        let legacy = self.legacy_version().await?;
        if legacy > LATEST_SCHEMA_VERSION {
            return Err(DbError::TooNew {
                found: legacy,
                known: LATEST_SCHEMA_VERSION,
            });
        }
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        // The same table as sqlx creates (`ensure_migrations_table`), in this transaction.
        let create = match self.backend {
            Backend::Sqlite => {
                "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, \
                 description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT \
                 CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, \
                 execution_time BIGINT NOT NULL)"
            }
            Backend::Postgres => {
                "CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, \
                 description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), \
                 success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, \
                 execution_time BIGINT NOT NULL)"
            }
        };
        sqlx::query(create).execute(&mut *tx).await?;
        let rows = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&mut *tx)
            .await?;
        let recorded: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get::<i64, _>("version"))
            .collect::<Result<_, _>>()?;
        for migration in migrator(self.backend)
            .iter()
            .filter(|m| recorded.contains(&m.version))
        {
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
                 execution_time) VALUES ($1, $2, TRUE, $3, 0)",
            )
            .bind(migration.version)
            .bind(migration.description.to_string())
            .bind(migration.checksum.to_vec())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DROP TABLE schema_migrations")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(
            version = legacy,
            backend = self.backend.name(),
            "migrations recorded by sqlx's migrator from now on"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{backends_under_test, fresh_database_on, fresh_empty_database_on};
    use crate::tests::{public, put, record};

    #[test]
    fn both_dialects_know_the_same_versions_in_order() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let versions: Vec<i64> = files(backend).iter().map(|f| f.version).collect();
            assert_eq!(versions, known_versions(), "{backend:?}");
            assert_eq!(versions.last(), Some(&LATEST_SCHEMA_VERSION));
            assert!(
                versions.windows(2).all(|w| w[0] < w[1]) && versions[0] == 1,
                "versions start at 1 and increase: {versions:?}"
            );
            for f in files(backend) {
                assert!(
                    f.description.starts_with(&format!("{:04}_", f.version)),
                    "{} is numbered as its file",
                    f.description
                );
            }
        }
    }

    #[tokio::test]
    async fn migrate_twice_is_a_no_op() {
        for backend in backends_under_test() {
            let (db, _guard) = fresh_empty_database_on(backend).await;
            assert_eq!(db.schema_version().await.expect("version"), 0);
            assert_eq!(
                db.migrate().await.expect("first"),
                known_versions(),
                "{backend:?}"
            );
            assert_eq!(db.migrate().await.expect("second"), Vec::<i64>::new());
            assert_eq!(
                db.schema_version().await.expect("version"),
                LATEST_SCHEMA_VERSION
            );
            assert_eq!(db.max_seq().await.expect("max"), 0);
        }
    }

    /// Records `version` in sqlx's table as if a binary had applied it, with `checksum`.
    async fn record_migration(db: &Database, version: i64, checksum: &[u8]) {
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES ($1, $2, TRUE, $3, 0)",
        )
        .bind(version)
        .bind("from a newer binary")
        .bind(checksum.to_vec())
        .execute(&db.pool)
        .await
        .expect("insert");
    }

    #[tokio::test]
    async fn too_new_database_is_refused() {
        for backend in backends_under_test() {
            let (db, _guard) = fresh_database_on(backend).await;
            record_migration(&db, LATEST_SCHEMA_VERSION + 7, b"future").await;
            let err = db.migrate().await.expect_err("too new");
            assert_eq!(err.code(), "db_too_new", "{backend:?}");
            assert!(matches!(err, DbError::TooNew { found, known }
                if found == LATEST_SCHEMA_VERSION + 7 && known == LATEST_SCHEMA_VERSION));
            assert!(err.to_string().contains("plus récent"), "{err}");
        }
    }

    /// Issue 18 point 2: an applied migration whose text changed since is refused by its checksum,
    /// before anything runs.
    #[tokio::test]
    async fn an_edited_migration_is_refused_by_its_checksum() {
        for backend in backends_under_test() {
            let (db, _guard) = fresh_database_on(backend).await;
            sqlx::query("UPDATE _sqlx_migrations SET checksum = $1 WHERE version = 3")
                .bind(vec![0_u8; 48])
                .execute(&db.pool)
                .await
                .expect("update");
            let err = db.migrate().await.expect_err("edited");
            assert_eq!(err.code(), "db_migration_mismatch", "{backend:?}");
            assert!(
                matches!(err, DbError::MigrationMismatch { version: 3 }),
                "{err:?}"
            );
            assert!(err.to_string().contains("migration 3"), "{err}");
        }
    }

    /// A database migrated before sqlx's migrator (versions in `schema_migrations`) is adopted:
    /// nothing runs again, every version is recorded with its checksum, the old table is gone, and
    /// a second run changes nothing.
    #[tokio::test]
    async fn a_database_of_the_old_runner_is_adopted_without_running_anything_again() {
        for backend in backends_under_test() {
            let (db, _guard) = fresh_database_on(backend).await;
            put(&db, &record("catalogue", "c1", 1, public())).await;
            sqlx::raw_sql(
                // The old runner stopped at version 9: the tables of later migrations are not
                // in such a database.
                "DROP TABLE _sqlx_migrations; DROP TABLE app_releases; \
                 ALTER TABLE users DROP COLUMN alderman_rank; \
                 ALTER TABLE users DROP COLUMN alderman_belgian; \
                 CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL); \
                 INSERT INTO schema_migrations VALUES (1, 'x'), (2, 'x'), (3, 'x'), (4, 'x'), \
                 (5, 'x'), (6, 'x'), (7, 'x'), (8, 'x'), (9, 'x');",
            )
            .execute(&db.pool)
            .await
            .expect("the old runner's table");
            assert_eq!(
                db.schema_version().await.expect("version"),
                9,
                "{backend:?}"
            );
            assert_eq!(
                db.migrate().await.expect("adopted"),
                known_versions()
                    .into_iter()
                    .filter(|v| *v > 9)
                    .collect::<Vec<_>>(),
                "only what came after the old runner"
            );
            assert_eq!(
                db.schema_version().await.expect("version"),
                LATEST_SCHEMA_VERSION
            );
            assert_eq!(db.max_seq().await.expect("max"), 1, "the data is kept");
            let old: i64 = sqlx::query(match backend {
                Backend::Sqlite => {
                    "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'"
                }
                Backend::Postgres => {
                    "SELECT COUNT(*) AS n FROM information_schema.tables \
                    WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
                }
            })
            .fetch_one(&db.pool)
            .await
            .expect("count")
            .try_get("n")
            .expect("n");
            assert_eq!(old, 0, "{backend:?}");
            assert_eq!(db.migrate().await.expect("again"), Vec::<i64>::new());
        }
    }
}
