//! The pages a provider reads: its invitations, one invitation (needs, documents, deadline,
//! outcome), the receipt of its offer. Forms (login, offer, milestones) are in `forms.rs`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use centrale_domain::catalogue::{
    CallOffMethod, FrameworkAgreement, FrameworkTerms, Provider, Service,
};
use centrale_domain::format_date;
use centrale_domain::money::Amount;
use centrale_domain::offer::{Invitation, InvitationStatus, OfferLine};
use centrale_domain::order::SetAsideGround;
use chrono::{DateTime, Utc};
use maud::{html, Markup};
use serde::Deserialize;

use super::amounts::{decimal_fr, points_fr};
use super::error::PortalError;
use super::layout::{self, brussels, brussels_seconds, deadline_block, page, respond, tag};
use super::read::{self, Context};
use super::session::{NoSession, ProviderSession};
use crate::state::AppState;

/// The answer for anything that is not this provider's: the same 404 whether it exists or not.
pub fn not_found_page(now: Option<DateTime<Utc>>) -> Response {
    layout::message_page_at(
        StatusCode::NOT_FOUND,
        "Page introuvable",
        "Cette page n'existe pas, ou elle ne concerne pas votre société. Vérifiez l'adresse ou repartez de la liste de vos invitations.",
        now,
    )
}

/// `/portail/{*}` that matches nothing.
pub async fn not_found() -> Response {
    not_found_page(None)
}

/// `/portail`: the invitations when logged in, else the login page.
pub async fn home(session: Result<ProviderSession, NoSession>) -> Response {
    match session {
        Ok(_) => Redirect::to("/portail/invitations").into_response(),
        Err(NoSession::Login) => Redirect::to("/portail/connexion").into_response(),
        Err(e) => e.into_response(),
    }
}

/// An invitation of the session's provider, or the 404 page.
pub async fn load_invitation(
    state: &AppState,
    session: &ProviderSession,
    id: &str,
) -> Result<Invitation, Response> {
    match read::invitation(state, &session.provider_id, id).await {
        Ok(Some(inv)) => Ok(inv),
        Ok(None) => Err(not_found_page(Some(state.clock.now()))),
        Err(e) => Err(e.into_response()),
    }
}

