//! The API description is a contract: it documents every route (also outside `/api`), each
//! parameter where it is sent, a unique operation id, request bodies, response schemas, the
//! JSON errors, and bearer security. And every error really is the documented JSON
//! `{"error", "message"}`, also those no handler writes (extractor rejections, 405, 413).

mod common;

use std::collections::BTreeSet;

use common::TestApp;
use reqwest::Method;
use serde_json::Value;

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((method.clone(), path.clone(), op));
        }
    }
    out
}

/// The live stream's schema is that of one event, as `EventSource` clients (and Schemathesis,
/// which validates each parsed event against it) read it: an object with the event's name
/// and its JSON data, not a string.
#[tokio::test]
async fn the_stream_is_described_event_by_event() {
    let app = TestApp::start().await;
    let doc = app.get_ok("/api/openapi.json").await;
    let content = &doc["paths"]["/api/stream"]["get"]["responses"]["200"]["content"];
    let schema = &content["text/event-stream"]["schema"];
    let name = schema["$ref"].as_str().expect("a named event schema");
    let event = &doc["components"]["schemas"][name.rsplit('/').next().unwrap()];
    assert_eq!(event["type"], "object", "{event}");
    assert_eq!(event["properties"]["data"]["type"], "string", "{event}");
    assert_eq!(
        event["properties"]["event"]["pattern"],
        "^(mention|incident)$"
    );
    let required: BTreeSet<&str> = event["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, BTreeSet::from(["data", "event"]));
}

#[tokio::test]
async fn the_description_is_complete_and_consistent() {
    let app = TestApp::start().await;
    let doc = app.get_ok("/api/openapi.json").await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["security"][0].get("bearer").is_some());
    let paths: BTreeSet<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/healthz",
        "/hooks/generic/{feed}",
        "/hooks/meta",
        "/survey/{token}",
        "/dashboard/login",
        "/dashboard/logout",
    ] {
        assert!(paths.contains(&p.to_owned()), "{p} is not documented");
    }
    let mut ids = BTreeSet::new();
    for (method, path, op) in operations(&doc) {
        let what = format!("{method} {path}");
        let id = op["operationId"].as_str().expect("operationId");
        assert!(ids.insert(id.to_owned()), "{what}: operationId {id} twice");
        for param in op["parameters"].as_array().into_iter().flatten() {
            let name = param["name"].as_str().unwrap();
            let in_path = path.contains(&format!("{{{name}}}"));
            assert_eq!(
                param["in"] == "path",
                in_path,
                "{what}: parameter {name} is in the wrong place"
            );
            assert!(
                param.get("schema").is_some(),
                "{what}: {name} has no schema"
            );
        }
        let public = op["security"] == serde_json::json!([]);
        for code in ["400", "401", "403", "404"] {
            let content = &op["responses"][code]["content"];
            if path.starts_with("/survey/") {
                // A page for people: its errors are pages too; no token involved.
                if ["400", "404"].contains(&code) {
                    assert!(
                        content["text/html"].get("schema").is_some(),
                        "{what} {code}"
                    );
                }
                continue;
            }
            if public && ["401", "403"].contains(&code) && content.is_null() {
                continue; // No token involved.
            }
            let schema = &content["application/json"]["schema"];
            assert_eq!(
                schema["$ref"], "#/components/schemas/ErrorBody",
                "{what} {code}"
            );
        }
        for (code, response) in op["responses"].as_object().unwrap() {
            if code.starts_with('2') && code != "204" {
                let content = response["content"].as_object();
                assert!(
                    content.is_some_and(|c| c.values().all(|m| m.get("schema").is_some())),
                    "{what}: {code} has no schema"
                );
            }
        }
    }
    // The writes that read a body say what it is.
    for (method, path) in [
        ("post", "/api/customers"),
        ("post", "/api/customers/{id}/merge"),
        ("post", "/api/customers/{id}/identities"),
        ("post", "/api/tickets/{id}/status"),
        ("post", "/api/me/lang"),
        ("post", "/dashboard/login"),
    ] {
        let body = &doc["paths"][path][method]["requestBody"]["content"]["application/json"];
        assert!(
            body.get("schema").is_some(),
            "{method} {path} has no request body"
        );
    }
    let export = &doc["paths"]["/api/export/mentions"]["get"]["parameters"];
    assert!(export.as_array().is_some_and(|p| p.len() == 4), "{export}");
    app.stop().await;
}

