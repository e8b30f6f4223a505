//! The outbox and the laying out of local changes, without a server: pulled pages are made by
//! hand, answers to a push too. What the user typed is never lost, never applied twice locally,
//! and a refusal or a conflict keeps both sides.

use centrale_domain::adhesion::{Adhesion, AdhesionStatus, ConventionTemplate};
use centrale_domain::catalogue::{CallOffMethod, FrameworkAgreement, LegalBasis, Service};
use centrale_domain::needs::{NeedLine, OrderNeeds};
use centrale_protocol::mutations::{
    CreateOrderDraft, Mutation, OrderRef, PublishFrameworkVersion, UpdateOrderDraft,
};
use centrale_protocol::records::RecordKind;
use centrale_protocol::{Change, Me, MutationResult, MutationStatus, RecordRef, Role};
use centrale_store::{OutboxState, Store, StoreError};
use chrono::Utc;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

const NIS: &str = "84009";

fn me(user: &str, role: Role, nis: &str) -> Me {
    Me {
        user_id: format!("u-{user}"),
        username: user.into(),
        display_name: format!("Compte {user}"),
        role,
        commune_nis: Some(nis.into()),
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    }
}

fn service_id() -> Uuid {
    Uuid::from_u128(0x51)
}

fn framework_id() -> Uuid {
    Uuid::from_u128(0xF1)
}

fn framework() -> FrameworkAgreement {
    FrameworkAgreement {
        id: framework_id(),
        service_id: service_id(),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: CallOffMethod::MiniCompetition,
        versions: vec![centrale_domain::fixtures::sample_terms(&[Uuid::from_u128(
            0xA1,
        )])],
    }
}

fn change(seq: i64, kind: RecordKind, id: &str, version: i64, record: Value) -> Change {
    Change {
        seq,
        kind,
        id: id.into(),
        version,
        deleted: false,
        record,
    }
}

/// A cache holding the catalogue of one service, signed in as `who`.
fn cache(who: &Me) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("centrale.db")).unwrap();
    store.set_session(who).unwrap();
    let service = Service {
        id: service_id(),
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: "Commander ses documents en ligne.".into(),
        description_fr: "Un guichet en ligne.".into(),
        category_fr: "Administration".into(),
        framework_id: framework_id(),
        added_on: None,
        from_need: None,
    };
    store
        .apply_pull_page(
            &[
                change(
                    1,
                    RecordKind::Service,
                    &service_id().to_string(),
                    1,
                    json!(service),
                ),
                change(
                    2,
                    RecordKind::Framework,
                    &framework_id().to_string(),
                    1,
                    json!(framework()),
                ),
            ],
            2,
        )
        .unwrap();
    (dir, store)
}

fn needs(description: &str) -> OrderNeeds {
    OrderNeeds {
        description: description.into(),
        lines: vec![NeedLine {
            price_line_code: "setup".into(),
            quantity: Decimal::ONE,
            note: String::new(),
        }],
        sites: vec!["Hôtel de ville".into()],
        desired_start: None,
        desired_go_live: None,
        budget: None,
    }
}

fn create(order_id: Uuid, title: &str) -> Mutation {
    Mutation::CreateOrderDraft(CreateOrderDraft {
        order_id,
        service_id: service_id(),
        title: title.into(),
        needs: needs("E-guichet pour l'état civil"),
        pool_id: None,
    })
}

fn update(order_id: Uuid, title: &str) -> Mutation {
    Mutation::UpdateOrderDraft(UpdateOrderDraft {
        order_id,
        title: title.into(),
        needs: needs("E-guichet pour l'état civil et la population"),
    })
}

fn order_title(store: &Store, id: Uuid) -> Option<String> {
    store
        .read(|c| {
            let body: Option<String> = c
                .query_row(
                    "SELECT body FROM live_record WHERE kind = 'order' AND id = ?1",
                    [id.to_string()],
                    |r| r.get(0),
                )
                .ok();
            Ok(body)
        })
        .unwrap()
        .map(|b| {
            serde_json::from_str::<Value>(&b).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_string()
        })
}

fn applied(mutation_id: Uuid, kind: RecordKind, id: Uuid, version: i64) -> MutationResult {
    MutationResult {
        mutation_id,
        status: MutationStatus::Applied,
        code: None,
        message: None,
        details: json!({}),
        records: vec![RecordRef {
            kind,
            id: id.to_string(),
            version,
        }],
        current: None,
    }
}

/// The server's copy of an order, as another PC made it.
fn server_order(store: &Store, id: Uuid, title: &str) -> Value {
    let body: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT body FROM record WHERE kind = 'order' AND id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let mut v: Value = serde_json::from_str(&body).unwrap();
    v["title"] = json!(title);
    v
}

#[test]
fn a_draft_made_offline_shows_at_once_and_waits_in_the_outbox() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let queued = store.enqueue(&create(order, "E-guichet 2027")).unwrap();
    assert_eq!(queued.client_seq, 1);
    assert_eq!(queued.mutation_id.get_version_num(), 7);
    assert_eq!(
        order_title(&store, order).as_deref(),
        Some("E-guichet 2027")
    );
    let pending = store.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].name, "order.create_draft");
    assert_eq!(pending[0].payload["title"], "E-guichet 2027");
    assert_eq!(pending[0].created_by.username, "agent");
    assert_eq!(store.outbox_counts().unwrap(), (1, 0));
    // The next one gets the next sequence number.
    let second = store.enqueue(&update(order, "E-guichet 2027 bis")).unwrap();
    assert_eq!(second.client_seq, 2);
}

