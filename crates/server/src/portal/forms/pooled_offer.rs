//! The offer for a pooled call-off (« marché groupé », issue 16 §4): several communes join one
//! call-off the centrale launches, so the provider receives one invitation per commune but
//! answers once, with one set of unit prices for the pooled volume, which the server prices on
//! each commune's own quantities (`offer.submit_pooled`). The form, the summary to confirm and
//! the submission work as for an ordinary offer (`offer.rs`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use centrale_domain::catalogue::FrameworkTerms;
use centrale_domain::money::Amount;
use centrale_domain::offer::{
    price_offer, Invitation, InvitationStatus, Offer, OfferLine, OfferLineInput,
};
use centrale_domain::pool::PooledCallOff;
use centrale_protocol::mutations::{Mutation, SubmitPooledOffer};
use centrale_protocol::{MutationResult, MutationStatus};
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use uuid::Uuid;

use crate::portal::amounts::{cents_for_input, decimal_fr, parse_euros};
use crate::portal::error::PortalError;
use crate::portal::layout::{
    alert, brussels, deadline_block, error_for, error_summary, page, respond, FieldError,
};
use crate::portal::pages::{not_found_page, offer_lines};
use crate::portal::read::{self, Context};
use crate::portal::session::ProviderSession;
use crate::state::AppState;

use super::{apply_signed, csrf_ok, csrf_refused, field, text_field, Fields};

/// The sentence that tells what one pooled offer is.
const EXPLANATION: &str = "Une seule offre pour toutes les communes du marché groupé : vos prix unitaires s'appliquent aux quantités de chaque commune ; chaque commune décide ensuite elle-même de l'attribution et émet son propre bon de commande.";

/// The address of the pooled offer form.
pub fn pool_offer_path(pool_id: Uuid) -> String {
    format!("/portail/marches-groupes/{pool_id}/offre")
}

/// One commune of the pool as this provider sees it: its invitation, what it is about, the
/// provider's offer on it already.
struct Share {
    inv: Invitation,
    ctx: Context,
    own: Option<Offer>,
}

/// One line of the pooled volume: a price line and the sum of the communes' quantities.
struct PooledLine {
    code: String,
    quantity: Decimal,
}

/// The pool and the provider's invitations in it (never empty).
struct Pool {
    pool: PooledCallOff,
    shares: Vec<Share>,
    lines: Vec<PooledLine>,
    deadline: DateTime<Utc>,
}

impl Pool {
    /// What every share is about (the same service and framework for all).
    fn ctx(&self) -> &Context {
        &self.shares[0].ctx
    }

    fn terms(&self) -> Option<&FrameworkTerms> {
        self.shares.iter().find_map(|s| s.ctx.terms.as_ref())
    }

    fn all_withdrawn(&self) -> bool {
        self.shares
            .iter()
            .all(|s| s.inv.status == InvitationStatus::Withdrawn)
    }

    /// Offers may still be sent (by server time).
    fn open(&self, now: DateTime<Utc>) -> bool {
        now < self.deadline && !self.all_withdrawn()
    }

    /// The provider's last offer on any commune of the pool.
    fn latest_own(&self) -> Option<&Offer> {
        self.shares
            .iter()
            .filter_map(|s| s.own.as_ref())
            .max_by_key(|o| o.submitted_at)
    }

    fn label(&self, code: &str) -> String {
        self.terms()
            .and_then(|t| t.price_line(code))
            .map_or_else(|| code.to_string(), |l| l.label_fr.clone())
    }
}

