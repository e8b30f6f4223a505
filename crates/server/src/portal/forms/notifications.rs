//! « Mes notifications » (issue 14 §1): how the provider is told by e-mail, per kind of
//! message — « tout de suite », « un résumé quotidien » or « rien ». The messages go to the
//! provider's contact address, so its choices are the provider's (any of its accounts sets
//! them). Legal notifications are listed as always sent, without a choice. The form sends
//! `account.set_mail_preferences` through the one write path.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use centrale_domain::mail::{
    preference_lines, provider_account, MailChoice, MailKind, MailKindChoice, MailPreferenceLine,
    MailPreferences,
};
use centrale_domain::role::Role;
use centrale_protocol::mutations::{Mutation, SetMailPreferences};
use centrale_protocol::MutationStatus;
use maud::html;
use serde::Deserialize;

use super::{apply, csrf_ok, csrf_refused, field, Fields};
use crate::portal::error::PortalError;
use crate::portal::layout::{alert, page, respond};
use crate::portal::session::ProviderSession;
use crate::state::AppState;

/// `?enregistre=1` after a successful change.
#[derive(Debug, Deserialize)]
pub struct Saved {
    enregistre: Option<String>,
}

fn account(session: &ProviderSession) -> String {
    session
        .actor
        .provider_id
        .map(provider_account)
        .unwrap_or_else(|| format!("provider:{}", session.provider_id))
}

async fn lines(state: &AppState, account: &str) -> Result<Vec<MailPreferenceLine>, PortalError> {
    let rows = state.db.mail_preferences(account).await?;
    let prefs = MailPreferences {
        account: account.to_string(),
        choices: rows
            .iter()
            .filter_map(|(kind, choice)| {
                Some(MailKindChoice {
                    kind: MailKind::parse(kind)?,
                    choice: MailChoice::parse(choice)?,
                })
            })
            .collect(),
        updated_at: state.clock.now(),
    };
    Ok(preference_lines(Role::ProviderUser, Some(&prefs)))
}

fn form_page(
    session: &ProviderSession,
    now: chrono::DateTime<chrono::Utc>,
    lines: &[MailPreferenceLine],
    saved: bool,
    refusal: Option<&str>,
) -> maud::Markup {
    let content = html! {
        h1 { "Mes notifications" }
        p class="lead" {
            "Choisissez comment la centrale d'achat prévient " (session.provider_name)
            " par e-mail, pour chaque sorte de message : tout de suite, dans un résumé quotidien (un seul message par jour), ou pas du tout."
        }
        @if saved {
            (alert("success", "notifications-saved", "Vos choix sont enregistrés.", "Ils s'appliquent aux prochains messages."))
        }
        @if let Some(message) = refusal {
            (alert("error", "notifications-refused", "Vos choix n'ont pas été enregistrés", message))
        }
        form method="post" action="/portail/notifications" data-testid="notifications-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            @for line in lines {
                @let kind = line.kind.as_str();
                @if line.legal {
                    div class="fieldset" data-testid="notification-legal" data-kind=(kind) {
                        p { strong { (line.label) } }
                        p class="hint" { "Toujours envoyé tout de suite — notification légale." }
                    }
                } @else {
                    fieldset class="fieldset" data-testid="notification-choice" data-kind=(kind) {
                        legend { (line.label) }
                        @for choice in MailChoice::ALL {
                            @let id = format!("choice-{kind}-{}", choice.as_str());
                            div class="radio" {
                                input type="radio" id=(id) name={ "choice-" (kind) } value=(choice.as_str())
                                    checked[line.choice == choice];
                                " "
                                label for=(id) { (capitalised(choice.label_fr())) }
                            }
                        }
                    }
                }
            }
            button type="submit" class="button" data-testid="notifications-submit" { "Enregistrer mes choix" }
        }
    };
    page("Mes notifications", Some(session), Some(now), content)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `GET /portail/notifications`.
pub async fn notifications_form(
    State(state): State<AppState>,
    session: ProviderSession,
    Query(saved): Query<Saved>,
) -> Response {
    let now = state.clock.now();
    match lines(&state, &account(&session)).await {
        Ok(lines) => respond(
            StatusCode::OK,
            form_page(&session, now, &lines, saved.enregistre.is_some(), None),
        ),
        Err(e) => e.into_response(),
    }
}

/// `POST /portail/notifications`: one `choice-<kind>` per choosable kind.
pub async fn save_notifications(
    State(state): State<AppState>,
    session: ProviderSession,
    axum::Form(fields): axum::Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    let account = account(&session);
    let choices = MailKind::for_role(Role::ProviderUser)
        .into_iter()
        .filter(|k| !k.is_legal())
        .filter_map(|kind| {
            let choice = MailChoice::parse(field(&fields, &format!("choice-{}", kind.as_str())))?;
            Some(MailKindChoice { kind, choice })
        })
        .collect();
    let payload = SetMailPreferences {
        account: account.clone(),
        choices,
    };
    let result = match apply(&state, &session, Mutation::SetMailPreferences(payload)).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match result.status {
        MutationStatus::Applied => {
            Redirect::to("/portail/notifications?enregistre=1").into_response()
        }
        _ => match lines(&state, &account).await {
            Ok(lines) => respond(
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(
                    &session,
                    now,
                    &lines,
                    false,
                    Some(
                        result
                            .message
                            .as_deref()
                            .unwrap_or("Vos choix n'ont pas pu être enregistrés."),
                    ),
                ),
            ),
            Err(e) => e.into_response(),
        },
    }
}
