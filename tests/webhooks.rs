//! Generic push webhook: a valid HMAC-SHA256 signature is accepted and its mentions stored;
//! a tampered body, a wrong secret or no signature get 401 and store nothing.

mod common;

use common::TestApp;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const EXTRA: &str = "\n[[feeds]]\nkind = \"webhook\"\nname = \"shop\"\nbrand = \"rapiplato\"\n\
                     secret_env = \"VIGIA_TEST_HOOK_SECRET\"\n";

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

async fn post(t: &TestApp, body: &[u8], sig: Option<String>) -> (u16, Value) {
    let mut req = t
        .client
        .post(format!("{}/hooks/generic/shop", t.base))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(s) = sig {
        req = req.header("x-vigia-signature", s);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A number from the feed's row in `GET /api/feeds`.
async fn feed_count(t: &TestApp, feed: &str, field: &str) -> i64 {
    let feeds = t.get_ok("/api/feeds").await;
    let items = feeds["items"].as_array().unwrap();
    let row = items.iter().find(|f| f["name"] == feed).unwrap();
    row[field].as_i64().unwrap()
}

async fn stored_total(t: &TestApp) -> i64 {
    feed_count(t, "shop", "mentions_total").await
}

async fn last_hour(t: &TestApp, feed: &str) -> i64 {
    feed_count(t, feed, "mentions_last_hour").await
}

#[tokio::test]
async fn signed_pushes_are_ingested_and_bad_signatures_store_nothing() {
    let t = TestApp::start_with_secrets(EXTRA, &[("VIGIA_TEST_HOOK_SECRET", "s3cret")], true).await;
    let body = serde_json::to_vec(&json!({"mentions": [{
        "id": "order-991", "created_at": "2026-03-02T11:00:00Z",
        "text": "Mi pedido de Rapiplato llegó frío", "author": {"handle": "@luz_mtz", "name": "Luz"},
        "lang": "es"}]}))
    .unwrap();

    let tampered = String::from_utf8(body.clone())
        .unwrap()
        .replace("frío", "bien");
    let (status, _) = post(&t, tampered.as_bytes(), Some(sign("s3cret", &body))).await;
    assert_eq!(status, 401, "tampered body");
    let (status, _) = post(&t, &body, Some(sign("wrong", &body))).await;
    assert_eq!(status, 401, "wrong secret");
    let (status, _) = post(&t, &body, None).await;
    assert_eq!(status, 401, "no signature");
    assert_eq!(stored_total(&t).await, 0, "nothing stored");

    let (status, reply) = post(&t, &body, Some(sign("s3cret", &body))).await;
    assert_eq!((status, reply["stored"].as_i64()), (202, Some(1)));
    let (status, reply) = post(&t, &body, Some(sign("s3cret", &body))).await;
    assert_eq!(
        (status, reply["stored"].as_i64()),
        (202, Some(0)),
        "deduped"
    );
    assert_eq!(stored_total(&t).await, 1);
    assert_eq!(last_hour(&t, "shop").await, 1);
    t.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(last_hour(&t, "shop").await, 0, "older than an hour");

    let junk = b"{\"mentions\": 5}";
    let (status, _) = post(&t, junk, Some(sign("s3cret", junk))).await;
    assert_eq!(status, 400);
}

/// The WhatsApp text-message test vector from the shared API samples (body bytes and the
/// signature computed independently with `openssl dgst -sha256 -hmac test_app_secret`).
const WA_BODY: &str = r#"{"object":"whatsapp_business_account","entry":[{"id":"1234567890987654321","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"972123456789","phone_number_id":"1122334455667"},"contacts":[{"profile":{"name":"Test Name"},"wa_id":"972987654321","user_id":"US.13491208655302741918","parent_user_id":"US.ENT.11815799212886844830"}],"messages":[{"from":"972987654321","id":"wamid.xyzxyz","timestamp":"1697043223","text":{"body":"Body Text"},"type":"text"}]},"field":"messages"}]}]}"#;
const WA_SIGNATURE: &str =
    "sha256=1881761eadaaefd959b5a8a980e4c186311a8548f7778f8be9a09f13c8804174";

const META_EXTRA: &str = "\n[[feeds]]\nkind = \"meta\"\nname = \"whatsapp\"\nbrand = \"rapiplato\"\n\
                          app_secret_env = \"VIGIA_TEST_META_SECRET\"\n\
                          verify_token_env = \"VIGIA_TEST_META_VERIFY\"\n";

async fn meta_total(t: &TestApp) -> i64 {
    feed_count(t, "whatsapp", "mentions_total").await
}

async fn meta_app() -> TestApp {
    let secrets = [
        ("VIGIA_TEST_META_SECRET", "test_app_secret"),
        ("VIGIA_TEST_META_VERIFY", "verify-me"),
    ];
    TestApp::start_with_secrets(META_EXTRA, &secrets, true).await
}

async fn post_meta(t: &TestApp, body: &str, signature: &str) -> u16 {
    let resp = t
        .client
        .post(format!("{}/hooks/meta", t.base))
        .header("x-hub-signature-256", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    resp.status().as_u16()
}

#[tokio::test]
async fn meta_handshake_and_signed_whatsapp_messages() {
    let t = meta_app().await;
    let verify = |token: &str| {
        t.client.get(format!(
            "{}/hooks/meta?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444",
            t.base
        ))
    };
    let ok = verify("verify-me").send().await.unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");
    assert_eq!(verify("nope").send().await.unwrap().status().as_u16(), 403);

    let tampered = WA_BODY.replace("Body Text", "Other");
    assert_eq!(post_meta(&t, &tampered, WA_SIGNATURE).await, 401);
    assert_eq!(meta_total(&t).await, 0, "nothing stored");
    assert_eq!(post_meta(&t, WA_BODY, WA_SIGNATURE).await, 202);
    assert_eq!(meta_total(&t).await, 1);
}

/// Page `feed` changes (a new post and a comment on it) and an Instagram `comments` change,
/// in the documented webhook shapes; a reaction and an Instagram `mentions` change (ids only)
/// are not mentions.
#[tokio::test]
async fn page_posts_comments_and_instagram_comments_become_mentions() {
    let t = meta_app().await;
    let page = json!({"object": "page", "entry": [{"id": "1067280970047460", "time": 1772449200,
        "changes": [
            {"field": "feed", "value": {"from": {"id": "3510", "name": "Luz Martínez"},
                "post_id": "1067280970047460_9001", "created_time": 1772449100, "item": "status",
                "message": "Rapiplato, mi pedido llegó frío", "published": 1, "verb": "add"}},
            {"field": "feed", "value": {"from": {"id": "3511", "name": "Marta"},
                "post": {"status_type": "mobile_status_update", "is_published": true,
                         "updated_time": "2026-03-02T11:00:00+0000",
                         "permalink_url": "https://www.facebook.com/rapiplato/posts/9001",
                         "promotion_status": "inactive", "id": "1067280970047460_9001"},
                "message": "a mí también", "post_id": "1067280970047460_9001",
                "comment_id": "9001_77", "created_time": 1772449150, "item": "comment",
                "parent_id": "1067280970047460_9001", "verb": "add"}},
            {"field": "feed", "value": {"from": {"id": "3512", "name": "Ana"}, "item": "reaction",
                "post_id": "1067280970047460_9001", "reaction_type": "angry", "verb": "add",
                "created_time": 1772449160}}]}]});
    let ig = json!({"object": "instagram", "entry": [{"id": "17841400000000000", "time": 1772449300,
        "changes": [
            {"field": "comments", "value": {"from": {"id": "2323", "username": "luz_mtz"},
                "media": {"id": "18000000000000001", "media_product_type": "FEED"},
                "id": "17865799348089039", "text": "@rapiplato ¿y mi reembolso?"}},
            {"field": "mentions", "value": {"media_id": "17887498072083520",
                "comment_id": "17887498072083521"}}]}]});
    for body in [page, ig] {
        let body = body.to_string();
        assert_eq!(
            post_meta(&t, &body, "sha256=00").await,
            401,
            "bad signature"
        );
        assert_eq!(
            post_meta(&t, &body, &sign("test_app_secret", body.as_bytes())).await,
            202
        );
    }
    assert_eq!(meta_total(&t).await, 3, "post, comment, Instagram comment");
}
