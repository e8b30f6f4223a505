//! Settings: defaults, then a TOML file, then `CENTRALE_*` environment variables, then flags.
//!
//! The layers are figment's: every setting can come from each layer under the same name
//! (`min_competition_days` in the file, `CENTRALE_MIN_COMPETITION_DAYS` in the environment), so a
//! new setting cannot be forgotten by one layer, and the checks after the merge apply whatever
//! layer a value came from.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

mod hosted;

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

pub use hosted::{normalize_host, HostedCentrale};

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Database URL: `sqlite:path/to/file.db` or `postgres://user:pw@host:5432/db`.
    pub database_url: String,
    /// Address to listen on; loopback unless told otherwise.
    pub bind: SocketAddr,
    /// Minimum number of days between the launch of a mini-competition and its deadline.
    pub min_competition_days: u32,
    /// Failed logins allowed on one account (or one unknown name) before each further
    /// attempt must wait.
    pub login_free_attempts: u32,
    /// Failed logins allowed from one address (IPv4, or an IPv6 /64), whatever the account,
    /// before each further attempt from it must wait.
    pub login_free_attempts_per_address: u32,
    /// How many password checks (Argon2, about 19 MiB each) may run at once.
    pub password_checks_at_once: usize,
    /// How long a login waits for a free password check before the server answers 503.
    pub password_queue_secs: u64,
    /// A connection that has not sent a whole request head within this time is closed.
    pub header_read_timeout_secs: u64,
    /// The reverse proxy's address. Only requests coming from it have their client address
    /// taken from `X-Forwarded-For` (the last entry, the one the proxy added); without it, the
    /// address is the connection's peer, i.e. the proxy itself when there is one.
    pub trusted_proxy: Option<IpAddr>,
    /// How often the scheduler checks for deadlines that have passed, in seconds.
    pub scheduler_interval_secs: u64,
    /// Log format: `text` or `json`.
    pub log_format: String,
    /// The address people use to reach this server (e.g. `https://centrale.example.be`), as
    /// seen behind the reverse proxy. When it starts with `https://`, the providers' portal
    /// marks its cookies `Secure`. Empty: unknown (local use, tests).
    pub public_url: String,
    /// The SMTP server the e-mail goes through (issue 14). Empty: no e-mail is sent (messages
    /// wait in the outbox until one is configured).
    pub smtp_host: String,
    /// Its port: 587 for STARTTLS, 465 for TLS, 25 without encryption.
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (TLS from the first byte), or `none` (only for a server on
    /// this machine, such as the tests' loopback server).
    pub smtp_security: String,
    /// SMTP login; empty: no authentication.
    pub smtp_user: String,
    /// SMTP password (better from `CENTRALE_SMTP_PASSWORD` than in the file); never logged nor
    /// shown.
    pub smtp_password: Secret,
    /// The longest one SMTP conversation may last, in seconds. A sender holds the message it
    /// is sending five times as long: a server killed in the middle leaves it to another (or
    /// to itself, restarted) once that hold has passed, and never sends it twice.
    pub smtp_timeout_secs: u64,
    /// The sender of every message, e.g. `Centrale d'achat <centrale@exemple.be>`.
    pub mail_from: String,
    /// How often the sender looks for messages to send, in seconds.
    pub mail_interval_secs: u64,
    /// Attempts before a message is given up (then shown to the centrale as failed).
    pub mail_max_attempts: u32,
    /// Wait before the second attempt, in seconds; each further wait doubles (at most 6 hours).
    pub mail_retry_secs: u64,
    /// The hour (0 to 23, Brussels time) of the daily digest: each account that chose « un
    /// résumé quotidien » for some kind of message gets one message listing them (issue 14).
    pub mail_digest_hour: u32,
    /// The centrale's name as providers read it on the portal (issue 15 point 10).
    pub centrale_name: String,
    /// The intercommunale's number at the Banque-Carrefour des Entreprises (`0123.456.749`):
    /// it identifies the centrale in the open data (OCDS). Empty: not published.
    pub centrale_enterprise_number: String,
    /// The address providers write to, shown on the portal's login page and in every page's
    /// footer (a `mailto:` link). Empty: none shown.
    pub contact_email: String,
    /// The phone number providers call, shown beside it (a `tel:` link), e.g.
    /// `+32 61 00 00 00`. Empty: none shown.
    pub contact_phone: String,
    /// The prefix of every OCDS identifier the open data publishes (`ocds-` and six lowercase
    /// letters or digits, as registered with the Open Contracting Partnership). Never change
    /// it once published: the identifiers of every framework and call-off derive from it.
    pub ocid_prefix: String,
    /// The further centrales this server hosts, each under its own host name and with its
    /// own database (issue 19 §3, `config/hosted.rs`); the settings above are the server's
    /// own centrale, which answers every other host name. Only from the file
    /// (`[[centrales]]` tables).
    pub centrales: Vec<HostedCentrale>,
}

