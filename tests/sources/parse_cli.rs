//! `vigia parse --kind KIND FILE`: raw bodies or JSONL of bodies in, mentions as JSON lines out.

use std::process::Command;

fn vigia(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vigia"))
        .args(args)
        .env("VIGIA_CONFIG", "/nonexistent/vigia.toml")
        .output()
        .expect("run vigia")
}

#[test]
fn parse_prints_one_json_line_per_mention_without_a_config() {
    let dir = tempfile::tempdir().unwrap();
    let page = |id: &str| {
        format!(
            r#"{{"data":[{{"id":"{id}","text":"hola rapiplato","author_id":"7","created_at":"2026-03-02T11:00:00.000Z"}}],"includes":{{"users":[{{"id":"7","username":"luz","name":"Luz"}}]}},"meta":{{"result_count":1}}}}"#
        )
    };
    let file = dir.path().join("pages.jsonl");
    std::fs::write(&file, format!("{}\n{}\n", page("1"), page("2"))).unwrap();
    let out = vigia(&["parse", "--kind", "x", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["external_id"], "2");
    assert_eq!(lines[1]["author"]["handle"], "luz");
    assert_eq!(lines[1]["url"], "https://x.com/luz/status/2");

    let out = vigia(&["parse", "--kind", "myspace", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown kind"));
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "<html>502 Bad Gateway</html>").unwrap();
    assert!(
        !vigia(&["parse", "--kind", "reddit", garbage.to_str().unwrap()])
            .status
            .success()
    );
}
