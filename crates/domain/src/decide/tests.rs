//! Each decision, allowed and refused: the permission, the records it reads, the rule, and
//! what it writes.

use chrono::{Duration, NaiveDate};
use uuid::Uuid;

use super::catalogue as cat;
use super::order as d;
use super::{DeadlineIndex, Edit};
use crate::adhesion::{Adhesion, Decision, FinancialOpinion, OpinionKind, Organ};
use crate::catalogue::{
    CallOffMethod, DirectCallOff, FrameworkAgreement, FrameworkProvider, LegalBasis, Provider,
    ProviderStatus, Service,
};
use crate::enterprise::EnterpriseNumber;
use crate::fixtures::{date, sample_terms};
use crate::offer::tests::needs;
use crate::offer::InvitationStatus;
use crate::order::{no_conflict_statement_sha256, ContractManager, Order, OrderStatus};
use crate::permission::Actor;
use crate::role::Role;

const P1: Uuid = Uuid::from_u128(1);
const P2: Uuid = Uuid::from_u128(2);
const MOTIVE: &str = "Le collège renonce : le besoin est couvert par la province.";

use crate::fixtures::now;

fn actor(role: Role) -> Actor {
    crate::fixtures::actor(role, crate::signatory::Gender::Unspecified)
}

fn dg() -> Actor {
    actor(Role::DirectorGeneral)
}

fn agent() -> Actor {
    actor(Role::CommuneStaff)
}

fn centrale() -> Actor {
    actor(Role::CentraleStaff)
}

/// A director general of another commune.
fn other_dg() -> Actor {
    Actor {
        commune_nis: Some("81001".into()),
        ..dg()
    }
}

fn framework(method: CallOffMethod) -> FrameworkAgreement {
    let mut f = FrameworkAgreement {
        id: Uuid::from_u128(10),
        service_id: Uuid::from_u128(11),
        reference: "CA-2025-01".into(),
        title_fr: "E-guichet".into(),
        call_off_method: method,
        versions: vec![],
    };
    let mut terms = sample_terms(&[P1, P2]);
    if method.allows_direct() {
        terms.direct_call_off = Some(DirectCallOff {
            rule: crate::catalogue::DesignationRule::Cascade,
            ranking: vec![P1, P2],
            up_to: None,
        });
    }
    f.publish(terms).unwrap();
    f
}

fn service() -> Service {
    Service {
        id: Uuid::from_u128(11),
        code: "e-guichet".into(),
        name_fr: "E-guichet".into(),
        summary_fr: "Un guichet en ligne.".into(),
        description_fr: "Un guichet en ligne.".into(),
        category_fr: "Services".into(),
        framework_id: Uuid::from_u128(10),
        added_on: None,
        from_need: None,
    }
}

fn decision_on(day: NaiveDate, organ: Organ) -> Decision {
    Decision {
        organ,
        reference: "COL/2026/99".into(),
        date: day,
        financial_opinion: Some(FinancialOpinion {
            reference: "DF/2026/7".into(),
            date: day,
            kind: OpinionKind::Favourable,
        }),
    }
}

fn active_adhesion() -> Adhesion {
    crate::fixtures::active_adhesion("84009", now())
}

fn draft(f: &FrameworkAgreement) -> Order {
    d::create_draft(
        &agent(),
        d::CreateDraft {
            order_id: Uuid::now_v7(),
            id_taken: false,
            service: Some(&service()),
            framework: Some(f),
            title: "  E-guichet 2027 ",
            needs: &needs(),
            pool_id: None,
            pool: None,
        },
        now(),
    )
    .unwrap()
}

fn submit_input<'a>(
    order: &'a Order,
    adhesions: &'a [Adhesion],
    f: &'a FrameworkAgreement,
    decision: &'a Decision,
) -> d::Submit<'a> {
    d::Submit {
        order: Some(order),
        adhesions,
        framework: Some(f),
        orders: &[],
        decision: Some(decision),
        budget_article: "104/123-13",
        pool: None,
    }
}

fn submitted(f: &FrameworkAgreement) -> Order {
    let o = draft(f);
    let launch = decision_on(date(2026, 11, 2), Organ::Conseil);
    d::submit(
        &dg(),
        submit_input(&o, &[active_adhesion()], f, &launch),
        now(),
    )
    .unwrap()
    .order
}

