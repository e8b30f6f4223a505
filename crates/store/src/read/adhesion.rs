//! The adhesion screen: the commune's convention, where it stands, and the text in force.

use centrale_domain::adhesion::{
    Adhesion, AdhesionStatus, ConventionTemplate, Decision, Signature, Termination,
};
use centrale_domain::permission::{authorize, Act, Owner};
use centrale_domain::role::Role;
use centrale_domain::signatory::{
    signer_for, Capacity, DelegatedDocument, Substitution, SUBSTITUTE_SIGNS,
};
use centrale_protocol::records::RecordKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;
use uuid::Uuid;

use super::live::{self, Live};
use crate::error::Result;

/// What remains to be done before the adhesion is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AdhesionStep {
    /// Record the decision to join (the conseil's, or the collège's by delegation).
    RecordCollegeDecision,
    /// The mayor and/or the director general sign (see `missing_signatures`).
    CommuneSignatures,
    /// The centrale countersigns.
    Countersign,
    /// The centrale activates the adhesion.
    Activate,
}

/// A commune's adhesion as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionView {
    /// Adhesion id.
    pub id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// Where it stands (on the day asked: an active adhesion reads as terminated from its
    /// notice's effective date).
    pub status: AdhesionStatus,
    /// The convention signed (template id).
    pub template_id: Uuid,
    /// Its version.
    pub template_version: u32,
    /// Hash of the text signed.
    pub text_sha256: String,
    /// The decision to join (organ, reference, date).
    pub college_decision: Option<Decision>,
    /// The director general's signature.
    pub director_general_signature: Option<Signature>,
    /// The mayor's signature.
    pub mayor_signature: Option<Signature>,
    /// The centrale's countersignature.
    pub countersignature: Option<Signature>,
    /// When it became active.
    pub activated_at: Option<DateTime<Utc>>,
    /// Notice of termination (with its two signatures; given once both have signed).
    pub termination: Option<Termination>,
    /// The signatories who have not signed the notice of termination yet (while one has).
    pub missing_termination_signatures: Vec<Role>,
    /// The commune signatories who have not signed yet (while a draft).
    pub missing_signatures: Vec<Role>,
    /// What remains to be done (none once active or terminated).
    pub next_step: Option<AdhesionStep>,
    /// True when the commune may order.
    pub allows_orders: bool,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// A version of the convention text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConventionView {
    /// Template id.
    pub id: Uuid,
    /// Version number.
    pub version: u32,
    /// Title (French).
    pub title: String,
    /// The full text, exactly as signed (French).
    pub text: String,
    /// Hex SHA-256 of the text.
    pub sha256: String,
    /// True when the hash is the hash of the text (the text was not altered).
    pub intact: bool,
    /// True for the newest version (the one new adhesions are made on).
    pub in_force: bool,
}

/// Who the signed-in account signs as today for its commune: the titular bourgmestre or
/// directeur général, or a substitute on a day their substitution covers (CDLD L1132-3,
/// L1123-5, L1132-4). The screen offers the sign buttons of that signatory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignerView {
    /// The signatory signed as (`mayor` or `director_general`).
    pub role: Role,
    /// Titular or substitute.
    pub capacity: Capacity,
    /// The title the signature will carry (« échevine, bourgmestre f.f. »).
    pub title: String,
    /// The documents it signs today: every one for a titular or a bourgmestre f.f., those its
    /// delegation lists for an échevin délégué (CDLD L1132-4).
    pub signs: Vec<DelegatedDocument>,
}

/// A substitution as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubstitutionView {
    /// The record.
    pub substitution: Substitution,
    /// True when it covers today.
    pub in_force: bool,
    /// True while its last day is not past (it may still be ended).
    pub may_end: bool,
    /// A local change not yet accepted by the server.
    pub pending: bool,
}

