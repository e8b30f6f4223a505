//! The second factor on the server (issue 17 point 9): TOTP codes (RFC 6238: HMAC-SHA1,
//! 30-second steps, six digits — what every authenticator application makes), recovery codes,
//! and the check of a signing act's code when it arrives, by the same write path for the PC's
//! push and the providers' portal. Which acts ask for a code, the week an offline code holds
//! and the form of what is typed are the domain's (`centrale_domain::second_factor`).

use centrale_domain::error::{DomainError, ErrorCode};
use centrale_domain::second_factor::{
    self as rules, check_typed_at, parse_code, step_of, TypedCode, FREE_FAILURES, SKEW_STEPS,
    STEP_SECS,
};
use centrale_protocol::{SecondFactorProof, SecondFactorSetup};
use centrale_server_db::{
    AuditInput, Database, DbError, SecondFactorAnswer, SecondFactorUse, StepUse, UserRow,
};
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngCore};
use serde_json::json;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::auth::login_wait;
use crate::engine::{Ctx, EngineError};

/// The secret's length: 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
/// The same PC may use one step's code again this long after its first use (two acts signed
/// one after the other, with the code still on the phone's screen).
pub const SAME_CLIENT_WINDOW: Duration = Duration::minutes(5);
/// The name the authenticator application shows beside the code.
const ISSUER: &str = "Centrale";

/// A new random secret, in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    encoded(bytes.to_vec())
}

/// The fixed secret of a demo account (documented in the README, so that whoever runs the demo
/// can add it to an authenticator application, or print its code with
/// `centrale-server user code <login>`). Never used for a real account.
pub fn demo_secret(username: &str) -> String {
    let digest = Sha256::digest(format!("centrale-demo-second-factor:{username}").as_bytes());
    encoded(digest[..SECRET_BYTES].to_vec())
}

fn encoded(bytes: Vec<u8>) -> String {
    match Secret::Raw(bytes).to_encoded() {
        Secret::Encoded(text) => text,
        Secret::Raw(_) => unreachable!("to_encoded gives the encoded form"),
    }
}

fn totp(secret: &str, username: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    // Skew 0: the steps around the moment are tried one by one, to know which one served.
    TOTP::new(
        Algorithm::SHA1,
        rules::CODE_DIGITS,
        0,
        STEP_SECS as u64,
        bytes,
        Some(ISSUER.to_string()),
        // The label may not hold a colon; logins never do.
        username.replace(':', "."),
    )
    .ok()
}

/// The code of `secret` at `at` (for the demo's code printer and the tests; the server itself
/// only compares).
pub fn code_at(secret: &str, at: DateTime<Utc>) -> String {
    totp(secret, "x")
        .map(|t| t.generate(at.timestamp().max(0) as u64))
        .unwrap_or_default()
}

/// The step whose code `code` is, among the step of `typed_at` and one either side.
pub fn matching_step(secret: &str, code: &str, typed_at: DateTime<Utc>) -> Option<i64> {
    let totp = totp(secret, "x")?;
    let step = step_of(typed_at);
    (step - SKEW_STEPS..=step + SKEW_STEPS)
        .filter(|s| *s >= 0)
        .find(|s| totp.check(code, (*s * STEP_SECS) as u64))
}

/// The code a demo account's PC sends with `mutation` at `at` (from its demo secret), or none
/// when the act signs nothing: for the demo's history and the tests, which act as the demo's
/// people would. An account without a second factor is not asked for it (the server ignores
/// it).
pub fn demo_proof(
    username: &str,
    mutation: &centrale_protocol::mutations::Mutation,
    at: DateTime<Utc>,
) -> Option<SecondFactorProof> {
    rules::signs(mutation.act()).then(|| SecondFactorProof {
        code: code_at(&demo_secret(username), at),
        typed_at: at,
    })
}

/// What the account's application is set up with: the secret, its `otpauth://` address and
/// that address as a QR code.
pub fn setup_of(secret: &str, username: &str) -> Option<SecondFactorSetup> {
    let uri = totp(secret, username)?.get_url();
    let qr = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Some(SecondFactorSetup {
        secret: grouped,
        otpauth_uri: uri,
        qr_svg,
    })
}

/// New recovery codes: as shown (`K7MZ-Q2XH`) and as stored (hashes).
pub fn new_recovery_codes(user_id: &str) -> (Vec<String>, Vec<String>) {
    let alphabet: Vec<char> = rules::RECOVERY_ALPHABET.chars().collect();
    let mut rng = rand::thread_rng();
    (0..rules::RECOVERY_CODES)
        .map(|_| {
            let code: String = (0..rules::RECOVERY_CODE_CHARS)
                .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                .collect();
            let hash = recovery_hash(user_id, &code);
            (rules::display_recovery_code(&code), hash)
        })
        .unzip()
}

/// The stored form of a recovery code (read as [`TypedCode::Recovery`] gives it).
pub fn recovery_hash(user_id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{user_id}:{code}").as_bytes()))
}

