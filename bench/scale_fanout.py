"""Bench: one Space going live across N servers, one bot process vs three shard processes.

Run: `python -m bench.scale_fanout [--servers N] [--json PATH]` (default 10,000 servers).
Real `python -m bot` processes on one throw-away PostgreSQL database (TEST_POSTGRES_URL,
default the local server) and one loopback Discord whose global limit, 50 requests/s per bot as
Discord documents, all of them share. The servers are spread over shards (at most 2,500 a
shard, a multiple of three); first one process owns every shard, then three processes own a
third each, on the same database and servers.

Each scenario puts a new live Space in the outbox with the real poller, run here so that the
processes do not poll X, and times from then until every server has its post. The processes
find the event at their next idle drain (at most 5 s later: this version has no LISTEN/NOTIFY),
and that wait is inside the figure. Baseline in the same run: the least time the global limit
allows for N posts.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import json
import logging
import time
from typing import Any

import httpx
from pydantic import SecretStr

from bench._scale import all_shards, postgres_admin_url, process_group, scratch_database
from bench._scale import shard_layout as layout
from bench.spaces_fanout import theoretical_minimum
from bot.clients.x import XClient
from bot.services.spaces import SpacesPoller
from bot.store import Store
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.fake_x import FakeX
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture

BATCH = 250
# One account per scenario, so the second Space going live edits nothing of the first.
ACCOUNTS = (("BTS_twt", "bts", "BTS"), ("ygofficialblink", "blackpink", "BLACKPINK"))


async def seed(db: str, guilds: list[GuildFixture], uids: list[str]) -> None:
    """Migrate, then give every server a Spaces setup following both accounts."""
    store = await Store.open(db)
    try:
        await store.migrate()
        follows = [
            Follow(handle.lower(), handle, act, name, uid)
            for (handle, act, name), uid in zip(ACCOUNTS, uids, strict=True)
        ]
        for start in range(0, len(guilds), BATCH):
            async with store.db.transaction():
                for g in guilds[start : start + BATCH]:
                    await store.ensure_guild(g.id)
                    repo = store.guild(g.id).repo(SpacesRepo)
                    await repo.set_config(g.announcements.id, g.stans.id)
                    await repo.upsert_follows(follows)
    finally:
        await store.close()


async def poll_into_outbox(db: str, fake: FakeX) -> int:
    """Run the real poller once against the fake X; return the events it queued."""
    store = await Store.open(db)
    try:
        async with httpx.AsyncClient() as http:
            client = XClient(http, fake.base_url, SecretStr(fake.token), min_interval=0.0)
            poller = SpacesPoller(SpaceTrackingRepo(store.db), client, interval=60)
            return (await poller.poll_once()).events
    finally:
        await store.close()


async def wait_delivered(
    loopback: LoopbackDiscord, guilds: list[GuildFixture], title: str, timeout: float
) -> float:
    """Wait until every server's channel shows a post carrying `title`; return when the first
    one did (perf_counter seconds)."""
    left = list(guilds)
    first = 0.0
    deadline = time.perf_counter() + timeout
    while left:
        left = [g for g in left if not any(title in str(m) for m in _posts(loopback, g))]
        if not first and len(left) < len(guilds):
            first = time.perf_counter()
        if time.perf_counter() > deadline:
            raise RuntimeError(f"{len(left)} servers still without {title!r} after {timeout} s")
        await asyncio.sleep(0.25 if first else 0.02)
    return first


def _posts(loopback: LoopbackDiscord, g: GuildFixture) -> list[dict[str, Any]]:
    return loopback.messages_in(g.announcements)


async def run(servers: int) -> list[dict[str, Any]]:
    """Run the one-process and the three-process scenario; return one row each."""
    rows: list[dict[str, Any]] = []
    count, thirds = layout(servers, 3)
    async with (
        LoopbackDiscord() as loopback,
        FakeX() as fake,
        scratch_database(postgres_admin_url()) as db,
    ):
        guilds = [loopback.add_guild(f"Fans {i}", shard=(i % count, count)) for i in range(servers)]
        uids = [fake.add_user(handle) for handle, _, _ in ACCOUNTS]
        await seed(db, guilds, uids)
        env = {
            "DATABASE_URL": db,
            "X_BEARER_TOKEN": "",
            "MUSICBRAINZ_API_BASE": "",
            "LOG_LEVEL": "INFO",
        }
        scenarios = (("1 process", [all_shards(count)]), ("3 processes", thirds))
        for n, ((name, shard_ids), (handle, _, act)) in enumerate(
            zip(scenarios, ACCOUNTS, strict=True)
        ):
            print(f"  scale fan-out: {name}, {servers} servers ...", file=sys.stderr, flush=True)
            title = f"{act} live, scenario {n + 1}"
            async with process_group(loopback, env, count, shard_ids):
                fake.set_space(handle, f"1Scale{n}", "live", title=title)
                hits = loopback.rate_limits.hits
                started = time.perf_counter()
                assert await poll_into_outbox(db, fake) == 1
                first = await wait_delivered(loopback, guilds, title, timeout=servers / 5 + 120)
                seconds = time.perf_counter() - started
                await asyncio.sleep(1.0)  # a duplicate would land now
                per_server = [sum(title in str(m) for m in _posts(loopback, g)) for g in guilds]
            rows.append(
                {
                    "scenario": name,
                    "processes": len(shard_ids),
                    "shards": count,
                    "servers": servers,
                    "seconds": round(seconds, 2),
                    "first_post_s": round(first - started, 2),
                    "minimum_seconds": theoretical_minimum(
                        servers, loopback.rate_limits.global_rps
                    ),
                    "delivered": sum(1 for c in per_server if c),
                    "duplicates": sum(1 for c in per_server if c > 1),
                    "rate_limited_429": loopback.rate_limits.hits - hits,
                    "global_rps": loopback.rate_limits.global_rps,
                }
            )
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """Render one line per scenario beside the minimum the global limit allows."""
    lines = [
        f"{'scenario':<12} {'servers':>7} {'shards':>6} {'seconds':>8} {'minimum s':>9} "
        f"{'efficiency':>10} {'1st post s':>10} {'delivered':>9} {'dupes':>5} {'429s':>6}"
    ]
    for r in rows:
        eff = f"{r['minimum_seconds'] / r['seconds']:.0%}" if r["minimum_seconds"] else "-"
        lines.append(
            f"{r['scenario']:<12} {r['servers']:>7} {r['shards']:>6} {r['seconds']:>8.2f} "
            f"{r['minimum_seconds']:>9.2f} {eff:>10} {r['first_post_s']:>10.2f} "
            f"{r['delivered']:>9} {r['duplicates']:>5} "
            f"{r['rate_limited_429']:>6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run both scenarios, print the table, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="Space fan-out: one process vs three")
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = asyncio.run(run(args.servers))
    print(format_table(rows))
    print(
        f"minimum: ceil(N / {rows[0]['global_rps']}) - 1 s for N posts under Discord's global "
        "limit, shared by every process of the bot; 1st post s: until the first server had "
        "its post (the processes' idle drain, up to 5 s, finds the event)"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
