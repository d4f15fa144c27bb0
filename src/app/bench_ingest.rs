//! `vigia bench ingest`: generates realistic mentions ([`super::bench_gen`]) into replay files,
//! then pushes them through the real pipeline — the same [`crate::schedule::FeedRunner`]
//! `poll_once` that `vigia poll --feed NAME --once` runs: replay → scope → analysis → crisis →
//! tickets → outbox → storage — into a fresh database (a SQLite file, or with `--backend
//! postgres` a new database on the server named by `VIGIA_DATABASE_URL`), and prints
//! mentions/s overall and per 10% slice, memory, and, in the same run, the rate of a bare
//! batched write of the same rows into the same `mentions` schema: multi-row INSERTs on
//! SQLite, `COPY` on PostgreSQL.

use anyhow::{Context, Result};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::bench_gen::{GenSpec, Generator};
use super::progress;
use crate::config::Config;
use crate::sources::replay_file::ReplayFile;
use crate::storage::Store;
use serde::{Deserialize, Serialize};

pub const BRANDS: [&str; 3] = ["rapiplato", "comidaya", "pidefacil"];

/// What to run.
#[derive(Debug, Clone)]
pub struct IngestBench {
    pub mentions: u64,
    /// The new database file; the replay files and the generated config go next to it, in
    /// `<db>.work/`.
    pub db: PathBuf,
    /// Mentions per replay page (one ingest transaction each).
    pub page_size: usize,
    /// Days the mentions span, ending at the current hour.
    pub span_days: i64,
    pub backend: BenchBackend,
    /// `vigia` processes ingesting at once on one PostgreSQL database (1: this process does
    /// it alone; more: the `bench_instances` module).
    pub instances: usize,
}

/// Where the benchmark stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BenchBackend {
    /// A new SQLite file at [`IngestBench::db`].
    #[default]
    Sqlite,
    /// A new database `vigia_bench_<time>_<pid>` on the PostgreSQL server named by
    /// `VIGIA_DATABASE_URL` (its reference run: `<name>_bare`, dropped after it).
    Postgres,
}

impl BenchBackend {
    fn label(self) -> &'static str {
        match self {
            BenchBackend::Sqlite => "SQLite",
            BenchBackend::Postgres => "PostgreSQL",
        }
    }
}

/// What the pipeline run measured.
pub struct PipelineRun {
    pub app: super::App,
    /// `(mentions received so far, time since start, VmRSS kB)` after every page.
    pub marks: Vec<(u64, Duration, u64)>,
    pub stored: u64,
    pub incidents: usize,
    pub tickets: usize,
    pub outbox_time: Duration,
    pub delivered: usize,
    /// The PostgreSQL database the run stored into (`None` on SQLite).
    pub database: Option<String>,
    /// With several instances, what each one did; `marks` then merges their pages in time
    /// order (without memory: each instance's peak is in its report).
    pub workers: Vec<WorkerReport>,
    /// Bytes this process handed to `write` while the feeds ran (see [`written_bytes`]):
    /// on SQLite, what the database cost in writes. `None` where the writes are another
    /// process's (PostgreSQL, several instances) or there is no `/proc/self/io`.
    pub written: Option<u64>,
    /// How long the pages waited for and held their write transactions (one instance; with
    /// several, each instance's are its own).
    pub write: Option<crate::ingest::WriteTotals>,
    /// This process's peak resident memory (VmHWM, kB) when the pipeline ended, before the
    /// bare reference ran (one instance; with several, each instance's is in its report).
    pub peak_kb: Option<u64>,
}

/// `vigia bench ingest` on one instance (with `--instances` above 1,
/// `bench_instances::ingest` runs instead).
pub async fn ingest(config: &Config, bench: &IngestBench) -> Result<String> {
    anyhow::ensure!(
        bench.instances == 1,
        "bench_ingest::ingest runs one instance (--instances 1)"
    );
    let run = run_pipeline(config, bench).await?;
    report(bench, run).await
}

