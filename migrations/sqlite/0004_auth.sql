-- Accounts, API tokens and the audit log.
-- `brands` is a JSON array of brand names the user may see, or NULL for every brand.
-- `password_hash` is an argon2 PHC string; NULL means the account cannot log in with a password.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    password_hash   TEXT,
    role            TEXT NOT NULL,
    brands          TEXT,
    lang            TEXT NOT NULL DEFAULT 'es',
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    created_at      INTEGER NOT NULL,
    disabled_at     INTEGER
);

-- Only the SHA-256 of a token is stored; `prefix` (its first characters) lets people tell
-- tokens apart in listings.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- Who did what to which item. `actor` keeps the username even if the user is later removed.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_target ON audit_log(target_kind, target_id);
CREATE INDEX audit_log_at ON audit_log(at);
