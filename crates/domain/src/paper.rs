//! What the documents of an order and of an adhesion print (issue 12 §1), assembled once from
//! plain collections of records. The commune's PC (from its cache) and the server (from its
//! database) only *load* the records and call [`OrderPaper::assemble`] /
//! [`AdhesionPaper::assemble`]: which adhesion's signatures sign the commune's papers, the order
//! of the offers, the providers' names and addresses, the fallbacks for a name not known — each
//! choice is written here and nowhere else, so both sides print the same document.

use std::collections::HashMap;

use uuid::Uuid;

use crate::adhesion::{Adhesion, ConventionTemplate, Signature};
use crate::catalogue::{FrameworkAgreement, Provider, ProviderNames, Service};
use crate::commune::Commune;
use crate::offer::Offer;
use crate::order::Order;

/// The records an order's documents are made of, as a side loaded them (in any order).
#[derive(Debug, Clone)]
pub struct OrderRecords {
    /// The order.
    pub order: Order,
    /// Its framework agreement (every version; the order names its own).
    pub framework: FrameworkAgreement,
    /// The service's French name, when the service is known.
    pub service_name: Option<String>,
    /// The commune, when known.
    pub commune: Option<Commune>,
    /// Adhesions (those of other communes are ignored).
    pub adhesions: Vec<Adhesion>,
    /// The offers on the order (ignored until the opening: a sealed offer is never printed).
    pub offers: Vec<Offer>,
    /// The providers known.
    pub providers: Vec<Provider>,
    /// The services known (to name the solutions an interoperability sheet links to).
    pub services: Vec<Service>,
}

/// One order and what its documents print.
#[derive(Debug, Clone)]
pub struct OrderPaper {
    /// The order.
    pub order: Order,
    /// Its framework agreement (every version; the order names its own).
    pub framework: FrameworkAgreement,
    /// The service's French name (the framework's title when the service is not known).
    pub service_name: String,
    /// The commune's French name (its NIS code when the commune is not known).
    pub commune_name: String,
    /// The opened offers, by time of submission then id (none before the opening).
    pub offers: Vec<Offer>,
    /// The providers' names.
    pub providers: ProviderNames,
    /// The providers' postal addresses, for the letters (blank ones left out).
    pub addresses: HashMap<Uuid, String>,
    /// The services' French names by id (the solutions an interoperability sheet links to).
    pub service_names: HashMap<Uuid, String>,
    /// The commune's signatories as they signed its adhesion (directeur général, then
    /// bourgmestre — or their substitutes, with their quality): the people who sign the
    /// commune's decisions and letters. Empty when no adhesion of the commune is signed by
    /// both.
    pub signatories: Vec<Signature>,
}

/// One adhesion and what its documents print.
#[derive(Debug, Clone)]
pub struct AdhesionPaper {
    /// The adhesion.
    pub adhesion: Adhesion,
    /// The convention version it is on.
    pub template: ConventionTemplate,
    /// The commune's French name (its NIS code when the commune is not known).
    pub commune_name: String,
}

fn commune_name(commune: Option<&Commune>, nis: &str) -> String {
    commune
        .filter(|c| c.nis_code.as_str() == nis)
        .map(|c| c.name_fr.clone())
        .unwrap_or_else(|| nis.to_string())
}

/// The signatures of the commune's latest adhesion (by id: ids are time-ordered) signed by
/// both of its signatories, directeur général first.
fn signatories(adhesions: &[Adhesion], commune_nis: &str) -> Vec<Signature> {
    adhesions
        .iter()
        .filter(|a| a.commune_nis == commune_nis)
        .filter(|a| a.director_general_signature.is_some() && a.mayor_signature.is_some())
        .max_by_key(|a| a.id)
        .map(|a| {
            [&a.director_general_signature, &a.mayor_signature]
                .into_iter()
                .flatten()
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

impl OrderPaper {
    /// What the order's documents print, from the records a side holds.
    pub fn assemble(records: OrderRecords) -> OrderPaper {
        let OrderRecords {
            order,
            framework,
            service_name,
            commune,
            adhesions,
            mut offers,
            providers: known,
            services,
        } = records;
        let service_name = service_name.unwrap_or_else(|| framework.title_fr.clone());
        let commune_name = commune_name(commune.as_ref(), &order.commune_nis);
        let signatories = signatories(&adhesions, &order.commune_nis);
        // Sealed until the opening (law of 17 June 2016 art. 14 on confidentiality; Dir.
        // 2014/24 annex IV (b)): nothing of an offer is printed before.
        if order.opened_at.is_none() {
            offers.clear();
        }
        offers.retain(|o| o.order_id == order.id);
        offers.sort_by_key(|o| (o.submitted_at, o.id));
        let mut providers = ProviderNames::default();
        let mut addresses = HashMap::new();
        for provider in known {
            if !provider.address.trim().is_empty() {
                addresses.insert(provider.id, provider.address);
            }
            providers.insert(provider.id, provider.name);
        }
        let service_names = services.into_iter().map(|s| (s.id, s.name_fr)).collect();
        OrderPaper {
            order,
            framework,
            service_name,
            commune_name,
            offers,
            providers,
            addresses,
            service_names,
            signatories,
        }
    }
}

impl AdhesionPaper {
    /// What the adhesion's documents print; `None` when `template` is not the adhesion's
    /// convention version.
    pub fn assemble(
        adhesion: Adhesion,
        template: ConventionTemplate,
        commune: Option<&Commune>,
    ) -> Option<AdhesionPaper> {
        if template.id != adhesion.template_id {
            return None;
        }
        let commune_name = commune_name(commune, &adhesion.commune_nis);
        Some(AdhesionPaper {
            adhesion,
            template,
            commune_name,
        })
    }
}
