//! The wire types of Centrale's HTTP API (version 1), shared by the server and the desktop
//! client: requests, responses, the records that sync carries and the named mutations.
//!
//! This crate must never contain behaviour beyond (de)serialisation and the protocol's own
//! constants: rules live in `centrale-domain`, storage and I/O in the server and the client.

pub mod mutations;
pub mod records;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

pub use centrale_domain::role::Role;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The oldest client protocol the server still accepts (N and N-1 are supported once N > 1).
pub const MIN_PROTOCOL_VERSION: u32 = 1;
/// Header a client sends with its protocol version; the server stamps its own on responses.
pub const PROTOCOL_HEADER: &str = "x-centrale-protocol";
/// Largest request body the server accepts, in bytes.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Largest number of mutations in one push.
pub const MAX_PUSH_BATCH: usize = 500;
/// Default and largest page of a pull.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
/// Largest page of a pull.
pub const MAX_PULL_LIMIT: u32 = 5000;

/// Where the files of the framework's documents are uploaded and downloaded:
/// `{DOCUMENT_FILES_PATH}/{sha256}` (issue 12 §2).
pub const DOCUMENT_FILES_PATH: &str = "/api/v1/framework-documents";

/// The answer to an upload of a framework document's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentFileStored {
    /// SHA-256 of the content, lower-case hex (the name the file is stored under).
    pub sha256: String,
    /// Its type, recognised from its content.
    pub file_type: centrale_domain::document_file::DocumentFileType,
    /// Its size in bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size_bytes: u64,
    /// False when the same content was already stored (nothing was written).
    pub newly_stored: bool,
}

/// True when the server accepts this client protocol version.
pub fn is_supported(version: u32) -> bool {
    (MIN_PROTOCOL_VERSION..=PROTOCOL_VERSION).contains(&version)
}

/// Every error body: a stable code the client translates, a French message to show when it
/// has no translation, and details (e.g. the field in error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorBody {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// Stable code (`update_needed`, `invalid_credentials`, `invalid_input`, …).
    pub code: String,
    /// Plain French message.
    pub message: String,
    /// Parameters of the message (field, limits, …).
    #[schema(value_type = Object)]
    pub details: Value,
}

