//! The pull's storage (issue 19 §1), on SQLite and, when `CENTRALE_TEST_PG_URL` is set, on
//! PostgreSQL: every visibility class reaches exactly its viewers, the high-water mark never
//! passes an uncommitted write, and each class query reads through its index.

use centrale_server_db::testing::{backends_under_test, fresh_database_on, pull_page_plan};
use centrale_server_db::{Backend, Database, RecordWrite, Viewer, Visibility};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_793_000_000 + secs, 0)
        .single()
        .expect("valid time")
}

fn record(kind: &str, id: &str, version: i64, visibility: Visibility) -> RecordWrite {
    RecordWrite {
        kind: kind.into(),
        id: id.into(),
        version,
        deleted: false,
        parent_id: None,
        body: json!({ "id": id, "v": version }),
        format_version: 1,
        visibility,
        updated_at: t(version),
    }
}

fn public() -> Visibility {
    Visibility {
        public: true,
        ..Visibility::default()
    }
}

async fn put(db: &Database, w: &RecordWrite) -> i64 {
    let mut tx = db.write().await.expect("write");
    let seq = tx.put_record(w).await.expect("put");
    tx.commit().await.expect("commit");
    seq
}

/// What the pull must answer, written as the one `OR` the per-class queries replace.
fn visible_to(viewer: &Viewer, v: &Visibility) -> bool {
    v.public
        || (viewer.centrale && v.centrale)
        || (viewer.commune.is_some() && v.commune == viewer.commune)
        || (viewer.provider.is_some() && v.provider == viewer.provider)
}

#[tokio::test]
async fn every_visibility_class_reaches_exactly_its_viewers() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        // Every combination of the four classes, twice over, so that pages cut across them.
        let mut written = Vec::new();
        for round in 0..2 {
            for public in [false, true] {
                for centrale in [false, true] {
                    for commune in [None, Some("62063"), Some("25072")] {
                        for provider in [None, Some("p1"), Some("p2")] {
                            let visibility = Visibility {
                                public,
                                centrale,
                                commune: commune.map(str::to_string),
                                provider: provider.map(str::to_string),
                            };
                            let id = format!("r{}", written.len());
                            let w = record("order", &id, round + 1, visibility.clone());
                            let seq = put(&db, &w).await;
                            written.push((seq, visibility));
                        }
                    }
                }
            }
        }
        let last = written.last().map(|w| w.0).expect("written");
        let viewer = |centrale: bool, commune: Option<&str>, provider: Option<&str>| Viewer {
            centrale,
            commune: commune.map(str::to_string),
            provider: provider.map(str::to_string),
        };
        let viewers = [
            viewer(false, None, None),
            viewer(true, None, None),
            viewer(false, Some("62063"), None),
            viewer(false, Some("25072"), None),
            viewer(false, None, Some("p1")),
            viewer(false, None, Some("p2")),
            viewer(true, Some("62063"), None),
            viewer(false, Some("25072"), Some("p1")),
            viewer(false, Some("99999"), Some("p9")),
        ];
        for v in &viewers {
            let expected: Vec<i64> = written
                .iter()
                .filter(|(_, vis)| visible_to(v, vis))
                .map(|(seq, _)| *seq)
                .collect();
            let whole = db.pull_page(v, 0, 1000).await.expect("pull");
            let got: Vec<i64> = whole.changes.iter().map(|c| c.seq).collect();
            assert_eq!(got, expected, "{backend:?} {v:?}");
            assert_eq!(whole.high_water, last);
            // Small pages give the same sequence, each page in order, none beyond the mark.
            let mut cursor = 0;
            let mut paged = Vec::new();
            loop {
                let page = db.pull_page(v, cursor, 5).await.expect("page");
                if page.changes.is_empty() {
                    break;
                }
                assert!(page.changes.len() <= 5);
                cursor = page.changes.last().map(|c| c.seq).expect("last");
                paged.extend(page.changes.iter().map(|c| c.seq));
            }
            assert_eq!(paged, expected, "{backend:?} {v:?} paged");
        }
    }
}

