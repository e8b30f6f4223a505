//! The outbox: every user action as a named mutation, written with its local effect in one
//! transaction; what was refused or in conflict stays here, with what the user typed, until
//! the user fixes and resends it or discards it.

use centrale_domain::second_factor;
use centrale_protocol::mutations::Mutation;
use centrale_protocol::records::RecordKind;
use centrale_protocol::{Change, Me, MutationEnvelope, SecondFactorProof};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{Result, StoreError};
use crate::{local, meta_get, meta_set, records, Store};

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (its effect shows in the screens).
    Pending,
    /// Refused by the server: to fix and resend, or discard.
    NeedsAttention,
    /// Based on a version another PC changed meanwhile: choose which to keep.
    Conflict,
}

impl OutboxState {
    fn parse(s: &str) -> OutboxState {
        match s {
            "needs_attention" => OutboxState::NeedsAttention,
            "conflict" => OutboxState::Conflict,
            _ => OutboxState::Pending,
        }
    }
}

/// One entry of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxEntry {
    /// Per-client sequence number (the order of sending).
    pub client_seq: i64,
    /// Idempotency key (UUID v7).
    pub mutation_id: Uuid,
    /// Mutation name, e.g. `order.update_draft`.
    pub name: String,
    /// What the user typed.
    pub payload: Value,
    /// For edits: the version it was based on (unknown while it waits for an earlier edit).
    pub base_version: Option<i64>,
    /// The earlier edit of the same record it waits for.
    pub depends_on: Option<Uuid>,
    /// When the user did it (this PC's clock).
    pub created_at: DateTime<Utc>,
    /// Who did it.
    pub created_by: Me,
    /// Where it stands.
    pub state: OutboxState,
    /// The server's code when refused or in conflict.
    pub error_code: Option<String>,
    /// The server's French message.
    pub error_message: Option<String>,
    /// The server's details (field in error, …).
    pub error_details: Option<Value>,
    /// Sends that got no answer.
    pub attempts: i64,
    /// The one-time code of a signing act, until the server answers (never shown).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub second_factor: Option<SecondFactorProof>,
}

impl OutboxEntry {
    /// The envelope to push.
    pub fn envelope(&self) -> MutationEnvelope {
        MutationEnvelope {
            mutation_id: self.mutation_id,
            client_seq: self.client_seq,
            name: self.name.clone(),
            base_version: self.base_version,
            payload: self.payload.clone(),
            second_factor: self.second_factor.clone(),
        }
    }

    /// The typed mutation, when this build can read it.
    pub fn mutation(&self) -> Option<Mutation> {
        Mutation::parse(&self.name, self.payload.clone()).ok()
    }
}

/// Both sides of a conflict, for a side-by-side choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    /// The user's refused edit (what they typed).
    pub mine: OutboxEntry,
    /// The server's current record (the other PC's version).
    pub theirs: Change,
}

/// A mutation written to the outbox with its local effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Queued {
    /// Its id.
    pub mutation_id: Uuid,
    /// Its sequence number.
    pub client_seq: i64,
    /// The records it changed on this PC (none when its effect is only known to the server,
    /// e.g. launching a mini-competition: it shows once synced).
    pub touched: Vec<(RecordKind, String)>,
}

const COLUMNS: &str = "client_seq, mutation_id, name, payload, base_version, depends_on, created_at, created_by, state, error_code, error_message, error_details, attempts, second_factor";

