"""Interaction latency through the loopback: inject -> callback received, median and p99.

Run from the repo root: `python -m bench.interaction_latency [-n 300] [--json PATH]`.
The echo command on a plain discord.py bot is the framework floor; add Lightstick's commands to
`extra_cases` (a list of (BenchCase, client factory)) to compare them against it in one run.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import json
from collections.abc import Callable

import discord

from bench._loopback_bench import BenchCase, CaseResult, format_table, loopback_with_bot, measure
from bot.testing.echo_bot import build_echo_bot

ECHO = BenchCase("echo floor (plain bot)", "echo", {"text": "ping"})
ClientFactory = Callable[[], discord.Client]


async def run_cases(
    n: int, extra_cases: list[tuple[BenchCase, ClientFactory]] | None = None
) -> list[CaseResult]:
    """Measure the echo floor, then each extra case on its own bot; return all results."""
    results: list[CaseResult] = []
    for case, factory in [(ECHO, build_echo_bot), *(extra_cases or [])]:
        async with loopback_with_bot(factory()) as (server, guild):
            samples = await measure(server, guild, case.command_path, case.options, n)
        results.append(CaseResult(case.name, samples))
    return results


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the bench, print the table and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=300, help="interactions per case (default 300)")
    parser.add_argument("--json", type=Path, help="write results to this JSON file")
    args = parser.parse_args(argv)
    results = asyncio.run(run_cases(args.n))
    floor = results[0]
    print(format_table(results, floor))
    if args.json:
        payload = {
            r.name: {
                "n": len(r.samples),
                "median_ms": r.median * 1000,
                "p99_ms": r.p99 * 1000,
                "ratio_to_floor": r.median / floor.median,
            }
            for r in results
        }
        args.json.write_text(json.dumps(payload, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
