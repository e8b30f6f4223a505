//! The cache file over time: a cache written by the previous release is migrated with its
//! data and outbox, and a damaged cache is rescued without losing the unsent work it can
//! still read.

use std::path::Path;

use centrale_protocol::Change;
use centrale_store::{backup_path, OutboxState, Store, SCHEMA_VERSION};
use centrale_sync::SyncConfig;
use centrale_tests::mutations as m;
use centrale_tests::*;
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use uuid::Uuid;

/// The commune and parent a record is filed under, as schema 1 filed them.
fn filed(change: &Change) -> (Option<String>, Option<String>) {
    let text = |field: &str| {
        change
            .record
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let commune = match change.kind.as_str() {
        "commune" => text("nis_code"),
        _ => text("commune_nis"),
    };
    let parent = match change.kind.as_str() {
        "invitation" | "offer" | "milestone" => text("order_id"),
        "order" => text("service_id"),
        "service" => text("framework_id"),
        _ => None,
    };
    (commune, parent)
}

#[tokio::test]
async fn a_cache_of_the_previous_release_migrates_with_its_records_and_outbox_and_then_syncs() {
    let server = TestServer::spawn().await;
    let edited = Uuid::now_v7();
    server
        .apply(DG, m::create_draft(edited, "Brouillon de l'intercommunale"))
        .await;
    let login = server.login(DG).await;
    let (changes, cursor) = server.changes(DG).await;

    // The previous release's cache: schema 1, filled the way it filled it.
    let dir = tempfile::tempdir().unwrap();
    let path = centrale_store::default_path(dir.path());
    let client_id = {
        let old = Store::open_at_schema(&path, 1).unwrap();
        old.client_id().unwrap()
    };
    let created = Uuid::now_v7();
    let (create_id, edit_id, refused_id) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let create = m::create_draft(created, "Brouillon écrit avec l'ancienne version");
    let edit = m::update_draft(edited, "Titre corrigé avec l'ancienne version", 11);
    {
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
        let tx = conn.unchecked_transaction().unwrap();
        let mut server_body = Value::Null;
        for change in changes.iter().filter(|c| !c.deleted) {
            let (commune, parent) = filed(change);
            tx.execute(
                "INSERT INTO record (kind, id, version, body, commune_nis, parent_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    change.kind.as_str(),
                    change.id,
                    change.version,
                    change.record.to_string(),
                    commune,
                    parent
                ],
            )
            .unwrap();
            if change.id == edited.to_string() {
                server_body = change.record.clone();
            }
        }
        let session = serde_json::to_string(&login.user).unwrap();
        for (key, value) in [
            ("cursor", cursor.to_string()),
            ("session", session.clone()),
            ("next_client_seq", "4".into()),
        ] {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )
            .unwrap();
        }
        let outbox = [
            (1, create_id, &create, None, "pending", None),
            (2, edit_id, &edit, Some(1), "pending", None),
            (
                3,
                refused_id,
                &m::submit(edited),
                None,
                "needs_attention",
                Some("adhesion_not_active"),
            ),
        ];
        for (seq, id, mutation, base, state, code) in outbox {
            tx.execute(
                "INSERT INTO outbox (client_seq, mutation_id, name, payload, base_version, created_at,
                   created_by, state, error_code, error_message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    seq,
                    id.to_string(),
                    mutation.name(),
                    mutation.payload().to_string(),
                    base,
                    t0().to_rfc3339(),
                    session,
                    state,
                    code,
                    code.map(|_| "L'adhésion de votre commune n'est pas encore active."),
                ],
            )
            .unwrap();
        }
        // The local effects of the two pending changes, with the server's copy kept aside.
        let mut local = server_body.clone();
        local["id"] = json!(created);
        local["title"] = json!("Brouillon écrit avec l'ancienne version");
        tx.execute(
            "INSERT INTO record (kind, id, version, body, commune_nis, parent_id, pending, server_version)
             VALUES ('order', ?1, 0, ?2, ?3, ?4, 1, 0)",
            params![created.to_string(), local.to_string(), BERTRIX, server_body["service_id"].as_str()],
        )
        .unwrap();
        let mut title = server_body.clone();
        title["title"] = json!("Titre corrigé avec l'ancienne version");
        tx.execute(
            "UPDATE record SET pending = 1, server_version = version, server_body = body, body = ?2
             WHERE kind = 'order' AND id = ?1",
            params![edited.to_string(), title.to_string()],
        )
        .unwrap();
        for (seq, id) in [(1, created), (2, edited)] {
            tx.execute(
                "INSERT INTO outbox_touch (client_seq, kind, id) VALUES (?1, 'order', ?2)",
                params![seq, id.to_string()],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let before = Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM record", [], |r| r.get::<_, i64>(0))
        .unwrap();

    // The new release opens it.
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .read(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let backup = backup_path(&path, 1);
    assert!(
        backup.exists(),
        "a copy of the old cache is kept at {}",
        backup.display()
    );
    let copy = Connection::open(&backup).unwrap();
    assert_eq!(
        copy.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        1
    );
    assert_eq!(
        copy.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        3
    );
    drop(copy);

    assert_eq!(store.client_id().unwrap(), client_id, "same installation");
    assert_eq!(store.cursor().unwrap(), cursor);
    assert_eq!(store.session().unwrap(), Some(login.user.clone()));
    let count: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM record", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(count, before, "every record kept");
    let pending = store.pending().unwrap();
    let ids: Vec<Uuid> = pending.iter().map(|e| e.mutation_id).collect();
    assert_eq!(ids, vec![create_id, edit_id]);
    assert_eq!(pending[0].payload, create.payload());
    assert_eq!(pending[1].payload, edit.payload());
    assert_eq!(pending[1].base_version, Some(1));
    assert!(pending
        .iter()
        .all(|e| e.depends_on.is_none() && e.attempts == 0));
    let attention = store.needs_attention().unwrap();
    assert_eq!(attention.len(), 1);
    assert_eq!(attention[0].mutation_id, refused_id);
    assert_eq!(attention[0].state, OutboxState::NeedsAttention);
    assert_eq!(
        attention[0].error_code.as_deref(),
        Some("adhesion_not_active")
    );
    drop(store);

    // And syncs.
    let pc = TestClient::at(SyncConfig::new(&server.base), &path, &login);
    assert_eq!(
        pc.live().get("order", edited).unwrap()["title"],
        "Titre corrigé avec l'ancienne version"
    );
    let report = pc.sync().await;
    assert_eq!(
        (report.applied, report.rejected, report.conflicts),
        (2, 0, 0)
    );
    let view = server.view(DG).await;
    assert!(pc.live() == view, "{:?}", pc.live().diff(&view));
    assert_eq!(view.version("order", edited), Some(2));
    assert_eq!(
        view.get("order", edited).unwrap()["title"],
        "Titre corrigé avec l'ancienne version"
    );
    assert!(view.get("order", created).is_some());
    let applied = server.applied_counts().await;
    assert_eq!(
        (applied.get(&create_id), applied.get(&edit_id)),
        (Some(&1), Some(&1))
    );
    assert_eq!(
        pc.store.needs_attention().unwrap().len(),
        1,
        "the refusal still waits for the user"
    );
}

/// How a cache file gets damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Damage {
    /// A page of the records is overwritten (a bad sector).
    RecordsPage,
    /// The file is cut short after the outbox's pages (a copy that stopped).
    TruncatedAfterTheOutbox,
    /// The outbox's own page is overwritten.
    OutboxPage,
    /// The file's header is overwritten: not a database any more.
    Header,
}

impl Damage {
    fn outbox_readable(self) -> bool {
        matches!(self, Damage::RecordsPage | Damage::TruncatedAfterTheOutbox)
    }
}

/// Pages of table `name` (its b-tree, overflow pages included).
fn pages_of(conn: &Connection, name: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare("SELECT pageno FROM dbstat WHERE name = ?1 ORDER BY pageno")
        .unwrap();
    let pages = stmt
        .query_map([name], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<i64>>>()
        .unwrap();
    assert!(!pages.is_empty(), "table {name} has pages");
    pages
}

fn damage(path: &Path, how: Damage) {
    use std::io::{Seek, SeekFrom, Write};
    let (page_size, record_pages, outbox_pages, kept_pages) = {
        let conn = Connection::open(path).unwrap();
        let page_size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let records = pages_of(&conn, "record");
        let outbox = pages_of(&conn, "outbox");
        // What a rescue reads: the schema, the settings and the outbox.
        let kept = ["sqlite_schema", "meta", "outbox"]
            .iter()
            .flat_map(|t| pages_of(&conn, t))
            .max()
            .unwrap();
        (page_size, records, outbox, kept)
    };
    let wal = path.with_extension("db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "everything is in the main file"
    );
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    let mut overwrite = |page: i64| {
        file.seek(SeekFrom::Start(((page - 1) * page_size) as u64))
            .unwrap();
        file.write_all(&vec![0xA5; page_size as usize]).unwrap();
    };
    match how {
        Damage::RecordsPage => {
            let page = record_pages[0];
            assert!(!outbox_pages.contains(&page));
            overwrite(page);
        }
        Damage::OutboxPage => overwrite(outbox_pages[0]),
        Damage::TruncatedAfterTheOutbox => {
            assert!(
                record_pages.iter().any(|&p| p > kept_pages),
                "records lie after the outbox: {record_pages:?} vs {kept_pages}"
            );
            file.set_len((kept_pages * page_size) as u64).unwrap();
        }
        Damage::Header => {
            file.seek(SeekFrom::Start(0)).unwrap();
            file.write_all(&[0x5A; 100]).unwrap();
        }
    }
    file.sync_all().unwrap();
}

#[tokio::test]
async fn a_damaged_cache_is_refused_clearly_then_rescued_with_its_readable_outbox_and_synced_back()
{
    let server = TestServer::spawn().await;
    let proxy = Proxy::start(server.addr).await;
    let login = server.login(DG).await;
    for how in [
        Damage::RecordsPage,
        Damage::TruncatedAfterTheOutbox,
        Damage::OutboxPage,
        Damage::Header,
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = centrale_store::default_path(dir.path());
        let config = SyncConfig::new(&proxy.url);
        let pc = TestClient::at(config.clone(), &path, &login);
        pc.sync().await;
        let client_id = pc.store.client_id().unwrap();
        // Three drafts pushed, applied by the server, but the answer was lost on the way…
        let mut sent = Vec::new();
        for i in 0..3 {
            let draft = m::create_draft(Uuid::now_v7(), &format!("Envoyé, réponse perdue {i}"));
            sent.push(pc.act(&draft).mutation_id);
        }
        proxy.arm("POST /api/v1/sync/push", 0, Fault::CutResponse(0));
        pc.try_sync().await.expect_err("the answer is lost");
        // …and one never sent.
        let unsent = pc
            .act(&m::create_draft(Uuid::now_v7(), "Jamais envoyé"))
            .mutation_id;
        let outbox: Vec<Uuid> = pc
            .store
            .pending()
            .unwrap()
            .iter()
            .map(|e| e.mutation_id)
            .collect();
        assert_eq!(outbox, [&sent[..], &[unsent]].concat(), "{how:?}");
        drop(pc);

        damage(&path, how);
        let error = Store::open(&path).expect_err("a damaged cache is refused");
        assert!(error.is_corrupt(), "{how:?}: {error:?}");
        assert_eq!(error.code(), "cache_corrupt");
        assert!(
            error.to_string().contains("endommagées"),
            "{how:?}: {error}"
        );

        let (store, rescued) = Store::rescue(&path).unwrap();
        assert!(
            rescued.damaged_copy.exists(),
            "{how:?}: the damaged file is kept aside"
        );
        assert_eq!(
            rescued.outbox_readable,
            how.outbox_readable(),
            "{how:?}: {rescued:?}"
        );
        assert_eq!(
            store.cursor().unwrap(),
            0,
            "{how:?}: a full re-sync follows"
        );
        let kept: Vec<Uuid> = store
            .pending()
            .unwrap()
            .iter()
            .map(|e| e.mutation_id)
            .collect();
        if how.outbox_readable() {
            assert_eq!(
                kept, outbox,
                "{how:?}: every unsent change is kept, in order"
            );
            assert_eq!(rescued.outbox_entries, outbox.len());
            assert_eq!(
                store.client_id().unwrap(),
                client_id,
                "{how:?}: same installation"
            );
        } else {
            assert!(kept.is_empty(), "{how:?}");
        }
        drop(store);

        let pc = TestClient::at(config, &path, &login);
        pc.sync().await;
        assert_eq!(pc.store.outbox_counts().unwrap(), (0, 0), "{how:?}");
        let view = server.view(DG).await;
        assert!(
            pc.live() == view,
            "{how:?}: records restored {:?}",
            pc.live().diff(&view)
        );
        let applied = server.applied_counts().await;
        for id in &sent {
            assert_eq!(applied.get(id), Some(&1), "{how:?}: {id} applied once");
        }
        let expected_unsent = if how.outbox_readable() {
            Some(&1)
        } else {
            None
        };
        assert_eq!(
            applied.get(&unsent),
            expected_unsent,
            "{how:?}: the unsent change"
        );
    }
}
