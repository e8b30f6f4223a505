//! The second factor (issue 17 point 9): which acts ask for a one-time code, which accounts
//! must have one, and the checks of what a person types. The code itself (TOTP, RFC 6238:
//! HMAC-SHA1, 30-second steps, six digits) is computed by the server only: the secret never
//! leaves it, so a commune's PC cannot check a code — it sends the code with the act and the
//! server decides when the act arrives.
//!
//! An act signed offline carries the code and the PC's clock at the moment it was typed. The
//! server accepts the code for that moment (one step either side), provided the moment is no
//! older than [`OFFLINE_VALIDITY_HOURS`] and not ahead of the server's clock; a code serves
//! once per account. Only the holder of the secret can make a code for any moment, so a stolen
//! laptop still cannot sign; an arrival later than the validity is refused and the act is
//! made again with a new code (explained in `SECURITY.md`).

use chrono::{DateTime, Duration, Utc};

use crate::error::{DomainError, ErrorCode};
use crate::permission::Act;
use crate::role::Role;

/// A code changes every 30 seconds (RFC 6238's default step).
pub const STEP_SECS: i64 = 30;
/// A code has six digits (what every authenticator application shows).
pub const CODE_DIGITS: usize = 6;
/// A code is accepted one step before or after the moment it was typed (clock drift of the
/// phone or the PC).
pub const SKEW_STEPS: i64 = 1;
/// An act signed offline must reach the server within a week of its code.
pub const OFFLINE_VALIDITY_HOURS: i64 = 7 * 24;
/// A PC's clock may be this far ahead of the server's before a code typed on it is refused.
pub const CLOCK_AHEAD_TOLERANCE_SECS: i64 = 5 * 60;
/// Recovery codes given when the second factor is turned on (each serves once, in place of a
/// code, when the phone is lost).
pub const RECOVERY_CODES: usize = 10;
/// A recovery code: eight characters, shown as two groups of four (`K7MZ-Q2XH`).
pub const RECOVERY_CODE_CHARS: usize = 8;
/// The characters of a recovery code: no 0/O, 1/I/L, to be read back from paper.
pub const RECOVERY_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Wrong codes allowed before the account waits (30 s doubling to 15 minutes, as for
/// passwords).
pub const FREE_FAILURES: u32 = 5;

/// The acts that sign, award, countersign or submit an offer: they carry a code when the
/// account has a second factor (issue 17 point 9). Besides the convention's signatures, the
/// award and the offer: the notice of termination (signed by both signatories, convention
/// art. 12), the purchase order (the signed call-off contract) and the acceptance report
/// (the « réception » the commune signs: AR 14 January 2013 on the rules of execution
/// [verify: the article on the acceptance of services]).
pub fn signs(act: Act) -> bool {
    matches!(
        act,
        Act::SignAdhesion
            | Act::CountersignAdhesion
            | Act::TerminateAdhesion
            | Act::AwardOrder
            | Act::DirectAwardOrder
            | Act::IssuePurchaseOrder
            | Act::AcceptOrder
            | Act::SubmitOffer
            | Act::SubmitPooledOffer
    )
}

/// The centrale's staff must have a second factor: they countersign every commune's adhesion.
pub fn required_for(role: Role) -> bool {
    role == Role::CentraleStaff
}

/// Whether `act` by an account of `role` asks for a code, given whether the account has a
/// second factor.
pub fn asked_for(act: Act, role: Role, enrolled: bool) -> bool {
    signs(act) && (enrolled || required_for(role))
}

/// What a person typed where a code is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypedCode {
    /// Six digits from the authenticator application.
    OneTime(String),
    /// A recovery code, upper case, without its dash.
    Recovery(String),
}

/// Reads a typed code: six digits (spaces allowed, as some applications show `123 456`), or a
/// recovery code (`k7mz-q2xh` as well as `K7MZQ2XH`).
pub fn parse_code(input: &str) -> Result<TypedCode, DomainError> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.len() == CODE_DIGITS && compact.chars().all(|c| c.is_ascii_digit()) {
        return Ok(TypedCode::OneTime(compact));
    }
    let upper = compact.to_ascii_uppercase();
    if upper.chars().count() == RECOVERY_CODE_CHARS
        && upper.chars().all(|c| RECOVERY_ALPHABET.contains(c))
    {
        return Ok(TypedCode::Recovery(upper));
    }
    Err(
        DomainError::field(ErrorCode::SecondFactorCodeMalformed, "second_factor")
            .with("digits", CODE_DIGITS as i64),
    )
}

