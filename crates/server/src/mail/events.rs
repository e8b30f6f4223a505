//! Which act sends which message to whom (issue 14). Called by the engine after an act
//! succeeded, in the act's own transaction: the messages are committed with the act, or
//! dropped with it.
//!
//! Addresses: a provider is written to at its contact e-mail (`Provider::contact_email`); an
//! account at its `email` (accounts without one get nothing). Nothing is ever sent on an
//! offer's submission, to anyone: until the deadline nobody but its author may learn whether
//! or when an offer was submitted.

use centrale_domain::adhesion::{Adhesion, AdhesionStatus};
use centrale_domain::catalogue::Provider;
use centrale_domain::commune::Commune;
use centrale_domain::mail::{provider_account, route, salutation_fr, MailChoice, MailKind};
use centrale_domain::offer::Invitation;
use centrale_domain::order::Order;
use centrale_domain::role::Role;
use centrale_domain::signatory::Gender;
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_server_db::{NewMessage, Routing};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::templates::{self as t, Letter};
use crate::engine::{Ctx, EngineError};

/// Whom a message goes to.
#[derive(Debug, Clone)]
struct Recipient {
    email: String,
    name: String,
    /// The account (user id) or provider (`provider:<id>`): whose choice applies.
    account: String,
    /// « Bonjour Nuagix SA, », « Madame la Directrice générale, ».
    greeting: String,
}

/// The messages an applied mutation causes.
pub async fn after_mutation(ctx: &mut Ctx<'_>, mutation: &Mutation) -> Result<(), EngineError> {
    use Mutation as M;
    match mutation {
        M::LaunchCompetition(p) | M::RelaunchCompetition(p) => invitations(ctx, p.order_id).await,
        M::ExtendDeadline(p) => extended(ctx, p.order_id).await,
        M::WithdrawOrder(p) => withdrawn(ctx, p.order_id).await,
        M::AnswerQuestion(p) => answered(ctx, p.order_id, p.question_id).await,
        M::OpenOffers(p) => offers_opened(ctx, p.order_id).await,
        M::AwardOrder(p) => awarded(ctx, p.order_id).await,
        M::IssuePurchaseOrder(p) => purchase_order(ctx, p.order_id).await,
        M::RecordCollegeDecision(p) => adhesion(ctx, p.adhesion_id).await,
        M::SignAdhesion(p) | M::CountersignAdhesion(p) => adhesion(ctx, p.adhesion_id).await,
        M::ActivateAdhesion(p) => adhesion(ctx, p.adhesion_id).await,
        M::TerminateAdhesion(p) => termination(ctx, p.adhesion_id).await,
        M::OrderAccompaniment(p) => accompaniment_ordered(ctx, p.accompaniment_id).await,
        M::InvoiceAccompaniment(p) => accompaniment_invoiced(ctx, p.accompaniment_id).await,
        _ => Ok(()),
    }
}

/// Writes the message to the outbox, going as its recipient chose for `kind` (issue 14 §1):
/// at once, held for the daily digest, or not sent (recorded as such). A legal notification
/// always goes at once (`centrale_domain::mail::route`).
async fn enqueue(
    ctx: &mut Ctx<'_>,
    kind: MailKind,
    dedup_key: Option<String>,
    to: &Recipient,
    letter: &Letter,
) -> Result<String, EngineError> {
    let stored = if kind.is_legal() {
        None
    } else {
        ctx.tx
            .mail_choice(&to.account, kind.as_str())
            .await?
            .and_then(|c| MailChoice::parse(&c))
    };
    let letter = Letter {
        greeting: to.greeting.clone(),
        ..letter.clone()
    };
    let id = Uuid::now_v7().to_string();
    ctx.tx
        .enqueue_routed(
            &NewMessage {
                id: id.clone(),
                kind: kind.as_str().into(),
                dedup_key,
                recipient_email: to.email.trim().to_string(),
                recipient_name: to.name.clone(),
                recipient_account: Some(to.account.clone()),
                subject: letter.subject.clone(),
                body_text: letter.text(),
                body_html: letter.html(),
                created_at: ctx.now,
            },
            &Routing {
                delivery: route(kind, stored).as_str().into(),
                action: letter.action.clone(),
            },
        )
        .await?;
    Ok(id)
}

