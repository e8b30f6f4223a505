//! `centrale-server mail …`: the e-mails the server gave up sending, and sending them again.

use std::process::ExitCode;

use centrale_domain::time::format_brussels;
use centrale_server::Settings;
use chrono::Utc;
use clap::Subcommand;

use super::open_ready;

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Liste les e-mails non remis (abandonnés après leurs essais), les plus récents d'abord.
    Failed,
    /// Remet un e-mail non remis dans la file d'envoi (après correction de l'adresse ou du serveur).
    Retry {
        /// Identifiant du message (colonne « id » de « mail failed »).
        id: String,
        /// Adresse corrigée où l'envoyer (sinon la même).
        #[arg(long, value_name = "ADRESSE")]
        to: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: MailCommand) -> anyhow::Result<ExitCode> {
    let db = open_ready(settings).await?;
    let result = match command {
        MailCommand::Failed => {
            let rows = db.failed_messages().await?;
            if rows.is_empty() {
                println!("Aucun e-mail non remis.");
            }
            for m in rows {
                println!(
                    "{}  {}  à {} <{}>  « {} »  {} essai(s), abandonné le {} : {}",
                    m.id,
                    m.kind,
                    m.recipient_name,
                    m.recipient_email,
                    m.subject,
                    m.attempts,
                    m.failed_at.map(format_brussels).unwrap_or_default(),
                    m.last_error.unwrap_or_default()
                );
            }
            Ok(())
        }
        MailCommand::Retry { id, to } => {
            match centrale_server::mail::retry_failed(
                &db,
                &id,
                to.as_deref(),
                "administration (ligne de commande)",
                Utc::now(),
            )
            .await
            {
                Ok(()) => {
                    println!("E-mail {} remis dans la file d'envoi.", id.trim());
                    Ok(())
                }
                Err(e) => Err(anyhow::anyhow!(e)),
            }
        }
    };
    db.close().await;
    result.map(|()| ExitCode::SUCCESS)
}
