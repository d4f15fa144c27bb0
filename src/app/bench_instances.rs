//! `vigia bench ingest --backend postgres --instances N`: the same generated mentions, the
//! same pipeline, ingested by N `vigia` processes at once on one PostgreSQL database, as a
//! deployment with N replicas runs it.
//!
//! This process prepares the run ([`super::bench_ingest::prepare`]: replay files, database,
//! migrations, customers), then starts N copies of its own executable as
//! `vigia --config <generated> bench ingest-worker`, each with its own instance name
//! (`VIGIA_INSTANCE_ID=bench-K`). A worker builds the app as `vigia serve` would and polls the
//! three replay feeds in turn, one page per tick under the feed's lease ([`FeedRunner::
//! poll_leased`], released after the page): a feed another instance is polling is skipped and
//! tried again on the next round, so at most one instance ingests a feed at a time and the
//! instances spread over the feeds. A worker stops when every feed it polled was exhausted,
//! and prints one JSON line ([`WorkerReport`], with the wall-clock end of each of its pages,
//! which this process merges into the per-slice rates). The time is the wall time from
//! starting the workers to the last one's exit, process start-up included. The alerts queued are then
//! delivered by this process, as on one instance.
//!
//! [`FeedRunner:: poll_leased`]: crate::schedule::FeedRunner::poll_leased

use anyhow::{Context, Result};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::bench_ingest::{
    BRANDS, BenchBackend, IngestBench, PipelineRun, WorkerReport, feed_name, merged_marks, prepare,
    report, unix_ms, vm_kb,
};
use crate::config::Config;

/// `vigia bench ingest --instances N` with N above 1: the run, then the same report as one
/// instance's.
pub async fn ingest(config: &Config, bench: &IngestBench) -> Result<String> {
    anyhow::ensure!(
        bench.backend == BenchBackend::Postgres,
        "several instances share one database server: use --backend postgres"
    );
    let run = run(config, bench).await?;
    report(bench, run).await
}

/// Runs the benchmark with `bench.instances` worker processes.
pub async fn run(config: &Config, bench: &IngestBench) -> Result<PipelineRun> {
    let ready = prepare(config, bench).await?;
    let exe = std::env::current_exe().context("finding the vigia executable")?;
    let bar = super::progress::spinner("instances running");
    let started = Instant::now();
    let started_ms = unix_ms();
    let mut children = Vec::new();
    for k in 0..bench.instances {
        let mut command = tokio::process::Command::new(&exe);
        command
            .arg("--config")
            .arg(&ready.config_file)
            .args(["bench", "ingest-worker"])
            .env(crate::storage::leases::INSTANCE_VAR, format!("bench-{k}"))
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true);
        if std::env::var_os("VIGIA_LOG").is_none() && std::env::var_os("RUST_LOG").is_none() {
            command.env("VIGIA_LOG", "warn");
        }
        children.push(
            command
                .spawn()
                .with_context(|| format!("starting instance {k}"))?,
        );
    }
    let mut workers = Vec::new();
    for (k, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().await?;
        anyhow::ensure!(
            out.status.success(),
            "instance bench-{k} failed ({}); its errors are above",
            out.status
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().last().unwrap_or_default();
        let report: WorkerReport = serde_json::from_str(line)
            .with_context(|| format!("instance bench-{k} printed no report: {line:?}"))?;
        workers.push(report);
    }
    let wall = started.elapsed();
    bar.finish_and_clear();
    let received: u64 = workers.iter().map(|w| w.received).sum();
    let mut marks = merged_marks(&workers, started_ms);
    // The run ends when the last instance exits (its last empty polls and exit included).
    marks.push((received, wall, 0));
    let t = Instant::now();
    let sent = ready.app.flush_outbox().await?;
    Ok(PipelineRun {
        marks,
        stored: workers.iter().map(|w| w.stored).sum(),
        incidents: workers.iter().map(|w| w.incidents).sum(),
        tickets: workers.iter().map(|w| w.tickets).sum(),
        outbox_time: t.elapsed(),
        delivered: sent.delivered,
        app: ready.app,
        database: ready.database,
        workers,
    })
}

/// `vigia bench ingest-worker`: one instance of [`run`], on the config it was started with.
pub async fn worker(config: Config) -> Result<WorkerReport> {
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let started = Instant::now();
    let app = super::App::build(config, clock).await?;
    let runners: Vec<_> = BRANDS
        .iter()
        .map(|b| app.feed_runner(&feed_name(b)))
        .collect::<Result<_>>()?;
    let mut report = WorkerReport {
        instance: crate::storage::leases::instance_id(),
        received: 0,
        stored: 0,
        incidents: 0,
        tickets: 0,
        pages: 0,
        skipped: 0,
        seconds: 0.0,
        peak_kb: 0,
        page_ends: Vec::new(),
    };
    let mut exhausted = vec![false; runners.len()];
    while exhausted.iter().any(|e| !e) {
        let mut polled = false;
        for (i, runner) in runners.iter().enumerate() {
            if exhausted[i] {
                continue;
            }
            let Some(result) = runner.poll_leased().await else {
                report.skipped += 1;
                continue;
            };
            let (page, _) = result?;
            polled = true;
            if page.received == 0 {
                exhausted[i] = true;
                continue;
            }
            report.pages += 1;
            report.received += page.received as u64;
            report.stored += page.stored as u64;
            report.incidents += page.incidents_opened;
            report.tickets += page.tickets_opened;
            report.page_ends.push((unix_ms(), page.received as u64));
        }
        if !polled {
            // Every feed left is being polled elsewhere: its page takes a few milliseconds.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    report.peak_kb = vm_kb("VmHWM");
    Ok(report)
}