/// The pool `id` with this provider's invitations in it, or the 404 page: a pool the provider
/// is not invited to is answered exactly like one that does not exist.
async fn load_pool(
    state: &AppState,
    session: &ProviderSession,
    id: &str,
) -> Result<Pool, Response> {
    let now = state.clock.now();
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(not_found_page(Some(now)));
    };
    let loaded = async {
        let Some(pool) = read::pool(state, &session.provider_id, id).await? else {
            return Ok(None);
        };
        let invitations = read::pool_invitations(state, &session.provider_id, &pool, now).await?;
        let mut shares = Vec::with_capacity(invitations.len());
        for inv in invitations {
            let ctx = read::context(state, &session.provider_id, &inv).await?;
            let own = read::own_offer(state, &session.provider_id, &inv).await?;
            shares.push(Share { inv, ctx, own });
        }
        Ok::<_, PortalError>(Some((pool, shares)))
    }
    .await;
    let (pool, shares) = match loaded {
        Ok(Some((pool, shares))) if !shares.is_empty() => (pool, shares),
        Ok(_) => return Err(not_found_page(Some(now))),
        Err(e) => return Err(e.into_response()),
    };
    let mut lines: Vec<PooledLine> = Vec::new();
    for need in shares.iter().flat_map(|s| &s.inv.needs.lines) {
        match lines.iter_mut().find(|l| l.code == need.price_line_code) {
            Some(line) => line.quantity += need.quantity,
            None => lines.push(PooledLine {
                code: need.price_line_code.clone(),
                quantity: need.quantity,
            }),
        }
    }
    // The same for every member; the earliest, should one differ, closes the form.
    let deadline = shares
        .iter()
        .map(|s| s.inv.deadline)
        .min()
        .unwrap_or_default();
    Ok(Pool {
        pool,
        shares,
        lines,
        deadline,
    })
}

/// What the form holds: as typed, so nothing is lost on a refusal.
#[derive(Debug, Clone, Default)]
struct PooledValues {
    prices: Vec<String>,
    lead_time: String,
    notes: String,
}

impl PooledValues {
    /// The provider's offer already remitted, or an empty form.
    fn from_offers(p: &Pool) -> PooledValues {
        let Some(latest) = p.latest_own() else {
            return PooledValues {
                prices: vec![String::new(); p.lines.len()],
                ..PooledValues::default()
            };
        };
        let unit_price = |code: &str| {
            // The last offer first; a line only another commune needed, from its offer.
            std::iter::once(latest)
                .chain(p.shares.iter().filter_map(|s| s.own.as_ref()))
                .flat_map(|o| &o.lines)
                .find(|l| l.price_line_code == code)
                .map(|l| cents_for_input(l.unit_price_cents))
                .unwrap_or_default()
        };
        PooledValues {
            prices: p.lines.iter().map(|l| unit_price(&l.code)).collect(),
            lead_time: latest.lead_time_days.to_string(),
            notes: latest.notes.clone(),
        }
    }

    fn from_fields(p: &Pool, fields: &Fields) -> PooledValues {
        PooledValues {
            prices: (0..p.lines.len())
                .map(|i| field(fields, &format!("prix-{i}")).to_string())
                .collect(),
            lead_time: field(fields, "delai").to_string(),
            notes: field(fields, "remarques").to_string(),
        }
    }
}

/// The heading of every page about the pool: its title and description, the framework, the
/// explanation of the one offer.
fn pool_heading(p: &Pool) -> Markup {
    let ctx = p.ctx();
    html! {
        p class="breadcrumb" { a href="/portail/invitations" { "← Vos invitations" } }
        p class="caption" { "Marché groupé · " (ctx.service_name) }
        h1 data-testid="pool-title" { (p.pool.title) }
        @if !ctx.framework_reference.is_empty() {
            p class="muted" {
                "Remise en concurrence commune à " (p.shares.len())
                @if p.shares.len() > 1 { " communes" } @else { " commune" }
                ", dans le cadre de l'accord-cadre " (ctx.framework_reference)
                " (version " (p.shares[0].inv.framework_version) ")"
                @if let Some(c) = &p.pool.competition {
                    ", lancée par la centrale d'achat le " (brussels(c.launched_at))
                }
                "."
            }
        }
        p class="prewrap" data-testid="pool-description" { (p.pool.description) }
        p class="notice" data-testid="pool-explanation" { (EXPLANATION) }
    }
}

