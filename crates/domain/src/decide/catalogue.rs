//! The centrale's catalogue decided once: registering a provider, publishing a framework
//! version, adding a service with its framework.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::found;
use crate::catalogue::{
    check_change_note, CallOffMethod, DesignationRule, FrameworkAgreement, FrameworkDocument,
    FrameworkProvider, FrameworkTerms, LegalBasis, PriceLine, Provider, Service,
};
use crate::enterprise::EnterpriseNumber;
use crate::evaluation::PriceFormula;
use crate::money::Cents;
use crate::permission::{authorize, Act, Actor, Owner};
use crate::survey::{communes_expressing, NeedOrigin, NeedRef, Survey, SurveyResponse};
use crate::{limits, DomainError, ErrorCode};

/// `provider.register`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct RegisterProvider<'a> {
    /// The new provider's id.
    pub provider_id: Uuid,
    /// The id is already a provider's.
    pub id_taken: bool,
    /// Every registered provider.
    pub providers: &'a [Provider],
    /// Short name as typed.
    pub short_name: &'a str,
    /// Legal name as typed.
    pub name: &'a str,
    /// BCE/KBO number.
    pub enterprise_number: &'a EnterpriseNumber,
    /// Address as typed.
    pub address: &'a str,
    /// Contact e-mail as typed.
    pub contact_email: &'a str,
}

/// The centrale registers a provider: one record per enterprise number.
pub fn register_provider(
    actor: &Actor,
    input: RegisterProvider<'_>,
    _now: DateTime<Utc>,
) -> Result<Provider, DomainError> {
    authorize(actor, Act::RegisterProvider, Owner::Own)?;
    if input.id_taken {
        return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", input.provider_id));
    }
    if input
        .providers
        .iter()
        .any(|e| &e.enterprise_number == input.enterprise_number)
    {
        return Err(
            DomainError::field(ErrorCode::DuplicateEnterpriseNumber, "enterprise_number")
                .with("enterprise_number", input.enterprise_number.formatted()),
        );
    }
    let provider = Provider {
        id: input.provider_id,
        short_name: input.short_name.trim().to_string(),
        name: input.name.trim().to_string(),
        enterprise_number: input.enterprise_number.clone(),
        address: input.address.trim().to_string(),
        contact_email: input.contact_email.trim().to_string(),
    };
    provider.validate()?;
    Ok(provider)
}

/// A new version of a framework as asked: the parts that change (left out: unchanged).
#[derive(Debug, Clone, Copy, Default)]
pub struct FrameworkChange<'a> {
    /// Why it changes.
    pub change_note: &'a str,
    /// New end date.
    pub end_date: Option<NaiveDate>,
    /// New price schedule.
    pub price_schedule: Option<&'a [PriceLine]>,
    /// New documents.
    pub documents: Option<&'a [FrameworkDocument]>,
    /// New statuses of the parties.
    pub providers: Option<&'a [FrameworkProvider]>,
    /// Why the framework may be modified.
    pub legal_basis: Option<&'a LegalBasis>,
    /// New maximum value excluding VAT.
    pub max_value: Option<Cents>,
    /// New contract duration of a call-off, in months.
    pub contract_months: Option<u32>,
    /// Another price formula.
    pub price_formula: Option<PriceFormula>,
    /// Another rule designating a direct call-off's provider (needs a review clause).
    pub designation_rule: Option<DesignationRule>,
    /// New interoperability sheets (issue 16 §1; no legal basis needed on their own).
    pub interoperability: Option<&'a [crate::interoperability::InteroperabilitySheet]>,
}

