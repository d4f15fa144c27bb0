//! What every operation of the OpenAPI description promises beyond its own annotation, added
//! in one place so no route can forget it: a unique `operationId` (from method and path), the
//! bearer security scheme, and the JSON error answers (`{"error", "message"}`) that the
//! authentication middleware, the extractors and the error layer can give to any request:
//! 400, 401, 403, 404, 405 and, for requests with a body, 409 and 413.

use serde_json::{Value, json};

/// The body of every error answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code, e.g. `bad_request`, `not_found`.
    pub error: String,
    /// What went wrong, for a person.
    pub message: String,
}

/// Paths served without an API token (their own checks: signatures, signed links, passwords).
const PUBLIC: [&str; 4] = ["/healthz", "/hooks/", "/survey/", "/dashboard/login"];

/// Finishes the serialized description in place.
pub fn finish(doc: &mut Value) {
    doc["components"]["schemas"]["ErrorBody"] = error_schema();
    doc["components"]["securitySchemes"]["bearer"] = json!({
        "type": "http", "scheme": "bearer",
        "description": "An API token (`vigia tokens create`) or, from the dashboard, the session cookie."
    });
    doc["security"] = json!([{"bearer": []}]);
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !op.is_object() {
                continue;
            }
            op["operationId"] = Value::String(operation_id(method, path));
            let public = PUBLIC.iter().any(|p| path.starts_with(p));
            if public {
                op["security"] = json!([]);
            }
            if path.starts_with("/survey/") {
                // A page for people: its own errors are pages (see its annotation).
                let text = json!({"text/plain": {"schema": {"type": "string"}}});
                op["responses"]["405"] =
                    json!({"description": "method not allowed", "content": text});
            } else {
                add_errors(op, method, public);
            }
        }
    }
}

fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "Every error: a stable code and a human message.",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "e.g. `bad_request`, `not_found`"},
            "message": {"type": "string"}
        }
    })
}

/// `get /api/incidents/{id}/ack` → `get_incidents_by_id_ack`.
pub fn operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_lowercase();
    let rest = path.strip_prefix("/api").unwrap_or(path);
    for part in rest.split('/').filter(|p| !p.is_empty()) {
        id.push('_');
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) => {
                id.push_str("by_");
                id.push_str(name);
            }
            None => id.extend(
                part.chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
            ),
        }
    }
    id
}

/// The JSON errors of an operation; a public one (no token) documents its own 401/403.
fn add_errors(op: &mut Value, method: &str, public: bool) {
    let mut codes = vec![
        ("400", "bad parameter or body"),
        ("404", "no such item (or not in the caller's brand scope)"),
        ("405", "method not allowed"),
    ];
    if !public {
        codes.push(("401", "no valid token or session"));
        codes.push(("403", "the role or brand scope does not allow it"));
    }
    if method == "post" {
        codes.push(("409", "conflicts with the item's current state"));
        codes.push(("413", "body too large"));
    }
    let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}});
    for (code, description) in codes {
        let response = &mut op["responses"][code];
        if response.get("content").is_none() {
            response["content"] = error.clone();
        }
        if response.get("description").is_none_or(|d| d == "") {
            response["description"] = Value::String(description.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_follow_method_and_path() {
        assert_eq!(operation_id("get", "/api/incidents"), "get_incidents");
        assert_eq!(
            operation_id("post", "/api/incidents/{id}/ack"),
            "post_incidents_by_id_ack"
        );
        assert_eq!(operation_id("get", "/api/openapi.json"), "get_openapi_json");
        assert_eq!(
            operation_id("post", "/hooks/generic/{feed}"),
            "post_hooks_generic_by_feed"
        );
    }

    #[test]
    fn errors_are_documented_on_every_operation() {
        let mut doc =
            json!({"paths": {"/api/x": {"post": {"responses": {"200": {"description": "ok"}}}}}});
        finish(&mut doc);
        let op = &doc["paths"]["/api/x"]["post"];
        for code in ["400", "401", "403", "404", "409"] {
            assert_eq!(
                op["responses"][code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody"
            );
        }
        assert_eq!(doc["security"][0]["bearer"], json!([]));
    }
}
