//! The second factor's storage (issue 17 point 9): the secret on the user's row, the recovery
//! codes (hashed), the steps whose code served, the count of wrong codes. What a code is and
//! when it is accepted is decided by the server (`centrale_server::second_factor`) with the
//! domain's rules; this module only keeps the facts.

use chrono::{DateTime, Utc};

use crate::columns::{get_text, time_text};
use crate::write::WriteTx;
use crate::{Database, DbError};

/// What a use of a one-time code's step gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUse {
    /// First use of this step by the account.
    First,
    /// The same PC again, shortly after (two acts signed one after the other).
    SameClientAgain,
    /// The step already served elsewhere, or long ago: refused.
    Reused,
}

async fn use_step(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    step: i64,
    client_id: &str,
    at: DateTime<Utc>,
    same_client_window: chrono::Duration,
) -> Result<StepUse, DbError> {
    let inserted = sqlx::query(
        "INSERT INTO second_factor_used_steps (user_id, step, client_id, used_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, step) DO NOTHING",
    )
    .bind(user_id)
    .bind(step)
    .bind(client_id)
    .bind(time_text(&at))
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(StepUse::First);
    }
    let row = sqlx::query(
        "SELECT client_id, used_at FROM second_factor_used_steps WHERE user_id = $1 AND step = $2",
    )
    .bind(user_id)
    .bind(step)
    .fetch_one(&mut *conn)
    .await?;
    let first_client = get_text(&row, "client_id")?;
    let first_at = crate::columns::parse_time(&get_text(&row, "used_at")?, "used_at")?;
    Ok(
        if first_client == client_id && at - first_at <= same_client_window {
            StepUse::SameClientAgain
        } else {
            StepUse::Reused
        },
    )
}

async fn use_recovery_code(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    code_hash: &str,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "UPDATE second_factor_recovery_codes SET used_at = $1 \
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(time_text(&at))
    .bind(user_id)
    .bind(code_hash)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn count_failure(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE users SET second_factor_failures = second_factor_failures + 1, \
         second_factor_failed_at = $1 WHERE id = $2",
    )
    .bind(time_text(&at))
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn clear_failures(conn: &mut sqlx::AnyConnection, user_id: &str) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE users SET second_factor_failures = 0, second_factor_failed_at = NULL \
         WHERE id = $1 AND second_factor_failures <> 0",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn forget_old_steps(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
    before: DateTime<Utc>,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM second_factor_used_steps WHERE user_id = $1 AND used_at < $2")
        .bind(user_id)
        .bind(time_text(&before))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl WriteTx<'_> {
    /// Records that the code of `step` served for `user_id` from `client_id` (see
    /// [`StepUse`]); steps used before `forget_before` are forgotten (they can no longer be
    /// accepted anyway).
    pub async fn use_second_factor_step(
        &mut self,
        user_id: &str,
        step: i64,
        client_id: &str,
        at: DateTime<Utc>,
        same_client_window: chrono::Duration,
        forget_before: DateTime<Utc>,
    ) -> Result<StepUse, DbError> {
        forget_old_steps(self.conn(), user_id, forget_before).await?;
        use_step(
            self.conn(),
            user_id,
            step,
            client_id,
            at,
            same_client_window,
        )
        .await
    }

    /// Uses a recovery code (by its hash); false when it is not one of the account's unused
    /// codes.
    pub async fn use_second_factor_recovery_code(
        &mut self,
        user_id: &str,
        code_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        use_recovery_code(self.conn(), user_id, code_hash, at).await
    }

    /// Counts a wrong code.
    pub async fn count_second_factor_failure(
        &mut self,
        user_id: &str,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        count_failure(self.conn(), user_id, at).await
    }

    /// Clears the count of wrong codes after a right one.
    pub async fn clear_second_factor_failures(&mut self, user_id: &str) -> Result<(), DbError> {
        clear_failures(self.conn(), user_id).await
    }
}

impl Database {
    /// Starts setting up a second factor: keeps `secret` for the account, unless its second
    /// factor is already on (false then).
    pub async fn start_second_factor(&self, user_id: &str, secret: &str) -> Result<bool, DbError> {
        let done = sqlx::query(
            "UPDATE users SET second_factor_secret = $1 \
             WHERE id = $2 AND second_factor_on_at IS NULL",
        )
        .bind(secret)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Turns the second factor on, with these recovery codes (hashes) replacing any old ones;
    /// the step of the confirming code counts as used. False when nothing was being set up.
    pub async fn confirm_second_factor(
        &self,
        user_id: &str,
        step: i64,
        client_id: &str,
        recovery_hashes: &[String],
        at: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET second_factor_on_at = $1, second_factor_failures = 0, \
             second_factor_failed_at = NULL \
             WHERE id = $2 AND second_factor_on_at IS NULL AND second_factor_secret IS NOT NULL",
        )
        .bind(time_text(&at))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("DELETE FROM second_factor_recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query(
                "INSERT INTO second_factor_recovery_codes (user_id, code_hash) VALUES ($1, $2)",
            )
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
        }
        use_step(
            &mut tx,
            user_id,
            step,
            client_id,
            at,
            chrono::Duration::zero(),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Turns the second factor off (or abandons its setting up): secret, recovery codes and
    /// used steps go. False when the account had none.
    pub async fn turn_off_second_factor(&self, user_id: &str) -> Result<bool, DbError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE users SET second_factor_secret = NULL, second_factor_on_at = NULL, \
             second_factor_failures = 0, second_factor_failed_at = NULL \
             WHERE id = $1 AND second_factor_secret IS NOT NULL",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        for table in ["second_factor_recovery_codes", "second_factor_used_steps"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Checks a code outside a mutation (confirming the setting up, turning off): uses its step
    /// or its recovery code, and clears or counts failures, in one transaction.
    pub async fn use_second_factor_outside_acts(
        &self,
        user_id: &str,
        accepted: SecondFactorAnswer,
        client_id: &str,
        at: DateTime<Utc>,
    ) -> Result<SecondFactorUse, DbError> {
        let mut tx = self.pool.begin().await?;
        let outcome = match accepted {
            SecondFactorAnswer::Step(step) => {
                match use_step(
                    &mut tx,
                    user_id,
                    step,
                    client_id,
                    at,
                    chrono::Duration::zero(),
                )
                .await?
                {
                    StepUse::First => SecondFactorUse::Accepted,
                    _ => SecondFactorUse::Reused,
                }
            }
            SecondFactorAnswer::RecoveryCode(hash) => {
                if use_recovery_code(&mut tx, user_id, &hash, at).await? {
                    SecondFactorUse::Accepted
                } else {
                    SecondFactorUse::Wrong
                }
            }
            SecondFactorAnswer::Wrong => SecondFactorUse::Wrong,
        };
        match outcome {
            SecondFactorUse::Accepted => clear_failures(&mut tx, user_id).await?,
            SecondFactorUse::Wrong => count_failure(&mut tx, user_id, at).await?,
            SecondFactorUse::Reused => {}
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// The recovery codes not used yet.
    pub async fn unused_recovery_codes(&self, user_id: &str) -> Result<i64, DbError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM second_factor_recovery_codes \
             WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        crate::columns::get_i64(&row, "n")
    }
}

/// What a code was found to be, before its use is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorAnswer {
    /// The application's code of this step.
    Step(i64),
    /// A recovery code, by its hash (used if it is one of the account's unused codes).
    RecoveryCode(String),
    /// Neither.
    Wrong,
}

/// What using a code outside a mutation gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorUse {
    /// Right, and now used.
    Accepted,
    /// Already used.
    Reused,
    /// Wrong (counted).
    Wrong,
}
