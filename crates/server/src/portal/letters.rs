//! « Vos courriers » (issue 12 §1): on a provider's invitation page, the letters of the award
//! addressed to it — the notification if it won, its information letter otherwise — and the
//! purchase order addressed to it, as PDF, typeset by the server from the records with the same
//! function as the commune's copies. Nothing before the award: the section is not shown.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use centrale_documents::{Choice, OrderDocument, OrderDocuments, Reader};
use centrale_domain::offer::Invitation;
use maud::{html, Markup};
use uuid::Uuid;

use super::pages::{load_invitation, not_found_page};
use super::session::ProviderSession;
use crate::state::AppState;

/// The documents of the invitation's order, with what this provider gets of them; `None`
/// when the order or its framework is not stored.
async fn documents(
    state: &AppState,
    session: &ProviderSession,
    inv: &Invitation,
) -> Result<Option<(OrderDocuments, Reader)>, Response> {
    let me = Uuid::parse_str(&session.provider_id).map_err(|_| not_found_page(None))?;
    let order = match crate::paper::order(&state.db, inv.order_id).await {
        Ok(Some(order)) => order,
        Ok(None) => return Ok(None),
        Err(e) => return Err(crate::error::ApiError::Db(e).into_response()),
    };
    match crate::paper::order_documents(state, order, state.clock.now()).await {
        Ok(docs) => Ok(docs.map(|d| (d, Reader::Provider(me)))),
        Err(e) => Err(crate::error::ApiError::Db(e).into_response()),
    }
}

/// The « Vos courriers » section of the invitation page; empty before the award.
pub async fn section(state: &AppState, session: &ProviderSession, inv: &Invitation) -> Markup {
    let choices: Vec<Choice> = match documents(state, session, inv).await {
        Ok(Some((docs, reader))) => docs.choices(reader),
        _ => Vec::new(),
    };
    if choices.is_empty() {
        return html! {};
    }
    html! {
        section class="section" aria-labelledby="courriers" data-testid="letters" {
            h2 id="courriers" { "Vos courriers" }
            ul class="plain documents" {
                @for c in &choices {
                    li {
                        a href={ "/portail/invitations/" (inv.id) "/courriers/" (c.which.code()) } data-testid="letter-download" {
                            (c.title) " (PDF)"
                        }
                    }
                }
            }
            p class="muted" { "Les courriers de la commune vous concernant, tels qu'elle les a dans son dossier." }
        }
    }
}

/// `GET /portail/invitations/{id}/courriers/{kind}`: one of this provider's letters, as PDF;
/// anything else is the portal's 404.
pub async fn letter(
    State(state): State<AppState>,
    session: ProviderSession,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    let now = state.clock.now();
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let (docs, reader) = match documents(&state, &session, &inv).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found_page(Some(now)),
        Err(r) => return r,
    };
    let Some(which) = OrderDocument::parse(&kind) else {
        return not_found_page(Some(now));
    };
    // Only what is this provider's and exists now: the portal does not say which is which.
    if docs.allowed(reader, which).is_err() {
        return not_found_page(Some(now));
    }
    let name = docs.file_name(which);
    match state.typesetting.run(move || docs.pdf(which)).await {
        Ok(Ok(rendered)) => {
            crate::http::order_documents::download(rendered.pdf, "application/pdf", &name)
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "courrier impossible à produire");
            super::layout::message_page_at(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "Courrier indisponible",
                "Ce courrier n'a pas pu être produit. Réessayez plus tard ; si cela persiste, contactez la centrale d'achat.",
                Some(now),
            )
        }
        Err(_) => not_found_page(Some(now)),
    }
}
