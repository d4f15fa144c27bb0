//! What the scheduler does after a failed poll, shared by every source:
//! - the API said to wait (429 `Retry-After`, an exhausted `X-RateLimit-*`/`RateLimit-*`/
//!   `x-rate-limit-*` window, `X-App-Usage` at 100 %, a spent YouTube quota): wait that long
//!   (at least [`MIN_WAIT`], a minute when it gave no figure), state `rate_limited`;
//! - the remote end failed (5xx, timeout, connection, unreadable body): exponential backoff
//!   from [`BACKOFF_BASE`] doubling per consecutive failure up to [`BACKOFF_CAP`], with ±20 %
//!   jitter so feeds on one host do not retry in lockstep, state `backoff`;
//! - credentials were refused (after the source's own single re-authentication): stop polling
//!   the feed, state `auth_failed`, until the secret is fixed and the service restarted.

use std::time::Duration;

use crate::sources::SourceError;

pub const BACKOFF_BASE: Duration = Duration::from_secs(30);
pub const BACKOFF_CAP: Duration = Duration::from_secs(3600);
pub const MIN_WAIT: Duration = Duration::from_secs(1);
const DEFAULT_RATE_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Poll again no earlier than this long from now; `state` is what `/api/feeds` shows.
    Wait {
        delay: Duration,
        state: &'static str,
    },
    /// Do not poll this feed again.
    Stop { state: &'static str },
}

/// Decides after the `failures`-th consecutive failure (1 = first). `jitter` is a number in
/// `[0, 1)`; the scheduler passes a random one, tests a fixed one.
pub fn after_failure(error: &SourceError, failures: u32, jitter: f64) -> Decision {
    match error {
        SourceError::Auth(_) => Decision::Stop {
            state: "auth_failed",
        },
        SourceError::RateLimited { wait, .. } => Decision::Wait {
            delay: wait.unwrap_or(DEFAULT_RATE_WAIT).max(MIN_WAIT),
            state: "rate_limited",
        },
        SourceError::Unavailable(_) | SourceError::BadCursor(_) => Decision::Wait {
            delay: backoff(failures, jitter),
            state: "backoff",
        },
    }
}

/// `BACKOFF_BASE · 2^(failures-1)`, capped, scaled by a factor in `[0.8, 1.2)`.
pub fn backoff(failures: u32, jitter: f64) -> Duration {
    let exp = failures.saturating_sub(1).min(16);
    let raw = BACKOFF_BASE.saturating_mul(1 << exp).min(BACKOFF_CAP);
    raw.mul_f64(0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

/// A cheap random number in `[0, 1)` for jitter (no cryptographic quality needed).
pub fn random_jitter() -> f64 {
    use std::hash::{BuildHasher, RandomState};
    let n = RandomState::new().hash_one(std::time::SystemTime::now());
    (n % 10_000) as f64 / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let unavailable = SourceError::Unavailable("HTTP 503".into());
        let delays: Vec<u64> = (1..=4)
            .map(|n| match after_failure(&unavailable, n, 0.5) {
                Decision::Wait { delay, state } => {
                    assert_eq!(state, "backoff");
                    delay.as_secs()
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(delays, vec![30, 60, 120, 240]);
        assert_eq!(backoff(30, 0.5), BACKOFF_CAP);
        assert_eq!(backoff(1, 0.0).as_secs(), 24);
        assert_eq!(backoff(1, 0.999).as_millis(), 35_988);
        let j = random_jitter();
        assert!((0.0..1.0).contains(&j));
    }

    #[test]
    fn rate_limits_wait_as_told_and_refused_credentials_stop() {
        let limited = SourceError::RateLimited {
            detail: "HTTP 429".into(),
            wait: Some(Duration::from_secs(17)),
        };
        assert_eq!(
            after_failure(&limited, 5, 0.3),
            Decision::Wait {
                delay: Duration::from_secs(17),
                state: "rate_limited"
            }
        );
        let unknown = SourceError::RateLimited {
            detail: "HTTP 429".into(),
            wait: None,
        };
        assert!(matches!(
            after_failure(&unknown, 1, 0.3),
            Decision::Wait { delay, .. } if delay == Duration::from_secs(60)
        ));
        let auth = SourceError::Auth("HTTP 401".into());
        assert_eq!(
            after_failure(&auth, 1, 0.3),
            Decision::Stop {
                state: "auth_failed"
            }
        );
    }
}
