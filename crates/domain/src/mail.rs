//! How each account is told by e-mail (issue 14 §1): the kinds of message the server sends,
//! which of them are legal notifications (always sent at once, never a choice), the default
//! for the others, and the choices an account has: « tout de suite », « un résumé quotidien »
//! or « rien ». The server's mailer, the PC's screen and the provider portal read this one
//! list; the choice itself is set by `account.set_mail_preferences` (`decide::mail`).
//!
//! The messages go to an account (the commune's and the centrale's people, by their own
//! address) or to a provider (its contact address, shared by its accounts): a provider's
//! choices are its own, set by any of its accounts ([`mail_account`]).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Brussels;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::role::Role;
use crate::signatory::{title_fr, Capacity, Gender};
use crate::time::brussels_today;

/// A kind of e-mail the server sends. The stable names are those of the outbox's `kind`.
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
pub enum MailKind {
    /// A provider is invited to a mini-competition.
    CompetitionInvitation,
    /// Reminder to invited providers 3 days, then 1 day, before the deadline.
    DeadlineReminder,
    /// A question on the competition was answered (to every invited provider).
    QuestionAnswered,
    /// The deadline of a running competition was extended.
    DeadlineExtended,
    /// A running competition was withdrawn.
    CompetitionWithdrawn,
    /// The offers were opened (commune, centrale).
    OffersOpened,
    /// The award decision, to each tenderer.
    AwardNotification,
    /// The purchase order, to the provider it is addressed to.
    PurchaseOrderIssued,
    /// A deployment milestone is late.
    MilestoneLate,
    /// An adhesion (or its termination) waits for a signature or an act of the centrale.
    AdhesionSignature,
    /// An adhesion became active.
    AdhesionActivated,
    /// An adhesion was terminated.
    AdhesionTerminated,
    /// A commune ordered the intercommunale's accompaniment (to the centrale; issue 16 §2).
    AccompanimentOrdered,
    /// The intercommunale invoiced an accompaniment (to the commune; issue 16 §2).
    AccompanimentInvoiced,
}

impl MailKind {
    /// Every kind, in the order the screens list them.
    pub const ALL: [MailKind; 14] = [
        MailKind::CompetitionInvitation,
        MailKind::QuestionAnswered,
        MailKind::DeadlineExtended,
        MailKind::DeadlineReminder,
        MailKind::CompetitionWithdrawn,
        MailKind::AwardNotification,
        MailKind::PurchaseOrderIssued,
        MailKind::OffersOpened,
        MailKind::AdhesionSignature,
        MailKind::AdhesionActivated,
        MailKind::AdhesionTerminated,
        MailKind::MilestoneLate,
        MailKind::AccompanimentOrdered,
        MailKind::AccompanimentInvoiced,
    ];

