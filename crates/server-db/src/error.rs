//! The one error type of this crate, with stable codes for the layers above.

use std::path::PathBuf;

/// Everything that can go wrong in the storage layer.
///
/// Messages are in French (the users' first language) and name what to do; `code()` gives a
/// stable identifier that the server maps to its API errors and the UI translates.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database URL is neither a SQLite path nor a PostgreSQL URL.
    #[error(
        "Adresse de base de données invalide : « {url} » ({reason}). Utilisez \
         sqlite:chemin/vers/fichier.db ou postgres://utilisateur:motdepasse@hôte:5432/base"
    )]
    InvalidUrl {
        /// The URL as given, password hidden.
        url: String,
        /// Why it was refused.
        reason: String,
    },

    /// The database could not be reached or opened.
    #[error("Impossible d'ouvrir la base de données {target} : {reason}")]
    Unavailable {
        /// The database (URL with the password hidden, or file path).
        target: String,
        /// The underlying cause.
        reason: String,
    },

    /// The database schema is newer than this binary knows: refuse rather than corrupt it.
    #[error(
        "La base de données est au schéma {found}, plus récent que ce programme (schéma \
         {known}). Installez la version du serveur qui l'a créée ou une plus récente ; la base \
         n'a pas été modifiée."
    )]
    TooNew {
        /// Highest migration version found in the database.
        found: i64,
        /// Highest migration version this binary knows.
        known: i64,
    },

    /// A migration already applied to the database differs from this binary's (its checksum
    /// changed): refuse rather than guess which schema the data follows.
    #[error(
        "La migration {version} déjà appliquée à la base de données ne correspond plus à celle \
         de ce programme (empreinte différente) : une migration publiée ne se modifie jamais. \
         Installez la version du serveur qui l'a appliquée et signalez-le aux développeurs ; la \
         base n'a pas été modifiée."
    )]
    MigrationMismatch {
        /// The version whose text changed.
        version: i64,
    },

    /// A query failed.
    #[error("Erreur de la base de données : {0}")]
    Query(#[source] sqlx::Error),

    /// A stored row or JSON document could not be read back.
    #[error("Donnée illisible dans la base de données : {0}")]
    Corrupt(String),

    /// A unique constraint refused the write (e.g. a user name already taken).
    #[error("Existe déjà : {0}")]
    Duplicate(String),

    /// The operation does not exist on this backend (e.g. backup on PostgreSQL).
    #[error("Opération non disponible : {0}")]
    NotSupported(String),

    /// The backup destination already exists; a backup never overwrites a file.
    #[error(
        "Le fichier de sauvegarde {0} existe déjà : choisissez un nouveau nom, une sauvegarde \
         n'écrase jamais un fichier."
    )]
    BackupExists(PathBuf),
}

impl DbError {
    /// Stable machine-readable code of this error (`db_…`).
    pub fn code(&self) -> &'static str {
        match self {
            DbError::InvalidUrl { .. } => "db_invalid_url",
            DbError::Unavailable { .. } => "db_unavailable",
            DbError::TooNew { .. } => "db_too_new",
            DbError::MigrationMismatch { .. } => "db_migration_mismatch",
            DbError::Query(e) if is_unavailable(e) => "db_unavailable",
            DbError::Query(_) => "db_query",
            DbError::Corrupt(_) => "db_corrupt",
            DbError::Duplicate(_) => "db_duplicate",
            DbError::NotSupported(_) => "db_not_supported",
            DbError::BackupExists(_) => "db_backup_exists",
        }
    }

    /// True when a unique constraint refused the write (`Duplicate`, or a raw unique
    /// violation from a write the caller made).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Duplicate(_) => true,
            DbError::Query(e) => is_unique_violation(e),
            _ => false,
        }
    }
}

fn is_unavailable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed
    )
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                DbError::Corrupt(e.to_string())
            }
            other => DbError::Query(other),
        }
    }
}

/// The URL with any password replaced by `***`, safe to show and log.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}://{}:***{}",
            &url[..scheme_end],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_password_only() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite:data.db"), "sqlite:data.db");
    }
}
