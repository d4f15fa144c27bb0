//! The public survey link `GET /survey/{token}?score=1..5` (outside `/api`, no login): the
//! token is signed and bound to one ticket; the answer page is in Spanish and English.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::ApiState;
use super::params::ApiQuery;
use crate::domain::TicketStatus;
use crate::storage::Store;

#[derive(Debug, Deserialize)]
pub struct SurveyParams {
    score: Option<String>,
}

fn page(status: StatusCode, es: &str, en: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Vigía</title></head>\
         <body><p lang=\"es\">{es}</p><p lang=\"en\">{en}</p></body></html>"
    );
    (status, Html(body)).into_response()
}

/// The answer page of a satisfaction survey link (Spanish and English).
#[utoipa::path(get, path = "/survey/{token}", tag = "tickets",
    params(("token" = String, Path, description = "the signed token of the e-mailed link"),
        ("score" = Option<String>, Query, description = "1 to 5")),
    responses((status = 200, description = "thank-you page", content_type = "text/html", body = String),
        (status = 400, description = "no score from 1 to 5", content_type = "text/html", body = String),
        (status = 404, description = "not a valid link", content_type = "text/html", body = String)))]
pub async fn answer<S: Store>(
    State(state): State<ApiState<S>>,
    Path(token): Path<String>,
    ApiQuery(params): ApiQuery<SurveyParams>,
) -> Response {
    let invalid = || {
        page(
            StatusCode::NOT_FOUND,
            "Este enlace no es válido.",
            "This link is not valid.",
        )
    };
    let Some(signer) = &state.desk.survey else {
        return invalid();
    };
    let Some(ticket_id) = signer.verify(&token) else {
        return invalid();
    };
    let score = params
        .score
        .as_deref()
        .and_then(|s| s.parse::<u8>().ok())
        .filter(|s| (1..=5).contains(s));
    let Some(score) = score else {
        return page(
            StatusCode::BAD_REQUEST,
            "Elige una calificación del 1 al 5.",
            "Pick a score from 1 to 5.",
        );
    };
    let ticket = match state.store.ticket(ticket_id).await {
        Ok(Some(t)) => t,
        Ok(None) => return invalid(),
        Err(e) => {
            tracing::error!(error = %e, "survey lookup failed");
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Error interno.",
                "Internal error.",
            );
        }
    };
    if !matches!(ticket.status, TicketStatus::Solved | TicketStatus::Closed) {
        return page(
            StatusCode::CONFLICT,
            "Este caso todavía está abierto.",
            "This case is still open.",
        );
    }
    if let Err(e) = state
        .store
        .record_csat(ticket_id, score, state.clock.now())
        .await
    {
        tracing::error!(error = %e, "survey answer not stored");
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Error interno.",
            "Internal error.",
        );
    }
    page(
        StatusCode::OK,
        "¡Gracias por tu respuesta!",
        "Thank you for your answer!",
    )
}
