//! What providers type, read the Belgian way: amounts `1 234,56` into integer cents (the
//! domain's parser, the desktop app's too), dates `dd/mm/yyyy`; and numbers written back the
//! same way. Never floats.

use centrale_domain::money::{AmountError, Cents};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Why a typed amount or date cannot be read; the message is French, without the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing typed.
    #[error("Indiquez un montant, par exemple 1 234,56.")]
    MissingAmount,
    /// Not an amount written the Belgian way.
    #[error("« {0} » n'est pas un montant lisible. Écrivez les euros, puis une virgule et les centimes, par exemple 1 234,56.")]
    UnreadableAmount(String),
    /// A minus sign.
    #[error("Un montant ne peut pas être négatif.")]
    NegativeAmount,
    /// Above ten million euros.
    #[error("Ce montant est trop élevé (10 000 000,00 € au plus).")]
    AmountTooHigh,
    /// Not a date `dd/mm/yyyy`.
    #[error(
        "« {0} » n'est pas une date lisible. Écrivez-la jour/mois/année, par exemple 15/01/2027."
    )]
    UnreadableDate(String),
}

impl InputError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::MissingAmount => "amount_missing",
            InputError::UnreadableAmount(_) => "amount_unreadable",
            InputError::NegativeAmount => "amount_negative",
            InputError::AmountTooHigh => "amount_too_high",
            InputError::UnreadableDate(_) => "date_unreadable",
        }
    }
}

/// Reads an amount in euros typed as in Belgium (`1 234,56`, `1.234,56`, `1234.56`, `950 €`)
/// with the one parser the desktop app also holds to: [`centrale_domain::money::parse_euros`].
pub fn parse_euros(input: &str) -> Result<Cents, InputError> {
    centrale_domain::money::parse_euros(input).map_err(|e| match e {
        AmountError::Missing => InputError::MissingAmount,
        AmountError::Unreadable => InputError::UnreadableAmount(input.trim().to_string()),
        AmountError::Negative => InputError::NegativeAmount,
        AmountError::TooHigh => InputError::AmountTooHigh,
    })
}

/// Writes cents as the form shows them back: `4 200,00` (no currency sign, plain spaces).
pub fn cents_for_input(cents: Cents) -> String {
    cents
        .format()
        .trim_end_matches('€')
        .trim_end_matches('\u{a0}')
        .replace('\u{202f}', " ")
}

/// Reads a date typed as `dd/mm/yyyy` (or `yyyy-mm-dd`, what a date picker sends).
pub fn parse_date(input: &str) -> Result<NaiveDate, InputError> {
    let text = input.trim();
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .map_err(|_| InputError::UnreadableDate(text.to_string()))
}

/// A score or quantity with a decimal comma: `42,5`, `9`.
pub fn decimal_fr(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

/// A score with its two decimals, as the app and the documents write it: `64,50`.
pub fn points_fr(value: Decimal) -> String {
    format!("{:.2}", value.round_dp(2)).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn belgian_amounts_become_cents() {
        for (text, cents) in [
            ("1 234,56", 123_456),
            ("1\u{202f}234,56 €", 123_456),
            ("1.234,56", 123_456),
            ("1234,5", 123_450),
            ("950", 95_000),
            ("0,05", 5),
            ("4 200,00 EUR", 420_000),
            ("007", 700),
            ("0", 0),
            // A numeric keypad's dot before one or two final digits is a decimal point.
            ("12500.50", 1_250_050),
            ("12.50", 1_250),
        ] {
            assert_eq!(parse_euros(text), Ok(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn unreadable_amounts_are_explained_in_french() {
        for text in [
            "1,234,56", "12,345", "abc", "1 2,3x", ",", "1.23,00", "1.2345",
        ] {
            let err = parse_euros(text).unwrap_err().to_string();
            assert!(err.contains("montant"), "{text}: {err}");
        }
        assert_eq!(parse_euros("-5").unwrap_err().code(), "amount_negative");
        assert!(parse_euros("   ")
            .unwrap_err()
            .to_string()
            .contains("Indiquez"));
        assert!(parse_euros("99999999999999999999")
            .unwrap_err()
            .to_string()
            .contains("trop élevé"));
        assert!(parse_euros("10 000 001")
            .unwrap_err()
            .to_string()
            .contains("trop élevé"));
    }

    #[test]
    fn inputs_round_trip() {
        assert_eq!(cents_for_input(Cents(420_000)), "4 200,00");
        assert_eq!(
            parse_euros(&cents_for_input(Cents(123_456))),
            Ok(Cents(123_456))
        );
    }

    #[test]
    fn dates_and_decimals() {
        let d = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        assert_eq!(parse_date("15/01/2027"), Ok(d));
        assert_eq!(parse_date("2027-01-15"), Ok(d));
        assert!(parse_date("31/02/2027")
            .unwrap_err()
            .to_string()
            .contains("jour/mois/année"));
        assert_eq!(decimal_fr(dec!(42.50)), "42,5");
        assert_eq!(decimal_fr(dec!(9)), "9");
        assert_eq!(points_fr(dec!(64.5)), "64,50");
        assert_eq!(points_fr(dec!(57.806)), "57,81");
    }
}
