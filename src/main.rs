//! `vigia` command line.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

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
    /// Configuration file.
    #[arg(
        long,
        short,
        global = true,
        default_value = "vigia.toml",
        env = "VIGIA_CONFIG"
    )]
    config: PathBuf,
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
    /// Score posts from stdin (one per line) and print one JSON object per line.
    Score {
        #[arg(long, value_enum, default_value_t)]
        lang: sentiment::cli::LangChoice,
        /// Add the words that contributed most, with their valences.
        #[arg(long)]
        explain: bool,
    },
    /// Evaluate sentiment on a labeled TSV (columns label, text; optional lang).
    Eval { file: PathBuf },
    /// Manage customer profiles.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
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
    match &cli.command {
        Command::Score { lang, explain } => return sentiment::cli::score(*lang, *explain),
        Command::Eval { file } => return sentiment::cli::eval(file),
        _ => {}
    }
    let config = vigia::config::load(&cli.config)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let app = App::build(config, clock.clone()).await?;
    match cli.command {
        Command::Serve { listen } => {
            let shutdown = shutdown_token()?;
            let addr = listen.unwrap_or(app.config.http.listen);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            tracing::info!(addr = %listener.local_addr()?, "Vigía is listening");
            app.serve(listener, shutdown).await?;
        }
        Command::Migrate => println!("database is up to date"),
        Command::Poll { feed, once: true } => {
            let report = app.poll_once(&feed).await?;
            let sent = app.flush_outbox().await?;
            println!(
                "{}",
                serde_json::json!({
                    "feed": feed, "received": report.received, "stored": report.stored,
                    "duplicates": report.duplicates, "incidents_opened": report.incidents_opened,
                    "tickets_opened": report.tickets_opened, "tickets_appended": report.tickets_appended,
                    "messages_delivered": sent.delivered, "messages_failed": sent.failed,
                })
            );
        }
        Command::Poll { feed, once: false } => app.run_feed(&feed, shutdown_token()?).await?,
        Command::Score { .. } | Command::Eval { .. } => {} // answered above, without the app
        Command::Customers {
            command: CustomersCommand::Import { file },
        } => {
            return import_customers(&app, &file, clock.as_ref()).await;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn import_customers(
    app: &App,
    file: &std::path::Path,
    clock: &dyn Clock,
) -> Result<std::process::ExitCode> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let report = vigia::helpdesk::import::import_csv(app.store(), reader, clock.now()).await?;
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
