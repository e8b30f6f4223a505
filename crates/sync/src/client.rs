//! One sync: push the outbox in order, then pull every page after the stored cursor.

use std::sync::Arc;
use std::time::Duration;

use centrale_protocol::{
    codes, DocumentFileStored, ErrorBody, FailedMail, LoginRequest, LoginResponse, MeResponse,
    PushRequest, PushResponse, RawPullResponse, RetryFailedMail, SecondFactorCode,
    SecondFactorEnabled, SecondFactorSetup, MAX_PUSH_BATCH, PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use centrale_store::Store;
use chrono::{DateTime, Utc};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::credentials::Credentials;
use crate::error::SyncError;

/// The signed-in account's second factor (`crates/server/src/http/second_factor.rs`).
const SECOND_FACTOR_PATH: &str = "/api/v1/account/second-factor";

/// How the client talks to the server.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// The server's address, e.g. `https://centrale.example.be`.
    pub server_url: String,
    /// Mutations per push request.
    pub push_batch: usize,
    /// Changes per pull page (the server's default when `None`).
    pub pull_limit: Option<u32>,
    /// Longest wait for one request.
    pub request_timeout: Duration,
    /// The protocol version announced (this build's; tests announce others).
    pub protocol_version: u32,
}

impl SyncConfig {
    /// Defaults for a server address.
    pub fn new(server_url: impl Into<String>) -> SyncConfig {
        SyncConfig {
            server_url: server_url.into().trim_end_matches('/').to_string(),
            push_batch: 100,
            pull_limit: None,
            request_timeout: Duration::from_secs(30),
            protocol_version: PROTOCOL_VERSION,
        }
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    /// Mutations accepted by the server.
    pub applied: usize,
    /// Mutations refused (now in the needs-attention list).
    pub rejected: usize,
    /// Mutations in conflict.
    pub conflicts: usize,
    /// Pages pulled.
    pub pages: usize,
    /// Changes pulled.
    pub changes: usize,
    /// Cursor after the pull.
    pub cursor: i64,
    /// Files of framework documents fetched and kept (issue 12 §2).
    pub documents: usize,
    /// Server time.
    pub server_time: Option<DateTime<Utc>>,
}

/// Talks to one server for one local cache. Cheap to clone; syncs never overlap.
#[derive(Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    config: SyncConfig,
    store: Store,
    credentials: Arc<dyn Credentials>,
    running: Arc<Mutex<()>>,
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient")
            .field("server_url", &self.config.server_url)
            .finish()
    }
}

