//! Passwords (Argon2), device tokens (random, stored hashed, revocable), login throttling and
//! the bearer-token extractor.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::actor::Actor;
use crate::error::ApiError;
use crate::state::AppState;

/// Hashes a password with Argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new device token (shown once) and the hash that is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// How long the next login must wait after `failures` consecutive failures: nothing for the
/// first `free` ones, then 30 s doubling up to 15 minutes.
pub fn login_wait(
    failures: i64,
    free: u32,
    last_failed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<i64> {
    let over = failures - i64::from(free);
    if over < 0 {
        return None;
    }
    let wait = (30i64 << over.min(5)).min(15 * 60);
    let last = last_failed_at?;
    let until = last + Duration::seconds(wait);
    (until > now).then(|| (until - now).num_seconds().max(1))
}

/// The authenticated caller of an API request (`Authorization: Bearer <token>`).
pub struct Authenticated(pub Actor);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (actor, _) = authenticate(parts, state).await?;
        Ok(Authenticated(actor))
    }
}

/// The authenticated caller of a pull, with the change log's committed high-water mark read
/// in the same query as the token (issue 19 §1: a no-change pull is one round trip).
pub struct AuthenticatedWithMark(pub Actor, pub i64);

impl FromRequestParts<AppState> for AuthenticatedWithMark {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (actor, high_water) = authenticate(parts, state).await?;
        Ok(AuthenticatedWithMark(actor, high_water))
    }
}

/// The caller of a request by its device token, and the high-water mark read with it.
async fn authenticate(parts: &Parts, state: &AppState) -> Result<(Actor, i64), ApiError> {
    let header = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::Unauthorized)?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or(ApiError::Unauthorized)?
        .trim();
    if token.is_empty() || token.len() > 200 {
        return Err(ApiError::Unauthorized);
    }
    let hash = token_hash(token);
    let (token, user, high_water) = state
        .db
        .find_active_token_and_mark(&hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if user.disabled {
        return Err(ApiError::AccountDisabled);
    }
    // "Last used" is for the administrator, to the quarter of an hour: PCs pull every
    // minute, and a write per pull would be the server's largest write load
    // (docs/scale.md).
    let now = state.clock.now();
    if token
        .last_used_at
        .is_none_or(|at| now - at >= TOKEN_LAST_USED_PRECISION)
    {
        state.db.touch_token(&hash, now).await?;
    }
    let actor = Actor::from_user(&user).ok_or(ApiError::Unauthorized)?;
    Ok((actor, high_water))
}

/// How stale a device token's « last used » may be: it is written at most once per this span.
pub const TOKEN_LAST_USED_PRECISION: Duration = Duration::minutes(15);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify() {
        let h = hash_password("demo").unwrap();
        assert!(verify_password("demo", &h));
        assert!(!verify_password("Demo", &h));
        assert!(!verify_password("demo", "not-a-hash"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(token_hash(&a), ha);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn wait_grows_after_free_attempts() {
        let now = Utc::now();
        assert_eq!(login_wait(4, 5, Some(now), now), None);
        assert_eq!(login_wait(5, 5, Some(now), now), Some(30));
        assert_eq!(login_wait(6, 5, Some(now), now), Some(60));
        assert_eq!(login_wait(50, 5, Some(now), now), Some(900));
        assert_eq!(
            login_wait(5, 5, Some(now - Duration::seconds(31)), now),
            None
        );
    }
}