    /// Stable name, as stored in the outbox (`competition_invitation`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::CompetitionInvitation => "competition_invitation",
            MailKind::DeadlineReminder => "deadline_reminder",
            MailKind::QuestionAnswered => "question_answered",
            MailKind::DeadlineExtended => "deadline_extended",
            MailKind::CompetitionWithdrawn => "competition_withdrawn",
            MailKind::OffersOpened => "offers_opened",
            MailKind::AwardNotification => "award_notification",
            MailKind::PurchaseOrderIssued => "purchase_order_issued",
            MailKind::MilestoneLate => "milestone_late",
            MailKind::AdhesionSignature => "adhesion_signature",
            MailKind::AdhesionActivated => "adhesion_activated",
            MailKind::AdhesionTerminated => "adhesion_terminated",
            MailKind::AccompanimentOrdered => "accompaniment_ordered",
            MailKind::AccompanimentInvoiced => "accompaniment_invoiced",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the account is told, in French, as the screens list it (the message catalogue's
    /// `labels.mail_kind`, which also names a kind in a refusal).
    pub fn label_fr(self) -> String {
        crate::messages::fr()
            .labels
            .get("mail_kind")
            .and_then(|t| t.get(self.as_str()))
            .cloned()
            .unwrap_or_else(|| self.as_str().to_string())
    }

    /// The source of the obligation to tell, for a legal notification: such a message is
    /// always sent at once, whatever the account chose, and no screen offers a choice for it.
    /// `None`: an information the account may receive later or not at all.
    pub fn legal_source(self) -> Option<&'static str> {
        match self {
            // Written consultation of every provider of the framework, with the deadline
            // (law of 17 June 2016 art. 43; Dir. 2014/24 art. 33(5)(a)).
            MailKind::CompetitionInvitation => {
                Some("loi du 17 juin 2016, art. 43 (consultation écrite des participants)")
            }
            // Every tenderer gets the same information before the deadline (law of 17 June
            // 2016 art. 4 equal treatment, art. 43 one deadline for all).
            MailKind::QuestionAnswered => {
                Some("loi du 17 juin 2016, art. 4 et 43 (même information pour tous)")
            }
            // A new deadline is a new time limit, told to every tenderer (art. 43, as above).
            MailKind::DeadlineExtended => {
                Some("loi du 17 juin 2016, art. 43 (même délai pour tous)")
            }
            // The motivated decision not to award is notified to the tenderers (law of 17
            // June 2016 art. 85; law of 17 June 2013 art. 7–9 [verify]).
            MailKind::CompetitionWithdrawn => {
                Some("loi du 17 juin 2016, art. 85 ; loi du 17 juin 2013, art. 7 à 9")
            }
            // The award decision starts the time limits of the remedies (law of 17 June 2013
            // art. 7–9 and 23 [verify]): each tenderer is told at once.
            MailKind::AwardNotification => Some("loi du 17 juin 2013, art. 7 à 9 (recours)"),
            // The purchase order concludes the call-off and starts the execution time limits
            // (law of 17 June 2016 art. 47; RD 14 January 2013 [verify]).
            MailKind::PurchaseOrderIssued => {
                Some("loi du 17 juin 2016, art. 47 ; AR du 14 janvier 2013 (délais d'exécution)")
            }
            MailKind::DeadlineReminder
            | MailKind::OffersOpened
            | MailKind::MilestoneLate
            | MailKind::AdhesionSignature
            | MailKind::AdhesionActivated
            | MailKind::AdhesionTerminated
            | MailKind::AccompanimentOrdered
            | MailKind::AccompanimentInvoiced => None,
        }
    }

    /// A legal notification: always sent at once.
    pub fn is_legal(self) -> bool {
        self.legal_source().is_some()
    }

    /// The choice of an account that chose nothing: at once, as before the choice existed.
    pub fn default_choice(self) -> MailChoice {
        MailChoice::Immediate
    }

    /// The kinds an account of `role` can receive (what its screen lists).
    pub fn for_role(role: Role) -> Vec<MailKind> {
        use MailKind::*;
        let kinds: &[MailKind] = match role {
            Role::DirectorGeneral | Role::Mayor => &[
                OffersOpened,
                AdhesionSignature,
                AdhesionActivated,
                AdhesionTerminated,
                MilestoneLate,
                AccompanimentInvoiced,
            ],
            Role::CommuneStaff => &[
                OffersOpened,
                AdhesionActivated,
                AdhesionTerminated,
                MilestoneLate,
                AccompanimentInvoiced,
            ],
            Role::CentraleStaff => &[
                OffersOpened,
                AdhesionSignature,
                AdhesionTerminated,
                MilestoneLate,
                AccompanimentOrdered,
            ],
            Role::ProviderUser => &[
                CompetitionInvitation,
                QuestionAnswered,
                DeadlineExtended,
                DeadlineReminder,
                CompetitionWithdrawn,
                AwardNotification,
                PurchaseOrderIssued,
                MilestoneLate,
            ],
        };
        kinds.to_vec()
    }
}

