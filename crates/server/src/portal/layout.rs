//! The page shell and the pieces every page shares: header with the provider and the logout
//! button, error summary, status tags, deadline with countdown, server time in the footer.
//!
//! Everything is written with `maud`, which escapes every interpolated value: nothing typed
//! by a commune or a provider can become markup.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};

use super::session::ProviderSession;
use crate::config::DEFAULT_CENTRALE_NAME;

/// How providers reach the centrale (issue 15 point 10): its name, e-mail and phone from the
/// settings (`centrale_name`, `contact_email`, `contact_phone`), shown on the login page and
/// in every page's footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The centrale's name.
    pub name: String,
    /// E-mail address; empty: none.
    pub email: String,
    /// Phone number as written; empty: none.
    pub phone: String,
}

impl Contact {
    /// From the server's settings.
    pub fn from_settings(settings: &crate::Settings) -> Contact {
        Contact {
            name: settings.centrale_name.clone(),
            email: settings.contact_email.clone(),
            phone: settings.contact_phone.clone(),
        }
    }

    /// The `tel:` address: the `+` and the digits only.
    fn tel_href(&self) -> String {
        let digits: String = self
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{digits}")
    }

    /// « Centrale d'achat … — centrale@… · +32 … », with links.
    fn links(&self) -> Markup {
        html! {
            strong { (self.name) }
            @if !self.email.is_empty() {
                " — " a href={ "mailto:" (self.email) } data-testid="contact-email" { (self.email) }
            }
            @if !self.phone.is_empty() {
                @if self.email.is_empty() { " — " } @else { " · " }
                a href=(self.tel_href()) data-testid="contact-phone" { (self.phone) }
            }
        }
    }

    /// The contact block of the login page.
    pub fn login_block(&self) -> Markup {
        html! {
            div class="contact" data-testid="login-contact" {
                p { "Compte oublié ou bloqué, question sur une invitation ? Contactez la centrale d'achat :" }
                p { (self.links()) }
            }
        }
    }
}

impl Default for Contact {
    fn default() -> Self {
        Contact {
            name: DEFAULT_CENTRALE_NAME.into(),
            email: String::new(),
            phone: String::new(),
        }
    }
}

tokio::task_local! {
    /// The contact of the server answering this request, set around every portal request by
    /// the portal's router (`with_contact`), so that every page, handlers' and error pages
    /// alike, shows it without each one passing it along.
    static CONTACT: Contact;
}

/// Runs `f` with `contact` as the pages' contact.
pub async fn with_contact<F: std::future::Future>(contact: Contact, f: F) -> F::Output {
    CONTACT.scope(contact, f).await
}

/// The contact for the page being written (the default outside a request, e.g. unit tests).
pub fn contact() -> Contact {
    CONTACT.try_with(Clone::clone).unwrap_or_default()
}

/// An error attached to one field of a form (`field` is the input's id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Id of the input, for the summary's link.
    pub field: String,
    /// French message.
    pub message: String,
}

impl FieldError {
    /// Builds one.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The message of `field` among `errors`, if any.
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// Brussels time of an instant, `14/03/2027 à 12:00`.
pub fn brussels(at: DateTime<Utc>) -> String {
    centrale_domain::offer::format_brussels(at)
}

/// Brussels time with seconds, for receipts: `14/03/2027 à 11:58:07`.
pub fn brussels_seconds(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Brussels)
        .format("%d/%m/%Y à %H:%M:%S")
        .to_string()
}

