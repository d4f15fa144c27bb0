-- Dashboard: login sessions and the rollup tables the overview and timeline read.

-- A dashboard login. Only the SHA-256 of the session id (the cookie value) is stored; `csrf`
-- is the token every state-changing request made with this session must echo back.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Mentions per brand, hour (ms since epoch / 3 600 000), network and sentiment class,
-- maintained in the ingest transaction.
CREATE TABLE rollup_sentiment (
    brand_id INTEGER NOT NULL,
    hour     INTEGER NOT NULL,
    network  TEXT NOT NULL,
    label    TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (brand_id, hour, network, label)
) WITHOUT ROWID;

-- Mentions per brand, hour and category.
CREATE TABLE rollup_category (
    brand_id INTEGER NOT NULL,
    hour     INTEGER NOT NULL,
    category TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (brand_id, hour, category)
) WITHOUT ROWID;

-- Mentions per brand, day (ms / 86 400 000) and term (a hashtag with its '#', or a word).
CREATE TABLE rollup_term (
    brand_id INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    term     TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (brand_id, day, term)
) WITHOUT ROWID;

-- Backfill from what is already stored (terms start counting from now on).
INSERT INTO rollup_sentiment (brand_id, hour, network, label, n)
SELECT m.brand_id, m.created_at / 3600000, m.source, a.label, COUNT(*)
FROM mentions m JOIN analyses a ON a.mention_id = m.id
GROUP BY 1, 2, 3, 4;

INSERT INTO rollup_category (brand_id, hour, category, n)
SELECT m.brand_id, m.created_at / 3600000, c.category, COUNT(*)
FROM mentions m JOIN mention_categories c ON c.mention_id = m.id
GROUP BY 1, 2, 3;
