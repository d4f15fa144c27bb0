//! The brand's recent mentions in memory: what the sliding-window detectors count, without a
//! query per mention. Entries are kept in event-time order for one window behind the newest
//! mention seen; running totals answer the usual case (the mention being evaluated is the
//! newest) in constant time, and a late mention is counted over the entries still held.

use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, VecDeque};

use super::detectors::Window;
pub use crate::domain::Recent;
use crate::domain::SentimentLabel;

#[derive(Debug, Default)]
struct Totals {
    total: i64,
    negative: i64,
    positive: i64,
    /// Negative mentions per category.
    negative_in: HashMap<String, i64>,
}

impl Totals {
    fn add(&mut self, e: &Recent, sign: i64) {
        self.total += sign;
        match e.label {
            SentimentLabel::Negative => {
                self.negative += sign;
                for c in &e.categories {
                    let n = self.negative_in.entry(c.clone()).or_default();
                    *n += sign;
                    if *n == 0 {
                        self.negative_in.remove(c);
                    }
                }
            }
            SentimentLabel::Positive => self.positive += sign,
            SentimentLabel::Neutral => {}
        }
    }
}

/// Mentions with event time in `(newest - minutes, newest]`.
#[derive(Debug)]
pub struct RecentMentions {
    minutes: i64,
    entries: VecDeque<Recent>,
    totals: Totals,
}

impl RecentMentions {
    pub fn new(minutes: i64) -> RecentMentions {
        RecentMentions {
            minutes,
            entries: VecDeque::new(),
            totals: Totals::default(),
        }
    }

    fn span(&self) -> Duration {
        Duration::minutes(self.minutes)
    }

    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.entries.back().map(|e| e.at)
    }

    /// Adds a mention (after any of the same time; once per id) and drops what fell out of
    /// the window.
    pub fn push(&mut self, e: Recent) {
        if self.newest().is_some_and(|n| e.at <= n - self.span()) {
            return; // older than anything the window can still count
        }
        let i = self.entries.partition_point(|x| x.at <= e.at);
        let same_time = self.entries.range(..i).rev().take_while(|x| x.at == e.at);
        if same_time.into_iter().any(|x| x.mention_id == e.mention_id) {
            return; // already held (the state was just rebuilt with it)
        }
        self.totals.add(&e, 1);
        self.entries.insert(i, e);
        let Some(newest) = self.newest() else { return };
        while let Some(front) = self.entries.front() {
            if front.at > newest - self.span() {
                break;
            }
            let old = self.entries.pop_front().expect("front exists");
            self.totals.add(&old, -1);
        }
    }

    /// Entries with event time in `(to - minutes, to]`.
    fn range(&self, to: DateTime<Utc>) -> impl Iterator<Item = &Recent> {
        let from = to - self.span();
        let start = self.entries.partition_point(|x| x.at <= from);
        let end = self.entries.partition_point(|x| x.at <= to);
        self.entries.range(start..end)
    }

    fn is_head(&self, to: DateTime<Utc>) -> bool {
        self.newest().is_none_or(|n| n <= to)
    }

    /// Counts in the window that ends at `to`.
    pub fn window(&self, to: DateTime<Utc>) -> Window {
        let mut w = Window {
            minutes: self.minutes,
            ..Window::default()
        };
        if self.is_head(to) {
            w.total = self.totals.total;
            w.negative = self.totals.negative;
            w.positive = self.totals.positive;
            return w;
        }
        for e in self.range(to) {
            w.total += 1;
            w.negative += i64::from(e.label == SentimentLabel::Negative);
            w.positive += i64::from(e.label == SentimentLabel::Positive);
        }
        w
    }

    /// Negative mentions of `category` in the window that ends at `to`.
    pub fn category_negative(&self, category: &str, to: DateTime<Utc>) -> i64 {
        if self.is_head(to) {
            return self.totals.negative_in.get(category).copied().unwrap_or(0);
        }
        self.range(to)
            .filter(|e| {
                e.label == SentimentLabel::Negative && e.categories.iter().any(|c| c == category)
            })
            .count() as i64
    }

    /// Negative mentions in the window that ends at `to`: how many carry one of `categories`,
    /// and how many there are.
    pub fn negatives_in_any(
        &self,
        categories: &std::collections::BTreeSet<String>,
        to: DateTime<Utc>,
    ) -> (i64, i64) {
        let mut of = (0, 0);
        for e in self
            .range(to)
            .filter(|e| e.label == SentimentLabel::Negative)
        {
            of.0 += i64::from(e.categories.iter().any(|c| categories.contains(c)));
            of.1 += 1;
        }
        of
    }

    /// Negative mentions (optionally of one category) in the window that ends at `to`, oldest
    /// first: the burst a surge detector counted.
    pub fn negative_ids(
        &self,
        category: Option<&str>,
        to: DateTime<Utc>,
    ) -> Vec<(i64, DateTime<Utc>)> {
        self.range(to)
            .filter(|e| e.label == SentimentLabel::Negative)
            .filter(|e| category.is_none_or(|c| e.categories.iter().any(|x| x == c)))
            .map(|e| (e.mention_id, e.at))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        "2026-03-02T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
    }

    fn neg(id: i64, minute: i64, cats: &[&str]) -> Recent {
        Recent {
            mention_id: id,
            at: at(minute),
            label: SentimentLabel::Negative,
            categories: cats.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn counts_the_window_that_ends_at_the_mention() {
        let mut r = RecentMentions::new(60);
        r.push(neg(1, 0, &["safety"]));
        r.push(neg(2, 30, &["safety", "delivery"]));
        r.push(Recent {
            label: SentimentLabel::Positive,
            ..neg(3, 59, &[])
        });
        let w = r.window(at(59));
        assert_eq!((w.total, w.negative, w.positive), (3, 2, 1));
        assert_eq!(r.category_negative("safety", at(59)), 2);
        // (0, 60]: the mention at minute 0 is out.
        r.push(neg(4, 60, &[]));
        assert_eq!(r.window(at(60)).negative, 2);
        assert_eq!(r.category_negative("safety", at(60)), 1);
        assert_eq!(r.category_negative("delivery", at(60)), 1);
    }

    #[test]
    fn a_late_mention_is_counted_over_its_own_window() {
        let mut r = RecentMentions::new(60);
        for (id, m) in [(1, 10), (2, 40), (3, 65)] {
            r.push(neg(id, m, &["legal"]));
        }
        r.push(neg(4, 20, &["legal"]));
        // Window (-40, 20]: minutes 10 and 20.
        assert_eq!(r.window(at(20)).negative, 2);
        assert_eq!(r.category_negative("legal", at(20)), 2);
        assert_eq!(
            r.negative_ids(Some("legal"), at(20)),
            vec![(1, at(10)), (4, at(20))]
        );
        // The head still counts (5, 65]: 10, 20, 40, 65.
        assert_eq!(r.window(at(65)).negative, 4);
    }
}
