//! The handlers. Thin: parse, authorise, call the engine or the store, answer.

use axum::extract::{Query, State};
use axum::Json;
use centrale_domain::ErrorCode;
use centrale_protocol::mutations::{Mutation, ParseError};
use centrale_protocol::records::RecordKind;
use centrale_protocol::{
    codes, is_supported, ErrorBody, FailedMail, HealthResponse, LoginRequest, LoginResponse,
    MeResponse, PullQuery, PullResponse, PushRequest, PushResponse, RawPullResponse,
    RetryFailedMail, ServerSettings, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_BATCH,
    PROTOCOL_VERSION,
};
use serde_json::json;

use super::ApiJson;
use crate::actor::Actor;
use crate::auth::{new_token, Authenticated, AuthenticatedWithMark};
use crate::engine::{self, EngineError, ParsedMutation};
use crate::error::ApiError;
use crate::login::ClientAddress;
use crate::state::AppState;

/// Server status, version and protocol.
#[utoipa::path(get, path = "/health", tag = "serveur",
    responses((status = 200, description = "Le serveur répond", body = HealthResponse)))]
pub async fn health(State(state): State<AppState>) -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok".into(),
        server_version: crate::SERVER_VERSION.into(),
        protocol_version: PROTOCOL_VERSION,
        min_protocol_version: centrale_protocol::MIN_PROTOCOL_VERSION,
        server_time: state.clock.now(),
        database: state.db.backend().name().into(),
    })
}

/// Logs in and returns a device token.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "authentification", request_body = LoginRequest,
    responses(
        (status = 200, description = "Connecté", body = LoginResponse),
        (status = 400, description = "JSON invalide", body = ErrorBody),
        (status = 401, description = "Identifiants incorrects", body = ErrorBody),
        (status = 403, description = "Compte désactivé", body = ErrorBody),
        (status = 413, description = "Requête trop volumineuse", body = ErrorBody),
        (status = 415, description = "En-tête Content-Type: application/json absent", body = ErrorBody),
        (status = 422, description = "Données invalides", body = ErrorBody),
        (status = 429, description = "Trop de tentatives (compte ou adresse) : attendre Retry-After secondes", body = ErrorBody),
        (status = 503, description = "Trop de connexions en cours : réessayer après Retry-After secondes", body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let username = req.username.trim();
    if username.is_empty() || username.len() > 100 || req.password.len() > 1000 {
        return Err(ApiError::coded(
            ErrorCode::LoginFieldsInvalid,
            json!({"field": "username", "max_chars": 100}),
        ));
    }
    let device = req.device.trim();
    if device.is_empty() || device.chars().count() > 100 {
        return Err(ApiError::coded(
            ErrorCode::DeviceNameInvalid,
            json!({"field": "device", "max_chars": 100}),
        ));
    }
    let user = crate::login::check(&state, address, username, &req.password).await?;
    if user.disabled {
        return Err(ApiError::AccountDisabled);
    }
    let actor = Actor::from_user(&user).ok_or(ApiError::InvalidCredentials)?;
    let now = state.clock.now();
    let (token, token_hash) = new_token();
    state
        .db
        .insert_device_token(&token_hash, &user.id, device, now)
        .await?;
    Ok(Json(LoginResponse {
        protocol_version: PROTOCOL_VERSION,
        token,
        user: actor.me(),
    }))
}

/// Revokes the token of this device.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "authentification", security(("bearer" = [])),
    responses((status = 204, description = "Déconnecté"), (status = 401, description = "Non connecté", body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Authenticated(_): Authenticated,
) -> Result<axum::http::StatusCode, ApiError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthorized)?;
    state
        .db
        .revoke_token(&crate::auth::token_hash(token.trim()), state.clock.now())
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Who is connected.
#[utoipa::path(get, path = "/api/v1/me", tag = "authentification", security(("bearer" = [])),
    responses((status = 200, description = "Le compte connecté", body = MeResponse), (status = 401, description = "Non connecté", body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Json<MeResponse> {
    Json(MeResponse {
        protocol_version: PROTOCOL_VERSION,
        user: actor.me(),
        server_time: state.clock.now(),
    })
}

/// The changes visible to the caller after a cursor, a page at a time.
#[utoipa::path(get, path = "/api/v1/sync/pull", tag = "synchronisation", security(("bearer" = [])), params(PullQuery),
    responses(
        (status = 200, description = "Une page de changements", body = PullResponse),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 422, description = "Curseur invalide", body = ErrorBody),
        (status = 426, description = "Application à mettre à jour", body = ErrorBody)))]
