//! Where each account's access to the server is kept: the OS keyring (Windows Credential
//! Manager, macOS Keychain, Secret Service on Linux), one entry per account and server.
//!
//! An entry holds the device token, the account as the server described it, and an Argon2
//! verifier of the password, so that an account that has signed in once on this PC can sign
//! in again without the network (the second signatory of a convention in a town hall with no
//! connection). Nothing of it is ever written to a file: without a keyring the entries live in
//! memory only, and the app says so.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use centrale_protocol::Me;
use centrale_sync::{CredentialError, Credentials};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The keyring service name of the app's entries.
pub const KEYRING_SERVICE: &str = "be.centrale.desktop";

/// A place for secrets, by key.
pub trait SecretStore: Send + Sync + 'static {
    /// The secret under `key`, if any.
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str) -> Result<(), CredentialError>;
    /// Forgets `key` (no error when absent).
    fn delete(&self, key: &str) -> Result<(), CredentialError>;
}

/// The OS keyring.
#[derive(Debug, Clone)]
pub struct OsKeyring {
    service: String,
}

impl OsKeyring {
    /// The keyring under the app's service name.
    pub fn new() -> OsKeyring {
        OsKeyring {
            service: KEYRING_SERVICE.to_string(),
        }
    }

    fn entry(&self, key: &str) -> Result<keyring::Entry, CredentialError> {
        keyring::Entry::new(&self.service, key).map_err(explain)
    }

    /// Whether the keyring answers: a read of an entry that does not exist must say "no
    /// entry", not fail.
    pub fn probe(&self) -> Result<(), CredentialError> {
        self.get("probe").map(|_| ())
    }
}

impl Default for OsKeyring {
    fn default() -> Self {
        OsKeyring::new()
    }
}

fn explain(e: keyring::Error) -> CredentialError {
    CredentialError(match e {
        keyring::Error::NoStorageAccess(cause) | keyring::Error::PlatformFailure(cause) => {
            cause.to_string()
        }
        other => other.to_string(),
    })
}

impl SecretStore for OsKeyring {
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(explain(e)),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), CredentialError> {
        self.entry(key)?.set_password(value).map_err(explain)
    }

    fn delete(&self, key: &str) -> Result<(), CredentialError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(explain(e)),
        }
    }
}

/// Secrets kept for the life of the process only (no keyring on this machine, and tests).
#[derive(Debug, Default)]
pub struct MemorySecrets(Mutex<HashMap<String, String>>);

impl SecretStore for MemorySecrets {
    fn get(&self, key: &str) -> Result<Option<String>, CredentialError> {
        Ok(self.lock().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), CredentialError> {
        self.lock().insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), CredentialError> {
        self.lock().remove(key);
        Ok(())
    }
}

impl MemorySecrets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether the OS keyring can keep the device token, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyringStatus {
    /// True when tokens are kept in the OS keyring.
    pub available: bool,
    /// `keyring_unavailable` when not.
    pub code: Option<String>,
    /// Why, in French.
    pub message: Option<String>,
}

impl KeyringStatus {
    /// The keyring works.
    pub fn available() -> KeyringStatus {
        KeyringStatus {
            available: true,
            code: None,
            message: None,
        }
    }

    /// The keyring failed with `cause`.
    pub fn unavailable(cause: &CredentialError) -> KeyringStatus {
        KeyringStatus {
            available: false,
            code: Some("keyring_unavailable".into()),
            message: Some(format!(
                "Le coffre-fort des mots de passe de ce PC est inaccessible ({}). \
                 Centrale ne garde donc pas votre connexion : vous devrez vous reconnecter à \
                 chaque démarrage, et la connexion sans réseau n'est pas possible.",
                cause.0
            )),
        }
    }
}

/// One account's entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct AccountSecret {
    token: Option<String>,
    password_verifier: Option<String>,
    me: Option<Me>,
}

/// Why an offline sign-in failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfflineSignIn {
    /// This account never signed in on this PC (or signed out since).
    Unknown,
    /// The password does not match the one last used online.
    WrongPassword,
}

/// The accounts' entries for one server, and which account is signed in.
pub struct AccountVault {
    secrets: Arc<dyn SecretStore>,
    server: String,
    current: Mutex<Option<String>>,
}

impl AccountVault {
    /// The vault of `server`'s accounts in `secrets`.
    pub fn new(secrets: Arc<dyn SecretStore>, server: &str) -> AccountVault {
        AccountVault {
            secrets,
            server: server.to_string(),
            current: Mutex::new(None),
        }
    }

