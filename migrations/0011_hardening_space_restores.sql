-- Posts to edit back to live: a Space that X left out of its answers past the grace period was
-- marked ended, then reported live again (a Space id never restarts, so the end was wrong).
CREATE TABLE space_restores (
    guild_id    INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    space_id    TEXT NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    role_id     INTEGER,
    artist_name TEXT NOT NULL,
    template    TEXT,
    payload     TEXT NOT NULL,              -- JSON of the restoring (live) transition
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, space_id)
);