impl SyncClient {
    /// A client for `config.server_url`, writing to `store`, with tokens from `credentials`.
    pub fn new(
        config: SyncConfig,
        store: Store,
        credentials: Arc<dyn Credentials>,
    ) -> Result<SyncClient, SyncError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(Duration::from_secs(10))
            // A town hall's line comes and goes: a connection idle for longer than this is not
            // reused, so the first sync after an outage opens a fresh one instead of failing
            // on a connection the outage killed.
            .pool_idle_timeout(Duration::from_secs(10))
            .user_agent(concat!("centrale-desktop/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Ok(SyncClient {
            http,
            config,
            store,
            credentials,
            running: Arc::new(Mutex::new(())),
        })
    }

    /// The local cache.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The configuration.
    pub fn config(&self) -> &SyncConfig {
        &self.config
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.server_url, path)
    }

    fn with_protocol(&self, request: RequestBuilder) -> RequestBuilder {
        request.header(PROTOCOL_HEADER, self.config.protocol_version.to_string())
    }

    fn token(&self) -> Result<String, SyncError> {
        self.credentials
            .token()
            .map_err(|e| SyncError::Keyring(e.0))?
            .ok_or(SyncError::CredentialsNeeded)
    }

    /// Signs in: the token goes to the credential store, the account to the cache.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        device: &str,
    ) -> Result<LoginResponse, SyncError> {
        let request = self
            .with_protocol(self.http.post(self.url("/api/v1/auth/login")))
            .json(&LoginRequest {
                username: username.to_string(),
                password: password.to_string(),
                device: device.to_string(),
            });
        let response: LoginResponse = read(request.send().await?, false).await?;
        self.credentials
            .store(&response.token)
            .map_err(|e| SyncError::Keyring(e.0))?;
        self.store.set_session(&response.user)?;
        Ok(response)
    }

    /// Signs out: the server revokes the token (when reachable) and the token is forgotten
    /// here in any case. The cache and the outbox stay.
    pub async fn logout(&self) -> Result<(), SyncError> {
        if let Ok(token) = self.token() {
            let request = self
                .with_protocol(self.http.post(self.url("/api/v1/auth/logout")))
                .bearer_auth(token);
            if let Err(e) = request.send().await {
                tracing::info!(error = %e, "logout: server unreachable, token forgotten locally");
            }
        }
        self.credentials
            .clear()
            .map_err(|e| SyncError::Keyring(e.0))?;
        self.store.clear_session()?;
        Ok(())
    }

    /// Who the token belongs to (checks the token and the protocol).
    pub async fn me(&self) -> Result<MeResponse, SyncError> {
        let request = self
            .with_protocol(self.http.get(self.url("/api/v1/me")))
            .bearer_auth(self.token()?);
        read(request.send().await?, true).await
    }

    /// One whole sync: push everything pushable, then pull to the end. Never two at once.
    pub async fn sync_once(&self) -> Result<SyncReport, SyncError> {
        let _running = self.running.lock().await;
        let mut report = SyncReport::default();
        self.push_all(&mut report).await?;
        self.pull_all(&mut report).await?;
        let at = report.server_time.unwrap_or_else(Utc::now);
        self.store.set_last_sync(at)?;
        self.fetch_document_files(&mut report).await?;
        Ok(report)
    }

    /// Fetches the files of the framework documents this PC needs and does not hold yet
    /// (the current versions and the versions its orders are pinned to), each checked against
    /// its hash before it is kept. A file the server does not hold yet waits for a later sync.
    async fn fetch_document_files(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        // Nothing pulled and nothing dropped since every file was here: no need to read
        // every order again (the cache says, see `Store::document_files_complete`).
        if blocking(&self.store, |s| s.document_files_complete()).await? {
            return Ok(());
        }
        let needed = blocking(&self.store, |s| s.needed_document_files()).await?;
        let mut complete = true;
        for file in needed {
            match self.fetch_document_file(&file.sha256).await {
                Ok(_) => report.documents += 1,
                Err(SyncError::Refused { status: 404, .. }) => {
                    // Looked for again at every sync until the server has it.
                    complete = false;
                    tracing::info!(sha256 = %file.sha256, file = %file.file_name, "document file not on the server yet");
                }
                Err(e) => return Err(e),
            }
        }
        if complete {
            blocking(&self.store, |s| s.set_document_files_complete()).await?;
        }
        Ok(())
    }

    /// Downloads the file of a framework document, checks it against `sha256` and keeps it
    /// on this PC; returns its content.
    pub async fn fetch_document_file(&self, sha256: &str) -> Result<Vec<u8>, SyncError> {
        let path = format!("{}/{sha256}", centrale_protocol::DOCUMENT_FILES_PATH);
        let response = self
            .with_protocol(self.http.get(self.url(&path)))
            .bearer_auth(self.token()?)
            .send()
            .await?;
        if response.status() == StatusCode::NOT_FOUND {
            // Not stored there (yet), or not this account's to read: the same answer.
            return Err(SyncError::Refused {
                status: 404,
                code: "not_found".into(),
                message: "Ce document n'est pas disponible à l'intercommunale pour ce compte."
                    .into(),
                details: serde_json::Value::Null,
            });
        }
        if !response.status().is_success() {
            return Err(read::<serde_json::Value>(response, true)
                .await
                .err()
                .unwrap_or_else(|| SyncError::Protocol("réponse inattendue".into())));
        }
        let content = response.bytes().await?.to_vec();
        let kept = content.clone();
        let hash = sha256.to_string();
        blocking(&self.store, move |s| s.put_document_file(&hash, &kept)).await?;
        Ok(content)
    }

    /// Uploads the file of a framework document (the centrale's staff): the server checks
    /// its type, size and hash and stores it once.
    pub async fn upload_document_file(
        &self,
        file_name: &str,
        content: Vec<u8>,
    ) -> Result<DocumentFileStored, SyncError> {
        let sha256 = centrale_store::sha256_hex(&content);
        let path = format!("{}/{sha256}", centrale_protocol::DOCUMENT_FILES_PATH);
        let request = self
            .with_protocol(self.http.put(self.url(&path)))
            .bearer_auth(self.token()?)
            .query(&[("file_name", file_name)])
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(content.clone());
        let stored: DocumentFileStored = read(request.send().await?, true).await?;
        // The centrale's own PC keeps it too: it opens offline like any other.
        blocking(&self.store, move |s| s.put_document_file(&sha256, &content)).await?;
        Ok(stored)
    }

    /// Starts setting up the second factor of the signed-in account (issue 17 point 9): the
    /// server makes a new secret and answers it with its QR code. Nothing is on yet.
    pub async fn second_factor_start(&self) -> Result<SecondFactorSetup, SyncError> {
        let request = self
            .with_protocol(self.http.post(self.url(SECOND_FACTOR_PATH)))
            .bearer_auth(self.token()?);
        read(request.send().await?, true).await
    }

    /// Turns the second factor on with the application's current code; answers the recovery
    /// codes (shown once).
    pub async fn second_factor_confirm(
        &self,
        code: &str,
    ) -> Result<SecondFactorEnabled, SyncError> {
        let request = self
            .with_protocol(
                self.http
                    .post(self.url(&format!("{SECOND_FACTOR_PATH}/confirm"))),
            )
            .bearer_auth(self.token()?)
            .json(&SecondFactorCode {
                code: code.to_string(),
            });
        read(request.send().await?, true).await
    }

    /// Turns the second factor off with a code or a recovery code (refused for the
    /// centrale's staff).
    pub async fn second_factor_off(&self, code: &str) -> Result<(), SyncError> {
        let response = self
            .with_protocol(
                self.http
                    .post(self.url(&format!("{SECOND_FACTOR_PATH}/off"))),
            )
            .bearer_auth(self.token()?)
            .json(&SecondFactorCode {
                code: code.to_string(),
            })
            .send()
            .await?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(read::<serde_json::Value>(response, true)
            .await
            .err()
            .unwrap_or_else(|| SyncError::Protocol("réponse inattendue".into())))
    }

    /// The e-mails the server gave up sending, newest first (the centrale's staff only; read
    /// from the server each time: they are not part of the synced records).
    pub async fn failed_mail(&self) -> Result<Vec<FailedMail>, SyncError> {
        let request = self
            .with_protocol(self.http.get(self.url(centrale_protocol::FAILED_MAIL_PATH)))
            .bearer_auth(self.token()?);
        read(request.send().await?, true).await
    }

    /// Puts a failed e-mail back in the server's queue, to `to` when given.
    pub async fn retry_failed_mail(&self, id: &str, to: Option<&str>) -> Result<(), SyncError> {
        let path = format!("{}/{id}/retry", centrale_protocol::FAILED_MAIL_PATH);
        let response = self
            .with_protocol(self.http.post(self.url(&path)))
            .bearer_auth(self.token()?)
            .json(&RetryFailedMail {
                to: to.map(str::to_string),
            })
            .send()
            .await?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(read::<serde_json::Value>(response, true)
            .await
            .err()
            .unwrap_or_else(|| SyncError::Protocol("réponse inattendue".into())))
    }

    /// Pushes the outbox in order, each change under its author's own token: the signed-in
    /// account's, and those of other accounts that used this PC and whose token is still kept
    /// here (a second signatory's signature, say; the server records who did what). An
    /// account without a kept token, or whose token the server refuses, keeps its changes for
    /// its next sign-in.
    async fn push_all(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let me = self.store.session()?.ok_or(SyncError::CredentialsNeeded)?;
        let mut exhausted = std::collections::HashSet::new();
        loop {
            let pending = self.store.pending()?;
            let next = pending
                .iter()
                .map(|e| &e.created_by)
                .find(|author| !exhausted.contains(&author.user_id))
                .cloned();
            let Some(author) = next else {
                return Ok(());
            };
            exhausted.insert(author.user_id.clone());
            let token = if author.user_id == me.user_id {
                Some(self.token()?)
            } else {
                self.credentials
                    .token_for(&author)
                    .map_err(|e| SyncError::Keyring(e.0))?
            };
            let Some(token) = token else { continue };
            let pushed = match self.push_as(&author.user_id, &token, report).await {
                Ok(pushed) => pushed,
                Err(SyncError::CredentialsNeeded) if author.user_id != me.user_id => {
                    tracing::info!(user = %author.username, "token refused: changes kept");
                    0
                }
                Err(e) => return Err(e),
            };
            if pushed > 0 {
                // Answers may have released another author's change that waited on them.
                exhausted.clear();
            }
        }
    }

    async fn push_as(
        &self,
        user_id: &str,
        token: &str,
        report: &mut SyncReport,
    ) -> Result<usize, SyncError> {
        let mut pushed = 0;
        let batch_size = self.config.push_batch.clamp(1, MAX_PUSH_BATCH);
        loop {
            let batch = blocking(&self.store, {
                let user = user_id.to_string();
                move |s| s.push_batch(&user, batch_size)
            })
            .await?;
            if batch.is_empty() {
                return Ok(pushed);
            }
            pushed += batch.len();
            let request = PushRequest {
                protocol_version: self.config.protocol_version,
                client_id: self.store.client_id()?,
                mutations: batch.iter().map(|e| e.envelope()).collect(),
            };
            let ids: Vec<_> = batch.iter().map(|e| e.mutation_id).collect();
            let sent = self
                .with_protocol(self.http.post(self.url("/api/v1/sync/push")))
                .bearer_auth(token)
                .json(&request)
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    self.store.note_attempt(&ids)?;
                    return Err(e.into());
                }
            };
            let status = response.status();
            if status == StatusCode::UNPROCESSABLE_ENTITY {
                // The whole batch was refused because one entry cannot be read: set that one
                // aside (kept, with the server's message) and send the rest again.
                let text = response.text().await?;
                let body: ErrorBody =
                    serde_json::from_str(&text).map_err(|e| SyncError::Protocol(e.to_string()))?;
                let culprit = body
                    .details
                    .get("mutation_id")
                    .and_then(|v| v.as_str())
                    .and_then(|v| uuid::Uuid::parse_str(v).ok())
                    .filter(|id| ids.contains(id));
                match culprit {
                    Some(id) => {
                        self.store
                            .set_aside(id, &body.code, &body.message, &body.details)?;
                        report.rejected += 1;
                        continue;
                    }
                    None => {
                        return Err(SyncError::Refused {
                            status: status.as_u16(),
                            code: body.code,
                            message: body.message,
                            details: body.details,
                        })
                    }
                }
            }
            let answer: PushResponse = match read(response, true).await {
                Ok(a) => a,
                Err(e) => {
                    if e.is_retryable() {
                        self.store.note_attempt(&ids)?;
                    }
                    return Err(e);
                }
            };
            report.server_time = Some(answer.server_time);
            let applied =
                blocking(&self.store, move |s| s.record_push_results(&answer.results)).await?;
            report.applied += applied.applied;
            report.rejected += applied.rejected;
            report.conflicts += applied.conflicts;
        }
    }

    async fn pull_all(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let mut cursor = self.store.cursor()?;
        let mut page = self.pull_page(cursor).await?;
        loop {
            report.server_time = Some(page.server_time);
            if let Some(settings) = page.settings.take() {
                blocking(&self.store, move |s| s.set_server_settings(&settings)).await?;
            }
            report.pages += 1;
            report.changes += page.changes.len();
            let has_more = page.has_more;
            let next = page.next_cursor;
            if next < cursor {
                return Err(SyncError::Protocol(format!(
                    "curseur reculé ({cursor} → {next})"
                )));
            }
            let apply = blocking(&self.store, move |s| {
                s.apply_raw_pull_page(&page.changes, page.next_cursor)
            });
            if !has_more {
                apply.await?;
                report.cursor = next;
                return Ok(());
            }
            // The next page travels while this one is written (issue 19 §4): the server's
            // answer for a cursor does not depend on what this PC has stored.
            let (applied, fetched) = tokio::join!(apply, self.pull_page(next));
            applied?;
            cursor = next;
            report.cursor = cursor;
            page = fetched?;
        }
    }

    /// One page of changes after `cursor`, each record left as the server's JSON text.
    async fn pull_page(&self, cursor: i64) -> Result<RawPullResponse, SyncError> {
        let mut path = format!("/api/v1/sync/pull?cursor={cursor}");
        if let Some(limit) = self.config.pull_limit {
            path.push_str(&format!("&limit={limit}"));
        }
        let request = self
            .with_protocol(self.http.get(self.url(&path)))
            .bearer_auth(self.token()?);
        read(request.send().await?, true).await
    }
}

