//! Pooled call-offs (issue 16 §4; `decide::pool`): joined by the communes' own orders, one
//! competition, one offer per provider for the pooled volume, one analysis, each commune's own
//! decision.

use rust_decimal_macros::dec;

use super::*;
use crate::decide::offer as off;
use crate::decide::pool as dp;
use crate::offer::{Offer, OfferLineInput};
use crate::pool::{member_offer_id, PoolDraft, PoolPhase, PoolScore, PooledCallOff};

const B: &str = "81001";

fn provider_of(id: Uuid) -> Actor {
    Actor {
        provider_id: Some(id),
        ..actor(Role::ProviderUser)
    }
}

fn pool_of(f: &FrameworkAgreement) -> PooledCallOff {
    dp::create(
        &centrale(),
        Uuid::from_u128(77),
        false,
        &PoolDraft {
            service_id: service().id,
            title: "E-guichet 2027 — achat groupé".into(),
            description: "Un e-guichet commun pour l'état civil et la population.".into(),
            join_until: date(2026, 12, 20),
        },
        Some(&service()),
        Some(f),
        now(),
    )
    .unwrap()
}

/// `who`'s order in `pool`, sent: the pool as it is after.
fn join(
    f: &FrameworkAgreement,
    pool: &PooledCallOff,
    who: &Actor,
    licences: rust_decimal::Decimal,
) -> (Order, PooledCallOff) {
    let mut needs = needs();
    needs.lines[1].quantity = licences;
    let draft = d::create_draft(
        who,
        d::CreateDraft {
            order_id: Uuid::now_v7(),
            id_taken: false,
            service: Some(&service()),
            framework: Some(f),
            title: "E-guichet (achat groupé)",
            needs: &needs,
            pool_id: Some(pool.id),
            pool: Some(pool),
        },
        now(),
    )
    .unwrap();
    let nis = who.commune_nis.clone().unwrap();
    let adhesions = [crate::fixtures::active_adhesion(&nis, now())];
    let decision = decision_on(date(2026, 11, 2), Organ::Conseil);
    let sent = d::submit(
        who,
        d::Submit {
            pool: Some(pool),
            ..submit_input(&draft, &adhesions, f, &decision)
        },
        now(),
    )
    .unwrap();
    (sent.order, sent.pool.unwrap())
}

fn prices(setup: i64, licence: i64) -> Vec<OfferLineInput> {
    vec![
        OfferLineInput {
            price_line_code: "setup".into(),
            unit_price_cents: crate::money::Cents(setup),
        },
        OfferLineInput {
            price_line_code: "licence".into(),
            unit_price_cents: crate::money::Cents(licence),
        },
    ]
}

