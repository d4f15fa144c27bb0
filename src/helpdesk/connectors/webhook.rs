//! Generic webhook for any other system: `POST <base_url>` with the ticket as JSON, signed
//! `X-Vigia-Signature: sha256=<HMAC-SHA256(secret, body)>` and `Idempotency-Key: vigia-<id>`
//! (receivers drop repeats by that key). The answer may carry `{"id": ...}`; otherwise our
//! external id stands for the remote one. Webhooks cannot be polled for status.

use async_trait::async_trait;
use reqwest::Method;
use serde_json::json;

use super::http::{Client, id_str};
use super::{ExternalRef, ExternalTicket, Helpdesk, HelpdeskError, RemoteState};
use crate::signature;

pub(super) struct Webhook {
    client: Client,
    secret: String,
}

impl Webhook {
    pub(super) fn new(client: Client, secret: &str) -> Webhook {
        Webhook {
            client,
            secret: secret.to_owned(),
        }
    }
}

#[async_trait]
impl Helpdesk for Webhook {
    async fn find(&self, _t: &ExternalTicket) -> Result<Option<ExternalRef>, HelpdeskError> {
        // The receiver deduplicates by Idempotency-Key; re-sending is safe.
        Ok(None)
    }

    async fn open(&self, t: &ExternalTicket) -> Result<ExternalRef, HelpdeskError> {
        let body = json!({"event": "ticket.created", "ticket": t}).to_string();
        let sig = signature::sign(self.secret.as_bytes(), body.as_bytes());
        let res = self
            .client
            .send_json(
                self.client
                    .request(Method::POST, "")
                    .header("Content-Type", "application/json")
                    .header("X-Vigia-Signature", sig)
                    .header("Idempotency-Key", &t.external_id)
                    .body(body),
            )
            .await?;
        Ok(ExternalRef {
            id: id_str(&res["id"]).unwrap_or_else(|| t.external_id.clone()),
            status: None,
        })
    }

    async fn state(&self, _external_id: &str) -> Result<Option<RemoteState>, HelpdeskError> {
        Ok(None)
    }
}
