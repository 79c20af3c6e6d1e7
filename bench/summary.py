"""Render the results of every bench (their --json output) as one plain-text table."""

from __future__ import annotations

from typing import Any

from bench.db_throughput import LoadResult
from bench.db_throughput import format_table as db_table
from bench.feature_latency import format_table as latency_table
from bench.rsvp_backends import BackendResult
from bench.rsvp_backends import format_table as rsvp_table
from bench.scale_fanout import format_table as scale_fanout_table
from bench.scale_startup import format_table as scale_startup_table
from bench.spaces_scale import format_table as spaces_table
from bench.startup_memory import StartupResult
from bench.startup_memory import format_table as startup_table
from bench.timeparse import format_table as timeparse_table


def summarize(results: dict[str, Any]) -> str:
    """Return one section per bench that produced rows, then the target verdicts."""
    sections: list[str] = []
    targets: list[str] = []
    if rows := _rows(results, "feature_latency"):
        sections.append(_section("Interaction latency (inject -> callback)", latency_table(rows)))
    if rows := _rows(results, "startup_memory"):
        parsed = [StartupResult(**r) for r in rows]
        sections.append(_section("Start-up of python -m bot and memory", startup_table(parsed)))
        targets += _verdicts("start-up", results["startup_memory"].get("targets", {}))
    if rows := _rows(results, "spaces_scale"):
        sections.append(
            _section("Spaces: one Space going live (rate limits on)", spaces_table(rows))
        )
    if rows := _rows(results, "db_throughput"):
        sections.append(
            _section("Database: hottest writes", db_table([LoadResult(**r) for r in rows]))
        )
        targets += _verdicts("clicks with p99 < 20 ms", results["db_throughput"]["targets"])
    if rows := _rows(results, "scale_fanout"):
        sections.append(
            _section(
                "Scale out: one Space, one process vs three (shared 50/s)", scale_fanout_table(rows)
            )
        )
    if rows := _rows(results, "rsvp_backends"):
        sections.append(
            _section(
                "Database: RSVP clicks, SQLite vs PostgreSQL",
                rsvp_table([BackendResult(**r) for r in rows]),
            )
        )
    if rows := _rows(results, "scale_startup"):
        sections.append(
            _section("Scale out: start-up, one process vs three", scale_startup_table(rows))
        )
    if rows := _rows(results, "artist_search"):
        sections.append(_section("Artist search (in-process)", _artist_table(rows)))
        targets.append(
            f"artist autocomplete p99 < 5 ms at 10,000 entries: "
            f"{'met' if results['artist_search'].get('target_met') else 'MISSED'}"
        )
    if rows := _rows(results, "timeparse"):
        sections.append(
            _section(
                "Party times: parse per phrase (corpus), beside bare dateparser",
                timeparse_table(rows),
            )
        )
    crashed = [name for name, r in results.items() if "rows" not in r]
    if crashed:
        targets.append(f"CRASHED (no figures): {', '.join(crashed)}")
    sections.append(_section("Targets", "\n".join(targets) or "none measured"))
    return "\n\n".join(sections)


def _rows(results: dict[str, Any], name: str) -> list[dict[str, Any]]:
    rows = results.get(name, {}).get("rows")
    return list(rows) if rows else []


def _section(title: str, body: str) -> str:
    return f"{title}\n{'-' * len(title)}\n{body}"


def _verdicts(label: str, verdicts: dict[str, bool]) -> list[str]:
    return [f"{label}: {what}: {'met' if ok else 'MISSED'}" for what, ok in verdicts.items()]


def _artist_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'catalog':<10} {'entries':>7} {'operation':<17} {'median ms':>9} {'p99 ms':>8}"]
    for r in rows:
        lines.append(
            f"{r['catalog']!s:<10} {r['entries']!s:>7} {r['operation']!s:<17} "
            f"{r['median_ms']!s:>9} {r['p99_ms']!s:>8}"
        )
    return "\n".join(lines)
