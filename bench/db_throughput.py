"""Database throughput of the hottest writes: RSVP clicks and trivia answers, under load.

Run: `python -m bench.db_throughput [--seconds S] [--workers N] [--rate R] [--json PATH]`.
Everything goes through the real repositories on a real SQLite file (WAL, one connection, the
production Database wrapper). A "click" is the database work of one button press in its handler:

- RSVP: `record_rsvp` (+ `get_reminder_leads` when Going), as cogs/parties does;
- trivia answer: `get_game` + `record_answer`, as cogs/trivia does.

Two loads per workload, both timed per click (p50/p99):
- open loop: clicks arrive at a fixed rate (default 1,000/s) whatever the latency, like Discord
  delivering presses; this is the target (1,000 clicks/s with p99 under 20 ms);
- closed loop: N workers click back to back for the duration: the saturation throughput.

Servers: 20 with one party and one running game each, and one big server with 50 upcoming
parties and 10,000 RSVPs (where per-click queries that scan the server's RSVPs would show;
migration 0008 added the (party_id, status) index this bench asked for).

Baseline in the same run: a bare one-row INSERT through the same Database wrapper.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import itertools
import json
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import get_args

from bot.domain.parties.model import PartyDraft, RsvpStatus
from bot.domain.trivia.game import Answer
from bot.domain.trivia.scoring import score_answer
from bot.domain.trivia.selection import Pick
from bot.store import Store
from bot.store.parties import PartyRepo
from bot.store.trivia import TriviaRepo

TARGET_RATE = 1000.0
TARGET_P99_MS = 20.0
GUILDS = 20
BUSY_PARTIES, BUSY_RSVPS = 50, 200  # one big server: 10,000 RSVPs across its upcoming parties
Click = Callable[[], Awaitable[None]]


@dataclass
class LoadResult:
    """One workload under one load shape."""

    workload: str
    load: str
    clicks: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


def percentile(ordered: list[float], q: float) -> float:
    """Return the nearest-rank percentile of an already sorted list."""
    rank = max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))
    return ordered[rank]


def _summary(workload: str, load: str, samples: list[float], seconds: float) -> LoadResult:
    ordered = sorted(samples)
    return LoadResult(
        workload,
        load,
        len(samples),
        round(seconds, 3),
        round(len(samples) / seconds, 1),
        round(statistics.median(ordered) * 1000, 3),
        round(percentile(ordered, 0.99) * 1000, 3),
    )


async def _timed(click: Click, samples: list[float]) -> None:
    start = time.perf_counter()
    await click()
    samples.append(time.perf_counter() - start)


async def closed_loop(click: Click, workers: int, seconds: float) -> tuple[list[float], float]:
    """Run `workers` tasks clicking back to back for `seconds`; return latencies and elapsed."""
    samples: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            await _timed(click, samples)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return samples, time.perf_counter() - started


async def open_loop(click: Click, rate: float, seconds: float) -> tuple[list[float], float]:
    """Start one click every 1/rate seconds for `seconds`, whatever the latency; wait for all."""
    samples: list[float] = []
    tasks: set[asyncio.Task[None]] = set()
    started = time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(_timed(click, samples))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    while tasks:
        await asyncio.gather(*list(tasks))
    return samples, time.perf_counter() - started


async def _seed_busy_server(store: Store, now: datetime) -> list[tuple[int, int]]:
    """Create one server with many upcoming parties and RSVPs; return its (guild, party) ids."""
    guild_id = 10**17 + 10**6
    await store.guilds.mark_joined(guild_id, "Big fandom", now)
    repo = store.guild(guild_id).repo(PartyRepo)
    busy: list[tuple[int, int]] = []
    async with store.db.transaction():
        for p in range(BUSY_PARTIES):
            party = await repo.create_party(
                PartyDraft(
                    title=f"Stream party {p}",
                    starts_at=now + timedelta(days=1, hours=p),
                    duration=timedelta(hours=1),
                    channel_id=guild_id + 1,
                    organiser_id=guild_id + 2,
                    zone="Asia/Seoul",
                ),
                now=now,
            )
            for user in range(BUSY_RSVPS):
                await repo.set_rsvp(party.id, 10**9 + user, "going", now=now)
            busy.append((guild_id, party.id))
    return busy


class Workloads:
    """Seeded servers and the click functions that hit them."""

    def __init__(
        self,
        store: Store,
        parties: list[tuple[int, int]],
        games: list[tuple[int, int]],
        busy: list[tuple[int, int]],
    ) -> None:
        self.store = store
        self.parties = parties  # (guild id, party id)
        self.games = games  # (guild id, game id)
        self.busy = busy  # (guild id, party id) of the one big server
        self.rng = random.Random(5)
        self._members = itertools.count(10**15)
        self._floor_rows = itertools.count()

    @classmethod
    async def seed(cls, store: Store, guilds: int) -> Workloads:
        """Create `guilds` servers, each with a party and a game whose question is open."""
        now = datetime.now(UTC)
        parties, games = [], []
        for i in range(guilds):
            guild_id = 10**17 + i
            await store.guilds.mark_joined(guild_id, f"Fans {i}", now)
            scope = store.guild(guild_id)
            party = await scope.repo(PartyRepo).create_party(
                PartyDraft(
                    title=f"Listening party {i}",
                    starts_at=now + timedelta(days=2),
                    duration=timedelta(hours=1),
                    channel_id=guild_id + 1,
                    organiser_id=guild_id + 2,
                    zone="Asia/Seoul",
                    capacity=1_000_000,  # a capacity makes every Going click count the others
                ),
                now=now,
            )
            trivia = scope.repo(TriviaRepo)
            game_id = await trivia.start_game(
                channel_id=guild_id + 1,
                starter_id=guild_id + 2,
                pick=Pick(("q1",), False, ("q1",)),
                pool=["q1"],
                seed=i,
                seconds=60,
                now=now,
            )
            await trivia.open_question(game_id, 0, 2, int(now.timestamp() * 1000))
            parties.append((guild_id, party.id))
            games.append((guild_id, game_id))
        busy = await _seed_busy_server(store, now)
        await store.db.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, guild_id INTEGER, "
            "user_id INTEGER, value TEXT, at INTEGER)"
        )
        return cls(store, parties, games, busy)

    async def rsvp_click(self) -> None:
        """Do the database work of one RSVP button press (what cogs/parties/base.py does)."""
        await self._rsvp(*self.rng.choice(self.parties))

    async def rsvp_click_busy(self) -> None:
        """Press an RSVP button on one of the big server's parties."""
        await self._rsvp(*self.rng.choice(self.busy))

    async def _rsvp(self, guild_id: int, party_id: int) -> None:
        user = self.rng.randrange(1, 5000)
        status: RsvpStatus = self.rng.choice(get_args(RsvpStatus))
        repo = self.store.guild(guild_id).repo(PartyRepo)
        await repo.record_rsvp(party_id, user, status, now=datetime.now(UTC))
        if status == "going":
            await repo.get_reminder_leads()

    async def trivia_answer(self) -> None:
        """Do the database work of one answer press (what cogs/trivia/commands.py does)."""
        guild_id, game_id = self.rng.choice(self.games)
        repo = self.store.guild(guild_id).repo(TriviaRepo)
        rec = await repo.get_game(game_id)
        assert rec is not None
        choice = self.rng.randrange(4)
        member = next(self._members)
        correct = choice == rec.current_correct
        answer = Answer(member, choice, correct, score_answer(correct, 2.0, rec.seconds), 2.0)
        outcome = await repo.record_answer(game_id, 0, member, choice, answer, datetime.now(UTC))
        assert outcome == "ok", outcome

    async def bare_insert(self) -> None:
        """Insert one row through the Database wrapper: the floor any write pays."""
        await self.store.db.execute(
            "INSERT INTO bench_floor (guild_id, user_id, value, at) "
            "VALUES (:guild_id, :user_id, :value, :at)",
            {
                "guild_id": 10**17,
                "user_id": next(self._floor_rows),
                "value": "going",
                "at": int(time.time()),
            },
        )


