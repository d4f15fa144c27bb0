-- Values of this installation: `id`, a random id that makes e-mail Message-IDs unique per
-- install, and `salt`, the secret salt of erasure tombstones. Both are made once, here.
CREATE TABLE install (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO install (key, value) VALUES
    ('id', lower(hex(randomblob(16)))),
    ('salt', lower(hex(randomblob(32))));

-- Erasure tombstones: salted SHA-256 of an erased person's external reference, e-mail, phone
-- and identities. Imports skip anyone who matches, so an erased person is not brought back
-- from a CRM file; the hashes do not reveal who it was.
CREATE TABLE erased_subjects (
    hash      TEXT PRIMARY KEY,
    erased_at INTEGER NOT NULL
);

-- Explanation words of mentions erased before this migration are personal data too.
UPDATE analyses SET explanation = '[]'
    WHERE mention_id IN (SELECT id FROM mentions WHERE erased_at IS NOT NULL);
