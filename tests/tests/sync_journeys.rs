//! Commune PCs and the server, with nothing broken: a first sync, two PCs editing offline,
//! visibility seen from a cache, a refused action fixed and resent, an outdated app, and the
//! page boundaries of a pull.

use centrale_store::OutboxState;
use centrale_sync::{SyncConfig, SyncError};
use centrale_tests::cache::{filed_under, CacheDump};
use centrale_tests::mutations as m;
use centrale_tests::server::activate_adhesion;
use centrale_tests::*;
use chrono::Duration;
use uuid::Uuid;

#[tokio::test]
async fn a_new_pc_gets_the_catalogue_the_communes_and_only_its_own_communes_records() {
    let server = TestServer::spawn().await;
    // Both communes have records: an active adhesion at Libramont, a draft in each commune.
    activate_adhesion(&server, LIBRAMONT).await;
    let ours = Uuid::now_v7();
    let theirs = Uuid::now_v7();
    server
        .apply(AGENT, m::create_draft(ours, "E-guichet de Bertrix"))
        .await;
    server
        .apply(DG_OTHER, m::create_draft(theirs, "E-guichet de Libramont"))
        .await;

    let pc = TestClient::sign_in(SyncConfig::new(&server.base), DG).await;
    let report = pc.sync().await;

    let (visible, last) = server.changes(DG).await;
    assert_eq!(report.changes, visible.len());
    assert_eq!(report.cursor, last);
    assert_eq!(
        pc.store.cursor().unwrap(),
        last,
        "the cursor of the last page is stored"
    );
    assert_eq!(
        pc.store.last_sync().unwrap(),
        Some(t0()),
        "server time of the sync"
    );
    let live = pc.live();
    for kind in [
        "commune",
        "provider",
        "service",
        "framework",
        "convention_template",
    ] {
        let on_server = server.db.list_records(kind).await.unwrap().len();
        assert!(on_server > 0, "the seed has {kind} records");
        assert_eq!(
            live.of_kind(kind).len(),
            on_server,
            "every {kind} is on the PC"
        );
    }
    assert_eq!(
        live.of_kind("service").len(),
        10,
        "the ten services of the catalogue"
    );
    let orders: Vec<&str> = live.of_kind("order").iter().map(|(id, _)| *id).collect();
    assert_eq!(
        orders,
        vec![ours.to_string().as_str()],
        "only Bertrix's order"
    );
    assert!(
        live.of_kind("adhesion").is_empty(),
        "Libramont's adhesion stays on the server"
    );
    // Libramont's public standing (issue 15.9) is on every PC, filed under Libramont like
    // its commune record: public, not Libramont's own records.
    let standings: Vec<&str> = live
        .of_kind("commune_standing")
        .iter()
        .map(|(id, _)| *id)
        .collect();
    // Bertrix has not started an adhesion here: nothing public to show, no record.
    assert_eq!(standings, [LIBRAMONT], "Libramont's public standing");
    for (kind, id, commune) in filed_under(&pc.store) {
        if kind != "commune" && kind != "commune_standing" {
            assert_ne!(
                commune.as_deref(),
                Some(LIBRAMONT),
                "{kind} {id} belongs to Libramont"
            );
        }
    }
    assert!(
        live == server.view(DG).await,
        "{:?}",
        live.diff(&server.view(DG).await)
    );
    assert_eq!(pc.store.session().unwrap().unwrap().username, DG);
    assert_eq!(pc.store.outbox_counts().unwrap(), (0, 0));
}

#[derive(Debug, Clone, Copy)]
enum Settle {
    KeepMine,
    Discard,
}