/// What a run measured, beside the bare reference written after it (the report both
/// `vigia bench ingest` forms print).
pub(super) async fn report(bench: &IngestBench, run: PipelineRun) -> Result<String> {
    let total = run.marks.last().map_or(Duration::ZERO, |m| m.1);
    let work = work_dir(&bench.db);
    let bare = match &run.database {
        None => bare_insert(&work, bench.page_size).await?,
        Some(name) => bare_copy(&work, name, bench.page_size).await?,
    };
    let rate = run.stored as f64 / total.as_secs_f64().max(1e-9);
    let bare_rate = bare.rows as f64 / bare.time.as_secs_f64().max(1e-9);
    let mut out = String::new();
    writeln!(
        out,
        "ingest benchmark: {} mentions ({} brands, es+en, bursts) through replay → analysis → crisis → tickets → outbox → {}, {} per page",
        bench.mentions,
        BRANDS.len(),
        bench.backend.label(),
        bench.page_size
    )?;
    if let Some(name) = &run.database {
        writeln!(
            out,
            "database: {name} on the server named by VIGIA_DATABASE_URL (kept; DROP DATABASE \"{name}\" when done)"
        )?;
    }
    writeln!(
        out,
        "pipeline: {} stored in {:.1?}: {:.0} mentions/s ({} incidents opened, {} tickets opened; outbox delivered {} in {:.1?})",
        run.stored, total, rate, run.incidents, run.tickets, run.delivered, run.outbox_time
    )?;
    if let Some(w) = run.write {
        let share = w.held.as_secs_f64() / total.as_secs_f64().max(1e-9);
        writeln!(
            out,
            "write transactions: {} pages held them {:.1?} in all ({:.0}% of the run; on SQLite one at a time), and waited {:.1?} in all for their turn",
            w.pages,
            w.held,
            100.0 * share,
            w.waited
        )?;
    }
    out.push_str(&slices(&run.marks, bench.mentions, run.workers.is_empty()));
    if run.workers.is_empty() {
        writeln!(
            out,
            "peak memory (VmHWM): {} MB by the end of the pipeline ({} MB with the bare reference after it)",
            run.peak_kb.unwrap_or(0) / 1024,
            vm_kb("VmHWM") / 1024
        )?;
    } else {
        out.push_str(&describe(&run.workers));
    }
    let (reference, target) = match bench.backend {
        BenchBackend::Sqlite => ("bare batched INSERT", 50_000),
        BenchBackend::Postgres => ("bare COPY", 20_000),
    };
    writeln!(
        out,
        "{reference} of the same {} rows into `mentions` ({} per transaction): {:.1?}, {:.0} rows/s",
        bare.rows, bench.page_size, bare.time, bare_rate
    )?;
    if let (Some(pipeline), Some(bare_written)) = (run.written, bare.written) {
        let per = |bytes: u64, rows: u64| bytes as f64 / 1024.0 / rows.max(1) as f64;
        writeln!(
            out,
            "written (WAL and checkpoints): pipeline {:.0} MB, {:.1} KiB per mention; {reference} {:.0} MB, {:.1} KiB per row",
            pipeline as f64 / 1e6,
            per(pipeline, run.stored),
            bare_written as f64 / 1e6,
            per(bare_written, bare.rows)
        )?;
    }
    // How much of the pipeline's slow-down is the table's own growth: the reference's
    // last tenth against its first.
    let tenths = rates(&bare.marks, bare.rows);
    if let (Some(first), Some(last)) = (tenths.first(), tenths.last()) {
        writeln!(
            out,
            "{reference} last 10% / first 10%: {:.2}",
            last / first.max(1e-9)
        )?;
    }
    writeln!(
        out,
        "pipeline / {reference}: {:.3} (targets: ≥ {target} mentions/s; last 10% ≥ 0.8 × first 10%)",
        rate / bare_rate
    )?;
    Ok(out)
}

