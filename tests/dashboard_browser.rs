//! The dashboard in a real headless Chromium driven over WebDriver: log in, see the demo
//! brand's overview, the demo crisis incident, acknowledge it and see the new state arrive
//! without a reload, switch language, open a customer page; a mention whose text is an HTML
//! payload shows as text and runs nothing. Needs /usr/bin/chromedriver and /usr/bin/chromium
//! (`.ci/run` installs them); without them the test prints a notice and returns.

mod common;

mod browser;

use browser::{start as start_browser, wait_css};
use common::TestApp;
use fantoccini::Locator;
use std::time::Duration;

const PAYLOAD: &str = "<img src=x onerror=alert(1)>";
const PW: &str = "a long enough password";

#[tokio::test]
async fn the_dashboard_works_in_a_real_browser_and_escapes_mentions() {
    let _one = browser::ONE_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let hostile = dir.path().join("hostile.jsonl");
    let line = serde_json::json!({"id": "x-xss-1", "source": "x", "created_at": "2026-03-08T23:59:00Z",
        "text": PAYLOAD, "author": {"handle": "mallory"}, "url": "javascript:alert(2)"});
    std::fs::write(&hostile, line.to_string()).unwrap();
    let extra = format!(
        "[[feeds]]\nkind = \"replay\"\nname = \"hostile\"\nbrand = \"rapiplato\"\nschedule = \"0 0 0 1 1 * 2099\"\npath = \"{}\"\nspeed = 1e12\nstart = \"first\"\n",
        hostile.display()
    );
    common::write_config(dir.path(), &common::demo_mentions(), &extra);
    let app = TestApp::start_in(dir).await;
    let Some((_driver, c)) = start_browser(1366, 768).await else {
        return app.stop().await;
    };
    app.replay_all("demo").await;
    app.replay_all("hostile").await;
    app.user_with_password("carla", "crisis", None, PW).await;

    // Log in; the demo brand's overview appears.
    c.goto(&format!("{}/dashboard/", app.base)).await.unwrap();
    wait_css(&c, "#login-user")
        .await
        .send_keys("carla")
        .await
        .unwrap();
    c.find(Locator::Css("#login-pass"))
        .await
        .unwrap()
        .send_keys(PW)
        .await
        .unwrap();
    c.find(Locator::Css("#login-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = wait_css(&c, "#overview-title").await;
    assert_eq!(title.text().await.unwrap(), "Rapiplato");
    let total = wait_css(&c, "#kpi-total").await.text().await.unwrap();
    assert!(
        total.parse::<i64>().unwrap() > 0,
        "overview shows mentions: {total}"
    );

    // The demo crisis incident, open.
    c.goto(&format!("{}/dashboard/#/incidents", app.base))
        .await
        .unwrap();
    let card = wait_css(&c, "#incident-1").await;
    assert_eq!(
        card.attr("data-status").await.unwrap().as_deref(),
        Some("open")
    );
    assert!(
        !c.find(Locator::Css("#incident-1 .sentence"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .is_empty()
    );
    c.find(Locator::Css("#incident-1 button.ack"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_css(&c, "#incident-1[data-status=acknowledged]").await;
    assert_eq!(
        app.get_ok("/api/incidents/1").await["status"],
        "acknowledged"
    );

    // Language: English, then Spanish, remembered for the user.
    c.find(Locator::Css("#lang-en"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_css(&c, "nav a.active").await;
    assert_eq!(
        c.find(Locator::Css("nav a[href='#/incidents'] span[data-t]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "Incidents"
    );
    c.find(Locator::Css("#lang-es"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//nav/a/span[text()='Incidentes']"))
        .await
        .unwrap();

    // The hostile mention is text, not markup; its javascript: URL is not a link.
    c.goto(&format!("{}/dashboard/#/stream", app.base))
        .await
        .unwrap();
    let hostile = wait_css(&c, "#mentions .mention .text").await;
    assert_eq!(hostile.text().await.unwrap(), PAYLOAD);
    assert!(
        c.find_all(Locator::Css("#mentions img"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        c.find_all(Locator::Css("#mentions a[href^='javascript']"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(c.get_alert_text().await.is_err(), "an alert was opened");

    // A customer page, reached from a mention.
    wait_css(&c, "#mentions a.customer-link")
        .await
        .click()
        .await
        .unwrap();
    let name = wait_css(&c, "#customer-name").await.text().await.unwrap();
    assert!(!name.is_empty());
    wait_css(&c, "#identities li").await;
    assert!(c.get_alert_text().await.is_err(), "an alert was opened");
    c.close().await.unwrap();
    app.stop().await;
}