impl FrameworkChange<'_> {
    /// The terms this publication proposes: the version in force with the parts sent, dated
    /// `now`, stating this publication's basis (never the previous one's); then
    /// `FrameworkAgreement::publish` checks them.
    pub fn next_terms(
        &self,
        current: &FrameworkTerms,
        now: DateTime<Utc>,
    ) -> Result<FrameworkTerms, DomainError> {
        check_change_note(self.change_note)?;
        let mut terms = current.clone();
        terms.change_note = self.change_note.trim().to_string();
        terms.published_at = now;
        terms.legal_basis = self.legal_basis.cloned();
        if let Some(end) = self.end_date {
            terms.end_date = end;
        }
        if let Some(schedule) = self.price_schedule {
            terms.price_schedule = schedule.to_vec();
        }
        if let Some(documents) = self.documents {
            terms.documents = documents.to_vec();
        }
        if let Some(providers) = self.providers {
            terms.providers = providers.to_vec();
        }
        if let Some(max_value) = self.max_value {
            terms.max_value = Some(max_value);
        }
        if let Some(months) = self.contract_months {
            terms.contract_months = months;
        }
        if let Some(formula) = self.price_formula {
            terms.price_formula = formula;
        }
        if let Some(sheets) = self.interoperability {
            terms.interoperability = sheets.to_vec();
        }
        if let Some(rule) = self.designation_rule {
            // Only a framework with direct call-offs designates a provider.
            terms
                .direct_call_off
                .as_mut()
                .ok_or(DomainError::DirectCallOffConditionsMissing)?
                .rule = rule;
        }
        Ok(terms)
    }
}

/// The provider named must be registered.
fn check_registered(
    providers: &[Provider],
    id: Uuid,
    code: ErrorCode,
    field: &str,
) -> Result<(), DomainError> {
    if providers.iter().any(|p| p.id == id) {
        Ok(())
    } else {
        Err(DomainError::field(code, field).with("provider", id))
    }
}

/// `framework.publish_version`: the centrale publishes new terms without rewriting history
/// (Dir. 2014/24 art. 72: `FrameworkAgreement::publish`); a successor or a party named is a
/// registered provider.
pub fn publish_framework_version(
    actor: &Actor,
    framework: Option<&FrameworkAgreement>,
    providers: &[Provider],
    change: &FrameworkChange<'_>,
    now: DateTime<Utc>,
) -> Result<FrameworkAgreement, DomainError> {
    authorize(actor, Act::PublishFrameworkVersion, Owner::Own)?;
    let mut framework = found(framework)?.clone();
    let terms = change.next_terms(framework.current()?, now)?;
    if let Some(LegalBasis::Succession { successor, .. }) = change.legal_basis {
        check_registered(
            providers,
            *successor,
            ErrorCode::SuccessorNotRegistered,
            "legal_basis.successor",
        )?;
    }
    for fp in change.providers.unwrap_or_default() {
        check_registered(
            providers,
            fp.provider_id,
            ErrorCode::ProviderNotRegistered,
            "providers",
        )?;
    }
    // A sheet links to another catalogue solution: its provider is registered.
    for (i, sheet) in change
        .interoperability
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        for (j, link) in sheet.works_with.iter().enumerate() {
            check_registered(
                providers,
                link.with.provider_id,
                ErrorCode::ProviderNotRegistered,
                &format!("interoperability[{i}].works_with[{j}]"),
            )?;
        }
    }
    framework.publish(terms)?;
    Ok(framework)
}

/// `service.add`: what it reads.
#[derive(Debug, Clone, Copy)]
pub struct AddService<'a> {
    /// The new service's id.
    pub service_id: Uuid,
    /// The new framework's id.
    pub framework_id: Uuid,
    /// Either id is already taken (by any record of its kind, deleted or not).
    pub service_id_taken: bool,
    /// See `service_id_taken`.
    pub framework_id_taken: bool,
    /// Every service.
    pub services: &'a [Service],
    /// Every framework.
    pub frameworks: &'a [FrameworkAgreement],
    /// Every registered provider.
    pub providers: &'a [Provider],
    /// Stable code.
    pub code: &'a str,
    /// Name.
    pub name_fr: &'a str,
    /// One sentence.
    pub summary_fr: &'a str,
    /// A few sentences.
    pub description_fr: &'a str,
    /// Category.
    pub category_fr: &'a str,
    /// Framework reference.
    pub reference: &'a str,
    /// Framework title.
    pub title_fr: &'a str,
    /// How orders are placed.
    pub call_off_method: CallOffMethod,
    /// Version 1 of the terms.
    pub terms: &'a FrameworkTerms,
    /// The need of a survey the service answers (issue 16 §3): the need, its survey (`None`:
    /// unknown) and that survey's answers (to say how many communes expressed it).
    pub need: Option<NeedInput<'a>>,
}

