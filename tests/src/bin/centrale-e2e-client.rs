//! A desktop-app process for the tests that kill one: signs in, syncs, records one user
//! action (a new e-guichet draft) in its cache, prints `ENQUEUED <mutation id>`, and then
//! waits to be killed without ever pushing it.
//!
//! Usage: `centrale-e2e-client <cache file> <server url> <username> <order id>`

use std::io::Write;
use std::sync::Arc;

use centrale_store::Store;
use centrale_sync::{MemoryCredentials, SyncClient, SyncConfig};
use uuid::Uuid;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, url, username, order_id] = args.as_slice() else {
        panic!("usage: centrale-e2e-client <cache file> <server url> <username> <order id>");
    };
    let order_id = Uuid::parse_str(order_id).expect("order id");
    let store = Store::open(path).expect("opening the cache");
    let client = SyncClient::new(
        SyncConfig::new(url),
        store.clone(),
        Arc::new(MemoryCredentials::new()),
    )
    .expect("building the sync client");
    client
        .login(
            username,
            centrale_server::seed::DEMO_PASSWORD,
            "PC du secrétariat",
        )
        .await
        .expect("signing in");
    client.sync_once().await.expect("first sync");
    let queued = store
        .enqueue(&centrale_tests::mutations::create_draft(
            order_id,
            "Brouillon écrit juste avant la panne",
        ))
        .expect("recording the action");
    println!("ENQUEUED {}", queued.mutation_id);
    std::io::stdout().flush().expect("writing to stdout");
    // Wait to be killed: the push never happens.
    loop {
        std::thread::park();
    }
}