#[test]
fn communes_join_with_their_own_orders_until_the_launch_closes_joining() {
    let f = framework(CallOffMethod::MiniCompetition);
    assert_eq!(
        code(dp::create(
            &dg(),
            Uuid::now_v7(),
            false,
            &PoolDraft {
                service_id: service().id,
                title: "E-guichet groupé".into(),
                description: "Un e-guichet commun pour toutes les communes.".into(),
                join_until: date(2026, 12, 20),
            },
            Some(&service()),
            Some(&f),
            now(),
        )),
        "forbidden"
    );
    let pool = pool_of(&f);
    assert_eq!(pool.phase(&[], date(2026, 12, 1)), PoolPhase::Joining);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    let (b, pool) = join(&f, &pool, &other_dg(), dec!(3));
    assert_eq!(a.pool_id, Some(pool.id));
    assert_eq!(
        pool.members
            .iter()
            .map(|m| m.commune_nis.as_str())
            .collect::<Vec<_>>(),
        ["84009", B]
    );
    // The pooled volume sums each commune's quantities.
    let orders = [a.clone(), b.clone()];
    let pooled = pool.pooled_needs(&orders);
    assert_eq!(pooled.lines[1].quantity, dec!(12));
    assert_eq!(pooled.lines[0].quantity, dec!(2));
    // A commune joins once.
    let mut again = pool.clone();
    assert_eq!(
        code(again.join(
            &Order {
                id: Uuid::now_v7(),
                ..a.clone()
            },
            "x",
            now()
        )),
        "pool_already_member"
    );
    // An order alone is not launched, offered on or analysed on its own.
    assert_eq!(
        code(d::launch_competition(
            &centrale(),
            launch_input(&a, &f, 20),
            now(),
            Uuid::now_v7
        )),
        "pool_act_on_pool"
    );
    let launch = |pool: &PooledCallOff| {
        dp::launch(
            &centrale(),
            dp::Launch {
                pool: Some(pool),
                framework: Some(&f),
                orders: &orders,
                deadline: now() + Duration::days(20),
                min_days: 10,
            },
            now(),
            Uuid::now_v7,
        )
    };
    let w = launch(&pool).unwrap();
    assert_eq!(w.orders.len(), 2);
    for ow in &w.orders {
        assert_eq!(ow.order.status, OrderStatus::CompetitionOpen);
        assert_eq!(ow.new_invitations.len(), 2);
        assert!(ow
            .new_invitations
            .iter()
            .all(|i| i.pool_id == Some(pool.id) && i.deadline == now() + Duration::days(20)));
    }
    assert_eq!(code(launch(&w.pool)), "pool_already_launched");
    // Joining closed with the launch, before the joining date.
    let mut late_pool = w.pool.clone();
    let late = Actor {
        commune_nis: Some("85007".into()),
        ..dg()
    };
    let draft = Order {
        commune_nis: "85007".into(),
        ..a.clone()
    };
    assert_eq!(
        code(late_pool.join(&draft, &late.display_name, now())),
        "pool_closed"
    );
}

#[test]
fn a_commune_leaves_before_the_launch_by_cancelling_its_order() {
    let f = framework(CallOffMethod::MiniCompetition);
    let pool = pool_of(&f);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    let (b, pool) = join(&f, &pool, &other_dg(), dec!(3));
    let cancelled = d::cancel(&other_dg(), Some(&b), "Le collège renonce.", now()).unwrap();
    let pool = dp::after_closure(Some(&pool), &cancelled, now()).unwrap();
    assert!(!pool.has_active(b.id) && pool.has_active(a.id));
    let orders = [a.clone(), cancelled];
    assert_eq!(pool.pooled_needs(&orders).lines[1].quantity, dec!(9));
    // An order not closed, or of no pool, leaves nothing.
    assert!(dp::after_closure(Some(&pool), &a, now()).is_none());
}