async fn provider(ctx: &mut Ctx<'_>, id: Uuid) -> Result<Option<Recipient>, EngineError> {
    Ok(ctx
        .load::<Provider>(RecordKind::Provider, &id.to_string())
        .await?
        .map(|p| Recipient {
            email: p.value.contact_email,
            greeting: t::hello(&p.value.name),
            name: p.value.name,
            account: provider_account(id),
        }))
}

async fn accounts(
    ctx: &mut Ctx<'_>,
    roles: &[Role],
    commune: Option<&str>,
) -> Result<Vec<Recipient>, EngineError> {
    let mut out = Vec::new();
    for role in roles {
        for (id, name, email, gender) in ctx.tx.account_addresses(role.as_str(), commune).await? {
            out.push(Recipient {
                email,
                greeting: salutation_fr(&name, *role, Gender::parse(&gender).unwrap_or_default()),
                name,
                account: id,
            });
        }
    }
    Ok(out)
}

const COMMUNE_ROLES: [Role; 3] = [Role::DirectorGeneral, Role::Mayor, Role::CommuneStaff];

async fn commune_name(ctx: &mut Ctx<'_>, nis: &str) -> Result<String, EngineError> {
    Ok(ctx
        .load::<Commune>(RecordKind::Commune, nis)
        .await?
        .map_or_else(|| nis.to_string(), |c| c.value.name_fr))
}

async fn order(ctx: &mut Ctx<'_>, id: Uuid) -> Result<Option<Order>, EngineError> {
    Ok(ctx
        .load::<Order>(RecordKind::Order, &id.to_string())
        .await?
        .map(|l| l.value))
}

/// The invitations of the order's current competition.
async fn current_invitations(
    ctx: &mut Ctx<'_>,
    order: &Order,
) -> Result<Vec<Invitation>, EngineError> {
    let launched_at = order.competition.as_ref().map(|c| c.launched_at);
    Ok(ctx
        .children::<Invitation>(RecordKind::Invitation, &order.id.to_string())
        .await?
        .into_iter()
        .map(|l| l.value)
        .filter(|inv| launched_at.is_none_or(|at| inv.sent_at >= at))
        .collect())
}

fn link(ctx: &Ctx<'_>, inv: &Invitation) -> String {
    t::portal_link(&ctx.settings.public_url, &inv.id.to_string())
}

async fn invitations(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let commune = commune_name(ctx, &order.commune_nis).await?;
    for inv in current_invitations(ctx, &order).await? {
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let documents: Vec<String> = inv
            .documents
            .iter()
            .map(|d| format!("{} (version {})", d.title_fr, d.version))
            .collect();
        let letter = t::competition_invitation(
            &to.name,
            &commune,
            &inv.order_title,
            inv.deadline,
            &documents,
            link(ctx, &inv),
        );
        enqueue(ctx, MailKind::CompetitionInvitation, None, &to, &letter).await?;
    }
    Ok(())
}

async fn extended(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let Some(ext) = order
        .competition
        .as_ref()
        .and_then(|c| c.extensions.last().cloned())
    else {
        return Ok(());
    };
    for inv in current_invitations(ctx, &order).await? {
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let letter = t::deadline_extended(
            &to.name,
            &order.title,
            ext.deadline,
            &ext.reason,
            link(ctx, &inv),
        );
        enqueue(ctx, MailKind::DeadlineExtended, None, &to, &letter).await?;
    }
    Ok(())
}

async fn withdrawn(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let commune = commune_name(ctx, &order.commune_nis).await?;
    let now = ctx.now;
    // The invitations this act told (the notice is dated now).
    let told: Vec<Invitation> = ctx
        .children::<Invitation>(RecordKind::Invitation, &order_id.to_string())
        .await?
        .into_iter()
        .map(|l| l.value)
        .filter(|inv| {
            inv.withdrawal
                .as_ref()
                .is_some_and(|w| w.notified_at == now)
        })
        .collect();
    for inv in told {
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let motivation = inv
            .withdrawal
            .as_ref()
            .map(|w| w.motivation.clone())
            .unwrap_or_default();
        let letter = t::competition_withdrawn(
            &to.name,
            &inv.order_title,
            &commune,
            &motivation,
            link(ctx, &inv),
        );
        enqueue(ctx, MailKind::CompetitionWithdrawn, None, &to, &letter).await?;
    }
    Ok(())
}

