//! Building the helpdesk ([`Desk`]) from the config: ticket rules, notice templates, survey
//! secret and connectors (secrets from the environment variables the config names), plus the
//! background loops that check SLAs and sync external helpdesks.

use anyhow::Result;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

use crate::clock::Clock;
use crate::config::{Config, ConfigError};
use crate::helpdesk::connectors::{self, dispatch::HelpdeskDispatch};
use crate::helpdesk::notices::Notices;
use crate::helpdesk::survey::SurveySigner;
use crate::helpdesk::{Desk, TicketRules, Tickets};
use crate::sources::Secrets;
use crate::storage::AnyStore;

fn secret(
    secrets: &dyn Secrets,
    config: &Config,
    key: String,
    var: &str,
) -> Result<String, ConfigError> {
    match secrets.get(var) {
        Some(v) => Ok(v),
        None => Err(ConfigError::invalid(
            &config.source_file,
            key,
            format!("environment variable {var} is not set"),
        )),
    }
}

pub(super) fn build_desk(
    config: &Config,
    rules: TicketRules,
    clock: &Arc<dyn Clock>,
    secrets: &dyn Secrets,
) -> Result<Desk> {
    let file = &config.source_file;
    let hd = &config.helpdesk;
    let mut tickets = Tickets::new(rules);
    let mut dispatch = HelpdeskDispatch::new();
    for (i, c) in hd.connectors.iter().enumerate() {
        let key = |k: &str| format!("helpdesk.connectors[{i}].{k}");
        if config.brand(&c.brand).is_none() {
            return Err(ConfigError::invalid(
                file,
                key("brand"),
                format!("no brand named '{}'", c.brand),
            )
            .into());
        }
        if dispatch.connector(&c.name).is_some() || c.name.trim().is_empty() {
            return Err(
                ConfigError::invalid(file, key("name"), "must be non-empty and unique").into(),
            );
        }
        let secret = secret(secrets, config, key("secret_env"), &c.secret_env)?;
        let connector = connectors::build(c, &secret, clock.clone())
            .map_err(|e| ConfigError::invalid(file, key("kind"), e))?;
        dispatch.add(&c.name, connector);
        tickets = tickets.with_connector(&c.brand, &c.name);
    }
    let survey = match &hd.survey_secret_env {
        Some(var) => Some(SurveySigner::new(&secret(
            secrets,
            config,
            "helpdesk.survey_secret_env".into(),
            var,
        )?)),
        None => None,
    };
    let dir = config.resolve(&config.paths.alerts).join("helpdesk");
    let notices = Notices::load(&dir)?;
    Ok(Desk {
        tickets: Arc::new(tickets),
        notices,
        survey,
        public_url: config.http.public_url.clone(),
        dispatch,
    })
}

/// Checks SLAs every `sla_check_secs` and syncs external helpdesks every `sync_secs`.
pub(super) async fn helpdesk_loop(
    desk: Arc<Desk>,
    store: AnyStore,
    clock: Arc<dyn Clock>,
    config: crate::config::HelpdeskConfig,
    cancel: CancellationToken,
) {
    let mut sla =
        tokio::time::interval(std::time::Duration::from_secs(config.sla_check_secs.max(1)));
    let mut sync = tokio::time::interval(std::time::Duration::from_secs(config.sync_secs.max(1)));
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = sla.tick() => {
                if let Err(e) = desk.check_sla(&store, clock.now()).await {
                    tracing::warn!(error = %e, "SLA check failed");
                }
            }
            _ = sync.tick() => {
                if let Err(e) = desk.sync(&store, clock.now()).await {
                    tracing::warn!(error = %e, "helpdesk sync failed");
                }
            }
        }
    }
}
