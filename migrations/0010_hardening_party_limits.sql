-- How many upcoming parties one member may organise at once (moderators are not limited).
ALTER TABLE party_settings ADD COLUMN member_limit INTEGER NOT NULL DEFAULT 5
    CHECK (member_limit BETWEEN 1 AND 100);
CREATE INDEX parties_guild_organiser ON parties(guild_id, organiser_id, status);
