//! The demo data: the communes of the province of Luxembourg, the catalogue (providers,
//! services and their framework agreements), the adhesion convention and demo accounts.
//!
//! Loaded by `centrale-server seed --demo`, never automatically. Idempotent: a second run
//! finds the convention template already there, writes nothing and says so.
//!
//! Ids are deterministic (derived from a SHA-256 of a stable key, see [`demo_id`]) so that
//! seeding two fresh databases gives the same ids — tests and demo scripts can name records.

use std::collections::BTreeMap;
use std::fmt;

use anyhow::{anyhow, bail, Context};
use centrale_domain::adhesion::ConventionTemplate;
use centrale_domain::catalogue::{
    AwardCriterion, CallOffMethod, DesignationRule, DirectCallOff, FrameworkAgreement,
    FrameworkDocument, FrameworkProvider, FrameworkTerms, PriceLine, Provider, ProviderStatus,
    Service,
};
use centrale_domain::commune::{parse_reference_csv, Merger};
use centrale_domain::deployment::MilestonePlan;
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::money::Cents;
use centrale_domain::role::Role;
use centrale_domain::sha256_hex;
use centrale_domain::signatory::Gender;
use centrale_protocol::records::RecordKind;
use centrale_server_db::{Database, NewUser};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::actor::Actor;
use crate::engine::{visibility, Ctx};
use crate::Settings;

const CATALOGUE_JSON: &str = include_str!("../seed/catalogue.json");
const CONVENTION_V1: &str = include_str!("../seed/convention-adhesion-v1.md");
const COMMUNES_CSV: &str = include_str!("../seed/communes-luxembourg.csv");

/// Title of the first version of the adhesion convention.
pub const CONVENTION_V1_TITLE: &str = "Convention d'adhésion à la centrale d'achat — version 1";

/// The password of every demo account. Demo accounts must never exist in production: the
/// server logs a warning at start while any exists.
pub const DEMO_PASSWORD: &str = "demo";

/// What a seed run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Commune records written.
    pub communes: usize,
    /// Provider records written.
    pub providers: usize,
    /// Service records written.
    pub services: usize,
    /// Framework agreement records written.
    pub frameworks: usize,
    /// Convention templates written.
    pub convention_templates: usize,
    /// Demo accounts created.
    pub users: usize,
    /// True when the demo data was already there (nothing, or only missing accounts, written).
    pub already_seeded: bool,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_seeded {
            return write!(
                f,
                "Les données de démonstration sont déjà chargées : rien n'a été modifié."
            );
        }
        writeln!(f, "Données de démonstration chargées :")?;
        writeln!(f, "  communes              : {}", self.communes)?;
        writeln!(f, "  prestataires          : {}", self.providers)?;
        writeln!(f, "  services              : {}", self.services)?;
        writeln!(f, "  accords-cadres        : {}", self.frameworks)?;
        writeln!(f, "  modèles de convention : {}", self.convention_templates)?;
        writeln!(
            f,
            "  comptes de démonstration : {} (mot de passe « {DEMO_PASSWORD} »)",
            self.users
        )?;
        write!(
            f,
            "  double authentification de centrale.achats : clé de démonstration {} (son code du moment : « centrale-server user demo-code centrale.achats »)",
            crate::second_factor::demo_secret("centrale.achats")
        )
    }
}

