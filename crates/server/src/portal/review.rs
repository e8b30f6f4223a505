//! The summary shown before an offer is sent: an offer binds the provider, so it sees exactly
//! what will be remitted — lines, totals excluding and including VAT, lead time, remarks — and
//! confirms it, or goes back to change it. Nothing is stored until it confirms.

use axum::http::StatusCode;
use axum::response::Response;
use centrale_domain::money::Amount;
use centrale_domain::offer::{Invitation, Offer, OfferLine};
use chrono::{DateTime, Utc};
use maud::html;

use super::layout::{brussels, deadline_block, page, respond};
use super::pages::{invitation_heading, offer_lines};
use super::read::Context;
use super::session::ProviderSession;

/// What the summary shows, and the values it sends back as typed.
pub struct OfferReview<'a> {
    pub session: &'a ProviderSession,
    pub now: DateTime<Utc>,
    pub inv: &'a Invitation,
    pub ctx: &'a Context,
    /// The offer already remitted, when this one replaces it.
    pub own: Option<&'a Offer>,
    /// Unit prices as typed, one per need line.
    pub prices: &'a [String],
    /// Lead time as typed.
    pub lead_time: &'a str,
    /// Remarks as typed.
    pub notes: &'a str,
    /// The lines priced by the domain's rule (the same the server applies).
    pub lines: &'a [OfferLine],
    /// Their total.
    pub total: Amount,
    /// Why the code of the account's second factor was refused, when it was.
    pub code_error: Option<String>,
}

/// `POST /portail/invitations/{id}/offre` with `etape=verifier`: the summary to confirm.
pub fn offer_review_page(r: OfferReview<'_>) -> Response {
    let action = format!("/portail/invitations/{}/offre", r.inv.id);
    // The same values go back with either button: to send them, or to change them.
    let carried = html! {
        input type="hidden" name="csrf" value=(r.session.csrf);
        @for (i, price) in r.prices.iter().enumerate() {
            input type="hidden" name={ "prix-" (i) } value=(price);
        }
        input type="hidden" name="delai" value=(r.lead_time);
        input type="hidden" name="remarques" value=(r.notes);
    };
    let content = html! {
        (invitation_heading(r.inv, r.ctx))
        (deadline_block(r.inv.deadline, r.now))
        h2 { "Vérifiez votre offre avant de la remettre" }
        p {
            "Voici exactement ce que " (r.session.provider_name) " remettra à la centrale d'achat pour "
            (r.ctx.commune_name) ". L'offre reste scellée jusqu'à la date limite ; vous pourrez la remplacer jusque-là."
        }
        @if let Some(o) = r.own {
            p class="notice" data-testid="replace-notice" {
                "Cette offre remplacera celle remise le " (brussels(o.submitted_at)) " (version " (o.revision) ")."
            }
        }
        (offer_lines(r.lines, r.total, r.ctx.terms.as_ref()))
        dl class="summary" data-testid="offer-summary" {
            dt { "Délai de mise en œuvre" }
            dd { (r.lead_time.trim()) " jours à compter du bon de commande" }
            dt { "Remarques techniques" }
            dd { @if r.notes.trim().is_empty() { "Aucune" } @else { (r.notes) } }
        }
        div class="actions" {
            form method="post" action=(action) class="inline-form" {
                (carried)
                input type="hidden" name="etape" value="confirmer";
                // An offer binds the provider: with a second factor, it is remitted with the
                // code of the account's application (issue 17 point 9).
                @if r.session.actor.second_factor {
                    (crate::portal::forms::text_field(
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
                    @if r.own.is_some() { "Remplacer mon offre" } @else { "Remettre mon offre" }
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
        StatusCode::OK,
        page(
            "Vérifier votre offre",
            Some(r.session),
            Some(r.now),
            content,
        ),
    )
}
