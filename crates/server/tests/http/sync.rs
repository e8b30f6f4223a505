//! Push and pull: exactly once, conflicts, concurrency, pages and tombstones.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use centrale_protocol::records::RecordKind;
use centrale_protocol::{MutationStatus, PushRequest};
use common::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn replaying_a_mutation_gives_the_same_result_and_one_change() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let order_id = Uuid::now_v7();
    let envelope = app.envelope(
        "order.create_draft",
        create_draft(order_id, "e-guichet", "Commande rejouée", eguichet_needs()),
        None,
    );
    let first = app
        .push_envelopes(&token, app.client_id, vec![envelope.clone()])
        .await;
    assert_eq!(first.results[0].status, MutationStatus::Applied);
    let (changes, cursor) = app.pull_since(&token, 0).await;

    // The same mutation again (a retry after a lost answer), alone and inside a new batch.
    let again = app
        .push_envelopes(&token, app.client_id, vec![envelope.clone()])
        .await;
    assert_eq!(again.results, first.results);
    let other = app.envelope(
        "order.update_draft",
        json!({"order_id": order_id, "title": "Commande rejouée (modifiée)", "needs": eguichet_needs()}),
        Some(1),
    );
    let batch = app
        .push_envelopes(&token, app.client_id, vec![envelope.clone(), other])
        .await;
    assert_eq!(batch.results[0], first.results[0]);
    assert_eq!(batch.results[1].status, MutationStatus::Applied);
    // Only the update produced a change; the order exists once, at version 2.
    let (after, _) = app.pull_since(&token, cursor).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].version, 2);
    let view = View::of(&app.pull_all(&token).await);
    assert_eq!(
        view.find(RecordKind::Order, "id", order_id.to_string())
            .len(),
        1
    );
    assert_eq!(view.version(RecordKind::Order, order_id), Some(2));
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.kind == RecordKind::Order)
            .count(),
        1
    );

    // Another account reusing the id gets a clear refusal, and changes nothing.
    let agent = app.token(AGENT).await;
    let stolen = app
        .push_envelopes(&agent, Uuid::now_v7(), vec![envelope])
        .await;
    assert_eq!(stolen.results[0].status, MutationStatus::Rejected);
    assert_eq!(
        stolen.results[0].code.as_deref(),
        Some("mutation_id_reused")
    );
    assert_eq!(app.pull_since(&token, cursor).await.0.len(), 1);
}

#[tokio::test]
async fn a_rejected_mutation_replayed_gets_the_same_rejection() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let order_id = draft_order(&app, "e-guichet", "Envoi trop tôt", eguichet_needs()).await;
    let early = app.envelope("order.submit", submit(order_id), None);
    let first = app
        .push_envelopes(&token, app.client_id, vec![early.clone()])
        .await;
    assert_eq!(first.results[0].status, MutationStatus::Rejected);
    assert_eq!(
        first.results[0].code.as_deref(),
        Some("adhesion_not_active")
    );
    let (_, cursor) = app.pull_since(&token, 0).await;
    let again = app
        .push_envelopes(&token, app.client_id, vec![early.clone()])
        .await;
    assert_eq!(again.results, first.results);
    // Even once the adhesion is active, the stored answer stands: a new attempt needs a new id.
    activate_adhesion(&app, "84009").await;
    let replay = app.push_envelopes(&token, app.client_id, vec![early]).await;
    assert_eq!(replay.results, first.results);
    let view = app.state_of(DG).await;
    assert_eq!(
        view.get(RecordKind::Order, order_id).unwrap()["status"],
        "draft"
    );
    app.apply(DG, "order.submit", submit(order_id)).await;
    assert!(app.pull_since(&token, cursor).await.0.len() > 1);
}

