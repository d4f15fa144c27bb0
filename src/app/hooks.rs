//! The application side of push webhooks: which feeds accept pushes, their secrets, and
//! ingesting a verified body through the same one-transaction path as polled pages.

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

use crate::config::{Config, FeedConfig};
use crate::domain::Page;
use crate::http::hooks::{HookError, HookSink};
use crate::schedule::FeedRunner;
use crate::sources::webhook;
use crate::storage::sqlite::SqliteStore;

pub(super) struct AppHooks {
    /// Feed name → (secret variable, runner).
    feeds: HashMap<String, (String, Arc<FeedRunner<SqliteStore>>)>,
}

impl AppHooks {
    /// `None` when no webhook feed is configured.
    pub(super) fn new(
        config: &Config,
        runners: &[Arc<FeedRunner<SqliteStore>>],
    ) -> Option<AppHooks> {
        let mut feeds = HashMap::new();
        for feed in &config.feeds {
            let FeedConfig::Webhook(c) = feed else {
                continue;
            };
            if let Some(r) = runners.iter().find(|r| r.ctx.name == c.name) {
                feeds.insert(c.name.clone(), (c.secret_env.clone(), r.clone()));
            }
        }
        (!feeds.is_empty()).then_some(AppHooks { feeds })
    }
}

#[async_trait]
impl HookSink for AppHooks {
    async fn generic(
        &self,
        feed: &str,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<usize, HookError> {
        let (secret_env, runner) = self
            .feeds
            .get(feed)
            .ok_or_else(|| HookError::UnknownFeed(feed.to_owned()))?;
        let Ok(secret) = std::env::var(secret_env) else {
            tracing::warn!(feed, variable = %secret_env, "webhook secret is not set; rejecting");
            return Err(HookError::BadSignature);
        };
        if secret.is_empty() || !webhook::verify_signature(secret.as_bytes(), body, signature) {
            tracing::warn!(feed, "webhook with a bad signature rejected");
            return Err(HookError::BadSignature);
        }
        let mentions = webhook::parse_body(&format!("webhook:{feed}"), body)
            .map_err(|e| HookError::BadBody(e.to_string()))?;
        let page = Page {
            mentions,
            ..Page::default()
        };
        let report = runner
            .ingestor
            .ingest(&runner.ctx, &page)
            .await
            .map_err(|e| {
                tracing::error!(feed, error = %e, "webhook ingest failed");
                HookError::Internal
            })?;
        if report.stored > 0 {
            runner.outbox_wake.notify_one();
        }
        Ok(report.stored)
    }
}