/// Stable error codes of the HTTP layer: each is a code of the one `centrale_domain::ErrorCode`
/// enum, with its sentence in the catalogue (`crates/domain/messages/fr.json`).
pub mod codes {
    /// The client's protocol is not supported: it must be updated.
    pub const UPDATE_NEEDED: &str = "update_needed";
    /// No or invalid bearer token.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// Wrong username or password.
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    /// The account is disabled.
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    /// Too many failed logins: wait.
    pub const TOO_MANY_ATTEMPTS: &str = "too_many_attempts";
    /// The body is not valid JSON or not of the expected shape.
    pub const MALFORMED_REQUEST: &str = "malformed_request";
    /// A mutation name nobody knows.
    pub const UNKNOWN_MUTATION: &str = "unknown_mutation";
    /// A field failed validation.
    pub const INVALID_INPUT: &str = "invalid_input";
    /// The body is too large.
    pub const BODY_TOO_LARGE: &str = "body_too_large";
    /// The role may not do this.
    pub const FORBIDDEN: &str = "forbidden";
    /// Not found (or not visible to the caller).
    pub const NOT_FOUND: &str = "not_found";
    /// A server fault; details are in the server's log.
    pub const INTERNAL: &str = "internal_error";
    /// The database is unreachable.
    pub const UNAVAILABLE: &str = "service_unavailable";
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthResponse {
    /// `ok`.
    pub status: String,
    /// The server's version (Cargo package version).
    pub server_version: String,
    /// Protocol version spoken.
    pub protocol_version: u32,
    /// Oldest client protocol accepted.
    pub min_protocol_version: u32,
    /// Server time: the authority for deadlines.
    pub server_time: DateTime<Utc>,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoginRequest {
    /// Account name (e.g. `dg.84009`).
    pub username: String,
    /// Password.
    pub password: String,
    /// A name for this device (shown when revoking), e.g. `PC secrétariat`.
    pub device: String,
}

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Me {
    /// Account id.
    pub user_id: String,
    /// Account name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The commune, for commune roles.
    pub commune_nis: Option<String>,
    /// The provider, for provider users.
    pub provider_id: Option<Uuid>,
    /// How the person is addressed: the gender of their title (« directrice générale »).
    #[serde(default)]
    pub gender: centrale_domain::signatory::Gender,
    /// The account has turned its second factor on: its signing acts carry a one-time code
    /// (`centrale_domain::second_factor`). Absent from older servers: off.
    #[serde(default)]
    pub second_factor: bool,
}

impl Me {
    /// This account as the domain's permission matrix sees it.
    pub fn actor(&self) -> centrale_domain::permission::Actor {
        centrale_domain::permission::Actor {
            user_id: self.user_id.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            commune_nis: self.commune_nis.clone(),
            provider_id: self.provider_id,
            gender: self.gender,
        }
    }

    /// « Name, title » (« Marie Lambert, directrice générale »).
    pub fn title_label(&self) -> String {
        centrale_domain::signatory::name_with_title(&self.display_name, &self.title_fr())
    }

    /// The person's title by role and gender (« directrice générale »), from the catalogue.
    pub fn title_fr(&self) -> String {
        centrale_domain::signatory::title_fr(
            self.role,
            centrale_domain::signatory::Capacity::Titular,
            self.gender,
        )
    }
}

/// Answer to a login: the device token (keep it in the OS keyring).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoginResponse {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// Bearer token for this device; revocable.
    pub token: String,
    /// The account.
    pub user: Me,
}

/// `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MeResponse {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// The account.
    pub user: Me,
    /// Server time.
    pub server_time: DateTime<Utc>,
}

/// Query of `GET /api/v1/sync/pull`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::IntoParams)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
// In the query string (`?cursor=0&limit=500`): utoipa would otherwise declare them as path
// parameters.
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// Last cursor the client stored (0 for a first sync).
    pub cursor: i64,
    /// Page size (default 500, at most 5000).
    pub limit: Option<u32>,
}

/// One change: the whole current record, or a tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Change {
    /// Position in the server's change log.
    pub seq: i64,
    /// Record kind.
    pub kind: records::RecordKind,
    /// Record id.
    pub id: String,
    /// Record version (for optimistic edits).
    pub version: i64,
    /// True for a deletion (tombstone): `record` is then null.
    pub deleted: bool,
    /// The record (its JSON shape depends on `kind`, see `records`).
    #[schema(value_type = Object)]
    pub record: Value,
}

/// Answer to a pull: a page of changes in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PullResponse {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// Changes after the cursor, in order.
    pub changes: Vec<Change>,
    /// Cursor to store once this page is applied.
    pub next_cursor: i64,
    /// True when another page follows.
    pub has_more: bool,
    /// Server time (the authority for deadlines).
    pub server_time: DateTime<Utc>,
    /// The server's procurement settings the screens need before sending a change (absent
    /// from servers older than this field).
    #[serde(default)]
    pub settings: Option<ServerSettings>,
}

/// One change with its record left as the JSON text the server holds: the same wire shape as
/// [`Change`], written by the server and read by the sync client without building a tree of
/// every record (issue 19 §4: an initial sync of 100,000 records spent half its time turning
/// records into trees and back into text).
#[derive(Debug, Serialize, Deserialize)]
pub struct RawChange {
    /// Position in the server's change log.
    pub seq: i64,
    /// Record kind.
    pub kind: records::RecordKind,
    /// Record id.
    pub id: String,
    /// Record version.
    pub version: i64,
    /// True for a deletion (tombstone).
    pub deleted: bool,
    /// The record, as JSON text.
    pub record: Box<serde_json::value::RawValue>,
}

