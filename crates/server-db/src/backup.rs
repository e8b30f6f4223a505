//! Online backups of a SQLite database (PostgreSQL has its own tools).

use std::path::Path;

use crate::{Backend, Database, DbError};

impl Database {
    /// Writes a consistent copy of the whole database to a new file at `path`.
    ///
    /// SQLite: `VACUUM INTO`, safe while the server runs; refuses a destination that exists
    /// ([`DbError::BackupExists`]). PostgreSQL: [`DbError::NotSupported`] — use `pg_dump`.
    pub async fn backup_to(&self, path: &Path) -> Result<(), DbError> {
        if self.backend == Backend::Postgres {
            return Err(DbError::NotSupported(
                "la sauvegarde intégrée ne vaut que pour SQLite ; pour PostgreSQL, utilisez \
                 pg_dump (par exemple : pg_dump --format=custom --file=centrale.dump \
                 \"postgres://…\")"
                    .into(),
            ));
        }
        // `exists()` is false for a dangling symlink; `symlink_metadata` is not fooled.
        if path.symlink_metadata().is_ok() {
            return Err(DbError::BackupExists(path.to_path_buf()));
        }
        let Some(target) = path.to_str() else {
            return Err(DbError::NotSupported(format!(
                "le chemin de sauvegarde {} n'est pas de l'UTF-8 valide",
                path.display()
            )));
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(DbError::Unavailable {
                    target: path.display().to_string(),
                    reason: format!("le dossier {} n'existe pas", parent.display()),
                });
            }
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The SQLite file behind this database (`None` on PostgreSQL).
    pub fn sqlite_path(&self) -> Option<&Path> {
        self.sqlite_path.as_deref()
    }
}
