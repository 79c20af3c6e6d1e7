"""Lightstick's interactions through the loopback, beside the bare-echo floor of the same run.

Run: `python -m bench.feature_latency [-n 300] [--json PATH]`. Latency is injection -> callback
received (the loopback's own clock, as in bench/interaction_latency.py). Cases:

- `/artist name:BTS` (catalog card), the `/artist` autocomplete, a trivia answer click,
  `/party schedule` (preview), and `/spaces live` with a live Space tracked;
- floors on a plain discord.py bot in the same run: `/echo`, the `/fans pick` autocomplete and
  a button click, so each Lightstick case is compared with the same kind of interaction.

Lightstick runs in-loop (bot.testing.lightstick.running_bot: the real bot, its X client on
the fake X API) on a fresh database; every click comes from a different member, as in a game.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

from bench._loopback_bench import CaseResult, loopback_with_bot, measure
from bot.store.spaces import Follow, SpacesRepo, SpaceTrackingRepo
from bot.testing.echo_bot import build_echo_bot
from bot.testing.fake_x import FakeX
from bot.testing.lightstick import running_bot
from bot.testing.loopback.server import LoopbackDiscord
from bot.testing.loopback.world import GuildFixture
from cogs.spaces import Spaces
from cogs.trivia import Trivia

Sample = Callable[[], Awaitable[float]]


@dataclass
class Row:
    """One measured case and the floor it is compared with."""

    result: CaseResult
    floor: str


async def sample_n(sample: Sample, n: int, warmup: int) -> list[float]:
    """Run `sample` warmup + n times; return the last n latencies (seconds)."""
    for _ in range(warmup):
        await sample()
    return [await sample() for _ in range(n)]


async def timed_autocomplete(
    server: LoopbackDiscord, guild: GuildFixture, command: str, options: dict[str, Any], focus: str
) -> float:
    """Return seconds for one autocomplete round trip (it must offer at least one choice)."""
    start = time.perf_counter()
    choices = await server.autocomplete(guild, command, options, focused=focus)
    elapsed = time.perf_counter() - start
    if not choices:
        raise AssertionError(f"{command} autocomplete offered nothing")
    return elapsed


async def floors(n: int, warmup: int) -> dict[str, CaseResult]:
    """Measure the plain bot's slash command, autocomplete and button click."""
    async with loopback_with_bot(build_echo_bot()) as (server, guild):
        echo = await measure(server, guild, "echo", {"text": "ping"}, n, warmup=warmup)

        async def complete() -> float:
            return await timed_autocomplete(server, guild, "fans pick", {"name": "j"}, "name")

        async def press() -> float:
            post = await server.slash(guild, "buttons")
            await post.response()
            click = await server.click(post, "echo:press", user=guild.member)
            await click.response()
            assert click.latency is not None
            return click.latency

        return {
            "slash": CaseResult("floor: /echo (plain bot)", echo),
            "autocomplete": CaseResult(
                "floor: autocomplete (plain bot)", await sample_n(complete, n, warmup)
            ),
            "click": CaseResult("floor: button (plain bot)", await sample_n(press, n, warmup)),
        }


async def lightstick_cases(n: int, warmup: int) -> list[Row]:
    """Measure Lightstick's interactions on one running bot with one server."""
    async with LoopbackDiscord() as server, FakeX() as fake:
        server.rate_limits.enabled = False
        guild = server.add_guild("Bench Guild")
        with tempfile.TemporaryDirectory(prefix="lightstick-latency-") as tmp:
            async with running_bot(server, Path(tmp) / "bench.db", fake) as (bot, spaces):
                await _track_live_space(bot.store, guild, fake, spaces)
                rows = [
                    Row(
                        CaseResult(
                            "/artist name:BTS",
                            await measure(
                                server, guild, "artist", {"name": "BTS"}, n, warmup=warmup
                            ),
                        ),
                        "slash",
                    )
                ]

                async def complete() -> float:
                    return await timed_autocomplete(
                        server, guild, "artist", {"name": "blakpink"}, "name"
                    )

                rows.append(
                    Row(
                        CaseResult("/artist autocomplete", await sample_n(complete, n, warmup)),
                        "autocomplete",
                    )
                )
                rows.append(Row(await _trivia_clicks(server, guild, bot, n, warmup), "click"))
                party = {"title": "MV party", "when": "tomorrow 20:00"}
                rows.append(
                    Row(
                        CaseResult(
                            "/party schedule (preview)",
                            await measure(server, guild, "party schedule", party, n, warmup=warmup),
                        ),
                        "slash",
                    )
                )
                rows.append(
                    Row(
                        CaseResult(
                            "/spaces live (1 live Space)",
                            await measure(server, guild, "spaces live", {}, n, warmup=warmup),
                        ),
                        "slash",
                    )
                )
                return rows


