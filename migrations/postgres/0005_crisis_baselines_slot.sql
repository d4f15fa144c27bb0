-- The baselines of one brand's slots (the 3 slots of an hour, read at every hour folded and
-- every hour a brand's state is loaded): with only the primary key (brand_id, category, slot)
-- each read walked all the brand's rows, ~2,300 (12 categories x 193 slots).
CREATE INDEX crisis_baselines_brand_slot ON crisis_baselines(brand_id, slot);

-- Every hour learned rewrites the brand's rows of three slots. With full pages each update
-- left a dead tuple and a new entry in every index: in `vigia bench ingest --backend postgres`
-- a 3-slot read found 700 index entries for 24 live rows (0.45 ms a read, the largest share of
-- statement time). Free room on each page lets PostgreSQL update the row in place (a HOT
-- update, no new index entry), and vacuum runs after a few hundred changed rows, not a fifth
-- of the table.
ALTER TABLE crisis_baselines SET (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 1000);
ALTER TABLE crisis_baseline_state SET (fillfactor = 50);