#[tokio::test]
async fn two_edits_of_the_same_version_conflict_and_the_server_record_is_returned() {
    let app = spawn_app().await;
    let order_id = draft_order(&app, "e-guichet", "Brouillon partagé", eguichet_needs()).await;
    let dg = app.token(DG).await;
    let agent = app.token(AGENT).await;
    let edit =
        |title: &str| json!({"order_id": order_id, "title": title, "needs": eguichet_needs()});
    // Two offices edit version 1 while offline; the DG's edit arrives first.
    let first = app
        .push_envelopes(
            &dg,
            Uuid::now_v7(),
            vec![app.envelope("order.update_draft", edit("Version du DG"), Some(1))],
        )
        .await;
    assert_eq!(first.results[0].status, MutationStatus::Applied);
    assert_eq!(first.results[0].records[0].version, 2);
    let second = app
        .push_envelopes(
            &agent,
            Uuid::now_v7(),
            vec![app.envelope("order.update_draft", edit("Version de l'agent"), Some(1))],
        )
        .await;
    let result = &second.results[0];
    assert_eq!(result.status, MutationStatus::Conflict);
    assert_eq!(result.code.as_deref(), Some("conflict"));
    assert_french(result.message.as_deref().unwrap());
    let current = result.current.as_ref().expect("the server's record");
    assert_eq!(current.version, 2);
    assert_eq!(current.kind, RecordKind::Order);
    assert_eq!(current.record["title"], "Version du DG");
    // The loser's edit was not applied; rebased on version 2 it is.
    let view = app.state_of(DG).await;
    assert_eq!(
        view.get(RecordKind::Order, order_id).unwrap()["title"],
        "Version du DG"
    );
    let rebased = app
        .push_envelopes(
            &agent,
            Uuid::now_v7(),
            vec![app.envelope("order.update_draft", edit("Version de l'agent"), Some(2))],
        )
        .await;
    assert_eq!(rebased.results[0].status, MutationStatus::Applied);
    // A delete based on a stale version conflicts too.
    let stale_delete = app
        .push_envelopes(
            &dg,
            Uuid::now_v7(),
            vec![app.envelope("order.delete_draft", json!({"order_id": order_id}), Some(2))],
        )
        .await;
    assert_eq!(stale_delete.results[0].status, MutationStatus::Conflict);
    assert_eq!(stale_delete.results[0].current.as_ref().unwrap().version, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pushes_apply_every_mutation_exactly_once_and_pages_see_each_once() {
    let app = Arc::new(spawn_app().await);
    let users = [DG, AGENT];
    let mut tokens = BTreeMap::new();
    for user in users {
        tokens.insert(user, app.token(user).await);
    }
    let mut tasks = Vec::new();
    let mut expected = BTreeSet::new();
    for user in users {
        for client in 0..3 {
            let client_id = Uuid::now_v7();
            let envelopes: Vec<_> = (0..20)
                .map(|i| {
                    let order_id = Uuid::now_v7();
                    expected.insert(order_id.to_string());
                    centrale_protocol::MutationEnvelope {
                        mutation_id: Uuid::now_v7(),
                        client_seq: i + 1,
                        name: "order.create_draft".into(),
                        base_version: None,
                        payload: create_draft(
                            order_id,
                            "e-guichet",
                            &format!("Commande {user} poste {client} n°{i}"),
                            eguichet_needs(),
                        ),
                        second_factor: None,
                    }
                })
                .collect();
            let app = app.clone();
            let token = tokens[user].clone();
            tasks.push(tokio::spawn(async move {
                // In batches of 5, interleaving with the other clients.
                let mut results = Vec::new();
                for chunk in envelopes.chunks(5) {
                    let request = PushRequest {
                        protocol_version: 1,
                        client_id,
                        mutations: chunk.to_vec(),
                    };
                    let response = app
                        .push_raw(&token, &serde_json::to_value(&request).unwrap())
                        .await;
                    assert_eq!(response.status(), reqwest::StatusCode::OK);
                    let body: centrale_protocol::PushResponse = response.json().await.unwrap();
                    results.extend(body.results);
                }
                // A retry of everything (lost answers) changes nothing.
                let request = PushRequest {
                    protocol_version: 1,
                    client_id,
                    mutations: envelopes.clone(),
                };
                let response = app
                    .push_raw(&token, &serde_json::to_value(&request).unwrap())
                    .await;
                let body: centrale_protocol::PushResponse = response.json().await.unwrap();
                assert_eq!(body.results, results);
                results
            }));
        }
    }
    for task in tasks {
        let results = task.await.unwrap();
        assert_eq!(results.len(), 20);
        assert!(results.iter().all(|r| r.status == MutationStatus::Applied));
    }

    let token = &tokens[DG];
    let full = app.pull_all(token).await;
    let mut paged = Vec::new();
    let mut cursor = 0;
    let mut pages = 0;
    loop {
        let page = app.pull_page(token, cursor, Some(7)).await;
        assert!(page.changes.len() <= 7);
        pages += 1;
        if page.has_more {
            assert_eq!(page.changes.len(), 7);
        }
        if let Some(last) = page.changes.last() {
            assert_eq!(page.next_cursor, last.seq);
        }
        paged.extend(page.changes);
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(pages, full.len().div_ceil(7));
    assert!(
        paged.windows(2).all(|w| w[0].seq < w[1].seq),
        "strictly increasing seqs"
    );
    assert_eq!(paged, full, "no gap, no repeat relative to a full pull");
    let orders: Vec<&str> = paged
        .iter()
        .filter(|c| c.kind == RecordKind::Order)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(orders.len(), 120, "every order exactly once");
    let distinct: BTreeSet<String> = orders.iter().map(|s| s.to_string()).collect();
    assert_eq!(distinct, expected);
    // The agent sees the same orders (same commune).
    let agent_view = app.state_of(AGENT).await;
    assert_eq!(agent_view.all(RecordKind::Order).len(), 120);
}

#[tokio::test]
async fn page_boundaries_empty_exact_and_one_more() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let (all, last) = app.pull_since(&token, 0).await;
    let n = all.len() as u32;
    assert!(n > 50, "the seed is visible");

    // Empty: at the end.
    let page = app.pull_page(&token, last, None).await;
    assert!(page.changes.is_empty());
    assert!(!page.has_more);
    assert_eq!(page.next_cursor, last);

    // Exactly one page.
    let page = app.pull_page(&token, 0, Some(n)).await;
    assert_eq!(page.changes.len() as u32, n);
    assert!(!page.has_more);
    assert_eq!(page.next_cursor, last);

    // One page and one more.
    let page = app.pull_page(&token, 0, Some(n - 1)).await;
    assert_eq!(page.changes.len() as u32, n - 1);
    assert!(page.has_more);
    let rest = app.pull_page(&token, page.next_cursor, Some(n - 1)).await;
    assert_eq!(rest.changes.len(), 1);
    assert!(!rest.has_more);
    assert_eq!(rest.changes[0], all[all.len() - 1]);

    // A new change appears after the stored cursor, alone.
    let order_id = draft_order(&app, "e-guichet", "Nouvelle commande", eguichet_needs()).await;
    let page = app.pull_page(&token, last, None).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].id, order_id.to_string());
    assert!(page.changes[0].seq > last);
}

