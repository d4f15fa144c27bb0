//! The layers, bottom up, checked from the source. Every top-level module has a rank; code in
//! a module may name (`crate::x`) only modules of a lower rank, so the import graph has no
//! loop and a lower layer that imports a higher one fails the test below with the file and
//! line. A new top-level module fails it too until it is given its place here.

use std::path::{Path, PathBuf};

/// Top-level modules by rank (0 = bottom). Same rank: may not name each other.
const RANKS: &[(&str, u8)] = &[
    // Plain data and leaf utilities.
    ("domain", 0),
    ("clock", 0),
    ("secrets", 0),
    ("signature", 0),
    ("telemetry", 0),
    // What vigia.toml says, as plain data (cron expressions parsed here too).
    ("config", 1),
    // The database: names only the layers below.
    ("storage", 2),
    // The pipeline's parts.
    ("analysis", 3),
    ("notify", 3),
    ("privacy", 3),
    ("sources", 4),
    ("crisis", 4),
    ("helpdesk", 4),
    ("ingest", 5),
    ("schedule", 6),
    // Assembly and the ways in: the HTTP API, the application, the command line.
    ("http", 7),
    ("app", 8),
    ("backtest", 9),
    ("cli", 10),
];

/// Files at the crate root that are not layers: entry points and this check.
const NOT_LAYERS: &[&str] = &["lib", "main", "layers"];

fn rank(module: &str) -> Option<u8> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module names a line of code gives right after `prefix` (`crate::` or `super::`):
/// `prefix x::...` and `prefix {x, y::z}`, comments left out.
fn named_after(line: &str, prefix: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = group.split('}').next().unwrap_or_default();
                names.extend(group.split(',').map(ident).filter(|n| !n.is_empty()));
            }
            None => names.push(ident(rest)),
        }
    }
    names
}

/// The top-level crate modules a line of code names.
fn named_modules(line: &str) -> Vec<String> {
    named_after(line, "crate::")
}

/// The sibling modules a line names through `super::x` or `super::{x, y}`.
fn named_siblings(line: &str) -> Vec<String> {
    named_after(line, "super::")
}

/// The crate's top-level modules: `src/x.rs` and `src/x/`.
fn top_modules(src: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(src)
        .expect("readable source directory")
        .map(|e| e.expect("directory entry").path())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_owned();
            (p.is_dir() || p.extension().is_some_and(|e| e == "rs")).then_some(stem)
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = top_modules(&src);
    let unranked: Vec<&String> = modules
        .iter()
        .filter(|m| rank(m).is_none() && !NOT_LAYERS.contains(&m.as_str()))
        .collect();
    assert!(
        unranked.is_empty(),
        "give these modules a rank in src/layers.rs: {unranked:?}"
    );
    let mut found = Vec::new();
    let mut checked = 0;
    for (layer, own) in RANKS {
        let mut files = Vec::new();
        let dir = src.join(layer);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let file = src.join(format!("{layer}.rs"));
        if file.is_file() {
            files.push(file);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source file");
            checked += 1;
            for (n, line) in text.lines().enumerate() {
                for name in named_modules(line) {
                    let Some(theirs) = rank(&name) else { continue };
                    if name != *layer && theirs >= *own {
                        found.push(format!(
                            "{}:{}: {layer} (rank {own}) names crate::{name} (rank {theirs})",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} files found under src/");
    assert!(
        found.is_empty(),
        "lower layers import higher ones:\n{}",
        found.join("\n")
    );
}

/// Inside each directory, the modules beside each other (`a.rs`, `b.rs`, `c/`) import each
/// other without a loop (unit tests left out: they may use anything).
#[test]
fn sibling_modules_form_no_loop() {
    use std::collections::{BTreeMap, BTreeSet};
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src.clone()];
    let mut loops = Vec::new();
    while let Some(dir) = dirs.pop() {
        let mut siblings: BTreeMap<String, PathBuf> = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).expect("readable source directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path.clone());
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                siblings.insert(name, path.join("mod.rs"));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                if name != "mod" {
                    siblings.entry(name).or_insert(path);
                }
            }
        }
        let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (name, file) in &siblings {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for line in text.lines().take_while(|l| l.trim() != "#[cfg(test)]") {
                for other in named_siblings(line) {
                    if let Some((other, _)) = siblings.get_key_value(&other)
                        && other != name
                    {
                        edges.entry(name).or_default().insert(other);
                    }
                }
            }
        }
        // A module that reaches itself through its imports sits on a loop.
        for start in edges.keys() {
            let mut stack: Vec<Vec<&str>> = vec![vec![start]];
            let mut seen = BTreeSet::new();
            while let Some(path) = stack.pop() {
                let last = *path.last().unwrap();
                for next in edges.get(last).into_iter().flatten() {
                    if next == start {
                        let mut cycle = path.clone();
                        cycle.push(next);
                        loops.push(format!("{}: {}", dir.display(), cycle.join(" -> ")));
                    } else if seen.insert(*next) {
                        let mut longer = path.clone();
                        longer.push(next);
                        stack.push(longer);
                    }
                }
            }
        }
    }
    assert!(loops.is_empty(), "import loops:\n{}", loops.join("\n"));
}

#[test]
fn module_names_are_read_from_paths_and_groups() {
    assert_eq!(
        named_modules("use crate::crisis::window::Recent;"),
        ["crisis"]
    );
    assert_eq!(
        named_modules("use crate::{domain::X, helpdesk::y};"),
        ["domain", "helpdesk"]
    );
    assert!(named_modules("/// see crate::notify").is_empty());
    assert_eq!(
        named_siblings("use super::{db_err, ms}; let x = super::tx::f();"),
        ["db_err", "ms", "tx"]
    );
    assert_eq!(
        named_modules("  .and_then(crate::helpdesk::f) // crate::x"),
        ["helpdesk"]
    );
}
