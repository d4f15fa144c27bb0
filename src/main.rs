//! `vigia` command line.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

mod cli {
    pub mod accounts;
    pub mod feedback;
    pub mod privacy;
}

use vigia::analysis::sentiment;
use vigia::app::App;
use vigia::clock::{Clock, SystemClock};

#[derive(Parser)]
#[command(
    name = "vigia",
    version,
    about = "Self-hosted social-media reputation monitor"
)]
struct Cli {
    /// Configuration file [default: vigia.toml].
    #[arg(long, short, global = true, env = "VIGIA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run everything: feeds on their schedules, alert delivery, and the HTTP API.
    Serve {
        /// Address to listen on (overrides [http].listen).
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Poll one feed: once (--once) or on its schedule until Ctrl-C.
    Poll {
        /// Feed name from the config.
        #[arg(long)]
        feed: String,
        /// Fetch what is ready now, deliver queued alerts, and exit.
        #[arg(long)]
        once: bool,
    },
    /// Replay a historical file of mentions (replay JSONL) through analysis and crisis
    /// detection on simulated time, and report the incidents it would have opened, with the
    /// live lifecycle (each closes itself, `auto_closed`, after its quiet time without a crisis
    /// signal). Sends nothing. Shows progress on a terminal.
    Backtest {
        /// Mentions to replay, one JSON object per line.
        #[arg(long)]
        input: PathBuf,
        /// Brand that owns every mention; without --config, an ad-hoc brand with the rules in
        /// ./keywords and ./alerts.
        #[arg(long)]
        brand: Option<String>,
        /// Print the report as JSON: {"incidents":[{"brand","severity","kind",
        /// "first_mention_at","detected_at","latency_s","mentions","status","closed_at"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Print the mentions a source's parser finds in a captured response body (or a JSONL of
    /// bodies), one JSON object per line. Needs no config or database.
    Parse {
        /// Source kind: mastodon, bluesky, reddit, hackernews, x, youtube, rss, meta.
        #[arg(long)]
        kind: String,
        file: PathBuf,
    },
    /// Score posts from stdin (one per line) and print one JSON object per line.
    Score {
        #[arg(long, value_enum, default_value_t)]
        lang: sentiment::cli::LangChoice,
        /// Add the words that contributed most, with their valences.
        #[arg(long)]
        explain: bool,
        /// Scoring threads (output order is kept); 0 = every core.
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Evaluate sentiment on a labeled TSV (columns label, text; optional lang).
    Eval { file: PathBuf },
    /// Manage customer profiles.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
    /// Check and evaluate category rule files (keywords/).
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Test a query: reads one post per line on stdin, prints {"line","matched","terms"} per line.
    Match {
        #[arg(long)]
        query: String,
    },
    /// Manage dashboard/API accounts.
    Users {
        #[command(subcommand)]
        command: cli::accounts::UsersCommand,
    },
    /// Manage API tokens.
    Tokens {
        #[command(subcommand)]
        command: cli::accounts::TokensCommand,
    },
    /// Corrections of the analysis made through the API: export them as a labeled TSV.
    Feedback {
        #[command(subcommand)]
        command: cli::feedback::FeedbackCommand,
    },
    /// Personal data: erase a customer, apply retention limits.
    Privacy {
        #[command(subcommand)]
        command: cli::privacy::PrivacyCommand,
    },
    /// Benchmarks.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Validate rule files (a file or a directory; default: the config's keywords directory).
    Check { path: Option<PathBuf> },
    /// Per-category precision/recall on a TSV with `category` and `text` columns.
    Eval { file: PathBuf },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Mentions/s of the rule matcher vs a regex::RegexSet (build with --release).
    Rules {
        #[arg(long, default_value_t = 1000)]
        rules: usize,
        #[arg(long, default_value = "examples/demo/mentions.jsonl")]
        mentions: PathBuf,
    },
    /// p50/p95 of each dashboard endpoint over a fresh database of synthetic mentions
    /// (build with --release).
    Dashboard {
        /// How many mentions to load.
        #[arg(long, default_value_t = 10_000_000)]
        mentions: u64,
        /// Requests per endpoint.
        #[arg(long, default_value_t = 50)]
        requests: usize,
        /// The new database file to create.
        #[arg(long, default_value = "var/bench-dashboard.db")]
        db: PathBuf,
        /// Serve `--db` as an earlier run of this benchmark loaded it (with the `vigia.toml`
        /// that run wrote in `<db>.work/`) instead of loading a new one.
        #[arg(long)]
        reuse: bool,
    },
    /// Mentions/s of the whole ingest pipeline (replay → analysis → crisis → tickets → outbox
    /// → SQLite or PostgreSQL) on generated mentions, per 10% slice, with peak memory and the
    /// rate of a bare batched write of the same rows (build with --release).
    Ingest {
        /// How many mentions to generate and ingest.
        #[arg(long, default_value_t = 1_000_000)]
        mentions: u64,
        /// The new database file to create (replay files go to `<db>.work/`).
        #[arg(long, default_value = "var/bench-ingest.db")]
        db: PathBuf,
        /// Mentions per replay page: one ingest transaction each.
        #[arg(long, default_value_t = 500)]
        page_size: usize,
        /// `sqlite` (a new file at --db) or `postgres` (a new database on the server named by
        /// VIGIA_DATABASE_URL; the reference is then a bare COPY).
        #[arg(long, value_enum, default_value = "sqlite")]
        backend: BenchBackendArg,
        /// `vigia` processes ingesting at once on one PostgreSQL database (with `--backend
        /// postgres`): started by this one, each with its own instance name.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        instances: u16,
    },
    /// One instance of `bench ingest --instances N` (started by it, on the config it wrote).
    #[command(hide = true)]
    IngestWorker,
}

/// `vigia bench ingest --backend`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum BenchBackendArg {
    Sqlite,
    Postgres,
}

#[derive(Subcommand)]
enum CustomersCommand {
    /// Import profiles from a CSV file (columns: ref,name,email,phone,lang,tier,identities).
    Import { file: PathBuf },
}

fn main() -> std::process::ExitCode {
    vigia::telemetry::init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<std::process::ExitCode> {
    if let Command::Backtest { input, brand, json } = &cli.command {
        return backtest(cli.config.as_deref(), input, brand.as_deref(), *json).await;
    }
    if let Command::Parse { kind, file } = &cli.command {
        return parse_file(kind, file);
    }
    if let Some(code) = rule_tools(&cli)? {
        return Ok(code);
    }
    if let Command::Bench {
        command:
            BenchCommand::Dashboard {
                mentions,
                requests,
                db,
                reuse,
            },
    } = &cli.command
    {
        print!(
            "{}",
            vigia::app::bench::dashboard(
                &vigia::config::load(&config_path(&cli))?,
                db,
                *mentions,
                *requests,
                *reuse
            )
            .await?
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if let Command::Bench {
        command:
            BenchCommand::Ingest {
                mentions,
                db,
                page_size,
                backend,
                instances,
            },
    } = &cli.command
    {
        let bench = vigia::app::bench_ingest::IngestBench {
            mentions: *mentions,
            db: db.clone(),
            page_size: *page_size,
            span_days: 30,
            backend: match backend {
                BenchBackendArg::Sqlite => vigia::app::bench_ingest::BenchBackend::Sqlite,
                BenchBackendArg::Postgres => vigia::app::bench_ingest::BenchBackend::Postgres,
            },
            instances: usize::from(*instances),
        };
        let config = vigia::config::load(&config_path(&cli))?;
        let report = if bench.instances > 1 {
            vigia::app::bench_instances::ingest(&config, &bench).await?
        } else {
            vigia::app::bench_ingest::ingest(&config, &bench).await?
        };
        print!("{report}");
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if let Command::Bench {
        command: BenchCommand::IngestWorker,
    } = &cli.command
    {
        let config = vigia::config::load(&config_path(&cli))?;
        let report = vigia::app::bench_instances::worker(config).await?;
        println!("{}", serde_json::to_string(&report)?);
        return Ok(std::process::ExitCode::SUCCESS);
    }
    if let Command::Score {
        lang,
        explain,
        threads,
    } = &cli.command
    {
        use vigia::analysis::batch;
        let threads = if *threads == 0 {
            batch::all_cores()
        } else {
            *threads
        };
        let opts = batch::ScoreOptions {
            lang: *lang,
            explain: *explain,
            threads,
        };
        batch::score(opts).context("vigia score")?;
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let config = vigia::config::load(&config_path(&cli))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let app = App::build(config, clock.clone()).await?;
    match cli.command {
        Command::Serve { listen } => {
            let shutdown = shutdown_token()?;
            #[cfg(unix)]
            app.reload_rules_on_sighup(shutdown.clone())?;
            let addr = listen.unwrap_or(app.config.http.listen);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!(addr = %listener.local_addr()?, "Vigía is listening");
            app.serve(listener, shutdown).await?;
        }
        Command::Migrate => {
            app.bootstrap_admin().await?;
            println!("database is up to date");
        }
        Command::Users { command } => {
            app.bootstrap_admin().await?;
            cli::accounts::users(&app, command, clock.as_ref()).await?
        }
        Command::Privacy { command } => cli::privacy::run(&app, command, clock.as_ref()).await?,
        Command::Feedback { command } => cli::feedback::run(&app, command, clock.as_ref()).await?,
        Command::Tokens { command } => {
            app.bootstrap_admin().await?;
            cli::accounts::tokens(&app, command, clock.as_ref()).await?
        }
        Command::Poll { feed, once: true } => {
            // A first run's backfill can take many pages: show them on a terminal.
            let bar = vigia::app::progress::spinner("mentions");
            let report = app
                .feed_runner(&feed)?
                .poll_once_with(&mut |page: &vigia::ingest::IngestReport| {
                    bar.inc(page.received as u64)
                })
                .await?;
            bar.finish_and_clear();
            let sent = app.flush_outbox().await?;
            println!(
                "{}",
                serde_json::json!({
                    "feed": feed, "received": report.received, "stored": report.stored,
                    "duplicates": report.duplicates, "out_of_scope": report.out_of_scope, "incidents_opened": report.incidents_opened,
                    "tickets_opened": report.tickets_opened, "tickets_appended": report.tickets_appended,
                    "messages_delivered": sent.delivered, "messages_failed": sent.failed,
                })
            );
        }
        Command::Poll { feed, once: false } => app.run_feed(&feed, shutdown_token()?).await?,
        Command::Backtest { .. } => unreachable!("handled above"),
        Command::Parse { .. } => unreachable!("handled before the config is loaded"),
        Command::Score { .. } | Command::Eval { .. } => {} // answered above, without the app
        Command::Customers {
            command: CustomersCommand::Import { file },
        } => {
            return import_customers(&app, &file, clock.as_ref()).await;
        }
        Command::Rules { .. } | Command::Match { .. } | Command::Bench { .. } => {}
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// `--config`, or `vigia.toml` in the current directory.
fn config_path(cli: &Cli) -> PathBuf {
    cli.config
        .clone()
        .unwrap_or_else(|| PathBuf::from("vigia.toml"))
}

async fn backtest(
    config: Option<&std::path::Path>,
    input: &std::path::Path,
    brand: Option<&str>,
    json: bool,
) -> Result<std::process::ExitCode> {
    let config = config.map(vigia::config::load).transpose()?;
    let request = vigia::backtest::BacktestRequest {
        input,
        config,
        brand,
    };
    let report = vigia::backtest::run(request).await?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", vigia::backtest::render_text(&report));
    }
    Ok(std::process::ExitCode::SUCCESS)
}

fn parse_file(kind: &str, file: &std::path::Path) -> Result<std::process::ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mentions = vigia::sources::parse_file(kind, &bytes)?;
    let mut out = std::io::stdout().lock();
    for m in &mentions {
        // A closed pipe (`| head`) just ends the output.
        if writeln!(out, "{}", serde_json::to_string(m)?).is_err() {
            break;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Tools that need no database: `eval` (sentiment, and categories when the file has a
/// `category` column), `rules check|eval`, `match`, `bench rules`.
fn rule_tools(cli: &Cli) -> Result<Option<std::process::ExitCode>> {
    use vigia::analysis::tools;
    let keywords = || -> Result<PathBuf> {
        let config = vigia::config::load(&config_path(cli))?;
        Ok(config.resolve(&config.paths.keywords))
    };
    let mut out = std::io::stdout().lock();
    let ok = match &cli.command {
        Command::Rules {
            command: RulesCommand::Check { path },
        } => {
            let path = path.clone().map_or_else(keywords, Ok)?;
            tools::rules_check(&path, &mut out)?
        }
        Command::Rules {
            command: RulesCommand::Eval { file },
        } => tools::rules_eval(&keywords()?, file, &mut out).map(|()| true)?,
        Command::Eval { file } => {
            let report = vigia::analysis::sentiment::cli::eval_file(
                &vigia::analysis::SentimentEngine::new(),
                file,
            )
            .map_err(anyhow::Error::msg)?;
            write!(out, "{report}")?;
            if tools::has_column(file, "category")? {
                writeln!(out)?;
                tools::rules_eval(&keywords()?, file, &mut out)?;
            }
            true
        }
        Command::Match { query } => {
            tools::match_lines(query, &mut std::io::stdin().lock(), &mut out).map(|()| true)?
        }
        Command::Bench {
            command: BenchCommand::Rules { rules, mentions },
        } => {
            let second = std::time::Duration::from_secs(1);
            let report = tools::bench::run(&keywords()?, mentions, *rules, second)?;
            println!("{report}");
            true
        }
        _ => return Ok(None),
    };
    Ok(Some(if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(2)
    }))
}

async fn import_customers(
    app: &App,
    file: &std::path::Path,
    clock: &dyn Clock,
) -> Result<std::process::ExitCode> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = reader.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = vigia::app::progress::bytes(size, "customers");
    let report =
        vigia::helpdesk::import::import_csv(app.store(), bar.wrap_read(reader), clock.now())
            .await?;
    bar.finish_and_clear();
    for (line, problem) in &report.errors {
        eprintln!("{}:{line}: skipped: {problem}", file.display());
    }
    println!(
        "customers: {} created, {} updated, {} rows skipped",
        report.created,
        report.updated,
        report.errors.len()
    );
    Ok(if report.errors.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(2)
    })
}

/// Cancelled on Ctrl-C or SIGTERM. The signal handlers are installed before this returns,
/// so a signal that arrives as soon as the service reports it is listening is not missed.
fn shutdown_token() -> Result<CancellationToken> {
    let token = CancellationToken::new();
    let signal = wait_for_signal()?;
    let t = token.clone();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("shutting down: finishing current work");
        t.cancel();
    });
    Ok(token)
}

#[cfg(unix)]
fn wait_for_signal() -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    Ok(async move {
        tokio::select! {
            _ = int.recv() => {}
            _ = term.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn wait_for_signal() -> Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
