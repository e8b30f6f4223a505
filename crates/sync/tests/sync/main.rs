//! The sync crate's integration tests in one binary (each links the store, reqwest and axum):
//! the engine against a scripted server and the first-run probe. `tls_trust.rs` stays a binary
//! of its own: it sets `SSL_CERT_FILE` for its process, which `cargo test` would share.

mod engine;
mod probe;
