"""The PostgreSQL half of the tests: skipped with a clear reason when the server is
unreachable, and failed instead when LIGHTSTICK_REQUIRE_POSTGRES=1 (what CI sets)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = "tests/store/test_timezones_repo.py::test_member_zone_round_trips_and_replaces"


def _pytest(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LIGHTSTICK_REQUIRE_POSTGRES"}
    env["TEST_POSTGRES_URL"] = "postgresql://nobody:hidden@127.0.0.1:9/none"
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", TARGET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_unreachable_postgres_skips_the_postgres_half_with_a_reason() -> None:
    """SQLite still runs; the PostgreSQL case is skipped naming the server (password masked)."""
    result = _pytest({})
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert (
        "PostgreSQL at postgresql://nobody:***@127.0.0.1:9/none is not reachable" in result.stdout
    )
    assert "hidden" not in result.stdout


def test_required_postgres_fails_when_unreachable() -> None:
    """With LIGHTSTICK_REQUIRE_POSTGRES=1 the same run fails instead of skipping."""
    result = _pytest({"LIGHTSTICK_REQUIRE_POSTGRES": "1"})
    assert result.returncode != 0, result.stdout
    assert "LIGHTSTICK_REQUIRE_POSTGRES=1" in result.stdout
