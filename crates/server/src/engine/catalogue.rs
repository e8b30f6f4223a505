//! Catalogue mutations of the centrale: register a provider, publish a framework version, add
//! a service with its framework.

use centrale_domain::catalogue::{FrameworkAgreement, LegalBasis, Provider, Service};
use centrale_domain::limits;
use centrale_domain::permission::{Act, Owner};
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::mutations::{AddService, PublishFrameworkVersion, RegisterProvider};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded};

pub async fn register_provider(ctx: &mut Ctx<'_>, p: &RegisterProvider) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::RegisterProvider, Owner::Own)?;
    let id = p.provider_id.to_string();
    if ctx
        .load::<Provider>(RecordKind::Provider, &id)
        .await?
        .is_some()
    {
        return Err(DomainError::rule(ErrorCode::DuplicateId)
            .with("id", id)
            .into());
    }
    let existing: Vec<Loaded<Provider>> = ctx.all(RecordKind::Provider).await?;
    if existing
        .iter()
        .any(|e| e.value.enterprise_number == p.enterprise_number)
    {
        return Err(
            DomainError::field(ErrorCode::DuplicateEnterpriseNumber, "enterprise_number")
                .with("enterprise_number", p.enterprise_number.formatted())
                .into(),
        );
    }
    let provider = Provider {
        id: p.provider_id,
        short_name: p.short_name.trim().to_string(),
        name: p.name.trim().to_string(),
        enterprise_number: p.enterprise_number.clone(),
        address: p.address.trim().to_string(),
        contact_email: p.contact_email.trim().to_string(),
    };
    provider.validate()?;
    let vis = visibility(RecordKind::Provider, None, None, false);
    ctx.save(RecordKind::Provider, &id, &provider, None, None, vis)
        .await?;
    Ok(())
}

pub async fn publish_version(
    ctx: &mut Ctx<'_>,
    p: &PublishFrameworkVersion,
) -> Result<(), EngineError> {
    ctx.actor
        .authorize(Act::PublishFrameworkVersion, Owner::Own)?;
    let mut f: Loaded<FrameworkAgreement> = ctx
        .require(RecordKind::Framework, &p.framework_id.to_string())
        .await?;
    let terms = p.next_terms(f.value.current()?, ctx.now)?;
    if let Some(LegalBasis::Succession { successor, .. }) = &p.legal_basis {
        if ctx
            .load::<Provider>(RecordKind::Provider, &successor.to_string())
            .await?
            .is_none()
        {
            return Err(DomainError::field(
                ErrorCode::SuccessorNotRegistered,
                "legal_basis.successor",
            )
            .with("provider", successor)
            .into());
        }
    }
    if let Some(providers) = &p.providers {
        for fp in providers {
            if ctx
                .load::<Provider>(RecordKind::Provider, &fp.provider_id.to_string())
                .await?
                .is_none()
            {
                return Err(
                    DomainError::field(ErrorCode::ProviderNotRegistered, "providers")
                        .with("provider", fp.provider_id)
                        .into(),
                );
            }
        }
    }
    f.value.publish(terms)?;
    let vis = visibility(RecordKind::Framework, None, None, false);
    ctx.save(
        RecordKind::Framework,
        &p.framework_id.to_string(),
        &f.value,
        Some(f.version),
        None,
        vis,
    )
    .await?;
    Ok(())
}

/// A text a person must give, of at most `max` characters (the catalogue names the field:
/// `labels.field`).
fn required(value: &str, field: &str, max: usize) -> Result<String, EngineError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(DomainError::field(ErrorCode::TextRequired, field)
            .with("max_chars", max)
            .into());
    }
    Ok(value.to_string())
}

pub async fn add_service(ctx: &mut Ctx<'_>, p: &AddService) -> Result<(), EngineError> {
    ctx.actor.authorize(Act::AddService, Owner::Own)?;
    for (kind, id) in [
        (RecordKind::Service, p.service_id),
        (RecordKind::Framework, p.framework_id),
    ] {
        if ctx
            .tx
            .get_record(kind.as_str(), &id.to_string())
            .await?
            .is_some()
        {
            return Err(DomainError::rule(ErrorCode::DuplicateId)
                .with("id", id)
                .into());
        }
    }
    let code = required(&p.code, "code", limits::SERVICE_CODE_MAX_CHARS)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(DomainError::field(ErrorCode::ServiceCodeInvalid, "code").into());
    }
    let services: Vec<Loaded<Service>> = ctx.all(RecordKind::Service).await?;
    if services.iter().any(|s| s.value.code == code) {
        return Err(DomainError::field(ErrorCode::DuplicateCode, "code")
            .with("code", &code)
            .into());
    }
    let frameworks: Vec<Loaded<FrameworkAgreement>> = ctx.all(RecordKind::Framework).await?;
    let reference = required(
        &p.reference,
        "reference",
        limits::FRAMEWORK_REFERENCE_MAX_CHARS,
    )?;
    if frameworks.iter().any(|f| f.value.reference == reference) {
        return Err(
            DomainError::field(ErrorCode::DuplicateReference, "reference")
                .with("reference", &reference)
                .into(),
        );
    }
    if p.terms.providers.is_empty() {
        return Err(
            DomainError::field(ErrorCode::FrameworkProvidersMissing, "terms.providers").into(),
        );
    }
    for fp in &p.terms.providers {
        if ctx
            .load::<Provider>(RecordKind::Provider, &fp.provider_id.to_string())
            .await?
            .is_none()
        {
            return Err(
                DomainError::field(ErrorCode::ProviderNotRegistered, "providers")
                    .with("provider", fp.provider_id)
                    .into(),
            );
        }
    }
    let service = Service {
        id: p.service_id,
        code,
        name_fr: required(&p.name_fr, "name_fr", limits::SERVICE_NAME_MAX_CHARS)?,
        summary_fr: required(
            &p.summary_fr,
            "summary_fr",
            limits::SERVICE_SUMMARY_MAX_CHARS,
        )?,
        description_fr: required(
            &p.description_fr,
            "description_fr",
            limits::SERVICE_DESCRIPTION_MAX_CHARS,
        )?,
        category_fr: required(
            &p.category_fr,
            "category_fr",
            limits::SERVICE_CATEGORY_MAX_CHARS,
        )?,
        framework_id: p.framework_id,
    };
    let mut framework = FrameworkAgreement {
        id: p.framework_id,
        service_id: p.service_id,
        reference,
        title_fr: required(&p.title_fr, "title_fr", limits::FRAMEWORK_TITLE_MAX_CHARS)?,
        call_off_method: p.call_off_method,
        versions: vec![],
    };
    let mut terms = p.terms.clone();
    terms.published_at = ctx.now;
    if terms.change_note.trim().is_empty() {
        terms.change_note = "Première version.".into();
    }
    // Version 1 is the framework as concluded: it modifies nothing, so it has no basis.
    terms.legal_basis = None;
    framework.publish(terms)?;
    let vis = visibility(RecordKind::Service, None, None, false);
    ctx.save(
        RecordKind::Service,
        &p.service_id.to_string(),
        &service,
        None,
        None,
        vis,
    )
    .await?;
    let vis = visibility(RecordKind::Framework, None, None, false);
    ctx.save(
        RecordKind::Framework,
        &p.framework_id.to_string(),
        &framework,
        None,
        None,
        vis,
    )
    .await?;
    Ok(())
}
