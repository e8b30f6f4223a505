//! Open data (issue 12 §3): every framework agreement and every call-off published as
//! OCDS 1.1.5 releases (Open Contracting Data Standard), served read-only and without login at
//! `/ocds/…` and written to a file by `centrale-server ocds`.
//!
//! - **The framework is the first stage**: its process (ocid `<prefix>-<framework id>`) has one
//!   release per published version — the award and contract of the framework with its parties
//!   (BCE/KBO numbers), its maximum value, its price schedule at the ceilings, then each
//!   modification as a contract amendment with its note and legal basis (Dir. 2014/24 art. 72).
//! - **A call-off is the second stage** (ocid `<prefix>-<order id>`): `relatedProcesses`
//!   points to its framework (`relationship: framework`); one release per stage reached —
//!   tender (the invitations' launch), opening of offers, award, purchase order (contract),
//!   implementation (the deployment's milestones), or the withdrawal of the competition.
//! - **Nothing sealed before the opening** (law of 17 June 2016 art. 14 on confidentiality;
//!   AR 18 April 2017 art. 77 on the opening): an offer, a tenderer or a count of offers is
//!   read only for an order whose offers the server has opened (`Order::opened_at`), never
//!   from the offers' records of a running competition; the commune's budget is never
//!   published (the tender's items are the needs as every invited provider received them,
//!   `OrderNeeds::for_tenderers`).
//! - **Amounts** are `amount` numbers in EUR written from the integer cents through
//!   `rust_decimal` (`1234.56`), never through a float: the package is written by
//!   [`to_json`], which prints decimals as they are.
//!
//! The module is pure but for [`Records::load`]: the releases are a function of the records,
//! the publisher's settings and the day (a milestone past its date is « notMet »).

use std::collections::HashMap;

use centrale_domain::catalogue::{
    FrameworkAgreement, FrameworkTerms, LegalBasis, Provider, ProviderStatus, Service,
};
use centrale_domain::commune::Commune;
use centrale_domain::deployment::Milestone;
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::money::{Amount, Cents};
use centrale_domain::offer::Offer;
use centrale_domain::order::{Order, OrderStatus};
use centrale_protocol::records::RecordKind;
use centrale_server_db::{Database, DbError};
use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Europe::Brussels;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::Settings;

/// The OCDS version the packages declare (`major.minor`; the schema files are 1.1.5).
pub const OCDS_VERSION: &str = "1.1";

/// The ocid prefix when none is set: a placeholder of the registered form (`ocds-` and six
/// letters or digits). A publisher registers its own with the Open Contracting Partnership
/// and sets it as `ocid_prefix`.
pub const DEFAULT_OCID_PREFIX: &str = "ocds-centrl";

