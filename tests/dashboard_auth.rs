//! Dashboard login: session cookie flags, CSRF on every state-changing request, logout,
//! lockout after repeated wrong passwords, the language remembered per user, roles and brand
//! scope on the dashboard endpoints, and secrets stored only as hashes.

mod common;

use common::TestApp;
use common::session::login;
use serde_json::json;
use sha2::{Digest, Sha256};

const PW: &str = "correct horse battery";

#[tokio::test]
async fn login_sets_a_strict_httponly_cookie_and_csrf_guards_every_post() {
    let app = TestApp::start().await;
    app.user_with_password("ana", "crisis", None, PW).await;
    let (status, body, session) = login(&app, "ana", PW).await;
    assert_eq!(status, 200, "{body}");
    let s = session.expect("session");
    assert!(s.set_cookie.contains("HttpOnly"), "{}", s.set_cookie);
    assert!(s.set_cookie.contains("SameSite=Strict"), "{}", s.set_cookie);
    assert!(
        !s.set_cookie.contains("Secure"),
        "not configured: {}",
        s.set_cookie
    );
    assert_eq!(s.csrf.len(), 64);

    let (status, me) = s.get(&app, "/api/me").await;
    assert_eq!(status, 200);
    assert_eq!(
        (me["username"].as_str(), me["lang"].as_str()),
        (Some("ana"), Some("es"))
    );
    assert_eq!(me["csrf"].as_str(), Some(s.csrf.as_str()));

    // Without the token, or with a wrong one: 403, and nothing changes.
    let lang = json!({"lang": "en"});
    let (status, _) = s
        .send(
            &app,
            reqwest::Method::POST,
            "/api/me/lang",
            Some(&lang),
            false,
        )
        .await;
    assert_eq!(status, 403);
    let forged = common::session::Session {
        csrf: "0".repeat(64),
        cookie: s.cookie.clone(),
        set_cookie: String::new(),
    };
    assert_eq!(forged.post(&app, "/api/me/lang", &lang).await.0, 403);
    assert_eq!(s.get(&app, "/api/me").await.1["lang"], "es");

    // With it: the language is remembered for the user, across logins.
    assert_eq!(s.post(&app, "/api/me/lang", &lang).await.0, 204);
    let (_, _, again) = login(&app, "ana", PW).await;
    assert_eq!(
        again.expect("second login").get(&app, "/api/me").await.1["lang"],
        "en"
    );

    // Logout needs the token too; afterwards the cookie is worthless.
    let (status, _) = s
        .send(
            &app,
            reqwest::Method::POST,
            "/dashboard/logout",
            None,
            false,
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(s.post(&app, "/dashboard/logout", &json!({})).await.0, 204);
    assert_eq!(s.get(&app, "/api/me").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_a_while() {
    let app = TestApp::start().await;
    app.user_with_password("leo", "viewer", None, PW).await;
    assert_eq!(login(&app, "nobody", PW).await.0, 401);
    for _ in 0..5 {
        assert_eq!(login(&app, "leo", "wrong password!").await.0, 401);
    }
    // Locked: even the right password is refused, with no session.
    let (status, body, session) = login(&app, "leo", PW).await;
    assert_eq!(status, 429, "{body}");
    assert!(session.is_none());
    assert!(body["locked_until"].is_string());
    app.clock.advance(chrono::Duration::minutes(16));
    let (status, _, session) = login(&app, "leo", PW).await;
    assert_eq!(status, 200);
    assert!(session.is_some());
    app.stop().await;
}

#[tokio::test]
async fn a_secure_cookie_when_configured() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::write_config(
        dir.path(),
        &common::demo_mentions(),
        "[auth]\nsecure_cookies = true\n",
    );
    let app = TestApp::start_in(dir).await;
    app.user_with_password("ana", "viewer", None, PW).await;
    let (_, _, s) = login(&app, "ana", PW).await;
    assert!(s.expect("session").set_cookie.ends_with("; Secure"));
    app.stop().await;
}

#[tokio::test]
async fn roles_and_brand_scope_hold_on_the_dashboard_endpoints() {
    let app = TestApp::start().await;
    for role in ["admin", "crisis", "community", "agent", "viewer"] {
        let token = app.token_for(&format!("u-{role}"), role, None).await;
        for path in [
            "/api/brands",
            "/api/overview?brand=rapiplato",
            "/api/me",
            "/api/openapi.json",
        ] {
            assert_eq!(app.get_as(&token, path).await.0, 200, "{role} GET {path}");
        }
        let audit = app.get_as(&token, "/api/audit").await.0;
        assert_eq!(
            audit,
            if role == "admin" { 200 } else { 403 },
            "{role} GET /api/audit"
        );
        // Role checks come before the item is looked up: 403 for roles that may not.
        let merge = json!({"other_id": 2});
        let (status, _) = app
            .send(
                reqwest::Method::POST,
                &token,
                "/api/customers/1/merge",
                Some(&merge),
            )
            .await;
        let (ack_status, _) = app
            .send(
                reqwest::Method::POST,
                &token,
                "/api/incidents/999/ack",
                Some(&json!({})),
            )
            .await;
        let may_ack = matches!(role, "admin" | "crisis");
        assert_eq!(
            ack_status == 403,
            !may_ack,
            "{role} POST ack answered {ack_status}"
        );
        let may_merge = matches!(role, "admin" | "community");
        assert_eq!(
            status == 403,
            !may_merge,
            "{role} POST merge answered {status}"
        );
        let (status, _) = app
            .send(
                reqwest::Method::POST,
                &token,
                "/api/customers/1/erase",
                Some(&json!({})),
            )
            .await;
        assert_eq!(
            status == 403,
            role != "admin",
            "{role} POST erase answered {status}"
        );
    }
    // A user scoped to another brand sees neither this brand nor its figures.
    let other = app.token_for("outsider", "viewer", Some(&["otra"])).await;
    assert_eq!(app.get_as(&other, "/api/brands").await.1["total"], 0);
    assert_eq!(
        app.get_as(&other, "/api/overview?brand=rapiplato").await.0,
        404
    );
    assert_eq!(
        app.get_as(&other, "/api/stream?brand=rapiplato").await.0,
        404
    );
    // No credentials at all: 401 everywhere in the API.
    assert_eq!(app.get_as("", "/api/overview?brand=rapiplato").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn the_database_holds_only_hashes_of_sessions_and_tokens() {
    let app = TestApp::start().await;
    app.user_with_password("ana", "viewer", None, PW).await;
    let (_, _, s) = login(&app, "ana", PW).await;
    let s = s.expect("session");
    let cookie_value = s.cookie.split_once('=').expect("name=value").1.to_owned();
    let db = &app.db;
    let sessions = db.strings("SELECT id_hash FROM sessions").await;
    assert_eq!(
        sessions,
        [hex::encode(Sha256::digest(cookie_value.as_bytes()))]
    );
    let tokens = db.strings("SELECT token_hash FROM api_tokens").await;
    assert!(!tokens.is_empty());
    assert!(!tokens.contains(&app.token));
    assert!(tokens.contains(&hex::encode(Sha256::digest(app.token.as_bytes()))));
    let passwords = db
        .strings("SELECT password_hash FROM users WHERE username = 'ana'")
        .await;
    assert!(passwords[0].starts_with("$argon2id$") && !passwords[0].contains(PW));
    app.stop().await;
}