/// Sends a raw request; answers status, content type and body text.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (u16, String, String) {
    let mut req = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(&app.token)
        .body(body);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, res.text().await.unwrap())
}

/// Method, path, content type, body and the status expected.
type Probe<'a> = (Method, &'a str, Option<&'a str>, Vec<u8>, u16);

#[tokio::test]
async fn every_api_error_is_json_with_error_and_message() {
    let app = TestApp::start().await;
    let json = Some("application/json");
    let big = vec![b' '; 3 * 1024 * 1024];
    let cases: Vec<Probe> = vec![
        (Method::GET, "/api/incidents/abc", None, vec![], 400),
        (Method::POST, "/api/incidents/abc/ack", None, vec![], 400),
        (
            Method::POST,
            "/api/incidents/abc/resolve",
            None,
            vec![],
            400,
        ),
        (Method::GET, "/api/tickets/abc", None, vec![], 400),
        (Method::POST, "/api/me/lang", None, vec![], 400),
        (Method::POST, "/api/me/lang", json, b"{}".to_vec(), 400),
        (Method::POST, "/api/me/lang", json, b"{".to_vec(), 400),
        (Method::POST, "/api/me/lang", json, big, 413),
        // Bodies are objects: serde would read these arrays as the structs' fields.
        (
            Method::POST,
            "/api/me/lang",
            json,
            b"[\"en\"]".to_vec(),
            400,
        ),
        (
            Method::POST,
            "/api/tickets/1/assign",
            json,
            b"[null, null]".to_vec(),
            400,
        ),
        (
            Method::POST,
            "/api/incidents/1/reopen",
            json,
            b" [null]".to_vec(),
            400,
        ),
        (Method::PATCH, "/api/mentions", None, vec![], 405),
        (Method::GET, "/api/mentions?limit=abc", None, vec![], 400),
        (Method::GET, "/api/nosuch", None, vec![], 404),
        (Method::POST, "/dashboard/login", json, b"{".to_vec(), 400),
        (
            Method::POST,
            "/hooks/generic/nosuch",
            json,
            b"{}".to_vec(),
            401,
        ),
    ];
    for (method, path, ct, body, expected) in cases {
        let (status, content_type, text) = raw(&app, method.clone(), path, ct, body).await;
        let what = format!("{method} {path}: {status} {content_type} {text}");
        assert_eq!(status, expected, "{what}");
        assert!(content_type.starts_with("application/json"), "{what}");
        let v: Value = serde_json::from_str(&text).expect(&what);
        assert!(v["error"].is_string() && v["message"].is_string(), "{what}");
    }
    app.stop().await;
}

/// Every pattern in the description, wherever it is (schemas, parameters).
fn patterns<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "pattern"
                    && let Some(p) = child.as_str()
                {
                    out.push((at.clone(), p));
                }
                patterns(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                patterns(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// "Not only white space" is checked by the handlers with Rust's `trim`, whose white space
/// includes U+0085 (NEL); JSON Schema's `\S` (ECMA-262) counts U+0085 as a letter, so a
/// pattern `\S` would describe `"\u0085"` as valid and the handler refuse it (Schemathesis
/// found this on the reply body). The non-blank fields say `[^\s\u0085]` instead.
#[tokio::test]
async fn non_blank_fields_are_described_as_the_handlers_check_them() {
    let app = TestApp::start().await;
    let doc = app.get_ok("/api/openapi.json").await;
    let mut found = Vec::new();
    patterns(&doc, String::new(), &mut found);
    let loose: Vec<_> = found.iter().filter(|(_, p)| p.contains(r"\S")).collect();
    assert!(loose.is_empty(), "patterns with ECMA-262 \\S: {loose:?}");
    let non_blank = found.iter().filter(|(_, p)| *p == r"[^\s\u0085]").count();
    assert!(
        non_blank >= 3,
        "the reply, note and identity fields: {found:?}"
    );
    app.stop().await;
}
