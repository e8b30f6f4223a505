//! What can go wrong with the local cache, with a stable code the app translates and a
//! French message to show when it has no translation.

use std::path::PathBuf;

use centrale_domain::DomainError;

/// An error of the local cache.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not a readable Centrale cache (truncated, overwritten, damaged disk).
    #[error("Les données locales de Centrale sont endommagées ({detail}). Vos modifications non envoyées ont été mises de côté quand c'était possible ; les données seront rechargées depuis l'intercommunale.")]
    Corrupt {
        /// The cache file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// The cache was written by a newer version of the application.
    #[error("Ces données locales ont été créées par une version plus récente de Centrale (schéma {found}, cette version connaît le schéma {supported}). Installez la dernière version de l'application.")]
    TooNew {
        /// Schema version of the file.
        found: i64,
        /// Newest schema this build knows.
        supported: i64,
    },
    /// A migration failed; the database is left as it was (the migration is one transaction)
    /// and a copy taken before migrating is kept.
    #[error("La mise à jour des données locales (étape {version}) a échoué : {detail}. Rien n'a été modifié ; une copie de sauvegarde a été conservée.")]
    Migration {
        /// The migration that failed.
        version: i64,
        /// Why.
        detail: String,
    },
    /// A rule refuses the action (checked locally before anything is written).
    #[error("{0}")]
    Rule(#[from] DomainError),
    /// A refusal that is not a domain rule (e.g. the record is not on this PC).
    #[error("{message}")]
    Refused {
        /// Stable code.
        code: &'static str,
        /// French message.
        message: String,
    },
    /// Nobody is signed in on this PC yet.
    #[error("Aucun compte n'est connecté sur ce PC. Connectez-vous pour continuer.")]
    NoSession,
    /// The disk or the database failed.
    #[error("Les données locales n'ont pas pu être lues ou écrites ({0}). Vérifiez l'espace disque puis réessayez.")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored record could not be decoded (a bug, or data from a newer server).
    #[error("Une donnée locale est illisible ({0}). Synchronisez pour la recharger.")]
    Json(#[from] serde_json::Error),
    /// A file operation (backup, moving a damaged file aside) failed.
    #[error("Un fichier de données locales n'a pas pu être écrit ({0}).")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Stable code for the app's message catalogue.
    pub fn code(&self) -> &str {
        match self {
            StoreError::Corrupt { .. } => "cache_corrupt",
            StoreError::TooNew { .. } => "cache_too_new",
            StoreError::Migration { .. } => "cache_migration_failed",
            StoreError::Rule(e) => e.code().as_str(),
            StoreError::Refused { code, .. } => code,
            StoreError::NoSession => "not_signed_in",
            StoreError::Sqlite(_) => "cache_io",
            StoreError::Json(_) => "cache_unreadable_record",
            StoreError::Io(_) => "cache_io",
        }
    }

    /// Parameters of the message.
    pub fn params(&self) -> serde_json::Value {
        match self {
            StoreError::Rule(e) => e.params(),
            StoreError::TooNew { found, supported } => {
                serde_json::json!({"found": found, "supported": supported})
            }
            StoreError::Migration { version, .. } => serde_json::json!({"version": version}),
            _ => serde_json::json!({}),
        }
    }

    /// True when the file itself is damaged (the recovery path is a rescue and a re-sync).
    pub fn is_corrupt(&self) -> bool {
        matches!(self, StoreError::Corrupt { .. })
    }

    pub(crate) fn refused(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Refused {
            code,
            message: message.into(),
        }
    }
}

/// Result of the cache's operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
