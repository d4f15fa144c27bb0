//! Which database the tests run on. `VIGIA_TEST_BACKEND=postgres` (with `VIGIA_DATABASE_URL`
//! naming a server where the user may create databases) gives each test app a fresh database
//! `vigia_test_<pid>_<n>`, dropped when the test process exits; otherwise (the default) each
//! test app gets a SQLite file in its temporary directory.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// Databases this process created, dropped at exit.
static CREATED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static NEXT: AtomicU32 = AtomicU32::new(0);

/// Whether the tests run on PostgreSQL.
pub fn postgres() -> bool {
    std::env::var("VIGIA_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The server's URL (the same variable the application reads).
pub fn base_url() -> String {
    std::env::var("VIGIA_DATABASE_URL")
        .expect("VIGIA_TEST_BACKEND=postgres needs VIGIA_DATABASE_URL (e.g. postgres:///postgres?host=/tmp)")
}

/// The `[storage]` table body for a new test app whose files live in `dir`.
pub fn storage_section(dir: &Path) -> String {
    if !postgres() {
        return format!(
            "backend = \"sqlite\"\npath = \"{}\"",
            dir.join("vigia.db").display()
        );
    }
    let name = fresh_database();
    format!("backend = \"postgres\"\ndatabase = \"{name}\"\nmax_connections = 4")
}

/// Creates an empty database and returns its name.
pub fn fresh_database() -> String {
    let name = format!(
        "vigia_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut created = CREATED.lock().expect("database list");
    if created.is_empty() {
        // SAFETY: registers a plain `extern "C"` function with no captured state.
        unsafe { libc::atexit(drop_created) };
    }
    admin(format!("CREATE DATABASE \"{name}\""));
    created.push(name.clone());
    name
}

extern "C" fn drop_created() {
    let names = std::mem::take(&mut *CREATED.lock().unwrap_or_else(|p| p.into_inner()));
    for name in names {
        admin(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    }
}

/// Runs one statement on the server's maintenance connection, on a thread of its own so it
/// works from inside or outside a Tokio runtime.
fn admin(sql: String) {
    let url = base_url();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(&url)
                .await
                .expect("connect to VIGIA_DATABASE_URL");
            sqlx::raw_sql(&sql).execute(&mut conn).await.expect(&sql);
        });
    })
    .join()
    .expect("admin statement");
}

/// A migrated, empty store on the back end the tests run on (for the storage contract suite),
/// with the temporary directory that holds it when it is a SQLite file.
pub async fn store() -> (vigia::storage::AnyStore, tempfile::TempDir) {
    let (store, dir, _) = store_with_db().await;
    (store, dir)
}

/// [`store`] and its database opened on the side ([`Db`]), for tests that change rows behind
/// the store's back.
pub async fn store_with_db() -> (vigia::storage::AnyStore, tempfile::TempDir, Db) {
    use vigia::storage::Store;
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, db): (vigia::storage::AnyStore, Db) = if postgres() {
        let name = fresh_database();
        let store = vigia::storage::postgres::PgStore::connect(&base_url(), Some(&name), 4)
            .await
            .expect("connect to the test database");
        let options: sqlx::postgres::PgConnectOptions = base_url()
            .parse()
            .expect("VIGIA_DATABASE_URL is a postgres:// URL");
        (
            store.into(),
            Db::Postgres(Box::new(options.database(&name))),
        )
    } else {
        let path = dir.path().join("vigia.db");
        let store = vigia::storage::sqlite::SqliteStore::open(&path)
            .await
            .expect("open SQLite");
        (store.into(), Db::Sqlite(path))
    };
    store.migrate().await.expect("migrations");
    (store, dir, db)
}

/// A test app's database, opened on the side for tests that check what is (not) stored: the
/// same SQL is run on whichever back end the app uses.
pub enum Db {
    Sqlite(std::path::PathBuf),
    Postgres(Box<sqlx::postgres::PgConnectOptions>),
}

impl Db {
    /// The database a loaded config points at.
    pub fn of(storage: &vigia::config::StorageConfig) -> Db {
        use vigia::config::StorageConfig;
        match storage {
            StorageConfig::Sqlite { path } => Db::Sqlite(path.clone()),
            StorageConfig::Postgres { database, .. } => {
                let url = base_url();
                let mut options: sqlx::postgres::PgConnectOptions = url
                    .parse()
                    .expect("VIGIA_DATABASE_URL is a postgres:// URL");
                if let Some(name) = database {
                    options = options.database(name);
                }
                Db::Postgres(Box::new(options))
            }
        }
    }

    /// One integer: `sql` must select a single `BIGINT`-compatible value (wrap `SUM` in
    /// `CAST(... AS BIGINT)`: on PostgreSQL it is `numeric`).
    pub async fn scalar(&self, sql: &str) -> i64 {
        match self {
            Db::Sqlite(path) => {
                let mut conn = sqlite(path).await;
                sqlx::query_scalar(sql).fetch_one(&mut conn).await
            }
            Db::Postgres(options) => {
                let mut conn = sqlx::PgConnection::connect_with(options.as_ref())
                    .await
                    .unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await
            }
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs one statement that returns no rows (a test's change behind the app's back);
    /// returns the rows it changed.
    #[allow(dead_code)]
    pub async fn execute(&self, sql: &str) -> u64 {
        match self {
            Db::Sqlite(path) => {
                let mut conn = sqlite(path).await;
                sqlx::query(sql)
                    .execute(&mut conn)
                    .await
                    .map(|r| r.rows_affected())
            }
            Db::Postgres(options) => {
                let mut conn = sqlx::PgConnection::connect_with(options.as_ref())
                    .await
                    .unwrap();
                sqlx::query(sql)
                    .execute(&mut conn)
                    .await
                    .map(|r| r.rows_affected())
            }
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The text values of one column.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        match self {
            Db::Sqlite(path) => {
                let mut conn = sqlite(path).await;
                sqlx::query_scalar(sql).fetch_all(&mut conn).await
            }
            Db::Postgres(options) => {
                let mut conn = sqlx::PgConnection::connect_with(options.as_ref())
                    .await
                    .unwrap();
                sqlx::query_scalar(sql).fetch_all(&mut conn).await
            }
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Everything the database holds, as bytes to search for secrets: the SQLite file and its
    /// write-ahead log (free pages included), or every row of every PostgreSQL table as text.
    pub async fn contents(&self) -> Vec<Vec<u8>> {
        match self {
            Db::Sqlite(path) => {
                let mut wal = path.clone().into_os_string();
                wal.push("-wal");
                let db = std::fs::read(path).expect("the database file");
                vec![db, std::fs::read(wal).unwrap_or_default()]
            }
            Db::Postgres(_) => {
                let tables = self
                    .strings("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
                    .await;
                let mut out = Vec::new();
                for table in tables {
                    let sql = format!("SELECT t::text FROM \"{table}\" t");
                    out.push(self.strings(&sql).await.join("\n").into_bytes());
                }
                out
            }
        }
    }
}

async fn sqlite(path: &Path) -> sqlx::SqliteConnection {
    let url = format!("sqlite://{}", path.display());
    sqlx::SqliteConnection::connect(&url)
        .await
        .expect("open the SQLite file")
}
