//! The application side of push webhooks: which feeds accept pushes, their secrets, and
//! ingesting a verified body through the same one-transaction path as polled pages.

use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;

use crate::config::{Config, FeedConfig};
use crate::domain::{Mention, Page};
use crate::http::hooks::{HookError, HookSink};
use crate::schedule::FeedRunner;
use crate::sources::{Secrets, meta, webhook};
use crate::storage::AnyStore;

type Runner = Arc<FeedRunner<AnyStore>>;

pub(super) struct AppHooks {
    /// Generic feed name → (secret variable, runner).
    generic: HashMap<String, (String, Runner)>,
    /// The Meta feed: (app secret variable, verify token variable, runner).
    meta: Option<(String, String, Runner)>,
    secrets: Arc<dyn Secrets>,
}

impl AppHooks {
    /// `None` when no push feed is configured.
    pub(super) fn new(
        config: &Config,
        runners: &[Runner],
        secrets: Arc<dyn Secrets>,
    ) -> Option<AppHooks> {
        let mut hooks = AppHooks {
            generic: HashMap::new(),
            meta: None,
            secrets,
        };
        for feed in &config.feeds {
            let Some(r) = runners.iter().find(|r| r.ctx.name == feed.name()) else {
                continue;
            };
            match feed {
                FeedConfig::Webhook(c) => {
                    hooks
                        .generic
                        .insert(c.name.clone(), (c.secret_env.clone(), r.clone()));
                }
                FeedConfig::Meta(c) => {
                    let envs = (c.app_secret_env.clone(), c.verify_token_env.clone());
                    hooks.meta = Some((envs.0, envs.1, r.clone()));
                }
                _ => {}
            }
        }
        (!hooks.generic.is_empty() || hooks.meta.is_some()).then_some(hooks)
    }

    /// Reads a secret; a missing one rejects every push (and says so in the log, without
    /// values).
    fn secret(&self, feed: &str, var: &str) -> Result<String, HookError> {
        self.secrets.get(var).ok_or_else(|| {
            tracing::warn!(feed, variable = %var, "webhook secret is not set; rejecting");
            HookError::BadSignature
        })
    }
}

async fn ingest(runner: &Runner, mentions: Vec<Mention>) -> Result<usize, HookError> {
    let page = Page {
        mentions,
        ..Page::default()
    };
    let report = runner
        .ingestor
        .ingest(&runner.ctx, &page)
        .await
        .map_err(|e| {
            tracing::error!(feed = %runner.ctx.name, error = %e, "webhook ingest failed");
            HookError::Internal
        })?;
    if report.stored > 0 {
        runner.outbox_wake.notify_one();
    }
    Ok(report.stored)
}

fn check(feed: &str, secret: &str, body: &[u8], signature: Option<&str>) -> Result<(), HookError> {
    if crate::signature::verify(secret.as_bytes(), body, signature) {
        Ok(())
    } else {
        tracing::warn!(feed, "webhook with a bad signature rejected");
        Err(HookError::BadSignature)
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
        let (var, runner) = self
            .generic
            .get(feed)
            .ok_or_else(|| HookError::UnknownFeed(feed.to_owned()))?;
        check(feed, &self.secret(feed, var)?, body, signature)?;
        let mentions =
            webhook::parse_body(&format!("webhook:{feed}"), body).map_err(payload_error)?;
        ingest(runner, mentions).await
    }

    async fn meta(&self, signature: Option<&str>, body: &[u8]) -> Result<usize, HookError> {
        let (var, _, runner) = self
            .meta
            .as_ref()
            .ok_or_else(|| HookError::UnknownFeed("meta".into()))?;
        let feed = runner.ctx.name.as_str();
        check(feed, &self.secret(feed, var)?, body, signature)?;
        let mentions = meta::parse_body(body).map_err(payload_error)?;
        ingest(runner, mentions).await
    }

    fn meta_verify_token_ok(&self, token: &str) -> bool {
        let Some((_, var, runner)) = self.meta.as_ref() else {
            return false;
        };
        let Ok(expected) = self.secret(&runner.ctx.name, var) else {
            return false;
        };
        constant_time_eq(expected.as_bytes(), token.as_bytes())
    }
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A pushed body we cannot read: the sender's mistake (400), said as such, not as an outage.
fn payload_error(e: crate::sources::SourceError) -> HookError {
    let detail = match e {
        crate::sources::SourceError::Unavailable(m) => m,
        other => other.to_string(),
    };
    let detail = detail
        .strip_prefix("unexpected response body: ")
        .unwrap_or(&detail);
    HookError::BadBody(format!("not a valid webhook payload: {detail}"))
}
