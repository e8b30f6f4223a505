//! What providers type, read the Belgian way: amounts `1 234,56` (comma for cents, space or
//! dot between thousands) into integer cents, dates `dd/mm/yyyy`; and numbers written back the
//! same way. Never floats.

use centrale_domain::money::Cents;
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
    /// Above ten million euros.
    #[error("Ce montant est trop élevé.")]
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
            InputError::AmountTooHigh => "amount_too_high",
            InputError::UnreadableDate(_) => "date_unreadable",
        }
    }
}

/// The largest unit price accepted from the form: ten million euros. Anything above is a typo,
/// and it keeps `cents × quantity` far from overflow.
const MAX_CENTS: i64 = 1_000_000_000;

/// Reads an amount in euros typed as in Belgium: `1 234,56`, `1234,5`, `1.234,56`, `950`,
/// optionally followed by `€`.
pub fn parse_euros(input: &str) -> Result<Cents, InputError> {
    let cleaned: String = input
        .trim()
        .trim_end_matches("EUR")
        .trim_end_matches('€')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t'))
        .collect();
    if cleaned.is_empty() {
        return Err(InputError::MissingAmount);
    }
    let unreadable = || InputError::UnreadableAmount(input.trim().to_string());
    let (whole, fraction) = match cleaned.split_once(',') {
        Some((w, f)) => (w, f),
        None => (cleaned.as_str(), ""),
    };
    if fraction.contains(',') || fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err(unreadable());
    }
    // A dot is a thousands separator in Belgium: accept it only where one belongs, so that
    // « 12.50 » (meant as cents) is refused rather than read as 1 250 €.
    let groups: Vec<&str> = whole.split('.').collect();
    let well_grouped = groups.len() == 1
        || (matches!(groups[0].len(), 1..=3) && groups[1..].iter().all(|g| g.len() == 3));
    let digits: String = groups.concat();
    if digits.is_empty() || !well_grouped || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(unreadable());
    }
    let euros: i64 = digits
        .trim_start_matches('0')
        .parse::<i64>()
        .or_else(|e| {
            if digits.chars().all(|c| c == '0') {
                Ok(0)
            } else {
                Err(e)
            }
        })
        .map_err(|_| InputError::AmountTooHigh)?;
    let cents: i64 = match fraction.len() {
        0 => 0,
        1 => i64::from(fraction.as_bytes()[0] - b'0') * 10,
        _ => fraction.parse::<i64>().map_err(|_| unreadable())?,
    };
    let total = euros
        .checked_mul(100)
        .and_then(|e| e.checked_add(cents))
        .filter(|t| *t <= MAX_CENTS)
        .ok_or(InputError::AmountTooHigh)?;
    Ok(Cents(total))
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
        ] {
            assert_eq!(parse_euros(text), Ok(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn unreadable_amounts_are_explained_in_french() {
        for text in [
            "12.50", "1,234,56", "12,345", "abc", "-5", "1 2,3x", ",", "1.23,00",
        ] {
            let err = parse_euros(text).unwrap_err().to_string();
            assert!(err.contains("montant"), "{text}: {err}");
        }
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
    }
}
