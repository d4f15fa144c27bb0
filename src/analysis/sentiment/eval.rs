//! Evaluation of a sentiment engine against labeled posts: accuracy, per-class and macro F1,
//! and the confusion matrix, overall and per language (`vigia eval FILE`).

use super::Sentiment;
use crate::analysis::lang;
use crate::domain::{Lang, SentimentLabel};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const CLASSES: [SentimentLabel; 3] = [
    SentimentLabel::Negative,
    SentimentLabel::Neutral,
    SentimentLabel::Positive,
];

fn index(label: SentimentLabel) -> usize {
    match label {
        SentimentLabel::Negative => 0,
        SentimentLabel::Neutral => 1,
        SentimentLabel::Positive => 2,
    }
}

fn short(label: SentimentLabel) -> &'static str {
    &label.as_str()[..3]
}

/// Counts of (gold, predicted) pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Confusion {
    /// `counts[gold][predicted]`, classes in the order neg, neu, pos.
    pub counts: [[usize; 3]; 3],
}

impl Confusion {
    pub fn add(&mut self, gold: SentimentLabel, predicted: SentimentLabel) {
        self.counts[index(gold)][index(predicted)] += 1;
    }

    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..3).map(|i| self.counts[i][i]).sum();
        ratio(right, self.total())
    }

    /// F1 of one class (0 when it never occurs nor is predicted).
    pub fn f1(&self, class: SentimentLabel) -> f64 {
        let c = index(class);
        let tp = self.counts[c][c];
        let predicted: usize = (0..3).map(|g| self.counts[g][c]).sum();
        let gold: usize = self.counts[c].iter().sum();
        let (p, r) = (ratio(tp, predicted), ratio(tp, gold));
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Unweighted mean of the F1 of the classes present in the gold labels.
    pub fn macro_f1(&self) -> f64 {
        let present: Vec<SentimentLabel> = CLASSES
            .into_iter()
            .filter(|c| self.counts[index(*c)].iter().sum::<usize>() > 0)
            .collect();
        let sum: f64 = present.iter().map(|c| self.f1(*c)).sum();
        if present.is_empty() {
            0.0
        } else {
            sum / present.len() as f64
        }
    }

    /// A human-readable report block.
    pub fn render(&self, title: &str) -> String {
        let mut out = format!(
            "{title}: n={} accuracy={:.3} macro-F1={:.3}\n  F1:",
            self.total(),
            self.accuracy(),
            self.macro_f1()
        );
        for c in CLASSES {
            let _ = write!(out, " {}={:.3}", short(c), self.f1(c));
        }
        out.push_str("\n  confusion (rows gold, columns predicted):  neg  neu  pos\n");
        for g in CLASSES {
            let row = self.counts[index(g)];
            let _ = writeln!(
                out,
                "{:>44} {:>4} {:>4} {:>4}",
                short(g),
                row[0],
                row[1],
                row[2]
            );
        }
        out
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Results per language (the file's `lang` column, else the detected language) and overall.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub per_lang: BTreeMap<String, Confusion>,
    pub all: Confusion,
    /// Rows with a `lang` column, and how many of them were routed to that language.
    pub routed: (usize, usize),
}

impl Report {
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (lang, c) in &self.per_lang {
            out.push_str(&c.render(lang));
        }
        out.push_str(&self.all.render("all"));
        let (rows, right) = self.routed;
        if rows > 0 {
            let pct = 100.0 * ratio(right, rows);
            let _ = writeln!(out, "language routing: {right}/{rows} right ({pct:.1}%)");
        }
        out
    }
}

/// Scores every row of a TSV with a header naming at least `label` and `text` columns.
/// The text's language is detected as in the pipeline (no hint). Rows with an empty label
/// are skipped.
pub fn evaluate(tsv: &str, engine: &dyn Sentiment) -> Result<Report, String> {
    let mut lines = tsv.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, h)| h.split('\t').collect())
        .unwrap_or_default();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(label_col), Some(text_col)) = (col("label"), col("text")) else {
        return Err("the header must name the columns `label` and `text`".into());
    };
    let lang_col = col("lang");
    let mut report = Report::default();
    for (n, line) in lines.filter(|(_, l)| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| cols.get(i).copied().unwrap_or("").trim();
        if field(label_col).is_empty() {
            continue; // a row labeled for its category only (e.g. `GET /api/feedback.tsv`)
        }
        let gold = SentimentLabel::parse(field(label_col))
            .ok_or_else(|| format!("line {}: unknown label '{}'", n + 1, field(label_col)))?;
        let text = field(text_col);
        let detected = lang::detect(text, None);
        let predicted = engine.score(text, detected).label();
        let group = match lang_col.map(field) {
            Some(l) if !l.is_empty() => {
                let gold_lang = Lang::from_code(l);
                report.routed.0 += 1;
                report.routed.1 += usize::from(gold_lang == detected);
                gold_lang.code().to_owned()
            }
            _ => detected.code().to_owned(),
        };
        report
            .per_lang
            .entry(group)
            .or_default()
            .add(gold, predicted);
        report.all.add(gold, predicted);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SentimentLabel::{Negative as N, Neutral as U, Positive as P};

    #[test]
    fn metrics_of_a_small_matrix() {
        let mut c = Confusion::default();
        for (g, p) in [(P, P), (P, P), (P, U), (N, N), (N, P), (U, U)] {
            c.add(g, p);
        }
        assert!((c.accuracy() - 4.0 / 6.0).abs() < 1e-12);
        assert!((c.f1(P) - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.f1(N) - 2.0 / 3.0).abs() < 1e-12);
        assert!((c.f1(U) - 2.0 / 3.0).abs() < 1e-12);
        assert!(c.render("x").contains("macro-F1=0.667"));
    }

    #[test]
    fn rejects_files_without_the_columns() {
        let engine = crate::analysis::sentiment::SentimentEngine::new();
        assert!(evaluate("a\tb\n1\t2\n", &engine).is_err());
        let r = evaluate("label\ttext\npos\tgreat stuff, love it\n", &engine).unwrap();
        assert_eq!(r.all.accuracy(), 1.0);
    }
}
