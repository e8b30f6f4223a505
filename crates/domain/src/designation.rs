//! Who a call-off without reopening of competition goes to (issue 11 rule 5).
//!
//! Dir. 2014/24 art. 33(4)(a) and the law of 17 June 2016 art. 43 §4 1°: a framework with
//! several operators may be called off without reopening competition only under objective
//! conditions stated in the framework, which determine the operator who performs. Two such
//! conditions are offered ([`DesignationRule`]):
//!
//! - **cascade**: the first of the framework's ranking still able to perform (a suspended
//!   party is passed over, a replaced one is followed by its successor);
//! - **rotation**: the parties in turn, in the order of the ranking.
//!
//! **The rotation counts per commune, not per framework.** Each commune is its own contracting
//! authority placing its own call-offs under the centrale's framework (law of 17 June 2016
//! art. 47): its next designated provider is the one after the provider designated for *its*
//! previous direct call-off under this framework. Counted per framework, a commune's
//! designation would depend on what other communes ordered and in which order their awards
//! reached the intercommunale — which the commune cannot see (another commune's orders are not
//! its business, nor on its PC), so it could neither know in advance who it will award to nor
//! check the designation afterwards, and its PC could not decide it offline as the
//! intercommunale does. Per commune, the designation depends only on the commune's own
//! record: the same function decides it on the server and on the commune's PC. The price of
//! that choice: a commune making a single direct call-off goes to the first-ranked party, as
//! with a cascade; the rotation shares the call-offs of each commune, not of the whole
//! framework.
//!
//! The previous direct call-off is the commune's last order under this framework awarded
//! directly (every version: the rotation belongs to the framework, not to one version);
//! its provider's place in the ranking is followed through successions. A party that cannot
//! take a call-off now (suspended, replaced without successor in the ranking) is passed over
//! and the turn goes on from there.

use serde::Serialize;
use uuid::Uuid;

use crate::catalogue::{DesignationRule, FrameworkAgreement};
use crate::order::Order;
use crate::{DomainError, ErrorCode};

/// The provider designated for a commune's next direct call-off under a framework version,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Designation {
    /// The framework's rule.
    pub rule: DesignationRule,
    /// The provider designated.
    pub provider_id: Uuid,
    /// Its place in the framework's ranking (1 = best ranked).
    pub rank: u32,
    /// With a rotation: the commune's previous direct call-off under this framework (none:
    /// this is its first, which goes to the first of the ranking able to perform).
    pub previous: Option<PreviousCallOff>,
    /// Better-ranked (cascade) or earlier-in-turn (rotation) parties passed over because they
    /// cannot take a call-off now (suspended).
    pub passed_over: Vec<Uuid>,
}

/// A commune's previous direct call-off under a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviousCallOff {
    /// The order.
    pub order_id: Uuid,
    /// Its title.
    pub title: String,
    /// The provider it was awarded to (its successor, if it was replaced since).
    pub provider_id: Uuid,
    /// When it was awarded (server time).
    pub awarded_at: chrono::DateTime<chrono::Utc>,
}

/// The commune's last direct call-off under `framework` among `orders` (any commune's: only
/// `commune_nis`'s count).
pub fn previous_call_off(
    framework: &FrameworkAgreement,
    commune_nis: &str,
    orders: &[Order],
) -> Option<PreviousCallOff> {
    orders
        .iter()
        .filter(|o| o.framework_id == framework.id && o.commune_nis == commune_nis)
        .filter_map(|o| o.award.as_ref().filter(|a| a.direct).map(|a| (o, a)))
        .max_by_key(|(o, a)| (a.awarded_at, o.id))
        .map(|(o, a)| PreviousCallOff {
            order_id: o.id,
            title: o.title.clone(),
            provider_id: framework.successor_of(a.provider_id),
            awarded_at: a.awarded_at,
        })
}

/// The provider the framework's conditions designate for `commune_nis`'s next direct call-off
/// under version `pinned`, by the framework's rule (see the module's comment), from the
/// commune's direct call-offs among `orders`. Refused when the version states no direct
/// call-off conditions, or no party of the ranking can take a call-off now.
pub fn designate(
    framework: &FrameworkAgreement,
    pinned: u32,
    commune_nis: &str,
    orders: &[Order],
) -> Result<Designation, DomainError> {
    let rule = framework
        .pinned(pinned)?
        .direct_call_off
        .as_ref()
        .ok_or(DomainError::DirectCallOffConditionsMissing)?
        .rule;
    let ranking = framework.ranking(pinned)?;
    let callable = framework.callable_providers(pinned)?;
    let (start, previous) = match rule {
        DesignationRule::Cascade => (0, None),
        DesignationRule::Rotation => {
            let previous = previous_call_off(framework, commune_nis, orders);
            let after = previous
                .as_ref()
                .and_then(|p| ranking.iter().position(|id| *id == p.provider_id))
                .map_or(0, |i| i + 1);
            (after, previous)
        }
    };
    let n = ranking.len();
    let mut passed_over = Vec::new();
    for step in 0..n {
        let i = (start + step) % n;
        let id = ranking[i];
        if callable.contains(&id) {
            return Ok(Designation {
                rule,
                provider_id: id,
                rank: u32::try_from(i + 1).unwrap_or(u32::MAX),
                previous,
                passed_over,
            });
        }
        passed_over.push(id);
    }
    Err(DomainError::rule(ErrorCode::NoDesignatableProvider))
}

#[cfg(test)]
mod tests;
