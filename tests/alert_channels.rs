//! Incident alerts through Slack (Block Kit), Microsoft Teams (MessageCard) and a generic JSON
//! webhook signed with HMAC-SHA256, each faked with wiremock: bodies, headers, signature,
//! routing by language and severity, and retry of a failing receiver without duplicates.

mod common;

use common::TestApp;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "test-webhook-secret";

async fn receiver(status: u16, times: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    let mock = Mock::given(method("POST")).and(path("/hook"));
    match times {
        Some(n) => {
            mock.respond_with(ResponseTemplate::new(status))
                .up_to_n_times(n)
                .mount(&server)
                .await;
            Mock::given(method("POST"))
                .and(path("/hook"))
                .respond_with(ResponseTemplate::new(200))
                .mount(&server)
                .await;
        }
        None => {
            mock.respond_with(ResponseTemplate::new(status).set_body_string("ok"))
                .mount(&server)
                .await
        }
    }
    server
}

async fn bodies(server: &MockServer) -> Vec<(Value, wiremock::Request)> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .into_iter()
        .map(|r| (serde_json::from_slice(&r.body).expect("JSON body"), r))
        .collect()
}

#[tokio::test]
async fn slack_teams_and_signed_webhook_receive_the_incident() {
    let slack = receiver(200, None).await;
    let teams = receiver(200, None).await;
    let hook = receiver(503, Some(1)).await;
    let (slack_url, teams_url, hook_url) = (
        format!("{}/hook", slack.uri()),
        format!("{}/hook", teams.uri()),
        format!("{}/hook", hook.uri()),
    );
    let secrets = [
        ("VIGIA_TEST_SLACK_URL", slack_url.as_str()),
        ("VIGIA_TEST_TEAMS_URL", teams_url.as_str()),
        ("VIGIA_TEST_HOOK_URL", hook_url.as_str()),
        ("VIGIA_TEST_HOOK_SECRET", SECRET),
    ];
    let t = TestApp::start_with_feed_extra_secrets(
        &common::demo_mentions(),
        r#"
[[recipients]]
channel = "slack"
url_env = "VIGIA_TEST_SLACK_URL"
lang = "es"

[[recipients]]
channel = "teams"
url_env = "VIGIA_TEST_TEAMS_URL"
lang = "en"

[[recipients]]
channel = "webhook"
url_env = "VIGIA_TEST_HOOK_URL"
secret_env = "VIGIA_TEST_HOOK_SECRET"
min_severity = "critical"

[[recipients]]
channel = "slack"
url_env = "VIGIA_TEST_SLACK_URL"
categories = ["billing"]
lang = "en"
"#,
        chrono::Utc::now(),
        false,
        &secrets,
    )
    .await;
    assert_eq!(t.replay_all("demo").await.incidents_opened, 1);
    let first = t.app.flush_outbox().await.unwrap();
    assert_eq!(first.retried, 1, "the webhook answered 503: {first:?}");

    let slack = bodies(&slack).await;
    assert_eq!(
        slack.len(),
        1,
        "one Spanish Slack message; the billing-only one is not routed"
    );
    let (body, req) = &slack[0];
    assert_eq!(body["blocks"][0]["type"], "header");
    let header = body["blocks"][0]["text"]["text"].as_str().unwrap();
    assert!(
        header.contains("Posible crisis") && header.contains("Rapiplato"),
        "{header}"
    );
    let section = body["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(body["blocks"][1]["text"]["type"], "mrkdwn");
    assert!(section.contains("seguridad"), "says why: {section}");
    assert!(
        section.contains("https://vigia.example/api/incidents/"),
        "links the incident: {section}"
    );
    assert!(!section.contains('<'), "mrkdwn is escaped: {section}");
    assert!(req.headers.get("x-vigia-idempotency-key").is_some());

    let teams = bodies(&teams).await;
    assert_eq!(teams.len(), 1);
    assert_eq!(teams[0].0["@type"], "MessageCard");
    assert!(
        teams[0].0["title"]
            .as_str()
            .unwrap()
            .contains("Possible crisis")
    );

    // The webhook recovers: the retry is delivered once, with the same key and a valid
    // signature over the exact body.
    t.clock.advance(chrono::Duration::hours(1));
    let second = t.app.flush_outbox().await.unwrap();
    assert_eq!(second.delivered, 1, "{second:?}");
    let hooks = bodies(&hook).await;
    assert_eq!(hooks.len(), 2);
    let key = |r: &wiremock::Request| r.headers.get("x-vigia-idempotency-key").cloned();
    assert_eq!(key(&hooks[0].1), key(&hooks[1].1));
    let (body, req) = &hooks[1];
    let signature = req
        .headers
        .get("x-vigia-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(vigia::signature::verify(
        SECRET.as_bytes(),
        &req.body,
        Some(signature)
    ));
    assert_eq!(body["event"], "incident.opened");
    assert_eq!(body["incident"]["severity"], "critical");
    assert_eq!(body["incident"]["trigger"]["kind"], "critical_category");
    // The brand's only incident: opened beside none.
    assert_eq!(body["incident"]["beside"], serde_json::json!([]));
    assert!(!body["mentions"].as_array().unwrap().is_empty());

    let again = t.app.flush_outbox().await.unwrap();
    assert_eq!((again.delivered, again.retried), (0, 0));
    assert_eq!(bodies(&hook).await.len(), 2, "nothing is sent twice");
    t.stop().await;
}
