//! The HTTP API: routes, the protocol-version guard, request ids, body limits, JSON errors,
//! OpenAPI description, and graceful shutdown.

mod documents;
mod extract;
pub mod order_documents;
mod routes;
mod second_factor;
mod tracking;
pub mod updates;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use centrale_protocol::{is_supported, MAX_BODY_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{error_response, ApiError};
use crate::state::AppState;

pub use documents::file_response as document_file_response;
pub use extract::ApiJson;

/// The OpenAPI document's fixed parts.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Centrale — API du serveur intercommunal",
        description = "Synchronisation des postes des communes, des prestataires et de la centrale d'achat. Toute écriture est une opération nommée (mutation) envoyée par /api/v1/sync/push.",
        version = "1"
    ),
    components(schemas(centrale_protocol::ErrorBody)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The API routes and their OpenAPI description, built from the same annotated handlers so
/// they cannot drift apart.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(routes::health))
        .routes(routes!(routes::login))
        .routes(routes!(routes::logout))
        .routes(routes!(routes::me))
        .routes(routes!(routes::pull))
        .routes(routes!(routes::push))
        .routes(routes!(routes::failed_mail))
        .routes(routes!(routes::retry_failed_mail))
        .routes(routes!(tracking::frameworks_tracking))
        .routes(routes!(second_factor::start))
        .routes(routes!(second_factor::confirm))
        .routes(routes!(second_factor::turn_off))
        .routes(routes!(documents::upload, documents::download))
        .routes(routes!(order_documents::order_list))
        .routes(routes!(order_documents::order_document))
        .routes(routes!(order_documents::adhesion_list))
        .routes(routes!(order_documents::adhesion_document))
        .routes(routes!(updates::manifest))
        .routes(routes!(updates::file))
        .split_for_parts();
    describe_the_document_itself(&mut doc);
    describe_each_mutation(&mut doc);
    (router, doc)
}

/// The document's own route is served outside the annotated handlers (it needs the finished
/// document): it is described here, so that the document lists every route of the API.
fn describe_the_document_itself(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::ResponseBuilder;
    let operation = OperationBuilder::new()
        .tag("serveur")
        .summary(Some("Cette description de l'API (OpenAPI 3)"))
        .response(
            "200",
            ResponseBuilder::new()
                .description("Le document OpenAPI de l'API, en JSON")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                        .build(),
                ),
        )
        .build();
    doc.paths
        .add_path_operation("/api/v1/openapi.json", vec![HttpMethod::Get], operation);
}

/// The push's envelope described per mutation: `name` one of the mutation names, `payload` the
/// schema of that mutation's payload (from the protocol's one list of mutations), instead of an
/// opaque object — a client generated from the document knows what each name takes.
fn describe_each_mutation(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    use utoipa::openapi::{Ref, RefOr};
    let described = centrale_protocol::mutations::payload_schemas();
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (name, schema) in described.schemas {
        components.schemas.entry(name).or_insert(schema);
    }
    let Some(RefOr::T(Schema::Object(envelope))) = components.schemas.get("MutationEnvelope")
    else {
        return;
    };
    let envelope = envelope.clone();
    let mut one_of = OneOfBuilder::new().description(Some(
        "Une opération nommée : `name` dit laquelle, `payload` porte ses données.",
    ));
    for (name, payload) in described.payloads {
        let mut variant = envelope.clone();
        variant.title = Some(name.to_string());
        variant.properties.insert(
            "name".into(),
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([name]))
                .into(),
        );
        variant
            .properties
            .insert("payload".into(), Ref::from_schema_name(payload).into());
        one_of = one_of.item(Schema::Object(variant));
    }
    components
        .schemas
        .insert("MutationEnvelope".into(), one_of.into());
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = api();
    // The document never changes while the server runs: serialise it once.
    let openapi: axum::body::Bytes = serde_json::to_vec(&openapi).unwrap_or_default().into();
    let request_id = HeaderName::from_static("x-request-id");
    api.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let body = openapi.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
        }),
    )
    // The providers' web portal (`/portail/…`): HTML pages, its own session and headers.
    .merge(crate::portal::router(&state.settings))
    // Open data (issue 12 §3): OCDS release packages, public, read-only.
    .merge(crate::ocds::router())
    // For the monitoring (issue 13 §4): readiness beside `/health`'s liveness, and the counters.
    .route("/ready", axum::routing::get(crate::metrics::ready))
    .route("/metrics", axum::routing::get(crate::metrics::metrics))
    .fallback(|| async { ApiError::NotFound })
    .method_not_allowed_fallback(|| async {
        error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Cette méthode HTTP n'est pas acceptée à cette adresse.".into(),
            serde_json::json!({}),
        )
    })
    .layer(middleware::from_fn(protocol_guard))
    // After routing (`Router::layer`): the matched route template names the series.
    .layer(middleware::from_fn_with_state(
        state.clone(),
        crate::metrics::count_requests,
    ))
    .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
    .layer(
        TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }),
    )
    .layer(PropagateRequestIdLayer::new(request_id.clone()))
    .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
    .with_state(state)
}

