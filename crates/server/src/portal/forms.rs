//! The forms: login and logout, the offer (submit or replace), the deployment milestones.
//!
//! Every POST checks the CSRF token first and writes nothing when it is missing or wrong.
//! Every write is a named mutation applied by `engine::apply` (permission → domain rule →
//! write → audit → change log), exactly as if the provider's desktop app had pushed it. On a
//! refusal the form comes back with what was typed and the domain's French message next to
//! the field it concerns.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use centrale_domain::catalogue::FrameworkTerms;
use centrale_domain::deployment::{Milestone, MilestoneStatus};
use centrale_domain::format_date;
use centrale_domain::offer::{price_offer, Invitation, InvitationStatus, Offer, OfferLineInput};
use centrale_domain::role::Role;
use centrale_protocol::mutations::{Mutation, SubmitOffer, UpdateMilestone};
use centrale_protocol::{MutationEnvelope, MutationResult, MutationStatus};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::amounts::{cents_for_input, decimal_fr, parse_date, parse_euros};
use super::error::PortalError;
use super::layout::{
    alert, brussels, deadline_block, error_for, error_summary, page, respond, tag, FieldError,
};
use super::pages::{invitation_heading, load_invitation, needs_section};
use super::read::{self, Context};
use super::session::{
    self, clear_cookie, cookie, random_token, set_cookie, tokens_match, ProviderSession,
    LOGIN_COOKIE, SESSION_COOKIE,
};
use crate::actor::Actor;
use crate::auth::{login_wait, verify_password};
use crate::engine::{self, EngineError, ParsedMutation};
use crate::state::AppState;

/// A submitted form: name/value pairs as sent (repeated names kept).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The refusal of a form whose CSRF token is missing or wrong: nothing was written.
fn csrf_refused(now: DateTime<Utc>) -> Response {
    super::layout::message_page_at(
        StatusCode::FORBIDDEN,
        "Formulaire refusé",
        "Ce formulaire a expiré ou ne vient pas du portail : rien n'a été enregistré. Revenez à la page précédente, rechargez-la, puis envoyez à nouveau le formulaire.",
        Some(now),
    )
}

fn csrf_ok(session: &ProviderSession, fields: &Fields) -> bool {
    tokens_match(&session.csrf, field(fields, "csrf"))
}

/// The client id the portal's mutations are recorded under: stable for one web session (so
/// the audit log groups what one login did), derived from the session's hash and never equal
/// to it.
fn client_id(session: &ProviderSession) -> Uuid {
    let digest = Sha256::digest(format!("portail:{}", session.id_hash).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Applies one mutation through the one write path, with a fresh v7 mutation id.
async fn apply(
    state: &AppState,
    session: &ProviderSession,
    mutation: Mutation,
) -> Result<MutationResult, PortalError> {
    let payload = match &mutation {
        Mutation::SubmitOffer(p) => serde_json::to_value(p),
        Mutation::UpdateMilestone(p) => serde_json::to_value(p),
        other => {
            return Err(PortalError::Internal(format!(
                "the portal does not send {}",
                other.name()
            )))
        }
    }
    .map_err(|e| PortalError::Internal(e.to_string()))?;
    let parsed = ParsedMutation {
        envelope: MutationEnvelope {
            mutation_id: Uuid::now_v7(),
            // Increasing for one client, as the protocol expects; the portal has no outbox.
            client_seq: state.clock.now().timestamp_micros(),
            name: mutation.name().to_string(),
            base_version: None,
            payload,
        },
        mutation,
    };
    engine::apply(state, &session.actor, client_id(session), &parsed)
        .await
        .map_err(|e| match e {
            EngineError::Db(e) => PortalError::Db(e),
            other => PortalError::Internal(other.to_string()),
        })
}

// ---- login and logout ----------------------------------------------------------------------

/// What the login page shows besides the form.
enum LoginNotice {
    None,
    LoggedOut,
    Error(String),
}

fn login_page(
    status: StatusCode,
    token: &str,
    username: &str,
    notice: LoginNotice,
    secure: bool,
) -> Response {
    let content = html! {
        div class="narrow" {
            h1 { "Connexion au portail des prestataires" }
            p class="lead" { "Consultez les invitations à remettre offre de la centrale d'achat, remettez vos offres avant la date limite et suivez vos déploiements." }
            @match &notice {
                LoginNotice::LoggedOut => (alert("success", "logged-out", "Vous êtes déconnecté.", "")),
                LoginNotice::Error(message) => (alert("error", "login-error", "Connexion impossible", message)),
                LoginNotice::None => {},
            }
            form method="post" action="/portail/connexion" class="form" data-testid="login-form" {
                input type="hidden" name="csrf" value=(token);
                div class="field" {
                    label for="identifiant" { "Nom d'utilisateur" }
                    p class="hint" id="identifiant-hint" { "Celui que la centrale vous a communiqué, par exemple prestataire.nuagix." }
                    input id="identifiant" name="identifiant" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required value=(username)
                        aria-describedby="identifiant-hint";
                }
                div class="field" {
                    label for="mot-de-passe" { "Mot de passe" }
                    input id="mot-de-passe" name="mot_de_passe" type="password" autocomplete="current-password" required;
                }
                button type="submit" class="button" data-testid="login-submit" { "Se connecter" }
            }
            p class="muted" { "Compte oublié ou bloqué ? Contactez la centrale d'achat de l'intercommunale." }
        }
    };
    let mut response = respond(status, page("Connexion", None, None, content));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, token, Some(3600), secure),
    );
    response
}

