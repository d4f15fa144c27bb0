//! API authentication with Bearer tokens: the first-start admin token, 401s, roles and brand
//! scope on reads, and tokens stored only as hashes.

mod common;

use common::TestApp;
use reqwest::Method;

#[tokio::test]
async fn the_api_wants_a_valid_token_and_the_first_start_token_works() {
    let app = TestApp::start().await;
    let token_file = app.dir.path().join("var/admin-token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "admin token file is private");
    }
    for path in [
        "/api/mentions",
        "/api/incidents",
        "/api/tickets",
        "/api/feeds",
    ] {
        let (status, body) = app.send(Method::GET, "", path, None).await;
        assert_eq!(status, 401, "{path} without a token: {body}");
        assert_eq!(body["error"], "unauthorized");
        let forged = format!("vga_{}", "A".repeat(43));
        let (status, _) = app.get_as(&forged, path).await;
        assert_eq!(status, 401, "{path} with an unknown token");
    }
    let (status, _) = app.get_as("not-even-a-token", "/api/mentions").await;
    assert_eq!(status, 401);
    assert_eq!(app.get("/api/mentions").await.0, 200);
    // Health checks and push webhooks (signed) stay outside the token wall.
    assert_eq!(app.send(Method::GET, "", "/healthz", None).await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_accounts_and_does_not_rewrite_the_token() {
    let app = TestApp::start().await;
    let first = app.token.clone();
    let app = app.restart().await;
    assert_eq!(app.token, first);
    assert_eq!(app.get_as(&first, "/api/feeds").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn brand_scope_hides_other_brands_everywhere() {
    let app = TestApp::start().await;
    app.import_customers(&common::demo_customers()).await;
    app.replay_all("demo").await;
    let inside = app
        .token_for("cm-rapiplato", "community", Some(&["rapiplato"]))
        .await;
    let outside = app.token_for("cm-other", "viewer", Some(&["otra"])).await;
    let all_mentions = app.total("/api/mentions").await;
    assert!(all_mentions > 900);
    let (_, body) = app.get_as(&inside, "/api/mentions").await;
    assert_eq!(body["total"], all_mentions);
    for path in [
        "/api/mentions",
        "/api/incidents",
        "/api/tickets",
        "/api/feeds",
    ] {
        let (status, body) = app.get_as(&outside, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(body["total"], 0, "{path} outside the scope: {body}");
    }
    // Asking for the brand by name does not widen the scope.
    let (_, body) = app.get_as(&outside, "/api/mentions?brand=rapiplato").await;
    assert_eq!(body["total"], 0);
    let tickets = app.get_ok("/api/tickets").await;
    let customer = tickets["items"][0]["customer_id"]
        .as_i64()
        .expect("a ticket");
    let path = format!("/api/customers/{customer}");
    assert_eq!(app.get_as(&inside, &path).await.0, 200);
    assert_eq!(app.get_as(&outside, &path).await.0, 404);
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_marked_used() {
    let app = TestApp::start().await;
    let token = app.token_for("viewer1", "viewer", None).await;
    assert_eq!(app.get_as(&token, "/api/incidents").await.0, 200);
    let contents = app.db.contents().await;
    for secret in [&token, &app.token] {
        let needle = &secret.as_bytes()[4..];
        for bytes in &contents {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the database holds a token in clear"
            );
        }
    }
    use vigia::storage::AuthStore;
    let tokens = app.app.store().list_tokens(None).await.unwrap();
    assert_eq!(tokens.len(), 2);
    let used = tokens.iter().find(|t| t.name == "test").unwrap();
    assert!(used.last_used_at.is_some());
    assert!(token.starts_with(&used.prefix));
    let prefix = used.prefix.as_bytes();
    assert!(
        contents
            .iter()
            .any(|bytes| bytes.windows(prefix.len()).any(|w| w == prefix)),
        "the search above sees the token table (it holds the prefix)"
    );
    // A revoked token stops working at once.
    assert!(
        app.app
            .store()
            .revoke_token(used.id, chrono::Utc::now())
            .await
            .unwrap()
    );
    assert_eq!(app.get_as(&token, "/api/incidents").await.0, 401);
    app.stop().await;
}

#[tokio::test]
async fn the_audit_log_is_for_admins() {
    let app = TestApp::start().await;
    let viewer = app.token_for("v", "viewer", None).await;
    let crisis = app.token_for("c", "crisis", None).await;
    assert_eq!(app.get_as(&viewer, "/api/audit").await.0, 403);
    assert_eq!(app.get_as(&crisis, "/api/audit").await.0, 403);
    use vigia::storage::AuthStore;
    let store = app.app.store();
    let entry = vigia::storage::AuditEntry {
        at: chrono::Utc::now(),
        user_id: None,
        actor: "admin".into(),
        action: "customer.merge".into(),
        target_kind: "customer".into(),
        target_id: "7".into(),
        detail: serde_json::json!({"other_id": 9}),
    };
    store.audit(&entry).await.unwrap();
    let body = app
        .get_ok("/api/audit?target_kind=customer&target_id=7")
        .await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["action"], "customer.merge");
    assert_eq!(body["items"][0]["detail"]["other_id"], 9);
    assert_eq!(
        app.get_ok("/api/audit?target_kind=ticket&target_id=7")
            .await["total"],
        0
    );
    assert_eq!(app.get("/api/audit?target_kind=customer").await.0, 400);
    app.stop().await;
}