/// Generates the mentions, builds the app on a config written for them, and runs every feed
/// page by page until the replay files are exhausted.
pub async fn run_pipeline(config: &Config, bench: &IngestBench) -> Result<PipelineRun> {
    let ready = prepare(config, bench).await?;
    drive(ready.app, bench.mentions, ready.database).await
}

/// A benchmark ready to run: the mentions generated, the database created and migrated, the
/// customers imported.
pub(super) struct Prepared {
    pub app: super::App,
    pub database: Option<String>,
    /// The generated config the app was built on (instances are started on it).
    pub config_file: PathBuf,
}

/// Generates the mentions, creates the database and builds the app on a config written for
/// them.
pub(super) async fn prepare(config: &Config, bench: &IngestBench) -> Result<Prepared> {
    let work = work_dir(&bench.db);
    let fresh = match bench.backend {
        BenchBackend::Sqlite => !bench.db.exists(),
        BenchBackend::Postgres => !work.exists(),
    };
    anyhow::ensure!(
        fresh,
        "{} exists; give a path for a new database",
        bench.db.display()
    );
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let end = timeline_end(Utc::now());
    generate(&work, bench, end)?;
    let database = match bench.backend {
        BenchBackend::Sqlite => None,
        BenchBackend::Postgres => {
            // The process id keeps two runs started in the same second apart.
            let time = Utc::now().format("%Y%m%d_%H%M%S");
            let name = format!("vigia_bench_{time}_{}", std::process::id());
            crate::storage::postgres::synth::create_database(&name).await?;
            Some(name)
        }
    };
    let config_file = write_config(config, &work, bench, database.as_deref())?;
    let bench_config = crate::config::load(&config_file)?;
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(crate::clock::SystemClock);
    let app = super::App::build(bench_config, clock.clone()).await?;
    import_customers(&app, &work, clock.now()).await?;
    Ok(Prepared {
        app,
        database,
        config_file,
    })
}

