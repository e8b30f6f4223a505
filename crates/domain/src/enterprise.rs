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
        let trimmed = input.trim();
        let without_country = trimmed
            .strip_prefix("BE")
            .or_else(|| trimmed.strip_prefix("be"))
            .unwrap_or(trimmed);
        let digits: String = without_country
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '-'))
            .collect();
        let invalid = |code: ErrorCode| {
            DomainError::field(code, "enterprise_number").with("value", input.trim())
        };
        if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(ErrorCode::EnterpriseNumberLength));
        }
        if !(digits.starts_with('0') || digits.starts_with('1')) {
            return Err(invalid(ErrorCode::EnterpriseNumberPrefix));
        }
        let body: u64 = digits[..8]
            .parse()
            .map_err(|_| invalid(ErrorCode::EnterpriseNumberLength))?;
        let check: u64 = digits[8..]
            .parse()
            .map_err(|_| invalid(ErrorCode::EnterpriseNumberLength))?;
        if 97 - body % 97 != check {
            return Err(invalid(ErrorCode::EnterpriseNumberChecksum));
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
