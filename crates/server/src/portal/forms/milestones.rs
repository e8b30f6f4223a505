//! The deployment milestones a winning provider keeps up to date.

use std::collections::HashMap;

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

/// What was typed in the milestones form for one milestone, with its errors, after a
/// refusal.
#[derive(Default)]
struct MilestoneTyped {
    actual: String,
    notes: String,
    errors: Vec<FieldError>,
}

/// The milestones form as sent back after a refusal (issue 15 point 10): what each milestone
/// shows instead of its stored values, and the re-plan request as typed.
#[derive(Default)]
struct MilestonesEdit {
    /// Milestones whose typed values are kept (an unreadable date anywhere: all of them; a
    /// domain refusal: the refused ones).
    typed: HashMap<Uuid, MilestoneTyped>,
    /// Milestones saved by the same form, by name, for the notice.
    saved: Vec<String>,
    /// A re-plan request refused, as typed.
    replan: Option<ReplanTyped>,
}

/// A re-plan request as typed, with its errors.
struct ReplanTyped {
    id: Uuid,
    requested: String,
    reason: String,
    errors: Vec<FieldError>,
}

/// The notes field of one milestone, with its error.
fn notes_field(id: &str, value: &str, error: Option<&str>) -> Markup {
    html! {
        div class={ "field" @if error.is_some() { " field--error" } } {
            label for=(id) { "Notes" }
            @if let Some(message) = error {
                p class="field-error" id={ (id) "-error" } data-testid={ (id) "-error" } {
                    span class="visually-hidden" { "Erreur : " } (message)
                }
            }
            textarea id=(id) name=(id) rows="3" aria-describedby=[error.map(|_| format!("{id}-error"))] aria-invalid=[error.map(|_| "true")] { (value) }
        }
    }
}

/// The kind's stable name (`kickoff`), for test ids.
fn kind_key(kind: MilestoneKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// « « Réunion de lancement » et « Paramétrage » ».
fn names_fr(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("« {n} »")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
    }
}

/// The notice of what one send of the form saved.
fn saved_notice(names: &[String]) -> Option<String> {
    match names.len() {
        0 => None,
        1 => Some(format!("Jalon {} enregistré.", names_fr(names))),
        _ => Some(format!("Jalons {} enregistrés.", names_fr(names))),
    }
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

/// Everything the milestones page shows, read once per request.
struct MilestonesView<'a> {
    session: &'a ProviderSession,
    now: DateTime<Utc>,
    today: chrono::NaiveDate,
    inv: &'a Invitation,
    ctx: &'a Context,
    milestones: &'a [Milestone],
    purchase_order: Option<&'a PurchaseOrder>,
    /// The intercommunale's accompaniment of the order, beside the milestones (issue 16 §2).
    accompaniment: &'a [read::AccompanimentDates],
}

impl MilestonesView<'_> {
    fn name_of(&self, id: Uuid) -> String {
        self.milestones
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.kind.label_fr().to_string())
            .unwrap_or_default()
    }
}

