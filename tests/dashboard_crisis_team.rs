//! The dashboard as a crisis team and a helpdesk agent use it, in headless Chromium:
//! eight tabs and ten back-and-forth navigations never hang (one shared live connection per
//! browser); the demo crisis shows on every open page (header count, banner, title, favicon);
//! a ticket is assigned, answered and solved from the UI with a sane SLA clock, and opened from a
//! mention card; the Spanish UI
//! shows no English code. Load and reaction times are printed (targets: under 2 s); the
//! assertions only catch hangs, with generous limits, so a slow CI machine does not flake.
//! With `VIGIA_SCREENSHOT=1` the Spanish pages are saved as docs/dashboard-*.png (1440×900 and
//! 390×844).

mod browser;
mod common;

use browser::{click, eval, seconds_until, text, type_into, wait_css};
use common::TestApp;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

fn epoch_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

const PW: &str = "a long enough password";
/// Longer than any healthy load, far shorter than the old hang (56–90 s).
const HANG: u64 = 15;
const PAGES: [&str; 8] = [
    "overview",
    "stream",
    "incidents",
    "tickets",
    "feeds",
    "overview",
    "stream",
    "tickets",
];

#[tokio::test]
async fn eight_tabs_and_ten_returns_never_hang_and_the_crisis_shows_on_every_page() {
    let _one = browser::ONE_AT_A_TIME.lock().await;
    let app = TestApp::start().await;
    let Some((_driver, c)) = browser::start(1440, 900).await else {
        return app.stop().await;
    };
    app.user_with_password("carla", "crisis", None, PW).await;
    browser::login(&c, &app.base, "carla", PW).await;
    let ready = "#live[data-state=live]";
    wait_css(&c, ready).await;

    let mut windows = vec![c.window().await.unwrap()];
    let mut loads = Vec::new();
    for page in &PAGES[1..] {
        let w = c.new_window(true).await.unwrap();
        c.switch_to_window(w.handle.clone()).await.unwrap();
        windows.push(w.handle);
        let t0 = Instant::now();
        c.goto(&format!("{}/dashboard/#/{page}", app.base))
            .await
            .unwrap();
        seconds_until(&c, "#view h2", t0, HANG).await;
        loads.push(seconds_until(&c, ready, t0, HANG).await);
    }
    println!("tab loads (s, live connection up): {loads:.2?}");

    // Leave and come back ten times in the first tab.
    c.switch_to_window(windows[0].clone()).await.unwrap();
    let mut returns = Vec::new();
    for _ in 0..10 {
        c.goto(&format!("{}/dashboard/favicon.svg", app.base))
            .await
            .unwrap();
        let t0 = Instant::now();
        c.back().await.unwrap();
        seconds_until(&c, "#overview-title", t0, HANG).await;
        returns.push(seconds_until(&c, ready, t0, HANG).await);
    }
    println!("back navigations (s): {returns:.2?}");

    // The demo crisis: every open page shows it, each page noting when (its own clock).
    app.replay_all("demo").await;
    let ingested = epoch_ms();
    let mut shown = Vec::new();
    for (w, page) in windows.iter().zip(PAGES) {
        c.switch_to_window(w.clone()).await.unwrap();
        let since = wait_css(&c, "#incident-count:not([hidden])")
            .await
            .attr("data-since")
            .await
            .unwrap()
            .expect("the page notes when the count appeared");
        shown.push(since.parse::<i64>().unwrap() - ingested);
        assert_eq!(text(&c, "#incident-count").await, "1", "count on {page}");
        assert!(
            text(&c, "#crisis-banner").await.contains("#1"),
            "banner on {page}"
        );
        let title = c.title().await.unwrap();
        assert!(title.starts_with("(1) "), "title on {page}: {title}");
        let icon = eval(&c, "return document.getElementById('favicon').href").await;
        assert!(icon.as_str().unwrap().ends_with("favicon-alert.svg"));
    }
    println!("crisis shown on each page, ms after the replay finished ingesting: {shown:?}");
    let (first, last) = (shown.iter().min().unwrap(), shown.iter().max().unwrap());
    assert!(last - first < (HANG * 1000) as i64, "pages lag: {shown:?}");
    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_ticket_is_assigned_answered_and_solved_from_the_dashboard() {
    let _one = browser::ONE_AT_A_TIME.lock().await;
    let app = TestApp::start().await;
    let Some((_driver, c)) = browser::start(1440, 900).await else {
        return app.stop().await;
    };
    app.replay_all("demo").await;
    app.user_with_password("ana", "agent", None, PW).await;
    browser::login(&c, &app.base, "ana", PW).await;
    c.goto(&format!("{}/dashboard/#/tickets", app.base))
        .await
        .unwrap();
    wait_css(&c, "#tickets tbody tr").await;
    // SLA clocks run on the replayed week's time, not months behind the wall clock.
    let slas = eval(
        &c,
        "return [...document.querySelectorAll('#tickets [data-due]')].map(e => e.textContent)",
    )
    .await;
    for s in slas.as_array().unwrap() {
        let s = s.as_str().unwrap();
        let days = s
            .split_whitespace()
            .find_map(|w| w.strip_suffix('d')?.parse::<i64>().ok());
        assert!(days.unwrap_or(0) < 30, "SLA reads {s}");
    }

    click(&c, "#tickets a.ticket-open").await;
    let title = text(&c, "#ticket-title").await;
    let id: i64 = title
        .split(['#', ' '])
        .find_map(|w| w.parse().ok())
        .expect("ticket id in title");
    wait_css(&c, "#conversation .mention").await;
    wait_css(&c, "#priority-factors li").await;
    click(&c, "#assign-me").await;
    c.wait()
        .for_element(fantoccini::Locator::XPath(
            "//b[@id='ticket-assignee' and text()='ana']",
        ))
        .await
        .unwrap();
    type_into(&c, "#reply-body", "Hola, ya lo estamos revisando.").await;
    click(&c, "#reply-send").await;
    let reply = text(&c, "#conversation .reply .text").await;
    assert_eq!(reply, "Hola, ya lo estamos revisando.");
    wait_css(&c, "#status-select")
        .await
        .select_by_value("solved")
        .await
        .unwrap();
    click(&c, "#status-apply").await;
    c.wait()
        .for_element(fantoccini::Locator::Css("#ticket-status.solved"))
        .await
        .unwrap();
    assert_eq!(text(&c, "#ticket-status").await.to_lowercase(), "resuelto");

    let t = app.get_ok(&format!("/api/tickets/{id}")).await;
    assert_eq!(t["status"], "solved");
    assert_eq!(t["assignee"], "ana");
    assert_eq!(t["replies"][0]["author"], "ana");
    assert!(t["first_response_at"].as_str().unwrap() < "2026-04-01");
    c.close().await.unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_ticket_is_opened_from_a_mention_card() {
    let _one = browser::ONE_AT_A_TIME.lock().await;
    let app = TestApp::start().await;
    let Some((_driver, c)) = browser::start(1440, 900).await else {
        return app.stop().await;
    };
    app.replay_all("demo").await;
    app.user_with_password("ana", "agent", None, PW).await;
    browser::login(&c, &app.base, "ana", PW).await;
    c.goto(&format!("{}/dashboard/#/stream", app.base))
        .await
        .unwrap();
    wait_css(&c, "#mentions .mention .open-ticket").await;
    let mention = eval(
        &c,
        "return Number(document.querySelector('#mentions .mention').dataset.id)",
    )
    .await
    .as_i64()
    .expect("a mention id");
    click(&c, "#mentions .mention .open-ticket").await;
    wait_css(&c, "#conversation .mention").await;
    let title = text(&c, "#ticket-title").await;
    let id: i64 = title
        .split(['#', ' '])
        .find_map(|w| w.parse().ok())
        .expect("ticket id in title");
    let t = app.get_ok(&format!("/api/tickets/{id}")).await;
    let holds = t["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == mention);
    assert!(holds, "ticket {id} holds mention {mention}: {t}");
    c.close().await.unwrap();
    app.stop().await;
}

/// Codes the API returns that must never show as such in the Spanish UI.
const CODES: &[&str] = &[
    "question",
    "delivery",
    "safety",
    "wait_time",
    "wait time",
    "product_quality",
    "billing",
    "refund",
    "staff",
    "account",
    "outage",
    "praise",
    "critical",
    "warning",
    "low",
    "high",
    "urgent",
    "new",
    "open",
    "pending",
    "solved",
    "closed",
    "acknowledged",
    "resolved",
    "opened",
    "resolution_proposed",
    "severity_raised",
    "escalated",
    "email",
    "phone",
    "vip",
    "es",
    "en",
    "replay",
    "positive",
    "negative",
    "standard",
    "owner_set",
    "note",
];
/// Where the dashboard writes words of its own (not mention text, names or top terms).
const UI_TEXT: &str = ".badge, .chip, option, th, .field > span, #incident-history li b, \
    #priority-factors li > span, #identities li > span, .sentence, #crisis-banner, h3, \
    .toolbar button, .legend span, #customer-tickets b";

#[tokio::test]
async fn the_spanish_dashboard_shows_no_english_code() {
    let _one = browser::ONE_AT_A_TIME.lock().await;
    let app = TestApp::start().await;
    let Some((_driver, c)) = browser::start(1440, 900).await else {
        return app.stop().await;
    };
    app.replay_all("demo").await;
    let ticket = &app.get_ok("/api/tickets?limit=1").await["items"][0];
    let (tid, cid) = (
        ticket["id"].as_i64().unwrap(),
        ticket["customer_id"].as_i64().unwrap(),
    );
    app.user_with_password("carla", "crisis", None, PW).await;
    browser::login(&c, &app.base, "carla", PW).await;
    let pages = [
        ("overview", "overview".to_owned(), ".chart"),
        ("stream", "stream".to_owned(), "#mentions .mention"),
        ("incidents", "incidents".to_owned(), "#incident-1"),
        (
            "war-room",
            "incidents/1".to_owned(),
            "#incident-mention-list .mention",
        ),
        ("tickets", "tickets".to_owned(), "#tickets tbody tr"),
        ("ticket", format!("tickets/{tid}"), "#priority-factors li"),
        ("customer", format!("customers/{cid}"), "#identities"),
        ("feeds", "feeds".to_owned(), "#feeds tbody tr"),
    ];
    let shots = std::env::var_os("VIGIA_SCREENSHOT").is_some();
    for (name, route, ready) in &pages {
        c.goto(&format!("{}/dashboard/#/{route}", app.base))
            .await
            .unwrap();
        wait_css(&c, ready).await;
        wait_css(&c, "#crisis-banner:not([hidden])").await;
        let script = format!(
            "return [...document.querySelectorAll('{UI_TEXT}')].map(e => e.textContent.trim())"
        );
        let texts = eval(&c, &script).await;
        for t in texts.as_array().unwrap() {
            let t = t.as_str().unwrap().to_lowercase();
            assert!(!CODES.contains(&t.as_str()), "{name}: English code «{t}»");
            for code in CODES {
                assert!(
                    !t.contains(&format!("«{code}»")),
                    "{name}: «{code}» in «{t}»"
                );
            }
        }
        if shots {
            for (label, w, h) in [("desktop", 1440, 900), ("phone", 390, 844)] {
                c.set_window_size(w, h).await.unwrap();
                c.refresh().await.unwrap();
                wait_css(&c, ready).await;
                let png = c.screenshot().await.unwrap();
                let file = format!("docs/dashboard-{name}-{label}.png");
                std::fs::write(common::repo().join(file), png).unwrap();
            }
            c.set_window_size(1440, 900).await.unwrap();
        }
    }
    c.close().await.unwrap();
    app.stop().await;
}
