//! The deployment milestones a winning provider keeps up to date.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use centrale_domain::deployment::{Milestone, MilestoneKind, MilestoneStatus};
use centrale_domain::format_date;
use centrale_domain::offer::Invitation;
use centrale_domain::order::PurchaseOrder;
use centrale_protocol::mutations::{Mutation, RequestReplan, UpdateMilestone};
use centrale_protocol::MutationStatus;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use uuid::Uuid;

use crate::portal::amounts::parse_date;
use crate::portal::error::PortalError;
use crate::portal::layout::{alert, brussels, error_for, page, respond, tag, FieldError};
use crate::portal::pages::{invitation_heading, load_invitation};
use crate::portal::read::{self, Context};
use crate::portal::session::ProviderSession;
use crate::state::AppState;

use super::{apply, csrf_ok, csrf_refused, field, text_field, Fields};

/// A milestone form as typed, with its errors, after a refusal.
struct MilestoneEdit {
    id: Uuid,
    actual: String,
    notes: String,
    /// The new date asked for (the re-plan form).
    requested: String,
    /// The re-plan's reason.
    reason: String,
    errors: Vec<FieldError>,
}

/// The baseline, the re-plans and their decisions (issue 17 point 5), as the provider reads
/// them.
fn replan_history(m: &Milestone) -> Markup {
    html! {
        @if m.baseline() != m.planned_date {
            p class="muted" data-testid="milestone-baseline" {
                "Date prévue à l'origine : " (format_date(m.baseline()))
            }
        }
        @if !m.replans.is_empty() {
            ul class="replans" data-testid="milestone-replans" {
                @for r in &m.replans {
                    li {
                        "Demande du " (brussels(r.requested_at)) " : du " (format_date(r.from_date))
                        " au " (format_date(r.requested_date)) " — « " (r.reason) " » — "
                        @match &r.decision {
                            None => strong data-testid="replan-pending" { "en attente de la décision de la commune" },
                            Some(d) if d.accepted => strong data-testid="replan-accepted" { "acceptée par la commune le " (brussels(d.at)) },
                            Some(d) => strong data-testid="replan-refused" { "refusée par la commune le " (brussels(d.at)) " : « " (d.reason) " »" },
                        }
                    }
                }
            }
        }
    }
}

fn milestone_status(m: &Milestone, today: chrono::NaiveDate) -> Markup {
    match m.status_on(today) {
        MilestoneStatus::Done => tag("done", "✓", "Réalisé"),
        MilestoneStatus::Late => tag("late", "!", "En retard"),
        MilestoneStatus::Planned => tag("todo", "○", "Prévu"),
    }
}