/// « Il reste 3 jours et 4 heures », from server time.
pub fn remaining_text(deadline: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let left = (deadline - now).num_seconds();
    if left <= 0 {
        return "Date limite dépassée : les offres ne peuvent plus être remises ni remplacées."
            .into();
    }
    let (days, hours, minutes) = (left / 86_400, (left % 86_400) / 3600, (left % 3600) / 60);
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    // « 15 jours », not « 15 jours et 0 heure ».
    let both = |a: String, b: i64, one: &str, many: &str| {
        if b == 0 {
            format!("Il reste {a}.")
        } else {
            format!("Il reste {a} et {}.", plural(b, one, many))
        }
    };
    if days > 0 {
        both(plural(days, "jour", "jours"), hours, "heure", "heures")
    } else if hours > 0 {
        both(
            plural(hours, "heure", "heures"),
            minutes,
            "minute",
            "minutes",
        )
    } else {
        format!("Il reste {}.", plural(minutes.max(1), "minute", "minutes"))
    }
}

/// The deadline with « heure de Bruxelles » and a countdown computed from server time; the
/// small script only keeps it ticking (it corrects the browser's clock by the server's).
pub fn deadline_block(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Markup {
    let open = now < deadline;
    html! {
        div class={ "deadline " (if open { "deadline--open" } else { "deadline--closed" }) } {
            p class="deadline__date" {
                "Date limite de remise des offres : "
                strong data-testid="deadline" { (brussels(deadline)) }
                " (heure de Bruxelles)"
            }
            p class="deadline__left" data-testid="countdown" aria-live="off"
                data-deadline=(deadline.to_rfc3339()) data-now=(now.to_rfc3339()) {
                (remaining_text(deadline, now))
            }
        }
    }
}

/// A status in words with an icon and a colour (never colour alone).
pub fn tag(kind: &str, icon: &str, text: &str) -> Markup {
    html! {
        span class={ "tag tag--" (kind) } {
            span class="tag__icon" aria-hidden="true" { (icon) }
            " " (text)
        }
    }
}

/// The error summary at the top of a form: each message links to its field.
pub fn error_summary(errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary" {
                h2 class="error-summary__title" { "Votre offre n'a pas été enregistrée" }
                ul {
                    @for e in errors {
                        li { a href={ "#" (e.field) } { (e.message) } }
                    }
                }
            }
        }
    }
}

/// A general message at the top of a page (a refusal that is not about one field).
pub fn alert(kind: &str, testid: &str, title: &str, text: &str) -> Markup {
    html! {
        div class={ "alert alert--" (kind) } role=(if kind == "error" { "alert" } else { "status" }) data-testid=(testid) {
            p class="alert__title" { (title) }
            @if !text.is_empty() { p { (text) } }
        }
    }
}

/// The whole page: header (provider, logout), main content, footer with server time.
pub fn page(
    title: &str,
    session: Option<&ProviderSession>,
    now: Option<DateTime<Utc>>,
    content: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Portail des prestataires — Centrale" }
                link rel="stylesheet" href="/portail/static/portail.css";
                script src="/portail/static/portail.js" defer {}
            }
            body {
                a class="skip-link" href="#contenu" { "Aller au contenu" }
                header class="site-header" {
                    div class="site-header__inner" {
                        a class="site-header__brand" href="/portail/invitations" {
                            span class="site-header__name" { "Centrale" }
                            span class="site-header__sub" { "Portail des prestataires" }
                        }
                        @if let Some(s) = session {
                            div class="site-header__account" {
                                span class="site-header__who" data-testid="account" {
                                    strong { (s.provider_name) }
                                    @if let Some(person) = s.person_name() {
                                        br;
                                        (person)
                                    }
                                }
                                a class="site-header__link" href="/portail/notifications" data-testid="my-notifications" { "Mes notifications" }
                                a class="site-header__link" href="/portail/compte" data-testid="my-account" { "Mon compte" }
                                form method="post" action="/portail/deconnexion" class="inline-form" {
                                    input type="hidden" name="csrf" value=(s.csrf);
                                    button type="submit" class="button button--secondary button--small" data-testid="logout" {
                                        "Se déconnecter"
                                    }
                                }
                            }
                        }
                    }
                }
                main id="contenu" class="main" tabindex="-1" {
                    (content)
                }
                footer class="site-footer" {
                    @if let Some(now) = now {
                        p {
                            "Heure de l'intercommunale : "
                            span data-testid="server-time" { (brussels(now)) }
                            " (heure de Bruxelles). Les dates limites sont vérifiées sur cette heure, pas sur celle de votre appareil."
                        }
                    }
                    p data-testid="footer-contact" { "Une question ? Contactez la centrale d'achat : " (contact().links()) }
                }
            }
        }
    }
}

