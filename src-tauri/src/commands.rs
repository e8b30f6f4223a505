//! The Tauri commands: each one unpacks its arguments and calls [`Desktop`]. No rule lives
//! here.

use centrale_protocol::{SecondFactorEnabled, SecondFactorSetup};
use centrale_store::read::{
    AdhesionScreen, CommuneRow, DeploymentPage, DeploymentQuery, FrameworkTermsInForce, Home,
    MailPreferencesScreen, OrderDetail, OrderFilter, OrderRow, Overview, ProviderRow,
    ServiceDetail, ServiceFilter, ServiceRow, StandingRow,
};
use centrale_store::{Conflict, OutboxEntry};
use centrale_sync::SyncStatus;
use tauri::State;
use uuid::Uuid;

use crate::actions::{Action, Performed};
use crate::desktop::{AppState, Desktop};
use crate::documents::{DocumentChoice, DocumentKind, SavedDocument};
use crate::error::CommandResult;
use crate::notifications::WaitingScreen;

type App<'a> = State<'a, Desktop>;

#[tauri::command]
pub async fn app_state(app: App<'_>) -> CommandResult<AppState> {
    app.app_state()
}

#[tauri::command]
pub async fn check_update(
    handle: tauri::AppHandle,
    app: App<'_>,
) -> CommandResult<Option<crate::update::UpdateOffer>> {
    crate::update::check(&handle, &app).await
}

#[tauri::command]
pub async fn download_update(
    handle: tauri::AppHandle,
) -> CommandResult<crate::update::UpdateOffer> {
    crate::update::download(&handle).await
}

#[tauri::command]
pub async fn install_update(handle: tauri::AppHandle, app: App<'_>) -> CommandResult<()> {
    crate::update::install(&handle, &app).await
}

#[tauri::command]
pub async fn set_server_url(app: App<'_>, url: String) -> CommandResult<AppState> {
    app.set_server_url(&url).await
}

#[tauri::command]
pub async fn log_in(app: App<'_>, username: String, password: String) -> CommandResult<AppState> {
    app.log_in(&username, &password).await
}

#[tauri::command]
pub async fn switch_account(app: App<'_>) -> CommandResult<AppState> {
    app.switch_account().await
}

#[tauri::command]
pub async fn log_out(app: App<'_>) -> CommandResult<AppState> {
    app.log_out().await
}

#[tauri::command]
pub async fn sync_status(app: App<'_>) -> CommandResult<SyncStatus> {
    app.sync_status().await
}

#[tauri::command]
pub async fn sync_now(app: App<'_>) -> CommandResult<SyncStatus> {
    app.sync_now().await
}

#[tauri::command]
pub async fn new_id() -> CommandResult<String> {
    Ok(Uuid::now_v7().to_string())
}

#[tauri::command]
pub async fn perform(
    app: App<'_>,
    action: Action,
    second_factor_code: Option<String>,
) -> CommandResult<Performed> {
    app.perform_signed(action, second_factor_code.as_deref())
        .await
}

#[tauri::command]
pub async fn outbox(app: App<'_>) -> CommandResult<Vec<OutboxEntry>> {
    app.outbox()
}

#[tauri::command]
pub async fn discard_change(app: App<'_>, mutation_id: Uuid) -> CommandResult<()> {
    app.discard_change(mutation_id).await
}

#[tauri::command]
pub async fn resend_change(
    app: App<'_>,
    mutation_id: Uuid,
    action: Action,
    second_factor_code: Option<String>,
) -> CommandResult<Performed> {
    app.resend_signed_change(mutation_id, action, second_factor_code.as_deref())
        .await
}

#[tauri::command]
pub async fn conflict(app: App<'_>, mutation_id: Uuid) -> CommandResult<Conflict> {
    app.conflict(mutation_id)
}

#[tauri::command]
pub async fn keep_mine(app: App<'_>, mutation_id: Uuid) -> CommandResult<Performed> {
    app.keep_mine(mutation_id).await
}

#[tauri::command]
pub async fn waiting(app: App<'_>) -> CommandResult<WaitingScreen> {
    app.waiting()
}

#[tauri::command]
pub async fn set_notifications(app: App<'_>, enabled: bool) -> CommandResult<WaitingScreen> {
    app.set_notifications(enabled)
}