impl RawChange {
    /// The change of a tree-shaped [`Change`] (tests, and the PC's own changes).
    pub fn of(change: &Change) -> Result<RawChange, serde_json::Error> {
        Ok(RawChange {
            seq: change.seq,
            kind: change.kind,
            id: change.id.clone(),
            version: change.version,
            deleted: change.deleted,
            record: serde_json::value::to_raw_value(&change.record)?,
        })
    }
}

/// A pull page as [`PullResponse`], each record as JSON text ([`RawChange`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct RawPullResponse {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// Changes after the cursor, in order.
    pub changes: Vec<RawChange>,
    /// Cursor to store once this page is applied.
    pub next_cursor: i64,
    /// True when another page follows.
    pub has_more: bool,
    /// Server time (the authority for deadlines).
    pub server_time: DateTime<Utc>,
    /// The server's procurement settings.
    #[serde(default)]
    pub settings: Option<ServerSettings>,
}

impl RawPullResponse {
    /// This page's JSON text with `changes` — a JSON array the server's database wrote (see
    /// `Database::pull_page_text_below`) — as its changes; `self.changes` is left empty.
    ///
    /// WHY by splicing: the page is already text, and a page of 500 orders is about 2.5 MB;
    /// parsing it only to write it again was the server's largest cost in an initial sync
    /// (issue 19 §4). The fields are written in their declared order, `changes` right after
    /// the version number, so the first `"changes":[]` is that field.
    pub fn text_with_changes(&self, changes: &str) -> Result<String, serde_json::Error> {
        debug_assert!(self.changes.is_empty(), "the changes come as text");
        let head = serde_json::to_string(self)?;
        let empty = "\"changes\":[]";
        let at = head.find(empty).ok_or_else(|| {
            serde::ser::Error::custom("le champ changes est absent de la page de synchronisation")
        })?;
        let mut text = String::with_capacity(head.len() + changes.len());
        text.push_str(&head[..at]);
        text.push_str("\"changes\":");
        text.push_str(changes);
        text.push_str(&head[at + empty.len()..]);
        Ok(text)
    }
}

/// Procurement settings of the intercommunal server, sent with every pull page so that a
/// form can respect them offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerSettings {
    /// Minimum number of days between launching a mini-competition and its deadline.
    pub min_competition_days: u32,
    /// The intercommunale's name as its documents print it (the server's `centrale_name`);
    /// absent from a server older than this field, and from a cache written before it.
    #[serde(default)]
    pub centrale_name: Option<String>,
}

/// One named mutation as sent by a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MutationEnvelope {
    /// Idempotency key (UUID v7 made by the client).
    pub mutation_id: Uuid,
    /// Per-client sequence number, increasing.
    pub client_seq: i64,
    /// The mutation's name, e.g. `order.submit` (see `mutations::MUTATION_NAMES`).
    pub name: String,
    /// For edits: the version of the record the edit was based on.
    #[serde(default)]
    pub base_version: Option<i64>,
    /// The mutation's arguments (shape depends on `name`).
    #[schema(value_type = Object)]
    pub payload: Value,
    /// The one-time code of a signing act, when the account has a second factor
    /// (`centrale_domain::second_factor::asked_for`). Never stored by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<SecondFactorProof>,
}

/// The one-time code typed for a signing act, and when it was typed on the PC (an act made
/// offline arrives later: the server checks the code for that moment, within a week).
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorProof {
    /// Six digits, or a recovery code.
    pub code: String,
    /// The PC's clock when the code was typed.
    pub typed_at: DateTime<Utc>,
}

impl std::fmt::Debug for SecondFactorProof {
    // A code in a log could be replayed within its 30 seconds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactorProof")
            .field("code", &"…")
            .field("typed_at", &self.typed_at)
            .finish()
    }
}

/// `POST /api/v1/account/second-factor`: a new secret to enter in the authenticator
/// application; the second factor is on once a code from it is confirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecondFactorSetup {
    /// The secret in base32, in groups of four, to type when the QR code cannot be scanned.
    pub secret: String,
    /// The `otpauth://totp/…` address the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG image.
    pub qr_svg: String,
}

