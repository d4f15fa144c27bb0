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