async fn answered(ctx: &mut Ctx<'_>, order_id: Uuid, question_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let Some((question, answer)) = order
        .questions
        .iter()
        .find(|q| q.id == question_id)
        .and_then(|q| Some((q.text.clone(), q.answer.clone()?)))
    else {
        return Ok(());
    };
    let Some(deadline) = order.competition.as_ref().map(|c| c.deadline) else {
        return Ok(());
    };
    for inv in current_invitations(ctx, &order).await? {
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let letter = t::question_answered(
            &to.name,
            &order.title,
            &question,
            &answer,
            deadline,
            link(ctx, &inv),
        );
        enqueue(ctx, MailKind::QuestionAnswered, None, &to, &letter).await?;
    }
    Ok(())
}

/// An accompaniment record as written in this transaction (issue 16 §2).
async fn accompaniment(
    ctx: &mut Ctx<'_>,
    id: Uuid,
) -> Result<Option<centrale_domain::accompaniment::AccompanimentOrder>, EngineError> {
    Ok(ctx
        .load(RecordKind::AccompanimentOrder, &id.to_string())
        .await?
        .map(|l| l.value))
}

/// A commune ordered the intercommunale's accompaniment: the centrale's staff are told, to plan
/// it (issue 16 §2).
async fn accompaniment_ordered(ctx: &mut Ctx<'_>, id: Uuid) -> Result<(), EngineError> {
    let Some(a) = accompaniment(ctx, id).await? else {
        return Ok(());
    };
    let commune = commune_name(ctx, &a.commune_nis).await?;
    for r in accounts(ctx, &[Role::CentraleStaff], None).await? {
        let letter = t::accompaniment_ordered(&r.name, &commune, &a);
        enqueue(ctx, MailKind::AccompanimentOrdered, None, &r, &letter).await?;
    }
    Ok(())
}

/// The intercommunale invoiced an accompaniment: the commune's accounts are told its number,
/// amount and due date (issue 16 §2); the invoice itself is in the app, offline too.
async fn accompaniment_invoiced(ctx: &mut Ctx<'_>, id: Uuid) -> Result<(), EngineError> {
    let Some(a) = accompaniment(ctx, id).await? else {
        return Ok(());
    };
    for r in accounts(ctx, &COMMUNE_ROLES, Some(&a.commune_nis)).await? {
        let letter = t::accompaniment_invoiced(&r.name, &a);
        enqueue(ctx, MailKind::AccompanimentInvoiced, None, &r, &letter).await?;
    }
    Ok(())
}

/// The offers of `order_id` were opened (by an act or at the deadline by the scheduler): the
/// commune's accounts and the centrale are told how many offers came.
pub async fn offers_opened(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let received = order.offers_received.unwrap_or(0);
    let mut to = accounts(ctx, &COMMUNE_ROLES, Some(&order.commune_nis)).await?;
    to.extend(accounts(ctx, &[Role::CentraleStaff], None).await?);
    for r in to {
        let letter = t::offers_opened(
            &r.name,
            &order.title,
            received,
            t::app_order_path(&order.title),
        );
        enqueue(ctx, MailKind::OffersOpened, None, &r, &letter).await?;
    }
    Ok(())
}

async fn awarded(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let commune = commune_name(ctx, &order.commune_nis).await?;
    for inv in current_invitations(ctx, &order).await? {
        let Some(outcome) = inv.outcome.clone() else {
            continue;
        };
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let letter = t::award_notification(
            &to.name,
            &order.title,
            &commune,
            outcome.won,
            &outcome.remedies,
            link(ctx, &inv),
        );
        let id = enqueue(ctx, MailKind::AwardNotification, None, &to, &letter).await?;
        // Its own letter as a PDF, typeset by the sender from the record (`mail::attachments`).
        if let Some(document) = centrale_documents::award_letter(&order, inv.provider_id) {
            let attachment = centrale_server_db::MailAttachment {
                order_id: order.id.to_string(),
                document: document.code(),
            };
            ctx.tx.attach_to_message(&id, &attachment).await?;
        }
    }
    Ok(())
}

