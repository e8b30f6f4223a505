//! The message catalogue: the French sentence of every refusal, by code, with named
//! placeholders (`crates/domain/messages/fr.json`). The server's error messages and the
//! providers' portal render it here; the desktop UI renders the same file (generated copy in
//! `ui/src/bindings/errorMessages.fr.json`, read by `ui/src/errors.ts`). Another language is
//! another catalogue file, not a code change.
//!
//! The file has two parts:
//! - `errors`: `code` → sentence; `code.kind` is the sentence of one kind of the refusal (the
//!   `kind` parameter chooses it, e.g. `modification_without_review_clause.line_added`);
//! - `labels`: words for stable names in parameters: `labels.<param>.<value>` (e.g.
//!   `labels.role.mayor` → « bourgmestre »). A parameter `allowed_roles` uses the table of its
//!   last word without its plural (`role`).
//!
//! How a parameter is shown: a label when the table has one; `*_cents` as an amount
//! (`1 234,56 €`); an ISO date as `dd/mm/yyyy`; an instant as `dd/mm/yyyy à HH:MM` in
//! Brussels; an integer with its thousands apart (`2 000`); a list as its items joined by
//! « , »; anything else as it is.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ErrorCode;
use crate::money::Cents;

/// The French catalogue, as committed.
pub const FR_JSON: &str = include_str!("../messages/fr.json");

/// A message catalogue (one language).
#[derive(Debug, Deserialize)]
pub struct Catalogue {
    /// Sentences by code (and `code.kind`).
    pub errors: BTreeMap<String, String>,
    /// Words for stable names, by parameter.
    #[serde(default)]
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
}

/// The French catalogue.
pub fn fr() -> &'static Catalogue {
    static FR: OnceLock<Catalogue> = OnceLock::new();
    FR.get_or_init(|| serde_json::from_str(FR_JSON).expect("messages/fr.json is valid"))
}

/// The French sentence of a code with its parameters.
pub fn render_fr(code: ErrorCode, params: &Value) -> String {
    fr().render(code.as_str(), params)
}

impl Catalogue {
    /// The sentence template of a code for these parameters (`code.kind` first).
    pub fn template(&self, code: &str, params: &Value) -> Option<&str> {
        let kind = params.get("kind").and_then(Value::as_str);
        kind.and_then(|k| self.errors.get(&format!("{code}.{k}")))
            .or_else(|| self.errors.get(code))
            .map(String::as_str)
    }

    /// Renders a code's sentence; a code without entry renders `code` itself (never happens
    /// for an [`ErrorCode`]: a test checks every one has an entry).
    pub fn render(&self, code: &str, params: &Value) -> String {
        match self.template(code, params) {
            Some(template) => self.fill(template, params),
            None => code.to_string(),
        }
    }

    /// Replaces each `{name}` of `template` with the parameter shown in words.
    pub fn fill(&self, template: &str, params: &Value) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if is_name(&after[..close]) => {
                    let name = &after[..close];
                    match params.get(name) {
                        Some(value) if !value.is_null() => out.push_str(&self.show(name, value)),
                        _ => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The label table of a parameter: its own, else its last word's singular.
    fn table(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.labels.get(name).or_else(|| {
            let last = name.rsplit('_').next().unwrap_or(name);
            self.labels
                .get(last)
                .or_else(|| self.labels.get(last.strip_suffix('s').unwrap_or(last)))
        })
    }

    /// One parameter in words.
    pub fn show(&self, name: &str, value: &Value) -> String {
        match value {
            Value::Array(items) => items
                .iter()
                .map(|v| self.show(name, v))
                .collect::<Vec<_>>()
                .join(", "),
            Value::String(s) => {
                if let Some(label) = self.table(name).and_then(|t| t.get(s)) {
                    return label.clone();
                }
                show_text(s)
            }
            Value::Number(n) => {
                if name.ends_with("_cents") {
                    if let Some(cents) = n.as_i64() {
                        return Cents(cents).format();
                    }
                }
                match n.as_i64() {
                    Some(i) => group_thousands(i),
                    None => n.to_string().replace('.', ","),
                }
            }
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            Value::Object(_) => value.to_string(),
        }
    }
}

/// An integer with its thousands apart, as the UI shows them (`2 000`, narrow no-break space).
fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An ISO date as dd/mm/yyyy, an instant as Brussels time, other text as it is.
fn show_text(s: &str) -> String {
    if s.len() == 10 {
        if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return crate::format_date(date);
        }
    }
    if s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') {
        if let Ok(at) = DateTime::parse_from_rfc3339(s) {
            return crate::time::format_brussels(at.with_timezone(&Utc));
        }
    }
    s.to_string()
}

/// The placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                names.push(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}