fn launch_input<'a>(o: &'a Order, f: &'a FrameworkAgreement, days: i64) -> d::Launch<'a> {
    d::Launch {
        order: Some(o),
        framework: Some(f),
        deadline: now() + Duration::days(days),
        min_days: 10,
        relaunch: false,
    }
}

/// An order in competition and its invitations.
fn in_competition() -> (FrameworkAgreement, d::OrderWrites) {
    let f = framework(CallOffMethod::MiniCompetition);
    let o = submitted(&f);
    let w =
        d::launch_competition(&centrale(), launch_input(&o, &f, 20), now(), Uuid::now_v7).unwrap();
    (f, w)
}

fn code<T: std::fmt::Debug>(r: Result<T, crate::DomainError>) -> &'static str {
    r.unwrap_err().code().as_str()
}

#[test]
fn create_draft_for_the_actors_commune_only_by_a_commune_account() {
    let f = framework(CallOffMethod::MiniCompetition);
    let o = draft(&f);
    assert_eq!(
        (o.commune_nis.as_str(), o.title.as_str()),
        ("84009", "E-guichet 2027")
    );
    assert_eq!(o.status, OrderStatus::Draft);
    let input = |id_taken, service| d::CreateDraft {
        order_id: o.id,
        id_taken,
        service,
        framework: Some(&f),
        title: "E-guichet",
        needs: &o.needs,
        pool_id: None,
        pool: None,
    };
    let s = service();
    assert_eq!(
        code(d::create_draft(&centrale(), input(false, Some(&s)), now())),
        "forbidden"
    );
    assert_eq!(
        code(d::create_draft(&agent(), input(true, Some(&s)), now())),
        "duplicate_id"
    );
    assert_eq!(
        code(d::create_draft(&agent(), input(false, None), now())),
        "not_found"
    );
}

#[test]
fn update_draft_checks_the_owner_before_the_version() {
    let f = framework(CallOffMethod::MiniCompetition);
    let o = draft(&f);
    let n = needs();
    let input = |stale| d::UpdateDraft {
        order: Some(&o),
        stale,
        framework: Some(&f),
        title: "E-guichet 2028",
        needs: &n,
    };
    match d::update_draft(&agent(), input(false), now()).unwrap() {
        Edit::Apply(o) => assert_eq!(o.title, "E-guichet 2028"),
        Edit::Conflict => panic!("not stale"),
    }
    assert_eq!(
        d::update_draft(&agent(), input(true), now()).unwrap(),
        Edit::Conflict
    );
    // Another commune learns nothing, not even that the edit is stale.
    assert_eq!(
        code(d::update_draft(&other_dg(), input(true), now())),
        "not_found"
    );
    let empty = d::UpdateDraft {
        title: " ",
        ..input(false)
    };
    assert_eq!(
        code(d::update_draft(&agent(), empty, now())),
        "order_title_invalid"
    );
}

#[test]
fn delete_draft_only_a_draft() {
    let f = framework(CallOffMethod::MiniCompetition);
    let o = draft(&f);
    assert_eq!(
        d::delete_draft(&agent(), Some(&o), false, now()).unwrap(),
        Edit::Apply(o.clone())
    );
    let s = submitted(&f);
    assert_eq!(
        code(d::delete_draft(&agent(), Some(&s), false, now())),
        "invalid_state"
    );
    assert_eq!(
        code(d::delete_draft(&agent(), None, false, now())),
        "not_found"
    );
}

#[test]
fn submit_needs_the_current_adhesion_and_the_maximum_value() {
    // Dir. 2014/24 art. 33(1); CDLD L1222-3.
    let f = framework(CallOffMethod::MiniCompetition);
    let o = draft(&f);
    let launch = decision_on(date(2026, 11, 2), Organ::Conseil);
    let adhesions = [active_adhesion()];
    let s = d::submit(&dg(), submit_input(&o, &adhesions, &f, &launch), now())
        .unwrap()
        .order;
    assert_eq!(s.status, OrderStatus::Submitted);
    assert_eq!(
        code(d::submit(&dg(), submit_input(&o, &[], &f, &launch), now())),
        "adhesion_not_active"
    );
    // Another commune's adhesion is not this commune's.
    let mut theirs = active_adhesion();
    theirs.commune_nis = "81001".into();
    assert_eq!(
        code(d::submit(
            &dg(),
            submit_input(&o, &[theirs], &f, &launch),
            now()
        )),
        "adhesion_not_active"
    );
    // The framework's maximum already consumed by another commune's order.
    let mut small = framework(CallOffMethod::MiniCompetition);
    let mut terms = small.current().unwrap().clone();
    terms.max_value = Some(crate::money::Cents(600_000));
    small.versions = vec![terms];
    let mut other = s.clone();
    other.id = Uuid::now_v7();
    other.commune_nis = "81001".into();
    let orders = [other];
    let input = d::Submit {
        orders: &orders,
        ..submit_input(&o, &adhesions, &small, &launch)
    };
    assert_eq!(
        code(d::submit(&dg(), input, now())),
        "maximum_value_exceeded"
    );
}