/// Polls the three feeds until their replay files are used up, each feed in a task of its own
/// as `vigia serve` runs them: one feed's analysis goes on while another's page is written.
async fn drive(app: super::App, mentions: u64, database: Option<String>) -> Result<PipelineRun> {
    let bar = progress::bar(mentions, "ingest");
    let written_before = written_bytes().filter(|_| database.is_none());
    let started = Instant::now();
    let progress = Arc::new(std::sync::Mutex::new(Tally::default()));
    let mut tasks = tokio::task::JoinSet::new();
    // Every feed's runner shares the one ingestor.
    let ingestor = app.feed_runner(&feed_name(BRANDS[0]))?.ingestor.clone();
    let write_before = ingestor.write_times();
    for brand in BRANDS {
        let runner = app.feed_runner(&feed_name(brand))?;
        let (progress, bar) = (progress.clone(), bar.clone());
        tasks.spawn(async move {
            loop {
                let report = runner.poll_once().await?;
                if report.received == 0 {
                    return anyhow::Ok(());
                }
                let mut tally = progress.lock().unwrap_or_else(|e| e.into_inner());
                tally.add(&report, started.elapsed());
                bar.set_position(tally.received);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.context("a feed's task panicked")??;
    }
    bar.finish_and_clear();
    let write_after = ingestor.write_times();
    let write = crate::ingest::WriteTotals {
        waited: write_after.waited.saturating_sub(write_before.waited),
        held: write_after.held.saturating_sub(write_before.held),
        pages: write_after.pages - write_before.pages,
    };
    let tally = std::mem::take(&mut *progress.lock().unwrap_or_else(|e| e.into_inner()));
    let t = Instant::now();
    let sent = app.flush_outbox().await?;
    let written = written_before.and_then(|b| Some(written_bytes()? - b));
    Ok(PipelineRun {
        app,
        marks: tally.marks,
        stored: tally.stored,
        incidents: tally.incidents,
        tickets: tally.tickets,
        outbox_time: t.elapsed(),
        delivered: sent.delivered,
        database,
        workers: Vec::new(),
        written,
        write: Some(write),
        peak_kb: Some(vm_kb("VmHWM")),
    })
}

/// What the feeds' pages did so far, and when each page ended.
#[derive(Default)]
struct Tally {
    received: u64,
    stored: u64,
    incidents: usize,
    tickets: usize,
    /// `(mentions received so far, time, resident memory)` at the end of each page.
    marks: Vec<(u64, Duration, u64)>,
}

impl Tally {
    fn add(&mut self, report: &crate::ingest::IngestReport, at: Duration) {
        self.received += report.received as u64;
        self.stored += report.stored as u64;
        self.incidents += report.incidents_opened;
        self.tickets += report.tickets_opened;
        self.marks.push((self.received, at, vm_kb("VmRSS")));
    }
}

/// Mentions/s per 10% of the mentions, with this process's memory when it did the work
/// (`memory`; with several instances each one's peak is reported instead).
fn slices(marks: &[(u64, Duration, u64)], total: u64, memory: bool) -> String {
    let mut out = String::from("slice      mentions/s   VmRSS MB\n");
    let rates = rates(marks, total);
    for (k, rate) in rates.iter().enumerate() {
        let rss = match memory {
            true => (tenth_end(marks, total, k as u64).2 / 1024).to_string(),
            false => "—".into(),
        };
        let _ = writeln!(
            out,
            "{:>3}–{:<3}% {:>12.0} {:>10}",
            k * 10,
            (k + 1) * 10,
            rate,
            rss
        );
    }
    if let (Some(first), Some(last)) = (rates.first(), rates.last()) {
        let _ = writeln!(out, "last 10% / first 10%: {:.2}", last / first.max(1e-9));
    }
    out
}

/// The first mark at or past the end of tenth `k` of `total`.
fn tenth_end(marks: &[(u64, Duration, u64)], total: u64, k: u64) -> (u64, Duration, u64) {
    let n = total * (k + 1) / 10;
    marks
        .iter()
        .find(|m| m.0 >= n)
        .copied()
        .unwrap_or((0, Duration::ZERO, 0))
}

/// Items/s per 10% of `total`, from `(items so far, time so far, _)` marks.
fn rates(marks: &[(u64, Duration, u64)], total: u64) -> Vec<f64> {
    (0..10u64)
        .map(|k| {
            let start = match k {
                0 => (0, Duration::ZERO, 0),
                _ => tenth_end(marks, total, k - 1),
            };
            let end = tenth_end(marks, total, k);
            let secs = end.1.saturating_sub(start.1).as_secs_f64().max(1e-9);
            end.0.saturating_sub(start.0) as f64 / secs
        })
        .collect()
}

pub fn work_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".work");
    PathBuf::from(name)
}

pub(super) fn feed_name(brand: &str) -> String {
    format!("bench-{brand}")
}

fn replay_file(work: &Path, brand: &str) -> PathBuf {
    work.join(format!("{brand}.jsonl"))
}

/// The time of the last generated mention: the hour `now` is in, to the second. The
/// generated timeline then falls on the same side of every hour's boundary in each run, so
/// the hourly baselines, and the incidents they decide, are the same from run to run (the
/// seconds of the start used to shift them, and with them a marginal incident or two).
fn timeline_end(now: DateTime<Utc>) -> DateTime<Utc> {
    now.duration_trunc(TimeDelta::hours(1)).unwrap_or(now)
}

/// Writes one replay file per brand.
fn generate(work: &Path, bench: &IngestBench, end: DateTime<Utc>) -> Result<()> {
    let mut files = BRANDS
        .iter()
        .map(|b| Ok(BufWriter::new(std::fs::File::create(replay_file(work, b))?)))
        .collect::<Result<Vec<_>>>()?;
    let spec = GenSpec {
        brands: BRANDS.iter().map(|b| b.to_string()).collect(),
        mentions: bench.mentions,
        end,
        span_hours: bench.span_days.max(1) * 24,
        seed: 0x9E37_79B9_7F4A_7C15,
    };
    let bar = progress::bar(bench.mentions, "generate");
    for (i, g) in Generator::new(spec).enumerate() {
        writeln!(files[g.brand], "{}", g.line)?;
        if i % 10_000 == 0 {
            bar.set_position(i as u64);
        }
    }
    bar.finish_and_clear();
    for mut f in files {
        f.flush()?;
    }
    Ok(())
}

/// A config with the three brands, one replay feed each (everything due at once, one page per
/// poll), a crisis recipient per brand (file transport) and the user's rules and templates.
fn write_config(
    config: &Config,
    work: &Path,
    bench: &IngestBench,
    database: Option<&str>,
) -> Result<PathBuf> {
    let abs = |p: &Path| std::path::absolute(config.resolve(p)).unwrap_or_else(|_| p.into());
    let keywords = abs(&config.paths.keywords);
    let alerts = abs(&config.paths.alerts);
    let work = std::path::absolute(work)?;
    let storage = match database {
        None => format!(
            "backend = \"sqlite\"\npath = {:?}",
            std::path::absolute(&bench.db)?
        ),
        Some(name) => format!("backend = \"postgres\"\ndatabase = {name:?}\nmax_connections = 8"),
    };
    let mut toml = format!(
        "[storage]\n{storage}\n\n[paths]\nkeywords = {:?}\nalerts = {:?}\n\n\
         [mail]\nfrom = \"Vigía bench <bench@vigia.localhost>\"\n\n[mail.transport]\nkind = \"file\"\ndir = {:?}\n",
        keywords,
        alerts,
        work.join("mail"),
    );
    for b in BRANDS {
        write!(
            toml,
            "\n[[brands]]\nname = \"{b}\"\ndisplay_name = \"{b}\"\nlang = \"es\"\nquery = '{b} OR @{b}'\n\
             \n[[recipients]]\nemail = \"crisis@{b}.example\"\nbrands = [\"{b}\"]\n\
             \n[[feeds]]\nkind = \"replay\"\nname = \"{}\"\nbrand = \"{b}\"\nschedule = \"0 0 * * * *\"\n\
             path = {:?}\nspeed = 1e12\nstart = \"first\"\npage_size = {}\nmax_pages_per_tick = 1\n",
            feed_name(b),
            replay_file(&work, b),
            bench.page_size,
        )?;
    }
    let file = work.join("vigia.toml");
    std::fs::write(&file, toml)?;
    Ok(file)
}

/// Imports a profile for one author in fifty (a third of them VIP), so mentions link to known
/// customers and tiers weigh on ticket priority.
async fn import_customers(app: &super::App, work: &Path, now: DateTime<Utc>) -> Result<()> {
    let mut csv = String::from("ref,name,email,phone,lang,tier,identities\n");
    let names = super::bench_words::FIRST_NAMES;
    for i in (0..20_000usize).step_by(50) {
        let name = names[i % names.len()];
        let tier = if i % 150 == 0 { "vip" } else { "standard" };
        writeln!(
            csv,
            "c{i},{name},{name}{i}@example.com,,es,{tier},x:{name}_{i};mastodon:{name}_{i}"
        )?;
    }
    let file = work.join("customers.csv");
    std::fs::write(&file, &csv)?;
    let report = crate::helpdesk::import::import_csv(app.store(), csv.as_bytes(), now).await?;
    anyhow::ensure!(
        report.errors.is_empty(),
        "customer import: {:?}",
        report.errors
    );
    Ok(())
}

/// The same rows, parsed from the same replay files, inserted into an empty `mentions` table
/// of the same schema (a fresh, migrated database) in multi-row INSERTs of `page_size` rows,
/// one transaction each: what storage alone costs. Returns rows and time.
async fn bare_insert(work: &Path, page_size: usize) -> Result<Reference> {
    let db = work.join("bare-insert.db");
    let _ = std::fs::remove_file(&db);
    let store = crate::storage::sqlite::SqliteStore::open(&db).await?;
    store.migrate().await?;
    time_reference(work, &store.into(), page_size).await
}

/// What the bare reference wrote: rows, time, and `(rows so far, time so far, 0)` after every
/// page (the shape of [`PipelineRun::marks`], for its flatness).
struct Reference {
    rows: u64,
    time: Duration,
    marks: Vec<(u64, Duration, u64)>,
    /// Bytes written (SQLite only, as [`PipelineRun::written`]).
    written: Option<u64>,
}

/// Writes each brand's replayed mentions into `store` the bare way of its back end (batched
/// INSERT on SQLite, `COPY` on PostgreSQL), read a page at a time, timing only the writes.
async fn time_reference(
    work: &Path,
    store: &crate::storage::AnyStore,
    page_size: usize,
) -> Result<Reference> {
    use crate::storage::{AnyStore, postgres, sqlite};
    let mut done = Reference {
        rows: 0,
        time: Duration::ZERO,
        marks: Vec::new(),
        written: None,
    };
    let written_before = written_bytes().filter(|_| matches!(store, AnyStore::Sqlite(_)));
    let page_size = page_size.max(1);
    for b in BRANDS {
        let file = ReplayFile::open(&replay_file(work, b))?;
        let brand = store.upsert_brand(b, b, "es").await?;
        let feed = store.upsert_feed(&feed_name(b), brand, "replay").await?;
        for start in (0..file.len()).step_by(page_size) {
            let part = &file.read(start..start + page_size)?;
            let t = Instant::now();
            match store {
                AnyStore::Sqlite(s) => {
                    sqlite::synth::bare_insert(s, brand, feed, part, page_size).await?
                }
                AnyStore::Postgres(s) => {
                    postgres::synth::bare_copy(s, brand, feed, part, page_size).await?
                }
            }
            done.time += t.elapsed();
            done.rows += part.len() as u64;
            done.marks.push((done.rows, done.time, 0));
        }
    }
    done.written = written_before.and_then(|b| Some(written_bytes()? - b));
    Ok(done)
}

/// The same rows, parsed from the same replay files, `COPY`ed into the `mentions` table of a
/// fresh, migrated database `<database>_bare` on the same server, `page_size` rows per
/// transaction: what storage alone costs on PostgreSQL. The database is dropped afterwards.
async fn bare_copy(work: &Path, database: &str, page_size: usize) -> Result<Reference> {
    use crate::storage::postgres::{PgStore, synth};
    let name = format!("{database}_bare");
    synth::create_database(&name).await?;
    let store = PgStore::connect_from_env(Some(&name), 2).await?;
    store.migrate().await?;
    let store = store.into();
    let measured = time_reference(work, &store, page_size).await;
    drop(store);
    synth::drop_database(&name).await?;
    measured
}

/// What one worker did, printed by it as one JSON line.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkerReport {
    pub instance: String,
    pub received: u64,
    pub stored: u64,
    pub incidents: usize,
    pub tickets: usize,
    /// Pages this worker ingested.
    pub pages: u64,
    /// Polls skipped because another instance held the feed's lease.
    pub skipped: u64,
    /// From the app being built to the last feed exhausted.
    pub seconds: f64,
    /// The worker's peak resident memory (VmHWM), kB.
    pub peak_kb: u64,
    /// `(wall-clock time in ms since the Unix epoch, mentions received)` at the end of each
    /// page: merged across instances into the run's per-slice rates.
    pub page_ends: Vec<(u64, u64)>,
}

