//! `vigia bench ingest --backend postgres --instances N`: the same generated mentions, the
//! same pipeline, ingested by N `vigia` processes at once on one PostgreSQL database, as a
//! deployment with N replicas runs it.
//!
//! This process prepares the run ([`super::bench_ingest::prepare`]: replay files, database,
//! migrations, customers), then starts N copies of its own executable as
//! `vigia --config <generated> bench ingest-worker`, each with its own instance name
//! (`VIGIA_INSTANCE_ID=bench-K`). A worker builds the app as `vigia serve` would and polls the
//! three replay feeds at once, each in its own task, one page at a time under the feed's
//! lease ([`FeedRunner:: poll_leased`], released after the page): a feed another instance is
//! polling is skipped and tried again 2 ms later, so at most one instance ingests a feed at a
//! time and the instances spread over the feeds. A worker stops when every feed was exhausted,
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
        // The writes are the PostgreSQL server's.
        written: None,
        // Each instance's pages are timed in its own process.
        write: None,
        peak_kb: None,
    })
}

/// `vigia bench ingest-worker`: one instance of [`run`], on the config it was started with.
/// Each feed is polled in its own task, as `vigia serve` polls them: a feed whose lease
/// another instance holds is tried again 2 ms later, until its replay is exhausted.
pub async fn worker(config: Config) -> Result<WorkerReport> {
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let started = Instant::now();
    let app = super::App::build(config, clock).await?;
    let report = Arc::new(std::sync::Mutex::new(WorkerReport {
        instance: crate::storage::leases::instance_id(),
        ..WorkerReport::default()
    }));
    let mut tasks = tokio::task::JoinSet::new();
    for brand in BRANDS {
        let runner = app.feed_runner(&feed_name(brand))?;
        let report = report.clone();
        tasks.spawn(async move {
            loop {
                let Some(result) = runner.poll_leased().await else {
                    report.lock().unwrap_or_else(|e| e.into_inner()).skipped += 1;
                    // Polled elsewhere: that instance's page takes a few milliseconds.
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    continue;
                };
                let (page, _) = result?;
                if page.received == 0 {
                    return anyhow::Ok(());
                }
                let mut report = report.lock().unwrap_or_else(|e| e.into_inner());
                report.add(&page, unix_ms());
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.context("a feed's task panicked")??;
    }
    let mut report = std::mem::take(&mut *report.lock().unwrap_or_else(|e| e.into_inner()));
    report.seconds = started.elapsed().as_secs_f64();
    report.peak_kb = vm_kb("VmHWM");
    Ok(report)
}
