//! The app without its window: everything a Tauri command does, written against [`Events`] so
//! that tests drive it with no WebView (`tests/host.rs`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use centrale_protocol::{Me, ServerSettings};
use centrale_store::read::{
    AdhesionScreen, CommuneRow, DeploymentPage, DeploymentQuery, FrameworkTermsInForce, Home,
    MailPreferencesScreen, OrderDetail, OrderFilter, OrderRow, Overview, ProviderRow,
    ServiceDetail, ServiceFilter, ServiceRow, StandingRow,
};
use centrale_store::{Conflict, OutboxEntry, Store};
use centrale_sync::{
    EngineTiming, ProbeError, SyncClient, SyncConfig, SyncEngine, SyncError, SyncPhase, SyncStatus,
};
use chrono::{Duration, NaiveDate, Utc};
use serde::Serialize;
use tokio::task::JoinHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::actions::{Action, Performed};
use crate::error::{CommandError, CommandResult};
use crate::notifications::{self, DesktopNotification, WaitingScreen};
use crate::vault::{AccountVault, KeyringStatus, OfflineSignIn, SecretStore};

/// What the app tells its window.
pub trait Events: Send + Sync + 'static {
    /// The sync status changed.
    fn sync_status(&self, status: &SyncStatus);
    /// Records on this PC changed: screens read again.
    fn data_changed(&self);
    /// Something newly waits for the signed-in person: the system's notification.
    fn notify(&self, notification: &DesktopNotification);
}

/// Settings key of the server address.
const SERVER_URL: &str = "server_url";
/// Settings key of the commune whose records the cache holds.
const CACHE_COMMUNE: &str = "cache_commune";

/// How the app is set up.
pub struct DesktopOptions {
    /// The app-data folder (the cache file lives there).
    pub data_dir: PathBuf,
    /// Where tokens are kept.
    pub secrets: Arc<dyn SecretStore>,
    /// Whether that is the OS keyring.
    pub keyring: KeyringStatus,
    /// The server address to use when none was chosen yet: the installed one
    /// (`install::installed`: `CENTRALE_SERVER_URL`, the MSI's registry value,
    /// `centrale.ini` beside the executable).
    pub default_server_url: Option<String>,
    /// This PC's name, shown to the server's administrators when revoking a device.
    pub device: String,
    /// Sync timing.
    pub timing: EngineTiming,
}

/// What the window needs to know at start and after a sign-in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppState {
    /// The server address, once chosen.
    pub server_url: Option<String>,
    /// The signed-in account.
    pub session: Option<Me>,
    /// Whether the device token is kept in the OS keyring.
    pub keyring: KeyringStatus,
    /// Today in Brussels, by the server's clock when known.
    #[ts(type = "string")]
    pub today: NaiveDate,
    /// The signed-in account's commune.
    pub commune: Option<CommuneRow>,
    /// Something the user must know about the local data (a damaged cache was rebuilt).
    pub cache_notice: Option<CommandError>,
    /// The local data cannot be used at all (written by a newer version, say).
    pub fatal: Option<CommandError>,
    /// The server's procurement settings, once pulled (the minimum days of a competition).
    pub settings: Option<ServerSettings>,
}

struct Running {
    client: SyncClient,
    engine: SyncEngine,
    forward: JoinHandle<()>,
}

/// The running app.
pub struct Desktop {
    store: Option<Store>,
    fatal: Option<CommandError>,
    cache_notice: Option<CommandError>,
    secrets: Arc<dyn SecretStore>,
    keyring: KeyringStatus,
    default_server_url: Option<String>,
    device: String,
    timing: EngineTiming,
    events: Arc<dyn Events>,
    sync: tokio::sync::Mutex<Option<Running>>,
    vault: Mutex<Option<Arc<AccountVault>>>,
    /// Server clock minus this PC's clock, from the last contact.
    clock_offset: Arc<Mutex<Duration>>,
}

