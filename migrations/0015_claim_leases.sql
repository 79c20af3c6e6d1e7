-- Issue 16 part 4, exactly once across processes: a delivery or a reminder being sent is
-- claimed by one process (claimed_by: host:pid:random) until lease_until (epoch seconds). A row
-- left 'sending' whose lease ran out (or that has none, like rows from before this migration)
-- may be taken over, after the channel-history check, by the owner of its server's shard.
ALTER TABLE space_deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE space_deliveries ADD COLUMN lease_until INTEGER;
ALTER TABLE party_reminders ADD COLUMN claimed_by TEXT;
ALTER TABLE party_reminders ADD COLUMN lease_until INTEGER;
-- Start-up and lease renewal look at the rows in flight only.
CREATE INDEX space_deliveries_sending ON space_deliveries(claimed_by) WHERE status = 'sending';
CREATE INDEX party_reminders_sending ON party_reminders(claimed_by) WHERE state = 'sending';
