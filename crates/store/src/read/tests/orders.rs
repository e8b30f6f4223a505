//! Orders, their detail side by side, deployments and the home screen as the screens read them.

use centrale_domain::adhesion::AdhesionStatus;
use centrale_domain::catalogue::{CriterionKind, FrameworkAgreement, LegalBasis, ProviderStatus};
use centrale_domain::deployment::{Milestone, MilestoneKind};
use centrale_domain::money::Cents;
use centrale_domain::order::OrderStatus;
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::read::*;
use crate::Store;

use super::fixture::*;

#[test]
fn orders_list_shows_pending_hides_deleted_and_says_what_is_next() {
    let f = fixture();
    let rows = f.store.orders(&OrderFilter::default()).unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    // Newest first; the deleted order is not shown.
    assert_eq!(
        titles,
        [
            "Remise en concurrence",
            "Brouillon hors ligne",
            "E-guichet population",
            "E-guichet état civil 2026"
        ]
    );
    let draft = &rows[1];
    assert!(draft.pending);
    assert_eq!(draft.next_action.unwrap().code, NextActionCode::Submit);
    assert_eq!(draft.service_name.as_deref(), Some("E-guichet"));
    let open = rows[0].next_action.unwrap();
    assert_eq!(
        (open.code, open.by),
        (NextActionCode::WaitOffers, Party::Provider)
    );
    assert_eq!(open.due_at, Some(at(2026, 3, 14, 11)));
    let deploying = rows[2].next_action.unwrap();
    assert_eq!(deploying.code, NextActionCode::FollowDeployment);
    assert_eq!(deploying.due_on, Some(date(2026, 2, 24)));
    assert_eq!(rows[3].next_action.unwrap().code, NextActionCode::Award);

    let evaluated = f
        .store
        .orders(&OrderFilter {
            statuses: vec![OrderStatus::Evaluated, OrderStatus::Submitted],
        })
        .unwrap();
    assert_eq!(evaluated.len(), 1);
    assert_eq!(evaluated[0].id, f.evaluated.id);
}

/// Issue 11 rule 9: the needs at the ceilings are priced over the call-off's contract, as the
/// offers are — a yearly line counts once a year — so that an offer over four years is not
/// shown above a one-year ceiling.
#[test]
fn needs_at_the_ceilings_count_a_yearly_line_over_the_contract() {
    let f = fixture();
    let mut t = super::fixture::terms(1, &[], 18_000, date(2029, 2, 28));
    t.price_schedule[1].recurrence = centrale_domain::catalogue::Recurrence::Yearly;
    t.contract_months = 48;
    let view = crate::read::order_detail::needs_view(&f.evaluated, Some(&t));
    let licences = f.evaluated.needs.lines[1].quantity;
    assert_eq!(licences, Decimal::from(9));
    assert_eq!(
        view.lines[1].amount_at_ceiling.map(|a| a.excl_vat),
        Some(Cents(9 * 18_000 * 4))
    );
    assert_eq!(
        view.total_at_ceilings.excl_vat,
        Cents(450_000 + 9 * 18_000 * 4)
    );
    t.contract_months = 18;
    let view = crate::read::order_detail::needs_view(&f.evaluated, Some(&t));
    assert_eq!(view.total_at_ceilings.excl_vat, Cents(450_000 + 9 * 27_000));
}