/// True for a prefix of the form OCDS assigns: `ocds-` then six lowercase letters or digits.
pub fn is_ocid_prefix(prefix: &str) -> bool {
    prefix.strip_prefix("ocds-").is_some_and(|rest| {
        rest.len() == 6
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// The key of the object that stands for a decimal number until [`to_json`] writes it (no
/// OCDS field starts with a NUL character, no record's text reaches a key).
const DECIMAL_KEY: &str = "\u{0}decimal";

/// A decimal number for [`to_json`], written as is.
fn decimal(value: Decimal) -> Value {
    let mut object = Map::new();
    object.insert(DECIMAL_KEY.into(), Value::String(value.to_string()));
    Value::Object(object)
}

/// `{"amount": 1234.56, "currency": "EUR"}` from integer cents, exactly.
fn eur(cents: Cents) -> Value {
    json!({ "amount": decimal(Decimal::new(cents.0, 2)), "currency": "EUR" })
}

/// Writes `value` as JSON, the decimals of [`decimal`] as numbers with their exact digits.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            if let (1, Some(Value::String(digits))) = (map.len(), map.get(DECIMAL_KEY)) {
                out.push_str(digits);
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write(item, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Who publishes, and under which prefix.
#[derive(Debug, Clone)]
pub struct Publisher {
    /// `ocds-xxxxxx`.
    pub ocid_prefix: String,
    /// The centrale's name (`centrale_name`).
    pub name: String,
    /// The server's public address without a final `/`; empty when unknown.
    pub public_url: String,
    /// The intercommunale's enterprise number (`centrale_enterprise_number`), when set.
    pub enterprise_number: Option<EnterpriseNumber>,
}

impl Publisher {
    /// From the server's settings.
    pub fn of(settings: &Settings) -> Publisher {
        Publisher {
            ocid_prefix: settings.ocid_prefix.clone(),
            name: settings.centrale_name.clone(),
            public_url: settings.public_url.trim_end_matches('/').to_string(),
            // Checked when the settings are read: an unreadable number never gets here.
            enterprise_number: EnterpriseNumber::parse(&settings.centrale_enterprise_number).ok(),
        }
    }

    /// The ocid of a framework or an order.
    pub fn ocid(&self, id: Uuid) -> String {
        format!("{}-{id}", self.ocid_prefix)
    }

    /// Where a published file is, as a URI: the public address when known, else a URN.
    pub fn uri(&self, path: &str) -> String {
        if self.public_url.is_empty() {
            format!(
                "urn:ocds:{}:{}",
                self.ocid_prefix,
                path.trim_start_matches('/').replace('/', ":")
            )
        } else {
            format!("{}{path}", self.public_url)
        }
    }
}

/// The records the publication is made of (live ones).
#[derive(Debug, Clone, Default)]
pub struct Records {
    /// Framework agreements.
    pub frameworks: Vec<FrameworkAgreement>,
    /// Services (for their names).
    pub services: Vec<Service>,
    /// Providers.
    pub providers: Vec<Provider>,
    /// Communes.
    pub communes: Vec<Commune>,
    /// Orders.
    pub orders: Vec<Order>,
    /// Offers — read only for opened orders.
    pub offers: Vec<Offer>,
    /// Deployment milestones.
    pub milestones: Vec<Milestone>,
}

async fn live<T: DeserializeOwned>(db: &Database, kind: RecordKind) -> Result<Vec<T>, DbError> {
    let mut out = Vec::new();
    for row in db.list_records(kind.as_str()).await? {
        if row.deleted {
            continue;
        }
        match serde_json::from_value(row.body) {
            Ok(body) => out.push(body),
            // A record the publication cannot read is left out, not the whole publication.
            Err(e) => {
                tracing::warn!(kind = kind.as_str(), id = %row.id, error = %e, "OCDS : enregistrement illisible ignoré");
            }
        }
    }
    Ok(out)
}

impl Records {
    /// Every live record the publication reads.
    pub async fn load(db: &Database) -> Result<Records, DbError> {
        Ok(Records {
            frameworks: live(db, RecordKind::Framework).await?,
            services: live(db, RecordKind::Service).await?,
            providers: live(db, RecordKind::Provider).await?,
            communes: live(db, RecordKind::Commune).await?,
            orders: live(db, RecordKind::Order).await?,
            offers: live(db, RecordKind::Offer).await?,
            milestones: live(db, RecordKind::Milestone).await?,
        })
    }
}

/// Which releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every framework and every published call-off.
    All,
    /// One framework's releases.
    Framework(Uuid),
    /// One call-off's releases.
    Order(Uuid),
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A Brussels day as the instant it starts (or ends), with its offset.
fn day(d: NaiveDate, end: bool) -> String {
    let time = if end {
        NaiveTime::from_hms_opt(23, 59, 59)
    } else {
        NaiveTime::from_hms_opt(0, 0, 0)
    }
    .unwrap_or_default();
    match d.and_time(time).and_local_timezone(Brussels).earliest() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Secs, false),
        None => format!("{}T12:00:00Z", d.format("%Y-%m-%d")),
    }
}

const CENTRALE_PARTY: &str = "centrale";

fn commune_party_id(nis: &str) -> String {
    format!("BE-NIS-{nis}")
}

/// A party's identifier at the Banque-Carrefour des Entreprises (org-id.guide `BE-BCE_KBO`).
fn bce_identifier(number: &EnterpriseNumber, legal_name: &str) -> Value {
    json!({ "scheme": "BE-BCE_KBO", "id": number.digits(), "legalName": legal_name })
}

fn provider_party_id(p: &Provider) -> String {
    format!("BE-BCE_KBO-{}", p.enterprise_number.digits())
}

/// What the releases of one process are built from.
struct Context<'a> {
    publisher: &'a Publisher,
    providers: HashMap<Uuid, &'a Provider>,
    communes: HashMap<&'a str, &'a Commune>,
    services: HashMap<Uuid, &'a Service>,
    frameworks: HashMap<Uuid, &'a FrameworkAgreement>,
    today: NaiveDate,
}

impl Context<'_> {
    fn centrale(&self, roles: &[&str]) -> Value {
        let mut party = json!({
            "id": CENTRALE_PARTY,
            "name": self.publisher.name,
            "roles": roles,
        });
        if let Some(number) = &self.publisher.enterprise_number {
            party["identifier"] = bce_identifier(number, &self.publisher.name);
        }
        party
    }

    fn provider(&self, id: Uuid, roles: &[&str]) -> Value {
        match self.providers.get(&id) {
            Some(p) => json!({
                "id": provider_party_id(p),
                "name": p.name,
                "identifier": bce_identifier(&p.enterprise_number, &p.name),
                "address": { "streetAddress": p.address, "countryName": "Belgique" },
                "roles": roles,
            }),
            None => {
                json!({ "id": format!("provider-{id}"), "name": id.to_string(), "roles": roles })
            }
        }
    }

    fn provider_ref(&self, id: Uuid) -> Value {
        match self.providers.get(&id) {
            Some(p) => json!({ "id": provider_party_id(p), "name": p.name }),
            None => json!({ "id": format!("provider-{id}"), "name": id.to_string() }),
        }
    }

    fn commune(&self, nis: &str) -> Value {
        let commune = self.communes.get(nis);
        let name = commune
            .map(|c| format!("Commune de {}", c.name_fr))
            .unwrap_or_else(|| format!("Commune {nis}"));
        let mut party = json!({
            "id": commune_party_id(nis),
            "name": name,
            "address": { "countryName": "Belgique" },
            "roles": ["buyer"],
        });
        if let Some(number) = commune.and_then(|c| c.enterprise_number.as_ref()) {
            party["identifier"] = bce_identifier(number, &name);
        }
        party
    }

    fn criteria_details(terms: &FrameworkTerms) -> String {
        terms
            .award_criteria
            .iter()
            .map(|c| format!("{} : {} points", c.label_fr, c.weight))
            .collect::<Vec<_>>()
            .join(" ; ")
    }
}

