//! Logging in, the same for the API and the providers' portal: who may try now (throttles),
//! the password check (bounded, and as costly for an unknown name as for a wrong password).
//!
//! Every attempt is reserved before its password is checked: it counts as a failure until the
//! password proves right, so concurrent guesses cannot all slip through one reading of a
//! counter. Three counters, each with the rule of [`login_wait`]:
//! - the account's, in the database (`users.failed_logins`), reserved by a compare-and-set
//!   ([`Database::reserve_login_attempt`]) so several servers over one database share it;
//! - an unknown name's, in memory, so that a name that does not exist locks exactly like one
//!   that does (the lock must not tell which accounts exist);
//! - the client address's, in memory, whatever the account: guessing `dg.<NIS>` for every
//!   commune from one machine is stopped too. A success gives back its own reservation but
//!   clears nothing, so a guesser cannot reset it by logging into an account of its own.
//!
//! The in-memory counters are per server process and forgotten at restart.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration as StdDuration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use centrale_server_db::{Database, DbError, UserRow};
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

use crate::auth::{hash_password, login_wait, verify_password};
use crate::state::AppState;
use crate::Settings;

/// Why a login did not go through.
#[derive(Debug, thiserror::Error)]
pub enum LoginRefusal {
    /// Unknown name or wrong password: the two are never told apart.
    #[error("invalid credentials")]
    Invalid,
    /// Too many failures on this account, name or address: wait.
    #[error("too many attempts")]
    Throttled {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// Every password check is taken and none came free in time: try again shortly.
    #[error("busy")]
    Busy {
        /// Seconds to wait.
        retry_after_secs: i64,
    },
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// How many times an account's reservation is tried again when other attempts keep changing
/// the counter first.
const MAX_RESERVE_ROUNDS: usize = 64;
/// An address's failures are forgotten an hour after its last one.
const ADDRESS_MEMORY: i64 = 60 * 60;
/// An unknown name's failures are kept a day, longer than any wait.
const NAME_MEMORY: i64 = 24 * 60 * 60;
/// Beyond this many remembered keys, the forgotten ones are swept out.
const MAX_KEYS: usize = 100_000;

/// The throttles kept in memory and the bound on password checks; one per server.
pub struct LoginGuard {
    counters: Mutex<HashMap<String, Counter>>,
    checks: PasswordChecks,
}

#[derive(Clone, Copy)]
struct Counter {
    failures: i64,
    last_failed_at: DateTime<Utc>,
    memory: i64,
}

impl LoginGuard {
    /// A guard sized by the settings.
    pub fn new(settings: &Settings) -> LoginGuard {
        LoginGuard {
            counters: Mutex::new(HashMap::new()),
            checks: PasswordChecks::new(
                settings.password_checks_at_once.max(1),
                StdDuration::from_secs(settings.password_queue_secs),
            ),
        }
    }

    /// The bounded password checks (for tests: how many ran at once at most).
    pub fn checks(&self) -> &PasswordChecks {
        &self.checks
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Counter>> {
        // A panic while holding the map cannot leave it half-written: keep using it.
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one attempt under `key` unless it must wait; `Err(seconds)` when it must.
    fn reserve(&self, key: &str, free: u32, memory: i64, now: DateTime<Utc>) -> Result<(), i64> {
        let mut counters = self.lock();
        if counters.len() >= MAX_KEYS {
            counters.retain(|_, c| (now - c.last_failed_at).num_seconds() < c.memory);
        }
        let (failures, last) = match counters.get(key) {
            Some(c) if (now - c.last_failed_at).num_seconds() < c.memory => {
                (c.failures, Some(c.last_failed_at))
            }
            _ => (0, None),
        };
        if let Some(wait) = login_wait(failures, free, last, now) {
            return Err(wait);
        }
        counters.insert(
            key.to_string(),
            Counter {
                failures: failures + 1,
                last_failed_at: now,
                memory,
            },
        );
        Ok(())
    }

    /// Gives back one attempt counted under `key`.
    fn release(&self, key: &str) {
        let mut counters = self.lock();
        if let Some(c) = counters.get_mut(key) {
            c.failures -= 1;
            if c.failures <= 0 {
                counters.remove(key);
            }
        }
    }
}

/// At most a few Argon2 runs at once (each takes about 19 MiB and tens of milliseconds of a
/// core): the others queue for a short while, then get « réessayez » rather than the memory
/// of the machine.
pub struct PasswordChecks {
    permits: Semaphore,
    bound: usize,
    queue: StdDuration,
    running: AtomicUsize,
    peak: AtomicUsize,
    total: AtomicUsize,
}

impl PasswordChecks {
    fn new(bound: usize, queue: StdDuration) -> PasswordChecks {
        PasswordChecks {
            permits: Semaphore::new(bound),
            bound,
            queue,
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }

    /// How many checks may run at once.
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// The most checks that ever ran at the same time (instrumentation for tests).
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many checks ran in all, unknown names included (instrumentation for tests).
    pub fn total(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    /// Takes a place as the checks do (tests hold one to make the server busy).
    pub async fn hold(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.permits.acquire().await.ok()
    }

    /// Verifies `password` against `hash` (the dummy hash when `None`) once a place is free;
    /// `None` when none came free in time.
    async fn verify(&self, password: &str, hash: Option<&str>) -> Option<bool> {
        let permit = tokio::time::timeout(self.queue, self.permits.acquire())
            .await
            .ok()?
            .ok()?;
        let now_running = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now_running, Ordering::SeqCst);
        self.total.fetch_add(1, Ordering::SeqCst);
        let password = password.to_string();
        let hash = hash.map(str::to_string);
        let valid = tokio::task::spawn_blocking(move || match &hash {
            Some(hash) => verify_password(&password, hash),
            None => verify_password(&password, dummy_hash()),
        })
        .await
        .unwrap_or(false);
        self.running.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        Some(valid)
    }
}

/// Makes the dummy hash now rather than at the first unknown name (which would then take
/// twice as long as a wrong password). Blocking: call it off the async threads.
pub fn prepare() {
    dummy_hash();
}

/// A hash of a password nobody knows, with the same parameters as real ones: an unknown name
/// is checked against it, so that it costs the time a wrong password costs.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let secret = crate::auth::new_token().0;
        hash_password(&secret).unwrap_or_default()
    })
}

/// The client's address: the connection's peer, or, when the peer is the configured reverse
/// proxy, the last address of its `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// Works the address out of a request's peer and headers.
    pub fn of(peer: Option<SocketAddr>, headers: &HeaderMap, settings: &Settings) -> ClientAddress {
        let peer_ip = peer.map_or(IpAddr::from([0, 0, 0, 0]), |p| p.ip().to_canonical());
        if settings.trusted_proxy.map(|p| p.to_canonical()) == Some(peer_ip) {
            // The last entry of the last line, the one the proxy added; anything before it was
            // written by the client and proves nothing. Unreadable: the peer it is.
            let forwarded = headers
                .get_all("x-forwarded-for")
                .iter()
                .next_back()
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|last| last.trim().parse::<IpAddr>().ok());
            if let Some(ip) = forwarded {
                return ClientAddress(ip.to_canonical());
            }
        }
        ClientAddress(peer_ip)
    }