/// The communes of the pool with their quantities per line, and the pooled volume.
fn communes_table(p: &Pool) -> Markup {
    let terms = p.terms();
    html! {
        section class="section" aria-labelledby="communes" {
            h2 id="communes" { "Communes du marché groupé et leurs quantités" }
            div class="table-wrap" role="region" tabindex="0" aria-label="Quantités de chaque commune" {
                table class="table" data-testid="pool-communes" {
                    caption class="visually-hidden" { "Quantités demandées par chaque commune, par ligne du bordereau de prix" }
                    thead { tr {
                        th scope="col" { "Commune" }
                        @for line in &p.lines {
                            @let schedule = terms.and_then(|t| t.price_line(&line.code));
                            th scope="col" class="num" {
                                (p.label(&line.code))
                                @if let Some(s) = schedule { br; span class="muted" { (s.unit_fr) } }
                            }
                        }
                    } }
                    tbody {
                        @for share in &p.shares {
                            tr data-testid="pool-commune" {
                                th scope="row" {
                                    a href={ "/portail/invitations/" (share.inv.id) } { (share.ctx.commune_name) }
                                }
                                @for line in &p.lines {
                                    @let need = share.inv.needs.lines.iter().find(|n| n.price_line_code == line.code);
                                    td class="num" {
                                        @if let Some(n) = need {
                                            (decimal_fr(n.quantity))
                                            @if !n.note.is_empty() { br; span class="muted" { "Précision : " (n.note) } }
                                        } @else { "—" }
                                    }
                                }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" { "Volume groupé" }
                        @for line in &p.lines {
                            td class="num" data-testid="pooled-quantity" { strong { (decimal_fr(line.quantity)) } }
                        }
                    } }
                }
            }
        }
    }
}

/// Links to the receipt of the provider's offer on each commune.
fn receipts_list(p: &Pool) -> Markup {
    html! {
        ul class="plain" data-testid="pool-receipts" {
            @for share in p.shares.iter().filter(|s| s.own.is_some()) {
                li {
                    a href={ "/portail/invitations/" (share.inv.id) "/recu" } data-testid="pool-receipt-link" {
                        "Accusé de réception pour " (share.ctx.commune_name)
                    }
                }
            }
        }
    }
}

struct PooledForm<'a> {
    session: &'a ProviderSession,
    now: DateTime<Utc>,
    p: &'a Pool,
    values: PooledValues,
    errors: Vec<FieldError>,
    just_sent: bool,
}

