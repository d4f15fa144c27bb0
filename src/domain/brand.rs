use super::Lang;

/// A brand as the running pipeline knows it: its database id plus what alerts need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub id: i64,
    /// Stable key from the config (e.g. `rapiplato`).
    pub name: String,
    /// Name shown to people (e.g. `Rapiplato`).
    pub display_name: String,
    /// Language the brand's team reads alerts in.
    pub lang: Lang,
}
