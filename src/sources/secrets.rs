//! Secrets as sources need them: a missing one is an authentication error naming the
//! variable (the providers themselves are in [`crate::secrets`]).

pub use crate::secrets::{EnvSecrets, FixedSecrets, Secrets, from_env};

use super::SourceError;

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
    fn a_missing_secret_is_an_auth_error_naming_it() {
        let s = FixedSecrets::new([("A", " tok ")]);
        assert_eq!(require(&s, "A").unwrap(), "tok");
        assert!(matches!(require(&s, "C"), Err(SourceError::Auth(e)) if e.contains("C")));
    }
}
