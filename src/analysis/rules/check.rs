//! `vigia rules check [PATH]`: errors and warnings for rule files, as `file:line:col: message`.

use super::{CategoryRules, Entry, RulesError, file};
use std::path::Path;

/// What `rules check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub files: usize,
    pub queries: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

/// Checks a rule file, or every `*.toml` file of a directory. Each file is checked on its
/// own, so one broken file does not hide the problems of the others.
pub fn check_path(path: &Path) -> CheckReport {
    let mut report = CheckReport::default();
    let files = if path.is_dir() {
        match file::rule_files(path) {
            Ok(files) => files,
            Err(e) => {
                report.errors.push(e.to_string());
                return report;
            }
        }
    } else {
        vec![path.to_path_buf()]
    };
    let mut all: Vec<Entry> = Vec::new();
    for path in files {
        report.files += 1;
        match load_one(&path) {
            Ok(entries) => all.extend(entries),
            Err(e) => report.errors.push(e.to_string()),
        }
    }
    report.queries = all.len();
    report.warnings = warnings(&all);
    report
}

fn load_one(path: &Path) -> Result<Vec<Entry>, RulesError> {
    let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let name = path.display().to_string();
    // Building the rules also validates them as `serve` would.
    CategoryRules::from_toml_str(&name, &text)?;
    Ok(file::parse(&name, &text)?.1)
}

fn warnings(entries: &[Entry]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for problem in e.query.problems() {
            out.push(format!(
                "{}: warning: category '{}': {problem}",
                e.at, e.category
            ));
        }
        let earlier = entries[..i].iter().find(|o| {
            o.category == e.category && o.exclude == e.exclude && o.query.same_as(&e.query)
        });
        if let Some(first) = earlier {
            out.push(format!(
                "{}: warning: category '{}': duplicate of {} at {}",
                e.at,
                e.category,
                first.query.source(),
                first.at
            ));
        }
    }
    out
}
