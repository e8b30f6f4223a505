//! The summary tables of schema 5 say what the records say, through every way `record` is
//! written (issue 19 §4): the lists read them instead of the bodies.

use std::collections::BTreeMap;

use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::money::Amount;
use centrale_domain::order::{Order, OrderStatus};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use uuid::Uuid;

use super::fixture::*;
use crate::read::deployments::{views, MilestoneView};
use crate::read::live;
use crate::read::orders::{follows_milestones, OrderHead, FOLLOWING_MILESTONES};
use crate::read::summary::{self, day, timestamp};
use crate::{records, Store};

type HeadFields = (
    Uuid,
    String,
    Uuid,
    String,
    OrderStatus,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<Uuid>,
    Option<Uuid>,
    bool,
);

fn fields(o: live::Live<OrderHead>) -> HeadFields {
    let h = o.body;
    (
        h.id,
        h.commune_nis,
        h.service_id,
        h.title,
        h.status,
        h.created_at,
        h.submitted_at,
        h.competition.map(|c| c.deadline),
        h.award.map(|a| a.provider_id),
        h.pool_id,
        o.pending,
    )
}

/// What the lists read, from the summaries and from the bodies decoded by the domain's types.
#[allow(clippy::type_complexity)]
fn both(
    c: &Connection,
) -> crate::error::Result<(
    (Vec<HeadFields>, BTreeMap<Uuid, Vec<MilestoneView>>),
    (Vec<HeadFields>, BTreeMap<Uuid, Vec<MilestoneView>>),
)> {
    let from_summary = (
        summary::order_heads(c, None, None)?
            .into_iter()
            .map(fields)
            .collect(),
        summary::milestone_views(c, None, |_| true, today())?
            .into_iter()
            .collect(),
    );
    let mut by_order: BTreeMap<Uuid, Vec<live::Live<Milestone>>> = BTreeMap::new();
    for m in live::of_kind::<Milestone>(c, RecordKind::Milestone, None)? {
        by_order.entry(m.body.order_id).or_default().push(m);
    }
    let from_bodies = (
        live::of_kind::<OrderHead>(c, RecordKind::Order, None)?
            .into_iter()
            .map(fields)
            .collect(),
        by_order
            .into_iter()
            .map(|(order, ms)| (order, views(ms, today())))
            .collect(),
    );
    Ok((from_summary, from_bodies))
}

type Facts = (
    String,
    Uuid,
    Uuid,
    OrderStatus,
    Option<DateTime<Utc>>,
    Option<(Amount, DateTime<Utc>)>,
);

/// What the overview counts, from the summary and from the whole orders, in the same order.
fn facts(c: &Connection) -> crate::error::Result<(Vec<Facts>, Vec<Facts>)> {
    let from_summary = summary::order_facts(c)?
        .into_iter()
        .map(|f| {
            let award = f.award.map(|a| (a.amount, a.awarded_at));
            (
                f.commune_nis,
                f.service_id,
                f.framework_id,
                f.status,
                f.submitted_at,
                award,
            )
        })
        .collect();
    let from_bodies = live::of_kind::<Order>(c, RecordKind::Order, None)?
        .into_iter()
        .map(|o| {
            let o = o.body;
            let award = o.award.map(|a| (a.amount, a.awarded_at));
            (
                o.commune_nis,
                o.service_id,
                o.framework_id,
                o.status,
                o.submitted_at,
                award,
            )
        })
        .collect();
    let sorted = |mut facts: Vec<Facts>| {
        facts.sort_by_cached_key(|f| format!("{f:?}"));
        facts
    };
    Ok((sorted(from_summary), sorted(from_bodies)))
}

