"""This process among the others sharing the database: its id, the chores it holds, its share.

Cross-server chores (polling X, housekeeping) run in one process at a time: each round, a process
takes or renews the chore's lease and does the chore only while it holds it; a holder that dies
stops renewing, and another process takes the lease once it expires. Every process also writes
a heartbeat; the number of live processes divides the budget under Discord's global limit (50
requests a second per bot, whatever the number of processes; Lightstick spends 45) into shares.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.domain.shards import ShardSpec
from bot.store.cluster import ClusterRepo, Lease

log = logging.getLogger(__name__)

# Discord's global limit: requests per second for the whole bot, not per process.
DISCORD_GLOBAL_RATE = 50
# All processes together stay a little under it (room for their other traffic, never a global
# 429): one alone sends up to 45 a second, n processes 45 // n each.
SOLO_RATE = 45
HEARTBEAT_SECONDS = 5.0
# A process missing this many heartbeats in a row no longer counts as alive.
HEARTBEATS_TO_DIE = 3
# Rows of processes gone this long are deleted by the housekeeping.
FORGET_AFTER = timedelta(days=1)

POLLER_LEASE = "spaces-poller"
HOUSEKEEPING_LEASE = "housekeeping"
# A lease outlives one round by half a round, so a slow round does not lose it. The others
# look again the moment it can be taken (see `Cluster.next_look`), so a dead holder's chore is
# taken over 1.5 rounds after its last renewal, leaving half a round for the work before two.
LEASE_ROUNDS = 1.5
# Stored lease times are whole seconds: look this long after the second a lease becomes free.
FREE_MARGIN_SECONDS = 0.1
MIN_LOOK_SECONDS = 1.0


def process_name() -> str:
    """Return a new id for this process: host:pid:random (unique across restarts and hosts)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _shard_set(shard_ids: str) -> frozenset[int]:
    """Return the shard ids of a heartbeat row's comma list; empty for '' (every shard)."""
    return frozenset(int(p) for p in shard_ids.split(",") if p.strip())


