-- A brand's tickets in one status (the queue a team works: "new", "open"…), newest change
-- first: counted and paged from this index alone. With only (brand_id, updated_at) the count
-- of a brand's ~1M new tickets read every ticket row of the brand (2.2 s a request on the
-- 10M-mention benchmark database).
CREATE INDEX tickets_brand_status_updated ON tickets(brand_id, status, updated_at);
