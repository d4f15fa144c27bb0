-- Right to erasure: an erased mention keeps its analysis (for statistics) but loses its text,
-- author and links; an erased customer keeps its id (tickets point at it) but loses every
-- personal field and identity. `erased_at` says when (ms).
ALTER TABLE mentions ADD COLUMN erased_at INTEGER;
ALTER TABLE customers ADD COLUMN erased_at INTEGER;
CREATE INDEX mentions_author ON mentions(source, author_handle);
CREATE INDEX mentions_created ON mentions(created_at);
