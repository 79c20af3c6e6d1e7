-- PostgreSQL translation of ../0001_initial.sql (same tables, columns and index names).
-- Discord ids and epoch seconds are BIGINT.
CREATE TABLE guilds (
    guild_id   BIGINT PRIMARY KEY,
    name       TEXT,
    joined_at  BIGINT NOT NULL,            -- epoch seconds (UTC)
    left_at    BIGINT                      -- set when the bot leaves; data purged 30 days later
);
CREATE INDEX guilds_left_at ON guilds(left_at) WHERE left_at IS NOT NULL;

CREATE TABLE guild_settings (
    guild_id   BIGINT PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    timezone   TEXT NOT NULL DEFAULT 'Asia/Seoul',
    updated_at BIGINT NOT NULL
);

-- Process-level facts (the synced command schema hash, ...). Not guild data.
CREATE TABLE bot_meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
