//! The one error shape the UI receives: a stable code it translates, the French message as a
//! fallback, and the parameters the translation needs.

use centrale_store::StoreError;
use centrale_sync::{CredentialError, SyncError, SyncFailure};
use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

/// An error as a Tauri command returns it (`{code, message, params}`).
#[derive(Debug, Clone, PartialEq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// Stable code, the key of the UI's message catalogue (`errors.<code>`).
    pub code: String,
    /// The message in French, shown when the UI does not know the code.
    pub message: String,
    /// Values the translated message needs (field names, limits, …).
    #[ts(type = "Record<string, unknown>")]
    pub params: Value,
}

impl CommandError {
    /// An error with no parameters.
    pub fn new(code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            code: code.to_string(),
            message: message.into(),
            params: json!({}),
        }
    }

    /// Adds parameters.
    pub fn with_params(mut self, params: Value) -> CommandError {
        self.params = params;
        self
    }

    /// No server address has been given yet.
    pub fn no_server() -> CommandError {
        CommandError::new(
            "no_server_url",
            "L'adresse de l'intercommunale n'est pas encore configurée.",
        )
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        CommandError {
            code: e.code().to_string(),
            message: e.to_string(),
            params: e.params(),
        }
    }
}

impl From<SyncError> for CommandError {
    fn from(e: SyncError) -> Self {
        match e {
            SyncError::Store(store) => store.into(),
            // The server's refusal keeps its raw parameters: the UI renders the catalogue's
            // sentence with them and puts a field's error under that field.
            SyncError::Refused {
                code,
                message,
                details,
                ..
            } => CommandError {
                code,
                message,
                params: if details.is_object() {
                    details
                } else {
                    json!({})
                },
            },
            e => CommandError::new(e.code(), e.to_string()),
        }
    }
}

impl From<SyncFailure> for CommandError {
    fn from(e: SyncFailure) -> Self {
        CommandError::new(&e.code, e.message)
    }
}

impl From<CredentialError> for CommandError {
    fn from(e: CredentialError) -> Self {
        CommandError::new(
            "keyring_unavailable",
            format!(
                "Le coffre-fort des mots de passe de ce PC est inaccessible : {}",
                e.0
            ),
        )
    }
}

/// What a command returns.
pub type CommandResult<T> = Result<T, CommandError>;
