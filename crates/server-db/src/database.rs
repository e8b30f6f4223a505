//! Opening the database from its URL: SQLite file or PostgreSQL server.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Once};
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

use crate::error::redact_url;
use crate::DbError;

/// Which database engine is behind a [`Database`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    /// One SQLite file (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Short lower-case name (`sqlite`, `postgres`), for logs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A pool of connections to the server's database, cheap to clone (clones share the pool and
/// the writer lock).
#[derive(Clone, Debug)]
pub struct Database {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    /// One writer at a time among the clones of this `Database` (see [`Database::write`]).
    pub(crate) writer: Arc<tokio::sync::Mutex<()>>,
    /// The SQLite file, for messages and backups; `None` on PostgreSQL.
    pub(crate) sqlite_path: Option<PathBuf>,
}

/// Where a database URL points, once checked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

const SQLITE_MAX_CONNECTIONS: u32 = 8;
const POSTGRES_MAX_CONNECTIONS: u32 = 10;

/// A pooled connection idle this long is pinged before it is handed out; one used more recently
/// is handed out as it is. The pool's default pinged every one, every time: on PostgreSQL a
/// round trip more per request (issue 19 §1: a no-change pull is otherwise one query). A dead
/// idle connection is replaced by the ping; one that dies between two uses fails its query
/// once (the PC's sync tries again).
const PING_IF_IDLE_FOR: Duration = Duration::from_secs(10);

/// The pool's options common to both engines.
fn pool_options(
    max_connections: u32,
    acquire_timeout: Duration,
    ping_if_idle_for: Duration,
) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if meta.idle_for >= ping_if_idle_for {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// Registers the SQLite and PostgreSQL drivers with sqlx `Any`, once per process.
pub(crate) fn install_drivers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(sqlx::any::install_default_drivers);
}

fn invalid(url: &str, reason: impl Into<String>) -> DbError {
    DbError::InvalidUrl {
        url: redact_url(url),
        reason: reason.into(),
    }
}

/// Checks a database URL and says where it points.
pub(crate) fn parse_url(url: &str) -> Result<Target, DbError> {
    let trimmed = url.trim();
    if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
        AnyConnectOptions::from_str(trimmed).map_err(|e| invalid(url, e.to_string()))?;
        return Ok(Target::Postgres(trimmed.to_string()));
    }
    let Some(rest) = trimmed.strip_prefix("sqlite:") else {
        return Err(invalid(
            url,
            "seuls les schémas sqlite: et postgres:// sont pris en charge",
        ));
    };
    // `sqlite:///abs/path` → `/abs/path`; `sqlite://rel/path` → `rel/path`; `sqlite:path` as is.
    let path = rest.strip_prefix("//").unwrap_or(rest);
    if path.contains('?') {
        return Err(invalid(
            url,
            "les paramètres (?…) ne sont pas pris en charge",
        ));
    }
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return Err(invalid(url, "il faut le chemin d'un fichier"));
    }
    if path.ends_with('/') || path.ends_with(std::path::MAIN_SEPARATOR) {
        return Err(invalid(url, "le chemin désigne un dossier, pas un fichier"));
    }
    let path = std::path::absolute(Path::new(path)).map_err(|e| invalid(url, e.to_string()))?;
    Ok(Target::Sqlite(path))
}

impl Database {
    /// Opens the database named by `url` with the default pool size (SQLite 8, PostgreSQL 10).
    ///
    /// Accepts `sqlite:chemin/relatif.db`, `sqlite:/abs/path.db`, `sqlite:///abs/path.db`,
    /// `sqlite://chemin.db`, `postgres://…` and `postgresql://…`. A missing SQLite file (and its
    /// folder) is created. Does not migrate: call [`Database::migrate`].
    pub async fn connect(url: &str) -> Result<Database, DbError> {
        Self::connect_with(url, None).await
    }

    /// Like [`Database::connect`], with an explicit maximum number of pooled connections.
    pub async fn connect_with(
        url: &str,
        max_connections: Option<u32>,
    ) -> Result<Database, DbError> {
        install_drivers();
        match parse_url(url)? {
            Target::Sqlite(path) => Self::open_sqlite(path, max_connections).await,
            Target::Postgres(pg_url) => Self::open_postgres(&pg_url, max_connections).await,
        }
    }

