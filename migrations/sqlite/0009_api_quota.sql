-- Daily API quota units spent (YouTube Data API: 10 000 units per project and Pacific day).
-- `key` names the budget (the feed), `day` is the quota day as YYYY-MM-DD in the API's own
-- time zone, so a restart keeps counting where it left off and a new day starts at zero.
CREATE TABLE api_quota (
    key  TEXT    NOT NULL,
    day  TEXT    NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (key, day)
);
