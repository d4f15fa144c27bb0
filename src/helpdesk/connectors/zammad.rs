//! Zammad REST API: `POST /api/v1/tickets` with `customer_id: "guess:<email>"` (Zammad creates
//! the customer when new; without an e-mail a stable `.invalid` address stands for the social
//! profile), the configured `group`, an `article` with the post, and our ticket id as the tag
//! `vigia-<id>`, which a retry searches first (`GET /api/v1/tickets/search?query=tags:...`).
//! Auth: `Authorization: Token token=<token>`.

use async_trait::async_trait;
use reqwest::Method;
use serde_json::json;

use super::http::{Client, id_str, parse_time};
use super::{ExternalRef, ExternalTicket, Helpdesk, HelpdeskError, RemoteState};
use crate::domain::TicketStatus;

pub(super) struct Zammad {
    client: Client,
    group: String,
    auth: String,
}

impl Zammad {
    pub(super) fn new(client: Client, group: &str, token: &str) -> Zammad {
        Zammad {
            client,
            group: group.to_owned(),
            auth: format!("Token token={token}"),
        }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, path)
            .header(reqwest::header::AUTHORIZATION, &self.auth)
    }
}

fn priority(p: &str) -> &'static str {
    match p {
        "urgent" | "high" => "3 high",
        "low" => "1 low",
        _ => "2 normal",
    }
}

fn customer(t: &ExternalTicket) -> String {
    let email = match (&t.customer_email, &t.handle) {
        (Some(e), _) => e.clone(),
        (None, Some((network, handle))) => format!("{network}.{handle}@social.invalid"),
        (None, None) => format!("vigia-customer-{}@social.invalid", t.customer_id),
    };
    format!("guess:{email}")
}

fn map_state(name: &str) -> TicketStatus {
    match name {
        "new" => TicketStatus::New,
        "pending reminder" | "pending close" => TicketStatus::Pending,
        "closed" | "merged" | "removed" => TicketStatus::Closed,
        _ => TicketStatus::Open,
    }
}

#[async_trait]
impl Helpdesk for Zammad {
    async fn find(&self, t: &ExternalTicket) -> Result<Option<ExternalRef>, HelpdeskError> {
        let query = format!("tags:{}", t.external_id);
        let res = self
            .client
            .send_json(
                self.req(Method::GET, "/api/v1/tickets/search")
                    .query(&[("query", query.as_str()), ("limit", "1")]),
            )
            .await?;
        let id = res["tickets"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(id_str);
        Ok(id.map(|id| ExternalRef { id, status: None }))
    }

    async fn open(&self, t: &ExternalTicket) -> Result<ExternalRef, HelpdeskError> {
        let body = json!({
            "title": t.subject,
            "group": self.group,
            "customer_id": customer(t),
            "priority": priority(&t.priority),
            "tags": format!("{},{}", t.external_id, t.category),
            "article": {
                "subject": t.subject,
                "body": t.description,
                "type": "note",
                "sender": "Customer",
                "content_type": "text/plain",
                "internal": false,
            },
        });
        let res = self
            .client
            .send_json(self.req(Method::POST, "/api/v1/tickets").json(&body))
            .await?;
        Ok(ExternalRef {
            id: id_str(&res["id"])
                .ok_or_else(|| HelpdeskError::Permanent("zammad ticket without id".into()))?,
            status: res["state_id"].as_i64().map(|s| s.to_string()),
        })
    }

    async fn state(&self, external_id: &str) -> Result<Option<RemoteState>, HelpdeskError> {
        let path = format!("/api/v1/tickets/{external_id}");
        let res = self
            .client
            .send_json(self.req(Method::GET, &path).query(&[("expand", "true")]))
            .await?;
        let raw = res["state"].as_str().map(str::to_owned).unwrap_or_else(|| {
            // Without expansion only the id is there: Zammad's default states.
            match res["state_id"].as_i64() {
                Some(1) => "new",
                Some(3) => "pending reminder",
                Some(4) => "closed",
                Some(7) => "pending close",
                _ => "open",
            }
            .to_owned()
        });
        Ok(Some(RemoteState {
            status: map_state(&raw),
            raw,
            first_response_at: parse_time(&res["first_response_at"]),
        }))
    }
}