fn form_page(f: PooledForm<'_>, status: StatusCode) -> Response {
    let PooledForm {
        session,
        now,
        p,
        values,
        errors,
        just_sent,
    } = f;
    let terms = p.terms();
    let own = p.latest_own();
    let general: Vec<&FieldError> = errors.iter().filter(|e| e.field == "offre").collect();
    let content = html! {
        (pool_heading(p))
        @if just_sent && own.is_some() {
            div class="panel panel--success" role="status" data-testid="confirmation" {
                h2 class="panel__title" { "Votre offre pour le marché groupé est enregistrée" }
                p { "Une offre a été enregistrée pour chaque commune, à vos prix unitaires sur ses propres quantités. Elles restent scellées jusqu'à la date limite : ni les communes, ni la centrale, ni les autres prestataires ne peuvent les lire avant." }
                (receipts_list(p))
            }
        }
        (error_summary(&errors.iter().filter(|e| e.field != "offre").cloned().collect::<Vec<_>>()))
        @for e in &general {
            (alert("error", "offer-error", "Votre offre n'a pas été enregistrée", &e.message))
        }
        (deadline_block(p.deadline, now))
        (communes_table(p))
        h2 { @if own.is_some() { "Remplacer votre offre pour le marché groupé" } @else { "Remettre votre offre pour le marché groupé" } }
        @if let Some(o) = own {
            p class="notice" data-testid="replace-notice" {
                "Vous avez remis une offre pour ce marché groupé le " (brussels(o.submitted_at)) ". "
                "En envoyant ce formulaire, vous la remplacez pour toutes les communes : seule la dernière version sera ouverte à la date limite."
            }
            @if !just_sent { (receipts_list(p)) }
        }
        p { "Indiquez un prix unitaire hors TVA pour chaque ligne, pour le volume groupé de toutes les communes. Chaque prix doit rester inférieur ou égal au plafond de l'accord-cadre. Les montants de chaque commune et les montants TVAC (TVA de 21 %) sont calculés par l'intercommunale. Vous vérifierez le récapitulatif avant de remettre l'offre." }
        form method="post" action=(pool_offer_path(p.pool.id)) class="form" novalidate data-testid="pooled-offer-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            fieldset class="fieldset" {
                legend { "Prix unitaires pour le volume groupé" }
                @for (i, line) in p.lines.iter().enumerate() {
                    @let schedule = terms.and_then(|t| t.price_line(&line.code));
                    @let id = format!("prix-{i}");
                    @let hint = format!(
                        "Volume groupé : {}{}. Plafond de l'accord-cadre : {} HTVA. Exemple : 1 234,56",
                        decimal_fr(line.quantity),
                        schedule.map_or(String::new(), |s| format!(" ({})", s.unit_fr)),
                        schedule.map_or("—".to_string(), |s| s.ceiling_cents.format()),
                    );
                    (text_field(
                        &id,
                        &format!("{} — prix unitaire HTVA", p.label(&line.code)),
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
                "En jours, à compter du bon de commande de chaque commune (entre 1 et 730). Exemple : 60",
                &values.lead_time,
                error_for(&errors, "delai"),
                "numeric",
                "jours",
            ))
            @let notes_error = error_for(&errors, "remarques");
            div class={ "field" @if notes_error.is_some() { " field--error" } } {
                label for="remarques" { "Remarques techniques (facultatif)" }
                p class="hint" id="remarques-hint" { "Les mêmes pour toutes les communes. Hébergement, support, options… 10 000 caractères au plus." }
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
                a class="button button--secondary" href="/portail/invitations" { "Annuler" }
            }
        }
    };
    respond(
        status,
        page(
            if own.is_some() {
                "Remplacer votre offre pour le marché groupé"
            } else {
                "Remettre votre offre pour le marché groupé"
            },
            Some(session),
            Some(now),
            content,
        ),
    )
}

/// One commune's share, priced.
struct Priced {
    lines: Vec<OfferLine>,
    total: Amount,
}

/// Prices the unit prices on each commune's quantities, by the rule the server applies; on a
/// refusal, the refusal with the invitation it is about.
fn price_shares<'a>(
    terms: &FrameworkTerms,
    p: &'a Pool,
    lines: &[OfferLineInput],
) -> Result<Vec<Priced>, (centrale_domain::DomainError, &'a Invitation)> {
    p.shares
        .iter()
        .map(|s| {
            // Each commune's share on the lines it needs, as the server prices it.
            let own = centrale_domain::pool::share_lines(&s.inv.needs, lines);
            price_offer(terms, &s.inv.needs, &own)
                .map(|(lines, total)| Priced { lines, total })
                .map_err(|e| (e, &s.inv))
        })
        .collect()
}

struct PooledReview<'a> {
    session: &'a ProviderSession,
    now: DateTime<Utc>,
    p: &'a Pool,
    values: &'a PooledValues,
    priced: &'a [Priced],
    code_error: Option<String>,
}