#[tokio::test]
async fn two_pcs_of_a_commune_act_offline_and_end_the_same_in_either_order_keeping_both_versions_of_a_conflict(
) {
    for (first, second, settle) in [(DG, AGENT, Settle::KeepMine), (AGENT, DG, Settle::Discard)] {
        let case = format!("{first} syncs first, {second} then settles with {settle:?}");
        let server = TestServer::spawn().await;
        let shared = Uuid::now_v7();
        server
            .apply(DG, m::create_draft(shared, "Brouillon partagé"))
            .await;
        let config = SyncConfig::new(&server.base);
        let a = TestClient::new(config.clone(), &server.login(first).await);
        let b = TestClient::new(config.clone(), &server.login(second).await);
        a.sync().await;
        b.sync().await;

        // Offline: each creates a draft, and both edit the shared one.
        let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
        let a_new = a.act(&m::create_draft(x, &format!("Brouillon de {first}")));
        let a_edit = a.act(&m::update_draft(shared, &format!("Version de {first}"), 12));
        let b_new = b.act(&m::create_draft(y, &format!("Brouillon de {second}")));
        let b_edit_typed = m::update_draft(shared, &format!("Version de {second}"), 30);
        let b_edit = b.act(&b_edit_typed);
        assert_eq!(
            b.live().get("order", shared).unwrap()["title"],
            format!("Version de {second}"),
            "{case}: the user sees their edit at once"
        );

        let ra = a.sync().await;
        assert_eq!((ra.applied, ra.conflicts), (2, 0), "{case}");
        let rb = b.sync().await;
        assert_eq!((rb.applied, rb.conflicts), (1, 1), "{case}");

        // Both versions are kept: the server's, and the user's in the needs-attention list.
        let attention = b.store.needs_attention().unwrap();
        assert_eq!(attention.len(), 1, "{case}");
        assert_eq!(attention[0].mutation_id, b_edit.mutation_id);
        assert_eq!(attention[0].state, OutboxState::Conflict);
        let conflict = b.store.conflict(b_edit.mutation_id).unwrap();
        assert_eq!(
            conflict.mine.payload,
            b_edit_typed.payload(),
            "{case}: what was typed"
        );
        assert_eq!(conflict.mine.base_version, Some(1));
        assert_eq!(conflict.theirs.version, 2);
        assert_eq!(
            conflict.theirs.record["title"],
            format!("Version de {first}")
        );
        let on_server = server.view(DG).await;
        assert_eq!(
            on_server.get("order", shared).unwrap()["title"],
            format!("Version de {first}"),
            "{case}: nothing overwritten silently"
        );
        assert_eq!(
            b.live().get("order", shared).unwrap()["title"],
            format!("Version de {first}"),
            "{case}: the PC shows the server's version beside the conflict"
        );

        let expected_title = match settle {
            Settle::KeepMine => {
                let resent = b.store.keep_mine(b_edit.mutation_id).unwrap();
                assert_eq!(b.sync().await.applied, 1);
                assert_eq!(
                    server.applied_counts().await.get(&resent.mutation_id),
                    Some(&1)
                );
                format!("Version de {second}")
            }
            Settle::Discard => {
                b.store.discard(b_edit.mutation_id).unwrap();
                format!("Version de {first}")
            }
        };
        a.sync().await;
        b.sync().await;

        let view = server.view(DG).await;
        assert!(
            view == server.view(AGENT).await,
            "{case}: same commune, same records"
        );
        assert!(a.live() == view, "{case}: {:?}", a.live().diff(&view));
        assert!(b.live() == view, "{case}: {:?}", b.live().diff(&view));
        assert_eq!(
            view.get("order", shared).unwrap()["title"],
            expected_title,
            "{case}"
        );
        assert!(
            view.get("order", x).is_some() && view.get("order", y).is_some(),
            "{case}"
        );
        for pc in [&a, &b] {
            assert_eq!(pc.store.outbox_counts().unwrap(), (0, 0), "{case}: settled");
        }
        let applied = server.applied_counts().await;
        for id in [a_new.mutation_id, a_edit.mutation_id, b_new.mutation_id] {
            assert_eq!(applied.get(&id), Some(&1), "{case}: {id} applied once");
        }
        assert_eq!(
            applied.get(&b_edit.mutation_id),
            None,
            "{case}: the loser never applied"
        );
    }
}

