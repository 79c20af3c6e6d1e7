"""The Spaces poll and fan-out figures at several server counts (bench/spaces_fanout.py's run).

Run: `python -m bench.spaces_scale [--servers 10 10000] [--extrapolate N] [--json PATH]`.
Discord's rate limits are emulated (global 50 requests/s), so 10,000 servers take about
200 s by Discord's rules alone. `--extrapolate N` adds a row for N servers scaled linearly from
the largest measured run and labelled as such: posts are paced by the global limit, so the
time grows with the number of posts.
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
from typing import Any

from bench.spaces_fanout import run as run_fanout
from bench.spaces_fanout import theoretical_minimum


def extrapolate(measured: dict[str, Any], servers: int) -> dict[str, Any]:
    """Scale a measured run linearly to `servers`, keeping its efficiency; mark it estimated."""
    factor = servers / measured["servers"]
    minimum = theoretical_minimum(servers, int(measured["global_rps"]))
    efficiency = measured["minimum_seconds"] / measured["seconds"] if measured["seconds"] else 1
    return {
        "servers": servers,
        "seconds": minimum / efficiency if efficiency else measured["seconds"] * factor,
        "delivered": None,
        "duplicates": None,
        "discord_requests": round(measured["discord_requests"] * factor),
        "rate_limited_429": None,
        "x_requests": measured["x_requests"],
        "minimum_seconds": minimum,
        "global_rps": measured["global_rps"],
        "extrapolated_from": measured["servers"],
    }


async def run(counts: list[int]) -> list[dict[str, Any]]:
    """Run the fan-out bench once per server count, smallest first."""
    rows: list[dict[str, Any]] = []
    for servers in sorted(counts):
        print(f"  spaces: {servers} servers ...", file=sys.stderr, flush=True)
        rows.append({**await run_fanout(servers), "extrapolated_from": None})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """Render one line per server count."""
    lines = [
        f"{'servers':>8} {'seconds':>8} {'minimum s':>9} {'efficiency':>10} {'delivered':>9} "
        f"{'dupes':>5} {'429s':>5} {'X reqs':>6}  note"
    ]
    for r in rows:
        eff = f"{r['minimum_seconds'] / r['seconds']:.0%}" if r["minimum_seconds"] else "-"
        note = (
            f"EXTRAPOLATED from {r['extrapolated_from']} servers" if r["extrapolated_from"] else ""
        )
        lines.append(
            f"{r['servers']:>8} {r['seconds']:>8.2f} {r['minimum_seconds']:>9.2f} {eff:>10} "
            f"{_n(r['delivered']):>9} {_n(r['duplicates']):>5} {_n(r['rate_limited_429']):>5} "
            f"{_n(r['x_requests']):>6}  {note}"
        )
    return "\n".join(lines)


def _n(value: Any) -> str:
    return "-" if value is None else str(int(value))


def main(argv: list[str] | None = None) -> int:
    """Run the counts, print the table, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="Spaces fan-out at several server counts")
    parser.add_argument("--servers", type=int, nargs="+", default=[10, 10_000])
    parser.add_argument("--extrapolate", type=int, default=None, help="estimate this many")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    rows = asyncio.run(run(args.servers))
    if args.extrapolate is not None and args.extrapolate > rows[-1]["servers"]:
        rows.append(extrapolate(rows[-1], args.extrapolate))
    print(format_table(rows))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
