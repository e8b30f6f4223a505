//! A commune's public standing (issue 15 point 9): where it stands with the centrale — joined,
//! joining, or not — and how many call-offs it has awarded. Every account sees it, so a
//! commune sees where the others stand on the map of the province, while adhesions and orders
//! stay visible only to their commune and the centrale.
//!
//! Only public acts go in: the conseil's decision to join is taken in public sitting (CDLD
//! L1122-20), and an award is published (the centrale publishes its awards,
//! `crates/server/src/ocds.rs`). Nothing sealed, no amount, no provider, no
//! signatory: the count of awarded call-offs, the state of the adhesion and its dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::adhesion::{Adhesion, AdhesionStatus};
use crate::order::{Order, OrderStatus};

/// Where a commune's adhesion stands, as everyone may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StandingAdhesion {
    /// An adhesion in force: the commune may order through the centrale.
    Joined,
    /// An adhesion started (draft, signed, countersigned) and not yet in force.
    InProgress,
    /// No adhesion, or only ended ones.
    #[default]
    None,
}

/// A commune's public standing (record kind `commune_standing`, id = the NIS code), written by
/// the server in the transaction of each act that changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommuneStanding {
    /// The commune (NIS code).
    pub commune_nis: String,
    /// Where its adhesion stood the day the standing was written.
    pub adhesion: StandingAdhesion,
    /// The day (Brussels) its adhesion in force was activated.
    pub joined_since: Option<NaiveDate>,
    /// The day a notice of termination takes effect (convention art. 12): from that day on
    /// the adhesion is ended, with no further act to write it (see [`Self::adhesion_on`]).
    pub joined_until: Option<NaiveDate>,
    /// Its call-offs awarded (by competition or directly), withdrawn and cancelled ones not
    /// counted.
    pub awarded_call_offs: u32,
}

impl CommuneStanding {
    /// Where the adhesion stands on `today`: a joined commune whose notice takes effect on or
    /// before `today` has left (the date decides, on the server and every PC alike, as
    /// [`Adhesion::status_on`]).
    pub fn adhesion_on(&self, today: NaiveDate) -> StandingAdhesion {
        match (self.adhesion, self.joined_until) {
            (StandingAdhesion::Joined, Some(until)) if today >= until => StandingAdhesion::None,
            (state, _) => state,
        }
    }

    /// The standing of a commune the server has no record for: no adhesion, no award.
    pub fn none(commune_nis: &str) -> CommuneStanding {
        CommuneStanding {
            commune_nis: commune_nis.to_string(),
            adhesion: StandingAdhesion::None,
            joined_since: None,
            joined_until: None,
            awarded_call_offs: 0,
        }
    }
}

/// True when the order counts as an awarded call-off: an award recorded, and the order not
/// withdrawn or cancelled.
fn is_awarded(order: &Order) -> bool {
    order.award.is_some()
        && !matches!(
            order.status,
            OrderStatus::Withdrawn | OrderStatus::Cancelled
        )
}

/// Whether writing `after` over `before` (`None`: no such order) can change a commune's
/// standing. Of its orders, only the count of awarded call-offs matters: an order that counted
/// neither before nor after (a draft written, a competition launched…) moves nothing, and the
/// server then does not read the commune's every order again to recompute it.
pub fn order_moves_standing(before: Option<&Order>, after: Option<&Order>) -> bool {
    fn counted(order: Option<&Order>) -> Option<&str> {
        order
            .filter(|o| is_awarded(o))
            .map(|o| o.commune_nis.as_str())
    }
    counted(before) != counted(after)
}

