//! `vigia bench dashboard`: loads synthetic mentions into a fresh SQLite file, serves the API
//! on a local port and prints p50/p95 latency of each dashboard endpoint over HTTP.

use anyhow::{Context, Result};
use chrono::Utc;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

use crate::http::auth::{Role, accounts};
use crate::http::dashboard::{BrandInfo, DashboardSettings};
use crate::storage::Store;
use crate::storage::sqlite::{SqliteStore, synth};

const BRANDS: [&str; 3] = ["rapiplato", "comidaya", "pidefacil"];

/// `config` provides the helpdesk settings the API state needs; its database is not touched.
pub async fn dashboard(
    config: &crate::config::Config,
    db: &Path,
    mentions: u64,
    requests: usize,
) -> Result<String> {
    if db.exists() {
        anyhow::bail!("{} exists; give a path for a new database", db.display());
    }
    let store = SqliteStore::open(db).await?;
    store.migrate().await?;
    let mut brand_ids = Vec::new();
    for b in BRANDS {
        brand_ids.push(store.upsert_brand(b, b, "es").await?);
    }
    let feed = store
        .upsert_feed("synthetic", brand_ids[0], "replay")
        .await?;
    let now = Utc::now();
    let target = synth::SynthTarget {
        brand_ids,
        feed_ids: vec![feed],
        end: now,
        span_hours: 30 * 24,
    };
    let started = Instant::now();
    synth::load(&store, &target, mentions, |done| {
        if done % 1_000_000 == 0 || done == mentions {
            eprintln!("loaded {done} mentions in {:.0?}", started.elapsed());
        }
    })
    .await?;
    let load_time = started.elapsed();
    let spec = accounts::UserSpec {
        username: "bench",
        role: Role::Admin,
        brands: None,
        lang: "en",
        password: None,
    };
    accounts::add_user(&store, &spec, now).await?;
    let token = accounts::create_token(&store, "bench", "bench", now).await?;

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
        "dashboard benchmark: {mentions} mentions over 30 days, {} brands, loaded in {load_time:.1?}\n{:<48} {:>10} {:>10}\n",
        BRANDS.len(),
        "endpoint",
        "p50 ms",
        "p95 ms"
    );
    for path in [
        "/api/overview?brand=rapiplato&range=24h",
        "/api/overview?brand=rapiplato&range=7d",
        "/api/brands",
        "/api/incidents?limit=50",
        "/api/tickets?limit=50",
        "/api/feeds",
        "/api/mentions?brand=rapiplato&limit=50",
    ] {
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            let t = Instant::now();
            let res = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .send()
                .await?;
            let status = res.status();
            res.bytes().await?;
            anyhow::ensure!(status.is_success(), "{path} answered {status}");
            times.push(t.elapsed());
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
    Ok(out)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
