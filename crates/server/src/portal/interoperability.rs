//! The provider's own interoperability sheet on « Vos accords-cadres » (issue 16 §1).

use centrale_domain::catalogue::{FrameworkTerms, Provider, Service};
use centrale_domain::format_date;
use maud::{html, Markup};

/// The provider's own solution as the centrale recorded it on the framework's interoperability
/// sheet (issue 16 §1): what it offers, what the centrale checked, which catalogue solutions it
/// works with — so the provider can see, and correct with the centrale, what the communes read.
/// Another party's sheet is not shown.
pub fn own_sheet(
    terms: &FrameworkTerms,
    providers: &[Provider],
    services: &[Service],
    provider: &str,
) -> Markup {
    use centrale_domain::interoperability::InteropAspect;
    let Some(sheet) = terms
        .interoperability
        .iter()
        .find(|s| s.provider_id.to_string() == provider)
    else {
        return html! {
            p class="muted" data-testid="interoperability-none" { "La centrale n'a pas encore établi la fiche d'interopérabilité de votre solution pour cet accord-cadre." }
        };
    };
    let provider_name = |id: uuid::Uuid| {
        providers
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    };
    let service_name = |id: uuid::Uuid| {
        services
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| "Service du catalogue".to_string(), |s| s.name_fr.clone())
    };
    html! {
        details class="sheet" data-testid="interoperability-sheet" {
            summary data-testid="interoperability-sheet-summary" { "Fiche d'interopérabilité de votre solution : " strong { (sheet.solution_name) } }
            p class="muted" { "Tenue par la centrale d'achat avec la version " (terms.version) " de l'accord-cadre ; les communes la lisent dans le catalogue et sur la comparaison des offres. Elle ne note pas les offres : seuls les critères d'attribution le font." }
            table {
                thead { tr { th { "Aspect" } th { "Ce que votre solution offre" } th { "Vérification de la centrale" } } }
                tbody {
                    @for aspect in InteropAspect::ALL {
                        tr {
                            th scope="row" { (aspect.label_fr()) }
                            td { (sheet.offered_fr(aspect)) }
                            td {
                                @match sheet.check(aspect) {
                                    Some(c) => {
                                        (c.outcome.label_fr()) " le " (format_date(c.checked_on))
                                        @if !c.note.trim().is_empty() { " — " (c.note) }
                                    },
                                    None => { span class="muted" { "non vérifié" } },
                                }
                            }
                        }
                    }
                }
            }
            @if !sheet.works_with.is_empty() {
                p { "Fonctionne avec :" }
                ul data-testid="interoperability-links" {
                    @for l in &sheet.works_with {
                        li {
                            (service_name(l.with.service_id)) " de " (provider_name(l.with.provider_id)) " — " (l.how)
                            @match l.checked_on {
                                Some(d) => { " (testé par la centrale le " (format_date(d)) ")" },
                                None => { span class="muted" { " (déclaré, non testé)" } },
                            }
                        }
                    }
                }
            }
        }
    }
}