#[tokio::test]
async fn a_communes_cache_holds_nothing_of_another_commune_and_no_offer_before_the_deadline() {
    let server = TestServer::spawn().await;
    activate_adhesion(&server, BERTRIX).await;
    let config = SyncConfig::new(&server.base);
    let dg = TestClient::new(config.clone(), &server.login(DG).await);
    let provider = TestClient::new(config.clone(), &server.login(NUAGIX).await);
    dg.sync().await;

    // Bertrix orders from its PC; Libramont has a draft of its own.
    let order = Uuid::now_v7();
    dg.act(&m::create_draft(order, "E-guichet état civil 2027"));
    dg.act(&m::submit(order));
    assert_eq!(dg.sync().await.applied, 2);
    let elsewhere = Uuid::now_v7();
    server
        .apply(
            DG_OTHER,
            m::create_draft(elsewhere, "E-guichet de Libramont"),
        )
        .await;

    // The centrale launches the competition; both providers offer.
    let deadline = server.now() + Duration::days(15);
    server
        .apply(CENTRALE, m::launch_competition(order, deadline))
        .await;
    let invitations = server.view(CENTRALE).await;
    let invitation_of = |who: &str| {
        let provider_id = centrale_server::seed::demo_provider_id(who).to_string();
        invitations
            .of_kind("invitation")
            .into_iter()
            .find(|(_, i)| i["provider_id"] == provider_id.as_str())
            .map(|(id, _)| id.to_string())
            .unwrap_or_else(|| panic!("{who} is invited"))
    };
    let nuagix_offer = Uuid::now_v7();
    let civitech_offer = Uuid::now_v7();
    provider.sync().await;
    provider.act(&m::submit_offer(
        nuagix_offer,
        &invitation_of("nuagix"),
        420_000,
        15_000,
    ));
    assert_eq!(provider.sync().await.applied, 1);
    server
        .apply(
            CIVITECH,
            m::submit_offer(civitech_offer, &invitation_of("civitech"), 400_000, 17_000),
        )
        .await;

    // Before the deadline: the commune sees its order and the invitations, no offer.
    dg.sync().await;
    let before = dg.live();
    assert_eq!(
        before.get("order", order).unwrap()["status"],
        "competition_open"
    );
    assert_eq!(before.of_kind("invitation").len(), 2);
    assert!(
        before.of_kind("offer").is_empty(),
        "sealed: no offer on the commune's PC"
    );
    assert!(before.get("order", elsewhere).is_none());
    for (kind, id, commune) in filed_under(&dg.store) {
        if kind != "commune" {
            assert_ne!(
                commune.as_deref(),
                Some(LIBRAMONT),
                "{kind} {id} belongs to Libramont"
            );
        }
    }
    // The provider sees its own offer and invitation, nothing of its competitor's.
    let mine = provider.live();
    let offers: Vec<&str> = mine.of_kind("offer").iter().map(|(id, _)| *id).collect();
    assert_eq!(offers, vec![nuagix_offer.to_string().as_str()]);
    assert_eq!(mine.of_kind("invitation").len(), 1);
    assert!(mine.of_kind("order").is_empty() && mine.get("order", elsewhere).is_none());

    // One second before the deadline, still sealed.
    server.clock.set(deadline - Duration::seconds(1));
    dg.sync().await;
    assert!(
        dg.live().of_kind("offer").is_empty(),
        "sealed until the deadline itself"
    );

    // After the deadline, the next sync brings both offers.
    server.clock.set(deadline + Duration::minutes(1));
    dg.sync().await;
    let after = dg.live();
    let mut offers: Vec<String> = after
        .of_kind("offer")
        .iter()
        .map(|(id, _)| id.to_string())
        .collect();
    offers.sort();
    let mut expected = vec![nuagix_offer.to_string(), civitech_offer.to_string()];
    expected.sort();
    assert_eq!(offers, expected, "both offers, opened");
    assert_eq!(
        after.get("order", order).unwrap()["status"],
        "offers_opened"
    );
    assert!(after == server.view(DG).await);
    provider.sync().await;
    let offers = provider.live();
    assert_eq!(
        offers.of_kind("offer").len(),
        1,
        "never the competitor's offer"
    );
    assert!(offers.get("offer", civitech_offer).is_none());
}

