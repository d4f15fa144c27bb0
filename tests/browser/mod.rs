//! Headless Chromium over WebDriver for the dashboard tests: start the driver, log in, wait for
//! elements, read texts. Needs /usr/bin/chromedriver and /usr/bin/chromium (`.ci/run` installs
//! them); without them `start` prints a notice and the test returns.
#![allow(dead_code)]

use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Browser tests share two CPU cores: one browser at a time.
pub static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn start(width: u32, height: u32) -> Option<(Driver, Client)> {
    if !std::path::Path::new(DRIVER).exists() || !std::path::Path::new(CHROMIUM).exists() {
        eprintln!(
            "notice: {DRIVER} or {CHROMIUM} missing; browser test skipped (CI installs them)"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let caps = serde_json::json!({"goog:chromeOptions": {"binary": CHROMIUM, "args": [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        format!("--window-size={width},{height}")]}});
    let caps = caps.as_object().unwrap().clone();
    // chromedriver needs a moment to listen: retry the connection until it answers.
    for _ in 0..100 {
        let builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        if let Ok(client) = builder {
            return Some((driver, client));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on port {port}");
}

/// Waits for `css` (at most `secs`), panicking with the selector when it never shows.
pub async fn wait_for(c: &Client, css: &str, secs: u64) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(secs))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
}

pub async fn wait_css(c: &Client, css: &str) -> fantoccini::elements::Element {
    wait_for(c, css, 20).await
}

pub async fn click(c: &Client, css: &str) {
    wait_css(c, css).await.click().await.unwrap();
}

pub async fn text(c: &Client, css: &str) -> String {
    wait_css(c, css).await.text().await.unwrap()
}

pub async fn type_into(c: &Client, css: &str, keys: &str) {
    wait_css(c, css).await.send_keys(keys).await.unwrap();
}

/// Logs in on the dashboard's form and waits for the overview.
pub async fn login(c: &Client, base: &str, user: &str, password: &str) {
    c.goto(&format!("{base}/dashboard/")).await.unwrap();
    type_into(c, "#login-user", user).await;
    type_into(c, "#login-pass", password).await;
    click(c, "#login-submit").await;
    wait_css(c, "#overview-title").await;
}

/// Seconds from `start` until `css` shows (hang detection: at most `secs`).
pub async fn seconds_until(c: &Client, css: &str, start: Instant, secs: u64) -> f64 {
    wait_for(c, css, secs).await;
    start.elapsed().as_secs_f64()
}

/// The result of a script that returns a JSON value.
pub async fn eval(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.unwrap()
}
