"""Bench: RSVP clicks per second on PostgreSQL vs SQLite, through the real repository.

Run: `python -m bench.rsvp_backends [--seconds S] [--workers N] [--rate R] [--json PATH]`.
A click is what an RSVP button press does to the database in cogs/parties/base.py:
`PartyRepo.toggle_rsvp` (one transaction: the member's answer, the party, the capacity count,
the write, the new counts). Members press at random on 20 servers' parties (each with a
capacity, so every Going click counts the others).

Per backend, in one process, through the production Database wrapper (one aiosqlite
connection; an asyncpg pool of 10 on a throw-away PostgreSQL database, TEST_POSTGRES_URL or
the local server):
- open loop: clicks arrive at a fixed rate (default 500/s) whatever the latency;
- closed loop: N concurrent clickers (default 32) back to back: the saturation throughput.
Baseline in the same run: a bare `SELECT 1` round trip through the same wrapper.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import tempfile
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import get_args

from bench._scale import postgres_admin_url, scratch_database
from bench.db_throughput import Click, closed_loop, open_loop, percentile
from bot.domain.parties.model import PartyDraft, RsvpStatus
from bot.store import Store
from bot.store.parties import PartyRepo

GUILDS = 20
MEMBERS = 5000


@dataclass
class BackendResult:
    """One backend, one workload, one load shape."""

    backend: str
    workload: str
    load: str
    clicks: int
    per_second: float
    p50_ms: float
    p99_ms: float


@contextlib.asynccontextmanager
async def opened(backend: str) -> AsyncIterator[Store]:
    """Yield a migrated Store on a fresh database of `backend` ("sqlite" or "postgresql")."""
    async with contextlib.AsyncExitStack() as stack:
        if backend == "sqlite":
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="lightstick-rsvp-"))
            target = str(Path(tmp) / "bench.db")
        else:
            target = await stack.enter_async_context(scratch_database(postgres_admin_url()))
        store = await Store.open(target)
        stack.push_async_callback(store.close)
        await store.migrate()
        yield store


async def seed(store: Store) -> list[tuple[int, int]]:
    """Create GUILDS servers with one upcoming party each; return (guild id, party id)."""
    now = datetime.now(UTC)
    parties = []
    for i in range(GUILDS):
        guild_id = 10**17 + i
        await store.guilds.mark_joined(guild_id, f"Fans {i}", now)
        party = (
            await store.guild(guild_id)
            .repo(PartyRepo)
            .create_party(
                PartyDraft(
                    title=f"Listening party {i}",
                    starts_at=now + timedelta(days=2),
                    duration=timedelta(hours=1),
                    channel_id=guild_id + 1,
                    organiser_id=guild_id + 2,
                    zone="Asia/Seoul",
                    capacity=1_000_000,
                ),
                now=now,
            )
        )
        parties.append((guild_id, party.id))
    return parties


def clicks(store: Store, parties: list[tuple[int, int]]) -> tuple[Click, Click]:
    """Return (RSVP click, floor round trip) for the seeded parties."""
    rng = random.Random(7)
    statuses: tuple[RsvpStatus, ...] = get_args(RsvpStatus)

    async def rsvp() -> None:
        guild_id, party_id = rng.choice(parties)
        repo = store.guild(guild_id).repo(PartyRepo)
        await repo.toggle_rsvp(
            party_id, rng.randrange(1, MEMBERS), rng.choice(statuses), now=datetime.now(UTC)
        )

    async def floor() -> None:
        await store.db.fetchval("SELECT 1")

    return rsvp, floor


def summary(
    backend: str, workload: str, load: str, samples: list[float], seconds: float
) -> BackendResult:
    ordered = sorted(samples)
    return BackendResult(
        backend,
        workload,
        load,
        len(samples),
        round(len(samples) / seconds, 1),
        round(statistics.median(ordered) * 1000, 3),
        round(percentile(ordered, 0.99) * 1000, 3),
    )


async def run(seconds: float, workers: int, rate: float) -> list[BackendResult]:
    """Run both workloads under both loads on SQLite, then on PostgreSQL."""
    results: list[BackendResult] = []
    for backend in ("sqlite", "postgresql"):
        print(f"  rsvp: {backend} ...", file=sys.stderr, flush=True)
        async with opened(backend) as store:
            rsvp, floor = clicks(store, await seed(store))
            for workload, click in (("SELECT 1 (floor)", floor), ("RSVP click", rsvp)):
                samples, elapsed = await open_loop(click, rate, seconds)
                results.append(summary(backend, workload, f"open {rate:.0f}/s", samples, elapsed))
                samples, elapsed = await closed_loop(click, workers, seconds)
                results.append(summary(backend, workload, f"closed x{workers}", samples, elapsed))
    return results


def format_table(results: list[BackendResult]) -> str:
    """Render the results as an aligned text table."""
    lines = [
        f"{'backend':<11} {'workload':<17} {'load':<12} {'clicks':>7} {'per s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.backend:<11} {r.workload:<17} {r.load:<12} {r.clicks:>7} {r.per_second:>8.0f} "
            f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="RSVP clicks per second: PostgreSQL vs SQLite")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument("--workers", type=int, default=32, help="closed-loop concurrency")
    parser.add_argument("--rate", type=float, default=500.0, help="open-loop clicks/s")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = asyncio.run(run(args.seconds, args.workers, args.rate))
    print(format_table(results))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": [asdict(r) for r in results]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