#[tokio::test]
async fn a_refused_launch_waits_with_what_was_typed_and_goes_through_once_fixed() {
    let server = TestServer::spawn().await;
    activate_adhesion(&server, BERTRIX).await;
    let order = Uuid::now_v7();
    server
        .apply(DG, m::create_draft(order, "E-guichet 2027"))
        .await;
    server.apply(DG, m::submit(order)).await;
    let centrale = TestClient::new(SyncConfig::new(&server.base), &server.login(CENTRALE).await);
    centrale.sync().await;

    // The server's clock is a week ahead of this PC's, which has not synced since: a deadline
    // five days ahead of the server looks like twelve to the PC, whose own check (the same
    // rule) lets it through; the server, whose time decides, asks for ten at least.
    server.clock.set(chrono::Utc::now() + Duration::days(7));
    let typed = m::launch_competition(order, server.now() + Duration::days(5));
    let queued = centrale.act(&typed);
    let report = centrale.sync().await;
    assert_eq!((report.applied, report.rejected), (0, 1));
    let attention = centrale.store.needs_attention().unwrap();
    assert_eq!(attention.len(), 1);
    let refused = &attention[0];
    assert_eq!(refused.mutation_id, queued.mutation_id);
    assert_eq!(refused.state, OutboxState::NeedsAttention);
    assert_eq!(refused.name, "order.launch_competition");
    assert_eq!(
        refused.payload,
        typed.payload(),
        "what the user typed is kept"
    );
    assert_eq!(refused.error_code.as_deref(), Some("deadline_too_soon"));
    assert_eq!(refused.error_details.as_ref().unwrap()["field"], "deadline");
    let message = refused.error_message.as_deref().unwrap_or_default();
    assert!(
        message.contains("jour") || message.contains("délai"),
        "{message}"
    );
    assert!(centrale.store.pending().unwrap().is_empty());
    assert_eq!(
        server.view(DG).await.get("order", order).unwrap()["status"],
        "submitted"
    );

    // Fixed and resent: the entry is replaced, applied once, and the invitations arrive.
    let fixed = m::launch_competition(order, server.now() + Duration::days(15));
    let resent = centrale.store.resend(queued.mutation_id, &fixed).unwrap();
    assert!(centrale.store.needs_attention().unwrap().is_empty());
    assert_eq!(centrale.sync().await.applied, 1);
    assert_eq!(centrale.store.outbox_counts().unwrap(), (0, 0));
    let live = centrale.live();
    assert_eq!(
        live.get("order", order).unwrap()["status"],
        "competition_open"
    );
    assert_eq!(live.of_kind("invitation").len(), 2);
    let applied = server.applied_counts().await;
    assert_eq!(applied.get(&resent.mutation_id), Some(&1));
    assert_eq!(applied.get(&queued.mutation_id), None);
}

#[tokio::test]
async fn an_outdated_app_is_told_to_update_and_its_cache_stays_exactly_as_it_was() {
    let server = TestServer::spawn().await;
    let pc = TestClient::new(SyncConfig::new(&server.base), &server.login(DG).await);
    pc.sync().await;
    let draft = Uuid::now_v7();
    pc.act(&m::create_draft(draft, "Écrit avant la mise à jour"));
    server
        .apply(
            AGENT,
            m::create_draft(Uuid::now_v7(), "Brouillon de l'agente"),
        )
        .await;
    let before = CacheDump::of(&pc.store);

    let mut old = pc.config.clone();
    old.protocol_version = 0;
    let outdated = pc.with_config(old);
    let error = outdated.sync_once().await.unwrap_err();
    assert!(matches!(error, SyncError::UpdateNeeded), "{error:?}");
    assert_eq!(error.code(), "update_needed");
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("mise à jour"), "{error}");

    assert_eq!(
        CacheDump::of(&pc.store),
        before,
        "outbox, cursor and records untouched"
    );
    assert!(server
        .db
        .get_record("order", &draft.to_string())
        .await
        .unwrap()
        .is_none());
    // The updated app then syncs as usual.
    assert_eq!(pc.sync().await.applied, 1);
}