/// The summary of exactly what will be sent: each commune's lines and amounts, the pooled
/// total, the lead time and remarks; nothing is stored until the provider confirms.
fn review_page(r: PooledReview<'_>, status: StatusCode) -> Response {
    let p = r.p;
    let action = pool_offer_path(p.pool.id);
    let own = p.latest_own();
    let total = r
        .priced
        .iter()
        .fold(Amount::default(), |sum, s| sum.plus(s.total));
    let carried = html! {
        input type="hidden" name="csrf" value=(r.session.csrf);
        @for (i, price) in r.values.prices.iter().enumerate() {
            input type="hidden" name={ "prix-" (i) } value=(price);
        }
        input type="hidden" name="delai" value=(r.values.lead_time);
        input type="hidden" name="remarques" value=(r.values.notes);
    };
    let content = html! {
        (pool_heading(p))
        (deadline_block(p.deadline, r.now))
        h2 { "Vérifiez votre offre avant de la remettre" }
        p {
            "Voici exactement ce que " (r.session.provider_name) " remettra à la centrale d'achat pour les communes du marché groupé : "
            "vos prix unitaires appliqués aux quantités de chaque commune. Les offres restent scellées jusqu'à la date limite ; vous pourrez les remplacer jusque-là."
        }
        @if let Some(o) = own {
            p class="notice" data-testid="replace-notice" {
                "Cette offre remplacera celle remise le " (brussels(o.submitted_at)) ", pour toutes les communes."
            }
        }
        @for (share, priced) in p.shares.iter().zip(r.priced) {
            section class="section" data-testid="pool-share" {
                h3 { (share.ctx.commune_name) }
                (offer_lines(&priced.lines, priced.total, p.terms()))
            }
        }
        h3 { "Total du marché groupé" }
        dl class="summary" data-testid="pool-total" {
            dt { "Total HTVA, toutes communes" }
            dd data-testid="pool-total-excl-vat" { strong { (total.excl_vat.format()) " HTVA" } }
            dt { "Dont TVA" }
            dd { (total.vat.format()) }
            dt { "Total TVAC, toutes communes" }
            dd data-testid="pool-total-incl-vat" { strong { (total.incl_vat.format()) " TVAC" } }
        }
        dl class="summary" data-testid="offer-summary" {
            dt { "Délai de mise en œuvre" }
            dd { (r.values.lead_time.trim()) " jours à compter du bon de commande de chaque commune" }
            dt { "Remarques techniques" }
            dd { @if r.values.notes.trim().is_empty() { "Aucune" } @else { (r.values.notes) } }
        }
        div class="actions" {
            form method="post" action=(action) class="inline-form" {
                (carried)
                input type="hidden" name="etape" value="confirmer";
                // An offer binds the provider: with a second factor, it is remitted with the
                // code of the account's application (issue 17 point 9).
                @if r.session.actor.second_factor {
                    (text_field(
                        "code",
                        "Code de double authentification",
                        "Les six chiffres affichés maintenant par votre application d'authentification, ou l'un de vos codes de secours.",
                        "",
                        r.code_error.as_deref(),
                        "numeric",
                        "",
                    ))
                }
                button type="submit" class="button" data-testid="confirm-offer" {
                    @if own.is_some() { "Remplacer mon offre pour le marché groupé" } @else { "Remettre mon offre pour le marché groupé" }
                }
            }
            form method="post" action=(action) class="inline-form" {
                (carried)
                input type="hidden" name="etape" value="modifier";
                button type="submit" class="button button--secondary" data-testid="edit-offer" {
                    "Modifier l'offre"
                }
            }
        }
    };
    respond(
        status,
        page(
            "Vérifier votre offre pour le marché groupé",
            Some(r.session),
            Some(r.now),
            content,
        ),
    )
}

