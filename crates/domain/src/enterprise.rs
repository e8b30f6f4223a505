//! Belgian enterprise numbers (BCE/KBO): ten digits whose last two are a mod-97 check.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::DomainError;

/// A validated enterprise number, stored as ten digits (`0123456749`), shown as `0123.456.749`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "0123.456.749")]
pub struct EnterpriseNumber(String);

impl EnterpriseNumber {
    /// Parses `0123.456.749`, `0123456749`, `BE0123456749` or `BE 0123 456 749`.
    pub fn parse(input: &str) -> Result<EnterpriseNumber, DomainError> {
        EnterpriseNumber::check(input).map_err(|fault| {
            let code = match fault {
                EnterpriseNumberFault::Length => ErrorCode::EnterpriseNumberLength,
                EnterpriseNumberFault::FirstDigit => ErrorCode::EnterpriseNumberPrefix,
                EnterpriseNumberFault::CheckDigits => ErrorCode::EnterpriseNumberChecksum,
            };
            DomainError::field(code, "enterprise_number").with("value", input.trim())
        })
    }

    /// The check itself, saying which part is wrong: an optional `BE` (any case), then ten
    /// digits (dots, hyphens and spaces of any kind ignored), the first 0 or 1, the last two
    /// 97 − (the first eight mod 97). The desktop UI's check
    /// (`ui/src/screens/centrale/catalogueAdmin/rules.ts`) is held to it by the vectors of
    /// [`ENTERPRISE_NUMBER_EXAMPLES`].
    pub fn check(input: &str) -> Result<EnterpriseNumber, EnterpriseNumberFault> {
        let trimmed = input.trim();
        let without_country = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => &trimmed[2..],
            _ => trimmed,
        };
        let digits: String = without_country
            .chars()
            .filter(|c| !(matches!(c, '.' | '-') || c.is_whitespace()))
            .collect();
        if digits.len() != 10 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(EnterpriseNumberFault::Length);
        }
        if !(digits.starts_with('0') || digits.starts_with('1')) {
            return Err(EnterpriseNumberFault::FirstDigit);
        }
        let body: u64 = digits[..8]
            .parse()
            .map_err(|_| EnterpriseNumberFault::Length)?;
        let check: u64 = digits[8..]
            .parse()
            .map_err(|_| EnterpriseNumberFault::Length)?;
        if 97 - body % 97 != check {
            return Err(EnterpriseNumberFault::CheckDigits);
        }
        Ok(EnterpriseNumber(digits))
    }

    /// The ten digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `0123.456.749`.
    pub fn formatted(&self) -> String {
        format!("{}.{}.{}", &self.0[..4], &self.0[4..7], &self.0[7..])
    }
}

/// Which part of a typed enterprise number is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterpriseNumberFault {
    /// Not ten digits (letters, too few, too many, nothing).
    Length,
    /// Not starting with 0 or 1.
    FirstDigit,
    /// The mod-97 check digits do not match.
    CheckDigits,
}

impl EnterpriseNumberFault {
    /// Stable code (the UI's `reason`).
    pub fn code(self) -> &'static str {
        match self {
            EnterpriseNumberFault::Length => "length",
            EnterpriseNumberFault::FirstDigit => "first_digit",
            EnterpriseNumberFault::CheckDigits => "check",
        }
    }
}

/// The typed enterprise numbers both checks are held to (see [`EnterpriseNumber::check`]).
pub const ENTERPRISE_NUMBER_EXAMPLES: &[&str] = &[
    "0123.456.749",
    "0123456749",
    "BE0123456749",
    "be0123456749",
    "Be 0123 456 749",
    "BE 0123 456 749",
    "0123-456-749",
    "0123\u{a0}456\u{202f}749",
    "  0403.170.701  ",
    "0202.239.951",
    "1000.000.097",
    "0123.456.748",
    "0123.456.750",
    "123456749",
    "01234567490",
    "0123.45A.749",
    "2123.456.749",
    "9999.999.999",
    "BE",
    "FR0123456749",
    "0123/456/749",
    "",
];

impl TryFrom<String> for EnterpriseNumber {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EnterpriseNumber::parse(&value)
    }
}

impl From<EnterpriseNumber> for String {
    fn from(value: EnterpriseNumber) -> Self {
        value.formatted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_numbers_in_every_notation() {
        // 01234567 mod 97 = 48 -> check 49
        for input in [
            "0123.456.749",
            "0123456749",
            "BE0123456749",
            "BE 0123 456 749",
        ] {
            let n = EnterpriseNumber::parse(input).unwrap();
            assert_eq!(n.formatted(), "0123.456.749");
        }
    }

    #[test]
    fn refuses_bad_check_digits_length_and_letters() {
        for input in [
            "0123.456.748",
            "123456749",
            "01234567490",
            "0123.45A.749",
            "2123.456.749",
            "",
        ] {
            let err = EnterpriseNumber::parse(input).unwrap_err();
            assert!(
                err.code().as_str().starts_with("enterprise_number_"),
                "{input}"
            );
            assert!(err.to_string().contains("numéro d'entreprise"));
        }
    }

    #[test]
    fn the_check_says_which_part_is_wrong() {
        let fault = |s: &str| EnterpriseNumber::check(s).unwrap_err().code();
        assert_eq!(fault("0123.456.748"), "check");
        assert_eq!(fault("2123.456.749"), "first_digit");
        assert_eq!(fault("0123.45A.749"), "length");
        assert_eq!(fault(""), "length");
        assert_eq!(fault("FR0123456749"), "length");
        for ok in [
            "be0123456749",
            "Be 0123 456 749",
            "0123\u{a0}456\u{202f}749",
        ] {
            assert_eq!(
                EnterpriseNumber::check(ok).map(|n| n.formatted()),
                Ok("0123.456.749".to_string()),
                "{ok}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_computed_check_is_accepted(body in 0u64..20_000_000) {
            let digits = format!("{:08}{:02}", body, 97 - body % 97);
            prop_assert!(EnterpriseNumber::parse(&digits).is_ok());
            let wrong = format!("{:08}{:02}", body, (97 - body % 97) % 97 + 1);
            if wrong != digits { prop_assert!(EnterpriseNumber::parse(&wrong).is_err()); }
        }
    }
}
