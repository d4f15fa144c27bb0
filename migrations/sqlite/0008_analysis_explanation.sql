-- Why each mention scored as it did: its top contributing words with their valences, as a
-- JSON array of {"token", "valence"} objects, strongest first. Rows analyzed before this
-- migration have no explanation (empty array).
ALTER TABLE analyses ADD COLUMN explanation TEXT NOT NULL DEFAULT '[]';
