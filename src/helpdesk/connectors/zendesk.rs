//! Zendesk Support API v2: the requester is created or updated by our customer id
//! (`POST /api/v2/users/create_or_update.json`), an X handle is added as a twitter identity
//! (`POST /api/v2/users/{id}/identities.json`), then `POST /api/v2/tickets.json` with
//! `requester_id` and `external_id`. A retry first lists `GET /api/v2/tickets.json?external_id=`.
//! Auth: API token, `Basic base64("{email}/token:{token}")`.

use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Value, json};

use super::http::{Client, id_str};
use super::{ExternalRef, ExternalTicket, Helpdesk, HelpdeskError, RemoteState};
use crate::domain::TicketStatus;

pub(super) struct Zendesk {
    client: Client,
    user: String,
    token: String,
}

impl Zendesk {
    pub(super) fn new(client: Client, email: &str, token: &str) -> Zendesk {
        Zendesk {
            client,
            user: format!("{email}/token"),
            token: token.to_owned(),
        }
    }

    fn req(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, path)
            .basic_auth(&self.user, Some(&self.token))
    }

    async fn requester(&self, t: &ExternalTicket) -> Result<String, HelpdeskError> {
        let mut user = json!({
            "name": t.customer_name.clone().unwrap_or_else(|| format!("Vigía customer {}", t.customer_id)),
            "external_id": format!("vigia-customer-{}", t.customer_id),
        });
        if let Some(email) = &t.customer_email {
            user["email"] = json!(email);
        }
        let body = self
            .client
            .send_json(
                self.req(Method::POST, "/api/v2/users/create_or_update.json")
                    .json(&json!({ "user": user })),
            )
            .await?;
        let id = id_str(&body["user"]["id"])
            .ok_or_else(|| HelpdeskError::Permanent("zendesk user without id".into()))?;
        if let Some((_, handle)) = t.handle.as_ref().filter(|(n, _)| n == "x") {
            let identity = json!({"identity": {"type": "twitter", "value": handle}});
            let path = format!("/api/v2/users/{id}/identities.json");
            match self
                .client
                .send_json(self.req(Method::POST, &path).json(&identity))
                .await
            {
                // 422: the user already has this identity.
                Ok(_) | Err(HelpdeskError::Permanent(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(id)
    }
}

fn map_status(s: &str) -> TicketStatus {
    match s {
        "new" => TicketStatus::New,
        "pending" | "hold" => TicketStatus::Pending,
        "solved" => TicketStatus::Solved,
        "closed" => TicketStatus::Closed,
        _ => TicketStatus::Open,
    }
}

fn zendesk_priority(p: &str) -> &'static str {
    match p {
        "urgent" => "urgent",
        "high" => "high",
        "low" => "low",
        _ => "normal",
    }
}

fn to_ref(ticket: &Value) -> Option<ExternalRef> {
    Some(ExternalRef {
        id: id_str(&ticket["id"])?,
        status: ticket["status"].as_str().map(str::to_owned),
    })
}

#[async_trait]
impl Helpdesk for Zendesk {
    async fn find(&self, t: &ExternalTicket) -> Result<Option<ExternalRef>, HelpdeskError> {
        let body = self
            .client
            .send_json(
                self.req(Method::GET, "/api/v2/tickets.json")
                    .query(&[("external_id", &t.external_id)]),
            )
            .await?;
        Ok(body["tickets"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(to_ref))
    }

    async fn open(&self, t: &ExternalTicket) -> Result<ExternalRef, HelpdeskError> {
        let requester_id = self.requester(t).await?;
        let ticket = json!({"ticket": {
            "subject": t.subject,
            "comment": {"body": t.description},
            "requester_id": requester_id.parse::<i64>().map(Value::from).unwrap_or(Value::from(requester_id)),
            "external_id": t.external_id,
            "priority": zendesk_priority(&t.priority),
            "tags": ["vigia", t.category],
        }});
        let body = self
            .client
            .send_json(self.req(Method::POST, "/api/v2/tickets.json").json(&ticket))
            .await?;
        to_ref(&body["ticket"])
            .ok_or_else(|| HelpdeskError::Permanent("zendesk ticket without id".into()))
    }

    async fn state(&self, external_id: &str) -> Result<Option<RemoteState>, HelpdeskError> {
        let path = format!("/api/v2/tickets/{external_id}.json");
        let body = self.client.send_json(self.req(Method::GET, &path)).await?;
        let raw = body["ticket"]["status"]
            .as_str()
            .unwrap_or("open")
            .to_owned();
        Ok(Some(RemoteState {
            status: map_status(&raw),
            raw,
            first_response_at: None,
        }))
    }
}
