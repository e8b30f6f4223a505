//! Storage tests, each run on SQLite and, when `CENTRALE_TEST_PG_URL` is set, on PostgreSQL.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use crate::testing::{backends_under_test, fresh_database_on};
use crate::*;

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_793_000_000 + secs, 0)
        .single()
        .expect("valid time")
}

pub(crate) fn record(kind: &str, id: &str, version: i64, visibility: Visibility) -> RecordWrite {
    RecordWrite {
        kind: kind.into(),
        id: id.into(),
        version,
        deleted: false,
        parent_id: None,
        body: json!({ "id": id, "v": version, "nom": "Été à Liège" }),
        format_version: 1,
        visibility,
        updated_at: t(version),
    }
}

pub(crate) fn public() -> Visibility {
    Visibility {
        public: true,
        ..Visibility::default()
    }
}

fn commune(nis: &str) -> Visibility {
    Visibility {
        commune: Some(nis.into()),
        centrale: true,
        ..Visibility::default()
    }
}

fn provider(id: &str) -> Visibility {
    Visibility {
        provider: Some(id.into()),
        ..Visibility::default()
    }
}

pub(crate) async fn put(db: &Database, w: &RecordWrite) -> i64 {
    let mut tx = db.write().await.expect("write");
    let seq = tx.put_record(w).await.expect("put");
    tx.commit().await.expect("commit");
    seq
}

async fn audit(db: &Database, n: usize) {
    let mut tx = db.write().await.expect("write");
    for i in 0..n {
        tx.append_audit(&AuditInput {
            at: t(i as i64),
            actor: "user-1".into(),
            action: "order.create".into(),
            record_kind: (i % 2 == 0).then(|| "order".to_string()),
            record_id: Some(format!("o{i}")),
            details: json!({ "i": i, "montant": "12.50" }),
        })
        .await
        .expect("append");
    }
    tx.commit().await.expect("commit");
}

fn new_user(id: &str, username: &str, demo: bool) -> NewUser {
    NewUser {
        id: id.into(),
        username: username.into(),
        display_name: format!("Utilisateur {username}"),
        role: "commune".into(),
        commune_nis: Some("62063".into()),
        provider_id: None,
        password_hash: "$argon2id$v=19$fake".into(),
        is_demo: demo,
        created_at: t(0),
        gender: "unspecified".into(),
        alderman: false,
        alderman_rank: None,
        email: None,
    }
}

#[tokio::test]
async fn upsert_increments_seq_and_pull_honours_visibility_and_paging() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        assert_eq!(put(&db, &record("catalogue", "c1", 1, public())).await, 1);
        assert_eq!(
            put(&db, &record("order", "o1", 1, commune("62063"))).await,
            2
        );
        assert_eq!(
            put(&db, &record("order", "o2", 1, commune("25072"))).await,
            3
        );
        assert_eq!(put(&db, &record("offer", "f1", 1, provider("p1"))).await, 4);
        let hidden = Visibility::default();
        assert_eq!(put(&db, &record("draft", "d1", 1, hidden)).await, 5);
        // Upsert: same key, new version, new seq; the old seq disappears from the log.
        let mut o1 = record("order", "o1", 2, commune("62063"));
        o1.parent_id = Some("c1".into());
        assert_eq!(put(&db, &o1).await, 6);
        let mut gone = record("order", "o2", 2, commune("25072"));
        gone.deleted = true;
        assert_eq!(put(&db, &gone).await, 7);
        assert_eq!(db.max_seq().await.expect("max"), 7);

        let stored = db
            .get_record("order", "o1")
            .await
            .expect("get")
            .expect("found");
        assert_eq!((stored.version, stored.seq), (2, 6));
        assert_eq!(stored.parent_id.as_deref(), Some("c1"));
        assert_eq!(stored.body["nom"], "Été à Liège");
        assert_eq!(stored.visibility, commune("62063"));
        assert_eq!(stored.updated_at, t(2));
        assert!(db.get_record("order", "nope").await.expect("get").is_none());
        assert_eq!(db.list_records("order").await.expect("list").len(), 2);
        let children = db.list_children("order", "c1").await.expect("children");
        assert_eq!(
            children.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["o1"]
        );

        let seqs = |page: PullPage| page.changes.iter().map(|r| r.seq).collect::<Vec<_>>();
        let liege = Viewer {
            commune: Some("62063".into()),
            ..Viewer::default()
        };
        assert_eq!(
            seqs(db.pull_page(&liege, 0, 100).await.expect("pull")),
            [1, 6]
        );
        let herstal = Viewer {
            commune: Some("25072".into()),
            ..Viewer::default()
        };
        let page = db.pull_page(&herstal, 0, 100).await.expect("pull");
        assert_eq!(seqs(page.clone()), [1, 7]);
        assert!(page.changes[1].deleted, "tombstone is pulled");
        let p1 = Viewer {
            provider: Some("p1".into()),
            ..Viewer::default()
        };
        assert_eq!(seqs(db.pull_page(&p1, 0, 100).await.expect("pull")), [1, 4]);
        let anonymous = Viewer::default();
        assert_eq!(
            seqs(db.pull_page(&anonymous, 0, 100).await.expect("pull")),
            [1]
        );
        let staff = Viewer {
            centrale: true,
            ..Viewer::default()
        };
        assert_eq!(
            seqs(db.pull_page(&staff, 0, 100).await.expect("pull")),
            [1, 6, 7]
        );

        // Paging: empty, exact page, page + 1.
        assert_eq!(seqs(db.pull_page(&staff, 0, 2).await.expect("p1")), [1, 6]);
        assert_eq!(seqs(db.pull_page(&staff, 6, 2).await.expect("p2")), [7]);
        let end = db.pull_page(&staff, 7, 2).await.expect("p3");
        assert!(end.changes.is_empty());
        assert_eq!(end.high_water, 7);
        assert!(db
            .pull_page(&staff, 0, 0)
            .await
            .expect("zero")
            .changes
            .is_empty());
    }
}