/// How an account wants one kind of message.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MailChoice {
    /// « Tout de suite »: each message when it happens.
    #[default]
    Immediate,
    /// « Un résumé quotidien »: held, then listed in one message a day.
    Digest,
    /// « Rien »: not sent (recorded as not sent by choice).
    Nothing,
}

impl MailChoice {
    /// Every choice, in the order the screens offer them.
    pub const ALL: [MailChoice; 3] = [
        MailChoice::Immediate,
        MailChoice::Digest,
        MailChoice::Nothing,
    ];

    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MailChoice::Immediate => "immediate",
            MailChoice::Digest => "digest",
            MailChoice::Nothing => "nothing",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<MailChoice> {
        MailChoice::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The French words of the choice.
    pub fn label_fr(self) -> &'static str {
        match self {
            MailChoice::Immediate => "tout de suite",
            MailChoice::Digest => "un résumé quotidien",
            MailChoice::Nothing => "rien",
        }
    }
}

/// One kind's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MailKindChoice {
    /// The kind.
    pub kind: MailKind,
    /// The choice.
    pub choice: MailChoice,
}

/// An account's e-mail preferences (the record `mail_preferences`, id = [`MailPreferences::account`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MailPreferences {
    /// Whose: a user id, or `provider:<id>` for a provider (see [`mail_account`]).
    pub account: String,
    /// The choices made (a kind not listed has its default). Never a legal kind.
    pub choices: Vec<MailKindChoice>,
    /// When last changed (server time).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated_at: DateTime<Utc>,
}

impl MailPreferences {
    /// How a message of `kind` goes to this account.
    pub fn choice(&self, kind: MailKind) -> MailChoice {
        choice_for(Some(self), kind)
    }
}

/// How a message of `kind` goes to an account with these preferences (none: the defaults).
/// A legal notification is always sent at once.
pub fn choice_for(prefs: Option<&MailPreferences>, kind: MailKind) -> MailChoice {
    let stored = prefs
        .and_then(|p| p.choices.iter().find(|c| c.kind == kind))
        .map(|c| c.choice);
    route(kind, stored)
}

/// How a message of `kind` goes, given the choice stored for its recipient (`None`: none):
/// a legal notification at once whatever is stored, else the stored choice or the default.
pub fn route(kind: MailKind, stored: Option<MailChoice>) -> MailChoice {
    if kind.is_legal() {
        return MailChoice::Immediate;
    }
    stored.unwrap_or_else(|| kind.default_choice())
}