#[test]
fn declare_no_conflict_records_the_acting_account() {
    // Law of 17 June 2016 art. 6.
    let f = framework(CallOffMethod::MiniCompetition);
    let o = submitted(&f);
    let sha = no_conflict_statement_sha256();
    let o2 = d::declare_no_conflict(&dg(), Some(&o), &sha, now()).unwrap();
    assert!(o2.has_declared_no_conflict(&dg().user_id));
    assert_eq!(
        code(d::declare_no_conflict(&dg(), Some(&o), "autre", now())),
        "conflict_statement_changed"
    );
    assert_eq!(
        code(d::declare_no_conflict(&other_dg(), Some(&o), &sha, now())),
        "not_found"
    );
}

#[test]
fn cancel_before_competition_with_a_reason() {
    let f = framework(CallOffMethod::MiniCompetition);
    let o = submitted(&f);
    let c = d::cancel(&agent(), Some(&o), " Budget non voté ", now()).unwrap();
    assert_eq!(c.status, OrderStatus::Cancelled);
    assert_eq!(c.closure.unwrap().reason, "Budget non voté");
    assert_eq!(
        code(d::cancel(&agent(), Some(&o), "", now())),
        "reason_length_invalid"
    );
    assert_eq!(
        code(d::cancel(&centrale(), Some(&o), "Budget", now())),
        "forbidden"
    );
}

#[test]
fn withdraw_tells_every_invitation_and_clears_the_deadline() {
    // Law of 29 July 1991 art. 2–3; law of 17 June 2016 art. 85.
    let (_, w) = in_competition();
    let decision = decision_on(date(2026, 11, 29), Organ::College);
    let input = |reason| d::Withdraw {
        order: Some(&w.order),
        invitations: &w.new_invitations,
        reason,
        college_decision: &decision,
        substitutions: &[],
    };
    let out = d::withdraw(&dg(), input(MOTIVE), now()).unwrap();
    assert_eq!(out.order.status, OrderStatus::Withdrawn);
    assert_eq!(out.deadline, DeadlineIndex::Cleared);
    assert_eq!(out.invitations.len(), 2);
    assert!(out
        .invitations
        .iter()
        .all(|i| i.status == InvitationStatus::Withdrawn && i.withdrawal.is_some()));
    assert_eq!(
        code(d::withdraw(&dg(), input("Trop court"), now())),
        "motivation_too_short"
    );
    // Withdrawing is a signatory's act.
    assert_eq!(
        code(d::withdraw(&agent(), input(MOTIVE), now())),
        "forbidden"
    );
}

#[test]
fn launch_invites_every_callable_provider_with_the_same_deadline() {
    // Law of 17 June 2016 art. 43; Dir. 2014/24 art. 33(5)(b).
    let (_, w) = in_competition();
    assert_eq!(w.order.status, OrderStatus::CompetitionOpen);
    let deadline = now() + Duration::days(20);
    assert_eq!(w.deadline, DeadlineIndex::Set(deadline));
    let providers: Vec<Uuid> = w.new_invitations.iter().map(|i| i.provider_id).collect();
    assert_eq!(providers, vec![P1, P2]);
    assert!(w
        .new_invitations
        .iter()
        .all(|i| i.deadline == deadline && i.sent_at == now() && i.order_id == w.order.id));
    let f = framework(CallOffMethod::MiniCompetition);
    let o = submitted(&f);
    assert_eq!(
        code(d::launch_competition(
            &centrale(),
            launch_input(&o, &f, 3),
            now(),
            Uuid::now_v7
        )),
        "deadline_too_soon"
    );
    assert_eq!(
        code(d::launch_competition(
            &dg(),
            launch_input(&o, &f, 20),
            now(),
            Uuid::now_v7
        )),
        "forbidden"
    );
    // A relaunch needs an empty competition.
    let relaunch = d::Launch {
        relaunch: true,
        ..launch_input(&o, &f, 20)
    };
    assert_eq!(
        code(d::launch_competition(
            &centrale(),
            relaunch,
            now(),
            Uuid::now_v7
        )),
        "invalid_state"
    );
}

