//! `centrale-server user …`: create, disable, enable, reset the password of and list accounts.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use centrale_domain::commune::NisCode;
use centrale_domain::role::Role;
use centrale_protocol::records::RecordKind;
use centrale_server::Settings;
use centrale_server_db::{Database, NewUser, UserRow};
use chrono::Utc;
use clap::Subcommand;
use serde_json::json;
use uuid::Uuid;

use super::{audit_admin, open_ready};

/// Where a new password is read from before falling back to a prompt on stdin.
pub const PASSWORD_VAR: &str = "CENTRALE_NEW_PASSWORD";
const MIN_PASSWORD_CHARS: usize = 8;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Crée un compte (mot de passe lu dans CENTRALE_NEW_PASSWORD, sinon demandé).
    Add {
        /// Identifiant de connexion (minuscules, chiffres, « . », « - », « _ »).
        username: String,
        /// director_general, mayor, commune_staff, centrale_staff ou provider_user.
        #[arg(long)]
        role: String,
        /// Nom affiché (dans les signatures et le journal d'audit).
        #[arg(long)]
        name: String,
        /// Code INS de la commune (rôles communaux).
        #[arg(long, value_name = "INS")]
        commune: Option<String>,
        /// Identifiant (UUID) ou nom court du prestataire (rôle provider_user).
        #[arg(long, value_name = "UUID")]
        provider: Option<String>,
        /// female (Madame), male (Monsieur) ou unspecified : accorde le titre
        /// (« directrice générale », « directeur général »).
        #[arg(long, default_value = "unspecified")]
        gender: String,
        /// Adresse e-mail où le compte est prévenu (signatures, offres ouvertes…).
        #[arg(long, value_name = "ADRESSE")]
        email: Option<String>,
        /// Un échevin (membre du collège, rôle commune_staff) : seul un échevin peut être
        /// bourgmestre f.f. ou échevin délégué.
        #[arg(long)]
        alderman: bool,
    },
    /// Donne (ou retire, sans adresse) l'adresse e-mail d'un compte.
    Email {
        /// Identifiant de connexion.
        username: String,
        /// Adresse e-mail ; absente : le compte ne reçoit plus d'e-mail.
        email: Option<String>,
    },
    /// Désactive un compte et déconnecte tous ses appareils.
    Disable {
        /// Identifiant de connexion.
        username: String,
    },
    /// Réactive un compte.
    Enable {
        /// Identifiant de connexion.
        username: String,
    },
    /// Remplace le mot de passe et déconnecte tous les appareils du compte.
    ResetPassword {
        /// Identifiant de connexion.
        username: String,
    },
    /// Indique le genre d'un compte existant (accorde son titre : « directrice générale »).
    SetGender {
        /// Identifiant de connexion.
        username: String,
        /// female (Madame), male (Monsieur) ou unspecified.
        gender: String,
    },
    /// Indique si un compte communal est celui d'un échevin (membre du collège) : seul un
    /// échevin peut être désigné bourgmestre f.f. ou échevin délégué ; son rang (l'ordre du
    /// pacte de majorité) et s'il est de nationalité belge : le bourgmestre empêché est
    /// remplacé par un échevin belge, à défaut de délégation le premier en rang (CDLD
    /// L1123-5, L1123-8).
    SetAlderman {
        /// Identifiant de connexion.
        username: String,
        /// oui (yes, true) ou non (no, false).
        #[arg(value_parser = parse_yes_no, action = clap::ArgAction::Set)]
        alderman: bool,
        /// Rang de l'échevin (1 = premier échevin), selon le pacte de majorité.
        #[arg(long = "rang", alias = "rank", value_name = "N")]
        rank: Option<u32>,
        /// Nationalité belge : oui (par défaut) ou non.
        #[arg(long = "belge", alias = "belgian", value_parser = parse_yes_no, action = clap::ArgAction::Set, default_value = "oui")]
        belgian: bool,
    },
    /// Réinitialise la double authentification d'un compte (téléphone perdu, codes de secours
    /// épuisés) : la personne l'active à nouveau depuis « Mon compte ». Un compte de la centrale
    /// ne peut plus signer avant de l'avoir réactivée.
    ResetSecondFactor {
        /// Identifiant de connexion.
        username: String,
    },
    /// Affiche le code actuel de double authentification d'un compte de démonstration (pour
    /// essayer la démo sans téléphone) ; refusé pour tout autre compte.
    DemoCode {
        /// Identifiant de connexion (un compte de démonstration).
        username: String,
    },
    /// Liste les comptes.
    List,
}

