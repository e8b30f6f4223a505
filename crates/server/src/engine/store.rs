//! Typed access to records inside one write transaction, and the visibility of each kind.

use std::collections::BTreeMap;

use centrale_protocol::records::RecordKind;
use centrale_protocol::RecordRef;
use centrale_server_db::{AuditInput, RecordWrite, Visibility, WriteTx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::{EngineError, Rejection};
use crate::actor::Actor;
use crate::Settings;

/// Kind of the server-internal index of open competitions' deadlines (never pulled).
pub const DEADLINE_INDEX: &str = "deadline_index";
/// Kind of the server-internal index of each framework's orders (never pulled): one entry per
/// order, filed under its framework, so that the consumption of a framework's maximum value is
/// read from that framework's orders, not from every order of every commune (docs/scale.md).
pub const FRAMEWORK_ORDER_INDEX: &str = "framework_order_index";

/// A record read from storage, with the version an edit is based on.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The record.
    pub value: T,
    /// Its version.
    pub version: i64,
}

/// Who may see a record of each kind (decided here, on the server, never by a client).
pub fn visibility(
    kind: RecordKind,
    commune: Option<&str>,
    provider: Option<&str>,
    opened: bool,
) -> Visibility {
    let commune = commune.map(str::to_string);
    let provider = provider.map(str::to_string);
    match kind {
        RecordKind::Commune
        | RecordKind::Provider
        | RecordKind::Service
        | RecordKind::Framework
        | RecordKind::ConventionTemplate
        // A commune's public standing (issue 15.9): public acts only, for every account.
        | RecordKind::CommuneStanding
        // The intercommunale's price list of accompaniment services (issue 16 §2).
        | RecordKind::AccompanimentPriceList
        // A survey of the needs is asked of every commune (issue 16 §3).
        | RecordKind::Survey
        // A pooled call-off: which communes joined a common procedure (issue 16 §4).
        | RecordKind::PooledCallOff => Visibility {
            public: true,
            centrale: true,
            commune: None,
            provider: None,
        },
        RecordKind::Adhesion
        | RecordKind::Order
        | RecordKind::Substitution
        | RecordKind::AccompanimentOrder
        // A commune's answers: its own and the centrale's (issue 16 §3).
        | RecordKind::SurveyResponse => Visibility {
            public: false,
            centrale: true,
            commune,
            provider: None,
        },
        RecordKind::Invitation | RecordKind::Milestone => Visibility {
            public: false,
            centrale: true,
            commune,
            provider,
        },
        // An account's mail preferences (issue 14): its own PCs need them (offline, several
        // PCs); the pull has no per-account audience, so they go to the account's audience —
        // its commune, its provider, or the centrale — whose screens show only their own.
        RecordKind::MailPreferences => Visibility {
            public: false,
            centrale: commune.is_none() && provider.is_none(),
            commune,
            provider,
        },
        // A sealed offer is visible to its author only, until the offers are opened.
        RecordKind::Offer => Visibility {
            public: false,
            centrale: opened,
            commune: if opened { commune } else { None },
            provider,
        },
    }
}

/// One mutation's unit of work: the transaction, who acts, and server time.
pub struct Ctx<'a> {
    /// The write transaction.
    pub tx: WriteTx<'a>,
    /// Who acts.
    pub actor: Actor,
    /// Server time.
    pub now: DateTime<Utc>,
    /// Today in Brussels.
    pub today: NaiveDate,
    /// Settings.
    pub settings: &'a Settings,
    /// Records written so far.
    pub written: Vec<RecordRef>,
    /// Orders written so far (by id), each with whether one of its writes could change its
    /// commune's standing (`centrale_domain::standing::order_moves_standing`): an order whose
    /// writes all left it as it counted does not make `standing::refresh_written` read the
    /// commune's every order again. An order written another way is not here: refreshed.
    pub orders_moving_standing: BTreeMap<String, bool>,
}

impl<'a> Ctx<'a> {
    /// A write by `actor` at `now` (the Brussels day derived from it) in `tx`.
    pub fn new(tx: WriteTx<'a>, actor: Actor, now: DateTime<Utc>, settings: &'a Settings) -> Self {
        Ctx {
            tx,
            actor,
            now,
            today: centrale_domain::time::brussels_today(now),
            settings,
            written: vec![],
            orders_moving_standing: BTreeMap::new(),
        }
    }

    /// Reads a record (tombstones read as absent).
    pub async fn load<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Loaded<T>>, EngineError> {
        match self.tx.get_record(kind.as_str(), id).await? {
            Some(row) if !row.deleted => Ok(Some(Loaded {
                value: decode(kind, row.body)?,
                version: row.version,
            })),
            _ => Ok(None),
        }
    }

