"""Processes sharing one database: leases that elect who does a chore, and heartbeat rows.

A lease row names a chore ("spaces-poller", "housekeeping") and the process that holds it until
`expires_at` (epoch seconds, UTC). Taking and renewing are one statement that both backends run
atomically, so two processes racing for a free lease get one winner. Process rows say which
processes are alive (seen within the last few heartbeats), which sets each one's share of
Discord's global request budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.store.backend import Database
from bot.store.times import from_epoch, to_epoch

# The channel a NOTIFY on PostgreSQL wakes the fan-out of every process on (see record_poll).
OUTBOX_CHANNEL = "lightstick_outbox"


@dataclass(frozen=True)
class Lease:
    """Who holds a chore, since when and until when (aware UTC)."""

    name: str
    holder: str
    taken_at: datetime
    expires_at: datetime

    def held_at(self, now: datetime) -> bool:
        """Say whether the lease is still in force at `now` (aware UTC)."""
        return self.expires_at >= now


class LeaseRepo:
    """Take, renew, release and read named leases (global rows, no server's data)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def take(
        self, name: str, holder: str, now: datetime, until: datetime, *, steal: bool = False
    ) -> bool:
        """Take or renew lease `name` for `holder` until `until`; return whether it is theirs.

        It is taken when nobody holds it, when `holder` already does (a renewal), when the
        other holder's lease expired before `now`, or always with `steal` (the other holder is
        known to be dead). Atomic on both backends: of several processes racing for it,
        exactly one gets True.
        """
        row = await self._db.fetchone(
            "INSERT INTO leases (name, holder, expires_at, taken_at) "
            "VALUES (:name, :holder, :until, :now) "
            "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
            "expires_at = excluded.expires_at, "
            "taken_at = CASE WHEN leases.holder = excluded.holder THEN leases.taken_at "
            "ELSE excluded.taken_at END "
            "WHERE leases.holder = :holder OR leases.expires_at < :now OR :steal = 1 "
            "RETURNING holder",
            {
                "name": name,
                "holder": holder,
                "until": to_epoch(until),
                "now": to_epoch(now),
                "steal": int(steal),
            },
        )
        return row is not None and str(row[0]) == holder

    async def release(self, name: str, holder: str) -> bool:
        """Give lease `name` up if `holder` has it (it expires at once); return whether it did."""
        changed = await self._db.execute(
            "UPDATE leases SET expires_at = 0 WHERE name = :name AND holder = :holder",
            {"name": name, "holder": holder},
        )
        return changed > 0

    async def get(self, name: str) -> Lease | None:
        """Return lease `name` as stored (it may have expired), or None if never taken."""
        row = await self._db.fetchone(
            "SELECT name, holder, taken_at, expires_at FROM leases WHERE name = :name",
            {"name": name},
        )
        if row is None:
            return None
        return Lease(
            name=str(row["name"]),
            holder=str(row["holder"]),
            taken_at=from_epoch(row["taken_at"]),
            expires_at=from_epoch(row["expires_at"]),
        )


class ProcessRepo:
    """Heartbeat rows of the processes sharing the database (global rows)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def heartbeat(self, holder: str, shard_ids: str, now: datetime) -> None:
        """Record that `holder` (serving `shard_ids`, '' for all) is alive at `now` (idempotent)."""
        await self._db.execute(
            "INSERT INTO processes (holder, shard_ids, started_at, last_seen) "
            "VALUES (:holder, :shard_ids, :now, :now) "
            "ON CONFLICT (holder) DO UPDATE SET shard_ids = excluded.shard_ids, "
            "last_seen = excluded.last_seen",
            {"holder": holder, "shard_ids": shard_ids, "now": to_epoch(now)},
        )

    async def live_count(self, since: datetime) -> int:
        """Return how many processes were seen at or after `since`."""
        value = await self._db.fetchval(
            "SELECT count(*) FROM processes WHERE last_seen >= :since",
            {"since": to_epoch(since)},
        )
        return int(value or 0)

    async def live(self, since: datetime) -> list[tuple[str, str]]:
        """Return (holder, shard ids: comma-separated, '' for all) of every process seen at or
        after `since`, by holder."""
        rows = await self._db.fetchall(
            "SELECT holder, shard_ids FROM processes WHERE last_seen >= :since ORDER BY holder",
            {"since": to_epoch(since)},
        )
        return [(str(row["holder"]), str(row["shard_ids"])) for row in rows]

    async def leave(self, holder: str) -> None:
        """Forget `holder`'s row (a clean stop), so the others' share grows at once."""
        await self._db.execute("DELETE FROM processes WHERE holder = :holder", {"holder": holder})

    async def forget_before(self, cutoff: datetime) -> int:
        """Delete rows of processes not seen since `cutoff`; return how many."""
        return await self._db.execute(
            "DELETE FROM processes WHERE last_seen < :cutoff", {"cutoff": to_epoch(cutoff)}
        )


class ClusterRepo:
    """Everything processes share to coordinate: leases, heartbeats and outbox wake-ups."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.leases = LeaseRepo(db)
        self.processes = ProcessRepo(db)

    @property
    def single_process(self) -> bool:
        """Whether one process alone uses this database (an SQLite file): any other holder of
        a lease or heartbeat row is this deployment's earlier, dead run."""
        return self._db.dialect == "sqlite"

    async def listen_outbox(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever a process commits new outbox rows (PostgreSQL NOTIFY;
        SQLite: never, one process wakes itself)."""
        await self._db.listen(OUTBOX_CHANNEL, callback)