#[test]
fn one_offer_for_the_pooled_volume_one_analysis_each_communes_decision() {
    // Law of 17 June 2016 art. 47 §2 and 48; Dir. 2014/24 art. 33(5), art. 37.
    let f = framework(CallOffMethod::MiniCompetition);
    let pool = pool_of(&f);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    let (b, pool) = join(&f, &pool, &other_dg(), dec!(3));
    let launched = dp::launch(
        &centrale(),
        dp::Launch {
            pool: Some(&pool),
            framework: Some(&f),
            orders: &[a, b],
            deadline: now() + Duration::days(20),
            min_days: 10,
        },
        now(),
        Uuid::now_v7,
    )
    .unwrap();
    let pool = launched.pool.clone();
    let orders: Vec<Order> = launched.orders.iter().map(|w| w.order.clone()).collect();
    let offer = |provider: Uuid, setup: i64, licence: i64| -> Vec<Offer> {
        let shares: Vec<off::PooledShare<'_>> = launched
            .orders
            .iter()
            .map(|w| off::PooledShare {
                order: &w.order,
                invitation: w.new_invitations.iter().find(|i| i.provider_id == provider),
                previous: None,
                id_taken: false,
            })
            .collect();
        off::submit_pooled(
            &provider_of(provider),
            off::SubmitPooled {
                pool: Some(&pool),
                framework: Some(&f),
                shares: &shares,
                offer_id: Uuid::from_u128(provider.as_u128() + 500),
                lines: &prices(setup, licence),
                lead_time_days: 45,
                notes: "Hébergement en Belgique.",
            },
            now(),
        )
        .unwrap()
    };
    // One submission, one offer per commune, each on its own quantities at the same prices.
    let p1 = offer(P1, 400_000, 10_000);
    assert_eq!(p1.len(), 2);
    assert_eq!(
        p1[0].id,
        member_offer_id(Uuid::from_u128(501), orders[0].id)
    );
    let licence_line = |o: &Offer| {
        o.lines
            .iter()
            .find(|l| l.price_line_code == "licence")
            .cloned()
    };
    assert_eq!(licence_line(&p1[0]).unwrap().quantity, dec!(9));
    assert_eq!(licence_line(&p1[1]).unwrap().quantity, dec!(3));
    assert_eq!(licence_line(&p1[1]).unwrap().unit_price_cents.0, 10_000);
    let p2 = offer(P2, 300_000, 13_000);
    // An offer on one commune's share alone is refused: one competition.
    let inv = launched.orders[0]
        .new_invitations
        .iter()
        .find(|i| i.provider_id == P1)
        .unwrap();
    assert_eq!(
        code(off::submit(
            &provider_of(P1),
            off::Submit {
                invitation: Some(inv),
                order: Some(&orders[0]),
                framework: Some(&f),
                previous: Some(&p1[0]),
                id_taken: false,
                offer_id: p1[0].id,
                lines: &prices(1, 1),
                lead_time_days: 45,
                notes: "",
            },
            now(),
        )),
        "pool_act_on_pool"
    );
    // The offers open together at the deadline.
    let at = now() + Duration::days(21);
    let all: Vec<Offer> = p1.iter().chain(&p2).cloned().collect();
    let opened: Vec<Order> = launched
        .orders
        .iter()
        .map(|w| {
            let own: Vec<Offer> = all
                .iter()
                .filter(|o| o.order_id == w.order.id)
                .cloned()
                .collect();
            off::open_due(
                off::Open {
                    order: Some(&w.order),
                    offers: &own,
                    invitations: &w.new_invitations,
                },
                at,
            )
            .unwrap()
            .order
        })
        .collect();
    assert_eq!(
        pool.phase(&opened, date(2027, 1, 1)),
        PoolPhase::OffersOpened
    );
    let scores: Vec<PoolScore> = [P1, P2]
        .iter()
        .map(|p| PoolScore {
            provider_id: *p,
            criterion_code: "quality".into(),
            points: dec!(30),
            justification: "Solution complète et documentée.".into(),
        })
        .collect();
    let evaluate = |actor: &Actor, pool: &PooledCallOff, orders: &[Order]| {
        dp::evaluate(
            actor,
            dp::Evaluate {
                pool: Some(pool),
                framework: Some(&f),
                orders,
                offers: &all,
                scores: &scores,
            },
            at,
        )
    };
    assert_eq!(code(evaluate(&dg(), &pool, &opened)), "forbidden");
    assert_eq!(
        code(evaluate(&centrale(), &pool, &opened)),
        "conflict_declaration_missing"
    );
    let pool = dp::declare_no_conflict(
        &centrale(),
        Some(&pool),
        &opened,
        &no_conflict_statement_sha256(),
        at,
    )
    .unwrap();
    // Not before every commune's offers are opened.
    assert_eq!(
        code(evaluate(
            &centrale(),
            &pool,
            &[opened[0].clone(), orders[1].clone()]
        )),
        "pool_offers_not_opened"
    );
    let w = evaluate(&centrale(), &pool, &opened).unwrap();
    assert!(w.pool.evaluated.is_some());
    assert_eq!(
        w.pool.phase(&opened, date(2027, 1, 1)),
        PoolPhase::Evaluated
    );
    // The same points for each commune, its own offers and totals.
    let (ea, eb) = (&w.orders[0].order, &w.orders[1].order);
    let (ra, rb) = (
        &ea.evaluation.as_ref().unwrap().ranking,
        &eb.evaluation.as_ref().unwrap().ranking,
    );
    assert_eq!(ea.status, OrderStatus::Evaluated);
    assert_eq!(ra.offers[0].provider_id, rb.offers[0].provider_id);
    assert_eq!(ra.offers[0].total, rb.offers[0].total);
    assert!(ra.offers.iter().all(|s| p1
        .iter()
        .chain(&p2)
        .any(|o| o.id == s.offer_id && o.order_id == ea.id)));
    // Pooled price: P1 = 2×4 000 + 12×100 ×periods, P2 = 2×3 000 + 12×130 ×periods; the
    // winner is decided on the sums, not on one commune's share.
    let pooled_total = |p: Uuid| -> i64 {
        all.iter()
            .filter(|o| o.provider_id == p)
            .map(|o| o.total.excl_vat.0)
            .sum()
    };
    let cheaper = if pooled_total(P1) < pooled_total(P2) {
        P1
    } else {
        P2
    };
    assert_eq!(ra.offers[0].provider_id, cheaper);
    // A commune's collège awards its own order on the common analysis.
    let decl =
        d::declare_no_conflict(&dg(), Some(ea), &no_conflict_statement_sha256(), at).unwrap();
    let providers = [provider(P1, BCE), provider(P2, BCE)];
    let decision = decision_on(crate::time::brussels_today(at), Organ::College);
    let awarded = off::award(
        &dg(),
        off::Award {
            order: Some(&decl),
            framework: Some(&f),
            offers: &all,
            providers: &providers,
            invitations: &launched.orders[0].new_invitations,
            orders: &[],
            substitutions: &[],
            offer_id: ra.offers[0].offer_id,
            justification: "Offre classée première dans l'analyse commune du marché groupé.",
            college_decision: &decision,
        },
        at,
        Uuid::now_v7,
    )
    .unwrap();
    assert_eq!(awarded.order.status, OrderStatus::Awarded);
    // Once a commune decided, the analysis stays as it was.
    let after = [awarded.order.clone(), eb.clone()];
    assert_eq!(
        code(evaluate(&centrale(), &w.pool, &after)),
        "pool_member_decided"
    );
}

