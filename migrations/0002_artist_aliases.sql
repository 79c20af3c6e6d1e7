-- Server-specific nicknames for catalog acts: only that server's search sees them.
CREATE TABLE artist_aliases (
    guild_id    INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    alias_norm  TEXT NOT NULL,              -- bot.catalog.normalize.search_key(alias)
    alias       TEXT NOT NULL,              -- as the moderator typed it (<= 50 chars)
    artist_id   TEXT NOT NULL,              -- id of an entry in bot/data/catalog.json
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,           -- epoch seconds (UTC)
    PRIMARY KEY (guild_id, alias_norm)
);