/// The page shown instead of the form once offers can no longer be sent.
fn closed_page(
    session: &ProviderSession,
    now: DateTime<Utc>,
    p: &Pool,
    status: StatusCode,
    message: &str,
) -> Response {
    let content = html! {
        (pool_heading(p))
        (alert("error", "offer-closed", "Les offres ne peuvent plus être remises", message))
        (deadline_block(p.deadline, now))
        @if p.latest_own().is_some() {
            h2 { "Vos offres remises" }
            (receipts_list(p))
        }
        p { a class="button button--secondary" href="/portail/invitations" { "Retour à mes invitations" } }
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

fn closed_message(p: &Pool) -> String {
    if p.all_withdrawn() {
        "Les communes ont retiré leur demande : aucune offre ne peut plus être remise.".into()
    } else {
        format!(
            "La date limite du {} (heure de Bruxelles) est passée : aucune offre ne peut plus être remise ni remplacée.",
            brussels(p.deadline)
        )
    }
}

/// Puts a refusal (its code, French message and details) next to the field it is about.
/// `share` is the invitation the refusal is about, when known (the summary prices each one).
fn refusal_errors(
    code: &str,
    message: String,
    details: &serde_json::Value,
    p: &Pool,
    share: Option<&Invitation>,
) -> Vec<FieldError> {
    let by_code = |c: &str| {
        p.lines
            .iter()
            .position(|l| l.code == c)
            .map(|i| format!("prix-{i}"))
    };
    let named_field = details["field"].as_str().unwrap_or("");
    let field = if code == "price_above_ceiling" || named_field.starts_with("lines") {
        // The domain names the line by its code; failing that, by its index in one commune's
        // needs: the line at that index, when it is known (or the same for every commune).
        details["code"].as_str().and_then(by_code).or_else(|| {
            let index = named_field
                .strip_prefix("lines[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(i, _)| i.parse::<usize>().ok())?;
            let code_at = |inv: &Invitation| {
                inv.needs
                    .lines
                    .get(index)
                    .map(|n| n.price_line_code.clone())
            };
            let codes: Vec<Option<String>> = match share {
                Some(inv) => vec![code_at(inv)],
                None => p.shares.iter().map(|s| code_at(&s.inv)).collect(),
            };
            match codes.first() {
                Some(Some(c)) if codes.iter().all(|x| x.as_deref() == Some(c.as_str())) => {
                    by_code(c)
                }
                _ => None,
            }
        })
    } else if named_field == "lead_time_days" {
        Some("delai".to_string())
    } else if named_field == "notes" {
        Some("remarques".to_string())
    } else {
        None
    };
    vec![FieldError::new(
        field.unwrap_or_else(|| "offre".into()),
        message,
    )]
}

fn result_errors(result: &MutationResult, p: &Pool) -> Vec<FieldError> {
    let message = result
        .message
        .clone()
        .unwrap_or_else(|| "L'offre a été refusée.".into());
    refusal_errors(
        result.code.as_deref().unwrap_or(""),
        message,
        &result.details,
        p,
        None,
    )
}

/// Query of the form: `envoye=1` right after a submission.
#[derive(Debug, Deserialize)]
pub struct PooledOfferQuery {
    envoye: Option<String>,
}

/// `GET /portail/marches-groupes/{id}/offre`.
pub async fn pooled_offer_form(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    Query(query): Query<PooledOfferQuery>,
) -> Response {
    let now = state.clock.now();
    let p = match load_pool(&state, &session, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if !p.open(now) {
        return closed_page(&session, now, &p, StatusCode::OK, &closed_message(&p));
    }
    let values = PooledValues::from_offers(&p);
    form_page(
        PooledForm {
            session: &session,
            now,
            p: &p,
            values,
            errors: vec![],
            just_sent: query.envoye.as_deref() == Some("1"),
        },
        StatusCode::OK,
    )
}

/// `POST /portail/marches-groupes/{id}/offre`: submits or replaces this provider's one offer
/// for every commune of the pool.
pub async fn submit_pooled_offer(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let now = state.clock.now();
    if !csrf_ok(&session, &fields) {
        return csrf_refused(now);
    }
    let p = match load_pool(&state, &session, &id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let terms = p.terms();
    let step = field(&fields, "etape");
    // Past the deadline there is nothing to review or change. A confirmation still goes to the
    // server, whose rule (and clock) decides and whose refusal is shown.
    if step != "confirmer" && !p.open(now) {
        return closed_page(&session, now, &p, StatusCode::CONFLICT, &closed_message(&p));
    }
    let values = PooledValues::from_fields(&p, &fields);
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in p.lines.iter().enumerate() {
        match parse_euros(&values.prices[i]) {
            Ok(cents) => lines.push(OfferLineInput {
                price_line_code: line.code.clone(),
                unit_price_cents: cents,
            }),
            Err(message) => {
                tracing::debug!(
                    code = message.code(),
                    line = i,
                    "pooled offer price not readable"
                );
                errors.push(FieldError::new(
                    format!("prix-{i}"),
                    format!("Prix unitaire de « {} » : {message}", p.label(&line.code)),
                ));
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
    let form = |values: PooledValues, errors: Vec<FieldError>, status| {
        form_page(
            PooledForm {
                session: &session,
                now,
                p: &p,
                values,
                errors,
                just_sent: false,
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
                        "Les conditions de l'accord-cadre de ce marché groupé sont introuvables. Contactez la centrale d'achat.",
                    )],
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            };
            return match price_shares(terms, &p, &lines) {
                Ok(priced) => review_page(
                    PooledReview {
                        session: &session,
                        now,
                        p: &p,
                        values: &values,
                        priced: &priced,
                        code_error: None,
                    },
                    StatusCode::OK,
                ),
                Err((e, inv)) => {
                    let errors = refusal_errors(
                        e.code().as_str(),
                        e.to_string(),
                        &e.params(),
                        &p,
                        Some(inv),
                    );
                    form(values, errors, StatusCode::UNPROCESSABLE_ENTITY)
                }
            };
        }
    }
    let payload = SubmitPooledOffer {
        // A new id each time: the server keeps the id of each commune's offer already remitted
        // (a replacement) and derives the others' from this one.
        offer_id: Uuid::now_v7(),
        pool_id: p.pool.id,
        lines,
        lead_time_days: lead_time.unwrap_or_default(),
        notes: values.notes.clone(),
    };
    let typed_lines = payload.lines.clone();
    // Typed in the portal, so now: the portal is online by nature.
    let typed_code = field(&fields, "code").trim();
    let proof = (session.actor.second_factor && !typed_code.is_empty()).then(|| {
        centrale_protocol::SecondFactorProof {
            code: typed_code.to_string(),
            typed_at: now,
        }
    });
    let result = match apply_signed(
        &state,
        &session,
        Mutation::SubmitPooledOffer(payload),
        proof,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    // A refused code: the same summary again, the reason under the code field.
    if result.status == MutationStatus::Rejected
        && result
            .code
            .as_deref()
            .is_some_and(|c| c.starts_with("second_factor"))
    {
        if let Some(Ok(priced)) = terms.map(|terms| price_shares(terms, &p, &typed_lines)) {
            return review_page(
                PooledReview {
                    session: &session,
                    now,
                    p: &p,
                    values: &values,
                    priced: &priced,
                    code_error: result.message.clone(),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    }
    match result.status {
        MutationStatus::Applied => {
            Redirect::to(&format!("{}?envoye=1", pool_offer_path(p.pool.id))).into_response()
        }
        _ => match result.code.as_deref() {
            Some("deadline_passed" | "competition_closed") => closed_page(
                &session,
                now,
                &p,
                StatusCode::CONFLICT,
                result.message.as_deref().unwrap_or(&closed_message(&p)),
            ),
            _ => {
                let errors = result_errors(&result, &p);
                form(values, errors, StatusCode::UNPROCESSABLE_ENTITY)
            }
        },
    }
}