#[test]
fn extend_tells_the_current_invitations_and_moves_the_deadline() {
    let (f, w) = in_competition();
    let later = now() + Duration::days(30);
    let input = |deadline| d::Extend {
        order: Some(&w.order),
        framework: Some(&f),
        invitations: &w.new_invitations,
        deadline,
        reason: "Question importante d'un prestataire",
    };
    let out = d::extend_deadline(&centrale(), input(later), now()).unwrap();
    assert_eq!(out.deadline, DeadlineIndex::Set(later));
    assert_eq!(out.invitations.len(), 2);
    assert!(out
        .invitations
        .iter()
        .all(|i| i.deadline == later && i.extensions.len() == 1));
    assert_eq!(
        code(d::extend_deadline(
            &centrale(),
            input(now() + Duration::days(5)),
            now()
        )),
        "deadline_not_later"
    );
    assert_eq!(
        code(d::extend_deadline(&dg(), input(later), now())),
        "forbidden"
    );
}

#[test]
fn questions_are_asked_by_an_invited_provider_and_answered_to_every_invitation() {
    // Dir. 2014/24 art. 18(1), art. 33(5)(a) and (c).
    let (_, w) = in_competition();
    let provider = actor(Role::ProviderUser);
    let mine = w
        .new_invitations
        .iter()
        .find(|i| i.provider_id == P1)
        .unwrap();
    let theirs = w
        .new_invitations
        .iter()
        .find(|i| i.provider_id == P2)
        .unwrap();
    let q = Uuid::now_v7();
    let ask = |inv| d::Ask {
        invitation: Some(inv),
        order: Some(&w.order),
        question_id: q,
        text: "Le connecteur BOSA est-il requis ?",
    };
    let asked = d::ask_question(&provider, ask(mine), now()).unwrap();
    assert_eq!(asked.questions.len(), 1);
    assert_eq!(
        code(d::ask_question(&provider, ask(theirs), now())),
        "not_found"
    );
    assert_eq!(code(d::ask_question(&dg(), ask(mine), now())), "forbidden");
    let mut closed = mine.clone();
    closed.status = InvitationStatus::Withdrawn;
    let err = d::ask_question(&provider, ask(&closed), now()).unwrap_err();
    assert_eq!(err.code().as_str(), "competition_closed");
    assert!(err.to_string().contains("question"), "{err}");

    let answer = |answer| d::Answer {
        order: Some(&asked),
        invitations: &w.new_invitations,
        question_id: q,
        answer,
    };
    let out = d::answer_question(&centrale(), answer("Oui, il est requis."), now()).unwrap();
    assert_eq!(out.invitations.len(), 2);
    assert!(out.invitations.iter().all(|i| i.clarifications.len() == 1));
    assert_eq!(
        code(d::answer_question(
            &dg(),
            answer("Oui, il est requis."),
            now()
        )),
        "forbidden"
    );
    assert!(d::answer_question(&centrale(), answer(""), now()).is_err());
}

#[test]
fn purchase_order_names_the_contract_manager() {
    // Rule 16: the fonctionnaire dirigeant named.
    let f = framework(CallOffMethod::Direct);
    let o = submitted(&f);
    let o =
        d::declare_no_conflict(&dg(), Some(&o), &no_conflict_statement_sha256(), now()).unwrap();
    let decision = decision_on(date(2026, 11, 29), Organ::College);
    let awarded = d::direct_award(
        &dg(),
        d::DirectAwardInput {
            order: Some(&o),
            framework: Some(&f),
            orders: &[],
            provider_id: P1,
            justification: "Premier du classement de l'accord-cadre",
            college_decision: &decision,
            substitutions: &[],
        },
        now(),
        Uuid::now_v7,
    )
    .unwrap()
    .order;
    let manager = || {
        Some(ContractManager {
            name: "Marie Dupont".into(),
            quality: "Responsable informatique".into(),
        })
    };
    let po =
        d::issue_purchase_order(&centrale(), Some(&awarded), " BC-1 ", manager(), now()).unwrap();
    assert_eq!(po.purchase_order.unwrap().reference, "BC-1");
    assert_eq!(
        code(d::issue_purchase_order(
            &centrale(),
            Some(&awarded),
            "BC-1",
            None,
            now()
        )),
        "contract_manager_name_missing"
    );
    assert_eq!(
        code(d::issue_purchase_order(
            &dg(),
            Some(&awarded),
            "BC-1",
            manager(),
            now()
        )),
        "forbidden"
    );
}