fn legal_basis_fr(basis: &Option<LegalBasis>) -> String {
    match basis {
        Some(LegalBasis::ReviewClause { clause }) => {
            format!("Clause de réexamen (directive 2014/24 art. 72.1.a) : {clause}")
        }
        Some(LegalBasis::Succession { act, .. }) => {
            format!("Succession d'un prestataire (directive 2014/24 art. 72.1.d.ii) : {act}")
        }
        Some(LegalBasis::Correction { note }) => {
            format!("Correction d'une erreur matérielle : {note}")
        }
        None => "Suspension ou rétablissement d'une partie".to_string(),
    }
}

/// The releases of one framework: one per published version.
fn framework_releases(ctx: &Context<'_>, f: &FrameworkAgreement) -> Vec<Value> {
    let ocid = ctx.publisher.ocid(f.id);
    let Some(first) = f.versions.first() else {
        return Vec::new();
    };
    let service = ctx.services.get(&f.service_id).map(|s| s.name_fr.clone());
    f.versions
        .iter()
        .enumerate()
        .map(|(index, terms)| {
            let mut parties = vec![ctx.centrale(&["buyer", "procuringEntity"])];
            for p in &terms.providers {
                parties.push(ctx.provider(p.provider_id, &["supplier"]));
            }
            let value = terms.max_value.map(eur);
            let items: Vec<Value> = terms
                .price_schedule
                .iter()
                .map(|line| {
                    json!({
                        "id": line.code,
                        "description": line.label_fr,
                        "unit": { "name": line.unit_fr, "value": eur(line.ceiling_cents) },
                    })
                })
                .collect();
            let mut tender = json!({
                "id": f.reference,
                "title": f.title_fr,
                "status": "complete",
                "procuringEntity": { "id": CENTRALE_PARTY, "name": ctx.publisher.name },
                "mainProcurementCategory": "services",
                "awardCriteria": "ratedCriteria",
                "awardCriteriaDetails": Context::criteria_details(terms),
                "items": items,
                "contractPeriod": { "startDate": day(terms.start_date, false), "endDate": day(terms.end_date, true) },
            });
            if let Some(service) = &service {
                tender["description"] = json!(format!("Accord-cadre du service « {service} »"));
            }
            if let Some(v) = &value {
                tender["value"] = v.clone();
            }
            let suppliers: Vec<Value> = terms
                .providers
                .iter()
                .map(|p| ctx.provider_ref(p.provider_id))
                .collect();
            let mut award = json!({
                "id": format!("{}-attribution", f.reference),
                "title": f.title_fr,
                "status": "active",
                "date": at(first.published_at),
                "suppliers": suppliers,
            });
            let mut contract = json!({
                "id": f.reference,
                "awardID": format!("{}-attribution", f.reference),
                "title": f.title_fr,
                "status": if terms.end_date < ctx.today { "terminated" } else { "active" },
                "period": { "startDate": day(terms.start_date, false), "endDate": day(terms.end_date, true) },
                "dateSigned": at(first.published_at),
            });
            if let Some(v) = &value {
                award["value"] = v.clone();
                contract["value"] = v.clone();
            }
            let suspended: Vec<String> = terms
                .providers
                .iter()
                .filter(|p| p.status == ProviderStatus::Suspended)
                .map(|p| {
                    ctx.providers
                        .get(&p.provider_id)
                        .map_or_else(|| p.provider_id.to_string(), |x| x.name.clone())
                })
                .collect();
            if !suspended.is_empty() {
                contract["description"] = json!(format!(
                    "Parties suspendues (ne reçoivent plus de commandes) : {}",
                    suspended.join(", ")
                ));
            }
            let amendments: Vec<Value> = f.versions[1..=index]
                .iter()
                .map(|v| {
                    json!({
                        "id": format!("v{}", v.version),
                        "date": at(v.published_at),
                        "rationale": v.change_note,
                        "description": legal_basis_fr(&v.legal_basis),
                    })
                })
                .collect();
            if !amendments.is_empty() {
                contract["amendments"] = Value::Array(amendments);
            }
            let tag = if index == 0 {
                json!(["award", "contract"])
            } else {
                json!(["awardUpdate", "contractAmendment"])
            };
            json!({
                "ocid": ocid,
                "id": format!("accord-cadre-v{}", terms.version),
                "date": at(terms.published_at),
                "tag": tag,
                "initiationType": "tender",
                "language": "fr",
                "buyer": { "id": CENTRALE_PARTY, "name": ctx.publisher.name },
                "parties": parties,
                "tender": tender,
                "awards": [award],
                "contracts": [contract],
            })
        })
        .collect()
}