#[tauri::command]
pub async fn mail_preferences(app: App<'_>) -> CommandResult<Option<MailPreferencesScreen>> {
    app.mail_preferences()
}

#[tauri::command]
pub async fn home(app: App<'_>) -> CommandResult<Home> {
    app.home()
}

#[tauri::command]
pub async fn services(app: App<'_>, filter: ServiceFilter) -> CommandResult<Vec<ServiceRow>> {
    app.services(&filter)
}

#[tauri::command]
pub async fn service_categories(app: App<'_>) -> CommandResult<Vec<String>> {
    app.service_categories()
}

#[tauri::command]
pub async fn service_detail(
    app: App<'_>,
    service_id: Uuid,
) -> CommandResult<Option<ServiceDetail>> {
    app.service_detail(service_id)
}

#[tauri::command]
pub async fn adhesion(app: App<'_>) -> CommandResult<AdhesionScreen> {
    app.adhesion()
}

#[tauri::command]
pub async fn orders(app: App<'_>, filter: OrderFilter) -> CommandResult<Vec<OrderRow>> {
    app.orders(&filter)
}

#[tauri::command]
pub async fn order_detail(app: App<'_>, order_id: Uuid) -> CommandResult<Option<OrderDetail>> {
    app.order_detail(order_id)
}

#[tauri::command]
pub async fn deployments(app: App<'_>, query: DeploymentQuery) -> CommandResult<DeploymentPage> {
    app.deployments(&query)
}

#[tauri::command]
pub async fn overview(app: App<'_>) -> CommandResult<Overview> {
    app.overview()
}

#[tauri::command]
pub async fn surveys(app: App<'_>) -> CommandResult<centrale_store::read::SurveysScreen> {
    app.surveys()
}

#[tauri::command]
pub async fn pools(app: App<'_>) -> CommandResult<centrale_store::read::PoolsScreen> {
    app.pools()
}

#[tauri::command]
pub async fn pool(
    app: App<'_>,
    pool_id: Uuid,
) -> CommandResult<Option<centrale_store::read::PoolPage>> {
    app.pool(pool_id)
}

#[tauri::command]
pub async fn survey(
    app: App<'_>,
    survey_id: Uuid,
) -> CommandResult<Option<centrale_store::read::SurveyPage>> {
    app.survey(survey_id)
}

#[tauri::command]
pub async fn survey_results(
    app: App<'_>,
    survey_id: Uuid,
) -> CommandResult<Option<centrale_store::read::SurveyResultsView>> {
    app.survey_results(survey_id)
}

#[tauri::command]
pub async fn accompaniment(
    app: App<'_>,
) -> CommandResult<centrale_store::read::AccompanimentScreen> {
    app.accompaniment()
}

#[tauri::command]
pub async fn tracking(app: App<'_>) -> CommandResult<centrale_domain::tracking::FrameworkTracking> {
    app.tracking()
}

#[tauri::command]
pub async fn communes(app: App<'_>) -> CommandResult<Vec<CommuneRow>> {
    app.communes()
}

#[tauri::command]
pub async fn standings(app: App<'_>) -> CommandResult<Vec<StandingRow>> {
    app.standings()
}

#[tauri::command]
pub async fn adhesion_of(app: App<'_>, commune_nis: String) -> CommandResult<AdhesionScreen> {
    app.adhesion_of(&commune_nis)
}

#[tauri::command]
pub async fn providers(app: App<'_>) -> CommandResult<Vec<ProviderRow>> {
    app.providers()
}

#[tauri::command]
pub async fn framework_terms(
    app: App<'_>,
    framework_id: Uuid,
) -> CommandResult<Option<FrameworkTermsInForce>> {
    app.framework_terms(framework_id)
}

/// A deadline typed in Brussels wall time, as the UTC instant to send (chrono-tz decides).
#[tauri::command]
pub async fn brussels_instant(date: String, time: String) -> CommandResult<String> {
    crate::deadline::brussels_instant(&date, &time)
}

/// The window shows the commune's Accueil with its data: the first time in this run, how long
/// the start took goes to the support log — the line `tests/benches/desktop_app.rs` times a
/// start by. Later calls (the Accueil shown again) say nothing.
/// `page_ms`: when, counted from the page's start (`performance.now()`).
#[tauri::command]
pub fn first_screen_shown(page_ms: u32) {
    static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !SHOWN.swap(true, std::sync::atomic::Ordering::SeqCst) {
        tracing::info!(
            after_ms = crate::started_at().elapsed().as_millis() as u64,
            page_ms,
            "first screen shown"
        );
    }
}

