-- Helpdesk: richer customer profiles, merges that can be undone, ticket priority/SLA/workflow,
-- external helpdesk references and satisfaction (CSAT) answers.

-- Profiles. `merged_into` is set on a profile folded into another one (the row is kept so the
-- merge can be undone). Consent flags are what the customer agreed to.
ALTER TABLE customers ADD COLUMN notes TEXT;
ALTER TABLE customers ADD COLUMN consent_contact INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN consent_survey INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers(id);

-- Who merged what: the exact rows moved, so unmerge moves exactly those back.
CREATE TABLE customer_merges (
    id           INTEGER PRIMARY KEY,
    into_id      INTEGER NOT NULL REFERENCES customers(id),
    other_id     INTEGER NOT NULL REFERENCES customers(id),
    actor        TEXT NOT NULL,
    merged_at    INTEGER NOT NULL,
    identity_ids TEXT NOT NULL,
    mention_ids  TEXT NOT NULL,
    ticket_ids   TEXT NOT NULL,
    unmerged_at  INTEGER,
    unmerged_by  TEXT
);
CREATE INDEX customer_merges_into ON customer_merges(into_id);

-- Tickets: priority with its factors (JSON), routing, SLA clock and workflow times.
ALTER TABLE tickets ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE tickets ADD COLUMN priority_factors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tickets ADD COLUMN team TEXT;
ALTER TABLE tickets ADD COLUMN assignee TEXT;
ALTER TABLE tickets ADD COLUMN first_response_due INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_due INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
ALTER TABLE tickets ADD COLUMN solved_at INTEGER;
ALTER TABLE tickets ADD COLUMN closed_at INTEGER;
-- While pending, the resolution clock is paused; leaving pending moves resolution_due on.
ALTER TABLE tickets ADD COLUMN pending_since INTEGER;
CREATE INDEX tickets_status_due ON tickets(status, resolution_due);

-- Replies recorded through the API.
CREATE TABLE ticket_replies (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- The ticket in an external helpdesk.
CREATE TABLE ticket_external (
    ticket_id     INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    connector     TEXT NOT NULL,
    external_id   TEXT NOT NULL,
    remote_status TEXT,
    synced_at     INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, connector)
);

-- One satisfaction answer per ticket (answering again replaces the score).
CREATE TABLE csat_responses (
    ticket_id   INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    brand_id    INTEGER NOT NULL REFERENCES brands(id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    answered_at INTEGER NOT NULL
);
