//! The forms: login and logout, the offer (submit or replace), the pooled offer (one for every
//! commune of a « marché groupé »), the deployment milestones.
//!
//! Every POST checks the CSRF token first and writes nothing when it is missing or wrong.
//! Every write is a named mutation applied by `engine::apply` (permission → domain rule →
//! write → audit → change log), exactly as if the provider's desktop app had pushed it. On a
//! refusal the form comes back with what was typed and the domain's French message next to
//! the field it concerns.

mod login;
mod milestones;
mod notifications;
mod offer;
mod pooled_offer;
mod price_justification;
mod question;
mod second_factor;

use axum::http::StatusCode;
use axum::response::Response;
use centrale_protocol::mutations::Mutation;
use centrale_protocol::{MutationEnvelope, MutationResult};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::PortalError;
use super::session::{tokens_match, ProviderSession};
use crate::engine::{self, EngineError, ParsedMutation};
use crate::state::AppState;

pub use login::{login, login_form, logout};
pub use milestones::{milestones, request_replan, update_milestones};
pub use notifications::{notifications_form, save_notifications};
pub use offer::{offer_form, submit_offer};
pub use pooled_offer::{pool_offer_path, pooled_offer_form, submit_pooled_offer};
pub use price_justification::answer_price_justification;
pub use question::ask_question;
pub use second_factor::{
    account_form, confirm_second_factor, start_second_factor, turn_off_second_factor,
};

/// A submitted form: name/value pairs as sent (repeated names kept).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The refusal of a form whose CSRF token is missing or wrong: nothing was written.
fn csrf_refused(now: DateTime<Utc>) -> Response {
    super::layout::message_page_at(
        StatusCode::FORBIDDEN,
        "Formulaire refusé",
        "Ce formulaire a expiré ou ne vient pas du portail : rien n'a été enregistré. Revenez à la page précédente, rechargez-la, puis envoyez à nouveau le formulaire.",
        Some(now),
    )
}

fn csrf_ok(session: &ProviderSession, fields: &Fields) -> bool {
    tokens_match(&session.csrf, field(fields, "csrf"))
}

/// The client id the portal's mutations are recorded under: stable for one web session (so
/// the audit log groups what one login did), derived from the session's hash and never equal
/// to it.
fn client_id(session: &ProviderSession) -> Uuid {
    let digest = Sha256::digest(format!("portail:{}", session.id_hash).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Applies one mutation through the one write path, with a fresh v7 mutation id.
async fn apply(
    state: &AppState,
    session: &ProviderSession,
    mutation: Mutation,
) -> Result<MutationResult, PortalError> {
    apply_signed(state, session, mutation, None).await
}

/// [`apply`] for an act that may ask for the account's one-time code (issue 17 point 9).
async fn apply_signed(
    state: &AppState,
    session: &ProviderSession,
    mutation: Mutation,
    second_factor: Option<centrale_protocol::SecondFactorProof>,
) -> Result<MutationResult, PortalError> {
    let payload = match &mutation {
        Mutation::SubmitOffer(p) => serde_json::to_value(p),
        Mutation::SubmitPooledOffer(p) => serde_json::to_value(p),
        Mutation::UpdateMilestone(p) => serde_json::to_value(p),
        Mutation::RequestReplan(p) => serde_json::to_value(p),
        Mutation::AskQuestion(p) => serde_json::to_value(p),
        Mutation::AnswerPriceJustification(p) => serde_json::to_value(p),
        Mutation::SetMailPreferences(p) => serde_json::to_value(p),
        other => {
            return Err(PortalError::Internal(format!(
                "the portal does not send {}",
                other.name()
            )))
        }
    }
    .map_err(|e| PortalError::Internal(e.to_string()))?;
    let parsed = ParsedMutation {
        envelope: MutationEnvelope {
            mutation_id: Uuid::now_v7(),
            // Increasing for one client, as the protocol expects; the portal has no outbox.
            client_seq: state.clock.now().timestamp_micros(),
            name: mutation.name().to_string(),
            base_version: None,
            payload,
            second_factor,
        },
        mutation,
    };
    engine::apply(state, &session.actor, client_id(session), &parsed)
        .await
        .map_err(|e| match e {
            EngineError::Db(e) => PortalError::Db(e),
            other => PortalError::Internal(other.to_string()),
        })
}

pub(crate) fn text_field(
    id: &str,
    label: &str,
    hint: &str,
    value: &str,
    error: Option<&str>,
    inputmode: &str,
    suffix: &str,
) -> Markup {
    let described = if error.is_some() {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-hint")
    };
    html! {
        div class={ "field" @if error.is_some() { " field--error" } } {
            label for=(id) { (label) }
            p class="hint" id={ (id) "-hint" } { (hint) }
            @if let Some(message) = error {
                p class="field-error" id={ (id) "-error" } data-testid={ (id) "-error" } {
                    span class="visually-hidden" { "Erreur : " } (message)
                }
            }
            div class={ "input-with-suffix" @if !suffix.is_empty() { " input-with-suffix--amount" } } {
                input id=(id) name=(id) type="text" inputmode=(inputmode) autocomplete="off"
                    value=(value) aria-describedby=(described) aria-invalid=[error.map(|_| "true")];
                @if !suffix.is_empty() { span class="input-suffix" aria-hidden="true" { (suffix) } }
            }
        }
    }
}
