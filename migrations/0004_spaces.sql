-- Live X Space announcements (issue 4).

-- Per-server defaults: where announcements go and which role a live post pings.
CREATE TABLE spaces_config (
    guild_id    INTEGER PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL,
    role_id     INTEGER,
    updated_at  INTEGER NOT NULL
);

-- One row per followed X account per server; an act with two official handles has two rows.
CREATE TABLE spaces_follows (
    guild_id    INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    handle_key  TEXT NOT NULL,              -- lower-case username without "@"
    handle      TEXT NOT NULL,              -- username as X spells it
    artist_id   TEXT,                       -- catalog act, NULL for a raw handle
    artist_name TEXT NOT NULL,
    x_user_id   TEXT,                       -- NULL until resolved
    channel_id  INTEGER,                    -- overrides spaces_config.channel_id
    role_id     INTEGER,                    -- overrides spaces_config.role_id
    keywords    TEXT NOT NULL DEFAULT '',   -- comma-separated title filter
    template    TEXT,                       -- overrides the default message
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, handle_key)
);
CREATE INDEX spaces_follows_user ON spaces_follows(x_user_id);

-- Channels that refused a post (deleted, permission lost); skipped until a moderator fixes them.
CREATE TABLE spaces_broken_channels (
    guild_id    INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    channel_id  INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    since       INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

-- X handle -> user id cache, so a restart does not spend lookups again. Not guild data.
CREATE TABLE x_accounts (
    handle_key  TEXT PRIMARY KEY,
    x_user_id   TEXT NOT NULL,
    username    TEXT NOT NULL,
    name        TEXT,
    resolved_at INTEGER NOT NULL
);

-- What the poller last saw of each Space. Ended rows are stripped to ids for dedup, then purged.
CREATE TABLE spaces_tracked (
    space_id          TEXT PRIMARY KEY,
    creator_id        TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('scheduled', 'live', 'ended')),
    title             TEXT,
    scheduled_start   INTEGER,
    started_at        INTEGER,
    ended_at          INTEGER,
    participant_count INTEGER,
    peak_listeners    INTEGER NOT NULL DEFAULT 0,
    was_live          INTEGER NOT NULL DEFAULT 0,
    missing_since     INTEGER,
    updated_at        INTEGER NOT NULL,
    purged_at         INTEGER
);
CREATE INDEX spaces_tracked_creator ON spaces_tracked(creator_id);

-- Outbox: transitions detected by the poller (scope 0) or announced by hand (scope = guild id).
CREATE TABLE space_events (
    event_id    INTEGER PRIMARY KEY,
    space_id    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('scheduled', 'live', 'ended')),
    scope       INTEGER NOT NULL DEFAULT 0,
    payload     TEXT NOT NULL,              -- JSON snapshot of the Space at the transition
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'expanded', 'done')),
    created_at  INTEGER NOT NULL,
    done_at     INTEGER,
    UNIQUE (space_id, kind, scope)
);
CREATE INDEX space_events_open ON space_events(status, event_id) WHERE status != 'done';

-- One row per (server, Space, state): written before the send, completed after it.
CREATE TABLE space_deliveries (
    guild_id    INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    space_id    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('scheduled', 'live', 'ended')),
    event_id    INTEGER,
    channel_id  INTEGER NOT NULL,
    role_id     INTEGER,
    artist_name TEXT NOT NULL,
    template    TEXT,
    nonce       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN
                    ('pending', 'sending', 'sent', 'failed', 'broken', 'skipped')),
    message_id  INTEGER,
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (guild_id, space_id, state)
);
CREATE INDEX space_deliveries_open ON space_deliveries(event_id, status)
    WHERE status IN ('pending', 'sending');
CREATE INDEX space_deliveries_space ON space_deliveries(space_id);

-- Poller facts (last poll, API state); one row per key, shared by whichever process polls.
CREATE TABLE spaces_poller_status (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