    /// Sets the account the sync engine acts for.
    pub fn set_current(&self, username: Option<&str>) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = username.map(str::to_string);
    }

    fn current(&self) -> Option<String> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn key(&self, username: &str) -> String {
        format!("{}|{}", self.server, username)
    }

    fn load(&self, username: &str) -> Result<Option<AccountSecret>, CredentialError> {
        match self.secrets.get(&self.key(username))? {
            // An unreadable entry is as good as none: the user signs in online again.
            Some(text) => Ok(serde_json::from_str(&text).ok()),
            None => Ok(None),
        }
    }

    fn save(&self, username: &str, secret: &AccountSecret) -> Result<(), CredentialError> {
        let text = serde_json::to_string(secret).map_err(|e| CredentialError(e.to_string()))?;
        self.secrets.set(&self.key(username), &text)
    }

    /// After an online sign-in: keeps the account and a verifier of its password.
    pub fn remember(&self, me: &Me, password: &str) -> Result<(), CredentialError> {
        let salt = SaltString::generate(&mut OsRng);
        let verifier = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| CredentialError(e.to_string()))?
            .to_string();
        let mut secret = self.load(&me.username)?.unwrap_or_default();
        secret.password_verifier = Some(verifier);
        secret.me = Some(me.clone());
        self.save(&me.username, &secret)
    }

    /// Signs in without the network: the account must have signed in online on this PC, with
    /// this password, and still hold its token.
    pub fn sign_in_offline(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Result<Me, OfflineSignIn>, CredentialError> {
        let Some(secret) = self.load(username)? else {
            return Ok(Err(OfflineSignIn::Unknown));
        };
        let (Some(verifier), Some(me), Some(_token)) =
            (secret.password_verifier, secret.me, secret.token)
        else {
            return Ok(Err(OfflineSignIn::Unknown));
        };
        let Ok(hash) = PasswordHash::new(&verifier) else {
            return Ok(Err(OfflineSignIn::Unknown));
        };
        if Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_err()
        {
            return Ok(Err(OfflineSignIn::WrongPassword));
        }
        Ok(Ok(me))
    }
}

impl Credentials for AccountVault {
    fn token(&self) -> Result<Option<String>, CredentialError> {
        let Some(username) = self.current() else {
            return Ok(None);
        };
        Ok(self.load(&username)?.and_then(|s| s.token))
    }

    fn store(&self, token: &str) -> Result<(), CredentialError> {
        let username = self
            .current()
            .ok_or_else(|| CredentialError("aucun compte en cours de connexion".into()))?;
        let mut secret = self.load(&username)?.unwrap_or_default();
        secret.token = Some(token.to_string());
        self.save(&username, &secret)
    }

    fn clear(&self) -> Result<(), CredentialError> {
        match self.current() {
            Some(username) => self.secrets.delete(&self.key(&username)),
            None => Ok(()),
        }
    }

    fn token_for(&self, author: &Me) -> Result<Option<String>, CredentialError> {
        Ok(self.load(&author.username)?.and_then(|s| s.token))
    }
}

#[cfg(test)]
mod tests {
    use centrale_domain::role::Role;

    use super::*;

    fn me(username: &str) -> Me {
        Me {
            user_id: format!("u-{username}"),
            username: username.into(),
            display_name: username.into(),
            role: Role::Mayor,
            commune_nis: Some("84009".into()),
            provider_id: None,
            gender: Default::default(),
            second_factor: false,
        }
    }

    fn vault() -> (Arc<MemorySecrets>, AccountVault) {
        let secrets = Arc::new(MemorySecrets::default());
        let vault = AccountVault::new(secrets.clone(), "https://centrale.test");
        (secrets, vault)
    }

    #[test]
    fn an_account_signed_in_online_signs_in_offline_with_its_password_only() {
        let (_, vault) = vault();
        vault.set_current(Some("bourgmestre"));
        vault.store("tok-1").unwrap();
        vault.remember(&me("bourgmestre"), "secret-1").unwrap();

        assert_eq!(
            vault.sign_in_offline("bourgmestre", "secret-1").unwrap(),
            Ok(me("bourgmestre"))
        );
        assert_eq!(
            vault.sign_in_offline("bourgmestre", "wrong").unwrap(),
            Err(OfflineSignIn::WrongPassword)
        );
        assert_eq!(
            vault.sign_in_offline("dg", "secret-1").unwrap(),
            Err(OfflineSignIn::Unknown)
        );
    }

    #[test]
    fn signing_out_forgets_the_token_and_the_offline_sign_in() {
        let (secrets, vault) = vault();
        vault.set_current(Some("bourgmestre"));
        vault.store("tok-1").unwrap();
        vault.remember(&me("bourgmestre"), "secret-1").unwrap();
        vault.clear().unwrap();
        assert_eq!(vault.token().unwrap(), None);
        assert_eq!(
            secrets.get("https://centrale.test|bourgmestre").unwrap(),
            None
        );
        assert_eq!(
            vault.sign_in_offline("bourgmestre", "secret-1").unwrap(),
            Err(OfflineSignIn::Unknown)
        );
    }

    #[test]
    fn another_accounts_token_is_found_for_its_pending_changes() {
        let (_, vault) = vault();
        vault.set_current(Some("bourgmestre"));
        vault.store("tok-mayor").unwrap();
        vault.set_current(Some("dg"));
        vault.store("tok-dg").unwrap();
        assert_eq!(vault.token().unwrap().as_deref(), Some("tok-dg"));
        assert_eq!(
            vault.token_for(&me("bourgmestre")).unwrap().as_deref(),
            Some("tok-mayor")
        );
        // Entries are per server: another server's vault sees none of them.
        let other = AccountVault::new(vault.secrets.clone(), "https://autre.test");
        assert_eq!(other.token_for(&me("bourgmestre")).unwrap(), None);
    }
}
