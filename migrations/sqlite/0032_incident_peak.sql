-- The most of an incident's mentions seen within one detector window at any of its signals,
-- counted until it reaches a surge's worth, which makes it a real crisis, which a lone critical mention of another story
-- joins rather than closes. Incidents opened before this start at 0 (treated as no surge).
ALTER TABLE incidents ADD COLUMN peak_window INTEGER NOT NULL DEFAULT 0;