#[test]
fn an_action_a_rule_forbids_is_refused_before_anything_is_written() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    store.enqueue(&create(order, "E-guichet")).unwrap();
    // No active adhesion on this PC: the request cannot be sent.
    let err = store
        .enqueue(&Mutation::SubmitOrder(
            centrale_protocol::mutations::SubmitOrder {
                order_id: order,
                decision: None,
                budget_article: String::new(),
            },
        ))
        .unwrap_err();
    assert!(matches!(err, StoreError::Rule(_)), "{err:?}");
    assert!(err.to_string().contains("adhésion"), "{err}");
    assert_eq!(store.pending().unwrap().len(), 1);
    // An empty title is refused with the domain's French message.
    let err = store.enqueue(&create(Uuid::now_v7(), "  ")).unwrap_err();
    assert_eq!(err.code(), "order_title_invalid");
    assert_eq!(err.params()["field"], "title");
    assert_eq!(store.pending().unwrap().len(), 1);
}

/// Dir. 2014/24 art. 72(1)(a): the PC applies the rule book to a new framework version at
/// once (offline too), so the form shows the refusal next to its field.
#[test]
fn a_framework_version_raising_a_ceiling_without_a_review_clause_is_refused_at_once() {
    let mut centrale = me("achats", Role::CentraleStaff, NIS);
    centrale.commune_nis = None;
    let (_dir, store) = cache(&centrale);
    let mut schedule = framework().versions[0].price_schedule.clone();
    schedule[1].ceiling_cents = centrale_domain::money::Cents(19_550);
    let mut publish = PublishFrameworkVersion {
        framework_id: framework_id(),
        change_note: "Indexation des prix.".into(),
        end_date: None,
        price_schedule: Some(schedule),
        documents: None,
        providers: None,
        legal_basis: Some(LegalBasis::Correction {
            note: "Erreur de frappe.".into(),
        }),
        max_value: None,
        contract_months: None,
        price_formula: None,
        designation_rule: None,
        interoperability: None,
    };
    let err = store
        .enqueue(&Mutation::PublishFrameworkVersion(publish.clone()))
        .unwrap_err();
    assert_eq!(err.code(), "modification_without_review_clause");
    assert!(store.pending().unwrap().is_empty());
    publish.legal_basis = Some(LegalBasis::ReviewClause {
        clause: "CSC art. 12".into(),
    });
    store
        .enqueue(&Mutation::PublishFrameworkVersion(publish))
        .unwrap();
    assert_eq!(store.pending().unwrap().len(), 1);
}

#[test]
fn a_pulled_change_under_a_local_edit_keeps_the_edit_on_top() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let created = store.enqueue(&create(order, "Titre initial")).unwrap();
    store
        .record_push_results(&[applied(created.mutation_id, RecordKind::Order, order, 1)])
        .unwrap();
    let server_v1 = server_order(&store, order, "Titre initial");
    store
        .apply_pull_page(
            &[change(
                3,
                RecordKind::Order,
                &order.to_string(),
                1,
                server_v1.clone(),
            )],
            3,
        )
        .unwrap();
    // Edit offline, then a pull brings another PC's description change of the same draft.
    store.enqueue(&update(order, "Mon titre")).unwrap();
    let mut server_v2 = server_v1.clone();
    server_v2["needs"]["sites"] = json!(["Bibliothèque"]);
    let page = store
        .apply_pull_page(
            &[change(
                4,
                RecordKind::Order,
                &order.to_string(),
                2,
                server_v2,
            )],
            4,
        )
        .unwrap();
    assert!(page.rebased);
    assert_eq!(store.cursor().unwrap(), 4);
    // The user's pending edit still shows (nothing typed disappears while it waits).
    assert_eq!(order_title(&store, order).as_deref(), Some("Mon titre"));
    assert_eq!(store.pending().unwrap().len(), 1);
}

#[test]
fn a_refused_change_goes_to_the_attention_list_with_its_input_and_can_be_resent() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let queued = store.enqueue(&create(order, "Caméras")).unwrap();
    store
        .record_push_results(&[MutationResult {
            mutation_id: queued.mutation_id,
            status: MutationStatus::Rejected,
            code: Some("invalid_input".into()),
            message: Some("Le titre est trop vague.".into()),
            details: json!({"field": "title"}),
            records: vec![],
            current: None,
        }])
        .unwrap();
    // Its effect is gone from the screens, its input is kept.
    assert_eq!(order_title(&store, order), None);
    let attention = store.needs_attention().unwrap();
    assert_eq!(attention.len(), 1);
    assert_eq!(attention[0].state, OutboxState::NeedsAttention);
    assert_eq!(attention[0].payload["title"], "Caméras");
    assert_eq!(
        attention[0].error_message.as_deref(),
        Some("Le titre est trop vague.")
    );
    assert_eq!(
        attention[0].error_details.as_ref().unwrap()["field"],
        "title"
    );
    assert_eq!(store.outbox_counts().unwrap(), (0, 1));
    // Fixed and resent: a new mutation, the old entry gone.
    let resent = store
        .resend(
            queued.mutation_id,
            &create(order, "Caméras de l'hôtel de ville"),
        )
        .unwrap();
    assert_ne!(resent.mutation_id, queued.mutation_id);
    assert!(resent.client_seq > queued.client_seq);
    assert_eq!(store.needs_attention().unwrap().len(), 0);
    assert_eq!(store.pending().unwrap().len(), 1);
    assert_eq!(
        order_title(&store, order).as_deref(),
        Some("Caméras de l'hôtel de ville")
    );
    // Resending something no longer in the list is refused clearly.
    let err = store.discard(queued.mutation_id).unwrap_err();
    assert_eq!(err.code(), "not_in_outbox");
}

