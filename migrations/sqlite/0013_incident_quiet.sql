-- Incidents that end on event time (issue 13): an incident lives while crisis-level signals
-- keep coming; after the brand's `quiet_minutes` without one it closes itself ('auto_closed').

-- Event time (ms) of the latest crisis-level signal that opened or joined the incident; a
-- person's reopening sets it to the moment of reopening.
ALTER TABLE incidents ADD COLUMN last_signal_at INTEGER;
UPDATE incidents SET last_signal_at = last_mention_at;
-- Event time (ms) at which Vigía closed it: last_signal_at + quiet_minutes.
ALTER TABLE incidents ADD COLUMN auto_closed_at INTEGER;

-- The incident's crisis categories: the categories its crisis signals named (a critical
-- category, a category that surged) and the opening mention's, without everyday complaint
-- categories. Ordinary mentions attach by these (or by top terms) near the signals in time.
CREATE TABLE incident_crisis_categories (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    category    TEXT NOT NULL,
    PRIMARY KEY (incident_id, category)
);
INSERT OR IGNORE INTO incident_crisis_categories (incident_id, category)
    SELECT id, json_extract(trigger, '$.category') FROM incidents
    WHERE json_extract(trigger, '$.category') IS NOT NULL;

-- The brand's active incident (open or acknowledged), newest first, by index.
CREATE INDEX incidents_brand_active ON incidents(brand_id, status, id);
