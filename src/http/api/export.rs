//! `GET /api/export/mentions`: mentions as CSV or JSON lines for analysis elsewhere
//! (role with `Export`; brand scope applies; every export is audited).
//!
//! The file is streamed a page of rows at a time (constant memory at any size). In CSV, text
//! cells lose control and bidi-override characters, and those a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@`, tab first) are prefixed with `'`: mention text is hostile
//! input, also in Excel. Numbers (id, sentiment) and times are written as they are.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::http::auth::{Action, Principal};
use crate::http::params::{ApiQuery, parse_time};
use crate::http::{ApiError, ApiState};
use crate::storage::{MentionFilter, MentionRow, PageRequest, Store, StoreError};

/// Most rows one export returns; narrow with `since`/`until` for more.
pub const MAX_EXPORT_ROWS: i64 = 100_000;
const PAGE: i64 = 500;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    brand: Option<String>,
    /// RFC 3339 bounds on the mentions' own time.
    #[param(format = DateTime)]
    since: Option<String>,
    #[param(format = DateTime)]
    until: Option<String>,
    /// `csv` (default) or `jsonl`.
    #[param(pattern = r"^(csv|jsonl)$")]
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/export/mentions", tag = "mentions", params(ExportParams),
    responses((status = 200, description = "mentions as CSV (`format=csv`, the default) or JSON lines (`format=jsonl`)",
        content((String = "text/csv"), (String = "application/x-ndjson")))))]
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
    let now = state.clock.now();
    let (mime, ext) = if csv {
        ("text/csv; charset=utf-8", "csv")
    } else {
        ("application/x-ndjson", "jsonl")
    };
    let file = format!(
        "attachment; filename=\"vigia-mentions-{}.{ext}\"",
        now.format("%Y%m%dT%H%M%SZ")
    );
    let (tx, rx) = mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let job = Job {
        state,
        principal,
        filter,
        params,
        csv,
    };
    tokio::spawn(job.run(tx));
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    Ok((
        [(CONTENT_TYPE, mime.to_owned()), (CONTENT_DISPOSITION, file)],
        body,
    )
        .into_response())
}

/// One export being written: a page of rows at a time goes to the client, so memory stays
/// the same whatever the export's size; the audit record, with the rows sent, comes last.
struct Job<S: Store> {
    state: ApiState<S>,
    principal: Principal,
    filter: MentionFilter,
    params: ExportParams,
    csv: bool,
}

type Chunks = mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

impl<S: Store> Job<S> {
    async fn run(self, tx: Chunks) {
        let rows = match self.send_rows(&tx).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                let _ = tx.send(Err(std::io::Error::other("export failed"))).await;
                return;
            }
        };
        let p = &self.params;
        let detail = serde_json::json!({
            "rows": rows, "format": if self.csv { "csv" } else { "jsonl" },
            "brand": p.brand, "since": p.since, "until": p.until,
        });
        let now = self.state.clock.now();
        let entry =
            self.principal
                .audit_entry("mentions.export", "mentions", "export", detail, now);
        if let Err(e) = self.state.store.audit(&entry).await {
            tracing::error!(error = %e, "export audit record failed");
        }
    }

    /// Sends every row; answers how many (fewer when the client went away).
    async fn send_rows(&self, tx: &Chunks) -> Result<i64, ApiError> {
        if self.csv {
            let head = csv_chunk(std::iter::once(COLUMNS.map(String::from)))?;
            if tx.send(Ok(head)).await.is_err() {
                return Ok(0);
            }
        }
        let mut sent = 0;
        while sent < MAX_EXPORT_ROWS {
            let page = PageRequest {
                limit: PAGE.min(MAX_EXPORT_ROWS - sent),
                offset: sent,
            };
            let listing = self.state.store.list_mentions(&self.filter, &page).await?;
            let got = listing.items.len() as i64;
            let chunk = if self.csv {
                csv_chunk(listing.items.iter().map(csv_record))?
            } else {
                jsonl_chunk(&listing.items)
            };
            if tx.send(Ok(chunk)).await.is_err() {
                return Ok(sent);
            }
            sent += got;
            if got < page.limit {
                break;
            }
        }
        Ok(sent)
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

/// One mention as a CSV record: numbers and times as they are, text cells made safe.
fn csv_record(m: &MentionRow) -> [String; 13] {
    let text = |s: &str| safe_text(s).into_owned();
    [
        m.id.to_string(),
        text(&m.brand),
        text(&m.source),
        text(&m.external_id),
        m.created_at.to_rfc3339(),
        text(&m.author_handle),
        text(m.author_name.as_deref().unwrap_or_default()),
        text(m.url.as_deref().unwrap_or_default()),
        text(&m.lang),
        format!("{:.4}", m.sentiment),
        text(&m.label),
        text(&m.categories.join(";")),
        text(&m.text),
    ]
}

fn csv_chunk(records: impl Iterator<Item = [String; 13]>) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: String| ApiError::Internal(StoreError::Database(format!("CSV: {e}")));
    for record in records {
        out.write_record(&record).map_err(|e| fail(e.to_string()))?;
    }
    out.into_inner().map_err(|e| fail(e.to_string()))
}

/// A text cell a spreadsheet can neither run as a formula nor be misled by: control
/// characters (NUL, ESC, BEL, CR, ...) and bidirectional overrides are dropped (new lines and
/// tabs stay), and a cell a spreadsheet would evaluate (`=`, `+`, `-`, `@` first) gets `'`.
fn safe_text(cell: &str) -> std::borrow::Cow<'_, str> {
    let cleaned: std::borrow::Cow<'_, str> = if cell.chars().any(unsafe_char) {
        cell.chars()
            .filter(|c| !unsafe_char(*c))
            .collect::<String>()
            .into()
    } else {
        cell.into()
    };
    match cleaned.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t') => format!("'{cleaned}").into(),
        _ => cleaned,
    }
}

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn jsonl_chunk(rows: &[MentionRow]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in rows {
        out.extend(serde_json::to_vec(m).unwrap_or_default());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::safe_text;

    #[test]
    fn formulas_become_text() {
        assert_eq!(safe_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_text("@SUM(1)"), "'@SUM(1)");
        assert_eq!(safe_text("-3"), "'-3");
        assert_eq!(safe_text("hola"), "hola");
        assert_eq!(safe_text(""), "");
    }

    #[test]
    fn control_and_bidi_characters_are_dropped() {
        assert_eq!(safe_text("a\0b\x1bc\x07d\re"), "abcde");
        assert_eq!(safe_text("\u{202e}gnp.exe"), "gnp.exe");
        assert_eq!(safe_text("\r=1+1"), "'=1+1");
        assert_eq!(safe_text("línea\nnueva\tcon tab"), "línea\nnueva\tcon tab");
    }
}
