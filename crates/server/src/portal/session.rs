//! Portal sessions: the cookie, its stored hash, the per-session CSRF token, and the extractor
//! that lets a request through only with a live session of a provider account.
//!
//! The cookie holds 32 random bytes; the database keeps only their SHA-256 (a stolen database
//! does not give live sessions). Sessions last [`SESSION_HOURS`] from login, by server time,
//! and are not extended: a provider logs in again the next working day.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use centrale_domain::catalogue::Provider;
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use centrale_server_db::WebSession;
use rand::RngCore;
use subtle::ConstantTimeEq;

use super::error::PortalError;
use crate::actor::Actor;
use crate::auth::token_hash;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "centrale_portail";
/// Name of the short-lived cookie that protects the login form (there is no session yet).
pub const LOGIN_COOKIE: &str = "centrale_portail_connexion";
/// How long a session lasts after login.
pub const SESSION_HOURS: i64 = 8;
/// Where the portal lives; cookies are scoped to it.
pub const BASE: &str = "/portail";

/// A logged-in provider account.
#[derive(Debug, Clone)]
pub struct ProviderSession {
    /// Who acts (always a provider account with a provider).
    pub actor: Actor,
    /// The provider's id, as stored in visibility columns.
    pub provider_id: String,
    /// The provider's legal name, for the header and receipts.
    pub provider_name: String,
    /// The token every form of this session must send back.
    pub csrf: String,
    /// Hash of the cookie value (the session's key).
    pub id_hash: String,
}

impl ProviderSession {
    /// The person's name when it says more than the provider's: an account named after its
    /// company (a shared or demo account) is shown once, not « Nuagix — Nuagix ».
    pub fn person_name(&self) -> Option<&str> {
        let person = self.actor.display_name.trim();
        (!person.is_empty() && !person.eq_ignore_ascii_case(self.provider_name.trim()))
            .then_some(person)
    }
}

/// 32 random bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Compares a submitted token with the expected one in constant time, so that timing does
/// not reveal how much of a guess was right. An empty expected token never matches.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The value of a cookie in the request, if present (parsed by axum-extra's `CookieJar`).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_string())
}

/// A `Set-Cookie` value for the portal: `HttpOnly` (scripts never read it), `SameSite=Strict`
/// (never sent on a request started from another site) and scoped to `/portail`; `Secure`
/// when the public address is https. `max_age` of `None` makes a browser-session cookie.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut cookie = Cookie::build((name.to_string(), value.to_string()))
        .path(BASE)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure);
    if let Some(age) = max_age {
        cookie = cookie.max_age(cookie::time::Duration::seconds(age));
    }
    // Names are constants and values hex: always a valid header value.
    HeaderValue::from_str(&cookie.build().encoded().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A `Set-Cookie` value that removes a cookie.
pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", Some(0), secure)
}

/// Opens a session for `actor` (already checked to be a provider account) and returns the
/// cookie value to hand to the browser.
pub async fn open(state: &AppState, actor: &Actor) -> Result<String, PortalError> {
    let now = state.clock.now();
    // Old sessions are cleaned up here rather than by a timer: logins are rare enough.
    state.db.delete_expired_web_sessions(now).await?;
    let cookie_value = random_token();
    state
        .db
        .insert_web_session(&WebSession {
            id_hash: token_hash(&cookie_value),
            user_id: actor.user_id.clone(),
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + chrono::Duration::hours(SESSION_HOURS),
        })
        .await?;
    Ok(cookie_value)
}

/// Why a request has no usable session.
#[derive(Debug)]
pub enum NoSession {
    /// Not logged in, expired, disabled or not a provider: back to the login page.
    Login,
    /// Storage failed.
    Error(PortalError),
}

impl IntoResponse for NoSession {
    fn into_response(self) -> Response {
        match self {
            NoSession::Login => Redirect::to("/portail/connexion").into_response(),
            NoSession::Error(e) => e.into_response(),
        }
    }
}

