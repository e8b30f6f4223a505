//! An account's own settings kept by the server: how it is told by e-mail (issue 14 §1).
//! `account.set_mail_preferences` is decided by `centrale_domain::decide::mail`; this module
//! writes what it returns twice, in the mutation's transaction: the synced record (so the
//! account's PCs have it, offline too) and the rows the mailer reads at enqueue.

use centrale_domain::decide::mail::{self as decide, SetPreferences};
use centrale_domain::mail::MailPreferences;
use centrale_protocol::mutations::SetMailPreferences;
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError};

const KIND: RecordKind = RecordKind::MailPreferences;

pub async fn set_mail_preferences(
    ctx: &mut Ctx<'_>,
    p: &SetMailPreferences,
) -> Result<(), EngineError> {
    let prefs: MailPreferences = decide::set_preferences(
        &ctx.actor.domain(),
        SetPreferences {
            account: &p.account,
            choices: &p.choices,
        },
        ctx.now,
    )?;
    let previous = ctx
        .load::<MailPreferences>(KIND, &prefs.account)
        .await?
        .map(|l| l.version);
    let provider = ctx.actor.provider_id.map(|id| id.to_string());
    let vis = visibility(
        KIND,
        ctx.actor.commune_nis.as_deref(),
        provider.as_deref(),
        false,
    );
    ctx.save(KIND, &prefs.account, &prefs, previous, None, vis)
        .await?;
    let rows: Vec<(String, String)> = prefs
        .choices
        .iter()
        .map(|c| (c.kind.as_str().to_string(), c.choice.as_str().to_string()))
        .collect();
    ctx.tx
        .set_mail_preferences(&prefs.account, &rows, ctx.now)
        .await?;
    Ok(())
}