/// The adhesion screen of one commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AdhesionScreen {
    /// The commune.
    pub commune_nis: String,
    /// Its current adhesion (the latest not terminated, else the latest), if any.
    pub adhesion: Option<AdhesionView>,
    /// The text of the adhesion, or the text in force when there is no adhesion yet.
    pub convention: Option<ConventionView>,
    /// The version in force, when it differs from the adhesion's.
    pub newer_convention_version: Option<u32>,
    /// Who the signed-in account signs as today (none: it does not sign for this commune).
    pub signer: Option<SignerView>,
    /// The commune's substitute signatories (newest first).
    pub substitutions: Vec<SubstitutionView>,
    /// True when the signed-in account may designate (and end) a substitute: the commune's
    /// titular bourgmestre or directeur général.
    pub may_designate: bool,
}

/// The view on `today`; `None` shows the status as stored (a list that has no day).
fn view(a: &Live<Adhesion>, today: Option<NaiveDate>) -> AdhesionView {
    let body = &a.body;
    let status = today.map_or(body.status, |d| body.status_on(d));
    let mut missing_termination = Vec::new();
    if let Some(t) = body.termination.as_ref().filter(|t| !t.is_given()) {
        if status == AdhesionStatus::Active {
            if t.mayor_signature.is_none() {
                missing_termination.push(Role::Mayor);
            }
            if t.director_general_signature.is_none() {
                missing_termination.push(Role::DirectorGeneral);
            }
        }
    }
    let mut missing = Vec::new();
    if body.status == AdhesionStatus::Draft {
        if body.mayor_signature.is_none() {
            missing.push(Role::Mayor);
        }
        if body.director_general_signature.is_none() {
            missing.push(Role::DirectorGeneral);
        }
    }
    let next_step = match body.status {
        AdhesionStatus::Draft if body.college_decision.is_none() => {
            Some(AdhesionStep::RecordCollegeDecision)
        }
        AdhesionStatus::Draft => Some(AdhesionStep::CommuneSignatures),
        AdhesionStatus::SignedByCommune => Some(AdhesionStep::Countersign),
        AdhesionStatus::Countersigned => Some(AdhesionStep::Activate),
        AdhesionStatus::Active | AdhesionStatus::Terminated => None,
    };
    AdhesionView {
        id: body.id,
        commune_nis: body.commune_nis.clone(),
        status,
        template_id: body.template_id,
        template_version: body.template_version,
        text_sha256: body.text_sha256.clone(),
        college_decision: body.college_decision.clone(),
        director_general_signature: body.director_general_signature.clone(),
        mayor_signature: body.mayor_signature.clone(),
        countersignature: body.countersignature.clone(),
        activated_at: body.activated_at,
        termination: body.termination.clone(),
        missing_termination_signatures: missing_termination,
        missing_signatures: missing,
        next_step,
        allows_orders: match today {
            Some(d) => body.check_allows_orders(d).is_ok(),
            None => body.status == AdhesionStatus::Active,
        },
        pending: a.pending,
    }
}

fn convention(t: &ConventionTemplate, in_force_version: Option<u32>) -> ConventionView {
    ConventionView {
        id: t.id,
        version: t.version,
        title: t.title_fr.clone(),
        text: t.text_fr.clone(),
        sha256: t.sha256.clone(),
        intact: t.is_intact(),
        in_force: in_force_version == Some(t.version),
    }
}

fn templates(conn: &Connection) -> Result<Vec<ConventionTemplate>> {
    let mut all: Vec<ConventionTemplate> =
        live::of_kind::<ConventionTemplate>(conn, RecordKind::ConventionTemplate, None)?
            .into_iter()
            .map(|t| t.body)
            .collect();
    all.sort_by_key(|t| t.version);
    Ok(all)
}

/// The commune's current adhesion: the latest not terminated (on `today`; as stored when
/// `None`), else the latest.
pub(crate) fn current(
    conn: &Connection,
    commune_nis: &str,
    today: Option<NaiveDate>,
) -> Result<Option<AdhesionView>> {
    let all = live::of_kind::<Adhesion>(conn, RecordKind::Adhesion, Some(commune_nis))?;
    let status = |a: &Live<Adhesion>| today.map_or(a.body.status, |d| a.body.status_on(d));
    let chosen = all
        .iter()
        .rev()
        .find(|a| status(a) != AdhesionStatus::Terminated)
        .or(all.last());
    Ok(chosen.map(|a| view(a, today)))
}

