-- "Mentions ingested in the last hour" per feed (GET /api/feeds, feed health) reads a range of
-- ingest times instead of the whole table.
CREATE INDEX mentions_ingested ON mentions(ingested_at, feed_id);
