//! Who is calling, and what they may do.
//!
//! Authentication (an API token sent as `Authorization: Bearer`, or a dashboard session)
//! resolves to a [`Principal`], which the authentication middleware puts in the request's
//! extensions. Handlers take `principal: Principal` as an extractor (401 when the request was
//! not authenticated), call [`Principal::require`] for the [`Action`] they perform (403 when
//! the role does not allow it) and keep to the principal's brand scope with
//! [`Principal::sees`] / [`Principal::scope`].

pub mod accounts;
pub mod bearer;
pub mod credential;
pub mod secrets;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use super::ApiError;
pub use credential::Credential;

/// A user's role. Each allows a fixed set of [`Action`]s (see [`Role::allows`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including users, tokens and erasure of personal data.
    Admin,
    /// Runs crises: reads everything in scope, acknowledges and resolves incidents, exports.
    Crisis,
    /// Community managers: read, work tickets, edit and merge customer profiles, export.
    Community,
    /// Helpdesk agents: read, work tickets.
    Agent,
    /// Read only.
    Viewer,
}

/// Something a request does that not every role may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read mentions, incidents, tickets, customers, feeds in scope.
    Read,
    /// Acknowledge or resolve an incident.
    HandleIncident,
    /// Change a ticket: status, assignment, reply.
    HandleTicket,
    /// Create customers, add identities.
    EditCustomer,
    /// Merge or unmerge customer profiles.
    MergeCustomer,
    /// Export data in bulk.
    Export,
    /// Erase a person's data (right to erasure).
    Erase,
    /// Manage users, roles and API tokens; read the audit log.
    Administer,
    /// Correct a mention's analysis (sentiment, category): `POST /api/mentions/{id}/feedback`.
    Correct,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Crisis,
        Role::Community,
        Role::Agent,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Crisis => "crisis",
            Role::Community => "community",
            Role::Agent => "agent",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The permission matrix, in one place.
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Crisis => matches!(action, Read | HandleIncident | Export | Correct),
            Role::Community => matches!(
                action,
                Read | HandleTicket | EditCustomer | MergeCustomer | Export | Correct
            ),
            Role::Agent => matches!(action, Read | HandleTicket | Correct),
            Role::Viewer => matches!(action, Read),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// Brands this user may see; `None` means every brand.
    pub brands: Option<Vec<String>>,
}

impl Principal {
    /// `Ok` when the role allows `action`, else a 403.
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if self.role.allows(action) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "role '{}' may not do this",
                self.role
            )))
        }
    }

    /// `Ok` for a user without brand limits; a 403 otherwise. Install-wide actions (erasure
    /// reaches a person's mentions of every brand; the audit log records every brand) need it.
    pub fn require_all_brands(&self) -> Result<(), ApiError> {
        match self.brands {
            None => Ok(()),
            Some(_) => Err(ApiError::Forbidden(
                "this needs a user without brand limits".into(),
            )),
        }
    }

    /// Whether `brand` is in this user's scope.
    pub fn sees(&self, brand: &str) -> bool {
        self.brands
            .as_ref()
            .is_none_or(|b| b.iter().any(|x| x == brand))
    }

    /// `Ok` when `brand` is in scope; a brand outside it answers 404, as if it did not exist.
    pub fn require_brand(&self, brand: &str) -> Result<(), ApiError> {
        if self.sees(brand) {
            Ok(())
        } else {
            Err(ApiError::NotFound("no such item".into()))
        }
    }

    /// The brand list to filter queries by (`None`: no restriction).
    pub fn scope(&self) -> Option<&[String]> {
        self.brands.as_deref()
    }

    /// An audit record of this principal doing `action` (e.g. `incident.ack`) to an item.
    pub fn audit_entry(
        &self,
        action: &str,
        target_kind: &str,
        target_id: impl ToString,
        detail: serde_json::Value,
        at: chrono::DateTime<chrono::Utc>,
    ) -> crate::storage::AuditEntry {
        crate::storage::AuditEntry {
            at,
            user_id: Some(self.user_id),
            actor: self.username.clone(),
            action: action.to_owned(),
            target_kind: target_kind.to_owned(),
            target_id: target_id.to_string(),
            detail,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, brands: Option<Vec<&str>>) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            role,
            brands: brands.map(|b| b.into_iter().map(str::to_owned).collect()),
        }
    }

    #[test]
    fn the_matrix_keeps_viewers_and_agents_in_their_lane() {
        assert!(user(Role::Viewer, None).require(Action::Read).is_ok());
        assert!(
            user(Role::Viewer, None)
                .require(Action::HandleIncident)
                .is_err()
        );
        assert!(
            user(Role::Agent, None)
                .require(Action::MergeCustomer)
                .is_err()
        );
        assert!(
            user(Role::Agent, None)
                .require(Action::HandleTicket)
                .is_ok()
        );
        assert!(
            user(Role::Crisis, None)
                .require(Action::HandleIncident)
                .is_ok()
        );
        assert!(user(Role::Community, None).require(Action::Erase).is_err());
        for action in [Action::Erase, Action::Administer, Action::MergeCustomer] {
            assert!(user(Role::Admin, None).require(action).is_ok());
        }
    }

    #[test]
    fn scope_limits_brands() {
        let p = user(Role::Viewer, Some(vec!["rapiplato"]));
        assert!(p.sees("rapiplato"));
        assert!(!p.sees("other"));
        assert!(user(Role::Viewer, None).sees("other"));
        assert_eq!(Role::parse("crisis"), Some(Role::Crisis));
        assert_eq!(Role::parse("root"), None);
    }
}
