-- Vigía schema, SQLite flavour. Timestamps are UTC, stored as INTEGER milliseconds since the
-- Unix epoch so that range queries compare numbers, never strings.

CREATE TABLE brands (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    lang         TEXT NOT NULL
);

CREATE TABLE feeds (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    brand_id             INTEGER NOT NULL REFERENCES brands(id),
    kind                 TEXT NOT NULL,
    cursor               TEXT,
    last_polled_at       INTEGER,
    last_success_at      INTEGER,
    last_error           TEXT,
    last_error_at        INTEGER,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    mentions_total       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    external_ref TEXT UNIQUE,
    name         TEXT,
    email        TEXT,
    phone        TEXT,
    lang         TEXT,
    tier         TEXT,
    created_at   INTEGER NOT NULL
);

CREATE TABLE customer_identities (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    network     TEXT NOT NULL,
    value       TEXT NOT NULL,
    UNIQUE (network, value)
);
CREATE INDEX customer_identities_customer ON customer_identities(customer_id);

CREATE TABLE mentions (
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
    UNIQUE (source, external_id)
);
CREATE INDEX mentions_brand_time ON mentions(brand_id, created_at);
CREATE INDEX mentions_customer ON mentions(customer_id);

CREATE TABLE analyses (
    mention_id INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
    lang       TEXT NOT NULL,
    compound   REAL NOT NULL,
    pos        REAL NOT NULL,
    neu        REAL NOT NULL,
    neg        REAL NOT NULL,
    label      TEXT NOT NULL,
    brand_id   INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
-- The crisis window query: negative mentions of a brand in a time range.
CREATE INDEX analyses_brand_label_time ON analyses(brand_id, label, created_at);

CREATE TABLE mention_categories (
    mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    PRIMARY KEY (mention_id, category)
);
CREATE INDEX mention_categories_category ON mention_categories(category, mention_id);

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    brand_id        INTEGER NOT NULL REFERENCES brands(id),
    status          TEXT NOT NULL,
    trigger_kind    TEXT NOT NULL,
    trigger         TEXT NOT NULL,
    opened_at       INTEGER NOT NULL,
    last_mention_at INTEGER NOT NULL,
    mention_count   INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX incidents_brand_status ON incidents(brand_id, status);

CREATE TABLE incident_mentions (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, mention_id)
);

CREATE TABLE tickets (
    id            INTEGER PRIMARY KEY,
    brand_id      INTEGER NOT NULL REFERENCES brands(id),
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    status        TEXT NOT NULL,
    category      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    opened_at     INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    mention_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tickets_customer_status ON tickets(customer_id, brand_id, status);

CREATE TABLE ticket_mentions (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, mention_id)
);

-- Transactional outbox: side effects are queued here in the transaction that causes them and
-- delivered by a worker that leases rows, so a restart neither loses nor doubles them.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    channel         TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