async def _track_live_space(store: Any, guild: GuildFixture, fake: FakeX, cog: Spaces) -> None:
    """Follow one account and let the real poller see its Space go live (and announce it)."""
    uid = fake.add_user("BTS_twt")
    repo = store.guild(guild.id).repo(SpacesRepo)
    await store.ensure_guild(guild.id)
    await repo.set_config(guild.announcements.id, None)
    await repo.upsert_follows([Follow("bts_twt", "BTS_twt", "bts", "BTS", uid)])
    fake.set_space("BTS_twt", "1BenchLive", "live", title="Bench live")
    assert cog.poller is not None
    await cog.poller.poll_once()
    while await SpaceTrackingRepo(store.db).open_events():
        await cog.announcer.drain()


async def _trivia_clicks(
    server: LoopbackDiscord, guild: GuildFixture, bot: Any, n: int, warmup: int
) -> CaseResult:
    """Start a game whose first question stays open, then answer it as n + warmup members."""
    cast(Trivia, bot.get_cog("Trivia")).seconds_override = 3600.0
    start = await server.slash(guild, "trivia start", {"questions": 1})
    await start.response()
    question: dict[str, Any] | None = None
    async with asyncio.timeout(10):
        while question is None:
            question = next((m for m in server.messages_in(guild.general) if _answer_ids(m)), None)
            await asyncio.sleep(0.01)
    custom_id = _answer_ids(question)[0]
    members = [guild.add_member(f"player{i}") for i in range(n + warmup)]
    samples: list[float] = []
    for member in members:
        click = await server.click(question["id"], custom_id, user=member)
        await click.response(timeout=10.0)
        if "You picked" not in click.content:
            raise AssertionError(f"trivia click answered {click.content!r}")
        assert click.latency is not None
        samples.append(click.latency)
    return CaseResult("trivia answer click", samples[warmup:])


def _answer_ids(message: dict[str, Any]) -> list[str]:
    return [
        c["custom_id"]
        for row in message.get("components") or []
        for c in row.get("components") or []
        if str(c.get("custom_id", "")).startswith("trivia:")
    ]


async def run(n: int, warmup: int = 10) -> tuple[dict[str, CaseResult], list[Row]]:
    """Measure the floors, then Lightstick's cases; return both."""
    return await floors(n, warmup), await lightstick_cases(n, warmup)


def to_rows(floor: dict[str, CaseResult], rows: list[Row]) -> list[dict[str, Any]]:
    """Return JSON-ready rows: floors first, then each case with its ratio to its floor."""
    out: list[dict[str, Any]] = []
    for result in floor.values():
        out.append(_row(result, None))
    for row in rows:
        out.append(_row(row.result, floor[row.floor]))
    return out


def _row(result: CaseResult, floor: CaseResult | None) -> dict[str, Any]:
    return {
        "case": result.name,
        "n": len(result.samples),
        "median_ms": round(result.median * 1000, 3),
        "p99_ms": round(result.p99 * 1000, 3),
        "floor": None if floor is None else floor.name,
        "ratio_to_floor": None if floor is None else round(result.median / floor.median, 2),
    }


def format_table(rows: list[dict[str, Any]]) -> str:
    """Render median, p99 and the ratio to the matching floor."""
    lines = [f"{'case':<34} {'n':>5} {'median ms':>10} {'p99 ms':>9} {'x floor':>8}"]
    for r in rows:
        ratio = "" if r["ratio_to_floor"] is None else f"{r['ratio_to_floor']:.2f}"
        lines.append(
            f"{r['case']:<34} {r['n']:>5} {r['median_ms']:>10.2f} {r['p99_ms']:>9.2f} {ratio:>8}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the bench, print the table and write JSON if asked."""
    parser = argparse.ArgumentParser(description="Lightstick interaction latency vs the floor")
    parser.add_argument("-n", type=int, default=300, help="interactions per case")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    floor, rows = asyncio.run(run(args.n, args.warmup))
    table = to_rows(floor, rows)
    print(format_table(table))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": table}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
