//! The `vigia` binary: graceful shutdown on SIGTERM, customer import errors.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn vigia(config: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigia"));
    cmd.arg("--config").arg(config).env("VIGIA_LOG", "info");
    cmd
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), &common::demo_mentions(), "");
    let mut child = vigia(&config)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start vigia serve");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
            let found = line.contains(needle);
            seen.push(line);
            if found {
                return seen;
            }
        }
        panic!("never saw '{needle}' in:\n{}", seen.join("\n"));
    };
    wait_for("is listening");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    wait_for("stopped cleanly");
    let exit = child.wait().unwrap();
    assert!(exit.success(), "exit status {exit}");
}

#[test]
fn customer_import_reports_bad_rows_with_line_numbers_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), &common::demo_mentions(), "");
    let csv = dir.path().join("customers.csv");
    std::fs::write(
        &csv,
        "ref,name,email,phone,lang,tier,identities\n\
         A1,Ana,ana@example.com,,es,vip,x:ana_x;mastodon:ana@mastodon.social\n\
         ,Nobody,,,,,\n\
         A2,Bruno,not-an-email,,en,standard,x:bruno\n\
         A3,Carla,,,es,standard,x\n\
         A4,Dani,,,es,standard,bluesky:dani.bsky.social\n",
    )
    .unwrap();
    let out = vigia(&config)
        .args(["customers", "import"])
        .arg(&csv)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("2 created, 0 updated, 3 rows skipped"),
        "{stdout}"
    );
    assert!(
        stderr.contains("customers.csv:3: skipped: ref is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("customers.csv:4: skipped: email 'not-an-email' has no @"),
        "{stderr}"
    );
    assert!(
        stderr.contains("customers.csv:5: skipped: identity 'x' is not of the form network:handle"),
        "{stderr}"
    );
    // Importing again updates instead of duplicating.
    let again = vigia(&config)
        .args(["customers", "import"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 2 updated"));
}
