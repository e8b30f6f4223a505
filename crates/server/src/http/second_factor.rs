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
use centrale_protocol::{ErrorBody, SecondFactorCode, SecondFactorEnabled, SecondFactorSetup};
use centrale_server_db::UserRow;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::http::extract::ApiJson;
use crate::second_factor::{self as account, AccountRefusal};
use crate::state::AppState;

impl From<AccountRefusal> for ApiError {
    fn from(e: AccountRefusal) -> Self {
        match e {
            AccountRefusal::Refused(e) => ApiError::coded(e.code(), e.params()),
            AccountRefusal::Db(e) => ApiError::Db(e),
        }
    }
}

async fn user_of(state: &AppState, username: &str) -> Result<UserRow, ApiError> {
    state
        .db
        .find_user_by_username(username)
        .await?
        .ok_or(ApiError::Unauthorized)
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
    let user = user_of(&state, &actor.username).await?;
    Ok(Json(account::start_setup(&state.db, &user).await?))
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
    let recovery_codes =
        account::confirm_setup(&state.db, &user, &body.code, state.clock.now()).await?;
    Ok(Json(SecondFactorEnabled { recovery_codes }))
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
    let user = user_of(&state, &actor.username).await?;
    account::turn_off(&state.db, &user, actor.role, &body.code, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
