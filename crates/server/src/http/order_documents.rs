//! The documents of a call-off and of an adhesion, typeset by the server from its own database
//! (issue 12 §1): the same function and the same records as the commune's PC, so the same
//! content. The centrale gets every document; a commune those of its own records; a provider
//! only its own letters (the notification if it won, its information letter otherwise) and the
//! purchase order addressed to it. Another commune's record, or a document that is not the
//! provider's, is answered as absent; a document the record does not hold yet (nothing before
//! the opening, no letter before the award) is `document_not_yet`.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use centrale_documents::{AdhesionDocument, DocumentError, OrderDocument, Reader, Withheld};
use centrale_domain::permission::{authorize, Act, Owner};
use centrale_domain::role::Role;
use centrale_domain::DomainError;
use centrale_protocol::{codes, ErrorBody};
use serde::Serialize;
use uuid::Uuid;

use crate::actor::Actor;
use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::paper;
use crate::state::AppState;

/// The `kind` that asks for the zip of every part of an order's file.
pub const ZIP_KIND: &str = "zip";

/// A document the record allows now, for this account.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentListed {
    /// Its name in the address: `analysis_report`, `information_letter-<id du prestataire>`,
    /// `whole_file`, `zip`…
    pub kind: String,
    /// Its French title.
    pub title: String,
    /// The name its file is saved under (Windows accepts it).
    pub file_name: String,
    /// Where to download it.
    pub href: String,
}

fn refused(e: DomainError) -> ApiError {
    match e {
        DomainError::NotFound => ApiError::NotFound,
        other => ApiError::BadRequest {
            code: codes::FORBIDDEN,
            message: other.to_string(),
            details: other.params(),
            status: StatusCode::FORBIDDEN,
        },
    }
}

fn not_yet(why: &'static str) -> ApiError {
    let e = DocumentError::NotYet(why);
    ApiError::BadRequest {
        code: e.code(),
        message: e.to_string(),
        details: serde_json::json!({ "reason": why }),
        status: StatusCode::CONFLICT,
    }
}

fn failed(e: DocumentError) -> ApiError {
    match e {
        DocumentError::NotYet(why) => not_yet(why),
        other => {
            tracing::error!(error = %other, "document impossible à produire");
            ApiError::BadRequest {
                code: other.code(),
                message: other.to_string(),
                details: serde_json::json!({}),
                status: StatusCode::INTERNAL_SERVER_ERROR,
            }
        }
    }
}

/// Who reads the order's documents, once the domain's `authorize` let them: a provider must
/// be invited to the order (otherwise the order is absent for it).
async fn reader(
    state: &AppState,
    actor: &Actor,
    order: &centrale_domain::order::Order,
) -> Result<Reader, ApiError> {
    let domain = actor.domain();
    if actor.role == Role::ProviderUser {
        let me = actor.provider_id.ok_or(ApiError::NotFound)?;
        let invited = paper::invitations(&state.db, order.id)
            .await?
            .iter()
            .any(|i| i.provider_id == me);
        if !invited {
            return Err(ApiError::NotFound);
        }
        authorize(&domain, Act::ReadDocuments, Owner::Provider(me)).map_err(refused)?;
        return Ok(Reader::Provider(me));
    }
    authorize(
        &domain,
        Act::ReadDocuments,
        Owner::Commune(&order.commune_nis),
    )
    .map_err(refused)?;
    Ok(if actor.role == Role::CentraleStaff {
        Reader::Centrale
    } else {
        Reader::Commune
    })
}

/// A PDF (or zip) as a download named `file_name`.
pub fn download(bytes: Vec<u8>, media: &'static str, file_name: &str) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn parse_id(id: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound)
}

/// The documents of an order this account may have now.
#[utoipa::path(get, path = "/api/v1/orders/{id}/documents", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la commande")),
    responses(
        (status = 200, description = "Les documents disponibles maintenant, dans l'ordre de la vie de la commande", body = Vec<DocumentListed>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 404, description = "Commande absente, ou non accessible à ce compte", body = ErrorBody)))]
