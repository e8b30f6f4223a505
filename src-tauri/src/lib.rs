//! Centrale's desktop app for communes: a thin Tauri shell over the local cache
//! (`centrale-store`), the sync engine (`centrale-sync`) and the domain rules.
//!
//! It must never hold a rule of its own: commands unpack arguments and call [`Desktop`], which
//! tests drive without a window. The device token lives in the OS keyring, never in a file.

pub mod actions;
pub mod bindings;
mod commands;
pub mod deadline;
pub mod desktop;
pub mod documents;
pub mod error;
pub mod exports;
pub mod failed_mail;
pub mod framework_files;
pub mod install;
pub mod notifications;
pub mod saved_files;
pub mod second_factor;
pub mod update;
pub mod vault;

use std::sync::Arc;

use centrale_sync::{EngineTiming, SyncStatus};
use tauri::{Emitter, Manager};

use crate::desktop::{Desktop, DesktopOptions, Events};
use crate::notifications::DesktopNotification;
use crate::vault::{KeyringStatus, MemorySecrets, OsKeyring, SecretStore};

/// Event: the sync status changed (payload: `SyncStatus`).
pub const EVENT_SYNC_STATUS: &str = "sync-status";
/// Event: records changed on this PC; screens read again.
pub const EVENT_DATA_CHANGED: &str = "data-changed";

struct WindowEvents(tauri::AppHandle);

impl Events for WindowEvents {
    fn sync_status(&self, status: &SyncStatus) {
        if let Err(e) = self.0.emit(EVENT_SYNC_STATUS, status) {
            tracing::warn!(error = %e, "sync status not sent to the window");
        }
    }

    fn data_changed(&self) {
        if let Err(e) = self.0.emit(EVENT_DATA_CHANGED, ()) {
            tracing::warn!(error = %e, "data change not sent to the window");
        }
    }

    fn notify(&self, notification: &DesktopNotification) {
        use tauri_plugin_notification::NotificationExt;
        // No notification service on this desktop is not an error the person can act on:
        // the menu's count still shows what waits.
        if let Err(e) = self
            .0
            .notification()
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show()
        {
            tracing::warn!(error = %e, "desktop notification not shown");
        }
    }
}

/// The OS keyring when it answers; otherwise memory only, and the status says why.
fn secrets() -> (Arc<dyn SecretStore>, KeyringStatus) {
    let keyring = OsKeyring::new();
    match keyring.probe() {
        Ok(()) => (Arc::new(keyring), KeyringStatus::available()),
        Err(e) => {
            tracing::warn!(error = %e, "no OS keyring: tokens kept in memory only");
            (
                Arc::new(MemorySecrets::default()),
                KeyringStatus::unavailable(&e),
            )
        }
    }
}

fn device_name() -> String {
    let host = std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_string())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "poste".into());
    format!("Centrale — {host}")
}

/// Shows, restores and focuses the main window (a second launch of the app).
fn focus_main_window(app: &tauri::AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    for result in [window.unminimize(), window.show(), window.set_focus()] {
        if let Err(e) = result {
            tracing::warn!(error = %e, "the open window could not be brought forward");
        }
    }
}

/// When this process started (as near as the app can tell: its first line of Rust).
pub(crate) fn started_at() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Starts the app.
pub fn run() {
    started_at();
    let filter =
        || tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // `CENTRALE_LOG_FILE`: the log in a file (support, and the end-to-end tests, where the
    // app's stderr belongs to the WebDriver server).
    let log_file =
        std::env::var_os("CENTRALE_LOG_FILE").and_then(|path| std::fs::File::create(path).ok());
    match log_file {
        Some(file) => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .init(),
        None => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_writer(std::io::stderr)
            .init(),
    }
    let mut builder = tauri::Builder::default();
    // One app per PC: a second launch (a double click on the shortcut while Centrale is open
    // behind another window) brings the open window forward instead of opening a second app
    // on the same cache. A `CENTRALE_DATA_DIR` names a cache of its own (the tests run several
    // PCs side by side), so there is no single instance to defer to.
    if std::env::var_os("CENTRALE_DATA_DIR").is_none() {
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("second launch: the open window brought forward");
            focus_main_window(app);
        }));
    }
    // Shown from Rust only, after a sync (the window has no permission to notify).
    builder = builder.plugin(tauri_plugin_notification::init());
    // Signed updates from the intercommunal server (issue 13 §2, `update.rs`).
    builder = builder.plugin(tauri_plugin_updater::Builder::new().build());
    let result = builder
        .setup(|app| {
            let data_dir = match std::env::var_os("CENTRALE_DATA_DIR") {
                Some(dir) => dir.into(),
                None => app.path().app_data_dir()?,
            };
            let (secrets, keyring) = secrets();
            let installed = install::installed();
            let options = DesktopOptions {
                data_dir,
                secrets,
                keyring,
                default_server_url: installed.server_url.clone(),
                device: device_name(),
                timing: EngineTiming::default(),
            };
            let events = Arc::new(WindowEvents(app.handle().clone()));
            let desktop = tauri::async_runtime::block_on(Desktop::open(options, events));
            app.manage(desktop);
            app.manage(update::Updates::default());
            if installed.automatic_updates {
                tauri::async_runtime::spawn(update::automatic(app.handle().clone()));
            }
            // The first line of a support log, and the tests' sign that the app is up.
            // The installed address says which one a packaged app found (the release checks).
            // The version the app says it is (tauri.conf.json), the one its updates compare.
            tracing::info!(
                after_ms = started_at().elapsed().as_millis() as u64,
                version = %app.package_info().version,
                installed_server_url = installed.server_url.as_deref().unwrap_or("none"),
                "app started"
            );
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_state,
            commands::check_update,
            commands::download_update,
            commands::install_update,
            commands::open_framework_document,
            commands::open_saved_document,
            commands::upload_framework_document,
            commands::set_server_url,
            commands::log_in,
            commands::switch_account,
            commands::log_out,
            commands::sync_status,
            commands::sync_now,
            commands::new_id,
            commands::perform,
            commands::outbox,
            commands::discard_change,
            commands::resend_change,
            commands::conflict,
            commands::keep_mine,
            commands::home,
            commands::services,
            commands::service_categories,
            commands::service_detail,
            commands::adhesion,
            commands::orders,
            commands::order_detail,
            commands::deployments,
            commands::communes,
            commands::standings,
            commands::overview,
            commands::tracking,
            commands::accompaniment,
            commands::surveys,
            commands::survey,
            commands::survey_results,
            commands::pools,
            commands::pool,
            commands::adhesion_of,
            commands::providers,
            commands::framework_terms,
            commands::brussels_instant,
            commands::first_screen_shown,
            commands::document,
            commands::document_choices,
            commands::waiting,
            commands::set_notifications,
            commands::mail_preferences,
            commands::export_csv,
            commands::second_factor_start,
            commands::second_factor_confirm,
            commands::second_factor_off,
            commands::failed_mail,
            commands::retry_failed_mail,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Centrale n'a pas pu démarrer : {e}");
        std::process::exit(1);
    }
}