def share_of(live: int, *, shared: bool = True) -> int:
    """Return the requests per second one of `live` processes may send to Discord.

    45 a second (a little under Discord's 50) divided evenly, rounded down, at least 1: one
    process 45, two 22 each, three 15. `shared` False (a REST proxy holds the bucket): always 45.
    """
    if not shared or live <= 1:
        return SOLO_RATE
    return max(1, SOLO_RATE // live)


class Cluster:
    """This process's membership: heartbeats, leases it holds, its share of the budget."""

    def __init__(
        self,
        repo: ClusterRepo,
        *,
        shards: ShardSpec | None = None,
        shared_budget: bool = True,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        name: str | None = None,
    ) -> None:
        self.name = name or process_name()
        self._repo = repo
        self._leases = repo.leases
        self._processes = repo.processes
        self._shards = "" if shards is None else ",".join(str(i) for i in shards.ids)
        self.shared_budget = shared_budget
        self.heartbeat_seconds = heartbeat_seconds
        self._clock = clock
        self._held: set[str] = set()
        # Leases another process held at this process's last attempt: when they expire.
        self._others_until: dict[str, datetime] = {}
        self.live_processes = 1
        self._share_listeners: list[Callable[[int], None]] = []
        self._overlap_checked = False

    @property
    def share(self) -> int:
        """Requests per second this process may send to Discord now (see `share_of`)."""
        return share_of(self.live_processes, shared=self.shared_budget)

    def on_share(self, listener: Callable[[int], None]) -> None:
        """Call `listener(share)` now and whenever the share changes."""
        self._share_listeners.append(listener)
        listener(self.share)

    def off_share(self, listener: Callable[[int], None]) -> None:
        """Stop calling `listener` (a cog unloading)."""
        if listener in self._share_listeners:
            self._share_listeners.remove(listener)

    async def on_outbox(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever any process commits new Space transitions to the outbox.

        PostgreSQL: a LISTEN that reconnects by itself. SQLite: never (one process, whose own
        poller wakes its fan-out directly).
        """
        await self._repo.listen_outbox(callback)

    async def heartbeat(self) -> int:
        """Record that this process is alive, count the live ones; return the count."""
        now = self._clock()
        await self._processes.heartbeat(self.name, self._shards, now)
        since = now - timedelta(seconds=self.heartbeat_seconds * HEARTBEATS_TO_DIE)
        # On SQLite a row left by a crashed earlier run is not another process.
        live = 1 if self._repo.single_process else await self._processes.live_count(since)
        if not self._overlap_checked and not self._repo.single_process:
            self._overlap_checked = True
            await self.warn_overlaps(since)
        live = max(1, live)
        if live != self.live_processes:
            before = self.share
            self.live_processes = live
            log.info(
                "%d Lightstick processes share the database; this one sends up to %d Discord "
                "requests a second%s",
                live,
                self.share,
                "" if self.shared_budget else " (shared budget off: a REST proxy paces)",
            )
            if self.share != before:
                for listener in list(self._share_listeners):
                    listener(self.share)
        return live

    async def warn_overlaps(self, since: datetime) -> list[str]:
        """Log a WARNING for every other process seen at or after `since` that serves one of
        this process's shards (or all of them); return their holder ids.

        Each shard must be owned by one process at a time: the start-up take-over ends the
        other holders' claims on its shards, and only the channel-history check then stands
        between two overlapping processes and a duplicate post.
        """
        mine = _shard_set(self._shards)
        overlapping = []
        for holder, shard_ids in await self._processes.live(since):
            theirs = _shard_set(shard_ids)
            if holder == self.name or (mine and theirs and not mine & theirs):
                continue
            overlapping.append(holder)
            log.warning(
                "another Lightstick process (%s, shards %s) was alive within the last %d seconds "
                "and serves shards this one (shards %s) serves too: run each shard in one process "
                "at a time, or overlapping processes may post twice",
                holder,
                shard_ids or "all",
                int(self.heartbeat_seconds * HEARTBEATS_TO_DIE),
                self._shards or "all",
            )
        return overlapping

    def holds(self, name: str) -> bool:
        """Say whether this process held lease `name` at its last attempt."""
        return name in self._held

    async def hold(self, name: str, seconds: float) -> bool:
        """Take or renew lease `name` for `seconds`; return whether this process holds it.

        Logs when this process takes a chore over (naming the previous holder) or loses it.
        """
        now = self._clock()
        previous = None if name in self._held else await self._leases.get(name)
        try:
            # One process per SQLite file: a lease left by a crashed earlier run is not waited for.
            got = await self._leases.take(
                name,
                self.name,
                now,
                now + timedelta(seconds=seconds),
                steal=self._repo.single_process,
            )
        except Exception:
            self._held.discard(name)  # unknown now: say so rather than claim it
            raise
        if got and name not in self._held:
            if previous is not None and previous.holder != self.name:
                log.warning(
                    "took over %s from %s, whose lease expired at %s",
                    name,
                    previous.holder,
                    previous.expires_at.isoformat(),
                )
            else:
                log.info("this process (%s) now does %s", self.name, name)
            self._held.add(name)
        elif not got and name in self._held:
            log.warning("lost %s to another process", name)
            self._held.discard(name)
        if got or previous is None:
            self._others_until.pop(name, None)
        else:
            self._others_until[name] = previous.expires_at
        return got

    def next_look(self, name: str, most: float) -> float:
        """Return the seconds to wait before trying lease `name` again after `hold` failed:
        until the other holder's lease (as that attempt saw it) can be taken, at least
        `MIN_LOOK_SECONDS` (a race just lost does not spin) and at most `most`; `most` when
        the expiry is unknown (this process had held the lease itself)."""
        until = self._others_until.get(name)
        if until is None:
            return most
        # Expiries are whole seconds and a lease is free once `now` is past that second.
        free_at = until + timedelta(seconds=1 + FREE_MARGIN_SECONDS)
        free_in = (free_at - self._clock()).total_seconds()
        return min(most, max(MIN_LOOK_SECONDS, free_in))

    async def holder(self, name: str) -> Lease | None:
        """Return lease `name` if someone holds it now, else None."""
        lease = await self._leases.get(name)
        if lease is None or not lease.held_at(self._clock()):
            return None
        return lease

    async def forget_departed(self) -> int:
        """Delete heartbeat rows of processes gone for a day; return how many."""
        return await self._processes.forget_before(self._clock() - FORGET_AFTER)

    async def leave(self) -> None:
        """On a clean stop: give up every lease and remove this process's heartbeat row."""
        for name in sorted(self._held):
            await self._leases.release(name, self.name)
            log.info("released %s", name)
        self._held.clear()
        await self._processes.leave(self.name)