impl WorkerReport {
    /// Counts one page that ended at `at_ms` (wall-clock, ms since the Unix epoch).
    pub(super) fn add(&mut self, page: &crate::ingest::IngestReport, at_ms: u64) {
        self.pages += 1;
        self.received += page.received as u64;
        self.stored += page.stored as u64;
        self.incidents += page.incidents_opened;
        self.tickets += page.tickets_opened;
        self.page_ends.push((at_ms, page.received as u64));
    }
}

/// The pages of every instance in time order, as `(mentions received so far by all, time
/// since `started`, 0)` marks (times are wall-clock, the same clock on one machine).
pub(super) fn merged_marks(workers: &[WorkerReport], started: u64) -> Vec<(u64, Duration, u64)> {
    let mut pages: Vec<(u64, u64)> = workers.iter().flat_map(|w| w.page_ends.clone()).collect();
    pages.sort_unstable();
    let mut received = 0;
    pages
        .into_iter()
        .map(|(at, n)| {
            received += n;
            (
                received,
                Duration::from_millis(at.saturating_sub(started)),
                0,
            )
        })
        .collect()
}

/// Milliseconds since the Unix epoch, as the workers stamp their pages.
pub(super) fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// One line per instance.
fn describe(workers: &[WorkerReport]) -> String {
    let mut out = String::from("instance   mentions   pages   skipped   seconds   VmHWM MB\n");
    for w in workers {
        let _ = writeln!(
            out,
            "{:<9} {:>9} {:>7} {:>9} {:>9.1} {:>10}",
            w.instance,
            w.received,
            w.pages,
            w.skipped,
            w.seconds,
            w.peak_kb / 1024
        );
    }
    out
}

