//! Who signs for a commune, and how a person is named on what they sign.
//!
//! The commune's acts are signed by the bourgmestre and countersigned by the directeur général
//! (CDLD L1132-3). Someone else may sign in their place for a period the commune decides:
//! - the **bourgmestre f.f.** (« faisant fonction »): the échevin who replaces a bourgmestre
//!   absent or « empêché »: the one the bourgmestre delegated, failing that the first échevin
//!   in rank (CDLD L1123-5);
//! - an **échevin délégué**: a member of the collège to whom the bourgmestre delegated in
//!   writing the signature of certain documents (CDLD L1132-4). Which documents is the
//!   bourgmestre's choice, written in his act, and read strictly (Walloon Parliament written
//!   question 466 of 2014-2015); some communes' rules of order keep the letters executing the
//!   conseil's or the collège's decisions for the bourgmestre (Doische). So the delegation
//!   lists its documents ([`DelegatedDocument`]) and the échevin signs those only;
//! - the **directeur général f.f.**: the agent the collège designates when the directeur
//!   général is absent or the post vacant, for three months at most, renewable; for up to
//!   thirty days the collège may let the DG designate (CDLD L1124-19, quoted in the Walloon
//!   Parliament's written question 5 of 2014-2015): the DG's own written act, recorded from
//!   the DG's account (`Organ::DirectorGeneral`).
//!
//! A [`Substitution`] records which account stands in, in which capacity, for which days, on
//! which decision. [`signer_for`] decides, for one signatory act, whether an account signs as
//! the titular, as a substitute covering that day, or not at all. The server's engine and the
//! PC's offline effects both call it.
//!
//! A person's title (« directrice générale », « échevin, bourgmestre f.f. ») comes from the
//! message catalogue (`labels.title.<role or capacity>.<f|m>`), chosen by the person's gender:
//! [`title_fr`]. A signature keeps the title as it was when signed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::adhesion::{DecidingAct, Decision};
use crate::error::ErrorCode;
use crate::permission::{authorize, Act, Actor, Owner, SIGNATORIES};
use crate::role::Role;
use crate::DomainError;

/// How a person is addressed: chooses the gender of their title (« directrice générale » or
/// « directeur général »). An account recorded before this existed reads as
/// [`Gender::Unspecified`], written like the masculine form (the titles the app used before).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Madame.
    Female,
    /// Monsieur.
    Male,
    /// Not recorded (older accounts): the masculine form.
    #[default]
    Unspecified,
}

impl Gender {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Unspecified => "unspecified",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Gender> {
        [Gender::Female, Gender::Male, Gender::Unspecified]
            .into_iter()
            .find(|g| g.as_str() == s)
    }

    /// The catalogue's suffix: `f` or `m`.
    pub fn key(self) -> &'static str {
        match self {
            Gender::Female => "f",
            Gender::Male | Gender::Unspecified => "m",
        }
    }
}

/// In which capacity someone signs for the commune.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The bourgmestre or the directeur général themself (every signature recorded before
    /// substitutes existed).
    #[default]
    Titular,
    /// Échevin replacing the bourgmestre « empêché » (CDLD L1123-5): bourgmestre f.f.
    MayorActing,
    /// Échevin to whom the bourgmestre delegated the signature of the documents his written
    /// act lists (CDLD L1132-4; `Substitution::documents`).
    DelegatedAlderman,
    /// Agent replacing the directeur général: directeur général f.f. (CDLD L1124-19).
    DirectorGeneralActing,
}