pub async fn pull(
    State(state): State<AppState>,
    AuthenticatedWithMark(actor, high_water): AuthenticatedWithMark,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<axum::response::Response, ApiError> {
    let Query(query) = query.map_err(|_| {
        ApiError::unprocessable(
            codes::INVALID_INPUT,
            "Les paramètres de synchronisation sont invalides : cursor est un nombre entier positif (exemple : cursor=0) et limit, facultatif, un nombre entre 1 et 5000.",
            json!({"fields": ["cursor", "limit"]}),
        )
    })?;
    if query.cursor < 0 {
        return Err(ApiError::unprocessable(
            codes::INVALID_INPUT,
            "Le curseur de synchronisation ne peut pas être négatif.",
            json!({"fields": ["cursor"]}),
        ));
    }
    let limit = query
        .limit
        .unwrap_or(DEFAULT_PULL_LIMIT)
        .clamp(1, MAX_PULL_LIMIT);
    // The opening of due competitions is the scheduler's, never the pull's: a pull only tells
    // it, without waiting, that a deadline it knows of has passed. Offers stay sealed (invisible
    // to the commune) until that opening commits, so a pull never shows a sealed offer.
    let now = state.clock.now();
    state.scheduler.nudge_if_due(now);
    // Bounded by the mark read with the token: a no-change pull is that one query. The page
    // comes written as the JSON the answer carries (issue 19 §4), records as stored.
    let page = state
        .db
        .pull_page_text_below(
            &actor.viewer(),
            query.cursor,
            i64::from(limit),
            high_water,
            Some(&RecordKind::ALL.map(RecordKind::as_str)),
        )
        .await?;
    // An empty page moves the cursor to the committed high-water mark (nothing at or below it
    // can still appear, see `Database::committed_high_water`), so that a quiet commune's next
    // pull starts after everybody else's work instead of re-reading it. Never backwards: a
    // cursor beyond the mark (a restored server) stays where it is.
    let next_cursor = page
        .last_seq
        .unwrap_or_else(|| query.cursor.max(page.high_water));
    // The answer is the `PullResponse` of the API's description, field for field.
    let head = RawPullResponse {
        protocol_version: PROTOCOL_VERSION,
        changes: Vec::new(),
        next_cursor,
        has_more: page.has_more,
        server_time: now,
        settings: Some(ServerSettings {
            min_competition_days: state.settings.min_competition_days,
            centrale_name: Some(state.settings.centrale_name.clone()),
        }),
    };
    let text = head.text_with_changes(&page.changes).map_err(|e| {
        ApiError::Db(centrale_server_db::DbError::Corrupt(format!(
            "page de synchronisation : {e}"
        )))
    })?;
    Ok(axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        text,
    )))
}

/// Applies a batch of named mutations, each exactly once, in order.
///
/// A batch that cannot be read at all (unknown mutation, payload of the wrong shape) is
/// refused whole with 422 and `details.mutation_id` naming the culprit, so the client can set
/// that one aside and resend the rest. Rule refusals are per-mutation results.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "synchronisation", security(("bearer" = [])), request_body = PushRequest,
    responses(
        (status = 200, description = "Un résultat par opération", body = PushResponse),
        (status = 400, description = "JSON invalide", body = ErrorBody),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 413, description = "Requête trop volumineuse", body = ErrorBody),
        (status = 415, description = "En-tête Content-Type: application/json absent", body = ErrorBody),
        (status = 422, description = "Opération inconnue ou données invalides", body = ErrorBody),
        (status = 426, description = "Application à mettre à jour", body = ErrorBody)))]
