//! One commune PC: a real cache file in a temporary folder, a real sync client, a token in
//! memory (the OS keyring's stand-in, which survives the app being killed).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use centrale_protocol::mutations::Mutation;
use centrale_protocol::LoginResponse;
use centrale_store::{Queued, Store, StoreError};
use centrale_sync::{
    Credentials, MemoryCredentials, SyncClient, SyncConfig, SyncError, SyncReport,
};

use crate::cache::Live;

/// A signed-in PC.
pub struct TestClient {
    /// The account signed in.
    pub username: String,
    /// The cache.
    pub store: Store,
    /// The sync client.
    pub sync: SyncClient,
    /// How it talks to the server.
    pub config: SyncConfig,
    credentials: Arc<MemoryCredentials>,
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl TestClient {
    /// A new PC (an empty cache in a new temporary folder) signed in as `login`'s account,
    /// talking to `config.server_url`.
    pub fn new(config: SyncConfig, login: &LoginResponse) -> TestClient {
        let dir = tempfile::tempdir().expect("creating a temporary folder");
        let path = centrale_store::default_path(dir.path());
        let mut client = TestClient::at(config, &path, login);
        client._dir = Some(dir);
        client
    }

    /// A PC whose cache is the file at `path` (created when missing), signed in with a token
    /// already obtained (`login`): the session is recorded as the app does after a login.
    pub fn at(config: SyncConfig, path: &Path, login: &LoginResponse) -> TestClient {
        let store = Store::open(path).expect("opening the cache");
        let credentials = Arc::new(MemoryCredentials::new());
        credentials.store(&login.token).expect("storing the token");
        store
            .set_session(&login.user)
            .expect("recording the session");
        let sync = SyncClient::new(config.clone(), store.clone(), credentials.clone())
            .expect("building the sync client");
        TestClient {
            username: login.user.username.clone(),
            store,
            sync,
            config,
            credentials,
            path: path.to_path_buf(),
            _dir: None,
        }
    }

    /// A new PC whose user signs in through the app's own login (the token goes to the
    /// credential store, the account to the cache).
    pub async fn sign_in(config: SyncConfig, username: &str) -> TestClient {
        let dir = tempfile::tempdir().expect("creating a temporary folder");
        let path = centrale_store::default_path(dir.path());
        let store = Store::open(&path).expect("opening the cache");
        let credentials = Arc::new(MemoryCredentials::new());
        let sync = SyncClient::new(config.clone(), store.clone(), credentials.clone())
            .expect("building the sync client");
        sync.login(
            username,
            centrale_server::seed::DEMO_PASSWORD,
            "PC du secrétariat",
        )
        .await
        .unwrap_or_else(|e| panic!("login of {username}: {e}"));
        TestClient {
            username: username.to_string(),
            store,
            sync,
            config,
            credentials,
            path,
            _dir: Some(dir),
        }
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The user acts: the mutation goes to the outbox with its local effect.
    pub fn act(&self, mutation: &Mutation) -> Queued {
        self.try_act(mutation)
            .unwrap_or_else(|e| panic!("{} could not do {}: {e}", self.username, mutation.name()))
    }

    /// The user tries to act; a local refusal is returned. A demo account with a second
    /// factor types its demo code for a signing act (issue 17 point 9), at the server's time
    /// of the last sync, as the app's server-adjusted clock would.
    pub fn try_act(&self, mutation: &Mutation) -> Result<Queued, StoreError> {
        let me = self.store.session().ok().flatten();
        match me.filter(|me| {
            centrale_domain::second_factor::asked_for(mutation.act(), me.role, me.second_factor)
        }) {
            Some(me) => {
                let at = self
                    .store
                    .last_sync()
                    .ok()
                    .flatten()
                    .unwrap_or_else(chrono::Utc::now);
                let code = centrale_server::second_factor::demo_proof(&me.username, mutation, at)
                    .map(|p| p.code);
                self.store.enqueue_signed_at(mutation, at, code.as_deref())
            }
            None => self.store.enqueue(mutation),
        }
    }

    /// One sync, which must succeed.
    pub async fn sync(&self) -> SyncReport {
        self.sync
            .sync_once()
            .await
            .unwrap_or_else(|e| panic!("sync of {} failed: {e} ({})", self.username, e.code()))
    }

    /// One sync, as it ends.
    pub async fn try_sync(&self) -> Result<SyncReport, SyncError> {
        self.sync.sync_once().await
    }

    /// The app is killed and started again: every connection to the cache and the server is
    /// dropped, the cache is opened again from its file; the token stays in the keyring.
    pub fn restart(self) -> TestClient {
        let TestClient {
            username,
            store,
            sync,
            config,
            credentials,
            path,
            _dir,
        } = self;
        drop(sync);
        drop(store);
        let store = Store::open(&path).expect("opening the cache again");
        let sync = SyncClient::new(config.clone(), store.clone(), credentials.clone())
            .expect("building the sync client");
        TestClient {
            username,
            store,
            sync,
            config,
            credentials,
            path,
            _dir,
        }
    }

    /// The same PC, talking with another configuration (e.g. an older protocol).
    pub fn with_config(&self, config: SyncConfig) -> SyncClient {
        SyncClient::new(config, self.store.clone(), self.credentials.clone())
            .expect("building the sync client")
    }

    /// The live records the user sees.
    pub fn live(&self) -> Live {
        Live::of_store(&self.store)
    }
}