impl Capacity {
    /// Stable name, as stored and in error parameters.
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Titular => "titular",
            Capacity::MayorActing => "mayor_acting",
            Capacity::DelegatedAlderman => "delegated_alderman",
            Capacity::DirectorGeneralActing => "director_general_acting",
        }
    }

    /// The signatory a substitute stands in for; `None` for the titular.
    pub fn stands_for(self) -> Option<Role> {
        match self {
            Capacity::Titular => None,
            Capacity::MayorActing | Capacity::DelegatedAlderman => Some(Role::Mayor),
            Capacity::DirectorGeneralActing => Some(Role::DirectorGeneral),
        }
    }

    /// The decision that designates this substitute, as the CDLD reserves it (which organ:
    /// `DecidingAct::allows`); `None` for the titular.
    pub fn designated_by(self) -> Option<DecidingAct> {
        match self {
            Capacity::Titular => None,
            Capacity::MayorActing => Some(DecidingAct::DesignateMayorActing),
            Capacity::DelegatedAlderman => Some(DecidingAct::DelegateMayorsSignature),
            Capacity::DirectorGeneralActing => Some(DecidingAct::DesignateDirectorGeneralActing),
        }
    }

    /// Must the substitute be an échevin (a member of the collège)? The bourgmestre is
    /// replaced by an échevin (CDLD L1123-5) and delegates his signature to members of the
    /// collège (L1132-4); the directeur général f.f. is not required to be one.
    pub fn needs_alderman(self) -> bool {
        matches!(self, Capacity::MayorActing | Capacity::DelegatedAlderman)
    }

    /// The longest one designation covers, in months (a renewal is a new designation):
    /// the directeur général f.f., three months (CDLD L1124-19).
    pub fn max_months(self) -> Option<u32> {
        match self {
            Capacity::DirectorGeneralActing => {
                Some(crate::limits::DIRECTOR_GENERAL_ACTING_MAX_MONTHS)
            }
            _ => None,
        }
    }

    /// The substitute capacities, in the order the forms offer them.
    pub const SUBSTITUTES: [Capacity; 3] = [
        Capacity::MayorActing,
        Capacity::DelegatedAlderman,
        Capacity::DirectorGeneralActing,
    ];
}

/// The documents a bourgmestre may delegate the signature of to an échevin, as his written
/// act lists them (CDLD L1132-4: « la signature de certains documents »; a delegation of
/// signature is read strictly, Walloon Parliament written question 466 of 2014-2015). The
/// app's signatory acts a substitute may sign ([`SUBSTITUTE_SIGNS`]), grouped as the
/// documents they produce.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DelegatedDocument {
    /// The adhesion convention.
    Adhesion,
    /// The notice terminating the convention.
    Termination,
    /// The withdrawal of a competition.
    Withdrawal,
    /// The setting aside of an offer.
    SetAside,
    /// The award, after a competition or direct.
    Award,
    /// The acceptances (provisional, final).
    Acceptance,
}

impl DelegatedDocument {
    /// Every document, in the order the forms offer them.
    pub const ALL: [DelegatedDocument; 6] = [
        DelegatedDocument::Adhesion,
        DelegatedDocument::Termination,
        DelegatedDocument::Withdrawal,
        DelegatedDocument::SetAside,
        DelegatedDocument::Award,
        DelegatedDocument::Acceptance,
    ];

    /// Stable name, as stored and in error parameters (`labels.document.<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            DelegatedDocument::Adhesion => "adhesion",
            DelegatedDocument::Termination => "termination",
            DelegatedDocument::Withdrawal => "withdrawal",
            DelegatedDocument::SetAside => "set_aside",
            DelegatedDocument::Award => "award",
            DelegatedDocument::Acceptance => "acceptance",
        }
    }

    /// The document a signatory act produces; `None` for an act no substitute signs.
    pub fn of(act: Act) -> Option<DelegatedDocument> {
        match act {
            Act::SignAdhesion => Some(DelegatedDocument::Adhesion),
            Act::TerminateAdhesion => Some(DelegatedDocument::Termination),
            Act::WithdrawOrder => Some(DelegatedDocument::Withdrawal),
            Act::SetOfferAside => Some(DelegatedDocument::SetAside),
            Act::AwardOrder | Act::DirectAwardOrder => Some(DelegatedDocument::Award),
            Act::AcceptOrder => Some(DelegatedDocument::Acceptance),
            _ => None,
        }
    }
}

