//! Network sources against local wiremock fakes that answer with bodies of the real APIs'
//! shape: exact requests across two pages, 429 + Retry-After, 5xx, expired credentials.
//! Plus the conformance test over the real recordings in `$VIGIA_SHARED_DATA/api-samples`.

mod sources {
    pub mod support;

    mod bluesky;
    mod conformance;
    mod hackernews;
    mod mastodon;
    mod parse_cli;
    mod queries;
    mod reddit;
    mod rss;
    mod x;
    mod youtube;
}
