//! Turning the second factor on and off from the desktop app (issue 17 point 9). On the server
//! only: the secret is made and kept here, never on a PC, so setting it up needs the network.
//!
//! 1. `POST /api/v1/account/second-factor`: a new secret (as text and QR code) for the
//!    authenticator application; nothing is on yet.
//! 2. `POST /api/v1/account/second-factor/confirm` with the application's current code: on,
//!    and the recovery codes are shown — once.
//! 3. `POST /api/v1/account/second-factor/off` with a code or a recovery code: off (never for
//!    the centrale's staff, who must keep it).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use centrale_domain::error::{DomainError, ErrorCode};
use centrale_domain::second_factor::{self as rules, parse_code, TypedCode};
use centrale_protocol::{ErrorBody, SecondFactorCode, SecondFactorEnabled, SecondFactorSetup};
use centrale_server_db::{AuditInput, DbError, SecondFactorAnswer, SecondFactorUse, UserRow};
use serde_json::json;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::http::extract::ApiJson;
use crate::second_factor::{
    lock_of, matching_step, new_recovery_codes, new_secret, recovery_hash, setup_of,
};
use crate::state::AppState;

/// The client id recorded for the codes used here (no PC's outbox is involved).
const ACCOUNT_CLIENT: &str = "compte";

fn refused(error: DomainError) -> ApiError {
    ApiError::coded(error.code(), error.params())
}

async fn user_of(state: &AppState, username: &str) -> Result<UserRow, ApiError> {
    state
        .db
        .find_user_by_username(username)
        .await?
        .ok_or(ApiError::Unauthorized)
}

