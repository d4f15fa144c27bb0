//! Sentiment throughput on one thread: `cargo bench --bench sentiment`.
//!
//! Posts: the 4,200 tweets of `$VIGIA_SHARED_DATA/vader-reference` (English, 80 characters
//! on average) and the 261 posts of `$VIGIA_SHARED_DATA/mentions-dev` (200 Spanish, 61
//! English, 73 characters on average). Two kinds of figures:
//!
//! - **engine only**: `engine.score(text, lang)` with the language given and no explanation
//!   (the exact VADER pack, and the product engine's English and Spanish routes);
//! - **product route**: what ingest runs per mention (`Analyzer::analyze`) and what `vigia
//!   score --lang auto` runs per line: `lang::detect(text, None)` (no network hint) and then
//!   `engine.score_explained(text, lang, 5)`. This is the figure users get. Language
//!   detection alone is printed too.
//!
//! Rates are posts per second of the thread's CPU time (best of several rounds; wall time
//! where the OS does not tell CPU time), so a busy machine does not skew the numbers. It
//! asserts nothing: timings are not pass/fail.

use std::hint::black_box;
use std::time::{Duration, Instant};
use vigia::analysis::lang;
use vigia::analysis::sentiment::{Sentiment, SentimentEngine, VaderEnglish};
use vigia::analysis::tools::bench::thread_cpu;
use vigia::domain::Lang;

fn shared(path: &str) -> Option<String> {
    let dir = std::env::var_os("VIGIA_SHARED_DATA")?;
    std::fs::read_to_string(std::path::Path::new(&dir).join(path)).ok()
}

/// The `text` column (last) of the rows of a TSV whose column `col` equals `value`.
fn column(tsv: &str, col: usize, value: &str) -> Vec<String> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(col) == Some(&value)).then(|| cols.last().unwrap_or(&"").to_string())
        })
        .collect()
}

/// Best posts/second over a few rounds of about half a second each.
fn rate(posts: &[String], mut score: impl FnMut(&str) -> f64) -> f64 {
    let mut best: f64 = 0.0;
    for _ in 0..6 {
        let (start, cpu_start, mut n) = (Instant::now(), thread_cpu(), 0usize);
        while start.elapsed() < Duration::from_millis(500) {
            for p in posts {
                black_box(score(black_box(p)));
            }
            n += posts.len();
        }
        let spent = match (cpu_start, thread_cpu()) {
            (Some(a), Some(b)) if b > a => b - a,
            _ => start.elapsed(),
        };
        best = best.max(n as f64 / spent.as_secs_f64());
    }
    best
}

/// What ingest runs per mention: detection without a hint, then the explained score.
fn product_route(engine: &SentimentEngine, text: &str) -> f64 {
    let lang = lang::detect(text, None);
    let (score, why) = engine.score_explained(text, lang, 5);
    score.compound + why.len() as f64
}

fn main() {
    let (Some(reference), Some(dev)) = (
        shared("vader-reference/vader-3.3.2-reference.tsv"),
        shared("mentions-dev/mentions-dev.tsv"),
    ) else {
        println!("notice: VIGIA_SHARED_DATA is not set; nothing to benchmark");
        return;
    };
    let tweets = column(&reference, 0, "tweets");
    let spanish = column(&dev, 1, "es");
    let mut mixed = column(&dev, 1, "es");
    mixed.extend(column(&dev, 1, "en"));
    mixed.extend(tweets.iter().cloned());
    let vader = VaderEnglish::new();
    let engine = SentimentEngine::new();
    println!("engine only (language given, no explanation):");
    let r = rate(&tweets, |t| vader.polarity_scores(t).compound);
    println!(
        "  English, VADER pack:     {r:>10.0} posts/s ({} tweets)",
        tweets.len()
    );
    let r = rate(&tweets, |t| engine.score(t, Lang::En).compound);
    println!("  English, product engine: {r:>10.0} posts/s");
    let r = rate(&spanish, |t| engine.score(t, Lang::Es).compound);
    println!(
        "  Spanish, product engine: {r:>10.0} posts/s ({} posts)",
        spanish.len()
    );
    println!("product route (lang::detect, no hint, + score_explained(top=5)), what users get:");
    let r = rate(&tweets, |t| product_route(&engine, t));
    println!("  English tweets:          {r:>10.0} posts/s");
    let r = rate(&spanish, |t| product_route(&engine, t));
    println!("  Spanish posts:           {r:>10.0} posts/s");
    let r = rate(&mixed, |t| product_route(&engine, t));
    println!(
        "  all posts together:      {r:>10.0} posts/s ({} posts)",
        mixed.len()
    );
    let r = rate(&mixed, |t| f64::from(lang::detect(t, None) == Lang::Es));
    println!("  of which lang::detect:   {r:>10.0} posts/s (detection alone)");
}