#[tokio::test]
async fn dropped_write_rolls_back() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        {
            let mut tx = db.write().await.expect("write");
            tx.put_record(&record("order", "o1", 1, public()))
                .await
                .expect("put");
            let seen = tx.get_record("order", "o1").await.expect("get");
            assert!(seen.is_some(), "visible inside the transaction");
            assert_eq!(tx.list_records("order").await.expect("list").len(), 1);
        }
        assert!(db.get_record("order", "o1").await.expect("get").is_none());
        assert_eq!(
            put(&db, &record("order", "o1", 1, public())).await,
            1,
            "seq reused"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_get_unique_gapless_seqs() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        let mut tasks = Vec::new();
        for task in 0..8 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..50 {
                    let w = record("order", &format!("t{task}-{i}"), 1, public());
                    seqs.push(put(&db, &w).await);
                }
                seqs
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.expect("task"));
        }
        let unique: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(unique.len(), 400, "{backend:?}");
        assert_eq!(unique, (1..=400).collect::<BTreeSet<i64>>());
        let pulled = db
            .pull_page(&Viewer::default(), 0, 1000)
            .await
            .expect("pull");
        assert_eq!(pulled.high_water, 400);
        let pulled: Vec<i64> = pulled.changes.iter().map(|r| r.seq).collect();
        assert_eq!(pulled, (1..=400).collect::<Vec<i64>>());
    }
}

#[tokio::test]
async fn audit_chain_verifies() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        let empty = db.verify_audit().await.expect("verify");
        assert_eq!((empty.entries, empty.first_problem), (0, None));
        audit(&db, 3).await;
        audit(&db, 2).await;
        let report = db.verify_audit().await.expect("verify");
        assert_eq!(report.entries, 5);
        assert_eq!(report.first_problem, None, "{backend:?}");
        let entries = db.list_audit(0, 10).await.expect("list");
        assert_eq!(
            entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!(entries[0].prev_hash, GENESIS_HASH);
        assert_eq!(entries[1].prev_hash, entries[0].hash);
        assert_eq!(entries[0].record_kind.as_deref(), Some("order"));
        assert_eq!(entries[1].record_kind, None);
        assert_eq!(entries[2].details["montant"], "12.50");
        assert_eq!(entries[0].at, t(0));
        assert_eq!(db.list_audit(3, 10).await.expect("list").len(), 2);
    }
}

