//! Catalogue mutations of the centrale: register a provider, publish a framework version, add
//! a service with its framework.

use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::decide::catalogue as decide;
use centrale_domain::survey::{Survey, SurveyResponse};
use centrale_protocol::mutations::{AddService, PublishFrameworkVersion, RegisterProvider};
use centrale_protocol::records::RecordKind;

use super::{visibility, Ctx, EngineError, Loaded};

/// The version published names only documents whose file the server holds (issue 12 §2).
async fn check_files_stored(
    ctx: &mut Ctx<'_>,
    framework: &FrameworkAgreement,
) -> Result<(), EngineError> {
    let terms = framework.current()?;
    let hashes: Vec<String> = terms.documents.iter().map(|d| d.sha256.clone()).collect();
    let stored = ctx.tx.stored_document_files(&hashes).await?;
    centrale_domain::document_file::check_files_stored(terms, |h| stored.contains(h))?;
    Ok(())
}

fn values<T>(loaded: Vec<Loaded<T>>) -> Vec<T> {
    loaded.into_iter().map(|l| l.value).collect()
}

pub async fn register_provider(ctx: &mut Ctx<'_>, p: &RegisterProvider) -> Result<(), EngineError> {
    let id = p.provider_id.to_string();
    let id_taken = ctx
        .load::<Provider>(RecordKind::Provider, &id)
        .await?
        .is_some();
    let providers = values(ctx.all::<Provider>(RecordKind::Provider).await?);
    let provider = decide::register_provider(
        &ctx.actor.domain(),
        decide::RegisterProvider {
            provider_id: p.provider_id,
            id_taken,
            providers: &providers,
            short_name: &p.short_name,
            name: &p.name,
            enterprise_number: &p.enterprise_number,
            address: &p.address,
            contact_email: &p.contact_email,
        },
        ctx.now,
    )?;
    let vis = visibility(RecordKind::Provider, None, None, false);
    ctx.save(RecordKind::Provider, &id, &provider, None, None, vis)
        .await?;
    Ok(())
}

pub async fn publish_version(
    ctx: &mut Ctx<'_>,
    p: &PublishFrameworkVersion,
) -> Result<(), EngineError> {
    let f: Option<Loaded<FrameworkAgreement>> = ctx
        .load(RecordKind::Framework, &p.framework_id.to_string())
        .await?;
    let providers = values(ctx.all::<Provider>(RecordKind::Provider).await?);
    let framework = decide::publish_framework_version(
        &ctx.actor.domain(),
        f.as_ref().map(|f| &f.value),
        &providers,
        &p.change(),
        ctx.now,
    )?;
    check_files_stored(ctx, &framework).await?;
    let vis = visibility(RecordKind::Framework, None, None, false);
    ctx.save(
        RecordKind::Framework,
        &p.framework_id.to_string(),
        &framework,
        f.map(|f| f.version),
        None,
        vis,
    )
    .await?;
    Ok(())
}

pub async fn add_service(ctx: &mut Ctx<'_>, p: &AddService) -> Result<(), EngineError> {
    let mut taken = [false; 2];
    for (slot, (kind, id)) in taken.iter_mut().zip([
        (RecordKind::Service, p.service_id),
        (RecordKind::Framework, p.framework_id),
    ]) {
        *slot = ctx
            .tx
            .get_record(kind.as_str(), &id.to_string())
            .await?
            .is_some();
    }
    let services = values(ctx.all::<Service>(RecordKind::Service).await?);
    let frameworks = values(ctx.all::<FrameworkAgreement>(RecordKind::Framework).await?);
    let providers = values(ctx.all::<Provider>(RecordKind::Provider).await?);
    // Issue 16 §3: the need it answers, with its survey and the answers given to it.
    let (survey, responses) = match &p.need {
        Some(need) => {
            let id = need.survey_id.to_string();
            let survey: Option<Survey> = ctx
                .load(RecordKind::Survey, &id)
                .await?
                .map(|l: Loaded<Survey>| l.value);
            let responses = values(
                ctx.children::<SurveyResponse>(RecordKind::SurveyResponse, &id)
                    .await?,
            );
            (survey, responses)
        }
        None => (None, Vec::new()),
    };
    let (service, framework) = decide::add_service(
        &ctx.actor.domain(),
        decide::AddService {
            service_id: p.service_id,
            framework_id: p.framework_id,
            service_id_taken: taken[0],
            framework_id_taken: taken[1],
            services: &services,
            frameworks: &frameworks,
            providers: &providers,
            code: &p.code,
            name_fr: &p.name_fr,
            summary_fr: &p.summary_fr,
            description_fr: &p.description_fr,
            category_fr: &p.category_fr,
            reference: &p.reference,
            title_fr: &p.title_fr,
            call_off_method: p.call_off_method,
            terms: &p.terms,
            need: p.need.as_ref().map(|need| decide::NeedInput {
                need,
                survey: survey.as_ref(),
                responses: &responses,
            }),
        },
        ctx.now,
    )?;
    check_files_stored(ctx, &framework).await?;
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