/// A one-time code (or a recovery code): confirming or turning off the second factor.
#[derive(Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct SecondFactorCode {
    /// Six digits, or a recovery code.
    pub code: String,
}

impl std::fmt::Debug for SecondFactorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecondFactorCode(…)")
    }
}

/// The second factor is on: the recovery codes, shown once (`K7MZ-Q2XH`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SecondFactorEnabled {
    /// Each serves once in place of a code, when the phone is lost.
    pub recovery_codes: Vec<String>,
}

/// `GET {FAILED_MAIL_PATH}`: the e-mails the server gave up sending (issue 14), for the
/// centrale; `POST {FAILED_MAIL_PATH}/{id}/retry` puts one back in the queue.
pub const FAILED_MAIL_PATH: &str = "/api/v1/mail/failed";

/// An e-mail the server gave up sending (issue 14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FailedMail {
    /// Message id (its `Message-ID`).
    pub id: String,
    /// Event kind (`competition_invitation`, …).
    pub kind: String,
    /// What the kind is, in French (« Invitation à une remise en concurrence », …).
    pub kind_label: String,
    /// Recipient's address.
    pub recipient_email: String,
    /// Recipient's name.
    pub recipient_name: String,
    /// Subject.
    pub subject: String,
    /// Written at.
    pub created_at: DateTime<Utc>,
    /// Attempts made.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attempts: i64,
    /// Given up at.
    pub failed_at: Option<DateTime<Utc>>,
    /// The last error (SMTP answer or connection error).
    pub last_error: Option<String>,
}

/// `POST {FAILED_MAIL_PATH}/{id}/retry`: send it again, to a corrected address when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RetryFailedMail {
    /// The corrected address; `None`: the same.
    #[serde(default)]
    pub to: Option<String>,
}

/// `POST /api/v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PushRequest {
    /// The client's protocol version.
    pub protocol_version: u32,
    /// The installation's id.
    pub client_id: Uuid,
    /// Mutations in the client's order.
    pub mutations: Vec<MutationEnvelope>,
}

/// How one mutation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    /// Applied (now, or earlier: a repeat gets the stored result).
    Applied,
    /// Refused by a rule or a permission; nothing changed. Show it to the user.
    Rejected,
    /// The record changed since `base_version`; the server's record is attached.
    Conflict,
}

/// A record touched by a mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecordRef {
    /// Kind.
    pub kind: records::RecordKind,
    /// Id.
    pub id: String,
    /// Version after the mutation.
    pub version: i64,
}

/// The result of one mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MutationResult {
    /// The mutation.
    pub mutation_id: Uuid,
    /// Applied, rejected or conflict.
    pub status: MutationStatus,
    /// Stable code when rejected or in conflict.
    pub code: Option<String>,
    /// French message when rejected or in conflict.
    pub message: Option<String>,
    /// Parameters (field in error, …).
    #[schema(value_type = Object)]
    pub details: Value,
    /// Records written when applied.
    pub records: Vec<RecordRef>,
    /// For a conflict: the server's current record.
    pub current: Option<Change>,
}

