-- Corrections of the analysis made by people (POST /api/mentions/{id}/feedback): the
-- sentiment and/or category the post really has, and optionally the word or phrase of the
-- post that decided it. Exported as a labeled TSV for `vigia eval`; phrases become the
-- brand's sentiment overrides at start-up (see src/storage/feedback.rs).
CREATE TABLE analysis_feedback (
    id          INTEGER PRIMARY KEY,
    mention_id  INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    brand_id    INTEGER NOT NULL REFERENCES brands(id),
    sentiment   TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    category    TEXT,
    phrase      TEXT,
    user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    CHECK (sentiment IS NOT NULL OR category IS NOT NULL)
);
CREATE INDEX analysis_feedback_brand ON analysis_feedback(brand_id, mention_id, id);
CREATE INDEX analysis_feedback_mention ON analysis_feedback(mention_id);
