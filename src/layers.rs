//! The layers, bottom up, checked from the source: `domain` (plain data) names nothing else
//! of the crate, and `storage` names only `domain`. A lower layer that imports a higher one
//! fails the test below, with the file and line. (Above storage, `config` still names the
//! helpdesk's and notifiers' configuration types; that loop is not broken yet.)

use std::path::{Path, PathBuf};

/// Each checked layer and the crate modules it may name besides itself.
const LAYERS: &[(&str, &[&str])] = &[("domain", &[]), ("storage", &["domain"])];

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

/// The top-level crate modules a line of code names (`crate::x::...`, `crate::{x, y::z}`),
/// comments left out.
fn named_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
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

#[test]
fn lower_layers_never_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut checked = 0;
    for (layer, allowed) in LAYERS {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source file");
            checked += 1;
            for (n, line) in text.lines().enumerate() {
                for name in named_modules(line) {
                    if name != *layer && !allowed.contains(&name.as_str()) {
                        found.push(format!(
                            "{}:{}: {layer} names crate::{name}",
                            file.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 20, "only {checked} files found under src/");
    assert!(
        found.is_empty(),
        "lower layers import higher ones:\n{}",
        found.join("\n")
    );
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
        named_modules("  .and_then(crate::helpdesk::f) // crate::x"),
        ["helpdesk"]
    );
}
