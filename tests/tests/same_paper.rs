//! Issue 12 §1: same data → same content. A year of the demo history is played on the server;
//! the centrale's PC and Bertrix's PC sync it; every document of every order and adhesion each
//! PC holds is then produced from the PC's cache (as the desktop app does: `Store::order_paper`,
//! the server's `centrale_name` as pulled) and from the server's database (as its routes, portal
//! and e-mails do: `centrale_server::paper`), at the same instant, and compared: the typst
//! source must be identical (a field one side loses changes it), and the PDFs byte for byte
//! for the order with the most documents (typesetting is deterministic for one instant).

use std::sync::Arc;

use centrale_documents::{AdhesionDocuments, OrderDocuments, Reader};
use centrale_server::{AppState, Clock, ManualClock, Settings};
use centrale_sync::SyncConfig;
use centrale_tests::*;
use chrono::Duration;
use uuid::Uuid;

const CENTRALE_NAME: &str = "Centrale d'achat IDELUX";

fn ids(pc: &TestClient, kind: &str) -> Vec<Uuid> {
    Live::of_store(&pc.store)
        .of_kind(kind)
        .into_iter()
        .map(|(id, _)| Uuid::parse_str(id).expect("an id"))
        .collect()
}

/// The documents of `order_id` as the PC makes them.
fn on_the_pc(pc: &TestClient, order_id: Uuid, at: chrono::DateTime<chrono::Utc>) -> OrderDocuments {
    let centrale = pc
        .store
        .server_settings()
        .unwrap()
        .and_then(|s| s.centrale_name)
        .expect("the server's name, pulled");
    let paper = pc
        .store
        .order_paper(order_id)
        .unwrap()
        .expect("the order on the PC");
    OrderDocuments::new(paper, &centrale, at)
}

async fn on_the_server(
    state: &AppState,
    order_id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> OrderDocuments {
    let order = centrale_server::paper::order(&state.db, order_id)
        .await
        .unwrap()
        .expect("the order on the server");
    centrale_server::paper::order_documents(state, order, at)
        .await
        .unwrap()
        .expect("its framework on the server")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_document_is_the_same_on_the_pc_and_on_the_server() {
    let settings = Settings {
        centrale_name: CENTRALE_NAME.into(),
        ..Settings::default()
    };
    let server = TestServer::spawn_with(settings.clone()).await;
    centrale_server::seed_history::seed_demo_history(&server.db, server.now())
        .await
        .expect("the demo history");
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(server.now()));
    let state = AppState::new(server.db.clone(), clock, settings);
    let at = server.now() + Duration::hours(3);

    let mut compared = 0;
    let mut richest: Option<(usize, Uuid)> = None;
    for who in [CENTRALE, DG] {
        let pc = TestClient::new(SyncConfig::new(&server.base), &server.login(who).await);
        pc.sync().await;
        let orders = ids(&pc, "order");
        assert!(orders.len() >= 2, "{who} holds orders: {orders:?}");
        for order_id in orders {
            let pc_docs = on_the_pc(&pc, order_id, at);
            let server_docs = on_the_server(&state, order_id, at).await;
            // The commune and the centrale are offered the same documents on both sides.
            let reader = if who == CENTRALE {
                Reader::Centrale
            } else {
                Reader::Commune
            };
            let choices = pc_docs.choices(reader);
            assert_eq!(
                choices,
                server_docs.choices(reader),
                "{who}: order {order_id}"
            );
            for c in &choices {
                assert_eq!(
                    pc_docs.source(c.which).unwrap(),
                    server_docs.source(c.which).unwrap(),
                    "{who}: « {} » of order {order_id} differs between the PC and the server",
                    c.title
                );
                assert_eq!(pc_docs.file_name(c.which), server_docs.file_name(c.which));
                compared += 1;
            }
            if richest.is_none_or(|(n, _)| choices.len() > n) {
                richest = Some((choices.len(), order_id));
            }
        }
        for adhesion_id in ids(&pc, "adhesion") {
            let Some(paper) = pc.store.adhesion_paper(adhesion_id).unwrap() else {
                continue;
            };
            let pc_docs = AdhesionDocuments::new(paper, CENTRALE_NAME, at);
            let server_docs = centrale_server::paper::adhesion_documents(&state, adhesion_id, at)
                .await
                .unwrap()
                .expect("the adhesion on the server");
            let available = pc_docs.file().available();
            assert_eq!(available, server_docs.file().available());
            for which in available {
                assert_eq!(
                    pc_docs.file().source(which).unwrap(),
                    server_docs.file().source(which).unwrap(),
                    "{who}: « {} » of adhesion {adhesion_id}",
                    which.title_fr()
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 40, "{compared} documents compared");

    // The PDFs themselves, byte for byte, for the order with the most documents (its letters,
    // purchase order and acceptance records included), and its zip.
    let (count, order_id) = richest.expect("an order");
    assert!(count >= 8, "an order with its award's documents: {count}");
    let pc = TestClient::new(SyncConfig::new(&server.base), &server.login(CENTRALE).await);
    pc.sync().await;
    let pc_docs = on_the_pc(&pc, order_id, at);
    let server_docs = on_the_server(&state, order_id, at).await;
    for c in pc_docs.choices(Reader::Centrale) {
        let a = pc_docs.pdf(c.which).unwrap();
        let b = server_docs.pdf(c.which).unwrap();
        assert!(a.pdf.starts_with(b"%PDF-"));
        assert!(a.pdf == b.pdf, "« {} »: the two PDFs differ", c.title);
    }
    assert!(
        pc_docs.zip().unwrap() == server_docs.zip().unwrap(),
        "the zips differ"
    );
}