fn entry_of(r: &Row<'_>) -> rusqlite::Result<(OutboxEntry, String, String)> {
    let mutation_id: String = r.get(1)?;
    let payload: String = r.get(3)?;
    let depends_on: Option<String> = r.get(5)?;
    let created_at: String = r.get(6)?;
    let created_by: String = r.get(7)?;
    let state: String = r.get(8)?;
    let details: Option<String> = r.get(11)?;
    let code: Option<String> = r.get(13)?;
    let entry = OutboxEntry {
        client_seq: r.get(0)?,
        mutation_id: Uuid::parse_str(&mutation_id).unwrap_or_default(),
        name: r.get(2)?,
        payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
        base_version: r.get(4)?,
        depends_on: depends_on.and_then(|d| Uuid::parse_str(&d).ok()),
        created_at: DateTime::parse_from_rfc3339(&created_at)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default(),
        created_by: serde_json::from_str(&created_by).unwrap_or_else(|_| unknown_account()),
        state: OutboxState::parse(&state),
        error_code: r.get(9)?,
        error_message: r.get(10)?,
        error_details: details.and_then(|d| serde_json::from_str(&d).ok()),
        attempts: r.get(12)?,
        second_factor: code.and_then(|c| serde_json::from_str(&c).ok()),
    };
    Ok((entry, payload, created_by))
}

fn unknown_account() -> Me {
    Me {
        user_id: String::new(),
        username: String::new(),
        display_name: "compte inconnu".into(),
        role: centrale_protocol::Role::CommuneStaff,
        commune_nis: None,
        provider_id: None,
        gender: Default::default(),
        second_factor: false,
    }
}

