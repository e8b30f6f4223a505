//! Updates of the desktop app (issue 13 §2): the manifest Tauri's updater reads, and the
//! files it downloads. Public: the app's files are not secret, and an app whose session has
//! expired must still be able to update. What protects a PC is the signature, checked by the
//! app against the public key built into it, not this endpoint.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use centrale_domain::app_release::{self, AppRelease, AppTarget, AppVersion};
use serde::Serialize;

use crate::error::ApiError;
use crate::state::AppState;

/// What Tauri's updater reads when a newer version exists (its « dynamic server » format).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UpdateManifest {
    /// The newer version, `1.2.3`.
    pub version: String,
    /// Where to download it (absolute).
    pub url: String,
    /// Tauri's signature of the file (the base64 of the `.sig` file).
    pub signature: String,
    /// What changes, in French.
    pub notes: String,
    /// When it was published (RFC 3339).
    pub pub_date: String,
}

/// The releases of `target` as the domain reads them.
pub async fn releases(state: &AppState, target: AppTarget) -> Result<Vec<AppRelease>, ApiError> {
    let rows = state.db.app_releases(target.as_str()).await?;
    Ok(rows
        .into_iter()
        .map(|r| AppRelease {
            version: r.version,
            target,
            file_name: r.file_name,
            sha256: r.sha256,
            size_bytes: u64::try_from(r.size_bytes).unwrap_or_default(),
            signature: r.signature,
            notes: r.notes,
            published_at: r.published_at,
        })
        .collect())
}

/// This server's address as the app reached it: the configured public address, else the
/// request's `Host`.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let public = state.settings.public_url.trim().trim_end_matches('/');
    if !public.is_empty() {
        return public.to_string();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Is there a newer version of the app for this system? `204` when not.
#[utoipa::path(get, path = "/api/v1/updates/{target}/{arch}/{current_version}", tag = "updates",
    params(
        ("target" = String, Path, description = "Système, tel que le nomme l'updater de Tauri : linux, windows"),
        ("arch" = String, Path, description = "Architecture : x86_64"),
        ("current_version" = String, Path, description = "Version de l'application qui demande, par exemple 0.1.0")),
    responses(
        (status = 200, description = "Une version plus récente", body = UpdateManifest),
        (status = 204, description = "Pas de version plus récente"),
        (status = 422, description = "Système ou version illisible", body = centrale_protocol::ErrorBody)))]
pub async fn manifest(
    State(state): State<AppState>,
    Path((target, arch, current)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let unprocessable = |e| ApiError::refused(e, StatusCode::UNPROCESSABLE_ENTITY);
    let target = AppTarget::parse(&target, Some(&arch)).map_err(unprocessable)?;
    let current = AppVersion::parse(&current).map_err(unprocessable)?;
    let all = releases(&state, target).await?;
    let Some(release) = app_release::newer(&all, target, current) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let url = format!(
        "{}/api/v1/updates/files/{}/{}/{}",
        base_url(&state, &headers),
        target.as_str(),
        release.version,
        release.file_name
    );
    Ok(Json(UpdateManifest {
        version: release.version.clone(),
        url,
        signature: release.signature.clone(),
        notes: release.notes.clone(),
        pub_date: release
            .published_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
    .into_response())
}

/// The file of a published version.
#[utoipa::path(get, path = "/api/v1/updates/files/{target}/{version}/{file_name}", tag = "updates",
    params(
        ("target" = String, Path, description = "linux-x86_64 ou windows-x86_64"),
        ("version" = String, Path, description = "Version publiée"),
        ("file_name" = String, Path, description = "Nom du fichier publié")),
    responses(
        (status = 200, description = "Le fichier", content_type = "application/octet-stream"),
        (status = 404, description = "Pas de tel fichier", body = centrale_protocol::ErrorBody),
        (status = 422, description = "Système inconnu", body = centrale_protocol::ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    Path((target, version, file_name)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let target = AppTarget::parse(&target, None)
        .map_err(|e| ApiError::refused(e, StatusCode::UNPROCESSABLE_ENTITY))?;
    let Some((row, content)) = state
        .db
        .app_release_file(target.as_str(), version.trim())
        .await?
    else {
        return Err(ApiError::NotFound);
    };
    if row.file_name != file_name {
        return Err(ApiError::NotFound);
    }
    let mut response = (StatusCode::OK, content).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", row.file_name))
    {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    if let Ok(value) = HeaderValue::from_str(&row.sha256) {
        h.insert(HeaderName::from_static("x-content-sha256"), value);
    }
    Ok(response)
}
