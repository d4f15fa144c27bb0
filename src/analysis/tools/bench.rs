//! `vigia bench rules`: mentions per second for many rules over the demo mentions, with the
//! Aho-Corasick rule set and with a plain `regex::RegexSet` of the same rules.
//!
//! The rules are the shipped category queries that a regular expression can express (terms,
//! phrases, wildcards, OR), topped up to the requested count with generated queries of the
//! same kinds over words of the mentions themselves. Timings include preparing each post
//! (tokenizing and normalizing it) for our matcher; the regex set scans the raw text. Rates
//! are per second of the thread's CPU time on Linux (per core, whatever else the machine runs).

use crate::analysis::query::{Doc, Query, RuleSet};
use crate::analysis::rules::CategoryRules;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// What one run measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub rules: usize,
    pub mentions: usize,
    pub ours_per_sec: f64,
    /// Preparing the posts only (tokenizing and normalizing), without any rule.
    pub prepare_per_sec: f64,
    pub regex_per_sec: f64,
    pub ours_matches: usize,
    pub regex_matches: usize,
}

impl std::fmt::Display for BenchReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} rules, {} mentions", self.rules, self.mentions)?;
        writeln!(
            f,
            "aho-corasick + verify: {:>12.0} mentions/s ({} rule matches)",
            self.ours_per_sec, self.ours_matches
        )?;
        writeln!(
            f,
            "  of which preparing:  {:>12.0} mentions/s (tokenize + normalize alone)",
            self.prepare_per_sec
        )?;
        writeln!(
            f,
            "regex::RegexSet:       {:>12.0} mentions/s ({} rule matches)",
            self.regex_per_sec, self.regex_matches
        )?;
        write!(
            f,
            "ratio: {:.1}x",
            self.ours_per_sec / self.regex_per_sec.max(1e-9)
        )
    }
}

/// Texts of a JSONL mention file (`{"text": ...}` per line; other lines are skipped).
pub fn load_texts(path: &Path) -> Result<Vec<String>> {
    let body = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    Ok(body
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text")?.as_str().map(str::to_owned))
        .collect())
}

/// `count` regex-expressible queries: the shipped ones first, then generated ones.
pub fn bench_queries(keywords: &Path, texts: &[String], count: usize) -> Result<Vec<Query>> {
    let shipped = CategoryRules::load_dir(keywords)?;
    let mut queries: Vec<Query> = shipped
        .queries()
        .iter()
        .filter(|q| q.to_regex().is_some())
        .take(count)
        .cloned()
        .collect();
    let words = vocabulary(texts);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut pick = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        words[(seed >> 33) as usize % words.len().max(1)].as_str()
    };
    let mut i = 0;
    while queries.len() < count && !words.is_empty() {
        let source = match i % 4 {
            0 => format!("\"{} {}\"", pick(), pick()),
            1 => {
                let w = pick();
                format!("{}*", &w[..w.len().min(5)])
            }
            2 => format!("{} OR {} OR {}", pick(), pick(), pick()),
            _ => format!("{}s", pick()),
        };
        i += 1;
        if let Ok(q) = Query::parse(&source) {
            queries.push(q);
        }
    }
    Ok(queries)
}

/// Words of 4+ ASCII letters in the texts, most frequent first.
fn vocabulary(texts: &[String]) -> Vec<String> {
    let mut freq: BTreeMap<String, usize> = BTreeMap::new();
    for t in texts {
        for w in t
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 4)
        {
            *freq.entry(w.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let mut words: Vec<(String, usize)> = freq.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.into_iter().take(2_000).map(|(w, _)| w).collect()
}

/// CPU time this thread has used, where the OS tells (Linux `/proc/thread-self/schedstat`).
pub fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `f` over all texts repeatedly for at least `min`; returns texts per second of CPU
/// time (wall time where CPU time is unknown), so a busy machine does not skew the numbers,
/// and the matches of one pass.
fn measure(texts: &[String], min: Duration, mut f: impl FnMut(&str) -> usize) -> (f64, usize) {
    let (start, cpu_start) = (Instant::now(), thread_cpu());
    let (mut done, mut matches) = (0usize, 0usize);
    while start.elapsed() < min || done == 0 {
        matches = texts.iter().map(|t| f(t)).sum();
        done += texts.len();
    }
    let spent = match (cpu_start, thread_cpu()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => start.elapsed(),
    };
    (done as f64 / spent.as_secs_f64(), matches)
}

/// Benchmarks `count` rules over the mentions in `mentions` for about `min` per engine.
pub fn run(keywords: &Path, mentions: &Path, count: usize, min: Duration) -> Result<BenchReport> {
    let texts = load_texts(mentions)?;
    let queries = bench_queries(keywords, &texts, count)?;
    let patterns: Vec<String> = queries
        .iter()
        .filter_map(Query::to_regex)
        .map(|r| format!("(?i){r}"))
        .collect();
    let regex = regex::RegexSetBuilder::new(&patterns)
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 30)
        .build()
        .context("building the RegexSet")?;
    let set = RuleSet::new(queries);
    let (ours_per_sec, ours_matches) = measure(&texts, min, |t| set.matching(&Doc::text(t)).len());
    let (prepare_per_sec, _) = measure(&texts, min, |t| Doc::text(t).tokens.len());
    let (regex_per_sec, regex_matches) = measure(&texts, min, |t| regex.matches(t).iter().count());
    Ok(BenchReport {
        rules: set.len(),
        mentions: texts.len(),
        ours_per_sec,
        prepare_per_sec,
        regex_per_sec,
        ours_matches,
        regex_matches,
    })
}