/// The daily digest's moment last passed at `now`: the Brussels day it is for, and the
/// instant of `hour`:00 that day (the digest lists what was held before it). An hour that does
/// not exist that day (the change to summer time) is the next one that does.
pub fn last_digest_moment(now: DateTime<Utc>, hour: u32) -> (NaiveDate, DateTime<Utc>) {
    let at = |day: NaiveDate| {
        let wall = day.and_time(NaiveTime::from_hms_opt(hour.min(23), 0, 0).unwrap_or_default());
        Brussels
            .from_local_datetime(&wall)
            .earliest()
            .or_else(|| {
                Brussels
                    .from_local_datetime(&(wall + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map_or_else(|| Utc.from_utc_datetime(&wall), |t| t.with_timezone(&Utc))
    };
    let today = brussels_today(now);
    let moment = at(today);
    if moment <= now {
        return (today, moment);
    }
    let yesterday = today.pred_opt().unwrap_or(today);
    (yesterday, at(yesterday))
}

/// The mail account of an actor: its own user id, or its provider's (`provider:<id>`; the
/// provider's messages go to its contact address, shared by its accounts).
pub fn mail_account(user_id: &str, role: Role, provider_id: Option<Uuid>) -> String {
    match (role, provider_id) {
        (Role::ProviderUser, Some(p)) => provider_account(p),
        _ => user_id.to_string(),
    }
}

/// The mail account of a provider.
pub fn provider_account(provider_id: Uuid) -> String {
    format!("provider:{provider_id}")
}

/// One line of an account's « Mes notifications » form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MailPreferenceLine {
    /// The kind.
    pub kind: MailKind,
    /// What it is, in French.
    pub label: String,
    /// A legal notification: « toujours envoyé », no choice offered.
    pub legal: bool,
    /// The current choice (`immediate` for a legal one).
    pub choice: MailChoice,
}

/// The lines of the form of an account of `role`, with its current choices.
pub fn preference_lines(role: Role, prefs: Option<&MailPreferences>) -> Vec<MailPreferenceLine> {
    MailKind::for_role(role)
        .into_iter()
        .map(|kind| MailPreferenceLine {
            kind,
            label: kind.label_fr(),
            legal: kind.is_legal(),
            choice: choice_for(prefs, kind),
        })
        .collect()
}

/// How a message greets an account, its quality gendered: « Madame la Directrice générale, »,
/// « Monsieur le Bourgmestre, » (the signatories, addressed by their office), « Madame Marie
/// Lambert, » (the other accounts), « Bonjour Marie Lambert, agent communal, » when the gender
/// is not known (never a guessed Madame or Monsieur).
pub fn salutation_fr(name: &str, role: Role, gender: Gender) -> String {
    let title = title_fr(role, Capacity::Titular, gender);
    let civility = match gender {
        Gender::Female => Some(("Madame", "la")),
        Gender::Male => Some(("Monsieur", "le")),
        Gender::Unspecified => None,
    };
    match (civility, role) {
        (Some((civility, article)), Role::DirectorGeneral | Role::Mayor) => {
            format!("{civility} {article} {},", capitalised(&title))
        }
        (Some((civility, _)), _) => format!("{civility} {name},"),
        (None, _) => format!(
            "Bonjour {},",
            crate::signatory::name_with_title(name, &title)
        ),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An address the server can write to, trimmed: one `@` between a local part and a domain of
/// dot-separated labels, no space, at most [`crate::limits::EMAIL_MAX_CHARS`] characters. The
/// same rule for an address given by the centrale (a failed e-mail sent again to a corrected
/// address), by an administrator or in a form: the SMTP server would refuse what fails it.
pub fn check_email(text: &str, field: &str) -> Result<String, crate::DomainError> {
    let address = text.trim();
    let refused =
        || crate::DomainError::field(crate::ErrorCode::EmailInvalid, field).with("email", address);
    if address.chars().count() > crate::limits::EMAIL_MAX_CHARS
        || address.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(refused());
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err(refused());
    };
    let label_ok = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let local_ok = !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && !local.contains(['@', '<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']']);
    let labels: Vec<&str> = domain.split('.').collect();
    if !local_ok || labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
        return Err(refused());
    }
    Ok(address.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_address_is_checked_once_for_every_caller() {
        for good in [
            "jean.dupont@bertrix.be",
            " marie@commune-de-libin.be ",
            "a+b@x.eu",
        ] {
            assert_eq!(super::check_email(good, "to").unwrap(), good.trim());
        }
        for bad in [
            "jean dupont@@exemple",
            "jean@exemple",
            "@bertrix.be",
            "jean@",
            "jean@.be",
            "jean..d@bertrix.be",
            "Jean <jean@bertrix.be>",
            "jean@bertrix..be",
            "",
        ] {
            let err = super::check_email(bad, "to").unwrap_err();
            assert_eq!(err.code(), "email_invalid", "{bad}");
            assert_eq!(err.params()["email"], bad.trim());
        }
    }
    use super::*;

    #[test]
    fn the_names_round_trip_and_the_legal_kinds_name_their_source() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
        }
        for choice in MailChoice::ALL {
            assert_eq!(MailChoice::parse(choice.as_str()), Some(choice));
        }
        let legal: Vec<_> = MailKind::ALL.into_iter().filter(|k| k.is_legal()).collect();
        assert_eq!(
            legal,
            [
                MailKind::CompetitionInvitation,
                MailKind::QuestionAnswered,
                MailKind::DeadlineExtended,
                MailKind::CompetitionWithdrawn,
                MailKind::AwardNotification,
                MailKind::PurchaseOrderIssued,
            ]
        );
        assert!(legal
            .iter()
            .all(|k| k.legal_source().unwrap().contains("loi du 17 juin")));
    }

    #[test]
    fn a_legal_notification_goes_at_once_whatever_was_stored() {
        let prefs = MailPreferences {
            account: "provider:x".into(),
            choices: vec![
                MailKindChoice {
                    kind: MailKind::AwardNotification,
                    choice: MailChoice::Nothing,
                },
                MailKindChoice {
                    kind: MailKind::DeadlineReminder,
                    choice: MailChoice::Digest,
                },
            ],
            updated_at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap(),
        };
        assert_eq!(
            prefs.choice(MailKind::AwardNotification),
            MailChoice::Immediate
        );
        assert_eq!(prefs.choice(MailKind::DeadlineReminder), MailChoice::Digest);
        assert_eq!(prefs.choice(MailKind::MilestoneLate), MailChoice::Immediate);
        assert_eq!(
            choice_for(None, MailKind::OffersOpened),
            MailChoice::Immediate
        );
    }

    #[test]
    fn each_role_lists_what_it_receives_legal_ones_without_a_choice() {
        let provider = preference_lines(Role::ProviderUser, None);
        assert!(provider
            .iter()
            .any(|l| l.kind == MailKind::AwardNotification && l.legal));
        assert!(provider
            .iter()
            .any(|l| l.kind == MailKind::DeadlineReminder && !l.legal));
        for role in [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::CentraleStaff,
        ] {
            let lines = preference_lines(role, None);
            assert!(!lines.is_empty());
            assert!(lines
                .iter()
                .all(|l| !l.legal && l.choice == MailChoice::Immediate));
        }
    }

    #[test]
    fn the_digest_moment_is_the_hour_in_brussels_last_passed() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // Winter: 08:00 in Brussels is 07:00 UTC.
        let before = Utc.with_ymd_and_hms(2026, 12, 3, 6, 59, 0).unwrap();
        assert_eq!(
            last_digest_moment(before, 8),
            (day(2), Utc.with_ymd_and_hms(2026, 12, 2, 7, 0, 0).unwrap())
        );
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap();
        assert_eq!(last_digest_moment(at, 8), (day(3), at));
        // Summer: 08:00 is 06:00 UTC.
        let june = Utc.with_ymd_and_hms(2027, 6, 1, 6, 30, 0).unwrap();
        assert_eq!(
            last_digest_moment(june, 8).1,
            Utc.with_ymd_and_hms(2027, 6, 1, 6, 0, 0).unwrap()
        );
    }

    #[test]
    fn the_greeting_genders_the_quality_and_never_guesses() {
        assert_eq!(
            salutation_fr("Marie Lambert", Role::DirectorGeneral, Gender::Female),
            "Madame la Directrice générale,"
        );
        assert_eq!(
            salutation_fr("Jean Dupont", Role::Mayor, Gender::Male),
            "Monsieur le Bourgmestre,"
        );
        assert_eq!(
            salutation_fr("Anne Petit", Role::CommuneStaff, Gender::Female),
            "Madame Anne Petit,"
        );
        let unknown = salutation_fr("Luc Martin", Role::Mayor, Gender::Unspecified);
        assert!(unknown.starts_with("Bonjour Luc Martin, "), "{unknown}");
        assert_eq!(
            mail_account("u1", Role::ProviderUser, Some(Uuid::nil())),
            format!("provider:{}", Uuid::nil())
        );
        assert_eq!(mail_account("u1", Role::Mayor, None), "u1");
    }
}