/// A need a new service answers, with what names it.
#[derive(Debug, Clone, Copy)]
pub struct NeedInput<'a> {
    /// The need.
    pub need: &'a NeedRef,
    /// Its survey, when known.
    pub survey: Option<&'a Survey>,
    /// The survey's answers.
    pub responses: &'a [SurveyResponse],
}

fn need_origin(input: NeedInput<'_>) -> Result<NeedOrigin, DomainError> {
    let unknown = || DomainError::field(ErrorCode::SurveyNeedUnknown, "need");
    let survey = input.survey.ok_or_else(unknown)?;
    let choice = survey.need(input.need).ok_or_else(unknown)?;
    Ok(NeedOrigin {
        need: input.need.clone(),
        survey_title: survey.title.clone(),
        label_fr: choice.label_fr.clone(),
        communes: communes_expressing(input.need, input.responses),
    })
}

/// A text a person must give, of at most `max` characters (the catalogue names the field:
/// `labels.field`).
fn required(value: &str, field: &str, max: usize) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(DomainError::field(ErrorCode::TextRequired, field).with("max_chars", max));
    }
    Ok(value.to_string())
}

/// The centrale adds a service with its framework agreement, in one act (a service is never
/// bought without one): unique code and reference, at least one registered provider; the
/// terms become version 1, which modifies nothing, so it has no legal basis.
pub fn add_service(
    actor: &Actor,
    input: AddService<'_>,
    now: DateTime<Utc>,
) -> Result<(Service, FrameworkAgreement), DomainError> {
    authorize(actor, Act::AddService, Owner::Own)?;
    for (taken, id) in [
        (input.service_id_taken, input.service_id),
        (input.framework_id_taken, input.framework_id),
    ] {
        if taken {
            return Err(DomainError::rule(ErrorCode::DuplicateId).with("id", id));
        }
    }
    let code = required(input.code, "code", limits::SERVICE_CODE_MAX_CHARS)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(DomainError::field(ErrorCode::ServiceCodeInvalid, "code"));
    }
    if input.services.iter().any(|s| s.code == code) {
        return Err(DomainError::field(ErrorCode::DuplicateCode, "code").with("code", &code));
    }
    let reference = required(
        input.reference,
        "reference",
        limits::FRAMEWORK_REFERENCE_MAX_CHARS,
    )?;
    if input.frameworks.iter().any(|f| f.reference == reference) {
        return Err(
            DomainError::field(ErrorCode::DuplicateReference, "reference")
                .with("reference", &reference),
        );
    }
    if input.terms.providers.is_empty() {
        return Err(DomainError::field(
            ErrorCode::FrameworkProvidersMissing,
            "terms.providers",
        ));
    }
    for fp in &input.terms.providers {
        check_registered(
            input.providers,
            fp.provider_id,
            ErrorCode::ProviderNotRegistered,
            "providers",
        )?;
    }
    let service = Service {
        id: input.service_id,
        code,
        name_fr: required(input.name_fr, "name_fr", limits::SERVICE_NAME_MAX_CHARS)?,
        summary_fr: required(
            input.summary_fr,
            "summary_fr",
            limits::SERVICE_SUMMARY_MAX_CHARS,
        )?,
        description_fr: required(
            input.description_fr,
            "description_fr",
            limits::SERVICE_DESCRIPTION_MAX_CHARS,
        )?,
        category_fr: required(
            input.category_fr,
            "category_fr",
            limits::SERVICE_CATEGORY_MAX_CHARS,
        )?,
        framework_id: input.framework_id,
        added_on: Some(crate::time::brussels_today(now)),
        from_need: input.need.map(need_origin).transpose()?,
    };
    let mut framework = FrameworkAgreement {
        id: input.framework_id,
        service_id: input.service_id,
        reference,
        title_fr: required(
            input.title_fr,
            "title_fr",
            limits::FRAMEWORK_TITLE_MAX_CHARS,
        )?,
        call_off_method: input.call_off_method,
        versions: vec![],
    };
    let mut terms = input.terms.clone();
    terms.published_at = now;
    if terms.change_note.trim().is_empty() {
        terms.change_note = "Première version.".into();
    }
    terms.legal_basis = None;
    framework.publish(terms)?;
    Ok((service, framework))
}
