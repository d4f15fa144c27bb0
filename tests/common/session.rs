//! A dashboard session for tests: log in with a password, then send requests with the session
//! cookie (and, unless told otherwise, the CSRF token), as the browser does.

use serde_json::Value;

use super::TestApp;

pub struct Session {
    /// The cookie value (`vigia_session=...`) and the raw `Set-Cookie` header it came in.
    pub cookie: String,
    pub set_cookie: String,
    pub csrf: String,
}

/// Result of a login attempt: status, body and the session when it succeeded.
pub async fn login(app: &TestApp, username: &str, password: &str) -> (u16, Value, Option<Session>) {
    let res = app
        .client
        .post(format!("{}/dashboard/login", app.base))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .expect("login request");
    let status = res.status().as_u16();
    let set_cookie = res
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = res.json().await.unwrap_or(Value::Null);
    let session = set_cookie.map(|raw| Session {
        cookie: raw.split(';').next().expect("cookie pair").to_owned(),
        csrf: body["csrf"].as_str().unwrap_or_default().to_owned(),
        set_cookie: raw,
    });
    (status, body, session.filter(|_| status == 200))
}

impl Session {
    /// A request with the session cookie; `csrf` adds the `X-CSRF-Token` header.
    pub async fn send(
        &self,
        app: &TestApp,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        csrf: bool,
    ) -> (u16, Value) {
        let mut req = app
            .client
            .request(method, format!("{}{path}", app.base))
            .header(reqwest::header::COOKIE, &self.cookie);
        if csrf {
            req = req.header("X-CSRF-Token", &self.csrf);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, app: &TestApp, path: &str) -> (u16, Value) {
        self.send(app, reqwest::Method::GET, path, None, false)
            .await
    }

    pub async fn post(&self, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
        self.send(app, reqwest::Method::POST, path, Some(body), true)
            .await
    }
}