pub async fn run(settings: &Settings, command: UserCommand) -> anyhow::Result<ExitCode> {
    let db = open_ready(settings).await?;
    let result = match command {
        UserCommand::Add {
            username,
            role,
            name,
            commune,
            provider,
            gender,
            email,
            alderman,
        } => {
            let account = NewAccount {
                username: &username,
                role: &role,
                name: &name,
                gender: &gender,
                email,
                alderman,
            };
            add(&db, account, commune, provider).await
        }
        UserCommand::Email { username, email } => set_email(&db, &username, email).await,
        UserCommand::Disable { username } => set_disabled(&db, &username, true).await,
        UserCommand::Enable { username } => set_disabled(&db, &username, false).await,
        UserCommand::ResetPassword { username } => reset_password(&db, &username).await,
        UserCommand::SetGender { username, gender } => set_gender(&db, &username, &gender).await,
        UserCommand::SetAlderman {
            username,
            alderman,
            rank,
            belgian,
        } => set_alderman(&db, &username, alderman, rank, belgian).await,
        UserCommand::ResetSecondFactor { username } => reset_second_factor(&db, &username).await,
        UserCommand::DemoCode { username } => demo_code(&db, &username).await,
        UserCommand::List => list(&db).await,
    };
    db.close().await;
    result.map(|()| ExitCode::SUCCESS)
}

fn check_username(username: &str) -> anyhow::Result<()> {
    let len = username.chars().count();
    let allowed = username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    let starts_well = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !(3..=64).contains(&len) || !allowed || !starts_well {
        bail!(
            "Identifiant « {username} » invalide : de 3 à 64 caractères parmi les lettres minuscules sans accent, les chiffres, « . », « - » et « _ », en commençant par une lettre ou un chiffre (exemple : dg.84009)."
        );
    }
    Ok(())
}

/// Reads a new password from `CENTRALE_NEW_PASSWORD`, or one line of stdin.
fn read_new_password(username: &str) -> anyhow::Result<String> {
    let raw = match std::env::var(PASSWORD_VAR) {
        Ok(value) => value,
        Err(_) => {
            eprint!(
                "Nouveau mot de passe pour « {username} » ({MIN_PASSWORD_CHARS} caractères au moins) : "
            );
            let _ = std::io::stderr().flush();
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| anyhow!("Lecture du mot de passe impossible : {e}"))?;
            line
        }
    };
    let password = raw.trim_end_matches(['\r', '\n']).to_string();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("Le mot de passe doit compter au moins {MIN_PASSWORD_CHARS} caractères.");
    }
    Ok(password)
}

fn hash(password: &str) -> anyhow::Result<String> {
    centrale_server::auth::hash_password(password)
        .map_err(|e| anyhow!("Hachage du mot de passe impossible : {e}"))
}

fn parse_role(role: &str) -> anyhow::Result<Role> {
    Role::parse(role.trim()).ok_or_else(|| {
        anyhow!(
            "Rôle « {role} » inconnu : choisissez director_general, mayor, commune_staff, centrale_staff ou provider_user."
        )
    })
}

/// Checks the commune exists and was not merged into another.
async fn check_commune(db: &Database, nis: &str) -> anyhow::Result<String> {
    let code = NisCode::parse(nis).map_err(|e| anyhow!("{e}"))?;
    let row = db
        .get_record(RecordKind::Commune.as_str(), code.as_str())
        .await?
        .filter(|r| !r.deleted)
        .ok_or_else(|| {
            anyhow!(
                "La commune {} n'existe pas dans la base de données (les communes sont chargées avec les données de référence).",
                code.as_str()
            )
        })?;
    if let Some(successor) = row.body.get("successor").and_then(|s| s.as_str()) {
        let name = row
            .body
            .get("name_fr")
            .and_then(|s| s.as_str())
            .unwrap_or("");
        bail!(
            "La commune {} ({name}) a fusionné dans la commune {successor} : créez le compte pour {successor}.",
            code.as_str()
        );
    }
    Ok(code.as_str().to_string())
}

