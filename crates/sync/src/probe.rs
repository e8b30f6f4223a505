//! First run: tries a server address before the app keeps it, and says what is wrong in words
//! a secretary can pass on to the intercommunale's IT.
//!
//! TLS trusts the operating system's certificate store (reqwest's `rustls-tls-native-roots`:
//! Windows' store, macOS' keychain, `/etc/ssl/certs` or `SSL_CERT_FILE`/`SSL_CERT_DIR` on
//! Linux) besides Mozilla's roots, so that a town hall network whose proxy inspects TLS with
//! a CA installed by the commune's IT works.

use std::time::Duration;

use centrale_protocol::{HealthResponse, PROTOCOL_VERSION};

/// Why an address is not a usable Centrale server.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// The name does not resolve (a typo, or no DNS).
    #[error("Le nom « {host} » est inconnu : vérifiez l'adresse donnée par l'intercommunale (une faute de frappe ?) et que l'ordinateur est connecté à Internet.")]
    UnknownHost {
        /// The host name typed.
        host: String,
    },
    /// Nothing answers at that address (down, a firewall, a wrong port).
    #[error("Le serveur « {host} » ne répond pas. Vérifiez la connexion de l'ordinateur ; si elle fonctionne, le serveur est peut-être arrêté ou bloqué par un pare-feu : prévenez l'intercommunale.")]
    NoAnswer {
        /// The host name typed.
        host: String,
    },
    /// Something answers, but it is not a Centrale server.
    #[error("L'adresse « {host} » répond, mais ce n'est pas un serveur Centrale. Vérifiez l'adresse donnée par l'intercommunale.")]
    NotCentrale {
        /// The host name typed.
        host: String,
    },
    /// The server's certificate is not trusted by this computer.
    #[error("Le certificat de sécurité du serveur « {host} » n'est pas reconnu par cet ordinateur. Si le réseau de la commune inspecte les connexions, son service informatique doit installer son certificat dans Windows ; sinon prévenez l'intercommunale.")]
    CertificateRefused {
        /// The host name typed.
        host: String,
    },
    /// A Centrale server too new for this version of the app.
    #[error("Le serveur « {host} » demande une version plus récente de Centrale. Installez la mise à jour.")]
    UpdateNeeded {
        /// The host name typed.
        host: String,
    },
}

impl ProbeError {
    /// Stable code for the app's message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            ProbeError::UnknownHost { .. } => "server_unknown_host",
            ProbeError::NoAnswer { .. } => "server_no_answer",
            ProbeError::NotCentrale { .. } => "server_not_centrale",
            ProbeError::CertificateRefused { .. } => "server_certificate_refused",
            ProbeError::UpdateNeeded { .. } => "update_needed",
        }
    }

    /// The host name the message names.
    pub fn host(&self) -> &str {
        match self {
            ProbeError::UnknownHost { host }
            | ProbeError::NoAnswer { host }
            | ProbeError::NotCentrale { host }
            | ProbeError::CertificateRefused { host }
            | ProbeError::UpdateNeeded { host } => host,
        }
    }
}

/// The host of a tidied address (`https://host:port/path` → `host`).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host.to_string(),
        _ => authority.to_string(),
    }
}

/// The words of an error and of its causes.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text} : {s}");
        source = s.source();
    }
    text
}

/// Classes a failed request: reqwest files every failure before an HTTP answer under
/// "connect"; the causes' words tell a name that does not resolve (hyper's "dns error") and
/// a refused certificate (rustls' "invalid peer certificate") from the rest.
fn classify(e: &reqwest::Error, host: String) -> ProbeError {
    let words = chain(e).to_lowercase();
    if words.contains("certificate") || words.contains("invalidcertificate") {
        ProbeError::CertificateRefused { host }
    } else if words.contains("dns error") || words.contains("failed to lookup address") {
        ProbeError::UnknownHost { host }
    } else {
        ProbeError::NoAnswer { host }
    }
}

/// Asks `url/health` and checks the answer is a Centrale server this app can talk to.
/// `url` is a tidied address (scheme, no trailing slash).
pub async fn probe(url: &str, timeout: Duration) -> Result<HealthResponse, ProbeError> {
    let host = host_of(url);
    let http = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("centrale-desktop/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|_| ProbeError::NoAnswer { host: host.clone() })?;
    let response = http
        .get(format!("{url}/health"))
        .send()
        .await
        .map_err(|e| classify(&e, host.clone()))?;
    if !response.status().is_success() {
        return Err(ProbeError::NotCentrale { host });
    }
    let text = response
        .text()
        .await
        .map_err(|e| classify(&e, host.clone()))?;
    let health: HealthResponse =
        serde_json::from_str(&text).map_err(|_| ProbeError::NotCentrale { host: host.clone() })?;
    if health.status != "ok" {
        return Err(ProbeError::NotCentrale { host });
    }
    if health.min_protocol_version > PROTOCOL_VERSION {
        return Err(ProbeError::UpdateNeeded { host });
    }
    Ok(health)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_is_named_without_scheme_port_or_path() {
        assert_eq!(
            host_of("https://centrale.exemple.be"),
            "centrale.exemple.be"
        );
        assert_eq!(host_of("http://127.0.0.1:8080/centrale"), "127.0.0.1");
        assert_eq!(host_of("https://[::1]:8443"), "[::1]");
    }

    #[test]
    fn each_failure_has_its_own_code() {
        let host = || "x".to_string();
        let codes = [
            ProbeError::UnknownHost { host: host() }.code(),
            ProbeError::NoAnswer { host: host() }.code(),
            ProbeError::NotCentrale { host: host() }.code(),
            ProbeError::CertificateRefused { host: host() }.code(),
            ProbeError::UpdateNeeded { host: host() }.code(),
        ];
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
    }
}
