-- An incident's mentions in the two orders its detail reads them: by engagement (the alert's
-- and the detail's samples) and newest first (the war room). Both sorted all of an incident's
-- mentions through `mentions` before. The link keeps the mention's engagement (likes + 2 x
-- reposts + replies, never updated after ingest) and event time, written with the link; the
-- indexes give each order with a LIMIT.
ALTER TABLE incident_mentions ADD COLUMN engagement BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incident_mentions ADD COLUMN mention_at BIGINT NOT NULL DEFAULT 0;
UPDATE incident_mentions im SET engagement = m.likes + 2 * m.reposts + m.replies,
    mention_at = m.created_at
  FROM mentions m WHERE m.id = im.mention_id;
CREATE INDEX incident_mentions_engagement
    ON incident_mentions(incident_id, engagement DESC, mention_at);
CREATE INDEX incident_mentions_newest
    ON incident_mentions(incident_id, mention_at DESC, mention_id DESC);
