//! Category precision and recall on a labeled TSV (columns `category` and `text`, optionally
//! `lang`), as printed by `vigia rules eval FILE`.
//!
//! Each post's gold label is one category (or `other`). The prediction compared with it is the
//! post's *primary* category: the heaviest of the categories its rules give it
//! ([`CategoryRules::primary`]), `other` when none. Per category we also report `tagged`: the
//! share of its posts that get the category at all, among others. That is what matters for
//! crisis triggers (`safety`, `legal`), since any tagged mention opens an incident.

use super::CategoryRules;
use crate::analysis::query::{Doc, Meta};
use std::collections::BTreeMap;

/// Scores of one category.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryScore {
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Share of the category's posts that get the category (primary or not).
    pub tagged: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub rows: usize,
    pub per_category: BTreeMap<String, CategoryScore>,
    /// Mean F1 over the categories the rules define.
    pub macro_f1: f64,
    /// Posts whose primary category is wrong: (gold, primary, all predicted, text).
    pub errors: Vec<(String, String, Vec<String>, String)>,
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tagged: usize,
}

/// Evaluates `rules` on the TSV text `tsv` (header line first).
pub fn evaluate(rules: &CategoryRules, tsv: &str) -> Result<Evaluation, String> {
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (cat_col, text_col) = match (col("category"), col("text")) {
        (Some(c), Some(t)) => (c, t),
        _ => return Err("the header needs 'category' and 'text' columns".to_owned()),
    };
    let lang_col = col("lang");
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    for name in rules.categories() {
        counts.insert(name.to_owned(), Counts::default());
    }
    let mut rows = 0;
    let mut errors = Vec::new();
    for (n, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(gold), Some(text)) = (cols.get(cat_col), cols.get(text_col)) else {
            return Err(format!("line {}: missing columns", n + 2));
        };
        let gold = &gold.trim();
        if gold.is_empty() {
            continue; // a row labeled for sentiment only (e.g. `GET /api/feedback.tsv`)
        }
        let hint = lang_col.and_then(|c| cols.get(c)).copied();
        let lang = crate::analysis::lang::detect(text, hint);
        let doc = Doc::new(text, lang, Meta::default());
        let predicted = rules.categorize_doc(&doc);
        let primary = rules.primary(&predicted).unwrap_or("other");
        tally(&mut counts, gold, primary, &predicted);
        if primary != *gold {
            errors.push((
                gold.to_string(),
                primary.to_owned(),
                predicted.clone(),
                text.to_string(),
            ));
        }
        rows += 1;
    }
    let mut eval = summarize(rows, counts);
    eval.errors = errors;
    Ok(eval)
}

fn tally(counts: &mut BTreeMap<String, Counts>, gold: &str, primary: &str, all: &[String]) {
    if let Some(c) = counts.get_mut(gold) {
        if primary == gold {
            c.tp += 1;
        } else {
            c.fn_ += 1;
        }
        c.tagged += usize::from(all.iter().any(|p| p == gold));
    }
    if primary != gold {
        if let Some(c) = counts.get_mut(primary) {
            c.fp += 1;
        }
    }
}

fn summarize(rows: usize, counts: BTreeMap<String, Counts>) -> Evaluation {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let mut per_category = BTreeMap::new();
    for (name, c) in counts {
        let precision = ratio(c.tp, c.tp + c.fp);
        let recall = ratio(c.tp, c.tp + c.fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let support = c.tp + c.fn_;
        let tagged = ratio(c.tagged, support);
        let score = CategoryScore {
            support,
            precision,
            recall,
            f1,
            tagged,
        };
        per_category.insert(name, score);
    }
    let n = per_category.len().max(1) as f64;
    let macro_f1 = per_category.values().map(|s| s.f1).sum::<f64>() / n;
    Evaluation {
        rows,
        per_category,
        macro_f1,
        errors: Vec::new(),
    }
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "category          n  precision  recall     F1  tagged")?;
        for (name, s) in &self.per_category {
            writeln!(
                f,
                "{name:<15} {:>3}      {:.3}   {:.3}  {:.3}   {:.3}",
                s.support, s.precision, s.recall, s.f1, s.tagged
            )?;
        }
        write!(f, "{} posts, macro-F1 {:.3}", self.rows, self.macro_f1)
    }
}
