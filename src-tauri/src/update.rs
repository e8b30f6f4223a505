//! Updates of the app from the intercommunal server (issue 13 §2), with Tauri's updater.
//!
//! The app asks the server it syncs with (`/api/v1/updates/{target}/{arch}/{version}`, served
//! by `centrale-server`) whether a newer version exists. The person sees the version and what
//! changes, downloads it in the background (progress shown), and installs it when they agree.
//! The download is verified against the public key built into the app (`tauri.conf.json`,
//! `plugins.updater.pubkey`) before anything is installed: a file signed by another key is
//! refused, whoever serves it.
//!
//! Never in the middle of something: installing is refused while changes made on this PC wait
//! to be sent (they would survive, the cache stays, but the person should see them leave
//! first), and the window offers it only outside a signature (its dialogs make the rest of the
//! window inert). When the intercommunale's IT set `updates = automatic` in the configuration
//! file (`install.rs`), the app installs an update at start-up by itself, with the same checks.
//!
//! The server down or unreachable: the check fails quietly (logged) and the app works offline.

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_updater::{Update, UpdaterExt};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

/// The event carrying the download's progress (`UpdateProgress`).
pub const EVENT_UPDATE_PROGRESS: &str = "update-progress";

/// A newer version the intercommunale published.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateOffer {
    /// `0.2.0`.
    pub version: String,
    /// This app's own version.
    pub current_version: String,
    /// What changes, in French, as the intercommunale wrote it.
    pub notes: String,
    /// When it was published (RFC 3339), when the server says.
    pub published_at: Option<String>,
    /// Downloaded and verified: ready to install.
    pub downloaded: bool,
}

/// How far the download is.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateProgress {
    /// Bytes received.
    #[ts(type = "number")]
    pub downloaded: u64,
    /// The file's size, when the server says it.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// The update found, and its verified bytes once downloaded.
#[derive(Default)]
pub struct Updates {
    pending: Mutex<Option<(Update, Option<Vec<u8>>)>>,
}

fn failed(code: &str, message: impl Into<String>) -> CommandError {
    CommandError::new(code, message)
}

/// The updater for the server this PC syncs with.
fn updater(app: &AppHandle, desktop: &Desktop) -> CommandResult<tauri_plugin_updater::Updater> {
    let server = desktop.server_url()?.ok_or_else(CommandError::no_server)?;
    let endpoint = format!(
        "{}/api/v1/updates/{{{{target}}}}/{{{{arch}}}}/{{{{current_version}}}}",
        server.trim_end_matches('/')
    );
    let url = endpoint.parse().map_err(|_| {
        failed(
            "invalid_server_url",
            format!("adresse illisible : {endpoint}"),
        )
    })?;
    app.updater_builder()
        .endpoints(vec![url])
        .and_then(|b| b.timeout(Duration::from_secs(60)).build())
        .map_err(|e| failed("update_check_failed", e.to_string()))
}

fn offer(update: &Update, downloaded: bool) -> UpdateOffer {
    UpdateOffer {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().unwrap_or_default(),
        published_at: update
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_string),
        downloaded,
    }
}

/// Is a newer version published? `None` when this one is the latest.
pub async fn check(app: &AppHandle, desktop: &Desktop) -> CommandResult<Option<UpdateOffer>> {
    let updates = app.state::<Updates>();
    let mut pending = updates.pending.lock().await;
    if let Some((update, bytes)) = pending.as_ref() {
        return Ok(Some(offer(update, bytes.is_some())));
    }
    let found = updater(app, desktop)?
        .check()
        .await
        .map_err(|e| failed("update_check_failed", e.to_string()))?;
    let Some(update) = found else {
        return Ok(None);
    };
    tracing::info!(version = %update.version, "update available");
    let offered = offer(&update, false);
    *pending = Some((update, None));
    Ok(Some(offered))
}

/// Downloads the update found by [`check`], its progress sent to the window, and verifies its
/// signature; a file signed by another key is refused and forgotten.
pub async fn download(app: &AppHandle) -> CommandResult<UpdateOffer> {
    let updates = app.state::<Updates>();
    let mut pending = updates.pending.lock().await;
    let Some((update, bytes)) = pending.as_mut() else {
        return Err(failed("update_none", "aucune mise à jour à télécharger"));
    };
    if bytes.is_none() {
        let window = app.clone();
        let mut received: u64 = 0;
        let downloaded = update
            .download(
                |chunk, total| {
                    received += chunk as u64;
                    let _ = window.emit(
                        EVENT_UPDATE_PROGRESS,
                        UpdateProgress {
                            downloaded: received,
                            total,
                        },
                    );
                },
                || {},
            )
            .await;
        match downloaded {
            Ok(verified) => *bytes = Some(verified),
            Err(
                e @ (tauri_plugin_updater::Error::Minisign(_)
                | tauri_plugin_updater::Error::SignatureUtf8(_)
                | tauri_plugin_updater::Error::Base64(_)),
            ) => {
                tracing::warn!(version = %update.version, error = %e, "update refused: its signature is not the intercommunale's");
                *pending = None;
                return Err(failed("update_signature_refused", e.to_string()));
            }
            Err(e) => return Err(failed("update_download_failed", e.to_string())),
        }
    }
    tracing::info!(version = %update.version, "update downloaded and verified");
    Ok(offer(update, true))
}

/// Installs the downloaded update, then starts the new version. Refused while changes wait to
/// be sent.
pub async fn install(app: &AppHandle, desktop: &Desktop) -> CommandResult<()> {
    let waiting = desktop.sync_status().await?.pending;
    if waiting > 0 {
        return Err(failed(
            "update_waits_for_changes",
            format!("{waiting} modifications attendent d'être envoyées"),
        )
        .with_params(serde_json::json!({ "count": waiting })));
    }
    let updates = app.state::<Updates>();
    let pending = updates.pending.lock().await;
    let Some((update, Some(bytes))) = pending.as_ref() else {
        return Err(failed("update_none", "aucune mise à jour téléchargée"));
    };
    tracing::info!(version = %update.version, "installing the update");
    update
        .install(bytes)
        .map_err(|e| failed("update_install_failed", e.to_string()))?;
    tracing::info!(version = %update.version, "update installed: restarting");
    app.restart()
}

/// At start-up, when IT chose automatic updates: check, download, verify and install by
/// itself, unless changes wait to be sent; every outcome is logged, none stops the app.
pub async fn automatic(app: AppHandle) {
    let desktop = app.state::<Desktop>();
    match check(&app, &desktop).await {
        Ok(None) => tracing::info!("automatic update: this version is the latest"),
        Ok(Some(found)) => {
            let installed = match download(&app).await {
                Ok(_) => install(&app, &desktop).await,
                Err(e) => Err(e),
            };
            if let Err(e) = installed {
                tracing::warn!(version = %found.version, code = %e.code, error = %e.message, "automatic update not installed");
            }
        }
        Err(e) => {
            tracing::warn!(code = %e.code, error = %e.message, "automatic update: no answer about updates");
        }
    }
}
