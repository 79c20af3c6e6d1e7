-- PostgreSQL translation of ../0006_member_timezones.sql (WITHOUT ROWID has no equivalent).
CREATE TABLE member_timezones (
    guild_id   BIGINT NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL,
    timezone   TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    updated_at BIGINT NOT NULL,                -- epoch seconds (UTC)
    PRIMARY KEY (guild_id, user_id)
);