/// Inserts a raw audit row (INSERT is allowed; only UPDATE and DELETE are refused).
async fn raw_audit(db: &Database, seq: i64, prev_hash: &str, hash: Option<&str>) {
    let at = "2026-11-03T09:00:00.000Z";
    let details = "{\"forged\":true}";
    let computed = audit_hash(seq, at, "mallory", "forge", None, None, details, prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, record_kind, record_id, details, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6, $7)",
    )
    .bind(seq)
    .bind(at)
    .bind("mallory")
    .bind("forge")
    .bind(details)
    .bind(prev_hash)
    .bind(hash.unwrap_or(&computed))
    .execute(&db.pool)
    .await
    .expect("raw insert");
}

#[tokio::test]
async fn audit_tampering_broken_link_and_missing_entries_are_detected() {
    for backend in backends_under_test() {
        // A row whose content does not match its hash.
        let (db, _guard) = fresh_database_on(backend).await;
        audit(&db, 2).await;
        let head = db.list_audit(1, 1).await.expect("list")[0].hash.clone();
        raw_audit(&db, 3, &head, Some(&"ab".repeat(32))).await;
        audit(&db, 1).await;
        let report = db.verify_audit().await.expect("verify");
        assert_eq!(report.entries, 4);
        let problem = report.first_problem.expect("problem");
        assert_eq!(
            (problem.seq, problem.kind),
            (3, AuditProblemKind::TamperedEntry)
        );

        // A row that does not link to its predecessor.
        let (db, _guard) = fresh_database_on(backend).await;
        audit(&db, 2).await;
        raw_audit(&db, 3, GENESIS_HASH, None).await;
        let problem = db
            .verify_audit()
            .await
            .expect("verify")
            .first_problem
            .expect("problem");
        assert_eq!(
            (problem.seq, problem.kind),
            (3, AuditProblemKind::BrokenLink)
        );

        // A gap in the chain.
        let (db, _guard) = fresh_database_on(backend).await;
        audit(&db, 2).await;
        let head = db.list_audit(1, 1).await.expect("list")[0].hash.clone();
        raw_audit(&db, 4, &head, None).await;
        let problem = db
            .verify_audit()
            .await
            .expect("verify")
            .first_problem
            .expect("problem");
        assert_eq!((problem.seq, problem.kind), (3, AuditProblemKind::Missing));
        assert!(problem.message.contains('3'), "{}", problem.message);

        // A chain that does not start at 1.
        let (db, _guard) = fresh_database_on(backend).await;
        raw_audit(&db, 2, GENESIS_HASH, None).await;
        let problem = db
            .verify_audit()
            .await
            .expect("verify")
            .first_problem
            .expect("problem");
        assert_eq!((problem.seq, problem.kind), (1, AuditProblemKind::Missing));
    }
}

#[tokio::test]
async fn audit_update_and_delete_are_refused() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        audit(&db, 2).await;
        let update = sqlx::query("UPDATE audit_log SET actor = $1 WHERE seq = $2")
            .bind("mallory")
            .bind(1_i64)
            .execute(&db.pool)
            .await;
        let err = update.expect_err("update refused");
        assert!(
            err.to_string().contains("append-only"),
            "{backend:?}: {err}"
        );
        let delete = sqlx::query("DELETE FROM audit_log WHERE seq = $1")
            .bind(2_i64)
            .execute(&db.pool)
            .await;
        let err = delete.expect_err("delete refused");
        assert!(
            err.to_string().contains("append-only"),
            "{backend:?}: {err}"
        );
        let report = db.verify_audit().await.expect("verify");
        assert_eq!((report.entries, report.first_problem), (2, None));
    }
}

#[tokio::test]
async fn mutations_are_remembered_once() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        let m = NewMutation {
            mutation_id: "m1".into(),
            client_id: "client-a".into(),
            client_seq: 42,
            user_id: "u1".into(),
            name: "order.create".into(),
            result: json!({ "status": "applied" }),
            applied_at: t(5),
        };
        let mut tx = db.write().await.expect("write");
        assert!(tx.find_mutation("m1").await.expect("find").is_none());
        tx.store_mutation(&m).await.expect("store");
        tx.commit().await.expect("commit");
        let mut tx = db.write().await.expect("write");
        let stored = tx.find_mutation("m1").await.expect("find").expect("found");
        assert_eq!(stored.result, json!({ "status": "applied" }));
        assert_eq!((stored.client_seq, stored.applied_at), (42, t(5)));
        let err = tx.store_mutation(&m).await.expect_err("duplicate");
        assert_eq!(err.code(), "db_duplicate", "{backend:?}");
    }
}