#[tokio::test]
async fn the_high_water_mark_never_passes_an_uncommitted_write() {
    for backend in backends_under_test() {
        let (db, _guard) = fresh_database_on(backend).await;
        put(&db, &record("order", "o1", 1, public())).await;
        let before = db.committed_high_water().await.expect("mark");
        assert_eq!(before, 1);
        // A PC's token: its pull reads the mark with the token, in one query (issue 19 §1).
        db.insert_user(&centrale_server_db::NewUser {
            id: "u1".into(),
            username: "dg.84009".into(),
            display_name: "Marie Lambert".into(),
            role: "director_general".into(),
            commune_nis: Some("84009".into()),
            provider_id: None,
            password_hash: "$argon2id$v=19$fake".into(),
            is_demo: false,
            created_at: t(0),
            gender: "female".into(),
            email: None,
            alderman: false,
            alderman_rank: None,
        })
        .await
        .expect("user");
        db.insert_device_token("h1", "u1", "PC", t(0))
            .await
            .expect("token");
        let mark_with_token = |db: Database| async move {
            let (_, user, mark) = db
                .find_active_token_and_mark("h1")
                .await
                .expect("token")
                .expect("live token");
            assert_eq!(user.username, "dg.84009");
            mark
        };
        assert_eq!(mark_with_token(db.clone()).await, before, "{backend:?}");
        // A writer has allocated seq 2 and not committed yet: a concurrent pull (another
        // connection) sees neither the row nor the counter's increment, so an empty page
        // moves no cursor past 1, and the row arrives once committed.
        let mut tx = db.write().await.expect("write");
        let seq = tx
            .put_record(&record("order", "o2", 1, public()))
            .await
            .expect("put");
        assert_eq!(seq, 2);
        let during = db
            .pull_page(&Viewer::default(), before, 10)
            .await
            .expect("pull during the write");
        assert!(during.changes.is_empty(), "{backend:?}");
        assert_eq!(during.high_water, before, "{backend:?}");
        assert_eq!(mark_with_token(db.clone()).await, before, "{backend:?}");
        tx.commit().await.expect("commit");
        assert_eq!(mark_with_token(db.clone()).await, 2, "{backend:?}");
        let below = db
            .pull_page_below(&Viewer::default(), before, 10, 2)
            .await
            .expect("pull below the mark read with the token");
        assert_eq!(below.changes.len(), 1);
        let after = db
            .pull_page(&Viewer::default(), during.high_water, 10)
            .await
            .expect("pull after the commit");
        assert_eq!(after.changes.len(), 1);
        assert_eq!((after.changes[0].seq, after.high_water), (2, 2));
        // A rolled-back write gives its seq back: the mark does not move.
        {
            let mut tx = db.write().await.expect("write");
            tx.put_record(&record("order", "o3", 1, public()))
                .await
                .expect("put");
            tx.rollback().await.expect("rollback");
        }
        assert_eq!(db.committed_high_water().await.expect("mark"), 2);
    }
}

#[tokio::test]
async fn each_class_of_a_page_is_read_through_its_index_on_sqlite() {
    // The planner's choice, not a timing: a page that fell back to scanning `records` would
    // make a pull grow with the log again.
    let (db, _guard) = fresh_database_on(Backend::Sqlite).await;
    let viewer = Viewer {
        centrale: true,
        commune: Some("62063".into()),
        provider: Some("p1".into()),
    };
    let plan = pull_page_plan(&db, &viewer, &["order", "offer"]).await;
    for index in [
        "records_public_seq",
        "records_centrale_seq",
        "records_commune_seq",
        "records_provider_seq",
    ] {
        assert!(
            plan.lines()
                .any(|step| step.starts_with("SEARCH records USING")
                    && step.contains(&format!("INDEX {index} ("))),
            "{index}:\n{plan}"
        );
    }
    // The page's records are found by their seq, one probe each (not by the kinds kept: a
    // filter on `kind` in the join once made SQLite walk every order).
    assert!(plan.contains("USING INDEX records_seq (seq=?)"), "{plan}");
    assert!(
        !plan
            .lines()
            .any(|step| step.contains("SCAN records") || step.contains("SCAN r")),
        "a whole-table scan:\n{plan}"
    );
}
