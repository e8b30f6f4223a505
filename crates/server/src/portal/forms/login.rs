//! Login and logout of the providers' portal.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use centrale_domain::role::Role;
use maud::html;

use crate::actor::Actor;
use crate::login::{ClientAddress, LoginRefusal};
use crate::portal::error::PortalError;
use crate::portal::layout::{alert, contact, page, respond};
use crate::portal::session::{
    self, clear_cookie, cookie, random_token, set_cookie, tokens_match, ProviderSession,
    LOGIN_COOKIE, SESSION_COOKIE,
};
use crate::state::AppState;

use super::{csrf_ok, csrf_refused, field, Fields};

/// What the login page shows besides the form.
enum LoginNotice {
    None,
    LoggedOut,
    Error(String),
}

fn login_page(
    status: StatusCode,
    token: &str,
    username: &str,
    notice: LoginNotice,
    secure: bool,
) -> Response {
    let content = html! {
        div class="narrow" {
            h1 { "Connexion au portail des prestataires" }
            p class="lead" { "Consultez les invitations à remettre offre de la centrale d'achat, remettez vos offres avant la date limite et suivez vos déploiements." }
            @match &notice {
                LoginNotice::LoggedOut => (alert("success", "logged-out", "Vous êtes déconnecté.", "")),
                LoginNotice::Error(message) => (alert("error", "login-error", "Connexion impossible", message)),
                LoginNotice::None => {},
            }
            form method="post" action="/portail/connexion" class="form" data-testid="login-form" {
                input type="hidden" name="csrf" value=(token);
                div class="field" {
                    label for="identifiant" { "Nom d'utilisateur" }
                    p class="hint" id="identifiant-hint" { "Celui que la centrale vous a communiqué, par exemple prestataire.nuagix." }
                    input id="identifiant" name="identifiant" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required value=(username)
                        aria-describedby="identifiant-hint";
                }
                div class="field" {
                    label for="mot-de-passe" { "Mot de passe" }
                    input id="mot-de-passe" name="mot_de_passe" type="password" autocomplete="current-password" required;
                }
                button type="submit" class="button" data-testid="login-submit" { "Se connecter" }
            }
            (contact().login_block())
        }
    };
    let mut response = respond(status, page("Connexion", None, None, content));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, token, Some(3600), secure),
    );
    response
}

/// `GET /portail/connexion`.
pub async fn login_form(
    State(state): State<AppState>,
    session: Result<ProviderSession, session::NoSession>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    if session.is_ok() {
        return Redirect::to("/portail/invitations").into_response();
    }
    let notice = if field(&query, "deconnecte") == "1" {
        LoginNotice::LoggedOut
    } else {
        LoginNotice::None
    };
    login_page(
        StatusCode::OK,
        &random_token(),
        "",
        notice,
        state.settings.served_over_https(),
    )
}

/// `POST /portail/connexion`: checks the login form's token, then the login as the API does
/// (the same throttles and bounded password check), then the role; opens a session for
/// provider accounts only.
pub async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let secure = state.settings.served_over_https();
    let username = field(&fields, "identifiant").trim().to_string();
    let password = field(&fields, "mot_de_passe").to_string();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !tokens_match(&expected, field(&fields, "csrf")) {
        return login_page(
            StatusCode::FORBIDDEN,
            &random_token(),
            &username,
            LoginNotice::Error("La page de connexion a expiré. Saisissez à nouveau votre mot de passe et reconnectez-vous.".into()),
            secure,
        );
    }
    let again = |status: StatusCode, message: &str| {
        login_page(
            status,
            &expected,
            &username,
            LoginNotice::Error(message.into()),
            secure,
        )
    };
    let wrong = "Nom d'utilisateur ou mot de passe incorrect. Vérifiez-les et réessayez.";
    if username.is_empty() || username.len() > 100 || password.is_empty() || password.len() > 1000 {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Indiquez votre nom d'utilisateur et votre mot de passe.",
        );
    }
    let user = match crate::login::check(&state, address, &username, &password).await {
        Ok(user) => user,
        Err(LoginRefusal::Invalid) => return again(StatusCode::UNAUTHORIZED, wrong),
        Err(LoginRefusal::Throttled { retry_after_secs }) => {
            let response = again(
                StatusCode::TOO_MANY_REQUESTS,
                &format!(
                    "Trop de tentatives de connexion échouées. Par sécurité, attendez {} minute(s) avant de réessayer.",
                    (retry_after_secs + 59) / 60
                ),
            );
            return with_retry_after(response, retry_after_secs);
        }
        Err(LoginRefusal::Busy { retry_after_secs }) => {
            let response = again(
                StatusCode::SERVICE_UNAVAILABLE,
                "Beaucoup de personnes se connectent en ce moment. Réessayez dans quelques secondes.",
            );
            return with_retry_after(response, retry_after_secs);
        }
        Err(LoginRefusal::Db(e)) => return PortalError::from(e).into_response(),
    };
    if user.disabled {
        return again(
            StatusCode::FORBIDDEN,
            "Ce compte est désactivé. Contactez la centrale d'achat pour le réactiver.",
        );
    }
    let actor = Actor::from_user(&user);
    let Some(actor) = actor.filter(|a| a.role == Role::ProviderUser && a.provider_id.is_some())
    else {
        let role = Role::parse(&user.role).map_or("inconnu", |r| r.label_fr());
        return again(
            StatusCode::FORBIDDEN,
            &format!(
                "Ce portail est réservé aux prestataires. Votre compte ({role}) s'utilise dans l'application Centrale de votre commune ou de la centrale d'achat."
            ),
        );
    };
    let value = match session::open(&state, &actor).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let mut response = Redirect::to("/portail/invitations").into_response();
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &value, None, secure),
    );
    h.append(header::SET_COOKIE, clear_cookie(LOGIN_COOKIE, secure));
    response
}

fn with_retry_after(mut response: Response, seconds: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// `POST /portail/deconnexion`.
pub async fn logout(
    State(state): State<AppState>,
    session: ProviderSession,
    Form(fields): Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    if let Err(e) = state.db.delete_web_session(&session.id_hash).await {
        return PortalError::from(e).into_response();
    }
    let mut response = Redirect::to("/portail/connexion?deconnecte=1").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        clear_cookie(SESSION_COOKIE, state.settings.served_over_https()),
    );
    response
}
