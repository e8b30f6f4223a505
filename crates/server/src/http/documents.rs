//! The files of the framework's own documents (issue 12 §2): the centrale uploads them, every
//! account entitled to a framework version downloads them.
//!
//! An upload is read whole, checked (size, type by content, hash) and stored in one statement:
//! a transfer cut short fails while reading the body, before anything is written, so no
//! half-written file is ever visible. The same content uploaded twice is stored once.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use centrale_domain::catalogue::FrameworkAgreement;
use centrale_domain::document_file::{self, DocumentFileType};
use centrale_domain::limits::DOCUMENT_FILE_MAX_BYTES;
use centrale_domain::permission::{authorize, Act, Owner};
use centrale_domain::role::Role;
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::records::RecordKind;
use centrale_protocol::{codes, DocumentFileStored, ErrorBody};
use serde::Deserialize;
use serde_json::json;

use crate::actor::Actor;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;

/// The name the uploaded file carries (its extension must match its content).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// File name, e.g. `csc-ca-2025-01.pdf`.
    pub file_name: String,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Stores the file of a framework document under its SHA-256 (the centrale's staff only).
///
/// The body is the file itself, with its `Content-Length`. The server computes the hash and
/// refuses a file whose hash is not the one in the path, a file too large, a type it does not
/// accept (recognised from the content, not the name) and a transfer cut short; nothing is
/// stored then.
#[utoipa::path(put, path = "/api/v1/framework-documents/{sha256}", tag = "documents", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 du fichier, en hexadécimal minuscule"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "Le fichier"),
    responses(
        (status = 200, description = "Le même fichier était déjà enregistré", body = DocumentFileStored),
        (status = 201, description = "Fichier enregistré", body = DocumentFileStored),
        (status = 400, description = "Transfert interrompu ou longueur absente : rien n'est enregistré", body = ErrorBody),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 403, description = "Réservé à la centrale", body = ErrorBody),
        (status = 413, description = "Fichier trop volumineux", body = ErrorBody),
        (status = 415, description = "Type de fichier refusé", body = ErrorBody),
        (status = 422, description = "Empreinte différente de celle annoncée", body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(sha256): Path<String>,
    query: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<DocumentFileStored>), ApiError> {
    authorize(&actor.domain(), Act::UploadFrameworkDocument, Owner::Own)
        .map_err(|e| ApiError::refused(e, StatusCode::FORBIDDEN))?;
    let Query(UploadQuery { file_name }) = query.map_err(|_| {
        ApiError::unprocessable(
            codes::INVALID_INPUT,
            "Indiquez le nom du fichier (paramètre file_name, par exemple file_name=csc.pdf).",
            json!({"fields": ["file_name"]}),
        )
    })?;
    let declared = sha256.to_ascii_lowercase();
    if !is_sha256(&declared) {
        return Err(ApiError::refused(
            DomainError::rule(ErrorCode::DocumentFileHashMismatch)
                .with("declared", &sha256)
                .with("computed", ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .ok_or_else(|| {
            ApiError::malformed(
                "La longueur du fichier (en-tête Content-Length) est requise pour un dépôt.",
            )
        })?;
    // Refused before reading a byte: the announced length is over the limit.
    document_file::check_size(&file_name, length)
        .map_err(|e| ApiError::refused(e, StatusCode::PAYLOAD_TOO_LARGE))?;
    // The server's HTTP layer ends the body at Content-Length; a connection that closes
    // before is an error here, and nothing has been written yet.
    let bytes = axum::body::to_bytes(body, DOCUMENT_FILE_MAX_BYTES)
        .await
        .ok()
        .filter(|b| b.len() == length)
        .ok_or_else(|| {
            ApiError::refused(
                DomainError::rule(ErrorCode::DocumentFileIncomplete),
                StatusCode::BAD_REQUEST,
            )
        })?;
    let file_type = document_file::check_upload(&file_name, &declared, &bytes).map_err(|e| {
        let status = match e.code() {
            ErrorCode::DocumentFileTypeRefused => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::refused(e, status)
    })?;
    let newly_stored = state
        .db
        .put_document_file(
            &declared,
            file_type.extension(),
            &bytes,
            &actor.user_id,
            state.clock.now(),
        )
        .await?;
    let status = if newly_stored {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(DocumentFileStored {
            sha256: declared,
            file_type,
            size_bytes: bytes.len() as u64,
            newly_stored,
        }),
    ))
}

/// The file of a framework document. The centrale gets any; a commune any document of a
/// framework version (the catalogue is public to the communes); a provider only the
/// documents of the invitations it received (the version its invitation's order is pinned
/// to). Anything else is answered as absent, so nothing leaks.
#[utoipa::path(get, path = "/api/v1/framework-documents/{sha256}", tag = "documents", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 du fichier, en hexadécimal minuscule")),
    responses(
        (status = 200, description = "Le fichier", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 404, description = "Fichier absent, ou non accessible à ce compte", body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(sha256): Path<String>,
) -> Result<Response, ApiError> {
    let sha256 = sha256.to_ascii_lowercase();
    if !is_sha256(&sha256) {
        return Err(ApiError::NotFound);
    }
    let Some(file_name) = entitled_name(&state, &actor, &sha256).await? else {
        return Err(ApiError::NotFound);
    };
    file_response(&state, &sha256, &file_name)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The stored file as an attachment named `file_name`; `None` when not stored.
pub async fn file_response(
    state: &AppState,
    sha256: &str,
    file_name: &str,
) -> Result<Option<Response>, ApiError> {
    let Some(file) = state.db.document_file(sha256).await? else {
        return Ok(None);
    };
    let media = DocumentFileType::ALL
        .into_iter()
        .find(|t| t.extension() == file.file_type)
        .map_or("application/octet-stream", DocumentFileType::media_type);
    // An ASCII fallback name, and the real one in RFC 5987 form.
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent(file_name)
    );
    let mut response = (StatusCode::OK, file.content).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        h.insert(header::ETAG, v);
    }
    Ok(Some(response))
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The file name under which `actor` may read the file `sha256`, or `None` when it may not.
async fn entitled_name(
    state: &AppState,
    actor: &Actor,
    sha256: &str,
) -> Result<Option<String>, ApiError> {
    match actor.role {
        Role::ProviderUser => {
            let Some(provider) = actor.provider_id else {
                return Ok(None);
            };
            let invitations =
                crate::portal::read::invitations(state, &provider.to_string(), state.clock.now())
                    .await
                    .map_err(|e| {
                        ApiError::Db(centrale_server_db::DbError::Corrupt(e.to_string()))
                    })?;
            Ok(invitations
                .iter()
                .flat_map(|i| &i.documents)
                .find(|d| d.sha256 == sha256)
                .map(|d| d.file_name.clone()))
        }
        _ => {
            for row in state
                .db
                .list_live_records(RecordKind::Framework.as_str())
                .await?
            {
                let Ok(framework) = serde_json::from_value::<FrameworkAgreement>(row.body) else {
                    continue;
                };
                if let Some(d) = framework
                    .versions
                    .iter()
                    .flat_map(|v| &v.documents)
                    .find(|d| d.sha256 == sha256)
                {
                    return Ok(Some(d.file_name.clone()));
                }
            }
            // The centrale reads a file it uploaded before naming it in a version.
            if actor.role == Role::CentraleStaff {
                return Ok(Some(format!("{sha256}.bin")));
            }
            Ok(None)
        }
    }
}
