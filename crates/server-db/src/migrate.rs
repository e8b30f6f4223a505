//! Schema migrations: numbered plain SQL files, one folder per dialect, embedded in the binary.
//!
//! The runner is deliberately small. Table `schema_migrations(version, applied_at)` records what
//! was applied; each migration runs in its own transaction together with its bookkeeping row,
//! so a crash leaves the schema at a known version. A database whose version is higher than the
//! newest migration known here is refused ([`DbError::TooNew`]) before anything is written.
//!
//! Splitting a file into statements (sqlx sends one statement at a time): a statement ends at a
//! line whose text ends with `;`, except
//! - inside a SQLite trigger body, from a line ending in `BEGIN` to the line `END;` (the trigger
//!   is one statement), and
//! - between `$$` quotes (a PostgreSQL function body).
//!
//! Comment-only chunks are skipped. Keep one statement per `;`-terminated line group; do not put
//! two statements on one line.

use chrono::Utc;
use sqlx::{Any, Row, Transaction};

use crate::columns::time_text;
use crate::{Backend, Database, DbError};

/// One embedded migration.
struct Migration {
    version: i64,
    sql: &'static str,
}

const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/sqlite/0002_user_gender.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../migrations/sqlite/0003_mail.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../migrations/sqlite/0004_document_files.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../migrations/sqlite/0005_mail_attachments.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../migrations/sqlite/0006_mail_preferences.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../migrations/sqlite/0007_pull_indexes.sql"),
    },
    Migration {
        version: 8,
        sql: include_str!("../migrations/sqlite/0008_user_alderman.sql"),
    },
    Migration {
        version: 9,
        sql: include_str!("../migrations/sqlite/0009_second_factor.sql"),
    },
];

const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../migrations/postgres/0002_user_gender.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../migrations/postgres/0003_mail.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../migrations/postgres/0004_document_files.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../migrations/postgres/0005_mail_attachments.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../migrations/postgres/0006_mail_preferences.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../migrations/postgres/0007_pull_indexes.sql"),
    },
    Migration {
        version: 8,
        sql: include_str!("../migrations/postgres/0008_user_alderman.sql"),
    },
    Migration {
        version: 9,
        sql: include_str!("../migrations/postgres/0009_second_factor.sql"),
    },
];

/// The newest schema version this binary knows (same for both dialects).
pub const LATEST_SCHEMA_VERSION: i64 = 9;

/// Advisory lock key taken by migrations on PostgreSQL, so that two servers starting together
/// do not migrate twice.
const MIGRATION_LOCK_KEY: i64 = 4243;

/// The versions this binary knows, in order (the same for both dialects). They increase but
/// may skip numbers: work merged from parallel branches reserves its numbers in advance.
#[cfg(test)]
pub(crate) fn known_versions() -> Vec<i64> {
    SQLITE.iter().map(|m| m.version).collect()
}

fn migrations(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// Splits a migration file into statements (see the module documentation for the rule).
pub(crate) fn split_statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_dollar = false;
    let mut in_trigger = false;
    for line in sql.lines() {
        current.push_str(line);
        current.push('\n');
        let text = line.trim().to_ascii_uppercase();
        if !in_dollar && text.starts_with("--") {
            continue;
        }
        if line.matches("$$").count() % 2 == 1 {
            in_dollar = !in_dollar;
        }
        if in_dollar {
            continue;
        }
        if !in_trigger && (text == "BEGIN" || text.ends_with(" BEGIN")) {
            in_trigger = true;
            continue;
        }
        let ends = text.ends_with(';');
        if in_trigger {
            if ends && text.starts_with("END") {
                in_trigger = false;
                push_statement(&mut out, &mut current);
            }
        } else if ends {
            push_statement(&mut out, &mut current);
        }
    }
    push_statement(&mut out, &mut current);
    out
}

