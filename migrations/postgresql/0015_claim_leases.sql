-- PostgreSQL translation of ../0015_claim_leases.sql: row leases for deliveries and reminders
-- (claimed_by: host:pid:random; lease_until: epoch seconds).
ALTER TABLE space_deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE space_deliveries ADD COLUMN lease_until BIGINT;
ALTER TABLE party_reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE party_reminders ADD COLUMN lease_until BIGINT;
-- Start-up and lease renewal look at the rows in flight only.
CREATE INDEX space_deliveries_sending ON space_deliveries(claimed_by) WHERE status = 'sending';
CREATE INDEX party_reminders_sending ON party_reminders(claimed_by) WHERE state = 'sending';