#[test]
fn a_conflict_keeps_both_versions_until_the_user_chooses() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let created = store.enqueue(&create(order, "Version commune")).unwrap();
    store
        .record_push_results(&[applied(created.mutation_id, RecordKind::Order, order, 1)])
        .unwrap();
    let v1 = server_order(&store, order, "Version commune");
    store
        .apply_pull_page(
            &[change(
                3,
                RecordKind::Order,
                &order.to_string(),
                1,
                v1.clone(),
            )],
            3,
        )
        .unwrap();
    let mine = store.enqueue(&update(order, "Ma version")).unwrap();
    assert_eq!(store.pending().unwrap()[0].base_version, Some(1));
    let theirs = change(4, RecordKind::Order, &order.to_string(), 2, {
        let mut v = v1.clone();
        v["title"] = json!("Leur version");
        v
    });
    store
        .record_push_results(&[MutationResult {
            mutation_id: mine.mutation_id,
            status: MutationStatus::Conflict,
            code: Some("conflict".into()),
            message: Some("Ce brouillon a été modifié entre-temps.".into()),
            details: json!({}),
            records: vec![],
            current: Some(theirs.clone()),
        }])
        .unwrap();
    let conflict = store.conflict(mine.mutation_id).unwrap();
    assert_eq!(conflict.mine.payload["title"], "Ma version");
    assert_eq!(conflict.theirs.record["title"], "Leur version");
    assert_eq!(store.outbox_counts().unwrap(), (0, 1));
    // The pull brings their version; mine is not laid on top while in conflict.
    store.apply_pull_page(&[theirs], 4).unwrap();
    assert_eq!(order_title(&store, order).as_deref(), Some("Leur version"));
    // Keep mine: sent again, based on their version.
    let again = store.keep_mine(mine.mutation_id).unwrap();
    let pending = store.pending().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].mutation_id, again.mutation_id);
    assert_eq!(pending[0].base_version, Some(2));
    assert_eq!(order_title(&store, order).as_deref(), Some("Ma version"));
    assert!(store.conflict(mine.mutation_id).is_err());
}

#[test]
fn a_second_edit_waits_for_the_first_ones_answer_and_is_based_on_its_version() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let created = store.enqueue(&create(order, "A")).unwrap();
    let first = store.enqueue(&update(order, "B")).unwrap();
    let second = store.enqueue(&update(order, "C")).unwrap();
    assert_eq!(order_title(&store, order).as_deref(), Some("C"));
    let user = "u-agent";
    // Only the creation can leave: the edits wait for the version it makes.
    let batch = store.push_batch(user, 100).unwrap();
    assert_eq!(
        batch.iter().map(|e| e.mutation_id).collect::<Vec<_>>(),
        vec![created.mutation_id]
    );
    store
        .record_push_results(&[applied(created.mutation_id, RecordKind::Order, order, 1)])
        .unwrap();
    let batch = store.push_batch(user, 100).unwrap();
    assert_eq!(batch.len(), 1);
    assert_eq!(batch[0].mutation_id, first.mutation_id);
    assert_eq!(batch[0].base_version, Some(1));
    store
        .record_push_results(&[applied(first.mutation_id, RecordKind::Order, order, 2)])
        .unwrap();
    let batch = store.push_batch(user, 100).unwrap();
    assert_eq!(batch[0].mutation_id, second.mutation_id);
    assert_eq!(batch[0].base_version, Some(2));
    // Still showing the latest edit throughout.
    assert_eq!(order_title(&store, order).as_deref(), Some("C"));
}

#[test]
fn an_edit_chained_to_a_refused_one_shares_its_fate() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let created = store.enqueue(&create(order, "A")).unwrap();
    let edit = store.enqueue(&update(order, "B")).unwrap();
    store
        .record_push_results(&[MutationResult {
            mutation_id: created.mutation_id,
            status: MutationStatus::Rejected,
            code: Some("framework_ended".into()),
            message: Some("L'accord-cadre est échu.".into()),
            details: json!({}),
            records: vec![],
            current: None,
        }])
        .unwrap();
    let attention = store.needs_attention().unwrap();
    assert_eq!(attention.len(), 2);
    assert_eq!(attention[1].mutation_id, edit.mutation_id);
    assert_eq!(
        attention[1].error_code.as_deref(),
        Some("depends_on_refused")
    );
    assert!(store.pending().unwrap().is_empty());
    assert_eq!(order_title(&store, order), None);
}

#[test]
fn changes_of_another_account_wait_for_their_author() {
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    store.enqueue(&create(Uuid::now_v7(), "Du DG")).unwrap();
    store.set_session(&me("mayor", Role::Mayor, NIS)).unwrap();
    assert!(store.push_batch("u-mayor", 100).unwrap().is_empty());
    assert_eq!(store.push_batch("u-dg", 100).unwrap().len(), 1);
    let authors = store.pending_authors("u-mayor").unwrap();
    assert_eq!(authors.len(), 1);
    assert_eq!(authors[0].username, "dg");
}

