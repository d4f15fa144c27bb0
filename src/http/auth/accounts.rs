//! Creating accounts and tokens (CLI and first start).

use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Role;
use super::secrets::{PasswordError, hash_password, new_password, new_token};
use crate::storage::{AuthStore, NewUser, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("no user named '{0}'")]
    NoSuchUser(String),
    #[error("username must be 1-64 characters of letters, digits, '.', '-', '_' or '@'")]
    BadUsername,
    #[error("cannot write the admin token to {path}: {error}")]
    TokenFile {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// What `vigia users add` asks for.
pub struct UserSpec<'a> {
    pub username: &'a str,
    pub role: Role,
    pub brands: Option<Vec<String>>,
    pub lang: &'a str,
    pub password: Option<&'a str>,
}

pub async fn add_user<S: AuthStore>(
    store: &S,
    spec: &UserSpec<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AccountError> {
    let valid = (1..=64).contains(&spec.username.len())
        && spec
            .username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if !valid {
        return Err(AccountError::BadUsername);
    }
    let hash = spec.password.map(hash_password).transpose()?;
    let user = NewUser {
        username: spec.username,
        password_hash: hash.as_deref(),
        role: spec.role.as_str(),
        brands: spec.brands.as_deref(),
        lang: spec.lang,
    };
    Ok(store.create_user(&user, now).await?)
}

/// Creates a token for `username`; returns the token, which is never stored or shown again.
pub async fn create_token<S: AuthStore>(
    store: &S,
    username: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let user = store
        .user_by_name(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchUser(username.to_owned()))?;
    let (token, hash, prefix) = new_token();
    store
        .create_token(user.user.id, name, &hash, &prefix, now)
        .await?;
    Ok(token)
}

/// On a database without accounts: creates the `admin` account with a random dashboard
/// password, written to `admin-password` beside `token_file` (change it with
/// `vigia users passwd admin`), and an admin API token written to `token_file`; both files
/// have mode 0600. Returns the token file's path when it did so.
pub async fn bootstrap_admin<S: AuthStore>(
    store: &S,
    token_file: &Path,
    now: DateTime<Utc>,
) -> Result<Option<PathBuf>, AccountError> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let password = new_password();
    let spec = UserSpec {
        username: "admin",
        role: Role::Admin,
        brands: None,
        lang: "es",
        password: Some(&password),
    };
    add_user(store, &spec, now).await?;
    let token = create_token(store, "admin", "first-start admin token", now).await?;
    let password_file = token_file.with_file_name("admin-password");
    for (path, secret) in [(token_file, &token), (password_file.as_path(), &password)] {
        write_secret(path, secret).map_err(|error| AccountError::TokenFile {
            path: path.to_path_buf(),
            error,
        })?;
    }
    Ok(Some(token_file.to_path_buf()))
}

/// Writes `secret` to a file only its owner can read.
fn write_secret(path: &Path, secret: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    writeln!(file, "{secret}")
}
