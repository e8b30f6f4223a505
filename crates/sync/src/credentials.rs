//! Where the device token comes from. The desktop app keeps it in the OS keyring; tests use
//! [`MemoryCredentials`].

use std::sync::Mutex;

use centrale_protocol::Me;

/// A credential store that failed (no keyring on this machine, access refused).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

/// Gives the device token to the sync engine, and takes it back when the server refuses it.
pub trait Credentials: Send + Sync + 'static {
    /// The stored token, if any.
    fn token(&self) -> Result<Option<String>, CredentialError>;
    /// Stores a new token (after a login).
    fn store(&self, token: &str) -> Result<(), CredentialError>;
    /// Forgets the token (log out, or refused by the server).
    fn clear(&self) -> Result<(), CredentialError>;
    /// The token of another account that used this PC, if it is still kept here: its pending
    /// changes (a second signatory's signature, say) are sent with its own token.
    fn token_for(&self, _author: &Me) -> Result<Option<String>, CredentialError> {
        Ok(None)
    }
}

/// A token kept in memory only (tests, and a session that must not outlive the process).
#[derive(Debug, Default)]
pub struct MemoryCredentials(Mutex<Option<String>>);

impl MemoryCredentials {
    /// Starts empty.
    pub fn new() -> MemoryCredentials {
        MemoryCredentials::default()
    }
}

impl Credentials for MemoryCredentials {
    fn token(&self) -> Result<Option<String>, CredentialError> {
        Ok(self.0.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    fn store(&self, token: &str) -> Result<(), CredentialError> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.to_string());
        Ok(())
    }

    fn clear(&self) -> Result<(), CredentialError> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}