#[tokio::test]
async fn users_tokens_and_web_sessions() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        let alice = db
            .insert_user(&new_user("u1", "alice", true))
            .await
            .expect("insert");
        db.insert_user(&new_user("u2", "bob", false))
            .await
            .expect("insert");
        let err = db
            .insert_user(&new_user("u3", "alice", false))
            .await
            .expect_err("duplicate");
        assert_eq!(err.code(), "db_duplicate", "{backend:?}: {err}");
        assert_eq!(
            db.find_user_by_username("alice").await.expect("find"),
            Some(alice)
        );
        assert_eq!(db.count_demo_users().await.expect("count"), 1);
        let names: Vec<String> = db
            .list_users()
            .await
            .expect("list")
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert_eq!(names, ["alice", "bob"]);

        assert!(db.set_user_disabled("bob", true).await.expect("disable"));
        assert!(!db.set_user_disabled("nobody", true).await.expect("disable"));
        let bob = db.find_user_by_id("u2").await.expect("find").expect("bob");
        assert!(bob.disabled);
        // An attempt is reserved only against the counter as it was read.
        assert!(db
            .reserve_login_attempt("u1", 0, None, t(9))
            .await
            .expect("reserve"));
        assert!(
            !db.reserve_login_attempt("u1", 0, None, t(10))
                .await
                .expect("stale reading"),
            "a second attempt on the same reading must read again"
        );
        assert!(db
            .reserve_login_attempt("u1", 1, Some(t(9)), t(10))
            .await
            .expect("reserve"));
        assert!(!db
            .reserve_login_attempt("zz", 0, None, t(10))
            .await
            .expect("no such user"));
        let alice = db
            .find_user_by_id("u1")
            .await
            .expect("find")
            .expect("alice");
        assert_eq!(
            (alice.failed_logins, alice.last_failed_at),
            (2, Some(t(10)))
        );
        db.release_login_attempt("u1").await.expect("release");
        let alice = db
            .find_user_by_id("u1")
            .await
            .expect("find")
            .expect("alice");
        assert_eq!(alice.failed_logins, 1);
        db.reset_login_failures("u1").await.expect("reset");
        assert!(db
            .set_user_password("alice", "$argon2id$new")
            .await
            .expect("pw"));
        let alice = db
            .find_user_by_id("u1")
            .await
            .expect("find")
            .expect("alice");
        assert_eq!(
            (alice.failed_logins, alice.password_hash.as_str()),
            (0, "$argon2id$new")
        );

        db.insert_device_token("h1", "u1", "PC mairie", t(1))
            .await
            .expect("token");
        db.insert_device_token("h2", "u1", "Portable", t(1))
            .await
            .expect("token");
        let (token, user) = db
            .find_active_token("h1")
            .await
            .expect("find")
            .expect("active");
        assert_eq!(
            (token.device.as_str(), user.username.as_str()),
            ("PC mairie", "alice")
        );
        assert!(db.touch_token("h1", t(20)).await.expect("touch"));
        let (token, _) = db
            .find_active_token("h1")
            .await
            .expect("find")
            .expect("active");
        assert_eq!(token.last_used_at, Some(t(20)));
        assert!(db.revoke_token("h1", t(21)).await.expect("revoke"));
        assert!(!db.revoke_token("h1", t(22)).await.expect("revoke again"));
        assert!(db.find_active_token("h1").await.expect("find").is_none());
        assert_eq!(
            db.revoke_user_tokens("u1", t(23))
                .await
                .expect("revoke all"),
            1
        );
        assert!(db.find_active_token("h2").await.expect("find").is_none());

        let session = WebSession {
            id_hash: "s1".into(),
            user_id: "u2".into(),
            csrf_token: "csrf".into(),
            created_at: t(0),
            expires_at: t(3600),
        };
        db.insert_web_session(&session).await.expect("session");
        assert_eq!(
            db.find_web_session("s1", t(10)).await.expect("find"),
            Some(session.clone())
        );
        assert!(db
            .find_web_session("s1", t(3600))
            .await
            .expect("find")
            .is_none());
        assert_eq!(
            db.delete_expired_web_sessions(t(10)).await.expect("purge"),
            0
        );
        assert!(db.delete_web_session("s1").await.expect("delete"));
        assert!(!db.delete_web_session("s1").await.expect("delete again"));

        // A reset or a disable ends every session of the account, and only of that account.
        for (id, user) in [("s2", "u2"), ("s3", "u2"), ("s4", "u1")] {
            db.insert_web_session(&WebSession {
                id_hash: id.into(),
                user_id: user.into(),
                ..session.clone()
            })
            .await
            .expect("session");
        }
        assert_eq!(db.delete_user_web_sessions("u2").await.expect("end"), 2);
        assert!(db
            .find_web_session("s2", t(10))
            .await
            .expect("find")
            .is_none());
        assert!(db
            .find_web_session("s4", t(10))
            .await
            .expect("find")
            .is_some());
    }
}

