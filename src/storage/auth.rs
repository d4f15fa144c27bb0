//! Accounts, API tokens and the audit log, as the application sees them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Listing, PageRequest, StoreResult};

/// A stored account (never its password hash outside the login check).
#[derive(Debug, Clone, Serialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    /// Brands in scope; `None`: all.
    pub brands: Option<Vec<String>>,
    pub lang: String,
    pub created_at: DateTime<Utc>,
    pub disabled: bool,
}

/// What a login attempt needs: the account and its password state.
#[derive(Debug, Clone)]
pub struct LoginRow {
    pub user: UserRow,
    pub password_hash: Option<String>,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: &'a str,
    pub brands: Option<&'a [String]>,
    pub lang: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// One audit record: `actor` did `action` (e.g. `incident.ack`) to `target_kind`/`target_id`.
#[derive(utoipa::ToSchema, Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    /// Free-form JSON with what changed.
    pub detail: serde_json::Value,
}

#[async_trait]
pub trait AuthStore: Send + Sync {
    async fn count_users(&self) -> StoreResult<i64>;
    /// Creates an account; a taken username is `StoreError::Conflict`.
    async fn create_user(&self, user: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64>;
    async fn user_by_name(&self, username: &str) -> StoreResult<Option<LoginRow>>;
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRow>>;
    async fn list_users(&self) -> StoreResult<Vec<UserRow>>;
    async fn set_password(&self, user_id: i64, password_hash: &str) -> StoreResult<()>;
    async fn set_user_lang(&self, user_id: i64, lang: &str) -> StoreResult<()>;
    /// Disables (`Some(at)`) or enables (`None`) an account. Disabling ends its sessions; its
    /// tokens stop working while it stays disabled.
    async fn set_user_disabled(&self, user_id: i64, at: Option<DateTime<Utc>>) -> StoreResult<()>;
    /// Counts a login attempt before its password is checked, atomically: `None` when the
    /// account is locked (at `now`), else the attempts since the last success. The attempt
    /// that reaches `max_failures` locks the account until `lock_until`; a success
    /// ([`Self::login_succeeded`]) clears both. So parallel guesses cannot all be checked.
    async fn login_attempt(
        &self,
        user_id: i64,
        max_failures: i64,
        lock_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>>;
    async fn login_succeeded(&self, user_id: i64) -> StoreResult<()>;

    /// Stores a token by its hash.
    async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64>;
    /// The active (not revoked, user not disabled) token with this hash, and marks it used.
    async fn use_token(&self, token_hash: &str, now: DateTime<Utc>)
    -> StoreResult<Option<UserRow>>;
    /// Whether the token is unrevoked and its user enabled (read only, unlike `use_token`).
    async fn token_active(&self, token_hash: &str) -> StoreResult<bool>;
    async fn list_tokens(&self, user_id: Option<i64>) -> StoreResult<Vec<TokenRow>>;
    async fn revoke_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool>;

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()>;
    /// Newest first; filter by target when given.
    async fn audit_log(
        &self,
        target: Option<(&str, &str)>,
        page: &PageRequest,
    ) -> StoreResult<Listing<AuditEntry>>;
}
