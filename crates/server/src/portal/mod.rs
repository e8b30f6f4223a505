//! The providers' web portal, served under `/portail/`: server-rendered French pages that work
//! without any JavaScript build (a small script only keeps the countdown ticking).
//!
//! A provider's account manager logs in, reads the invitations addressed to its company,
//! submits or replaces an offer before the deadline, reads the outcome with its own scores
//! after the award and, when it won, updates the deployment milestones.
//!
//! Two rules hold everywhere: pages show only records whose visibility names this provider
//! (`read.rs`, the same rule as a pull), and every write is a named mutation applied by
//! `engine::apply` (`forms.rs`), never a direct write.

mod amounts;
mod assets;
mod error;
mod forms;
mod interoperability;
mod layout;
mod letters;
mod pages;
pub(crate) mod read;
mod review;
mod session;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

use crate::state::AppState;
use crate::Settings;

pub use session::{SESSION_COOKIE, SESSION_HOURS};

/// The portal's routes, with its security headers; every page shows the centrale's contact
/// from `settings`.
pub fn router(settings: &Settings) -> Router<AppState> {
    let contact = layout::Contact::from_settings(settings);
    Router::new()
        .route("/portail", get(pages::home))
        .route("/portail/", get(pages::home))
        .route(
            "/portail/connexion",
            get(forms::login_form).post(forms::login),
        )
        .route("/portail/deconnexion", post(forms::logout))
        .route("/portail/invitations", get(pages::invitations))
        .route("/portail/invitations/{id}", get(pages::invitation))
        .route(
            "/portail/invitations/{id}/offre",
            get(forms::offer_form).post(forms::submit_offer),
        )
        .route(
            "/portail/marches-groupes/{id}/offre",
            get(forms::pooled_offer_form).post(forms::submit_pooled_offer),
        )
        .route("/portail/invitations/{id}/recu", get(pages::receipt))
        .route(
            "/portail/invitations/{id}/documents/{sha256}",
            get(pages::document),
        )
        .route(
            "/portail/invitations/{id}/courriers/{kind}",
            get(letters::letter),
        )
        .route(
            "/portail/invitations/{id}/question",
            post(forms::ask_question),
        )
        .route(
            "/portail/invitations/{id}/justification/{request_id}",
            post(forms::answer_price_justification),
        )
        .route(
            "/portail/invitations/{id}/jalons",
            get(forms::milestones).post(forms::update_milestones),
        )
        .route(
            "/portail/invitations/{id}/jalons/{milestone_id}/report",
            post(forms::request_replan),
        )
        .route("/portail/compte", get(forms::account_form))
        .route(
            "/portail/compte/double-authentification",
            post(forms::start_second_factor),
        )
        .route(
            "/portail/compte/double-authentification/confirmer",
            post(forms::confirm_second_factor),
        )
        .route(
            "/portail/compte/double-authentification/desactiver",
            post(forms::turn_off_second_factor),
        )
        .route(
            "/portail/notifications",
            get(forms::notifications_form).post(forms::save_notifications),
        )
        .route("/portail/static/portail.css", get(assets::css))
        .route("/portail/static/portail.js", get(assets::js))
        .route("/portail/{*rest}", any(pages::not_found))
        // Set here, under the layers, so that the API's JSON 405 (set on the whole application
        // afterwards, only where none is set) never answers a portal address.
        .method_not_allowed_fallback(|| async { StatusCode::METHOD_NOT_ALLOWED })
        .layer(middleware::from_fn(french_pages))
        .layer(middleware::from_fn(security_headers))
        // Outermost: the French error pages above are written inside it too.
        .layer(middleware::from_fn_with_state(contact, with_contact))
}

/// Every page written while answering shows the centrale's contact.
async fn with_contact(
    State(contact): State<layout::Contact>,
    request: Request,
    next: Next,
) -> Response {
    layout::with_contact(contact, next.run(request)).await
}

/// Every answer a person can see under `/portail/` is a French page in the portal's layout.
/// The handlers answer so themselves; what axum answers on its own before a handler runs (a
/// method the address does not take, a form too large or not sent as a form, an unreadable
/// address or query) comes out as short English text or the API's JSON, and is replaced here
/// by the page for its status. Nothing was recorded in any of these cases.
async fn french_pages(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_page {
        return response;
    }
    if status == StatusCode::NOT_FOUND {
        // Word for word the portal's own 404: nothing tells what exists.
        return pages::not_found_page(None);
    }
    let (title, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "Adresse utilisée autrement",
            "Cette adresse du portail ne s'ouvre pas de cette façon. Revenez à vos invitations et utilisez les liens et les boutons du portail.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Formulaire trop volumineux",
            "Le formulaire envoyé dépasse la taille acceptée : rien n'a été enregistré. Revenez à la page précédente, raccourcissez vos remarques, puis envoyez-le à nouveau.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "Formulaire non reconnu",
            "Ce formulaire n'a pas été envoyé comme le portail l'attend : rien n'a été enregistré. Revenez à la page précédente, rechargez-la, puis envoyez-le à nouveau.",
        ),
        s if s.is_server_error() => (
            "Service momentanément indisponible",
            "Le portail a rencontré un problème. Réessayez dans quelques minutes ; si cela persiste, contactez la centrale d'achat.",
        ),
        _ => (
            "Demande illisible",
            "Le portail n'a pas pu lire cette demande : rien n'a été enregistré. Revenez à la page précédente, rechargez-la, puis réessayez.",
        ),
    };
    let mut page = layout::message_page(status, title, message);
    // Keep what tells the browser when to come back (e.g. Retry-After on a 503).
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        page.headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    page
}

/// The content security policy: only this server's own script and style, no inline script,
/// no `eval`, no framing, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers on every portal response. Pages are personal (sealed prices, outcomes): never
/// stored by a cache unless the handler said otherwise (the static files).
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