#[test]
fn another_communes_account_starts_from_an_empty_cache() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    assert_eq!(store.cursor().unwrap(), 2);
    store
        .set_session(&me("agent", Role::CommuneStaff, NIS))
        .unwrap();
    assert_eq!(store.cursor().unwrap(), 2, "same account: cache kept");
    store
        .set_session(&me("other", Role::CommuneStaff, "84077"))
        .unwrap();
    assert_eq!(store.cursor().unwrap(), 0);
    let count: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM record", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a_tombstone_removes_a_record_and_a_local_delete_hides_it_until_answered() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let order = Uuid::now_v7();
    let created = store.enqueue(&create(order, "À supprimer")).unwrap();
    store
        .record_push_results(&[applied(created.mutation_id, RecordKind::Order, order, 1)])
        .unwrap();
    let v1 = server_order(&store, order, "À supprimer");
    store
        .apply_pull_page(
            &[change(3, RecordKind::Order, &order.to_string(), 1, v1)],
            3,
        )
        .unwrap();
    let deleted = store
        .enqueue(&Mutation::DeleteOrderDraft(OrderRef { order_id: order }))
        .unwrap();
    assert_eq!(store.pending().unwrap()[0].base_version, Some(1));
    assert_eq!(order_title(&store, order), None);
    store
        .record_push_results(&[applied(deleted.mutation_id, RecordKind::Order, order, 2)])
        .unwrap();
    let tombstone = Change {
        seq: 5,
        kind: RecordKind::Order,
        id: order.to_string(),
        version: 2,
        deleted: true,
        record: Value::Null,
    };
    store.apply_pull_page(&[tombstone], 5).unwrap();
    let count: i64 = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM record WHERE kind = 'order'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn a_file_from_a_newer_release_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("centrale.db");
    drop(Store::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::TooNew { found: 99, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("version plus récente"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

#[test]
fn the_cache_runs_in_wal_with_full_sync_and_foreign_keys() {
    let (_dir, store) = cache(&me("agent", Role::CommuneStaff, NIS));
    let (mode, fk): (String, i64) = store
        .read(|c| {
            let mode = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let fk = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            Ok((mode, fk))
        })
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
}

#[test]
fn an_adhesion_signed_by_both_signatories_offline_shows_both_signatures() {
    let template = ConventionTemplate::new(
        Uuid::from_u128(0xC1),
        1,
        "Convention d'adhésion".into(),
        "Article 1. …".into(),
    );
    let dg = me("dg", Role::DirectorGeneral, NIS);
    let (_dir, store) = cache(&dg);
    store
        .apply_pull_page(
            &[change(
                3,
                RecordKind::ConventionTemplate,
                &template.id.to_string(),
                1,
                json!(template),
            )],
            3,
        )
        .unwrap();
    let adhesion = Uuid::now_v7();
    store
        .enqueue(&Mutation::StartAdhesion(
            centrale_protocol::mutations::StartAdhesion {
                adhesion_id: adhesion,
                template_id: template.id,
            },
        ))
        .unwrap();
    store
        .enqueue(&Mutation::RecordCollegeDecision(
            centrale_protocol::mutations::RecordCollegeDecision {
                adhesion_id: adhesion,
                college_decision: centrale_domain::adhesion::CollegeDecision {
                    reference: "CC/2026/112".into(),
                    date: Utc::now().date_naive() - chrono::Duration::days(3),
                    organ: centrale_domain::adhesion::Organ::Conseil,
                    financial_opinion: None,
                },
            },
        ))
        .unwrap();
    let sign = Mutation::SignAdhesion(centrale_protocol::mutations::SignAdhesion {
        adhesion_id: adhesion,
        text_sha256: template.sha256.clone(),
    });
    store.enqueue(&sign).unwrap();
    store.set_session(&me("mayor", Role::Mayor, NIS)).unwrap();
    store.enqueue(&sign).unwrap();
    // An agent cannot sign for the commune.
    store
        .set_session(&me("agent", Role::CommuneStaff, NIS))
        .unwrap();
    let err = store.enqueue(&sign).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let body: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT body FROM live_record WHERE kind = 'adhesion'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let a: Adhesion = serde_json::from_str(&body).unwrap();
    assert_eq!(a.status, AdhesionStatus::SignedByCommune);
    assert!(a.director_general_signature.is_some() && a.mayor_signature.is_some());
    assert_eq!(store.pending().unwrap().len(), 4);
}

/// The PC asks the domain's one permission matrix and milestone rules, as the server does:
/// the centrale may correct a planning (the PC used to refuse it), nobody marks an acceptance
/// done through a planning update (a guard that was the server's only), and another commune's
/// record is « not found », not « forbidden ».
#[test]
fn the_pc_decides_milestone_updates_as_the_server_does() {
    use centrale_domain::deployment::{plan_milestones, MilestoneKind, MilestonePlan};
    use centrale_domain::order::{Order, OrderStatus};
    use centrale_protocol::mutations::{
        AcknowledgeMilestone, DecideReplan, RequestReplan, UpdateMilestone,
    };
    let centrale = Me {
        user_id: "u-centrale".into(),
        username: "centrale.achats".into(),
        display_name: "Centrale".into(),
        role: Role::CentraleStaff,
        commune_nis: None,
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    };
    let (_dir, store) = cache(&centrale);
    let mut order = Order::new_draft(
        Uuid::now_v7(),
        NIS,
        &framework(),
        "E-guichet".into(),
        needs("E-guichet pour l'état civil"),
        "dg",
        Utc::now(),
    )
    .unwrap();
    order.status = OrderStatus::Deploying;
    let provider = Uuid::from_u128(0xA1);
    let milestones = plan_milestones(
        &MilestonePlan::standard(),
        Some(60),
        Utc::now().date_naive(),
        order.id,
        NIS,
        provider,
        Uuid::now_v7,
    );
    let mut page = vec![change(
        3,
        RecordKind::Order,
        &order.id.to_string(),
        1,
        json!(order),
    )];
    for (i, m) in milestones.iter().enumerate() {
        page.push(change(
            4 + i as i64,
            RecordKind::Milestone,
            &m.id.to_string(),
            1,
            json!(m),
        ));
    }
    store.apply_pull_page(&page, 20).unwrap();
    let kickoff = &milestones[0];
    let acceptance = milestones
        .iter()
        .find(|m| m.kind == MilestoneKind::ProvisionalAcceptance)
        .unwrap();
    let planned = kickoff.planned_date + chrono::Days::new(7);
    // Issue 17 point 5: the planned date no longer moves directly, on the PC as on the server…
    let err = store
        .enqueue(&Mutation::UpdateMilestone(UpdateMilestone {
            milestone_id: kickoff.id,
            planned_date: Some(planned),
            actual_date: None,
            notes: None,
        }))
        .unwrap_err();
    assert_eq!(err.code(), "milestone_planned_date_by_request");
    // …the centrale asks the commune for it on the provider's behalf; it may not decide.
    let request_id = Uuid::now_v7();
    store
        .enqueue(&Mutation::RequestReplan(RequestReplan {
            milestone_id: kickoff.id,
            request_id,
            requested_date: planned,
            reason: "Réunion reportée à la demande du prestataire".into(),
        }))
        .expect("the centrale may ask for a new date, as on the server");
    let err = store
        .enqueue(&Mutation::DecideReplan(DecideReplan {
            milestone_id: kickoff.id,
            request_id,
            accepted: true,
            reason: String::new(),
        }))
        .unwrap_err();
    assert_eq!(err.code(), "forbidden");
    let err = store
        .enqueue(&Mutation::UpdateMilestone(UpdateMilestone {
            milestone_id: acceptance.id,
            planned_date: None,
            actual_date: Some(Utc::now().date_naive()),
            notes: None,
        }))
        .unwrap_err();
    assert_eq!(err.code(), "acceptance_is_commune_act");
    // A director general of another commune: « not found », as the server answers.
    store
        .set_session(&me("dg-arlon", Role::DirectorGeneral, "81001"))
        .unwrap();
    store.apply_pull_page(&page, 20).unwrap();
    let err = store
        .enqueue(&Mutation::AcknowledgeMilestone(AcknowledgeMilestone {
            milestone_id: kickoff.id,
        }))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

/// Issue 11 rule 4 on the PC (CJEU C-23/20): the domain's check of the framework's maximum
/// value runs at once on the orders this PC holds — here the commune's awarded order leaves
/// too little for the new one, so the request is refused before anything is queued. The
/// server counts every commune's orders (a PC's count is a lower bound).
#[test]
fn rule_4_the_pc_refuses_an_order_beyond_the_maximum_it_knows_of() {
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    let template = ConventionTemplate::new(Uuid::from_u128(7), 1, "C".into(), "texte".into());
    let mut adhesion = Adhesion::draft(Uuid::from_u128(8), NIS, &template);
    adhesion.status = AdhesionStatus::Active;
    let mut f = framework();
    // The new order's estimate: set-up 4 500,00 € once; 1 000,00 € already awarded.
    f.versions[0].max_value = Some(centrale_domain::money::Cents(500_000));
    let awarded_id = Uuid::from_u128(0xA0);
    let mut awarded = serde_json::to_value(
        centrale_domain::order::Order::new_draft(
            awarded_id,
            NIS,
            &f,
            "E-guichet attribué".into(),
            needs("E-guichet déjà attribué"),
            "dg",
            Utc::now(),
        )
        .unwrap(),
    )
    .unwrap();
    awarded["status"] = json!("awarded");
    awarded["award"] = json!({
        "offer_id": null, "provider_id": Uuid::from_u128(0xA1),
        "justification": "Offre classée première sur les critères.",
        "college_decision": {"reference": "COL/1", "date": "2026-11-29"},
        "amount": {"excl_vat": 100_000, "vat": 21_000, "incl_vat": 121_000},
        "direct": false, "awarded_at": "2026-11-29T09:00:00Z", "awarded_by": "dg",
    });
    store
        .apply_pull_page(
            &[
                change(
                    3,
                    RecordKind::Adhesion,
                    &adhesion.id.to_string(),
                    1,
                    json!(adhesion),
                ),
                change(
                    4,
                    RecordKind::Framework,
                    &framework_id().to_string(),
                    2,
                    json!(f),
                ),
                change(5, RecordKind::Order, &awarded_id.to_string(), 1, awarded),
            ],
            5,
        )
        .unwrap();
    let order = Uuid::now_v7();
    store.enqueue(&create(order, "E-guichet 2027")).unwrap();
    let err = store
        .enqueue(&Mutation::SubmitOrder(
            centrale_protocol::mutations::SubmitOrder {
                order_id: order,
                decision: Some(centrale_domain::adhesion::Decision {
                    reference: "CC/2026/140".into(),
                    date: Utc::now().date_naive() - chrono::Duration::days(1),
                    organ: centrale_domain::adhesion::Organ::Conseil,
                    financial_opinion: Some(centrale_domain::adhesion::FinancialOpinion {
                        reference: "DF/2026/12".into(),
                        date: Utc::now().date_naive() - chrono::Duration::days(2),
                        kind: centrale_domain::adhesion::OpinionKind::Favourable,
                    }),
                }),
                budget_article: "104/123-13".into(),
            },
        ))
        .unwrap_err();
    assert_eq!(err.code(), "maximum_value_exceeded", "{err}");
    assert_eq!(store.pending().unwrap().len(), 1);
}

/// Issue 11 rule 16 (AR 14 January 2013 on execution, art. 11; convention d'adhésion, art. 7):
/// the centrale's PC checks at once that the purchase order names the commune's fonctionnaire
/// dirigeant; the purchase order itself is the server's to write (no local effect).
#[test]
fn rule_16_the_pc_refuses_a_purchase_order_without_fonctionnaire_dirigeant() {
    let (_dir, store) = cache(&Me {
        second_factor: true,
        ..me("centrale", Role::CentraleStaff, NIS)
    });
    let f = framework();
    let order_id = Uuid::from_u128(0xB0);
    let mut awarded = serde_json::to_value(
        centrale_domain::order::Order::new_draft(
            order_id,
            NIS,
            &f,
            "E-guichet attribué".into(),
            needs("E-guichet attribué par le collège"),
            "dg",
            Utc::now(),
        )
        .unwrap(),
    )
    .unwrap();
    awarded["status"] = json!("awarded");
    store
        .apply_pull_page(
            &[change(
                3,
                RecordKind::Order,
                &order_id.to_string(),
                1,
                awarded,
            )],
            3,
        )
        .unwrap();
    let issue = |name: Option<&str>, quality: Option<&str>| {
        Mutation::IssuePurchaseOrder(centrale_protocol::mutations::IssuePurchaseOrder {
            order_id,
            reference: "BC-2026-0042".into(),
            contract_manager_name: name.map(str::to_string),
            contract_manager_quality: quality.map(str::to_string),
        })
    };
    // The centrale's staff sign the purchase order with a one-time code (issue 17 point 9);
    // its value is the server's to check.
    let enqueue = |m: &Mutation| store.enqueue_signed_at(m, Utc::now(), Some("123456"));
    let err = enqueue(&issue(None, None)).unwrap_err();
    assert_eq!(err.code(), "contract_manager_name_missing", "{err}");
    assert_eq!(err.params()["field"], "contract_manager_name");
    let err = enqueue(&issue(Some("Marie Dupont"), Some(" "))).unwrap_err();
    assert_eq!(err.code(), "contract_manager_quality_missing", "{err}");
    assert!(store.pending().unwrap().is_empty());
    // Named: the centrale's staff sign with their second factor (issue 17 point 9) — asked
    // once the form is right, kept for the server with the moment it was typed.
    let named = issue(Some("Marie Dupont"), Some("Responsable informatique"));
    let err = store.enqueue(&named).unwrap_err();
    assert_eq!(err.code(), "second_factor_required", "{err}");
    let err = store
        .enqueue_signed_at(&named, Utc::now(), Some("12345"))
        .unwrap_err();
    assert_eq!(err.code(), "second_factor_code_malformed", "{err}");
    assert!(store.pending().unwrap().is_empty());
    // Queued for the server, the local order untouched until it answers.
    let typed_at = Utc::now();
    store
        .enqueue_signed_at(&named, typed_at, Some(" 123 456 "))
        .unwrap();
    let sent = store.pending().unwrap()[0].envelope();
    let proof = sent.second_factor.expect("the code goes with the act");
    assert_eq!((proof.code.as_str(), proof.typed_at), ("123 456", typed_at));
    assert_eq!(store.pending().unwrap().len(), 1);
    let detail = store
        .order_detail(order_id, Utc::now().date_naive())
        .unwrap()
        .unwrap();
    assert!(detail.purchase_order.is_none());
}

/// Issue 11 rule 7 (law of 17 June 2016 art. 84; AR 18 April 2017 art. 36 §2): the
/// commune's PC records a request to justify prices at once, then refuses, as the server
/// does, to evaluate or to accept the justification while the answer is awaited, and to set
/// the offer aside as abnormally low before the answer or the deadline.
#[test]
fn rule_7_the_pc_records_a_price_request_and_waits_for_the_answer() {
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    let f = framework();
    let order_id = Uuid::from_u128(0xC0);
    let offer_id = Uuid::from_u128(0xC1);
    let provider_id = Uuid::from_u128(0xC2);
    let mut opened = serde_json::to_value(
        centrale_domain::order::Order::new_draft(
            order_id,
            NIS,
            &f,
            "E-guichet ouvert".into(),
            needs("E-guichet dont les offres sont ouvertes"),
            "dg",
            Utc::now(),
        )
        .unwrap(),
    )
    .unwrap();
    opened["status"] = json!("offers_opened");
    // Opened: before the opening no offer is known to the commune (issue 11 rule 6).
    opened["opened_at"] = json!(Utc::now());
    let offer = centrale_domain::offer::Offer {
        id: offer_id,
        order_id,
        invitation_id: Uuid::from_u128(0xC3),
        provider_id,
        commune_nis: NIS.into(),
        revision: 1,
        lines: Vec::new(),
        total: Default::default(),
        lead_time_days: 30,
        notes: String::new(),
        submitted_at: Utc::now(),
        content_sha256: String::new(),
    };
    store
        .apply_pull_page(
            &[
                change(3, RecordKind::Order, &order_id.to_string(), 1, opened),
                change(
                    4,
                    RecordKind::Offer,
                    &offer_id.to_string(),
                    1,
                    serde_json::to_value(&offer).unwrap(),
                ),
            ],
            4,
        )
        .unwrap();
    let request_id = Uuid::from_u128(0xC4);
    let ask = |days: i64| {
        Mutation::AskPriceJustification(centrale_protocol::mutations::AskPriceJustification {
            order_id,
            request_id,
            offer_id,
            prices: "Mise en service à 1 000 € : pourquoi si bas ?".into(),
            deadline: Utc::now() + chrono::Duration::days(days),
        })
    };
    let err = store.enqueue(&ask(5)).unwrap_err();
    assert_eq!(err.code(), "deadline_too_soon", "{err}");
    store.enqueue(&ask(13)).unwrap();
    let detail = store
        .order_detail(order_id, Utc::now().date_naive())
        .unwrap()
        .unwrap();
    assert_eq!(detail.order.price_requests.len(), 1);
    assert_eq!(detail.order.price_requests[0].provider_id, provider_id);
    let err = store
        .enqueue(&Mutation::EvaluateOffers(
            centrale_protocol::mutations::EvaluateOffers {
                order_id,
                scores: Vec::new(),
            },
        ))
        .unwrap_err();
    assert_eq!(err.code(), "price_justification_awaited", "{err}");
    let err = store
        .enqueue(&Mutation::AcceptPriceJustification(
            centrale_protocol::mutations::AcceptPriceJustification {
                order_id,
                request_id,
            },
        ))
        .unwrap_err();
    assert_eq!(err.code(), "price_justification_awaited", "{err}");
    let err = store
        .enqueue(&Mutation::SetOfferAside(
            centrale_protocol::mutations::SetOfferAside {
                order_id,
                offer_id,
                motivation: "Prix anormalement bas : la justification manque encore.".into(),
                ground: centrale_domain::order::SetAsideGround::AbnormallyLow,
            },
        ))
        .unwrap_err();
    assert_eq!(err.code(), "price_justification_awaited", "{err}");
}

/// CDLD L1123-5 and L1132-3 on the PC: a substitute the server named (its copy of the
/// substitution, with the account's id) signs offline in the mayor's place on a covered day,
/// shown as such; outside the period the PC refuses as the server would; the titulars record a
/// substitution offline, an agent may not.
#[test]
fn rule_cdld_l1123_5_the_pc_lets_a_substitute_sign_on_covered_days_only() {
    use centrale_domain::adhesion::{Decision, Organ};
    use centrale_domain::signatory::{Capacity, Gender, Substitution};
    use centrale_protocol::mutations::{RecordSubstitution, SignAdhesion, StartAdhesion};
    let template = ConventionTemplate::new(
        Uuid::from_u128(0xC1),
        1,
        "Convention d'adhésion".into(),
        "Article 1. …".into(),
    );
    let today = Utc::now().date_naive();
    let decision = Decision {
        organ: Organ::College,
        reference: "COL/2026/250".into(),
        date: today - chrono::Duration::days(3),
        financial_opinion: None,
    };
    let dg = me("dg", Role::DirectorGeneral, NIS);
    let (_dir, store) = cache(&dg);
    let substitution = |id: u128, from: i64, to: i64| Substitution {
        id: Uuid::from_u128(id),
        commune_nis: NIS.into(),
        capacity: Capacity::MayorActing,
        substitute_username: "agent".into(),
        substitute_user_id: "u-agent".into(),
        substitute_name: "Compte agent".into(),
        substitute_gender: Gender::Female,
        from: today + chrono::Duration::days(from),
        to: today + chrono::Duration::days(to),
        decision: decision.clone(),
        ranked_before_unavailable: None,
        documents: None,
        recorded_by: "Compte dg, directeur général".into(),
        recorded_at: Utc::now(),
        ended: None,
    };
    store
        .apply_pull_page(
            &[
                change(
                    3,
                    RecordKind::ConventionTemplate,
                    &template.id.to_string(),
                    1,
                    json!(template),
                ),
                change(
                    4,
                    RecordKind::Substitution,
                    &Uuid::from_u128(0x5B).to_string(),
                    1,
                    json!(substitution(0x5B, 5, 10)),
                ),
            ],
            4,
        )
        .unwrap();
    let adhesion = Uuid::now_v7();
    store
        .enqueue(&Mutation::StartAdhesion(StartAdhesion {
            adhesion_id: adhesion,
            template_id: template.id,
        }))
        .unwrap();
    store
        .enqueue(&Mutation::RecordCollegeDecision(
            centrale_protocol::mutations::RecordCollegeDecision {
                adhesion_id: adhesion,
                college_decision: Decision {
                    organ: Organ::Conseil,
                    ..decision.clone()
                },
            },
        ))
        .unwrap();
    // The DG records another substitution offline (the account is the server's to resolve).
    store
        .enqueue(&Mutation::RecordSubstitution(RecordSubstitution {
            substitution_id: Uuid::now_v7(),
            capacity: Capacity::DirectorGeneralActing,
            substitute_username: "claire".into(),
            from: today,
            to: today + chrono::Duration::days(2),
            decision: decision.clone(),
            ranked_before_unavailable: None,
            documents: None,
        }))
        .unwrap();
    let sign = Mutation::SignAdhesion(SignAdhesion {
        adhesion_id: adhesion,
        text_sha256: template.sha256.clone(),
    });
    // The agent's substitution starts in five days: refused today, as on the server.
    let agent = me("agent", Role::CommuneStaff, NIS);
    store.set_session(&agent).unwrap();
    assert_eq!(
        store.enqueue(&sign).unwrap_err().code(),
        "substitution_not_in_force"
    );
    let record = Mutation::RecordSubstitution(RecordSubstitution {
        substitution_id: Uuid::now_v7(),
        capacity: Capacity::MayorActing,
        substitute_username: "agent".into(),
        from: today,
        to: today,
        decision: decision.clone(),
        ranked_before_unavailable: None,
        documents: None,
    });
    assert_eq!(store.enqueue(&record).unwrap_err().code(), "forbidden");
    // The server's copy of a substitution covering today arrives: the agent signs as such.
    store
        .apply_pull_page(
            &[change(
                5,
                RecordKind::Substitution,
                &Uuid::from_u128(0x5C).to_string(),
                1,
                json!(substitution(0x5C, 0, 2)),
            )],
            5,
        )
        .unwrap();
    store.enqueue(&sign).unwrap();
    let body: String = store
        .read(|c| {
            Ok(c.query_row(
                "SELECT body FROM live_record WHERE kind = 'adhesion'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let a: Adhesion = serde_json::from_str(&body).unwrap();
    let mayor = a.mayor_signature.expect("signed in the mayor's place");
    assert_eq!(mayor.capacity, Capacity::MayorActing);
    // The title follows the account's own gender (this one is not recorded: the masculine form).
    assert_eq!(mayor.label(), "Compte agent, échevin, bourgmestre f.f.");
    assert_eq!(mayor.substitution.unwrap().id, Uuid::from_u128(0x5C));
    // A bourgmestre f.f. signs every document in the bourgmestre's place.
    use centrale_domain::signatory::DelegatedDocument;
    let screen = store.adhesion(today).unwrap();
    assert_eq!(
        screen.signer.expect("signs today").signs,
        DelegatedDocument::ALL.to_vec()
    );
    // An échevin délégué, the documents his delegation lists (CDLD L1132-4): the award only.
    store
        .apply_pull_page(
            &[change(
                6,
                RecordKind::Substitution,
                &Uuid::from_u128(0x5C).to_string(),
                2,
                json!(Substitution {
                    capacity: Capacity::DelegatedAlderman,
                    documents: Some(vec![DelegatedDocument::Award]),
                    ..substitution(0x5C, 0, 2)
                }),
            )],
            6,
        )
        .unwrap();
    let signer = store.adhesion(today).unwrap().signer.expect("signs today");
    assert_eq!(signer.capacity, Capacity::DelegatedAlderman);
    assert_eq!(signer.signs, vec![DelegatedDocument::Award]);
}

/// Issue 14 §1: the DG changes how she is told by e-mail while offline: the form shows it at
/// once (waiting to be sent), the server's answer keeps it as accepted, and the choice made
/// later on another PC arrives with a pull. A legal kind is refused here at once, as the
/// server would.
#[test]
fn mail_preferences_changed_offline_show_at_once_and_sync_like_any_record() {
    use centrale_domain::mail::{MailChoice, MailKind, MailKindChoice};
    use centrale_protocol::mutations::SetMailPreferences;

    let dg = me("dg", Role::DirectorGeneral, NIS);
    let (_dir, store) = cache(&dg);
    let before = store.mail_preferences().unwrap().expect("signed in");
    assert_eq!(before.account, "u-dg");
    assert!(before
        .lines
        .iter()
        .all(|l| l.choice == MailChoice::Immediate && !l.legal));

    let set = |kind, choice| {
        Mutation::SetMailPreferences(SetMailPreferences {
            account: "u-dg".into(),
            choices: vec![MailKindChoice { kind, choice }],
        })
    };
    let queued = store
        .enqueue(&set(MailKind::OffersOpened, MailChoice::Digest))
        .unwrap();
    let offline = store.mail_preferences().unwrap().unwrap();
    assert!(offline.pending);
    let line = |s: &centrale_store::read::MailPreferencesScreen, kind| {
        s.lines.iter().find(|l| l.kind == kind).unwrap().choice
    };
    assert_eq!(line(&offline, MailKind::OffersOpened), MailChoice::Digest);
    assert_eq!(store.outbox_counts().unwrap(), (1, 0));
    assert_eq!(
        store.pending().unwrap()[0].name,
        "account.set_mail_preferences"
    );

    // Refused here, as on the server: a legal kind, someone else's account.
    assert!(store
        .enqueue(&set(MailKind::AwardNotification, MailChoice::Nothing))
        .is_err());
    assert!(store
        .enqueue(&Mutation::SetMailPreferences(SetMailPreferences {
            account: "u-someone-else".into(),
            choices: vec![],
        }))
        .is_err());
    assert_eq!(store.outbox_counts().unwrap(), (1, 0));

    // The server applied it: the choice stays (shown as the PC's until the pull brings the
    // server's copy).
    store
        .record_push_results(&[MutationResult {
            mutation_id: queued.mutation_id,
            status: MutationStatus::Applied,
            code: None,
            message: None,
            details: json!({}),
            records: vec![RecordRef {
                kind: RecordKind::MailPreferences,
                id: "u-dg".into(),
                version: 1,
            }],
            current: None,
        }])
        .unwrap();
    let accepted = store.mail_preferences().unwrap().unwrap();
    assert_eq!(line(&accepted, MailKind::OffersOpened), MailChoice::Digest);

    // Changed later on another PC: the pull brings it.
    store
        .apply_pull_page(
            &[change(
                9,
                RecordKind::MailPreferences,
                "u-dg",
                2,
                json!({"account": "u-dg", "updated_at": "2026-12-03T10:00:00Z",
                       "choices": [{"kind": "milestone_late", "choice": "nothing"}]}),
            )],
            9,
        )
        .unwrap();
    let pulled = store.mail_preferences().unwrap().unwrap();
    assert!(!pulled.pending);
    assert_eq!(line(&pulled, MailKind::OffersOpened), MailChoice::Immediate);
    assert_eq!(line(&pulled, MailKind::MilestoneLate), MailChoice::Nothing);
}

// Issue 16: the intercommunale's own services and the needs survey, offline.
#[path = "offline/accompaniment.rs"]
mod accompaniment;
#[path = "offline/pool.rs"]
mod pool;
#[path = "offline/survey.rs"]
mod survey;
