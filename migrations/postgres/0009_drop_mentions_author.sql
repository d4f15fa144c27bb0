-- The repeated-text lookup of ingest now goes by the author's profile (`mentions_customer`),
-- and nothing else searches mentions by `(source, author_handle)`. That index was updated at
-- a random place by every stored mention: at 1,000,000 mentions, 29% of the pages the ingest
-- commits wrote to the WAL on SQLite were its pages (2026-12-07, `tools/wal_frames`).
DROP INDEX IF EXISTS mentions_author;
