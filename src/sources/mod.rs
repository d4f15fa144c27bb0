//! Sources fetch one page of mentions per call, given the feed's cursor. They never sleep,
//! loop or retry: time, retries and backoff belong to `schedule/`.

pub mod replay;

use async_trait::async_trait;
use std::sync::Arc;

use crate::clock::Clock;
use crate::config::{Config, ConfigError, FeedConfig};
use crate::domain::{Cursor, FeedQuery, Page};

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The remote end (or file) could not be read now; try again later.
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// The stored cursor cannot be understood by this source.
    #[error("invalid cursor: {0}")]
    BadCursor(String),
    /// Credentials were refused; retrying will not help.
    #[error("authentication failed: {0}")]
    Auth(String),
}

#[async_trait]
pub trait Source: Send + Sync {
    fn kind(&self) -> &'static str;
    async fn fetch(&self, query: &FeedQuery, cursor: Option<&Cursor>) -> Result<Page, SourceError>;
}

/// Builds the running source for a feed, validating its settings.
pub fn build(
    config: &Config,
    index: usize,
    feed: &FeedConfig,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn Source>, ConfigError> {
    match feed {
        FeedConfig::Replay(c) => {
            let key = format!("feeds[{index}] ({})", c.name);
            let source = replay::ReplaySource::new(config, &key, c, clock)?;
            Ok(Arc::new(source))
        }
    }
}