/// Sends a page with a status code.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// A page that only says something (errors, 404), without the account header.
pub fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    message_page_at(status, title, message, None)
}

/// The same, with server time in the footer.
pub fn message_page_at(
    status: StatusCode,
    title: &str,
    message: &str,
    now: Option<DateTime<Utc>>,
) -> Response {
    let content = html! {
        h1 { (title) }
        p class="lead" data-testid="message" { (message) }
        p { a href="/portail/invitations" class="button button--secondary" { "Retour à mes invitations" } }
    };
    respond(status, page(title, None, now, content))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn remaining_time_in_words() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        let d = |s: i64| now + Duration::seconds(s);
        assert_eq!(
            remaining_text(d(15 * 86_400 + 3600), now),
            "Il reste 15 jours et 1 heure."
        );
        assert_eq!(
            remaining_text(d(2 * 3600 + 120), now),
            "Il reste 2 heures et 2 minutes."
        );
        assert_eq!(remaining_text(d(3600), now), "Il reste 1 heure.");
        assert_eq!(remaining_text(d(15 * 86_400), now), "Il reste 15 jours.");
        assert_eq!(remaining_text(d(30), now), "Il reste 1 minute.");
        assert!(remaining_text(now, now).starts_with("Date limite dépassée"));
    }

    #[test]
    fn interpolated_text_is_escaped() {
        let markup = alert("error", "x", "<script>alert(1)</script>", "a & b");
        let text = markup.into_string();
        assert!(
            text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{text}"
        );
        assert!(!text.contains("<script>"));
        assert!(text.contains("a &amp; b"));
    }

    #[test]
    fn the_contact_links_what_is_set_and_leaves_out_the_rest() {
        let c = Contact {
            name: "Centrale d'achat IDELUX".into(),
            email: "achats@idelux.example.be".into(),
            phone: "+32 63/23.18.11".into(),
        };
        let html = c.links().into_string();
        assert!(
            html.contains("href=\"mailto:achats@idelux.example.be\""),
            "{html}"
        );
        assert!(html.contains("href=\"tel:+3263231811\""), "{html}");
        let phone_only = Contact {
            email: String::new(),
            ..c
        };
        let html = phone_only.links().into_string();
        assert!(!html.contains("mailto:") && html.contains("tel:"), "{html}");
        let html = Contact::default().links().into_string();
        assert!(!html.contains("href"), "{html}");
        assert!(
            html.contains("Centrale d'achat de l'intercommunale"),
            "{html}"
        );
    }

    #[tokio::test]
    async fn every_page_written_inside_a_request_shows_that_servers_contact() {
        // Outside a request (here), the default.
        assert_eq!(contact(), Contact::default());
        let set = Contact {
            name: "Centrale X".into(),
            email: "x@exemple.be".into(),
            phone: String::new(),
        };
        let html = with_contact(set, async {
            page("Essai", None, None, html! { p { "contenu" } }).into_string()
        })
        .await;
        assert!(html.contains("data-testid=\"footer-contact\""), "{html}");
        assert!(
            html.contains("Centrale X") && html.contains("mailto:x@exemple.be"),
            "{html}"
        );
    }

    #[test]
    fn brussels_times() {
        let at = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 5).unwrap();
        assert_eq!(brussels(at), "14/12/2026 à 10:00");
        assert_eq!(brussels_seconds(at), "14/12/2026 à 10:00:05");
    }
}