impl Desktop {
    /// Opens the cache (rebuilding a damaged one, keeping its unsent changes) and, when an
    /// account is signed in, starts syncing. Must run inside a tokio runtime.
    pub async fn open(options: DesktopOptions, events: Arc<dyn Events>) -> Desktop {
        let (store, fatal, cache_notice) = open_store(&options.data_dir);
        let desktop = Desktop {
            store,
            fatal,
            cache_notice,
            secrets: options.secrets,
            keyring: options.keyring,
            default_server_url: options.default_server_url,
            device: options.device,
            timing: options.timing,
            events,
            sync: tokio::sync::Mutex::new(None),
            vault: Mutex::new(None),
            clock_offset: Arc::new(Mutex::new(Duration::zero())),
        };
        if let Ok(Some(me)) = desktop.store().and_then(|s| Ok(s.session()?)) {
            if let Ok(Some(_)) = desktop.server_url() {
                if let Err(e) = desktop.start_sync(Some(&me.username)).await {
                    tracing::warn!(error = %e, "sync not started");
                }
            }
        }
        desktop
    }

    pub(crate) fn store(&self) -> CommandResult<&Store> {
        match (&self.store, &self.fatal) {
            (Some(store), _) => Ok(store),
            (None, Some(fatal)) => Err(fatal.clone()),
            (None, None) => Err(CommandError::new(
                "cache_unavailable",
                "Données locales indisponibles.",
            )),
        }
    }

    /// The server address: the one chosen on this PC, else the default.
    pub fn server_url(&self) -> CommandResult<Option<String>> {
        let chosen = self.store()?.setting(SERVER_URL)?;
        Ok(chosen.or_else(|| self.default_server_url.clone()))
    }

    /// Now by the server's clock as of the last contact (this PC's clock until then).
    pub fn now(&self) -> chrono::DateTime<Utc> {
        let offset = *self.clock_offset.lock().unwrap_or_else(|e| e.into_inner());
        Utc::now() + offset
    }

    /// Today in Brussels, by the server's clock when it is known.
    pub fn today(&self) -> NaiveDate {
        centrale_domain::time::brussels_today(self.now())
    }

    /// The state the window starts from.
    pub fn app_state(&self) -> CommandResult<AppState> {
        let mut state = AppState {
            server_url: None,
            session: None,
            keyring: self.keyring.clone(),
            today: self.today(),
            commune: None,
            cache_notice: self.cache_notice.clone(),
            fatal: self.fatal.clone(),
            settings: None,
        };
        let Ok(store) = self.store() else {
            return Ok(state);
        };
        state.server_url = self.server_url()?;
        state.session = store.session()?;
        state.settings = store.server_settings()?;
        if let Some(nis) = state
            .session
            .as_ref()
            .and_then(|me| me.commune_nis.as_deref())
        {
            state.commune = store.commune(nis, self.today())?;
        }
        Ok(state)
    }

