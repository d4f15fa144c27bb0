//! Plain values for storage tests: a fixed instant, a mention, a negative analysis.

use chrono::{DateTime, TimeZone, Utc};
use vigia::domain::{Analysis, Author, Lang, Mention, SentimentLabel, SentimentScore};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

pub fn mention(id: &str, text: &str) -> Mention {
    Mention {
        source: "x".into(),
        external_id: id.into(),
        created_at: t0(),
        text: text.into(),
        author: Author {
            handle: format!("user_{id}"),
            name: None,
            followers: Some(120),
        },
        url: None,
        lang_hint: None,
        likes: 0,
        reposts: 0,
        replies: 0,
        reply_to: None,
        thread_id: None,
        is_repost: false,
        country: None,
    }
}

pub fn negative() -> Analysis {
    Analysis {
        lang: Lang::Es,
        sentiment: SentimentScore {
            compound: -0.7,
            pos: 0.0,
            neu: 0.4,
            neg: 0.6,
        },
        label: SentimentLabel::Negative,
        categories: vec!["delivery".into()],
        explanation: Vec::new(),
    }
}
