-- Per-member timezones (issue 6): how a member's party times are read and shown.
-- Stored per server, not per user: a member's zone is personal, but keeping it with the server
-- means leaving a server purges it by the same cascade as every other row, and no server can
-- read what a member told another one.
CREATE TABLE member_timezones (
    guild_id   INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    timezone   TEXT NOT NULL CHECK (length(timezone) BETWEEN 1 AND 64),
    updated_at INTEGER NOT NULL,               -- epoch seconds (UTC)
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
