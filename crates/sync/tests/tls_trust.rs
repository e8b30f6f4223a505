//! TLS trusts the operating system's store (issue 13 §3): a CA that only that store knows (an
//! inspecting proxy's, installed by the commune's IT) is accepted; an unknown one is refused
//! with its own code. A test binary of its own: it sets `SSL_CERT_FILE` for the process.

use std::sync::Arc;
use std::time::Duration;

use centrale_protocol::{HealthResponse, PROTOCOL_VERSION};
use centrale_sync::probe;
use chrono::Utc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PATIENCE: Duration = Duration::from_secs(10);

fn health() -> HealthResponse {
    HealthResponse {
        status: "ok".into(),
        server_version: "0.1.0".into(),
        protocol_version: PROTOCOL_VERSION,
        min_protocol_version: 1,
        server_time: Utc::now(),
        database: "sqlite".into(),
    }
}

/// A CA of our own and an HTTPS server for `localhost` with a certificate it signed, answering
/// every request with a Centrale health. Returns the server's address and the CA in PEM.
async fn https_server_with_private_ca() -> (String, String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Proxy de la commune (test)");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let server_key = rcgen::KeyPair::generate().unwrap();
    let server_params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let server_cert = server_params.signed_by(&server_key, &ca, &ca_key).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![server_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(server_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to answer.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = serde_json::to_string(&health()).unwrap();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), ca.pem())
}

/// One test for both sides, in this order: the trust store is read from the environment when
/// a client is built, so the variable is set only after the refusal was seen.
#[tokio::test]
async fn a_ca_only_the_system_store_trusts_is_accepted_and_an_unknown_one_refused() {
    let (url, ca_pem) = https_server_with_private_ca().await;

    // The CA is in no store yet: refused, and said so.
    let refused = probe(&url, PATIENCE).await.unwrap_err();
    assert_eq!(refused.code(), "server_certificate_refused", "{refused}");
    assert_eq!(refused.host(), "localhost");

    // The commune's IT installs the CA in the system store: on Linux, the file the
    // `SSL_CERT_FILE` variable names (read by rustls-native-certs instead of /etc/ssl).
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("ca-certificates.crt");
    std::fs::write(&store, ca_pem).unwrap();
    std::env::set_var("SSL_CERT_FILE", &store);
    let health = probe(&url, PATIENCE).await.unwrap();
    assert_eq!(health.status, "ok");
}