#[tokio::test]
async fn a_pull_across_page_boundaries_empty_exactly_one_page_and_one_page_plus_one() {
    let server = TestServer::spawn().await;
    server
        .apply(DG, m::create_draft(Uuid::now_v7(), "Une commande"))
        .await;
    let (visible, last) = server.changes(DG).await;
    let n = visible.len() as u32;
    assert!(n > 20, "the seed gives a real first sync ({n} changes)");
    let login = server.login(DG).await;

    struct Case {
        name: &'static str,
        synced_before: bool,
        limit: u32,
        pages: usize,
        changes: usize,
    }
    let cases = [
        Case {
            name: "empty: nothing new since the last sync",
            synced_before: true,
            limit: n,
            pages: 1,
            changes: 0,
        },
        Case {
            name: "exactly one page",
            synced_before: false,
            limit: n,
            pages: 1,
            changes: n as usize,
        },
        Case {
            name: "one page plus one",
            synced_before: false,
            limit: n - 1,
            pages: 2,
            changes: n as usize,
        },
        Case {
            name: "pages of one",
            synced_before: false,
            limit: 1,
            pages: n as usize,
            changes: n as usize,
        },
    ];
    for case in cases {
        let mut config = SyncConfig::new(&server.base);
        config.pull_limit = Some(case.limit);
        let pc = TestClient::new(config, &login);
        if case.synced_before {
            pc.with_config(SyncConfig::new(&server.base))
                .sync_once()
                .await
                .unwrap();
        }
        let report = pc.sync().await;
        assert_eq!(
            (report.pages, report.changes),
            (case.pages, case.changes),
            "{}",
            case.name
        );
        assert_eq!(report.cursor, last, "{}", case.name);
        assert_eq!(pc.store.cursor().unwrap(), last, "{}", case.name);
        let view = server.view(DG).await;
        assert!(
            pc.live() == view,
            "{}: {:?}",
            case.name,
            pc.live().diff(&view)
        );
    }
}