/// Runs a store operation off the async threads (SQLite work may take a while on big pages).
async fn blocking<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&Store) -> centrale_store::Result<T> + Send + 'static,
) -> Result<T, SyncError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|e| SyncError::Protocol(format!("tâche interrompue : {e}")))?
        .map_err(SyncError::from)
}

/// Reads a response: the body on success, the error class otherwise.
async fn read<T: DeserializeOwned>(
    response: Response,
    authenticated: bool,
) -> Result<T, SyncError> {
    let status = response.status();
    if status.is_success() {
        let text = response.text().await?;
        return serde_json::from_str(&text).map_err(|e| SyncError::Protocol(e.to_string()));
    }
    if status.is_server_error() {
        return Err(SyncError::Server {
            status: status.as_u16(),
        });
    }
    if status == StatusCode::UPGRADE_REQUIRED {
        return Err(SyncError::UpdateNeeded);
    }
    let text = response.text().await.unwrap_or_default();
    let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
    if status == StatusCode::UNAUTHORIZED && authenticated {
        return Err(SyncError::CredentialsNeeded);
    }
    if let Some(body) = &body {
        if body.code == codes::UPDATE_NEEDED {
            return Err(SyncError::UpdateNeeded);
        }
    }
    Err(match body {
        Some(body) => SyncError::Refused {
            status: status.as_u16(),
            code: body.code,
            message: body.message,
            details: body.details,
        },
        None => SyncError::Protocol(format!("statut {status} sans explication")),
    })
}