fn push_statement(out: &mut Vec<String>, current: &mut String) {
    let has_sql = current
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with("--"));
    if has_sql {
        out.push(current.trim().to_string());
    }
    current.clear();
}

impl Database {
    /// Brings the schema to [`LATEST_SCHEMA_VERSION`] and returns the versions applied now
    /// (empty when already up to date).
    ///
    /// Refuses with [`DbError::TooNew`], without writing, a database migrated by a newer binary.
    pub async fn migrate(&self) -> Result<Vec<i64>, DbError> {
        let known = migrations(self.backend);
        let latest = known.last().map_or(0, |m| m.version);
        let mut applied = Vec::new();

        let mut tx = self.begin_migration().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (\
             version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let current = current_version(&mut tx).await?;
        tx.commit().await?;
        if current > latest {
            return Err(DbError::TooNew {
                found: current,
                known: latest,
            });
        }

        for migration in known.iter().filter(|m| m.version > current) {
            let mut tx = self.begin_migration().await?;
            // Another process may have applied it while we waited for the lock.
            let now_current = current_version(&mut tx).await?;
            if now_current >= migration.version {
                continue;
            }
            for statement in split_statements(migration.sql) {
                sqlx::raw_sql(&statement)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| {
                        tracing::error!(version = migration.version, %statement, error = %e, "migration failed");
                        e
                    })?;
            }
            sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(migration.version)
                .bind(time_text(&Utc::now()))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(
                version = migration.version,
                backend = self.backend.name(),
                "migration applied"
            );
            applied.push(migration.version);
        }
        Ok(applied)
    }

    /// The schema version recorded in the database (0 when never migrated).
    pub async fn schema_version(&self) -> Result<i64, DbError> {
        let exists = match self.backend {
            Backend::Sqlite => sqlx::query(
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
            ),
            Backend::Postgres => sqlx::query(
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1",
            ),
        }
        .bind("schema_migrations")
        .fetch_one(&self.pool)
        .await?
        .try_get::<i64, _>("n")?;
        if exists == 0 {
            return Ok(0);
        }
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("v")?)
    }

    async fn begin_migration(&self) -> Result<Transaction<'static, Any>, DbError> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(MIGRATION_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }
}

async fn current_version(tx: &mut Transaction<'static, Any>) -> Result<i64, DbError> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
        .fetch_one(&mut **tx)
        .await?;
    Ok(row.try_get::<i64, _>("v")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_plain_statements_triggers_and_dollar_bodies() {
        let sql = "-- a comment; with semicolon and `$$`\n\
                   CREATE TABLE a (x BIGINT);\n\
                   CREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;\n\
                   CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    RAISE EXCEPTION 'x';\nEND;\n$$;\n\
                   INSERT INTO a (x)\n    VALUES (1);\n-- trailing comment\n";
        let parts = split_statements(sql);
        assert_eq!(parts.len(), 4, "{parts:#?}");
        assert!(parts[0].ends_with("CREATE TABLE a (x BIGINT);"));
        assert!(parts[1].starts_with("CREATE TRIGGER") && parts[1].ends_with("END;"));
        assert!(parts[2].starts_with("CREATE FUNCTION") && parts[2].ends_with("$$;"));
        assert!(parts[3].starts_with("INSERT"));
    }

    #[test]
    fn embedded_files_split_cleanly() {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let m = migrations(backend);
            assert_eq!(m.last().map(|m| m.version), Some(LATEST_SCHEMA_VERSION));
            let versions: Vec<i64> = m.iter().map(|m| m.version).collect();
            assert_eq!(versions, known_versions(), "same versions in both dialects");
            assert!(
                versions.windows(2).all(|w| w[0] < w[1]) && versions[0] == 1,
                "versions start at 1 and increase: {versions:?}"
            );
            for mig in m {
                for s in split_statements(mig.sql) {
                    assert!(s.trim_end().ends_with(';'), "{s}");
                }
            }
        }
    }
}