/// Where an invitation stands, for this provider, in words + icon + colour. Whether and when
/// it submitted comes from its own offer (`own_submitted_at`): the invitation says nothing of it
/// before the opening.
pub fn status_of(
    inv: &Invitation,
    own_submitted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Markup {
    if inv.set_aside.is_some() {
        return tag("lost", "✕", "Offre écartée par la commune");
    }
    if inv.price_requests.iter().any(|r| r.is_awaited(now)) {
        return tag(
            "todo",
            "!",
            "Justification des prix demandée par la commune",
        );
    }
    if let Some(outcome) = &inv.outcome {
        return if outcome.won {
            tag("won", "★", "Commande attribuée à votre société")
        } else {
            tag("lost", "✕", "Offre non retenue")
        };
    }
    if inv.status == InvitationStatus::Withdrawn {
        return tag("closed", "✕", "Demande retirée par la commune");
    }
    match (now < inv.deadline, own_submitted_at) {
        (true, None) => tag("todo", "!", "Offre à remettre"),
        (true, Some(at)) => tag(
            "done",
            "✓",
            &format!(
                "Offre remise le {} — remplaçable jusqu'à la date limite",
                brussels(at)
            ),
        ),
        (false, Some(_)) => tag(
            "closed",
            "⏳",
            "Offres ouvertes — attribution en cours par la commune",
        ),
        (false, None) => tag("closed", "✕", "Aucune offre remise dans le délai"),
    }
}

/// `GET /portail/invitations`.
pub async fn invitations(State(state): State<AppState>, session: ProviderSession) -> Response {
    let now = state.clock.now();
    let list = match read::invitations(&state, &session.provider_id, now).await {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let (frameworks, providers, services) =
        match read::frameworks_of(&state, &session.provider_id).await {
            Ok(x) => x,
            Err(e) => return e.into_response(),
        };
    let mut rows = Vec::with_capacity(list.len());
    for inv in &list {
        let loaded = async {
            let ctx = read::context(&state, &session.provider_id, inv).await?;
            let own = read::own_offer(&state, &session.provider_id, inv).await?;
            Ok::<_, PortalError>((ctx, own.map(|o| o.submitted_at)))
        }
        .await;
        match loaded {
            Ok((ctx, submitted_at)) => rows.push((inv, ctx, submitted_at)),
            Err(e) => return e.into_response(),
        }
    }
    let content = html! {
        h1 { "Vos invitations à remettre offre" }
        p class="lead" {
            "Les remises en concurrence de la centrale d'achat adressées à " (session.provider_name) "."
        }
        @if rows.is_empty() {
            div class="empty" data-testid="no-invitations" {
                p { strong { "Aucune invitation pour le moment." } }
                p { "Quand une commune commande un service d'un accord-cadre dont votre société est partie, l'invitation à remettre offre apparaît ici, avec ses besoins et sa date limite." }
            }
        } @else {
            ul class="cards" data-testid="invitations" {
                @for (inv, ctx, submitted_at) in &rows {
                    li class="card" data-testid="invitation" {
                        p class="card__meta" { (ctx.commune_name) " · " (ctx.service_name) }
                        h2 class="card__title" {
                            a href={ "/portail/invitations/" (inv.id) } data-testid="invitation-link" { (inv.order_title) }
                        }
                        p { (status_of(inv, *submitted_at, now)) }
                        @if let Some(pool) = inv.pool_id {
                            p data-testid="pooled-notice" { strong { "Marché groupé : une seule offre pour toutes les communes" } }
                            @if now < inv.deadline && inv.status != InvitationStatus::Withdrawn {
                                p { a href=(super::forms::pool_offer_path(pool)) data-testid="pooled-offer-link" { "Remettre une offre pour le marché groupé" } }
                            }
                        }
                        p class="card__deadline" {
                            "Date limite : " strong { (brussels(inv.deadline)) } " (heure de Bruxelles)"
                            @if now < inv.deadline {
                                br; span class="muted" { (layout::remaining_text(inv.deadline, now)) }
                            }
                        }
                    }
                }
            }
        }
        (frameworks_section(&frameworks, &providers, &services, &session.provider_id))
    };
    respond(
        StatusCode::OK,
        page("Vos invitations", Some(&session), Some(now), content),
    )
}

/// How orders are placed under a framework, as its terms state it (issue 11 rule 5): re-competed,
/// or directly under the framework's objective conditions — the rule (cascade or rotation, the
/// domain's sentence), the ranking, the threshold.
pub fn call_off_statement(
    method: CallOffMethod,
    terms: &FrameworkTerms,
    providers: &[Provider],
) -> Markup {
    let name = |id: uuid::Uuid| {
        providers
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    };
    let direct = terms
        .direct_call_off
        .as_ref()
        .filter(|_| method.allows_direct());
    html! {
        div data-testid="call-off-statement" {
            @match (method, direct) {
                (CallOffMethod::Both, Some(d)) => {
                    p {
                        "Jusqu'à " (d.up_to.map(|c| c.format()).unwrap_or_default()) " HTVA (besoins aux prix plafonds sur la durée du contrat), les commandes sont passées directement, sans remise en concurrence, au prestataire que désignent les conditions de l'accord-cadre ; au-delà, elles sont remises en concurrence."
                    }
                },
                (_, Some(_)) => {
                    p { "Les commandes sont passées directement, sans remise en concurrence, au prestataire que désignent les conditions de l'accord-cadre." }
                },
                (_, None) => {
                    p { "Chaque commande est remise en concurrence entre les prestataires de l'accord-cadre." }
                },
            }
            @if let Some(d) = direct {
                p data-testid="designation-rule" { (d.rule.statement_fr()) }
                p { "Classement de l'accord-cadre :" }
                ol data-testid="designation-ranking" {
                    @for id in &d.ranking { li { (name(*id)) } }
                }
            }
        }
    }
}

/// The frameworks the provider is party to, each with how its orders are placed.
fn frameworks_section(
    frameworks: &[FrameworkAgreement],
    providers: &[Provider],
    services: &[Service],
    provider: &str,
) -> Markup {
    html! {
        @if !frameworks.is_empty() {
            section data-testid="frameworks" {
                h2 { "Vos accords-cadres" }
                ul class="cards" {
                    @for f in frameworks {
                        @if let Some(terms) = f.versions.last() {
                            li class="card" data-testid="framework" {
                                p class="card__meta" { (f.reference) " · version " (terms.version) " · du " (format_date(terms.start_date)) " au " (format_date(terms.end_date)) }
                                h3 class="card__title" { (f.title_fr) }
                                (call_off_statement(f.call_off_method, terms, providers))
                                (super::interoperability::own_sheet(terms, providers, services, provider))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// « payée chaque année, 4 fois sur le contrat » after a recurring line's unit (issue 11 rule 9).
fn recurrence_note(line: &centrale_domain::catalogue::PriceLine, months: u32) -> Markup {
    use centrale_domain::catalogue::Recurrence;
    let periods = decimal_fr(line.recurrence.periods(months));
    html! {
        @match line.recurrence {
            Recurrence::OneOff => {},
            Recurrence::Yearly => { br; span class="muted" { "Payée chaque année : " (periods) " fois sur le contrat" } },
            Recurrence::Monthly => { br; span class="muted" { "Payée chaque mois : " (periods) " fois sur le contrat" } },
        }
    }
}

/// The commune's needs as sent with the invitation, with the framework's ceilings.
pub fn needs_section(inv: &Invitation, terms: Option<&FrameworkTerms>) -> Markup {
    let needs = &inv.needs;
    html! {
        section class="section" aria-labelledby="besoins" {
            h2 id="besoins" { "Besoins de la commune" }
            p class="prewrap" data-testid="needs-description" { (needs.description) }
            // Focusable: on a phone the table scrolls sideways, by keyboard too (WCAG 2.1.1).
            div class="table-wrap" role="region" tabindex="0" aria-label="Lignes du bordereau de prix demandées" {
                table class="table" data-testid="needs" {
                    caption class="visually-hidden" { "Lignes du bordereau de prix demandées" }
                    thead { tr {
                        th scope="col" { "Ligne du bordereau" }
                        th scope="col" class="num" { "Quantité" }
                        th scope="col" class="num" { "Plafond unitaire" }
                    } }
                    tbody {
                        @for line in &needs.lines {
                            @let schedule = terms.and_then(|t| t.price_line(&line.price_line_code));
                            tr {
                                td {
                                    (schedule.map_or(line.price_line_code.as_str(), |s| s.label_fr.as_str()))
                                    @if let Some(s) = schedule {
                                        br; span class="muted" { (s.unit_fr) }
                                        @if let Some(t) = terms { (recurrence_note(s, t.contract_months)) }
                                    }
                                    @if !line.note.is_empty() { br; span class="muted" { "Précision : " (line.note) } }
                                }
                                td class="num" { (decimal_fr(line.quantity)) }
                                td class="num" {
                                    @if let Some(s) = schedule { (s.ceiling_cents.format()) " HTVA" } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
            dl class="facts" {
                @if let Some(t) = terms {
                    dt { "Durée du contrat" }
                    dd data-testid="contract-months" {
                        (t.contract_months) " mois : les lignes payées chaque année ou chaque mois sont chiffrées sur toute cette durée, et c'est ce total qui est comparé (hors TVA) et attribué."
                    }
                }
                dt { "Sites concernés" }
                dd {
                    @if needs.sites.is_empty() { "Non précisé" } @else {
                        ul class="plain" { @for s in &needs.sites { li { (s) } } }
                    }
                }
                dt { "Début souhaité" }
                dd { (needs.desired_start.map_or_else(|| "Non précisé".to_string(), format_date)) }
                dt { "Mise en production souhaitée" }
                dd { (needs.desired_go_live.map_or_else(|| "Non précisée".to_string(), format_date)) }
            }
        }
    }
}

fn documents_section(inv: &Invitation) -> Markup {
    html! {
        section class="section" aria-labelledby="documents" {
            h2 id="documents" { "Documents de l'accord-cadre" }
            @if inv.documents.is_empty() {
                p { "Aucun document joint." }
            } @else {
                ul class="plain documents" data-testid="documents" {
                    @for d in &inv.documents {
                        li {
                            strong { (d.title_fr) }
                            " — version " (d.version)
                            br;
                            a href={ "/portail/invitations/" (inv.id) "/documents/" (d.sha256) } download=(d.file_name) data-testid="document-download" {
                                "Télécharger " (d.file_name)
                            }
                            br; span class="muted" { "Empreinte SHA-256 : " code { (d.sha256) } }
                        }
                    }
                }
                p class="muted" { "Ce sont les documents de la version de l'accord-cadre sous laquelle la commune passe sa commande. L'empreinte permet de vérifier que vous lisez le même document que la commune." }
            }
        }
    }
}

fn scores_table(
    testid: &str,
    heading: &str,
    scores: &[centrale_domain::evaluation::CriterionScore],
    total: rust_decimal::Decimal,
    total_testid: &str,
    label: &dyn Fn(&str) -> String,
) -> Markup {
    html! {
        div class="table-wrap" role="region" tabindex="0" aria-label=(heading) {
            table class="table" data-testid=(testid) {
                thead { tr {
                    th scope="col" { "Critère" }
                    th scope="col" class="num" { (heading) }
                    th scope="col" class="num" { "Sur" }
                } }
                tbody {
                    @for s in scores {
                        tr {
                            td { (label(&s.criterion_code)) }
                            td class="num" { (points_fr(s.points)) }
                            td class="num" { (s.weight) }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" { "Total" }
                    td class="num" data-testid=(total_testid) { strong { (points_fr(total)) } }
                    td class="num" { (scores.iter().map(|s| s.weight).sum::<u32>()) }
                } }
            }
        }
    }
}

/// The notification of the award (law of 17 June 2013; Dir. 2014/24 art. 55(2)): the
/// verdict, the decision, the motivation (the winning offer's relative advantages), the
/// provider's own scores and, for a tenderer not chosen, the winner's name and scores and the
/// remedies with their time limits.
fn outcome_section(inv: &Invitation, terms: Option<&FrameworkTerms>) -> Markup {
    let Some(outcome) = &inv.outcome else {
        return html! {};
    };
    let label = |code: &str| {
        terms
            .and_then(|t| t.award_criteria.iter().find(|c| c.code == code))
            .map_or_else(|| code.to_string(), |c| c.label_fr.clone())
    };
    html! {
        section class={ "section outcome " (if outcome.won { "outcome--won" } else { "outcome--lost" }) }
            aria-labelledby="resultat" data-testid="outcome" {
            h2 id="resultat" { "Résultat de l'attribution" }
            p class="outcome__verdict" data-testid="outcome-verdict" {
                @if outcome.won {
                    "Votre offre a été retenue. La commune vous a attribué la commande."
                } @else {
                    "Votre offre n'a pas été retenue."
                }
            }
            @if let Some(notice) = &outcome.set_aside {
                p data-testid="outcome-set-aside" { (set_aside_ground_fr(notice.ground)) " Motivation : " (notice.motivation) }
                p { "Attribution décidée le " (brussels(outcome.awarded_at)) "." }
            } @else {
                p { "Votre classement : " strong data-testid="outcome-rank" { (outcome.rank) @if outcome.rank == 1 { "er" } @else { "e" } } " · attribution décidée le " (brussels(outcome.awarded_at)) "." }
            }
            @if let Some(at) = outcome.notified_at {
                p data-testid="outcome-notified" { "Notification enregistrée le " strong { (brussels(at)) } " (heure de Bruxelles)." }
            }
            @if let Some(d) = &outcome.decision {
                p data-testid="outcome-decision" { "Décision du collège communal " (d.reference) " du " (format_date(d.date)) "." }
            }
            @if let Some(name) = &outcome.winner_name {
                p data-testid="outcome-winner" { "Offre retenue : " strong { (name) } "." }
            }
            h3 { @if outcome.won { "Motivation de la commune" } @else { "Motivation de la commune et avantages relatifs de l'offre retenue" } }
            p class="prewrap" data-testid="outcome-justification" { (outcome.justification) }
            @if outcome.set_aside.is_none() {
                h3 { "Vos points, critère par critère" }
                (scores_table("own-scores", "Vos points", &outcome.own_scores, outcome.own_total, "own-total", &label))
            }
            @if let Some(total) = outcome.winner_total {
                h3 { "Les points de l'offre retenue" }
                (scores_table("winner-scores", "Points de l'offre retenue", &outcome.winner_scores, total, "winner-total", &label))
                p class="muted" { "Aucune autre offre ne vous est communiquée." }
            } @else if outcome.won {
                p class="muted" { "Seuls les points de votre offre vous sont communiqués." }
            }
            @if !outcome.remedies.is_empty() {
                h3 { "Voies de recours" }
                ul data-testid="outcome-remedies" {
                    @for r in &outcome.remedies {
                        li {
                            (r.kind.label_fr()) " : dans les " (r.days) " jours à compter de la notification, soit au plus tard le "
                            strong { (format_date(r.until)) } "."
                        }
                    }
                }
                p class="muted" { "Les délais se comptent en jours calendrier à partir du lendemain de la notification ; un délai qui expire un samedi, un dimanche ou un jour férié est reporté au jour ouvrable suivant." }
            }
        }
    }
}

/// Why an offer was set aside, in a sentence.
fn set_aside_ground_fr(ground: SetAsideGround) -> &'static str {
    match ground {
        SetAsideGround::Irregular => {
            "La commune a écarté votre offre comme irrégulière : elle ne sera pas classée."
        }
        SetAsideGround::AbnormallyLow => {
            "La commune a écarté votre offre comme anormalement basse, après avoir examiné la justification de vos prix : elle ne sera pas classée."
        }
    }
}

/// The commune's requests to justify this provider's prices, with the answer sent or, while
/// the deadline runs, the form to send it. Only this provider's invitation carries them.
fn price_requests_section(
    inv: &Invitation,
    session: &ProviderSession,
    now: DateTime<Utc>,
    sent: bool,
) -> Markup {
    if inv.price_requests.is_empty() {
        return html! {};
    }
    html! {
        section class="section" aria-labelledby="justification" data-testid="price-requests" {
            h2 id="justification" { "Justification des prix demandée" }
            @if sent {
                div class="panel panel--success" role="status" data-testid="justification-sent" {
                    p { "Votre justification a été transmise à la commune. Elle l'examinera avant d'évaluer les offres." }
                }
            }
            @for r in &inv.price_requests {
                div class="panel" data-testid="price-request" {
                    p { "Le " (brussels(r.asked_at)) ", la commune vous demande de justifier par écrit les prix suivants de votre offre, au plus tard le " strong data-testid="price-request-deadline" { (brussels(r.deadline)) } " (heure de Bruxelles) :" }
                    p class="prewrap" data-testid="price-request-prices" { (r.prices) }
                    @if let (Some(answer), Some(at)) = (&r.answer, r.answered_at) {
                        h3 { "Votre justification" }
                        p class="prewrap" data-testid="price-request-answer" { (answer) }
                        p class="muted" { "Reçue le " (brussels(at)) " (heure de Bruxelles)." }
                    }
                    @if let Some(at) = r.accepted_at {
                        p data-testid="price-request-accepted" { "Le " (brussels(at)) ", la commune a accepté votre justification : votre offre reste dans le classement." }
                    }
                    @if r.is_awaited(now) && inv.set_aside.is_none() && inv.status != InvitationStatus::Withdrawn {
                        form method="post" action={ "/portail/invitations/" (inv.id) "/justification/" (r.id) } data-testid="justification-form" {
                            input type="hidden" name="csrf" value=(session.csrf);
                            div class="field" {
                                label for={ "answer-" (r.id) } { "Votre justification écrite" }
                                p class="hint" id={ "answer-hint-" (r.id) } { "Expliquez la composition de vos prix (par exemple : coûts mutualisés, méthode, conditions particulières). Une seule réponse, avant la date indiquée." }
                                textarea id={ "answer-" (r.id) } name="answer" rows="6" aria-describedby={ "answer-hint-" (r.id) } {}
                            }
                            button class="button" type="submit" data-testid="justification-submit" { "Envoyer la justification" }
                        }
                    } @else if r.answer.is_none() {
                        p class="muted" data-testid="price-request-expired" { "Le délai est dépassé sans justification reçue." }
                    }
                }
            }
        }
    }
}

/// The offer set aside as irregular: why, when, and the remedies.
fn set_aside_section(inv: &Invitation) -> Markup {
    let Some(notice) = &inv.set_aside else {
        return html! {};
    };
    html! {
        section class="section outcome outcome--lost" aria-labelledby="ecartee" data-testid="set-aside" {
            h2 id="ecartee" { "Votre offre a été écartée" }
            p data-testid="set-aside-ground" { (set_aside_ground_fr(notice.ground)) }
            h3 { "Motivation de la commune" }
            p class="prewrap" data-testid="set-aside-motivation" { (notice.motivation) }
            p class="muted" { "Notification enregistrée le " (brussels(notice.notified_at)) " (heure de Bruxelles)." }
            h3 { "Voies de recours" }
            ul {
                @for r in &notice.remedies {
                    li { (r.kind.label_fr()) " : dans les " (r.days) " jours à compter de la notification, soit au plus tard le " strong { (format_date(r.until)) } "." }
                }
            }
        }
    }
}

/// The withdrawal of the competition, as told to every invited provider.
fn withdrawal_section(inv: &Invitation) -> Markup {
    let Some(notice) = &inv.withdrawal else {
        return html! {};
    };
    html! {
        section class="section outcome outcome--lost" aria-labelledby="retrait" data-testid="withdrawal" {
            h2 id="retrait" { "Remise en concurrence retirée" }
            p { "La commune a retiré cette remise en concurrence. Aucune offre ne peut plus être remise ; une offre déjà remise ne sera pas ouverte." }
            @if let Some(d) = &notice.decision {
                p data-testid="withdrawal-decision" { "Décision du collège communal " (d.reference) " du " (format_date(d.date)) "." }
            }
            h3 { "Motivation de la commune" }
            p class="prewrap" data-testid="withdrawal-motivation" { (notice.motivation) }
            p class="muted" { "Notification enregistrée le " (brussels(notice.notified_at)) " (heure de Bruxelles)." }
        }
    }
}

/// Questions and answers of the competition (the same for every invited provider, the asker
/// never named), and, while it runs, the form to ask one.
fn questions_section(
    inv: &Invitation,
    session: &ProviderSession,
    open: bool,
    sent: bool,
) -> Markup {
    html! {
        section class="section" aria-labelledby="questions" data-testid="questions" {
            h2 id="questions" { "Questions et réponses" }
            @if sent {
                div class="panel panel--success" role="status" data-testid="question-sent" {
                    p { "Votre question a été transmise à la centrale d'achat. La réponse sera communiquée à tous les prestataires invités, sans indiquer qui l'a posée." }
                }
            }
            @if inv.clarifications.is_empty() {
                p class="muted" { "Aucune réponse publiée pour le moment." }
            } @else {
                dl class="facts" data-testid="clarifications" {
                    @for c in &inv.clarifications {
                        dt { "Question : " (c.question) }
                        dd { "Réponse de la centrale (" (brussels(c.answered_at)) ") : " (c.answer) }
                    }
                }
            }
            @if open {
                form method="post" action={ "/portail/invitations/" (inv.id) "/question" } data-testid="question-form" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    div class="field" {
                        label for="question" { "Poser une question à la centrale d'achat" }
                        p class="hint" id="question-hint" { "Jusqu'à la date limite. La question et sa réponse seront communiquées à tous les prestataires invités, sans votre nom." }
                        textarea id="question" name="question" rows="3" aria-describedby="question-hint" {}
                    }
                    button class="button button--secondary" type="submit" data-testid="question-submit" { "Envoyer la question" }
                }
            }
        }
    }
}

/// The deadline's extensions, with their reasons (the same for every invited provider).
fn extensions_section(inv: &Invitation) -> Markup {
    if inv.extensions.is_empty() {
        return html! {};
    }
    html! {
        section class="section" aria-labelledby="prolongations" data-testid="extensions" {
            h2 id="prolongations" { "Date limite prolongée" }
            ul {
                @for e in &inv.extensions {
                    li {
                        "Le " (brussels(e.at)) ", la centrale a reporté la date limite du " (brussels(e.previous)) " au "
                        strong { (brussels(e.deadline)) } " pour tous les prestataires invités. Motif : " (e.reason)
                    }
                }
            }
        }
    }
}

/// The heading of every page about one invitation.
pub fn invitation_heading(inv: &Invitation, ctx: &Context) -> Markup {
    html! {
        p class="breadcrumb" { a href="/portail/invitations" { "← Vos invitations" } }
        p class="caption" { (ctx.commune_name) " · " (ctx.service_name) }
        h1 data-testid="invitation-title" { (inv.order_title) }
        @if !ctx.framework_reference.is_empty() {
            p class="muted" { "Remise en concurrence dans le cadre de l'accord-cadre " (ctx.framework_reference) " (version " (inv.framework_version) "), invitation envoyée le " (brussels(inv.sent_at)) "." }
        }
    }
}

/// Query of the invitation page: `question=envoyee` right after a question was sent,
/// `justification=envoyee` right after a justification of prices was.
#[derive(Debug, Deserialize)]
pub struct InvitationQuery {
    question: Option<String>,
    justification: Option<String>,
}

/// `GET /portail/invitations/{id}/documents/{sha256}`: a document of the framework version
/// this invitation's order is pinned to (issue 12 §2), as sent with the invitation; any other
/// file is absent for this provider.
pub async fn document(
    State(state): State<AppState>,
    session: ProviderSession,
    Path((id, sha256)): Path<(String, String)>,
) -> Response {
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let Some(doc) = inv.documents.iter().find(|d| d.sha256 == sha256) else {
        return not_found_page(Some(state.clock.now()));
    };
    match crate::http::document_file_response(&state, &doc.sha256, &doc.file_name).await {
        Ok(Some(response)) => response,
        Ok(None) => layout::message_page_at(
            StatusCode::NOT_FOUND,
            "Document indisponible",
            "Le fichier de ce document n'est pas encore disponible. Contactez la centrale d'achat.",
            Some(state.clock.now()),
        ),
        Err(e) => e.into_response(),
    }
}

/// `GET /portail/invitations/{id}`.
pub async fn invitation(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    Query(query): Query<InvitationQuery>,
) -> Response {
    let now = state.clock.now();
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let loaded = async {
        let ctx = read::context(&state, &session.provider_id, &inv).await?;
        let own = read::own_offer(&state, &session.provider_id, &inv).await?;
        Ok::<_, PortalError>((ctx, own))
    }
    .await;
    let (ctx, own) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let open = now < inv.deadline && inv.status != InvitationStatus::Withdrawn;
    let letters = super::letters::section(&state, &session, &inv).await;
    let content = html! {
        (invitation_heading(&inv, &ctx))
        p { (status_of(&inv, own.as_ref().map(|o| o.submitted_at), now)) }
        (withdrawal_section(&inv))
        (set_aside_section(&inv))
        (price_requests_section(&inv, &session, now, query.justification.as_deref() == Some("envoyee")))
        (outcome_section(&inv, ctx.terms.as_ref()))
        (letters)
        (extensions_section(&inv))
        @if inv.outcome.as_ref().is_some_and(|o| o.won) {
            p { a class="button" href={ "/portail/invitations/" (inv.id) "/jalons" } data-testid="milestones-link" { "Suivre le déploiement (jalons)" } }
        }
        (deadline_block(inv.deadline, now))
        @if open {
            @if inv.pool_id.is_some() {
                p data-testid="pooled-explanation" {
                    "Cette commande fait partie d'un marché groupé : vous remettez une seule offre pour toutes les communes qui y participent, vos prix unitaires s'appliquant aux quantités de chaque commune."
                }
            }
            div class="actions" {
                @if let Some(pool) = inv.pool_id {
                    a class="button" href=(super::forms::pool_offer_path(pool)) data-testid="offer-link" {
                        @if own.is_some() { "Remplacer mon offre pour le marché groupé" } @else { "Remettre une offre pour le marché groupé" }
                    }
                } @else {
                    a class="button" href={ "/portail/invitations/" (inv.id) "/offre" } data-testid="offer-link" {
                        @if own.is_some() { "Remplacer mon offre" } @else { "Remettre une offre" }
                    }
                }
                @if own.is_some() {
                    a class="button button--secondary" href={ "/portail/invitations/" (inv.id) "/recu" } data-testid="receipt-link" { "Voir l'accusé de réception" }
                }
            }
        } @else if own.is_some() {
            p { a class="button button--secondary" href={ "/portail/invitations/" (inv.id) "/recu" } data-testid="receipt-link" { "Voir l'accusé de réception de votre offre" } }
        }
        (questions_section(&inv, &session, open && inv.status == InvitationStatus::Sent, query.question.as_deref() == Some("envoyee")))
        (needs_section(&inv, ctx.terms.as_ref()))
        (award_rules_section(ctx.terms.as_ref()))
        (documents_section(&inv))
    };
    respond(
        StatusCode::OK,
        page(&inv.order_title, Some(&session), Some(now), content),
    )
}

/// How the offers will be compared: the framework's criteria and weights, the price formula
/// and the tie-break, as its documents state them (the same words the commune reads).
fn award_rules_section(terms: Option<&FrameworkTerms>) -> Markup {
    html! {
        section data-testid="award-rules" {
            h2 { "Comment les offres seront comparées" }
            @if let Some(terms) = terms {
                ul {
                    @for c in &terms.award_criteria {
                        li { (c.label_fr) " : " (c.weight) " points" }
                    }
                }
            }
            p data-testid="price-formula" {
                (terms.map_or(centrale_domain::evaluation::PRICE_FORMULA_FR, |t| t.price_formula.statement_fr()))
            }
            p { (centrale_domain::evaluation::TIE_BREAK_RULE_FR) }
        }
    }
}

/// Query of the receipt page: `envoye=1` right after a submission.
#[derive(Debug, Deserialize)]
pub struct ReceiptQuery {
    envoye: Option<String>,
}

/// The priced lines and totals of an offer (submitted, or about to be).
pub fn offer_lines(lines: &[OfferLine], total: Amount, terms: Option<&FrameworkTerms>) -> Markup {
    html! {
        div class="table-wrap" role="region" tabindex="0" aria-label="Lignes de l'offre" {
            table class="table" data-testid="offer-lines" {
                thead { tr {
                    th scope="col" { "Ligne" }
                    th scope="col" class="num" { "Quantité" }
                    th scope="col" class="num" { "Prix unitaire HTVA" }
                    th scope="col" class="num" { "Montant HTVA" }
                    th scope="col" class="num" { "Montant TVAC" }
                } }
                tbody {
                    @for line in lines {
                        tr {
                            td { (terms.and_then(|t| t.price_line(&line.price_line_code)).map_or(line.price_line_code.as_str(), |s| s.label_fr.as_str())) }
                            td class="num" {
                                (decimal_fr(line.quantity))
                                @if line.periods != rust_decimal::Decimal::ONE { " × " (decimal_fr(line.periods)) }
                            }
                            td class="num" { (line.unit_price_cents.format()) }
                            td class="num" { (line.amount.excl_vat.format()) }
                            td class="num" { (line.amount.incl_vat.format()) }
                        }
                    }
                }
                tfoot {
                    tr {
                        th scope="row" colspan="3" { "Total" }
                        td class="num" data-testid="total-excl-vat" { strong { (total.excl_vat.format()) " HTVA" } }
                        td class="num" data-testid="total-incl-vat" { strong { (total.incl_vat.format()) " TVAC" } }
                    }
                }
            }
        }
        p class="muted" { "Dont TVA : " (total.vat.format()) "." }
    }
}

/// `GET /portail/invitations/{id}/recu`: the receipt of this provider's offer.
pub async fn receipt(
    State(state): State<AppState>,
    session: ProviderSession,
    Path(id): Path<String>,
    Query(query): Query<ReceiptQuery>,
) -> Response {
    let now = state.clock.now();
    let inv = match load_invitation(&state, &session, &id).await {
        Ok(inv) => inv,
        Err(r) => return r,
    };
    let loaded = async {
        let ctx = read::context(&state, &session.provider_id, &inv).await?;
        let own = read::own_offer(&state, &session.provider_id, &inv).await?;
        Ok::<_, PortalError>((ctx, own))
    }
    .await;
    let (ctx, offer) = match loaded {
        Ok((ctx, Some(offer))) => (ctx, offer),
        Ok((_, None)) => {
            return Redirect::to(&format!("/portail/invitations/{}", inv.id)).into_response()
        }
        Err(e) => return e.into_response(),
    };
    let just_sent = query.envoye.as_deref() == Some("1");
    let content = html! {
        (invitation_heading(&inv, &ctx))
        @if just_sent {
            div class="panel panel--success" role="status" data-testid="confirmation" {
                h2 class="panel__title" {
                    @if offer.revision > 1 { "Votre offre a été remplacée" } @else { "Votre offre a été remise" }
                }
                p { "Elle reste scellée jusqu'à la date limite : ni la commune, ni la centrale, ni l'autre prestataire ne peuvent la lire avant." }
            }
        }
        h2 { "Accusé de réception" }
        dl class="facts receipt" data-testid="receipt" {
            dt { "Société" }
            dd { (session.provider_name) }
            dt { "Version de l'offre" }
            dd data-testid="receipt-revision" {
                (offer.revision)
                @if offer.revision > 1 { " (remplace la version " (offer.revision - 1) ")" } @else { " (première remise)" }
            }
            dt { "Reçue par l'intercommunale le" }
            dd data-testid="receipt-time" { (brussels_seconds(offer.submitted_at)) " (heure de Bruxelles)" }
            dt { "Empreinte SHA-256" }
            dd { code class="hash" data-testid="receipt-hash" { (offer.content_sha256) } }
            dt { "Délai de mise en œuvre" }
            dd { (offer.lead_time_days) " jours à compter du bon de commande" }
            dt { "Remarques techniques" }
            dd class="prewrap" { @if offer.notes.is_empty() { "Aucune" } @else { (offer.notes) } }
        }
        p class="muted" {
            "L'empreinte SHA-256 est calculée par l'intercommunale sur le contenu enregistré de l'offre (lignes, quantités, prix, montants, délai, remarques et heure de réception). Conservez-la avec cette page (fonction d'impression de votre navigateur) : elle permet de prouver ce que vous avez remis."
        }
        h2 { "Prix remis" }
        (offer_lines(&offer.lines, offer.total, ctx.terms.as_ref()))
        (deadline_block(inv.deadline, now))
        div class="actions" {
            @if now < inv.deadline && inv.status != InvitationStatus::Withdrawn {
                @if let Some(pool) = inv.pool_id {
                    a class="button button--secondary" href=(super::forms::pool_offer_path(pool)) data-testid="offer-link" { "Remplacer mon offre pour le marché groupé" }
                } @else {
                    a class="button button--secondary" href={ "/portail/invitations/" (inv.id) "/offre" } data-testid="offer-link" { "Remplacer mon offre" }
                }
            }
            a class="button button--secondary" href="/portail/invitations" { "Retour à mes invitations" }
        }
    };

    respond(
        StatusCode::OK,
        page(
            "Accusé de réception de votre offre",
            Some(&session),
            Some(now),
            content,
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_says_nothing_about_existence() {
        let r = not_found_page(None);
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
