//! The rule tools of the `vigia` binary, and rule files at start-up and on SIGHUP.

mod common;

use common::process::{Served, vigia};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

/// A test config whose keywords directory is a copy of the shipped one in `dir/keywords`.
fn config_with_own_keywords(dir: &Path) -> (PathBuf, PathBuf) {
    let config = common::write_config(dir, &common::demo_mentions(), "");
    let keywords = dir.join("keywords");
    std::fs::create_dir(&keywords).unwrap();
    for entry in std::fs::read_dir(common::repo().join("keywords")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, keywords.join(path.file_name().unwrap())).unwrap();
    }
    let shipped = format!(
        "keywords = \"{}\"",
        common::repo().join("keywords").display()
    );
    let text = std::fs::read_to_string(&config).unwrap();
    let own = format!("keywords = \"{}\"", keywords.display());
    std::fs::write(&config, text.replace(&shipped, &own)).unwrap();
    (config, keywords)
}

const BROKEN: &str =
    "[categories.delivery]\nweight = 4\nes = [\n  'pedido AND (frio OR tarde',\n]\n";

#[test]
fn rules_check_passes_on_the_shipped_rules_and_points_at_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (config, keywords) = config_with_own_keywords(dir.path());
    let ok = vigia(&config).args(["rules", "check"]).output().unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    std::fs::write(keywords.join("zz_broken.toml"), BROKEN).unwrap();
    let bad = vigia(&config).args(["rules", "check"]).output().unwrap();
    let out = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(2));
    let want = format!(
        "{}:4:15: category 'delivery': expected ')' to close '('",
        keywords.join("zz_broken.toml").display()
    );
    assert!(out.contains(&want), "{out}");
}

#[test]
fn serve_refuses_to_start_with_a_broken_rule_file() {
    let dir = tempfile::tempdir().unwrap();
    let (config, keywords) = config_with_own_keywords(dir.path());
    std::fs::write(keywords.join("zz_broken.toml"), BROKEN).unwrap();
    let out = vigia(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zz_broken.toml:4:15: category 'delivery'"),
        "{err}"
    );
}

#[test]
fn match_prints_one_json_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let (config, _) = config_with_own_keywords(dir.path());
    let mut child = vigia(&config)
        .args(["match", "--query", "pedido NEAR/3 llego OR factur*"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("mi pedido no llegó\nnada que ver\nFacturación\n".as_bytes())
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            serde_json::json!({"line": 1, "matched": true, "terms": ["pedido", "llego"]}),
            serde_json::json!({"line": 2, "matched": false, "terms": []}),
            serde_json::json!({"line": 3, "matched": true, "terms": ["factur*"]}),
        ]
    );
}

#[test]
fn sighup_reloads_rules_and_keeps_the_old_ones_when_broken() {
    let dir = tempfile::tempdir().unwrap();
    let (config, keywords) = config_with_own_keywords(dir.path());
    let served = Served::start(&config);
    served.wait_for("is listening");
    std::fs::write(keywords.join("zz_broken.toml"), BROKEN).unwrap();
    served.signal("-HUP");
    let seen = served.wait_for("keeping the old ones");
    assert!(
        seen.last().unwrap().contains("zz_broken.toml:4:15"),
        "{seen:?}"
    );
    std::fs::write(
        keywords.join("zz_broken.toml"),
        "[categories.delivery]\nes = ['\"pedido frio\"']\n",
    )
    .unwrap();
    served.signal("-HUP");
    served.wait_for("category rules reloaded");
    served.signal("-TERM");
    served.wait_for("stopped cleanly");
    assert!(served.wait().success());
}

#[test]
fn a_broken_brand_query_stops_start_up_with_its_key_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let (config, _) = config_with_own_keywords(dir.path());
    let text = std::fs::read_to_string(&config).unwrap();
    let broken = text.replace(
        "display_name = \"Rapiplato\"",
        "display_name = \"Rapiplato\"\nquery = \"rapiplato OR (@rapiplato\"",
    );
    std::fs::write(&config, broken).unwrap();
    let out = vigia(&config).arg("migrate").output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("brands[0].query: expected ')' to close '(' at column 14"),
        "{err}"
    );
}
