//! The dashboard's static files, embedded in the binary. Each answers with a strong ETag (a
//! hash of its bytes) and `Cache-Control: no-cache`, so a browser revalidates with one cheap
//! `304 Not Modified` instead of downloading again, and never runs a stale script after an
//! upgrade. Compression (br/gzip) is a layer on the dashboard routes.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

use super::CSP;

/// `(file name, content type, bytes)` of every embedded file.
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("assets/index.html"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("assets/app.css"),
    ),
    ("i18n.js", JS, include_str!("assets/i18n.js")),
    ("app.js", JS, include_str!("assets/app.js")),
    ("live.js", JS, include_str!("assets/live.js")),
    ("live-worker.js", JS, include_str!("assets/live-worker.js")),
    ("charts.js", JS, include_str!("assets/charts.js")),
    ("views.js", JS, include_str!("assets/views.js")),
    ("incidents.js", JS, include_str!("assets/incidents.js")),
    ("tickets.js", JS, include_str!("assets/tickets.js")),
    ("favicon.svg", SVG, include_str!("assets/favicon.svg")),
    (
        "favicon-alert.svg",
        SVG,
        include_str!("assets/favicon-alert.svg"),
    ),
];
const JS: &str = "text/javascript; charset=utf-8";
const SVG: &str = "image/svg+xml";

fn etags() -> &'static Vec<String> {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        FILES
            .iter()
            .map(|f| format!("\"{:016x}\"", fnv1a(f.2.as_bytes())))
            .collect()
    })
}

/// FNV-1a, 64 bits: enough to tell two versions of a file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The file `name`, or 304 when the request already holds this version.
pub fn serve(name: &str, req: &HeaderMap) -> Response {
    let Some(i) = FILES.iter().position(|f| f.0 == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (_, kind, body) = FILES[i];
    let etag = &etags()[i];
    let fresh = req
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.into_response()
    };
    let h = res.headers_mut();
    let pairs = [
        (header::CONTENT_TYPE, kind),
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-cache"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::ETAG, etag.as_str()),
    ];
    for (k, v) in pairs {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matching_etag_answers_304_and_another_the_file() {
        let first = serve("app.js", &HeaderMap::new());
        assert_eq!(first.status(), StatusCode::OK);
        let tag = first.headers()[header::ETAG].clone();
        let mut req = HeaderMap::new();
        req.insert(header::IF_NONE_MATCH, tag);
        assert_eq!(serve("app.js", &req).status(), StatusCode::NOT_MODIFIED);
        req.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"0\""));
        assert_eq!(serve("app.js", &req).status(), StatusCode::OK);
        assert_eq!(serve("nope.js", &req).status(), StatusCode::NOT_FOUND);
    }
}