#[test]
fn each_communes_share_is_priced_on_the_lines_it_needs() {
    let f = framework(CallOffMethod::MiniCompetition);
    let pool = pool_of(&f);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    // The second commune needs the set-up only.
    let mut needs_b = needs();
    needs_b.lines.truncate(1);
    let draft = d::create_draft(
        &other_dg(),
        d::CreateDraft {
            order_id: Uuid::now_v7(),
            id_taken: false,
            service: Some(&service()),
            framework: Some(&f),
            title: "E-guichet (set-up seul)",
            needs: &needs_b,
            pool_id: Some(pool.id),
            pool: Some(&pool),
        },
        now(),
    )
    .unwrap();
    let adhesions = [crate::fixtures::active_adhesion(B, now())];
    let decision = decision_on(date(2026, 11, 2), Organ::Conseil);
    let sent = d::submit(
        &other_dg(),
        d::Submit {
            pool: Some(&pool),
            ..submit_input(&draft, &adhesions, &f, &decision)
        },
        now(),
    )
    .unwrap();
    let pool = sent.pool.unwrap();
    let launched = dp::launch(
        &centrale(),
        dp::Launch {
            pool: Some(&pool),
            framework: Some(&f),
            orders: &[a, sent.order],
            deadline: now() + Duration::days(20),
            min_days: 10,
        },
        now(),
        Uuid::now_v7,
    )
    .unwrap();
    let shares: Vec<off::PooledShare<'_>> = launched
        .orders
        .iter()
        .map(|w| off::PooledShare {
            order: &w.order,
            invitation: w.new_invitations.iter().find(|i| i.provider_id == P1),
            previous: None,
            id_taken: false,
        })
        .collect();
    let submit = |lines: &[OfferLineInput]| {
        off::submit_pooled(
            &provider_of(P1),
            off::SubmitPooled {
                pool: Some(&launched.pool),
                framework: Some(&f),
                shares: &shares,
                offer_id: Uuid::now_v7(),
                lines,
                lead_time_days: 45,
                notes: "",
            },
            now(),
        )
    };
    let offers = submit(&prices(400_000, 10_000)).unwrap();
    assert_eq!(offers[0].lines.len(), 2);
    assert_eq!(offers[1].lines.len(), 1);
    // A line no commune needs is refused.
    let mut extra = prices(400_000, 10_000);
    extra.push(OfferLineInput {
        price_line_code: "training".into(),
        unit_price_cents: crate::money::Cents(1),
    });
    assert_eq!(code(submit(&extra)), "offer_line_not_needed");
}

