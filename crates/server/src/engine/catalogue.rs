//! Catalogue mutations of the centrale: register a provider, publish a framework version.

use centrale_domain::catalogue::{FrameworkAgreement, Provider};
use centrale_protocol::mutations::{PublishFrameworkVersion, RegisterProvider};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded, Rejection};

pub async fn register_provider(ctx: &mut Ctx<'_>, p: &RegisterProvider) -> Result<(), EngineError> {
    ctx.actor.require_centrale("enregistrer un prestataire")?;
    let id = p.provider_id.to_string();
    if ctx
        .load::<Provider>(RecordKind::Provider, &id)
        .await?
        .is_some()
    {
        return Err(Rejection::new("duplicate_id", "Ce prestataire existe déjà.").into());
    }
    let existing: Vec<Loaded<Provider>> = ctx.all(RecordKind::Provider).await?;
    if existing
        .iter()
        .any(|e| e.value.enterprise_number == p.enterprise_number)
    {
        return Err(Rejection::new(
            "duplicate_enterprise_number",
            format!(
                "Un prestataire portant le numéro d'entreprise {} est déjà enregistré.",
                p.enterprise_number.formatted()
            ),
        )
        .into());
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
        .require_centrale("publier une version d'accord-cadre")?;
    let mut f: Loaded<FrameworkAgreement> = ctx
        .require(RecordKind::Framework, &p.framework_id.to_string())
        .await?;
    let mut terms = f.value.current()?.clone();
    if p.change_note.trim().is_empty() {
        return Err(Rejection::new(
            "invalid_input",
            "Expliquez en une phrase ce que change cette version.",
        )
        .into());
    }
    terms.change_note = p.change_note.trim().to_string();
    terms.published_at = ctx.now;
    if let Some(end) = p.end_date {
        terms.end_date = end;
    }
    if let Some(schedule) = &p.price_schedule {
        terms.price_schedule = schedule.clone();
    }
    if let Some(documents) = &p.documents {
        terms.documents = documents.clone();
    }
    if let Some(providers) = &p.providers {
        for fp in providers {
            if ctx
                .load::<Provider>(RecordKind::Provider, &fp.provider_id.to_string())
                .await?
                .is_none()
            {
                return Err(Rejection::new(
                    "invalid_input",
                    "Un des prestataires n'est pas enregistré : enregistrez-le d'abord.",
                )
                .into());
            }
        }
        terms.providers = providers.clone();
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
