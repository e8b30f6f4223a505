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

/// Why a typed amount cannot be read. `code()` is stable: the portal's forms and the desktop
/// UI's parser (`ui/src/screens/orders/numbers.ts`, checked against [`AMOUNT_EXAMPLES`]) refuse
/// with the same codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing typed.
    #[error("Indiquez un montant, par exemple 1 234,56.")]
    Missing,
    /// Not an amount written the Belgian way.
    #[error("Ce montant n'est pas lisible. Écrivez les euros, puis une virgule et les centimes, par exemple 1 234,56.")]
    Unreadable,
    /// A minus sign.
    #[error("Un montant ne peut pas être négatif.")]
    Negative,
    /// Above [`crate::limits::AMOUNT_MAX_CENTS`].
    #[error("Ce montant est trop élevé (10 000 000,00 € au plus).")]
    TooHigh,
}

impl AmountError {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            AmountError::Missing => "amount_missing",
            AmountError::Unreadable => "amount_unreadable",
            AmountError::Negative => "amount_negative",
            AmountError::TooHigh => "amount_too_high",
        }
    }
}

/// Reads an amount in euros as a person types it in Belgium, into cents, without floats.
///
/// - The comma is the decimal mark, with one or two digits after it: `12 500,50`, `12500,5`.
/// - Spaces of any kind (normal, no-break, narrow no-break, thin) group thousands and are
///   ignored: `12 500,50`, `12 500,50`.
/// - A dot between groups of exactly three digits groups thousands: `12.500,50`, `1.234.567`,
///   `12.500` (twelve thousand five hundred).
/// - With no comma, a dot followed by one or two final digits is a decimal point:
///   `12500.50`, `12.5`. Belgian numeric keypads type a dot, and nobody groups thousands with
///   a dot before two digits, so the reading is never in doubt.
/// - A trailing `€`, `EUR` or `euros` is allowed; a minus sign is refused (`amount_negative`);
///   at most [`crate::limits::AMOUNT_MAX_CENTS`].
pub fn parse_euros(input: &str) -> Result<Cents, AmountError> {
    let mut text = input.trim();
    for suffix in ["euros", "euro", "eur", "€"] {
        let cut = text.len().saturating_sub(suffix.len());
        if text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix) {
            text = text[..cut].trim_end();
            break;
        }
    }
    let s: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err(AmountError::Missing);
    }
    if s.starts_with('-') {
        return Err(AmountError::Negative);
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    // Digits grouped by dots: 1 to 3 digits, then groups of exactly 3.
    let dot_grouped = |t: &str| {
        let mut groups = t.split('.');
        let first = groups.next().unwrap_or("");
        digits(first)
            && first.len() <= 3
            && t.contains('.')
            && groups.all(|g| g.len() == 3 && digits(g))
    };
    let (whole, fraction): (String, &str) = if let Some((w, f)) = s.split_once(',') {
        if !digits(f) || f.len() > 2 {
            return Err(AmountError::Unreadable);
        }
        if digits(w) {
            (w.to_string(), f)
        } else if dot_grouped(w) {
            (w.replace('.', ""), f)
        } else {
            return Err(AmountError::Unreadable);
        }
    } else if dot_grouped(&s) {
        (s.replace('.', ""), "")
    } else if let Some((w, f)) = s.split_once('.') {
        if !digits(w) || !digits(f) || f.len() > 2 {
            return Err(AmountError::Unreadable);
        }
        (w.to_string(), f)
    } else if digits(&s) {
        (s.clone(), "")
    } else {
        return Err(AmountError::Unreadable);
    };
    let whole = whole.trim_start_matches('0');
    // More digits than the largest amount has: too high, before any arithmetic.
    if whole.len() > 12 {
        return Err(AmountError::TooHigh);
    }
    let euros: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| AmountError::Unreadable)?
    };
    let cents: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| AmountError::Unreadable)?;
    let total = euros * 100 + cents;
    if total > crate::limits::AMOUNT_MAX_CENTS {
        return Err(AmountError::TooHigh);
    }
    Ok(Cents(total))
}

