-- PostgreSQL translation of ../0010_hardening_party_limits.sql.
ALTER TABLE party_settings ADD COLUMN member_limit INTEGER NOT NULL DEFAULT 5
    CHECK (member_limit BETWEEN 1 AND 100);
CREATE INDEX parties_guild_organiser ON parties(guild_id, organiser_id, status);
