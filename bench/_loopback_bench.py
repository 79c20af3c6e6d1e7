"""Helpers for benches that drive a bot through the loopback Discord."""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.testing.loopback.harness import run_client_in_loop
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture


@dataclass
class BenchCase:
    """One command to time: its path, options, and the bot that serves it."""

    name: str
    command_path: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseResult:
    """Latencies (seconds) of one case, with summary statistics."""

    name: str
    samples: list[float]

    @property
    def median(self) -> float:
        """Return the median latency in seconds."""
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        """Return the 99th percentile latency in seconds (nearest rank)."""
        ordered = sorted(self.samples)
        rank = max(0, min(len(ordered) - 1, round(0.99 * len(ordered)) - 1))
        return ordered[rank]


@asynccontextmanager
async def loopback_with_bot(
    client: discord.Client,
) -> AsyncIterator[tuple[LoopbackDiscord, GuildFixture]]:
    """Start a loopback with one guild and run `client` on it (rate limits relaxed)."""
    server = await LoopbackDiscord().start()
    server.rate_limits.enabled = False
    try:
        guild = server.add_guild("Bench Guild")
        async with run_client_in_loop(server, client):
            yield server, guild
    finally:
        await server.close()


async def measure(
    server: LoopbackDiscord,
    guild: GuildFixture,
    command_path: str,
    options: dict[str, Any],
    n: int,
    *,
    warmup: int = 10,
) -> list[float]:
    """Return n latencies (s) from injecting the interaction to receiving its callback."""
    for _ in range(warmup):
        await (await server.slash(guild, command_path, options)).response()
    samples: list[float] = []
    for _ in range(n):
        ix = await server.slash(guild, command_path, options)
        await ix.response(timeout=10.0)
        assert ix.latency is not None
        samples.append(ix.latency)
    if server.violations:
        raise AssertionError(
            f"violations during bench: {[v.describe() for v in server.violations]}"
        )
    return samples


def format_table(results: list[CaseResult], floor: CaseResult) -> str:
    """Render median, p99 and ratio-to-floor as an aligned text table."""
    lines = [f"{'case':<28} {'n':>5} {'median ms':>10} {'p99 ms':>9} {'x floor':>8}"]
    for res in results:
        ratio = res.median / floor.median if floor.median else float("nan")
        lines.append(
            f"{res.name:<28} {len(res.samples):>5} {res.median * 1000:>10.2f} "
            f"{res.p99 * 1000:>9.2f} {ratio:>8.2f}"
        )
    return "\n".join(lines)
