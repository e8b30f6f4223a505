//! Centrale's local cache on the commune's PC: one SQLite file holding the records this
//! account may see, the changes the user made that the server has not accepted yet (the
//! outbox), and the sync cursor.
//!
//! Every user action is a named mutation: its optimistic effect on the cached records and its
//! outbox entry are written in one transaction. The server's state is kept under each local
//! change so that pulled changes, refusals and conflicts can be laid out again without losing
//! what the user typed. This crate never talks to the network: the sync crate does.

mod error;
mod files;
mod local;
mod open;
mod outbox;
mod pool;
pub mod read;
mod records;
mod rescue;
mod sync_apply;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use centrale_protocol::{Me, ServerSettings};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

/// The SHA-256 a file is kept under (the domain's), for the sync crate.
pub use centrale_domain::sha256_hex;
pub use error::{Result, StoreError};
pub use files::{KeptFile, NeededFile};
pub use open::{backup_path, SCHEMA_VERSION};
pub use outbox::{Conflict, OutboxEntry, OutboxState, Queued};
pub use rescue::Rescued;
pub use sync_apply::{PageApplied, ResultsApplied};

/// The file name of the cache inside the app-data folder.
pub const FILE_NAME: &str = "centrale.db";

/// The local cache. Cheap to clone; one writer connection, a pool of readers (WAL lets reads
/// run while a sync writes).
#[derive(Clone)]
pub struct Store {
    inner: Arc<pool::Pool>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

impl Store {
    /// Opens (creating or migrating) the cache at `path`. A damaged file gives
    /// [`StoreError::Corrupt`] (see [`Store::rescue`]); a file from a newer build gives
    /// [`StoreError::TooNew`] and is left untouched.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_at_schema(path, SCHEMA_VERSION)
    }

    /// Opens the cache migrated only up to `version` (to build the caches of older releases
    /// in migration tests).
    #[doc(hidden)]
    pub fn open_at_schema(path: impl AsRef<Path>, version: i64) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        let mut writer = open::connect(&path, true)?;
        let existing = open::schema_version(&path, &writer)?;
        if existing > 0 {
            open::check_integrity(&path, &writer)?;
        }
        open::migrate(&path, &mut writer, version)?;
        let store = Store {
            inner: Arc::new(pool::Pool::new(path, writer)),
        };
        store.write(|tx| {
            if meta_get(tx, "client_id")?.is_none() {
                meta_set(tx, "client_id", &Uuid::now_v7().to_string())?;
            }
            Ok(())
        })?;
        Ok(store)
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on a reader connection (never waits for the writer).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.inner.read(f)
    }

    /// Runs `f` in one immediate write transaction, committed when `f` succeeds.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Result<T>) -> Result<T> {
        self.inner.write(|conn| {
            let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&mut tx)?;
            tx.commit()?;
            Ok(out)
        })
    }

    /// This installation's id (made at the first open).
    pub fn client_id(&self) -> Result<Uuid> {
        let id = self.read(|c| meta_get(c, "client_id"))?.ok_or_else(|| {
            StoreError::refused("cache_no_client_id", "Installation sans identifiant.")
        })?;
        Uuid::parse_str(&id).map_err(|e| {
            StoreError::refused(
                "cache_no_client_id",
                format!("Identifiant d'installation illisible : {e}"),
            )
        })
    }

    /// The last cursor stored with a pulled page (0 before the first sync).
    pub fn cursor(&self) -> Result<i64> {
        Ok(self
            .read(|c| meta_get(c, "cursor"))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// The account signed in on this PC, if any.
    pub fn session(&self) -> Result<Option<Me>> {
        self.read(session_of)
    }

    /// Records who signed in (not the token: that lives in the OS keyring).
    ///
    /// When an account that sees other records signs in (another commune, the centrale, a
    /// provider), the cached records are the previous view: they are wiped and the next sync
    /// starts from zero. Accounts of one commune share the cache. The outbox is kept.
    pub fn set_session(&self, me: &Me) -> Result<()> {
        self.write(|tx| {
            let previous = session_of(tx)?;
            let same_view = previous.as_ref().is_some_and(|p| view_of(p) == view_of(me));
            if previous.is_some() && !same_view {
                records::wipe(tx)?;
                meta_set(tx, "cursor", "0")?;
            }
            meta_set(tx, "session", &serde_json::to_string(me)?)?;
            meta_set(
                &*tx,
                &format!("account:{}", me.user_id),
                &serde_json::to_string(me)?,
            )
        })
    }

    /// Forgets who is signed in (log out). Cached records and the outbox stay.
    pub fn clear_session(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM meta WHERE key = 'session'", [])?;
            Ok(())
        })
    }

    /// A free-form setting of this installation (e.g. the server's address).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| meta_get(c, &format!("setting:{key}")))
    }

    /// Stores a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| meta_set(tx, &format!("setting:{key}"), value))
    }

    /// The server's procurement settings as last pulled; `None` before the first pull.
    pub fn server_settings(&self) -> Result<Option<ServerSettings>> {
        self.read(|c| match meta_get(c, "server_settings")? {
            Some(json) => Ok(Some(serde_json::from_str(&json)?)),
            None => Ok(None),
        })
    }

    /// Keeps the server's settings (written only when they changed: a pull is usually empty).
    pub fn set_server_settings(&self, settings: &ServerSettings) -> Result<()> {
        if self.server_settings()?.as_ref() == Some(settings) {
            return Ok(());
        }
        let json = serde_json::to_string(settings)?;
        self.write(|tx| meta_set(tx, "server_settings", &json))
    }
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// What an account sees: every account of one commune sees the same records.
fn view_of(me: &Me) -> String {
    use centrale_protocol::Role;
    match me.role {
        Role::DirectorGeneral | Role::Mayor | Role::CommuneStaff => {
            format!("commune:{}", me.commune_nis.as_deref().unwrap_or(""))
        }
        Role::CentraleStaff => "centrale".into(),
        Role::ProviderUser => format!("provider:{}", me.provider_id.unwrap_or_default()),
    }
}

fn session_of(conn: &Connection) -> Result<Option<Me>> {
    match meta_get(conn, "session")? {
        Some(json) => Ok(Some(serde_json::from_str(&json)?)),
        None => Ok(None),
    }
}

/// Where the cache lives in an app-data folder.
pub fn default_path(app_data_dir: &Path) -> PathBuf {
    app_data_dir.join(FILE_NAME)
}
