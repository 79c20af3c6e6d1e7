-- PostgreSQL translation of ../0014_leases_and_processes.sql: leases that elect the process
-- doing a cross-server chore, and the heartbeat rows that count the live processes.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,              -- host:pid:random of the process
    expires_at  BIGINT NOT NULL,            -- epoch seconds (UTC)
    taken_at    BIGINT NOT NULL             -- epoch seconds (UTC): when this holder took it
);
-- Every running process writes its row every few seconds; rows seen recently are the live ones.
CREATE TABLE processes (
    holder      TEXT PRIMARY KEY,           -- host:pid:random, as in leases
    shard_ids   TEXT NOT NULL,              -- comma-separated shard ids, '' for every shard
    started_at  BIGINT NOT NULL,            -- epoch seconds (UTC)
    last_seen   BIGINT NOT NULL             -- epoch seconds (UTC)
);
CREATE INDEX processes_last_seen ON processes(last_seen);
