//! The back end chosen at start (`[storage] backend`): SQLite or PostgreSQL behind one type,
//! so the application is built once and dispatches each call with a `match` (no boxing, no
//! generic parameter on `App`).

mod store;
mod subtraits;
mod tx;

use super::postgres::{PgStore, PgTx};
use super::sqlite::{SqliteStore, SqliteTx};

#[derive(Clone)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// A unit of work on the chosen back end.
pub enum AnyTx {
    Sqlite(SqliteTx),
    Postgres(PgTx),
}

impl AnyStore {
    /// The back end's name as written in `[storage] backend`.
    pub fn backend(&self) -> &'static str {
        match self {
            AnyStore::Sqlite(_) => "sqlite",
            AnyStore::Postgres(_) => "postgres",
        }
    }
}

impl From<SqliteStore> for AnyStore {
    fn from(s: SqliteStore) -> Self {
        AnyStore::Sqlite(s)
    }
}

impl From<PgStore> for AnyStore {
    fn from(s: PgStore) -> Self {
        AnyStore::Postgres(s)
    }
}

/// Runs `$call` (which names the inner store or transaction `$s`) on whichever back end `$v` holds.
macro_rules! dispatch {
    ($ty:ident, $v:expr, $s:ident => $call:expr) => {
        match $v {
            $ty::Sqlite($s) => $call.await,
            $ty::Postgres($s) => $call.await,
        }
    };
}
pub(crate) use dispatch;