#[test]
fn order_detail_puts_offers_side_by_side_with_pinned_ceilings_and_ranking() {
    let f = fixture();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    assert_eq!(d.order.framework_version, 1);
    assert_eq!(d.terms.as_ref().unwrap().version, 1);
    assert_eq!(d.needs.lines[1].ceiling_excl_vat, Some(Cents(18_000)));
    assert_eq!(
        d.needs.total_at_ceilings.excl_vat,
        Cents(450_000 + 9 * 18_000)
    );

    // Invitations by provider name, both submitted.
    let inv: Vec<_> = d
        .invitations
        .iter()
        .map(|i| (i.provider_name.clone().unwrap(), i.offer_submitted))
        .collect();
    assert_eq!(
        inv,
        [
            ("Cité Numérique SRL".to_string(), true),
            ("Nuagix SA".to_string(), true)
        ]
    );

    // Columns by rank: B (better quality) first although A is cheaper.
    let c = &d.comparison;
    assert_eq!(c.columns.len(), 2);
    let (b, a) = (&c.columns[0], &c.columns[1]);
    assert_eq!((b.offer_id, b.rank), (f.offer_b.id, Some(1)));
    assert_eq!((a.offer_id, a.rank), (f.offer_a.id, Some(2)));
    assert_eq!(a.total.excl_vat, Cents(535_000));
    assert_eq!(a.total.incl_vat, Cents(647_350));
    assert_eq!(b.total.excl_vat, Cents(594_000));
    assert!(a.lowest_total && !b.lowest_total);
    assert!(b.shortest_lead_time && !a.shortest_lead_time);
    assert_eq!(a.notes, "Notes de Nuagix SA");
    // Rows in the needs' order, each with the pinned ceiling beside the prices.
    let codes: Vec<&str> = c.rows.iter().map(|r| r.price_line_code.as_str()).collect();
    assert_eq!(codes, ["setup", "licence"]);
    let licence = &c.rows[1];
    assert_eq!(licence.quantity, dec(9));
    assert_eq!(licence.ceiling_excl_vat, Some(Cents(18_000)));
    assert_eq!(licence.ceiling_incl_vat, Some(Cents(21_780)));
    let cell_b = licence.cells[0].as_ref().unwrap();
    let cell_a = licence.cells[1].as_ref().unwrap();
    assert_eq!(cell_a.unit_price_excl_vat, Cents(15_000));
    assert_eq!(cell_a.amount.excl_vat, Cents(135_000));
    assert_eq!(cell_a.amount.incl_vat, Cents(163_350));
    assert_eq!(cell_b.amount.excl_vat, Cents(144_000));
    assert_eq!(cell_a.ceiling_excl_vat, Some(Cents(18_000)));
    assert!(cell_a.within_ceiling && cell_b.within_ceiling);
    assert!(cell_a.best && !cell_b.best);
    // Set-up: A (4 000,00 €) under B (4 500,00 € = the ceiling).
    assert_eq!(
        c.rows[0].cells[0].as_ref().unwrap().unit_price_excl_vat,
        Cents(450_000)
    );
    assert!(c.rows[0].cells[1].as_ref().unwrap().best);

    // Ranking: price score 60 for the cheapest, 60 × 535 000 / 594 000 for the other.
    let ev = d.evaluation.unwrap();
    assert_eq!(ev.criteria.len(), 2);
    let first = &ev.ranking[0];
    assert_eq!((first.rank, first.offer_id), (1, f.offer_b.id));
    assert_eq!(first.provider_name.as_deref(), Some("Cité Numérique SRL"));
    assert_eq!(first.price_score, Some(Decimal::new(5404, 2)));
    assert_eq!(first.total, Decimal::new(9204, 2));
    let quality = &first.scores[1];
    assert_eq!(
        (quality.kind, quality.points, quality.weight),
        (Some(CriterionKind::Quality), dec(38), 40)
    );
    assert!(quality
        .justification
        .as_deref()
        .unwrap()
        .contains("registre national"));
    assert_eq!(ev.ranking[1].price_score, Some(dec(60)));
    assert_eq!(ev.ranking[1].total, dec(90));
    assert_eq!(ev.ranking[1].total_excl_vat, Cents(535_000));
    assert_eq!(d.next_action.unwrap().code, NextActionCode::Award);
    assert!(d.award.is_none() && d.milestones.is_empty());

    assert!(f
        .store
        .order_detail(Uuid::from_u128(14), today())
        .unwrap()
        .is_none());
}