pub async fn order_list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<DocumentListed>>, ApiError> {
    let order_id = parse_id(&id)?;
    let order = paper::order(&state.db, order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reader = reader(&state, &actor, &order).await?;
    let Some(docs) = paper::order_documents(&state, order, state.clock.now()).await? else {
        return Ok(Json(Vec::new()));
    };
    let href = |kind: &str| format!("/api/v1/orders/{order_id}/documents/{kind}");
    let mut out: Vec<DocumentListed> = docs
        .choices(reader)
        .into_iter()
        .map(|c| DocumentListed {
            kind: c.which.code(),
            href: href(&c.which.code()),
            file_name: docs.file_name(c.which),
            title: c.title,
        })
        .collect();
    if out
        .iter()
        .any(|d| d.kind == OrderDocument::WholeFile.code())
    {
        out.push(DocumentListed {
            kind: ZIP_KIND.into(),
            href: href(ZIP_KIND),
            file_name: docs.zip_name(),
            title: centrale_documents::ZIP_TITLE.into(),
        });
    }
    Ok(Json(out))
}

/// One document of an order, as a PDF (PDF/A-2b); `zip`: every part as its own PDF, with
/// the whole file, in one zip.
#[utoipa::path(get, path = "/api/v1/orders/{id}/documents/{kind}", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de la commande"),
           ("kind" = String, Path, description = "Le document, tel que listé par /api/v1/orders/{id}/documents (launch_decision, analysis_report, information_letter-<id>, whole_file, zip…)")),
    responses(
        (status = 200, description = "Le document en PDF (ou, pour zip, les pièces en PDF dans une archive zip)", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 404, description = "Commande ou document absent, ou non accessible à ce compte", body = ErrorBody),
        (status = 409, description = "Pas encore disponible (document_not_yet) : la commande ne contient pas encore ce que le document imprime", body = ErrorBody)))]
pub async fn order_document(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let order_id = parse_id(&id)?;
    let order = paper::order(&state.db, order_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reader = reader(&state, &actor, &order).await?;
    let docs = paper::order_documents(&state, order, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound)?;
    if kind == ZIP_KIND {
        docs.allowed(reader, OrderDocument::WholeFile)
            .map_err(withheld)?;
        let name = docs.zip_name();
        let bytes = typeset(&state, move || docs.zip()).await?;
        return Ok(download(bytes, "application/zip", &name));
    }
    let which = OrderDocument::parse(&kind).ok_or(ApiError::NotFound)?;
    docs.allowed(reader, which).map_err(withheld)?;
    let name = docs.file_name(which);
    let rendered = typeset(&state, move || docs.pdf(which)).await?;
    Ok(download(rendered.pdf, "application/pdf", &name))
}

/// A document the reader may not have: not found (not theirs), or not yet (with the reason).
fn withheld(w: Withheld) -> ApiError {
    match w {
        Withheld::NotFound => ApiError::NotFound,
        Withheld::NotYet(why) => not_yet(why),
    }
}

/// Typesets off the async workers (a tenth of a second or more per document).
async fn typeset<T: Send + 'static>(
    state: &AppState,
    make: impl FnOnce() -> Result<T, DocumentError> + Send + 'static,
) -> Result<T, ApiError> {
    state
        .typesetting
        .run(make)
        .await
        .map_err(|e| failed(DocumentError::Pdf(e.to_string())))?
        .map_err(failed)
}

/// The adhesion, once the domain's `authorize` let this account read its documents.
async fn adhesion_docs(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<centrale_documents::AdhesionDocuments, ApiError> {
    let adhesion_id = parse_id(id)?;
    let docs = paper::adhesion_documents(state, adhesion_id, state.clock.now())
        .await?
        .ok_or(ApiError::NotFound)?;
    authorize(
        &actor.domain(),
        Act::ReadDocuments,
        Owner::Commune(&docs.paper.adhesion.commune_nis),
    )
    .map_err(refused)?;
    Ok(docs)
}

/// The documents of an adhesion this account may have now (the commune's, the centrale's).
#[utoipa::path(get, path = "/api/v1/adhesions/{id}/documents", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'adhésion")),
    responses(
        (status = 200, description = "Les documents disponibles maintenant", body = Vec<DocumentListed>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 404, description = "Adhésion absente, ou non accessible à ce compte", body = ErrorBody)))]
pub async fn adhesion_list(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<Vec<DocumentListed>>, ApiError> {
    let docs = adhesion_docs(&state, &actor, &id).await?;
    let adhesion_id = docs.paper.adhesion.id;
    Ok(Json(
        docs.file()
            .available()
            .into_iter()
            .map(|d| DocumentListed {
                kind: d.code().into(),
                title: d.title_fr().into(),
                file_name: docs.file_name(d),
                href: format!("/api/v1/adhesions/{adhesion_id}/documents/{}", d.code()),
            })
            .collect(),
    ))
}

/// One document of an adhesion, as a PDF (PDF/A-2b).
#[utoipa::path(get, path = "/api/v1/adhesions/{id}/documents/{kind}", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path, description = "Identifiant de l'adhésion"),
           ("kind" = String, Path, description = "deliberation ou signed_convention")),
    responses(
        (status = 200, description = "Le document en PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 404, description = "Adhésion ou document absent, ou non accessible à ce compte", body = ErrorBody),
        (status = 409, description = "Pas encore disponible (document_not_yet)", body = ErrorBody)))]
pub async fn adhesion_document(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let docs = adhesion_docs(&state, &actor, &id).await?;
    let which = AdhesionDocument::parse(&kind).ok_or(ApiError::NotFound)?;
    if let Some(why) = docs.file().not_yet(which) {
        return Err(not_yet(why));
    }
    let name = docs.file_name(which);
    let rendered = typeset(&state, move || docs.file().pdf(which)).await?;
    Ok(download(rendered.pdf, "application/pdf", &name))
}