/// Issue 12 §2: a commune's PC gets the files of the framework documents it needs, checked
/// against their fingerprints; after the centrale publishes a new version with another file,
/// the version its order is pinned to still opens, offline; a damaged copy is detected,
/// dropped and fetched again — and offline, the failure is a network one the app words.
#[tokio::test]
async fn a_pc_keeps_the_framework_documents_and_opens_the_pinned_version_offline() {
    use centrale_domain::sha256_hex;
    use centrale_store::KeptFile;
    use centrale_tests::calloff::mutation;

    let server = TestServer::spawn().await;
    activate_adhesion(&server, BERTRIX).await;
    let order = Uuid::now_v7();
    server
        .apply(AGENT, m::create_draft(order, "E-guichet de Bertrix"))
        .await;
    server.apply(DG, m::submit(order)).await;

    let pc = TestClient::sign_in(SyncConfig::new(&server.base), DG).await;
    let report = pc.sync().await;
    assert!(report.documents >= 4, "{report:?}");
    assert!(pc.store.needed_document_files().unwrap().is_empty());
    // Every file here: a sync that pulls nothing does not look through the orders again;
    // a sync that pulls a change looks again (issue 19).
    assert!(pc.store.document_files_complete().unwrap());
    assert_eq!(pc.sync().await.changes, 0);
    assert!(pc.store.document_files_complete().unwrap());
    server
        .apply(
            AGENT,
            m::create_draft(Uuid::now_v7(), "Parkings de Bertrix"),
        )
        .await;
    let report = pc.sync().await;
    assert!(report.changes > 0, "{report:?}");
    assert!(pc.store.document_files_complete().unwrap());
    let framework = centrale_server::seed::demo_framework_id("CA-2025-01");
    let live = pc.live();
    let body = live
        .of_kind("framework")
        .into_iter()
        .find(|(id, _)| *id == framework.to_string())
        .map(|(_, body)| body.clone())
        .unwrap();
    let v1_csc = body["versions"][0]["documents"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let KeptFile::Sound(bytes) = pc.store.document_file(&v1_csc).unwrap() else {
        panic!("the cahier spécial des charges is on the PC");
    };
    assert_eq!(sha256_hex(&bytes), v1_csc);
    assert!(bytes.starts_with(b"%PDF-"));

    // The centrale uploads a new cahier spécial des charges and publishes version 2.
    let centrale = TestClient::sign_in(SyncConfig::new(&server.base), CENTRALE).await;
    let v2 = b"%PDF-1.4\n% Cahier special des charges, version 2\n%%EOF\n".to_vec();
    let stored = centrale
        .sync
        .upload_document_file("csc-ca-2025-01.pdf", v2.clone())
        .await
        .unwrap();
    assert!(stored.newly_stored);
    let again = centrale
        .sync
        .upload_document_file("csc-ca-2025-01.pdf", v2.clone())
        .await
        .unwrap();
    assert!(!again.newly_stored, "the same content is stored once");
    server
        .apply(
            CENTRALE,
            mutation(
                "framework.publish_version",
                serde_json::json!({
                    "framework_id": framework,
                    "change_note": "Cahier spécial des charges corrigé (coquille en page 3).",
                    "legal_basis": {"kind": "correction", "note": "Coquille en page 3"},
                    "documents": [{"title_fr": "Cahier spécial des charges", "version": "1.2",
                                   "file_name": "csc-ca-2025-01.pdf", "sha256": stored.sha256}],
                }),
            ),
        )
        .await;
    let report = pc.sync().await;
    assert_eq!(report.documents, 1, "only the new file travels: {report:?}");
    assert!(
        matches!(pc.store.document_file(&stored.sha256).unwrap(), KeptFile::Sound(b) if b == v2)
    );

    // Offline: the pinned version's file still opens from the PC.
    let offline = TestClient::at(
        SyncConfig::new("http://127.0.0.1:9"),
        pc.path(),
        &server.login(DG).await,
    );
    assert!(
        matches!(offline.store.document_file(&v1_csc).unwrap(), KeptFile::Sound(b) if sha256_hex(&b) == v1_csc)
    );

    // A damaged copy is detected and dropped…
    let raw = rusqlite::Connection::open(pc.path()).unwrap();
    raw.execute(
        "UPDATE document_files SET content = X'255044462D6162696D6565' WHERE sha256 = ?1",
        [&v1_csc],
    )
    .unwrap();
    drop(raw);
    assert_eq!(
        offline.store.document_file(&v1_csc).unwrap(),
        KeptFile::Corrupt
    );
    // Dropped: the next sync looks again, even with nothing to pull.
    assert!(!pc.store.document_files_complete().unwrap());
    assert_eq!(
        offline.store.document_file(&v1_csc).unwrap(),
        KeptFile::Missing
    );
    // …offline it cannot come back (a network failure, retried later)…
    let err = offline.sync.fetch_document_file(&v1_csc).await.unwrap_err();
    assert!(err.is_retryable(), "{err}");
    assert_eq!(
        offline.store.needed_document_files().unwrap().len(),
        1,
        "the next sync fetches it"
    );
    // …and online it is fetched again, sound.
    let report = pc.sync().await;
    assert_eq!(report.documents, 1);
    assert!(
        matches!(pc.store.document_file(&v1_csc).unwrap(), KeptFile::Sound(b) if sha256_hex(&b) == v1_csc)
    );
}

/// Issue 14 §1: the DG chooses offline how she is told by e-mail; the form shows it at once,
/// the sync carries it, the server's mailer reads it, and her other PC gets it with its sync.
#[tokio::test]
async fn mail_preferences_changed_offline_sync_and_take_effect_on_the_server() {
    use centrale_domain::mail::{MailChoice, MailKind, MailKindChoice};
    use centrale_protocol::mutations::{Mutation, SetMailPreferences};

    let server = TestServer::spawn().await;
    let pc = TestClient::sign_in(SyncConfig::new(&server.base), DG).await;
    pc.sync().await;
    let dg = pc.store.session().unwrap().expect("signed in").user_id;
    pc.act(&Mutation::SetMailPreferences(SetMailPreferences {
        account: dg.clone(),
        choices: vec![MailKindChoice {
            kind: MailKind::OffersOpened,
            choice: MailChoice::Nothing,
        }],
    }));
    let offline = pc.store.mail_preferences().unwrap().unwrap();
    assert!(offline.pending);
    let choice = |s: &centrale_store::read::MailPreferencesScreen| {
        s.lines
            .iter()
            .find(|l| l.kind == MailKind::OffersOpened)
            .unwrap()
            .choice
    };
    assert_eq!(choice(&offline), MailChoice::Nothing);
    assert!(server.db.mail_preferences(&dg).await.unwrap().is_empty());

    let report = pc.sync().await;
    assert_eq!(report.applied, 1);
    assert_eq!(
        server.db.mail_preferences(&dg).await.unwrap(),
        vec![("offers_opened".to_string(), "nothing".to_string())]
    );
    let synced = pc.store.mail_preferences().unwrap().unwrap();
    assert!(!synced.pending);
    assert_eq!(choice(&synced), MailChoice::Nothing);

    let other_pc = TestClient::sign_in(SyncConfig::new(&server.base), DG).await;
    other_pc.sync().await;
    let there = other_pc.store.mail_preferences().unwrap().unwrap();
    assert_eq!(choice(&there), MailChoice::Nothing);
}
