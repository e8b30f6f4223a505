//! Substitute signatories decided once: the commune's titulars record who signs in the place
//! of the bourgmestre or the directeur général for a period (the bourgmestre f.f., an échevin
//! délégué, the directeur général f.f.: CDLD L1123-5, L1132-4), and end it early.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::found;
use crate::adhesion::Decision;
use crate::permission::{authorize, Act, Actor, Owner};
use crate::role::Role;
use crate::signatory::{name_with_title, title_fr, Capacity, Gender, Substitution};
use crate::time::brussels_today;
use crate::{DomainError, ErrorCode};

/// An account as the server knows it (the substitute named by their login).
#[derive(Debug, Clone, Copy)]
pub struct Account<'a> {
    /// Account id.
    pub user_id: &'a str,
    /// Name shown.
    pub display_name: &'a str,
    /// Role (`None`: a role this build does not know).
    pub role: Option<Role>,
    /// Its commune, if a commune account.
    pub commune_nis: Option<&'a str>,
    /// A disabled account signs nothing.
    pub disabled: bool,
    /// How the person is addressed.
    pub gender: Gender,
    /// An échevin (a member of the collège), as the centrale recorded on the account.
    pub alderman: bool,
    /// The échevin's rank (1 = first échevin), from the pacte de majorité (CDLD L1123-8), as
    /// the centrale recorded it.
    pub alderman_rank: Option<u32>,
    /// Of Belgian nationality, as the centrale recorded it: only such an échevin replaces
    /// the bourgmestre (CDLD L1123-5).
    pub belgian: bool,
}

/// What the deciding side knows of the substitute's account.
#[derive(Debug, Clone, Copy)]
pub enum SubstituteAccount<'a> {
    /// The server: the account with the login typed, if any.
    Looked(Option<Account<'a>>),
    /// The PC: the commune's accounts are the server's to check; until the server's copy of
    /// the substitution arrives, the login stands for the name.
    NotKnown,
}

/// « Name, title » of a titular acting.
fn titular_label(actor: &Actor) -> String {
    name_with_title(
        &actor.display_name,
        &title_fr(actor.role, Capacity::Titular, actor.gender),
    )
}

/// `substitution.record`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The new substitution's id.
    pub substitution_id: Uuid,
    /// The id is already a substitution's.
    pub id_taken: bool,
    /// The commune's substitutions (ended ones too: an account is not named twice for a day).
    pub others: &'a [Substitution],
    /// In whose place, as what.
    pub capacity: Capacity,
    /// The substitute's login as typed.
    pub substitute_username: &'a str,
    /// The account with that login.
    pub account: SubstituteAccount<'a>,
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered.
    pub to: NaiveDate,
    /// The decision designating the substitute.
    pub decision: &'a Decision,
    /// The commune's échevins as the server knows them (empty on the PC, which leaves the
    /// ranks to the server as it leaves the accounts).
    pub aldermen: &'a [Account<'a>],
    /// For a bourgmestre f.f. by rank who is not the first in rank: which échevins ranked
    /// before are empêchés, and why.
    pub ranked_before_unavailable: Option<&'a str>,
    /// For an échevin délégué: the documents the bourgmestre's act delegates.
    pub documents: Option<&'a [crate::signatory::DelegatedDocument]>,
}

