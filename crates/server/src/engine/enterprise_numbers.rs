//! The communes' enterprise numbers (issue 12 §3): the intercommunale loads the official list
//! once (`centrale-server commune enterprise-numbers <file>`), so that each commune is
//! identified as a party in the open data by its BCE/KBO number. One write transaction through
//! the engine's saves: each changed commune gets a new version (clients pull it) and the audit
//! chain records the load.

use centrale_domain::commune::{Commune, NisCode};
use centrale_domain::enterprise::EnterpriseNumber;
use centrale_domain::{DomainError, ErrorCode};
use centrale_protocol::records::RecordKind;
use centrale_server_db::Database;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::{visibility, Ctx, EngineError, Loaded};
use crate::actor::Actor;
use crate::Settings;

/// Sets the enterprise number of each listed commune at `now`, all or nothing; returns how
/// many communes changed (a number already recorded changes nothing). Refused, in French, for
/// a commune that is not in the reference list.
pub async fn set_enterprise_numbers(
    db: &Database,
    numbers: &[(NisCode, EnterpriseNumber)],
    now: DateTime<Utc>,
) -> Result<usize, EngineError> {
    let settings = Settings::default();
    let mut ctx = Ctx::new(
        db.write().await?,
        Actor::server_act(
            "system:enterprise-numbers",
            "Numéros d'entreprise des communes",
        ),
        now,
        &settings,
    );
    let loaded: Vec<Loaded<Commune>> = ctx.all(RecordKind::Commune).await?;
    let public = visibility(RecordKind::Commune, None, None, false);
    let mut changed = Vec::new();
    for (nis, number) in numbers {
        let Some(l) = loaded.iter().find(|l| &l.value.nis_code == nis) else {
            ctx.tx.rollback().await?;
            return Err(DomainError::field(ErrorCode::CommuneUnknown, "nis_code")
                .with("nis_code", nis.as_str())
                .into());
        };
        if l.value.enterprise_number.as_ref() == Some(number) {
            continue;
        }
        let mut commune = l.value.clone();
        commune.enterprise_number = Some(number.clone());
        ctx.save(
            RecordKind::Commune,
            nis.as_str(),
            &commune,
            Some(l.version),
            None,
            public.clone(),
        )
        .await?;
        changed.push(json!({ "nis_code": nis.as_str(), "enterprise_number": number.digits() }));
    }
    if changed.is_empty() {
        ctx.tx.rollback().await?;
        return Ok(0);
    }
    let count = changed.len();
    ctx.audit(
        "commune.enterprise_numbers",
        Some(RecordKind::Commune),
        None,
        json!({ "communes": changed }),
    )
    .await?;
    ctx.tx.commit().await?;
    Ok(count)
}