/// A secret setting: read like a string, never printed (`Debug` shows a mask).
#[derive(Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl Secret {
    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("«masqué»")
        }
    }
}

/// The centrale's name on the portal when none is set.
pub const DEFAULT_CENTRALE_NAME: &str = "Centrale d'achat de l'intercommunale";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite:data/centrale.db".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            min_competition_days: centrale_domain::order::DEFAULT_MIN_COMPETITION_DAYS,
            login_free_attempts: 5,
            login_free_attempts_per_address: 30,
            password_checks_at_once: 4,
            password_queue_secs: 5,
            header_read_timeout_secs: 10,
            trusted_proxy: None,
            scheduler_interval_secs: 30,
            log_format: "text".into(),
            public_url: String::new(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_user: String::new(),
            smtp_password: Secret::default(),
            smtp_timeout_secs: 60,
            mail_from: String::new(),
            mail_interval_secs: 15,
            mail_max_attempts: 8,
            mail_retry_secs: 60,
            mail_digest_hour: 8,
            centrale_name: DEFAULT_CENTRALE_NAME.into(),
            centrale_enterprise_number: String::new(),
            contact_email: String::new(),
            contact_phone: String::new(),
            ocid_prefix: crate::ocds::DEFAULT_OCID_PREFIX.into(),
            centrales: Vec::new(),
        }
    }
}

/// A configuration problem, in words an administrator can act on.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("Impossible de lire le fichier de configuration {path} : {source}")]
    Read {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("Fichier de configuration {path} invalide : {message}")]
    Parse {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A setting has a bad value or an unknown name, in the file or the environment.
    #[error("Réglage « {key} » invalide ({origin}) : {message}")]
    Value {
        /// The setting's name (`bind`).
        key: String,
        /// Where it came from: the file, or the environment variable's name.
        origin: String,
        /// What is expected, with an example.
        message: String,
    },
}

/// The prefix of the environment variables that set a setting: `CENTRALE_BIND` sets `bind`.
const ENV_PREFIX: &str = "CENTRALE_";