/// A person's title in French, by role, capacity and gender, from the message catalogue
/// (`labels.title`): « directrice générale », « bourgmestre », « échevine, bourgmestre f.f. »,
/// « directeur général f.f. », « agente communale », « chargée de compte de la centrale ».
pub fn title_fr(role: Role, capacity: Capacity, gender: Gender) -> String {
    let key = match capacity {
        Capacity::Titular => role.as_str(),
        other => other.as_str(),
    };
    crate::messages::fr()
        .labels
        .get("title")
        .and_then(|t| t.get(&format!("{key}.{}", gender.key())))
        .cloned()
        .unwrap_or_else(|| role.label_fr().to_string())
}

/// « Name, title », written once for every place that names a person (« Marie Lambert,
/// directrice générale »). An empty title (a signature recorded before titles) gives the name.
pub fn name_with_title(name: &str, title: &str) -> String {
    if title.trim().is_empty() {
        name.to_string()
    } else {
        format!("{name}, {title}")
    }
}

/// A substitution ended before its last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubstitutionEnd {
    /// The first day it no longer covers (the server's day of the revocation).
    pub from_day: NaiveDate,
    /// Who ended it (name and title).
    pub by: String,
    /// Server time.
    pub at: DateTime<Utc>,
}

/// A commune's decision that an account signs in place of the bourgmestre or the directeur
/// général for a period (CDLD L1123-5, L1132-4; DG f.f.).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Substitution {
    /// Record id.
    pub id: Uuid,
    /// The commune.
    pub commune_nis: String,
    /// Bourgmestre f.f., échevin délégué or directeur général f.f. (never titular).
    pub capacity: Capacity,
    /// The substitute's login, as typed by whoever recorded it.
    pub substitute_username: String,
    /// The substitute's account id (filled in by the server from the login; empty on the PC
    /// until the server's copy arrives).
    #[serde(default)]
    pub substitute_user_id: String,
    /// The substitute's name as shown (the server's copy of the account's name).
    #[serde(default)]
    pub substitute_name: String,
    /// The substitute's gender (their title on what they sign).
    #[serde(default)]
    pub substitute_gender: Gender,
    /// First day covered (Brussels calendar day).
    pub from: NaiveDate,
    /// Last day covered, included.
    pub to: NaiveDate,
    /// The decision designating the substitute (organ, reference, date).
    pub decision: Decision,
    /// For a bourgmestre f.f. by rank who is not the first échevin in rank: which échevins
    /// ranked before are absent or « empêchés », and why, as the collège records it (CDLD
    /// L1123-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranked_before_unavailable: Option<String>,
    /// For an échevin délégué: the documents whose signature the bourgmestre's written act
    /// delegates (CDLD L1132-4). `None` for the other substitutes, and on delegations recorded
    /// before the app asked (they covered every signatory act).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<DelegatedDocument>>,
    /// Who recorded it (name and title).
    pub recorded_by: String,
    /// Server time of recording.
    pub recorded_at: DateTime<Utc>,
    /// Ended early, if so.
    #[serde(default)]
    pub ended: Option<SubstitutionEnd>,
}

/// What a signature refers to when a substitute signed: the substitution and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubstitutionRef {
    /// The substitution's id.
    pub id: Uuid,
    /// The decision designating the substitute.
    pub decision: Decision,
}

