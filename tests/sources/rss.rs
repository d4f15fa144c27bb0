use vigia::config::RssFeedConfig;
use vigia::sources::rss::RssSource;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::support::*;

const ALERTS: &str = r#"
<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing"><id>tag:google.com,2005:reference-time</id><title>Google Alert - rapiplato</title><link href="https://www.google.com/alerts/feeds/1/2" rel="self"></link><updated>2026-03-02T11:00:00Z</updated><entry><id>tag:google.com,2013:googlealerts/feed:111</id><title type="html">&lt;b&gt;Rapiplato&lt;/b&gt; retira un lote</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://noticias.example.mx/rapiplato-lote&amp;ct=ga&amp;cd=1&amp;usg=x"></link><published>2026-03-02T11:00:00Z</published><updated>2026-03-02T11:00:00Z</updated><content type="html">La cadena &lt;b&gt;Rapiplato&lt;/b&gt; retiró ...</content><author><name></name></author></entry></feed>"#;

#[tokio::test]
async fn google_alerts_feed_with_leading_whitespace_and_wrapped_links() {
    let server = MockServer::start().await;
    let cfg: RssFeedConfig = toml::from_str(&format!(
        "name = \"f\"\nbrand = \"b\"\nschedule = \"0 0 * * * *\"\nurl = \"{}/alerts/feeds/1/2\"\nhttp = {{ timeout_secs = 5 }}",
        server.uri()
    ))
    .unwrap();
    let source = RssSource::new(&cfg, clock()).unwrap();
    Mock::given(method("GET"))
        .and(path("/alerts/feeds/1/2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(ALERTS, "application/atom+xml"))
        .expect(2)
        .mount(&server)
        .await;
    let q = query(&["rapiplato"]);
    let page = fetch(&source, &q, None).await;
    assert_eq!(page.mentions.len(), 1);
    let m = &page.mentions[0];
    assert_eq!(
        m.text,
        "Rapiplato retira un lote\nLa cadena Rapiplato retiró ..."
    );
    assert_eq!(
        m.url.as_deref(),
        Some("https://noticias.example.mx/rapiplato-lote")
    );
    assert_eq!(m.author.handle, "noticias.example.mx");
    assert!(!page.more && page.next_cursor.is_none());
    let again = fetch(&source, &q, None).await;
    assert_eq!(
        again.mentions[0].external_id, m.external_id,
        "ids are stable"
    );
    server.verify().await;
    assert_rate_limit_and_5xx(&server, &source, &q).await;
}