    /// Chooses the server (first run): the address is tidied, then tried (`GET /health`) and
    /// kept only when a Centrale server answers; otherwise the error says what is wrong
    /// (unknown name, no answer, not a Centrale server, certificate refused). Refused while
    /// changes wait to be sent to the old one.
    pub async fn set_server_url(&self, url: &str) -> CommandResult<AppState> {
        let url = normalise_server_url(url)?;
        let store = self.store()?;
        if self.server_url()?.as_deref() != Some(url.as_str()) {
            if let Err(e) = centrale_sync::probe(&url, PROBE_PATIENCE).await {
                return Err(probe_error(&e));
            }
            let (pending, attention) = store.outbox_counts()?;
            if pending + attention > 0 && store.session()?.is_some() {
                return Err(CommandError::new(
                    "server_change_with_pending",
                    "Des modifications de ce PC n'ont pas encore été envoyées à l'intercommunale actuelle. \
                     Synchronisez-les avant de changer d'adresse.",
                ));
            }
            self.stop_sync().await;
            store.set_setting(SERVER_URL, &url)?;
            *self.vault.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        self.app_state()
    }

    fn vault_for(&self, server_url: &str) -> Arc<AccountVault> {
        let mut vault = self.vault.lock().unwrap_or_else(|e| e.into_inner());
        vault
            .get_or_insert_with(|| Arc::new(AccountVault::new(self.secrets.clone(), server_url)))
            .clone()
    }

    /// Signs in: online when the server answers; otherwise, for an account that signed in
    /// online on this PC before, with its password checked here.
    pub async fn log_in(&self, username: &str, password: &str) -> CommandResult<AppState> {
        let username = username.trim();
        if username.is_empty() || password.is_empty() {
            return Err(CommandError::new(
                "login_fields_required",
                "Indiquez votre nom d'utilisateur et votre mot de passe.",
            ));
        }
        let store = self.store()?;
        let server_url = self.server_url()?.ok_or_else(CommandError::no_server)?;
        self.stop_sync().await;
        let vault = self.vault_for(&server_url);
        vault.set_current(Some(username));
        let client = self.client(&server_url, vault.clone())?;
        let me = match client.login(username, password, &self.device).await {
            Ok(answer) => {
                tracing::info!(user = %answer.user.username, "signed in online");
                if let Err(e) = vault.remember(&answer.user, password) {
                    tracing::warn!(error = %e, "offline sign-in not kept");
                }
                tracing::info!("offline sign-in kept");
                answer.user
            }
            Err(SyncError::Network(cause)) => match vault.sign_in_offline(username, password)? {
                Ok(me) => {
                    store.set_session(&me)?;
                    me
                }
                Err(OfflineSignIn::Unknown) => {
                    return Err(CommandError::new(
                        "offline_first_login",
                        "L'intercommunale est injoignable. La première connexion d'un \
                         compte sur ce PC demande le réseau ; ensuite, vous pourrez vous \
                         connecter sans réseau.",
                    )
                    .with_params(serde_json::json!({ "cause": cause })))
                }
                Err(OfflineSignIn::WrongPassword) => {
                    return Err(CommandError::new(
                        "invalid_credentials",
                        "Nom d'utilisateur ou mot de passe incorrect.",
                    ))
                }
            },
            Err(e) => {
                vault.set_current(None);
                return Err(e.into());
            }
        };
        self.claim_cache_for(&me)?;
        self.start_sync(Some(&me.username)).await?;
        tracing::info!("sync started after sign-in");
        // The first screen opens filled: wait for the sync that follows a sign-in (offline,
        // it fails at once and the status says so).
        if let Some(running) = self.sync.lock().await.as_ref() {
            tracing::info!("waiting for the first sync");
            if let Err(failure) = running.engine.sync_now().await {
                tracing::info!(code = %failure.code, "sync after sign-in failed");
            }
        }
        tracing::info!("first sync done");
        self.events.data_changed();
        let state = self.app_state();
        tracing::info!(ok = state.is_ok(), "sign-in answered");
        state
    }

    /// A PC keeps one commune's records: an account of another commune starts from a fresh
    /// download (the unsent changes stay in the outbox for their authors).
    fn claim_cache_for(&self, me: &Me) -> CommandResult<()> {
        let store = self.store()?;
        let scope = me.commune_nis.clone().unwrap_or_else(|| "*".into());
        let held = store.setting(CACHE_COMMUNE)?;
        if held.as_deref().is_some_and(|held| held != scope) {
            store.reset_for_resync()?;
        }
        store.set_setting(CACHE_COMMUNE, &scope)?;
        Ok(())
    }

    /// Hands the PC to another account: this one keeps its access here (to sign in without
    /// the network, and to send its pending changes).
    pub async fn switch_account(&self) -> CommandResult<AppState> {
        self.stop_sync().await;
        self.store()?.clear_session()?;
        if let Some(vault) = self
            .vault
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            vault.set_current(None);
        }
        self.events.data_changed();
        self.app_state()
    }