/// `GET /portail/connexion`.
pub async fn login_form(
    State(state): State<AppState>,
    session: Result<ProviderSession, session::NoSession>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    if session.is_ok() {
        return Redirect::to("/portail/invitations").into_response();
    }
    let notice = if field(&query, "deconnecte") == "1" {
        LoginNotice::LoggedOut
    } else {
        LoginNotice::None
    };
    login_page(
        StatusCode::OK,
        &random_token(),
        "",
        notice,
        state.settings.served_over_https(),
    )
}

/// `POST /portail/connexion`: checks the login form's token, the throttle (the same one as the
/// API's), the password, then the role; opens a session for provider accounts only.
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let secure = state.settings.served_over_https();
    let username = field(&fields, "identifiant").trim().to_string();
    let password = field(&fields, "mot_de_passe").to_string();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if !tokens_match(&expected, field(&fields, "csrf")) {
        return login_page(
            StatusCode::FORBIDDEN,
            &random_token(),
            &username,
            LoginNotice::Error("La page de connexion a expiré. Saisissez à nouveau votre mot de passe et reconnectez-vous.".into()),
            secure,
        );
    }
    let again = |status: StatusCode, message: &str| {
        login_page(
            status,
            &expected,
            &username,
            LoginNotice::Error(message.into()),
            secure,
        )
    };
    let wrong = "Nom d'utilisateur ou mot de passe incorrect. Vérifiez-les et réessayez.";
    if username.is_empty() || username.len() > 100 || password.is_empty() || password.len() > 1000 {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Indiquez votre nom d'utilisateur et votre mot de passe.",
        );
    }
    let now = state.clock.now();
    let user = match state.db.find_user_by_username(&username).await {
        Ok(Some(u)) => u,
        Ok(None) => return again(StatusCode::UNAUTHORIZED, wrong),
        Err(e) => return PortalError::from(e).into_response(),
    };
    if let Some(wait) = login_wait(
        user.failed_logins,
        state.settings.login_free_attempts,
        user.last_failed_at,
        now,
    ) {
        let mut response = again(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "Trop de tentatives de connexion échouées. Par sécurité, attendez {} minute(s) avant de réessayer.",
                (wait + 59) / 60
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return response;
    }
    let hash = user.password_hash.clone();
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !valid {
        if let Err(e) = state.db.record_login_failure(&user.id, now).await {
            return PortalError::from(e).into_response();
        }
        return again(StatusCode::UNAUTHORIZED, wrong);
    }
    if user.disabled {
        return again(
            StatusCode::FORBIDDEN,
            "Ce compte est désactivé. Contactez la centrale d'achat pour le réactiver.",
        );
    }
    if let Err(e) = state.db.reset_login_failures(&user.id).await {
        return PortalError::from(e).into_response();
    }
    let actor = Actor::from_user(&user);
    let Some(actor) = actor.filter(|a| a.role == Role::ProviderUser && a.provider_id.is_some())
    else {
        let role = Role::parse(&user.role).map_or("inconnu", |r| r.label_fr());
        return again(
            StatusCode::FORBIDDEN,
            &format!(
                "Ce portail est réservé aux prestataires. Votre compte ({role}) s'utilise dans l'application Centrale de votre commune ou de la centrale d'achat."
            ),
        );
    };
    let value = match session::open(&state, &actor).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let mut response = Redirect::to("/portail/invitations").into_response();
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &value, None, secure),
    );
    h.append(header::SET_COOKIE, clear_cookie(LOGIN_COOKIE, secure));
    response
}

