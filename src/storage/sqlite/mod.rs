//! SQLite implementation of the [`Store`]: one file, WAL mode, migrations from
//! `migrations/sqlite/` embedded in the binary.

mod auth;
mod crisis;
mod crisis_state;
mod customers;
mod dashboard;
mod helpdesk;
mod merges;
#[cfg(test)]
mod migrations_test;
mod page;
#[cfg(test)]
mod plans;
#[cfg(test)]
mod pools_test;
mod privacy;
mod quota;
mod reads;
pub(in crate::storage) mod records;
mod store;
pub mod synth;
mod ticket_work;
pub(in crate::storage) mod tombstones;
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
type This = SqliteStore;
/// This back end's connection, as the shared modules name it.
type Conn = sqlx::SqliteConnection;
/// This back end's sqlx database, as the shared modules name it.
type Db = sqlx::Sqlite;
/// Whether this back end is PostgreSQL, for the shared modules' few differences in SQL.
const POSTGRES: bool = false;

use chrono::{DateTime, TimeZone, Utc};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use super::{StoreError, StoreResult};
pub use tx::SqliteTx;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database file, with its parent directory.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Database(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(db_err)?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Ingest writes a page per transaction touching many index pages: statement
            // journals in memory, and a checkpoint every 64 MB of WAL rather than every 4 MB
            // (a page rewritten by many transactions is copied into the database once per
            // checkpoint). Measured by `vigia bench ingest` (README, "Ingest throughput").
            .pragma("temp_store", "memory")
            .pragma("wal_autocheckpoint", "16384")
            .pragma("journal_size_limit", "67108864");
        // Every write goes through one connection, in the order asked: SQLite takes one
        // writer at a time anyway, and a writer that found the lock taken slept in the busy
        // handler (1 to 100 ms a try) while the lock came free. That connection's page cache
        // also stays warm: a commit by another connection discards every other connection's
        // whole cache, so with writes spread over the pool each page began cold. The writer
        // opens first, creating the file in WAL mode, so the readers can open it read-only.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone().pragma("cache_size", "-65536"))
            .await
            .map_err(db_err)?;
        // Reads run beside the writer on a pool of their own. In debug builds (the tests) that
        // pool is read-only, so a write sent to it by mistake fails a test; release builds
        // keep it writable, where such a write would still work, waiting on the lock.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(cfg!(debug_assertions)))
            .await
            .map_err(db_err)?;
        Ok(SqliteStore { pool, writer })
    }

    /// The pool reads go through.
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The single connection every write goes through.
    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// Applies the pending migrations on one connection with foreign-key enforcement off, as
    /// SQLite's procedure for rebuilding a table requires (a `DROP TABLE` would otherwise
    /// cascade to the rows that reference it; the pragma cannot change inside the transaction
    /// sqlx wraps each migration in). `PRAGMA foreign_key_check` then proves nothing dangles,
    /// and the connection gets enforcement back (or is closed, never pooled without it).
    pub(crate) async fn run_migrations(&self) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await.map_err(db_err)?;
        let pragma = |on: bool| format!("PRAGMA foreign_keys = {}", if on { "ON" } else { "OFF" });
        sqlx::query(&pragma(false))
            .execute(&mut *conn)
            .await
            .map_err(db_err)?;
        let ran = MIGRATOR
            .run_direct(&mut *conn)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()));
        let dangling: Result<Vec<(String, i64)>, _> =
            sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check")
                .fetch_all(&mut *conn)
                .await;
        let restored = sqlx::query(&pragma(true)).execute(&mut *conn).await;
        if restored.is_err() {
            conn.detach();
        }
        ran?;
        let dangling = dangling.map_err(db_err)?;
        if let Some((table, row)) = dangling.first() {
            return Err(StoreError::Migration(format!(
                "{} rows reference missing rows after migrating (first: {table} row {row})",
                dangling.len()
            )));
        }
        restored.map_err(db_err)?;
        Ok(())
    }
}

/// The one place where `sqlx::Error` becomes a [`StoreError`].
pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound("row".into()),
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(d.message().to_owned())
        }
        other => StoreError::Database(other.to_string()),
    }
}

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

pub(crate) fn opt_from_ms(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.map(from_ms)
}