/// The deterministic id of a demo record: the first 16 bytes of
/// `SHA-256("centrale-demo:<kind>:<key>")`, marked as a custom (version 8) UUID.
///
/// WHY not v5: the workspace's `uuid` has no `v5` feature; this needs only `sha2`.
pub fn demo_id(kind: &str, key: &str) -> Uuid {
    let digest = Sha256::digest(format!("centrale-demo:{kind}:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id of the demo provider with this short name (e.g. `nuagix`).
pub fn demo_provider_id(short_name: &str) -> Uuid {
    demo_id("provider", short_name)
}

/// The id of the demo service with this code (e.g. `e-guichet`).
pub fn demo_service_id(code: &str) -> Uuid {
    demo_id("service", code)
}

/// The id of the demo framework agreement with this reference (e.g. `CA-2025-01`).
pub fn demo_framework_id(reference: &str) -> Uuid {
    demo_id("framework", reference)
}

/// The id of the first convention template.
pub fn demo_convention_template_id() -> Uuid {
    demo_id("convention-template", "1")
}

// ---- catalogue.json ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    providers: Vec<ProviderEntry>,
    services: Vec<ServiceEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderEntry {
    short_name: String,
    name: String,
    enterprise_number: String,
    address: String,
    contact_email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    code: String,
    name_fr: String,
    summary_fr: String,
    description_fr: String,
    category_fr: String,
    framework: FrameworkEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkEntry {
    reference: String,
    title_fr: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    call_off_method: CallOffMethod,
    /// Contract duration of a call-off, in months.
    contract_months: u32,
    /// Maximum value of the framework, cents excluding VAT (every commune together).
    max_value_cents: i64,
    /// Guarantee period from the provisional to the final acceptance, in months.
    guarantee_months: u32,
    /// Provider short names.
    providers: Vec<String>,
    award_criteria: Vec<AwardCriterion>,
    /// Lines map one to one onto `PriceLine` (`estimate` is a `QuantityEstimate`).
    price_schedule: Vec<PriceLine>,
    documents: Vec<DocumentEntry>,
    /// Days after the award of each milestone: a `MilestonePlan`.
    milestone_plan_days: MilestonePlan,
    /// The conditions of a call-off without competition (issue 11 rule 5), for a `direct` or
    /// `both` framework; none: every order is re-competed.
    #[serde(default)]
    direct_call_off: Option<DirectCallOffEntry>,
    /// The interoperability sheet of each party's solution (issue 16 §1).
    #[serde(default)]
    interoperability: Vec<SheetEntry>,
}

/// An interoperability sheet as the catalogue file writes it: the provider by short name, the
/// linked solutions by service code and provider short name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetEntry {
    provider: String,
    solution_name: String,
    open_data: Vec<centrale_domain::interoperability::OpenDataFormat>,
    apis: Vec<centrale_domain::interoperability::ApiInterface>,
    citizen_identity: Vec<centrale_domain::interoperability::CitizenIdentity>,
    data_exports: Vec<String>,
    hosting: centrale_domain::interoperability::HostingLocation,
    hosting_detail: String,
    reversibility: String,
    works_with: Vec<LinkEntry>,
    checks: Vec<centrale_domain::interoperability::InteropCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkEntry {
    service: String,
    provider: String,
    how: String,
    #[serde(default)]
    checked_on: Option<NaiveDate>,
}

/// The objective conditions of a direct call-off, as the catalogue file writes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DirectCallOffEntry {
    /// Provider short names, best ranked first.
    ranking: Vec<String>,
    /// Cascade or rotation.
    rule: DesignationRule,
    /// With `both`: the amount (cents excluding VAT) up to which an order is placed directly.
    #[serde(default)]
    up_to_cents: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentEntry {
    title_fr: String,
    version: String,
    file_name: String,
}

/// The demo catalogue, built and validated from the embedded files.
#[derive(Debug, Clone)]
pub struct DemoCatalogue {
    /// Providers.
    pub providers: Vec<Provider>,
    /// Services.
    pub services: Vec<Service>,
    /// Framework agreements (one version each).
    pub frameworks: Vec<FrameworkAgreement>,
    /// The files of the frameworks' documents.
    pub files: Vec<DemoFile>,
}

/// The file of a demo framework document (a PDF).
#[derive(Debug, Clone)]
pub struct DemoFile {
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// The PDF.
    pub content: Vec<u8>,
}

/// Builds the demo catalogue from `seed/catalogue.json`; fails on any invalid entry.
pub fn demo_catalogue(now: DateTime<Utc>) -> anyhow::Result<DemoCatalogue> {
    let file: CatalogueFile =
        serde_json::from_str(CATALOGUE_JSON).context("seed/catalogue.json est illisible")?;
    let mut providers = Vec::new();
    let mut by_short_name = BTreeMap::new();
    let mut provider_name = BTreeMap::new();
    let mut files = Vec::new();
    for entry in file.providers {
        let enterprise_number = EnterpriseNumber::parse(&entry.enterprise_number)
            .map_err(|e| anyhow!("prestataire « {} » : {e}", entry.short_name))?;
        let provider = Provider {
            id: demo_provider_id(&entry.short_name),
            short_name: entry.short_name,
            name: entry.name,
            enterprise_number,
            address: entry.address,
            contact_email: entry.contact_email,
        };
        provider
            .validate()
            .map_err(|e| anyhow!("prestataire « {} » : {e}", provider.short_name))?;
        if by_short_name
            .insert(provider.short_name.clone(), provider.id)
            .is_some()
        {
            bail!("prestataire « {} » présent deux fois", provider.short_name);
        }
        provider_name.insert(provider.short_name.clone(), provider.name.clone());
        providers.push(provider);
    }
    let mut services = Vec::new();
    let mut frameworks = Vec::new();
    for entry in file.services {
        let f = entry.framework;
        let service_id = demo_service_id(&entry.code);
        let framework_id = demo_framework_id(&f.reference);
        let framework_providers = f
            .providers
            .iter()
            .map(|short| {
                by_short_name
                    .get(short)
                    .map(|id| FrameworkProvider {
                        provider_id: *id,
                        status: ProviderStatus::Active,
                    })
                    .ok_or_else(|| {
                        anyhow!(
                            "accord-cadre {} : prestataire « {short} » inconnu",
                            f.reference
                        )
                    })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Real, small, fictional files (issue 12 §2), written from the catalogue's data; the
        // hash recorded is their content's.
        let provider_names: Vec<String> = f
            .providers
            .iter()
            .filter_map(|short| provider_name.get(short).cloned())
            .collect();
        let mut documents = Vec::new();
        for d in f.documents {
            let content = crate::seed_documents::pdf(&crate::seed_documents::DemoDocument {
                reference: &f.reference,
                framework_title: &f.title_fr,
                title: &d.title_fr,
                version: &d.version,
                start: f.start_date,
                end: f.end_date,
                providers: &provider_names,
                criteria: &f.award_criteria,
                price_schedule: &f.price_schedule,
            });
            let sha256 = sha256_hex(&content);
            centrale_domain::document_file::check_upload(&d.file_name, &sha256, &content)
                .map_err(|e| anyhow!("accord-cadre {} : {e}", f.reference))?;
            files.push(DemoFile {
                sha256: sha256.clone(),
                content,
            });
            documents.push(FrameworkDocument {
                sha256,
                title_fr: d.title_fr,
                version: d.version,
                file_name: d.file_name,
            });
        }
        let direct_call_off = match f.direct_call_off {
            None => None,
            Some(d) => Some(DirectCallOff {
                ranking: d
                    .ranking
                    .iter()
                    .map(|short| {
                        by_short_name.get(short).copied().ok_or_else(|| {
                            anyhow!(
                                "accord-cadre {} : prestataire « {short} » inconnu",
                                f.reference
                            )
                        })
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?,
                rule: d.rule,
                up_to: d.up_to_cents.map(Cents),
            }),
        };
        let known = |short: &str| {
            by_short_name.get(short).copied().ok_or_else(|| {
                anyhow!(
                    "accord-cadre {} : prestataire « {short} » inconnu",
                    f.reference
                )
            })
        };
        let interoperability = f
            .interoperability
            .into_iter()
            .map(|e| {
                use centrale_domain::interoperability::{
                    InteroperabilitySheet, Solution, SolutionLink,
                };
                Ok(InteroperabilitySheet {
                    provider_id: known(&e.provider)?,
                    solution_name: e.solution_name,
                    open_data: e.open_data,
                    apis: e.apis,
                    citizen_identity: e.citizen_identity,
                    data_exports: e.data_exports,
                    hosting: e.hosting,
                    hosting_detail: e.hosting_detail,
                    reversibility: e.reversibility,
                    works_with: e
                        .works_with
                        .into_iter()
                        .map(|l| {
                            Ok(SolutionLink {
                                with: Solution {
                                    service_id: demo_service_id(&l.service),
                                    provider_id: known(&l.provider)?,
                                },
                                how: l.how,
                                checked_on: l.checked_on,
                            })
                        })
                        .collect::<anyhow::Result<Vec<_>>>()?,
                    checks: e.checks,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let terms = FrameworkTerms {
            version: 1,
            published_at: now,
            change_note: String::new(),
            start_date: f.start_date,
            end_date: f.end_date,
            providers: framework_providers,
            award_criteria: f.award_criteria,
            price_schedule: f.price_schedule,
            documents,
            milestone_plan: f.milestone_plan_days,
            legal_basis: None,
            contract_months: f.contract_months,
            max_value: Some(Cents(f.max_value_cents)),
            // Issue 11 rule 5: only a framework that states the objective conditions of a
            // call-off without competition is called off directly (the room booking one, by
            // rotation, up to its threshold); the others re-compete each order.
            direct_call_off,
            guarantee_months: f.guarantee_months,
            price_formula: Default::default(),
            interoperability,
        };
        // Published as version 1 by the domain's rule (terms valid; a direct call-off only
        // under stated conditions).
        let mut framework = FrameworkAgreement {
            id: framework_id,
            service_id,
            reference: f.reference.clone(),
            title_fr: f.title_fr,
            call_off_method: f.call_off_method,
            versions: vec![],
        };
        framework
            .publish(terms)
            .map_err(|e| anyhow!("accord-cadre {} : {e}", f.reference))?;
        frameworks.push(framework);
        services.push(Service {
            id: service_id,
            code: entry.code,
            name_fr: entry.name_fr,
            summary_fr: entry.summary_fr,
            description_fr: entry.description_fr,
            category_fr: entry.category_fr,
            framework_id,
            added_on: None,
            from_need: None,
        });
    }
    Ok(DemoCatalogue {
        providers,
        services,
        frameworks,
        files,
    })
}

/// The demo price list of the intercommunale's accompaniment services (issue 16 §2): the five
/// the issue names — project set-up, configuration, training, data migration, communication to
/// citizens — as packages and day rates, prices excluding VAT (21 %).
pub fn demo_accompaniment_price_list(
    now: DateTime<Utc>,
) -> anyhow::Result<centrale_domain::accompaniment::AccompanimentPriceList> {
    use centrale_domain::accompaniment::{
        AccompanimentPriceList, AccompanimentService, AccompanimentUnit,
    };
    use centrale_domain::money::VatRate;
    let service =
        |code: &str, label: &str, description: &str, unit, euros: i64| AccompanimentService {
            code: code.into(),
            label_fr: label.into(),
            description_fr: description.into(),
            unit,
            price_cents: Cents(euros * 100),
            vat_rate: VatRate::standard(),
        };
    let mut list = AccompanimentPriceList { versions: vec![] };
    list.publish(
        vec![
            service("lancement", "Lancement du projet", "Réunion de lancement avec la commune et le prestataire, planning, rôles de chacun, suivi jusqu'à la mise en service.", AccompanimentUnit::Package, 1_500),
            service("parametrage", "Configuration et paramétrage", "Accompagnement des agents dans la configuration de la solution (formulaires, circuits, droits), aux côtés du prestataire.", AccompanimentUnit::Day, 650),
            service("formation", "Formation des agents", "Une journée de formation sur place, à la maison communale, pour dix agents au plus.", AccompanimentUnit::Day, 600),
            service("migration", "Reprise des données", "Reprise des données de l'ancien outil : extraction, contrôle, import et vérification avec la commune.", AccompanimentUnit::Package, 2_400),
            service("communication", "Communication aux citoyens", "Annonce du nouveau service : texte pour le bulletin communal, affiche, page du site internet, réseaux sociaux.", AccompanimentUnit::Package, 900),
        ],
        "Liste de prix des services d'accompagnement de l'intercommunale",
        now,
    )
    .map_err(|e| anyhow!("liste de prix de l'accompagnement : {e}"))?;
    Ok(list)
}

/// The example e-mail address of a demo account.
pub fn demo_email(username: &str) -> String {
    format!("{username}@demo.centrale.example")
}

/// A demo account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// Login.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Commune of a commune account.
    pub commune_nis: Option<String>,
    /// Provider of a provider account.
    pub provider_id: Option<Uuid>,
    /// How the person is addressed (the gender of their title).
    pub gender: Gender,
    /// An échevin (a member of the collège): may stand in for the bourgmestre.
    pub alderman: bool,
    /// The échevin's rank (1 = first échevin).
    pub alderman_rank: Option<i64>,
}

/// The demo accounts (all with the password [`DEMO_PASSWORD`]). The people are fictitious.
pub fn demo_accounts(providers: &[Provider]) -> Vec<DemoAccount> {
    // The name only: the title (« directrice générale ») comes from the role and the gender,
    // and the commune is shown beside it where it matters.
    let commune =
        |username: &str, display_name: &str, gender: Gender, role: Role, nis: &str| DemoAccount {
            username: username.into(),
            display_name: display_name.into(),
            role,
            commune_nis: Some(nis.into()),
            provider_id: None,
            gender,
            alderman: false,
            alderman_rank: None,
        };
    let mut accounts = vec![
        commune(
            "dg.84009",
            "Marie Lambert",
            Gender::Female,
            Role::DirectorGeneral,
            "84009",
        ),
        commune(
            "bourgmestre.84009",
            "Jean-Pierre Collard",
            Gender::Male,
            Role::Mayor,
            "84009",
        ),
        commune(
            "agent.84009",
            "Sophie Renard",
            Gender::Female,
            Role::CommuneStaff,
            "84009",
        ),
        // An échevin of Bertrix: the bourgmestre's substitute (CDLD L1123-5, L1132-4).
        DemoAccount {
            alderman: true,
            alderman_rank: Some(1),
            ..commune(
                "echevin.84009",
                "Julien Mathieu",
                Gender::Male,
                Role::CommuneStaff,
                "84009",
            )
        },
        commune(
            "dg.84077",
            "Luc Gérard",
            Gender::Male,
            Role::DirectorGeneral,
            "84077",
        ),
        commune(
            "bourgmestre.84077",
            "Anne Dumont",
            Gender::Female,
            Role::Mayor,
            "84077",
        ),
        commune(
            "dg.81001",
            "Claire Wagner",
            Gender::Female,
            Role::DirectorGeneral,
            "81001",
        ),
        // The signatories of the communes in the demo history (`seed --demo --history`).
        commune(
            "bourgmestre.81001",
            "Hélène Thiry",
            Gender::Female,
            Role::Mayor,
            "81001",
        ),
        commune(
            "dg.83034",
            "Olivier Lejeune",
            Gender::Male,
            Role::DirectorGeneral,
            "83034",
        ),
        commune(
            "bourgmestre.83034",
            "Nathalie Poncin",
            Gender::Female,
            Role::Mayor,
            "83034",
        ),
        commune(
            "dg.85045",
            "Isabelle Hardy",
            Gender::Female,
            Role::DirectorGeneral,
            "85045",
        ),
        commune(
            "bourgmestre.85045",
            "Marc Jacquemin",
            Gender::Male,
            Role::Mayor,
            "85045",
        ),
        commune(
            "dg.82039",
            "Pierre Willème",
            Gender::Male,
            Role::DirectorGeneral,
            "82039",
        ),
        commune(
            "bourgmestre.82039",
            "Christine Lallemand",
            Gender::Female,
            Role::Mayor,
            "82039",
        ),
        commune(
            "dg.84043",
            "Caroline Burnotte",
            Gender::Female,
            Role::DirectorGeneral,
            "84043",
        ),
        commune(
            "bourgmestre.84043",
            "Benoît Arnould",
            Gender::Male,
            Role::Mayor,
            "84043",
        ),
        commune(
            "dg.81004",
            "Sandrine Kieffer",
            Gender::Female,
            Role::DirectorGeneral,
            "81004",
        ),
        commune(
            "bourgmestre.81004",
            "Didier Schmit",
            Gender::Male,
            Role::Mayor,
            "81004",
        ),
        commune(
            "dg.83012",
            "Julien Dessy",
            Gender::Male,
            Role::DirectorGeneral,
            "83012",
        ),
        commune(
            "bourgmestre.83012",
            "Martine Collignon",
            Gender::Female,
            Role::Mayor,
            "83012",
        ),
        commune(
            "dg.85011",
            "Laurent Gillet",
            Gender::Male,
            Role::DirectorGeneral,
            "85011",
        ),
        commune(
            "bourgmestre.85011",
            "Anne-Catherine Maquet",
            Gender::Female,
            Role::Mayor,
            "85011",
        ),
        commune(
            "dg.85046",
            "Françoise Lambotte",
            Gender::Female,
            Role::DirectorGeneral,
            "85046",
        ),
        commune(
            "bourgmestre.85046",
            "Thierry Noël",
            Gender::Male,
            Role::Mayor,
            "85046",
        ),
        DemoAccount {
            username: "centrale.achats".into(),
            display_name: "Thomas Henrotte".into(),
            role: Role::CentraleStaff,
            commune_nis: None,
            provider_id: None,
            gender: Gender::Male,
            alderman: false,
            alderman_rank: None,
        },
    ];
    accounts.extend(providers.iter().map(|p| DemoAccount {
        username: format!("prestataire.{}", p.short_name),
        // A shared account of the provider, not a person: its name is the provider's.
        display_name: p.name.clone(),
        role: Role::ProviderUser,
        commune_nis: None,
        provider_id: Some(p.id),
        gender: Gender::Unspecified,
        alderman: false,
        alderman_rank: None,
    }));
    accounts
}

/// Loads the demo data, once. Records go in one write transaction with one audit entry;
/// the demo accounts are created after it commits (each only if its login is free), so a
/// run interrupted between the two completes the accounts on the next run.
pub async fn seed_demo(db: &Database, now: DateTime<Utc>) -> anyhow::Result<SeedReport> {
    let mut communes = parse_reference_csv(COMMUNES_CSV)
        .map_err(|e| anyhow!("seed/communes-luxembourg.csv : {e}"))?;
    let merged = Merger::bastogne_2025()
        .apply(&mut communes)
        .map_err(|e| anyhow!("fusion de Bastogne : {e}"))?;
    communes.push(merged);
    let catalogue = demo_catalogue(now)?;
    let accounts = demo_accounts(&catalogue.providers);
    for account in &accounts {
        if let Some(nis) = &account.commune_nis {
            if !communes.iter().any(|c| c.nis_code.as_str() == nis) {
                bail!(
                    "compte de démonstration {} : commune {nis} inconnue",
                    account.username
                );
            }
        }
    }
    let template = ConventionTemplate::new(
        demo_convention_template_id(),
        1,
        CONVENTION_V1_TITLE.into(),
        CONVENTION_V1.into(),
    );
    let template_id = template.id.to_string();

    // The documents' files first (content-addressed, stored once whatever happens next): a
    // framework version names only files the server holds (issue 12 §2).
    for file in &catalogue.files {
        db.put_document_file(
            &file.sha256,
            centrale_domain::document_file::DocumentFileType::Pdf.extension(),
            &file.content,
            "seed",
            now,
        )
        .await?;
    }

    let settings = Settings::default();
    let mut report = SeedReport::default();
    let mut ctx = Ctx::new(
        db.write().await?,
        Actor::server_act("seed", "Initialisation des données de démonstration"),
        now,
        &settings,
    );
    let records_present = ctx
        .tx
        .get_record(RecordKind::ConventionTemplate.as_str(), &template_id)
        .await?
        .is_some();
    if records_present {
        ctx.tx.rollback().await?;
    } else {
        let public = |kind| visibility(kind, None, None, false);
        for c in &communes {
            ctx.save(
                RecordKind::Commune,
                c.nis_code.as_str(),
                c,
                None,
                None,
                public(RecordKind::Commune),
            )
            .await?;
        }
        for p in &catalogue.providers {
            ctx.save(
                RecordKind::Provider,
                &p.id.to_string(),
                p,
                None,
                None,
                public(RecordKind::Provider),
            )
            .await?;
        }
        for s in &catalogue.services {
            ctx.save(
                RecordKind::Service,
                &s.id.to_string(),
                s,
                None,
                None,
                public(RecordKind::Service),
            )
            .await?;
        }
        for f in &catalogue.frameworks {
            ctx.save(
                RecordKind::Framework,
                &f.id.to_string(),
                f,
                None,
                None,
                public(RecordKind::Framework),
            )
            .await?;
        }
        ctx.save(
            RecordKind::ConventionTemplate,
            &template_id,
            &template,
            None,
            None,
            public(RecordKind::ConventionTemplate),
        )
        .await?;
        ctx.save(
            RecordKind::AccompanimentPriceList,
            &centrale_domain::accompaniment::PRICE_LIST_ID.to_string(),
            &demo_accompaniment_price_list(now)?,
            None,
            None,
            public(RecordKind::AccompanimentPriceList),
        )
        .await?;
        report.communes = communes.len();
        report.providers = catalogue.providers.len();
        report.services = catalogue.services.len();
        report.frameworks = catalogue.frameworks.len();
        report.convention_templates = 1;
        let usernames: Vec<&str> = accounts.iter().map(|a| a.username.as_str()).collect();
        ctx.audit(
            "seed.demo",
            None,
            None,
            json!({
                "communes": report.communes,
                "providers": report.providers,
                "services": report.services,
                "frameworks": report.frameworks,
                "convention_templates": report.convention_templates,
                "convention_sha256": template.sha256,
                "demo_accounts": usernames,
            }),
        )
        .await?;
        ctx.tx.commit().await?;
    }

    let mut missing = Vec::new();
    for account in &accounts {
        if db.find_user_by_username(&account.username).await?.is_none() {
            missing.push(account);
        }
    }
    if !missing.is_empty() {
        // One hash for every demo account: Argon2 is deliberately slow (seconds per hash in
        // debug builds) and these accounts share the public password « demo » anyway, so a
        // shared salt reveals nothing. Real accounts always get their own hash.
        let hash = crate::auth::hash_password(DEMO_PASSWORD)
            .map_err(|e| anyhow!("hachage du mot de passe de démonstration : {e}"))?;
        for account in missing {
            db.insert_user(&NewUser {
                id: demo_id("user", &account.username).to_string(),
                username: account.username.clone(),
                display_name: account.display_name.clone(),
                role: account.role.as_str().to_string(),
                commune_nis: account.commune_nis.clone(),
                provider_id: account.provider_id.map(|p| p.to_string()),
                password_hash: hash.clone(),
                is_demo: true,
                created_at: now,
                gender: account.gender.as_str().to_string(),
                // Example addresses (the reserved `.example` domain): e-mail reaches no one
                // unless an administrator gives real ones (`centrale-server user email`).
                email: Some(demo_email(&account.username)),
                alderman: account.alderman,
                alderman_rank: account.alderman_rank,
            })
            .await?;
            // The centrale's staff sign with a second factor (issue 17 point 9): the demo's
            // has its fixed demo secret (README; `centrale-server user code <login>`).
            if centrale_domain::second_factor::required_for(account.role) {
                let id = demo_id("user", &account.username).to_string();
                db.start_second_factor(&id, &crate::second_factor::demo_secret(&account.username))
                    .await?;
                db.confirm_second_factor(&id, 0, "seed", &[], now).await?;
            }
            report.users += 1;
        }
    }
    report.already_seeded = records_present && report.users == 0;
    // The communes' public standings (issue 15.9) of what the database already holds.
    crate::engine::backfill_framework_index(db, now)
        .await
        .map_err(|e| anyhow!("index des commandes par accord-cadre : {e}"))?;
    crate::engine::standing::backfill(db, now)
        .await
        .map_err(|e| anyhow!("situation publique des communes : {e}"))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use centrale_domain::commune::Commune;
    use centrale_server_db::testing::fresh_database;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn ids_are_deterministic_and_distinct() {
        assert_eq!(demo_provider_id("nuagix"), demo_provider_id("nuagix"));
        assert_ne!(demo_provider_id("nuagix"), demo_provider_id("civitech"));
        assert_ne!(demo_provider_id("x"), demo_service_id("x"));
        assert_eq!(demo_provider_id("nuagix").get_version_num(), 8);
    }

    /// Issue 12 §2: the demo documents are real PDFs whose hash is the one recorded, and read
    /// back (`pdftotext`) they say what they are, with the framework's own data.
    #[test]
    fn demo_documents_are_real_pdfs_that_read_back() {
        let now = DateTime::<Utc>::from_timestamp(1_760_000_000, 0).unwrap();
        let c = demo_catalogue(now).unwrap();
        let documents: Vec<_> = c
            .frameworks
            .iter()
            .flat_map(|f| f.current().unwrap().documents.clone())
            .collect();
        assert_eq!(documents.len(), 34);
        for d in &documents {
            let file = c.files.iter().find(|f| f.sha256 == d.sha256).unwrap();
            assert_eq!(sha256_hex(&file.content), d.sha256);
            assert!(file.content.starts_with(b"%PDF-1.4"), "{}", d.file_name);
        }
        // The same catalogue gives the same bytes (the hashes are stable across servers).
        assert_eq!(
            demo_catalogue(now).unwrap().files[0].content,
            c.files[0].content
        );

        let text_of = |name: &str| {
            let d = documents.iter().find(|d| d.file_name == name).unwrap();
            let file = c.files.iter().find(|f| f.sha256 == d.sha256).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, &file.content).unwrap();
            let out = std::process::Command::new("pdftotext")
                .arg(&path)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils) reads the demo documents back");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        let csc = text_of("csc-ca-2025-01.pdf");
        for expected in [
            "Cahier spécial des charges",
            "Accord-cadre CA-2025-01 — version du document 1.1",
            "DOCUMENT FICTIF DE DÉMONSTRATION",
            "prend cours le 01/03/2025 et prend fin le 28/02/2029",
            "Nuagix",
            "Loi du 17 juin 2016",
        ] {
            assert!(csc.contains(expected), "{expected} in {csc}");
        }
        let prices = text_of("bordereau-prix-ca-2025-01.pdf");
        assert!(
            prices.contains("Lignes du bordereau et prix plafonds (HTVA)"),
            "{prices}"
        );
        assert!(prices.contains("€ HTVA, TVA 21 %"), "{prices}");
    }

    #[test]
    fn catalogue_is_valid() {
        let now = DateTime::<Utc>::from_timestamp(1_760_000_000, 0).unwrap();
        let c = demo_catalogue(now).unwrap();
        assert_eq!(c.providers.len(), 10);
        assert_eq!(c.services.len(), 10);
        assert_eq!(c.frameworks.len(), 10);
        // Issue 16 §1: every party's solution has its sheet, and each link names a solution
        // of the catalogue (a service whose framework has that provider as a party).
        for f in &c.frameworks {
            let terms = f.current().unwrap();
            assert_eq!(
                terms.interoperability.len(),
                terms.providers.len(),
                "{}",
                f.reference
            );
            for link in terms
                .interoperability
                .iter()
                .flat_map(|s| s.works_with.iter())
            {
                let service = c.services.iter().find(|s| s.id == link.with.service_id);
                let other =
                    service.and_then(|s| c.frameworks.iter().find(|x| x.id == s.framework_id));
                assert!(
                    other.is_some_and(|o| o
                        .current()
                        .unwrap()
                        .providers
                        .iter()
                        .any(|p| p.provider_id == link.with.provider_id)),
                    "{}: a link to a solution outside the catalogue",
                    f.reference
                );
            }
        }
        for f in &c.frameworks {
            assert!(f
                .current()
                .unwrap()
                .documents
                .iter()
                .all(|d| d.sha256.len() == 64));
        }
        // Issue 11 rule 5: the room booking framework is called off directly, by rotation, up
        // to its threshold; every other re-competes each order.
        let direct: Vec<_> = c
            .frameworks
            .iter()
            .filter(|f| f.current().unwrap().direct_call_off.is_some())
            .collect();
        assert_eq!(direct.len(), 1);
        assert_eq!(direct[0].reference, "CA-2026-02");
        assert_eq!(direct[0].call_off_method, CallOffMethod::Both);
        let conditions = direct[0]
            .current()
            .unwrap()
            .direct_call_off
            .clone()
            .unwrap();
        assert_eq!(conditions.rule, DesignationRule::Rotation);
        assert_eq!(
            conditions.ranking,
            vec![demo_provider_id("reservix"), demo_provider_id("payvallee")]
        );
    }

    #[tokio::test]
    async fn seeds_once() {
        let (db, _guard) = fresh_database().await;
        let now = DateTime::<Utc>::from_timestamp(1_764_400_000, 0).unwrap();
        let report = seed_demo(&db, now).await.unwrap();
        assert!(!report.already_seeded);
        assert_eq!(report.communes, 45);
        assert_eq!(report.providers, 10);
        assert_eq!(report.services, 10);
        assert_eq!(report.frameworks, 10);
        assert_eq!(report.users, 35);

        let communes: Vec<Commune> = db
            .list_records("commune")
            .await
            .unwrap()
            .into_iter()
            .map(|r| serde_json::from_value(r.body).unwrap())
            .collect();
        assert_eq!(communes.len(), 45);
        for merged in ["82003", "82005"] {
            let c = communes
                .iter()
                .find(|c| c.nis_code.as_str() == merged)
                .unwrap();
            assert_eq!(c.successor.as_ref().map(|s| s.as_str()), Some("82039"));
            assert_eq!(c.valid_until, Some(date(2024, 12, 31)));
        }
        let bastogne = communes
            .iter()
            .find(|c| c.nis_code.as_str() == "82039")
            .unwrap();
        assert_eq!(bastogne.valid_from, Some(date(2025, 1, 1)));

        let services = db.list_records("service").await.unwrap();
        assert_eq!(services.len(), 10);
        let frameworks = db.list_records("framework").await.unwrap();
        assert_eq!(frameworks.len(), 10);
        for row in frameworks {
            assert!(row.visibility.public);
            let f: FrameworkAgreement = serde_json::from_value(row.body).unwrap();
            assert_eq!(f.id.to_string(), row.id);
            let terms = f.current().unwrap();
            terms.validate().unwrap();
            assert!(terms.in_force_on(date(2026, 11, 29)), "{}", f.reference);
            assert!(f.check_in_force(date(2026, 11, 29)).is_ok());
        }
        let providers = db.list_records("provider").await.unwrap();
        assert_eq!(providers.len(), 10);
        assert!(providers
            .iter()
            .any(|p| p.id == demo_provider_id("nuagix").to_string()));
        let template = db
            .get_record(
                "convention_template",
                &demo_convention_template_id().to_string(),
            )
            .await
            .unwrap()
            .expect("template");
        let template: ConventionTemplate = serde_json::from_value(template.body).unwrap();
        assert!(template.is_intact());
        assert_eq!(template.version, 1);

        let dg = db.find_user_by_username("dg.84009").await.unwrap().unwrap();
        assert_eq!(dg.role, "director_general");
        assert_eq!(dg.commune_nis.as_deref(), Some("84009"));
        assert!(dg.is_demo && !dg.disabled);
        assert!(crate::auth::verify_password(
            DEMO_PASSWORD,
            &dg.password_hash
        ));
        for name in [
            "bourgmestre.84009",
            "agent.84009",
            "dg.84077",
            "bourgmestre.84077",
            "dg.81001",
            "centrale.achats",
        ] {
            assert!(
                db.find_user_by_username(name).await.unwrap().is_some(),
                "{name}"
            );
        }
        let nuagix = db
            .find_user_by_username("prestataire.nuagix")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(nuagix.role, "provider_user");
        assert_eq!(
            nuagix.provider_id,
            Some(demo_provider_id("nuagix").to_string())
        );
        assert_eq!(db.count_demo_users().await.unwrap(), 35);
        // The échevin of Bertrix may stand in for the bourgmestre; the agent may not.
        for (login, alderman) in [("echevin.84009", true), ("agent.84009", false)] {
            let user = db.find_user_by_username(login).await.unwrap().unwrap();
            assert_eq!(user.alderman, alderman, "{login}");
        }

        let audit = db.verify_audit().await.unwrap();
        assert!(audit.first_problem.is_none());
        assert_eq!(audit.entries, 1);
        let seq = db.max_seq().await.unwrap();

        let again = seed_demo(&db, now).await.unwrap();
        assert!(again.already_seeded);
        assert_eq!(
            again,
            SeedReport {
                already_seeded: true,
                ..SeedReport::default()
            }
        );
        assert_eq!(db.max_seq().await.unwrap(), seq);
        assert_eq!(db.verify_audit().await.unwrap().entries, 1);
        assert_eq!(db.count_demo_users().await.unwrap(), 35);
        // The échevin of Bertrix may stand in for the bourgmestre; the agent may not.
        for (login, alderman) in [("echevin.84009", true), ("agent.84009", false)] {
            let user = db.find_user_by_username(login).await.unwrap().unwrap();
            assert_eq!(user.alderman, alderman, "{login}");
        }
    }
}
