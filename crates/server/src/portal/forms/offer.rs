//! The offer: the form, the summary to confirm, the submission or replacement.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use centrale_domain::catalogue::FrameworkTerms;
use centrale_domain::offer::{
    price_offer, Invitation, InvitationStatus, Offer, OfferLine, OfferLineInput,
};
use centrale_protocol::mutations::{Mutation, SubmitOffer};
use centrale_protocol::{MutationResult, MutationStatus};
use chrono::{DateTime, Utc};
use maud::html;
use uuid::Uuid;

use crate::portal::amounts::{cents_for_input, decimal_fr, parse_euros};
use crate::portal::error::PortalError;
use crate::portal::layout::{
    alert, brussels, deadline_block, error_for, error_summary, page, respond, FieldError,
};
use crate::portal::pages::{invitation_heading, load_invitation, needs_section};
use crate::portal::read::{self, Context};
use crate::portal::session::ProviderSession;
use crate::state::AppState;

use super::{apply_signed, csrf_ok, csrf_refused, field, text_field, Fields};

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
        p { "Indiquez un prix unitaire hors TVA pour chaque ligne demandée par la commune. Chaque prix doit rester inférieur ou égal au plafond de l'accord-cadre. Les montants TVAC (TVA de 21 %) sont calculés par l'intercommunale. Vous vérifierez le récapitulatif avant de remettre l'offre." }
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

    respond(
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
    )
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
    // A pooled call-off is answered once for all its communes (issue 16 §4).
    if let Some(pool) = inv.pool_id {
        return Redirect::to(&super::pool_offer_path(pool)).into_response();
    }
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
fn offer_errors(result: &MutationResult, inv: &Invitation) -> Vec<FieldError> {
    let message = result
        .message
        .clone()
        .unwrap_or_else(|| "L'offre a été refusée.".into());
    refusal_errors(
        result.code.as_deref().unwrap_or(""),
        message,
        &result.details,
        inv,
    )
}

/// Puts a refusal (its code, French message and details) next to the field it is about.
fn refusal_errors(
    code: &str,
    message: String,
    details: &serde_json::Value,
    inv: &Invitation,
) -> Vec<FieldError> {
    let field = match code {
        // The domain names the line by its code: find which need line that is.
        "price_above_ceiling" => details["code"].as_str().and_then(|code| {
            inv.needs
                .lines
                .iter()
                .position(|n| n.price_line_code == code)
                .map(|i| format!("prix-{i}"))
        }),
        _ => details["field"].as_str().and_then(|f| {
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
    // A pooled call-off is answered once for all its communes (issue 16 §4).
    if let Some(pool) = inv.pool_id {
        return Redirect::to(&super::pool_offer_path(pool)).into_response();
    }
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
    // The summary of exactly what will be sent, with why the code was refused when it was.
    let review = |lines: &[OfferLine], total, code_error: Option<String>| {
        crate::portal::review::offer_review_page(crate::portal::review::OfferReview {
            session: &session,
            now,
            inv: &inv,
            ctx: &ctx,
            own: own.as_ref(),
            prices: &values.prices,
            lead_time: &values.lead_time,
            notes: &values.notes,
            lines,
            total,
            code_error,
        })
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
                Ok((priced, total)) => review(&priced, total, None),
                Err(e) => {
                    let errors =
                        refusal_errors(e.code().as_str(), e.to_string(), &e.params(), &inv);
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
    let typed_lines = payload.lines.clone();
    // Typed in the portal, so now: the portal is online by nature.
    let typed_code = field(&fields, "code").trim();
    let proof = (session.actor.second_factor && !typed_code.is_empty()).then(|| {
        centrale_protocol::SecondFactorProof {
            code: typed_code.to_string(),
            typed_at: now,
        }
    });
    let result = match apply_signed(&state, &session, Mutation::SubmitOffer(payload), proof).await {
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
        if let Some(Ok((priced, total))) =
            terms.map(|terms| price_offer(terms, &inv.needs, &typed_lines))
        {
            let mut page = review(&priced, total, result.message.clone());
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return page;
        }
    }
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
                let errors = offer_errors(&result, &inv);
                form(values, errors, StatusCode::UNPROCESSABLE_ENTITY)
            }
        },
    }
}