/// What `typed` is for `user` at `at`: its application's code of a step around that moment,
/// one of its recovery codes (by hash, used or not), or neither. The one reading of a code for
/// the acts, the setting up and the turning off.
fn answer_of(
    user: &UserRow,
    typed: &str,
    at: DateTime<Utc>,
) -> Result<SecondFactorAnswer, DomainError> {
    let secret = user.second_factor_secret.as_deref().unwrap_or_default();
    Ok(match parse_code(typed)? {
        TypedCode::OneTime(code) => matching_step(secret, &code, at)
            .map_or(SecondFactorAnswer::Wrong, SecondFactorAnswer::Step),
        TypedCode::Recovery(code) => {
            SecondFactorAnswer::RecoveryCode(recovery_hash(&user.id, &code))
        }
    })
}

/// The wait before the account may try a code again, after its wrong ones.
pub fn lock_of(user: &UserRow, now: DateTime<Utc>) -> Result<(), DomainError> {
    match login_wait(
        user.second_factor_failures,
        FREE_FAILURES,
        user.second_factor_failed_at,
        now,
    ) {
        Some(wait) => Err(DomainError::rule(ErrorCode::SecondFactorLocked)
            .with("retry_after_secs", wait)
            .with("retry_after_minutes", (wait + 59) / 60)),
        None => Ok(()),
    }
}

/// Checks the code of a signing act in its transaction: the step (or recovery code) it uses
/// is recorded there, so a refused act gives its code back. A wrong code is counted by the
/// caller after the rollback ([`count_wrong_code`]).
pub async fn check_act(
    ctx: &mut Ctx<'_>,
    act: centrale_domain::permission::Act,
    proof: Option<&SecondFactorProof>,
    client_id: &str,
) -> Result<(), EngineError> {
    if !rules::signs(act) {
        return Ok(());
    }
    let Some(user) = ctx.tx.find_user_by_username(&ctx.actor.username).await? else {
        // The server's own acts (opening offers at the deadline) sign nothing.
        return Ok(());
    };
    let enrolled = user.second_factor_on_at.is_some();
    if !rules::asked_for(act, ctx.actor.role, enrolled) {
        return Ok(());
    }
    if !enrolled {
        return Err(DomainError::field(ErrorCode::SecondFactorNotSetUp, "second_factor").into());
    }
    let Some(proof) = proof else {
        return Err(DomainError::field(ErrorCode::SecondFactorRequired, "second_factor").into());
    };
    lock_of(&user, ctx.now)?;
    let answer = answer_of(&user, &proof.code, proof.typed_at)?;
    check_typed_at(proof.typed_at, ctx.now)?;
    let accepted = match answer {
        SecondFactorAnswer::Step(step) => {
            let forget_before = ctx.now - Duration::hours(rules::OFFLINE_VALIDITY_HOURS + 24);
            let used = ctx
                .tx
                .use_second_factor_step(
                    &user.id,
                    step,
                    client_id,
                    ctx.now,
                    SAME_CLIENT_WINDOW,
                    forget_before,
                )
                .await?;
            if used == StepUse::Reused {
                return Err(
                    DomainError::field(ErrorCode::SecondFactorReused, "second_factor").into(),
                );
            }
            true
        }
        SecondFactorAnswer::RecoveryCode(hash) => {
            ctx.tx
                .use_second_factor_recovery_code(&user.id, &hash, ctx.now)
                .await?
        }
        SecondFactorAnswer::Wrong => false,
    };
    if !accepted {
        return Err(DomainError::field(ErrorCode::SecondFactorWrong, "second_factor").into());
    }
    ctx.tx.clear_second_factor_failures(&user.id).await?;
    Ok(())
}

/// Why an account's second factor could not be set up, confirmed or turned off.
#[derive(Debug, thiserror::Error)]
pub enum AccountRefusal {
    /// A refusal with its catalogue code and sentence.
    #[error("{0}")]
    Refused(DomainError),
    /// Storage failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<DomainError> for AccountRefusal {
    fn from(e: DomainError) -> Self {
        AccountRefusal::Refused(e)
    }
}

fn refusal(code: ErrorCode) -> AccountRefusal {
    AccountRefusal::Refused(DomainError::field(code, "code"))
}

/// The client id recorded for the codes used to set up or turn off (no PC's outbox).
const ACCOUNT_CLIENT: &str = "compte";

async fn audit(
    db: &Database,
    user: &UserRow,
    action: &str,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut tx = db.write().await?;
    tx.append_audit(&AuditInput {
        at,
        actor: user.id.clone(),
        action: action.to_string(),
        record_kind: None,
        record_id: None,
        details: json!({"username": user.username}),
    })
    .await?;
    tx.commit().await
}

