-- Pages that changed a brand's crisis state, counted on every instance: an instance reuses
-- the state it holds in memory only while this has not moved since its own last page.
ALTER TABLE brands ADD COLUMN crisis_epoch BIGINT NOT NULL DEFAULT 0;