/// `POST /portail/deconnexion`.
pub async fn logout(
    State(state): State<AppState>,
    session: ProviderSession,
    Form(fields): Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    if let Err(e) = state.db.delete_web_session(&session.id_hash).await {
        return PortalError::from(e).into_response();
    }
    let mut response = Redirect::to("/portail/connexion?deconnecte=1").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        clear_cookie(SESSION_COOKIE, state.settings.served_over_https()),
    );
    response
}

// ---- the offer -----------------------------------------------------------------------------

/// What the offer form holds: as typed, so nothing is lost on a refusal.
#[derive(Debug, Clone, Default)]
struct OfferValues {
    prices: Vec<String>,
    lead_time: String,
    notes: String,
}

impl OfferValues {
    fn from_offer(inv: &Invitation, offer: Option<&Offer>) -> OfferValues {
        let Some(offer) = offer else {
            return OfferValues {
                prices: vec![String::new(); inv.needs.lines.len()],
                ..OfferValues::default()
            };
        };
        OfferValues {
            prices: inv
                .needs
                .lines
                .iter()
                .map(|need| {
                    offer
                        .lines
                        .iter()
                        .find(|l| l.price_line_code == need.price_line_code)
                        .map(|l| cents_for_input(l.unit_price_cents))
                        .unwrap_or_default()
                })
                .collect(),
            lead_time: offer.lead_time_days.to_string(),
            notes: offer.notes.clone(),
        }
    }

    fn from_fields(inv: &Invitation, fields: &Fields) -> OfferValues {
        OfferValues {
            prices: (0..inv.needs.lines.len())
                .map(|i| field(fields, &format!("prix-{i}")).to_string())
                .collect(),
            lead_time: field(fields, "delai").to_string(),
            notes: field(fields, "remarques").to_string(),
        }
    }
}

fn line_label(terms: Option<&FrameworkTerms>, code: &str) -> String {
    terms
        .and_then(|t| t.price_line(code))
        .map_or_else(|| code.to_string(), |l| l.label_fr.clone())
}

struct OfferForm<'a> {
    session: &'a ProviderSession,
    now: DateTime<Utc>,
    inv: &'a Invitation,
    ctx: &'a Context,
    own: Option<&'a Offer>,
    values: OfferValues,
    errors: Vec<FieldError>,
}