/// The stages of a call-off, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Tender,
    Opening,
    Withdrawal,
    Award,
    Contract,
    Implementation,
}

/// The releases of one call-off: one per stage reached. None before the competition is
/// launched (a draft or a request is the commune's, not yet a procurement) nor for an order
/// cancelled before it.
fn order_releases(
    ctx: &Context<'_>,
    order: &Order,
    offers: &[&Offer],
    milestones: &[&Milestone],
) -> Vec<Value> {
    let Some(framework) = ctx.frameworks.get(&order.framework_id) else {
        return Vec::new();
    };
    let Some(terms) = framework.version(order.framework_version) else {
        return Vec::new();
    };
    // The sealed part: read only once the server has opened the offers.
    let opened = order.opened_at;
    let offers: &[&Offer] = if opened.is_some() { offers } else { &[] };

    let mut stages: Vec<(Stage, DateTime<Utc>)> = Vec::new();
    if let Some(c) = &order.competition {
        stages.push((Stage::Tender, c.launched_at));
    }
    if let Some(t) = opened {
        stages.push((Stage::Opening, t));
    }
    if order.status == OrderStatus::Withdrawn && order.competition.is_some() {
        if let Some(closure) = &order.closure {
            stages.push((Stage::Withdrawal, closure.at));
        }
    }
    if let Some(a) = &order.award {
        stages.push((Stage::Award, a.awarded_at));
    }
    if let Some(po) = &order.purchase_order {
        stages.push((Stage::Contract, po.issued_at));
        let mut last: Option<DateTime<Utc>> = None;
        for m in milestones {
            if let Some(t) = m.acknowledged_at {
                last = last.max(Some(t));
            }
        }
        for acceptance in [&order.provisional_acceptance, &order.final_acceptance]
            .into_iter()
            .flatten()
        {
            last = last.max(Some(acceptance.recorded_at));
        }
        if let Some(t) = last.filter(|t| *t > po.issued_at) {
            stages.push((Stage::Implementation, t));
        }
    }
    if stages.is_empty() {
        return Vec::new();
    }

    let ocid = ctx.publisher.ocid(order.id);
    let framework_ocid = ctx.publisher.ocid(framework.id);
    let related = {
        let mut r = json!({
            "id": "accord-cadre",
            "relationship": ["framework"],
            "title": framework.title_fr,
            "scheme": "ocid",
            "identifier": framework_ocid,
        });
        if !ctx.publisher.public_url.is_empty() {
            r["uri"] = json!(ctx
                .publisher
                .uri(&format!("/ocds/frameworks/{}.json", framework.id)));
        }
        r
    };
    let direct = order.award.as_ref().is_some_and(|a| a.direct) && order.competition.is_none();
    let needs = order.needs.for_tenderers();
    let items: Vec<Value> = needs
        .lines
        .iter()
        .map(|line| {
            let mut item = json!({
                "id": line.price_line_code,
                "quantity": decimal(line.quantity.normalize()),
            });
            if let Some(pl) = terms.price_line(&line.price_line_code) {
                item["description"] = json!(pl.label_fr);
                item["unit"] = json!({ "name": pl.unit_fr });
            }
            item
        })
        .collect();
    let mut tenderer_ids: Vec<Uuid> = offers.iter().map(|o| o.provider_id).collect();
    tenderer_ids.sort();
    tenderer_ids.dedup();

    stages
        .iter()
        .map(|&(stage, date)| {
            let mut parties = vec![
                ctx.centrale(&["procuringEntity"]),
                ctx.commune(&order.commune_nis),
            ];
            let mut tender = json!({
                "id": format!("{}-remise-en-concurrence", order.id),
                "title": order.title,
                "description": needs.description,
                "procuringEntity": { "id": CENTRALE_PARTY, "name": ctx.publisher.name },
                "mainProcurementCategory": "services",
                "items": items,
            });
            if direct {
                tender["procurementMethod"] = json!("limited");
                tender["procurementMethodDetails"] = json!("Commande directe aux conditions de l'accord-cadre, sans remise en concurrence (loi du 17 juin 2016, art. 43 §4, 1°)");
            } else {
                tender["procurementMethod"] = json!("selective");
                tender["procurementMethodDetails"] = json!("Remise en concurrence des parties de l'accord-cadre (loi du 17 juin 2016, art. 43 ; directive 2014/24, art. 33.5)");
                tender["awardCriteria"] = json!("ratedCriteria");
                tender["awardCriteriaDetails"] = json!(Context::criteria_details(terms));
            }
            if let Some(c) = &order.competition {
                tender["tenderPeriod"] = json!({ "startDate": at(c.launched_at), "endDate": at(c.deadline) });
            }
            let status = match stage {
                Stage::Tender => "active",
                Stage::Opening if order.status == OrderStatus::NoOffer => "unsuccessful",
                Stage::Opening => "active",
                Stage::Withdrawal => "withdrawn",
                _ => "complete",
            };
            tender["status"] = json!(status);
            // Tenderers and their count exist from the opening on, never before.
            if stage >= Stage::Opening && opened.is_some() {
                tender["numberOfTenderers"] = json!(tenderer_ids.len());
                tender["tenderers"] =
                    Value::Array(tenderer_ids.iter().map(|id| ctx.provider_ref(*id)).collect());
                for id in &tenderer_ids {
                    let winner = order.award.as_ref().is_some_and(|a| a.provider_id == *id);
                    let roles: &[&str] = if winner && stage >= Stage::Award {
                        &["tenderer", "supplier"]
                    } else {
                        &["tenderer"]
                    };
                    parties.push(ctx.provider(*id, roles));
                }
            }
            let mut release = json!({
                "ocid": ocid,
                "id": match stage {
                    Stage::Tender => "remise-en-concurrence",
                    Stage::Opening => "ouverture-des-offres",
                    Stage::Withdrawal => "retrait",
                    Stage::Award => "attribution",
                    Stage::Contract => "bon-de-commande",
                    Stage::Implementation => "execution",
                },
                "date": at(date),
                "tag": match stage {
                    Stage::Tender => json!(["tender"]),
                    Stage::Opening => json!(["tenderUpdate"]),
                    Stage::Withdrawal => json!(["tenderCancellation"]),
                    Stage::Award => json!(["award"]),
                    Stage::Contract => json!(["contract"]),
                    Stage::Implementation => json!(["implementation"]),
                },
                "initiationType": "tender",
                "language": "fr",
                "buyer": { "id": commune_party_id(&order.commune_nis), "name": ctx.commune(&order.commune_nis)["name"] },
                "relatedProcesses": [related],
                "tender": tender,
            });
            if let (Some(award), true) = (&order.award, stage >= Stage::Award) {
                if award.direct || !tenderer_ids.contains(&award.provider_id) {
                    parties.push(ctx.provider(award.provider_id, &["supplier"]));
                }
                release["awards"] = json!([{
                    "id": format!("{}-attribution", order.id),
                    "title": order.title,
                    "description": amount_note(award.amount, terms.contract_months),
                    "status": "active",
                    "date": at(award.awarded_at),
                    "value": eur(award.amount.excl_vat),
                    "suppliers": [ctx.provider_ref(award.provider_id)],
                }]);
                if stage >= Stage::Contract {
                    if let Some(po) = &order.purchase_order {
                        let mut contract = json!({
                            "id": po.reference,
                            "awardID": format!("{}-attribution", order.id),
                            "title": order.title,
                            "status": if order.final_acceptance.is_some() { "terminated" } else { "active" },
                            "value": eur(award.amount.excl_vat),
                            "dateSigned": at(po.issued_at),
                            "period": { "startDate": at(po.issued_at), "durationInDays": i64::from(terms.contract_months) * 365 / 12 },
                        });
                        if stage >= Stage::Implementation {
                            contract["implementation"] =
                                json!({ "milestones": implementation(ctx, milestones) });
                        }
                        release["contracts"] = json!([contract]);
                    }
                }
            }
            release["parties"] = Value::Array(parties);
            release
        })
        .collect()
}