    /// Signs out: the server revokes the token when reachable, and this PC forgets it.
    pub async fn log_out(&self) -> CommandResult<AppState> {
        let running = self.sync.lock().await.take();
        let client = match running {
            Some(running) => {
                running.forward.abort();
                running.engine.stop().await;
                Some(running.client)
            }
            None => None,
        };
        let client = match client {
            Some(client) => client,
            None => {
                let me = self.store()?.session()?;
                let server_url = self.server_url()?.ok_or_else(CommandError::no_server)?;
                let vault = self.vault_for(&server_url);
                vault.set_current(me.as_ref().map(|m| m.username.as_str()));
                self.client(&server_url, vault)?
            }
        };
        client.logout().await?;
        self.events.data_changed();
        self.app_state()
    }

    fn client(&self, server_url: &str, vault: Arc<AccountVault>) -> CommandResult<SyncClient> {
        Ok(SyncClient::new(
            SyncConfig::new(server_url),
            self.store()?.clone(),
            vault,
        )?)
    }

    async fn start_sync(&self, username: Option<&str>) -> CommandResult<()> {
        let server_url = self.server_url()?.ok_or_else(CommandError::no_server)?;
        let vault = self.vault_for(&server_url);
        vault.set_current(username);
        let client = self.client(&server_url, vault)?;
        let mut sync = self.sync.lock().await;
        if let Some(old) = sync.take() {
            old.forward.abort();
            old.engine.stop().await;
        }
        let engine = SyncEngine::start(client.clone(), self.timing);
        let forward = tokio::spawn(forward_status(
            engine.status(),
            self.events.clone(),
            self.clock_offset.clone(),
            self.store()?.clone(),
        ));
        *sync = Some(Running {
            client,
            engine,
            forward,
        });
        Ok(())
    }

    /// The running sync client, when an account is signed in.
    pub(crate) async fn running_client(&self) -> Option<SyncClient> {
        self.sync.lock().await.as_ref().map(|r| r.client.clone())
    }

    async fn stop_sync(&self) {
        if let Some(old) = self.sync.lock().await.take() {
            old.forward.abort();
            old.engine.stop().await;
        }
    }

    /// The sync status now.
    pub async fn sync_status(&self) -> CommandResult<SyncStatus> {
        if let Some(running) = self.sync.lock().await.as_ref() {
            return Ok(running.engine.status().borrow().clone());
        }
        let store = self.store()?;
        let (pending, needs_attention) = store.outbox_counts()?;
        Ok(SyncStatus {
            pending,
            needs_attention,
            last_success: store.last_sync()?,
            ..SyncStatus::default()
        })
    }

    /// « Synchroniser maintenant »: waits for the sync and returns the status it left. A
    /// failed sync is not an error here: the status says what happened, in words.
    pub async fn sync_now(&self) -> CommandResult<SyncStatus> {
        {
            let sync = self.sync.lock().await;
            let Some(running) = sync.as_ref() else {
                return Err(CommandError::new(
                    "credentials_needed",
                    "Connectez-vous pour synchroniser.",
                ));
            };
            let outcome = running.engine.sync_now().await;
            match outcome {
                Ok(_) => notify_new(self.store()?, self.events.as_ref(), self.today()),
                Err(failure) => tracing::info!(code = %failure.code, "sync failed"),
            }
        }
        self.events.data_changed();
        self.sync_status().await
    }

    /// Records a user action on this PC and in the outbox; the sync follows shortly.
    pub async fn perform(&self, action: Action) -> CommandResult<Performed> {
        self.perform_signed(action, None).await
    }