/// Finds a provider by UUID or short name; returns its id.
async fn find_provider(db: &Database, provider: &str) -> anyhow::Result<String> {
    let wanted = provider.trim();
    let rows = db.list_records(RecordKind::Provider.as_str()).await?;
    let by_id = Uuid::parse_str(wanted).ok().map(|u| u.to_string());
    rows.into_iter()
        .filter(|r| !r.deleted)
        .find(|r| {
            by_id.as_deref() == Some(r.id.as_str())
                || r.body.get("short_name").and_then(|s| s.as_str()) == Some(wanted)
        })
        .map(|r| r.id)
        .ok_or_else(|| anyhow!("Le prestataire « {wanted} » n'existe pas dans la base de données."))
}

/// Who the account is, as typed after `user add` (the account's own fields, the
/// attachment to a commune or a provider).
struct NewAccount<'a> {
    username: &'a str,
    role: &'a str,
    name: &'a str,
    gender: &'a str,
    email: Option<String>,
    alderman: bool,
}

async fn add(
    db: &Database,
    account: NewAccount<'_>,
    commune: Option<String>,
    provider: Option<String>,
) -> anyhow::Result<()> {
    let NewAccount {
        username,
        role,
        name,
        gender,
        email,
        alderman,
    } = account;
    check_username(username)?;
    let email = email.map(|e| check_email(&e)).transpose()?;
    let role = parse_role(role)?;
    let gender = parse_gender(gender)?;
    let display_name = name.trim();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        bail!("Indiquez le nom affiché du compte avec --name (200 caractères au plus).");
    }
    if alderman && role != Role::CommuneStaff {
        bail!("--alderman ne s'emploie qu'avec le rôle commune_staff : le bourgmestre et le directeur général ont leur propre rôle.");
    }
    let (commune_nis, provider_id) = match role {
        r if r.is_commune() => {
            if provider.is_some() {
                bail!("--provider ne s'emploie qu'avec le rôle provider_user.");
            }
            let nis = commune.ok_or_else(|| {
                anyhow!(
                    "Le rôle {} demande une commune : ajoutez --commune <code INS> (exemple : --commune 84009).",
                    r.as_str()
                )
            })?;
            (Some(check_commune(db, &nis).await?), None)
        }
        Role::ProviderUser => {
            if commune.is_some() {
                bail!("--commune ne s'emploie qu'avec les rôles communaux.");
            }
            let p = provider.ok_or_else(|| {
                anyhow!("Le rôle provider_user demande un prestataire : ajoutez --provider <UUID>.")
            })?;
            (None, Some(find_provider(db, &p).await?))
        }
        _ => {
            if commune.is_some() || provider.is_some() {
                bail!("Un compte de la centrale n'est rattaché ni à une commune ni à un prestataire : retirez --commune et --provider.");
            }
            (None, None)
        }
    };
    if db.find_user_by_username(username).await?.is_some() {
        bail!("Un compte « {username} » existe déjà.");
    }
    let password = read_new_password(username)?;
    let user = db
        .insert_user(&NewUser {
            id: Uuid::now_v7().to_string(),
            username: username.to_string(),
            display_name: display_name.to_string(),
            role: role.as_str().to_string(),
            commune_nis: commune_nis.clone(),
            provider_id: provider_id.clone(),
            password_hash: hash(&password)?,
            is_demo: false,
            created_at: Utc::now(),
            gender: gender.as_str().to_string(),
            email,
            alderman,
            alderman_rank: None,
        })
        .await?;
    audit_admin(
        db,
        "user.add",
        json!({
            "user_id": user.id,
            "username": user.username,
            "role": user.role,
            "commune_nis": commune_nis,
            "provider_id": provider_id,
        }),
    )
    .await?;
    println!("Compte « {username} » créé ({}).", role.label_fr());
    Ok(())
}

/// An address the server can write to (the domain's rule, checked here so that a typo is
/// caught at once, not when the first message fails).
fn check_email(email: &str) -> anyhow::Result<String> {
    Ok(centrale_domain::mail::check_email(email, "email")?)
}

async fn set_email(db: &Database, username: &str, email: Option<String>) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    let email = email.map(|e| check_email(&e)).transpose()?;
    db.set_user_email(username, email.as_deref()).await?;
    audit_admin(
        db,
        "user.email",
        json!({ "user_id": user.id, "username": username, "email": email }),
    )
    .await?;
    match email {
        Some(e) => println!("Compte « {username} » : les e-mails iront à {e}."),
        None => println!("Compte « {username} » : plus d'e-mail."),
    }
    Ok(())
}