fn amount_note(amount: Amount, months: u32) -> String {
    let text = |c: Cents| {
        let d = Decimal::new(c.0, 2);
        format!("{d} €").replace('.', ",")
    };
    format!(
        "Montant hors TVA sur la durée du contrat ({months} mois) ; TVA comprise : {}",
        text(amount.incl_vat)
    )
}

fn implementation(ctx: &Context<'_>, milestones: &[&Milestone]) -> Vec<Value> {
    let mut list: Vec<&&Milestone> = milestones.iter().collect();
    list.sort_by_key(|m| (m.planned_date, m.kind));
    list.into_iter()
        .map(|m| {
            let status = if m.actual_date.is_some() {
                "met"
            } else if m.planned_date < ctx.today {
                "notMet"
            } else {
                "scheduled"
            };
            let mut v = json!({
                "id": m.id.to_string(),
                "title": m.kind.label_fr(),
                "type": "delivery",
                "dueDate": day(m.planned_date, true),
                "status": status,
            });
            if let Some(done) = m.actual_date {
                v["dateMet"] = json!(day(done, false));
            }
            v
        })
        .collect()
}

/// The releases of `scope`, frameworks first (by reference), then call-offs (by ocid), each
/// process's releases in date order.
pub fn releases(
    records: &Records,
    publisher: &Publisher,
    now: DateTime<Utc>,
    scope: Scope,
) -> Vec<Value> {
    let ctx = Context {
        publisher,
        providers: records.providers.iter().map(|p| (p.id, p)).collect(),
        communes: records
            .communes
            .iter()
            .map(|c| (c.nis_code.as_str(), c))
            .collect(),
        services: records.services.iter().map(|s| (s.id, s)).collect(),
        frameworks: records.frameworks.iter().map(|f| (f.id, f)).collect(),
        today: centrale_domain::time::brussels_today(now),
    };
    let mut out = Vec::new();
    let mut frameworks: Vec<&FrameworkAgreement> = records
        .frameworks
        .iter()
        .filter(|f| matches!(scope, Scope::All) || scope == Scope::Framework(f.id))
        .collect();
    frameworks.sort_by(|a, b| a.reference.cmp(&b.reference));
    for f in frameworks {
        out.extend(framework_releases(&ctx, f));
    }
    let mut orders: Vec<&Order> = records
        .orders
        .iter()
        .filter(|o| matches!(scope, Scope::All) || scope == Scope::Order(o.id))
        .collect();
    orders.sort_by_key(|o| o.id);
    for order in orders {
        let offers: Vec<&Offer> = records
            .offers
            .iter()
            .filter(|x| x.order_id == order.id)
            .collect();
        let milestones: Vec<&Milestone> = records
            .milestones
            .iter()
            .filter(|m| m.order_id == order.id)
            .collect();
        out.extend(order_releases(&ctx, order, &offers, &milestones));
    }
    out
}

