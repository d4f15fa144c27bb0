-- The baselines of one brand's slots (the 3 slots of an hour, read at every hour folded and
-- every hour a brand's state is loaded): with only the primary key (brand_id, category, slot)
-- each read walked all the brand's rows, ~2,300 (12 categories x 193 slots), 0.36 ms a read
-- and a third of the ingest statements' time in `vigia bench ingest`.
CREATE INDEX crisis_baselines_brand_slot ON crisis_baselines(brand_id, slot);