pub async fn push(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if !is_supported(req.protocol_version) {
        return Err(ApiError::UpdateNeeded {
            client_version: req.protocol_version,
        });
    }
    if req.mutations.len() > MAX_PUSH_BATCH {
        return Err(ApiError::coded(
            ErrorCode::TooManyMutations,
            json!({"max": MAX_PUSH_BATCH}),
        ));
    }
    let mut parsed = Vec::with_capacity(req.mutations.len());
    for envelope in req.mutations {
        match Mutation::parse(&envelope.name, envelope.payload.clone()) {
            Ok(mutation) => parsed.push(ParsedMutation { envelope, mutation }),
            Err(e) => {
                let code = match e {
                    ParseError::UnknownName(_) => codes::UNKNOWN_MUTATION,
                    ParseError::BadPayload { .. } => codes::INVALID_INPUT,
                };
                return Err(ApiError::unprocessable(
                    code,
                    e.to_string(),
                    json!({"mutation_id": envelope.mutation_id, "name": envelope.name.chars().take(100).collect::<String>()}),
                ));
            }
        }
    }
    let mut results = Vec::with_capacity(parsed.len());
    for mutation in &parsed {
        match engine::apply(&state, &actor, req.client_id, mutation).await {
            Ok(result) => results.push(result),
            Err(EngineError::Db(e)) => return Err(ApiError::Db(e)),
            Err(e) => {
                tracing::error!(error = %e, mutation = %mutation.envelope.name, "mutation failed");
                return Err(ApiError::Db(centrale_server_db::DbError::Corrupt(
                    e.to_string(),
                )));
            }
        }
    }
    Ok(Json(PushResponse {
        protocol_version: PROTOCOL_VERSION,
        results,
        server_time: state.clock.now(),
    }))
}

/// The e-mails the server gave up sending, newest first (the centrale's staff only).
#[utoipa::path(get, path = "/api/v1/mail/failed", tag = "e-mail", security(("bearer" = [])),
    responses(
        (status = 200, description = "Les e-mails non remis", body = Vec<FailedMail>),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 403, description = "Réservé à la centrale", body = ErrorBody)))]
pub async fn failed_mail(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<Vec<FailedMail>>, ApiError> {
    use centrale_domain::permission::{authorize, Act, Owner};
    authorize(&actor.domain(), Act::ReadFailedMail, Owner::Own)
        .map_err(|e| ApiError::refused(e, axum::http::StatusCode::FORBIDDEN))?;
    let rows = state.db.failed_messages().await?;
    Ok(Json(
        rows.into_iter()
            .map(|m| FailedMail {
                kind_label: centrale_domain::mail::MailKind::parse(&m.kind)
                    .map(|k| k.label_fr())
                    .unwrap_or_else(|| m.kind.clone()),
                id: m.id,
                kind: m.kind,
                recipient_email: m.recipient_email,
                recipient_name: m.recipient_name,
                subject: m.subject,
                created_at: m.created_at,
                attempts: m.attempts,
                failed_at: m.failed_at,
                last_error: m.last_error,
            })
            .collect(),
    ))
}

/// Puts a failed e-mail back in the queue, to a corrected address when given (the centrale's
/// staff only); the sender's next pass sends it.
#[utoipa::path(post, path = "/api/v1/mail/failed/{id}/retry", tag = "e-mail",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "L'identifiant du message")),
    request_body = RetryFailedMail,
    responses(
        (status = 204, description = "Remis dans la file d'envoi"),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 403, description = "Réservé à la centrale", body = ErrorBody),
        (status = 404, description = "Plus dans les e-mails non remis", body = ErrorBody),
        (status = 422, description = "Adresse invalide", body = ErrorBody)))]
pub async fn retry_failed_mail(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    axum::extract::Path(id): axum::extract::Path<String>,
    ApiJson(body): ApiJson<RetryFailedMail>,
) -> Result<axum::http::StatusCode, ApiError> {
    use crate::mail::RetryError;
    use axum::http::StatusCode;
    use centrale_domain::permission::{authorize, Act, Owner};
    use centrale_domain::ErrorCode;
    authorize(&actor.domain(), Act::RetryFailedMail, Owner::Own)
        .map_err(|e| ApiError::refused(e, StatusCode::FORBIDDEN))?;
    let who = format!("{} ({})", actor.display_name, actor.username);
    match crate::mail::retry_failed(&state.db, &id, body.to.as_deref(), &who, state.clock.now())
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(RetryError::Refused(e)) if e.code() == ErrorCode::FailedMailNotFound => {
            Err(ApiError::refused(e, StatusCode::NOT_FOUND))
        }
        Err(RetryError::Refused(e)) => Err(ApiError::refused(e, StatusCode::UNPROCESSABLE_ENTITY)),
        Err(RetryError::Db(e)) => Err(e.into()),
    }
}
