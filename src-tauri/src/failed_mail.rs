//! « E-mails non remis » (issue 14 §1): the centrale sees the messages the intercommunal
//! server gave up sending and sends one again, to the same or a corrected address. They live
//! on the server only (they are not records of a call-off), so these need the network.

use centrale_protocol::FailedMail;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

impl Desktop {
    async fn mail_client(&self) -> CommandResult<centrale_sync::SyncClient> {
        self.running_client().await.ok_or_else(|| {
            CommandError::new(
                "credentials_needed",
                "Connectez-vous pour consulter les e-mails non remis.",
            )
        })
    }

    /// The e-mails given up, newest first, as the server has them now.
    pub async fn failed_mail(&self) -> CommandResult<Vec<FailedMail>> {
        Ok(self.mail_client().await?.failed_mail().await?)
    }

    /// Puts one back in the server's queue, to `to` when given (checked by the server with
    /// the domain's rule for an address).
    pub async fn retry_failed_mail(&self, id: &str, to: Option<&str>) -> CommandResult<()> {
        let to = to.map(str::trim).filter(|t| !t.is_empty());
        Ok(self.mail_client().await?.retry_failed_mail(id, to).await?)
    }
}