    /// Reads a record that must exist (else « introuvable »).
    pub async fn require<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        id: &str,
    ) -> Result<Loaded<T>, EngineError> {
        self.load(kind, id)
            .await?
            .ok_or_else(|| Rejection::not_found().into())
    }

    /// Reads the live children of a parent.
    pub async fn children<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
        parent: &str,
    ) -> Result<Vec<Loaded<T>>, EngineError> {
        let rows = self.tx.list_children(kind.as_str(), parent).await?;
        live(kind, rows)
    }

    /// Reads every live record of a kind.
    pub async fn all<T: DeserializeOwned>(
        &mut self,
        kind: RecordKind,
    ) -> Result<Vec<Loaded<T>>, EngineError> {
        let rows = self.tx.list_records(kind.as_str()).await?;
        live(kind, rows)
    }

    /// Writes a record as the next version after `previous` (None: a new record).
    pub async fn save<T: Serialize>(
        &mut self,
        kind: RecordKind,
        id: &str,
        value: &T,
        previous: Option<i64>,
        parent: Option<&str>,
        visibility: Visibility,
    ) -> Result<i64, EngineError> {
        let body = serde_json::to_value(value).map_err(|e| EngineError::Internal(e.to_string()))?;
        self.write(kind, id, body, false, previous, parent, visibility)
            .await
    }

    /// Deletes a record, leaving a tombstone for clients.
    pub async fn delete(
        &mut self,
        kind: RecordKind,
        id: &str,
        previous: i64,
        parent: Option<&str>,
        visibility: Visibility,
    ) -> Result<i64, EngineError> {
        self.write(
            kind,
            id,
            Value::Null,
            true,
            Some(previous),
            parent,
            visibility,
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write(
        &mut self,
        kind: RecordKind,
        id: &str,
        body: Value,
        deleted: bool,
        previous: Option<i64>,
        parent: Option<&str>,
        visibility: Visibility,
    ) -> Result<i64, EngineError> {
        let version = previous.unwrap_or(0) + 1;
        self.tx
            .put_record(&RecordWrite {
                kind: kind.as_str().to_string(),
                id: id.to_string(),
                version,
                deleted,
                parent_id: parent.map(str::to_string),
                body,
                format_version: kind.format_version(),
                visibility,
                updated_at: self.now,
            })
            .await?;
        self.written.push(RecordRef {
            kind,
            id: id.to_string(),
            version,
        });
        Ok(version)
    }

    /// Writes or removes the server-internal deadline index entry of an order: a record no
    /// client can see, so the scheduler finds due competitions without reading every order.
    pub async fn index_deadline(
        &mut self,
        order_id: &str,
        deadline: Option<DateTime<Utc>>,
    ) -> Result<(), EngineError> {
        let previous = self
            .tx
            .get_record(DEADLINE_INDEX, order_id)
            .await?
            .map_or(0, |r| r.version);
        self.tx
            .put_record(&RecordWrite {
                kind: DEADLINE_INDEX.to_string(),
                id: order_id.to_string(),
                version: previous + 1,
                deleted: deadline.is_none(),
                parent_id: None,
                body: serde_json::json!({ "deadline": deadline }),
                // The server's own index: one format so far.
                format_version: 1,
                visibility: Visibility::default(),
                updated_at: self.now,
            })
            .await?;
        Ok(())
    }

    /// Files `order_id` under its framework in the server-internal index, once (an order never
    /// changes framework). True when the entry was written now.
    pub async fn index_framework_order(
        &mut self,
        order_id: &str,
        framework_id: &str,
    ) -> Result<bool, EngineError> {
        if self
            .tx
            .get_record(FRAMEWORK_ORDER_INDEX, order_id)
            .await?
            .is_some()
        {
            return Ok(false);
        }
        self.tx
            .put_record(&RecordWrite {
                kind: FRAMEWORK_ORDER_INDEX.to_string(),
                id: order_id.to_string(),
                version: 1,
                deleted: false,
                parent_id: Some(framework_id.to_string()),
                body: serde_json::json!({}),
                format_version: 1,
                visibility: Visibility::default(),
                updated_at: self.now,
            })
            .await?;
        Ok(true)
    }

    /// The ids of the orders filed under `framework_id` in the index.
    pub async fn framework_order_ids(
        &mut self,
        framework_id: &str,
    ) -> Result<Vec<String>, EngineError> {
        Ok(self
            .tx
            .list_children(FRAMEWORK_ORDER_INDEX, framework_id)
            .await?
            .into_iter()
            .filter(|r| !r.deleted)
            .map(|r| r.id)
            .collect())
    }

    /// Appends to the audit log, in the same transaction as the change.
    pub async fn audit(
        &mut self,
        action: &str,
        kind: Option<RecordKind>,
        id: Option<&str>,
        details: Value,
    ) -> Result<(), EngineError> {
        self.tx
            .append_audit(&AuditInput {
                at: self.now,
                actor: format!("{} ({})", self.actor.username, self.actor.role.as_str()),
                action: action.to_string(),
                record_kind: kind.map(|k| k.as_str().to_string()),
                record_id: id.map(str::to_string),
                details,
            })
            .await?;
        Ok(())
    }
}

fn live<T: DeserializeOwned>(
    kind: RecordKind,
    rows: Vec<centrale_server_db::RecordRow>,
) -> Result<Vec<Loaded<T>>, EngineError> {
    rows.into_iter()
        .filter(|r| !r.deleted)
        .map(|r| {
            Ok(Loaded {
                value: decode(kind, r.body)?,
                version: r.version,
            })
        })
        .collect()
}

fn decode<T: DeserializeOwned>(kind: RecordKind, body: Value) -> Result<T, EngineError> {
    serde_json::from_value(body)
        .map_err(|e| EngineError::Internal(format!("stored {} cannot be read: {e}", kind.as_str())))
}
