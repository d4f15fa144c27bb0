-- Outbox rows are leased per message by one instance (`lease_owner`, its instance id) with a
-- fencing token that grows with every claim: marking a row delivered only counts while the row
-- still carries the claimer's token, so an instance whose lease passed to another can never
-- mark it (nor send it again after the other did).
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
