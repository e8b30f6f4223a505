//! Decimals read exactly from JSON.
//!
//! `serde_json` reads a number with a fraction as an `f64` before `rust_decimal` sees it:
//! `1000000.0000000001` arrives as `1000000` and slips under a limit of 1 000 000. A decimal a
//! person typed (quantities, points, VAT rates) is therefore read from a JSON string, or from
//! a JSON integer, which is exact; a JSON number with a fraction or an exponent is refused.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};

/// The message when a decimal is sent as a JSON number with a fraction.
pub const FLOAT_REFUSED: &str = "Envoyez ce nombre décimal entre guillemets (exemple : \"12.5\") : un nombre à virgule envoyé tel quel peut perdre des chiffres.";

/// `#[serde(deserialize_with = "crate::exact::decimal")]`: a string (`"12.5"`) or an integer
/// (`12`), never a float.
pub fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
    deserializer.deserialize_any(ExactDecimal)
}

struct ExactDecimal;

impl<'de> Visitor<'de> for ExactDecimal {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("un nombre décimal écrit entre guillemets, par exemple \"12.5\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        // `from_str_exact` refuses rather than rounds what does not fit.
        Decimal::from_str_exact(v.trim()).map_err(|_| {
            E::custom(format!(
                "« {} » n'est pas un nombre décimal (exemple : \"12.5\").",
                v.chars().take(40).collect::<String>()
            ))
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Decimal, E> {
        Err(E::custom(FLOAT_REFUSED))
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Field {
        #[serde(deserialize_with = "super::decimal")]
        q: Decimal,
    }

    fn read(json: &str) -> Result<Decimal, String> {
        serde_json::from_str::<Field>(json)
            .map(|f| f.q)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn strings_and_integers_read_exactly() {
        assert_eq!(
            read(r#"{"q": "1000000.0000000001"}"#),
            Ok(dec!(1000000.0000000001))
        );
        assert_eq!(read(r#"{"q": "12.5"}"#), Ok(dec!(12.5)));
        assert_eq!(read(r#"{"q": 9}"#), Ok(dec!(9)));
        assert_eq!(read(r#"{"q": -3}"#), Ok(dec!(-3)));
    }

    #[test]
    fn floats_and_garbage_are_refused_in_french() {
        for json in [
            r#"{"q": 1000000.0000000001}"#,
            r#"{"q": 12.5}"#,
            r#"{"q": 1e3}"#,
        ] {
            let err = read(json).unwrap_err();
            assert!(err.contains("entre guillemets"), "{json}: {err}");
        }
        let err = read(r#"{"q": "douze"}"#).unwrap_err();
        assert!(err.contains("n'est pas un nombre décimal"), "{err}");
        // More digits than a decimal holds: refused, not rounded.
        assert!(read(r#"{"q": "1.00000000000000000000000000000001"}"#).is_err());
    }
}
