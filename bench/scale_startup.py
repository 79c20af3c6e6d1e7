"""Bench: start-up at N servers (default 10,000), one bot process vs three shard processes.

Run: `python -m bench.scale_startup [--servers N] [--json PATH]`. The servers are seeded
through the real repositories (bench/_seed.py: Spaces follows, a party with RSVPs, a finished
trivia game, an alias, a timezone each) into one throw-away PostgreSQL database
(TEST_POSTGRES_URL, default the local server), and spread over shards (at most 2,500 a shard,
a multiple of three). Then, against one loopback Discord:

- baseline: one `python -m bot` owning every shard;
- three `python -m bot` processes started at once, each owning a third of the shards.

Per process, seconds from the group's start to READY (the loopback sent READY to every shard
of the process) and to reconciled (the process logged "ready as ... in N servers", after
discord.py's guild stream and the join/leave reconciliation against the database).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import json
from typing import Any

from bench._scale import all_shards, postgres_admin_url, process_group, scratch_database
from bench._scale import shard_layout as layout
from bench._seed import seed_servers
from bot.testing.loopback.server import LoopbackDiscord


async def run(servers: int) -> tuple[list[dict[str, Any]], float]:
    """Seed once, start one process then three; return a row per process and the seed time."""
    rows: list[dict[str, Any]] = []
    count, thirds = layout(servers, 3)
    async with LoopbackDiscord() as loopback, scratch_database(postgres_admin_url()) as db:
        guilds = [loopback.add_guild(f"Fans {i}", shard=(i % count, count)) for i in range(servers)]
        print(f"  scale start-up: seeding {servers} servers ...", file=sys.stderr, flush=True)
        seeded = await seed_servers(db, [(g.id, g.announcements.id, g.stans.id) for g in guilds])
        env = {
            "DATABASE_URL": db,
            "X_BEARER_TOKEN": "",
            "MUSICBRAINZ_API_BASE": "",
            "LOG_LEVEL": "INFO",
        }
        for name, shard_ids in (("1 process", [all_shards(count)]), ("3 processes", thirds)):
            print(f"  scale start-up: {name} ...", file=sys.stderr, flush=True)
            async with process_group(loopback, env, count, shard_ids) as group:
                rows += [
                    {
                        "scenario": name,
                        "shard_ids": p.shard_ids,
                        "shard_count": count,
                        "servers": p.servers,
                        "ready_s": round(p.ready_s, 2),
                        "reconciled_s": round(p.reconciled_s, 2),
                    }
                    for p in group
                ]
    return rows, seeded


def format_table(rows: list[dict[str, Any]]) -> str:
    """Render one line per process, and the slowest process of each scenario."""
    lines = [
        f"{'scenario':<12} {'SHARD_IDS':<12} {'servers':>7} {'READY s':>8} {'reconciled s':>12}"
    ]
    for r in rows:
        lines.append(
            f"{r['scenario']:<12} {r['shard_ids']:<12} {r['servers']:>7} {r['ready_s']:>8.2f} "
            f"{r['reconciled_s']:>12.2f}"
        )
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        last = max(r["reconciled_s"] for r in rows if r["scenario"] == scenario)
        lines.append(f"{scenario}: every server served after {last:.2f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run both scenarios, print the table, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="start-up: one process vs three shard processes")
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    rows, seeded = asyncio.run(run(args.servers))
    print(format_table(rows))
    print(f"seeded {args.servers} servers on PostgreSQL through the repositories in {seeded:.1f} s")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rows": rows, "seed_seconds": round(seeded, 1)}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
