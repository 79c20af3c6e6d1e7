-- PostgreSQL translation of ../0012_artist_lookups.sql.
CREATE TABLE artist_lookups (
    guild_id    BIGINT NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    artist_id   TEXT NOT NULL,              -- id of an entry in bot/data/catalog.json
    lookups     INTEGER NOT NULL DEFAULT 0 CHECK (lookups >= 0),
    last_at     BIGINT NOT NULL,            -- epoch seconds (UTC)
    PRIMARY KEY (guild_id, artist_id)
);
