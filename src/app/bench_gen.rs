//! Synthetic mentions for the benchmarks (`vigia bench ingest`, `vigia bench dashboard`),
//! written as replay JSONL so they go through the real pipeline. Deterministic (a fixed-seed
//! xorshift), so runs compare. What they look like:
//!
//! - several brands with different volumes (the first gets half the mentions);
//! - two thirds Spanish, one third English, 6–40 words, with slang, emoji and hashtags drawn
//!   from [`super::bench_words`];
//! - about 35% complaints (delivery, refund, wait time, outage, staff, billing), 15% praise,
//!   10% questions, the rest neutral chatter; 3% reposts, 8% replies in a thread;
//! - authors drawn from a pool with a heavy head (some people post a lot, most once or
//!   twice), so profiles, follow-ups and ticket threads happen;
//! - three crisis bursts per brand (two hours each) in which most of the brand's mentions are
//!   food-safety reports.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::bench_words::*;

const NETWORKS: [(&str, &str); 4] = [
    ("x", "https://x.com/{h}/status/{id}"),
    ("mastodon", "https://mastodon.social/@{h}/{id}"),
    ("bluesky", "https://bsky.app/profile/{h}/post/{id}"),
    ("reddit", "https://www.reddit.com/comments/{id}"),
];
const BURST_HOURS: i64 = 2;

/// A fixed-seed xorshift64 generator.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenSpec {
    pub brands: Vec<String>,
    pub mentions: u64,
    /// Time of the last mention; the first is `span_hours` before.
    pub end: DateTime<Utc>,
    pub span_hours: i64,
    pub seed: u64,
}

/// One generated mention: its brand (index into [`GenSpec::brands`]) and its replay line.
pub struct Generated {
    pub brand: usize,
    pub line: String,
}

/// Generates the mentions in time order.
pub struct Generator {
    spec: GenSpec,
    rng: Rng,
    index: u64,
    step_ms: f64,
    start: DateTime<Utc>,
    authors: usize,
}

impl Generator {
    pub fn new(spec: GenSpec) -> Generator {
        let span_ms = (spec.span_hours.max(1) * 3_600_000) as f64;
        let step_ms = span_ms / spec.mentions.max(1) as f64;
        let start = spec.end - Duration::hours(spec.span_hours.max(1));
        // One author per ~8 mentions, at least a thousand.
        let authors = (spec.mentions as usize / 8).max(1000);
        Generator {
            rng: Rng::new(spec.seed),
            spec,
            index: 0,
            step_ms,
            start,
            authors,
        }
    }

    /// Whether `at` (a fraction of the span) falls in one of brand `brand`'s three bursts.
    fn in_burst(&self, brand: usize, at: f64) -> bool {
        let span = self.spec.span_hours.max(1) as f64;
        let width = BURST_HOURS as f64 / span;
        (0..3).any(|k| {
            let start = 0.15 + 0.27 * k as f64 + 0.05 * brand as f64;
            (start..start + width).contains(&at)
        })
    }

    fn brand(&mut self) -> usize {
        let n = self.spec.brands.len();
        // Half to the first brand, the rest spread evenly.
        if n == 1 || self.rng.below(2) == 0 {
            0
        } else {
            1 + self.rng.below(n - 1)
        }
    }

    /// A heavy-headed author index: a tenth of the authors write about half the mentions.
    fn author(&mut self) -> usize {
        if self.rng.below(2) == 0 {
            self.rng.below(self.authors / 10 + 1)
        } else {
            self.rng.below(self.authors)
        }
    }

    fn text(&mut self, brand: &str, topic: &Topic, spanish: bool) -> String {
        let rng = &mut self.rng;
        let (opener, body, closer) = if spanish {
            (
                rng.pick(OPENERS_ES),
                rng.pick(topic.es),
                rng.pick(CLOSERS_ES),
            )
        } else {
            (
                rng.pick(OPENERS_EN),
                rng.pick(topic.en),
                rng.pick(CLOSERS_EN),
            )
        };
        let body = body
            .replace("{d}", rng.pick(DISHES))
            .replace("{p}", rng.pick(PLACES))
            .replace("{t}", rng.pick(SPANS))
            .replace("{n}", rng.pick(FIRST_NAMES));
        let tag = match rng.below(3) {
            0 => format!("@{brand} "),
            1 => format!("#{brand} "),
            _ => format!("{} ", capitalized(brand)),
        };
        let extra = if rng.below(3) == 0 {
            let more = if spanish { topic.es } else { topic.en };
            let second = rng.pick(more).replace("{d}", rng.pick(DISHES));
            let second = second
                .replace("{p}", rng.pick(PLACES))
                .replace("{t}", rng.pick(SPANS));
            format!(". {second}")
        } else {
            String::new()
        };
        format!("{opener}{tag}{body}{extra}{closer}")
    }