/// Answer to a push: one result per mutation, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PushResponse {
    /// Protocol version of the server.
    pub protocol_version: u32,
    /// Results in the order of the request.
    pub results: Vec<MutationResult>,
    /// Server time.
    pub server_time: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The raw page is the tree page on the wire, both ways, tombstones included.
    #[test]
    fn a_raw_pull_page_is_a_pull_page_on_the_wire() {
        let page = PullResponse {
            protocol_version: PROTOCOL_VERSION,
            changes: vec![
                Change {
                    seq: 7,
                    kind: records::RecordKind::Order,
                    id: "o-1".into(),
                    version: 3,
                    deleted: false,
                    record: serde_json::json!({"id": "o-1", "title": "E-guichet « 2027 »", "lines": [1, 2.5]}),
                },
                Change {
                    seq: 9,
                    kind: records::RecordKind::Offer,
                    id: "f-2".into(),
                    version: 2,
                    deleted: true,
                    record: Value::Null,
                },
            ],
            next_cursor: 9,
            has_more: true,
            server_time: "2026-12-06T10:00:00Z".parse().unwrap(),
            settings: Some(ServerSettings {
                min_competition_days: 10,
                centrale_name: Some("Centrale".into()),
            }),
        };
        let text = serde_json::to_string(&page).unwrap();
        let raw: RawPullResponse = serde_json::from_str(&text).unwrap();
        assert_eq!(
            raw.changes[0].record.get(),
            serde_json::to_string(&page.changes[0].record).unwrap()
        );
        assert_eq!(raw.changes[1].record.get(), "null");
        let again: PullResponse =
            serde_json::from_str(&serde_json::to_string(&raw).unwrap()).unwrap();
        assert_eq!(again, page);
        let of: Vec<RawChange> = page
            .changes
            .iter()
            .map(|c| RawChange::of(c).unwrap())
            .collect();
        assert_eq!(
            serde_json::to_string(&of).unwrap(),
            serde_json::to_string(&page.changes).unwrap()
        );
    }

    /// The server writes a page around changes already in text: the same text as the page
    /// serialised whole, and read back as the same page.
    #[test]
    fn a_page_written_around_its_changes_text_is_the_page() {
        let changes = r#"[{"seq":7,"kind":"order","id":"o-\"1","version":3,"deleted":false,"record":{"id":"o-\"1","changes":[]}}]"#;
        let whole = RawPullResponse {
            protocol_version: PROTOCOL_VERSION,
            changes: serde_json::from_str(changes).unwrap(),
            next_cursor: 7,
            has_more: false,
            server_time: "2026-12-06T10:00:00Z".parse().unwrap(),
            settings: Some(ServerSettings {
                min_competition_days: 10,
                centrale_name: Some("Centrale \"changes\":[]".into()),
            }),
        };
        let head = RawPullResponse {
            changes: Vec::new(),
            settings: whole.settings.clone(),
            ..whole
        };
        let text = head.text_with_changes(changes).unwrap();
        let whole = RawPullResponse {
            changes: serde_json::from_str(changes).unwrap(),
            ..head
        };
        assert_eq!(text, serde_json::to_string(&whole).unwrap());
        let back: PullResponse = serde_json::from_str(&text).unwrap();
        assert_eq!(back.changes[0].id, "o-\"1");
        assert_eq!(back.next_cursor, 7);
    }

    /// The HTTP layer's codes are codes of the one enum, so each has a catalogue sentence.
    #[test]
    fn every_http_code_is_an_error_code() {
        for code in [
            codes::UPDATE_NEEDED,
            codes::UNAUTHORIZED,
            codes::INVALID_CREDENTIALS,
            codes::ACCOUNT_DISABLED,
            codes::TOO_MANY_ATTEMPTS,
            codes::MALFORMED_REQUEST,
            codes::UNKNOWN_MUTATION,
            codes::INVALID_INPUT,
            codes::BODY_TOO_LARGE,
            codes::FORBIDDEN,
            codes::NOT_FOUND,
            codes::INTERNAL,
            codes::UNAVAILABLE,
        ] {
            assert!(centrale_domain::ErrorCode::parse(code).is_some(), "{code}");
        }
    }

    #[test]
    fn supported_versions() {
        assert!(is_supported(PROTOCOL_VERSION));
        assert!(!is_supported(0));
        assert!(!is_supported(PROTOCOL_VERSION + 1));
    }

    #[test]
    fn envelope_round_trips_and_base_version_is_optional() {
        let json = serde_json::json!({
            "mutation_id": "0193a5b0-0000-7000-8000-000000000001",
            "client_seq": 3,
            "name": "order.submit",
            "payload": {"order_id": "0193a5b0-0000-7000-8000-000000000002"}
        });
        let env: MutationEnvelope = serde_json::from_value(json).unwrap();
        assert_eq!(env.base_version, None);
        let back = serde_json::to_value(&env).unwrap();
        assert_eq!(back["name"], "order.submit");
    }
}