/// Dir. 2014/24 art. 72(1)(d)(ii): the launch screen of an order pinned before a succession
/// shows the successor in its predecessor's place, as the server will invite them.
#[test]
fn order_detail_shows_a_successor_in_the_place_of_the_provider_it_replaced() {
    let f = fixture();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    let pinned = d.order.framework_version;
    let mut framework: FrameworkAgreement = {
        let body: String = f
            .store
            .write(|tx| {
                Ok(tx.query_row(
                    "SELECT body FROM record WHERE kind = 'framework' AND id = ?1",
                    [f.eguichet.framework_id.to_string()],
                    |r| r.get(0),
                )?)
            })
            .unwrap();
        serde_json::from_str(&body).unwrap()
    };
    let successor = Uuid::from_u128(77);
    let mut next = framework.current().unwrap().clone();
    next.legal_basis = Some(LegalBasis::Succession {
        predecessor: f.p1.id,
        successor,
        act: "Fusion par absorption".into(),
    });
    framework.publish(next).unwrap();
    f.store
        .write(|tx| {
            tx.execute(
                "UPDATE record SET body = ?1 WHERE kind = 'framework' AND id = ?2",
                rusqlite::params![
                    serde_json::to_string(&framework).unwrap(),
                    f.eguichet.framework_id.to_string()
                ],
            )?;
            Ok(())
        })
        .unwrap();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    assert_eq!(d.order.framework_version, pinned);
    let status = |id: Uuid| {
        d.terms
            .as_ref()
            .unwrap()
            .providers
            .iter()
            .find(|p| p.provider_id == id)
            .map(|p| p.status)
    };
    assert_eq!(status(f.p1.id), Some(ProviderStatus::Replaced));
    assert_eq!(status(successor), Some(ProviderStatus::Active));
}

