//! « Mon compte » › double authentification (issue 17 point 9): a provider's account turns on
//! a second factor — a code from an application on the phone, asked when the offer is
//! remitted — with recovery codes shown once, or turns it off with a code. The same account
//! functions as the desktop app's API (`crate::second_factor`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use centrale_server_db::UserRow;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::{csrf_ok, csrf_refused, field, text_field, Fields};
use crate::portal::error::PortalError;
use crate::portal::layout::{alert, page, respond};
use crate::portal::session::ProviderSession;
use crate::second_factor::{self as account, AccountRefusal};
use crate::state::AppState;

const PATH: &str = "/portail/compte";

/// `?desactivee=1` after turning it off.
#[derive(Debug, Deserialize)]
pub struct Done {
    desactivee: Option<String>,
}

async fn user_of(state: &AppState, session: &ProviderSession) -> Result<UserRow, PortalError> {
    state
        .db
        .find_user_by_username(&session.actor.username)
        .await?
        .ok_or_else(|| PortalError::Internal("the session's account is gone".into()))
}

fn code_form(session: &ProviderSession, action: &str, button: &str, error: Option<&str>) -> Markup {
    html! {
        form method="post" action=(action) data-testid="second-factor-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            (text_field(
                "code",
                "Code de double authentification",
                "Les six chiffres affichés maintenant par votre application d'authentification.",
                "",
                error,
                "numeric",
                "",
            ))
            button type="submit" class="button" data-testid="second-factor-submit" { (button) }
        }
    }
}

fn account_page(session: &ProviderSession, state: &AppState, body: Markup) -> Markup {
    let content = html! {
        h1 { "Mon compte" }
        p class="lead" data-testid="account-holder" {
            @if let Some(person) = session.person_name() { (person) " — " }
            (session.provider_name)
        }
        h2 { "Double authentification" }
        (body)
    };
    page(
        "Mon compte",
        Some(session),
        Some(state.clock.now()),
        content,
    )
}

fn status_body(
    session: &ProviderSession,
    user: &UserRow,
    done: bool,
    error: Option<&str>,
) -> Markup {
    html! {
        @if done {
            (alert("success", "second-factor-off", "La double authentification est désactivée.", "Vos offres se remettent de nouveau avec votre seul mot de passe."))
        }
        @if user.second_factor_on_at.is_some() {
            p data-testid="second-factor-status" {
                strong { "Activée" }
                " : chaque offre se remet avec le code de votre application d'authentification."
            }
            p { "Pour la désactiver, saisissez un code de votre application ou l'un de vos codes de secours." }
            (code_form(session, "/portail/compte/double-authentification/desactiver", "Désactiver la double authentification", error))
        } @else {
            p data-testid="second-factor-status" {
                strong { "Non activée." }
                " Une offre engage " (session.provider_name) " : avec la double authentification, elle se remet avec votre mot de passe et un code à six chiffres affiché par une application sur votre téléphone (par exemple FreeOTP, Google Authenticator ou Microsoft Authenticator). Quelqu'un qui aurait appris votre mot de passe ne pourrait pas remettre d'offre en votre nom."
            }
            form method="post" action="/portail/compte/double-authentification" {
                input type="hidden" name="csrf" value=(session.csrf);
                button type="submit" class="button" data-testid="second-factor-start" { "Activer la double authentification" }
            }
        }
    }
}

fn setup_body(session: &ProviderSession, user: &UserRow, error: Option<&str>) -> Markup {
    let Some(setup) = user
        .second_factor_secret
        .as_deref()
        .and_then(|secret| account::setup_of(secret, &user.username))
    else {
        return status_body(session, user, false, None);
    };
    // The SVG is drawn here from the address (no outside content): safe to inline.
    let svg = setup
        .qr_svg
        .find("<svg")
        .map_or("", |at| &setup.qr_svg[at..])
        .to_string();
    html! {
        ol class="steps" {
            li { "Ouvrez votre application d'authentification et ajoutez un compte en scannant ce code :" }
        }
        figure class="qr" data-testid="second-factor-qr" {
            (PreEscaped(svg))
            figcaption {
                "Sans appareil photo, saisissez cette clé dans l'application : "
                code data-testid="second-factor-secret" { (setup.secret) }
            }
        }
        p { "Saisissez ensuite le code à six chiffres que l'application affiche pour « Centrale »." }
        (code_form(session, "/portail/compte/double-authentification/confirmer", "Confirmer et activer", error))
    }
}

