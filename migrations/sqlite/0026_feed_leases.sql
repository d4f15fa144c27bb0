-- A feed is polled by one instance at a time: the one holding its lease (instance id and
-- expiry, ms). A killed instance's feeds are taken over once the lease expires.
ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
ALTER TABLE feeds ADD COLUMN lease_until INTEGER;
