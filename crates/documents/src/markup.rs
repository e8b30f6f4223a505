//! Writing typst source from records: values as string literals, French dates and amounts.

use centrale_domain::money::Cents;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Brussels;

/// A typst string literal holding `text` exactly (in code: `"…"`; in markup: `#lit`). Record
/// values always enter the source this way: nothing a user typed is read as markup or code.
pub fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Content made of `text`, for a table cell or an argument: `[#"…"]`.
pub fn content(text: &str) -> String {
    format!("[#{}]", lit(text))
}

/// `1 234,56 €`.
pub fn money(cents: Cents) -> String {
    cents.format()
}

/// `14/03/2027`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `14/03/2027 à 12:00`, Brussels wall time.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Brussels)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// A SHA-256 fingerprint that may break across lines: a zero-width space every 16 digits
/// (a text search finds it once those are removed).
pub fn fingerprint(hex: &str) -> String {
    let mut out = String::with_capacity(hex.len() + 8);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && i % 16 == 0 {
            out.push('\u{200b}');
        }
        out.push(c);
    }
    out
}

/// A decimal score the French way: `64,50`.
pub fn points(value: rust_decimal::Decimal) -> String {
    format!("{:.2}", value.round_dp(2)).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_a_string_literal_whatever_it_holds() {
        assert_eq!(lit("Prix « fermes »"), "\"Prix « fermes »\"");
        assert_eq!(lit("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(lit("ligne 1\nligne 2"), "\"ligne 1\\nligne 2\"");
        assert_eq!(lit("#import \"x\": *"), "\"#import \\\"x\\\": *\"");
    }

    #[test]
    fn dates_and_amounts_are_belgian() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 14).unwrap();
        assert_eq!(date(day), "14/03/2027");
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 14, 11, 0, 0).unwrap();
        assert_eq!(date_time(at), "14/03/2027 à 12:00");
        assert_eq!(money(Cents(123_456)), "1\u{202f}234,56\u{a0}€");
        assert_eq!(points(rust_decimal::Decimal::new(6450, 2)), "64,50");
    }
}