pub(crate) fn query(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<OutboxEntry>> {
    let sql = format!("SELECT {COLUMNS} FROM outbox {filter}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| entry_of(r).map(|(e, _, _)| e))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn by_id(conn: &Connection, mutation_id: Uuid) -> Result<Option<OutboxEntry>> {
    Ok(
        query(conn, "WHERE mutation_id = ?1", &[&mutation_id.to_string()])?
            .into_iter()
            .next(),
    )
}

/// The record an edit is about, for mutations that carry a base version.
pub(crate) fn edit_target(mutation: &Mutation) -> Option<(RecordKind, String)> {
    match mutation {
        Mutation::UpdateOrderDraft(p) => Some((RecordKind::Order, p.order_id.to_string())),
        Mutation::DeleteOrderDraft(p) => Some((RecordKind::Order, p.order_id.to_string())),
        _ => None,
    }
}

fn next_client_seq(tx: &Transaction<'_>) -> Result<i64> {
    let stored: i64 = meta_get(tx, "next_client_seq")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let in_outbox: i64 = tx.query_row(
        "SELECT COALESCE(MAX(client_seq), 0) + 1 FROM outbox",
        [],
        |r| r.get(0),
    )?;
    let seq = stored.max(in_outbox);
    meta_set(tx, "next_client_seq", &(seq + 1).to_string())?;
    Ok(seq)
}

/// Writes `mutation` to the outbox with its local effect, as `actor`. A local rule that
/// refuses the action refuses it here, before anything is written.
///
/// `code` is what the person typed where a signing act asks for a one-time code: required
/// when the domain asks for one (`second_factor::asked_for`) and read for its form here; the
/// server checks its value when the act arrives. Kept only for the acts that ask for it.
pub(crate) fn enqueue_in(
    tx: &mut Transaction<'_>,
    actor: &Me,
    mutation: &Mutation,
    now: DateTime<Utc>,
    code: Option<&str>,
) -> Result<Queued> {
    // The code is checked after the act's own rules (as on the server): the person corrects
    // the form first and types the code last.
    let proof = second_factor_proof(actor, mutation, now, code);
    let client_seq = next_client_seq(tx)?;
    let mutation_id = Uuid::now_v7();
    let (base_version, depends_on) = match edit_target(mutation) {
        Some((kind, id)) => base_of(tx, kind, &id)?,
        None => (None, None),
    };
    tx.execute(
        "INSERT INTO outbox (client_seq, mutation_id, name, payload, base_version, depends_on,
           created_at, created_by, state, second_factor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', ?9)",
        params![
            client_seq,
            mutation_id.to_string(),
            mutation.name(),
            serde_json::to_string(&mutation.payload())?,
            base_version,
            depends_on.map(|d| d.to_string()),
            now.to_rfc3339(),
            serde_json::to_string(actor)?,
            proof
                .as_ref()
                .ok()
                .and_then(Option::as_ref)
                .map(serde_json::to_string)
                .transpose()?,
        ],
    )?;
    // A refusal returns before the commit: the entry above is dropped with the transaction.
    let touched = local::apply(tx, actor, client_seq, mutation, now)?;
    proof?;
    Ok(Queued {
        mutation_id,
        client_seq,
        touched,
    })
}

/// The code a signing act carries, checked for its form; `None` for the acts that ask for
/// none (a code typed for them is not kept).
fn second_factor_proof(
    actor: &Me,
    mutation: &Mutation,
    now: DateTime<Utc>,
    code: Option<&str>,
) -> Result<Option<SecondFactorProof>> {
    if !second_factor::asked_for(mutation.act(), actor.role, actor.second_factor) {
        return Ok(None);
    }
    let typed = code.map(str::trim).filter(|c| !c.is_empty());
    let Some(typed) = typed else {
        // A staff account without a second factor is told to turn it on; any other, to type
        // the code.
        let code = if actor.second_factor {
            centrale_domain::error::ErrorCode::SecondFactorRequired
        } else {
            centrale_domain::error::ErrorCode::SecondFactorNotSetUp
        };
        return Err(centrale_domain::DomainError::field(code, "second_factor").into());
    };
    second_factor::parse_code(typed)?;
    Ok(Some(SecondFactorProof {
        code: typed.to_string(),
        typed_at: now,
    }))
}

/// The base of an edit: the server version of the record, or — when an earlier edit of it
/// from this PC is still waiting — that edit, whose answer will give the version.
fn base_of(conn: &Connection, kind: RecordKind, id: &str) -> Result<(Option<i64>, Option<Uuid>)> {
    let earlier: Option<String> = conn
        .query_row(
            "SELECT o.mutation_id FROM outbox o JOIN outbox_touch t ON t.client_seq = o.client_seq
             WHERE t.kind = ?1 AND t.id = ?2 AND o.state = 'pending'
             ORDER BY o.client_seq DESC LIMIT 1",
            params![kind.as_str(), id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(m) = earlier {
        return Ok((None, Uuid::parse_str(&m).ok()));
    }
    Ok((records::get(conn, kind, id)?.map(|r| r.version), None))
}

impl Store {
    /// Records a user action: its local effect and its outbox entry, in one transaction.
    /// Refused before anything is written when a rule forbids it on what this PC knows.
    pub fn enqueue(&self, mutation: &Mutation) -> Result<Queued> {
        self.enqueue_at(mutation, Utc::now())
    }

    /// [`Store::enqueue`] at `now`: the desktop app passes its server-adjusted clock, so the
    /// local rules date acts and count days as the server will (a PC whose clock is a day
    /// behind accepts what the server accepts).
    pub fn enqueue_at(&self, mutation: &Mutation, now: chrono::DateTime<Utc>) -> Result<Queued> {
        self.enqueue_signed_at(mutation, now, None)
    }

    /// [`Store::enqueue_at`] for an act that may ask for a one-time code: `code` is what the
    /// person typed (see `centrale_domain::second_factor`).
    pub fn enqueue_signed_at(
        &self,
        mutation: &Mutation,
        now: chrono::DateTime<Utc>,
        code: Option<&str>,
    ) -> Result<Queued> {
        let actor = self.session()?.ok_or(StoreError::NoSession)?;
        self.write(|tx| enqueue_in(tx, &actor, mutation, now, code))
    }

    /// Every entry still waiting to be sent, in order.
    pub fn pending(&self) -> Result<Vec<OutboxEntry>> {
        self.read(|c| query(c, "WHERE state = 'pending' ORDER BY client_seq", &[]))
    }

    /// The refused changes and the conflicts, in order, with what the user typed.
    pub fn needs_attention(&self) -> Result<Vec<OutboxEntry>> {
        self.read(|c| query(c, "WHERE state <> 'pending' ORDER BY client_seq", &[]))
    }

    /// Counts for the status bar: (pending, needs attention).
    pub fn outbox_counts(&self) -> Result<(i64, i64)> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state <> 'pending'), 0) FROM outbox",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    /// One entry.
    pub fn outbox_entry(&self, mutation_id: Uuid) -> Result<Option<OutboxEntry>> {
        self.read(|c| by_id(c, mutation_id))
    }

    /// Both sides of a conflict.
    pub fn conflict(&self, mutation_id: Uuid) -> Result<Conflict> {
        self.read(|c| {
            let mine = by_id(c, mutation_id)?.ok_or_else(not_in_outbox)?;
            let theirs: Option<String> = c
                .query_row(
                    "SELECT conflict_current FROM outbox WHERE mutation_id = ?1 AND state = 'conflict'",
                    [mutation_id.to_string()],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let theirs = theirs.ok_or_else(|| {
                StoreError::refused("not_a_conflict", "Cette modification n'est pas en conflit.")
            })?;
            Ok(Conflict {
                mine,
                theirs: serde_json::from_str(&theirs)?,
            })
        })
    }

    /// Gives up a refused or conflicting change (the server's state stays).
    pub fn discard(&self, mutation_id: Uuid) -> Result<()> {
        self.write(|tx| remove_settled(tx, mutation_id))
    }

    /// Sends again a refused or conflicting change, as fixed by the user: the old entry goes,
    /// a new mutation (new id, next sequence number, based on the server's current version)
    /// takes its place, in one transaction.
    pub fn resend(&self, mutation_id: Uuid, fixed: &Mutation) -> Result<Queued> {
        self.resend_signed(mutation_id, fixed, None)
    }

    /// [`Store::resend`] with a new one-time code, for a signing act (a code serves once: the
    /// refused one is gone).
    pub fn resend_signed(
        &self,
        mutation_id: Uuid,
        fixed: &Mutation,
        code: Option<&str>,
    ) -> Result<Queued> {
        self.resend_signed_at(mutation_id, fixed, Utc::now(), code)
    }

    /// [`Store::resend_signed`] at `now`, the server-adjusted clock as for
    /// [`Store::enqueue_signed_at`]: the server checks the code for the moment it was typed,
    /// so a PC whose clock is off must date it by the server's.
    pub fn resend_signed_at(
        &self,
        mutation_id: Uuid,
        fixed: &Mutation,
        now: DateTime<Utc>,
        code: Option<&str>,
    ) -> Result<Queued> {
        let actor = self.session()?.ok_or(StoreError::NoSession)?;
        self.write(|tx| {
            remove_settled(tx, mutation_id)?;
            enqueue_in(tx, &actor, fixed, now, code)
        })
    }

    /// Settles a conflict by keeping this PC's version: it is sent again on top of the
    /// other version.
    pub fn keep_mine(&self, mutation_id: Uuid) -> Result<Queued> {
        let conflict = self.conflict(mutation_id)?;
        let mutation = conflict.mine.mutation().ok_or_else(|| {
            StoreError::refused(
                "unreadable_change",
                "Cette modification ne peut plus être relue.",
            )
        })?;
        self.resend(mutation_id, &mutation)
    }
}

/// Removes a refused or conflicting entry (never one still waiting to be sent).
fn remove_settled(conn: &Connection, mutation_id: Uuid) -> Result<()> {
    let removed = conn.execute(
        "DELETE FROM outbox WHERE mutation_id = ?1 AND state <> 'pending'",
        [mutation_id.to_string()],
    )?;
    if removed == 0 {
        return Err(not_in_outbox());
    }
    Ok(())
}

fn not_in_outbox() -> StoreError {
    StoreError::refused(
        "not_in_outbox",
        "Cette modification n'est plus en attente : elle a peut-être déjà été envoyée ou abandonnée.",
    )
}
