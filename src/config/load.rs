//! Reading `vigia.toml` and the rule files beside it, with errors that name file, key and problem.

use super::Config;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// A configuration problem, always naming the file (and the key where there is one).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: {message}")]
    Parse { file: PathBuf, message: String },
    #[error("{file}: {key}: {problem}")]
    Invalid {
        file: PathBuf,
        key: String,
        problem: String,
    },
}

impl ConfigError {
    pub fn invalid(file: &Path, key: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError::Invalid {
            file: file.to_path_buf(),
            key: key.into(),
            problem: problem.into(),
        }
    }
}

/// Reads the config file, then applies `VIGIA__SECTION__KEY=value` environment overrides
/// (for example `VIGIA__HTTP__LISTEN=0.0.0.0:8080`).
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    if !path.is_file() {
        return Err(ConfigError::Read {
            file: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let figment = Figment::new()
        .merge(Toml::file_exact(path))
        .merge(Env::prefixed("VIGIA__").split("__"));
    let mut config: Config = figment.extract().map_err(|e| ConfigError::Parse {
        file: path.to_path_buf(),
        message: describe_figment_error(e),
    })?;
    config.source_file = path.to_path_buf();
    config.base_dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(config)
}

/// Figment reports every error of the extraction; list them all, with the key path and
/// without figment's internal profile prefix.
fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let origin = e
                .metadata
                .as_ref()
                .filter(|m| m.name.contains("environment"))
                .map(|_| " (from environment variable)")
                .unwrap_or("");
            if key.is_empty() {
                format!("{}{origin}", e.kind)
            } else {
                format!("{key}: {}{origin}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads one TOML rule file (from `keywords/` or `alerts/`) into `T`.
pub fn read_toml<T: DeserializeOwned>(path: &Path) -> Result<T, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        file: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        file: path.to_path_buf(),
        message: e.to_string().trim_end().replace('\n', "\n  "),
    })
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[storage]
backend = "sqlite"
path = "var/vigia.db"

[mail]
from = "Vigía <a@example.com>"
[mail.transport]
kind = "file"
dir = "var/mail"
"#;

    #[test]
    fn environment_overrides_keys_and_paths_resolve_against_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_dir("conf")?;
            jail.create_file("conf/vigia.toml", MINIMAL)?;
            jail.set_env("VIGIA__HTTP__LISTEN", "0.0.0.0:9999");
            jail.set_env("VIGIA__OUTBOX__MAX_ATTEMPTS", "3");
            let config = load(Path::new("conf/vigia.toml")).expect("loads");
            assert_eq!(config.http.listen.to_string(), "0.0.0.0:9999");
            assert_eq!(config.outbox.max_attempts, 3);
            assert_eq!(config.resolve(Path::new("var/x")), Path::new("conf/var/x"));
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_names_the_file_and_the_key() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "vigia.toml",
                &MINIMAL.replace("[storage]", "[http]\nlisten = \"nowhere\"\n[storage]"),
            )?;
            let err = load(Path::new("vigia.toml")).unwrap_err().to_string();
            assert!(err.starts_with("vigia.toml: "), "{err}");
            assert!(err.contains("http.listen"), "{err}");
            jail.set_env("VIGIA__OUTBOX__POLL_SECS", "soon");
            jail.create_file("vigia.toml", MINIMAL)?;
            let err = load(Path::new("vigia.toml")).unwrap_err().to_string();
            assert!(
                err.contains("outbox") && err.contains("environment"),
                "{err}"
            );
            Ok(())
        });
    }

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let err = load(Path::new("/nonexistent/vigia.toml"))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/nonexistent/vigia.toml: cannot read: no such file");
    }
}
