-- Crisis detection state (issue 6): learned baselines, incident lifecycle, timeline, top terms
-- and informational notices (e.g. a positive surge), all times INTEGER ms since the epoch (UTC).

-- One learned baseline per brand, category ('' = every mention) and seasonal slot
-- ('how:0'..'how:167' hour of week from Monday 00h UTC, 'hod:0'..'hod:23' hour of day, 'all').
-- Values are exponentially weighted moving averages of hourly counts.
CREATE TABLE crisis_baselines (
    brand_id      INTEGER NOT NULL REFERENCES brands(id),
    category      TEXT NOT NULL,
    slot          TEXT NOT NULL,
    total         REAL NOT NULL,
    negative      REAL NOT NULL,
    positive      REAL NOT NULL,
    reach_neg     REAL NOT NULL,
    observations  INTEGER NOT NULL,
    PRIMARY KEY (brand_id, category, slot)
);

-- Hourly buckets before `folded_until` have been learned into the baselines.
CREATE TABLE crisis_baseline_state (
    brand_id      INTEGER PRIMARY KEY REFERENCES brands(id),
    folded_until  INTEGER NOT NULL
);

ALTER TABLE incidents ADD COLUMN severity TEXT NOT NULL DEFAULT 'warning';
ALTER TABLE incidents ADD COLUMN first_mention_at INTEGER;
ALTER TABLE incidents ADD COLUMN acknowledged_by TEXT;
ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE incidents ADD COLUMN resolved_by TEXT;
ALTER TABLE incidents ADD COLUMN resolved_at INTEGER;
ALTER TABLE incidents ADD COLUMN resolve_proposed_at INTEGER;
ALTER TABLE incidents ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0;

-- What happened to an incident, in order: opened, severity raised, acknowledged, resolved...
CREATE TABLE incident_events (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT,
    detail      TEXT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events(incident_id, at);

-- Word counts over an incident's mentions: its top terms, used to attach later mentions.
CREATE TABLE incident_terms (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    term        TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (incident_id, term)
);

-- Informational signals that are not crises (a positive surge): reported, never paged.
CREATE TABLE crisis_notices (
    id         INTEGER PRIMARY KEY,
    brand_id   INTEGER NOT NULL REFERENCES brands(id),
    kind       TEXT NOT NULL,
    severity   TEXT NOT NULL,
    at         INTEGER NOT NULL,
    detail     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX crisis_notices_brand_time ON crisis_notices(brand_id, at);
