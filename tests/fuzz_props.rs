//! Fuzz-style property tests on stable Rust: hostile input never panics, it is an error or a
//! result. Covered: the query parser, the sentiment engine, every source parser (seeded with
//! the real API payloads of `VIGIA_SHARED_DATA/api-samples` when available, then mutated byte-
//! and value-wise) and both webhook bodies (generic and Meta).
//!
//! Cases per property: `VIGIA_FUZZ_CASES` (default 256). A long run: `VIGIA_FUZZ_SECS=600
//! cargo test --release --test fuzz_props -- --nocapture` repeats batches with fresh seeds
//! for ten minutes per property; each prints how many cases it ran.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use vigia::analysis::query::{Doc, Query};
use vigia::analysis::sentiment::{Sentiment, SentimentEngine};
use vigia::domain::Lang;
use vigia::sources::{PARSE_KINDS, meta, parse_body, webhook};

fn cases() -> u32 {
    std::env::var("VIGIA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// For a long run: keep fuzzing (batches of `cases()`, fresh seeds) for this many seconds.
fn seconds() -> u64 {
    std::env::var("VIGIA_FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Runs `check` on `cases()` values of `strategy` (again and again for `VIGIA_FUZZ_SECS`),
/// and says how many ran.
fn fuzz<T: std::fmt::Debug>(
    name: &str,
    strategy: impl Strategy<Value = T>,
    check: impl Fn(T) -> Result<(), TestCaseError>,
) {
    let ran = AtomicU64::new(0);
    let started = std::time::Instant::now();
    loop {
        let config = Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |v| {
            ran.fetch_add(1, Ordering::Relaxed);
            check(v)
        });
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
        if started.elapsed().as_secs() >= seconds() {
            break;
        }
    }
    eprintln!(
        "fuzz {name}: {} cases in {:.0} s",
        ran.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
}

/// The sample directory of a source kind under `api-samples/`.
fn sample_dir(kind: &str) -> &'static str {
    match kind {
        "hackernews" => "hackernews_algolia",
        "x" => "x_twitter",
        "rss" => "rss_atom",
        "meta" => "whatsapp",
        "mastodon" => "mastodon",
        "bluesky" => "bluesky",
        "reddit" => "reddit",
        "youtube" => "youtube",
        other => panic!("no sample directory for {other}"),
    }
}

/// Real response bodies of `kind` (JSON or XML files), or a minimal body when the shared
/// data is not there.
fn seeds(kind: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Ok(root) = std::env::var("VIGIA_SHARED_DATA") {
        let dir = PathBuf::from(root)
            .join("api-samples")
            .join(sample_dir(kind));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if matches!(ext, "json" | "xml" | "rss" | "atom") {
                if let Ok(bytes) = std::fs::read(&f) {
                    out.push(bytes);
                }
            }
        }
    } else {
        eprintln!("VIGIA_SHARED_DATA unset: fuzzing {kind} from a minimal seed only");
    }
    if out.is_empty() {
        out.push(br#"{"data":[],"statuses":[],"items":[],"posts":[],"hits":[]}"#.to_vec());
    }
    out
}

/// A hostile JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::String),
        Just(json!("2026-03-02T10:00:00Z")),
        Just(json!("\u{202e}\u{0}\u{1b}")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `n`-th value (in document order) of `doc` by `new`.
fn replace_nth(doc: &mut Value, n: &mut usize, new: &Value) -> bool {
    if *n == 0 {
        *doc = new.clone();
        return true;
    }
    *n -= 1;
    match doc {
        Value::Array(items) => items.iter_mut().any(|v| replace_nth(v, n, new)),
        Value::Object(map) => map.values_mut().any(|v| replace_nth(v, n, new)),
        _ => false,
    }
}

/// One mutation of a seed body.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace one JSON value (kept valid JSON, so parsers go deep).
    Value(usize, Value),
    /// Overwrite, insert or cut bytes.
    Bytes(Vec<(usize, u8, u8)>),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), json_value()).prop_map(|(n, v)| Mutation::Value(n, v)),
        2 => prop::collection::vec((any::<usize>(), 0u8..3, any::<u8>()), 1..8).prop_map(Mutation::Bytes),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(seed: &[u8], m: &Mutation) -> Vec<u8> {
    match m {
        Mutation::Value(n, v) => match serde_json::from_slice::<Value>(seed) {
            Ok(mut doc) => {
                let mut nth = n % 400;
                replace_nth(&mut doc, &mut nth, v);
                serde_json::to_vec(&doc).unwrap_or_default()
            }
            Err(_) => seed.to_vec(),
        },
        Mutation::Bytes(edits) => {
            let mut out = seed.to_vec();
            for (at, op, byte) in edits {
                let i = if out.is_empty() { 0 } else { at % out.len() };
                match op {
                    0 if !out.is_empty() => out[i] = *byte,
                    1 => out.insert(i, *byte),
                    _ if !out.is_empty() => {
                        out.remove(i);
                    }
                    _ => {}
                }
            }
            out
        }
        Mutation::Truncate(at) => seed[..at % (seed.len() + 1)].to_vec(),
    }
}

fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    (0..n, mutation()).prop_map(move |(i, m)| apply(&seeds[i], &m))
}

#[test]
fn every_source_parser_survives_mutated_real_payloads() {
    // One thread per source, so a long run gives each its full time.
    std::thread::scope(|scope| {
        for kind in PARSE_KINDS {
            scope.spawn(move || {
                fuzz(&format!("source {kind}"), mutated(seeds(kind)), |body| {
                    // An answer, never a panic. (The 10-minute run found that the YouTube
                    // parser accepts a comment with an empty id; reported, not asserted here.)
                    let _ = parse_body(kind, &body);
                    Ok(())
                });
            });
        }
    });
}

#[test]
fn the_generic_webhook_body_parser_survives_hostile_bodies() {
    let seed = json!({"mentions": [{"id": "w-1", "created_at": "2026-03-02T10:00:00Z",
        "text": "@rapiplato pésimo", "author": {"handle": "ana", "name": "Ana"}, "url": "https://x.example/1"}]});
    let seeds = vec![serde_json::to_vec(&seed).unwrap()];
    fuzz("webhook generic", mutated(seeds), |body| {
        if let Ok(mentions) = webhook::parse_body("webhook:tienda", &body) {
            for m in mentions {
                prop_assert!(!m.external_id.trim().is_empty());
                prop_assert_eq!(m.source, "webhook:tienda");
            }
        }
        Ok(())
    });
}

#[test]
fn the_meta_webhook_body_parser_survives_hostile_bodies() {
    fuzz("webhook meta", mutated(seeds("meta")), |body| {
        let _ = meta::parse_body(&body);
        Ok(())
    });
}

#[test]
fn the_query_parser_survives_arbitrary_queries() {
    let query = prop_oneof![
        any::<String>(),
        "[a-z()\" *?:#@/0-9]{0,60}",
        "((a OR b) AND NOT c NEAR/3 \"d e\"){1,3}",
    ];
    fuzz("query parser", (query, any::<String>()), |(q, text)| {
        if let Ok(parsed) = Query::parse(&q) {
            let _ = parsed.matches(&Doc::text(&text));
        }
        Ok(())
    });
}

#[test]
fn the_sentiment_engine_scores_arbitrary_text_in_range() {
    let engine = SentimentEngine::new();
    let text = prop_oneof![
        any::<String>(),
        "[a-záéíóúñ!?:)(😡🤮 ]{0,200}",
        prop::collection::vec(
            prop_oneof![
                Just("no "),
                Just("muy "),
                Just("pésimo"),
                Just("NOT "),
                Just("good"),
                Just("!!!"),
                Just("xq "),
                Just("jajaja"),
                Just("\u{202e}")
            ],
            0..40
        )
        .prop_map(|w| w.concat()),
    ];
    fuzz("sentiment", text, |text| {
        for lang in [Lang::Es, Lang::En, Lang::Other] {
            let s = engine.score(&text, lang);
            prop_assert!((-1.0..=1.0).contains(&s.compound), "{s:?}");
            prop_assert!((s.pos + s.neu + s.neg - 1.0).abs() < 0.01, "{s:?}");
        }
        Ok(())
    });
}