/// A titular (the bourgmestre or the directeur général) records a substitute for their
/// commune: a period not over (three months at most for a directeur général f.f.), a decision
/// of the organ the CDLD reserves it to, taken by its first day, no overlap for the same
/// account (`Substitution::validate`); the bourgmestre's own written act is recorded by the
/// bourgmestre; the substitute is a staff account of this commune, enabled — never a
/// titular's own account, never another commune's — and an échevin to stand in for the
/// bourgmestre (CDLD L1123-5, L1132-4, L1124-19).
pub fn record(
    actor: &Actor,
    input: Record<'_>,
    now: DateTime<Utc>,
) -> Result<Substitution, DomainError> {
    // The role first (`forbidden`), then the commune the account belongs to.
    authorize(actor, Act::RecordSubstitution, Owner::Own)?;
    let commune = actor.commune_nis.as_deref().ok_or(DomainError::NotFound)?;
    authorize(actor, Act::RecordSubstitution, Owner::Commune(commune))?;
    if input.id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.substitution_id));
    }
    let username = input.substitute_username.trim().to_string();
    let mut substitution = Substitution {
        id: input.substitution_id,
        commune_nis: commune.to_string(),
        capacity: input.capacity,
        substitute_username: username.clone(),
        substitute_user_id: String::new(),
        substitute_name: String::new(),
        substitute_gender: Gender::Unspecified,
        from: input.from,
        to: input.to,
        decision: input.decision.clone(),
        ranked_before_unavailable: input
            .ranked_before_unavailable
            .filter(|_| input.capacity == Capacity::MayorActing)
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        documents: input
            .documents
            .filter(|_| input.capacity == Capacity::DelegatedAlderman)
            .map(|d| {
                let mut d = d.to_vec();
                d.sort();
                d.dedup();
                d
            }),
        recorded_by: titular_label(actor),
        recorded_at: now,
        ended: None,
    };
    substitution.validate(brussels_today(now), input.others)?;
    // The bourgmestre's written act (his delegation, his choice of the bourgmestre f.f.) is
    // his own, and so is the directeur général's designation of his replacement on the
    // collège's authorisation: the other titular records only what the collège decided.
    match input.decision.organ.recorded_by() {
        Some(role) if role != actor.role => {
            let error = if role == Role::Mayor {
                DomainError::field(ErrorCode::DesignationMayorsOwnAct, "decision.organ")
                    .with("capacity", input.capacity.as_str())
            } else {
                DomainError::field(
                    ErrorCode::DesignationDirectorGeneralsOwnAct,
                    "decision.organ",
                )
            };
            return Err(error);
        }
        _ => {}
    }
    match input.account {
        SubstituteAccount::Looked(account) => {
            let Some(account) = account.filter(|a| {
                !a.disabled && a.commune_nis == Some(commune) && a.role == Some(Role::CommuneStaff)
            }) else {
                return Err(DomainError::field(
                    ErrorCode::SubstituteAccountInvalid,
                    "substitute_username",
                )
                .with("username", username));
            };
            if input.capacity.needs_alderman() && !account.alderman {
                return Err(DomainError::field(
                    ErrorCode::SubstituteNotAlderman,
                    "substitute_username",
                )
                .with("username", username)
                .with("capacity", input.capacity.as_str()));
            }
            if input.capacity == Capacity::MayorActing {
                check_mayor_acting(&account, input.aldermen, &substitution)?;
            }
            substitution.substitute_user_id = account.user_id.to_string();
            substitution.substitute_name = account.display_name.to_string();
            substitution.substitute_gender = account.gender;
        }
        SubstituteAccount::NotKnown => substitution.substitute_name = username,
    }
    Ok(substitution)
}

