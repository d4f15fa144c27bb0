//! Login attempts for usernames that have no account, counted in memory like the accounts'
//! own counters, so an unknown name also answers 429 after `[auth] max_failed_logins` tries:
//! the answers do not tell which accounts exist.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Most names remembered; past it, expired entries are dropped, then the oldest lock.
const MAX_NAMES: usize = 10_000;

#[derive(Debug, Default, Clone)]
pub struct UnknownNames {
    names: Arc<Mutex<HashMap<String, Attempts>>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Attempts {
    count: i64,
    locked_until: Option<DateTime<Utc>>,
}

impl UnknownNames {
    /// Counts an attempt for `name`: `Err(until)` when it is locked, like an account would be.
    pub fn attempt(
        &self,
        name: &str,
        max: i64,
        lock_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if names.len() >= MAX_NAMES && !names.contains_key(name) {
            names.retain(|_, a| a.locked_until.is_some_and(|u| u > now));
            if names.len() >= MAX_NAMES {
                names.clear();
            }
        }
        let entry = names.entry(name.to_lowercase()).or_default();
        match entry.locked_until {
            Some(until) if until > now => return Err(until),
            Some(_) => *entry = Attempts::default(),
            None => {}
        }
        entry.count += 1;
        if entry.count >= max {
            entry.locked_until = Some(lock_until);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn locks_after_max_attempts_and_opens_again() {
        let t = UnknownNames::default();
        let now = Utc::now();
        let until = now + Duration::minutes(15);
        for _ in 0..3 {
            assert!(t.attempt("nadie", 3, until, now).is_ok());
        }
        assert_eq!(t.attempt("NADIE", 3, until, now), Err(until));
        assert!(t.attempt("otro", 3, until, now).is_ok());
        let later = until + Duration::seconds(1);
        assert!(
            t.attempt("nadie", 3, later + Duration::minutes(15), later)
                .is_ok()
        );
    }
}
