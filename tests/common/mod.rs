//! The one test harness: starts the real application (the same `App` that `vigia serve` runs)
//! on a temporary database (a SQLite file, or a fresh PostgreSQL database when
//! `VIGIA_TEST_BACKEND=postgres`: see [`backend`]), a temporary mail outbox and a random port,
//! and gives typed helpers to drive it. Feeds are scheduled far in the future so tests poll them explicitly
//! and deterministically.

#![allow(dead_code)]

pub mod backend;
pub mod fixtures;
pub mod process;
pub mod session;
pub mod smtp;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;
use tempfile::TempDir;
use tokio_util::sync::CancellationToken;
use vigia::app::App;
use vigia::clock::ManualClock;
use vigia::ingest::IngestReport;
use vigia::sources::{FixedSecrets, Secrets};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn demo_mentions() -> PathBuf {
    repo().join("examples/demo/mentions.jsonl")
}

pub fn demo_customers() -> PathBuf {
    repo().join("examples/demo/customers.csv")
}

/// A config for a test: everything in `dir`, rules and templates from the repository.
pub fn write_config(dir: &Path, feed_path: &Path, extra: &str) -> PathBuf {
    write_config_with_speed(dir, feed_path, 1e12, extra)
}

/// Like [`write_config`], with the replay running `speed` simulated seconds per second.
pub fn write_config_with_speed(dir: &Path, feed_path: &Path, speed: f64, extra: &str) -> PathBuf {
    let mail = format!("kind = \"file\"\ndir = \"{}\"", dir.join("mail").display());
    write_config_full(dir, feed_path, speed, &mail, extra)
}

/// A config with `mail_transport` as the body of `[mail.transport]`.
pub fn write_config_full(
    dir: &Path,
    feed_path: &Path,
    speed: f64,
    mail_transport: &str,
    extra: &str,
) -> PathBuf {
    let repo = repo();
    let text = format!(
        r#"
[http]
listen = "127.0.0.1:0"
public_url = "https://vigia.example"

[storage]
{storage}

[paths]
keywords = "{repo}/keywords"
alerts = "{repo}/alerts"

[mail]
from = "Vigía <alertas@vigia.localhost>"
[mail.transport]
{mail_transport}

[[brands]]
name = "rapiplato"
display_name = "Rapiplato"
lang = "es"

[[recipients]]
email = "crisis@rapiplato.example"
brands = ["rapiplato"]

[[recipients]]
email = "community@rapiplato.example"
lang = "en"

[[feeds]]
kind = "replay"
name = "demo"
brand = "rapiplato"
schedule = "0 0 0 1 1 * 2099"
path = "{feed}"
speed = {speed:?}
start = "first"
{extra}
"#,
        storage = backend::storage_section(dir),
        repo = repo.display(),
        feed = feed_path.display(),
    );
    let path = dir.join("vigia.toml");
    std::fs::write(&path, text).expect("write test config");
    path
}

pub struct TestApp {
    pub app: Arc<App>,
    pub base: String,
    /// The first-start admin's API token (from `var/admin-token`).
    pub token: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
    /// The app's database, for tests that look at what is stored.
    pub db: backend::Db,
    /// The app's clock: it only moves when a test moves it.
    pub clock: Arc<ManualClock>,
    /// The feeds' and webhooks' credentials (never the process environment).
    secrets: Arc<dyn Secrets>,
    cancel: CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    pub async fn start() -> TestApp {
        Self::start_with_feed(&demo_mentions()).await
    }

    pub async fn start_with_feed(feed: &Path) -> TestApp {
        Self::start_with_speed(feed, 1e12).await
    }

