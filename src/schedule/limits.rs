//! Per-host request pacing shared by every feed of the process: feeds that talk to the same
//! host (several Mastodon feeds on one instance, say) share one `governor` limiter, so
//! together they stay under the host's published limit. The scheduler waits here before each
//! page; sources never wait.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};

type Limiters = Mutex<HashMap<String, Arc<DefaultDirectRateLimiter>>>;

fn limiters() -> &'static Limiters {
    static LIMITERS: OnceLock<Limiters> = OnceLock::new();
    LIMITERS.get_or_init(Limiters::default)
}

/// The limiter for `host`, created on first use with `per_minute` requests per minute (bursts
/// up to a tenth of that). The first feed to name a host sets its rate.
pub fn for_host(host: &str, per_minute: u32) -> Arc<DefaultDirectRateLimiter> {
    let mut map = limiters().lock().unwrap_or_else(|p| p.into_inner());
    map.entry(host.to_owned())
        .or_insert_with(|| {
            let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
            let burst = NonZeroU32::new((per_minute / 10).max(1)).unwrap_or(NonZeroU32::MIN);
            Arc::new(RateLimiter::direct(
                Quota::per_minute(rate).allow_burst(burst),
            ))
        })
        .clone()
}

/// Waits until `host` may be called again.
pub async fn until_ready(host: &str, per_minute: u32) {
    for_host(host, per_minute).until_ready().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_on_one_host_share_a_budget() {
        let a = for_host("limits-test.example:443", 20);
        let b = for_host("limits-test.example:443", 9999);
        assert!(
            Arc::ptr_eq(&a, &b),
            "the first rate wins, the limiter is shared"
        );
        assert!(a.check().is_ok() && b.check().is_ok(), "burst of 2");
        assert!(
            a.check().is_err(),
            "third call within the burst window must wait"
        );
        assert!(for_host("other.example:443", 20).check().is_ok());
    }
}
