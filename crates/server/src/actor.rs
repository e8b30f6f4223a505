//! The authenticated caller and the permission checks every mutation starts with.

use centrale_domain::role::Role;
use centrale_domain::signatory::Gender;
use centrale_protocol::Me;
use centrale_server_db::{UserRow, Viewer};
use uuid::Uuid;

use centrale_domain::permission::{authorize, Act, Owner};

use crate::engine::Rejection;

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Account id (`system` for the server's own scheduled acts).
    pub user_id: String,
    /// Account name.
    pub username: String,
    /// Name shown in signatures and the audit log.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Commune of a commune account.
    pub commune_nis: Option<String>,
    /// Provider of a provider account.
    pub provider_id: Option<Uuid>,
    /// How the person is addressed (the gender of their title).
    pub gender: Gender,
    /// The account has turned its second factor on (issue 17 point 9).
    pub second_factor: bool,
}

impl Actor {
    /// Builds the actor of a stored account; `None` if the stored role is unknown.
    pub fn from_user(user: &UserRow) -> Option<Actor> {
        Some(Actor {
            user_id: user.id.clone(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: Role::parse(&user.role)?,
            commune_nis: user.commune_nis.clone(),
            provider_id: user
                .provider_id
                .as_deref()
                .and_then(|p| Uuid::parse_str(p).ok()),
            gender: Gender::parse(&user.gender).unwrap_or_default(),
            second_factor: user.second_factor_on_at.is_some(),
        })
    }

    /// The server itself (automatic opening of offers at the deadline).
    pub fn system() -> Actor {
        Actor::server_act("system", "Serveur de la centrale (ouverture automatique)")
    }

    /// The server acting for the centrale in an act no account does (the seed, a commune
    /// merger, the load of the enterprise numbers): `id` names it in the audit log,
    /// `display_name` in French.
    pub fn server_act(id: &str, display_name: &str) -> Actor {
        Actor {
            user_id: id.into(),
            username: id.into(),
            display_name: display_name.into(),
            role: Role::CentraleStaff,
            commune_nis: None,
            provider_id: None,
            gender: Gender::Unspecified,
            second_factor: false,
        }
    }

    /// What this actor may pull.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            centrale: self.role == Role::CentraleStaff,
            commune: if self.role.is_commune() {
                self.commune_nis.clone()
            } else {
                None
            },
            provider: if self.role == Role::ProviderUser {
                self.provider_id.map(|p| p.to_string())
            } else {
                None
            },
        }
    }

    /// The wire description.
    pub fn me(&self) -> Me {
        Me {
            user_id: self.user_id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            commune_nis: self.commune_nis.clone(),
            provider_id: self.provider_id,
            gender: self.gender,
            second_factor: self.second_factor,
        }
    }

    /// This account as the domain's permission matrix sees it.
    pub fn domain(&self) -> centrale_domain::permission::Actor {
        self.me().actor()
    }

    /// May this account do `act` on a record of `owner`? The domain's one matrix decides.
    pub fn authorize(&self, act: Act, owner: Owner<'_>) -> Result<(), Rejection> {
        authorize(&self.domain(), act, owner).map_err(Rejection::from)
    }
}