#[tokio::test]
async fn backup_copies_sqlite_and_is_not_supported_on_postgres() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        put(&db, &record("catalogue", "c1", 1, public())).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("copie.db");
        match backend {
            Backend::Sqlite => {
                db.backup_to(&target).await.expect("backup");
                let err = db.backup_to(&target).await.expect_err("exists");
                assert_eq!(err.code(), "db_backup_exists");
                let copy = Database::connect(&format!("sqlite:{}", target.display()))
                    .await
                    .expect("open copy");
                assert_eq!(
                    copy.migrate().await.expect("migrate copy"),
                    Vec::<i64>::new()
                );
                let c1 = copy.get_record("catalogue", "c1").await.expect("get");
                assert_eq!(c1.map(|r| r.seq), Some(1));
                copy.close().await;
            }
            Backend::Postgres => {
                let err = db.backup_to(&target).await.expect_err("not supported");
                assert_eq!(err.code(), "db_not_supported");
                assert!(err.to_string().contains("pg_dump"), "{err}");
                assert!(!target.exists());
            }
        }
    }
}

#[tokio::test]
async fn invalid_urls_are_refused() {
    for url in [
        "",
        "mysql://root@localhost/centrale",
        "sqlite:",
        "sqlite::memory:",
        "data.db",
    ] {
        let err = Database::connect(url).await.expect_err(url);
        assert!(matches!(err, DbError::InvalidUrl { .. }), "{url}: {err}");
        assert_eq!(err.code(), "db_invalid_url");
        assert!(err.to_string().contains("sqlite:chemin/vers/fichier.db"));
    }
}

#[tokio::test]
async fn sqlite_creates_missing_folder_and_sets_pragmas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sous/dossier/centrale.db");
    let db = Database::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    assert!(path.exists());
    assert_eq!(db.backend(), Backend::Sqlite);
    let mut conn = db.pool.acquire().await.expect("acquire");
    for (pragma, want) in [
        ("journal_mode", "wal"),
        ("foreign_keys", "1"),
        ("synchronous", "2"),
        ("busy_timeout", "5000"),
    ] {
        let row = sqlx::query(&format!("PRAGMA {pragma}"))
            .fetch_one(&mut *conn)
            .await
            .expect("pragma");
        let got = sqlx::Row::try_get::<String, _>(&row, 0)
            .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|v| v.to_string()))
            .expect("value");
        assert_eq!(got, want, "{pragma}");
    }
}

#[tokio::test]
async fn unreachable_postgres_is_unavailable() {
    let err = Database::connect("postgres://u:secret@127.0.0.1:1/centrale")
        .await
        .expect_err("unreachable");
    assert_eq!(err.code(), "db_unavailable", "{err}");
    assert!(!err.to_string().contains("secret"), "{err}");
}

#[tokio::test]
async fn live_records_leave_tombstones_out() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        put(&db, &record("index", "a", 1, Visibility::default())).await;
        put(&db, &record("index", "b", 1, Visibility::default())).await;
        put(&db, &record("other", "c", 1, Visibility::default())).await;
        let mut gone = record("index", "a", 2, Visibility::default());
        gone.deleted = true;
        put(&db, &gone).await;
        let all = db.list_records("index").await.expect("all");
        assert_eq!(all.len(), 2, "{backend:?}");
        let live: Vec<String> = db
            .list_live_records("index")
            .await
            .expect("live")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(live, vec!["b".to_string()], "{backend:?}");
    }
}