/// Two communes in a launched pool, each provider's pooled offer in, opened after the
/// deadline: the pool, the opened orders, the offers, the invitations, the opening instant.
fn opened_pool() -> (
    FrameworkAgreement,
    PooledCallOff,
    Vec<Order>,
    Vec<Offer>,
    Vec<crate::offer::Invitation>,
    chrono::DateTime<chrono::Utc>,
) {
    let f = framework(CallOffMethod::MiniCompetition);
    let pool = pool_of(&f);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    let (b, pool) = join(&f, &pool, &other_dg(), dec!(3));
    let launched = dp::launch(
        &centrale(),
        dp::Launch {
            pool: Some(&pool),
            framework: Some(&f),
            orders: &[a, b],
            deadline: now() + Duration::days(20),
            min_days: 10,
        },
        now(),
        Uuid::now_v7,
    )
    .unwrap();
    let mut offers = Vec::new();
    for (provider, setup) in [(P1, 400_000), (P2, 300_000)] {
        let shares: Vec<off::PooledShare<'_>> = launched
            .orders
            .iter()
            .map(|w| off::PooledShare {
                order: &w.order,
                invitation: w.new_invitations.iter().find(|i| i.provider_id == provider),
                previous: None,
                id_taken: false,
            })
            .collect();
        offers.extend(
            off::submit_pooled(
                &provider_of(provider),
                off::SubmitPooled {
                    pool: Some(&launched.pool),
                    framework: Some(&f),
                    shares: &shares,
                    offer_id: Uuid::now_v7(),
                    lines: &prices(setup, 10_000),
                    lead_time_days: 45,
                    notes: "",
                },
                now(),
            )
            .unwrap(),
        );
    }
    let at = now() + Duration::days(21);
    let invitations: Vec<crate::offer::Invitation> = launched
        .orders
        .iter()
        .flat_map(|w| w.new_invitations.clone())
        .collect();
    let opened = launched
        .orders
        .iter()
        .map(|w| {
            let own: Vec<Offer> = offers
                .iter()
                .filter(|o| o.order_id == w.order.id)
                .cloned()
                .collect();
            off::open_due(
                off::Open {
                    order: Some(&w.order),
                    offers: &own,
                    invitations: &w.new_invitations,
                },
                at,
            )
            .unwrap()
            .order
        })
        .collect();
    (f, launched.pool, opened, offers, invitations, at)
}

