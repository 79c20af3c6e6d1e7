"""`python -m bench --smoke` runs every bench in its tiniest mode and writes well-shaped JSON.

Only the shape is asserted, never a timing: the figures belong to `make bench`, not to tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the whole suite once in smoke mode and return the JSON it wrote."""
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def _numbers(row: dict[str, Any], *keys: str) -> None:
    for key in keys:
        assert isinstance(row[key], int | float), (key, row)


@pytest.mark.timeout(480)
def test_every_bench_reports(smoke: dict[str, Any]) -> None:
    """Every bench ran to completion and the printed table names each section."""
    assert smoke["mode"] == "smoke"
    assert set(smoke["benches"]) == {
        "feature_latency",
        "artist_search",
        "db_throughput",
        "startup_memory",
        "spaces_scale",
        "timeparse",
        "scale_fanout",
        "rsvp_backends",
        "scale_startup",
    }
    for name, bench in smoke["benches"].items():
        assert bench["rows"], name
    titles = (
        *("Interaction latency", "Start-up", "Spaces", "Database", "Artist", "Party times"),
        *("Scale out: one Space", "SQLite vs PostgreSQL", "Scale out: start-up"),
    )
    for title in (*titles, "Targets"):
        assert title in smoke["table"]
    assert "CRASHED" not in smoke["table"]


@pytest.mark.timeout(480)
def test_latency_rows_compare_with_their_floor(smoke: dict[str, Any]) -> None:
    """Each Lightstick interaction is reported beside the plain-bot floor of the same kind."""
    rows = smoke["benches"]["feature_latency"]["rows"]
    cases = {r["case"] for r in rows}
    for case in ("/artist name:BTS", "/artist autocomplete", "trivia answer click"):
        assert case in cases
    assert any(c.startswith("/party schedule") for c in cases)
    assert any(c.startswith("/spaces live") for c in cases)
    floors = {r["case"] for r in rows if r["floor"] is None}
    for row in rows:
        _numbers(row, "n", "median_ms", "p99_ms")
        if row["floor"] is not None:
            assert row["floor"] in floors
            _numbers(row, "ratio_to_floor")


@pytest.mark.timeout(480)
def test_startup_has_baselines_and_memory(smoke: dict[str, Any]) -> None:
    """Start-up reports the bare client and the empty database beside the seeded bot."""
    bench = smoke["benches"]["startup_memory"]
    names = [r["name"] for r in bench["rows"]]
    assert any(n.startswith("bare discord.py") for n in names)
    assert any("empty db" in n for n in names)
    assert "seeded db" in names[-1]
    for row in bench["rows"]:
        _numbers(row, "ready_s", "first_answer_s", "on_ready_s", "rss_mb", "hwm_mb")
    assert all(isinstance(ok, bool) for ok in bench["targets"].values())


@pytest.mark.timeout(480)
def test_db_and_spaces_shapes(smoke: dict[str, Any]) -> None:
    """Database rows carry a floor and both load shapes; Spaces rows mark extrapolations."""
    db = smoke["benches"]["db_throughput"]
    workloads = {(r["workload"], r["load"].split()[0]) for r in db["rows"]}
    for workload in ("bare INSERT (floor)", "RSVP click", "trivia answer"):
        assert {(workload, "open"), (workload, "closed")} <= workloads
    for row in db["rows"]:
        _numbers(row, "clicks", "per_second", "p50_ms", "p99_ms")
    spaces = smoke["benches"]["spaces_scale"]["rows"]
    measured = [r for r in spaces if r["extrapolated_from"] is None]
    assert measured
    assert all(r["delivered"] == r["servers"] and r["duplicates"] == 0 for r in measured)
    assert spaces[-1]["extrapolated_from"] == measured[-1]["servers"]


@pytest.mark.timeout(480)
def test_timeparse_rows_have_the_dateparser_baseline(smoke: dict[str, Any]) -> None:
    """The time reader is reported beside a bare dateparser.parse over the same phrases."""
    rows = smoke["benches"]["timeparse"]["rows"]
    assert [r["reader"] for r in rows] == ["read_when", "bare dateparser.parse"]
    assert rows[0]["phrases"] == rows[1]["phrases"]
    for row in rows:
        _numbers(row, "median_ms", "p99_ms", "max_ms")


@pytest.mark.timeout(480)
def test_scale_fanout_compares_one_process_with_three(smoke: dict[str, Any]) -> None:
    """Both scenarios delivered once to every server and carry the limit's minimum."""
    rows = smoke["benches"]["scale_fanout"]["rows"]
    assert [(r["scenario"], r["processes"]) for r in rows] == [
        ("1 process", 1),
        ("3 processes", 3),
    ]
    for row in rows:
        assert row["delivered"] == row["servers"]
        assert row["duplicates"] == 0
        _numbers(row, "seconds", "first_post_s", "minimum_seconds", "rate_limited_429")


@pytest.mark.timeout(480)
def test_rsvp_backends_cover_both_backends_and_loads(smoke: dict[str, Any]) -> None:
    """RSVP clicks and the SELECT 1 floor, open and closed loop, on SQLite and PostgreSQL."""
    rows = smoke["benches"]["rsvp_backends"]["rows"]
    seen = {(r["backend"], r["workload"], r["load"].split()[0]) for r in rows}
    for backend in ("sqlite", "postgresql"):
        for workload in ("SELECT 1 (floor)", "RSVP click"):
            assert {(backend, workload, "open"), (backend, workload, "closed")} <= seen
    for row in rows:
        assert row["clicks"] > 0
        _numbers(row, "per_second", "p50_ms", "p99_ms")


@pytest.mark.timeout(480)
def test_scale_startup_has_one_process_then_three(smoke: dict[str, Any]) -> None:
    """One row for the single process, three for the split, each serving its own servers."""
    rows = smoke["benches"]["scale_startup"]["rows"]
    assert [r["scenario"] for r in rows] == ["1 process"] + ["3 processes"] * 3
    assert rows[0]["servers"] == sum(r["servers"] for r in rows[1:]) == 6
    for row in rows:
        assert 0 < row["ready_s"] <= row["reconciled_s"]


RUNNABLE = sorted(
    p.stem
    for p in (REPO_ROOT / "bench").glob("[a-z]*.py")
    if 'if __name__ == "__main__"' in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", RUNNABLE)
@pytest.mark.parametrize("form", ["module", "script"])
def test_bench_runs_as_module_and_as_script(name: str, form: str) -> None:
    """`python -m bench.<name>` and `python bench/<name>.py` both start (here: print --help)."""
    target = ["-m", f"bench.{name}"] if form == "module" else [f"bench/{name}.py"]
    proc = subprocess.run(
        [sys.executable, *target, "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "usage:" in proc.stdout
