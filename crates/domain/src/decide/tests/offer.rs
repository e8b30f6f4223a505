//! The offers' acts (`decide::offer`): sealed until the opening, told to one provider only,
//! ranked and awarded.

use super::*;
use crate::decide::offer as off;
use crate::evaluation::QualityScore;
use crate::offer::{Invitation, Offer, OfferLineInput};
use crate::order::SetAsideGround;

fn provider_of(id: Uuid) -> Actor {
    Actor {
        provider_id: Some(id),
        ..actor(Role::ProviderUser)
    }
}

fn lines(setup: i64, licence: i64) -> Vec<OfferLineInput> {
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

fn invitation_of(w: &d::OrderWrites, provider: Uuid) -> &Invitation {
    w.new_invitations
        .iter()
        .find(|i| i.provider_id == provider)
        .unwrap()
}

/// `provider`'s offer on its invitation of `w`'s competition.
fn offer_of(f: &FrameworkAgreement, w: &d::OrderWrites, provider: Uuid, setup: i64) -> Offer {
    off::submit(
        &provider_of(provider),
        off::Submit {
            invitation: Some(invitation_of(w, provider)),
            order: Some(&w.order),
            framework: Some(f),
            previous: None,
            id_taken: false,
            offer_id: Uuid::now_v7(),
            lines: &lines(setup, 14_000),
            lead_time_days: 60,
            notes: "Hébergement en Belgique.",
        },
        now(),
    )
    .unwrap()
}

/// The competition of `in_competition` opened after its deadline, with an offer of each
/// provider (P2 cheaper); the instant of the opening.
fn opened() -> (
    FrameworkAgreement,
    d::OrderWrites,
    Vec<Offer>,
    chrono::DateTime<chrono::Utc>,
) {
    let (f, w) = in_competition();
    let offers = vec![offer_of(&f, &w, P1, 420_000), offer_of(&f, &w, P2, 390_000)];
    let at = now() + Duration::days(21);
    let out = off::open_due(
        off::Open {
            order: Some(&w.order),
            offers: &offers,
            invitations: &w.new_invitations,
        },
        at,
    )
    .unwrap();
    (
        f,
        d::OrderWrites {
            order: out.order,
            ..w
        },
        offers,
        at,
    )
}

#[test]
fn rule_6_an_offer_is_its_authors_alone_until_the_opening() {
    // Issue 11 rule 6; Dir. 2014/24 art. 33(5)(c): the submission writes the offer only.
    let (f, w) = in_competition();
    let mine = invitation_of(&w, P1);
    let id = Uuid::now_v7();
    let input = |inv, previous, id_taken, offer_id| off::Submit {
        invitation: Some(inv),
        order: Some(&w.order),
        framework: Some(&f),
        previous,
        id_taken,
        offer_id,
        lines: &[],
        lead_time_days: 60,
        notes: "",
    };
    let offer_lines = lines(420_000, 14_000);
    let offer = off::submit(
        &provider_of(P1),
        off::Submit {
            lines: &offer_lines,
            ..input(mine, None, false, id)
        },
        now(),
    )
    .unwrap();
    assert_eq!((offer.id, offer.provider_id), (id, P1));
    // Another provider's invitation is not found; a commune does not submit.
    let theirs = invitation_of(&w, P2);
    assert_eq!(
        code(off::submit(
            &provider_of(P1),
            input(theirs, None, false, id),
            now()
        )),
        "not_found"
    );
    assert_eq!(
        code(off::submit(&dg(), input(mine, None, false, id), now())),
        "forbidden"
    );
    // One offer per provider (replaced under its own id); a new id must be free.
    assert_eq!(
        code(off::submit(
            &provider_of(P1),
            input(mine, Some(&offer), false, Uuid::now_v7()),
            now()
        )),
        "offer_exists"
    );
    assert_eq!(
        code(off::submit(
            &provider_of(P1),
            input(mine, None, true, id),
            now()
        )),
        "duplicate_id"
    );
    // After the deadline, nothing is submitted.
    assert_eq!(
        code(off::submit(
            &provider_of(P1),
            off::Submit {
                lines: &offer_lines,
                ..input(mine, None, false, id)
            },
            now() + Duration::days(21)
        )),
        "deadline_passed"
    );
}

#[test]
fn rule_6_the_opening_unseals_every_offer_and_closes_every_invitation() {
    let (f, w) = in_competition();
    let offers = vec![offer_of(&f, &w, P1, 420_000)];
    let open = || off::Open {
        order: Some(&w.order),
        offers: &offers,
        invitations: &w.new_invitations,
    };
    // Never before the deadline, by the scheduler or anyone.
    assert_eq!(code(off::open_due(open(), now())), "offers_sealed");
    let at = now() + Duration::days(21);
    assert_eq!(code(off::open_offers(&other_dg(), open(), at)), "not_found");
    assert_eq!(
        code(off::open_offers(&provider_of(P1), open(), at)),
        "forbidden"
    );
    let out = off::open_offers(&dg(), open(), at).unwrap();
    assert_eq!(out.order.status, OrderStatus::OffersOpened);
    assert_eq!(out.order.offers_received, Some(1));
    assert_eq!(out.opened_offers, offers);
    assert_eq!(out.deadline, DeadlineIndex::Cleared);
    assert_eq!(out.invitations.len(), 2);
    assert!(out
        .invitations
        .iter()
        .all(|i| i.status == InvitationStatus::Closed));
    // The scheduler decides the same.
    assert_eq!(off::open_due(open(), at).unwrap(), out);
}

#[test]
fn rule_7_price_request_answer_and_setting_aside_are_told_to_that_provider_alone() {
    // Law of 17 June 2016 art. 84; Dir. 2014/24 art. 56(1), art. 69.
    let (_, w, offers, at) = opened();
    let p2_offer = offers.iter().find(|o| o.provider_id == P2).unwrap();
    let request_id = Uuid::now_v7();
    let ask = |order| off::AskJustification {
        order: Some(order),
        offers: &offers,
        invitations: &w.new_invitations,
        request_id,
        offer_id: p2_offer.id,
        prices: "Le prix de mise en place paraît anormalement bas.",
        deadline: at + Duration::days(15),
    };
    assert_eq!(
        code(off::ask_price_justification(&other_dg(), ask(&w.order), at)),
        "not_found"
    );
    // An offer that is not (or not yet) on the order is not found.
    let unknown = off::AskJustification {
        offer_id: Uuid::now_v7(),
        ..ask(&w.order)
    };
    assert_eq!(
        code(off::ask_price_justification(&dg(), unknown, at)),
        "not_found"
    );
    let asked = off::ask_price_justification(&centrale(), ask(&w.order), at).unwrap();
    assert_eq!(asked.invitations.len(), 1);
    assert_eq!(asked.invitations[0].provider_id, P2);
    assert_eq!(asked.invitations[0].price_requests.len(), 1);

    let answer = |actor: &Actor, inv| {
        off::answer_price_justification(
            actor,
            off::AnswerJustification {
                invitation: Some(inv),
                order: Some(&asked.order),
                invitations: &w.new_invitations,
                request_id,
                answer: "Nos coûts de mise en place sont amortis sur d'autres communes.",
            },
            at + Duration::days(1),
        )
    };
    assert_eq!(
        code(answer(&provider_of(P1), invitation_of(&w, P2))),
        "not_found"
    );
    assert_eq!(code(answer(&dg(), invitation_of(&w, P2))), "forbidden");
    let answered = answer(&provider_of(P2), invitation_of(&w, P2)).unwrap();
    assert_eq!(answered.invitations.len(), 1);
    assert_eq!(answered.invitations[0].provider_id, P2);

    let accept = |actor: &Actor| {
        off::accept_price_justification(
            actor,
            off::AcceptJustification {
                order: Some(&answered.order),
                invitations: &w.new_invitations,
                request_id,
            },
            at + Duration::days(2),
        )
    };
    assert_eq!(code(accept(&agent())), "forbidden");
    let accepted = accept(&dg()).unwrap();
    assert_eq!(accepted.invitations.len(), 1);
    assert_eq!(accepted.invitations[0].provider_id, P2);

    // P1's offer set aside as irregular: P1 alone is told why.
    let p1_offer = offers.iter().find(|o| o.provider_id == P1).unwrap();
    let aside = |actor: &Actor, motivation| {
        off::set_offer_aside(
            actor,
            off::SetAside {
                order: Some(&accepted.order),
                offers: &offers,
                invitations: &w.new_invitations,
                substitutions: &[],
                offer_id: p1_offer.id,
                ground: SetAsideGround::Irregular,
                motivation,
            },
            at + Duration::days(2),
        )
    };
    let motivation = "L'offre ne contient pas le formulaire de prix signé.";
    assert_eq!(code(aside(&agent(), motivation)), "forbidden");
    assert_eq!(code(aside(&other_dg(), motivation)), "not_found");
    let set_aside = aside(&dg(), motivation).unwrap();
    assert!(set_aside.order.is_set_aside(p1_offer.id));
    assert_eq!(set_aside.invitations.len(), 1);
    assert_eq!(set_aside.invitations[0].provider_id, P1);
    assert!(set_aside.invitations[0].set_aside.is_some());
}

#[test]
fn evaluation_then_award_tell_each_tenderer_and_plan_the_milestones() {
    // Dir. 2014/24 art. 33(5)(e), art. 55(2); law of 17 June 2016 art. 6; rule 16.
    let (f, w, offers, at) = opened();
    let scores: Vec<QualityScore> = offers
        .iter()
        .map(|o| QualityScore {
            offer_id: o.id,
            criterion_code: "quality".into(),
            points: rust_decimal::Decimal::from(30),
            justification: "Solution complète et documentée.".into(),
        })
        .collect();
    let evaluate = |actor: &Actor, order| {
        off::evaluate(
            actor,
            off::Evaluate {
                order: Some(order),
                framework: Some(&f),
                offers: &offers,
                scores: &scores,
            },
            at,
        )
    };
    assert_eq!(
        code(evaluate(&dg(), &w.order)),
        "conflict_declaration_missing"
    );
    assert_eq!(code(evaluate(&other_dg(), &w.order)), "not_found");
    let declared =
        d::declare_no_conflict(&dg(), Some(&w.order), &no_conflict_statement_sha256(), at).unwrap();
    let evaluated = evaluate(&dg(), &declared).unwrap();
    assert_eq!(evaluated.status, OrderStatus::Evaluated);
    let first = evaluated.evaluation.as_ref().unwrap().ranking.offers[0].offer_id;

    let providers = [provider(P1, BCE), provider(P2, BCE)];
    let decision = decision_on(crate::time::brussels_today(at), Organ::College);
    let award = |actor: &Actor, offer_id| {
        off::award(
            actor,
            off::Award {
                order: Some(&evaluated),
                framework: Some(&f),
                offers: &offers,
                providers: &providers,
                invitations: &w.new_invitations,
                orders: &[],
                substitutions: &[],
                offer_id,
                justification: "Offre classée première selon les critères.",
                college_decision: &decision,
            },
            at,
            Uuid::now_v7,
        )
    };
    assert_eq!(code(award(&agent(), first)), "forbidden");
    assert_eq!(code(award(&dg(), Uuid::now_v7())), "not_found");
    let out = award(&dg(), first).unwrap();
    assert_eq!(out.order.status, OrderStatus::Awarded);
    // Each tenderer is told; the milestones are the winner's.
    assert_eq!(out.invitations.len(), 2);
    assert!(out.invitations.iter().all(|i| i.outcome.is_some()));
    let winner = offers.iter().find(|o| o.id == first).unwrap().provider_id;
    assert!(!out.new_milestones.is_empty());
    assert!(out
        .new_milestones
        .iter()
        .all(|m| m.provider_id == winner && m.order_id == w.order.id));
}
