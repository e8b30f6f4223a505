//! A server process for the tests that kill one: serves the database at `<url>` (already
//! migrated and seeded) on a free loopback port with a manual clock at the tests' start time,
//! and prints `LISTENING <address>` once it accepts connections.
//!
//! Usage: `centrale-e2e-server <database-url>`

use std::io::Write;
use std::sync::Arc;

use centrale_server::{AppState, ManualClock, Settings};
use centrale_server_db::Database;

#[tokio::main]
async fn main() {
    let url = std::env::args()
        .nth(1)
        .expect("usage: centrale-e2e-server <database-url>");
    let db = Database::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    let clock = Arc::new(ManualClock::new(centrale_tests::t0()));
    let state = AppState::new(db, clock, Settings::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a free port");
    let addr = listener.local_addr().expect("local address");
    println!("LISTENING {addr}");
    std::io::stdout().flush().expect("writing to stdout");
    axum::serve(listener, centrale_server::http::router(state))
        .await
        .expect("serving");
}
