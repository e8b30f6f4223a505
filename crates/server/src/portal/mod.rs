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
mod layout;
mod pages;
mod read;
mod review;
mod session;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

use crate::state::AppState;

pub use session::{SESSION_COOKIE, SESSION_HOURS};

/// The portal's routes, with its security headers.
pub fn router() -> Router<AppState> {
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
        .route("/portail/invitations/{id}/recu", get(pages::receipt))
        .route("/portail/invitations/{id}/jalons", get(forms::milestones))
        .route(
            "/portail/invitations/{id}/jalons/{milestone_id}",
            post(forms::update_milestone),
        )
        .route("/portail/static/portail.css", get(assets::css))
        .route("/portail/static/portail.js", get(assets::js))
        .route("/portail/{*rest}", any(pages::not_found))
        .layer(middleware::from_fn(security_headers))
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
