//! `POST /portail/invitations/{id}/justification/{request_id}`: the provider answers, in
//! writing, the commune's request to justify prices of its offer, before the deadline (law of
//! 17 June 2016 art. 84; AR 18 April 2017 art. 36 §2). The answer is recorded on the
//! order (the commune reads it at its next pull) and on this provider's invitation only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use centrale_protocol::mutations::{AnswerPriceJustification, Mutation};
use centrale_protocol::MutationStatus;
use uuid::Uuid;

use super::{apply, csrf_ok, csrf_refused, field, Fields};
use crate::portal::layout::message_page_at;
use crate::portal::pages::{load_invitation, not_found_page};
use crate::portal::session::ProviderSession;
use crate::state::AppState;

/// Sends the answer through the one write path; back to the invitation with a confirmation,
/// or the refusal's French message.
pub async fn answer_price_justification(
    State(state): State<AppState>,
    session: ProviderSession,
    Path((id, request_id)): Path<(String, String)>,
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
    let Some(request_id) = Uuid::parse_str(&request_id)
        .ok()
        .filter(|r| inv.price_requests.iter().any(|x| x.id == *r))
    else {
        return not_found_page(Some(now));
    };
    let payload = AnswerPriceJustification {
        invitation_id: inv.id,
        request_id,
        answer: field(&fields, "answer").trim().to_string(),
    };
    let result = match apply(
        &state,
        &session,
        Mutation::AnswerPriceJustification(payload),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match result.status {
        MutationStatus::Applied => Redirect::to(&format!(
            "/portail/invitations/{}?justification=envoyee",
            inv.id
        ))
        .into_response(),
        _ => message_page_at(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Justification non envoyée",
            result
                .message
                .as_deref()
                .unwrap_or("La justification n'a pas pu être envoyée."),
            Some(now),
        ),
    }
}
