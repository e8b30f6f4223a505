//! `POST /portail/invitations/{id}/question`: an invited provider asks the centrale a
//! question during the competition. The answer goes to every invited provider, without
//! naming who asked (Dir. 2014/24 art. 18(1), art. 33(5)(a)).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use centrale_protocol::mutations::{AskQuestion, Mutation};
use centrale_protocol::MutationStatus;
use uuid::Uuid;

use super::{apply, csrf_ok, csrf_refused, field, Fields};
use crate::portal::layout::message_page_at;
use crate::portal::pages::load_invitation;
use crate::portal::session::ProviderSession;
use crate::state::AppState;

/// Sends the question through the one write path; back to the invitation with a
/// confirmation, or the refusal's French message.
pub async fn ask_question(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    axum::Form(fields): axum::Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let payload = AskQuestion {
        invitation_id: inv.id,
        question_id: Uuid::now_v7(),
        text: field(&fields, "question").trim().to_string(),
    };
    let result = match apply(&state, &session, Mutation::AskQuestion(payload)).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match result.status {
        MutationStatus::Applied => {
            Redirect::to(&format!("/portail/invitations/{}?question=envoyee", inv.id))
                .into_response()
        }
        _ => message_page_at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Question non envoyée",
            result
                .message
                .as_deref()
                .unwrap_or("La question n'a pas pu être envoyée."),
            Some(now),
        ),
    }
}
