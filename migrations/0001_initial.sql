-- Servers the bot knows, and the settings every feature shares.
CREATE TABLE guilds (
    guild_id   INTEGER PRIMARY KEY,
    name       TEXT,
    joined_at  INTEGER NOT NULL,           -- epoch seconds (UTC)
    left_at    INTEGER                     -- set when the bot leaves; data purged 30 days later
);
CREATE INDEX guilds_left_at ON guilds(left_at) WHERE left_at IS NOT NULL;

CREATE TABLE guild_settings (
    guild_id   INTEGER PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    timezone   TEXT NOT NULL DEFAULT 'Asia/Seoul',
    updated_at INTEGER NOT NULL
);

-- Process-level facts (the synced command schema hash, ...). Not guild data.
CREATE TABLE bot_meta (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