    async fn open_sqlite(path: PathBuf, max: Option<u32>) -> Result<Database, DbError> {
        let target = path.display().to_string();
        let unavailable = |reason: String| DbError::Unavailable {
            target: target.clone(),
            reason,
        };
        if path.is_dir() {
            return Err(unavailable("c'est un dossier, pas un fichier".into()));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| unavailable(format!("dossier {} : {e}", parent.display())))?;
        }
        let url = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .to_url_lossy();
        let options = AnyConnectOptions::from_url(&url).map_err(|e| unavailable(e.to_string()))?;
        let pool = pool_options(
            max.unwrap_or(SQLITE_MAX_CONNECTIONS),
            Duration::from_secs(30),
            PING_IF_IDLE_FOR,
        )
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // busy_timeout first, so that switching to WAL waits for other openers.
                conn.execute("PRAGMA busy_timeout = 5000").await?;
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = FULL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                // A pull page reads its records through the mapped file instead of
                // copying each page in, and sorts its seqs in memory: measured (issue 19
                // §4), a page of 500 orders 5.8 → 3.8 ms. 256 MiB of address space, not
                // of memory: the kernel's page cache backs it.
                conn.execute("PRAGMA temp_store = MEMORY").await?;
                conn.execute("PRAGMA mmap_size = 268435456").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
        Ok(Database {
            pool,
            backend: Backend::Sqlite,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            sqlite_path: Some(path),
        })
    }

    async fn open_postgres(url: &str, max: Option<u32>) -> Result<Database, DbError> {
        let options = AnyConnectOptions::from_str(url).map_err(|e| invalid(url, e.to_string()))?;
        let unavailable = |e: sqlx::Error| DbError::Unavailable {
            target: redact_url(url),
            reason: e.to_string(),
        };
        // One direct attempt first: the pool would retry a refused connection until its
        // acquire timeout, and a wrong URL deserves an immediate answer.
        let probe = options.connect().await.map_err(unavailable)?;
        let _ = probe.close().await;
        let pool = pool_options(
            max.unwrap_or(POSTGRES_MAX_CONNECTIONS),
            Duration::from_secs(10),
            PING_IF_IDLE_FOR,
        )
        .connect_with(options)
        .await
        .map_err(unavailable)?;
        Ok(Database {
            pool,
            backend: Backend::Postgres,
            writer: Arc::new(tokio::sync::Mutex::new(())),
            sqlite_path: None,
        })
    }

    /// Which engine this database runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every pooled connection (waits for connections in use to come back).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_connection_the_database_dropped_while_idle_is_replaced_not_handed_out() {
        for backend in crate::testing::backends_under_test() {
            let (db, guard) = crate::testing::fresh_database_on(backend).await;
            db.close().await;
            let options = AnyConnectOptions::from_str(guard.url()).expect("the test URL");
            // One connection, pinged whatever its idle time: the check itself, made certain.
            let pool = pool_options(1, Duration::from_secs(10), Duration::ZERO)
                .connect_with(options)
                .await
                .expect("the pool");
            let who = match backend {
                Backend::Sqlite => "SELECT 1",
                Backend::Postgres => "SELECT CAST(pg_backend_pid() AS BIGINT)",
            };
            let first: i64 = sqlx::query_scalar(who)
                .fetch_one(&pool)
                .await
                .expect("first");
            if backend == Backend::Postgres {
                // The server ends the pooled connection while it is idle (a restart, a timeout).
                let mut admin = sqlx::AnyConnection::connect(guard.url())
                    .await
                    .expect("a second connection");
                let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
                    .bind(i32::try_from(first).expect("a process id"))
                    .fetch_one(&mut admin)
                    .await
                    .expect("ending the pooled connection");
                assert!(ended, "the pooled connection was not ended");
                let _ = admin.close().await;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let second: i64 = sqlx::query_scalar(who)
                .fetch_one(&pool)
                .await
                .expect("the pool hands out a live connection, not the dropped one");
            if backend == Backend::Postgres {
                assert_ne!(second, first, "a new connection replaces the dropped one");
            } else {
                assert_eq!(second, 1);
            }
            pool.close().await;
        }
    }

    #[test]
    fn url_forms() {
        let abs = |p: &str| Target::Sqlite(std::path::absolute(p).expect("absolute"));
        assert_eq!(parse_url("sqlite:data/c.db").ok(), Some(abs("data/c.db")));
        assert_eq!(parse_url("sqlite:///tmp/c.db").ok(), Some(abs("/tmp/c.db")));
        assert_eq!(parse_url("sqlite:/tmp/c.db").ok(), Some(abs("/tmp/c.db")));
        assert_eq!(parse_url("sqlite://c.db").ok(), Some(abs("c.db")));
        assert_eq!(
            parse_url("postgresql://u:p@h:5432/b").ok(),
            Some(Target::Postgres("postgresql://u:p@h:5432/b".into()))
        );
        for bad in [
            "",
            "c.db",
            "mysql://u@h/b",
            "sqlite:",
            "sqlite://",
            "sqlite::memory:",
            "sqlite:c.db?mode=ro",
            "sqlite:data/",
            "http://example.org",
        ] {
            let err = parse_url(bad).expect_err(bad);
            assert_eq!(err.code(), "db_invalid_url", "{bad}");
        }
    }

    #[test]
    fn invalid_url_message_hides_password_and_shows_examples() {
        let err = parse_url("mysql://u:secret@h/b").expect_err("refused");
        let msg = err.to_string();
        assert!(!msg.contains("secret"), "{msg}");
        assert!(msg.contains("sqlite:chemin/vers/fichier.db"), "{msg}");
        assert!(msg.contains("postgres://"), "{msg}");
    }
}
