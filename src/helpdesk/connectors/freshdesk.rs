//! Freshdesk API v2: `POST /api/v2/tickets` with the requester as `email`, else `twitter_id`,
//! else `unique_external_id`; our ticket id goes in as the tag `vigia-<id>`, which a retry
//! searches first (`GET /api/v2/search/tickets?query="tag:'vigia-<id>'"`). Status 2 open,
//! 3 pending, 4 resolved, 5 closed; `stats.first_responded_at` stops the first-response clock.
//! Auth: API key as Basic user, `X` as password.

use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Value, json};

use super::http::{Client, id_str, parse_time};
use super::{ExternalRef, ExternalTicket, Helpdesk, HelpdeskError, RemoteState};
use crate::domain::TicketStatus;

pub(super) struct Freshdesk {
    client: Client,
    key: String,
}

impl Freshdesk {
    pub(super) fn new(client: Client, key: &str) -> Freshdesk {
        Freshdesk {
            client,
            key: key.to_owned(),
        }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, path)
            .basic_auth(&self.key, Some("X"))
    }
}

fn priority(p: &str) -> i64 {
    match p {
        "urgent" => 4,
        "high" => 3,
        "normal" => 2,
        _ => 1,
    }
}

fn map_status(code: i64) -> TicketStatus {
    match code {
        3 => TicketStatus::Pending,
        4 => TicketStatus::Solved,
        5 => TicketStatus::Closed,
        _ => TicketStatus::Open,
    }
}

/// The ticket body; exposed for tests of its exact shape.
pub(super) fn body(t: &ExternalTicket) -> Value {
    let mut b = json!({
        "subject": t.subject,
        "description": t.description,
        "status": 2,
        "priority": priority(&t.priority),
        "source": 2,
        "tags": [t.external_id, t.category],
    });
    if let Some(name) = &t.customer_name {
        b["name"] = json!(name);
    }
    match (&t.customer_email, &t.handle) {
        (Some(email), _) => b["email"] = json!(email),
        (None, Some((network, handle))) if network == "x" => b["twitter_id"] = json!(handle),
        _ => b["unique_external_id"] = json!(format!("vigia-customer-{}", t.customer_id)),
    }
    b
}

fn to_ref(t: &Value) -> Option<ExternalRef> {
    Some(ExternalRef {
        id: id_str(&t["id"])?,
        status: t["status"].as_i64().map(|s| s.to_string()),
    })
}

#[async_trait]
impl Helpdesk for Freshdesk {
    async fn find(&self, t: &ExternalTicket) -> Result<Option<ExternalRef>, HelpdeskError> {
        let query = format!("\"tag:'{}'\"", t.external_id);
        let res = self
            .client
            .send_json(
                self.req(Method::GET, "/api/v2/search/tickets")
                    .query(&[("query", query)]),
            )
            .await?;
        Ok(res["results"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(to_ref))
    }

    async fn open(&self, t: &ExternalTicket) -> Result<ExternalRef, HelpdeskError> {
        let res = self
            .client
            .send_json(self.req(Method::POST, "/api/v2/tickets").json(&body(t)))
            .await?;
        to_ref(&res).ok_or_else(|| HelpdeskError::Permanent("freshdesk ticket without id".into()))
    }

    async fn state(&self, external_id: &str) -> Result<Option<RemoteState>, HelpdeskError> {
        let path = format!("/api/v2/tickets/{external_id}");
        let res = self
            .client
            .send_json(self.req(Method::GET, &path).query(&[("include", "stats")]))
            .await?;
        let code = res["status"].as_i64().unwrap_or(2);
        Ok(Some(RemoteState {
            raw: code.to_string(),
            status: map_status(code),
            first_response_at: parse_time(&res["stats"]["first_responded_at"]),
        }))
    }
}
