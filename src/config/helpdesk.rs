//! `[helpdesk]` in `vigia.toml`: survey secret, check intervals and the external helpdesk
//! connectors per brand. Secrets (API tokens, webhook and survey secrets) come from the
//! environment variables these keys name, never from the file.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HelpdeskConfig {
    /// Environment variable holding the secret that signs survey links; surveys are off
    /// without it.
    pub survey_secret_env: Option<String>,
    /// Seconds between SLA checks (near-breach and breach notices).
    pub sla_check_secs: u64,
    /// Seconds between status polls of external helpdesks.
    pub sync_secs: u64,
    pub connectors: Vec<ConnectorConfig>,
}

impl Default for HelpdeskConfig {
    fn default() -> Self {
        HelpdeskConfig {
            survey_secret_env: None,
            sla_check_secs: 60,
            sync_secs: 300,
            connectors: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorKind {
    Zendesk,
    Freshdesk,
    Zammad,
    /// Signed JSON POST to any URL.
    Webhook,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorConfig {
    /// Unique name (used in outbox keys and `ticket_external`).
    pub name: String,
    pub brand: String,
    pub kind: ConnectorKind,
    /// `https://acme.zendesk.com`, `https://acme.freshdesk.com`, `https://zammad.acme.com`,
    /// or the webhook URL.
    pub base_url: String,
    /// Zendesk: the agent e-mail the API token belongs to.
    pub email: Option<String>,
    /// Zammad: the group new tickets go to.
    pub group: Option<String>,
    /// Environment variable holding the API token / key / webhook signing secret.
    pub secret_env: String,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    10
}