    /// The throttle's key: the IPv4 address, or the IPv6 /64 (one machine usually holds a
    /// whole /64, so counting single IPv6 addresses would count nothing).
    fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => format!("adresse:{v4}"),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("adresse:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientAddress::of(peer, &parts.headers, &state.settings))
    }
}

/// Checks a login: throttles first (each reserves the attempt), then the password against the
/// account's hash or, for an unknown name, the dummy hash. Returns the account when the
/// password is right; whether it is disabled, or may use this door, is the caller's to say.
pub async fn check(
    state: &AppState,
    address: ClientAddress,
    username: &str,
    password: &str,
) -> Result<UserRow, LoginRefusal> {
    let guard = &state.login;
    let free = state.settings.login_free_attempts;
    let now = state.clock.now();
    let address_key = address.key();
    guard
        .reserve(
            &address_key,
            state.settings.login_free_attempts_per_address,
            ADDRESS_MEMORY,
            now,
        )
        .map_err(|wait| LoginRefusal::Throttled {
            retry_after_secs: wait,
        })?;
    let user = match reserve_account(&state.db, username, free, now).await {
        Ok(user) => user,
        Err(refusal) => {
            guard.release(&address_key);
            return Err(refusal);
        }
    };
    let Some(user) = user else {
        // An unknown name: throttled and checked like an account, always refused.
        let name_key = format!("nom:{}", username.to_lowercase());
        if let Err(wait) = guard.reserve(&name_key, free, NAME_MEMORY, now) {
            guard.release(&address_key);
            return Err(LoginRefusal::Throttled {
                retry_after_secs: wait,
            });
        }
        return match guard.checks.verify(password, None).await {
            Some(_) => Err(LoginRefusal::Invalid),
            None => {
                guard.release(&name_key);
                guard.release(&address_key);
                Err(busy(guard))
            }
        };
    };
    match guard
        .checks
        .verify(password, Some(&user.password_hash))
        .await
    {
        Some(true) => {
            guard.release(&address_key);
            state.db.reset_login_failures(&user.id).await?;
            Ok(user)
        }
        Some(false) => Err(LoginRefusal::Invalid),
        None => {
            guard.release(&address_key);
            state.db.release_login_attempt(&user.id).await?;
            Err(busy(guard))
        }
    }
}