/// The milestones page: one form for every milestone's actual date and notes (issue 15 point
/// 10), then the re-plan requests, one small form each, in their own section.
fn milestones_page(
    view: &MilestonesView<'_>,
    edit: &MilestonesEdit,
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let MilestonesView {
        session,
        now,
        today,
        inv,
        ctx,
        milestones,
        purchase_order,
        accompaniment,
    } = *view;
    // Every error of the milestones form, with the milestone it belongs to and the input it
    // links to.
    let form_errors: Vec<(String, String, String)> = milestones
        .iter()
        .filter_map(|m| edit.typed.get(&m.id).map(|t| (m, t)))
        .flat_map(|(m, t)| {
            t.errors.iter().map(move |e| {
                let input = match e.field.as_str() {
                    "notes" => format!("notes-{}", m.id),
                    _ => format!("realise-{}", m.id),
                };
                (m.kind.label_fr().to_string(), input, e.message.clone())
            })
        })
        .collect();
    let replannable: Vec<&Milestone> = milestones
        .iter()
        .filter(|m| m.actual_date.is_none() && m.pending_replan().is_none())
        .collect();
    let content = html! {
        (invitation_heading(inv, ctx))
        h2 { "Suivi du déploiement" }
        (purchase_order_section(purchase_order))
        @if let Some(message) = notice {
            (alert("success", "milestone-saved", message, "La commune voit la mise à jour dans son application."))
        }
        @if !form_errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" data-testid="milestone-error" {
                h2 class="error-summary__title" {
                    @if edit.saved.is_empty() { "Rien n'a été enregistré" }
                    @else if form_errors.len() == 1 { "Ce jalon n'a pas été enregistré" }
                    @else { "Ces jalons n'ont pas été enregistrés" }
                }
                ul {
                    @for (name, input, message) in &form_errors {
                        li { a href={ "#" (input) } { (name) " : " (message) } }
                    }
                }
                @if edit.saved.is_empty() {
                    p { "Corrigez ce qui est indiqué puis enregistrez à nouveau : ce que vous avez tapé est conservé." }
                } @else {
                    p { "Les autres jalons ont été enregistrés ; ce que vous avez tapé pour celui-ci est conservé ci-dessous." }
                }
            }
        }
        p { "Une fois une étape franchie, indiquez sa date réelle. Les dates s'écrivent jour/mois/année, par exemple 15/01/2027. Les réceptions provisoire et définitive sont signées par la commune. Un seul bouton, en bas de la liste, enregistre tous les jalons." }
        form method="post" action={ "/portail/invitations/" (inv.id) "/jalons" } class="form" data-testid="milestones-form" {
            input type="hidden" name="csrf" value=(session.csrf);
            ol class="milestones" data-testid="milestones" {
                @for m in milestones {
                    @let typed = edit.typed.get(&m.id);
                    @let actual = typed.map_or_else(|| m.actual_date.map(format_date).unwrap_or_default(), |t| t.actual.clone());
                    @let notes = typed.map_or_else(|| m.notes.clone(), |t| t.notes.clone());
                    @let errors = typed.map_or(&[][..], |t| t.errors.as_slice());
                    li class="milestone card" data-testid={ "milestone-" (kind_key(m.kind)) } {
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
                        @if let Some(message) = error_for(errors, "jalon") {
                            p class="field-error" data-testid={ "jalon-" (m.id) "-error" } {
                                span class="visually-hidden" { "Erreur : " } (message)
                            }
                        }
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
                        (notes_field(&format!("notes-{}", m.id), &notes, error_for(errors, "notes")))
                    }
                }
            }
            div class="actions" {
                button type="submit" class="button" data-testid="save-milestones" { "Enregistrer les jalons" }
            }
        }
        @if !accompaniment.is_empty() {
            section class="accompaniment-section" data-testid="accompaniment-dates" aria-labelledby="accompagnement" {
                h2 id="accompagnement" { "Accompagnement de l'intercommunale" }
                p { "La commune a aussi commandé ces services à l'intercommunale pour ce projet ; leurs dates vous aident à organiser vos étapes avec les siennes." }
                table {
                    thead { tr { th { "Service de l'intercommunale" } th { "Prévu le" } th { "Réalisé le" } } }
                    tbody {
                        @for a in accompaniment {
                            tr {
                                td { (a.service) }
                                td { (a.planned_on.map_or_else(|| "à planifier".to_string(), format_date)) }
                                td { (a.delivered_on.map_or_else(|| "—".to_string(), format_date)) }
                            }
                        }
                    }
                }
            }
        }
        @if !replannable.is_empty() {
            section class="replans-section" data-testid="replan-requests" aria-labelledby="demander-une-date" {
                h2 id="demander-une-date" { "Demander une nouvelle date" }
                p { "Les dates prévues découlent du délai que vous avez offert. Pour en changer une, demandez une nouvelle date en donnant la raison : la commune l'accepte ou la refuse, et la date d'origine reste inscrite au dossier. Tant que la commune n'a pas accepté, le retard se compte depuis la date en vigueur." }
                @for m in &replannable {
                    @let this = edit.replan.as_ref().filter(|r| r.id == m.id);
                    @let requested = this.map_or("", |r| r.requested.as_str());
                    @let reason = this.map_or("", |r| r.reason.as_str());
                    @let errors = this.map_or(&[][..], |r| r.errors.as_slice());
                    details class="replan card" data-testid={ "replan-" (kind_key(m.kind)) } open[this.is_some()] {
                        summary { (m.kind.label_fr()) " — prévu le " (format_date(m.planned_date)) }
                        @if let Some(message) = error_for(errors, "jalon") {
                            (alert("error", "replan-error", "La demande n'a pas été envoyée", message))
                        }
                        form method="post" action={ "/portail/invitations/" (inv.id) "/jalons/" (m.id) "/report" } class="form form--compact" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            (text_field(&format!("nouvelle-date-{}", m.id), "Nouvelle date demandée", "jj/mm/aaaa", requested, error_for(errors, "nouvelle-date"), "numeric", ""))
                            (text_field(&format!("raison-{}", m.id), "Raison du report", "Une phrase, par exemple : « Migration retardée par l'ancien fournisseur »", reason, error_for(errors, "raison"), "text", ""))
                            button type="submit" class="button button--secondary" data-testid="request-replan" { "Envoyer la demande" }
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

type MilestonesContext = (
    Context,
    Vec<Milestone>,
    Option<PurchaseOrder>,
    Vec<read::AccompanimentDates>,
);

async fn milestones_context(
    state: &AppState,
    session: &ProviderSession,
    inv: &Invitation,
) -> Result<MilestonesContext, PortalError> {
    let ctx = read::context(state, &session.provider_id, inv).await?;
    let list = read::milestones(state, &session.provider_id, inv).await?;
    // Only the winner holds milestones: only the winner reads the purchase order and the
    // intercommunale's accompaniment dates.
    let (po, accompaniment) = if list.is_empty() {
        (None, Vec::new())
    } else {
        (
            read::purchase_order(state, inv).await?,
            read::accompaniment_dates(state, inv).await?,
        )
    };
    Ok((ctx, list, po, accompaniment))
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
    let (ctx, list, po, accompaniment) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if list.is_empty() {
        return crate::portal::pages::not_found_page(Some(now));
    }
    // `?enregistre=<id>` once per milestone saved; `?enregistre=` alone: nothing had changed.
    let saved: Vec<String> = list
        .iter()
        .filter(|m| {
            query
                .iter()
                .any(|(k, v)| k == "enregistre" && *v == m.id.to_string())
        })
        .map(|m| m.kind.label_fr().to_string())
        .collect();
    let notice = saved_notice(&saved)
        .or_else(|| {
            query
                .iter()
                .any(|(k, v)| k == "enregistre" && v.is_empty())
                .then(|| "Aucune modification : il n'y avait rien à enregistrer.".to_string())
        })
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
    let view = MilestonesView {
        session: &session,
        now,
        today: state.clock.today(),
        inv: &inv,
        ctx: &ctx,
        milestones: &list,
        purchase_order: po.as_ref(),
        accompaniment: &accompaniment,
    };
    milestones_page(
        &view,
        &MilestonesEdit::default(),
        notice.as_deref(),
        StatusCode::OK,
    )
}

/// One milestone's change, read from the form.
struct Change {
    id: Uuid,
    actual_date: Option<chrono::NaiveDate>,
    notes: Option<String>,
}

/// `POST /portail/invitations/{id}/jalons`: every milestone's actual date and notes in one
/// form (issue 15 point 10). A field left out leaves its value unchanged; a milestone whose
/// values did not change sends nothing. An unreadable date refuses the whole form before
/// anything is written; then each changed milestone is one `milestone.update` through the
/// one write path: a refused one keeps what was typed with the domain's message, the others
/// are saved.
pub async fn update_milestones(
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
    let (ctx, list, po, accompaniment) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    if list.is_empty() {
        return crate::portal::pages::not_found_page(Some(now));
    }
    let sent = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    // Read every milestone's fields first: nothing is written unless every date is readable.
    let mut typed: HashMap<Uuid, MilestoneTyped> = HashMap::new();
    let mut changes: Vec<Change> = Vec::new();
    for m in &list {
        let actual_sent = if m.kind.is_acceptance() {
            None
        } else {
            sent(format!("realise-{}", m.id))
        };
        let notes_sent = sent(format!("notes-{}", m.id));
        if actual_sent.is_none() && notes_sent.is_none() {
            continue;
        }
        let mut entry = MilestoneTyped {
            actual: actual_sent
                .clone()
                .unwrap_or_else(|| m.actual_date.map(format_date).unwrap_or_default()),
            notes: notes_sent.clone().unwrap_or_else(|| m.notes.clone()),
            errors: vec![],
        };
        let actual = match actual_sent.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                // A date recorded stays recorded (`None` leaves it unchanged): say so rather
                // than keep it silently.
                if let Some(stored) = m.actual_date {
                    entry.errors.push(FieldError::new(
                        "realise",
                        format!(
                            "La date réelle enregistrée ({}) ne peut pas être effacée ; pour la corriger, tapez la bonne date.",
                            format_date(stored)
                        ),
                    ));
                }
                None
            }
            Some(text) => match parse_date(text) {
                Ok(date) => (m.actual_date != Some(date)).then_some(date),
                Err(e) => {
                    tracing::debug!(code = e.code(), "milestone date not readable");
                    entry.errors.push(FieldError::new("realise", e.to_string()));
                    None
                }
            },
        };
        let notes = notes_sent
            .map(|n| n.trim().to_string())
            .filter(|n| *n != m.notes);
        if actual.is_some() || notes.is_some() {
            changes.push(Change {
                id: m.id,
                actual_date: actual,
                notes,
            });
        }
        typed.insert(m.id, entry);
    }
    if typed.values().any(|t| !t.errors.is_empty()) {
        let view = MilestonesView {
            session: &session,
            now,
            today: state.clock.today(),
            inv: &inv,
            ctx: &ctx,
            milestones: &list,
            purchase_order: po.as_ref(),
            accompaniment: &accompaniment,
        };
        let edit = MilestonesEdit {
            typed,
            saved: vec![],
            replan: None,
        };
        return milestones_page(&view, &edit, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut saved: Vec<Uuid> = Vec::new();
    let mut refused: HashMap<Uuid, MilestoneTyped> = HashMap::new();
    for change in changes {
        let mutation = Mutation::UpdateMilestone(UpdateMilestone {
            milestone_id: change.id,
            planned_date: None,
            actual_date: change.actual_date,
            notes: change.notes,
        });
        let result = match apply(&state, &session, mutation).await {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
        if result.status == MutationStatus::Applied {
            saved.push(change.id);
            continue;
        }
        let field_name = match result.details["field"].as_str() {
            Some("actual_date") => "realise",
            Some("notes") => "notes",
            _ => "jalon",
        };
        let mut entry = typed.remove(&change.id).unwrap_or_default();
        entry.errors.push(FieldError::new(
            field_name,
            result
                .message
                .unwrap_or_else(|| "La mise à jour a été refusée.".into()),
        ));
        refused.insert(change.id, entry);
    }
    if refused.is_empty() {
        let mut to = format!("/portail/invitations/{}/jalons?", inv.id);
        if saved.is_empty() {
            to.push_str("enregistre=");
        } else {
            let query: Vec<String> = saved.iter().map(|id| format!("enregistre={id}")).collect();
            to.push_str(&query.join("&"));
        }
        return Redirect::to(&to).into_response();
    }
    // Some were refused: the page shows the saved ones as now stored, the refused ones as
    // typed, and says which were saved.
    let list = match read::milestones(&state, &session.provider_id, &inv).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let today = state.clock.today();
    let view = MilestonesView {
        session: &session,
        now,
        today,
        inv: &inv,
        ctx: &ctx,
        milestones: &list,
        purchase_order: po.as_ref(),
        accompaniment: &accompaniment,
    };
    let saved_names: Vec<String> = saved.iter().map(|id| view.name_of(*id)).collect();
    let notice = saved_notice(&saved_names);
    let edit = MilestonesEdit {
        typed: refused,
        saved: saved_names,
        replan: None,
    };
    milestones_page(
        &view,
        &edit,
        notice.as_deref(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
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
    let (ctx, list, po, accompaniment) = match milestones_context(&state, &session, &inv).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(m) = list.iter().find(|m| m.id.to_string() == milestone_id) else {
        return crate::portal::pages::not_found_page(Some(now));
    };
    let mut replan = ReplanTyped {
        id: m.id,
        requested: field(&fields, &format!("nouvelle-date-{}", m.id)).to_string(),
        reason: field(&fields, &format!("raison-{}", m.id)).to_string(),
        errors: vec![],
    };
    let view = MilestonesView {
        session: &session,
        now,
        today: state.clock.today(),
        inv: &inv,
        ctx: &ctx,
        milestones: &list,
        purchase_order: po.as_ref(),
        accompaniment: &accompaniment,
    };
    let page_with = |replan: ReplanTyped| {
        let edit = MilestonesEdit {
            replan: Some(replan),
            ..MilestonesEdit::default()
        };
        milestones_page(&view, &edit, None, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let requested = match parse_date(&replan.requested) {
        Ok(d) => d,
        Err(e) => {
            replan
                .errors
                .push(FieldError::new("nouvelle-date", e.to_string()));
            return page_with(replan);
        }
    };
    let mutation = Mutation::RequestReplan(RequestReplan {
        milestone_id: m.id,
        request_id: Uuid::now_v7(),
        requested_date: requested,
        reason: replan.reason.trim().to_string(),
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
    replan.errors.push(FieldError::new(
        field_name,
        result
            .message
            .unwrap_or_else(|| "La demande a été refusée.".into()),
    ));
    page_with(replan)
}
