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
    let feeds: Value = t
        .client
        .get(format!("{}/api/feeds", t.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = feeds["items"].as_array().unwrap();
    let shop = items.iter().find(|f| f["name"] == "shop").unwrap();
    shop["mentions_total"].as_i64().unwrap()
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

    let junk = b"{\"mentions\": 5}";
    let (status, _) = post(&t, junk, Some(sign("s3cret", junk))).await;
    assert_eq!(status, 400);
}