    /// [`Desktop::perform`] with what the person typed where a signing act asks for a one-time
    /// code (`centrale_domain::second_factor::asked_for`): the store refuses a missing or
    /// malformed code at once; the server checks the code when the act arrives, at the moment
    /// it was typed — the server-adjusted clock, offline too.
    pub async fn perform_signed(
        &self,
        action: Action,
        second_factor_code: Option<&str>,
    ) -> CommandResult<Performed> {
        let queued =
            self.store()?
                .enqueue_signed_at(&action.into(), self.now(), second_factor_code)?;
        self.after_local_change().await;
        Ok(Performed {
            mutation_id: queued.mutation_id.to_string(),
        })
    }

    /// The session changed on this PC (the second factor turned on): screens read again.
    pub(crate) fn after_account_change(&self) {
        self.events.data_changed();
    }

    async fn after_local_change(&self) {
        if let Some(running) = self.sync.lock().await.as_ref() {
            running.engine.local_change();
        }
        self.events.data_changed();
    }

    /// Every change not yet accepted by the server: waiting, refused, in conflict.
    pub fn outbox(&self) -> CommandResult<Vec<OutboxEntry>> {
        let store = self.store()?;
        let mut entries = store.needs_attention()?;
        entries.extend(store.pending()?);
        Ok(entries)
    }

    /// Gives up a refused or conflicting change.
    pub async fn discard_change(&self, mutation_id: Uuid) -> CommandResult<()> {
        self.store()?.discard(mutation_id)?;
        self.after_local_change().await;
        Ok(())
    }

    /// Sends a refused change again, as corrected.
    pub async fn resend_change(
        &self,
        mutation_id: Uuid,
        action: Action,
    ) -> CommandResult<Performed> {
        self.resend_signed_change(mutation_id, action, None).await
    }

    /// [`Desktop::resend_change`] with a new one-time code, for a signing act whose code was
    /// refused (a code serves once: the refused one is gone); dated, like `perform`, by the
    /// server-adjusted clock.
    pub async fn resend_signed_change(
        &self,
        mutation_id: Uuid,
        action: Action,
        second_factor_code: Option<&str>,
    ) -> CommandResult<Performed> {
        let queued = self.store()?.resend_signed_at(
            mutation_id,
            &action.into(),
            self.now(),
            second_factor_code,
        )?;
        self.after_local_change().await;
        Ok(Performed {
            mutation_id: queued.mutation_id.to_string(),
        })
    }

    /// Both sides of a conflict.
    pub fn conflict(&self, mutation_id: Uuid) -> CommandResult<Conflict> {
        Ok(self.store()?.conflict(mutation_id)?)
    }

    /// Settles a conflict by keeping this PC's version.
    pub async fn keep_mine(&self, mutation_id: Uuid) -> CommandResult<Performed> {
        let queued = self.store()?.keep_mine(mutation_id)?;
        self.after_local_change().await;
        Ok(Performed {
            mutation_id: queued.mutation_id.to_string(),
        })
    }

    /// What waits for the signed-in person (the menu's count), and whether this PC notifies it.
    pub fn waiting(&self) -> CommandResult<WaitingScreen> {
        let store = self.store()?;
        Ok(WaitingScreen {
            items: store.waiting(self.today())?,
            notifications_enabled: notifications_enabled(store)?,
        })
    }

    /// Turns the desktop notifications on or off on this PC. What waits while they are off is
    /// still counted, and never told later (turning them on again tells only what comes next).
    pub fn set_notifications(&self, enabled: bool) -> CommandResult<WaitingScreen> {
        let value = if enabled { "on" } else { "off" };
        self.store()?.set_setting(notifications::SETTING, value)?;
        self.waiting()
    }

    /// The signed-in account's « Mes notifications » form: how it is told by e-mail, per
    /// kind (issue 14 §1). Changed by `perform` (`set_mail_preferences`), offline too.
    pub fn mail_preferences(&self) -> CommandResult<Option<MailPreferencesScreen>> {
        Ok(self.store()?.mail_preferences()?)
    }

    /// Accueil.
    pub fn home(&self) -> CommandResult<Home> {
        Ok(self.store()?.home(self.today())?)
    }