/// The bourgmestre f.f. is an échevin of Belgian nationality: the one the bourgmestre
/// delegated by his written act, failing that the first in rank (CDLD L1123-5), the ranks
/// being the order of the pacte de majorité (L1123-8). When the collège records one who is
/// not the first in rank, it says which échevins ranked before are empêchés.
fn check_mayor_acting(
    account: &Account<'_>,
    aldermen: &[Account<'_>],
    substitution: &Substitution,
) -> Result<(), DomainError> {
    let username = &substitution.substitute_username;
    if !account.belgian {
        return Err(
            DomainError::field(ErrorCode::SubstituteNotBelgian, "substitute_username")
                .with("username", username),
        );
    }
    if substitution.decision.organ.recorded_by().is_some() {
        // The bourgmestre's own choice: any Belgian échevin.
        return Ok(());
    }
    let Some(rank) = account.alderman_rank else {
        return Err(
            DomainError::field(ErrorCode::AldermanRankMissing, "substitute_username")
                .with("username", username),
        );
    };
    let first = aldermen
        .iter()
        .filter(|a| {
            a.user_id != account.user_id
                && a.alderman
                && a.belgian
                && !a.disabled
                && a.commune_nis == account.commune_nis
        })
        .filter_map(|a| a.alderman_rank.filter(|r| *r < rank).map(|r| (r, a)))
        .min_by_key(|(r, _)| *r);
    let Some((first_rank, first)) = first else {
        return Ok(());
    };
    let stated = substitution
        .ranked_before_unavailable
        .as_deref()
        .map_or(0, |t| t.chars().count());
    let (min, max) = (
        crate::limits::RANKED_BEFORE_UNAVAILABLE_MIN_CHARS,
        crate::limits::RANKED_BEFORE_UNAVAILABLE_MAX_CHARS,
    );
    if stated < min || stated > max {
        return Err(DomainError::field(
            ErrorCode::SubstituteNotFirstInRank,
            "ranked_before_unavailable",
        )
        .with("username", username)
        .with("rank", rank)
        .with("first_name", first.display_name)
        .with("first_rank", first_rank)
        .with("min_chars", min)
        .with("max_chars", max));
    }
    Ok(())
}

/// `substitution.end`: a titular of the commune ends a substitution from the server's day on
/// (`Substitution::end`: not one already over or ended).
pub fn end(
    actor: &Actor,
    substitution: Option<&Substitution>,
    now: DateTime<Utc>,
) -> Result<Substitution, DomainError> {
    let mut substitution = found(substitution)?.clone();
    authorize(
        actor,
        Act::EndSubstitution,
        Owner::Commune(&substitution.commune_nis),
    )?;
    substitution.end(&titular_label(actor), now, brussels_today(now))?;
    Ok(substitution)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::adhesion::Organ;
    use crate::fixtures::date;

    use crate::fixtures::now;

    fn actor(role: Role) -> Actor {
        crate::fixtures::actor(role, Gender::Male)
    }

    fn decision() -> Decision {
        Decision {
            organ: Organ::College,
            reference: "COL/2026/5".into(),
            date: date(2026, 11, 20),
            financial_opinion: None,
        }
    }

    /// The commune's agent Julie Martin, an échevine.
    fn julie(commune: &str, role: Role, disabled: bool) -> Account<'_> {
        Account {
            user_id: "u-julie",
            display_name: "Julie Martin",
            role: Some(role),
            commune_nis: Some(commune),
            disabled,
            gender: Gender::Female,
            alderman: true,
            alderman_rank: Some(1),
            belgian: true,
        }
    }

    fn input<'a>(
        others: &'a [Substitution],
        account: SubstituteAccount<'a>,
        decision: &'a Decision,
    ) -> Record<'a> {
        Record {
            substitution_id: Uuid::from_u128(9),
            id_taken: false,
            others,
            capacity: Capacity::MayorActing,
            substitute_username: " echevine.84009 ",
            account,
            from: date(2026, 11, 29),
            to: date(2026, 12, 31),
            decision,
            aldermen: &[],
            ranked_before_unavailable: None,
            // Used by an échevin délégué only (the others keep none).
            documents: Some(&crate::signatory::DelegatedDocument::ALL),
        }
    }

    fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> ErrorCode {
        r.unwrap_err().code()
    }

    #[test]
    fn rule_cdld_l1123_5_the_titulars_record_a_substitute_of_their_commune() {
        let d = decision();
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        let mayor = actor(Role::Mayor);
        let s = record(&mayor, input(&[], known, &d), now()).unwrap();
        assert_eq!(
            (
                s.substitute_username.as_str(),
                s.substitute_user_id.as_str()
            ),
            ("echevine.84009", "u-julie")
        );
        assert_eq!(
            (s.substitute_name.as_str(), s.substitute_gender),
            ("Julie Martin", Gender::Female)
        );
        assert_eq!(s.commune_nis, "84009");
        assert_eq!(s.recorded_by, "Mayor, bourgmestre");
        assert_eq!(s.recorded_at, now());
        // A substitute does not designate another one; nor the centrale.
        for role in [Role::CommuneStaff, Role::CentraleStaff] {
            assert_eq!(
                code(record(&actor(role), input(&[], known, &d), now())),
                ErrorCode::Forbidden
            );
        }
        let mut taken = input(&[], known, &d);
        taken.id_taken = true;
        assert_eq!(code(record(&mayor, taken, now())), ErrorCode::DuplicateId);
        // The same account is not named twice for a day.
        assert_eq!(
            code(record(
                &mayor,
                input(
                    &[Substitution {
                        id: Uuid::from_u128(8),
                        ..s
                    }],
                    known,
                    &d
                ),
                now()
            )),
            ErrorCode::SubstitutionOverlaps
        );
        // Checked before the account: a period already over.
        let mut past = input(&[], SubstituteAccount::Looked(None), &d);
        past.to = date(2026, 11, 28);
        assert_eq!(
            code(record(&mayor, past, now())),
            ErrorCode::SubstitutionPeriodInvalid
        );
    }

    #[test]
    fn rule_cdld_l1123_5_the_substitute_is_an_enabled_staff_account_of_the_commune() {
        let d = decision();
        let mayor = actor(Role::Mayor);
        for account in [
            None,
            Some(julie("81001", Role::CommuneStaff, false)),
            Some(julie("84009", Role::DirectorGeneral, false)),
            Some(julie("84009", Role::CommuneStaff, true)),
        ] {
            assert_eq!(
                code(record(
                    &mayor,
                    input(&[], SubstituteAccount::Looked(account), &d),
                    now()
                )),
                ErrorCode::SubstituteAccountInvalid,
                "{account:?}"
            );
        }
        // The PC does not know the accounts: the login stands for the name until the server's
        // copy arrives.
        let s = record(&mayor, input(&[], SubstituteAccount::NotKnown, &d), now()).unwrap();
        assert_eq!(
            (s.substitute_name.as_str(), s.substitute_user_id.as_str()),
            ("echevine.84009", "")
        );
    }

    #[test]
    fn end_a_substitution_from_the_servers_day_by_a_titular_of_its_commune() {
        let d = decision();
        let s = record(
            &actor(Role::Mayor),
            input(&[], SubstituteAccount::NotKnown, &d),
            now(),
        )
        .unwrap();
        assert_eq!(
            code(end(&actor(Role::DirectorGeneral), None, now())),
            ErrorCode::NotFound
        );
        let other = Actor {
            commune_nis: Some("81001".into()),
            ..actor(Role::DirectorGeneral)
        };
        assert_eq!(code(end(&other, Some(&s), now())), ErrorCode::NotFound);
        assert_eq!(
            code(end(&actor(Role::CommuneStaff), Some(&s), now())),
            ErrorCode::Forbidden
        );
        let ended = end(&actor(Role::DirectorGeneral), Some(&s), now()).unwrap();
        let e = ended.ended.as_ref().unwrap();
        assert_eq!((e.from_day, e.at), (date(2026, 11, 29), now()));
        assert_eq!(e.by, "DirectorGeneral, directeur général");
        assert_eq!(
            code(end(&actor(Role::DirectorGeneral), Some(&ended), now())),
            ErrorCode::SubstitutionAlreadyOver
        );
    }

    /// The directeur général's own act, on the collège's authorisation of 05/11/2026.
    fn dgs_act() -> Decision {
        Decision {
            organ: Organ::DirectorGeneral {
                authorisation_date: date(2026, 11, 5),
            },
            reference: "DG/2026/7".into(),
            ..decision()
        }
    }

    fn mayors_act() -> Decision {
        Decision {
            organ: Organ::Mayor,
            reference: "BGM/2026/3".into(),
            ..decision()
        }
    }

    #[test]
    fn rule_cdld_l1123_5_l1132_4_only_an_alderman_stands_in_for_the_bourgmestre() {
        let d = decision();
        let agent = Account {
            alderman: false,
            ..julie("84009", Role::CommuneStaff, false)
        };
        let mayor = actor(Role::Mayor);
        for (capacity, decision) in [
            (Capacity::MayorActing, decision()),
            (Capacity::DelegatedAlderman, mayors_act()),
        ] {
            let mut refused = input(&[], SubstituteAccount::Looked(Some(agent)), &decision);
            refused.capacity = capacity;
            let err = record(&mayor, refused, now()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::SubstituteNotAlderman, "{capacity:?}");
            assert_eq!(err.params()["capacity"], capacity.as_str());
        }
        // A directeur général f.f. need not be an échevin: an agent of the administration.
        let mut dg = input(&[], SubstituteAccount::Looked(Some(agent)), &d);
        dg.capacity = Capacity::DirectorGeneralActing;
        let s = record(&mayor, dg, now()).unwrap();
        assert_eq!(s.substitute_user_id, "u-julie");
    }

    #[test]
    fn rule_cdld_l1132_4_the_bourgmestres_written_act_is_recorded_by_the_bourgmestre() {
        let act = mayors_act();
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        for capacity in [Capacity::DelegatedAlderman, Capacity::MayorActing] {
            let mut by_act = input(&[], known, &act);
            by_act.capacity = capacity;
            assert_eq!(
                code(record(&actor(Role::DirectorGeneral), by_act, now())),
                ErrorCode::DesignationMayorsOwnAct,
                "{capacity:?}"
            );
            let s = record(&actor(Role::Mayor), by_act, now()).unwrap();
            assert_eq!(s.decision.organ, Organ::Mayor);
        }
        // The first échevin in rank, as the collège records it: either titular enters it.
        let d = decision();
        record(&actor(Role::DirectorGeneral), input(&[], known, &d), now()).unwrap();
    }

    #[test]
    fn rule_cdld_the_organ_designating_each_substitute() {
        let mayor = actor(Role::Mayor);
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        let conseil = Decision {
            organ: Organ::Conseil,
            ..decision()
        };
        // (capacity, organ, allowed) — L1123-5, L1132-4, L1124-19.
        let cases = [
            (Capacity::MayorActing, mayors_act(), true),
            (Capacity::MayorActing, decision(), true),
            (Capacity::MayorActing, conseil.clone(), false),
            (Capacity::DelegatedAlderman, mayors_act(), true),
            (Capacity::DelegatedAlderman, decision(), false),
            (Capacity::DirectorGeneralActing, decision(), true),
            (Capacity::DirectorGeneralActing, mayors_act(), false),
            (Capacity::DirectorGeneralActing, conseil, false),
            (Capacity::MayorActing, dgs_act(), false),
            (Capacity::DelegatedAlderman, dgs_act(), false),
        ];
        for (capacity, decision, allowed) in cases {
            let mut one = input(&[], known, &decision);
            one.capacity = capacity;
            let got = record(&mayor, one, now());
            if allowed {
                assert!(got.is_ok(), "{capacity:?} {:?}: {got:?}", decision.organ);
            } else {
                let err = got.unwrap_err();
                assert_eq!(err.code(), ErrorCode::DecisionOrganNotCompetent);
                assert_eq!(err.params()["field"], "decision.organ");
            }
        }
    }

    #[test]
    fn rule_cdld_l1124_19_a_director_general_acting_for_three_months_at_most() {
        let d = decision();
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        let mut longest = input(&[], known, &d);
        longest.capacity = Capacity::DirectorGeneralActing;
        longest.to = date(2027, 2, 28);
        // From 29/11 to 28/02 included is three months.
        record(&actor(Role::DirectorGeneral), longest, now()).unwrap();
        let mut longer = longest;
        longer.to = date(2027, 3, 1);
        let err = record(&actor(Role::DirectorGeneral), longer, now()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SubstitutionTooLong);
        assert_eq!(err.params()["latest"], "2027-02-28");
        assert_eq!(err.params()["max_months"], 3);
        // The bourgmestre's substitutes have no such limit in the CDLD.
        let mut mayor_acting = input(&[], known, &d);
        mayor_acting.to = date(2027, 11, 28);
        record(&actor(Role::Mayor), mayor_acting, now()).unwrap();
    }

    #[test]
    fn rule_cdld_l1124_19_the_director_general_designates_his_replacement_for_thirty_days() {
        let act = dgs_act();
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        let dg = actor(Role::DirectorGeneral);
        let mut longest = input(&[], known, &act);
        longest.capacity = Capacity::DirectorGeneralActing;
        // From 29/11 to 28/12 included is thirty days.
        longest.to = date(2026, 12, 28);
        let s = record(&dg, longest, now()).unwrap();
        assert_eq!(s.decision.organ, act.organ);
        let mut longer = longest;
        longer.to = date(2026, 12, 29);
        let err = record(&dg, longer, now()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SubstitutionTooLongOwnAct);
        assert_eq!(err.params()["latest"], "2026-12-28");
        assert_eq!(err.params()["max_days"], 30);
        // The collège's own designation keeps its three months.
        let college = decision();
        let mut by_college = longer;
        by_college.decision = &college;
        record(&dg, by_college, now()).unwrap();
        // It is the directeur général's own act: the bourgmestre does not record it.
        assert_eq!(
            code(record(&actor(Role::Mayor), longest, now())),
            ErrorCode::DesignationDirectorGeneralsOwnAct
        );
        // The collège's authorisation comes first: not after the directeur général's act.
        let late = Decision {
            organ: Organ::DirectorGeneral {
                authorisation_date: date(2026, 11, 21),
            },
            ..dgs_act()
        };
        let mut after = longest;
        after.decision = &late;
        let err = record(&dg, after, now()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::DateOutOfRange);
        assert_eq!(err.params()["field"], "decision.organ.authorisation_date");
        // It designates nothing else: not an order's decision, not the bourgmestre's substitutes.
        assert_eq!(
            act.validate(date(2026, 11, 29), "decision")
                .unwrap_err()
                .code(),
            ErrorCode::DecisionOrganNotCompetent
        );
    }

    #[test]
    fn rule_cdld_l1123_5_the_bourgmestre_ff_by_rank_is_the_first_belgian_alderman_in_rank() {
        let college = decision();
        // Julie is the second échevine; Marc the first; Ana, third, is not Belgian.
        let julie = Account {
            alderman_rank: Some(2),
            ..julie("84009", Role::CommuneStaff, false)
        };
        let marc = Account {
            user_id: "u-marc",
            display_name: "Marc Dubois",
            alderman_rank: Some(1),
            ..julie
        };
        let ana = Account {
            user_id: "u-ana",
            display_name: "Ana Costa",
            alderman_rank: Some(3),
            belgian: false,
            ..julie
        };
        let aldermen = [julie, marc, ana];
        let mayor = actor(Role::Mayor);
        let mut by_rank = input(&[], SubstituteAccount::Looked(Some(julie)), &college);
        by_rank.aldermen = &aldermen;
        let err = record(&mayor, by_rank, now()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SubstituteNotFirstInRank);
        assert_eq!(err.params()["field"], "ranked_before_unavailable");
        assert_eq!(err.params()["first_name"], "Marc Dubois");
        assert_eq!(
            (
                err.params()["rank"].clone(),
                err.params()["first_rank"].clone()
            ),
            (2.into(), 1.into())
        );
        // Too short a statement is none.
        let mut short = by_rank;
        short.ranked_before_unavailable = Some("  en congé  ");
        assert_eq!(
            code(record(&mayor, short, now())),
            ErrorCode::SubstituteNotFirstInRank
        );
        // The collège records why the first échevin cannot: then the second replaces.
        let mut stated = by_rank;
        stated.ranked_before_unavailable =
            Some(" Marc Dubois, premier échevin, hospitalisé jusqu'au 15/12/2026. ");
        let s = record(&mayor, stated, now()).unwrap();
        assert_eq!(
            s.ranked_before_unavailable.as_deref(),
            Some("Marc Dubois, premier échevin, hospitalisé jusqu'au 15/12/2026.")
        );
        // A disabled first échevin (no longer in office) does not come first.
        let gone = [
            julie,
            Account {
                disabled: true,
                ..marc
            },
            ana,
        ];
        let mut after_gone = by_rank;
        after_gone.aldermen = &gone;
        record(&mayor, after_gone, now()).unwrap();
        // The first in rank needs no statement; a non-Belgian échevin never replaces the
        // bourgmestre, not even by his written act (L1123-5).
        let mut first = input(&[], SubstituteAccount::Looked(Some(marc)), &college);
        first.aldermen = &aldermen;
        record(&mayor, first, now()).unwrap();
        let act = mayors_act();
        for decision in [&college, &act] {
            let mut foreign = input(&[], SubstituteAccount::Looked(Some(ana)), decision);
            foreign.aldermen = &aldermen;
            assert_eq!(
                code(record(&mayor, foreign, now())),
                ErrorCode::SubstituteNotBelgian
            );
        }
        // The bourgmestre's written act chooses any Belgian échevin, whatever the rank.
        let mut chosen = input(&[], SubstituteAccount::Looked(Some(julie)), &act);
        chosen.aldermen = &aldermen;
        record(&mayor, chosen, now()).unwrap();
        // No rank recorded: the collège's record by rank cannot be checked, so it is refused.
        let unranked = Account {
            alderman_rank: None,
            ..julie
        };
        let mut unknown = input(&[], SubstituteAccount::Looked(Some(unranked)), &college);
        unknown.aldermen = &aldermen;
        assert_eq!(
            code(record(&mayor, unknown, now())),
            ErrorCode::AldermanRankMissing
        );
        // An échevin délégué (L1132-4) has no rank or nationality condition.
        let mut delegated = input(&[], SubstituteAccount::Looked(Some(ana)), &act);
        delegated.capacity = Capacity::DelegatedAlderman;
        record(&mayor, delegated, now()).unwrap();
        // The PC leaves it to the server, as it leaves the account.
        record(
            &mayor,
            input(&[], SubstituteAccount::NotKnown, &college),
            now(),
        )
        .unwrap();
    }

    #[test]
    fn rule_cdld_l1132_4_the_delegation_lists_the_documents_it_covers() {
        use crate::signatory::DelegatedDocument::{Acceptance, Award};
        let act = mayors_act();
        let known = SubstituteAccount::Looked(Some(julie("84009", Role::CommuneStaff, false)));
        let mut delegated = input(&[], known, &act);
        delegated.capacity = Capacity::DelegatedAlderman;
        for none in [None, Some(&[][..])] {
            delegated.documents = none;
            let err = record(&actor(Role::Mayor), delegated, now()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::DelegationDocumentsMissing);
            assert_eq!(err.params()["field"], "documents");
        }
        // Kept in the catalogue's order, once each.
        delegated.documents = Some(&[Acceptance, Award, Acceptance]);
        let s = record(&actor(Role::Mayor), delegated, now()).unwrap();
        assert_eq!(s.documents, Some(vec![Award, Acceptance]));
        // A bourgmestre f.f. replaces the bourgmestre in everything: no list kept.
        let college = decision();
        let mut acting = input(&[], known, &college);
        acting.documents = Some(&[Award]);
        let s = record(&actor(Role::Mayor), acting, now()).unwrap();
        assert_eq!(s.documents, None);
    }
}
