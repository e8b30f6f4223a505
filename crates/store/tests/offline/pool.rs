//! Issue 16 §4: a commune joins a pooled call-off on its PC, offline — its order bound to the
//! pool, the pool showing it at once; the rules of the server refuse at once what it would (a
//! pool closed, another service); cancelling takes the commune out again.

use super::*;
use centrale_domain::pool::{self, PoolDraft, PooledCallOff};
use centrale_protocol::mutations::{CloseOrder, SubmitOrder};

fn a_pool(join_until: chrono::NaiveDate) -> PooledCallOff {
    let service = Service {
        id: service_id(),
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: String::new(),
        description_fr: String::new(),
        category_fr: String::new(),
        framework_id: framework_id(),
        added_on: None,
        from_need: None,
    };
    let f = framework();
    pool::create(
        Uuid::now_v7(),
        &PoolDraft {
            service_id: service_id(),
            title: "E-guichet 2027 — achat groupé".into(),
            description: "Un e-guichet commun pour l'état civil et la population.".into(),
            join_until,
        },
        &service,
        &f,
        "Centrale",
        Utc::now(),
    )
    .unwrap()
}

fn join(order_id: Uuid, pool: Uuid) -> Mutation {
    Mutation::CreateOrderDraft(CreateOrderDraft {
        order_id,
        service_id: service_id(),
        title: "E-guichet (groupé)".into(),
        needs: needs("E-guichet pour l'état civil"),
        pool_id: Some(pool),
    })
}

fn active_adhesion() -> Adhesion {
    let template = ConventionTemplate::new(Uuid::from_u128(7), 1, "C".into(), "texte".into());
    let mut adhesion = Adhesion::draft(Uuid::from_u128(8), NIS, &template);
    adhesion.status = AdhesionStatus::Active;
    adhesion
}

fn send(order_id: Uuid) -> Mutation {
    Mutation::SubmitOrder(SubmitOrder {
        order_id,
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
    })
}

#[test]
fn a_commune_joins_a_pool_offline_and_leaves_it_by_cancelling() {
    let today = centrale_domain::time::brussels_today(Utc::now());
    let open = a_pool(today + chrono::Days::new(10));
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    store
        .apply_pull_page(
            &[
                change(
                    3,
                    RecordKind::PooledCallOff,
                    &open.id.to_string(),
                    1,
                    json!(open),
                ),
                change(
                    4,
                    RecordKind::Adhesion,
                    &Uuid::from_u128(8).to_string(),
                    1,
                    json!(active_adhesion()),
                ),
            ],
            4,
        )
        .unwrap();
    // A pool unknown to this PC is refused at once.
    let err = store
        .enqueue(&join(Uuid::now_v7(), Uuid::now_v7()))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let order = Uuid::now_v7();
    store.enqueue(&join(order, open.id)).unwrap();
    // A draft for the pool is the commune's way in already: no second « Rejoindre ».
    let page = store.pool(open.id, Some("u-dg"), today).unwrap().unwrap();
    assert_eq!((page.my_order_id, page.joinable), (Some(order), false));
    store.enqueue(&send(order)).unwrap();
    // The pool shows the commune at once, offline.
    let page = store.pool(open.id, Some("u-dg"), today).unwrap().unwrap();
    assert_eq!(page.my_order_id, Some(order));
    assert!(!page.joinable);
    assert_eq!(page.members.len(), 1);
    let detail = store.order_detail(order, today).unwrap().unwrap();
    assert_eq!(detail.pool.as_ref().map(|p| p.id), Some(open.id));
    // Cancelling before the launch takes it out.
    store
        .enqueue(&Mutation::CancelOrder(CloseOrder {
            order_id: order,
            reason: "Le collège a renoncé au projet.".into(),
        }))
        .unwrap();
    let page = store.pool(open.id, Some("u-dg"), today).unwrap().unwrap();
    assert!(page.members[0].left_at.is_some());
    assert!(page.joinable);
    // A pool whose joining date passed refuses a new draft at once.
    let closed = a_pool(today);
    let mut closed_later = closed.clone();
    closed_later.join_until = today - chrono::Days::new(1);
    store
        .apply_pull_page(
            &[change(
                5,
                RecordKind::PooledCallOff,
                &closed.id.to_string(),
                1,
                json!(closed_later),
            )],
            5,
        )
        .unwrap();
    let err = store.enqueue(&join(Uuid::now_v7(), closed.id)).unwrap_err();
    assert_eq!(err.code(), "pool_closed");
}