#[test]
fn direct_award_needs_the_declaration_and_plans_the_milestones() {
    // Dir. 2014/24 art. 33(4)(a); law of 17 June 2016 art. 6.
    let f = framework(CallOffMethod::Direct);
    let o = submitted(&f);
    let decision = decision_on(date(2026, 11, 29), Organ::College);
    let input = |o| d::DirectAwardInput {
        order: Some(o),
        framework: Some(&f),
        orders: &[],
        provider_id: P1,
        justification: "Premier du classement de l'accord-cadre",
        college_decision: &decision,
        substitutions: &[],
    };
    assert_eq!(
        code(d::direct_award(&dg(), input(&o), now(), Uuid::now_v7)),
        "conflict_declaration_missing"
    );
    let declared =
        d::declare_no_conflict(&dg(), Some(&o), &no_conflict_statement_sha256(), now()).unwrap();
    let out = d::direct_award(&dg(), input(&declared), now(), Uuid::now_v7).unwrap();
    assert!(out.order.award.as_ref().unwrap().direct);
    assert!(!out.new_milestones.is_empty());
    assert!(out
        .new_milestones
        .iter()
        .all(|m| m.order_id == o.id && m.provider_id == P1));
    assert_eq!(
        code(d::direct_award(
            &agent(),
            input(&declared),
            now(),
            Uuid::now_v7
        )),
        "forbidden"
    );
}

fn provider(id: Uuid, number: &str) -> Provider {
    Provider {
        id,
        short_name: "nuagix".into(),
        name: "Nuagix SA".into(),
        enterprise_number: EnterpriseNumber::parse(number).unwrap(),
        address: "Rue de la Loi 1, 1000 Bruxelles".into(),
        contact_email: "offres@nuagix.example".into(),
    }
}

const BCE: &str = "0403.170.701";

#[test]
fn register_provider_once_per_enterprise_number() {
    let existing = [provider(P1, BCE)];
    let number = EnterpriseNumber::parse(BCE).unwrap();
    let input = |providers| cat::RegisterProvider {
        provider_id: P2,
        id_taken: false,
        providers,
        short_name: " nuagix ",
        name: "Nuagix SA",
        enterprise_number: &number,
        address: "Rue de la Loi 1",
        contact_email: "offres@nuagix.example",
    };
    let p = cat::register_provider(&centrale(), input(&[]), now()).unwrap();
    assert_eq!(p.short_name, "nuagix");
    assert_eq!(
        code(cat::register_provider(&centrale(), input(&existing), now())),
        "duplicate_enterprise_number"
    );
    assert_eq!(
        code(cat::register_provider(&dg(), input(&[]), now())),
        "forbidden"
    );
}