    pub async fn start_with_speed(feed: &Path, speed: f64) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config_with_speed(dir.path(), feed, speed, "");
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::launch(dir, clock).await
    }

    /// The demo feed, with alerts sent by SMTP (no TLS) to `127.0.0.1:port`. The app is built
    /// but not served: no background worker competes with the test for the outbox, so the test
    /// alone decides when delivery runs.
    pub async fn start_with_smtp(port: u16) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        let mail = format!(
            "kind = \"smtp\"\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\ntimeout_secs = 5"
        );
        write_config_full(dir.path(), &demo_mentions(), 1e12, &mail, "");
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::launch_with(dir, clock, false).await
    }

    /// The demo feed plus `extra` config (e.g. more `[[feeds]]`), built but not served: the
    /// test runs feeds itself (`app.run_feed`, `app.poll_once`).
    pub async fn start_with_extra(extra: &str) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config(dir.path(), &demo_mentions(), extra);
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::launch_with(dir, clock, false).await
    }

    /// Like [`Self::start_with_extra`], but served on a random port (HTTP API and webhooks).
    pub async fn start_served_with_extra(extra: &str) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config(dir.path(), &demo_mentions(), extra);
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::launch(dir, clock).await
    }

    /// `feed` as the demo feed plus `extra` config, on a clock set to `at`; served or only
    /// built (then the test alone runs polls, SLA checks and the outbox).
    pub async fn start_with_feed_extra(
        feed: &Path,
        extra: &str,
        at: chrono::DateTime<chrono::Utc>,
        serve: bool,
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config(dir.path(), feed, extra);
        let clock = Arc::new(ManualClock::new(at));
        Self::launch_with(dir, clock, serve).await
    }

    /// Like [`Self::start_with_feed_extra`], with these secrets (API tokens, signing keys).
    pub async fn start_with_feed_extra_secrets(
        feed: &Path,
        extra: &str,
        at: chrono::DateTime<chrono::Utc>,
        serve: bool,
        secrets: &[(&str, &str)],
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config(dir.path(), feed, extra);
        let clock = Arc::new(ManualClock::new(at));
        let secrets = Arc::new(FixedSecrets::new(secrets.iter().copied()));
        Self::launch_full(dir, clock, serve, secrets).await
    }

    /// The demo feed plus `extra` config, with these secrets for its feeds and webhooks;
    /// served on a random port when `serve`.
    pub async fn start_with_secrets(extra: &str, secrets: &[(&str, &str)], serve: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("tempdir");
        write_config(dir.path(), &demo_mentions(), extra);
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let secrets = Arc::new(FixedSecrets::new(secrets.iter().copied()));
        Self::launch_full(dir, clock, serve, secrets).await
    }

    /// Stops the app and starts a new one on the same database, config, clock and secrets.
    pub async fn restart(self) -> TestApp {
        let (dir, clock, secrets) = (self.dir, self.clock, self.secrets);
        self.cancel.cancel();
        self.server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
        drop(self.app);
        Self::launch_full(dir, clock, true, secrets).await
    }

    /// Serves the config already written in `dir` (e.g. by [`write_config`] with extra keys).
    pub async fn start_in(dir: TempDir) -> TestApp {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::launch(dir, clock).await
    }

    async fn launch(dir: TempDir, clock: Arc<ManualClock>) -> TestApp {
        Self::launch_with(dir, clock, true).await
    }

    async fn launch_with(dir: TempDir, clock: Arc<ManualClock>, serve: bool) -> TestApp {
        Self::launch_full(dir, clock, serve, Arc::new(FixedSecrets::default())).await
    }

    async fn launch_full(
        dir: TempDir,
        clock: Arc<ManualClock>,
        serve: bool,
        secrets: Arc<dyn Secrets>,
    ) -> TestApp {
        let config =
            vigia::config::load(&dir.path().join("vigia.toml")).expect("test config loads");
        let db = backend::Db::of(&config.storage);
        let app = App::build_with_secrets(config, clock.clone(), secrets.clone());
        let app = Arc::new(app.await.expect("app builds"));
        app.bootstrap_admin().await.expect("first-start admin");
        let token = std::fs::read_to_string(dir.path().join("var/admin-token"))
            .expect("admin token written on first start")
            .trim()
            .to_owned();
        let cancel = CancellationToken::new();
        if !serve {
            let server = tokio::spawn(async { Ok(()) });
            let client = reqwest::Client::new();
            let base = String::new();
            return TestApp {
                app,
                base,
                token,
                client,
                dir,
                db,
                clock,
                secrets,
                cancel,
                server,
            };
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let server = tokio::spawn({
            let (app, cancel) = (app.clone(), cancel.clone());
            async move { app.serve(listener, cancel).await }
        });
        TestApp {
            app,
            base,
            token,
            client: reqwest::Client::new(),
            dir,
            db,
            clock,
            secrets,
            cancel,
            server,
        }
    }

    /// Replays the whole feed file: the first poll starts the replay clock, then one simulated
    /// second later (the test feed runs at 10^12× speed) every mention is due.
    pub async fn replay_all(&self, feed: &str) -> IngestReport {
        let mut report = self.app.poll_once(feed).await.expect("first poll");
        self.clock.advance(chrono::Duration::seconds(1));
        report.add(self.app.poll_once(feed).await.expect("second poll"));
        report
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    /// `.eml` files written by the file transport, sorted by name.
    pub fn emails(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.mail_dir())
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
    }

    pub async fn import_customers(&self, csv: &Path) -> vigia::helpdesk::import::ImportReport {
        let file = std::fs::File::open(csv).expect("open csv");
        vigia::helpdesk::import::import_csv(self.app.store(), file, chrono::Utc::now())
            .await
            .expect("import")
    }

    /// GET a path as the first-start admin, returning status and JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.get_as(&self.token, path).await
    }

    /// GET a path with `token` as the Bearer token.
    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        self.send(reqwest::Method::GET, token, path, None).await
    }

    /// POST a JSON body as the first-start admin.
    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, &self.token, path, Some(body))
            .await
    }

    /// Any request with `token` as the Bearer token (empty: none); JSON body in and out
    /// (`null` when the answer has no JSON body).
    pub async fn send(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        (status, body)
    }

    /// Creates a user with `role` (and brand scope) and returns an API token for it.
    pub async fn token_for(&self, username: &str, role: &str, brands: Option<&[&str]>) -> String {
        use vigia::http::auth::{Role, accounts};
        let spec = accounts::UserSpec {
            username,
            role: Role::parse(role).expect("known role"),
            brands: brands.map(|b| b.iter().map(|s| s.to_string()).collect()),
            lang: "es",
            password: None,
        };
        let now = self.clock_now();
        accounts::add_user(self.app.store(), &spec, now)
            .await
            .expect("user added");
        accounts::create_token(self.app.store(), username, "test", now)
            .await
            .expect("token created")
    }

    /// Creates a user who logs in to the dashboard with `password`.
    pub async fn user_with_password(
        &self,
        username: &str,
        role: &str,
        brands: Option<&[&str]>,
        password: &str,
    ) {
        use vigia::http::auth::{Role, accounts};
        let spec = accounts::UserSpec {
            username,
            role: Role::parse(role).expect("known role"),
            brands: brands.map(|b| b.iter().map(|s| s.to_string()).collect()),
            lang: "es",
            password: Some(password),
        };
        accounts::add_user(self.app.store(), &spec, self.clock_now())
            .await
            .expect("user added");
    }

    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use vigia::clock::Clock;
        self.clock.now()
    }

    /// GET a path that must answer 200, returning the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path} answered {status}: {body}");
        body
    }

    pub async fn total(&self, path: &str) -> i64 {
        self.get_ok(path).await["total"].as_i64().expect("total")
    }

    pub async fn stop(self) {
        self.cancel.cancel();
        self.server
            .await
            .expect("server task")
            .expect("server stopped cleanly");
    }
}

/// Extra configuration: a recipient who hears of an incident only when it escalates to
/// level 1 (the crisis team), in `lang`.
pub fn crisis_team_recipient(email: &str, lang: &str) -> String {
    format!("\n[[recipients]]\nemail = \"{email}\"\nlang = \"{lang}\"\nescalation_level = 1\n")
}
