//! What a request authenticated with (an API token or a dashboard session, by hash), kept in
//! its extensions so a long-lived answer (the live stream) can check that it still holds:
//! revoking the token, logging out, changing the password or disabling the user ends it.

use crate::storage::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// SHA-256 of an API token.
    Token(String),
    /// SHA-256 of a dashboard session id.
    Session(String),
}

impl Credential {
    /// Whether the credential still stands for an active user. A database error counts as
    /// "still valid" (the next check decides), so a blip does not drop every stream.
    pub async fn still_valid<S: Store>(
        &self,
        store: &S,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let user = match self {
            Credential::Token(hash) => return store.token_active(hash).await.unwrap_or(true),
            Credential::Session(hash) => match store.session(hash, now).await {
                Ok(Some(session)) => store.user_by_id(session.user_id).await,
                Ok(None) => return false,
                Err(_) => return true,
            },
        };
        match user {
            Ok(user) => user.is_some_and(|u| !u.disabled),
            Err(_) => true,
        }
    }
}