/// Every commune's current adhesion status, by commune, on `today` (as stored when `None`).
pub(crate) fn statuses(
    conn: &Connection,
    today: Option<NaiveDate>,
) -> Result<std::collections::HashMap<String, AdhesionStatus>> {
    let mut out = std::collections::HashMap::new();
    // In id (creation) order: a later adhesion replaces an earlier one unless it is
    // terminated and the earlier one is not.
    for a in live::of_kind::<Adhesion>(conn, RecordKind::Adhesion, None)? {
        let status = today.map_or(a.body.status, |d| a.body.status_on(d));
        let keep_previous = status == AdhesionStatus::Terminated
            && out
                .get(&a.body.commune_nis)
                .is_some_and(|s| *s != AdhesionStatus::Terminated);
        if !keep_previous {
            out.insert(a.body.commune_nis.clone(), status);
        }
    }
    Ok(out)
}

/// Who the signed-in account signs as for `commune_nis` on `today`, and which documents (the
/// domain's `signer_for` over every act a substitute may sign, `SUBSTITUTE_SIGNS`, as the
/// PC's offline effects and the server decide).
pub(crate) fn signer_of(
    conn: &Connection,
    commune_nis: &str,
    today: NaiveDate,
) -> Result<Option<SignerView>> {
    let Some(me) = live::session(conn)? else {
        return Ok(None);
    };
    let records: Vec<Substitution> =
        live::of_kind::<Substitution>(conn, RecordKind::Substitution, Some(commune_nis))?
            .into_iter()
            .map(|s| s.body)
            .collect();
    let actor = me.actor();
    let mut view: Option<SignerView> = None;
    for act in SUBSTITUTE_SIGNS {
        let (Ok(signer), Some(document)) = (
            signer_for(&actor, *act, commune_nis, &records, today),
            DelegatedDocument::of(*act),
        ) else {
            continue;
        };
        let view = view.get_or_insert_with(|| SignerView {
            role: signer.role,
            capacity: signer.capacity,
            title: signer.title,
            signs: Vec::new(),
        });
        if !view.signs.contains(&document) {
            view.signs.push(document);
        }
    }
    Ok(view)
}

/// The adhesion screen of a commune on `today`.
pub(crate) fn screen(
    conn: &Connection,
    commune_nis: &str,
    today: NaiveDate,
) -> Result<AdhesionScreen> {
    let adhesion = current(conn, commune_nis, Some(today))?;
    let templates = templates(conn)?;
    let in_force = templates.last().map(|t| t.version);
    let signed_on = adhesion
        .as_ref()
        .and_then(|a| templates.iter().find(|t| t.id == a.template_id));
    let shown = match &adhesion {
        Some(_) => signed_on,
        None => templates.last(),
    };
    let me = live::session(conn)?;
    let mut substitutions =
        live::of_kind::<Substitution>(conn, RecordKind::Substitution, Some(commune_nis))?;
    substitutions.sort_by_key(|s| std::cmp::Reverse(s.body.from));
    let signer = signer_of(conn, commune_nis, today)?;
    let may_designate = me.as_ref().is_some_and(|me| {
        authorize(
            &me.actor(),
            Act::RecordSubstitution,
            Owner::Commune(commune_nis),
        )
        .is_ok()
    });
    Ok(AdhesionScreen {
        signer,
        may_designate,
        substitutions: substitutions
            .into_iter()
            .map(|s| SubstitutionView {
                in_force: s.body.covers(today),
                may_end: s.body.ended.is_none() && s.body.last_day() >= today,
                pending: s.pending,
                substitution: s.body,
            })
            .collect(),
        commune_nis: commune_nis.to_string(),
        newer_convention_version: match (&adhesion, in_force) {
            (Some(a), Some(v)) if v != a.template_version => Some(v),
            _ => None,
        },
        adhesion,
        convention: shown.map(|t| convention(t, in_force)),
    })
}

/// The convention text in force (the newest version).
pub(crate) fn template_in_force(conn: &Connection) -> Result<Option<ConventionView>> {
    let templates = templates(conn)?;
    let in_force = templates.last().map(|t| t.version);
    Ok(templates.last().map(|t| convention(t, in_force)))
}
