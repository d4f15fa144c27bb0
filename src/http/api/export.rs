//! `GET /api/export/mentions`: mentions as CSV or JSON lines for analysis elsewhere
//! (role with `Export`; brand scope applies; every export is audited).
//!
//! CSV cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) are
//! prefixed with `'`: mention text is hostile input, also in Excel.

use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, parse_time};
use crate::http::{ApiError, ApiState};
use crate::storage::{MentionFilter, MentionRow, PageRequest, Store, StoreError};

/// Most rows one export returns; narrow with `since`/`until` for more.
pub const MAX_EXPORT_ROWS: i64 = 100_000;
const PAGE: i64 = 500;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    brand: Option<String>,
    /// RFC 3339 bounds on the mentions' own time.
    since: Option<String>,
    until: Option<String>,
    /// `csv` (default) or `jsonl`.
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/export/mentions", tag = "mentions",
    responses((status = 200, description = "mentions as CSV or JSON lines")))]
pub async fn mentions<S: Store>(
    State(state): State<ApiState<S>>,
    principal: Principal,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    principal.require(Action::Export)?;
    let csv = match params.format.as_deref().unwrap_or("csv") {
        "csv" => true,
        "jsonl" => false,
        other => {
            return Err(ApiError::BadRequest(format!(
                "format: '{other}' is not one of csv, jsonl"
            )));
        }
    };
    let filter = MentionFilter {
        brand: params.brand.clone(),
        scope: principal.scope().map(<[String]>::to_vec),
        since: params
            .since
            .as_deref()
            .map(|s| parse_time("since", s))
            .transpose()?,
        until: params
            .until
            .as_deref()
            .map(|s| parse_time("until", s))
            .transpose()?,
        ..Default::default()
    };
    let rows = collect(&state.store, &filter).await?;
    let now = state.clock.now();
    let detail = serde_json::json!({
        "rows": rows.len(), "format": if csv { "csv" } else { "jsonl" },
        "brand": params.brand, "since": params.since, "until": params.until,
    });
    let entry = principal.audit_entry("mentions.export", "mentions", "export", detail, now);
    state.store.audit(&entry).await?;
    let (body, mime, ext) = if csv {
        (to_csv(&rows)?, "text/csv; charset=utf-8", "csv")
    } else {
        (to_jsonl(&rows), "application/x-ndjson", "jsonl")
    };
    let file = format!(
        "attachment; filename=\"vigia-mentions-{}.{ext}\"",
        now.format("%Y%m%dT%H%M%SZ")
    );
    Ok((
        [(CONTENT_TYPE, mime.to_owned()), (CONTENT_DISPOSITION, file)],
        body,
    )
        .into_response())
}

async fn collect<S: Store>(store: &S, filter: &MentionFilter) -> Result<Vec<MentionRow>, ApiError> {
    let mut rows = Vec::new();
    loop {
        let page = PageRequest {
            limit: PAGE.min(MAX_EXPORT_ROWS - rows.len() as i64),
            offset: rows.len() as i64,
        };
        let listing = store.list_mentions(filter, &page).await?;
        let got = listing.items.len() as i64;
        rows.extend(listing.items);
        if got < page.limit || rows.len() as i64 >= MAX_EXPORT_ROWS {
            return Ok(rows);
        }
    }
}

const COLUMNS: [&str; 13] = [
    "id",
    "brand",
    "source",
    "external_id",
    "created_at",
    "author_handle",
    "author_name",
    "url",
    "lang",
    "sentiment",
    "label",
    "categories",
    "text",
];

fn to_csv(rows: &[MentionRow]) -> Result<String, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(StoreError::Database(format!("CSV: {e}")));
    out.write_record(COLUMNS).map_err(fail)?;
    for m in rows {
        let record = [
            m.id.to_string(),
            m.brand.clone(),
            m.source.clone(),
            m.external_id.clone(),
            m.created_at.to_rfc3339(),
            m.author_handle.clone(),
            m.author_name.clone().unwrap_or_default(),
            m.url.clone().unwrap_or_default(),
            m.lang.clone(),
            format!("{:.4}", m.sentiment),
            m.label.clone(),
            m.categories.join(";"),
            m.text.clone(),
        ];
        out.write_record(record.iter().map(|c| defuse(c).into_owned()))
            .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Internal(StoreError::Database(format!("CSV: {e}"))))?;
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

/// A cell a spreadsheet would evaluate becomes text.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn to_jsonl(rows: &[MentionRow]) -> String {
    let mut out = String::new();
    for m in rows {
        out.push_str(&serde_json::to_string(m).unwrap_or_default());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_become_text() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(1)"), "'@SUM(1)");
        assert_eq!(defuse("-3"), "'-3");
        assert_eq!(defuse("hola"), "hola");
        assert_eq!(defuse(""), "");
    }
}
