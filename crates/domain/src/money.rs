//! Money in integer cents, VAT rates in decimal percent. Never floats.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;
use crate::DomainError;

/// An amount in euro cents (may be negative only in intermediate arithmetic).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    /// Zero euros.
    pub const ZERO: Cents = Cents(0);

    /// Adds, refusing overflow (amounts come from users).
    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    /// The amount as a decimal number of euros.
    pub fn to_euros(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// `unit × quantity`, rounded half away from zero to the cent.
    pub fn times(self, quantity: Decimal) -> Option<Cents> {
        let value = Decimal::from(self.0).checked_mul(quantity)?;
        value
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_i64()
            .map(Cents)
    }

    /// Belgian format: `1 234,56 €` (narrow no-break space for thousands).
    pub fn format(self) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let euros = abs / 100;
        let cents = abs % 100;
        let digits = euros.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(ch);
        }
        format!(
            "{}{},{:02}\u{a0}€",
            if negative { "-" } else { "" },
            grouped,
            cents
        )
    }
}

/// A VAT rate in percent (21 for 21 %).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
#[schema(value_type = String, example = "21")]
pub struct VatRate(
    // Read exactly: a JSON string or integer, never a float.
    #[serde(deserialize_with = "crate::exact::decimal")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub Decimal,
);

impl VatRate {
    /// The Belgian standard rate, 21 %.
    pub fn standard() -> VatRate {
        VatRate(Decimal::from(21))
    }

    /// Checks the rate is one of the Belgian rates (0, 6, 12, 21).
    pub fn validate(self, field: &str) -> Result<(), DomainError> {
        let allowed = [0, 6, 12, 21].map(Decimal::from);
        if allowed.contains(&self.0) {
            Ok(())
        } else {
            Err(DomainError::field(ErrorCode::VatRateInvalid, field)
                .with("rate", self.0.to_string())
                .with("allowed", [0, 6, 12, 21]))
        }
    }

    /// VAT due on an amount, rounded half away from zero to the cent.
    pub fn vat_on(self, excl_vat: Cents) -> Cents {
        let vat = Decimal::from(excl_vat.0) * self.0 / Decimal::from(100);
        Cents(
            vat.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_i64()
                .unwrap_or(i64::MAX),
        )
    }
}

/// An amount both excluding and including VAT, as the users want to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Amount {
    /// Excluding VAT (HTVA).
    pub excl_vat: Cents,
    /// The VAT itself.
    pub vat: Cents,
    /// Including VAT (TVAC).
    pub incl_vat: Cents,
}

impl Amount {
    /// Builds the amount of `excl_vat` at `rate`.
    pub fn at_rate(excl_vat: Cents, rate: VatRate) -> Amount {
        let vat = rate.vat_on(excl_vat);
        Amount {
            excl_vat,
            vat,
            incl_vat: Cents(excl_vat.0.saturating_add(vat.0)),
        }
    }

    /// Sum of two amounts (VAT is computed per line, then summed, as on an invoice).
    pub fn plus(self, other: Amount) -> Amount {
        Amount {
            excl_vat: Cents(self.excl_vat.0.saturating_add(other.excl_vat.0)),
            vat: Cents(self.vat.0.saturating_add(other.vat.0)),
            incl_vat: Cents(self.incl_vat.0.saturating_add(other.incl_vat.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn formats_belgian_style() {
        assert_eq!(Cents(123456).format(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Cents(5).format(), "0,05\u{a0}€");
        assert_eq!(
            Cents(100_000_000).format(),
            "1\u{202f}000\u{202f}000,00\u{a0}€"
        );
        assert_eq!(Cents(-250).format(), "-2,50\u{a0}€");
    }

    #[test]
    fn vat_rounds_half_away_from_zero() {
        // 21 % of 0,50 € = 0,105 € -> 0,11 €
        assert_eq!(VatRate::standard().vat_on(Cents(50)), Cents(11));
        assert_eq!(VatRate::standard().vat_on(Cents(10000)), Cents(2100));
        let a = Amount::at_rate(Cents(1250), VatRate::standard());
        assert_eq!(a.incl_vat, Cents(1513));
    }

    #[test]
    fn times_rounds_to_cent() {
        assert_eq!(Cents(333).times(dec!(1.5)), Some(Cents(500)));
        assert_eq!(Cents(1000).times(dec!(12)), Some(Cents(12000)));
        assert_eq!(Cents(i64::MAX).times(dec!(2)), None);
    }

    #[test]
    fn only_belgian_vat_rates() {
        assert!(VatRate(dec!(21)).validate("vat").is_ok());
        assert!(VatRate(dec!(6)).validate("vat").is_ok());
        let err = VatRate(dec!(19)).validate("vat").unwrap_err();
        assert_eq!(err.code(), "vat_rate_invalid");
        assert_eq!(err.params()["allowed"], serde_json::json!([0, 6, 12, 21]));
    }
}
