//! Settings: defaults, then a TOML file, then `CENTRALE_*` environment variables, then flags.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use serde::Deserialize;

/// Everything the server can be told.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
}

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
    /// The file is not valid TOML or has unknown keys.
    #[error("Fichier de configuration {path} invalide : {message}")]
    Parse {
        /// File.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An environment variable has a bad value.
    #[error("Variable d'environnement {name} invalide (« {value} ») : {message}")]
    Env {
        /// Variable.
        name: String,
        /// Value.
        value: String,
        /// Expected.
        message: String,
    },
}

impl Settings {
    /// Loads defaults, then the file (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut settings = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::Parse {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?
            }
            None => Settings::default(),
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        Ok(settings)
    }

    /// Applies `CENTRALE_*` variables read through `get`.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(
            name: &str,
            value: String,
            expected: &str,
        ) -> Result<T, ConfigError> {
            value.trim().parse().map_err(|_| ConfigError::Env {
                name: name.into(),
                value,
                message: expected.into(),
            })
        }
        if let Some(v) = get("CENTRALE_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("CENTRALE_BIND") {
            self.bind = parse(
                "CENTRALE_BIND",
                v,
                "adresse:port attendu, par exemple 127.0.0.1:8080",
            )?;
        }
        if let Some(v) = get("CENTRALE_MIN_COMPETITION_DAYS") {
            self.min_competition_days = parse(
                "CENTRALE_MIN_COMPETITION_DAYS",
                v,
                "nombre de jours attendu, par exemple 10",
            )?;
        }
        if let Some(v) = get("CENTRALE_PUBLIC_URL") {
            let v = v.trim().to_string();
            let lower = v.to_ascii_lowercase();
            if !v.is_empty() && !lower.starts_with("https://") && !lower.starts_with("http://") {
                return Err(ConfigError::Env {
                    name: "CENTRALE_PUBLIC_URL".into(),
                    value: v,
                    message: "adresse commençant par https:// (ou http:// en local), par exemple https://centrale.example.be".into(),
                });
            }
            self.public_url = v;
        }
        if let Some(v) = get("CENTRALE_LOG_FORMAT") {
            if v != "text" && v != "json" {
                return Err(ConfigError::Env {
                    name: "CENTRALE_LOG_FORMAT".into(),
                    value: v,
                    message: "text ou json".into(),
                });
            }
            self.log_format = v;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_and_bad_values_are_explained() {
        let mut s = Settings::default();
        s.apply_env(|n| (n == "CENTRALE_BIND").then(|| "0.0.0.0:9000".to_string()))
            .unwrap();
        assert_eq!(s.bind.port(), 9000);
        let err = s
            .apply_env(|n| (n == "CENTRALE_BIND").then(|| "partout".to_string()))
            .unwrap_err();
        assert!(err.to_string().contains("CENTRALE_BIND"));
        assert_eq!(Settings::default().bind.ip().to_string(), "127.0.0.1");
    }

    #[test]
    fn public_url_decides_secure_cookies() {
        let mut s = Settings::default();
        assert!(!s.served_over_https());
        s.apply_env(|n| (n == "CENTRALE_PUBLIC_URL").then(|| "HTTPS://centrale.example.be".into()))
            .unwrap();
        assert!(s.served_over_https());
        s.apply_env(|n| (n == "CENTRALE_PUBLIC_URL").then(|| "http://127.0.0.1:8080".into()))
            .unwrap();
        assert!(!s.served_over_https());
        let err = s
            .apply_env(|n| (n == "CENTRALE_PUBLIC_URL").then(|| "centrale.example.be".into()))
            .unwrap_err();
        assert!(err.to_string().contains("CENTRALE_PUBLIC_URL"), "{err}");
    }

    #[test]
    fn file_with_unknown_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "bind = \"127.0.0.1:1\"\nunknown = 1\n").unwrap();
        let err = Settings::load(Some(&path)).unwrap_err();
        assert!(err.to_string().contains("invalide"), "{err}");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:1234\"\nmin_competition_days = 7\n",
        )
        .unwrap();
        let s = Settings::load(Some(&path)).unwrap();
        assert_eq!(s.min_competition_days, 7);
    }
}
