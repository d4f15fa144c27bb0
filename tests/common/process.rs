//! The real `vigia` binary as a child process: a command with a test config, and a running
//! `vigia serve` whose log lines a test can wait for and which it can signal.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `vigia --config CONFIG` with info logging on stderr.
pub fn vigia(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigia"));
    cmd.arg("--config").arg(config).env("VIGIA_LOG", "info");
    cmd
}

/// `vigia serve` on a random port.
pub struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Served {
    pub fn start(config: &Path) -> Served {
        Self::start_with_env(config, &[])
    }

    /// [`Served::start`] with these extra environment variables (e.g. an instance id).
    pub fn start_with_env(config: &Path, env: &[(&str, &str)]) -> Served {
        let mut child = vigia(config)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vigia serve");
        let stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Served { child, lines }
    }

    /// Log lines up to and including the first that contains `needle` (a minute at most).
    pub fn wait_for(&self, needle: &str) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(60)) {
            let found = line.contains(needle);
            seen.push(line);
            if found {
                return seen;
            }
        }
        panic!("never saw '{needle}' in:\n{}", seen.join("\n"));
    }

    /// The log lines that arrived since the last look (does not wait).
    pub fn new_lines(&self) -> Vec<String> {
        self.lines.try_iter().collect()
    }

    /// Sends a signal such as `-TERM` or `-HUP`.
    pub fn signal(&self, sig: &str) {
        let status = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {sig} failed");
    }

    /// Kills the process at once (SIGKILL: no shutdown, no flush) and reaps it.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL vigia");
        let _ = self.child.wait();
    }

    pub fn wait(mut self) -> ExitStatus {
        self.child.wait().expect("wait for vigia")
    }
}
