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
    use vigia::storage::Store;
    let dir = tempfile::tempdir().expect("tempdir");
    let store: vigia::storage::AnyStore = if postgres() {
        let name = fresh_database();
        vigia::storage::postgres::PgStore::connect(&base_url(), Some(&name), 4)
            .await
            .expect("connect to the test database")
            .into()
    } else {
        vigia::storage::sqlite::SqliteStore::open(&dir.path().join("vigia.db"))
            .await
            .expect("open SQLite")
            .into()
    };
    store.migrate().await.expect("migrations");
    (store, dir)
}
