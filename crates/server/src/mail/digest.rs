//! The daily digest (issue 14 §1): an account that chose « un résumé quotidien » for a kind of
//! message gets those messages held (`delivery = 'digest'`), then, once a day at
//! `mail_digest_hour` (Brussels time), one message listing each held message's subject and
//! where to act. The digest is an ordinary outbox message with the key
//! `digest:<account>:<day>`, written in one transaction with the marking of the held ones:
//! written once per account and day even by several servers at once (the second insert finds
//! the key taken and its transaction is dropped), and sent once by the ordinary sender. A held
//! message committed after its day's digest was written waits for the next day's.

use centrale_domain::mail::{last_digest_moment, salutation_fr};
use centrale_domain::role::Role;
use centrale_domain::signatory::Gender;
use centrale_server_db::{DbError, MessageRow, NewMessage};
use chrono::NaiveDate;
use uuid::Uuid;

use super::templates::{self as t, Letter};
use crate::state::AppState;

/// Writes the digests due at the server's time: one per account with held messages; returns
/// how many were written (by this server).
pub async fn write_due_digests(state: &AppState) -> Result<usize, DbError> {
    let now = state.clock.now();
    let (day, moment) = last_digest_moment(now, state.settings.mail_digest_hour);
    let mut written = 0;
    for account in state.db.accounts_with_held_messages(moment).await? {
        let salutation = greeting(state, &account).await?;
        let mut tx = state.db.write().await?;
        let held = tx.held_messages(&account, moment).await?;
        let Some(last) = held.last() else {
            continue;
        };
        let letter = digest_letter(salutation, day, &held);
        let digest_id = Uuid::now_v7().to_string();
        let inserted = tx
            .enqueue_message(&NewMessage {
                id: digest_id.clone(),
                kind: "daily_digest".into(),
                dedup_key: Some(format!("digest:{account}:{day}")),
                recipient_email: last.recipient_email.clone(),
                recipient_name: last.recipient_name.clone(),
                recipient_account: Some(account.clone()),
                subject: letter.subject.clone(),
                body_text: letter.text(),
                body_html: letter.html(),
                created_at: now,
            })
            .await?;
        if !inserted {
            // Another server wrote this day's digest: it lists what it saw; the rest waits.
            tx.rollback().await?;
            continue;
        }
        let ids: Vec<String> = held.iter().map(|m| m.id.clone()).collect();
        tx.mark_in_digest(&ids, &digest_id).await?;
        tx.commit().await?;
        written += 1;
    }
    Ok(written)
}

/// The digest's greeting: a person's gendered quality, a provider's name.
async fn greeting(state: &AppState, account: &str) -> Result<Option<String>, DbError> {
    if account.starts_with("provider:") {
        return Ok(None);
    }
    Ok(state.db.find_user_by_id(account).await?.and_then(|u| {
        let role = Role::parse(&u.role)?;
        Some(salutation_fr(
            &u.display_name,
            role,
            Gender::parse(&u.gender).unwrap_or_default(),
        ))
    }))
}

fn digest_letter(greeting: Option<String>, day: NaiveDate, held: &[MessageRow]) -> Letter {
    let name = held.last().map_or("", |m| m.recipient_name.as_str());
    let items = held
        .iter()
        .map(|m| match &m.action {
            Some(action) => format!("{} — {action}", m.subject),
            None => m.subject.clone(),
        })
        .collect();
    t::daily_digest(greeting.unwrap_or_else(|| t::hello(name)), day, items)
}
