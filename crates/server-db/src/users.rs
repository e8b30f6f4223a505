//! Users and their device tokens. Roles are stored as text; parsing them, checking passwords
//! and deciding lockouts are the server's job.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;

use crate::columns::{
    flag, get_bool, get_i64, get_opt_i64, get_opt_text, get_opt_time, get_text, get_time, time_text,
};
use crate::error::is_unique_violation;
use crate::{Database, DbError};

/// A user to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// User id (UUID text).
    pub id: String,
    /// Login name, unique.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role, as the server spells it.
    pub role: String,
    /// The user's commune (NIS code), if any.
    pub commune_nis: Option<String>,
    /// The user's provider id, if any.
    pub provider_id: Option<String>,
    /// Password hash (PHC string); never a password.
    pub password_hash: String,
    /// A demo account (seeded, to be removed before production).
    pub is_demo: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// How the person is addressed: `female`, `male` or `unspecified` (parsed by the server).
    pub gender: String,
    /// Where the account is told things by e-mail (none: no e-mail).
    pub email: Option<String>,
    /// An échevin (a member of the collège): may stand in for the bourgmestre (CDLD L1123-5,
    /// L1132-4).
    pub alderman: bool,
    /// The échevin's rank (1 = first échevin, CDLD L1123-8), if known.
    pub alderman_rank: Option<i64>,
}

/// A stored user, every column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    /// User id.
    pub id: String,
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role, as stored (parsed by the server).
    pub role: String,
    /// Commune (NIS code), if any.
    pub commune_nis: Option<String>,
    /// Provider id, if any.
    pub provider_id: Option<String>,
    /// Password hash.
    pub password_hash: String,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Demo account.
    pub is_demo: bool,
    /// Failed logins since the last success.
    pub failed_logins: i64,
    /// Time of the last failed login.
    pub last_failed_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// How the person is addressed (`female`, `male`, `unspecified`).
    pub gender: String,
    /// Where the account is told things by e-mail (none: no e-mail).
    pub email: Option<String>,
    /// An échevin (a member of the collège).
    pub alderman: bool,
    /// The échevin's rank (1 = first échevin, CDLD L1123-8), if known.
    pub alderman_rank: Option<i64>,
    /// Of Belgian nationality (only such an échevin replaces the bourgmestre: L1123-5).
    pub alderman_belgian: bool,
    /// The TOTP secret (base32), while being set up or on.
    pub second_factor_secret: Option<String>,
    /// When the second factor was confirmed: on from then.
    pub second_factor_on_at: Option<DateTime<Utc>>,
    /// Wrong codes since the last right one.
    pub second_factor_failures: i64,
    /// Time of the last wrong code.
    pub second_factor_failed_at: Option<DateTime<Utc>>,
}

/// A device token, stored by hash only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    /// Hash of the token (the token itself is never stored).
    pub token_hash: String,
    /// Owner.
    pub user_id: String,
    /// Device name given at login.
    pub device: String,
    /// Issue time.
    pub created_at: DateTime<Utc>,
    /// Last time the token was used, if ever.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation time, if revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

const USER_COLUMNS: &str = "id, username, display_name, role, commune_nis, provider_id, \
     password_hash, disabled, is_demo, failed_logins, last_failed_at, created_at, gender, email, \
     alderman, alderman_rank, alderman_belgian, second_factor_secret, second_factor_on_at, second_factor_failures, \
     second_factor_failed_at";

fn user_from_row(row: &AnyRow) -> Result<UserRow, DbError> {
    Ok(UserRow {
        id: get_text(row, "id")?,
        username: get_text(row, "username")?,
        display_name: get_text(row, "display_name")?,
        role: get_text(row, "role")?,
        commune_nis: get_opt_text(row, "commune_nis")?,
        provider_id: get_opt_text(row, "provider_id")?,
        password_hash: get_text(row, "password_hash")?,
        disabled: get_bool(row, "disabled")?,
        is_demo: get_bool(row, "is_demo")?,
        failed_logins: get_i64(row, "failed_logins")?,
        last_failed_at: get_opt_time(row, "last_failed_at")?,
        created_at: get_time(row, "created_at")?,
        gender: get_text(row, "gender")?,
        email: get_opt_text(row, "email")?,
        alderman: get_bool(row, "alderman")?,
        alderman_rank: get_opt_i64(row, "alderman_rank")?,
        alderman_belgian: get_bool(row, "alderman_belgian")?,
        second_factor_secret: get_opt_text(row, "second_factor_secret")?,
        second_factor_on_at: get_opt_time(row, "second_factor_on_at")?,
        second_factor_failures: get_i64(row, "second_factor_failures")?,
        second_factor_failed_at: get_opt_time(row, "second_factor_failed_at")?,
    })
}

