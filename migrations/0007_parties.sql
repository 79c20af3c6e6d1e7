-- Streaming parties (issue 6): parties, RSVPs, per-server party settings and the reminder queue.
CREATE TABLE parties (
    party_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
    artist_id     TEXT,
    link          TEXT CHECK (link IS NULL OR length(link) <= 512),
    platform      TEXT,
    starts_at     INTEGER NOT NULL,               -- epoch seconds (UTC)
    duration_s    INTEGER NOT NULL CHECK (duration_s BETWEEN 300 AND 43200),
    channel_id    INTEGER NOT NULL,
    message_id    INTEGER,
    organiser_id  INTEGER NOT NULL,
    notes         TEXT CHECK (notes IS NULL OR length(notes) <= 1000),
    capacity      INTEGER CHECK (capacity IS NULL OR capacity > 0),
    weekly        INTEGER NOT NULL DEFAULT 0 CHECK (weekly IN (0, 1)),
    zone          TEXT NOT NULL,                  -- IANA zone the weekly repeat follows
    status        TEXT NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'cancelled', 'done')),
    event_id      INTEGER,                        -- mirrored Discord scheduled event, if any
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX parties_guild_status_start ON parties(guild_id, status, starts_at);

CREATE TABLE party_rsvps (
    party_id          INTEGER NOT NULL REFERENCES parties(party_id) ON DELETE CASCADE,
    guild_id          INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    user_id           INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('going', 'maybe', 'cant')),
    opt_out_reminders INTEGER NOT NULL DEFAULT 0 CHECK (opt_out_reminders IN (0, 1)),
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (party_id, user_id)
);
CREATE INDEX party_rsvps_guild ON party_rsvps(guild_id);

CREATE TABLE party_settings (
    guild_id       INTEGER PRIMARY KEY REFERENCES guilds(guild_id) ON DELETE CASCADE,
    reminder_leads TEXT NOT NULL DEFAULT '15,0',   -- minutes before start, comma separated
    updated_at     INTEGER NOT NULL
);

-- One-time notices (e.g. "I lack Manage Events") already given to an organiser.
CREATE TABLE party_notices (
    guild_id   INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    noticed_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id, kind)
);

-- The durable timer's work: 'remind' pings Going members; 'finish' closes or repeats a party.
-- state: pending -> sending (claimed, persisted before the send) -> sent | skipped.
CREATE TABLE party_reminders (
    reminder_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    party_id     INTEGER NOT NULL REFERENCES parties(party_id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'remind' CHECK (kind IN ('remind', 'finish')),
    due_at       INTEGER NOT NULL,                -- epoch seconds (UTC)
    lead_minutes INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'skipped')),
    claimed_at   INTEGER,
    done_at      INTEGER,
    message_id   INTEGER,
    UNIQUE (party_id, kind, due_at)
);
CREATE INDEX party_reminders_due ON party_reminders(state, due_at);
