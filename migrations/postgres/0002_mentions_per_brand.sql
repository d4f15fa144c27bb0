-- A mention belongs to every brand it matches: a post that two brands' feeds find, or that
-- names a brand with a scope query of its own, is stored once per brand (each with that
-- brand's analysis), so dedupe is on (source, external_id, brand_id). (source, external_id)
-- stays the index's prefix: lookups of a post by its key keep using it.
ALTER TABLE mentions DROP CONSTRAINT mentions_source_external_id_key;
ALTER TABLE mentions ADD CONSTRAINT mentions_source_external_id_brand_id_key
    UNIQUE (source, external_id, brand_id);
