//! Several centrales on one server (issue 19 §3): each further centrale the server hosts is
//! reached under its own host name and keeps everything of its own in its own database —
//! communes, catalogue, accounts, audit chain, change log and write lock.
//!
//! WHY a database per centrale rather than a `centrale` column in every table: nothing can
//! cross between two centrales by a forgotten filter (a token, a record, an audit entry of one
//! is simply not in the other's database); each has its own write lock (SQLite's file lock, or
//! PostgreSQL's advisory lock, which is per database), so their writes never wait for each
//! other; and one centrale's database can be backed up, restored or moved to another server
//! alone. The cost — one connection pool per centrale — is small for the tens of centrales a
//! country would have (docs/scale.md).

use serde::{Deserialize, Serialize};

use super::{ConfigError, Settings};

/// A further centrale the server hosts, in the file's `[[centrales]]` tables. What it does not
/// set (the SMTP server, the throttles, the scheduler's pace…) is the server's.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostedCentrale {
    /// The host name its people use (`bep.centrale.example.be`): a request whose `Host` is
    /// this name is this centrale's. The reverse proxy must pass the `Host` header on.
    pub host: String,
    /// Its own database (never another centrale's).
    pub database_url: String,
    /// Its name, as providers and communes read it.
    pub centrale_name: String,
    /// The address its people use, if it differs from `https://<host>`.
    #[serde(default)]
    pub public_url: String,
    /// Its number at the Banque-Carrefour des Entreprises (open data).
    #[serde(default)]
    pub centrale_enterprise_number: String,
    /// Its contact address on the portal.
    #[serde(default)]
    pub contact_email: String,
    /// Its contact phone on the portal.
    #[serde(default)]
    pub contact_phone: String,
    /// Its e-mail sender; the server's when not given.
    #[serde(default)]
    pub mail_from: Option<String>,
    /// Its OCDS prefix; the server's when not given (then two centrales' identifiers could
    /// meet: give each its own when they publish).
    #[serde(default)]
    pub ocid_prefix: Option<String>,
    /// Its minimum competition period; the server's when not given.
    #[serde(default)]
    pub min_competition_days: Option<u32>,
}

/// A host name as a request carries it, compared without case, port or final dot.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim();
    // `name:8080` or `[::1]:8080` (an IPv6 address in a Host header is always in brackets).
    let without_port = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    without_port.trim_end_matches('.').to_ascii_lowercase()
}

/// A host name an administrator may give: letters, digits, dashes and dots.
fn is_host_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.len() <= 63 && !label.starts_with('-'))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

impl Settings {
    /// The settings each hosted centrale runs with: the server's, with the centrale's own
    /// values in their place, and no further centrale.
    pub fn hosted(&self) -> Vec<(String, Settings)> {
        self.centrales
            .iter()
            .map(|c| {
                let mut own = self.clone();
                own.centrales = Vec::new();
                own.database_url = c.database_url.trim().to_string();
                own.centrale_name = c.centrale_name.trim().to_string();
                own.public_url = if c.public_url.trim().is_empty() {
                    format!("https://{}", normalize_host(&c.host))
                } else {
                    c.public_url.trim().to_string()
                };
                own.centrale_enterprise_number = c.centrale_enterprise_number.trim().to_string();
                own.contact_email = c.contact_email.trim().to_string();
                own.contact_phone = c.contact_phone.trim().to_string();
                if let Some(from) = &c.mail_from {
                    own.mail_from = from.trim().to_string();
                }
                if let Some(prefix) = &c.ocid_prefix {
                    own.ocid_prefix = prefix.trim().to_string();
                }
                if let Some(days) = c.min_competition_days {
                    own.min_competition_days = days;
                }
                (normalize_host(&c.host), own)
            })
            .collect()
    }