/// The folder the documents and exports go to on this PC (`documents::folder`).
fn documents_folder(handle: &tauri::AppHandle) -> std::path::PathBuf {
    use tauri::Manager;
    let data_dir = handle.path().app_data_dir().unwrap_or_default();
    crate::documents::folder(handle.path().document_dir().ok(), &data_dir)
}

/// Issue 12: a document of an order or of an adhesion (`record_id`), as a PDF in the user's
/// Documents folder.
#[tauri::command]
pub async fn document(
    app: App<'_>,
    handle: tauri::AppHandle,
    kind: DocumentKind,
    record_id: Uuid,
) -> CommandResult<SavedDocument> {
    let folder = documents_folder(&handle);
    app.document(kind, record_id, &folder)
}

/// Issue 12 §3: a list (orders, deployments, communes, consumption) as a CSV file in the
/// folder the documents go to.
#[tauri::command]
pub async fn export_csv(
    app: App<'_>,
    handle: tauri::AppHandle,
    kind: crate::exports::ExportKind,
    survey_id: Option<Uuid>,
) -> CommandResult<crate::exports::SavedExport> {
    let folder = documents_folder(&handle);
    app.export_csv(kind, survey_id, &folder)
}

/// Issue 12: opens a document this app saved (by its file name, from the documents folder
/// only) with the program the PC uses for its type.
#[tauri::command]
pub async fn open_saved_document(handle: tauri::AppHandle, file_name: String) -> CommandResult<()> {
    let folder = documents_folder(&handle);
    let path = crate::saved_files::saved_file(&folder, &file_name)?;
    crate::framework_files::open_with_system_viewer(&path)
}

/// Issue 12: the documents an order or an adhesion allows now.
#[tauri::command]
pub async fn document_choices(app: App<'_>, record_id: Uuid) -> CommandResult<Vec<DocumentChoice>> {
    app.document_choices(record_id)
}

/// Issue 12 §2: a framework document's file, from this PC (offline too) or fetched now,
/// written into the user's Documents folder and opened with the system's viewer.
#[tauri::command]
pub async fn open_framework_document(
    app: App<'_>,
    handle: tauri::AppHandle,
    sha256: String,
    file_name: String,
    title: String,
) -> CommandResult<crate::framework_files::OpenedDocument> {
    let folder = documents_folder(&handle);
    let opened = app
        .framework_document(&sha256, &file_name, &title, &folder)
        .await?;
    crate::framework_files::open_with_system_viewer(std::path::Path::new(&opened.path))?;
    Ok(opened)
}

/// Issue 12 §2: the centrale uploads a framework document's file. The window sends the bytes
/// of the file the person picked as the raw body (no JSON array of numbers), its name in the
/// header `x-file-name`, percent-encoded.
#[tauri::command]
pub async fn upload_framework_document(
    app: App<'_>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<centrale_protocol::DocumentFileStored> {
    let tauri::ipc::InvokeBody::Raw(content) = request.body() else {
        return Err(crate::error::CommandError::new(
            "invalid_input",
            "Le fichier n'a pas été transmis : choisissez-le à nouveau.",
        ));
    };
    let file_name = request
        .headers()
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(crate::framework_files::percent_decode)
        .unwrap_or_default();
    app.upload_framework_document(&file_name, content.clone())
        .await
}

#[tauri::command]
pub async fn second_factor_start(app: App<'_>) -> CommandResult<SecondFactorSetup> {
    app.second_factor_start().await
}

#[tauri::command]
pub async fn second_factor_confirm(
    app: App<'_>,
    code: String,
) -> CommandResult<SecondFactorEnabled> {
    app.second_factor_confirm(&code).await
}

#[tauri::command]
pub async fn second_factor_off(app: App<'_>, code: String) -> CommandResult<()> {
    app.second_factor_off(&code).await
}

#[tauri::command]
pub async fn failed_mail(app: App<'_>) -> CommandResult<Vec<centrale_protocol::FailedMail>> {
    app.failed_mail().await
}

#[tauri::command]
pub async fn retry_failed_mail(app: App<'_>, id: String, to: Option<String>) -> CommandResult<()> {
    app.retry_failed_mail(&id, to.as_deref()).await
}