/// A release package of `releases` (the newest release's date as its publication date, as
/// OCDS asks of a package made on demand). `None` when there is nothing to publish: a package
/// holds at least one release.
pub fn package(publisher: &Publisher, path: &str, releases: Vec<Value>) -> Option<Value> {
    let published = releases
        .iter()
        .filter_map(|r| r["date"].as_str())
        .max()
        .map(str::to_string)?;
    Some(json!({
        "uri": publisher.uri(path),
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": match &publisher.enterprise_number {
            Some(number) => json!({ "name": publisher.name, "scheme": "BE-BCE_KBO", "uid": number.digits() }),
            None => json!({ "name": publisher.name }),
        },
        "releases": releases,
    }))
}

/// The package of `scope` as JSON text, read from the database now; `None` when it holds no
/// release (an unknown framework, a call-off not launched yet).
pub async fn publication(
    db: &Database,
    settings: &Settings,
    now: DateTime<Utc>,
    scope: Scope,
) -> Result<Option<String>, DbError> {
    let records = Records::load(db).await?;
    let publisher = Publisher::of(settings);
    let path = match scope {
        Scope::All => "/ocds/releases.json".to_string(),
        Scope::Framework(id) => format!("/ocds/frameworks/{id}.json"),
        Scope::Order(id) => format!("/ocds/orders/{id}.json"),
    };
    let list = releases(&records, &publisher, now, scope);
    Ok(package(&publisher, &path, list).map(|p| to_json(&p)))
}