impl Settings {
    /// Loads defaults, then the file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        Settings::figment(file, Env::prefixed(ENV_PREFIX))?.extract_checked()
    }

    /// The layers below the flags: defaults, the file, the environment (`env`, a provider so
    /// that tests give their own variables).
    fn figment(file: Option<&Path>, env: Env) -> Result<Layers, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            // figment skips a missing file silently; a file named by the administrator must exist
            // and be TOML.
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?;
            if let Err(e) = text.parse::<toml::Table>() {
                return Err(ConfigError::Parse {
                    path: path.display().to_string(),
                    message: e.to_string(),
                });
            }
            figment = figment.merge(Toml::string(&text));
        }
        // Only the variables naming a setting: `CENTRALE_CONFIG`, `CENTRALE_NEW_PASSWORD` and the
        // tests' variables share the prefix without being settings.
        let keys = setting_names();
        let env = env.filter(move |key| keys.iter().any(|k| key.as_str().eq_ignore_ascii_case(k)));
        Ok(Layers {
            figment: figment.merge(env),
            file: file.map(|p| p.display().to_string()),
        })
    }

    /// Checks that hold whatever layer a value came from.
    fn check(&self, origin: impl Fn(&str) -> String) -> Result<(), ConfigError> {
        let url = self.public_url.trim().to_ascii_lowercase();
        if !url.is_empty() && !url.starts_with("https://") && !url.starts_with("http://") {
            return Err(ConfigError::Value {
                key: "public_url".into(),
                origin: origin("public_url"),
                message: expected("public_url").into(),
            });
        }
        if !["starttls", "tls", "none"].contains(&self.smtp_security.as_str()) {
            return Err(ConfigError::Value {
                key: "smtp_security".into(),
                origin: origin("smtp_security"),
                message: expected("smtp_security").into(),
            });
        }
        if !self.smtp_host.trim().is_empty() && !self.mail_from.contains('@') {
            return Err(ConfigError::Value {
                key: "mail_from".into(),
                origin: origin("mail_from"),
                message: expected("mail_from").into(),
            });
        }
        for (key, ok) in [
            ("centrale_name", !self.centrale_name.trim().is_empty()),
            (
                "centrale_enterprise_number",
                self.centrale_enterprise_number.trim().is_empty()
                    || centrale_domain::enterprise::EnterpriseNumber::parse(
                        &self.centrale_enterprise_number,
                    )
                    .is_ok(),
            ),
            ("contact_email", is_email(&self.contact_email)),
            ("contact_phone", is_phone(&self.contact_phone)),
            (
                "ocid_prefix",
                crate::ocds::is_ocid_prefix(&self.ocid_prefix),
            ),
        ] {
            if !ok {
                return Err(ConfigError::Value {
                    key: key.into(),
                    origin: origin(key),
                    message: expected(key).into(),
                });
            }
        }
        if self.smtp_timeout_secs == 0 || self.smtp_timeout_secs > 600 {
            return Err(ConfigError::Value {
                key: "smtp_timeout_secs".into(),
                origin: origin("smtp_timeout_secs"),
                message: expected("smtp_timeout_secs").into(),
            });
        }
        if self.mail_digest_hour > 23 {
            return Err(ConfigError::Value {
                key: "mail_digest_hour".into(),
                origin: origin("mail_digest_hour"),
                message: expected("mail_digest_hour").into(),
            });
        }
        if self.log_format != "text" && self.log_format != "json" {
            return Err(ConfigError::Value {
                key: "log_format".into(),
                origin: origin("log_format"),
                message: expected("log_format").into(),
            });
        }
        Ok(())
    }

    /// True when people reach the server over HTTPS (the portal's cookies are then `Secure`).
    pub fn served_over_https(&self) -> bool {
        self.public_url
            .trim()
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    }
}

/// Empty, or one address `name@domain.tld` without spaces or brackets.
fn is_email(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !domain.contains('@')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c))
}

/// Empty, or a phone number written with digits, spaces, dots, slashes, dashes and a leading
/// `+`: between 6 and 15 digits.
fn is_phone(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let body = text.strip_prefix('+').unwrap_or(text);
    (6..=15).contains(&digits)
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || " ./-".contains(c))
}

/// The merged layers, before the flags.
struct Layers {
    figment: Figment,
    file: Option<String>,
}

