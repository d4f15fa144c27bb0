//! Access ends when credentials do, and cannot be raced: parallel wrong passwords stop at the
//! limit, unknown names lock like accounts, a new password ends sessions, a revoked token or a
//! logout ends an open live stream, a disabled user loses sessions, streams and tokens, and streams
//! are capped per user.

mod common;

use common::TestApp;
use common::session::login;
use std::time::Duration;
use vigia::storage::{AuthStore, PrivacyStore};

const PW: &str = "correct horse battery";

#[tokio::test]
async fn parallel_wrong_passwords_are_checked_at_most_the_limit() {
    let app = TestApp::start().await;
    app.user_with_password("leo", "viewer", None, PW).await;
    let tries = (0..20).map(|_| login(&app, "leo", "wrong password!"));
    let answers = futures_util::future::join_all(tries).await;
    let refused = answers.iter().filter(|(s, _, _)| *s == 401).count();
    let locked = answers.iter().filter(|(s, _, _)| *s == 429).count();
    assert_eq!(refused, 5, "only max_failed_logins passwords are checked");
    assert_eq!(locked, 15);
    assert_eq!(login(&app, "leo", PW).await.0, 429, "still locked");
    app.stop().await;
}

#[tokio::test]
async fn unknown_names_lock_like_accounts() {
    let app = TestApp::start().await;
    for _ in 0..5 {
        assert_eq!(login(&app, "nadie", "x").await.0, 401);
    }
    let (status, body, _) = login(&app, "nadie", "x").await;
    assert_eq!(status, 429, "{body}");
    assert!(body["locked_until"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn a_new_password_ends_existing_sessions() {
    let app = TestApp::start().await;
    app.user_with_password("ana", "viewer", None, PW).await;
    let (_, _, session) = login(&app, "ana", PW).await;
    let session = session.expect("signed in");
    assert_eq!(session.get(&app, "/api/me").await.0, 200);
    let store = app.app.store();
    let user = store.user_by_name("ana").await.unwrap().unwrap();
    let hash = vigia::http::auth::secrets::hash_password("another long password").unwrap();
    store.set_password(user.user.id, &hash).await.unwrap();
    assert_eq!(session.get(&app, "/api/me").await.0, 401);
    app.stop().await;
}

/// Opens `/api/stream` with `req` and answers whether it ended (within a safety bound).
async fn stream_ends(mut res: reqwest::Response) -> bool {
    assert_eq!(res.status(), 200);
    let ended = async { while let Ok(Some(_)) = res.chunk().await {} };
    tokio::time::timeout(Duration::from_secs(30), ended)
        .await
        .is_ok()
}

#[tokio::test]
async fn revoking_a_token_ends_its_open_stream() {
    let app = TestApp::start().await;
    let token = app.token_for("vera", "viewer", None).await;
    let res = app
        .client
        .get(format!("{}/api/stream", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let store = app.app.store();
    let tokens = store.list_tokens(None).await.unwrap();
    let id = tokens.iter().rev().find(|t| !t.revoked).unwrap().id;
    assert!(store.revoke_token(id, chrono::Utc::now()).await.unwrap());
    assert!(stream_ends(res).await, "the stream outlived its token");
    app.stop().await;
}

#[tokio::test]
async fn logging_out_ends_the_sessions_stream() {
    let app = TestApp::start().await;
    app.user_with_password("ana", "viewer", None, PW).await;
    let (_, _, session) = login(&app, "ana", PW).await;
    let session = session.expect("signed in");
    let res = app
        .client
        .get(format!("{}/api/stream", app.base))
        .header(reqwest::header::COOKIE, &session.cookie)
        .send()
        .await
        .unwrap();
    let out = session
        .post(&app, "/dashboard/logout", &serde_json::json!({}))
        .await;
    assert_eq!(out.0, 204);
    assert!(stream_ends(res).await, "the stream outlived its session");
    app.stop().await;
}

#[tokio::test]
async fn streams_are_capped_per_user() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "[dashboard]\nstreams_per_user = 2\n";
    common::write_config(dir.path(), &common::demo_mentions(), extra);
    let app = TestApp::start_in(dir).await;
    let open = || {
        app.client
            .get(format!("{}/api/stream", app.base))
            .bearer_auth(&app.token)
            .send()
    };
    let first = open().await.unwrap();
    let second = open().await.unwrap();
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = open().await.unwrap();
    assert_eq!(third.status(), 429);
    let body: serde_json::Value = third.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    drop(first);
    drop(second);
    app.stop().await;
}

#[tokio::test]
async fn each_installation_has_its_own_stable_id() {
    let a = TestApp::start().await;
    let b = TestApp::start().await;
    let id_a = a.app.store().install_id().await.unwrap();
    assert_eq!(id_a.len(), 32);
    assert_ne!(id_a, b.app.store().install_id().await.unwrap());
    b.stop().await;
    let a = a.restart().await;
    assert_eq!(a.app.store().install_id().await.unwrap(), id_a);
    a.stop().await;
}

#[tokio::test]
async fn disabling_a_user_ends_their_stream_session_and_tokens_until_enabled() {
    let app = TestApp::start().await;
    let token = app.token_for("vera", "viewer", None).await;
    let store = app.app.store();
    let user = store.user_by_name("vera").await.unwrap().unwrap().user.id;
    let hash = vigia::http::auth::secrets::hash_password(PW).unwrap();
    store.set_password(user, &hash).await.unwrap();
    let (_, _, session) = login(&app, "vera", PW).await;
    let session = session.expect("signed in");
    let res = app
        .client
        .get(format!("{}/api/stream", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    store
        .set_user_disabled(user, Some(chrono::Utc::now()))
        .await
        .unwrap();
    assert!(stream_ends(res).await, "the stream outlived its user");
    assert_eq!(session.get(&app, "/api/me").await.0, 401);
    let me = |t: String| {
        let app = &app;
        async move {
            app.client
                .get(format!("{}/api/me", app.base))
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        me(token.clone()).await,
        401,
        "a disabled user's token works"
    );
    assert_eq!(
        login(&app, "vera", PW).await.0,
        401,
        "a disabled user signs in"
    );
    store.set_user_disabled(user, None).await.unwrap();
    assert_eq!(
        me(token.clone()).await,
        200,
        "enabled again, the token works"
    );
    assert_eq!(
        session.get(&app, "/api/me").await.0,
        401,
        "sessions ended by disabling stay ended"
    );
    app.stop().await;
}
