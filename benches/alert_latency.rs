//! Alert latency under sustained load: `cargo bench --bench alert_latency`.
//!
//! Runs the real app (`vigia serve` internals: feed ingest, crisis detection, outbox worker,
//! lettre SMTP client) against the in-process SMTP server of the tests. Each round ingests a
//! page of ordinary mentions together with one food-safety mention that opens an incident;
//! the latency is from the commit of that page (when the poll returns) to the moment the SMTP
//! server has accepted the alert (both language versions). Prints p50, p99 and max; asserts
//! nothing (timings are not pass/fail). `VIGIA_BENCH_ROUNDS` (default 200) and
//! `VIGIA_BENCH_FILLER` (ordinary mentions per round, default 200) tune the load.

#[path = "../tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::time::Instant;
use tokio_util::sync::CancellationToken;
use vigia::app::App;
use vigia::clock::ManualClock;
use vigia::config::Config;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Rounds 13 simulated hours apart (longer than the merge window), so each opens an incident.
fn write_feed(path: &std::path::Path, rounds: usize, filler: usize, start: DateTime<Utc>) {
    let mut out = String::new();
    for r in 0..rounds {
        let at = start + Duration::hours(13 * r as i64);
        for f in 0..filler {
            let t = at - Duration::seconds((filler - f) as i64);
            out.push_str(
                &serde_json::json!({
                    "id": format!("f-{r}-{f}"), "source": "x", "created_at": t,
                    "text": format!("pedí sushi por @rapiplato, llegó a tiempo #{f}"),
                    "author": {"handle": format!("user{f}"), "followers": 10}
                })
                .to_string(),
            );
            out.push('\n');
        }
        out.push_str(&serde_json::json!({
            "id": format!("c-{r}"), "source": "x", "created_at": at,
            "text": "Pedí pollo por @rapiplato y llevo 3 horas vomitando, intoxicación en toda la familia 🤢",
            "author": {"handle": "victim", "followers": 10}
        }).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).expect("write the bench feed");
}

fn config(dir: &std::path::Path, feed: &std::path::Path, port: u16) -> Config {
    let repo = env!("CARGO_MANIFEST_DIR");
    let text = format!(
        r#"
[http]
listen = "127.0.0.1:0"
[storage]
backend = "sqlite"
path = "{db}"
[paths]
keywords = "{repo}/keywords"
alerts = "{repo}/alerts"
[outbox]
poll_secs = 60
[mail]
from = "Vigía <alertas@vigia.localhost>"
[mail.transport]
kind = "smtp"
host = "127.0.0.1"
port = {port}
security = "none"
timeout_secs = 5
[[brands]]
name = "rapiplato"
lang = "es"
[[recipients]]
email = "crisis@rapiplato.example"
[[recipients]]
email = "community@rapiplato.example"
lang = "en"
[[feeds]]
kind = "replay"
name = "bench"
brand = "rapiplato"
schedule = "0 0 0 1 1 * 2099"
path = "{feed}"
speed = 1.0
start = "first"
page_size = 5000
"#,
        db = dir.join("vigia.db").display(),
        feed = feed.display(),
    );
    let path = dir.join("vigia.toml");
    std::fs::write(&path, text).expect("write config");
    vigia::config::load(&path).expect("bench config")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds = env_usize("VIGIA_BENCH_ROUNDS", 200);
    let filler = env_usize("VIGIA_BENCH_FILLER", 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let start: DateTime<Utc> = "2026-01-05T12:00:00Z".parse().unwrap();
    let feed = dir.path().join("bench.jsonl");
    write_feed(&feed, rounds, filler, start);
    let (server, mut inbox) = smtp::SmtpServer::start().await;
    let clock = Arc::new(ManualClock::new(start - Duration::hours(1)));
    let app = Arc::new(
        App::build(config(dir.path(), &feed, server.port), clock.clone())
            .await
            .expect("app"),
    );
    let cancel = CancellationToken::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = tokio::spawn({
        let (app, cancel) = (app.clone(), cancel.clone());
        async move { app.serve(listener, cancel).await }
    });
    app.poll_once("bench").await.expect("first poll");
    let mut latencies = Vec::with_capacity(rounds);
    for r in 0..rounds {
        clock.set(start + Duration::hours(13 * r as i64));
        let report = app.poll_once("bench").await.expect("poll");
        let committed = Instant::now();
        assert_eq!(report.incidents_opened, 1, "round {r}: {report:?}");
        inbox.next().await;
        inbox.next().await;
        latencies.push(committed.elapsed().as_secs_f64() * 1000.0);
    }
    cancel.cancel();
    let _ = served.await;
    latencies.sort_by(f64::total_cmp);
    println!(
        "alert latency (commit → SMTP accepted, both languages), {rounds} incidents, {filler} other mentions per page: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
}