fn busy(guard: &LoginGuard) -> LoginRefusal {
    LoginRefusal::Busy {
        retry_after_secs: guard.checks.queue.as_secs().max(1) as i64,
    }
}

/// Reserves an attempt on the account named `username` (`None`: no such account).
async fn reserve_account(
    db: &Database,
    username: &str,
    free: u32,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, LoginRefusal> {
    for _ in 0..MAX_RESERVE_ROUNDS {
        let Some(user) = db.find_user_by_username(username).await? else {
            return Ok(None);
        };
        if let Some(wait) = login_wait(user.failed_logins, free, user.last_failed_at, now) {
            return Err(LoginRefusal::Throttled {
                retry_after_secs: wait,
            });
        }
        if db
            .reserve_login_attempt(&user.id, user.failed_logins, user.last_failed_at, now)
            .await?
        {
            return Ok(Some(user));
        }
    }
    // Always beaten by other attempts on the same account: it is under attack, wait.
    Err(LoginRefusal::Throttled {
        retry_after_secs: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn addresses_come_from_the_proxy_only_when_it_is_trusted() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let proxy: SocketAddr = "10.0.0.2:40000".parse().unwrap();
        let mut settings = Settings::default();
        assert_eq!(
            ClientAddress::of(Some(proxy), &headers, &settings).0,
            "10.0.0.2".parse::<IpAddr>().unwrap(),
            "without trusted_proxy the header is ignored"
        );
        settings.trusted_proxy = Some("10.0.0.2".parse().unwrap());
        assert_eq!(
            ClientAddress::of(Some(proxy), &headers, &settings).0,
            "198.51.100.7".parse::<IpAddr>().unwrap(),
            "the entry the proxy added, not one the client wrote"
        );
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, n'importe quoi".parse().unwrap(),
        );
        assert_eq!(
            ClientAddress::of(Some(proxy), &headers, &settings).0,
            "10.0.0.2".parse::<IpAddr>().unwrap(),
            "an unreadable last entry never lets an earlier one through"
        );
        let other: SocketAddr = "10.0.0.3:40000".parse().unwrap();
        assert_eq!(
            ClientAddress::of(Some(other), &headers, &settings).0,
            "10.0.0.3".parse::<IpAddr>().unwrap()
        );
        let a = ClientAddress("2001:db8:1:2:aaaa::1".parse().unwrap()).key();
        let b = ClientAddress("2001:db8:1:2:bbbb::9".parse().unwrap()).key();
        assert_eq!(a, b, "one IPv6 /64 is one address");
    }

    #[test]
    fn memory_counters_reserve_release_and_forget() {
        let guard = LoginGuard::new(&Settings::default());
        let now = Utc::now();
        for _ in 0..2 {
            guard.reserve("k", 2, 3600, now).unwrap();
        }
        assert_eq!(guard.reserve("k", 2, 3600, now), Err(30));
        guard.release("k");
        assert_eq!(guard.reserve("k", 2, 3600, now), Ok(()));
        assert_eq!(
            guard.reserve("k", 2, 3600, now + Duration::seconds(3600)),
            Ok(()),
            "forgotten after its memory"
        );
    }
}