/// The standing of `commune_nis` on `today`, from its adhesions and its orders (records of
/// other communes are ignored). An adhesion in force wins over one in progress; an adhesion
/// whose notice took effect counts as ended.
pub fn standing(
    commune_nis: &str,
    adhesions: &[Adhesion],
    orders: &[Order],
    today: NaiveDate,
) -> CommuneStanding {
    let own = adhesions.iter().filter(|a| a.commune_nis == commune_nis);
    let mut result = CommuneStanding::none(commune_nis);
    for a in own {
        match a.status_on(today) {
            AdhesionStatus::Active => {
                result.adhesion = StandingAdhesion::Joined;
                result.joined_since = a.activated_at.map(crate::time::brussels_today);
                result.joined_until = a
                    .termination
                    .as_ref()
                    .filter(|t| t.is_given())
                    .map(|t| t.effective_date);
            }
            AdhesionStatus::Draft
            | AdhesionStatus::SignedByCommune
            | AdhesionStatus::Countersigned
                if result.adhesion == StandingAdhesion::None =>
            {
                result.adhesion = StandingAdhesion::InProgress;
            }
            _ => {}
        }
    }
    let awarded = orders
        .iter()
        .filter(|o| o.commune_nis == commune_nis && is_awarded(o))
        .count();
    result.awarded_call_offs = u32::try_from(awarded).unwrap_or(u32::MAX);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adhesion::{ConventionTemplate, Signature, Termination};
    use crate::catalogue::{CallOffMethod, FrameworkAgreement};
    use crate::fixtures::{active_adhesion, date, now, sample_terms};
    use crate::money::Amount;
    use crate::order::Award;
    use crate::role::Role;
    use uuid::Uuid;

    const ARLON: &str = "81001";
    const BERTRIX: &str = "84009";

    fn framework() -> FrameworkAgreement {
        let mut f = FrameworkAgreement {
            id: Uuid::from_u128(10),
            service_id: Uuid::from_u128(11),
            reference: "CA-2026-21".into(),
            title_fr: "Salles".into(),
            call_off_method: CallOffMethod::MiniCompetition,
            versions: vec![],
        };
        f.publish(sample_terms(&[Uuid::from_u128(1)])).unwrap();
        f
    }

    fn order(commune: &str, status: OrderStatus, awarded: bool) -> Order {
        let mut o = Order::new_draft(
            Uuid::now_v7(),
            commune,
            &framework(),
            "Commande".into(),
            crate::offer::tests::needs(),
            "agent",
            now(),
        )
        .unwrap();
        o.status = status;
        if awarded {
            o.award = Some(Award {
                offer_id: None,
                provider_id: Uuid::from_u128(1),
                justification: "Meilleure offre".into(),
                college_decision: crate::adhesion::Decision {
                    organ: crate::adhesion::Organ::College,
                    reference: "COL/1".into(),
                    date: date(2026, 11, 20),
                    financial_opinion: None,
                },
                amount: Amount::default(),
                direct: false,
                awarded_at: now(),
                awarded_by: "dg".into(),
            });
        }
        o
    }

    fn draft(commune: &str) -> Adhesion {
        let t = ConventionTemplate::new(Uuid::nil(), 1, "C".into(), "texte".into());
        Adhesion::draft(Uuid::now_v7(), commune, &t)
    }

    fn with_status(commune: &str, status: AdhesionStatus) -> Adhesion {
        let mut a = draft(commune);
        a.status = status;
        a
    }

    /// An active adhesion whose notice (both signatures) was given on `notice`.
    fn with_notice(commune: &str, notice: NaiveDate) -> Adhesion {
        let mut a = active_adhesion(commune, now());
        let signature = |role| Signature {
            user_id: format!("{role:?}"),
            name: "N".into(),
            role,
            signed_at: now(),
            text_sha256: String::new(),
            capacity: Default::default(),
            title: String::new(),
            substitution: None,
        };
        a.termination = Some(Termination {
            notice_date: notice,
            effective_date: crate::adhesion::termination_effective_date(notice),
            reason: "Fin".into(),
            by: "N".into(),
            director_general_signature: Some(signature(Role::DirectorGeneral)),
            mayor_signature: Some(signature(Role::Mayor)),
        });
        a
    }

    #[test]
    fn without_adhesion_or_order_the_commune_has_not_joined() {
        let s = standing(BERTRIX, &[], &[], date(2026, 11, 29));
        assert_eq!(s, CommuneStanding::none(BERTRIX));
        assert_eq!(s.adhesion_on(date(2026, 11, 29)), StandingAdhesion::None);
    }

    #[test]
    fn each_adhesion_state_before_activation_is_in_progress() {
        for status in [
            AdhesionStatus::Draft,
            AdhesionStatus::SignedByCommune,
            AdhesionStatus::Countersigned,
        ] {
            let s = standing(
                BERTRIX,
                &[with_status(BERTRIX, status)],
                &[],
                date(2026, 11, 29),
            );
            assert_eq!(s.adhesion, StandingAdhesion::InProgress, "{status:?}");
            assert_eq!(s.joined_since, None);
        }
    }

    #[test]
    fn an_active_adhesion_has_joined_since_its_activation_day_in_brussels() {
        // 29/11/2026 23:30 UTC is already 30/11 in Brussels.
        let at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 29, 23, 30, 0).unwrap();
        let s = standing(
            BERTRIX,
            &[active_adhesion(BERTRIX, at)],
            &[],
            date(2026, 12, 1),
        );
        assert_eq!(s.adhesion, StandingAdhesion::Joined);
        assert_eq!(s.joined_since, Some(date(2026, 11, 30)));
        assert_eq!(s.joined_until, None);
    }

    #[test]
    fn a_terminated_adhesion_is_ended_from_its_effective_date() {
        let a = with_notice(BERTRIX, date(2027, 1, 15));
        // Written before the effective date (01/05/2027): joined until then.
        let s = standing(BERTRIX, std::slice::from_ref(&a), &[], date(2027, 1, 15));
        assert_eq!(s.adhesion, StandingAdhesion::Joined);
        assert_eq!(s.joined_until, Some(date(2027, 5, 1)));
        assert_eq!(s.adhesion_on(date(2027, 4, 30)), StandingAdhesion::Joined);
        assert_eq!(s.adhesion_on(date(2027, 5, 1)), StandingAdhesion::None);
        // Written on or after it: ended.
        let later = standing(BERTRIX, &[a], &[], date(2027, 5, 1));
        assert_eq!(later.adhesion, StandingAdhesion::None);
        assert_eq!(later.joined_since, None);
        // A stored `terminated` status reads as ended too.
        let stored = with_status(BERTRIX, AdhesionStatus::Terminated);
        let s = standing(BERTRIX, &[stored], &[], date(2027, 5, 1));
        assert_eq!(s.adhesion, StandingAdhesion::None);
    }

    #[test]
    fn a_new_adhesion_after_an_ended_one_is_in_progress_and_an_active_one_wins() {
        let ended = with_notice(BERTRIX, date(2027, 1, 15));
        let new = draft(BERTRIX);
        let s = standing(BERTRIX, &[ended, new.clone()], &[], date(2027, 6, 1));
        assert_eq!(s.adhesion, StandingAdhesion::InProgress);
        let active = active_adhesion(BERTRIX, now());
        let s = standing(BERTRIX, &[new, active], &[], date(2026, 12, 1));
        assert_eq!(s.adhesion, StandingAdhesion::Joined);
    }

    #[test]
    fn awarded_call_offs_are_counted_withdrawn_and_cancelled_ones_not() {
        let orders = [
            order(BERTRIX, OrderStatus::Awarded, true),
            order(BERTRIX, OrderStatus::FinallyAccepted, true),
            order(BERTRIX, OrderStatus::Deploying, true),
            // Not awarded yet.
            order(BERTRIX, OrderStatus::CompetitionOpen, false),
            order(BERTRIX, OrderStatus::Evaluated, false),
            // Withdrawn or cancelled: never counted, even with an award recorded.
            order(BERTRIX, OrderStatus::Withdrawn, true),
            order(BERTRIX, OrderStatus::Cancelled, true),
            order(BERTRIX, OrderStatus::Withdrawn, false),
            // Another commune's.
            order(ARLON, OrderStatus::Awarded, true),
        ];
        let s = standing(
            BERTRIX,
            &[active_adhesion(BERTRIX, now())],
            &orders,
            date(2026, 12, 1),
        );
        assert_eq!(s.awarded_call_offs, 3);
        assert_eq!(
            standing(ARLON, &[], &orders, date(2026, 12, 1)).awarded_call_offs,
            1
        );
    }

    #[test]
    fn only_an_order_counted_as_awarded_before_or_after_moves_the_standing() {
        let draft = order(BERTRIX, OrderStatus::Draft, false);
        let open = order(BERTRIX, OrderStatus::CompetitionOpen, false);
        let awarded = order(BERTRIX, OrderStatus::Awarded, true);
        let deploying = order(BERTRIX, OrderStatus::Deploying, true);
        let withdrawn = order(BERTRIX, OrderStatus::Withdrawn, true);
        let mut moved_to_arlon = awarded.clone();
        moved_to_arlon.commune_nis = ARLON.into();
        // Nothing counted before nor after: a draft created, edited, deleted, a competition.
        assert!(!order_moves_standing(None, Some(&draft)));
        assert!(!order_moves_standing(Some(&draft), Some(&draft)));
        assert!(!order_moves_standing(Some(&draft), None));
        assert!(!order_moves_standing(Some(&draft), Some(&open)));
        // Counted before and after, in the same commune: the milestones of a deployment.
        assert!(!order_moves_standing(Some(&awarded), Some(&deploying)));
        // The award, and the withdrawal of an awarded call-off.
        assert!(order_moves_standing(Some(&open), Some(&awarded)));
        assert!(order_moves_standing(Some(&awarded), Some(&withdrawn)));
        assert!(order_moves_standing(Some(&awarded), None));
        // An awarded call-off filed under another commune (a merger): both communes move.
        assert!(order_moves_standing(Some(&awarded), Some(&moved_to_arlon)));
    }

    #[test]
    fn another_communes_adhesion_is_ignored() {
        let s = standing(
            BERTRIX,
            &[active_adhesion(ARLON, now())],
            &[],
            date(2026, 12, 1),
        );
        assert_eq!(s.adhesion, StandingAdhesion::None);
    }

    #[test]
    fn the_record_is_the_public_summary_only() {
        let s = standing(
            BERTRIX,
            &[active_adhesion(BERTRIX, now())],
            &[order(BERTRIX, OrderStatus::Awarded, true)],
            date(2026, 12, 1),
        );
        let json = serde_json::to_value(&s).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "adhesion",
                "awarded_call_offs",
                "commune_nis",
                "joined_since",
                "joined_until"
            ]
        );
        assert_eq!(json["adhesion"], "joined");
    }
}