fn message(id: &str, key: Option<&str>) -> NewMessage {
    NewMessage {
        id: id.into(),
        kind: "competition_invitation".into(),
        dedup_key: key.map(str::to_string),
        recipient_email: "offres@exemple.be".into(),
        recipient_name: "Nuagix".into(),
        recipient_account: Some("provider:p1".into()),
        subject: "Invitation".into(),
        body_text: "Bonjour".into(),
        body_html: "<p>Bonjour</p>".into(),
        created_at: t(0),
    }
}

/// Issue 14: a message is written with its act (a rolled-back act leaves none), a reminder's
/// key writes it once, and a claimed message cannot be claimed again until its lease ends;
/// only the claim's holder records the outcome.
#[tokio::test]
async fn outbox_is_transactional_and_a_claim_is_held_by_one_sender() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        let mut tx = db.write().await.expect("write");
        assert!(tx.enqueue_message(&message("m0", None)).await.unwrap());
        tx.rollback().await.unwrap();
        assert!(db.all_messages().await.unwrap().is_empty(), "{backend:?}");

        let mut tx = db.write().await.expect("write");
        assert!(tx.enqueue_message(&message("m1", None)).await.unwrap());
        assert!(tx
            .enqueue_message(&message("m2", Some("r:1")))
            .await
            .unwrap());
        assert!(!tx
            .enqueue_message(&message("m3", Some("r:1")))
            .await
            .unwrap());
        assert!(tx.message_key_exists("r:1").await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(db.all_messages().await.unwrap().len(), 2);

        let a = db.claim_message(t(1), t(100), "a").await.unwrap().unwrap();
        let b = db.claim_message(t(1), t(100), "b").await.unwrap().unwrap();
        assert_ne!(a.id, b.id, "{backend:?}: one message, one sender");
        assert!(db
            .claim_message(t(50), t(150), "c")
            .await
            .unwrap()
            .is_none());
        // The lease of `a` ends: another sender takes it over; `a`'s late answer is ignored.
        let c = db
            .claim_message(t(101), t(200), "c")
            .await
            .unwrap()
            .unwrap();
        assert!(!db.mark_message_sent(&c.id, "a", t(102)).await.unwrap());
        assert!(db.mark_message_sent(&c.id, "c", t(102)).await.unwrap());
        // `b` fails once (retried later), then for good.
        assert!(db
            .mark_message_attempt_failed(&b.id, "b", t(2), Some(t(300)), "421 occupé")
            .await
            .unwrap());
        assert!(db
            .claim_message(t(299), t(400), "d")
            .await
            .unwrap()
            .is_none());
        let d = db
            .claim_message(t(300), t(400), "d")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(d.attempts, 1);
        assert!(db
            .mark_message_attempt_failed(&d.id, "d", t(301), None, "550 inconnu")
            .await
            .unwrap());
        let failed = db.failed_messages().await.unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].last_error.as_deref(), Some("550 inconnu"));
        assert!(db
            .claim_message(t(999), t(1999), "e")
            .await
            .unwrap()
            .is_none());
        assert!(db
            .retry_failed_message(&d.id, t(1000), Some("offres@nuagix.example"))
            .await
            .unwrap());
        let e = db
            .claim_message(t(1000), t(1999), "e")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(e.recipient_email, "offres@nuagix.example");
        assert_eq!(e.attempts, 0);
    }
}

#[tokio::test]
async fn a_providers_records_are_read_through_its_index_and_only_its_own() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        put(&db, &record("offer", "f1", 1, provider("p1"))).await;
        put(&db, &record("offer", "f2", 1, provider("p2"))).await;
        put(&db, &record("offer", "f3", 1, public())).await;
        put(&db, &record("invitation", "i1", 1, provider("p1"))).await;
        let of_p1 = db
            .list_records_of_provider("offer", "p1")
            .await
            .expect("provider's");
        assert_eq!(
            of_p1.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["f1"],
            "{backend:?}"
        );
        assert!(db
            .list_records_of_provider("order", "p1")
            .await
            .expect("none")
            .is_empty());
    }
}