/// The public routes: `/ocds/releases.json`, `/ocds/frameworks/<id>.json`,
/// `/ocds/orders/<id>.json`. No login: open data.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/ocds/releases.json", get(all))
        .route("/ocds/frameworks/{file}", get(one_framework))
        .route("/ocds/orders/{file}", get(one_order))
}

type Answer = Result<axum::response::Response, crate::error::ApiError>;

async fn serve(state: &crate::AppState, scope: Scope) -> Answer {
    use axum::http::header;
    use axum::response::IntoResponse;
    let text = publication(&state.db, &state.settings, state.clock.now(), scope)
        .await?
        .ok_or(crate::error::ApiError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        text,
    )
        .into_response())
}

/// `<uuid>.json` → the uuid.
fn id_of(file: &str) -> Result<Uuid, crate::error::ApiError> {
    file.strip_suffix(".json")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or(crate::error::ApiError::NotFound)
}

async fn all(axum::extract::State(state): axum::extract::State<crate::AppState>) -> Answer {
    serve(&state, Scope::All).await
}

async fn one_framework(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Answer {
    serve(&state, Scope::Framework(id_of(&file)?)).await
}

async fn one_order(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Answer {
    serve(&state, Scope::Order(id_of(&file)?)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_from_cents_exactly() {
        let v = json!({ "value": eur(Cents(123_456)), "small": eur(Cents(5)), "big": eur(Cents(9_007_199_254_740_993)), "text": "a\"b" });
        assert_eq!(
            to_json(&v),
            r#"{"big":{"amount":90071992547409.93,"currency":"EUR"},"small":{"amount":0.05,"currency":"EUR"},"text":"a\"b","value":{"amount":1234.56,"currency":"EUR"}}"#
        );
        // Still JSON.
        let back: Value = serde_json::from_str(&to_json(&v)).unwrap();
        assert_eq!(back["value"]["currency"], "EUR");
    }

    #[test]
    fn prefixes_have_the_registered_form() {
        assert!(is_ocid_prefix(DEFAULT_OCID_PREFIX));
        assert!(is_ocid_prefix("ocds-213czf"));
        for bad in [
            "",
            "ocds-",
            "ocds-ABCDEF",
            "ocds-1234567",
            "ocid-123456",
            "ocds-12345",
        ] {
            assert!(!is_ocid_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn brussels_days_carry_their_offset_across_summer_time() {
        let winter = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
        let summer = NaiveDate::from_ymd_opt(2027, 7, 15).unwrap();
        assert_eq!(day(winter, false), "2027-01-15T00:00:00+01:00");
        assert_eq!(day(summer, true), "2027-07-15T23:59:59+02:00");
    }
}
