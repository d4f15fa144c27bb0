-- A mention belongs to every brand it matches: a post that two brands' feeds find, or that
-- names a brand with a scope query of its own, is stored once per brand (each with that
-- brand's analysis), so dedupe is on (source, external_id, brand_id). SQLite cannot drop a
-- table's UNIQUE constraint, so the table is rebuilt by SQLite's documented procedure: copy,
-- drop, rename, indexes. Migrations run with foreign-key enforcement off (so the DROP does
-- not cascade to analyses, categories and links) and are checked with `foreign_key_check`
-- before enforcement comes back (`SqliteStore::run_migrations`).
CREATE TABLE mentions_per_brand (
    id               INTEGER PRIMARY KEY,
    brand_id         INTEGER NOT NULL REFERENCES brands(id),
    feed_id          INTEGER NOT NULL REFERENCES feeds(id),
    source           TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    ingested_at      INTEGER NOT NULL,
    text             TEXT NOT NULL,
    author_handle    TEXT NOT NULL,
    author_name      TEXT,
    author_followers INTEGER,
    url              TEXT,
    likes            INTEGER NOT NULL DEFAULT 0,
    reposts          INTEGER NOT NULL DEFAULT 0,
    replies          INTEGER NOT NULL DEFAULT 0,
    customer_id      INTEGER REFERENCES customers(id),
    reply_to         TEXT,
    thread_id        TEXT,
    is_repost        INTEGER NOT NULL DEFAULT 0,
    erased_at        INTEGER,
    country          TEXT,
    -- (source, external_id) first: lookups of a post by its key keep using this index.
    UNIQUE (source, external_id, brand_id)
);
INSERT INTO mentions_per_brand (id, brand_id, feed_id, source, external_id, created_at,
    ingested_at, text, author_handle, author_name, author_followers, url, likes, reposts,
    replies, customer_id, reply_to, thread_id, is_repost, erased_at, country)
SELECT id, brand_id, feed_id, source, external_id, created_at, ingested_at, text,
    author_handle, author_name, author_followers, url, likes, reposts, replies, customer_id,
    reply_to, thread_id, is_repost, erased_at, country
FROM mentions;
DROP TABLE mentions;
ALTER TABLE mentions_per_brand RENAME TO mentions;
CREATE INDEX mentions_brand_time ON mentions(brand_id, created_at);
CREATE INDEX mentions_customer ON mentions(customer_id);
CREATE INDEX mentions_thread ON mentions(source, thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX mentions_author ON mentions(source, author_handle);
CREATE INDEX mentions_created ON mentions(created_at);
CREATE INDEX mentions_ingested ON mentions(ingested_at, feed_id);