/// Refuses clients whose protocol is unsupported, before anything else runs, and stamps the
/// server's protocol version on every response.
async fn protocol_guard(request: Request, next: Next) -> Response {
    if let Some(value) = request.headers().get(PROTOCOL_HEADER) {
        let version = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok());
        match version {
            Some(v) if is_supported(v) => {}
            Some(v) => return stamp(ApiError::UpdateNeeded { client_version: v }.into_response()),
            None => return stamp(ApiError::UpdateNeeded { client_version: 0 }.into_response()),
        }
    }
    stamp(next.run(request).await)
}

fn stamp(mut response: Response) -> Response {
    response.headers_mut().insert(
        HeaderName::from_static(PROTOCOL_HEADER),
        HeaderValue::from(PROTOCOL_VERSION),
    );
    response
}

/// Serves the server's own centrale and the ones it hosts until Ctrl-C or SIGTERM, then lets
/// in-flight requests finish. Also runs each centrale's scheduler (that opens offers when
/// deadlines pass) and e-mail sender, each over its own database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    own: AppState,
    hosted: Vec<(String, AppState)>,
) -> anyhow::Result<()> {
    let stop = shutdown_signal();
    let mut tasks = Vec::new();
    for state in std::iter::once(&own).chain(hosted.iter().map(|(_, s)| s)) {
        tasks.push(crate::scheduler::spawn(state.clone()));
        if let Some(sender) = crate::mail::spawn(state.clone()) {
            tasks.push(sender);
        }
    }
    let _ = tokio::task::spawn_blocking(crate::login::prepare).await;
    serve_centrales_until(listener, Centrales::new(own, hosted), stop).await;
    for task in tasks {
        task.abort();
    }
    tracing::info!("arrêt propre du serveur terminé");
    Ok(())
}

/// The centrales one server answers for (issue 19 §3): its own, which answers every host name
/// not claimed, and the ones it hosts, each by its host name (`config/hosted.rs`). Each is a
/// whole application over its own database: a request reaches one centrale's routes, state and
/// accounts, never another's.
#[derive(Clone)]
pub struct Centrales {
    own: Router,
    hosted: std::sync::Arc<std::collections::HashMap<String, Router>>,
    header_timeout: Duration,
}

impl Centrales {
    /// One centrale, answering every host name.
    pub fn one(state: AppState) -> Centrales {
        Centrales::new(state, Vec::new())
    }

    /// The server's own centrale and the hosted ones by host name.
    pub fn new(own: AppState, hosted: Vec<(String, AppState)>) -> Centrales {
        let header_timeout = Duration::from_secs(own.settings.header_read_timeout_secs.max(1));
        Centrales {
            own: router(own),
            hosted: std::sync::Arc::new(
                hosted
                    .into_iter()
                    .map(|(host, state)| (crate::config::normalize_host(&host), router(state)))
                    .collect(),
            ),
            header_timeout,
        }
    }

    /// The routes of the centrale a request is for, by its `Host` (or the authority of an
    /// absolute request target).
    fn for_request<B>(&self, request: &hyper::Request<B>) -> Router {
        // A server of one centrale (the usual case) reads no header.
        if self.hosted.is_empty() {
            return self.own.clone();
        }
        let host = request
            .headers()
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().host());
        host.and_then(|h| self.hosted.get(&crate::config::normalize_host(h)))
            .unwrap_or(&self.own)
            .clone()
    }
}

/// Serves one centrale on `listener` until `shutdown` completes (see [`serve_centrales_until`]).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    serve_centrales_until(listener, Centrales::one(state), shutdown).await;
}

/// Serves the centrales on `listener` until `shutdown` completes, then stops accepting and
/// waits for the open connections to finish their requests.
///
/// Our own accept loop rather than `axum::serve`, which cannot be told a header read timeout:
/// a client that opens a connection and never finishes its request head (slowloris) is cut
/// after `header_read_timeout_secs`, idle keep-alive connections too. Each request carries
/// its peer address (`ConnectInfo`), which the login throttles count by.
pub async fn serve_centrales_until(
    listener: tokio::net::TcpListener,
    centrales: Centrales,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let header_timeout = centrales.header_timeout;
    // `stop` tells connections to finish; `done` is dropped by each when it has finished.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let (done_tx, done_rx) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            // The stop signal first: a server told to stop takes no new connection.
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "connexion refusée par le système");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let centrales = centrales.clone();
        let mut stop = stop_rx.clone();
        let done = done_rx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |mut request: hyper::Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(axum::extract::ConnectInfo(peer));
                    tower::Service::call(&mut centrales.for_request(&request), request)
                },
            );
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            let mut stopping = false;
            loop {
                tokio::select! {
                    result = connection.as_mut() => {
                        if let Err(e) = result {
                            tracing::debug!(error = %e, %peer, "connexion terminée sur une erreur");
                        }
                        break;
                    }
                    _ = stop.changed(), if !stopping => {
                        stopping = true;
                        connection.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(done);
        });
    }
    drop(listener);
    drop(stop_tx);
    drop(done_rx);
    done_tx.closed().await;
}

/// The stop signals (Ctrl-C, SIGTERM). The SIGTERM handler is installed here, when called,
/// not at the future's first poll: a SIGTERM sent as soon as the server answers must stop it
/// cleanly, never kill it with the default action.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async move {
            match sigterm {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("signal d'arrêt reçu : fin des requêtes en cours");
        // Leave a bound on how long in-flight requests may take.
        tokio::spawn(async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            tracing::warn!("arrêt forcé après 30 s");
            std::process::exit(0);
        });
    }
}
