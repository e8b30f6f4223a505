//! « Mon compte › Double authentification » (issue 17 point 9): turning the signed-in account's
//! second factor on and off. The secret is made and kept by the server only, so these need the
//! network; signing with a code (`Desktop::perform_signed`) works offline.
//!
//! Once the server says the second factor is on (or off), the session kept on this PC says so
//! too: the signing forms ask for the code from then on, and the store refuses a signing act
//! without one (`centrale_domain::second_factor::asked_for`).

use centrale_protocol::{SecondFactorEnabled, SecondFactorSetup};
use centrale_sync::SyncClient;

use crate::desktop::Desktop;
use crate::error::{CommandError, CommandResult};

/// No account is signed in on this PC: nothing to set up.
fn signed_out() -> CommandError {
    CommandError::new(
        "credentials_needed",
        "Connectez-vous pour régler la double authentification de votre compte.",
    )
}

impl Desktop {
    async fn account_client(&self) -> CommandResult<SyncClient> {
        self.running_client().await.ok_or_else(signed_out)
    }

    /// Writes in the kept session whether the account has a second factor.
    fn note_second_factor(&self, on: bool) -> CommandResult<()> {
        let store = self.store()?;
        let Some(mut me) = store.session()? else {
            return Err(signed_out());
        };
        me.second_factor = on;
        store.set_session(&me)?;
        Ok(())
    }

    /// Starts setting up the second factor: the secret and its QR code, from the server.
    pub async fn second_factor_start(&self) -> CommandResult<SecondFactorSetup> {
        let client = self.account_client().await?;
        Ok(client.second_factor_start().await?)
    }

    /// Turns the second factor on with the application's current code: the recovery codes,
    /// shown once; the session on this PC now has it on.
    pub async fn second_factor_confirm(&self, code: &str) -> CommandResult<SecondFactorEnabled> {
        let client = self.account_client().await?;
        let enabled = client.second_factor_confirm(code.trim()).await?;
        self.note_second_factor(true)?;
        self.after_account_change();
        Ok(enabled)
    }

    /// Turns the second factor off with a code or a recovery code (never for the centrale's
    /// staff: the server refuses).
    pub async fn second_factor_off(&self, code: &str) -> CommandResult<()> {
        let client = self.account_client().await?;
        client.second_factor_off(code.trim()).await?;
        self.note_second_factor(false)?;
        self.after_account_change();
        Ok(())
    }
}
