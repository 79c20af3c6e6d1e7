"""Shared helpers for the fault drills: waiting, database invariants, kill plans, a bot launcher.

The SIGKILL drills run the real composition root (`bot.__main__.main`) in a child process through
`drill_bot.py`, which only lowers discord.py's guild_ready_timeout (2 s by default: the whole of a
restart's idle time) and applies the trivia cog's test-only timing knobs from the environment.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.testing.loopback.harness import BotProcess, run_bot_process
from bot.testing.loopback.server import LoopbackDiscord

DRILL_BOT = str(Path(__file__).with_name("drill_bot.py"))


async def wait_for(predicate: Callable[[], bool], timeout: float, what: str = "condition") -> None:
    """Poll `predicate` every 20 ms until it holds; fail with `what` after `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            while not predicate():
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"{what} not reached within {timeout}s") from None


def integrity(db: Path) -> str:
    """Return `PRAGMA integrity_check` of the file, read through a separate connection."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        return ";".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def query(db: Path, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one read-only query on the file through a separate connection."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return list(conn.execute(sql, tuple(params)))
    finally:
        conn.close()


def bot_env(db: Path, **extra: str) -> dict[str, str]:
    """Return the child process environment: this database, no X, no MusicBrainz."""
    env = {
        "DATABASE_PATH": str(db),
        "X_BEARER_TOKEN": "",
        "MUSICBRAINZ_API_BASE": "",
        "LOG_LEVEL": "INFO",
        "DRILL_GUILD_READY_TIMEOUT": "0.05",
    }
    env.update(extra)
    return env


def run_drill_bot(
    loopback: LoopbackDiscord, env: dict[str, str], *, ready_timeout: float = 20.0
) -> Any:
    """Start `drill_bot.py` (the real `python -m bot` entry point) and wait for READY."""
    return run_bot_process(loopback, env, module=DRILL_BOT, ready_timeout=ready_timeout)


async def wait_bot_ready(bot: BotProcess, timeout: float = 20.0) -> None:
    """Wait until the child logged on_ready (background work starts there)."""
    await bot.wait_for_output(r"ready as \S+ in \d+ servers", timeout)


@dataclass
class KillPlan:
    """Seeded kill points: after how many new observed requests, plus a jitter, to SIGKILL."""

    seed: int
    low: int = 1
    high: int = 4
    max_jitter: float = 0.04
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def next_point(self) -> tuple[int, float]:
        """Return (requests to wait for, extra seconds before the kill)."""
        return self.rng.randint(self.low, self.high), self.rng.uniform(0.0, self.max_jitter)


async def kill_after(
    bot: BotProcess,
    observed: Callable[[], int],
    plan: KillPlan,
    *,
    timeout: float = 30.0,
) -> tuple[int, int]:
    """SIGKILL `bot` once `observed()` grew by the plan's next count; return (before, at kill)."""
    before = observed()
    count, jitter = plan.next_point()
    try:
        await wait_for(lambda: observed() >= before + count, timeout, f"{count} requests")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- bot stderr ---\n{bot.stderr[-4000:]}") from None
    await asyncio.sleep(jitter)
    bot.kill()
    await bot.wait()
    return before, observed()


def duplicates(values: Iterable[Any]) -> dict[Any, int]:
    """Return the values seen more than once, with their counts."""
    return {k: n for k, n in Counter(values).items() if n > 1}


def message_nonces(loopback: LoopbackDiscord, channel_id: int) -> list[str]:
    """Return the nonces of the channel's messages (None-free)."""
    return [str(m["nonce"]) for m in loopback.messages_in(channel_id) if m.get("nonce")]
