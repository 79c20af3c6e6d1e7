"""Startup time and resident memory of the real `python -m bot` process, at 10,000 servers.

Run: `python -m bench.startup_memory [--servers N] [--json PATH]`. Each scenario starts a fresh
loopback Discord holding the servers, then the bot as a child process configured only by
environment variables, and times from process start to:

- READY: the loopback sent READY (the gateway login finished),
- first answer: the first interaction (`/about`; `/echo` for the bare client) was answered,
  injected as soon as the commands were synced, so it waits behind the server stream,
- on_ready: the bot logged that it is ready (after discord.py's guild_ready_timeout and, for
  Lightstick, the join/leave reconciliation).

RSS comes from /proc/<pid>/status (VmRSS once settled, VmHWM the peak). Baselines in the same run:
the bare discord.py echo client with the same servers, and Lightstick with an empty database and
one server. The seeded database is built through the real repositories (bench/_seed.py).
Targets at 10,000 servers: first answer under 2 s, VmHWM under 150 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/<name>.py`: put the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import asyncio
import json
import re
import tempfile
import time
from dataclasses import asdict, dataclass

from bench._seed import seed_servers
from bot.testing.loopback.harness import BotProcess, run_bot_process
from bot.testing.loopback.server import LoopbackDiscord

TARGET_READY_S = 2.0
TARGET_RSS_MB = 150.0
ECHO_SCRIPT = "bot.testing.echo_bot"
_READY_LOG = {"bot": r"ready as \S+ in \d+ servers", ECHO_SCRIPT: r"echo bot ready as"}
_PROBE = {"bot": ("about", {}), ECHO_SCRIPT: ("echo", {"text": "ping"})}


@dataclass
class Scenario:
    """One process start: which program, how many servers, and whether the database is seeded."""

    name: str
    module: str
    servers: int
    seeded: bool


@dataclass
class StartupResult:
    """Seconds from process start to each milestone, and memory in MB."""

    name: str
    servers: int
    seed_seconds: float
    ready_s: float
    first_answer_s: float
    on_ready_s: float
    rss_mb: float
    hwm_mb: float


def read_memory_mb(pid: int) -> tuple[float, float]:
    """Return (VmRSS, VmHWM) of a process in MB, from /proc/<pid>/status."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024  # kB -> MB
    return fields["VmRSS"], fields["VmHWM"]


async def run_scenario(scenario: Scenario, workdir: Path) -> StartupResult:
    """Start the scenario's process against a fresh loopback and time its milestones."""
    server = await LoopbackDiscord().start()
    try:
        guilds = [server.add_guild(f"Fans {i}") for i in range(scenario.servers)]
        db_path = workdir / f"{scenario.name.replace(' ', '_')}.db"
        seed_seconds = 0.0
        if scenario.seeded:
            seed_seconds = await seed_servers(
                db_path, [(g.id, g.announcements.id, g.stans.id) for g in guilds]
            )
        env = {
            "DATABASE_PATH": str(db_path),
            "LOG_LEVEL": "INFO",
            "X_BEARER_TOKEN": "",
            "MUSICBRAINZ_API_BASE": "",
        }
        started = time.perf_counter()
        async with run_bot_process(server, env, module=scenario.module, wait_ready=False) as proc:
            ready, answered, on_ready = await _milestones(server, proc, scenario, started)
            await asyncio.sleep(0.5)  # let start-up garbage settle before reading RSS
            rss, hwm = read_memory_mb(proc.pid)
        return StartupResult(
            scenario.name, scenario.servers, seed_seconds, ready, answered, on_ready, rss, hwm
        )
    finally:
        await server.close()


async def _milestones(
    server: LoopbackDiscord, proc: BotProcess, scenario: Scenario, started: float
) -> tuple[float, float, float]:
    command, options = _PROBE[scenario.module]
    ready_log = re.compile(_READY_LOG[scenario.module])
    ready_at = answered_at = on_ready_at = 0.0
    probe = None
    while not (ready_at and answered_at and on_ready_at):
        now = time.perf_counter() - started
        if proc.returncode is not None:
            raise RuntimeError(f"{scenario.name} exited early:\n{proc.stderr[-3000:]}")
        if now > 90:
            raise RuntimeError(
                f"{scenario.name}: READY {ready_at:.1f} s, answer {answered_at:.1f} s, "
                f"on_ready {on_ready_at:.1f} s after 90 s\n{proc.stderr[-3000:]}"
            )
        if not ready_at and server.gateway.ready_count:
            ready_at = now
        if not on_ready_at and ready_log.search(proc.stderr):
            on_ready_at = now
        if probe is None and ready_at and _synced(server, command):
            probe = await server.slash(next(iter(server.guilds.values())), command, options)
        if probe is not None and not answered_at and probe.callback_perf is not None:
            answered_at = probe.callback_perf - started
        await asyncio.sleep(0.002)
    return ready_at, answered_at, on_ready_at


def _synced(server: LoopbackDiscord, command: str) -> bool:
    return any(c.get("name") == command for c in server.global_commands)


def scenarios(servers: int) -> list[Scenario]:
    """Return the target scenario and its same-run baselines."""
    return [
        Scenario("bare discord.py, 1 server", ECHO_SCRIPT, 1, seeded=False),
        Scenario(f"bare discord.py, {servers} servers", ECHO_SCRIPT, servers, seeded=False),
        Scenario("Lightstick, empty db, 1 server", "bot", 1, seeded=False),
        Scenario(f"Lightstick, seeded db, {servers} servers", "bot", servers, seeded=True),
    ]


async def run(servers: int) -> list[StartupResult]:
    """Run every scenario one after the other and return the results."""
    with tempfile.TemporaryDirectory(prefix="lightstick-startup-") as tmp:
        results = []
        for scenario in scenarios(servers):
            print(f"  startup: {scenario.name} ...", file=sys.stderr, flush=True)
            results.append(await run_scenario(scenario, Path(tmp)))
        return results


def format_table(results: list[StartupResult]) -> str:
    """Render the milestones and memory as an aligned table."""
    lines = [
        f"{'scenario':<40} {'READY s':>8} {'1st answer s':>12} {'on_ready s':>10} "
        f"{'RSS MB':>7} {'peak MB':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.name:<40} {r.ready_s:>8.2f} {r.first_answer_s:>12.2f} {r.on_ready_s:>10.2f} "
            f"{r.rss_mb:>7.1f} {r.hwm_mb:>8.1f}"
        )
    return "\n".join(lines)


def verdict(results: list[StartupResult]) -> dict[str, bool]:
    """Say whether the seeded Lightstick met the start-up and memory targets."""
    target = results[-1]
    return {
        f"first answer < 2 s at {target.servers} servers": target.first_answer_s < TARGET_READY_S,
        f"peak RSS < 150 MB at {target.servers} servers": target.hwm_mb < TARGET_RSS_MB,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios, print the table, and write JSON if asked."""
    parser = argparse.ArgumentParser(description="start-up time and memory of python -m bot")
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    results = asyncio.run(run(args.servers))
    print(format_table(results))
    met = verdict(results)
    target = results[-1]
    print(
        f"seeded {target.servers} servers through the repositories in {target.seed_seconds:.1f} s"
    )
    for what, ok in met.items():
        print(f"target: {what}: {'met' if ok else 'MISSED'}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"rows": [asdict(r) for r in results], "targets": met}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
