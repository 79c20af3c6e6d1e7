"""`python -m bot` as an operator runs it: guidance without a token, and the boot smoke test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bot(
    args: list[str], cwd: Path, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "X_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_token_prints_guidance_and_exits_2(tmp_path: Path) -> None:
    """Without DISCORD_TOKEN the bot explains the set-up and exits 2, with no traceback."""
    result = run_bot([], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "discord.com/developers/applications" in result.stderr
    assert ".env" in result.stderr
    assert "DISCORD_TOKEN" in result.stderr


def test_invalid_setting_is_reported_without_traceback(tmp_path: Path) -> None:
    """A malformed value names the variable and exits 2."""
    result = run_bot([], tmp_path, {"SPACES_POLL_SECONDS": "often"})
    assert result.returncode == 2
    assert "SPACES_POLL_SECONDS" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_boots_without_logging_in(tmp_path: Path) -> None:
    """--check migrates a temporary database and loads every cog, exit 0."""
    result = run_bot(["--check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "check ok" in result.stderr
    assert not (tmp_path / "data").exists()