impl Substitution {
    /// Checks a new substitution on `today` against the commune's others: a substitute
    /// capacity, a login, a period not over and in order, a valid decision taken on or before
    /// the first day, and no overlap with another substitution of the same account.
    pub fn validate(&self, today: NaiveDate, others: &[Substitution]) -> Result<(), DomainError> {
        if self.capacity == Capacity::Titular {
            return Err(DomainError::field(
                ErrorCode::SubstitutionCapacityMissing,
                "capacity",
            ));
        }
        let login = self.substitute_username.trim();
        if login.is_empty() || login.chars().count() > crate::limits::USERNAME_MAX_CHARS {
            return Err(DomainError::field(
                ErrorCode::SubstituteAccountMissing,
                "substitute_username",
            )
            .with("max_chars", crate::limits::USERNAME_MAX_CHARS));
        }
        if self.to < self.from {
            return Err(
                DomainError::field(ErrorCode::SubstitutionPeriodInvalid, "to")
                    .with("kind", "order")
                    .with("from", self.from)
                    .with("to", self.to),
            );
        }
        if self.to < today {
            return Err(
                DomainError::field(ErrorCode::SubstitutionPeriodInvalid, "to")
                    .with("kind", "past")
                    .with("to", self.to)
                    .with("today", today),
            );
        }
        // The organ the CDLD reserves the designation to (L1123-5, L1132-4, L1124-19).
        if let Some(act) = self.capacity.designated_by() {
            self.decision
                .check_for(act, crate::money::Cents(0), today, "decision")?;
        }
        if let Some(months) = self.capacity.max_months() {
            // « Three months at most »: the last day is the day before the same date three
            // months on (from 10/01 to 09/04 included); when that month has no such date, its
            // last day (from 29/11 to 28/02).
            let latest = self
                .from
                .checked_add_months(chrono::Months::new(months))
                .and_then(|d| {
                    if chrono::Datelike::day(&d) == chrono::Datelike::day(&self.from) {
                        d.pred_opt()
                    } else {
                        Some(d)
                    }
                })
                .unwrap_or(NaiveDate::MAX);
            if self.to > latest {
                return Err(DomainError::field(ErrorCode::SubstitutionTooLong, "to")
                    .with("max_months", months)
                    .with("latest", latest)
                    .with("to", self.to));
            }
        }
        // The directeur général's own designation, on the collège's authorisation: thirty
        // days at most, both ends included (CDLD L1124-19).
        if let Some(days) = self.decision.organ.max_designation_days() {
            let latest = self
                .from
                .checked_add_days(chrono::Days::new(u64::from(days.saturating_sub(1))))
                .unwrap_or(NaiveDate::MAX);
            if self.to > latest {
                return Err(
                    DomainError::field(ErrorCode::SubstitutionTooLongOwnAct, "to")
                        .with("max_days", days)
                        .with("latest", latest)
                        .with("to", self.to),
                );
            }
        }
        if self.decision.date > self.from {
            return Err(DomainError::field(
                ErrorCode::SubstitutionDecisionAfterStart,
                "decision.date",
            )
            .with("decision_date", self.decision.date)
            .with("from", self.from));
        }
        // The échevin délégué signs the documents his delegation lists, and only those.
        if self.capacity == Capacity::DelegatedAlderman
            && self.documents.as_ref().is_none_or(Vec::is_empty)
        {
            return Err(DomainError::field(
                ErrorCode::DelegationDocumentsMissing,
                "documents",
            ));
        }
        if let Some(other) = others.iter().find(|o| {
            o.id != self.id
                && o.commune_nis == self.commune_nis
                && o.substitute_username.trim() == login
                && o.overlaps(self.from, self.to)
        }) {
            return Err(DomainError::field(ErrorCode::SubstitutionOverlaps, "from")
                .with("username", login)
                .with("other_capacity", other.capacity.as_str())
                .with("from", other.from)
                .with("to", other.last_day()));
        }
        Ok(())
    }

    /// The last day it covers (the day before it was ended, if ended early).
    pub fn last_day(&self) -> NaiveDate {
        match &self.ended {
            Some(end) => end.from_day.pred_opt().unwrap_or(end.from_day).min(self.to),
            None => self.to,
        }
    }

    /// Does it cover any day of `from..=to`?
    fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.from <= self.last_day() && self.from <= to && from <= self.last_day()
    }

    /// Does it cover `day`?
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.last_day()
    }

    /// Ends the substitution from `today` on (the substitute no longer signs that day).
    /// Ending one already over, or already ended, is refused.
    pub fn end(
        &mut self,
        by: &str,
        at: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), DomainError> {
        if self.ended.is_some() || self.last_day() < today {
            return Err(
                DomainError::rule(ErrorCode::SubstitutionAlreadyOver).with("to", self.last_day())
            );
        }
        self.ended = Some(SubstitutionEnd {
            from_day: today.max(self.from),
            by: by.to_string(),
            at,
        });
        Ok(())
    }
}