/// The deployments' narrowed reads — the heads of the running statuses only, the milestones of
/// a few orders by seeks — against the whole scans filtered in Rust.
#[allow(clippy::type_complexity)]
fn narrowed_reads(
    c: &Connection,
) -> crate::error::Result<(
    (Vec<HeadFields>, BTreeMap<Uuid, Vec<MilestoneView>>),
    (Vec<HeadFields>, BTreeMap<Uuid, Vec<MilestoneView>>),
)> {
    let running = summary::order_heads(c, None, Some(&FOLLOWING_MILESTONES))?;
    let keys: Vec<(String, Uuid)> = running
        .iter()
        .map(|o| (o.body.commune_nis.clone(), o.body.id))
        .collect();
    let keys: Vec<(&str, Uuid)> = keys.iter().map(|(c, id)| (c.as_str(), *id)).collect();
    let seeks = summary::milestone_views_of(c, &keys, today())?
        .into_iter()
        .filter(|(_, views)| !views.is_empty())
        .collect();
    let all = summary::order_heads(c, None, None)?;
    let wanted: Vec<Uuid> = all
        .iter()
        .filter(|o| follows_milestones(o.body.status))
        .map(|o| o.body.id)
        .collect();
    let scanned = summary::milestone_views(c, None, |id| wanted.contains(id), today())?
        .into_iter()
        .collect();
    let filtered = all
        .into_iter()
        .filter(|o| follows_milestones(o.body.status))
        .map(fields)
        .collect();
    Ok((
        (running.into_iter().map(fields).collect(), seeks),
        (filtered, scanned),
    ))
}

/// A milestone's dates as the lists compute on them.
type Dates = (MilestoneKind, NaiveDate, Option<NaiveDate>);

/// The milestones' dates of every order, from `milestone_dates` (schema 6) and from the
/// milestones decoded by the domain's types, each order's in one order.
#[allow(clippy::type_complexity)]
fn dates(
    c: &Connection,
) -> crate::error::Result<(BTreeMap<Uuid, Vec<Dates>>, BTreeMap<Uuid, Vec<Dates>>)> {
    let sorted = |mut d: Vec<Dates>| {
        d.sort();
        d
    };
    let from_summary = summary::milestone_heads(c, None, |_| true)?
        .into_iter()
        .map(|(order, heads)| {
            let d = heads
                .iter()
                .map(|h| (h.kind, h.planned_date, h.actual_date))
                .collect();
            (order, sorted(d))
        })
        .collect();
    let mut from_bodies: BTreeMap<Uuid, Vec<Dates>> = BTreeMap::new();
    for m in live::of_kind::<Milestone>(c, RecordKind::Milestone, None)? {
        let m = m.body;
        from_bodies
            .entry(m.order_id)
            .or_default()
            .push((m.kind, m.planned_date, m.actual_date));
    }
    let from_bodies = from_bodies
        .into_iter()
        .map(|(order, d)| (order, sorted(d)))
        .collect();
    Ok((from_summary, from_bodies))
}

fn assert_same(store: &Store, step: &str) -> usize {
    let (summary, bodies) = store.read(both).unwrap();
    assert_eq!(summary, bodies, "after {step}");
    let (summary_dates, body_dates) = store.read(dates).unwrap();
    assert_eq!(
        summary_dates, body_dates,
        "the milestones' dates after {step}"
    );
    let (narrowed, seeks) = store.read(narrowed_reads).unwrap();
    assert_eq!(narrowed, seeks, "the narrowed reads after {step}");
    // The home's steps and its seeks of a few heads, against the whole heads.
    store
        .read(|c| {
            let heads = summary::order_heads(c, None, None)?;
            let mut steps = summary::order_steps(c, None)?;
            steps.sort_by_key(|s| s.id);
            let steps: Vec<_> = steps
                .into_iter()
                .map(|s| (s.commune_nis, s.id, s.status, s.deadline, s.pooled))
                .collect();
            let expected: Vec<_> = heads
                .iter()
                .map(|o| {
                    let h = &o.body;
                    let deadline = h.competition.as_ref().map(|c| c.deadline);
                    (
                        Some(h.commune_nis.clone()),
                        h.id,
                        h.status,
                        deadline,
                        h.pool_id.is_some(),
                    )
                })
                .collect();
            assert_eq!(steps, expected, "the steps after {step}");
            let keys: Vec<(&str, Uuid)> = heads
                .iter()
                .rev()
                .map(|o| (o.body.commune_nis.as_str(), o.body.id))
                .collect();
            let sought: Vec<HeadFields> = summary::order_heads_of(c, &keys)?
                .into_iter()
                .map(fields)
                .collect();
            let mut whole: Vec<HeadFields> = heads.into_iter().map(fields).collect();
            whole.reverse();
            assert_eq!(sought, whole, "the sought heads after {step}");
            Ok(())
        })
        .unwrap();
    let (summary_facts, body_facts) = store.read(facts).unwrap();
    assert_eq!(
        summary_facts, body_facts,
        "the overview's facts after {step}"
    );
    summary.0.len()
}

