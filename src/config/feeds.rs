//! Per-API feed settings. Every network feed has the same first keys (`name`, `brand`,
//! `schedule`, `terms`), an optional `http = { base_url, timeout_secs }` table (tests point
//! `base_url` at a local fake) and the names of the environment variables holding its secrets.

use serde::Deserialize;

/// Who hears about feeds that fail or go silent (`max_silence_mins` on a feed).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthConfig {
    /// Admin email addresses.
    #[serde(default)]
    pub admins: Vec<String>,
    /// Language of the admins' notices (`es` or `en`).
    #[serde(default = "default_health_lang")]
    pub lang: String,
}

fn default_health_lang() -> String {
    "en".to_owned()
}

/// Outbound HTTP settings of one feed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSourceConfig {
    /// Overrides the API's public base URL (another instance, a proxy, a test fake).
    pub base_url: Option<String>,
    pub timeout_secs: u64,
    /// Requests per minute to this host, shared by all feeds on it (default: the API's
    /// published limit, see each source).
    pub requests_per_minute: Option<u32>,
}

impl Default for HttpSourceConfig {
    fn default() -> Self {
        HttpSourceConfig {
            base_url: None,
            timeout_secs: 30,
            requests_per_minute: None,
        }
    }
}

fn default_backfill_hours() -> u32 {
    24
}

/// Pages one scheduled run may fetch back to back (`max_pages_per_tick`).
pub fn default_max_pages() -> u32 {
    50
}

