//! `account.set_mail_preferences` decided once (issue 14 §1): an account chooses, per kind of
//! message it receives, « tout de suite », « un résumé quotidien » or « rien » — its own
//! account only, never for a legal notification (always sent at once, see
//! [`crate::mail::MailKind::legal_source`]).

use chrono::{DateTime, Utc};

use crate::mail::{mail_account, MailKind, MailKindChoice, MailPreferences};
use crate::permission::Actor;
use crate::{DomainError, ErrorCode};

/// `account.set_mail_preferences`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct SetPreferences<'a> {
    /// Whose preferences the payload names.
    pub account: &'a str,
    /// The choices, one per kind at most.
    pub choices: &'a [MailKindChoice],
}

/// The account's new preferences (the choices in the screens' order), or the refusal.
pub fn set_preferences(
    actor: &Actor,
    input: SetPreferences<'_>,
    now: DateTime<Utc>,
) -> Result<MailPreferences, DomainError> {
    // Anyone may choose how they are told; nobody chooses for someone else (not even the
    // centrale: an account's mail is its own business).
    let own = mail_account(&actor.user_id, actor.role, actor.provider_id);
    if input.account != own {
        return Err(DomainError::rule(ErrorCode::MailPreferencesNotOwn));
    }
    let receivable = MailKind::for_role(actor.role);
    let mut seen = Vec::new();
    for c in input.choices {
        if c.kind.is_legal() {
            return Err(DomainError::field(ErrorCode::MailKindLegal, "choices")
                .with("mail_kind", c.kind.as_str()));
        }
        if !receivable.contains(&c.kind) {
            return Err(DomainError::field(ErrorCode::MailKindNotForRole, "choices")
                .with("mail_kind", c.kind.as_str())
                .with("role", actor.role.as_str()));
        }
        if seen.contains(&c.kind) {
            return Err(DomainError::field(ErrorCode::MailKindRepeated, "choices")
                .with("mail_kind", c.kind.as_str()));
        }
        seen.push(c.kind);
    }
    let choices = MailKind::ALL
        .into_iter()
        .filter_map(|kind| input.choices.iter().find(|c| c.kind == kind).copied())
        .collect();
    Ok(MailPreferences {
        account: own,
        choices,
        updated_at: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::MailChoice;
    use crate::role::Role;
    use crate::signatory::Gender;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: "u-1".into(),
            display_name: "Marie Lambert".into(),
            role,
            commune_nis: Some("84009".into()),
            provider_id: (role == Role::ProviderUser).then(Uuid::nil),
            gender: Gender::Female,
        }
    }

    fn choice(kind: MailKind, choice: MailChoice) -> MailKindChoice {
        MailKindChoice { kind, choice }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()
    }

    #[test]
    fn an_account_sets_its_own_choices_in_the_screens_order() {
        let choices = [
            choice(MailKind::MilestoneLate, MailChoice::Nothing),
            choice(MailKind::OffersOpened, MailChoice::Digest),
        ];
        let prefs = set_preferences(
            &actor(Role::DirectorGeneral),
            SetPreferences {
                account: "u-1",
                choices: &choices,
            },
            now(),
        )
        .unwrap();
        assert_eq!(prefs.account, "u-1");
        assert_eq!(prefs.updated_at, now());
        assert_eq!(
            prefs.choices,
            [
                choice(MailKind::OffersOpened, MailChoice::Digest),
                choice(MailKind::MilestoneLate, MailChoice::Nothing),
            ]
        );
        // A provider's account chooses for its provider's contact address.
        let provider = set_preferences(
            &actor(Role::ProviderUser),
            SetPreferences {
                account: &format!("provider:{}", Uuid::nil()),
                choices: &[choice(MailKind::DeadlineReminder, MailChoice::Digest)],
            },
            now(),
        )
        .unwrap();
        assert_eq!(
            provider.choice(MailKind::DeadlineReminder),
            MailChoice::Digest
        );
    }

    #[test]
    fn nobody_chooses_for_another_account_not_even_the_centrale() {
        for role in [Role::CentraleStaff, Role::Mayor, Role::ProviderUser] {
            let err = set_preferences(
                &actor(role),
                SetPreferences {
                    account: "someone-else",
                    choices: &[],
                },
                now(),
            )
            .unwrap_err();
            assert_eq!(err.code(), ErrorCode::MailPreferencesNotOwn, "{role:?}");
        }
    }

    #[test]
    fn a_legal_kind_an_unknown_one_or_a_repeat_is_refused_with_its_name() {
        let provider = actor(Role::ProviderUser);
        let account = format!("provider:{}", Uuid::nil());
        let refuse = |a: &Actor, account: &str, choices: &[MailKindChoice]| {
            set_preferences(a, SetPreferences { account, choices }, now()).unwrap_err()
        };
        let err = refuse(
            &provider,
            &account,
            &[choice(MailKind::AwardNotification, MailChoice::Nothing)],
        );
        assert_eq!(err.code(), ErrorCode::MailKindLegal);
        assert!(
            err.to_string().contains(
                "« Notification de la décision d'attribution » est une notification légale"
            ),
            "{err}"
        );
        let err = refuse(
            &actor(Role::CommuneStaff),
            "u-1",
            &[choice(MailKind::AdhesionSignature, MailChoice::Digest)],
        );
        assert_eq!(err.code(), ErrorCode::MailKindNotForRole);
        assert!(err.to_string().contains("agent communal"), "{err}");
        let err = refuse(
            &provider,
            &account,
            &[
                choice(MailKind::DeadlineReminder, MailChoice::Digest),
                choice(MailKind::DeadlineReminder, MailChoice::Nothing),
            ],
        );
        assert_eq!(err.code(), ErrorCode::MailKindRepeated);
    }
}