#[test]
fn the_summaries_say_what_the_records_say_through_every_write() {
    let f = fixture();
    // The fixture: orders at every step, one pending, one deleted; milestones done and not.
    let live_orders = assert_same(&f.store, "the first sync");
    let running = f
        .store
        .read(|c| summary::order_heads(c, None, Some(&FOLLOWING_MILESTONES)))
        .unwrap();
    assert!(!running.is_empty() && running.len() < live_orders);
    assert!(live_orders >= 4, "{live_orders} orders");

    // A pulled change: the evaluated order is awarded; another order is deleted.
    let mut awarded = f.evaluated.clone();
    awarded.status = OrderStatus::Awarded;
    awarded.title = "Attribuée par le collège".into();
    awarded.award = f.deploying.award.clone();
    let text = serde_json::to_string(&awarded).unwrap();
    f.store
        .write(|tx| {
            records::put_server(
                tx,
                RecordKind::Order,
                &awarded.id.to_string(),
                9,
                Some(&text),
                true,
            )?;
            records::put_server(
                tx,
                RecordKind::Order,
                &f.deploying.id.to_string(),
                9,
                None,
                true,
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(assert_same(&f.store, "a pulled page"), live_orders - 1);

    // Local changes laid on top: an order retitled, a milestone done.
    let mut edited = awarded.clone();
    edited.title = "Modifiée hors ligne".into();
    let milestone = f
        .store
        .read(|c| live::of_kind::<Milestone>(c, RecordKind::Milestone, None))
        .unwrap()
        .remove(0)
        .body;
    let mut done = milestone.clone();
    done.actual_date = Some(date(2026, 2, 27));
    done.notes = "Réunion tenue à la maison communale.".into();
    f.store
        .write(|tx| {
            tx.execute(
                "INSERT INTO outbox (client_seq, mutation_id, name, payload, created_at, created_by)
                 VALUES (1, 'm1', 'order.update_draft', '{}', '2026-03-01T10:00:00Z', 'dg')",
                [],
            )?;
            records::put_local(
                tx,
                1,
                RecordKind::Order,
                &edited.id.to_string(),
                Some(&serde_json::to_value(&edited)?),
            )?;
            records::put_local(
                tx,
                1,
                RecordKind::Milestone,
                &done.id.to_string(),
                Some(&serde_json::to_value(&done)?),
            )?;
            Ok(())
        })
        .unwrap();
    assert_same(&f.store, "local changes");
    let titles: Vec<String> = f
        .store
        .read(|c| summary::order_heads(c, None, None))
        .unwrap()
        .into_iter()
        .filter(|o| o.pending)
        .map(|o| o.body.title)
        .collect();
    assert!(
        titles.contains(&"Modifiée hors ligne".to_string()),
        "{titles:?}"
    );

    // The local changes taken off (a rebase): the server's state again.
    f.store
        .write(|tx| records::restore_server_state(tx))
        .unwrap();
    assert_same(&f.store, "a rebase");

    // A pulled page changes a milestone of an order that has others (an upsert of `record`).
    let mut changed = f
        .store
        .read(|c| live::of_kind::<Milestone>(c, RecordKind::Milestone, None))
        .unwrap()
        .remove(1)
        .body;
    changed.actual_date = Some(date(2026, 3, 2));
    let text = serde_json::to_string(&changed).unwrap();
    f.store
        .write(|tx| {
            records::put_server(
                tx,
                RecordKind::Milestone,
                &changed.id.to_string(),
                10,
                Some(&text),
                true,
            )
        })
        .unwrap();
    assert_same(&f.store, "a pulled milestone");

    // A pulled page takes one milestone of an order away: the order keeps the others'.
    let (order, before) = f
        .store
        .read(|c| summary::milestone_heads(c, None, |_| true))
        .unwrap()
        .into_iter()
        .find(|(_, heads)| heads.len() > 1)
        .expect("an order with several milestones");
    let gone = f
        .store
        .read(|c| live::of_kind::<Milestone>(c, RecordKind::Milestone, None))
        .unwrap()
        .into_iter()
        .find(|m| m.body.order_id == order)
        .unwrap()
        .body;
    f.store
        .write(|tx| {
            records::put_server(
                tx,
                RecordKind::Milestone,
                &gone.id.to_string(),
                11,
                None,
                true,
            )
        })
        .unwrap();
    assert_same(&f.store, "a milestone deleted");
    let after = f
        .store
        .read(|c| summary::milestone_heads(c, None, |id| *id == order))
        .unwrap();
    assert_eq!(after[&order].len(), before.len() - 1);

    // Another account: the cache emptied.
    f.store.write(|tx| records::wipe(tx)).unwrap();
    assert_eq!(assert_same(&f.store, "a wipe"), 0);
}

#[test]
fn a_cache_of_schema_4_gets_its_summaries_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let (order, milestone) = {
        let f = fixture();
        let milestones = f
            .store
            .read(|c| live::of_kind::<Milestone>(c, RecordKind::Milestone, None))
            .unwrap();
        (f.deploying.clone(), milestones[0].body.clone())
    };
    {
        let old = Store::open_at_schema(&path, 4).unwrap();
        put(
            &old,
            RecordKind::Order,
            &order.id.to_string(),
            &order,
            false,
            false,
        );
        put(
            &old,
            RecordKind::Milestone,
            &milestone.id.to_string(),
            &milestone,
            true,
            false,
        );
    }
    let store = Store::open(&path).unwrap();
    let heads = store.read(|c| summary::order_heads(c, None, None)).unwrap();
    assert_eq!(heads.len(), 1);
    assert_eq!(heads[0].body.id, order.id);
    assert_eq!(heads[0].body.status, order.status);
    let milestones = store
        .read(|c| summary::milestone_views(c, None, |_| true, today()))
        .unwrap();
    assert_eq!(milestones.len(), 1);
    assert!(milestones.values().flatten().all(|m| m.pending));
    assert_same(&store, "the migration");
}

#[test]
fn times_and_days_are_read_as_chrono_reads_them() {
    for text in [
        "2026-02-14T12:00:00Z",
        "2026-02-14T12:00:00.5Z",
        "2026-02-14T12:00:00.123456789Z",
        "2026-02-14T12:00:00.1234567890Z",
        "2024-02-29T23:59:59.000001Z",
        "2026-02-14T12:00:00+01:00",
        "2026-02-14 12:00:00Z",
    ] {
        assert_eq!(
            timestamp(text).ok(),
            text.parse::<DateTime<Utc>>().ok(),
            "{text}"
        );
    }
    for bad in [
        "2026-02-30T12:00:00Z",
        "2026-02-14T24:00:00Z",
        "2026-02-14T12:00:00.Z",
        "2026-02-14T1a:00:00Z",
        "",
    ] {
        assert!(timestamp(bad).is_err(), "{bad}");
    }
    for text in ["2026-02-14", "2024-02-29", "+12026-02-14", "2026-2-14"] {
        assert_eq!(day(text).ok(), text.parse::<NaiveDate>().ok(), "{text}");
    }
    for bad in ["2026-02-30", "2026-02-1x", ""] {
        assert!(day(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_milestone_without_its_kind_or_date_makes_the_lists_say_the_data_is_unreadable() {
    for field in ["kind", "planned_date"] {
        let f = fixture();
        let mut body = f
            .store
            .read(|c| live::of_kind::<Milestone>(c, RecordKind::Milestone, None))
            .unwrap()
            .into_iter()
            .find(|m| m.body.order_id == f.deploying.id)
            .map(|m| serde_json::to_value(m.body).unwrap())
            .expect("a milestone of the deployment");
        body.as_object_mut().unwrap().remove(field);
        body["id"] = serde_json::json!(Uuid::from_u128(0xbad));
        put(
            &f.store,
            RecordKind::Milestone,
            &Uuid::from_u128(0xbad).to_string(),
            &body,
            false,
            false,
        );
        // Not skipped: a deployment shown without one of its steps would mislead.
        let home = f.store.home(today());
        assert!(home.is_err(), "without its {field}: {home:?}");
        let orders = f.store.orders(&Default::default());
        assert!(orders.is_err(), "without its {field}: {orders:?}");
    }
}