/// The user with this login name, read inside a transaction (the write path's look-up).
pub(crate) async fn user_by_username<'c, E>(
    ex: E,
    username: &str,
) -> Result<Option<UserRow>, DbError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    sqlx::query(&sql)
        .bind(username)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

/// The échevins' accounts of a commune (disabled ones too), by rank.
pub(crate) async fn aldermen_of<'c, E>(ex: E, commune_nis: &str) -> Result<Vec<UserRow>, DbError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users WHERE commune_nis = $1 AND alderman <> 0 \
         ORDER BY alderman_rank, username"
    );
    sqlx::query(&sql)
        .bind(commune_nis)
        .fetch_all(ex)
        .await?
        .iter()
        .map(user_from_row)
        .collect()
}

impl Database {
    /// Creates a user. A taken username (or id) gives [`DbError::Duplicate`].
    pub async fn insert_user(&self, user: &NewUser) -> Result<UserRow, DbError> {
        sqlx::query(
            "INSERT INTO users (id, username, display_name, role, commune_nis, provider_id, \
             password_hash, disabled, is_demo, failed_logins, last_failed_at, created_at, gender, email, \
             alderman, alderman_rank) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, 0, NULL, $9, $10, $11, $12, $13)",
        )
        .bind(&user.id)
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(&user.role)
        .bind(user.commune_nis.as_deref())
        .bind(user.provider_id.as_deref())
        .bind(&user.password_hash)
        .bind(flag(user.is_demo))
        .bind(time_text(&user.created_at))
        .bind(&user.gender)
        .bind(user.email.as_deref())
        .bind(flag(user.alderman))
        .bind(user.alderman_rank)
        .execute(&self.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Duplicate(format!(
                    "l'utilisateur « {} » (id {}) existe déjà",
                    user.username, user.id
                ))
            } else {
                e.into()
            }
        })?;
        Ok(UserRow {
            id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.clone(),
            commune_nis: user.commune_nis.clone(),
            provider_id: user.provider_id.clone(),
            password_hash: user.password_hash.clone(),
            disabled: false,
            is_demo: user.is_demo,
            failed_logins: 0,
            last_failed_at: None,
            // As stored (milliseconds), so that it equals what a later read returns.
            created_at: crate::columns::parse_time(&time_text(&user.created_at), "created_at")?,
            gender: user.gender.clone(),
            email: user.email.clone(),
            alderman: user.alderman,
            alderman_rank: user.alderman_rank,
            alderman_belgian: true,
            second_factor_secret: None,
            second_factor_on_at: None,
            second_factor_failures: 0,
            second_factor_failed_at: None,
        })
    }

    /// The user with this login name, if any.
    pub async fn find_user_by_username(&self, username: &str) -> Result<Option<UserRow>, DbError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        sqlx::query(&sql)
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// The user with this id, if any.
    pub async fn find_user_by_id(&self, id: &str) -> Result<Option<UserRow>, DbError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    /// Every user, by login name.
    pub async fn list_users(&self) -> Result<Vec<UserRow>, DbError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(user_from_row)
            .collect()
    }

    /// Disables or re-enables a user; false when no such user.
    pub async fn set_user_disabled(&self, username: &str, disabled: bool) -> Result<bool, DbError> {
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
            .bind(flag(disabled))
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records how a user is addressed (`female`, `male`, `unspecified`); false when no such
    /// user. Signatures already given keep the title they were signed with.
    pub async fn set_user_gender(&self, username: &str, gender: &str) -> Result<bool, DbError> {
        let done = sqlx::query("UPDATE users SET gender = $1 WHERE username = $2")
            .bind(gender)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Records whether an account is an échevin's (a member of the collège), its rank and
    /// whether of Belgian nationality; false when no such user. Substitutions already
    /// recorded are not changed.
    pub async fn set_user_alderman(
        &self,
        username: &str,
        alderman: bool,
        rank: Option<i64>,
        belgian: bool,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE users SET alderman = $1, alderman_rank = $2, alderman_belgian = $3 \
             WHERE username = $4",
        )
        .bind(flag(alderman))
        .bind(rank.filter(|_| alderman))
        .bind(flag(belgian))
        .bind(username)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Sets (or clears) the e-mail address of an account; false when no such user.
    pub async fn set_user_email(
        &self,
        username: &str,
        email: Option<&str>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query("UPDATE users SET email = $1 WHERE username = $2")
            .bind(email)
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Replaces a user's password hash and clears failed logins; false when no such user.
    pub async fn set_user_password(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, failed_logins = 0, last_failed_at = NULL \
             WHERE username = $2",
        )
        .bind(password_hash)
        .bind(username)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Reserves one login attempt: counts it as a failure now, before the password is checked,
    /// but only if the counter still holds what the caller read (`failures`, `last_failed_at`).
    /// False when another attempt changed it in between: the caller reads again and decides
    /// again, so concurrent guesses can never all pass one reading of the counter.
    pub async fn reserve_login_attempt(
        &self,
        user_id: &str,
        failures: i64,
        last_failed_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        // Stored times are fixed-width text: comparing the text compares the time exactly.
        let done = sqlx::query(
            "UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = $1 \
             WHERE id = $2 AND failed_logins = $3 AND COALESCE(last_failed_at, '') = $4",
        )
        .bind(time_text(&at))
        .bind(user_id)
        .bind(failures)
        .bind(last_failed_at.as_ref().map(time_text).unwrap_or_default())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a reserved attempt whose password was never checked (the server was busy).
    pub async fn release_login_attempt(&self, user_id: &str) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE users SET failed_logins = failed_logins - 1 WHERE id = $1 AND failed_logins > 0",
        )
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Clears the failed-login count after a successful login.
    pub async fn reset_login_failures(&self, user_id: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE users SET failed_logins = 0, last_failed_at = NULL WHERE id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many demo accounts exist (to warn before production use).
    pub async fn count_demo_users(&self) -> Result<i64, DbError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE is_demo = 1")
            .fetch_one(&self.pool)
            .await?;
        get_i64(&row, "n")
    }

    /// Stores a new device token (by hash) for a user.
    pub async fn insert_device_token(
        &self,
        token_hash: &str,
        user_id: &str,
        device: &str,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO device_tokens (token_hash, user_id, device, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(device)
        .bind(time_text(&at))
        .execute(&self.pool)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Duplicate("ce jeton d'appareil existe déjà".into())
            } else {
                e.into()
            }
        })?;
        Ok(())
    }

    /// The token with this hash and its user, if the token exists and is not revoked.
    /// Whether the user is disabled is left to the caller.
    pub async fn find_active_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<(TokenRow, UserRow)>, DbError> {
        Ok(self
            .find_active_token_and_mark(token_hash)
            .await?
            .map(|(token, user, _)| (token, user)))
    }

    /// The live token with this hash, its user, and the change log's committed high-water
    /// mark (`Database::committed_high_water`), in one round trip: a no-change pull then
    /// needs no other query (issue 19 §1). The mark is read in the same statement, so it is
    /// a committed value like the one `committed_high_water` reads.
    pub async fn find_active_token_and_mark(
        &self,
        token_hash: &str,
    ) -> Result<Option<(TokenRow, UserRow, i64)>, DbError> {
        let sql = format!(
            "SELECT t.token_hash, t.device, t.created_at AS token_created_at, t.last_used_at, \
             t.revoked_at, (SELECT c.value FROM counters c WHERE c.name = 'change_seq') \
             AS high_water, {} \
             FROM device_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let Some(row) = sqlx::query(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let user = user_from_row(&row)?;
        let token = TokenRow {
            token_hash: get_text(&row, "token_hash")?,
            user_id: user.id.clone(),
            device: get_text(&row, "device")?,
            created_at: get_time(&row, "token_created_at")?,
            last_used_at: get_opt_time(&row, "last_used_at")?,
            revoked_at: get_opt_time(&row, "revoked_at")?,
        };
        let high_water = get_opt_i64(&row, "high_water")?.ok_or_else(|| {
            DbError::Corrupt("compteur change_seq absent de la table counters".into())
        })?;
        Ok(Some((token, user, high_water)))
    }

    /// Records that a token was used now; false when no such token.
    pub async fn touch_token(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool, DbError> {
        let done = sqlx::query("UPDATE device_tokens SET last_used_at = $1 WHERE token_hash = $2")
            .bind(time_text(&at))
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Revokes one token; false when no such active token.
    pub async fn revoke_token(&self, token_hash: &str, at: DateTime<Utc>) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE device_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
        )
        .bind(time_text(&at))
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Revokes every active token of a user; returns how many were revoked.
    pub async fn revoke_user_tokens(
        &self,
        user_id: &str,
        at: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        let done = sqlx::query(
            "UPDATE device_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(time_text(&at))
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