fn env(name: &str) -> String {
    name.to_owned()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MastodonMode {
    /// `GET /api/v1/timelines/tag/:hashtag` (public on most instances).
    #[default]
    Hashtag,
    /// `GET /api/v2/search?type=statuses` (needs a user token with `read:search`).
    Search,
}

/// Declares a feed's config struct: the keys every feed has (`name`, `brand`, `schedule`,
/// `max_silence_mins`, `terms`), then its own. Unknown keys are errors. A `push` feed's
/// schedule defaults to never: it only matters for the silence watch.
macro_rules! feed_config {
    ($(#[$meta:meta])* pull struct $name:ident { $($body:tt)* }) => {
        feed_config!(@emit $(#[$meta])* $name, { pub schedule: String, } { $($body)* });
    };
    ($(#[$meta:meta])* push struct $name:ident { $($body:tt)* }) => {
        feed_config!(@emit $(#[$meta])* $name, {
            #[serde(default = "never")]
            pub schedule: String,
        } { $($body)* });
    };
    (@emit $(#[$meta:meta])* $name:ident, { $($schedule:tt)* } { $($body:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub name: String,
            pub brand: String,
            /// Cron expression with a seconds field.
            $($schedule)*
            /// Notify admins when the feed stores nothing new for this many minutes.
            pub max_silence_mins: Option<u32>,
            #[serde(default)]
            pub terms: Vec<String>,
            /// Boolean query (docs/query-language.md) sent to the API in its own syntax where
            /// it has one, and always re-checked locally on every fetched post.
            pub query: Option<String>,
            /// Most pages one scheduled run fetches back to back.
            #[serde(default = "default_max_pages")]
            pub max_pages_per_tick: u32,
            $($body)*
        }
    };
}

feed_config! {
    pull struct MastodonFeedConfig {
        #[serde(default)]
        pub http: HttpSourceConfig,
        #[serde(default)]
        pub mode: MastodonMode,
        /// Hashtag to follow (without `#`); defaults to the first term.
        pub hashtag: Option<String>,
        /// Variable holding the access token (optional for public hashtag timelines).
        #[serde(default = "mastodon_token_env")]
        pub token_env: String,
        #[serde(default = "default_mastodon_limit")]
        pub limit: u32,
        /// On the first run, go back this far (newest first, within `max_pages_per_tick`).
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn mastodon_token_env() -> String {
    env("VIGIA_MASTODON_TOKEN")
}

fn default_mastodon_limit() -> u32 {
    40
}

feed_config! {
    pull struct BlueskyFeedConfig {
        #[serde(default)]
        pub http: HttpSourceConfig,
        #[serde(default = "bluesky_identifier_env")]
        pub identifier_env: String,
        #[serde(default = "bluesky_password_env")]
        pub password_env: String,
        /// Only posts in this language (`lang=`), if set.
        pub lang: Option<String>,
        #[serde(default = "default_100")]
        pub limit: u32,
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn bluesky_identifier_env() -> String {
    env("VIGIA_BLUESKY_IDENTIFIER")
}

fn bluesky_password_env() -> String {
    env("VIGIA_BLUESKY_APP_PASSWORD")
}

fn default_100() -> u32 {
    100
}

feed_config! {
    pull struct RedditFeedConfig {
        /// API host (`https://oauth.reddit.com`).
        #[serde(default)]
        pub http: HttpSourceConfig,
        /// Token host (`https://www.reddit.com`).
        #[serde(default)]
        pub auth_http: HttpSourceConfig,
        /// Search only this subreddit, if set.
        pub subreddit: Option<String>,
        #[serde(default = "reddit_id_env")]
        pub client_id_env: String,
        #[serde(default = "reddit_secret_env")]
        pub client_secret_env: String,
        #[serde(default = "default_100")]
        pub limit: u32,
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn reddit_id_env() -> String {
    env("VIGIA_REDDIT_CLIENT_ID")
}

fn reddit_secret_env() -> String {
    env("VIGIA_REDDIT_CLIENT_SECRET")
}

feed_config! {
    pull struct HackerNewsFeedConfig {
        #[serde(default)]
        pub http: HttpSourceConfig,
        /// Algolia `tags` filter; the default takes stories and comments.
        #[serde(default = "default_hn_tags")]
        pub tags: String,
        #[serde(default = "default_100")]
        pub hits_per_page: u32,
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn default_hn_tags() -> String {
    "(story,comment)".to_owned()
}

feed_config! {
    pull struct XFeedConfig {
        #[serde(default)]
        pub http: HttpSourceConfig,
        #[serde(default = "x_token_env")]
        pub token_env: String,
        /// Appended to the translated query, e.g. `-is:retweet lang:es`.
        #[serde(default)]
        pub extra_query: String,
        #[serde(default = "default_100")]
        pub max_results: u32,
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn x_token_env() -> String {
    env("VIGIA_X_BEARER_TOKEN")
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum YoutubeMode {
    /// `commentThreads` on a channel (`allThreadsRelatedToChannelId`) or one video (`videoId`).
    #[default]
    Comments,
    /// `search.list` for new videos matching the terms (100 quota units per call).
    Videos,
}

feed_config! {
    pull struct YoutubeFeedConfig {
        #[serde(default)]
        pub http: HttpSourceConfig,
        #[serde(default)]
        pub mode: YoutubeMode,
        pub channel_id: Option<String>,
        pub video_id: Option<String>,
        #[serde(default = "youtube_key_env")]
        pub key_env: String,
        #[serde(default = "default_youtube_max")]
        pub max_results: u32,
        /// Daily quota units this feed may spend (the project default is 10 000 for all calls).
        #[serde(default = "default_youtube_quota")]
        pub daily_quota: u32,
        #[serde(default = "default_backfill_hours")]
        pub backfill_hours: u32,
    }
}

fn youtube_key_env() -> String {
    env("VIGIA_YOUTUBE_API_KEY")
}

fn default_youtube_max() -> u32 {
    50
}

fn default_youtube_quota() -> u32 {
    10_000
}

feed_config! {
    pull struct RssFeedConfig {
        /// Timeout (and optional base URL, unused: `url` is absolute).
        #[serde(default)]
        pub http: HttpSourceConfig,
        /// The RSS or Atom feed, e.g. a Google Alerts feed URL.
        pub url: String,
    }
}

feed_config! {
    /// A push feed: mentions arrive at `POST /hooks/generic/{name}`, signed with the secret in
    /// `secret_env`. Its schedule (default: never) only matters for the silence watch.
    push struct WebhookFeedConfig {
        #[serde(default = "webhook_secret_env")]
        pub secret_env: String,
    }
}

fn never() -> String {
    "0 0 0 1 1 * 2099".to_owned()
}

fn webhook_secret_env() -> String {
    env("VIGIA_WEBHOOK_SECRET")
}

feed_config! {
    /// Meta push webhooks (`/hooks/meta`): WhatsApp inbound messages, verified with the app secret.
    push struct MetaFeedConfig {
        #[serde(default = "meta_secret_env")]
        pub app_secret_env: String,
        #[serde(default = "meta_verify_env")]
        pub verify_token_env: String,
    }
}

fn meta_secret_env() -> String {
    env("VIGIA_META_APP_SECRET")
}

fn meta_verify_env() -> String {
    env("VIGIA_META_VERIFY_TOKEN")
}