fn text_field(
    id: &str,
    label: &str,
    hint: &str,
    value: &str,
    error: Option<&str>,
    inputmode: &str,
    suffix: &str,
) -> Markup {
    let described = if error.is_some() {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-hint")
    };
    html! {
        div class={ "field" @if error.is_some() { " field--error" } } {
            label for=(id) { (label) }
            p class="hint" id={ (id) "-hint" } { (hint) }
            @if let Some(message) = error {
                p class="field-error" id={ (id) "-error" } data-testid={ (id) "-error" } {
                    span class="visually-hidden" { "Erreur : " } (message)
                }
            }
            div class={ "input-with-suffix" @if !suffix.is_empty() { " input-with-suffix--amount" } } {
                input id=(id) name=(id) type="text" inputmode=(inputmode) autocomplete="off"
                    value=(value) aria-describedby=(described) aria-invalid=[error.map(|_| "true")];
                @if !suffix.is_empty() { span class="input-suffix" aria-hidden="true" { (suffix) } }
            }
        }
    }
}

fn offer_form_page(f: OfferForm<'_>, status: StatusCode) -> Response {
    let OfferForm {
        session,
        now,
        inv,
        ctx,
        own,
        values,
        errors,
    } = f;
    let terms = ctx.terms.as_ref();
    let general: Vec<&FieldError> = errors.iter().filter(|e| e.field == "offre").collect();
    let content = html! {
        (invitation_heading(inv, ctx))
        (error_summary(&errors.iter().filter(|e| e.field != "offre").cloned().collect::<Vec<_>>()))
        @for e in &general {
            (alert("error", "offer-error", "Votre offre n'a pas été enregistrée", &e.message))
        }
        (deadline_block(inv.deadline, now))
        h2 { @if own.is_some() { "Remplacer votre offre" } @else { "Remettre votre offre" } }
        @if let Some(o) = own {
            p class="notice" data-testid="replace-notice" {
                "Vous avez remis une offre le " (brussels(o.submitted_at)) " (version " (o.revision) "). "
                "En envoyant ce formulaire, vous la remplacez : seule la dernière version sera ouverte à la date limite."
            }
        }
        p { "Indiquez un prix unitaire hors TVA pour chaque ligne demandée par la commune. Chaque prix doit rester inférieur ou égal au plafond de l'accord-cadre. Les montants TVAC (TVA de 21 %) sont calculés par le serveur. Vous vérifierez le récapitulatif avant de remettre l'offre." }
        form method="post" action={ "/portail/invitations/" (inv.id) "/offre" } class="form" novalidate data-testid="offer-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            fieldset class="fieldset" {
                legend { "Prix unitaires" }
                @for (i, need) in inv.needs.lines.iter().enumerate() {
                    @let schedule = terms.and_then(|t| t.price_line(&need.price_line_code));
                    @let id = format!("prix-{i}");
                    @let hint = format!(
                        "Quantité demandée : {}{}. Plafond de l'accord-cadre : {} HTVA. Exemple : 1 234,56",
                        decimal_fr(need.quantity),
                        schedule.map_or(String::new(), |s| format!(" ({})", s.unit_fr)),
                        schedule.map_or("—".to_string(), |s| s.ceiling_cents.format()),
                    );
                    (text_field(
                        &id,
                        &format!("{} — prix unitaire HTVA", line_label(terms, &need.price_line_code)),
                        &hint,
                        values.prices.get(i).map_or("", String::as_str),
                        error_for(&errors, &id),
                        "decimal",
                        "€ HTVA",
                    ))
                }
            }
            (text_field(
                "delai",
                "Délai de mise en œuvre",
                "En jours, à compter du bon de commande (entre 1 et 730). Exemple : 60",
                &values.lead_time,
                error_for(&errors, "delai"),
                "numeric",
                "jours",
            ))
            @let notes_error = error_for(&errors, "remarques");
            div class={ "field" @if notes_error.is_some() { " field--error" } } {
                label for="remarques" { "Remarques techniques (facultatif)" }
                p class="hint" id="remarques-hint" { "Hébergement, support, options… 10 000 caractères au plus." }
                @if let Some(message) = notes_error {
                    p class="field-error" id="remarques-error" { span class="visually-hidden" { "Erreur : " } (message) }
                }
                textarea id="remarques" name="remarques" rows="6" aria-describedby="remarques-hint" { (values.notes) }
            }
            input type="hidden" name="etape" value="verifier";
            div class="actions" {
                button type="submit" class="button" data-testid="submit-offer" {
                    "Vérifier mon offre"
                }
                a class="button button--secondary" href={ "/portail/invitations/" (inv.id) } { "Annuler" }
            }
        }
        (needs_section(inv, terms))
    };
    let mut response = respond(
        status,
        page(
            if own.is_some() {
                "Remplacer votre offre"
            } else {
                "Remettre votre offre"
            },
            Some(session),
            Some(now),
            content,
        ),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The page shown instead of the form once offers can no longer be sent.
fn closed_page(
    session: &ProviderSession,
    now: DateTime<Utc>,
    inv: &Invitation,
    ctx: &Context,
    status: StatusCode,
    message: &str,
) -> Response {
    let content = html! {
        (invitation_heading(inv, ctx))
        (alert("error", "offer-closed", "Les offres ne peuvent plus être remises", message))
        (deadline_block(inv.deadline, now))
        p { a class="button button--secondary" href={ "/portail/invitations/" (inv.id) } { "Retour à l'invitation" } }
    };
    respond(
        status,
        page(
            "Remise des offres clôturée",
            Some(session),
            Some(now),
            content,
        ),
    )
}

fn closed_message(inv: &Invitation) -> String {
    if inv.status == InvitationStatus::Withdrawn {
        "La commune a retiré sa demande : aucune offre ne peut plus être remise.".into()
    } else {
        format!(
            "La date limite du {} (heure de Bruxelles) est passée : aucune offre ne peut plus être remise ni remplacée.",
            brussels(inv.deadline)
        )
    }
}

async fn offer_context(
    state: &AppState,
    session: &ProviderSession,
    inv: &Invitation,
) -> Result<(Context, Option<Offer>), PortalError> {
    let ctx = read::context(state, &session.provider_id, inv).await?;
    let own = read::own_offer(state, &session.provider_id, inv).await?;
    Ok((ctx, own))
}

/// `GET /portail/invitations/{id}/offre`.
pub async fn offer_form(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
) -> Response {
    let now = state.clock.now();
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let (ctx, own) = match offer_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if now >= inv.deadline || inv.status == InvitationStatus::Withdrawn {
        return closed_page(
            &session,
            now,
            &inv,
            &ctx,
            StatusCode::OK,
            &closed_message(&inv),
        );
    }
    let values = OfferValues::from_offer(&inv, own.as_ref());
    offer_form_page(
        OfferForm {
            session: &session,
            now,
            inv: &inv,
            ctx: &ctx,
            own: own.as_ref(),
            values,
            errors: vec![],
        },
        StatusCode::OK,
    )
}

/// Puts a refusal of `offer.submit` next to the field it is about.
fn offer_errors(
    result: &MutationResult,
    inv: &Invitation,
    terms: Option<&FrameworkTerms>,
) -> Vec<FieldError> {
    let message = result
        .message
        .clone()
        .unwrap_or_else(|| "L'offre a été refusée.".into());
    refusal_errors(
        result.code.as_deref().unwrap_or(""),
        message,
        &result.details,
        inv,
        terms,
    )
}

/// Puts a refusal (its code, French message and details) next to the field it is about.
fn refusal_errors(
    code: &str,
    message: String,
    details: &serde_json::Value,
    inv: &Invitation,
    terms: Option<&FrameworkTerms>,
) -> Vec<FieldError> {
    let field = match code {
        // The domain names the line by its label: find which need line that is.
        "price_above_ceiling" => details["line"].as_str().and_then(|label| {
            inv.needs
                .lines
                .iter()
                .position(|n| line_label(terms, &n.price_line_code) == label)
                .map(|i| format!("prix-{i}"))
        }),
        "invalid_input" => details["field"].as_str().and_then(|f| {
            if f == "lead_time_days" {
                Some("delai".to_string())
            } else if f == "notes" {
                Some("remarques".to_string())
            } else {
                f.strip_prefix("lines[")
                    .and_then(|rest| rest.split_once(']'))
                    .and_then(|(i, _)| i.parse::<usize>().ok())
                    .filter(|i| *i < inv.needs.lines.len())
                    .map(|i| format!("prix-{i}"))
            }
        }),
        _ => None,
    };
    vec![FieldError::new(
        field.unwrap_or_else(|| "offre".into()),
        message,
    )]
}

/// `POST /portail/invitations/{id}/offre`: submits or replaces this provider's offer.
pub async fn submit_offer(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let (ctx, own) = match offer_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let terms = ctx.terms.as_ref();
    let step = field(&fields, "etape");
    // Past the deadline there is nothing to review or change. A confirmation still goes to the
    // server, whose rule (and clock) decides and whose refusal is shown.
    if step != "confirmer" && (now >= inv.deadline || inv.status == InvitationStatus::Withdrawn) {
        return closed_page(
            &session,
            now,
            &inv,
            &ctx,
            StatusCode::CONFLICT,
            &closed_message(&inv),
        );
    }
    let values = OfferValues::from_fields(&inv, &fields);
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, need) in inv.needs.lines.iter().enumerate() {
        match parse_euros(&values.prices[i]) {
            Ok(cents) => lines.push(OfferLineInput {
                price_line_code: need.price_line_code.clone(),
                unit_price_cents: cents,
            }),
            Err(message) => {
                tracing::debug!(code = message.code(), line = i, "offer price not readable");
                errors.push(FieldError::new(
                    format!("prix-{i}"),
                    format!(
                        "Prix unitaire de « {} » : {message}",
                        line_label(terms, &need.price_line_code)
                    ),
                ))
            }
        }
    }
    let lead_time = values.lead_time.trim().parse::<u32>();
    if lead_time.is_err() {
        errors.push(FieldError::new(
            "delai",
            "Indiquez le délai de mise en œuvre en nombre de jours, par exemple 60.",
        ));
    }
    let form = |values: OfferValues, errors: Vec<FieldError>, status| {
        offer_form_page(
            OfferForm {
                session: &session,
                now,
                inv: &inv,
                ctx: &ctx,
                own: own.as_ref(),
                values,
                errors,
            },
            status,
        )
    };
    if !errors.is_empty() {
        return form(values, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match step {
        // Back from the summary: the form, as typed.
        "modifier" => return form(values, vec![], StatusCode::OK),
        "confirmer" => {}
        // An act with legal weight: first the summary of exactly what will be sent. The
        // ceilings are checked here already (the server checks everything again on sending).
        _ => {
            let Some(terms) = terms else {
                return form(
                    values,
                    vec![FieldError::new(
                        "offre",
                        "Les conditions de l'accord-cadre de cette commande sont introuvables. Contactez la centrale d'achat.",
                    )],
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            };
            return match price_offer(terms, &inv.needs, &lines) {
                Ok((priced, total)) => {
                    super::review::offer_review_page(super::review::OfferReview {
                        session: &session,
                        now,
                        inv: &inv,
                        ctx: &ctx,
                        own: own.as_ref(),
                        prices: &values.prices,
                        lead_time: &values.lead_time,
                        notes: &values.notes,
                        lines: &priced,
                        total,
                    })
                }
                Err(e) => {
                    let errors =
                        refusal_errors(e.code(), e.to_string(), &e.params(), &inv, Some(terms));
                    form(values, errors, StatusCode::UNPROCESSABLE_ENTITY)
                }
            };
        }
    }
    let payload = SubmitOffer {
        // Reusing the id of the offer already submitted is what makes this a replacement.
        offer_id: own.as_ref().map_or_else(Uuid::now_v7, |o| o.id),
        invitation_id: inv.id,
        lines,
        lead_time_days: lead_time.unwrap_or_default(),
        notes: values.notes.clone(),
    };
    let result = match apply(&state, &session, Mutation::SubmitOffer(payload)).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    match result.status {
        MutationStatus::Applied => {
            Redirect::to(&format!("/portail/invitations/{}/recu?envoye=1", inv.id)).into_response()
        }
        _ => match result.code.as_deref() {
            Some("deadline_passed" | "competition_closed") => closed_page(
                &session,
                now,
                &inv,
                &ctx,
                StatusCode::CONFLICT,
                result.message.as_deref().unwrap_or(&closed_message(&inv)),
            ),
            _ => {
                let errors = offer_errors(&result, &inv, terms);
                form(values, errors, StatusCode::UNPROCESSABLE_ENTITY)
            }
        },
    }
}

// ---- milestones ----------------------------------------------------------------------------

/// A milestone form as typed, with its errors, after a refusal.
struct MilestoneEdit {
    id: Uuid,
    planned: String,
    actual: String,
    notes: String,
    errors: Vec<FieldError>,
}

fn milestone_status(m: &Milestone, today: chrono::NaiveDate) -> Markup {
    match m.status_on(today) {
        MilestoneStatus::Done => tag("done", "✓", "Réalisé"),
        MilestoneStatus::Late => tag("late", "!", "En retard"),
        MilestoneStatus::Planned => tag("todo", "○", "Prévu"),
    }
}

#[allow(clippy::too_many_arguments)]
fn milestones_page(
    session: &ProviderSession,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
    inv: &Invitation,
    ctx: &Context,
    milestones: &[Milestone],
    edit: Option<&MilestoneEdit>,
    saved: Option<&str>,
    status: StatusCode,
) -> Response {
    let content = html! {
        (invitation_heading(inv, ctx))
        h2 { "Suivi du déploiement" }
        @if let Some(label) = saved {
            (alert("success", "milestone-saved", &format!("Jalon « {label} » enregistré."), "La commune voit la mise à jour dans son application."))
        }
        @if let Some(e) = edit {
            @for err in &e.errors {
                (alert("error", "milestone-error", "Ce jalon n'a pas été enregistré", &err.message))
            }
        }
        p { "Indiquez les dates prévues et, une fois l'étape franchie, sa date réelle. Les dates s'écrivent jour/mois/année, par exemple 15/01/2027. Les réceptions provisoire et définitive sont signées par la commune." }
        ol class="milestones" data-testid="milestones" {
            @for m in milestones {
                @let this = edit.filter(|e| e.id == m.id);
                @let planned = this.map_or_else(|| format_date(m.planned_date), |e| e.planned.clone());
                @let actual = this.map_or_else(|| m.actual_date.map(format_date).unwrap_or_default(), |e| e.actual.clone());
                @let notes = this.map_or_else(|| m.notes.clone(), |e| e.notes.clone());
                @let errors = this.map_or(&[][..], |e| e.errors.as_slice());
                li class="milestone card" data-testid={ "milestone-" (serde_json::to_value(m.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()) } {
                    h3 class="card__title" { (m.kind.label_fr()) }
                    p { (milestone_status(m, today)) }
                    p class="muted" {
                        "Prévu le " (format_date(m.planned_date))
                        @if let Some(a) = m.actual_date { " · réalisé le " (format_date(a)) }
                        @if let (Some(at), Some(by)) = (m.acknowledged_at, &m.acknowledged_by) {
                            " · pris en compte par la commune le " (brussels(at)) " (" (by) ")"
                        }
                    }
                    form method="post" action={ "/portail/invitations/" (inv.id) "/jalons/" (m.id) } class="form form--compact" {
                        input type="hidden" name="csrf" value=(session.csrf);
                        div class="row" {
                            (text_field(&format!("prevu-{}", m.id), "Date prévue", "jj/mm/aaaa", &planned, error_for(errors, "prevu"), "numeric", ""))
                            @if m.kind.is_acceptance() {
                                div class="field" {
                                    p class="label" { "Date réelle" }
                                    p class="hint" { "Signée par la commune." }
                                    p { (m.actual_date.map_or_else(|| "—".to_string(), format_date)) }
                                }
                            } @else {
                                (text_field(&format!("realise-{}", m.id), "Date réelle", "jj/mm/aaaa, une fois l'étape franchie", &actual, error_for(errors, "realise"), "numeric", ""))
                            }
                        }
                        div class="field" {
                            label for={ "notes-" (m.id) } { "Notes" }
                            textarea id={ "notes-" (m.id) } name="notes" rows="3" { (notes) }
                        }
                        button type="submit" class="button button--secondary" data-testid="save-milestone" { "Enregistrer ce jalon" }
                    }
                }
            }
        }
    };
    let mut response = respond(
        status,
        page("Suivi du déploiement", Some(session), Some(now), content),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn milestones_context(
    state: &AppState,
    session: &ProviderSession,
    inv: &Invitation,
) -> Result<(Context, Vec<Milestone>), PortalError> {
    let ctx = read::context(state, &session.provider_id, inv).await?;
    let list = read::milestones(state, &session.provider_id, inv).await?;
    Ok((ctx, list))
}

/// `GET /portail/invitations/{id}/jalons` (the winner only: others get the 404 page).
pub async fn milestones(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let now = state.clock.now();
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let (ctx, list) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if list.is_empty() {
        return super::pages::not_found_page(Some(now));
    }
    let saved = list
        .iter()
        .find(|m| m.id.to_string() == field(&query, "enregistre"))
        .map(|m| m.kind.label_fr());
    milestones_page(
        &session,
        now,
        state.clock.today(),
        &inv,
        &ctx,
        &list,
        None,
        saved,
        StatusCode::OK,
    )
}

/// `POST /portail/invitations/{id}/jalons/{milestone_id}`.
pub async fn update_milestone(
    State(state): State<AppState>,
    session: ProviderSession,
    Path((id, milestone_id)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let (ctx, list) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(m) = list.iter().find(|m| m.id.to_string() == milestone_id) else {
        return super::pages::not_found_page(Some(now));
    };
    let mut edit = MilestoneEdit {
        id: m.id,
        planned: field(&fields, &format!("prevu-{}", m.id)).to_string(),
        actual: field(&fields, &format!("realise-{}", m.id)).to_string(),
        notes: field(&fields, "notes").to_string(),
        errors: vec![],
    };
    let optional_date = |text: &str, name: &str, errors: &mut Vec<FieldError>| {
        if text.trim().is_empty() {
            return None;
        }
        parse_date(text)
            .map_err(|e| {
                tracing::debug!(code = e.code(), field = name, "milestone date not readable");
                errors.push(FieldError::new(name, e.to_string()))
            })
            .ok()
    };
    let planned = optional_date(&edit.planned.clone(), "prevu", &mut edit.errors);
    let actual = if m.kind.is_acceptance() {
        None
    } else {
        optional_date(&edit.actual.clone(), "realise", &mut edit.errors)
    };
    let today = state.clock.today();
    let page_with = |edit: &MilestoneEdit, status| {
        milestones_page(
            &session,
            now,
            today,
            &inv,
            &ctx,
            &list,
            Some(edit),
            None,
            status,
        )
    };
    if !edit.errors.is_empty() {
        return page_with(&edit, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mutation = Mutation::UpdateMilestone(UpdateMilestone {
        milestone_id: m.id,
        planned_date: planned,
        actual_date: actual,
        notes: Some(edit.notes.trim().to_string()),
    });
    let result = match apply(&state, &session, mutation).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if result.status == MutationStatus::Applied {
        return Redirect::to(&format!(
            "/portail/invitations/{}/jalons?enregistre={}",
            inv.id, m.id
        ))
        .into_response();
    }
    let field_name = match result.details["field"].as_str() {
        Some("actual_date") => "realise",
        Some("planned_date") => "prevu",
        _ => "jalon",
    };
    edit.errors.push(FieldError::new(
        field_name,
        result
            .message
            .unwrap_or_else(|| "La mise à jour a été refusée.".into()),
    ));
    page_with(&edit, StatusCode::UNPROCESSABLE_ENTITY)
}