async fn require_user(db: &Database, username: &str) -> anyhow::Result<UserRow> {
    db.find_user_by_username(username)
        .await?
        .ok_or_else(|| anyhow!("Aucun compte ne porte l'identifiant « {username} »."))
}

fn parse_gender(gender: &str) -> anyhow::Result<centrale_domain::signatory::Gender> {
    centrale_domain::signatory::Gender::parse(gender.trim())
        .ok_or_else(|| anyhow!("--gender vaut female (Madame), male (Monsieur) ou unspecified."))
}

/// A word that is neither yes nor no (clap shows it as the argument's error).
#[derive(Debug, thiserror::Error)]
#[error("« {0} » : répondez oui ou non.")]
struct NotYesOrNo(String);

/// « oui »/« non » (and yes/no, true/false, 1/0) for a flag given as a word.
fn parse_yes_no(value: &str) -> Result<bool, NotYesOrNo> {
    match value.trim().to_lowercase().as_str() {
        "oui" | "yes" | "true" | "1" => Ok(true),
        "non" | "no" | "false" | "0" => Ok(false),
        other => Err(NotYesOrNo(other.to_string())),
    }
}

async fn reset_second_factor(db: &Database, username: &str) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    if !db.turn_off_second_factor(&user.id).await? {
        println!("Le compte « {username} » n'avait pas de double authentification : rien à réinitialiser.");
        return Ok(());
    }
    audit_admin(
        db,
        "user.reset_second_factor",
        json!({ "user_id": user.id, "username": username }),
    )
    .await?;
    println!("Double authentification du compte « {username} » réinitialisée : la personne l'active à nouveau dans « Mon compte » (ses anciens codes et codes de secours ne servent plus).");
    Ok(())
}

async fn demo_code(db: &Database, username: &str) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    let secret = centrale_server::second_factor::demo_secret(username);
    // Only a demo account whose secret is still the demo's: a real secret never leaves the
    // server, and a demo account that set up its own keeps it private too.
    if !user.is_demo || user.second_factor_secret.as_deref() != Some(secret.as_str()) {
        bail!(
            "Le compte « {username} » n'est pas un compte de démonstration avec le secret de démonstration : son code n'est affiché que par son application d'authentification."
        );
    }
    let now = chrono::Utc::now();
    let left = centrale_domain::second_factor::STEP_SECS
        - now.timestamp() % centrale_domain::second_factor::STEP_SECS;
    println!(
        "{} (valable encore {left} s)",
        centrale_server::second_factor::code_at(&secret, now)
    );
    Ok(())
}

async fn set_alderman(
    db: &Database,
    username: &str,
    alderman: bool,
    rank: Option<u32>,
    belgian: bool,
) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    if user.role != Role::CommuneStaff.as_str() {
        bail!(
            "Le compte « {username} » a le rôle {} : seul un compte commune_staff peut être celui d'un échevin.",
            user.role
        );
    }
    if rank == Some(0) || rank.is_some_and(|r| r > 20) {
        bail!("Le rang d'un échevin va de 1 (premier échevin) à 20 : vérifiez --rang.");
    }
    if rank.is_some() && !alderman {
        bail!("--rang ne s'emploie que pour un échevin (oui).");
    }
    db.set_user_alderman(username, alderman, rank.map(i64::from), belgian)
        .await?;
    audit_admin(
        db,
        "user.set_alderman",
        json!({ "user_id": user.id, "username": username, "alderman": alderman,
            "rank": rank, "belgian": belgian }),
    )
    .await?;
    if alderman {
        let rank = rank.map_or("rang non indiqué".to_string(), |r| format!("rang {r}"));
        let nationality = if belgian {
            "de nationalité belge : il peut être bourgmestre f.f."
        } else {
            "pas de nationalité belge : il ne peut pas être bourgmestre f.f. (CDLD, art. L1123-5)"
        };
        println!("Compte « {username} » : échevin (membre du collège), {rank}, {nationality}. Il peut être échevin délégué.");
    } else {
        println!("Compte « {username} » : n'est plus indiqué comme échevin. Les remplacements déjà enregistrés ne changent pas.");
    }
    Ok(())
}