#[test]
fn deployments_flag_late_milestones() {
    let f = fixture();
    let deps = f.store.deployments(today()).unwrap();
    assert_eq!(deps.len(), 1);
    let d = &deps[0];
    assert_eq!(d.order_id, f.deploying.id);
    assert_eq!(d.provider_name.as_deref(), Some("Nuagix SA"));
    assert_eq!(d.milestones.len(), 7);
    assert_eq!(d.milestones[0].kind, MilestoneKind::Kickoff);
    assert!(!d.milestones[0].late);
    // Configuration planned 24/02/2026, not done on 01/03/2026.
    assert_eq!(d.milestones[1].kind, MilestoneKind::Configuration);
    assert!(d.milestones[1].late);
    assert!(!d.milestones[2].late);
    assert_eq!(
        d.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    // The day of the planned date itself is not late yet.
    let on_time = f.store.deployments(date(2026, 2, 24)).unwrap();
    assert_eq!(on_time[0].progress.late, 0);

    let detail = f
        .store
        .order_detail(f.deploying.id, today())
        .unwrap()
        .unwrap();
    assert_eq!(
        detail.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    assert!(detail.award.unwrap().direct);
    let po = detail.purchase_order.unwrap();
    assert_eq!(po.reference, "BC-2026-0001");
    // Rule 16: the order page reads the fonctionnaire dirigeant named on the purchase order.
    assert_eq!(po.contract_manager.unwrap().name, "Marie Dupont");
}

/// A deploying order of `nis` with milestones `(kind, planned, actual)`.
fn put_deployment(
    store: &Store,
    f: &Fixture,
    n: u128,
    nis: &str,
    title: &str,
    steps: &[(MilestoneKind, chrono::NaiveDate, Option<chrono::NaiveDate>)],
) -> Uuid {
    let mut o = order(n, &f.eguichet, OrderStatus::Deploying, title);
    o.commune_nis = nis.into();
    put(
        store,
        RecordKind::Order,
        &o.id.to_string(),
        &o,
        false,
        false,
    );
    for (i, (kind, planned, actual)) in steps.iter().enumerate() {
        let m = Milestone {
            id: Uuid::from_u128(n * 100 + i as u128),
            order_id: o.id,
            commune_nis: nis.into(),
            provider_id: f.p1.id,
            kind: *kind,
            planned_date: *planned,
            actual_date: *actual,
            notes: String::new(),
            acknowledged_at: None,
            acknowledged_by: None,
            baseline_date: None,
            lead_time_days: None,
            planned_from: None,
            replans: Vec::new(),
            formerly: None,
        };
        put(
            store,
            RecordKind::Milestone,
            &m.id.to_string(),
            &m,
            false,
            false,
        );
    }
    o.id
}

/// Deployments of two communes on 01/03/2026: late ones first (the most late milestones
/// first), then the soonest next open milestone, then the title; nothing left to do last.
fn put_deployments(f: &Fixture) -> [Uuid; 5] {
    use MilestoneKind::*;
    let s = &f.store;
    [
        // Two late steps, in another commune.
        put_deployment(
            s,
            f,
            30,
            "81001",
            "Wi-Fi public Arlon",
            &[
                (Kickoff, date(2026, 2, 1), None),
                (Configuration, date(2026, 2, 10), None),
                (GoLive, date(2026, 4, 1), None),
            ],
        ),
        // One late step, planned before the fixture's late configuration (24/02/2026).
        put_deployment(
            s,
            f,
            31,
            NIS,
            "Zones bleues",
            &[
                (Kickoff, date(2026, 1, 5), Some(date(2026, 1, 5))),
                (Configuration, date(2026, 2, 20), None),
            ],
        ),
        // On time, next step 05/03/2026: by title.
        put_deployment(
            s,
            f,
            32,
            NIS,
            "Capteurs de parking",
            &[(Kickoff, date(2026, 3, 5), None)],
        ),
        put_deployment(
            s,
            f,
            33,
            NIS,
            "Affichage dynamique",
            &[(Kickoff, date(2026, 3, 5), None)],
        ),
        // Every step done.
        put_deployment(
            s,
            f,
            34,
            NIS,
            "Archivage",
            &[(Kickoff, date(2026, 1, 5), Some(date(2026, 1, 5)))],
        ),
    ]
}

#[test]
fn deployments_list_late_ones_first_for_every_account() {
    let f = fixture();
    let [arlon, blue, parking, signs, archive] = put_deployments(&f);
    let ids = |store: &Store| -> Vec<Uuid> {
        store
            .deployments(today())
            .unwrap()
            .iter()
            .map(|d| d.order_id)
            .collect()
    };
    // The commune sees its own: Arlon's is not there.
    assert_eq!(
        ids(&f.store),
        [blue, f.deploying.id, signs, parking, archive]
    );

    // The centrale sees every commune's (its sign-in starts a new view of the cache).
    f.store.set_session(&centrale_staff()).unwrap();
    assert!(f.store.deployments(today()).unwrap().is_empty());
    put_deployments(&f);
    let rows = f.store.deployments(today()).unwrap();
    let seen: Vec<(Uuid, u32, &str)> = rows
        .iter()
        .map(|d| (d.order_id, d.progress.late, d.commune_nis.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (arlon, 2, "81001"),
            (blue, 1, NIS),
            (signs, 0, NIS),
            (parking, 0, NIS),
            (archive, 0, NIS)
        ]
    );
    // The centrale's page reads each shown order's timeline in its own commune.
    let page = f
        .store
        .deployment_page(
            &DeploymentQuery {
                late_only: false,
                shown: 3,
            },
            today(),
        )
        .unwrap();
    assert_eq!(page.rows, rows[..3].to_vec());
    assert_eq!(page.rows[0].milestones.len(), 3);
    // The home on the centrale's PC: every commune's orders, each action's head read in its
    // own commune.
    let home = f.store.home(today()).unwrap();
    assert_eq!(home.deployments_total, 5);
    assert_eq!(home.deployments[0].order_id, arlon);
    assert_eq!(
        home.next_actions.len(),
        home.next_actions_total.min(10) as usize
    );
    let titles: Vec<&str> = home.next_actions.iter().map(|a| a.title.as_str()).collect();
    assert!(titles.contains(&"Wi-Fi public Arlon"), "{titles:?}");
}

/// The screen's page: the first rows of the same order, whole (timelines, notes, progress and
/// next step as in the full list), with the counts of every running deployment.
#[test]
fn a_page_of_deployments_is_the_head_of_the_list_with_its_counts() {
    let f = fixture();
    let [_, blue, parking, signs, archive] = put_deployments(&f);
    let all = f.store.deployments(today()).unwrap();
    let page = |late_only, shown| {
        f.store
            .deployment_page(&DeploymentQuery { late_only, shown }, today())
            .unwrap()
    };

    let first = page(false, 2);
    assert_eq!((first.total, first.late, first.matching), (5, 2, 5));
    assert_eq!(first.rows, all[..2].to_vec());
    assert_eq!(
        first.rows.iter().map(|d| d.order_id).collect::<Vec<_>>(),
        [blue, f.deploying.id]
    );
    // The fixture's deployment keeps its seven steps in deployment order, late one flagged.
    assert_eq!(first.rows[1].milestones.len(), 7);
    assert!(first.rows[1].milestones[1].late);

    let more = page(false, 40);
    assert_eq!(more.rows, all);
    assert_eq!(
        more.rows.iter().map(|d| d.order_id).collect::<Vec<_>>(),
        [blue, f.deploying.id, signs, parking, archive]
    );

    let late = page(true, 40);
    assert_eq!((late.total, late.late, late.matching), (5, 2, 2));
    assert_eq!(late.rows, all[..2].to_vec());
    assert!(late.rows.iter().all(|d| d.progress.late > 0));

    let none = page(false, 0);
    assert!(none.rows.is_empty());
    assert_eq!(none.matching, 5);
}

#[test]
fn home_sums_up_the_commune() {
    let f = fixture();
    let home = f.store.home(today()).unwrap();
    let adhesion = home.adhesion.unwrap();
    assert_eq!(adhesion.status, AdhesionStatus::Active);
    assert!(adhesion.allows_orders);
    let counts: Vec<(OrderStatus, u32)> = home
        .orders_by_status
        .iter()
        .map(|s| (s.status, s.count))
        .collect();
    assert_eq!(
        counts,
        [
            (OrderStatus::Draft, 1),
            (OrderStatus::CompetitionOpen, 1),
            (OrderStatus::Evaluated, 1),
            (OrderStatus::Deploying, 1)
        ]
    );
    // Soonest due first (the late configuration, then the offers' deadline), then the rest.
    let actions: Vec<(NextActionCode, bool)> = home
        .next_actions
        .iter()
        .map(|a| (a.action.code, a.overdue))
        .collect();
    assert_eq!(actions[0], (NextActionCode::FollowDeployment, true));
    assert_eq!(actions[1], (NextActionCode::WaitOffers, false));
    assert_eq!(actions.len(), 4);
    assert_eq!(home.next_actions_total, 4);
    assert!(home
        .next_actions
        .iter()
        .any(|a| a.pending && a.action.code == NextActionCode::Submit));
    assert_eq!(home.deployments.len(), 1);
    let dep = &home.deployments[0];
    assert_eq!(
        dep.progress,
        Progress {
            done: 1,
            total: 7,
            late: 1
        }
    );
    let next = dep.next_milestone.unwrap();
    assert_eq!((next.kind, next.late), (MilestoneKind::Configuration, true));
}

/// The home lists the first running deployments, the most worrying first as the Déploiement
/// screen does, and says how many run in all.
#[test]
fn the_home_lists_the_most_worrying_deployments_and_counts_them_all() {
    let f = fixture();
    let [_, blue, parking, signs, _archive] = put_deployments(&f);
    let late_too = put_deployment(
        &f.store,
        &f,
        35,
        NIS,
        "Bornes de recharge",
        &[(MilestoneKind::Kickoff, date(2026, 2, 27), None)],
    );
    let home = f.store.home(today()).unwrap();
    assert_eq!(home.deployments_total, 6);
    let shown: Vec<(Uuid, u32)> = home
        .deployments
        .iter()
        .map(|d| (d.order_id, d.progress.late))
        .collect();
    // Late ones first, the earliest next step first; then on time by next step and title.
    assert_eq!(
        shown,
        [
            (blue, 1),
            (f.deploying.id, 1),
            (late_too, 1),
            (signs, 0),
            (parking, 0)
        ]
    );
    let page = f
        .store
        .deployment_page(
            &DeploymentQuery {
                late_only: false,
                shown: 5,
            },
            today(),
        )
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|d| d.order_id).collect::<Vec<_>>(),
        shown.iter().map(|(id, _)| *id).collect::<Vec<_>>()
    );
}

