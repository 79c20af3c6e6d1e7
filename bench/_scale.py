"""What the scale-out benches share: a throw-away PostgreSQL database, shard layouts, and a
group of real `python -m bot` processes started at once against one loopback Discord.

The loopback's global limit (50 requests/s) is per bot token, as Discord's is, so every
process of a group shares it: the same budget a real deployment's processes share.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from bot.store.pg_admin import create_database, drop_database
from bot.testing.loopback.harness import BotProcess, run_bot_process
from bot.testing.loopback.server import LoopbackDiscord

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
SERVERS_PER_SHARD = 2500  # Discord's (and the loopback's) most servers on one shard
READY_LINE = re.compile(r"ready as \S+ in (\d+) servers")


def postgres_admin_url() -> str:
    """Return the server to create throw-away databases on (TEST_POSTGRES_URL or the local)."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@contextlib.asynccontextmanager
async def scratch_database(admin_url: str) -> AsyncIterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    url = await create_database(admin_url, "lightstick_bench")
    try:
        yield url
    finally:
        await drop_database(admin_url, url)


def shard_layout(servers: int, processes: int) -> tuple[int, list[str]]:
    """Return (shard count, SHARD_IDS per process) for `servers` split over `processes`.

    The shard count is a multiple of `processes` with at most 2,500 servers a shard, so one
    process owning every shard and three owning a third each run the same shards.
    """
    per_process = max(1, math.ceil(servers / (SERVERS_PER_SHARD * processes)))
    count = per_process * processes
    ids = [
        ",".join(str(s) for s in range(p * per_process, (p + 1) * per_process))
        for p in range(processes)
    ]
    return count, ids


def all_shards(count: int) -> str:
    """Return SHARD_IDS naming every shard of `count`."""
    return ",".join(str(s) for s in range(count))


@dataclass
class Started:
    """One process of a group and when it reached each milestone (seconds from the start)."""

    shard_ids: str
    proc: BotProcess
    ready_s: float = 0.0  # the loopback sent READY to every shard of the process
    reconciled_s: float = 0.0  # the process logged "ready as ... in N servers"
    servers: int = 0
    shards: set[tuple[int, int]] = field(default_factory=set)


@contextlib.asynccontextmanager
async def process_group(
    loopback: LoopbackDiscord,
    env: dict[str, str],
    shard_count: int,
    shard_ids: Sequence[str],
    *,
    timeout: float = 300.0,
) -> AsyncIterator[list[Started]]:
    """Start one `python -m bot` per SHARD_IDS at once; yield once every one is reconciled."""
    async with contextlib.AsyncExitStack() as stack:
        started = time.perf_counter()
        group: list[Started] = []
        for ids in shard_ids:
            child = {**env, "SHARD_COUNT": str(shard_count), "SHARD_IDS": ids}
            proc = await stack.enter_async_context(
                run_bot_process(loopback, child, wait_ready=False)
            )
            shards = {(int(s), shard_count) for s in ids.split(",")}
            group.append(Started(ids, proc, shards=shards))
        await _milestones(loopback, group, started, timeout)
        yield group


async def _milestones(
    loopback: LoopbackDiscord, group: list[Started], started: float, timeout: float
) -> None:
    while not all(p.reconciled_s for p in group):
        now = time.perf_counter() - started
        readied = {
            (int(s.shard[0]), int(s.shard[1]))
            for s in loopback.gateway.sessions.values()
            if s.shard is not None and s.alive and s.ws is not None
        }
        for p in group:
            if p.proc.returncode is not None:
                raise RuntimeError(f"SHARD_IDS={p.shard_ids} exited:\n{p.proc.stderr[-3000:]}")
            if not p.ready_s and p.shards <= readied:
                p.ready_s = now
            if not p.reconciled_s and (found := READY_LINE.search(p.proc.stderr)):
                p.reconciled_s = now
                p.servers = int(found.group(1))
        if now > timeout:
            raise RuntimeError(f"not every process was ready after {timeout:.0f} s")
        await asyncio.sleep(0.01)