async fn set_gender(db: &Database, username: &str, gender: &str) -> anyhow::Result<()> {
    let gender = parse_gender(gender)?;
    let user = require_user(db, username).await?;
    db.set_user_gender(username, gender.as_str()).await?;
    audit_admin(
        db,
        "user.set_gender",
        json!({ "user_id": user.id, "username": username, "gender": gender.as_str() }),
    )
    .await?;
    println!(
        "Compte « {username} » : genre enregistré ({}). Les signatures déjà données gardent leur titre.",
        gender.as_str()
    );
    Ok(())
}

async fn set_disabled(db: &Database, username: &str, disabled: bool) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    db.set_user_disabled(username, disabled).await?;
    if disabled {
        let (revoked, sessions) = end_sessions(db, &user).await?;
        audit_admin(
            db,
            "user.disable",
            json!({ "user_id": user.id, "username": username, "tokens_revoked": revoked, "web_sessions_ended": sessions }),
        )
        .await?;
        println!(
            "Compte « {username} » désactivé ; appareils déconnectés : {revoked} ; sessions du portail fermées : {sessions}."
        );
    } else {
        audit_admin(
            db,
            "user.enable",
            json!({ "user_id": user.id, "username": username }),
        )
        .await?;
        println!("Compte « {username} » réactivé.");
    }
    Ok(())
}

async fn reset_password(db: &Database, username: &str) -> anyhow::Result<()> {
    let user = require_user(db, username).await?;
    let password = read_new_password(username)?;
    db.set_user_password(username, &hash(&password)?).await?;
    let (revoked, sessions) = end_sessions(db, &user).await?;
    audit_admin(
        db,
        "user.reset_password",
        json!({ "user_id": user.id, "username": username, "tokens_revoked": revoked, "web_sessions_ended": sessions }),
    )
    .await?;
    println!(
        "Mot de passe de « {username} » remplacé ; appareils déconnectés : {revoked} ; sessions du portail fermées : {sessions}."
    );
    Ok(())
}

/// Ends everything the account had opened with its old password or while enabled: the
/// device tokens (API) and the portal's web sessions. Returns how many of each.
async fn end_sessions(db: &Database, user: &UserRow) -> anyhow::Result<(u64, u64)> {
    let revoked = db.revoke_user_tokens(&user.id, Utc::now()).await?;
    let sessions = db.delete_user_web_sessions(&user.id).await?;
    Ok((revoked, sessions))
}

async fn list(db: &Database) -> anyhow::Result<()> {
    let users = db.list_users().await?;
    if users.is_empty() {
        println!("Aucun compte.");
        return Ok(());
    }
    let names = |kind: RecordKind, field: &'static str| async move {
        let rows = db.list_records(kind.as_str()).await?;
        Ok::<_, anyhow::Error>(
            rows.into_iter()
                .filter_map(|r| {
                    let name = r.body.get(field)?.as_str()?.to_string();
                    Some((r.id, name))
                })
                .collect::<BTreeMap<String, String>>(),
        )
    };
    let communes = names(RecordKind::Commune, "name_fr").await?;
    let providers = names(RecordKind::Provider, "short_name").await?;
    let yes_no = |b: bool| if b { "oui" } else { "non" }.to_string();
    let mut rows = vec![[
        "IDENTIFIANT".to_string(),
        "RÔLE".to_string(),
        "COMMUNE / PRESTATAIRE".to_string(),
        "DÉSACTIVÉ".to_string(),
        "DÉMO".to_string(),
    ]];
    for u in &users {
        let attached = match (&u.commune_nis, &u.provider_id) {
            (Some(nis), _) => match communes.get(nis) {
                Some(name) => format!("{nis} {name}"),
                None => nis.clone(),
            },
            (None, Some(p)) => providers.get(p).cloned().unwrap_or_else(|| p.clone()),
            (None, None) => "—".to_string(),
        };
        rows.push([
            u.username.clone(),
            if u.alderman {
                match u.alderman_rank {
                    Some(rank) => format!("{} (échevin, rang {rank})", u.role),
                    None => format!("{} (échevin)", u.role),
                }
            } else {
                u.role.clone()
            },
            attached,
            yes_no(u.disabled),
            yes_no(u.is_demo),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
