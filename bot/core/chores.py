"""The process-wide loops: this process's heartbeat, and the housekeeping one process does.

The housekeeping (purges of departed servers, MusicBrainz cache expiry, old heartbeat rows)
runs in whichever process holds the "housekeeping" lease; see bot/services/cluster.py.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Protocol

from bot.core.loops import BackgroundLoop
from bot.services.cluster import HOUSEKEEPING_LEASE, LEASE_ROUNDS, Cluster

log = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 6 * 3600
LEAVE_SECONDS = 5.0


class ChoreHost(Protocol):
    """What the chores need of the bot (the Lightstick class)."""

    cluster: Cluster

    def clock(self) -> datetime:
        """Return the current aware UTC time."""
        ...

    async def housekeep(self) -> None:
        """Delete what is kept no longer."""
        ...

    def start_loop(self, loop: BackgroundLoop) -> BackgroundLoop:
        """Register and start a background loop."""
        ...


def start_chores(bot: ChoreHost) -> None:
    """Start the heartbeat and housekeeping loops (shown in /settings by name)."""

    async def heartbeat() -> None:
        await bot.cluster.heartbeat()

    async def housekeeping() -> float | None:
        # The lease holder does it; the others look again in half a round, so a dead holder's
        # work is taken over within two rounds.
        seconds = PURGE_INTERVAL_SECONDS * LEASE_ROUNDS
        if not await bot.cluster.hold(HOUSEKEEPING_LEASE, seconds):
            return PURGE_INTERVAL_SECONDS / 2
        await bot.housekeep()
        await bot.cluster.forget_departed()
        return None

    bot.start_loop(
        BackgroundLoop(
            "cluster-heartbeat",
            heartbeat,
            interval=bot.cluster.heartbeat_seconds,
            clock=bot.clock,
        )
    )
    bot.start_loop(
        BackgroundLoop(
            "housekeeping", housekeeping, interval=PURGE_INTERVAL_SECONDS, clock=bot.clock
        )
    )


async def leave_cluster(bot: ChoreHost) -> None:
    """Release this process's leases and heartbeat row (a clean stop), bounded in time."""
    try:
        async with asyncio.timeout(LEAVE_SECONDS):
            await bot.cluster.leave()
    except Exception:  # the database may be gone; the leases then simply expire
        log.warning("could not release this process's chores on stop", exc_info=True)