/// A refusal shown on the account page, `body` drawing the page with its reason; a storage
/// failure as the portal's error page.
fn refused(
    session: &ProviderSession,
    state: &AppState,
    e: AccountRefusal,
    body: impl FnOnce(&str) -> Markup,
) -> Response {
    match e {
        AccountRefusal::Refused(e) => respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            account_page(session, state, body(&e.to_string())),
        ),
        AccountRefusal::Db(e) => PortalError::from(e).into_response(),
    }
}

/// What every form of the page checks first: its CSRF token, then the account as stored now.
async fn posted(
    state: &AppState,
    session: &ProviderSession,
    fields: &Fields,
) -> Result<UserRow, Response> {
    if !csrf_ok(session, fields) {
        return Err(csrf_refused(state.clock.now()));
    }
    user_of(state, session)
        .await
        .map_err(IntoResponse::into_response)
}

/// `GET /portail/compte`.
pub async fn account_form(
    State(state): State<AppState>,
    session: ProviderSession,
    Query(done): Query<Done>,
) -> Response {
    match user_of(&state, &session).await {
        Ok(user) => respond(
            StatusCode::OK,
            account_page(
                &session,
                &state,
                status_body(&session, &user, done.desactivee.is_some(), None),
            ),
        ),
        Err(e) => e.into_response(),
    }
}

/// `POST /portail/compte/double-authentification`: a new secret, shown as a QR code.
pub async fn start_second_factor(
    State(state): State<AppState>,
    session: ProviderSession,
    axum::Form(fields): axum::Form<Fields>,
) -> Response {
    let user = match posted(&state, &session, &fields).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if let Err(e) = account::start_setup(&state.db, &user).await {
        return refused(&session, &state, e, |reason| {
            status_body(&session, &user, false, Some(reason))
        });
    }
    // Read again: the page draws the secret just kept.
    match user_of(&state, &session).await {
        Ok(user) => respond(
            StatusCode::OK,
            account_page(&session, &state, setup_body(&session, &user, None)),
        ),
        Err(e) => e.into_response(),
    }
}

/// `POST /portail/compte/double-authentification/confirmer`: on, and the recovery codes.
pub async fn confirm_second_factor(
    State(state): State<AppState>,
    session: ProviderSession,
    axum::Form(fields): axum::Form<Fields>,
) -> Response {
    let user = match posted(&state, &session, &fields).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match account::confirm_setup(&state.db, &user, field(&fields, "code"), state.clock.now()).await
    {
        Ok(codes) => respond(
            StatusCode::OK,
            account_page(
                &session,
                &state,
                html! {
                    (alert("success", "second-factor-on", "La double authentification est activée.", "Chaque offre se remettra désormais avec le code de votre application."))
                    p { strong { "Vos codes de secours" } " — notez-les ou imprimez-les maintenant et gardez-les en lieu sûr : ils ne seront plus affichés. Chacun remplace une seule fois le code de l'application, si vous perdez votre téléphone." }
                    ul class="recovery-codes" data-testid="recovery-codes" {
                        @for code in &codes { li { code { (code) } } }
                    }
                    p { a href=(PATH) class="button" { "J'ai noté mes codes de secours" } }
                },
            ),
        ),
        Err(e) => refused(&session, &state, e, |reason| {
            setup_body(&session, &user, Some(reason))
        }),
    }
}

/// `POST /portail/compte/double-authentification/desactiver`.
pub async fn turn_off_second_factor(
    State(state): State<AppState>,
    session: ProviderSession,
    axum::Form(fields): axum::Form<Fields>,
) -> Response {
    let user = match posted(&state, &session, &fields).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let typed = field(&fields, "code");
    match account::turn_off(
        &state.db,
        &user,
        session.actor.role,
        typed,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Redirect::to("/portail/compte?desactivee=1").into_response(),
        Err(e) => refused(&session, &state, e, |reason| {
            status_body(&session, &user, false, Some(reason))
        }),
    }
}