#[test]
fn publish_a_version_names_registered_providers_only() {
    // Dir. 2014/24 art. 72.
    let f = framework(CallOffMethod::MiniCompetition);
    let registered = [provider(P1, BCE), provider(P2, "0202.239.951")];
    // Suspending a party needs no legal basis.
    let parties = [
        FrameworkProvider {
            provider_id: P1,
            status: ProviderStatus::Active,
        },
        FrameworkProvider {
            provider_id: P2,
            status: ProviderStatus::Suspended,
        },
    ];
    let change = cat::FrameworkChange {
        change_note: "Suspension de Nuagix pendant l'enquête",
        providers: Some(&parties),
        ..Default::default()
    };
    let out =
        cat::publish_framework_version(&centrale(), Some(&f), &registered, &change, now()).unwrap();
    assert_eq!(out.versions.len(), 2);
    assert_eq!(out.current().unwrap().providers, parties.to_vec());
    assert_eq!(
        code(cat::publish_framework_version(
            &centrale(),
            Some(&f),
            &registered[..1],
            &change,
            now()
        )),
        "provider_not_registered"
    );
    let basis = LegalBasis::Succession {
        predecessor: P1,
        successor: Uuid::from_u128(99),
        act: "Fusion publiée au Moniteur".into(),
    };
    let succession = cat::FrameworkChange {
        legal_basis: Some(&basis),
        ..change
    };
    assert_eq!(
        code(cat::publish_framework_version(
            &centrale(),
            Some(&f),
            &registered,
            &succession,
            now()
        )),
        "successor_not_registered"
    );
    let note = cat::FrameworkChange {
        change_note: "maj",
        ..change
    };
    assert_eq!(
        code(cat::publish_framework_version(
            &centrale(),
            Some(&f),
            &registered,
            &note,
            now()
        )),
        "change_note_length"
    );
    assert_eq!(
        code(cat::publish_framework_version(
            &dg(),
            Some(&f),
            &registered,
            &change,
            now()
        )),
        "forbidden"
    );
}

#[test]
fn issue_16_interoperability_sheets_change_with_a_version_without_legal_basis() {
    // The sheets are the centrale's record of the solutions, not a term of the framework
    // (Dir. 2014/24 art. 72 governs the terms): a version changing them alone needs no basis;
    // a link names a registered provider; the sheet itself is checked by the domain.
    use crate::interoperability::{
        CheckOutcome, HostingLocation, InteropAspect, InteropCheck, InteroperabilitySheet,
        Solution, SolutionLink,
    };
    let f = framework(CallOffMethod::MiniCompetition);
    let registered = [provider(P1, BCE), provider(P2, "0202.239.951")];
    let today = crate::time::brussels_today(now());
    let sheet = InteroperabilitySheet {
        provider_id: P1,
        solution_name: "Guichet Nuagix 4".into(),
        open_data: vec![],
        apis: vec![],
        citizen_identity: vec![crate::interoperability::CitizenIdentity::Csam],
        data_exports: vec!["CSV".into()],
        hosting: HostingLocation::Belgium,
        hosting_detail: "Liège".into(),
        reversibility: "Export complet en CSV sous 30 jours.".into(),
        works_with: vec![SolutionLink {
            with: Solution {
                service_id: Uuid::from_u128(300),
                provider_id: P2,
            },
            how: "Paiement des demandes".into(),
            checked_on: Some(today),
        }],
        checks: vec![InteropCheck {
            aspect: InteropAspect::Hosting,
            checked_on: today,
            outcome: CheckOutcome::Confirmed,
            note: String::new(),
        }],
    };
    let sheets = [sheet.clone()];
    let change = cat::FrameworkChange {
        change_note: "Fiche d'interopérabilité du guichet de Nuagix",
        interoperability: Some(&sheets),
        ..Default::default()
    };
    let out =
        cat::publish_framework_version(&centrale(), Some(&f), &registered, &change, now()).unwrap();
    assert_eq!(out.current().unwrap().interoperability, sheets.to_vec());
    assert_eq!(out.current().unwrap().legal_basis, None);
    // The next version keeps the sheets unless it sends others.
    let later = cat::FrameworkChange {
        change_note: "Suspension de Civitech pendant l'enquête",
        providers: Some(&[
            FrameworkProvider {
                provider_id: P1,
                status: ProviderStatus::Active,
            },
            FrameworkProvider {
                provider_id: P2,
                status: ProviderStatus::Suspended,
            },
        ]),
        ..Default::default()
    };
    let out2 = cat::publish_framework_version(&centrale(), Some(&out), &registered, &later, now())
        .unwrap();
    assert_eq!(out2.current().unwrap().interoperability, sheets.to_vec());
    // A link to a provider nobody registered is refused.
    assert_eq!(
        code(cat::publish_framework_version(
            &centrale(),
            Some(&f),
            &registered[..1],
            &change,
            now()
        )),
        "provider_not_registered"
    );
    // A check dated tomorrow is refused by the sheet's rule.
    let mut ahead = sheet;
    ahead.checks[0].checked_on = today.succ_opt().unwrap();
    let ahead = [ahead];
    assert_eq!(
        code(cat::publish_framework_version(
            &centrale(),
            Some(&f),
            &registered,
            &cat::FrameworkChange {
                interoperability: Some(&ahead),
                ..change
            },
            now()
        )),
        "interoperability_check_ahead"
    );
}

