//! `vigia bench dashboard`: pushes generated mentions through the real pipeline into a fresh
//! SQLite file, serves the API on a local port and prints p50/p95 latency of each dashboard
//! endpoint over HTTP.

use anyhow::{Context, Result};
use chrono::Utc;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

use crate::http::auth::{Role, accounts};
use crate::http::dashboard::{BrandInfo, DashboardSettings};
use crate::storage::Store;

use super::bench_ingest::BRANDS;

/// `config` provides the rules, templates and helpdesk settings; its database is not touched.
/// The mentions go through the real pipeline first (see [`super::bench_ingest`]), so the
/// endpoints read real incidents, tickets, customers and text.
/// With `reuse`, `db` is a database an earlier run loaded: it is served as it is, with the
/// configuration that run wrote next to it, and the load is not timed again.
pub async fn dashboard(
    config: &crate::config::Config,
    db: &Path,
    mentions: u64,
    requests: usize,
    reuse: bool,
) -> Result<String> {
    let (app, loaded) = if reuse {
        reopen(db).await?
    } else {
        let bench = super::bench_ingest::IngestBench {
            mentions,
            db: db.to_path_buf(),
            page_size: 500,
            span_days: 30,
            backend: Default::default(),
            instances: 1,
        };
        let started = Instant::now();
        let run = super::bench_ingest::run_pipeline(config, &bench).await?;
        let loaded = format!(
            "{mentions} mentions over 30 days, {} brands, ingested through the pipeline in {:.1?} ({} incidents, {} tickets opened)",
            BRANDS.len(),
            started.elapsed(),
            run.incidents,
            run.tickets,
        );
        (run.app, loaded)
    };
    let store = app.store().clone();
    let now = Utc::now();
    // A reused database keeps the accounts of earlier runs: each run adds its own.
    let username = format!("bench-{}", now.timestamp_millis());
    let spec = accounts::UserSpec {
        username: &username,
        role: Role::Admin,
        brands: None,
        lang: "en",
        password: None,
    };
    accounts::add_user(&store, &spec, now).await?;
    let token = accounts::create_token(&store, &username, "bench", now).await?;

    let settings = DashboardSettings {
        brands: BRANDS
            .iter()
            .map(|b| BrandInfo {
                name: b.to_string(),
                display_name: b.to_string(),
                competitors: BRANDS
                    .iter()
                    .filter(|c| *c != b)
                    .map(|c| c.to_string())
                    .collect(),
            })
            .collect(),
        ..Default::default()
    };
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let secrets = crate::sources::secrets::from_env();
    let desk = super::build::build_parts(config, &clock, &secrets)?.desk;
    let cancel = CancellationToken::new();
    let state = crate::http::ApiState {
        store: store.clone(),
        hooks: None,
        clock,
        desk,
        dashboard: Arc::new(settings),
        shutdown: cancel.clone(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn({
        let c = cancel.clone();
        async move {
            axum::serve(listener, crate::http::router(state))
                .with_graceful_shutdown(async move { c.cancelled().await })
                .await
        }
    });
    let client = reqwest::Client::new();
    let mut out = format!(
        "dashboard benchmark: {loaded}\n{:<48} {:>10} {:>10}\n",
        "endpoint", "p50 ms", "p95 ms"
    );
    let mut failed = 0;
    for path in [
        "/api/overview?brand=rapiplato&range=24h",
        "/api/overview?brand=rapiplato&range=7d",
        "/api/brands",
        "/api/incidents?limit=50",
        "/api/tickets?limit=50",
        "/api/feeds",
        "/api/mentions?brand=rapiplato&limit=50",
        "/api/mentions?brand=rapiplato&category=delivery&limit=50",
        "/api/mentions?brand=rapiplato&sentiment=negative&limit=50",
        "/api/tickets?brand=rapiplato&status=new&limit=50",
        "/api/incidents/1",
        "/api/customers/1",
    ] {
        let mut times = Vec::with_capacity(requests);
        let mut failure = None;
        for _ in 0..requests {
            let t = Instant::now();
            let res = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
                .await?;
            let status = res.status();
            res.bytes().await?;
            if !status.is_success() {
                // One failure is the endpoint's result: the others are still measured.
                failure = Some(format!("{status} after {:.0} ms", ms(t.elapsed())));
                break;
            }
            times.push(t.elapsed());
        }
        if let Some(why) = failure {
            failed += 1;
            out.push_str(&format!("{path:<48} FAILED: {why}\n"));
            continue;
        }
        times.sort();
        let pct = |p: f64| ms(times[((times.len() - 1) as f64 * p).round() as usize]);
        out.push_str(&format!(
            "{path:<48} {:>10.1} {:>10.1}\n",
            pct(0.5),
            pct(0.95)
        ));
    }
    cancel.cancel();
    server.await.context("server task")??;
    anyhow::ensure!(failed == 0, "{out}{failed} endpoint(s) failed");
    Ok(out)
}

/// The app over a database an earlier run loaded, and what it holds.
async fn reopen(db: &Path) -> Result<(super::App, String)> {
    let config_file = super::bench_ingest::work_dir(db).join("vigia.toml");
    anyhow::ensure!(
        db.exists() && config_file.exists(),
        "--reuse needs a database an earlier run loaded: {} or {} is missing",
        db.display(),
        config_file.display()
    );
    let config = crate::config::load(&config_file)?;
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let app = super::App::build(config, clock).await?;
    let store = app.store();
    let all = crate::storage::PageRequest {
        limit: 1,
        offset: 0,
    };
    // A listing caps its mention total, so the mentions are not counted here.
    let incidents = store.list_incidents(&Default::default(), &all).await?.total;
    let tickets = store.list_tickets(&Default::default(), &all).await?.total;
    let loaded = format!(
        "the mentions in {} (loaded through the pipeline by an earlier run, load not timed here; {incidents} incidents, {tickets} tickets)",
        db.display()
    );
    Ok((app, loaded))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
