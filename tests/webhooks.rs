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

async fn stored_total(t: &TestApp) -> i64 {
    let feeds: Value = t.get_ok("/api/feeds").await;
    let items = feeds["items"].as_array().unwrap();
    let shop = items.iter().find(|f| f["name"] == "shop").unwrap();
    shop["mentions_total"].as_i64().unwrap()
}

async fn last_hour(t: &TestApp, feed: &str) -> i64 {
    let feeds: Value = t.get_ok("/api/feeds").await;
    let items = feeds["items"].as_array().unwrap();
    let f = items.iter().find(|f| f["name"] == feed).unwrap();
    f["mentions_last_hour"].as_i64().unwrap()
}

#[tokio::test]
async fn signed_pushes_are_ingested_and_bad_signatures_store_nothing() {
    // SAFETY: test-only variable, set once before the app reads it.
    unsafe { std::env::set_var("VIGIA_TEST_HOOK_SECRET", "s3cret") };
    let t = TestApp::start_served_with_extra(EXTRA).await;
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
    let feeds: Value = t.get_ok("/api/feeds").await;
    let items = feeds["items"].as_array().unwrap();
    let feed = items.iter().find(|f| f["name"] == "whatsapp").unwrap();
    feed["mentions_total"].as_i64().unwrap()
}

#[tokio::test]
async fn meta_handshake_and_signed_whatsapp_messages() {
    // SAFETY: test-only variables, set once before the app reads them.
    unsafe {
        std::env::set_var("VIGIA_TEST_META_SECRET", "test_app_secret");
        std::env::set_var("VIGIA_TEST_META_VERIFY", "verify-me");
    }
    let t = TestApp::start_served_with_extra(META_EXTRA).await;
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

    let post = |body: String, sig: &'static str| {
        t.client
            .post(format!("{}/hooks/meta", t.base))
            .header("x-hub-signature-256", sig)
            .body(body)
            .send()
    };
    let tampered = WA_BODY.replace("Body Text", "Other");
    assert_eq!(
        post(tampered, WA_SIGNATURE)
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    assert_eq!(meta_total(&t).await, 0, "nothing stored");
    let resp = post(WA_BODY.to_owned(), WA_SIGNATURE).await.unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    assert_eq!(meta_total(&t).await, 1);
}