async def run(seconds: float, workers: int, rate: float) -> list[LoadResult]:
    """Seed a fresh database file, then run every workload under both load shapes."""
    with tempfile.TemporaryDirectory(prefix="lightstick-dbbench-") as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        try:
            await store.migrate()
            loads = await Workloads.seed(store, GUILDS)
            cases: list[tuple[str, Click]] = [
                ("bare INSERT (floor)", loads.bare_insert),
                ("RSVP click", loads.rsvp_click),
                ("RSVP click, big server", loads.rsvp_click_busy),
                ("trivia answer", loads.trivia_answer),
            ]
            results: list[LoadResult] = []
            for name, click in cases:
                results += await _both_loads(name, click, rate, workers, seconds)
            return results
        finally:
            await store.close()


async def _both_loads(
    name: str, click: Click, rate: float, workers: int, seconds: float
) -> list[LoadResult]:
    samples, elapsed = await open_loop(click, rate, seconds)
    out = [_summary(name, f"open {rate:.0f}/s", samples, elapsed)]
    samples, elapsed = await closed_loop(click, workers, seconds)
    return [*out, _summary(name, f"closed x{workers}", samples, elapsed)]


def format_table(results: list[LoadResult]) -> str:
    """Render the results as an aligned text table."""
    lines = [
        f"{'workload':<24} {'load':<12} {'clicks':>7} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.workload:<24} {r.load:<12} {r.clicks:>7} {r.per_second:>8.0f} "
            f"{r.p50_ms:>8.2f} {r.p99_ms:>8.2f}"
        )
    return "\n".join(lines)


def verdict(results: list[LoadResult], rate: float) -> dict[str, bool]:
    """Say, per workload, whether the open-loop run kept up with the rate at p99 < 20 ms."""
    out: dict[str, bool] = {}
    for r in results:
        if r.load.startswith("open") and r.workload in (
            "RSVP click",
            "RSVP click, big server",
            "trivia answer",
        ):
            # Kept up: the run took at most 10% longer than the arrivals did.
            kept_up = r.seconds <= 1.1 * r.clicks / rate
            out[f"{r.workload} at {rate:.0f}/s"] = kept_up and r.p99_ms < TARGET_P99_MS
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table and the verdict, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="RSVP and trivia write throughput")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each run")
    parser.add_argument("--workers", type=int, default=32, help="closed-loop concurrency")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="open-loop clicks/s")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = asyncio.run(run(args.seconds, args.workers, args.rate))
    print(format_table(results))
    met = verdict(results, args.rate)
    for workload, ok in met.items():
        print(
            f"{workload}: {args.rate:.0f} clicks/s with p99 < {TARGET_P99_MS:.0f} ms: "
            f"{'met' if ok else 'MISSED'}"
        )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rows": [asdict(r) for r in results], "targets": met}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
