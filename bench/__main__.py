"""`make bench`: run every benchmark, print one table, write bench/results/latest.json.

Usage: `python -m bench [--quick | --smoke] [--only NAME ...] [--out PATH]`.

- default: the full figures (about 25 minutes, most of it the three 10,000-server Spaces
  fan-outs that Discord's rate limits pace at 50 posts/s);
- `--quick`: about 5 minutes; smaller samples, start-up at 1,000 servers, and Spaces at 10
  and 1,000 servers with 10,000 extrapolated (and labelled so);
- `--smoke`: a minute or two; the tiniest run of every bench, for tests/bench/test_bench_smoke.py.

The scale-out benches (scale_fanout, rsvp_backends, scale_startup) need PostgreSQL at
TEST_POSTGRES_URL (default the local server).

Each bench runs as its own process (`python -m bench.<name> --json FILE`), so one bench's
memory, garbage or event loop cannot colour another's figures. Benches print their own baseline
beside their figures; timings are never asserted anywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import json
import os
import platform
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from bench.summary import summarize

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "latest.json"

# name -> arguments per mode (full, quick, smoke)
BENCHES: dict[str, dict[str, list[str]]] = {
    "feature_latency": {"full": ["-n", "300"], "quick": ["-n", "60"], "smoke": ["-n", "3",
                        "--warmup", "1"]},
    "artist_search": {"full": [], "quick": ["--rounds", "2", "--queries", "200"],
                      "smoke": ["--rounds", "1", "--queries", "10"]},
    "db_throughput": {"full": ["--seconds", "5"], "quick": ["--seconds", "2"],
                      "smoke": ["--seconds", "0.2", "--rate", "100", "--workers", "4"]},
    "startup_memory": {"full": ["--servers", "10000"], "quick": ["--servers", "1000"],
                       "smoke": ["--servers", "3"]},
    "timeparse": {"full": ["--rounds", "5"], "quick": ["--rounds", "2"],
                  "smoke": ["--rounds", "1", "--limit", "10"]},
    "spaces_scale": {"full": ["--servers", "10", "10000"],
                     "quick": ["--servers", "10", "1000", "--extrapolate", "10000"],
                     "smoke": ["--servers", "2", "3", "--extrapolate", "10"]},
    "scale_fanout": {"full": ["--servers", "10000"], "quick": ["--servers", "1000"],
                     "smoke": ["--servers", "6"]},
    "rsvp_backends": {"full": ["--seconds", "5"], "quick": ["--seconds", "2"],
                      "smoke": ["--seconds", "0.2", "--rate", "100", "--workers", "4"]},
    "scale_startup": {"full": ["--servers", "10000"], "quick": ["--servers", "1000"],
                      "smoke": ["--servers", "6"]},
}  # fmt: skip


def run_bench(name: str, args: list[str], workdir: Path) -> dict[str, Any]:
    """Run one bench module as a child process; return its JSON plus exit code and seconds."""
    out = workdir / f"{name}.json"
    print(f"\n== {name} {' '.join(args)}", flush=True)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args, "--json", str(out)],
        cwd=REPO_ROOT,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seconds = time.perf_counter() - started
    result: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return {**result, "exit_code": proc.returncode, "seconds": round(seconds, 1)}


def environment() -> dict[str, Any]:
    """Describe where the figures were taken, so two runs can be compared honestly."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benches for the chosen mode, print the summary, write the JSON results."""
    parser = argparse.ArgumentParser(prog="python -m bench", description="Lightstick benchmarks")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a fast run (a couple of minutes)")
    mode.add_argument("--smoke", action="store_true", help="the tiniest run (seconds; for tests)")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run just these")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON")
    args = parser.parse_args(argv)
    chosen = "smoke" if args.smoke else "quick" if args.quick else "full"
    names = args.only or list(BENCHES)
    started = time.perf_counter()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="lightstick-bench-") as tmp:
        for name in names:
            results[name] = run_bench(name, BENCHES[name][chosen], Path(tmp))
    table = summarize(results)
    print("\n" + table)
    payload = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": chosen,
        "seconds": round(time.perf_counter() - started, 1),
        "environment": environment(),
        "benches": results,
        "table": table,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten to {args.out} ({payload['seconds']} s, mode {chosen})")
    # A bench that wrote no rows crashed; one that missed a target still exits with its rows.
    failed = [n for n, r in results.items() if "rows" not in r]
    if failed:
        print(f"benches that crashed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