/// The 30-second step an instant falls in.
pub fn step_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECS)
}

/// Checks the moment a code was typed against the server's clock: not older than the offline
/// validity, not ahead of the server.
pub fn check_typed_at(typed_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), DomainError> {
    if typed_at > now + Duration::seconds(CLOCK_AHEAD_TOLERANCE_SECS) {
        return Err(DomainError::rule(ErrorCode::SecondFactorClockAhead)
            .with("typed_at", typed_at.to_rfc3339())
            .with("server_time", now.to_rfc3339()));
    }
    if now - typed_at > Duration::hours(OFFLINE_VALIDITY_HOURS) {
        return Err(DomainError::rule(ErrorCode::SecondFactorExpired)
            .with("typed_at", typed_at.to_rfc3339())
            .with("validity_days", OFFLINE_VALIDITY_HOURS / 24));
    }
    Ok(())
}

/// Formats a recovery code for reading (`K7MZ-Q2XH`).
pub fn display_recovery_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn only_the_acts_that_commit_the_commune_or_the_provider_ask_for_a_code() {
        for act in [
            Act::SignAdhesion,
            Act::CountersignAdhesion,
            Act::TerminateAdhesion,
            Act::AwardOrder,
            Act::DirectAwardOrder,
            Act::IssuePurchaseOrder,
            Act::AcceptOrder,
            Act::SubmitOffer,
        ] {
            assert!(signs(act), "{act:?}");
            assert!(asked_for(act, Role::Mayor, true));
            assert!(!asked_for(act, Role::Mayor, false));
            assert!(asked_for(act, Role::CentraleStaff, false));
        }
        for act in [
            Act::CreateOrderDraft,
            Act::SubmitOrder,
            Act::EvaluateOffers,
            Act::UpdateMilestone,
        ] {
            assert!(!signs(act), "{act:?}");
            assert!(!asked_for(act, Role::CentraleStaff, true));
        }
    }

    #[test]
    fn only_the_centrales_staff_must_have_one() {
        assert!(required_for(Role::CentraleStaff));
        for role in [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::ProviderUser,
        ] {
            assert!(!required_for(role));
        }
    }

    #[test]
    fn typed_codes_are_read_as_people_type_them() {
        assert_eq!(
            parse_code(" 123 456 ").unwrap(),
            TypedCode::OneTime("123456".into())
        );
        assert_eq!(
            parse_code("k7mz-q2xh").unwrap(),
            TypedCode::Recovery("K7MZQ2XH".into())
        );
        for bad in ["", "12345", "1234567", "12a456", "K7MZ-Q2X0", "K7MZ-Q2XHH"] {
            let e = parse_code(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::SecondFactorCodeMalformed, "{bad}");
        }
    }

    #[test]
    fn a_code_typed_offline_holds_a_week_and_never_ahead_of_the_server() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
        assert!(check_typed_at(now - Duration::hours(OFFLINE_VALIDITY_HOURS), now).is_ok());
        assert!(check_typed_at(now + Duration::seconds(CLOCK_AHEAD_TOLERANCE_SECS), now).is_ok());
        let old = check_typed_at(
            now - Duration::hours(OFFLINE_VALIDITY_HOURS) - Duration::seconds(1),
            now,
        )
        .unwrap_err();
        assert_eq!(old.code(), ErrorCode::SecondFactorExpired);
        let ahead = check_typed_at(now + Duration::seconds(CLOCK_AHEAD_TOLERANCE_SECS + 1), now)
            .unwrap_err();
        assert_eq!(ahead.code(), ErrorCode::SecondFactorClockAhead);
    }

    #[test]
    fn steps_are_thirty_seconds() {
        let at = Utc.timestamp_opt(59, 0).unwrap();
        assert_eq!(step_of(at), 1);
        assert_eq!(step_of(Utc.timestamp_opt(60, 0).unwrap()), 2);
        assert_eq!(display_recovery_code("K7MZQ2XH"), "K7MZ-Q2XH");
    }
}
