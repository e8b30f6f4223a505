//! Why a sync did not complete, in classes the engine acts on and words the user reads.

use centrale_store::StoreError;

/// A failed sync.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached, or the connection dropped: retry later.
    #[error("L'intercommunale est injoignable pour le moment ({0}). Vos modifications sont gardées sur ce PC et partiront dès que la connexion reviendra.")]
    Network(String),
    /// The server failed (5xx): retry later.
    #[error("L'intercommunale rencontre un problème (erreur {status}). Vos modifications sont gardées sur ce PC ; nouvel essai automatique.")]
    Server {
        /// HTTP status.
        status: u16,
    },
    /// No token, or the server refused it: sign in again.
    #[error("Votre connexion a expiré ou a été révoquée. Reconnectez-vous pour reprendre la synchronisation ; vos modifications restent sur ce PC.")]
    CredentialsNeeded,
    /// The server no longer speaks this application's protocol.
    #[error("Cette version de Centrale n'est plus acceptée par l'intercommunale. Installez la mise à jour pour synchroniser ; vos modifications restent sur ce PC.")]
    UpdateNeeded,
    /// The server refused the request itself (wrong password, invalid input).
    #[error("{message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's stable code.
        code: String,
        /// The server's French message.
        message: String,
        /// The refusal's raw parameters (`ErrorBody::details`: the field, a limit), for the
        /// UI's catalogue sentence; `null` when the server gave none.
        details: serde_json::Value,
    },
    /// The server answered something this build cannot read.
    #[error("La réponse de l'intercommunale est illisible ({0}). Réessayez plus tard ou contactez l'intercommunale.")]
    Protocol(String),
    /// The OS keyring failed.
    #[error("Le coffre-fort des mots de passe de ce PC est inaccessible : {0}")]
    Keyring(String),
    /// The local cache failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SyncError {
    /// Stable code for the app's message catalogue.
    pub fn code(&self) -> &str {
        match self {
            SyncError::Network(_) => "offline",
            SyncError::Server { .. } => "server_error",
            SyncError::CredentialsNeeded => "credentials_needed",
            SyncError::UpdateNeeded => "update_needed",
            SyncError::Refused { code, .. } => code,
            SyncError::Protocol(_) => "protocol_error",
            SyncError::Keyring(_) => "keyring_unavailable",
            SyncError::Store(e) => e.code(),
        }
    }

    /// True when trying again later may succeed without the user doing anything.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            SyncError::Network(_) | SyncError::Server { .. } | SyncError::Protocol(_)
        )
    }
}

/// The words of a reqwest error and of its causes.
fn chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text = format!("{text} : {s}");
        source = s.source();
    }
    text
}

impl From<reqwest::Error> for SyncError {
    /// Bodies are decoded by `serde_json` here, never by reqwest: every reqwest error is the
    /// network's — a refused connection, a timeout, or a body cut before its end (which
    /// reqwest files under "decode" although nothing was decoded).
    fn from(e: reqwest::Error) -> Self {
        SyncError::Network(chain(&e))
    }
}

/// The outcome of a failed sync as the app receives it from the engine: the stable code, the
/// French message, and whether the engine will try again by itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyncFailure {
    /// Stable code (see [`SyncError::code`]; `sync_stopped` when the engine is stopped).
    pub code: String,
    /// French message.
    pub message: String,
    /// Whether the engine retries on its own.
    pub retryable: bool,
}

impl SyncFailure {
    /// The engine has stopped: no sync will run.
    pub fn stopped() -> SyncFailure {
        SyncFailure {
            code: "sync_stopped".into(),
            message: "La synchronisation est arrêtée.".into(),
            retryable: false,
        }
    }
}

impl From<&SyncError> for SyncFailure {
    fn from(e: &SyncError) -> Self {
        SyncFailure {
            code: e.code().to_string(),
            message: e.to_string(),
            retryable: e.is_retryable(),
        }
    }
}