    /// Catalogue.
    pub fn services(&self, filter: &ServiceFilter) -> CommandResult<Vec<ServiceRow>> {
        Ok(self.store()?.services(filter, self.today())?)
    }

    /// Catalogue categories.
    pub fn service_categories(&self) -> CommandResult<Vec<String>> {
        Ok(self.store()?.service_categories()?)
    }

    /// A service page.
    pub fn service_detail(&self, service_id: Uuid) -> CommandResult<Option<ServiceDetail>> {
        Ok(self.store()?.service_detail(service_id, self.today())?)
    }

    /// Adhésion.
    pub fn adhesion(&self) -> CommandResult<AdhesionScreen> {
        Ok(self.store()?.adhesion(self.today())?)
    }

    /// Commandes.
    pub fn orders(&self, filter: &OrderFilter) -> CommandResult<Vec<OrderRow>> {
        Ok(self.store()?.orders(filter)?)
    }

    /// An order.
    pub fn order_detail(&self, order_id: Uuid) -> CommandResult<Option<OrderDetail>> {
        Ok(self.store()?.order_detail(order_id, self.today())?)
    }

    /// Déploiement: the first deployments the screen asks for.
    pub fn deployments(&self, query: &DeploymentQuery) -> CommandResult<DeploymentPage> {
        Ok(self.store()?.deployment_page(query, self.today())?)
    }

    /// « Accompagnement » (issue 16 §2): the intercommunale's price list, the accompaniment
    /// orders this account sees, a commune's call-offs to attach one to.
    pub fn accompaniment(&self) -> CommandResult<centrale_store::read::AccompanimentScreen> {
        Ok(self.store()?.accompaniment()?)
    }

    /// The « Enquêtes » screen (issue 16 §3).
    pub fn surveys(&self) -> CommandResult<centrale_store::read::SurveysScreen> {
        Ok(self.store()?.surveys(self.today())?)
    }

    /// The « Marchés groupés » screen (issue 16 §4).
    pub fn pools(&self) -> CommandResult<centrale_store::read::PoolsScreen> {
        Ok(self.store()?.pools(self.today())?)
    }

    /// One pooled call-off.
    pub fn pool(&self, id: Uuid) -> CommandResult<Option<centrale_store::read::PoolPage>> {
        let store = self.store()?;
        let user = store.session()?.map(|me| me.user_id);
        Ok(store.pool(id, user.as_deref(), self.today())?)
    }

    /// One survey with this commune's answers.
    pub fn survey(&self, id: Uuid) -> CommandResult<Option<centrale_store::read::SurveyPage>> {
        Ok(self.store()?.survey(id, self.today())?)
    }

    /// The centrale's results of a survey, per commune and per need.
    pub fn survey_results(
        &self,
        id: Uuid,
    ) -> CommandResult<Option<centrale_store::read::SurveyResultsView>> {
        use centrale_domain::permission::{authorize, Act, Owner};
        let store = self.store()?;
        let me = store
            .session()?
            .ok_or_else(|| CommandError::new("not_signed_in", "Connectez-vous d'abord."))?;
        authorize(&me.actor(), Act::ReadSurveyResults, Owner::Own)
            .map_err(centrale_store::StoreError::from)?;
        Ok(store.survey_results(id, self.today())?)
    }

    /// The centrale's overview: orders, amounts, time to award, adhesions over time.
    pub fn overview(&self) -> CommandResult<Overview> {
        Ok(self.store()?.overview(self.today())?)
    }

    /// « Suivi des accords-cadres » (issue 16 point 5), for the centrale's staff only: it
    /// gathers every commune's call-offs, which a commune's PC does not hold (its figures
    /// would be wrong), so the domain's permission refuses it to the other roles.
    pub fn tracking(&self) -> CommandResult<centrale_domain::tracking::FrameworkTracking> {
        use centrale_domain::permission::{authorize, Act, Owner};
        let store = self.store()?;
        let me = store
            .session()?
            .ok_or_else(|| CommandError::new("not_signed_in", "Connectez-vous d'abord."))?;
        authorize(&me.actor(), Act::TrackFrameworks, Owner::Own)
            .map_err(centrale_store::StoreError::from)?;
        Ok(store.tracking(self.today())?)
    }

