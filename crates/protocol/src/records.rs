//! The kinds of records that sync carries. Each change's `record` is the JSON of the domain
//! type named here (e.g. `order` → `centrale_domain::order::Order`).

use serde::{Deserialize, Serialize};

/// A kind of synced record.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// `centrale_domain::commune::Commune`, id = NIS code.
    Commune,
    /// `centrale_domain::catalogue::Provider`.
    Provider,
    /// `centrale_domain::catalogue::Service`.
    Service,
    /// `centrale_domain::catalogue::FrameworkAgreement` (every version).
    Framework,
    /// `centrale_domain::adhesion::ConventionTemplate`.
    ConventionTemplate,
    /// `centrale_domain::adhesion::Adhesion`.
    Adhesion,
    /// `centrale_domain::order::Order`.
    Order,
    /// `centrale_domain::offer::Invitation`.
    Invitation,
    /// `centrale_domain::offer::Offer` (sealed until the deadline).
    Offer,
    /// `centrale_domain::deployment::Milestone`.
    Milestone,
    /// `centrale_domain::signatory::Substitution` (a commune's substitute signatory).
    Substitution,
    /// `centrale_domain::mail::MailPreferences`, id = the account (issue 14: how it is told).
    MailPreferences,
    /// `centrale_domain::standing::CommuneStanding`, id = NIS code: a commune's public
    /// standing (issue 15.9), written by the server only.
    CommuneStanding,
    /// `centrale_domain::accompaniment::AccompanimentPriceList`, id =
    /// `accompaniment::PRICE_LIST_ID` (issue 16 §2).
    AccompanimentPriceList,
    /// `centrale_domain::accompaniment::AccompanimentOrder` (issue 16 §2).
    AccompanimentOrder,
    /// `centrale_domain::survey::Survey` (issue 16 §3).
    Survey,
    /// `centrale_domain::survey::SurveyResponse`, id = `survey::response_key` (one per
    /// commune and survey).
    SurveyResponse,
    /// `centrale_domain::pool::PooledCallOff` (issue 16 §4).
    PooledCallOff,
}

impl RecordKind {
    /// Every kind.
    pub const ALL: [RecordKind; 18] = [
        RecordKind::Commune,
        RecordKind::Provider,
        RecordKind::Service,
        RecordKind::Framework,
        RecordKind::ConventionTemplate,
        RecordKind::Adhesion,
        RecordKind::Order,
        RecordKind::Invitation,
        RecordKind::Offer,
        RecordKind::Milestone,
        RecordKind::Substitution,
        RecordKind::MailPreferences,
        RecordKind::CommuneStanding,
        RecordKind::AccompanimentPriceList,
        RecordKind::AccompanimentOrder,
        RecordKind::Survey,
        RecordKind::SurveyResponse,
        RecordKind::PooledCallOff,
    ];

    /// Stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Commune => "commune",
            RecordKind::Provider => "provider",
            RecordKind::Service => "service",
            RecordKind::Framework => "framework",
            RecordKind::ConventionTemplate => "convention_template",
            RecordKind::Adhesion => "adhesion",
            RecordKind::Order => "order",
            RecordKind::Invitation => "invitation",
            RecordKind::Offer => "offer",
            RecordKind::Milestone => "milestone",
            RecordKind::Substitution => "substitution",
            RecordKind::MailPreferences => "mail_preferences",
            RecordKind::CommuneStanding => "commune_standing",
            RecordKind::AccompanimentPriceList => "accompaniment_price_list",
            RecordKind::AccompanimentOrder => "accompaniment_order",
            RecordKind::Survey => "survey",
            RecordKind::SurveyResponse => "survey_response",
            RecordKind::PooledCallOff => "pooled_call_off",
        }
    }

    /// Format version of this kind's stored JSON (the server's `records.format_version`).
    ///
    /// Bump it when the JSON of the kind's domain type changes shape in a way a reader of the
    /// previous format would misread (a field renamed, removed or given another meaning), and
    /// freeze the new shape in its golden file (`crates/server/tests/golden/`, see
    /// CONTRIBUTING.md). Adding a field with a default is not a new format.
    pub fn format_version(self) -> i64 {
        match self {
            RecordKind::Commune
            | RecordKind::Provider
            | RecordKind::Service
            | RecordKind::Framework
            | RecordKind::ConventionTemplate
            | RecordKind::Adhesion
            | RecordKind::Order
            | RecordKind::Invitation
            | RecordKind::Offer
            | RecordKind::Milestone
            | RecordKind::Substitution
            | RecordKind::MailPreferences
            | RecordKind::CommuneStanding
            | RecordKind::AccompanimentPriceList
            | RecordKind::AccompanimentOrder
            | RecordKind::Survey
            | RecordKind::SurveyResponse
            | RecordKind::PooledCallOff => 1,
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }
}