/// The acts a substitute signs in the titular's place: every act reserved to the signatories
/// except designating and ending substitutions (the titulars' own act).
pub const SUBSTITUTE_SIGNS: &[Act] = &[
    Act::SignAdhesion,
    Act::TerminateAdhesion,
    Act::WithdrawOrder,
    Act::SetOfferAside,
    Act::AwardOrder,
    Act::DirectAwardOrder,
    Act::AcceptOrder,
];

/// Who signs one act, and as what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The signatory they sign as: the bourgmestre or the directeur général.
    pub role: Role,
    /// Titular or substitute.
    pub capacity: Capacity,
    /// The person's title on the act (« échevine, bourgmestre f.f. »).
    pub title: String,
    /// The substitution relied on, for a substitute.
    pub substitution: Option<SubstitutionRef>,
}

impl Signer {
    /// « Name, title » of the signer.
    pub fn label(&self, name: &str) -> String {
        name_with_title(name, &self.title)
    }
}

/// May `actor` sign `act` (one of the signatories' acts) for `commune` on `today`? The
/// bourgmestre and the directeur général sign as titulars (CDLD L1132-3); any other account
/// of the commune signs only on a day its substitution covers (CDLD L1123-5, L1132-4, DG f.f.),
/// in the place of the signatory the substitution names. Refusals: the matrix's own
/// (`forbidden`, `not_found`) when no substitution names the account, `substitution_not_in_force`
/// when one does but not for that day.
pub fn signer_for(
    actor: &Actor,
    act: Act,
    commune: &str,
    substitutions: &[Substitution],
    today: NaiveDate,
) -> Result<Signer, DomainError> {
    let refused = match authorize(actor, act, Owner::Commune(commune)) {
        Ok(()) if SIGNATORIES.contains(&actor.role) => {
            return Ok(Signer {
                role: actor.role,
                capacity: Capacity::Titular,
                title: title_fr(actor.role, Capacity::Titular, actor.gender),
                substitution: None,
            })
        }
        Ok(()) => return Err(DomainError::NotFound),
        Err(e) => e,
    };
    // Only the signatories' acts may be signed by a substitute; only the commune's own staff.
    if !SUBSTITUTE_SIGNS.contains(&act)
        || actor.role != Role::CommuneStaff
        || actor.commune_nis.as_deref() != Some(commune)
        || actor.user_id.is_empty()
    {
        return Err(refused);
    }
    let mine: Vec<&Substitution> = substitutions
        .iter()
        .filter(|s| s.commune_nis == commune && s.substitute_user_id == actor.user_id)
        .collect();
    if let Some(s) = mine.iter().find(|s| s.covers(today)) {
        let role = s.capacity.stands_for().ok_or(refused)?;
        if let (Some(documents), Some(document)) = (&s.documents, DelegatedDocument::of(act)) {
            if !documents.contains(&document) {
                return Err(DomainError::rule(ErrorCode::DelegationDoesNotCover)
                    .with("document", document.as_str())
                    .with("from", s.from)
                    .with("to", s.last_day()));
            }
        }
        return Ok(Signer {
            role,
            capacity: s.capacity,
            title: title_fr(role, s.capacity, actor.gender),
            substitution: Some(SubstitutionRef {
                id: s.id,
                decision: s.decision.clone(),
            }),
        });
    }
    // Named, but not for today: say for which days (the nearest period first).
    match mine
        .iter()
        .filter(|s| s.last_day() >= s.from)
        .min_by_key(|s| (s.last_day() < today, (s.from - today).num_days().abs()))
    {
        Some(s) => Err(DomainError::rule(ErrorCode::SubstitutionNotInForce)
            .with("capacity", s.capacity.as_str())
            .with("from", s.from)
            .with("to", s.last_day())
            .with("today", today)),
        None => Err(refused),
    }
}

#[cfg(test)]
mod tests;