impl Layers {
    /// The settings, each value checked, errors saying which setting and where it came from.
    fn extract_checked(self) -> Result<Settings, ConfigError> {
        let origin = |key: &str| self.origin(key);
        let mut settings: Settings = self.figment.extract().map_err(|e| {
            let key = e.path.join(".");
            let key = if key.is_empty() {
                unknown_key(&e).unwrap_or_default()
            } else {
                key
            };
            let message = if let figment::error::Kind::UnknownField(_, known) = &e.kind {
                format!("réglage inconnu ; les réglages sont : {}", known.join(", "))
            } else if expected(&key).is_empty() {
                e.kind.to_string()
            } else {
                expected(&key).to_string()
            };
            ConfigError::Value {
                origin: origin(&key),
                message,
                key,
            }
        })?;
        settings.public_url = settings.public_url.trim().to_string();
        settings.centrale_name = settings.centrale_name.trim().to_string();
        settings.contact_email = settings.contact_email.trim().to_string();
        settings.contact_phone = settings.contact_phone.trim().to_string();
        settings.ocid_prefix = settings.ocid_prefix.trim().to_string();
        settings.check(origin)?;
        settings.check_hosted(&origin("centrales"))?;
        Ok(settings)
    }

    /// Where the value of `key` comes from, in words.
    fn origin(&self, key: &str) -> String {
        let name = self
            .figment
            .find_metadata(key)
            .map(|m| m.name.to_string())
            .unwrap_or_default();
        if name.contains("environment") || name.contains("environnement") {
            format!(
                "variable d'environnement {ENV_PREFIX}{}",
                key.to_uppercase()
            )
        } else if let Some(file) = &self.file {
            format!("fichier {file}")
        } else {
            "valeur par défaut".into()
        }
    }
}

/// The unknown field's name, from serde's message (figment gives no path for it).
fn unknown_key(e: &figment::Error) -> Option<String> {
    match &e.kind {
        figment::error::Kind::UnknownField(name, _) => Some(name.clone()),
        _ => None,
    }
}

/// Every setting's name, from the defaults: what the environment may set.
fn setting_names() -> Vec<String> {
    match serde_json::to_value(Settings::default()) {
        // The hosted centrales are tables of the file, never one variable.
        Ok(serde_json::Value::Object(map)) => map
            .keys()
            .filter(|k| k.as_str() != "centrales")
            .map(|k| k.to_uppercase())
            .collect(),
        _ => Vec::new(),
    }
}

