-- PostgreSQL translation of ../0013_party_moves_and_announce_role.sql: a 'moved' queue row tells
-- Going members a party's new time, and a server may name a role to ping when a party is
-- announced. PostgreSQL changes the CHECK constraint in place (the identity sequence, which
-- makes the lsrem<id> nonces, is untouched).
ALTER TABLE party_reminders DROP CONSTRAINT party_reminders_kind_check;
ALTER TABLE party_reminders ADD CONSTRAINT party_reminders_kind_check
    CHECK (kind IN ('remind', 'finish', 'moved'));
ALTER TABLE party_reminders ADD COLUMN moved_from BIGINT;  -- 'moved': the start members knew
ALTER TABLE party_reminders ADD COLUMN moved_to BIGINT;    -- 'moved': the new start

-- The role pinged by a new party's post; NULL (the default) pings nobody.
ALTER TABLE party_settings ADD COLUMN announce_role_id BIGINT;