/// A record of a kind this server no longer knows (left by an older version) is passed over:
/// not sent — a PC could not read it — but the cursor moves beyond it, so the page after it
/// is not asked for again and again.
#[tokio::test]
async fn a_record_of_an_unknown_kind_is_passed_over_not_sent() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let (_, last) = app.pull_since(&token, 0).await;
    let mut tx = app.db.write().await.expect("write");
    let stray = tx
        .put_record(&centrale_server_db::RecordWrite {
            kind: "retired_kind".into(),
            id: "x-1".into(),
            version: 1,
            deleted: false,
            parent_id: None,
            body: json!({"id": "x-1", "commune_nis": "84009"}),
            format_version: 1,
            visibility: centrale_server_db::Visibility {
                commune: Some("84009".into()),
                ..Default::default()
            },
            updated_at: centrale_server::Clock::now(app.clock.as_ref()),
        })
        .await
        .expect("put");
    tx.commit().await.expect("commit");

    let page = app.pull_page(&token, last, None).await;
    assert!(page.changes.is_empty(), "{:?}", page.changes);
    assert!(!page.has_more);
    assert_eq!(page.next_cursor, stray, "the cursor passes it");

    // Between two known changes, in a page of one: passed over too, in order.
    let order_id = draft_order(&app, "e-guichet", "Après l'inconnu", eguichet_needs()).await;
    let page = app.pull_page(&token, last, Some(1)).await;
    assert!(page.changes.is_empty());
    assert!(page.has_more);
    assert_eq!(page.next_cursor, stray);
    let page = app.pull_page(&token, page.next_cursor, Some(1)).await;
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.changes[0].id, order_id.to_string());
}

#[tokio::test]
async fn deleting_a_draft_sends_a_tombstone() {
    let app = spawn_app().await;
    let token = app.token(DG).await;
    let order_id = draft_order(&app, "e-guichet", "Brouillon à supprimer", eguichet_needs()).await;
    let (_, cursor) = app.pull_since(&token, 0).await;
    app.apply(DG, "order.delete_draft", json!({"order_id": order_id}))
        .await;
    let (changes, _) = app.pull_since(&token, cursor).await;
    assert_eq!(changes.len(), 1);
    let tombstone = &changes[0];
    assert_eq!(tombstone.kind, RecordKind::Order);
    assert_eq!(tombstone.id, order_id.to_string());
    assert!(tombstone.deleted);
    assert!(tombstone.record.is_null());
    assert_eq!(tombstone.version, 2);
    // A full pull shows the record as deleted only (no stale copy).
    let full = app.pull_all(&token).await;
    let copies: Vec<_> = full
        .iter()
        .filter(|c| c.id == order_id.to_string())
        .collect();
    assert_eq!(copies.len(), 1);
    assert!(copies[0].deleted);
    // Gone means gone: it cannot be submitted nor deleted again, and its id is not reused silently.
    app.reject(DG, "order.submit", submit(order_id), "not_found")
        .await;
    app.reject(
        DG,
        "order.delete_draft",
        json!({"order_id": order_id}),
        "not_found",
    )
    .await;
    // Its id cannot be reused: that would move the record's version back behind the tombstone.
    app.reject(
        DG,
        "order.create_draft",
        create_draft(order_id, "e-guichet", "Résurrection", eguichet_needs()),
        "duplicate_id",
    )
    .await;
    let (changes, _) = app.pull_since(&token, cursor).await;
    assert_eq!(changes.len(), 1, "still only the tombstone");
    // Only a draft can be deleted.
    activate_adhesion(&app, "84009").await;
    let submitted = draft_order(&app, "e-guichet", "Envoyée", eguichet_needs()).await;
    app.apply(DG, "order.submit", submit(submitted)).await;
    app.reject(
        DG,
        "order.delete_draft",
        json!({"order_id": submitted}),
        "invalid_state",
    )
    .await;
}