async fn purchase_order(ctx: &mut Ctx<'_>, order_id: Uuid) -> Result<(), EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(());
    };
    let (Some(award), Some(po)) = (order.award.clone(), order.purchase_order.clone()) else {
        return Ok(());
    };
    let Some(to) = provider(ctx, award.provider_id).await? else {
        return Ok(());
    };
    let commune = commune_name(ctx, &order.commune_nis).await?;
    let invitation = current_invitations(ctx, &order)
        .await?
        .into_iter()
        .find(|i| i.provider_id == award.provider_id);
    let action = match &invitation {
        Some(inv) => link(ctx, inv),
        None => "Sur le portail des prestataires de la centrale".to_string(),
    };
    let manager = po
        .contract_manager
        .as_ref()
        .map(|m| format!("{} ({})", m.name, m.quality));
    let letter = t::purchase_order_issued(
        &to.name,
        &order.title,
        &commune,
        &po.reference,
        manager.as_deref(),
        action,
    );
    enqueue(ctx, MailKind::PurchaseOrderIssued, None, &to, &letter)
        .await
        .map(drop)
}

async fn adhesion(ctx: &mut Ctx<'_>, id: Uuid) -> Result<(), EngineError> {
    let Some(a) = ctx
        .load::<Adhesion>(RecordKind::Adhesion, &id.to_string())
        .await?
        .map(|l| l.value)
    else {
        return Ok(());
    };
    let commune = commune_name(ctx, &a.commune_nis).await?;
    let nis = a.commune_nis.clone();
    match a.status {
        AdhesionStatus::Draft if a.college_decision.is_some() => {
            // The signatories who have not signed yet.
            let mut roles = Vec::new();
            if a.director_general_signature.is_none() {
                roles.push(Role::DirectorGeneral);
            }
            if a.mayor_signature.is_none() {
                roles.push(Role::Mayor);
            }
            for r in accounts(ctx, &roles, Some(&nis)).await? {
                let letter = t::adhesion_awaits(
                    &r.name,
                    &commune,
                    "À signer",
                    "signer la convention d'adhésion",
                    "Adhésion",
                );
                enqueue(ctx, MailKind::AdhesionSignature, None, &r, &letter).await?;
            }
        }
        AdhesionStatus::SignedByCommune | AdhesionStatus::Countersigned => {
            let (todo, what) = if a.status == AdhesionStatus::SignedByCommune {
                (
                    "À contresigner",
                    "contresigner la convention au nom de la centrale",
                )
            } else {
                ("À activer", "activer l'adhésion")
            };
            for r in accounts(ctx, &[Role::CentraleStaff], None).await? {
                let letter =
                    t::adhesion_awaits(&r.name, &commune, todo, what, "Adhésions des communes");
                enqueue(ctx, MailKind::AdhesionSignature, None, &r, &letter).await?;
            }
        }
        AdhesionStatus::Active => {
            for r in accounts(ctx, &COMMUNE_ROLES, Some(&nis)).await? {
                let letter = t::adhesion_activated(&r.name, &commune);
                enqueue(ctx, MailKind::AdhesionActivated, None, &r, &letter).await?;
            }
        }
        AdhesionStatus::Terminated | AdhesionStatus::Draft => {}
    }
    Ok(())
}