    fn topic(&mut self, in_burst: bool) -> &'static Topic {
        if in_burst && self.rng.below(10) < 7 {
            return &CRISIS;
        }
        match self.rng.below(100) {
            0..35 => &COMPLAINTS[self.rng.below(COMPLAINTS.len())],
            35..50 => &PRAISE,
            50..60 => &QUESTIONS,
            _ => &NEUTRAL,
        }
    }
}

impl Iterator for Generator {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        if self.index >= self.spec.mentions {
            return None;
        }
        let i = self.index;
        self.index += 1;
        let jitter = self.rng.unit() * self.step_ms;
        let offset_ms = (i as f64 * self.step_ms + jitter) as i64;
        let at = self.start + Duration::milliseconds(offset_ms);
        let brand = self.brand();
        let fraction = i as f64 / self.spec.mentions.max(1) as f64;
        let burst = self.in_burst(brand, fraction);
        let topic = self.topic(burst);
        let spanish = self.rng.below(3) < 2;
        let brand_name = self.spec.brands[brand].clone();
        let text = self.text(&brand_name, topic, spanish);
        let author = self.author();
        let (network, url) = self.rng.pick(&NETWORKS);
        let handle = format!("{}_{author}", FIRST_NAMES[author % FIRST_NAMES.len()]);
        let id = format!("{network}-b{i}");
        let thread = (i > 10 && self.rng.below(100) < 8)
            .then(|| format!("{network}-b{}", i - 1 - self.rng.below(10) as u64));
        let followers = (self.rng.unit().powi(4) * 50_000.0) as i64;
        let line = json!({
            "id": id,
            "source": network,
            "created_at": at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "text": text,
            "author": {"handle": handle, "name": capitalized(FIRST_NAMES[author % FIRST_NAMES.len()]), "followers": followers},
            "url": url.replace("{h}", &handle).replace("{id}", &i.to_string()),
            "lang": if spanish { "es" } else { "en" },
            "likes": self.rng.below(20),
            "reposts": self.rng.below(5),
            "replies": self.rng.below(4),
            "reply_to": thread,
            "thread_id": thread,
            "is_repost": self.rng.below(100) < 3,
        })
        .to_string();
        Some(Generated { brand, line })
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(n: u64) -> GenSpec {
        GenSpec {
            brands: vec!["rapiplato".into(), "comidaya".into()],
            mentions: n,
            end: "2026-03-31T00:00:00Z".parse().unwrap(),
            span_hours: 24 * 10,
            seed: 7,
        }
    }

    #[test]
    fn mentions_are_in_time_order_with_varied_text_and_both_languages() {
        let all: Vec<Generated> = Generator::new(spec(5000)).collect();
        assert_eq!(all.len(), 5000);
        let values: Vec<serde_json::Value> = all
            .iter()
            .map(|g| serde_json::from_str(&g.line).unwrap())
            .collect();
        let times: Vec<&str> = values
            .iter()
            .map(|v| v["created_at"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        let mut words = std::collections::HashSet::new();
        for v in &values {
            for w in v["text"].as_str().unwrap().split_whitespace() {
                words.insert(w.to_lowercase());
            }
        }
        assert!(words.len() > 400, "only {} distinct words", words.len());
        let es = values.iter().filter(|v| v["lang"] == "es").count();
        assert!((2500..4200).contains(&es), "{es} Spanish of 5000");
        assert!(all.iter().any(|g| g.brand == 1));
        let crisis = values
            .iter()
            .filter(|v| {
                let t = v["text"].as_str().unwrap();
                t.contains("urgencias") || t.contains("food poisoning") || t.contains("hospital")
            })
            .count();
        assert!(crisis > 20, "{crisis} crisis posts");
    }

    #[test]
    fn the_same_seed_gives_the_same_mentions() {
        let a: Vec<String> = Generator::new(spec(300)).map(|g| g.line).collect();
        let b: Vec<String> = Generator::new(spec(300)).map(|g| g.line).collect();
        assert_eq!(a, b);
    }
}