/// The typed amounts both parsers are held to: the desktop UI's vitest runs its parser over
/// each with the answer [`parse_euros`] gives (`ui/src/bindings/vectors.ts`, generated).
pub const AMOUNT_EXAMPLES: &[&str] = &[
    "12 500,50",
    "12\u{202f}500,50",
    "12\u{a0}500,50",
    "12\u{2009}500,50",
    "12.500,50",
    "12500,50",
    "12500,5",
    "12500",
    "12500.50",
    "12500.5",
    "12.50",
    "0.07",
    "12.500",
    "1.234.567",
    "1.234.567,89",
    "1 234 567,89",
    "12 500,50 €",
    "12 500,50€",
    "4 200,00 EUR",
    "4 200 euros",
    "0,05",
    "0",
    "007",
    "10 000 000,00",
    "",
    "   ",
    "€",
    "-5",
    "-12,50",
    "12,505",
    "12,",
    ",50",
    "12,5,0",
    "1,234,56",
    "1.2345",
    "1.23,00",
    "12.5.0",
    "12.500.5",
    "1 2,3x",
    "douze",
    "+5",
    "0x10",
    "1e3",
    "10 000 000,01",
    "99999999999999999999",
];

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// One parser for the portal and the desktop app: what a Belgian user types.
    #[test]
    fn belgian_typed_amounts_become_cents() {
        for (text, cents) in [
            ("12 500,50", 1_250_050),
            ("12\u{202f}500,50", 1_250_050),
            ("12\u{a0}500,50", 1_250_050),
            ("12.500,50", 1_250_050),
            ("12500,50", 1_250_050),
            ("12500,5", 1_250_050),
            ("12500", 1_250_000),
            ("12 500,50 €", 1_250_050),
            ("4 200,00 EUR", 420_000),
            ("4 200 euros", 420_000),
            ("0,05", 5),
            ("007", 700),
            ("0", 0),
            ("1.234.567,89", 123_456_789),
            ("10 000 000,00", 1_000_000_000),
        ] {
            assert_eq!(parse_euros(text), Ok(Cents(cents)), "{text}");
        }
    }

    /// The decided case: with no comma, a dot before one or two final digits is a decimal
    /// point (a numeric keypad's), a dot before groups of three digits groups thousands.
    #[test]
    fn a_dot_is_a_decimal_point_before_two_digits_and_a_separator_before_three() {
        assert_eq!(parse_euros("12500.50"), Ok(Cents(1_250_050)));
        assert_eq!(parse_euros("12.50"), Ok(Cents(1_250)));
        assert_eq!(parse_euros("12.5"), Ok(Cents(1_250)));
        assert_eq!(parse_euros("12.500"), Ok(Cents(1_250_000)));
        assert_eq!(parse_euros("1.234.567"), Ok(Cents(123_456_700)));
        assert_eq!(parse_euros("1.2345"), Err(AmountError::Unreadable));
        assert_eq!(parse_euros("12.500.5"), Err(AmountError::Unreadable));
    }

    #[test]
    fn unreadable_negative_and_too_high_amounts_are_refused_with_their_code() {
        for text in [
            "12,505", "12,", ",50", "12,5,0", "1,234,56", "1.23,00", "1 2,3x", "douze", "+5", "1e3",
        ] {
            assert_eq!(parse_euros(text), Err(AmountError::Unreadable), "{text}");
        }
        assert_eq!(parse_euros("  ").unwrap_err().code(), "amount_missing");
        assert_eq!(parse_euros("€"), Err(AmountError::Missing));
        assert_eq!(parse_euros("-5").unwrap_err().code(), "amount_negative");
        assert_eq!(
            parse_euros("10 000 000,01").unwrap_err().code(),
            "amount_too_high"
        );
        assert_eq!(
            parse_euros("99999999999999999999"),
            Err(AmountError::TooHigh)
        );
    }

    #[test]
    fn every_example_has_an_answer_and_formatted_amounts_read_back() {
        for text in AMOUNT_EXAMPLES {
            let _ = parse_euros(text);
        }
        for cents in [0, 5, 1_250_050, 123_456_789, 1_000_000_000] {
            let shown = Cents(cents).format();
            assert_eq!(parse_euros(&shown), Ok(Cents(cents)), "{shown}");
        }
    }

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
