//! Where sources and webhooks get their credentials. In production that is the process
//! environment (`VIGIA_…` variables named by each feed's `*_env` keys); tests and embedders hand
//! in a fixed map instead, so nothing has to mutate the process environment.

use std::collections::HashMap;
use std::sync::Arc;

use super::SourceError;

/// A read-only provider of named secrets.
pub trait Secrets: Send + Sync {
    /// The secret called `name`, trimmed; `None` when unset or blank.
    fn get(&self, name: &str) -> Option<String>;
}

/// Reads the process environment.
#[derive(Debug, Default, Clone, Copy)]
pub struct EnvSecrets;

impl Secrets for EnvSecrets {
    fn get(&self, name: &str) -> Option<String> {
        let v = std::env::var(name).ok()?;
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

/// A fixed set of secrets (tests, embedding).
#[derive(Debug, Default, Clone)]
pub struct FixedSecrets(HashMap<String, String>);

impl FixedSecrets {
    pub fn new<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        FixedSecrets(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Secrets for FixedSecrets {
    fn get(&self, name: &str) -> Option<String> {
        let v = self.0.get(name)?.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

/// The provider used when none is given: the environment.
pub fn from_env() -> Arc<dyn Secrets> {
    Arc::new(EnvSecrets)
}

/// The secret `name`, or an authentication error that names the variable (never a value).
pub fn require(secrets: &dyn Secrets, name: &str) -> Result<String, SourceError> {
    secrets.get(name).ok_or_else(|| missing(name))
}

/// The error for an unset secret: it names the variable, never a value.
pub fn missing(name: &str) -> SourceError {
    SourceError::Auth(format!("environment variable {name} is not set"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_secrets_are_trimmed_and_blank_is_unset() {
        let s = FixedSecrets::new([("A", " tok "), ("B", "  ")]);
        assert_eq!(s.get("A").as_deref(), Some("tok"));
        assert_eq!(s.get("B"), None);
        assert!(matches!(require(&s, "C"), Err(SourceError::Auth(e)) if e.contains("C")));
    }
}
