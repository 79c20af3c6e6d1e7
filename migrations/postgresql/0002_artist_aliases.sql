-- PostgreSQL translation of ../0002_artist_aliases.sql.
CREATE TABLE artist_aliases (
    guild_id    BIGINT NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    alias_norm  TEXT NOT NULL,              -- bot.catalog.normalize.search_key(alias)
    alias       TEXT NOT NULL,              -- as the moderator typed it (<= 50 chars)
    artist_id   TEXT NOT NULL,              -- id of an entry in bot/data/catalog.json
    created_by  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,            -- epoch seconds (UTC)
    PRIMARY KEY (guild_id, alias_norm)
);