/// Writes the change to the audit log (who turned it on or off, never the secret).
async fn audit(state: &AppState, user_id: &str, action: &str) -> Result<(), ApiError> {
    let mut tx = state.db.write().await?;
    tx.append_audit(&AuditInput {
        at: state.clock.now(),
        actor: user_id.to_string(),
        action: action.to_string(),
        record_kind: None,
        record_id: None,
        details: json!({}),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Reads the code typed, checks it against the account's secret at the server's time (or as
/// a recovery code when `recovery` allows it) and records its use; refused with the
/// catalogue's sentence otherwise.
async fn use_code(
    state: &AppState,
    user: &UserRow,
    typed: &str,
    recovery: bool,
) -> Result<Option<i64>, ApiError> {
    let now = state.clock.now();
    lock_of(user, now).map_err(refused)?;
    let secret = user.second_factor_secret.clone().unwrap_or_default();
    match parse_code(typed).map_err(refused)? {
        TypedCode::OneTime(code) => {
            let step = matching_step(&secret, &code, now);
            let answer = step.map_or(SecondFactorAnswer::Wrong, SecondFactorAnswer::Step);
            finish(state, user, answer, step).await
        }
        TypedCode::Recovery(code) if recovery => {
            let hash = recovery_hash(&user.id, &code);
            finish(state, user, SecondFactorAnswer::RecoveryCode(&hash), None).await
        }
        TypedCode::Recovery(_) => finish(state, user, SecondFactorAnswer::Wrong, None).await,
    }
}

async fn finish(
    state: &AppState,
    user: &UserRow,
    answer: SecondFactorAnswer<'_>,
    step: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    match state
        .db
        .use_second_factor_outside_acts(&user.id, answer, ACCOUNT_CLIENT, state.clock.now())
        .await?
    {
        SecondFactorUse::Accepted => Ok(step),
        SecondFactorUse::Reused => Err(ApiError::coded(ErrorCode::SecondFactorReused, json!({}))),
        SecondFactorUse::Wrong => Err(ApiError::coded(ErrorCode::SecondFactorWrong, json!({}))),
    }
}

/// Starts setting up the second factor: a new secret, to enter in an authenticator
/// application (scan the QR code or type the secret). Nothing changes for the account until a
/// code from it is confirmed; asking again gives a new secret.
#[utoipa::path(post, path = "/api/v1/account/second-factor", tag = "authentification", security(("bearer" = [])),
    responses(
        (status = 200, description = "Le secret à enregistrer dans l'application d'authentification", body = SecondFactorSetup),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 422, description = "Double authentification déjà activée", body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<SecondFactorSetup>, ApiError> {
    let secret = new_secret();
    if !state
        .db
        .start_second_factor(&actor.user_id, &secret)
        .await?
    {
        return Err(ApiError::coded(ErrorCode::SecondFactorAlreadyOn, json!({})));
    }
    let setup = setup_of(&secret, &actor.username)
        .ok_or_else(|| ApiError::Db(DbError::Corrupt("secret of a second factor".into())))?;
    Ok(Json(setup))
}

/// Turns the second factor on with the application's current code; answers the recovery
/// codes, shown this once.
#[utoipa::path(post, path = "/api/v1/account/second-factor/confirm", tag = "authentification", security(("bearer" = [])),
    request_body = SecondFactorCode,
    responses(
        (status = 200, description = "Activée : les codes de secours, montrés une seule fois", body = SecondFactorEnabled),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 422, description = "Code erroné, ou rien à confirmer", body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<SecondFactorCode>,
) -> Result<Json<SecondFactorEnabled>, ApiError> {
    let user = user_of(&state, &actor.username).await?;
    if user.second_factor_on_at.is_some() {
        return Err(ApiError::coded(ErrorCode::SecondFactorAlreadyOn, json!({})));
    }
    if user.second_factor_secret.is_none() {
        return Err(ApiError::coded(ErrorCode::SecondFactorNotOn, json!({})));
    }
    // Only the application's code proves the secret was entered: no recovery code exists yet.
    let now = state.clock.now();
    lock_of(&user, now).map_err(refused)?;
    let typed = parse_code(&body.code).map_err(refused)?;
    let secret = user.second_factor_secret.clone().unwrap_or_default();
    let step = match typed {
        TypedCode::OneTime(code) => matching_step(&secret, &code, now),
        TypedCode::Recovery(_) => None,
    };
    let Some(step) = step else {
        finish(&state, &user, SecondFactorAnswer::Wrong, None).await?;
        unreachable!("a wrong answer is refused");
    };
    let (shown, stored) = new_recovery_codes(&user.id);
    if !state
        .db
        .confirm_second_factor(&user.id, step, ACCOUNT_CLIENT, &stored, now)
        .await?
    {
        return Err(ApiError::coded(ErrorCode::SecondFactorNotOn, json!({})));
    }
    audit(&state, &actor.user_id, "account.second_factor_on").await?;
    Ok(Json(SecondFactorEnabled {
        recovery_codes: shown,
    }))
}

/// Turns the second factor off, with a code or a recovery code. The centrale's staff keep it
/// (`centrale_domain::second_factor::required_for`).
#[utoipa::path(post, path = "/api/v1/account/second-factor/off", tag = "authentification", security(("bearer" = [])),
    request_body = SecondFactorCode,
    responses(
        (status = 204, description = "Désactivée"),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 422, description = "Code erroné, compte de la centrale, ou pas activée", body = ErrorBody)))]
pub async fn turn_off(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<SecondFactorCode>,
) -> Result<StatusCode, ApiError> {
    if rules::required_for(actor.role) {
        return Err(ApiError::coded(ErrorCode::SecondFactorStaysOn, json!({})));
    }
    let user = user_of(&state, &actor.username).await?;
    if user.second_factor_on_at.is_none() {
        return Err(ApiError::coded(ErrorCode::SecondFactorNotOn, json!({})));
    }
    use_code(&state, &user, &body.code, true).await?;
    state.db.turn_off_second_factor(&user.id).await?;
    audit(&state, &actor.user_id, "account.second_factor_off").await?;
    Ok(StatusCode::NO_CONTENT)
}
