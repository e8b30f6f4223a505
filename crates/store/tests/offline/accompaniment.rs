//! Issue 16 §2: an accompaniment ordered on the PC, offline.

use super::*;

/// Issue 16 §2: a commune orders the intercommunale's accompaniment offline: priced from the
/// list on this PC, shown at once as « demandé », waiting in the outbox; a split package is
/// refused before anything is written, as the server would refuse it.
#[test]
fn an_accompaniment_ordered_offline_is_priced_from_the_list_and_waits_in_the_outbox() {
    use centrale_domain::accompaniment::{
        AccompanimentPriceList, AccompanimentRequestLine, AccompanimentService,
        AccompanimentStatus, AccompanimentUnit, PRICE_LIST_ID,
    };
    use centrale_domain::money::{Cents, VatRate};
    use centrale_protocol::mutations::OrderAccompaniment;
    let (_dir, store) = cache(&me("dg", Role::DirectorGeneral, NIS));
    let mut list = AccompanimentPriceList { versions: vec![] };
    list.publish(
        vec![AccompanimentService {
            code: "lancement".into(),
            label_fr: "Lancement du projet".into(),
            description_fr: String::new(),
            unit: AccompanimentUnit::Package,
            price_cents: Cents(150_000),
            vat_rate: VatRate::standard(),
        }],
        "Tarifs 2026 de l'accompagnement",
        Utc::now(),
    )
    .unwrap();
    let adhesion = centrale_domain::fixtures::active_adhesion(NIS, Utc::now());
    store
        .apply_pull_page(
            &[
                change(
                    3,
                    RecordKind::AccompanimentPriceList,
                    &PRICE_LIST_ID.to_string(),
                    1,
                    json!(list),
                ),
                change(
                    4,
                    RecordKind::Adhesion,
                    &adhesion.id.to_string(),
                    1,
                    json!(adhesion),
                ),
            ],
            4,
        )
        .unwrap();
    let order = |id: Uuid, quantity: &str| {
        Mutation::OrderAccompaniment(OrderAccompaniment {
            accompaniment_id: id,
            title: "Lancement de l'e-guichet".into(),
            call_off_id: None,
            lines: vec![AccompanimentRequestLine {
                code: "lancement".into(),
                quantity: quantity.parse().unwrap(),
            }],
            decision: serde_json::from_value(json!({
                "reference": "COL/2026/300",
                "date": centrale_domain::time::brussels_today(Utc::now()),
            }))
            .unwrap(),
        })
    };
    let err = store.enqueue(&order(Uuid::now_v7(), "1.5")).unwrap_err();
    assert_eq!(err.code(), "accompaniment_quantity_invalid");
    assert!(store.pending().unwrap().is_empty());
    let id = Uuid::now_v7();
    store.enqueue(&order(id, "1")).unwrap();
    let screen = store.accompaniment().unwrap();
    assert_eq!(screen.price_list.unwrap().version, 1);
    let row = screen.orders.iter().find(|r| r.order.id == id).unwrap();
    assert!(row.pending);
    assert_eq!(row.order.status, AccompanimentStatus::Requested);
    assert_eq!(row.order.total.incl_vat, Cents(181_500));
    assert_eq!(store.pending().unwrap()[0].name, "accompaniment.order");
}
