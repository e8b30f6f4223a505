//! « Suivi des accords-cadres » (issue 16 point 5): the frameworks reaching their end, their
//! consumption and which communes use which solutions, over every record on this PC (the
//! centrale's PC holds every commune's), offline. The figures are the domain's
//! (`centrale_domain::tracking::tracking`), the same function the server answers
//! `GET /api/v1/centrale/frameworks/tracking` with. Deleted records are not counted; records
//! with a local change not yet accepted are counted as they stand on this PC.

use centrale_domain::catalogue::{FrameworkAgreement, Provider, Service};
use centrale_domain::commune::Commune;
use centrale_domain::order::Order;
use centrale_domain::tracking::{self, FrameworkTracking, TrackingRecords};
use centrale_protocol::records::RecordKind;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::de::DeserializeOwned;

use super::live;
use crate::error::Result;

fn bodies<T: DeserializeOwned>(conn: &Connection, kind: RecordKind) -> Result<Vec<T>> {
    Ok(live::of_kind::<T>(conn, kind, None)?
        .into_iter()
        .map(|l| l.body)
        .collect())
}

/// The follow-up on `today` (Brussels).
pub(crate) fn tracking(conn: &Connection, today: NaiveDate) -> Result<FrameworkTracking> {
    let frameworks: Vec<FrameworkAgreement> = bodies(conn, RecordKind::Framework)?;
    let services: Vec<Service> = bodies(conn, RecordKind::Service)?;
    let providers: Vec<Provider> = bodies(conn, RecordKind::Provider)?;
    let communes: Vec<Commune> = bodies(conn, RecordKind::Commune)?;
    let orders: Vec<Order> = bodies(conn, RecordKind::Order)?;
    Ok(tracking::tracking(
        TrackingRecords {
            frameworks: &frameworks,
            services: &services,
            providers: &providers,
            communes: &communes,
            orders: &orders,
        },
        today,
    ))
}

/// The frameworks in force on `today` whose successor is to be prepared (for « Ce qui vous
/// attend »), with their service's name when known.
pub(crate) fn successors_needed(
    conn: &Connection,
    today: NaiveDate,
) -> Result<Vec<tracking::FrameworkEnd>> {
    let frameworks: Vec<FrameworkAgreement> = bodies(conn, RecordKind::Framework)?;
    let services: std::collections::HashMap<_, _> = bodies::<Service>(conn, RecordKind::Service)?
        .into_iter()
        .map(|s| (s.id, s.name_fr))
        .collect();
    Ok(tracking::ends(&frameworks, &services, today)
        .into_iter()
        .filter(|e| e.status == tracking::EndStatus::SuccessorNeeded)
        .collect())
}