/// Issue 19 §5: the home lists the most urgent orders only, and says how many wait in all.
#[test]
fn the_home_lists_the_most_urgent_orders_and_counts_them_all() {
    let f = fixture();
    for n in 0..20u128 {
        let draft = order(5_000 + n, &f.eguichet, OrderStatus::Draft, "Brouillon");
        put(
            &f.store,
            RecordKind::Order,
            &draft.id.to_string(),
            &draft,
            false,
            false,
        );
    }
    let home = f.store.home(today()).unwrap();
    assert_eq!(home.next_actions_total, 24);
    assert_eq!(home.next_actions.len(), HOME_NEXT_ACTIONS);
    // The urgent ones are the ones kept: the late configuration, then the offers' deadline.
    assert_eq!(
        home.next_actions[0].action.code,
        NextActionCode::FollowDeployment
    );
    assert_eq!(home.next_actions[1].action.code, NextActionCode::WaitOffers);
}

/// Law of 17 June 2016 art. 6 and CDLD L1124-40: the order page is told by the domain whether
/// the signed-in account has declared no conflict of interest, the statement to declare, and
/// when a decision needs the directeur financier's opinion.
#[test]
fn order_detail_says_who_declared_and_when_the_opinion_is_needed() {
    use centrale_domain::adhesion::financial_opinion_required;
    use centrale_domain::order::{no_conflict_statement_sha256, ConflictDeclaration};
    let f = fixture();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    assert!(!d.decisions.declared_by_me);
    assert_eq!(
        d.decisions.conflict_statement_sha256,
        no_conflict_statement_sha256()
    );
    assert!(d.decisions.conflict_statement.contains("impartialité"));
    assert_eq!(
        d.decisions.launch_opinion_required,
        financial_opinion_required(d.needs.total_at_ceilings.incl_vat)
    );
    let mut order = f.evaluated.clone();
    order.conflict_declarations.push(ConflictDeclaration {
        user_id: "dg.84009".into(),
        name: "Marie Dupont".into(),
        role: Role::DirectorGeneral,
        declared_at: chrono::Utc::now(),
        statement_sha256: no_conflict_statement_sha256(),
    });
    f.store
        .write(|tx| {
            tx.execute(
                "UPDATE record SET body = ?1 WHERE kind = 'order' AND id = ?2",
                rusqlite::params![serde_json::to_string(&order).unwrap(), order.id.to_string()],
            )?;
            Ok(())
        })
        .unwrap();
    let d = f
        .store
        .order_detail(f.evaluated.id, today())
        .unwrap()
        .unwrap();
    assert!(d.decisions.declared_by_me);
    assert_eq!(d.decisions.conflict_declarations.len(), 1);
}