/// What a setting expects, with an example, for the message of a bad value.
fn expected(key: &str) -> &'static str {
    match key {
        "database_url" => "sqlite:chemin/fichier.db ou postgres://utilisateur:motdepasse@hôte:5432/base",
        "bind" => "adresse:port attendu, par exemple 127.0.0.1:8080",
        "min_competition_days" => "nombre de jours attendu, par exemple 10",
        "login_free_attempts" | "login_free_attempts_per_address" => {
            "nombre d'essais attendu, par exemple 5"
        }
        "password_checks_at_once" => "nombre attendu, par exemple 4",
        "password_queue_secs" | "header_read_timeout_secs" | "scheduler_interval_secs" => {
            "nombre de secondes attendu, par exemple 10"
        }
        "trusted_proxy" => "adresse IP attendue, par exemple 10.0.0.2",
        "log_format" => "text ou json",
        "smtp_host" => "nom du serveur SMTP, par exemple smtp.exemple.be",
        "smtp_port" => "numéro de port attendu, par exemple 587",
        "smtp_security" => "starttls, tls ou none",
        "mail_from" => "adresse de l'expéditeur attendue quand smtp_host est donné, par exemple Centrale d'achat <centrale@exemple.be>",
        "mail_interval_secs" | "mail_retry_secs" => "nombre de secondes attendu, par exemple 60",
        "centrale_enterprise_number" => "numéro d'entreprise BCE de l'intercommunale attendu (dix chiffres dont les deux derniers de contrôle), par exemple 0123.456.749, ou rien",
        "smtp_timeout_secs" => "nombre de secondes de 1 à 600 attendu, par exemple 60",
        "mail_max_attempts" => "nombre d'essais attendu, par exemple 8",
        "mail_digest_hour" => "heure de Bruxelles de 0 à 23 attendue, par exemple 8",
        "centrale_name" => "nom de la centrale attendu, par exemple Centrale d'achat de l'intercommunale",
        "contact_email" => "adresse e-mail attendue (ou rien), par exemple centrale@exemple.be",
        "contact_phone" => "numéro de téléphone attendu (ou rien), par exemple +32 61 00 00 00",
        "ocid_prefix" => "préfixe OCDS attendu : « ocds- » suivi de six lettres minuscules ou chiffres, par exemple ocds-213czf",
        "public_url" => "adresse commençant par https:// (ou http:// en local), par exemple https://centrale.example.be",
        _ => "",
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
    fn env_overrides_and_bad_values_are_explained() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("CENTRALE_BIND", "0.0.0.0:9000");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.bind.port(), 9000);
            jail.set_env("CENTRALE_BIND", "partout");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("CENTRALE_BIND"), "{err}");
            assert!(err.contains("par exemple 127.0.0.1:8080"), "{err}");
            Ok(())
        });
        assert_eq!(Settings::default().bind.ip().to_string(), "127.0.0.1");
    }

    #[test]
    fn every_setting_has_its_variable_and_other_centrale_variables_are_not_settings() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            // Settings that had no variable before the layers were figment's.
            jail.set_env("CENTRALE_TRUSTED_PROXY", "10.0.0.2");
            jail.set_env("CENTRALE_PASSWORD_CHECKS_AT_ONCE", "2");
            jail.set_env("CENTRALE_SCHEDULER_INTERVAL_SECS", "5");
            // Not settings: read by the command line, or by the tests.
            jail.set_env("CENTRALE_CONFIG", "/etc/centrale.toml");
            jail.set_env("CENTRALE_NEW_PASSWORD", "secret");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.trusted_proxy, Some("10.0.0.2".parse().unwrap()));
            assert_eq!(s.password_checks_at_once, 2);
            assert_eq!(s.scheduler_interval_secs, 5);
            jail.set_env("CENTRALE_PASSWORD_CHECKS_AT_ONCE", "beaucoup");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(
                err.contains("password_checks_at_once")
                    && err.contains("CENTRALE_PASSWORD_CHECKS_AT_ONCE"),
                "{err}"
            );
            Ok(())
        });
    }

    #[test]
    fn the_ocid_prefix_has_a_default_and_is_checked() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert_eq!(Settings::load(None).unwrap().ocid_prefix, "ocds-centrl");
            jail.set_env("CENTRALE_OCID_PREFIX", " ocds-213czf ");
            assert_eq!(Settings::load(None).unwrap().ocid_prefix, "ocds-213czf");
            jail.set_env("CENTRALE_OCID_PREFIX", "centrale");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(
                err.contains("ocid_prefix")
                    && err.contains("CENTRALE_OCID_PREFIX")
                    && err.contains("ocds-213czf"),
                "{err}"
            );
            Ok(())
        });
    }

    #[test]
    fn smtp_settings_come_from_the_environment_and_the_password_is_never_shown() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("CENTRALE_SMTP_HOST", "smtp.exemple.be");
            jail.set_env("CENTRALE_SMTP_PASSWORD", "tres-secret");
            jail.set_env("CENTRALE_MAIL_FROM", "Centrale <centrale@exemple.be>");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.smtp_password.expose(), "tres-secret");
            assert_eq!(s.smtp_port, 587);
            assert!(!format!("{s:?}").contains("tres-secret"));
            jail.set_env("CENTRALE_SMTP_SECURITY", "ssl");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("starttls, tls ou none"), "{err}");
            jail.set_env("CENTRALE_SMTP_SECURITY", "tls");
            jail.set_env("CENTRALE_MAIL_FROM", "");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("CENTRALE_MAIL_FROM"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn public_url_decides_secure_cookies() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            assert!(!Settings::load(None).unwrap().served_over_https());
            jail.set_env("CENTRALE_PUBLIC_URL", "HTTPS://centrale.example.be");
            assert!(Settings::load(None).unwrap().served_over_https());
            jail.set_env("CENTRALE_PUBLIC_URL", "http://127.0.0.1:8080");
            assert!(!Settings::load(None).unwrap().served_over_https());
            jail.set_env("CENTRALE_PUBLIC_URL", "centrale.example.be");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("CENTRALE_PUBLIC_URL"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_centrales_contact_is_checked_whatever_layer_it_comes_from() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let s = Settings::load(None).unwrap();
            assert_eq!(s.centrale_name, "Centrale d'achat de l'intercommunale");
            assert_eq!(
                (s.contact_email.as_str(), s.contact_phone.as_str()),
                ("", "")
            );
            jail.create_file(
                "c.toml",
                "centrale_name = \"Centrale d'achat IDELUX\"\ncontact_email = \" centrale@idelux.be \"\ncontact_phone = \"+32 63 23 18 11\"\n",
            )?;
            let s = Settings::load(Some(Path::new("c.toml"))).unwrap();
            assert_eq!(s.centrale_name, "Centrale d'achat IDELUX");
            assert_eq!(s.contact_email, "centrale@idelux.be");
            assert_eq!(s.contact_phone, "+32 63 23 18 11");
            jail.set_env("CENTRALE_CONTACT_EMAIL", "centrale chez idelux.be");
            let err = Settings::load(Some(Path::new("c.toml")))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("CENTRALE_CONTACT_EMAIL") && err.contains("centrale@exemple.be"),
                "{err}"
            );
            for bad in ["a@b", "a b@c.be", "<a@b.be>", "@b.be", "a@b.be@c.be"] {
                assert!(!is_email(bad), "{bad}");
            }
            jail.set_env("CENTRALE_CONTACT_EMAIL", "achats@centrale.example.be");
            jail.set_env("CENTRALE_CONTACT_PHONE", "appelez-nous");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("CENTRALE_CONTACT_PHONE"), "{err}");
            for (phone, ok) in [("061/23.45.67", true), ("12", false), ("+32 (0)61", false)] {
                assert_eq!(is_phone(phone), ok, "{phone}");
            }
            jail.set_env("CENTRALE_CONTACT_PHONE", "");
            jail.set_env("CENTRALE_CENTRALE_NAME", "  ");
            let err = Settings::load(None).unwrap_err().to_string();
            assert!(err.contains("centrale_name"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn the_checks_hold_for_the_file_too() {
        // Before figment, `log_format` and `public_url` were checked only in the environment.
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("c.toml", "log_format = \"xml\"\n")?;
            let err = Settings::load(Some(Path::new("c.toml")))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("log_format") && err.contains("text ou json"),
                "{err}"
            );
            assert!(err.contains("fichier c.toml"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn file_with_unknown_key_is_refused_and_the_environment_wins_over_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            let path = Path::new("c.toml");
            jail.create_file(path, "bind = \"127.0.0.1:1\"\nunknown = 1\n")?;
            let err = Settings::load(Some(path)).unwrap_err().to_string();
            assert!(
                err.contains("« unknown »") && err.contains("réglage inconnu"),
                "{err}"
            );
            assert!(
                err.contains("min_competition_days"),
                "lists the settings: {err}"
            );
            jail.create_file(
                path,
                "bind = \"127.0.0.1:1234\"\nmin_competition_days = 7\n",
            )?;
            let s = Settings::load(Some(path)).unwrap();
            assert_eq!(s.min_competition_days, 7);
            assert_eq!(s.bind.port(), 1234);
            jail.set_env("CENTRALE_MIN_COMPETITION_DAYS", "12");
            assert_eq!(Settings::load(Some(path)).unwrap().min_competition_days, 12);
            let err = Settings::load(Some(Path::new("absent.toml")))
                .unwrap_err()
                .to_string();
            assert!(err.contains("Impossible de lire"), "{err}");
            jail.create_file(path, "bind = \n")?;
            let err = Settings::load(Some(path)).unwrap_err().to_string();
            assert!(err.contains("Fichier de configuration"), "{err}");
            Ok(())
        });
    }
}