    /// Communes (the centrale's list).
    pub fn communes(&self) -> CommandResult<Vec<CommuneRow>> {
        Ok(self.store()?.communes(self.today())?)
    }

    /// Where the province's communes stand (issue 15.9: the map of a commune's « Accueil »).
    pub fn standings(&self) -> CommandResult<Vec<StandingRow>> {
        Ok(self.store()?.standings(self.today())?)
    }

    /// One commune's adhesion (the centrale checks it before countersigning).
    pub fn adhesion_of(&self, commune_nis: &str) -> CommandResult<AdhesionScreen> {
        Ok(self.store()?.adhesion_of(commune_nis, self.today())?)
    }

    /// The registered providers (catalogue management).
    pub fn providers(&self) -> CommandResult<Vec<ProviderRow>> {
        Ok(self.store()?.providers()?)
    }

    /// A framework's terms in force (the start of a new version).
    pub fn framework_terms(
        &self,
        framework_id: Uuid,
    ) -> CommandResult<Option<FrameworkTermsInForce>> {
        Ok(self.store()?.framework_terms(framework_id)?)
    }

    /// The cache file (for support and tests).
    pub fn cache_path(&self) -> Option<&Path> {
        self.store.as_ref().map(|s| s.path())
    }

    /// Stops syncing (the window closes).
    pub async fn shut_down(&self) {
        self.stop_sync().await;
    }
}

/// Opens the cache; a damaged one is rebuilt with its unsent changes, a newer one is refused.
fn open_store(data_dir: &Path) -> (Option<Store>, Option<CommandError>, Option<CommandError>) {
    if let Err(e) = std::fs::create_dir_all(data_dir) {
        let error = CommandError::new(
            "cache_folder",
            format!("Le dossier des données de Centrale ne peut pas être créé ({e})."),
        );
        return (None, Some(error), None);
    }
    let path = centrale_store::default_path(data_dir);
    match Store::open(&path) {
        Ok(store) => (Some(store), None, None),
        Err(e) if e.is_corrupt() => match Store::rescue(&path) {
            Ok((store, rescued)) => {
                let notice = CommandError::from(e).with_params(serde_json::json!({
                    "kept": rescued.outbox_entries,
                    "complete": rescued.outbox_readable,
                }));
                (Some(store), None, Some(notice))
            }
            Err(e) => (None, Some(e.into()), None),
        },
        Err(e) => (None, Some(CommandError::from(e)), None),
    }
}

/// Checks and tidies the server address typed at first run (or written by the installer): what
/// people type is accepted — `centrale.exemple.be`, with or without `https://`, with a trailing
/// slash — and becomes `https://centrale.exemple.be`. `http://` stays allowed (a server on the
/// town hall's own network, the tests); another scheme, spaces, a query or a fragment are not.
pub fn normalise_server_url(url: &str) -> CommandResult<String> {
    let url = url.trim();
    let invalid = || {
        CommandError::new(
            "invalid_server_url",
            "Cette adresse n'est pas valable. Indiquez l'adresse donnée par l'intercommunale, \
             par exemple centrale.exemple.be",
        )
    };
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &url["https://".len()..])
    } else if lower.starts_with("http://") {
        ("http://", &url["http://".len()..])
    } else if url.contains("://") {
        return Err(invalid());
    } else {
        ("https://", url)
    };
    let rest = rest.trim_end_matches('/');
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // A port, when there is one, is a number (`[::1]:8443`: the brackets hold the colons).
    let port_ok = match host.rsplit_once(':') {
        Some((name, port)) if !host.starts_with('[') => {
            !name.is_empty() && !port.is_empty() && port.chars().all(|c| c.is_ascii_digit())
        }
        _ => true,
    };
    let bad_host = host.is_empty()
        || !port_ok
        || host.contains(['@', '\\'])
        || (!host.contains(['.', ':', '[']) && !host.eq_ignore_ascii_case("localhost"));
    if bad_host || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err(invalid());
    }
    Ok(format!("{scheme}{rest}"))
}

