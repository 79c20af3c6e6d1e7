-- PostgreSQL translation of ../0011_hardening_space_restores.sql.
CREATE TABLE space_restores (
    guild_id    BIGINT NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    space_id    TEXT NOT NULL,
    channel_id  BIGINT NOT NULL,
    message_id  BIGINT NOT NULL,
    role_id     BIGINT,
    artist_name TEXT NOT NULL,
    template    TEXT,
    payload     TEXT NOT NULL,              -- JSON of the restoring (live) transition
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (guild_id, space_id)
);
