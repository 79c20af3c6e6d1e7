-- Issue 18 for parties: a 'moved' queue row tells Going members a party's new time (item 16),
-- and a server may name a role to ping when a party is announced (item 20).
-- SQLite cannot change a CHECK constraint in place, so party_reminders is rebuilt with the new
-- kind and the two times a 'moved' row names (epoch seconds, UTC).
CREATE TABLE party_reminders_new (
    reminder_id  INTEGER PRIMARY KEY AUTOINCREMENT,
    party_id     INTEGER NOT NULL REFERENCES parties(party_id) ON DELETE CASCADE,
    guild_id     INTEGER NOT NULL REFERENCES guilds(guild_id) ON DELETE CASCADE,
    kind         TEXT NOT NULL DEFAULT 'remind' CHECK (kind IN ('remind', 'finish', 'moved')),
    due_at       INTEGER NOT NULL,                -- epoch seconds (UTC)
    lead_minutes INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'skipped')),
    claimed_at   INTEGER,
    done_at      INTEGER,
    message_id   INTEGER,
    error        TEXT,
    moved_from   INTEGER,                         -- 'moved': the start members knew
    moved_to     INTEGER,                         -- 'moved': the new start
    UNIQUE (party_id, kind, due_at)
);
INSERT INTO party_reminders_new (reminder_id, party_id, guild_id, kind, due_at, lead_minutes,
    state, claimed_at, done_at, message_id, error)
SELECT reminder_id, party_id, guild_id, kind, due_at, lead_minutes, state, claimed_at, done_at,
    message_id, error
FROM party_reminders;
-- Reminder ids make Discord nonces (lsrem<id>), so ids of deleted rows must never come back:
-- the new table continues the old table's AUTOINCREMENT counter.
DELETE FROM sqlite_sequence WHERE name = 'party_reminders_new';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'party_reminders_new', seq FROM sqlite_sequence WHERE name = 'party_reminders';
DROP TABLE party_reminders;
ALTER TABLE party_reminders_new RENAME TO party_reminders;
CREATE INDEX party_reminders_due ON party_reminders(state, due_at);

-- The role pinged by a new party's post; NULL (the default) pings nobody.
ALTER TABLE party_settings ADD COLUMN announce_role_id INTEGER;