#[test]
fn an_irregular_pooled_offer_is_set_aside_for_every_commune_and_left_out_of_the_analysis() {
    // Dir. 2014/24 art. 56(1): regularity before ranking, once for the pool.
    let (f, pool, orders, offers, invitations, at) = opened_pool();
    let motivation = "L'offre ne comprend pas la liaison BAEC exigée par le cahier des charges.";
    let set_aside = |actor: &Actor, pool: &PooledCallOff, orders: &[Order]| {
        dp::set_offer_aside(
            actor,
            dp::SetAside {
                pool: Some(pool),
                orders,
                offers: &offers,
                invitations: &invitations,
                provider_id: P2,
                ground: crate::order::SetAsideGround::Irregular,
                motivation,
            },
            at,
        )
    };
    assert_eq!(code(set_aside(&dg(), &pool, &orders)), "forbidden");
    let w = set_aside(&centrale(), &pool, &orders).unwrap();
    assert_eq!(w.orders.len(), 2);
    for ow in &w.orders {
        assert_eq!(ow.order.set_aside.len(), 1);
        assert_eq!(ow.order.set_aside[0].provider_id, P2);
        // The provider is told on each commune's invitation.
        assert_eq!(ow.invitations.len(), 1);
        assert!(ow.invitations[0].set_aside.is_some());
    }
    let orders: Vec<Order> = w.orders.iter().map(|o| o.order.clone()).collect();
    let pool = dp::declare_no_conflict(
        &centrale(),
        Some(&w.pool),
        &orders,
        &no_conflict_statement_sha256(),
        at,
    )
    .unwrap();
    let scores: Vec<PoolScore> = vec![PoolScore {
        provider_id: P1,
        criterion_code: "quality".into(),
        points: dec!(30),
        justification: "Solution complète et documentée.".into(),
    }];
    let evaluated = dp::evaluate(
        &centrale(),
        dp::Evaluate {
            pool: Some(&pool),
            framework: Some(&f),
            orders: &orders,
            offers: &offers,
            scores: &scores,
        },
        at,
    )
    .unwrap();
    for ow in &evaluated.orders {
        let ranking = &ow.order.evaluation.as_ref().unwrap().ranking;
        assert_eq!(ranking.offers.len(), 1);
        assert_eq!(ranking.offers[0].provider_id, P1);
    }
    // The same offer twice is refused.
    assert_eq!(
        code(set_aside(&centrale(), &evaluated.pool, &orders)),
        "offer_already_set_aside"
    );
}

#[test]
fn the_pools_deadline_moves_for_every_commune_at_once() {
    let f = framework(CallOffMethod::MiniCompetition);
    let pool = pool_of(&f);
    let (a, pool) = join(&f, &pool, &dg(), dec!(9));
    let (b, pool) = join(&f, &pool, &other_dg(), dec!(3));
    let launched = dp::launch(
        &centrale(),
        dp::Launch {
            pool: Some(&pool),
            framework: Some(&f),
            orders: &[a, b],
            deadline: now() + Duration::days(20),
            min_days: 10,
        },
        now(),
        Uuid::now_v7,
    )
    .unwrap();
    let orders: Vec<Order> = launched.orders.iter().map(|w| w.order.clone()).collect();
    let invitations: Vec<crate::offer::Invitation> = launched
        .orders
        .iter()
        .flat_map(|w| w.new_invitations.clone())
        .collect();
    let later = now() + Duration::days(27);
    let extend = |actor: &Actor, deadline| {
        dp::extend_deadline(
            actor,
            dp::Extend {
                pool: Some(&launched.pool),
                framework: Some(&f),
                orders: &orders,
                invitations: &invitations,
                deadline,
                reason: "Une question d'un prestataire appelle une réponse complète.",
            },
            now(),
        )
    };
    assert_eq!(code(extend(&dg(), later)), "forbidden");
    assert_eq!(
        code(extend(&centrale(), now() + Duration::days(5))),
        "deadline_not_later"
    );
    let w = extend(&centrale(), later).unwrap();
    assert_eq!(w.pool.competition.as_ref().unwrap().deadline, later);
    for ow in &w.orders {
        assert_eq!(ow.order.deadline(), Some(later));
        assert_eq!(ow.invitations.len(), 2, "every provider told");
        assert!(ow.invitations.iter().all(|i| i.deadline == later));
    }
    // An order of the pool is not extended alone.
    assert_eq!(
        code(d::extend_deadline(
            &centrale(),
            d::Extend {
                order: Some(&orders[0]),
                framework: Some(&f),
                invitations: &invitations,
                deadline: later,
                reason: "Une question d'un prestataire appelle une réponse.",
            },
            now(),
        )),
        "pool_act_on_pool"
    );
}