#[test]
fn add_service_with_a_unique_code_and_registered_providers() {
    let registered = [provider(P1, BCE), provider(P2, "0202.239.951")];
    let terms = sample_terms(&[P1, P2]);
    let existing = [service()];
    let input = |code, providers| cat::AddService {
        service_id: Uuid::from_u128(21),
        framework_id: Uuid::from_u128(20),
        service_id_taken: false,
        framework_id_taken: false,
        services: &existing,
        frameworks: &[],
        providers,
        code,
        name_fr: "Archivage",
        summary_fr: "Archiver.",
        description_fr: "Archiver les documents.",
        category_fr: "Services",
        reference: "CA-2026-02",
        title_fr: "Archivage électronique",
        call_off_method: CallOffMethod::MiniCompetition,
        terms: &terms,
        need: None,
    };
    let (s, f) = cat::add_service(&centrale(), input("archivage", &registered), now()).unwrap();
    assert_eq!((s.framework_id, f.service_id), (f.id, s.id));
    let v1 = f.current().unwrap();
    assert_eq!((v1.version, v1.published_at), (1, now()));
    assert_eq!(
        code(cat::add_service(
            &centrale(),
            input("e-guichet", &registered),
            now()
        )),
        "duplicate_code"
    );
    assert_eq!(
        code(cat::add_service(
            &centrale(),
            input("Archivage!", &registered),
            now()
        )),
        "service_code_invalid"
    );
    assert_eq!(
        code(cat::add_service(
            &centrale(),
            input("archivage", &registered[..1]),
            now()
        )),
        "provider_not_registered"
    );
    assert_eq!(
        code(cat::add_service(
            &dg(),
            input("archivage", &registered),
            now()
        )),
        "forbidden"
    );

    // Issue 16 §3: added for a need of a survey, the service names it and is dated.
    use crate::survey::{self as sv, AnswerValue, NeedRef, QuestionKind, SurveyAnswer};
    let choices = ["archives", "courrier"].map(|c| sv::SurveyChoice {
        code: c.into(),
        label_fr: format!("Besoin {c}"),
    });
    let survey = sv::publish(
        Uuid::from_u128(90),
        &sv::SurveyDraft {
            title: "Besoins 2027".into(),
            intro: String::new(),
            closes_on: now().date_naive(),
            themes: vec![sv::SurveyTheme {
                title_fr: "Administration".into(),
                questions: vec![sv::SurveyQuestion {
                    code: "besoins".into(),
                    text_fr: "Que vous manque-t-il ?".into(),
                    help_fr: String::new(),
                    required: true,
                    kind: QuestionKind::Choice {
                        choices: choices.to_vec(),
                        multiple: true,
                    },
                }],
            }],
        },
        "Centrale",
        now(),
    )
    .unwrap();
    let need = NeedRef {
        survey_id: survey.id,
        question: "besoins".into(),
        choice: "archives".into(),
    };
    let sent = sv::SurveyResponse {
        survey_id: survey.id,
        commune_nis: "84009".into(),
        answers: vec![SurveyAnswer {
            question: "besoins".into(),
            value: AnswerValue::Choices(vec!["archives".into()]),
        }],
        status: sv::ResponseStatus::Sent,
        saved_by: "DG".into(),
        saved_at: now(),
        sent: None,
    };
    let responses = [sent];
    let with_need = |survey| cat::AddService {
        need: Some(cat::NeedInput {
            need: &need,
            survey,
            responses: &responses,
        }),
        ..input("archivage", &registered)
    };
    let (s, _) = cat::add_service(&centrale(), with_need(Some(&survey)), now()).unwrap();
    assert_eq!(s.added_on, Some(now().date_naive()));
    let origin = s.from_need.unwrap();
    assert_eq!(
        (
            origin.label_fr.as_str(),
            origin.survey_title.as_str(),
            origin.communes
        ),
        ("Besoin archives", "Besoins 2027", 1)
    );
    assert_eq!(
        code(cat::add_service(&centrale(), with_need(None), now())),
        "survey_need_unknown"
    );
}

mod offer;
mod pool;
