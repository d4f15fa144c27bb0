-- The repeated-text lookup of ingest ("same profile, same text, earlier") went by
-- `mentions_customer (customer_id)` and read every earlier post of the profile to compare
-- texts: a cost per mention that grew with the author's history. Each row now keeps the first
-- 8 bytes of its text's SHA-256 (set by the application), and the index leads to the earlier
-- posts of the same text directly. Rows stored before keep NULL; the lookup reads them in a
-- range of their own. Mentions of no profile are left out of the index: every lookup by
-- profile names one, and a NULL profile's entries would go in at random places (by hash).
ALTER TABLE mentions ADD COLUMN text_hash BIGINT;
DROP INDEX IF EXISTS mentions_customer;
CREATE INDEX mentions_customer ON mentions(customer_id, text_hash) WHERE customer_id IS NOT NULL;