/// A signatory signed the termination: the other one is asked to sign it too; once both
/// have, the commune's accounts and the centrale are told when it takes effect.
async fn termination(ctx: &mut Ctx<'_>, id: Uuid) -> Result<(), EngineError> {
    let Some(a) = ctx
        .load::<Adhesion>(RecordKind::Adhesion, &id.to_string())
        .await?
        .map(|l| l.value)
    else {
        return Ok(());
    };
    let Some(notice) = a.termination.clone() else {
        return Ok(());
    };
    let commune = commune_name(ctx, &a.commune_nis).await?;
    if notice.is_given() {
        let mut to = accounts(ctx, &COMMUNE_ROLES, Some(&a.commune_nis)).await?;
        to.extend(accounts(ctx, &[Role::CentraleStaff], None).await?);
        for r in to {
            let letter =
                t::adhesion_terminated(&r.name, &commune, notice.effective_date, &notice.reason);
            enqueue(ctx, MailKind::AdhesionTerminated, None, &r, &letter).await?;
        }
        return Ok(());
    }
    let mut roles = Vec::new();
    if notice.director_general_signature.is_none() {
        roles.push(Role::DirectorGeneral);
    }
    if notice.mayor_signature.is_none() {
        roles.push(Role::Mayor);
    }
    let what = format!(
        "signer à votre tour la résiliation de la convention (motif : {})",
        notice.reason
    );
    for r in accounts(ctx, &roles, Some(&a.commune_nis)).await? {
        let letter = t::adhesion_awaits(&r.name, &commune, "À signer", &what, "Adhésion");
        enqueue(ctx, MailKind::AdhesionSignature, None, &r, &letter).await?;
    }
    Ok(())
}

/// The late milestones of `today`: each is told once per planned date to the commune's
/// accounts, the centrale and the provider (a new planned date that passes is told again).
pub async fn late_milestones(ctx: &mut Ctx<'_>) -> Result<usize, EngineError> {
    use centrale_domain::deployment::{Milestone, MilestoneStatus};
    let milestones: Vec<Milestone> = ctx
        .all::<Milestone>(RecordKind::Milestone)
        .await?
        .into_iter()
        .map(|l| l.value)
        .filter(|m| m.status_on(ctx.today) == MilestoneStatus::Late)
        .collect();
    let mut written = 0;
    for m in milestones {
        let key = format!("milestone_late:{}:{}", m.id, m.planned_date);
        if ctx.tx.message_key_exists(&key).await? {
            continue;
        }
        let Some(order) = order(ctx, m.order_id).await? else {
            continue;
        };
        let commune = commune_name(ctx, &m.commune_nis).await?;
        let label = m.kind.label_fr();
        let mut to: Vec<(Recipient, bool)> = accounts(ctx, &COMMUNE_ROLES, Some(&m.commune_nis))
            .await?
            .into_iter()
            .map(|r| (r, false))
            .collect();
        to.extend(
            accounts(ctx, &[Role::CentraleStaff], None)
                .await?
                .into_iter()
                .map(|r| (r, false)),
        );
        if let Some(p) = provider(ctx, m.provider_id).await? {
            to.push((p, true));
        }
        for (i, (r, for_provider)) in to.iter().enumerate() {
            let action = if *for_provider {
                t::portal_link(&ctx.settings.public_url, "")
                    .trim_end_matches('/')
                    .to_string()
            } else {
                t::app_order_path(&order.title)
            };
            let letter = t::milestone_late(
                &r.name,
                &order.title,
                &commune,
                label,
                m.planned_date,
                *for_provider,
                action,
            );
            // One key per message: the first carries the milestone's, the others derive from it.
            let key = if i == 0 {
                key.clone()
            } else {
                format!("{key}:{i}")
            };
            enqueue(ctx, MailKind::MilestoneLate, Some(key), r, &letter).await?;
            written += 1;
        }
    }
    Ok(written)
}

/// Reminders to every invited provider of a running competition, `days` (3, then 1) before its
/// deadline; each is written once per invitation and deadline (a new deadline gets its own).
pub async fn deadline_reminders(
    ctx: &mut Ctx<'_>,
    order_id: Uuid,
    deadline: DateTime<Utc>,
    days: u32,
) -> Result<usize, EngineError> {
    let Some(order) = order(ctx, order_id).await? else {
        return Ok(0);
    };
    let mut written = 0;
    for inv in current_invitations(ctx, &order).await? {
        if inv.deadline != deadline {
            continue;
        }
        let key = format!("reminder:{days}:{}:{}", inv.id, deadline.timestamp());
        if ctx.tx.message_key_exists(&key).await? {
            continue;
        }
        let Some(to) = provider(ctx, inv.provider_id).await? else {
            continue;
        };
        let letter = t::deadline_reminder(&to.name, &order.title, deadline, days, link(ctx, &inv));
        enqueue(ctx, MailKind::DeadlineReminder, Some(key), &to, &letter).await?;
        written += 1;
    }
    Ok(written)
}