/// How long the first-run check of an address waits for the server.
const PROBE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// A failed check of an address, as the window shows it (`host` names what was typed).
fn probe_error(e: &ProbeError) -> CommandError {
    CommandError::new(e.code(), e.to_string()).with_params(serde_json::json!({ "host": e.host() }))
}

/// Whether the person left the desktop notifications on (the default) on this PC.
fn notifications_enabled(store: &Store) -> CommandResult<bool> {
    Ok(store.setting(notifications::SETTING)?.as_deref() != Some("off"))
}

/// After a sync: tells what newly waits for the signed-in person, once. What waits while the
/// notifications are off is recorded as told all the same. A failure here never fails the
/// sync: it is logged, and the menu's count still shows what waits.
fn notify_new(store: &Store, events: &dyn Events, today: NaiveDate) {
    let new = match store.take_unnotified(today) {
        Ok(new) => new,
        Err(e) => {
            tracing::warn!(error = %e, "what waits could not be read for notifications");
            return;
        }
    };
    if new.is_empty() || !notifications_enabled(store).unwrap_or(true) {
        return;
    }
    for notification in notifications::notifications_for(&new) {
        events.notify(&notification);
    }
}

async fn forward_status(
    mut status: tokio::sync::watch::Receiver<SyncStatus>,
    events: Arc<dyn Events>,
    clock_offset: Arc<Mutex<Duration>>,
    store: Store,
) {
    let mut last_success = None;
    let mut was_syncing = false;
    loop {
        let current = status.borrow_and_update().clone();
        if let Some(server_time) = current.server_time {
            *clock_offset.lock().unwrap_or_else(|e| e.into_inner()) = server_time - Utc::now();
        }
        events.sync_status(&current);
        // A sync that ended may have brought records (even when the server's clock shows the
        // same time as the last one): the screens read again.
        let syncing = current.phase == SyncPhase::Syncing;
        if (was_syncing && !syncing) || current.last_success != last_success {
            if current.last_success != last_success && current.last_success.is_some() {
                let offset = *clock_offset.lock().unwrap_or_else(|e| e.into_inner());
                let today = centrale_domain::time::brussels_today(Utc::now() + offset);
                notify_new(&store, events.as_ref(), today);
            }
            last_success = current.last_success;
            events.data_changed();
        }
        was_syncing = syncing;
        if status.changed().await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_address_is_completed_and_tidied() {
        for (typed, kept) in [
            ("centrale.exemple.be", "https://centrale.exemple.be"),
            ("centrale.exemple.be/", "https://centrale.exemple.be"),
            (
                "  https://centrale.exemple.be/ ",
                "https://centrale.exemple.be",
            ),
            (
                "HTTPS://centrale.exemple.be//",
                "https://centrale.exemple.be",
            ),
            (
                "centrale.exemple.be/achats/",
                "https://centrale.exemple.be/achats",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("localhost:8080", "https://localhost:8080"),
        ] {
            assert_eq!(normalise_server_url(typed).unwrap(), kept, "{typed}");
        }
    }

    #[test]
    fn an_address_that_cannot_be_a_server_is_refused() {
        for bad in [
            "",
            "   ",
            "centrale",
            "ftp://x.be",
            "https://",
            "https://a b.be",
            "centrale exemple.be",
            "https://x.be?y=1",
            "https://x.be#top",
            "user@x.be",
            ":8080",
            "x.be:",
            "x.be:port",
        ] {
            assert_eq!(
                normalise_server_url(bad).unwrap_err().code,
                "invalid_server_url",
                "{bad}"
            );
        }
    }
}
