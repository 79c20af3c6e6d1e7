-- Issue 16, parts 3 and 5: processes that share one database elect who does the cross-server
-- chores, and share Discord's global request budget.
-- A lease: the named chore ('spaces-poller', 'housekeeping') is `holder`'s until `expires_at`
-- (epoch seconds, UTC); the holder renews it every round, another process takes it once expired.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,              -- host:pid:random of the process
    expires_at  INTEGER NOT NULL,           -- epoch seconds (UTC)
    taken_at    INTEGER NOT NULL            -- epoch seconds (UTC): when this holder took it
);
-- Every running process writes its row every few seconds; rows seen recently are the live ones.
CREATE TABLE processes (
    holder      TEXT PRIMARY KEY,           -- host:pid:random, as in leases
    shard_ids   TEXT NOT NULL,              -- comma-separated shard ids, '' for every shard
    started_at  INTEGER NOT NULL,           -- epoch seconds (UTC)
    last_seen   INTEGER NOT NULL            -- epoch seconds (UTC)
);
CREATE INDEX processes_last_seen ON processes(last_seen);
