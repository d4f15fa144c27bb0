//! PostgreSQL implementation of the [`Store`](super::Store), for several `vigia serve`
//! instances sharing one database. Migrations from `migrations/postgres/` are embedded in the
//! binary; `sqlx migrate` takes an advisory lock, so instances starting together apply them once.
//!
//! The schema mirrors SQLite's (timestamps as BIGINT milliseconds, UTC), so the queries differ
//! only in dialect: `$n` placeholders, `ON CONFLICT DO NOTHING`, `GREATEST`/`LEAST`, JSON arrays
//! unpacked with `jsonb_array_elements_text`. Row records are shared with the SQLite back end.

mod auth;
mod crisis;
mod crisis_state;
mod customers;
mod dashboard;
mod helpdesk;
mod merges;
mod page;
#[cfg(test)]
mod plans;
mod privacy;
mod quota;
mod reads;
mod store;
pub mod synth;
mod ticket_work;
mod tombstones;
mod tx;

// Modules whose SQL is the same on both back ends: one source file in `storage/shared/`,
// compiled once per back end against the names below (so each file is loaded as a module twice,
// on purpose: hence `clippy::duplicate_mod` is allowed on these items only).
#[allow(clippy::duplicate_mod)]
#[path = "../shared/active_incidents.rs"]
mod active_incidents;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/contacts.rs"]
mod contacts;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/crisis_epoch.rs"]
mod crisis_epoch;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/crisis_reads.rs"]
mod crisis_reads;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/feedback.rs"]
mod feedback;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/helpdesk_store.rs"]
mod helpdesk_store;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/id_list.rs"]
mod id_list;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/links.rs"]
mod links;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/new_records.rs"]
mod new_records;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/ticket_batch.rs"]
mod ticket_batch;
#[allow(clippy::duplicate_mod)]
#[path = "../shared/war_room.rs"]
mod war_room;

/// This back end's store, as the shared modules name it.
type This = PgStore;
/// This back end's connection, as the shared modules name it.
type Conn = sqlx::PgConnection;
/// This back end's sqlx database, as the shared modules name it.
type Db = sqlx::Postgres;
/// Whether this back end is PostgreSQL, for the shared modules' few differences in SQL.
const POSTGRES: bool = true;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

use super::sqlite::records;
pub(crate) use super::sqlite::{db_err, from_ms, ms, opt_from_ms};
use super::{StoreError, StoreResult};
pub use tx::PgTx;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The environment variable holding the connection URL (never the config file).
pub const DATABASE_URL_VAR: &str = "VIGIA_DATABASE_URL";

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host/db`). Errors name the variable the
    /// URL came from and never repeat the URL itself, which may hold a password.
    /// `database`, when given, replaces the database name of the URL.
    pub async fn connect(
        url: &str,
        database: Option<&str>,
        max_connections: u32,
    ) -> StoreResult<PgStore> {
        let mut options = PgConnectOptions::from_str(url).map_err(|_| {
            StoreError::Database(format!("{DATABASE_URL_VAR} is not a valid postgres:// URL"))
        })?;
        if let Some(name) = database {
            options = options.database(name);
        }
        // No JIT compilation: the store's statements are short, and a page's batched lookups
        // can look expensive enough to the planner (while its statistics lag behind a fast-
        // growing table) that PostgreSQL compiled and optimized each one, 150 ms a statement
        // where running it took a few (auto_explain during `vigia bench ingest`).
        options = options.options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| {
                StoreError::Database(format!(
                    "cannot connect to the database named by {DATABASE_URL_VAR}: {}",
                    redact(&e.to_string(), url)
                ))
            })?;
        Ok(PgStore { pool })
    }

    /// Connects with the URL from the environment variable [`DATABASE_URL_VAR`].
    pub async fn connect_from_env(
        database: Option<&str>,
        max_connections: u32,
    ) -> StoreResult<PgStore> {
        let url = std::env::var(DATABASE_URL_VAR).map_err(|_| {
            StoreError::Database(format!(
                "[storage] backend = \"postgres\" reads the connection URL from the environment \
                 variable {DATABASE_URL_VAR}, which is not set"
            ))
        })?;
        PgStore::connect(&url, database, max_connections).await
    }

    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The pool writes go through: the same pool (PostgreSQL takes concurrent writers).
    pub(crate) fn writer(&self) -> &PgPool {
        &self.pool
    }

    pub(crate) async fn run_migrations(&self) -> StoreResult<()> {
        MIGRATOR
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))
    }
}

/// `message` with any password of `url` blanked out, in case a driver error quotes it.
fn redact(message: &str, url: &str) -> String {
    match password(url) {
        Some(p) if !p.is_empty() => message.replace(p, "***"),
        _ => message.to_owned(),
    }
}

/// The password part of `scheme://user:password@host/...`, if any.
fn password(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    userinfo.split_once(':').map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_is_blanked_out_of_messages() {
        let url = "postgres://vigia:s3cr%40t@db.internal:5432/vigia";
        assert_eq!(password(url), Some("s3cr%40t"));
        let msg = redact("auth failed for postgres://vigia:s3cr%40t@db.internal", url);
        assert!(!msg.contains("s3cr"), "{msg}");
        assert_eq!(password("postgres://localhost/vigia"), None);
        assert_eq!(password("postgres:///vigia?host=/tmp"), None);
    }

    #[tokio::test]
    async fn bad_url_error_names_the_variable_not_the_url() {
        let err = PgStore::connect("postgres://u:hunter2@[bad", None, 1)
            .await
            .err()
            .expect("invalid URL");
        let text = err.to_string();
        assert!(text.contains(DATABASE_URL_VAR), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }

    #[tokio::test]
    async fn refused_connection_error_hides_the_password() {
        // Port 1 on localhost: nothing listens, the connection is refused at once.
        let err = PgStore::connect("postgres://u:hunter2@127.0.0.1:1/vigia", None, 1)
            .await
            .err()
            .expect("nothing listens on port 1");
        let text = err.to_string();
        assert!(text.contains(DATABASE_URL_VAR), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
    }
}
