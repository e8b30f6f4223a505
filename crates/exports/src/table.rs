//! A table written as LibreOffice and Excel read a CSV in a Belgian French locale (fr-BE):
//!
//! - UTF-8 with a byte-order mark (without it Excel reads the accents as Windows-1252);
//! - `;` between fields (the list separator of a locale whose decimal separator is the
//!   comma), CRLF after every line, the last included (RFC 4180);
//! - a field holding `;`, `"`, a carriage return or a line feed between double quotes, its
//!   quotes doubled (RFC 4180);
//! - numbers with a decimal comma and no thousands separator (`1234,56`: a space or a dot
//!   would make some versions read text or a date); amounts in euros with two decimals;
//! - dates `dd/mm/yyyy`, times `dd/mm/yyyy hh:mm`, in Europe/Brussels (summer time included);
//! - a text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
//!   so that a title typed by anyone is never run as a formula (CSV injection, OWASP).

use centrale_domain::money::Cents;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Brussels;
use rust_decimal::Decimal;

/// The byte-order mark that tells a spreadsheet the file is UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One value, typed so that it is written as the locale expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Words.
    Text(String),
    /// A whole number.
    Int(i64),
    /// An amount in euros, from cents: `1234,56`.
    Euros(Cents),
    /// A decimal number: `12,5`.
    Decimal(Decimal),
    /// A day: `14/12/2026`.
    Date(NaiveDate),
    /// An instant, shown in Brussels: `14/12/2026 09:30`.
    Time(DateTime<Utc>),
}

impl Cell {
    /// Text, or empty when none.
    pub fn text(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.into()))
    }

    /// `oui` or `non`: a column a filter reads.
    pub fn yes(value: bool) -> Cell {
        if value {
            Cell::Text("oui".into())
        } else {
            Cell::Text("non".into())
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Cell::Empty => {}
            Cell::Text(text) => write_text(text, out),
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Euros(cents) => out.push_str(&euros(*cents)),
            Cell::Decimal(d) => out.push_str(&d.normalize().to_string().replace('.', ",")),
            Cell::Date(d) => out.push_str(&d.format("%d/%m/%Y").to_string()),
            Cell::Time(t) => out.push_str(
                &t.with_timezone(&Brussels)
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
            ),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

/// `1234,56`, `-0,05`: integer arithmetic on the cents, no float anywhere.
fn euros(cents: Cents) -> String {
    let sign = if cents.0 < 0 { "-" } else { "" };
    let abs = cents.0.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

fn write_text(text: &str, out: &mut String) {
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([';', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A header and its rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Column titles, in French.
    pub header: Vec<&'static str>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(header: Vec<&'static str>) -> Table {
        Table {
            header,
            rows: Vec::new(),
        }
    }

    /// Adds a row (shorter rows are padded with empty cells).
    pub fn push(&mut self, mut row: Vec<Cell>) {
        debug_assert!(
            row.len() <= self.header.len(),
            "a row longer than its header"
        );
        row.resize(self.header.len(), Cell::Empty);
        self.rows.push(row);
    }

    /// The file: byte-order mark, header, rows, `;` and CRLF.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        let header: Vec<Cell> = self.header.iter().map(|h| Cell::from(*h)).collect();
        for row in std::iter::once(&header).chain(self.rows.iter()) {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push(';');
                }
                cell.write(&mut out);
            }
            out.push_str("\r\n");
        }
        let mut bytes = BOM.to_vec();
        bytes.extend_from_slice(out.as_bytes());
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn body(table: &Table) -> String {
        let bytes = table.to_bytes();
        assert_eq!(&bytes[..3], BOM, "UTF-8 with a byte-order mark");
        String::from_utf8(bytes[3..].to_vec()).unwrap()
    }

    #[test]
    fn the_exact_bytes_follow_the_belgian_locale() {
        let mut t = Table::new(vec![
            "Commande",
            "Montant HTVA (€)",
            "Quantité",
            "Date",
            "Heure",
            "Offres",
        ]);
        t.push(vec![
            "E-guichet état civil".into(),
            Cell::Euros(Cents(123_456)),
            Cell::Decimal(Decimal::new(125, 1)),
            Cell::Date(NaiveDate::from_ymd_opt(2027, 3, 5).unwrap()),
            Cell::Time(Utc.with_ymd_and_hms(2027, 3, 5, 8, 30, 0).unwrap()),
            Cell::Int(2),
        ]);
        t.push(vec![
            Cell::Text("Salles".into()),
            Cell::Euros(Cents(-5)),
            Cell::Decimal(Decimal::new(3000, 3)),
        ]);
        let bytes = t.to_bytes();
        let mut expected = b"\xEF\xBB\xBF".to_vec();
        expected.extend_from_slice(
            "Commande;Montant HTVA (€);Quantité;Date;Heure;Offres\r\n\
             E-guichet état civil;1234,56;12,5;05/03/2027;05/03/2027 09:30;2\r\n\
             Salles;-0,05;3;;;\r\n"
                .as_bytes(),
        );
        assert_eq!(bytes, expected);
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        let mut t = Table::new(vec!["A", "B", "C", "D"]);
        t.push(vec![
            "Bertrix; Herbeumont".into(),
            "Le « Guichet » dit \"bonjour\"".into(),
            "ligne 1\nligne 2\r\nligne 3".into(),
            "sans rien".into(),
        ]);
        assert_eq!(
            body(&t),
            "A;B;C;D\r\n\"Bertrix; Herbeumont\";\"Le « Guichet » dit \"\"bonjour\"\"\";\"ligne 1\nligne 2\r\nligne 3\";sans rien\r\n"
        );
    }

    #[test]
    fn a_text_is_never_run_as_a_formula() {
        let mut t = Table::new(vec!["A", "B", "C", "D"]);
        t.push(vec![
            "=SOMME(A1:A9)".into(),
            "+32 61".into(),
            "-x".into(),
            "@lien".into(),
        ]);
        assert_eq!(body(&t), "A;B;C;D\r\n'=SOMME(A1:A9);'+32 61;'-x;'@lien\r\n");
    }

    #[test]
    fn times_are_brussels_times_across_the_change_to_and_from_summer_time() {
        let mut t = Table::new(vec!["Heure"]);
        for at in [
            // 28 March 2027, 02:00 → 03:00: 00:30 UTC is 01:30 (winter), 01:30 UTC is 03:30.
            Utc.with_ymd_and_hms(2027, 3, 28, 0, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).unwrap(),
            // 31 October 2027, 03:00 → 02:00: 23:30 UTC the day before is 01:30 the next day.
            Utc.with_ymd_and_hms(2027, 10, 30, 23, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 10, 31, 1, 30, 0).unwrap(),
        ] {
            t.push(vec![Cell::Time(at)]);
        }
        assert_eq!(
            body(&t),
            "Heure\r\n28/03/2027 01:30\r\n28/03/2027 03:30\r\n31/10/2027 01:30\r\n31/10/2027 02:30\r\n"
        );
    }

    #[test]
    fn amounts_keep_every_cent() {
        for (cents, text) in [
            (0, "0,00"),
            (7, "0,07"),
            (100, "1,00"),
            (123_456_789, "1234567,89"),
            (-123_456, "-1234,56"),
            (i64::MAX, "92233720368547758,07"),
        ] {
            assert_eq!(euros(Cents(cents)), text);
        }
    }
}
