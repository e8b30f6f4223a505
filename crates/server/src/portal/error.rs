//! What can go wrong while serving a portal page that the provider cannot fix: storage down,
//! a stored record that cannot be read. Shown as a short, honest French page; the cause is
//! logged.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use centrale_server_db::DbError;

use super::layout;

/// A failure of the server, not of the provider's input.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A stored record or a mutation result could not be read (a bug).
    #[error("internal: {0}")]
    Internal(String),
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "portail des prestataires : erreur");
        let (status, message) = match &self {
            PortalError::Db(e) if e.code() == "db_unavailable" => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Le service de l'intercommunale est momentanément indisponible. Réessayez dans quelques minutes : rien n'a été enregistré.",
            ),
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Le portail a rencontré un problème. Réessayez dans quelques minutes ; si cela persiste, contactez la centrale d'achat.",
            ),
        };
        layout::message_page(status, "Service momentanément indisponible", message)
    }
}
