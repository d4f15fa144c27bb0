//! `vigia backtest` on the demo data: exactly the one crisis, found within 15 simulated minutes
//! of its first mention; the calm days alone give none.

mod common;

use serde_json::Value;
use std::process::Command;

fn backtest(args: &[&str], input: &std::path::Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_vigia"))
        .current_dir(common::repo())
        .arg("backtest")
        .arg("--input")
        .arg(input)
        .args(args)
        .arg("--json")
        .output()
        .expect("run vigia backtest");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

#[test]
fn the_demo_week_has_exactly_one_crisis_detected_quickly() {
    let report = backtest(&["--brand", "rapiplato"], &common::demo_mentions());
    let incidents = report["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{report}");
    let i = &incidents[0];
    assert_eq!(i["brand"], "rapiplato");
    assert_eq!(i["severity"], "critical");
    assert_eq!(i["kind"], "critical_category");
    assert_eq!(i["first_mention_at"], "2026-03-06T19:40:00Z");
    assert!(i["latency_s"].as_i64().unwrap() <= 15 * 60, "{i}");
    assert!(i["mentions"].as_i64().unwrap() >= 100, "{i}");
}

#[test]
fn the_calm_days_alone_open_no_incident() {
    let dir = tempfile::tempdir().unwrap();
    let calm: Vec<String> = std::fs::read_to_string(common::demo_mentions())
        .unwrap()
        .lines()
        .filter(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let t = v["created_at"].as_str().unwrap();
            !("2026-03-06T19:40:00Z".."2026-03-07T14:00:00Z").contains(&t)
        })
        .map(str::to_owned)
        .collect();
    assert!(calm.len() > 700);
    let input = dir.path().join("calm.jsonl");
    std::fs::write(&input, calm.join("\n")).unwrap();
    let report = backtest(&["--brand", "rapiplato"], &input);
    assert_eq!(report["incidents"], serde_json::json!([]), "{report}");
}

#[test]
fn with_a_config_the_brand_comes_from_it() {
    let config = common::repo().join("vigia.toml");
    let report = backtest(
        &["--config", config.to_str().unwrap()],
        &common::demo_mentions(),
    );
    assert_eq!(report["incidents"].as_array().unwrap().len(), 1, "{report}");
}

#[test]
fn broken_lines_are_skipped_and_the_rest_backtested() {
    let dir = tempfile::tempdir().unwrap();
    let week = std::fs::read(common::demo_mentions()).unwrap();
    let middle = week.len() / 2;
    let cut = middle + week[middle..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut input = week[..cut].to_vec();
    input.extend_from_slice(b"\xff\xfe not UTF-8\n{\"id\": \"truncated\n");
    input.extend_from_slice(&week[cut..]);
    let path = dir.path().join("broken.jsonl");
    std::fs::write(&path, input).unwrap();
    let report = backtest(&["--brand", "rapiplato"], &path);
    let incidents = report["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{report}");
    assert_eq!(incidents[0]["first_mention_at"], "2026-03-06T19:40:00Z");
}
