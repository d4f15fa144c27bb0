-- Lookups by mention that ingest and the API make: the ticket holding a post of a conversation
-- (ingest, per reply), the incidents and tickets a customer's mentions belong to (customer
-- 360), and the tickets linked to an incident (incident detail). Without these each one read
-- the whole link table.
CREATE INDEX ticket_mentions_mention ON ticket_mentions(mention_id);
CREATE INDEX incident_mentions_mention ON incident_mentions(mention_id);

-- Listings newest first, per brand and overall, walk an index instead of sorting every ticket
-- or incident.
CREATE INDEX tickets_brand_updated ON tickets(brand_id, updated_at);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX incidents_brand_opened ON incidents(brand_id, opened_at);
CREATE INDEX incidents_opened ON incidents(opened_at);