/// Starts setting up the second factor of `user`: a new secret, for the authenticator
/// application. Nothing changes for the account until a code from it is confirmed; asking
/// again gives a new secret.
pub async fn start_setup(
    db: &Database,
    user: &UserRow,
) -> Result<SecondFactorSetup, AccountRefusal> {
    let secret = new_secret();
    if !db.start_second_factor(&user.id, &secret).await? {
        return Err(refusal(ErrorCode::SecondFactorAlreadyOn));
    }
    setup_of(&secret, &user.username)
        .ok_or_else(|| AccountRefusal::Db(DbError::Corrupt("secret of a second factor".into())))
}

/// Turns the second factor on with the application's code of `now` (a recovery code does not
/// exist yet); answers the recovery codes, to show once.
pub async fn confirm_setup(
    db: &Database,
    user: &UserRow,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, AccountRefusal> {
    if user.second_factor_on_at.is_some() {
        return Err(refusal(ErrorCode::SecondFactorAlreadyOn));
    }
    if user.second_factor_secret.is_none() {
        return Err(refusal(ErrorCode::SecondFactorNotOn));
    }
    lock_of(user, now)?;
    // Only the application's code proves the secret was entered: no recovery code exists yet.
    let SecondFactorAnswer::Step(step) = answer_of(user, typed, now)? else {
        db.use_second_factor_outside_acts(&user.id, SecondFactorAnswer::Wrong, ACCOUNT_CLIENT, now)
            .await?;
        return Err(refusal(ErrorCode::SecondFactorWrong));
    };
    let (shown, stored) = new_recovery_codes(&user.id);
    if !db
        .confirm_second_factor(&user.id, step, ACCOUNT_CLIENT, &stored, now)
        .await?
    {
        return Err(refusal(ErrorCode::SecondFactorNotOn));
    }
    audit(db, user, "account.second_factor_on", now).await?;
    Ok(shown)
}

/// Turns the second factor off with a code or a recovery code. The centrale's staff keep it
/// (`centrale_domain::second_factor::required_for`).
pub async fn turn_off(
    db: &Database,
    user: &UserRow,
    role: centrale_domain::role::Role,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountRefusal> {
    if rules::required_for(role) {
        return Err(refusal(ErrorCode::SecondFactorStaysOn));
    }
    if user.second_factor_on_at.is_none() {
        return Err(refusal(ErrorCode::SecondFactorNotOn));
    }
    lock_of(user, now)?;
    let answer = answer_of(user, typed, now)?;
    match db
        .use_second_factor_outside_acts(&user.id, answer, ACCOUNT_CLIENT, now)
        .await?
    {
        SecondFactorUse::Accepted => {}
        SecondFactorUse::Reused => return Err(refusal(ErrorCode::SecondFactorReused)),
        SecondFactorUse::Wrong => return Err(refusal(ErrorCode::SecondFactorWrong)),
    }
    db.turn_off_second_factor(&user.id).await?;
    audit(db, user, "account.second_factor_off", now).await?;
    Ok(())
}

/// Counts a wrong code of the acting account (after the refused act's rollback).
pub async fn count_wrong_code(ctx: &mut Ctx<'_>) -> Result<(), EngineError> {
    ctx.tx
        .count_second_factor_failure(&ctx.actor.user_id, ctx.now)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", last six digits.
        let secret = encoded(b"12345678901234567890".to_vec());
        let at = |s| Utc.timestamp_opt(s, 0).unwrap();
        assert_eq!(code_at(&secret, at(59)), "287082");
        assert_eq!(code_at(&secret, at(1_111_111_109)), "081804");
        assert_eq!(code_at(&secret, at(1_234_567_890)), "005924");
        assert_eq!(code_at(&secret, at(2_000_000_000)), "279037");
    }

    #[test]
    fn a_code_matches_its_step_and_one_either_side() {
        let secret = new_secret();
        let t = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 10).unwrap();
        let code = code_at(&secret, t);
        assert_eq!(matching_step(&secret, &code, t), Some(step_of(t)));
        assert_eq!(
            matching_step(&secret, &code, t + Duration::seconds(30)),
            Some(step_of(t))
        );
        assert_eq!(
            matching_step(&secret, &code, t + Duration::seconds(90)),
            None
        );
        assert_ne!(demo_secret("centrale"), demo_secret("dg.84009"));
    }

    #[test]
    fn the_setup_names_the_account_and_draws_the_address() {
        let secret = demo_secret("centrale");
        let setup = setup_of(&secret, "centrale").unwrap();
        assert!(setup
            .otpauth_uri
            .starts_with("otpauth://totp/Centrale:centrale?"));
        assert!(setup.qr_svg.contains("<svg"));
        assert_eq!(setup.secret.replace(' ', ""), secret);
        let (shown, stored) = new_recovery_codes("u1");
        assert_eq!(shown.len(), rules::RECOVERY_CODES);
        let TypedCode::Recovery(first) = parse_code(&shown[0]).unwrap() else {
            panic!("a recovery code reads as one");
        };
        assert_eq!(recovery_hash("u1", &first), stored[0]);
    }
}