    /// The hosted centrales' own checks: a host name each, never twice; a database each,
    /// never another's; and every value checked as the server's are.
    pub(super) fn check_hosted(&self, origin: &str) -> Result<(), ConfigError> {
        let mut hosts: Vec<String> = Vec::new();
        let mut databases = vec![self.database_url.trim().to_string()];
        for (centrale, (host, own)) in self.centrales.iter().zip(self.hosted()) {
            let place = format!("{origin}, centrale « {} »", centrale.host.trim());
            let bad = |key: &str, message: &str| ConfigError::Value {
                key: format!("centrales.{key}"),
                origin: place.clone(),
                message: message.into(),
            };
            if !is_host_name(&host) {
                return Err(bad(
                    "host",
                    "nom d'hôte attendu (lettres, chiffres, tirets et points, sans http:// ni port), par exemple bep.centrale.example.be",
                ));
            }
            if hosts.contains(&host) {
                return Err(bad(
                    "host",
                    "ce nom d'hôte est déjà celui d'une autre centrale : chaque centrale a le sien",
                ));
            }
            if own.database_url.is_empty() || databases.contains(&own.database_url) {
                return Err(bad(
                    "database_url",
                    "base de données propre à cette centrale attendue (jamais celle d'une autre), par exemple postgres://centrale:motdepasse@hôte:5432/bep",
                ));
            }
            own.check(|_| place.clone())?;
            hosts.push(host);
            databases.push(own.database_url);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(
    clippy::result_large_err,
    reason = "figment's Jail closures return figment::Error, its type"
)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_compared_without_case_port_or_final_dot() {
        assert_eq!(normalize_host("BEP.Centrale.be:8443"), "bep.centrale.be");
        assert_eq!(normalize_host("bep.centrale.be."), "bep.centrale.be");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
        assert_eq!(normalize_host("127.0.0.1"), "127.0.0.1");
        assert!(is_host_name("bep.centrale.example.be"));
        assert!(!is_host_name("https://bep.be"));
        assert!(!is_host_name("bep..be"));
        assert!(!is_host_name(""));
    }

    const TWO_CENTRALES: &str = r#"
database_url = "sqlite:idelux.db"
centrale_name = "Centrale d'achat d'IDELUX"

[[centrales]]
host = "BEP.centrale.example.be"
database_url = "sqlite:bep.db"
centrale_name = "Centrale d'achat du BEP"
min_competition_days = 15

[[centrales]]
host = "igretec.centrale.example.be"
database_url = "sqlite:igretec.db"
centrale_name = "Centrale d'achat d'IGRETEC"
public_url = "https://achats.igretec.be"
"#;

    #[test]
    fn each_hosted_centrale_has_its_host_its_database_and_the_servers_other_settings() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("centrale.toml", TWO_CENTRALES)?;
            let settings = Settings::load(Some(std::path::Path::new("centrale.toml"))).unwrap();
            let hosted = settings.hosted();
            assert_eq!(hosted.len(), 2);
            let (host, bep) = &hosted[0];
            assert_eq!(host, "bep.centrale.example.be");
            assert_eq!(bep.database_url, "sqlite:bep.db");
            assert_eq!(bep.centrale_name, "Centrale d'achat du BEP");
            assert_eq!(bep.public_url, "https://bep.centrale.example.be");
            assert_eq!(bep.min_competition_days, 15);
            assert!(bep.centrales.is_empty());
            // What it does not set is the server's.
            assert_eq!(bep.login_free_attempts, settings.login_free_attempts);
            let (_, igretec) = &hosted[1];
            assert_eq!(igretec.public_url, "https://achats.igretec.be");
            assert_eq!(igretec.min_competition_days, settings.min_competition_days);
            Ok(())
        });
    }

    #[test]
    fn a_host_or_a_database_given_twice_is_refused_in_words() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let twice_host = TWO_CENTRALES.replace("igretec.centrale", "bep.centrale");
            jail.create_file("host.toml", &twice_host)?;
            let err = Settings::load(Some(std::path::Path::new("host.toml")))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("centrales.host") && err.contains("déjà celui d'une autre centrale"),
                "{err}"
            );
            let servers_db = TWO_CENTRALES.replace("sqlite:igretec.db", "sqlite:idelux.db");
            jail.create_file("db.toml", &servers_db)?;
            let err = Settings::load(Some(std::path::Path::new("db.toml")))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("centrales.database_url")
                    && err.contains("igretec.centrale.example.be")
                    && err.contains("jamais celle d'une autre"),
                "{err}"
            );
            let bad_host =
                TWO_CENTRALES.replace("igretec.centrale.example.be", "https://igretec.be");
            jail.create_file("url.toml", &bad_host)?;
            let err = Settings::load(Some(std::path::Path::new("url.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("nom d'hôte attendu"), "{err}");
            Ok(())
        });
    }
}
