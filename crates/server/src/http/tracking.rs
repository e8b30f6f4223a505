//! « Suivi des accords-cadres » on the server (issue 16 point 5): the frameworks reaching their
//! end, their consumption and which communes use which solutions, computed from the server's
//! records by the domain's `tracking::tracking` — the function the centrale's PC calls on its
//! cache, so both give the same figures. The centrale's staff only (`Act::TrackFrameworks`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::commune::Commune;
use centrale_domain::order::Order;
use centrale_domain::permission::{authorize, Act, Owner};
use centrale_domain::time::brussels_today;
use centrale_domain::tracking::{self, FrameworkTracking, TrackingRecords};
use centrale_protocol::records::RecordKind;
use centrale_protocol::{codes, ErrorBody};
use centrale_server_db::{Database, DbError};
use serde::de::DeserializeOwned;

use crate::auth::Authenticated;
use crate::error::ApiError;
use crate::state::AppState;

async fn live<T: DeserializeOwned>(db: &Database, kind: RecordKind) -> Result<Vec<T>, DbError> {
    db.list_live_records(kind.as_str())
        .await?
        .into_iter()
        .map(|row| {
            serde_json::from_value(row.body)
                .map_err(|e| DbError::Corrupt(format!("stored {} {}: {e}", row.kind, row.id)))
        })
        .collect()
}

/// The frameworks in force and their end (successor to prepare six months ahead), each
/// framework's consumption of its maximum value (flagged from 80 %), and every awarded
/// call-off with the commune, the provider retained and the framework, on today's Brussels
/// date.
#[utoipa::path(get, path = "/api/v1/centrale/frameworks/tracking", tag = "centrale", security(("bearer" = [])),
    responses(
        (status = 200, description = "Le suivi des accords-cadres", body = FrameworkTracking),
        (status = 401, description = "Non connecté", body = ErrorBody),
        (status = 403, description = "Réservé à la centrale", body = ErrorBody)))]
pub async fn frameworks_tracking(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
) -> Result<Json<FrameworkTracking>, ApiError> {
    authorize(&actor.domain(), Act::TrackFrameworks, Owner::Own).map_err(|e| {
        ApiError::BadRequest {
            code: codes::FORBIDDEN,
            message: e.to_string(),
            details: e.params(),
            status: StatusCode::FORBIDDEN,
        }
    })?;
    let db = &state.db;
    let frameworks: Vec<FrameworkAgreement> = live(db, RecordKind::Framework).await?;
    let services: Vec<Service> = live(db, RecordKind::Service).await?;
    let providers: Vec<Provider> = live(db, RecordKind::Provider).await?;
    let communes: Vec<Commune> = live(db, RecordKind::Commune).await?;
    let orders: Vec<Order> = live(db, RecordKind::Order).await?;
    Ok(Json(tracking::tracking(
        TrackingRecords {
            frameworks: &frameworks,
            services: &services,
            providers: &providers,
            communes: &communes,
            orders: &orders,
        },
        brussels_today(state.clock.now()),
    )))
}