impl From<centrale_server_db::DbError> for NoSession {
    fn from(e: centrale_server_db::DbError) -> Self {
        NoSession::Error(e.into())
    }
}

impl FromRequestParts<AppState> for ProviderSession {
    type Rejection = NoSession;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let value = cookie(&parts.headers, SESSION_COOKIE).ok_or(NoSession::Login)?;
        if value.is_empty() || value.len() > 200 {
            return Err(NoSession::Login);
        }
        let id_hash = token_hash(&value);
        let now = state.clock.now();
        let session = state
            .db
            .find_web_session(&id_hash, now)
            .await?
            .ok_or(NoSession::Login)?;
        let user = state.db.find_user_by_id(&session.user_id).await?;
        let actor = user
            .filter(|u| !u.disabled)
            .and_then(|u| Actor::from_user(&u))
            .filter(|a| a.role == Role::ProviderUser);
        let Some((actor, provider_id)) = actor.and_then(|a| a.provider_id.map(|p| (a, p))) else {
            // The account was disabled or changed since login: the session ends now.
            state.db.delete_web_session(&id_hash).await?;
            return Err(NoSession::Login);
        };
        let provider_name = state
            .db
            .get_record(RecordKind::Provider.as_str(), &provider_id.to_string())
            .await?
            .and_then(|row| serde_json::from_value::<Provider>(row.body).ok())
            .map_or_else(|| actor.display_name.clone(), |p| p.name);
        Ok(ProviderSession {
            actor,
            provider_id: provider_id.to_string(),
            provider_name,
            csrf: session.csrf_token,
            id_hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

    #[test]
    fn the_person_is_named_only_when_not_the_company() {
        let session = |person: &str| ProviderSession {
            actor: Actor {
                user_id: "u".into(),
                username: "nuagix".into(),
                display_name: person.into(),
                role: Role::ProviderUser,
                commune_nis: None,
                provider_id: None,
                gender: Default::default(),
                second_factor: false,
            },
            provider_id: "p".into(),
            provider_name: "Nuagix Services SA".into(),
            csrf: String::new(),
            id_hash: String::new(),
        };
        assert_eq!(session("Luc Martin").person_name(), Some("Luc Martin"));
        assert_eq!(session("Nuagix Services SA").person_name(), None);
        assert_eq!(session(" nuagix services sa ").person_name(), None);
        assert_eq!(session("").person_name(), None);
    }

    #[test]
    fn tokens_compare_exactly() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert!(tokens_match(&t, &t.clone()));
        assert!(!tokens_match(&t, &t[..63]));
        assert!(!tokens_match(&t, ""));
        assert!(!tokens_match("", ""));
        assert_ne!(random_token(), t);
    }

    #[test]
    fn cookies_are_read_and_flagged() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; centrale_portail=abc"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "b"), None);
        let plain = Cookie::parse(
            set_cookie(SESSION_COOKIE, "abc", None, false)
                .to_str()
                .unwrap()
                .to_string(),
        )
        .unwrap();
        assert_eq!((plain.name(), plain.value()), (SESSION_COOKIE, "abc"));
        assert_eq!(plain.path(), Some("/portail"));
        assert_eq!(plain.http_only(), Some(true));
        assert_eq!(plain.same_site(), Some(SameSite::Strict));
        assert_eq!(plain.secure(), None, "not Secure over http");
        assert_eq!(plain.max_age(), None, "a browser-session cookie");
        let cleared = Cookie::parse(
            clear_cookie(SESSION_COOKIE, true)
                .to_str()
                .unwrap()
                .to_string(),
        )
        .unwrap();
        assert_eq!(cleared.value(), "");
        assert_eq!(cleared.secure(), Some(true));
        assert_eq!(cleared.max_age(), Some(cookie::time::Duration::ZERO));
    }
}