/// Bytes this process has handed to `write` and its kin so far (`wchar` of `/proc/self/io`),
/// whether or not they reached the disk yet: with SQLite in the process, the WAL frames its
/// commits append and the pages its checkpoints copy into the database file, plus the few
/// log lines and mail files the run writes. `None` where there is no `/proc/self/io`.
fn written_bytes() -> Option<u64> {
    std::fs::read_to_string("/proc/self/io")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("wchar:"))?
        .trim()
        .parse()
        .ok()
}

/// A `kB` line of `/proc/self/status` (`VmRSS`, `VmHWM`); 0 where there is none.
pub fn vm_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(instance: &str, page_ends: Vec<(u64, u64)>) -> WorkerReport {
        WorkerReport {
            instance: instance.into(),
            received: page_ends.iter().map(|p| p.1).sum(),
            stored: 0,
            incidents: 0,
            tickets: 0,
            pages: page_ends.len() as u64,
            skipped: 0,
            seconds: 0.0,
            peak_kb: 0,
            page_ends,
        }
    }

    /// The written-bytes figure counts what this process writes to a file (Linux only:
    /// elsewhere there is no `/proc/self/io` and the figure is left out).
    #[cfg(target_os = "linux")]
    #[test]
    fn written_bytes_count_this_process_writes() {
        let dir = tempfile::tempdir().unwrap();
        let before = written_bytes().expect("/proc/self/io has wchar");
        std::fs::write(dir.path().join("f"), vec![7u8; 1 << 20]).unwrap();
        let after = written_bytes().unwrap();
        assert!(after - before >= 1 << 20, "{before} → {after}");
    }

    #[test]
    fn the_timeline_ends_on_the_hour() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let end = at("2026-12-07T00:00:00Z");
        assert_eq!(timeline_end(at("2026-12-07T00:00:37.2Z")), end);
        assert_eq!(timeline_end(at("2026-12-07T00:59:59.999Z")), end);
        assert_eq!(timeline_end(end), end);
    }

    /// Two instances' pages become one time line of everything received so far, from which
    /// the slices are cut as for one instance.
    #[test]
    fn instances_pages_merge_in_time_order() {
        // Ten pages of 200, one a second, alternating between the instances (the run started
        // at 10 s on the wall clock).
        let pages = |first: u64| (0..5).map(|i| (10_000 + first + 2_000 * i, 200)).collect();
        let marks = merged_marks(
            &[
                worker("bench-0", pages(1_000)),
                worker("bench-1", pages(2_000)),
            ],
            10_000,
        );
        let seen: Vec<(u64, u64)> = marks
            .iter()
            .take(3)
            .map(|m| (m.0, m.1.as_millis() as u64))
            .collect();
        assert_eq!(seen, [(200, 1_000), (400, 2_000), (600, 3_000)]);
        let rates = rates(&marks, 2_000);
        assert_eq!(rates.len(), 10);
        // Each tenth (200 mentions) took 1 s.
        assert!(rates.iter().all(|r| (r - 200.0).abs() < 1e-6), "{rates:?}");
    }
}