/// The purchase order and the commune's fonctionnaire dirigeant it names (rule 16; AR 14
/// January 2013, art. 11; convention d'adhésion, art. 7).
fn purchase_order_section(po: Option<&PurchaseOrder>) -> Markup {
    html! {
        dl class="facts" data-testid="purchase-order" {
            dt { "Bon de commande" }
            @match po {
                Some(po) => {
                    dd { (po.reference) " — émis le " (brussels(po.issued_at)) }
                    dt { "Fonctionnaire dirigeant de la commune" }
                    @match &po.contract_manager {
                        Some(m) => dd data-testid="contract-manager" { (m.name) ", " (m.quality) },
                        None => dd data-testid="contract-manager" { "non indiqué" },
                    }
                }
                None => dd { "pas encore émis" },
            }
        }
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
    purchase_order: Option<&PurchaseOrder>,
    edit: Option<&MilestoneEdit>,
    saved: Option<&str>,
    status: StatusCode,
) -> Response {
    let content = html! {
        (invitation_heading(inv, ctx))
        h2 { "Suivi du déploiement" }
        (purchase_order_section(purchase_order))
        @if let Some(message) = saved {
            (alert("success", "milestone-saved", message, "La commune voit la mise à jour dans son application."))
        }
        @if let Some(e) = edit {
            @for err in &e.errors {
                (alert("error", "milestone-error", "Ce jalon n'a pas été enregistré", &err.message))
            }
        }
        p { "Une fois une étape franchie, indiquez sa date réelle. Les dates s'écrivent jour/mois/année, par exemple 15/01/2027. Les réceptions provisoire et définitive sont signées par la commune." }
        p { "Les dates prévues découlent du délai que vous avez offert. Pour en changer une, demandez une nouvelle date en donnant la raison : la commune l'accepte ou la refuse, et la date d'origine reste inscrite au dossier. Tant que la commune n'a pas accepté, le retard se compte depuis la date en vigueur." }
        ol class="milestones" data-testid="milestones" {
            @for m in milestones {
                @let this = edit.filter(|e| e.id == m.id);
                @let requested = this.map_or_else(String::new, |e| e.requested.clone());
                @let reason = this.map_or_else(String::new, |e| e.reason.clone());
                @let actual = this.map_or_else(|| m.actual_date.map(format_date).unwrap_or_default(), |e| e.actual.clone());
                @let notes = this.map_or_else(|| m.notes.clone(), |e| e.notes.clone());
                @let errors = this.map_or(&[][..], |e| e.errors.as_slice());
                li class="milestone card" data-testid={ "milestone-" (serde_json::to_value(m.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()) } {
                    h3 class="card__title" { (m.kind.label_fr()) }
                    p { (milestone_status(m, today)) }
                    p class="muted" {
                        "Prévu le " (format_date(m.planned_date))
                        @if m.kind == MilestoneKind::GoLive {
                            @if let Some(days) = m.lead_time_days { " (selon le délai offert : " (days) " jours)" }
                        }
                        @if let Some(a) = m.actual_date { " · réalisé le " (format_date(a)) }
                        @if let (Some(at), Some(by)) = (m.acknowledged_at, &m.acknowledged_by) {
                            " · pris en compte par la commune le " (brussels(at)) " (" (by) ")"
                        }
                    }
                    (replan_history(m))
                    form method="post" action={ "/portail/invitations/" (inv.id) "/jalons/" (m.id) } class="form form--compact" {
                        input type="hidden" name="csrf" value=(session.csrf);
                        div class="row" {
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
                    @if m.actual_date.is_none() && m.pending_replan().is_none() {
                        details class="replan" open[this.is_some_and(|e| !e.requested.is_empty() || !e.reason.is_empty())] {
                            summary { "Demander une nouvelle date à la commune" }
                            form method="post" action={ "/portail/invitations/" (inv.id) "/jalons/" (m.id) "/report" } class="form form--compact" {
                                input type="hidden" name="csrf" value=(session.csrf);
                                (text_field(&format!("nouvelle-date-{}", m.id), "Nouvelle date demandée", "jj/mm/aaaa", &requested, error_for(errors, "nouvelle-date"), "numeric", ""))
                                (text_field(&format!("raison-{}", m.id), "Raison du report", "Une phrase, par exemple : « Migration retardée par l'ancien fournisseur »", &reason, error_for(errors, "raison"), "text", ""))
                                button type="submit" class="button button--secondary" data-testid="request-replan" { "Envoyer la demande" }
                            }
                        }
                    }
                }
            }
        }
    };

    respond(
        status,
        page("Suivi du déploiement", Some(session), Some(now), content),
    )
}

async fn milestones_context(
    state: &AppState,
    session: &ProviderSession,
    inv: &Invitation,
) -> Result<(Context, Vec<Milestone>, Option<PurchaseOrder>), PortalError> {
    let ctx = read::context(state, &session.provider_id, inv).await?;
    let list = read::milestones(state, &session.provider_id, inv).await?;
    // Only the winner holds milestones: only the winner reads the purchase order.
    let po = if list.is_empty() {
        None
    } else {
        read::purchase_order(state, inv).await?
    };
    Ok((ctx, list, po))
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
    let (ctx, list, po) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if list.is_empty() {
        return crate::portal::pages::not_found_page(Some(now));
    }
    let saved = list
        .iter()
        .find(|m| m.id.to_string() == field(&query, "enregistre"))
        .map(|m| format!("Jalon « {} » enregistré.", m.kind.label_fr()))
        .or_else(|| {
            list.iter()
                .find(|m| m.id.to_string() == field(&query, "demande"))
                .map(|m| {
                    format!(
                        "Demande de nouvelle date pour « {} » envoyée à la commune.",
                        m.kind.label_fr()
                    )
                })
        });
    milestones_page(
        &session,
        now,
        state.clock.today(),
        &inv,
        &ctx,
        &list,
        po.as_ref(),
        None,
        saved.as_deref(),
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
    let (ctx, list, po) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(m) = list.iter().find(|m| m.id.to_string() == milestone_id) else {
        return crate::portal::pages::not_found_page(Some(now));
    };
    let mut edit = MilestoneEdit {
        id: m.id,
        actual: field(&fields, &format!("realise-{}", m.id)).to_string(),
        notes: field(&fields, "notes").to_string(),
        requested: String::new(),
        reason: String::new(),
        errors: vec![],
    };
    let optional_date = |text: &str, name: &str, errors: &mut Vec<FieldError>| {
        if text.trim().is_empty() {
            return None;
        }
        parse_date(text)
            .map_err(|e| {
                tracing::debug!(code = e.code(), field = name, "milestone date not readable");
                errors.push(FieldError::new(name, e.to_string()));
            })
            .ok()
    };
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
            po.as_ref(),
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
        planned_date: None,
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

/// `POST /portail/invitations/{id}/jalons/{milestone_id}/report`: the winner asks the commune
/// for a new date (issue 17 point 5); nothing moves until the commune accepts.
pub async fn request_replan(
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
    let (ctx, list, po) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(m) = list.iter().find(|m| m.id.to_string() == milestone_id) else {
        return crate::portal::pages::not_found_page(Some(now));
    };
    let mut edit = MilestoneEdit {
        id: m.id,
        actual: m.actual_date.map(format_date).unwrap_or_default(),
        notes: m.notes.clone(),
        requested: field(&fields, &format!("nouvelle-date-{}", m.id)).to_string(),
        reason: field(&fields, &format!("raison-{}", m.id)).to_string(),
        errors: vec![],
    };
    let today = state.clock.today();
    let page_with = |edit: &MilestoneEdit| {
        milestones_page(
            &session,
            now,
            today,
            &inv,
            &ctx,
            &list,
            po.as_ref(),
            Some(edit),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let requested = match parse_date(&edit.requested) {
        Ok(d) => d,
        Err(e) => {
            edit.errors
                .push(FieldError::new("nouvelle-date", e.to_string()));
            return page_with(&edit);
        }
    };
    let mutation = Mutation::RequestReplan(RequestReplan {
        milestone_id: m.id,
        request_id: Uuid::now_v7(),
        requested_date: requested,
        reason: edit.reason.trim().to_string(),
    });
    let result = match apply(&state, &session, mutation).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if result.status == MutationStatus::Applied {
        return Redirect::to(&format!(
            "/portail/invitations/{}/jalons?demande={}",
            inv.id, m.id
        ))
        .into_response();
    }
    let field_name = match result.details["field"].as_str() {
        Some("requested_date") => "nouvelle-date",
        Some("reason") => "raison",
        _ => "jalon",
    };
    edit.errors.push(FieldError::new(
        field_name,
        result
            .message
            .unwrap_or_else(|| "La demande a été refusée.".into()),
    ));
    page_with(&edit)
}
