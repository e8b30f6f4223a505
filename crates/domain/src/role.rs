//! Who is acting: the roles of accounts, and what each may see.

use serde::{Deserialize, Serialize};

/// The role of an account. A commune account belongs to one commune; a provider account to one
/// provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Commune director general (directeur général): co-signs, orders, awards.
    DirectorGeneral,
    /// Commune mayor (bourgmestre): co-signs, awards.
    Mayor,
    /// Commune staff (agent): prepares orders and evaluations.
    CommuneStaff,
    /// Staff of the intercommunale's central purchasing body.
    CentraleStaff,
    /// A provider's user.
    ProviderUser,
}

impl Role {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::DirectorGeneral => "director_general",
            Role::Mayor => "mayor",
            Role::CommuneStaff => "commune_staff",
            Role::CentraleStaff => "centrale_staff",
            Role::ProviderUser => "provider_user",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::CentraleStaff,
            Role::ProviderUser,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// True for the three commune roles.
    pub fn is_commune(self) -> bool {
        matches!(
            self,
            Role::DirectorGeneral | Role::Mayor | Role::CommuneStaff
        )
    }

    /// French label.
    pub fn label_fr(self) -> &'static str {
        match self {
            Role::DirectorGeneral => "directeur général",
            Role::Mayor => "bourgmestre",
            Role::CommuneStaff => "agent communal",
            Role::CentraleStaff => "centrale d'achat",
            Role::ProviderUser => "prestataire",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in [
            Role::DirectorGeneral,
            Role::Mayor,
            Role::CommuneStaff,
            Role::CentraleStaff,
            Role::ProviderUser,
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
        assert!(Role::Mayor.is_commune());
        assert!(!Role::CentraleStaff.is_commune());
    }
}
